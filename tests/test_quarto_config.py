"""The Quarto site's configuration: a book that loads nothing from another host.

Quarto cannot run here, so these tests check what each option of ``_quarto.yml`` and each theme
layer must say for the rendered site to work offline when served locally (issue 13):

- math: ``html-math-method`` is KaTeX from the site's own ``katex/`` folder, published by the
  ``pre-render`` script ``tools/publish_katex.py`` and the project resource ``/katex/**``; every
  equation of the book is one KaTeX renders (checked with npm's KaTeX in node, as the page will);
- themes: each light and dark layer list is a Bootswatch theme plus our SCSS files, which set
  ``$web-font-path: false`` (the variable cosmo's and darkly's rules import Google Fonts with);
  no theme file or include names an ``http(s)://`` resource;
- layout: wide figures are scaled to the column, figures sit on a white card in dark mode, the
  "Download the notebook" link stays visible on a 600 px screen (checked in Chromium with the
  rules and the page script themselves);
- housekeeping: ``.gitignore`` holds Quarto's own entries exactly as Quarto checks for them; the
  footer states the licences; no line of a chapter starts like a Pandoc example-list marker;
- explorers: :func:`require_js_triggers` names the outputs for which Quarto adds require.js and
  jQuery from a CDN (display outputs with ``text/html`` or ``application/javascript``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import ROOT

#: The npm package the site's math comes from (``npm ci`` installs it; package.json pins it).
NPM_KATEX = ROOT / "node_modules" / "katex"
BOOTSWATCH_THEMES = {"cosmo", "darkly"}
#: What Quarto 1.10 appends to ``.gitignore`` when a line is missing (compared after trimming).
QUARTO_GITIGNORE_ENTRIES = ("/.quarto/", "**/*.quarto_ipynb")
#: Display-output mime types for which Quarto adds require.js and jQuery from a CDN
#: (quarto-cli ``src/core/jupyter/widgets.ts``, "javascript widgets").
REQUIRE_JS_MIME_TYPES = ("text/html", "application/javascript")
REMOTE_URL = re.compile(r"(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}", re.IGNORECASE)


def quarto_config() -> dict:
    return yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))


def html_format() -> dict:
    return quarto_config()["format"]["html"]


def book_sources() -> list[Path]:
    """Every page source of the book: the chapters and appendices listed in ``_quarto.yml``."""
    book = quarto_config()["book"]
    return [ROOT / name for name in [*book["chapters"], *book.get("appendices", [])]]


def theme_files() -> dict[str, list[Path]]:
    """The SCSS files of each appearance (``light``/``dark``), in the order Quarto layers them."""
    theme = html_format()["theme"]
    return {appearance: [ROOT / entry for entry in entries if entry not in BOOTSWATCH_THEMES]
            for appearance, entries in theme.items()}


def scss_sections(text: str) -> dict[str, str]:
    """The regions of a Quarto theme file by kind (``defaults``, ``rules``, ...), merged.

    Quarto's layer syntax (quarto.org, "More About Quarto Themes"): ``/*-- scss:KIND --*/``
    starts a region; several regions of one kind are concatenated in order.
    """
    parts = re.split(r"/\*--\s*scss:(\w+)\s*--\*/", text)
    sections: dict[str, str] = {}
    for kind, body in zip(parts[1::2], parts[2::2], strict=True):
        sections[kind] = sections.get(kind, "") + body
    return sections


def page_rules_css() -> dict[str, str]:
    """The CSS of each appearance: the rules regions of its SCSS files, concatenated in order."""
    return {appearance: "\n".join(scss_sections(path.read_text(encoding="utf-8")).get("rules", "")
                                  for path in paths)
            for appearance, paths in theme_files().items()}


def notebook_script() -> str:
    """The page script of ``include-after-body`` (the notebook link), without its tags."""
    text = html_format()["include-after-body"]["text"]
    return re.search(r"<script>(.*)</script>", text, re.DOTALL).group(1)


# ------------------------------------------------------------------------------------ math


def without_code(text: str) -> str:
    """``text`` with fenced code blocks, inline code spans and HTML comments blanked out.

    Lengths and line breaks are kept, so offsets and line numbers still match the source.
    """
    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    text = re.sub(r"^(```|~~~).*?^\1\s*$", blank, text, flags=re.MULTILINE | re.DOTALL)
    text = re.sub(r"<!--.*?-->", blank, text, flags=re.DOTALL)
    return re.sub(r"(`+)(?!`).+?(?<!`)\1(?!`)", blank, text, flags=re.DOTALL)


DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$(\s*\{#eq-[\w-]+\})?", re.DOTALL)
# Pandoc's tex_math_dollars: the opening $ has a non-space on its right, the closing $ a
# non-space on its left and no digit right after it; \$ is a literal dollar; no blank line.
INLINE_MATH = re.compile(r"(?<![\\$])\$(?![\s$])((?:[^$\\\n]|\\.|\n(?!\s*\n))+?)(?<![\s\\])\$(?!\d)")


def math_in(text: str) -> list[dict]:
    """Every TeX formula of a Quarto page as KaTeX will receive it.

    Parameters
    ----------
    text : str
        The ``.qmd`` source.

    Returns
    -------
    list of dict
        ``{"tex", "display", "line"}`` for each formula. A numbered display equation
        (``$$ ... $$ {#eq-...}``) gets `` \\tag{1.1}`` appended, as Quarto's crossref filter does
        for ``html-math-method: katex`` (quarto-cli ``filters/crossref/equations.lua``).
    """
    text = without_code(text)
    found = []
    for match in DISPLAY_MATH.finditer(text):
        tex = match.group(1).strip() + (" \\tag{1.1}" if match.group(2) else "")
        found.append({"tex": tex, "display": True, "line": text.count("\n", 0, match.start()) + 1})
    rest = DISPLAY_MATH.sub(lambda match: re.sub(r"[^\n]", " ", match.group(0)), text)
    for match in INLINE_MATH.finditer(rest):
        found.append({"tex": match.group(1), "display": False,
                      "line": rest.count("\n", 0, match.start()) + 1})
    return found


KATEX_CHECK = r"""
const katex = require(process.argv[1]);
const formulas = JSON.parse(require("fs").readFileSync(0, "utf8"));
const failures = [];
for (const formula of formulas) {
  try {
    katex.renderToString(formula.tex, {displayMode: formula.display, throwOnError: true,
                                       strict: "error"});
  } catch (error) {
    failures.push({...formula, error: String(error.message || error)});
  }
}
process.stdout.write(JSON.stringify(failures));
"""


def katex_failures(formulas: list[dict]) -> list[dict]:
    """Render each formula with npm's KaTeX in node; return the ones KaTeX rejects.

    ``throwOnError`` turns a parse error (an unknown macro, a bad brace) into a failure instead
    of red text on the page, and ``strict: "error"`` does the same for input KaTeX would only
    warn about in the console.
    """
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH: the KaTeX check needs Node.js (apt-get install nodejs)")
    if not (NPM_KATEX / "package.json").exists():
        pytest.fail(f"{NPM_KATEX} is missing: run `npm ci` (package.json pins katex)")
    result = subprocess.run([node, "-e", KATEX_CHECK, str(NPM_KATEX)], input=json.dumps(formulas),
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def load_publish_katex():
    """Import ``tools/publish_katex.py`` (``tools/`` is a folder of scripts, not a package)."""
    import importlib.util
    import sys

    name = "publish_katex"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / "publish_katex.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_math_is_katex_from_the_sites_own_copy():
    math = html_format()["html-math-method"]
    assert math == {"method": "katex", "url": "/katex/"}, (
        f"html-math-method must be KaTeX from the published katex/ folder; got {math!r}")
    project = quarto_config()["project"]
    assert project["pre-render"] == "tools/publish_katex.py"
    assert "/katex/**" in project["resources"], project["resources"]
    assert (ROOT / project["pre-render"]).is_file()


def test_pre_render_script_publishes_everything_the_stylesheet_loads(tmp_path):
    publish = load_publish_katex()
    written = publish.publish_katex(NPM_KATEX, tmp_path / "katex")
    names = {path.relative_to(tmp_path / "katex").as_posix() for path in written}
    assert {"katex.min.js", "katex.min.css", "LICENSE"} <= names
    css = (tmp_path / "katex" / "katex.min.css").read_text(encoding="utf-8")
    fonts = publish.stylesheet_urls(css)
    assert len(fonts) >= 20 and all(url.startswith("fonts/") for url in fonts), fonts
    assert all((tmp_path / "katex" / url).is_file() for url in fonts)
    # Published files are byte-for-byte npm's.
    assert (tmp_path / "katex" / "katex.min.js").read_bytes() == (
        NPM_KATEX / "dist" / "katex.min.js").read_bytes()
    # A second run replaces the folder instead of leaving stale files in it.
    (tmp_path / "katex" / "stale.txt").write_text("old")
    publish.publish_katex(NPM_KATEX, tmp_path / "katex")
    assert not (tmp_path / "katex" / "stale.txt").exists()


def test_pre_render_script_says_to_run_npm_ci_when_katex_is_missing(tmp_path):
    publish = load_publish_katex()
    with pytest.raises(FileNotFoundError, match=r"npm ci"):
        publish.publish_katex(tmp_path / "node_modules" / "katex", tmp_path / "katex")
    assert not (tmp_path / "katex").exists()


def test_pre_render_script_refuses_a_stylesheet_that_loads_from_another_host(tmp_path):
    publish = load_publish_katex()
    package = tmp_path / "katex-package"
    (package / "dist").mkdir(parents=True)
    (package / "dist" / "katex.min.js").write_text("")
    (package / "dist" / "katex.min.css").write_text(
        "@font-face{src:url(https://cdn.example.org/KaTeX_Main.woff2)}")
    (package / "LICENSE").write_text("MIT")
    with pytest.raises(ValueError, match=r"cdn\.example\.org"):
        publish.publish_katex(package, tmp_path / "out")


def test_pre_render_command_line_reports_what_it_did(tmp_path, capsys):
    publish = load_publish_katex()
    assert publish.main(["--source", str(NPM_KATEX), "--destination", str(tmp_path / "site")]) == 0
    assert f"in {tmp_path / 'site'}" in capsys.readouterr().out
    assert (tmp_path / "site" / "katex.min.css").is_file()
    assert publish.main(["--source", str(tmp_path / "nowhere"), "--destination",
                         str(tmp_path / "other")]) == 1
    assert "run `npm ci`" in capsys.readouterr().err


def test_math_finder_reads_dollars_as_pandoc_does():
    text = (
        "Inline $x_t$ and $h_{t-1}$, a price of $5 and $6, an escaped \\$ sign.\n"
        "\n"
        "$$\nc_t = f_t \\odot c_{t-1}\n$$ {#eq-update}\n"
        "\n"
        "```{python}\nprint('$not math$')\n```\n"
        "Code `$also not$` and $$\\sigma(z)$$ unnumbered.\n"
    )
    formulas = math_in(text)
    assert [(f["tex"], f["display"], f["line"]) for f in formulas] == [
        ("c_t = f_t \\odot c_{t-1} \\tag{1.1}", True, 3),
        ("\\sigma(z)", True, 10),
        ("x_t", False, 1),
        ("h_{t-1}", False, 1),
    ]


def test_katex_check_catches_what_katex_cannot_render():
    failures = katex_failures([
        {"tex": "\\sigma(z) = \\frac{1}{1 + e^{-z}}", "display": True, "line": 1},
        {"tex": "\\require{physics} \\dv{f}{x}", "display": False, "line": 2},   # MathJax only
        {"tex": "x \\tag{1}", "display": False, "line": 3},                     # \tag needs display
    ])
    assert [failure["line"] for failure in failures] == [2, 3], failures


def test_every_equation_of_the_book_is_rendered_by_katex():
    formulas = []
    for path in book_sources():
        for formula in math_in(path.read_text(encoding="utf-8")):
            formulas.append({**formula, "file": path.relative_to(ROOT).as_posix()})
    assert len(formulas) > 100, f"found only {len(formulas)} formulas: the finder is broken"
    assert any(formula["tex"].endswith("\\tag{1.1}") for formula in formulas)
    failures = katex_failures(formulas)
    assert failures == [], "\n".join(
        f"{failure['file']}:{failure['line']}: {failure['tex']!r}: {failure['error']}"
        for failure in failures)


# ----------------------------------------------------------------------------------- themes


def test_themes_are_bootswatch_plus_our_layers_without_web_fonts():
    theme = html_format()["theme"]
    assert set(theme) == {"light", "dark"}
    assert theme["light"][0] == "cosmo" and theme["dark"][0] == "darkly", theme
    for appearance, paths in theme_files().items():
        assert paths, f"the {appearance} theme has no SCSS layer of ours"
        defaults = ""
        for path in paths:
            assert path.is_file(), f"{path.relative_to(ROOT)} is listed in _quarto.yml but missing"
            sections = scss_sections(path.read_text(encoding="utf-8"))
            assert sections, f"{path.relative_to(ROOT)} has no /*-- scss:... --*/ region"
            assert set(sections) <= {"uses", "functions", "defaults", "mixins", "rules"}
            defaults += sections.get("defaults", "")
        assert re.search(r"^\s*\$web-font-path:\s*false\s*;", defaults, re.MULTILINE), (
            f"no layer of the {appearance} theme sets `$web-font-path: false;` in scss:defaults")


def test_the_scss_region_reader():
    text = ("// c\n/*-- scss:defaults --*/\n$a: 1;\n/*-- scss:rules --*/\np {}\n"
            "/*-- scss:defaults --*/\n$b: 2;\n")
    assert scss_sections(text) == {"defaults": "\n$a: 1;\n\n$b: 2;\n", "rules": "\np {}\n"}


def include_texts(value) -> list[str]:
    """The text of an HTML include option in any of Quarto's forms (path, ``{text}``,
    ``{file}``, or a list of those)."""
    if value is None:
        return []
    if isinstance(value, list):
        return [text for item in value for text in include_texts(item)]
    if isinstance(value, dict):
        texts = [value["text"]] if "text" in value else []
        return texts + include_texts(value.get("file"))
    return [(ROOT / value).read_text(encoding="utf-8")]


def page_loaded_texts() -> dict[str, str]:
    """Everything of ours that a rendered page loads or runs, by where it comes from: the theme
    layers, the ``css`` files, the HTML includes and the math library URL."""
    html = html_format()
    texts = {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
             for paths in theme_files().values() for path in paths}
    for key in ("css", "include-in-header", "include-before-body", "include-after-body"):
        for number, text in enumerate(include_texts(html.get(key))):
            texts[f"{key}[{number}]"] = text
    texts["html-math-method.url"] = str(html["html-math-method"].get("url", ""))
    return texts


def test_nothing_a_page_loads_names_another_host():
    texts = page_loaded_texts()
    assert {"theme/light.scss", "theme/dark.scss", "include-after-body[0]"} <= set(texts)
    remote = {name: REMOTE_URL.findall(text) for name, text in texts.items() if REMOTE_URL.search(text)}
    assert remote == {}, f"these would make a page load from another host: {remote}"


def test_the_remote_url_pattern():
    assert REMOTE_URL.search("@import url(https://fonts.googleapis.com/css2?family=Lato)")
    assert REMOTE_URL.search('<script src="//cdn.jsdelivr.net/npm/x.js">')
    assert not REMOTE_URL.search('<a href="../notebooks/06-cell-over-time.ipynb">')
    assert not REMOTE_URL.search("// a comment in SCSS")


# ------------------------------------------------------------------------- page behaviour

CONTENT_WIDTH_PX = 700
FAKE_QUARTO_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>fake chapter</title>
<style>
  * {{ box-sizing: border-box; }}
  body {{ margin: 0; background: {background}; }}
  /* Quarto's grid: text column and right margin; the margin is not displayed on small screens. */
  #quarto-content {{ display: flex; }}
  main#quarto-document-content {{ width: {content_width}px; max-width: 100vw; overflow-x: hidden; }}
  #quarto-margin-sidebar {{ width: 250px; }}
  @media (max-width: 991.98px) {{ #quarto-margin-sidebar {{ display: none; }} }}
  [hidden] {{ display: none !important; }}
</style>
<style id="theme-rules">{rules}</style></head>
<body><div id="quarto-content">
<main class="content" id="quarto-document-content">
<header id="title-block-header"><h1>6 The cell over time</h1></header>
<div class="cell-output-display"><div class="quarto-figure"><figure>
<img id="wide" class="figure-img" src="data:image/svg+xml;utf8,{wide_svg}" width="1800" height="600"
     alt="a wide figure">
</figure></div></div>
</main>
<div id="quarto-margin-sidebar"></div>
</div>
<script>{script}</script>
</body></html>
"""
WIDE_SVG = ("%3Csvg xmlns='http://www.w3.org/2000/svg' width='1800' height='600'%3E"
            "%3Crect width='1800' height='600' fill='white'/%3E%3C/svg%3E")


def open_fake_chapter(browser, tmp_path: Path, appearance: str, width: int):
    """A page shaped like a Quarto chapter, with our rules and page script, at ``width`` px.

    The file is saved as ``chapters/06-cell-over-time.html`` so that the script sees a chapter
    path, and opened from disk (the script and rules need no server).
    """
    page_file = tmp_path / appearance / "chapters" / "06-cell-over-time.html"
    page_file.parent.mkdir(parents=True, exist_ok=True)
    page_file.write_text(FAKE_QUARTO_PAGE.format(
        background="#222" if appearance == "dark" else "#fff", content_width=CONTENT_WIDTH_PX,
        rules=page_rules_css()[appearance], wide_svg=WIDE_SVG, script=notebook_script()),
        encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_file.as_uri())
    page.wait_for_load_state("load")
    return page, errors


def visible_notebook_links(page) -> list[dict]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('a[download]'))
        .filter(a => a.getClientRects().length > 0)
        .map(a => ({href: a.getAttribute('href'), text: a.textContent.trim(),
                    inMargin: !!a.closest('#quarto-margin-sidebar')}))""")


@pytest.mark.parametrize("width", [1280, 600])
def test_notebook_link_is_visible_exactly_once_at_every_width(browser, tmp_path, width):
    page, errors = open_fake_chapter(browser, tmp_path, "light", width)
    try:
        links = visible_notebook_links(page)
        assert errors == []
        assert [(link["href"], link["text"]) for link in links] == [
            ("../notebooks/06-cell-over-time.ipynb", "Download the notebook")], links
        assert links[0]["inMargin"] is (width == 1280), links
        # Turning the window round moves the link to the place that is displayed.
        page.set_viewport_size({"width": 1880 - width, "height": 900})
        page.wait_for_timeout(50)
        moved = visible_notebook_links(page)
        assert len(moved) == 1 and moved[0]["inMargin"] is (width != 1280), moved
    finally:
        page.close()


@pytest.mark.parametrize("appearance", ["light", "dark"])
def test_wide_figures_are_scaled_to_the_text_column(browser, tmp_path, appearance):
    page, errors = open_fake_chapter(browser, tmp_path, appearance, 1280)
    try:
        box = page.evaluate("""() => {
            const img = document.getElementById('wide');
            const rect = img.getBoundingClientRect();
            const main = document.getElementById('quarto-document-content').getBoundingClientRect();
            const style = getComputedStyle(img);
            return {width: rect.width, height: rect.height, right: rect.right, mainRight: main.right,
                    background: style.backgroundColor, radius: style.borderTopLeftRadius,
                    padding: style.paddingLeft};
        }""")
        assert errors == []
        assert box["width"] <= CONTENT_WIDTH_PX and box["right"] <= box["mainRight"] + 0.5, box
        # Scaled, not squeezed: the drawing keeps its 3:1 aspect ratio (padding aside).
        padding = float(box["padding"].removesuffix("px"))
        assert (box["width"] - 2 * padding) / (box["height"] - 2 * padding) == pytest.approx(3.0, rel=0.02)
        if appearance == "dark":
            assert box["background"] == "rgb(255, 255, 255)" and box["radius"] != "0px", box
            assert padding > 0, box
        else:
            assert box["background"] == "rgba(0, 0, 0, 0)" and padding == 0, box
    finally:
        page.close()


# ---------------------------------------------------------------------------- housekeeping


def test_gitignore_holds_quartos_own_entries_so_a_render_leaves_the_checkout_clean():
    lines = [line.strip() for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()]
    missing = [entry for entry in QUARTO_GITIGNORE_ENTRIES if entry not in lines]
    assert missing == [], f".gitignore lacks {missing}: Quarto would append them on every render"
    assert "/katex/" in lines, "the KaTeX copy made before each render must stay out of git"
    assert not list(ROOT.glob("_*.local")), "Quarto would also append /_*.local"


def test_footer_states_the_licences():
    footer = quarto_config()["book"]["page-footer"]
    text = " ".join(footer.values()) if isinstance(footer, dict) else str(footer)
    assert "MIT" in text and "CC BY-SA 4.0" in text, footer
    assert "Code" in text and "Text and figures" in text, footer
    assert "https://creativecommons.org/licenses/by-sa/4.0/" in text


# Pandoc example-list markers: (@label), @label) or @label. followed by a space or the line end.
EXAMPLE_MARKER = re.compile(r"^\s*(?:\(@[\w-]*\)|@[\w-]*[.)])(?:\s|$)")
LIST_MARKER = re.compile(r"^\s*(?:[*+-]|\d+[.)]|#[.)]|\(\d+\)|\(?@[\w-]*[.)])\s")


def example_list_lines(text: str) -> list[tuple[int, str]]:
    """Lines Pandoc would read as the start of an example list (``(@label) ...``).

    A list marker starts a list at the start of a block (after a blank line, or on the first
    line) and, inside a list item, on a continuation line (a sublist needs no blank line before
    it). In the middle of an ordinary paragraph Pandoc's markdown does not start a list.

    Returns
    -------
    list of (int, str)
        ``(line number, line)`` of each such line, outside code blocks.
    """
    found = []
    in_list_item = False
    previous_blank = True
    for number, line in enumerate(without_code(text).splitlines(), start=1):
        if not line.strip():
            previous_blank = True
            continue
        if previous_blank:
            # A block after a blank line is still inside the list item when it is indented.
            in_list_item = bool(LIST_MARKER.match(line)) or (
                in_list_item and line.startswith((" ", "\t")))
        if EXAMPLE_MARKER.match(line) and (previous_blank or in_list_item):
            found.append((number, line))
        previous_blank = False
    return found


def test_example_list_finder_sees_the_chapter_6_problem_and_nothing_else():
    old_chapter_6 = (
        "2. At step $t$, feed the equations: the output gate\n"
        "   (@eq-output-gate) and the hidden state (@eq-hidden-state).\n"
        "3. Pass the states on.\n"
    )
    assert example_list_lines(old_chapter_6) == [
        (2, "   (@eq-output-gate) and the hidden state (@eq-hidden-state).")]
    assert example_list_lines("Intro.\n\n(@good) An example.\n") == [(3, "(@good) An example.")]
    assert example_list_lines("* an item\n  (@sec-input-gate);\n") == []          # no space after
    in_a_paragraph = "The candidate\n(@eq-candidate) and the output gate.\n"
    assert example_list_lines(in_a_paragraph) == []
    assert example_list_lines("Read\n@sec-what-is-an-lstm.\n") == []
    assert example_list_lines("```\n(@eq-x) in code\n```\n") == []
    second_paragraph_of_an_item = "1. An item.\n\n   Its second paragraph\n   (@eq-x) and more.\n"
    assert example_list_lines(second_paragraph_of_an_item) == [(4, "   (@eq-x) and more.")]


@pytest.mark.parametrize("path", book_sources(),
                         ids=lambda path: path.relative_to(ROOT).as_posix())
def test_no_line_starts_an_example_list(path):
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is listed in _quarto.yml but missing")
    found = example_list_lines(path.read_text(encoding="utf-8"))
    assert found == [], (
        f"Pandoc reads these lines of {path.relative_to(ROOT)} as example-list markers "
        f"(rewrap so that no line starts with `(@`): {found}")


# ------------------------------------------------------------------------------- explorers


def require_js_triggers(notebook: nbformat.NotebookNode) -> list[str]:
    """The outputs for which Quarto would add require.js and jQuery from a CDN to the page.

    Quarto adds both to every page whose notebook has a ``display_data`` or ``execute_result``
    output carrying ``text/html`` or ``application/javascript`` (quarto-cli
    ``src/core/jupyter/widgets.ts``, ``haveOutputType``). A static explorer must instead return
    a bundle with ``text/markdown`` (raw HTML inside) and ``text/plain`` only.

    Returns
    -------
    list of str
        ``"cell N (first line): mime/type, ..."`` for each such output; empty if none.
    """
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        first_line = next((line for line in cell.source.splitlines()
                           if line.strip() and not line.startswith("#|")), "")
        for output in cell.get("outputs", []):
            if output.output_type not in ("display_data", "execute_result"):
                continue
            mime_types = [mime for mime in output.get("data", {}) if mime in REQUIRE_JS_MIME_TYPES]
            if mime_types:
                found.append(f"cell {index} ({first_line[:50]!r}): {', '.join(mime_types)}")
    return found


def test_require_js_trigger_finder():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("text"), nbformat.v4.new_code_cell("a"),
                      nbformat.v4.new_code_cell("#| label: x\nb"), nbformat.v4.new_code_cell("c")]
    notebook.cells[1].outputs = [
        nbformat.v4.new_output("display_data", data={"text/markdown": "<div>x</div>",
                                                     "text/plain": "x"}),
        nbformat.v4.new_output("stream", name="stdout", text="<html>"),
    ]
    notebook.cells[2].outputs = [
        nbformat.v4.new_output("execute_result", data={"text/html": "<b>b</b>", "text/plain": "b"},
                               execution_count=1)]
    notebook.cells[3].outputs = [
        nbformat.v4.new_output("display_data", data={"application/javascript": "f()"})]
    assert require_js_triggers(notebook) == [
        "cell 2 ('b'): text/html", "cell 3 ('c'): application/javascript"]


#: The chapter whose static (Quarto) execution is checked: it holds a static explorer.
STATIC_CHECK_CHAPTER = ROOT / "chapters" / "03-forget-gate.qmd"


def test_static_chapter_needs_no_require_js(execute_chapter):
    """Strict: a chapter executed as Quarto does (``LSTM_BOOK_STATIC=1``) has no output that
    makes Quarto load require.js and jQuery from a CDN.

    Rename to ``test_...`` when the static explorers return ``text/markdown`` (lstm/explorers);
    until then it fails, naming the explorer outputs that still carry ``text/html``.
    """
    notebook = execute_chapter(STATIC_CHECK_CHAPTER, static=True)
    assert require_js_triggers(notebook) == []


def test_quarto_renders_execute_with_the_static_switch() -> None:
    """``quarto render`` reads ``_environment`` and passes its variables to the Jupyter kernel
    (quarto.org, "Environment Variables"): it must switch the explorers to their static form."""
    from lstm.explorers.static import STATIC_ENVIRONMENT_VARIABLE

    lines = (ROOT / "_environment").read_text(encoding="utf-8").splitlines()
    settings = dict(line.split("=", 1) for line in lines
                    if line.strip() and not line.lstrip().startswith("#"))
    assert settings.get(STATIC_ENVIRONMENT_VARIABLE, "").strip().strip('"') == "1"
