"""How fast does each explorer redraw after a slider move?

For every explorer we move one slider through a sweep of values, the way a reader drags it, and
time from setting the slider's ``value`` to the redrawn figure:

* ``draw``: recompute with the cell + redraw the Agg canvas (blitting: the unchanging parts are
  a cached pixel buffer, only the changing artists are drawn);
* ``draw+png``: the same plus encoding the PNG that goes into the ``ipywidgets.Image`` (what a
  reader waits for in the notebook, apart from the browser showing the image);
* ``full``: a redraw of the whole figure without the cached buffer (what happens when an axis
  range changes, e.g. the sequence length in chapter 1).

Each number is the median over the sweep, in milliseconds, as wall-clock time and as CPU time of
this process (CPU time is less disturbed by other programs on a busy machine). The goal is one
frame at 60 Hz: 16.7 ms.

Run::

    /work/venv/bin/python benchmarks/bench_explorers.py [--repeats 40] [--size laptop]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

os.environ.pop("LSTM_BOOK_STATIC", None)

from lstm.explorers import (  # noqa: E402  (after making sure the explorers are live)
    DependencyExplorer,
    DiagramExplorer,
    Explorer,
    GradientFlowExplorer,
    MemoryExplorer,
    SequenceExplorer,
    StepExplorer,
    VariantExplorer,
)

GOAL_MILLISECONDS = 1000.0 / 60.0

#: (label, how to build the explorer, the slider that is dragged)
CASES: list[tuple[str, Callable[[str], Explorer], str]] = [
    ("memory (ch1)", MemoryExplorer, "forget_bias"),
    ("diagram (ch2)", DiagramExplorer, "x"),
    ("step forget (ch3)", lambda size: StepExplorer("forget", size), "bias"),
    ("step input (ch4)", lambda size: StepExplorer("input", size), "x"),
    ("step candidate (ch4)", lambda size: StepExplorer("candidate", size), "weight_x"),
    ("step output (ch5)", lambda size: StepExplorer("output", size), "c_prev"),
    ("sequence (ch6)", lambda size: SequenceExplorer(size=size), "input_bias"),
    ("gradient flow (ch7)", GradientFlowExplorer, "forget_bias"),
    ("dependency chain (ch8)", DependencyExplorer, "length"),
    ("variants (ch9)", VariantExplorer, "keep_bias"),
]


def sweep(control, repeats: int) -> list:
    """Values a reader passes through when dragging ``control`` from one end to the other."""
    low, high, step = control.min, control.max, control.step
    positions = [low + (high - low) * k / (repeats - 1) for k in range(repeats)]
    values = [low + round((value - low) / step) * step for value in positions]
    return [int(value) if isinstance(control.value, int) else value for value in values]


def time_moves(explorer: Explorer, name: str, values: list, *, live: bool) -> tuple[float, float]:
    """Median wall and CPU milliseconds from ``control.value = v`` to the redrawn figure."""
    control = explorer.controls[name]
    explorer.live = live
    wall, cpu = [], []
    for value in values:
        if control.value == value:
            continue
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        control.value = value  # the observer recomputes and redraws (and encodes if live)
        wall.append(time.perf_counter() - wall_start)
        cpu.append(time.process_time() - cpu_start)
    explorer.live = True
    return 1000 * statistics.median(wall), 1000 * statistics.median(cpu)


def time_full_redraws(explorer: Explorer, repeats: int) -> float:
    """Median wall milliseconds of a redraw of the whole figure (no cached background)."""
    wall = []
    for _ in range(repeats):
        explorer._background = None
        start = time.perf_counter()
        explorer.redraw_figure()
        wall.append(time.perf_counter() - start)
    return 1000 * statistics.median(wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40, help="slider positions per sweep")
    parser.add_argument("--size", choices=["laptop", "projector", "both"], default="both")
    arguments = parser.parse_args()
    sizes = ["laptop", "projector"] if arguments.size == "both" else [arguments.size]

    header = (
        f"{'explorer':<22} {'size':<9} {'slider':<12} {'draw':>7} {'draw cpu':>9} "
        f"{'draw+png':>9} {'+png cpu':>9} {'full':>7}  goal {GOAL_MILLISECONDS:.1f} ms"
    )
    print(header)
    print("-" * len(header))
    for size in sizes:
        for label, build, name in CASES:
            explorer = build(size)
            values = sweep(explorer.controls[name], arguments.repeats)
            time_moves(explorer, name, values[:5], live=True)  # warm up caches
            draw_wall, draw_cpu = time_moves(explorer, name, values, live=False)
            png_wall, png_cpu = time_moves(explorer, name, values[::-1], live=True)
            full = time_full_redraws(explorer, max(3, arguments.repeats // 8))
            verdict = "ok" if png_cpu <= GOAL_MILLISECONDS else "over"
            print(
                f"{label:<22} {size:<9} {name:<12} {draw_wall:7.1f} {draw_cpu:9.1f} "
                f"{png_wall:9.1f} {png_cpu:9.1f} {full:7.1f}  {verdict}"
            )
    print("\nTimes in ms, medians. draw = compute + Agg redraw (blitted); draw+png adds the PNG")
    print("for the ipywidgets.Image; full = whole-figure redraw (axis range changed).")
    print(f"Load average while measuring: {os.getloadavg()[0]:.2f} (cores: {os.cpu_count()})")


if __name__ == "__main__":
    main()
