"""A tiny deterministic bundler for the ES modules in ``web/``, for one inline ``<script>``.

Pages must open from disk, and browsers do not load module files over ``file://``, so a
static page carries its JavaScript inline. :func:`bundle` takes the modules a widget needs,
adds the modules they import (depth first, in import order), and writes each as a function
scope whose result holds its exports::

    const __web_checks = (() => { ...body...; return { shapeOf, checkShape }; })();

An ``import { a, b as c } from "./x.mjs";`` becomes ``const { a, b: c } = __web_x;``, and the
``export`` keyword in front of a declaration is dropped. Comment-only lines and JSDoc blocks,
leading indentation and blank lines are removed: the result has no blank line and no line
indented four spaces (so Pandoc and nbconvert's markdown leave it alone) and is smaller.
The same input always gives the same bytes.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

__all__ = ["WEB_DIRECTORY", "bundle", "module_imports"]

#: Folder of the ES modules (``web/`` at the repository root).
WEB_DIRECTORY: Path = Path(__file__).resolve().parents[2] / "web"

_IMPORT = re.compile(r'^import\s*\{([^}]*)\}\s*from\s*"\./([\w-]+)\.mjs";[ \t]*$', re.MULTILINE)
_EXPORT = re.compile(r"^export\s+((?:async\s+)?(?:function\*?|const|let|class))\s+(\w+)", re.MULTILINE)


def _scope_name(module: str) -> str:
    return "__web_" + module.replace("-", "_")


@cache
def _source(module: str) -> str:
    path = WEB_DIRECTORY / f"{module}.mjs"
    if not path.is_file():
        raise ValueError(f"module must name a file web/<module>.mjs; got {module!r} ({path} does not exist)")
    return path.read_text(encoding="utf-8")


def module_imports(module: str) -> list[str]:
    """The modules ``web/<module>.mjs`` imports, in the order it imports them."""
    return [match.group(2) for match in _IMPORT.finditer(_source(module))]


def _strip(code: str) -> str:
    """Drop JSDoc/comment-only lines, indentation and blank lines."""
    lines: list[str] = []
    in_comment = False
    for raw in code.splitlines():
        line = raw.strip()
        if in_comment:
            in_comment = "*/" not in line
            continue
        if line.startswith("/*"):
            in_comment = "*/" not in line
            continue
        if not line or line.startswith("//"):
            continue
        lines.append(line)
    return "\n".join(lines)


def _wrapped(module: str) -> str:
    source = _source(module)

    def imported(match: re.Match) -> str:
        names = [name.strip() for name in match.group(1).split(",") if name.strip()]
        bindings = [name.replace(" as ", ": ") for name in names]
        return f"const {{ {', '.join(bindings)} }} = {_scope_name(match.group(2))};"

    body = _IMPORT.sub(imported, source)
    exports = [match.group(2) for match in _EXPORT.finditer(body)]
    body = _EXPORT.sub(lambda match: f"{match.group(1)} {match.group(2)}", body)
    if re.search(r"^export\b", body, re.MULTILINE):
        raise ValueError(f"web/{module}.mjs has an export the bundler does not understand")
    return (
        f"const {_scope_name(module)} = (() => {{\n{_strip(body)}\n"
        f"return {{ {', '.join(exports)} }};\n}})();"
    )


def bundle(modules: list[str], main: str = "") -> str:
    """JavaScript for one inline ``<script type="module">``: ``modules`` and their imports.

    Parameters
    ----------
    modules : list of str
        Module names in ``web/`` without ``.mjs`` (e.g. ``["live-explorer"]``).
    main : str
        Code appended at the end; it may use the modules' exports by name
        (``const { mountExplorer } = __web_live_explorer;`` is added for every module listed).

    Returns
    -------
    str
        The bundle (no blank line, no indented line, no ``</script``).

    Raises
    ------
    ValueError
        If a module does not exist or imports in a form the bundler does not handle.
    """
    order: list[str] = []

    def visit(module: str, path: tuple[str, ...]) -> None:
        if module in order:
            return
        if module in path:
            raise ValueError(f"web modules import each other in a circle: {' -> '.join((*path, module))}")
        for dependency in module_imports(module):
            visit(dependency, (*path, module))
        order.append(module)

    for module in modules:
        visit(module, ())
    parts = [_wrapped(module) for module in order]
    for module in modules:
        exports = [match.group(2) for match in _EXPORT.finditer(_source(module))]
        parts.append(f"const {{ {', '.join(exports)} }} = {_scope_name(module)};")
    if main:
        parts.append(_strip(main))
    code = "\n".join(parts)
    if "</script" in code.lower():
        raise ValueError("a bundled module contains '</script'; it would end the inline script")
    return code
