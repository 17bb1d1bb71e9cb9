"""Benchmark of the static website: build time, page weight and time until a page is interactive.

Usage::

    python benchmarks/bench_pages.py [--out _build/bench-pages] [--warm-only] [--runs 3]

Prints

* how long the translator of Quarto markdown takes for the whole book: preparing every page
  (``qmd_to_notebook``) and generating every notebook (``make_notebooks.expected_notebooks``);
* the build time of the whole book from scratch (every chapter executed) and again with every
  executed notebook cached (what a second test session pays);
* for each page: its weight (bytes of the HTML plus every local file the browser actually loads,
  fonts and MathJax included), how many files it loads, and, in Debian's Chromium over ``file://``,
  the time from navigation start to the load event, to MathJax finishing, and until the first
  static explorer has answered a slider move (median of ``--runs`` loads).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pages_helpers import CHROMIUM, CHROMIUM_ARGS, SIZES  # noqa: E402


def load_build_pages():
    """Import ``tools/build_pages.py``."""
    spec = importlib.util.spec_from_file_location("build_pages", ROOT / "tools" / "build_pages.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_pages"] = module
    spec.loader.exec_module(module)
    return module


def time_translation(build_pages) -> None:
    """Print how long translating the book's Quarto markdown takes, for pages and notebooks."""
    spec = importlib.util.spec_from_file_location("make_notebooks",
                                                  ROOT / "tools" / "make_notebooks.py")
    make_notebooks = importlib.util.module_from_spec(spec)
    sys.modules["make_notebooks"] = make_notebooks
    spec.loader.exec_module(make_notebooks)
    start = time.perf_counter()
    pages = [build_pages.Chapter(source, build_pages.chapter_number(source))
             for source in build_pages.read_book_order(ROOT)]
    refs = build_pages.qm.CrossReferences(
        bibliography=build_pages.qm.read_bibliography(ROOT / "references.bib"))
    for chapter in pages:
        refs.scan(chapter.page, build_pages.qmd_to_notebook(chapter, None)[0].cells)
    for chapter in pages:
        build_pages.qmd_to_notebook(chapter, refs)
    pages_seconds = time.perf_counter() - start
    start = time.perf_counter()
    notebooks = make_notebooks.expected_notebooks(ROOT)
    notebooks_seconds = time.perf_counter() - start
    print(f"translate {len(pages)} pages (two passes):               {pages_seconds:7.2f} s")
    print(f"generate {len(notebooks)} notebooks:                        "
          f"{notebooks_seconds:7.2f} s")


def measure_page(browser, page_file: Path) -> dict[str, float]:
    """Load one page in a fresh context and time it; returns times in ms and bytes loaded."""
    context = browser.new_context(**SIZES["laptop"])
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    start = time.perf_counter()
    page.goto(page_file.as_uri(), wait_until="load")
    load_ms = page.evaluate(
        "() => performance.getEntriesByType('navigation')[0].loadEventEnd")
    page.wait_for_function(
        """() => {
            if (!window.MathJax || !window.MathJax.Hub) { return true; }
            if (window.__benchTypeset === undefined) {
                window.__benchTypeset = false;
                MathJax.Hub.Queue(function () { window.__benchTypeset = performance.now(); });
            }
            return window.__benchTypeset;
        }""",
        timeout=60000,
    )
    typeset_ms = page.evaluate("() => window.__benchTypeset || performance.now()")
    explorers = page.locator("figure.lstm-static-explorer")
    interactive_ms = float("nan")
    if explorers.count():
        # what the first explorer shows: a scrubber's frame, or a live widget's numbers
        shown = """() => { const f = document.querySelector('figure.lstm-static-explorer');
            const image = f.querySelector('img.lstm-frame');
            if (image) { return image.src; }
            if (f.dataset.state !== 'ready') { return null; }
            return Array.from(f.querySelectorAll('[data-numbers]'))
                .map(e => e.getAttribute('data-numbers')).join('|'); }"""
        page.wait_for_function(shown)
        slider = explorers.first.locator("input[type=range]:not([disabled])").first
        before = page.evaluate(shown)
        low, high = slider.get_attribute("min"), slider.get_attribute("max")
        slider.fill(low if slider.input_value() != low else high)
        page.wait_for_function(f"(before) => {{ const now = ({shown})(); "
                               "return now !== null && now !== before; }", arg=before)
        interactive_ms = (time.perf_counter() - start) * 1000
    else:
        interactive_ms = max(typeset_ms, load_ms)
    local_files = {unquote(urlparse(url).path) for url in requested if url.startswith("file://")}
    weight = sum(Path(path).stat().st_size for path in local_files if Path(path).is_file())
    context.close()
    return {"load_ms": load_ms, "typeset_ms": typeset_ms, "interactive_ms": interactive_ms,
            "bytes": weight, "files": len(local_files)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=None, help="build folder (default: a temporary folder)")
    parser.add_argument("--warm-only", action="store_true",
                        help="skip the from-scratch build (reuse the cache in --out)")
    parser.add_argument("--runs", type=int, default=3, help="page loads per page (median)")
    arguments = parser.parse_args(argv)
    build_pages = load_build_pages()
    out = (Path(arguments.out) if arguments.out
           else Path(tempfile.mkdtemp(prefix="bench-pages-"))).resolve()

    time_translation(build_pages)
    if not arguments.warm_only:
        cold = build_pages.build_pages(out, force=True, verbose=False)
        print(f"cold build (every chapter executed, 2 at a time): {cold.seconds:7.1f} s")
        for page in cold.pages:
            print(f"    executing {page.source:<36} {page.execute_seconds:6.1f} s")
    warm = build_pages.build_pages(out, verbose=False)
    print(f"warm build (executed notebooks cached):            {warm.seconds:7.1f} s")
    if warm.errors:
        print("build problems:", *warm.errors, sep="\n  ")

    from playwright.sync_api import sync_playwright

    print(f"\n{'page':<34} {'weight':>9} {'files':>6} {'load':>8} {'MathJax':>8} "
          f"{'interactive':>12}")
    largest = (0, "")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        for report in warm.pages:
            page_file = out / report.html
            if not page_file.exists():
                continue
            runs = [measure_page(browser, page_file) for _ in range(max(1, arguments.runs))]
            median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            largest = max(largest, (median["bytes"], report.html))
            print(f"{report.html:<34} {median['bytes'] / 1e6:7.2f} MB {median['files']:6.0f} "
                  f"{median['load_ms']:6.0f} ms {median['typeset_ms']:6.0f} ms "
                  f"{median['interactive_ms']:9.0f} ms")
        browser.close()
    print(f"\nlargest page: {largest[1]} ({largest[0] / 1e6:.2f} MB; limit 5 MB)")
    print("load = navigation start to load event; MathJax = until typesetting finished;")
    print("interactive = navigation start until the first explorer showed a new figure after a "
          "slider move (pages without explorers: until load and typesetting are done)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
