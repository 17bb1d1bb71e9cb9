"""How fast does the browser-side explorer redraw after a control move? (issue 13: <= 16 ms)

Opens the live demo of chapter 6's sequence explorer (``web/demo/sequence-explorer.html``) in
Debian's Chromium, served from the checkout by Playwright (no server, no network), and moves
the forget-bias slider ``--moves`` times (default 50) the way a reader drags it: set the value,
fire ``input``. The page times each redraw with ``performance.now()``:

* ``redraw``: recompute the 40-step, 3-unit run with ``web/explorer-math.mjs`` and update the
  SVG attributes in place (what the page's own timer reports);
* ``redraw+layout``: the same plus forcing style and layout (``getBoundingClientRect``), so
  the browser's own work before painting is included.

For scale it also times, in this process, what ``lstm`` does for the same move
(``SequenceExplorer._compute``: the Python run only, no drawing), in Chromium the numbers of
the gradient-flow explorer (``gradientFlow``, no drawing), and, in node, the JavaScript
numbers of the two heavier explorers (``sequenceExplorer`` and the gradient-flow explorer's
``gradientFlow``: 61 steps × 16 sequences × 16 units, both cells, forward and backward; both
sliders change at every call, so neither cell's result is reused).

Medians in milliseconds. The machine may be shared: the ratios measured in one run are more
telling than the absolute times.

Run::

    /work/main/.venv/bin/python benchmarks/bench_web.py [--moves 50]
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import shutil
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORIGIN = "http://lstm-book.test"
GOAL_MILLISECONDS = 16.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

MOVES_SCRIPT = """async (moves) => {
    const slider = document.getElementById("control-forgetBias");
    const redraw = [];
    const withLayout = [];
    for (let k = 0; k < moves; k += 1) {
        const before = window.lstmDemo.redrawTimes.length;
        slider.value = String(-4 + (8 * k) / moves);
        const start = performance.now();
        slider.dispatchEvent(new Event("input", { bubbles: true }));
        document.getElementById("cell-plot").getBoundingClientRect();
        withLayout.push(performance.now() - start);
        redraw.push(window.lstmDemo.redrawTimes[before]);
        await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    return { redraw, withLayout };
}"""

GRADIENT_FLOW_SCRIPT = """async (count) => {
    const { gradientFlow } = await import("/web/gradient-flow.mjs");
    const { setup } = await (await fetch("/tests/js/fixtures/gradient-flow.json")).json();
    for (let k = 0; k < 5; k += 1) gradientFlow(setup, { forgetBias: k / 10, recurrentScale: 1 + k / 20 });
    const times = [];
    for (let k = 0; k < count; k += 1) {
        const start = performance.now();
        gradientFlow(setup, { forgetBias: k / 10, recurrentScale: 1 + k / 20 });
        times.push(performance.now() - start);
    }
    return times;
}"""

NODE_SCRIPT = """
import { readFileSync } from "node:fs";
import { SEQUENCE_DEFAULTS, sequenceExplorer } from "./web/explorer-math.mjs";
import { gradientFlow } from "./web/gradient-flow.mjs";
const data = JSON.parse(readFileSync("web/demo/sequence-explorer-data.json"));
const { setup } = JSON.parse(readFileSync("tests/js/fixtures/gradient-flow.json"));
const median = (times) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
const time = (fn, count) => {
  for (let k = 0; k < 5; k += 1) fn(k);                                   // warm up the JIT
  const wall = [];
  const cpu = [];
  for (let k = 0; k < count; k += 1) {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    fn(k);
    wall.push(performance.now() - start);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
};
console.log(JSON.stringify({
  sequence: time((k) => sequenceExplorer({ ...SEQUENCE_DEFAULTS, forgetBias: -4 + k / 10 }, data), 50),
  gradientFlow: time((k) => gradientFlow(setup, { forgetBias: k / 10, recurrentScale: 1 + k / 20 }), 20),
}));
"""


def browser_times(moves: int) -> dict[str, list[float]]:
    """Redraw times measured in the page for ``moves`` slider moves."""
    from playwright.sync_api import sync_playwright

    def handle(route):
        relative = route.request.url.removeprefix(f"{ORIGIN}/").split("?")[0]
        path = (ROOT / relative).resolve()
        allowed = (ROOT / "web", ROOT / "tests" / "js" / "fixtures")
        if path.is_file() and any(path.is_relative_to(folder) for folder in allowed):
            kind = "text/javascript" if path.suffix == ".mjs" else mimetypes.guess_type(path.name)[0]
            route.fulfill(status=200, body=path.read_bytes(), content_type=kind or "text/plain")
        else:
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.route("**/*", handle)
        page.goto(f"{ORIGIN}/web/demo/sequence-explorer.html", wait_until="load")
        page.wait_for_function("window.lstmDemo && window.lstmDemo.redrawTimes !== undefined")
        page.evaluate(MOVES_SCRIPT, 10)   # warm up the JIT
        times = page.evaluate(MOVES_SCRIPT, moves)
        times["gradientFlow"] = page.evaluate(GRADIENT_FLOW_SCRIPT, 20)
        browser.close()
    return times


def python_compute_times(moves: int) -> list[float]:
    """``SequenceExplorer._compute`` (the Python run, no drawing) for the same slider values."""
    from lstm.explorers import SequenceExplorer

    explorer = SequenceExplorer()
    explorer.live = False
    times = []
    for k in range(moves):
        explorer.controls["forget_bias"].value = round(-4 + 8 * k / moves, 1)
        start = time.perf_counter()
        explorer._compute()
        times.append(1000 * (time.perf_counter() - start))
    explorer.close()
    return times


def python_gradient_flow_times(count: int = 10) -> list[float]:
    """``gradient_flow`` (what the Python gradient-flow explorer computes per move)."""
    from lstm.gradient_flow import gradient_flow

    times = []
    for k in range(count):
        start = time.perf_counter()
        gradient_flow(forget_bias=k / 10, recurrent_scale=1.0 + k / 20)
        times.append(1000 * (time.perf_counter() - start))
    return times


def main() -> None:
    """Measure and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=50)
    moves = parser.parse_args().moves
    page = browser_times(moves)
    redraw = statistics.median(page["redraw"])
    with_layout = statistics.median(page["withLayout"])
    python = statistics.median(python_compute_times(moves))
    gradient_flow = statistics.median(page["gradientFlow"])
    print(f"sequence explorer in Chromium, median of {moves} forget-bias moves:")
    print(f"  redraw (compute + update SVG)   {redraw:7.2f} ms   goal <= {GOAL_MILLISECONDS:g} ms: "
          f"{'met' if redraw <= GOAL_MILLISECONDS else 'NOT met'}")
    print(f"  redraw + style and layout       {with_layout:7.2f} ms")
    print(f"  lstm (Python) run alone         {python:7.2f} ms   "
          f"(JS redraw / Python run: {redraw / python:.2f})")
    python_flow = statistics.median(python_gradient_flow_times())
    print(f"gradient-flow explorer's numbers (no drawing), median of {len(page['gradientFlow'])}:")
    print(f"  in Chromium                     {gradient_flow:7.2f} ms")
    print(f"  lstm (Python) gradient_flow     {python_flow:7.2f} ms   "
          f"(JS / Python: {gradient_flow / python_flow:.2f})")
    node = shutil.which("node")
    if node:
        # one thread (the garbage collector too), so that CPU time is this computation's own
        result = subprocess.run([node, "--single-threaded", "--input-type=module", "-e", NODE_SCRIPT],
                                cwd=ROOT, capture_output=True, text=True, check=True)
        numbers = json.loads(result.stdout)
        print("in node (numbers only, no drawing), wall and CPU time:")
        labels = {"sequence": "sequenceExplorer", "gradientFlow": "gradientFlow (both cells, BPTT)"}
        for name, label in labels.items():
            print(f"  {label:31s} {numbers[name]['wall']:7.2f} ms wall  {numbers[name]['cpu']:7.2f} ms CPU")
    print("(medians; the machine may be shared with other jobs)")


if __name__ == "__main__":
    main()
