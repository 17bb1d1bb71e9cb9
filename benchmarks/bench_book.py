"""How long does it take to run the book? Prints the time to execute each chapter in a kernel.

Each chapter listed in ``_quarto.yml`` is converted with ``tools/make_notebooks.py`` and run top
to bottom in a fresh ``python3`` kernel (cwd ``chapters/``), one after the other, the way a
Quarto render or a reader's "Run all" does. Kernel start-up is included in each chapter's time.
Besides the wall time, each line gives the CPU seconds of the chapter's kernel (user + system,
read from ``getrusage(RUSAGE_CHILDREN)`` once the kernel has exited), which a shared machine
disturbs far less.

Usage::

    python benchmarks/bench_book.py                 # live explorers (LSTM_BOOK_STATIC=0)
    python benchmarks/bench_book.py --mode static   # static scrubbers, as in a Quarto render
    python benchmarks/bench_book.py --mode both
    python benchmarks/bench_book.py --only 07 08    # only the chapters whose names start so

Goals (issue 18, with every trained conclusion run on 10 or more seeds), in kernel CPU seconds
on a quiet machine: chapters 8 and 9 at most 20 s each, chapters 6 and 7 at most 20 s together
(6 s for chapter 6, 14 s for chapter 7, where the book's first trained runs moved from chapter 6
and the character model and the training explorer joined them), every other chapter at most
5 s, the whole book at most 60 s. Each line says whether its chapter is within
its goal. Wall-clock times are printed too: on a shared machine they measure the load as much as
the book, so say whether it was quiet.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Kernel CPU seconds per chapter (by the first two characters of its file name) and for the book.
CHAPTER_GOAL_CPU_SECONDS = {"06": 6.0, "07": 14.0, "08": 20.0, "09": 20.0}
OTHER_CHAPTER_GOAL_CPU_SECONDS = 5.0
BOOK_GOAL_CPU_SECONDS = 60.0


def chapter_goal(name: str) -> float:
    """The CPU-second goal of the chapter file ``name`` (e.g. ``"08-advantages.qmd"``)."""
    return CHAPTER_GOAL_CPU_SECONDS.get(name[:2], OTHER_CHAPTER_GOAL_CPU_SECONDS)


def load_make_notebooks():
    """Import ``tools/make_notebooks.py`` (a script folder, not a package)."""
    spec = importlib.util.spec_from_file_location("make_notebooks", ROOT / "tools" / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def children_cpu_seconds() -> float:
    """User + system CPU seconds of this process's finished (waited-for) child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_chapters(static: bool, only: tuple[str, ...] = ()) -> list[tuple[str, float, float, int]]:
    """Run every chapter once (or those whose file names start with one of ``only``).

    Returns ``(chapter, wall seconds, kernel CPU seconds, number of error outputs)`` per chapter.
    """
    tools = load_make_notebooks()
    results = []
    for chapter in tools.book_chapters(ROOT):
        if only and not chapter.name.startswith(only):
            continue
        if not chapter.exists():
            print(f"  {chapter.name:32s}  missing", flush=True)
            continue
        text = chapter.read_text(encoding="utf-8")
        notebook = tools.chapter_to_notebook(text, chapter.relative_to(ROOT).as_posix())
        start, cpu_start = time.perf_counter(), children_cpu_seconds()
        tools.execute_notebook(notebook, chapter.parent, static=static)
        seconds = time.perf_counter() - start
        cpu_seconds = children_cpu_seconds() - cpu_start
        errors = sum(
            output.output_type == "error"
            for cell in notebook.cells
            if cell.cell_type == "code"
            for output in cell.outputs
        )
        flag = f"  ({errors} error outputs)" if errors else ""
        goal = chapter_goal(chapter.name)
        verdict = "within" if cpu_seconds <= goal else "OVER"
        over = f"  ({verdict} its {goal:.0f} s goal)"
        print(f"  {chapter.name:32s} {seconds:6.1f} s  (kernel CPU {cpu_seconds:5.1f} s){over}{flag}",
              flush=True)
        results.append((chapter.name, seconds, cpu_seconds, errors))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the execution of every chapter.")
    parser.add_argument("--mode", choices=("live", "static", "both"), default="live")
    parser.add_argument("--only", nargs="+", default=(), metavar="PREFIX",
                        help="run only the chapters whose file names start so, e.g. 07")
    args = parser.parse_args(argv)
    modes = ["live", "static"] if args.mode == "both" else [args.mode]
    print(f"CPU cores available: {len(os.sched_getaffinity(0))}")
    for mode in modes:
        print(f"\nmode: {mode} (LSTM_BOOK_STATIC={'1' if mode == 'static' else '0'})")
        results = time_chapters(static=(mode == "static"), only=tuple(args.only))
        total = sum(seconds for _, seconds, _, _ in results)
        total_cpu = sum(cpu for _, _, cpu, _ in results)
        if args.only:
            print(f"  {'total of these chapters':32s} {total:6.1f} s  (kernel CPU {total_cpu:5.1f} s)")
            continue
        verdict = "within" if total_cpu <= BOOK_GOAL_CPU_SECONDS else "OVER"
        print(f"  {'total':32s} {total:6.1f} s  (kernel CPU {total_cpu:5.1f} s; "
              f"{verdict} the {BOOK_GOAL_CPU_SECONDS:.0f} s goal)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
