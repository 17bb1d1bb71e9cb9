"""How long does it take to run the book? Prints the time to execute each chapter in a kernel.

Each chapter listed in ``_quarto.yml`` is converted with ``tools/make_notebooks.py`` and run top
to bottom in a fresh ``python3`` kernel (cwd ``chapters/``), one after the other, the way a
Quarto render or a reader's "Run all" does. Kernel start-up is included in each chapter's time.

Usage::

    python benchmarks/bench_book.py                 # live explorers (LSTM_BOOK_STATIC=0)
    python benchmarks/bench_book.py --mode static   # static scrubbers, as in a Quarto render
    python benchmarks/bench_book.py --mode both

Goals: chapters 1-6 in at most 60 s on 2 cores (each mode); and (issue 12) every chapter in at
most 10 s, the whole book in at most 30 s, on a quiet machine.  Wall-clock times: on a shared
machine they measure the load as much as the book, so say whether it was quiet.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 60.0
GOAL_CHAPTERS = ("01", "02", "03", "04", "05", "06")
CHAPTER_GOAL_SECONDS = 10.0
BOOK_GOAL_SECONDS = 30.0


def load_make_notebooks():
    """Import ``tools/make_notebooks.py`` (a script folder, not a package)."""
    spec = importlib.util.spec_from_file_location("make_notebooks", ROOT / "tools" / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def time_chapters(static: bool) -> list[tuple[str, float, int]]:
    """Run every chapter once; return ``(chapter, seconds, number of error outputs)``."""
    tools = load_make_notebooks()
    results = []
    for chapter in tools.book_chapters(ROOT):
        if not chapter.exists():
            print(f"  {chapter.name:32s}  missing", flush=True)
            continue
        text = chapter.read_text(encoding="utf-8")
        notebook = tools.chapter_to_notebook(text, chapter.relative_to(ROOT).as_posix())
        start = time.perf_counter()
        tools.execute_notebook(notebook, chapter.parent, static=static)
        seconds = time.perf_counter() - start
        errors = sum(
            output.output_type == "error"
            for cell in notebook.cells
            if cell.cell_type == "code"
            for output in cell.outputs
        )
        flag = f"  ({errors} error outputs)" if errors else ""
        over = "" if seconds <= CHAPTER_GOAL_SECONDS else f"  (over the {CHAPTER_GOAL_SECONDS:.0f} s goal)"
        print(f"  {chapter.name:32s} {seconds:6.1f} s{over}{flag}", flush=True)
        results.append((chapter.name, seconds, errors))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the execution of every chapter.")
    parser.add_argument("--mode", choices=("live", "static", "both"), default="live")
    args = parser.parse_args(argv)
    modes = ["live", "static"] if args.mode == "both" else [args.mode]
    print(f"CPU cores available: {len(os.sched_getaffinity(0))}")
    for mode in modes:
        print(f"\nmode: {mode} (LSTM_BOOK_STATIC={'1' if mode == 'static' else '0'})")
        results = time_chapters(static=(mode == "static"))
        total = sum(seconds for _, seconds, _ in results)
        goal = sum(seconds for name, seconds, _ in results if name[:2] in GOAL_CHAPTERS)
        verdict = "within" if total <= BOOK_GOAL_SECONDS else "OVER"
        print(f"  {'total':32s} {total:6.1f} s  ({verdict} the {BOOK_GOAL_SECONDS:.0f} s goal)")
        verdict = "within" if goal <= GOAL_SECONDS else "OVER"
        print(f"  {'chapters 1-6':32s} {goal:6.1f} s  ({verdict} the {GOAL_SECONDS:.0f} s goal)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
