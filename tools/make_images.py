"""Draw the book's static images into ``images/``, or check that the committed ones are current.

Usage::

    python tools/make_images.py          # (re)write images/lstm-cell*.svg and lstm-unrolled.svg
    python tools/make_images.py --check  # exit 1, naming every image that is missing or differs

The images are the LSTM cell diagram drawn by :mod:`lstm.diagram`: ``lstm-cell.svg`` with nothing
highlighted and ``lstm-cell-<part>.svg`` with one part highlighted (forget, input, candidate,
update, output); and the cell unrolled over chapter 6's four steps, with the numbers of that run
on the wires, drawn by :mod:`lstm.unrolled`: ``lstm-unrolled.svg``. The list is
:func:`lstm.diagram.static_diagram_names`. The SVG bytes are deterministic, so ``--check``
compares bytes exactly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lstm.diagram import save_static_diagrams, static_diagram_names, static_diagram_svg

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "images"


def stale_images(folder: Path = IMAGES) -> list[str]:
    """Names of the static images in ``folder`` that are missing or differ from what the code draws.

    Parameters
    ----------
    folder : Path
        The images folder (normally ``images/`` at the repository root).

    Returns
    -------
    list of str
        File names (e.g. ``"lstm-cell-forget.svg (differs)"``); empty when everything is current.
    """
    problems = []
    for highlight, name in static_diagram_names().items():
        path = folder / name
        if not path.exists():
            problems.append(f"{name} (missing)")
        elif path.read_bytes() != static_diagram_svg(highlight):
            problems.append(f"{name} (differs)")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write anything; exit 1 if an image is missing or differs from the code",
    )
    parser.add_argument(
        "--folder", type=Path, default=IMAGES, help="images folder (default: images/)"
    )
    args = parser.parse_args(argv)
    if args.check:
        problems = stale_images(args.folder)
        if problems:
            print("Static images out of date (run `python tools/make_images.py`):")
            for problem in problems:
                print(f"  {problem}")
            return 1
        print(f"All {len(static_diagram_names())} static images are current.")
        return 0
    for path in save_static_diagrams(args.folder):
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
