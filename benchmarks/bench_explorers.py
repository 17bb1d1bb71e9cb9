"""How fast does each chapter's explorer redraw when a reader moves one of its controls?

For every chapter the benchmark finds the explorers the chapter shows (the last-line calls of the
``*_explorer`` functions of ``lstm.explorers`` in its code cells, e.g. ``step_explorer("forget")``),
starts a fresh ``python3`` kernel in ``chapters/`` with ``LSTM_BOOK_STATIC=0`` (live ipywidgets, as
in Jupyter; the run goes through ``tools/make_notebooks.py``'s ``execute_notebook``, as the chapter
tests do), builds those explorers there and moves every value control of each one the way a reader
does:

* a slider is dragged from its starting value to its maximum, down to its minimum and back
  (``--positions`` values per quarter of that path, on the slider's own steps);
* a menu (the input preset, the highlighted part, a teacher scenario ...) goes through each of its
  other options and back;
* a check box or toggle is flipped and flipped back.

A control that is disabled (it does not apply to the current input, e.g. the sine's period while
the input is a pulse) cannot be moved by a reader; it is moved after choosing a menu option that
enables it. One *move* is ``control.value = v`` and lasts until its observer has recomputed with the
cell, drawn the figure on the Agg canvas (blitted, or in full when an axis range changes), encoded
the PNG and put it and the text summary into the widgets (which sends them to the front end as
comm messages). Its time is measured in the kernel, as CPU time of the kernel process
(``time.process_time``: a shared machine disturbs it far less) and as wall time. A move after which
the explorer does not redraw (a menu set back to "(choose a scenario)") is counted apart.

Goals (issue 21), per chapter over all its moves: median at most 16.7 ms (one frame at 60 Hz) and
90th percentile at most 33 ms (two frames), in CPU time.

Run::

    .venv/bin/python benchmarks/bench_explorers.py [--positions 5] [--only 06] [--controls]
    .venv/bin/python benchmarks/bench_explorers.py --only 06 --profile 25   # cProfile, this process

``--controls`` adds a line per control (median and worst move); ``--profile N`` measures in this
process instead of a kernel and prints the N most expensive functions (cumulative time).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pages_helpers import explorer_calls  # noqa: E402  (the page tests' reading of a chapter)

MEDIAN_GOAL_MS = 1000.0 / 60.0
P90_GOAL_MS = 33.0
#: Marks the line of the kernel's output that holds the measurements.
RESULT_MARK = "BENCH_EXPLORERS_RESULT "


# -- which explorers each chapter shows ---------------------------------------------------------
def load_make_notebooks():
    """``tools/make_notebooks.py`` as a module (the loader of ``benchmarks/bench_book.py``)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from bench_book import load_make_notebooks as load
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return load()


def chapter_explorers() -> list[tuple[Path, list[str], list[str]]]:
    """``(chapter, imports, calls)`` for every chapter of the book that shows an explorer: its
    explorer calls, found as the page tests find them (``explorer_calls`` of tests/pages_helpers.py),
    and the one line that imports those functions from :mod:`lstm.explorers`."""
    tools = load_make_notebooks()
    found = []
    for chapter in tools.book_chapters(ROOT):
        calls = explorer_calls(chapter)
        if calls:
            names = sorted({re.match(r"(\w+)\(", call).group(1) for call in calls})
            found.append((chapter, [f"from lstm.explorers import {', '.join(names)}"], calls))
    return found


def value_controls(widget: Any) -> list[Any]:
    """Every slider, menu, check box and toggle in the widget tree of ``widget``, in page order."""
    import ipywidgets as widgets

    kinds = (widgets.widget_float._Float, widgets.widget_int._Int,
             widgets.widget_selection._Selection, widgets.widget_bool._Bool)
    found: list[Any] = []
    seen: set[int] = set()

    def walk(node: Any) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, kinds) and not isinstance(node, widgets.widget_int._IntRange):
            found.append(node)
        for child in getattr(node, "children", ()):
            walk(child)

    walk(widget)
    return found


def _on_steps(control: Any, value: float) -> Any:
    steps = round((value - control.min) / control.step)
    snapped = min(max(control.min + steps * control.step, control.min), control.max)
    return int(round(snapped)) if isinstance(control.value, int) else round(snapped, 10)


def drag_values(control: Any, positions: int) -> list[Any]:
    """What a reader passes through: start -> maximum -> minimum -> start (or an option tour)."""
    import ipywidgets as widgets

    start = control.value
    if isinstance(control, widgets.widget_bool._Bool):
        return [not start, start]
    if isinstance(control, widgets.widget_selection._Selection):
        values = [option[1] if isinstance(option, tuple) else option for option in control.options]
        return [value for value in values if value != start] + [start]
    path = []
    for begin, end in ((start, control.max), (control.max, control.min), (control.min, start)):
        legs = positions * (2 if (begin, end) == (control.max, control.min) else 1)
        path += [_on_steps(control, begin + (end - begin) * k / legs) for k in range(1, legs + 1)]
    return [value for index, value in enumerate(path) if index == 0 or value != path[index - 1]]


def _enable(explorer: Any, control: Any, menus: list[Any]) -> bool:
    """Choose menu options until ``control`` is enabled (a reader would do the same)."""
    for menu in menus:
        for option in menu.options:
            if control.disabled:
                menu.value = option[1] if isinstance(option, tuple) else option
    return not control.disabled


def measure_explorer(explorer: Any, positions: int) -> list[dict]:
    """Move every value control of ``explorer``; one record per control with its move times.

    Each record: ``control`` (its description or name), ``cpu_ms`` and ``wall_ms`` (one entry per
    move that redrew), ``idle`` (moves after which nothing was redrawn), ``skipped`` (True if the
    control stayed disabled whatever the menus said).
    """
    import ipywidgets as widgets

    names = {id(control): name for name, control in getattr(explorer, "controls", {}).items()}
    redraws = [0]
    original_redraw = explorer.redraw_figure

    def counted_redraw() -> None:
        redraws[0] += 1
        original_redraw()

    explorer.redraw_figure = counted_redraw  # instance attribute: update() calls this one
    records = []
    try:
        controls = value_controls(explorer.widget)
        menus = [control for control in controls
                 if isinstance(control, widgets.widget_selection._Selection)]
        for control in controls:
            explorer.reset()
            record = {"control": names.get(id(control), control.description), "cpu_ms": [],
                      "wall_ms": [], "idle": 0, "skipped": False}
            records.append(record)
            if control.disabled and not _enable(explorer, control, menus):
                record["skipped"] = True
                continue
            for value in drag_values(control, positions):
                before = redraws[0]
                wall, cpu = time.perf_counter(), time.process_time()
                control.value = value  # the observer recomputes, draws, encodes and publishes
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                if redraws[0] == before:
                    record["idle"] += 1
                    continue
                record["cpu_ms"].append(1000 * cpu)
                record["wall_ms"].append(1000 * wall)
        explorer.reset()
    finally:
        del explorer.redraw_figure
    return records


def measure_calls(namespace: dict, calls: list[str], positions: int) -> list[dict]:
    """Build each explorer (``eval`` of the chapter's call) and measure it; records tagged by call."""
    results = []
    for call in calls:
        explorer = eval(call, namespace)  # noqa: S307  (the chapter's own code)
        for _ in range(3):  # warm up (first draws fill matplotlib's caches)
            explorer.reset()
            explorer.update()
        for record in measure_explorer(explorer, positions):
            results.append({"explorer": call, **record})
        explorer.close()
    return results


# -- running in a kernel and reporting ------------------------------------------------------------
def kernel_code(imports: list[str], calls: list[str], positions: int) -> str:
    """The code the kernel runs: import the chapter's explorers, measure, print one JSON line."""
    return "\n".join([
        "import json, runpy",
        *imports,
        f"_bench = runpy.run_path({str(Path(__file__).resolve())!r}, run_name='bench_explorers')",
        f"_records = _bench['measure_calls'](globals(), {calls!r}, {positions})",
        f"print({RESULT_MARK!r} + json.dumps(_records))",
    ])


def measure_chapter_in_kernel(chapter: Path, imports: list[str], calls: list[str],
                              positions: int) -> list[dict]:
    """Run the measurement in a fresh live kernel (cwd ``chapters/``) and return its records."""
    import nbformat

    tools = load_make_notebooks()
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = dict(tools.KERNELSPEC)
    notebook.cells = [nbformat.v4.new_code_cell(kernel_code(imports, calls, positions))]
    tools.execute_notebook(notebook, chapter.parent, static=False, timeout=1800)
    text = ""
    for output in notebook.cells[0].outputs:
        if output.output_type == "error":
            raise RuntimeError(f"{chapter.name}: {output.ename}: {output.evalue}")
        if output.output_type == "stream":
            text += output.text
    for line in text.splitlines():
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK):])
    raise RuntimeError(f"{chapter.name}: the kernel printed no result:\n{text}")


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile of ``values`` (linear interpolation, as ``numpy.percentile``)."""
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(times: list[float]) -> tuple[float, float, float]:
    """(median, 90th percentile, maximum) of ``times``."""
    return statistics.median(times), percentile(times, 0.9), max(times)


def report(chapter: str, records: list[dict], per_control: bool) -> tuple[list[float], bool]:
    """Print the chapter's line (and one per control if asked); return its CPU times and verdict."""
    cpu = [t for record in records for t in record["cpu_ms"]]
    wall = [t for record in records for t in record["wall_ms"]]
    controls = sum(not record["skipped"] for record in records)
    explorers = len({record["explorer"] for record in records})
    median, p90, worst = summary(cpu)
    ok = median <= MEDIAN_GOAL_MS and p90 <= P90_GOAL_MS
    print(f"{chapter:<24} {explorers:>3} {controls:>8} {len(cpu):>6} {median:8.1f} {p90:8.1f} "
          f"{worst:8.1f} {statistics.median(wall):9.1f} {percentile(wall, 0.9):8.1f}  "
          f"{'ok' if ok else 'OVER'}", flush=True)
    for record in records:
        if record["skipped"]:
            print(f"    {record['explorer']:<28} {record['control']:<20} skipped (stays disabled)")
        elif per_control and record["cpu_ms"]:
            median_c, p90_c, worst_c = summary(record["cpu_ms"])
            idle = f"  ({record['idle']} moves without a redraw)" if record["idle"] else ""
            print(f"    {record['explorer']:<28} {record['control']:<20} {len(record['cpu_ms']):>4} "
                  f"moves  median {median_c:6.1f}  p90 {p90_c:6.1f}  max {worst_c:6.1f}{idle}")
    return cpu, ok


def profile_here(imports: list[str], calls: list[str], positions: int, top: int) -> list[dict]:
    """Measure in this process under cProfile and print the ``top`` functions by cumulative time."""
    import cProfile
    import pstats

    os.environ["LSTM_BOOK_STATIC"] = "0"
    namespace: dict = {}
    exec("\n".join(imports), namespace)  # noqa: S102  (the chapter's own imports)
    profiler = cProfile.Profile()
    records = profiler.runcall(measure_calls, namespace, calls, positions)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positions", type=int, default=5,
                        help="slider values per quarter of a drag (default 5: 20 moves a slider)")
    parser.add_argument("--only", nargs="+", default=(), metavar="PREFIX",
                        help="only the chapters whose file names start so, e.g. 06")
    parser.add_argument("--controls", action="store_true", help="a line per control as well")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="measure in this process with cProfile; print the N top functions")
    arguments = parser.parse_args(argv)
    if arguments.positions < 1:
        parser.error(f"--positions must be at least 1; got {arguments.positions}")

    print(f"Moves per chapter, CPU ms of the kernel per move (wall ms too); goals: median at most "
          f"{MEDIAN_GOAL_MS:.1f} ms, p90 at most {P90_GOAL_MS:.0f} ms (CPU)")
    header = (f"{'chapter':<24} {'exp':>3} {'controls':>8} {'moves':>6} {'median':>8} {'p90':>8} "
              f"{'max':>8} {'wall med':>9} {'wall p90':>8}")
    print(header)
    print("-" * (len(header) + 6))
    every: list[float] = []
    all_ok = True
    for chapter, imports, calls in chapter_explorers():
        if arguments.only and not chapter.name.startswith(tuple(arguments.only)):
            continue
        if arguments.profile:
            records = profile_here(imports, calls, arguments.positions, arguments.profile)
        else:
            records = measure_chapter_in_kernel(chapter, imports, calls, arguments.positions)
        cpu, ok = report(chapter.stem, records, arguments.controls)
        every += cpu
        all_ok = all_ok and ok
    if every:
        median, p90, worst = summary(every)
        print(f"{'all chapters':<24} {'':>3} {'':>8} {len(every):>6} {median:8.1f} {p90:8.1f} "
              f"{worst:8.1f}")
    print(f"\nCPU cores: {len(os.sched_getaffinity(0))}; load average while measuring: "
          f"{os.getloadavg()[0]:.2f}. {'Every chapter within its goals.' if all_ok else 'Over a goal.'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
