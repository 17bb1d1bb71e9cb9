"""Benchmark of the live explorers on the Quarto site: controls, weight and move times.

Usage::

    quarto render          # once: the site in _book/
    python benchmarks/bench_live_pages.py [--site _book] [--moves 50]

Serves the rendered site on 127.0.0.1 (as the site tests do) and, for each page, in Debian's
Chromium, prints

* the number of live controls (sliders, menus, scenario menus and Reset buttons of the live
  widgets) and of PNG scrubbers left;
* the page weight: its HTML, and everything the browser loads for it (KaTeX, fonts, Quarto's
  scripts and styles included);
* for each live widget, the median and the 90th percentile of ``--moves`` control moves
  (ArrowRight / ArrowLeft on each slider in turn), as measured inside the page with
  ``performance.now()`` around recomputing and updating the SVG (``lstmWidget.redrawTimes``;
  every move recomputes, except that the gradient-flow explorer keeps its plain RNN while
  only the forget bias moves), and the worst move.

Nothing is asserted (issue 13 asks for <= 16 ms per move and <= 1.5 MB per page); the machine
may be shared, so compare figures from one run.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pages_helpers import CHROMIUM, CHROMIUM_ARGS, SIZES  # noqa: E402
from site_fixtures import QuietHandler  # noqa: E402  (the site tests' loopback server)


def measure(browser, site: Path, url: str, page_file: Path, moves: int) -> dict:
    context = browser.new_context(**SIZES["laptop"])
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url + page_file.relative_to(site).as_posix(), wait_until="load")
    page.wait_for_load_state("networkidle")
    loaded = {site / unquote(urlparse(address).path).lstrip("/") for address in requested
              if address.startswith(url)}
    weight = sum(path.stat().st_size for path in loaded if path.is_file())
    controls = page.evaluate(
        """() => document.querySelectorAll('figure.lstm-live-explorer input, '
            + 'figure.lstm-live-explorer select, figure.lstm-live-explorer button').length""")
    scrubbers = page.evaluate(
        "() => document.querySelectorAll('figure.lstm-static-explorer:not(.lstm-live-explorer)').length")
    widgets = page.evaluate(
        "() => Array.from(document.querySelectorAll('figure.lstm-live-explorer')).map(f => f.id)")
    times = {}
    for widget in widgets:
        page.wait_for_function("(id) => document.getElementById(id).dataset.state === 'ready'",
                               arg=widget, timeout=20000)
        page.evaluate("(id) => { const w = document.getElementById(id).lstmWidget; "
                      "w.redrawTimes.length = 0; }", widget)
        sliders = page.locator(f"#{widget} input[type=range]:not([disabled])")
        count = sliders.count()
        for move in range(moves):
            slider = sliders.nth(move % count)
            slider.focus()
            page.keyboard.press("ArrowRight" if (move // count) % 2 == 0 else "ArrowLeft")
            page.wait_for_function("(id) => document.getElementById(id).dataset.state === 'ready'",
                                   arg=widget, timeout=20000)
        recorded = page.evaluate("(id) => document.getElementById(id).lstmWidget.redrawTimes", widget)
        ordered = sorted(recorded)
        times[widget] = (statistics.median(recorded), ordered[int(0.9 * (len(ordered) - 1))],
                         ordered[-1], len(recorded))
    context.close()
    return {"weight": weight, "controls": controls, "scrubbers": scrubbers, "times": times,
            "html": page_file.stat().st_size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_book")
    parser.add_argument("--moves", type=int, default=50)
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if not any(site.glob("chapters/*.html")):
        parser.error(f"no rendered site in {site}: run `quarto render` first")
    from playwright.sync_api import sync_playwright

    pages = sorted(site.glob("*.html")) + sorted(site.glob("chapters/*.html"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        print(f"{'page':32s} {'live controls':>13s} {'scrubbers':>9s} {'HTML MB':>8s} "
              f"{'loaded MB':>9s}  move ms (median / p90 / max, n) per widget")
        total = 0
        for page_file in pages:
            result = measure(browser, site, url, page_file, args.moves)
            total += result["controls"]
            moves = "; ".join(
                f"{name}: {median:.2f} / {p90:.2f} / {worst:.1f}, {n}"
                for name, (median, p90, worst, n) in result["times"].items())
            print(f"{page_file.stem:32s} {result['controls']:13d} {result['scrubbers']:9d} "
                  f"{result['html'] / 1e6:8.3f} {result['weight'] / 1e6:9.3f}  {moves}")
        browser.close()
    server.shutdown()
    print(f"live controls in the book: {total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
