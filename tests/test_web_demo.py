"""The live demo page of chapter 6's sequence explorer (``web/demo/``) in Chromium.

The page computes the cell in the browser (``web/explorer-math.mjs``) and draws SVG plots
(``web/svg-plot.mjs``). ES modules do not load from ``file://``, so Playwright serves the
checkout's ``web/`` folder under a made-up origin from disk (``page.route``): no server, no
network; any other request is refused and reported.

Checked: the numbers on the SVG (``data-y`` of each line, ``data-value`` of each heat-map cell)
equal :class:`lstm.explorers.SequenceExplorer`'s at the defaults, after moving sliders with the
keyboard and at random settings, and the heat-map colours are matplotlib's;
every control changes the figure (the ones that do not apply to the chosen input are
disabled); the alt text follows the figure; no console error. Redraw times are printed by
``benchmarks/bench_web.py``, not asserted here.
"""

from __future__ import annotations

import json
import mimetypes
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
ORIGIN = "http://lstm-book.test"
DEMO_URL = f"{ORIGIN}/web/demo/sequence-explorer.html"


def python_name(name: str) -> str:
    """``forgetBias`` -> ``forget_bias`` (the Python explorer's control names)."""
    return re.sub(r"([A-Z])", r"_\1", name).lower()


def serve_web_folder(page: Any, refused: list[str]) -> None:
    """Answer requests for ``ORIGIN/web/...`` from the checkout; refuse (and record) all others."""

    def handle(route: Any) -> None:
        url = route.request.url
        relative = url.removeprefix(f"{ORIGIN}/").split("?")[0]
        path = (ROOT / relative).resolve()
        if url.startswith(f"{ORIGIN}/web/") and path.is_file() and path.is_relative_to(ROOT / "web"):
            content_type = "text/javascript" if path.suffix == ".mjs" else mimetypes.guess_type(path.name)[0]
            route.fulfill(status=200, body=path.read_bytes(), content_type=content_type or "text/plain")
        else:
            refused.append(url)
            route.abort()

    page.route("**/*", handle)


@pytest.fixture()
def demo(browser):
    """The demo page, loaded and drawn, with its console errors and refused requests."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    refused: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    serve_web_folder(page, refused)
    page.goto(DEMO_URL, wait_until="load")
    page.wait_for_function("window.lstmDemo && window.lstmDemo.redrawTimes !== undefined", timeout=30000)
    yield page, errors, refused
    page.close()


GATES = ("forget", "input", "candidate", "output")
GATE_FIELDS = {"forget": "f", "input": "i", "candidate": "c_tilde", "output": "o"}


def drawn(page: Any) -> dict[str, Any]:
    """The numbers, colours and alt text of the three line plots and four heat maps."""
    return page.evaluate("""() => {
        const described = (svg) => ({
            label: svg.getAttribute("aria-label"), role: svg.getAttribute("role"),
            title: svg.querySelector("title").textContent,
        });
        const plots = Object.fromEntries(["input", "cell", "hidden"].map((name) => {
            const svg = document.getElementById(`${name}-plot`);
            return [name, {
                lines: [...svg.querySelectorAll("path.line")].map((path) => JSON.parse(path.dataset.y)),
                d: [...svg.querySelectorAll("path.line")].map((path) => path.getAttribute("d")),
                ...described(svg),
            }];
        }));
        const heatmaps = Object.fromEntries(["forget", "input", "candidate", "output"].map((gate) => {
            const svg = document.getElementById(`${gate}-heatmap`);
            const cells = [...svg.querySelectorAll("g.cells rect")];
            return [gate, {
                values: cells.map((cell) => Number(cell.dataset.value)),
                fills: cells.map((cell) => cell.getAttribute("fill")),
                ...described(svg),
            }];
        }));
        return { ...plots, heatmaps };
    }""")


def expected(controls: dict[str, Any]) -> dict[str, np.ndarray]:
    """What ``SequenceExplorer`` computes for the page's controls (camelCase names)."""
    from lstm.explorers import SequenceExplorer

    explorer = SequenceExplorer()
    explorer.live = False
    try:
        explorer.set_values(**{python_name(name): value for name, value in controls.items()})
        values = {"input": explorer.xs.T.copy(), "cell": explorer.trace.c.T.copy(),
                  "hidden": explorer.trace.h.T.copy()}
        for gate in GATES:   # heat-map cells in the page's order: step by step, units within
            values[f"{gate} heat map"] = getattr(explorer.trace, GATE_FIELDS[gate]).reshape(-1).copy()
        return values
    finally:
        explorer.close()


def matplotlib_colours(gate: str, values: np.ndarray) -> list[str]:
    """The colours ``lstm.plots.plot_gate_heatmaps`` gives these values of this gate."""
    import matplotlib as mpl

    from lstm.style import GATE_COLOURMAP, SIGNED_COLOURMAP

    signed = gate == "candidate"
    colour_map = mpl.colormaps[SIGNED_COLOURMAP if signed else GATE_COLOURMAP]
    norm = mpl.colors.Normalize(-1.0 if signed else 0.0, 1.0)
    return [mpl.colors.to_hex(colour) for colour in colour_map(norm(values))]


def assert_shows_lstm(page: Any) -> None:
    """The page's lines and heat maps equal ``lstm``'s run for its current controls (to 1e-12;
    heat-map colours exactly matplotlib's)."""
    controls = page.evaluate("window.lstmDemo.values()")
    shown = drawn(page)
    computed = expected(controls)
    for name in ("input", "cell", "hidden"):
        np.testing.assert_allclose(np.array(shown[name]["lines"]), computed[name], rtol=1e-12, atol=1e-12,
                                   err_msg=f"{name} plot, controls {controls}")
    for gate in GATES:
        heatmap = shown["heatmaps"][gate]
        values = computed[f"{gate} heat map"]
        np.testing.assert_allclose(np.array(heatmap["values"]), values, rtol=1e-12, atol=1e-12,
                                   err_msg=f"{gate} heat map, controls {controls}")
        assert heatmap["fills"] == matplotlib_colours(gate, values), f"{gate} heat-map colours"


def test_defaults_equal_lstm(demo):
    page, errors, refused = demo
    assert_shows_lstm(page)
    shown = drawn(page)
    for name, figure in [*((name, shown[name]) for name in ("input", "cell", "hidden")),
                         *shown["heatmaps"].items()]:
        assert figure["role"] == "img"
        assert figure["title"]
        assert figure["label"], f"{name} figure has no alt text"
    assert errors == [] and refused == []


def test_keyboard_moves_a_slider_and_the_plots_follow(demo):
    page, errors, refused = demo
    before = drawn(page)
    slider = page.locator("#control-forgetBias")
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("window.lstmDemo.values().forgetBias") == pytest.approx(2.5)
    after = drawn(page)
    assert after["cell"]["d"] != before["cell"]["d"]
    assert after["cell"]["label"] != before["cell"]["label"]
    assert "forget bias 2.5" in after["cell"]["label"]
    assert slider.get_attribute("aria-valuetext") == "forget bias = 2.50"
    assert_shows_lstm(page)
    assert errors == [] and refused == []


def test_random_settings_equal_lstm(demo):
    """Three random settings of every control (set as a user would: fill + input event)."""
    page, errors, _ = demo
    ranges = page.evaluate("""async () => {
        const module = await import("../explorer-math.mjs");
        return module.SEQUENCE_CONTROL_RANGES;
    }""")
    rng = np.random.default_rng(6)
    for preset in ("sine", "noise", "step"):
        page.select_option("#control-preset", preset)
        for name, (low, high, step, _whole) in ranges.items():
            if page.locator(f"#control-{name}").is_disabled():
                continue
            value = low + step * int(rng.integers(0, round((high - low) / step) + 1))
            page.locator(f"#control-{name}").fill(f"{value:.10g}")
        assert_shows_lstm(page)
    assert errors == []


def test_every_control_changes_the_figure(demo):
    """No dead control: each enabled control moves a line; onset and period only when they apply."""
    page, _, _ = demo
    page.select_option("#control-preset", "pulse")
    assert page.locator("#control-period").is_disabled()
    assert not page.locator("#control-onset").is_disabled()
    names = page.evaluate("Object.keys(window.lstmDemo.values())")
    for preset in ("pulse", "sine"):
        page.select_option("#control-preset", preset)
        page.locator("#control-noise").fill("0.3")
        page.locator("#control-recurrentScale").fill("1")
        for gate in ("forget", "input", "candidate", "output"):
            page.locator(f"#control-{gate}Scale").fill("1")
        for name in names:
            control = page.locator(f"#control-{name}")
            if name == "preset" or control.is_disabled():
                continue
            before = json.dumps(drawn(page))
            current = float(control.input_value())
            low, high = float(control.get_attribute("min")), float(control.get_attribute("max"))
            control.fill(f"{high if current - low < (high - low) / 2 else low:.10g}")
            assert json.dumps(drawn(page)) != before, f"{name} did not change the figure ({preset} input)"
    assert page.locator("#control-period").is_enabled()


def test_scenario_and_reset(demo):
    page, _, _ = demo
    page.select_option("#scenario", "remember forever")
    assert page.evaluate("window.lstmDemo.values().forgetBias") == 8
    assert "keeps the pulse" in page.locator("#scenario-text").text_content()
    assert_shows_lstm(page)
    page.get_by_role("button", name="Reset").click()
    assert page.evaluate("window.lstmDemo.values().forgetBias") == 2
    assert page.locator("#scenario").input_value() == ""
    assert_shows_lstm(page)


def test_no_accessibility_violations(demo):
    """axe-core finds no serious or critical problem; every control has a label."""
    from pages_helpers import axe_violations  # tests/ is on sys.path (no __init__.py)

    page, _, refused = demo
    unlabelled = page.evaluate("""() => [...document.querySelectorAll("input, select, button")]
        .filter((element) => !(element.labels && element.labels.length) && !element.textContent.trim())
        .map((element) => element.id || element.outerHTML)""")
    assert unlabelled == []
    assert axe_violations(page) == []
    assert refused == []
