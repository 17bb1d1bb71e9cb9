"""Copy npm's KaTeX into ``katex/`` so that the Quarto site renders its math from a local copy.

``_quarto.yml`` runs this script before every render (``project: pre-render:``, quarto.org
"Project Scripts"). It copies the files Pandoc's KaTeX template loads (``katex.min.js``,
``katex.min.css``) and the fonts that stylesheet names, from ``node_modules/katex/dist/``
(installed by ``npm ci``; ``package.json`` pins the version) to ``katex/`` at the project root,
with KaTeX's licence. ``katex/`` is gitignored and published by ``project: resources:``
(``/katex/**``); ``html-math-method: {method: katex, url: /katex/}`` points every page at it,
so no page asks a CDN for MathJax or KaTeX.

Usage::

    python tools/publish_katex.py                     # node_modules/katex -> katex/
    python tools/publish_katex.py --source DIR --destination DIR

Only the standard library is used: Quarto runs pre-render ``.py`` scripts with the Python on
``PATH``, which need not be the book's virtual environment.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Where ``npm ci`` installs KaTeX (its package root, holding ``dist/`` and ``LICENSE``).
NPM_KATEX = ROOT / "node_modules" / "katex"
#: Where the site's math library is published from (``html-math-method.url`` is ``/katex/``).
PUBLISHED_KATEX = ROOT / "katex"
#: The files Pandoc's KaTeX template loads from ``html-math-method.url``.
KATEX_FILES = ("katex.min.js", "katex.min.css")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def stylesheet_urls(css: str) -> list[str]:
    """Every ``url(...)`` target named by a stylesheet, in order, without repeats.

    Parameters
    ----------
    css : str
        The text of a CSS file.

    Returns
    -------
    list of str
        The targets as written (e.g. ``fonts/KaTeX_Main-Regular.woff2``).
    """
    urls: list[str] = []
    for url in CSS_URL.findall(css):
        if url not in urls:
            urls.append(url)
    return urls


def publish_katex(package: Path = NPM_KATEX, destination: Path = PUBLISHED_KATEX) -> list[Path]:
    """Replace ``destination`` with KaTeX's scripts, stylesheet, fonts and licence.

    Parameters
    ----------
    package : Path
        KaTeX's npm package folder (holding ``dist/`` and ``LICENSE``).
    destination : Path
        The folder to (re)create; its previous content is removed first.

    Returns
    -------
    list of Path
        Every file written, below ``destination``.

    Raises
    ------
    FileNotFoundError
        If the package, one of its files, or a font its stylesheet names is missing.
    ValueError
        If the stylesheet names a remote or absolute URL (the site must load nothing from
        another host).
    """
    package, destination = Path(package), Path(destination)
    dist = package / "dist"
    if not dist.is_dir():
        raise FileNotFoundError(
            f"{dist} does not exist: run `npm ci` in the project folder first (package.json pins "
            "katex), then render again"
        )
    sources = [dist / name for name in KATEX_FILES]
    css = (dist / "katex.min.css").read_text(encoding="utf-8") if sources[1].exists() else ""
    for url in stylesheet_urls(css):
        if re.match(r"^([a-z]+:|/)", url, re.IGNORECASE):
            raise ValueError(f"{dist / 'katex.min.css'} loads {url!r}; expected only relative font paths")
        sources.append(dist / url)
    sources.append(package / "LICENSE")
    missing = [str(path) for path in sources if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"KaTeX files missing from {package}: {missing}; run `npm ci` again")

    if destination.exists():
        shutil.rmtree(destination)
    written = []
    for source in sources:
        relative = source.relative_to(dist) if source.is_relative_to(dist) else Path(source.name)
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=NPM_KATEX,
                        help="KaTeX's npm package folder (default: node_modules/katex)")
    parser.add_argument("--destination", type=Path, default=PUBLISHED_KATEX,
                        help="the folder to publish (default: katex/ at the project root)")
    arguments = parser.parse_args(argv)
    try:
        written = publish_katex(arguments.source, arguments.destination)
    except (FileNotFoundError, ValueError) as error:
        print(f"publish_katex: {error}", file=sys.stderr)
        return 1
    print(f"publish_katex: {len(written)} files in {arguments.destination}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
