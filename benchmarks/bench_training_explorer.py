"""Benchmark of chapter 7's training explorer: training steps per second, with redraws.

Usage::

    python benchmarks/bench_training_explorer.py [--seconds 6] [--units 8] [--length 20]

Two measurements at H = ``--units`` units, sequence length T = ``--length`` (delayed recall) and
batch 16 (the explorer's ``BATCH_SIZE``):

* **page**: the explorer's live web widget (``lstm.explorers.web_widget.live_widget``, the
  HTML the site carries) in Debian's Chromium; Play for ``--seconds`` seconds, then the
  widget's own tick log (``renderer.training.ticks``: steps, training ms and drawing ms of each
  tick, from ``performance.now()``): training steps per second, and the median and largest
  time between two redraws. Goal: at least 30 steps a second, a redraw at least every 100 ms.
* **kernel**: :class:`lstm.explorers.TrainingExplorer` driven as the Play widget drives it
  (``playing`` on, ``value`` raised once per tick): CPU and wall seconds of each tick (its
  ``STEPS_PER_TICK`` training steps, the redraw and the PNG for the image widget). A tick
  starts every ``TICK_INTERVAL`` ms or when the previous one is done, whichever is later, so
  the steps a second are ``STEPS_PER_TICK / max(interval, tick time)``. Goal: at least 10.

Nothing is asserted; the machine may be shared, so compare figures from one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pages_helpers import CHROMIUM, CHROMIUM_ARGS, SIZES  # noqa: E402


def page_figures(seconds: float, units: int, length: int) -> dict[str, float]:
    """Play the web widget for ``seconds`` in Chromium and read its tick log."""
    from playwright.sync_api import sync_playwright

    from lstm.explorers.training import TrainingExplorer
    from lstm.explorers.web_widget import live_widget

    os.environ.pop("LSTM_BOOK_STATIC", None)
    explorer = TrainingExplorer()
    explorer.set_values(units=units, length=length)
    widget = live_widget(explorer)
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "training.html"
        page_file.write_text(f"<!doctype html><html><body>{widget.html}</body></html>", encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_context(**SIZES["laptop"]).new_page()
            page.goto(page_file.as_uri(), wait_until="load")
            element = f"#{widget.element_id}"
            page.wait_for_function("(id) => document.getElementById(id).dataset.state === 'ready'",
                                   arg=widget.element_id, timeout=20000)
            page.click(f"{element} button.lstm-play")
            time.sleep(seconds)
            page.click(f"{element} button.lstm-pause")
            log = page.evaluate(
                "(id) => { const t = document.getElementById(id).lstmWidget.renderer.training;"
                " return {ticks: t.ticks, state: t.state()}; }", widget.element_id)
            browser.close()
    ticks = log["ticks"][1:]          # the first tick starts from a click, not from a redraw
    steps = sum(tick["steps"] for tick in ticks)
    span_ms = ticks[-1]["at"] - log["ticks"][0]["at"]
    times = [tick["at"] for tick in log["ticks"]]
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    return {
        "steps per second": 1000.0 * steps / span_ms,
        "ticks": len(ticks),
        "median ms between redraws": statistics.median(gaps),
        "largest ms between redraws": max(gaps),
        "median ms drawing": statistics.median(tick["drawMs"] for tick in ticks),
        "steps trained": log["state"]["steps"],
        "shape": f"H = {log['state']['settings']['units']}, T = {log['state']['settings']['length']}",
    }


def kernel_figures(ticks: int, units: int, length: int) -> dict[str, float]:
    """Drive the kernel explorer through ``ticks`` Play ticks and time each."""
    from lstm.explorers.training import TrainingExplorer

    os.environ.pop("LSTM_BOOK_STATIC", None)
    explorer = TrainingExplorer()
    explorer.set_values(units=units, length=length)
    explorer.play.playing = True
    explorer.play.value += 1                       # warm-up tick (first full draw)
    cpu, wall = [], []
    for _ in range(ticks):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        explorer.play.value += 1
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    explorer.play.playing = False
    per_tick = explorer.STEPS_PER_TICK
    interval = explorer.TICK_INTERVAL / 1000.0
    median_wall = statistics.median(wall)
    return {
        "steps per tick": per_tick,
        "tick interval ms": explorer.TICK_INTERVAL,
        "median CPU ms per tick": 1000.0 * statistics.median(cpu),
        "median wall ms per tick": 1000.0 * median_wall,
        "largest wall ms per tick": 1000.0 * max(wall),
        "steps per second the kernel sustains": per_tick / median_wall,
        "steps per second while playing": per_tick / max(interval, median_wall),
        "steps trained": explorer.run.steps,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="seconds of Play in the page")
    parser.add_argument("--ticks", type=int, default=20, help="Play ticks in the kernel")
    parser.add_argument("--units", type=int, default=8)
    parser.add_argument("--length", type=int, default=20)
    args = parser.parse_args(argv)
    print(f"Training explorer, delayed recall, H = {args.units}, T = {args.length}, batch 16")
    print("page (Chromium; goal >= 30 steps/s, a redraw at least every 100 ms):")
    for name, value in page_figures(args.seconds, args.units, args.length).items():
        print(f"  {name}: {value:.1f}" if isinstance(value, float) else f"  {name}: {value}")
    print("kernel (goal >= 10 steps/s with redraws):")
    for name, value in kernel_figures(args.ticks, args.units, args.length).items():
        print(f"  {name}: {value:.1f}" if isinstance(value, float) else f"  {name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
