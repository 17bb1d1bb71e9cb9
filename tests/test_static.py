"""Tests of the static (no kernel) form of the explorers.

Every explorer with a browser port (lstm/explorers/web_widget.py) becomes a live widget: one
``text/markdown`` output with its controls read from the ipywidgets, its data and the bundled
``web/`` modules inline (what it computes is tested in Chromium by tests/test_live_pages.py).
Every explorer of the book has a port now; the PNG scrubber (``png_scrubber``), kept for an
explorer without one, is tested on a step explorer: its HTML must follow the contract in
lstm/explorers/static.py, be self-contained and small, and every frame must be exactly what the
explorer draws.
"""

from __future__ import annotations

import base64
import io
import json
import re
from html.parser import HTMLParser

import numpy as np
import pytest
from PIL import Image

from lstm.cell import LSTMCell
from lstm.explorers import (
    DiagramExplorer,
    MemoryExplorer,
    SequenceExplorer,
    StepExplorer,
    diagram_explorer,
    memory_explorer,
    sequence_explorer,
    step_explorer,
)
from lstm.explorers.static import (
    FOCUS_OUTLINE,
    FRAME_COUNT,
    PARAMETER_NAMES,
    STYLES,
    StaticExplorer,
    caption_html,
    data_url,
    encode_frame,
    format_value,
    frame_values,
    parameter_name,
    png_scrubber,
    render_frame,
    static_mode,
)

MEGABYTE = 1_000_000


class ElementCollector(HTMLParser):
    """Collects start tags (name, attributes) and the text of <script>, <output>, <figcaption>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, list[str]] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        key = tag if tag != "script" else f"script.{attributes.get('type', 'js')}"
        self._open.append(key)
        self.texts.setdefault(key, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open:
            self.texts[self._open[-1]][-1] += data

    def first(self, tag: str) -> dict[str, str | None]:
        return next(attributes for name, attributes in self.tags if name == tag)


def parse(markup: str) -> ElementCollector:
    collector = ElementCollector()
    collector.feed(markup)
    return collector


def png_from_data_url(url: str) -> bytes:
    prefix = "data:image/png;base64,"
    assert url.startswith(prefix)
    return base64.b64decode(url[len(prefix) :])


TEX_MARKS = ("_", "{", "}", "\\", "$")


def assert_readable_text(static: StaticExplorer) -> None:
    """Label, output, aria-valuetext and caption hold no TeX (a screen reader speaks them)."""
    document = parse(static.html)
    slider = document.first("input")
    spoken = [document.texts["label"][0], document.texts["output"][0], slider["aria-valuetext"],
              *static.labels]
    for text in spoken:
        assert text.strip() and not any(mark in text for mark in TEX_MARKS), text
    for text in spoken[1:]:  # "name = value": the value has a true minus sign, not a hyphen
        assert " = " in text and "-" not in text.split(" = ")[-1], text
    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", static.html, re.DOTALL).group(1)
    assert caption.strip()
    assert not any(mark in caption for mark in TEX_MARKS), caption
    # the caption is the figure's last element (HTML allows a figcaption first or last only)
    assert re.search(r"</figcaption>\s*</figure>\s*$", static.html)


@pytest.fixture(scope="module")
def step_scrubber() -> tuple[StaticExplorer, StepExplorer]:
    """What chapter 3's ``step_explorer("forget")`` returns on a static page, and a live twin."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LSTM_BOOK_STATIC", "1")
        static = png_scrubber(StepExplorer("forget"))
    return static, StepExplorer("forget")


# ---------------------------------------------------------------------------------------------
# Switching between live and static
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "expected"), [("1", True), ("0", False), ("", False),
                                                 ("yes", False), (None, False)])
def test_static_mode_follows_the_environment(monkeypatch, value, expected) -> None:
    if value is None:
        monkeypatch.delenv("LSTM_BOOK_STATIC", raising=False)
    else:
        monkeypatch.setenv("LSTM_BOOK_STATIC", value)
    assert static_mode() is expected


def test_bad_arguments_are_still_rejected_in_static_mode(monkeypatch) -> None:
    monkeypatch.setenv("LSTM_BOOK_STATIC", "1")
    with pytest.raises(ValueError, match="gate must be one of"):
        step_explorer("hidden")
    with pytest.raises(ValueError, match="scenario must be None or one of"):
        sequence_explorer("forget everything")
    with pytest.raises(ValueError, match="size must be one of"):
        memory_explorer(size="cinema")


# ---------------------------------------------------------------------------------------------
# The HTML contract
# ---------------------------------------------------------------------------------------------
def test_scrubber_html_follows_the_contract(step_scrubber) -> None:
    static, explorer = step_scrubber
    document = parse(static.html)
    figure = document.first("figure")
    assert figure["class"] == "lstm-static-explorer"
    element_id = figure["id"]
    assert element_id == static.element_id and element_id
    image = document.first("img")
    assert image["class"] == "lstm-frame"
    assert image["src"].startswith("data:image/png;base64,")
    assert image["alt"]
    assert document.texts["figcaption"][0].strip()
    label = document.first("label")
    assert label["for"] == f"{element_id}-slider"
    assert document.texts["label"][0] == "Forget-gate bias"  # readable, not the TeX b_f
    slider = document.first("input")
    frames = json.loads(document.texts["script.application/json"][0])
    count = len(frames["frames"])
    assert slider == {
        "id": f"{element_id}-slider", "type": "range", "min": "0", "max": str(count - 1),
        "step": "1", "value": str(static.initial_index),
        "aria-valuetext": frames["labels"][static.initial_index],
        "style": STYLES["slider"],
    }
    output = document.first("output")
    assert output["for"] == f"{element_id}-slider"
    assert document.texts["output"][0] == frames["labels"][static.initial_index]
    assert set(frames) == {"parameter", "values", "labels", "alts", "frames"}
    assert frames["parameter"] == "b_f"
    assert 15 <= count <= 25
    assert len(frames["values"]) == len(frames["labels"]) == len(frames["alts"]) == count
    assert frames["labels"] == [
        "forget-gate bias = " + f"{value:.2f}".replace("-", "\u2212") for value in frames["values"]
    ]
    assert all(alt.strip() for alt in frames["alts"])
    assert image["src"] == frames["frames"][static.initial_index]
    assert image["alt"] == frames["alts"][static.initial_index]
    # the initial frame is the explorer's starting value (chapter 3's b_f = -1)
    assert frames["values"][static.initial_index] == -1.0
    # the inline script: present, small, no external code
    script = document.texts["script.js"][0]
    assert "addEventListener(\"input\"" in script and "aria-valuetext" in script
    assert [attributes.get("src") for name, attributes in document.tags if name == "script"] == [
        None, None
    ]


def test_scrubber_is_self_contained(step_scrubber) -> None:
    static, _explorer = step_scrubber
    lowered = static.html.lower()
    assert "http" not in lowered  # not even by chance inside the base64 frames
    markup = re.sub(r"data:image/png;base64,[a-z0-9+/=]+", "data:", lowered)
    assert markup.count("data:") == len(static.frames) + 1
    for external in ("<link", "@import", "src=\"/", "src='", "cdn", "font-awesome", "fa-", "//"):
        assert external not in markup, external
    assert len(static.html) < MEGABYTE


def test_alt_texts_describe_each_frames_numbers(step_scrubber) -> None:
    static, _explorer = step_scrubber
    assert len(set(static.alts)) == len(static.alts)
    for value, alt in zip(static.values, static.alts, strict=True):
        assert f"b_f = {value:.2f}".replace("-", "−") in alt


def test_frames_cover_the_slider_from_end_to_end(step_scrubber) -> None:
    static, explorer = step_scrubber
    control = explorer.controls["bias"]
    assert static.values[0] == control.min and static.values[-1] == control.max
    assert static.values == sorted(static.values)
    for value in static.values:
        steps_from_min = (value - control.min) / control.step
        assert steps_from_min == pytest.approx(round(steps_from_min))


# ---------------------------------------------------------------------------------------------
# Each frame is what the cell computes for its value
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("index", [0, 7, -1])
def test_frame_k_equals_the_explorers_own_rendering_for_its_value(step_scrubber, index) -> None:
    static, _explorer = step_scrubber
    value = static.values[index]
    fresh = StepExplorer("forget")
    fresh.controls["bias"].value = value  # what a reader does with the live slider
    assert encode_frame(fresh) == static.frames[index]
    assert png_from_data_url(json.loads(
        parse(static.html).texts["script.application/json"][0])["frames"][index]
    ) == static.frames[index]
    # and the explorer drew what the cell computes for that bias
    cell = LSTMCell.from_arrays(   # chapter 3's worked example, with the scrubbed bias
        W_f=[[0.5, 2.0]], b_f=[value], W_i=[[0.0, 1.0]], b_i=[0.0],
        W_c=[[1.0, -1.5]], b_c=[0.5], W_o=[[0.0, 1.0]], b_o=[1.0],
    )
    step = cell.step([1.0], h_prev=[0.2], c_prev=[0.8])
    assert fresh.curve.point.get_ydata()[0] == step.f[0]
    assert fresh.cell_step.bars[3].get_height() == step.c[0]


def test_render_frame_sets_the_control_and_returns_a_png_of_the_figure() -> None:
    explorer = MemoryExplorer()
    png = render_frame(explorer, 6.5)
    assert explorer.controls["forget_bias"].value == 6.5
    picture = Image.open(io.BytesIO(png))
    assert picture.size == explorer.figure.canvas.get_width_height(physical=True)
    drawn = np.asarray(picture.convert("RGB")).astype(int)
    canvas = np.asarray(explorer.figure.canvas.buffer_rgba())[..., :3].astype(int)
    # palette quantisation changes colours only slightly
    assert np.abs(drawn - canvas).mean() < 2.0
    xs = np.zeros((20, 1))
    xs[0] = 1.0
    lstm = LSTMCell.from_arrays(
        W_f=[[0.0, 0.0]], b_f=[6.5], W_i=[[0.0, 0.0]], b_i=[6.0],
        W_c=[[0.0, 1.0]], b_c=[0.0], W_o=[[0.0, 0.0]], b_o=[6.0],
    )
    np.testing.assert_array_equal(explorer.artists.lstm_cell_line.get_ydata(), lstm.run(xs).c[:, 0])


def test_scrubber_over_another_parameter_and_frame_count() -> None:
    explorer = SequenceExplorer("leaky memory")
    static = png_scrubber(explorer, "candidate_scale", count=5, element_id="my-scrubber")
    assert static.element_id == "my-scrubber"
    assert static.values[0] == -16.0 and static.values[-1] == 16.0
    assert static.labels[0] == "candidate scale = \u221216.00"
    # the explorer is left at its starting value
    assert explorer.controls["candidate_scale"].value == 2.0
    np.testing.assert_array_equal(
        explorer.heatmaps.images["candidate"].get_array()[0], explorer.trace.c_tilde[:, 0]
    )


def test_frame_values_reject_bad_arguments() -> None:
    explorer = DiagramExplorer()
    with pytest.raises(ValueError, match=r"parameter must be one of the sliders .*; got 'highlight'"):
        frame_values(explorer, "highlight")
    with pytest.raises(ValueError, match="count must be at least 3; got 2"):
        frame_values(explorer, "x", count=2)
    values = frame_values(explorer, "x", count=FRAME_COUNT)
    assert values[0] == -3.0 and values[-1] == 3.0 and 1.0 in values


def test_data_url_round_trip() -> None:
    assert png_from_data_url(data_url(b"\x89PNG...")) == b"\x89PNG..."


# ---------------------------------------------------------------------------------------------
# Readable text and inline styles
# ---------------------------------------------------------------------------------------------
def test_format_value_uses_a_true_minus_sign() -> None:
    assert format_value(1.5) == "1.50"
    assert format_value(-0.25) == "\u22120.25"
    assert format_value(-3) == "\u22123"
    assert format_value(12) == "12"
    assert format_value(0.0) == "0.00"


def test_caption_html_writes_subscripts_and_escapes() -> None:
    assert caption_html("the input x_t and h_{t-1}") == "the input x<sub>t</sub> and h<sub>t\u22121</sub>"
    assert caption_html("c_(t-1) -> c_t, bias b_f = -3") == (
        "c<sub>t\u22121</sub> -&gt; c<sub>t</sub>, bias b<sub>f</sub> = \u22123"
    )
    # names of controls, ranges and words with hyphens stay as they are
    assert caption_html("candidate_scale from 1-2, forget-gate") == (
        "candidate_scale from 1-2, forget-gate"
    )
    assert caption_html("<b> & 'quotes'") == "&lt;b&gt; &amp; &#x27;quotes&#x27;"


@pytest.mark.parametrize(("gate", "expected"), [
    ("forget", "forget-gate bias"), ("input", "input-gate bias"),
    ("candidate", "candidate bias"), ("output", "output-gate bias"),
])
def test_step_explorers_name_their_bias_in_words(gate, expected) -> None:
    explorer = StepExplorer(gate)
    try:
        assert parameter_name(explorer, "bias") == expected
        # other controls: the shared table, or the control name in words
        assert parameter_name(explorer, "x") == "input x\u209c"
        assert parameter_name(explorer, "weight_x") == "weight x"
    finally:
        explorer.close()


def test_parameter_names_hold_no_tex() -> None:
    for name in PARAMETER_NAMES.values():
        assert name.strip() and not any(mark in name for mark in TEX_MARKS), name


def test_scrubber_carries_its_own_inline_styles(step_scrubber) -> None:
    static, _explorer = step_scrubber
    document = parse(static.html)
    assert "<style" not in static.html and "<link" not in static.html
    assert document.first("figure")["style"] == STYLES["figure"]
    image_style = document.first("img")["style"]
    assert "max-width:100%" in image_style and "height:auto" in image_style
    slider_style = document.first("input")["style"]
    assert "width:min(100%, 480px)" in slider_style
    assert "font-size:16px" in document.first("div")["style"]
    assert FOCUS_OUTLINE in static.html  # the inline script draws it on focus
    order = [name for name, _attributes in document.tags if name in ("img", "div", "figcaption")]
    assert order == ["img", "div", "figcaption"]  # controls under the picture, caption last


@pytest.mark.parametrize("width", [1200, 400])
def test_scrubber_layout_in_chromium_without_any_stylesheet(step_scrubber, tmp_path, width,
                                                            browser) -> None:
    """On a bare page (no stylesheet at all, as on a foreign site): the slider is 480 px wide
    or the page's width, the picture fits the page, the controls sit under it, the focused
    slider has a visible outline, and the arrow keys step the frames."""
    static, _explorer = step_scrubber
    page_file = tmp_path / "bare.html"
    page_file.write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>bare</title></head>"
        f"<body>{static.html}</body></html>", encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_file.as_uri(), wait_until="load")
    slider = page.locator("input[type=range]")
    slider.focus()
    page.keyboard.press("ArrowRight")
    state = page.evaluate("""() => {
        const box = e => e.getBoundingClientRect();
        const slider = document.querySelector("input[type=range]");
        const image = document.querySelector("img.lstm-frame");
        const style = getComputedStyle(slider);
        return {slider: box(slider).width, sliderTop: box(slider).top,
                image: box(image).width, imageBottom: box(image).bottom,
                page: document.documentElement.clientWidth,
                outline: [style.outlineStyle, style.outlineWidth],
                fontSize: getComputedStyle(document.querySelector("output")).fontSize,
                output: document.querySelector("output").textContent,
                value: Number(slider.value)};
    }""")
    page.close()
    assert errors == []
    body_width = state["page"] - 16  # the browser's default 8 px body margins
    assert state["slider"] == pytest.approx(min(480, body_width - 2 * 0.3 * 16), abs=1.0)
    assert state["image"] <= body_width + 0.5
    assert state["sliderTop"] >= state["imageBottom"]
    assert state["outline"] == ["solid", "3px"]
    assert state["fontSize"] == "16px"
    assert state["value"] == static.initial_index + 1
    assert state["output"] == static.labels[static.initial_index + 1]


# ---------------------------------------------------------------------------------------------
# The live widgets (every explorer with a browser port)
# ---------------------------------------------------------------------------------------------
def _live_explorers() -> list:
    from lstm.explorers import DependencyExplorer, GradientFlowExplorer, VariantExplorer

    return [MemoryExplorer(), DiagramExplorer(), StepExplorer("input"), SequenceExplorer(),
            GradientFlowExplorer(), DependencyExplorer(), VariantExplorer()]


@pytest.fixture(scope="module")
def live_widgets() -> list:
    from lstm.explorers.web_widget import live_widget

    return [(live_widget(explorer), explorer) for explorer in _live_explorers()]


def test_explorer_functions_return_live_widgets_in_static_mode(monkeypatch) -> None:
    from ipywidgets.widgets.widget import _instances as open_widgets  # the live registry

    from lstm.explorers.web_widget import LiveWidget

    monkeypatch.setenv("LSTM_BOOK_STATIC", "1")
    widgets_before = set(open_widgets)
    results = [memory_explorer(), diagram_explorer(), step_explorer("output"), sequence_explorer()]
    # the explorers' widgets are closed once the HTML is made: no state left behind
    assert set(open_widgets) - widgets_before == set()
    for result in results:
        assert isinstance(result, LiveWidget)
        bundle = result._repr_mimebundle_()
        # text/markdown only: a text/html output makes Quarto load require.js and jQuery
        assert set(bundle) == {"text/markdown", "text/plain"}
        assert bundle["text/markdown"] == result.html
    ids = [result.element_id for result in results]
    assert len(set(ids)) == len(ids)


def test_experiment_explorers_get_live_widgets_too(monkeypatch) -> None:
    from lstm.explorers import dependency_explorer, gradient_flow_explorer, variant_explorer
    from lstm.explorers.web_widget import LiveWidget

    monkeypatch.setenv("LSTM_BOOK_STATIC", "1")
    assert isinstance(gradient_flow_explorer(), LiveWidget)
    assert isinstance(dependency_explorer(), LiveWidget)
    variants = variant_explorer()  # chapter 10: no PNG frames any more
    assert isinstance(variants, LiveWidget)
    assert variants.spec["renderer"] == "variants"
    assert [control["name"] for control in variants.spec["controls"]] == ["keep_bias", "second_pulse"]
    assert set(variants._repr_mimebundle_()) == {"text/markdown", "text/plain"}
    assert not re.search(r"\n\s*\n|\n {4}", variants.html)
    assert "data:image/png" not in variants.html and "lstm-frames" not in variants.html


def test_variant_widget_shows_the_lines_of_the_comparison() -> None:
    """The numbers the page marks are the comparison's gate and state lines, by data-key."""
    from lstm.explorers import VariantExplorer
    from lstm.explorers.web_widget import shown_numbers
    from lstm.variant_comparison import gate_lines, state_lines

    explorer = VariantExplorer()
    explorer.set_values(keep_bias=-1.5, second_pulse=0.85)
    shown = shown_numbers(explorer)
    assert sorted(shown) == ["gru-h", "gru-write", "gru-z", "lstm-c", "lstm-f", "lstm-h", "lstm-i"]
    lines = {**gate_lines(explorer.result), **state_lines(explorer.result)}
    for name, series in lines.items():
        assert shown[name.replace("_", "-")] == series.tolist()
    assert shown["lstm-f"][0] == pytest.approx(1 / (1 + np.exp(1.5)))


def test_live_widget_html_survives_markdown(live_widgets) -> None:
    """No blank line, no line indented 4 spaces, and no visible text outside the script (the
    script writes every label), so Pandoc and nbconvert's markdown pass it through."""
    for widget, _explorer in live_widgets:
        markup = widget.html
        assert not re.search(r"\n\s*\n", markup), widget.element_id
        assert not re.search(r"^ {4}", markup, re.MULTILINE), widget.element_id
        outside = re.sub(r"<script type=\"module\">.*?</script>", "", markup, flags=re.DOTALL)
        assert re.sub(r"<[^>]+>", "", outside).strip() == ""
        assert markup.count("<script") == 1 and markup.count("</script") == 1
        assert markup.startswith(f'<figure class="lstm-static-explorer lstm-live-explorer" '
                                 f'id="{widget.element_id}"')


def test_live_widget_is_self_contained_and_light(live_widgets) -> None:
    for widget, _explorer in live_widgets:
        assert not re.search(r"\b(src|href)\s*=\s*\\?[\"'](?!#)", widget.html), widget.element_id
        assert "import " not in widget.html.split("\n", 2)[2][:200]
        assert not re.search(r"^\s*(import|export)\b", widget.html, re.MULTILINE)
        assert not re.search(r"\bfetch\(|XMLHttpRequest|import\(", widget.html)
        assert len(widget.html) < 500_000, (widget.element_id, len(widget.html))


def test_controls_are_read_from_the_ipywidgets(live_widgets) -> None:
    import ipywidgets as ipw

    for widget, explorer in live_widgets:
        spec = widget.spec
        assert [control["name"] for control in spec["controls"]] == list(explorer.controls)
        assert spec["values"] == explorer.values() and spec["defaults"] == explorer.defaults
        for control in spec["controls"]:
            live = explorer.controls[control["name"]]
            if isinstance(live, ipw.Dropdown):
                assert control["kind"] == "select"
                assert [value for _label, value in control["options"]] == [
                    value for _label, value in live._options_full]
            else:
                assert (control["min"], control["max"], control["step"]) == (
                    live.min, live.max, live.step)
                assert control["integer"] is isinstance(live, ipw.IntSlider)
            for text in (control["label"], control["spoken"], control["tooltip"]):
                assert "$" not in text and "_" not in text, text
        grouped = [name for _heading, names in spec["groups"] for name in names]
        assert sorted(grouped) == sorted(explorer.controls)


def test_a_changed_default_reaches_the_page() -> None:
    """Introspection: the page starts where the notebook does, whatever the defaults."""
    from lstm.explorers.web_widget import live_widget

    explorer = MemoryExplorer()
    explorer.set_values(forget_bias=1.5, steps=12)
    explorer.defaults = explorer.values()
    spec = live_widget(explorer).spec
    assert spec["values"]["forget_bias"] == 1.5 and spec["defaults"]["steps"] == 12


def test_sequence_widget_carries_the_scenarios_and_which_controls_apply() -> None:
    from lstm.explorers import SCENARIOS
    from lstm.explorers.web_widget import live_widget

    explorer = SequenceExplorer("leaky memory")
    spec = live_widget(explorer).spec
    assert spec["scenarios"] == json.loads(json.dumps(SCENARIOS))
    assert spec["scenario"] == "leaky memory"
    assert spec["values"] == explorer.values() != spec["defaults"]
    assert spec["presetControls"] == {"onset": ["step", "pulse"], "period": ["sine"]}


def test_control_labels_write_symbols_as_subscripts() -> None:
    from lstm.explorers.controls import description_arguments
    from lstm.explorers.web_widget import control_label_html

    assert control_label_html("b_f (forget)") == "b<sub>f</sub> (forget)"
    markup = description_arguments("W_f on h_{t-1}")["description"]
    assert control_label_html(markup) == "W<sub>f</sub> on h<sub>t\u22121</sub>"
    assert control_label_html("length T") == "length T"


def test_bundle_is_deterministic_and_in_dependency_order() -> None:
    from lstm.explorers.bundle import bundle, module_imports

    first = bundle(["live-explorer"])
    assert first == bundle(["live-explorer"])
    order = re.findall(r"^const (__web_\w+) = \(\(\) => \{", first, re.MULTILINE)
    names = [name.removeprefix("__web_").replace("_", "-") for name in order]
    for position, module in enumerate(names):
        assert set(module_imports(module)) <= set(names[:position]), module
    assert names[-1] == "live-explorer" and "checks" in names
    assert not re.search(r"\n\s*\n|^\s", first, re.MULTILINE)


def test_bundle_runs_in_node(tmp_path) -> None:
    import shutil
    import subprocess

    from lstm.explorers.bundle import bundle

    node = shutil.which("node")
    assert node, "node is needed (Debian package nodejs)"
    script = tmp_path / "bundle.mjs"
    script.write_text(bundle(["explorer-math"], "console.log(JSON.stringify(diagramExplorer("
                             "{x: 1, hPrev: 0.2, cPrev: 0.8}).h));"), encoding="utf-8")
    shown = json.loads(subprocess.run([node, str(script)], capture_output=True, text=True,
                                      check=True).stdout)
    explorer = DiagramExplorer()
    assert abs(shown[0] - explorer.step.h[0]) < 1e-12


def test_bundle_rejects_unknown_modules() -> None:
    from lstm.explorers.bundle import bundle

    with pytest.raises(ValueError, match="module must name a file web/"):
        bundle(["no-such-module"])


def test_explorers_without_a_web_form_are_named() -> None:
    from lstm.explorers.web_widget import has_web_form, live_widget

    class Unknown:
        name = "unknown"

    assert not has_web_form(Unknown())
    with pytest.raises(ValueError, match="explorer must be one of"):
        live_widget(Unknown())
