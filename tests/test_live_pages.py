"""The live explorers on the website, in Chromium: every control works, the numbers are lstm's.

The pages are the Quarto site's, rendered once per test run and served on loopback (the fixtures
``quarto_site``, ``site_url`` and ``open_page`` of tests/site_fixtures.py). For every live
explorer on every page:

* every control changes the figure, or is disabled exactly when it does not apply (the
  sequence explorer's ``onset`` and ``period`` follow the input preset, as in the notebook);
* at three random settings the numbers the figure shows (``data-numbers`` of the drawn
  elements) equal ``lstm``'s for the same settings to 1e-9, and the alt text equals the Python
  explorer's ``describe()``;
* the keyboard reaches a slider with Tab and an arrow key changes the figure;
* chapter 10's two panels have the matplotlib figure's titles, labels, limits and palette.

The page-wide checks (no console error, no remote request, weight, alt text, axe, ...) are in
tests/test_quarto_site.py and tests/test_site_pages.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from pages_helpers import PAGE_IDS, SOURCE_BY_ID, explorer_calls

from lstm.explorers.web_widget import shown_numbers, web_explorer

TOLERANCE = 1e-9


def live_explorer(call: str) -> Any:
    """The live Python explorer a chapter's call makes (``LSTM_BOOK_STATIC`` unset)."""
    import lstm.explorers as explorers

    namespace = {name: getattr(explorers, name) for name in dir(explorers) if name.endswith("_explorer")}
    return eval(call, {"__builtins__": {}}, namespace)


LIVE_PAGE_IDS = [page_id for page_id in PAGE_IDS if explorer_calls(SOURCE_BY_ID[page_id])]


def live_widgets(page: Any) -> list[dict[str, Any]]:
    """Id and spec of each live widget on the page (the spec is the JSON the script mounts)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("figure.lstm-live-explorer")).map(f => ({
            id: f.id, values: f.lstmWidget ? f.lstmWidget.values() : null,
            state: f.dataset.state}))""")


def wait_ready(page: Any, element_id: str) -> None:
    page.wait_for_function("(id) => document.getElementById(id).dataset.state === 'ready'",
                           arg=element_id, timeout=20000)


def shown(page: Any, element_id: str) -> dict[str, Any]:
    """The numbers every marked element shows, its alt texts and the summary."""
    wait_ready(page, element_id)
    return page.evaluate(
        """(id) => {
            const root = document.getElementById(id);
            const numbers = {};
            for (const e of root.querySelectorAll("[data-key]")) {
                numbers[e.getAttribute("data-key")] = JSON.parse(e.getAttribute("data-numbers"));
            }
            const alts = Array.from(root.querySelectorAll("svg[aria-label]"))
                .map(e => e.getAttribute("aria-label"));
            return {numbers, alts,
                    summary: root.querySelector(".lstm-live-summary").textContent};
        }""", element_id)


def signature(state: dict[str, Any]) -> str:
    return json.dumps(state["numbers"], sort_keys=True) + "|".join(state["alts"])


def spec_of(explorer: Any) -> dict[str, Any]:
    from lstm.explorers.web_widget import widget_spec

    return widget_spec(explorer)


@pytest.fixture(scope="module")
def page_explorers(open_page: Callable) -> Callable[[str], list[tuple[dict, Any]]]:
    """``page_explorers(page_id) -> [(widget, live Python explorer), ...]`` for the live widgets."""
    cache: dict[str, list] = {}

    def get(page_id: str) -> list[tuple[dict, Any]]:
        if page_id not in cache:
            page, _ = open_page(page_id)
            calls = explorer_calls(SOURCE_BY_ID[page_id])
            figures = page.evaluate(
                """() => Array.from(document.querySelectorAll("figure.lstm-static-explorer"))
                    .map(f => f.classList.contains("lstm-live-explorer"))""")
            assert len(figures) == len(calls), (page_id, calls, figures)
            widgets = iter(live_widgets(page))
            pairs = []
            for call, live in zip(calls, figures, strict=True):
                if live:
                    pairs.append((next(widgets), live_explorer(call)))
            cache[page_id] = pairs
        return cache[page_id]

    return get


def assert_close(shown_numbers_: Any, expected: Any, where: str) -> None:
    left = np.array(shown_numbers_, dtype=float)
    right = np.array(expected, dtype=float)
    assert left.shape == right.shape, f"{where}: shape {left.shape} != {right.shape}"
    both_nan = np.isnan(left) & np.isnan(right)
    difference = np.where(both_nan, 0.0, np.abs(left - right))
    assert np.all(difference <= TOLERANCE), f"{where}: differs by {np.nanmax(difference):.3g}"


def assert_shows_lstms_numbers(state: dict[str, Any], explorer: Any, where: str) -> None:
    """The numbers a widget shows (``shown(...)["numbers"]``) are the Python explorer's: the same
    keys, edges exactly, every other number to :data:`TOLERANCE`."""
    expected = shown_numbers(explorer)
    assert sorted(state["numbers"]) == sorted(expected), where
    for key, numbers in expected.items():
        if key.endswith("-edges"):
            assert state["numbers"][key] == numbers, (where, key)
        else:
            assert_close(state["numbers"][key], numbers, f"{where} {key}")


@pytest.mark.parametrize("page_id", LIVE_PAGE_IDS)
def test_every_control_changes_the_figure_or_is_disabled(page_id: str, open_page: Callable,
                                                         page_explorers: Callable) -> None:
    page, recorder = open_page(page_id)
    for widget, explorer in page_explorers(page_id):
        element_id = widget["id"]
        spec = spec_of(explorer)
        presets = spec["presetControls"]
        for control in spec["controls"]:
            name = control["name"]
            locator = page.locator(f"#{element_id}-{name}")
            values = page.evaluate("(id) => document.getElementById(id).lstmWidget.values()",
                                   element_id)
            disabled = locator.is_disabled()
            if name in presets:
                assert disabled is (values["preset"] not in presets[name]), (element_id, name)
                if disabled:  # choose a preset it applies to, then it must work
                    page.select_option(f"#{element_id}-preset", label=presets[name][0])
                    assert not locator.is_disabled()
            before = signature(shown(page, element_id))
            if control["kind"] == "range":
                current = float(locator.input_value())
                target = control["min"] if current != control["min"] else control["max"]
                locator.fill(str(target))
            else:
                options = locator.evaluate("e => Array.from(e.options).map(o => o.value)")
                other = next(value for value in options if value != locator.input_value())
                locator.select_option(other)
            after = signature(shown(page, element_id))
            assert after != before, f"{element_id}: changing {name} did not change the figure"
        # Reset puts every control back and changes the figure back
        reset_state = page.evaluate("(id) => document.getElementById(id).lstmWidget.values()",
                                    element_id)
        page.locator(f"#{element_id} button.lstm-reset").click()
        values = page.evaluate("(id) => document.getElementById(id).lstmWidget.values()",
                               element_id)
        assert values == spec["defaults"], (element_id, values)
        assert values != reset_state
        if spec.get("scenarios"):
            menu = page.locator(f"#{element_id} select.lstm-scenario")
            for name, scenario in spec["scenarios"].items():
                before = signature(shown(page, element_id))
                menu.select_option(name)
                values = page.evaluate("(id) => document.getElementById(id).lstmWidget.values()",
                                       element_id)
                assert values == scenario["values"], (element_id, name)
                assert signature(shown(page, element_id)) != before, (element_id, name)
            page.locator(f"#{element_id} button.lstm-reset").click()
    assert recorder.console_errors == []


def random_settings(spec: dict[str, Any], rng: np.random.Generator) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for control in spec["controls"]:
        if control["kind"] == "select":
            settings[control["name"]] = control["options"][rng.integers(len(control["options"]))][1]
            continue
        positions = int(round((control["max"] - control["min"]) / control["step"]))
        value = control["min"] + int(rng.integers(positions + 1)) * control["step"]
        settings[control["name"]] = (int(round(value)) if control["integer"]
                                     else round(float(value), 10))
    return settings


@pytest.mark.parametrize("page_id", LIVE_PAGE_IDS)
def test_numbers_and_alt_text_equal_lstm_at_random_settings(page_id: str, open_page: Callable,
                                                            page_explorers: Callable) -> None:
    page, recorder = open_page(page_id)
    rng = np.random.default_rng(sum(page_id.encode()))
    for widget, explorer in page_explorers(page_id):
        element_id = widget["id"]
        spec = spec_of(explorer)
        for _ in range(3):
            settings = random_settings(spec, rng)
            explorer.set_values(**settings)
            page.evaluate("([id, values]) => document.getElementById(id).lstmWidget.set(values)",
                          [element_id, settings])
            state = shown(page, element_id)
            assert page.evaluate("(id) => document.getElementById(id).lstmWidget.values()",
                                 element_id) == explorer.values()
            described = explorer.describe()
            if web_explorer(explorer).own_random_numbers:
                # The training explorer's page draws its own batches and initial weights
                # (web/training.mjs; its training step is tested equal to lstm's in
                # tests/js/training.test.mjs): the step count, the shapes and the description's
                # settings are lstm's, the trained numbers are a draw of their own.
                expected = shown_numbers(explorer)
                assert state["numbers"]["steps"] == expected["steps"]
                assert state["numbers"]["shape"] == expected["shape"]
                described = described.split(" (seed")[0]
                assert state["summary"].startswith(described), (state["summary"], described)
                assert state["alts"] and all(alt.startswith(described) for alt in state["alts"])
                continue
            assert_shows_lstms_numbers(state, explorer, f"{element_id} {settings}")
            assert state["summary"] == described
            assert state["alts"] and all(alt == described for alt in state["alts"])
        page.locator(f"#{element_id} button.lstm-reset").click()
    assert recorder.console_errors == []


@pytest.mark.parametrize("page_id", LIVE_PAGE_IDS)
def test_keyboard_moves_every_widget(page_id: str, open_page: Callable,
                                     page_explorers: Callable) -> None:
    page, _ = open_page(page_id)
    for widget, _explorer in page_explorers(page_id):
        element_id = widget["id"]
        # start on the element before the widget's first control, then Tab into the widget
        page.locator(f"#{element_id} .lstm-live-controls").scroll_into_view_if_needed()
        page.evaluate("""(id) => { const root = document.getElementById(id);
            const first = root.querySelector("select, input");
            first.focus(); }""", element_id)
        for _ in range(4):
            focused = page.evaluate("() => [document.activeElement.tagName, "
                                    "document.activeElement.type, document.activeElement.id]")
            if focused[1] == "range" and not page.locator(f"#{focused[2]}").is_disabled():
                break
            page.keyboard.press("Tab")
        assert focused[1] == "range" and focused[2].startswith(element_id), focused
        slider = page.locator(f"#{focused[2]}")
        outline = slider.evaluate("e => e.style.outline")
        assert outline, "the focused slider shows no outline"
        before = (slider.input_value(), signature(shown(page, element_id)))
        key = "ArrowLeft" if slider.input_value() == slider.get_attribute("max") else "ArrowRight"
        page.keyboard.press(key)
        after = (slider.input_value(), signature(shown(page, element_id)))
        assert after[0] != before[0] and after[1] != before[1], (element_id, key)
        valuetext = slider.get_attribute("aria-valuetext")
        assert valuetext and " = " in valuetext
        page.locator(f"#{element_id} button.lstm-reset").click()


def _mathtext_as_unicode(label: str) -> str:
    """A matplotlib label as the page writes it: ``LSTM forget $f_t$`` -> ``LSTM forget fₜ``."""
    def plain(match: re.Match) -> str:
        return match.group(1).replace("_t", "\u209c").replace(" - ", " \u2212 ")

    return re.sub(r"\$([^$]*)\$", plain, label)


def _marker_name(line: Any) -> str | None:
    """A matplotlib line's marks as the SVG renderer names them (``data-marker``), or None."""
    marker = line.get_marker()
    if marker in ("None", "none", "", " ", None):
        return None
    if marker == "o" and line.get_markerfacecolor() != "none":
        return "dot"
    if marker == "s" and line.get_markerfacecolor() == "none":
        return "open-square"
    raise AssertionError(f"the SVG renderer has no mark for {marker!r} ({line.get_label()})")


def test_variant_figures_have_the_books_titles_labels_limits_and_palette(open_page: Callable) -> None:
    """Chapter 10's SVG panels show what ``draw_variant_comparison`` draws: the same titles,
    axis labels, value limits, line labels, colours, line styles (solid LSTM, dashed GRU) and
    marks (dots on the LSTM's gates, open squares on the GRU's), and the two pulses as dotted lines."""
    from matplotlib.colors import to_hex

    from lstm.explorers import VariantExplorer
    from lstm.style import OKABE_ITO

    page, recorder = open_page("10-variants")
    explorer = VariantExplorer()
    drawn = page.evaluate(
        """() => Array.from(document.querySelectorAll("figure.lstm-live-explorer svg")).map(svg => ({
            title: svg.querySelector(".plot-title").textContent,
            xLabel: svg.querySelector(".x-label").textContent,
            yLabel: svg.querySelector(".y-label").textContent,
            yLimits: JSON.parse(svg.getAttribute("data-y-limits")),
            lines: Array.from(svg.querySelectorAll("path.line")).map(p => ({
                label: p.getAttribute("data-label"), colour: p.getAttribute("stroke").toLowerCase(),
                dashed: p.hasAttribute("stroke-dasharray"), marker: p.getAttribute("data-marker")})),
            legend: Array.from(svg.querySelectorAll(".legend text")).map(t => t.textContent),
            pulses: Array.from(svg.querySelectorAll("line.pulse")).map(l => l.getAttribute("stroke")),
        }))""")
    assert len(drawn) == 2
    for panel, axes in zip(drawn, (explorer.gate_axes, explorer.state_axes), strict=True):
        assert panel["title"] == axes.get_title()
        assert panel["xLabel"] == axes.get_xlabel() and panel["yLabel"] == axes.get_ylabel()
        assert panel["yLimits"] == pytest.approx(list(axes.get_ylim()))
        expected = [{"label": _mathtext_as_unicode(line.get_label()), "colour": to_hex(line.get_color()),
                     "dashed": line.get_linestyle() == "--", "marker": _marker_name(line)}
                    for line in axes.get_lines() if not line.get_label().startswith("_")]
        assert panel["lines"] == expected
        assert panel["legend"] == [line["label"] for line in expected]
        assert [colour.lower() for colour in panel["pulses"]] == [OKABE_ITO["sky_blue"].lower()] * 2
    explorer.close()
    assert recorder.console_errors == []
