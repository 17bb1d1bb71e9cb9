"""Render the class deck (``slides/``) with Quarto and publish it into the book's site.

``_quarto.yml`` runs this script after every full render of the book (``project: post-render:``,
quarto.org "Project Scripts"). A Quarto book renders only the files its chapters list and only
book formats ("The revealjs format is not supported by book projects"), so the deck is a small
Quarto project of its own, ``slides/_quarto.yml``. This script renders it with the same
``quarto`` command and the same Python, then copies the deck, one self-contained HTML file
(``embed-resources``), to ``_book/slides/``. The deck loads nothing else but the site's own
KaTeX (``../katex/``), which the book publishes.

When Quarto renders a single chapter (``quarto render chapters/NN-slug.qmd``) the script does
nothing: the deck is rendered only with the whole book.

Usage::

    python tools/render_slides.py            # run by `quarto render`; or by hand, after it
    python tools/render_slides.py --force    # also when QUARTO_PROJECT_RENDER_ALL is not set

Only the standard library is used: Quarto runs post-render ``.py`` scripts with the Python on
``PATH``, which need not be the book's virtual environment.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLIDES = ROOT / "slides"
#: The decks of ``slides/``, each rendered to one self-contained ``.html`` next to its source.
DECKS = ("lstm-90-minutes.qmd",)
#: Where the book's site is written when Quarto does not say (``project: output-dir``).
DEFAULT_SITE = ROOT / "_book"


def quarto_command() -> str:
    """The ``quarto`` that is rendering the book: Quarto exports ``QUARTO_BIN_PATH`` to the
    scripts it runs; else ``$QUARTO``; else the one on ``PATH``."""
    candidates = []
    if os.environ.get("QUARTO_BIN_PATH"):
        candidates.append(Path(os.environ["QUARTO_BIN_PATH"]) / "quarto")
    if os.environ.get("QUARTO"):
        candidates.append(Path(os.environ["QUARTO"]))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("quarto")
    if found is None:
        raise SystemExit("render_slides: no quarto command found (QUARTO_BIN_PATH, $QUARTO, PATH)")
    return found


def render_environment() -> dict[str, str]:
    """This process's environment without the book render's ``QUARTO_PROJECT_*`` variables,
    which describe the book, not the deck's project; a relative ``QUARTO_PYTHON``
    (``QUARTO_PYTHON=.venv/bin/python quarto render``) is made absolute from the book's root."""
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith("QUARTO_PROJECT_")}
    python = environment.get("QUARTO_PYTHON")
    if python and not Path(python).is_absolute():
        environment["QUARTO_PYTHON"] = str(ROOT / python)   # not resolve(): a venv's python is a symlink
    return environment


def render_decks(site: Path, quarto: str | None = None) -> list[Path]:
    """Render every deck of :data:`DECKS` and copy it to ``site/slides/``.

    Returns
    -------
    list of Path
        The published files.

    Raises
    ------
    SystemExit
        If Quarto fails on a deck (its output is shown) or writes no HTML.
    """
    quarto = quarto or quarto_command()
    published = []
    target = site / "slides"
    target.mkdir(parents=True, exist_ok=True)
    for deck in DECKS:
        source = SLIDES / deck
        # Quarto takes the project of the nearest _quarto.yml above the file: slides/'s own.
        rendered = subprocess.run([quarto, "render", source.relative_to(ROOT).as_posix()], cwd=ROOT,
                                  env=render_environment(), check=False)
        if rendered.returncode != 0:
            raise SystemExit(f"render_slides: quarto render {source.relative_to(ROOT)} failed "
                             f"({rendered.returncode})")
        html = source.with_suffix(".html")
        if not html.exists():
            raise SystemExit(f"render_slides: quarto wrote no {html.relative_to(ROOT)}")
        shutil.copy2(html, target / html.name)
        published.append(target / html.name)
    return published


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--force", action="store_true",
                        help="render even when Quarto is not rendering the whole book")
    parser.add_argument("--site", type=Path, default=None,
                        help="the book's output folder (default: $QUARTO_PROJECT_OUTPUT_DIR or _book)")
    arguments = parser.parse_args(argv)
    if not arguments.force and os.environ.get("QUARTO_PROJECT_RENDER_ALL") != "1":
        print("render_slides: not a render of the whole book; the deck is left as it is")
        return 0
    site = arguments.site or Path(os.environ.get("QUARTO_PROJECT_OUTPUT_DIR") or DEFAULT_SITE)
    if not site.is_absolute():
        site = ROOT / site
    for path in render_decks(site):
        print(f"render_slides: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
