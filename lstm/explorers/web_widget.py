"""The live static form of an explorer: one HTML widget computed in the browser.

:func:`live_widget` turns a live :class:`~lstm.explorers.base.Explorer` into a
:class:`LiveWidget`: a ``<figure>`` and one inline ``<script type="module">`` holding

* the explorer's controls, read from its own ipywidgets (value, min, max, step, description,
  options, tooltip, groups, defaults for Reset, scenarios, which controls apply to which input
  preset), so the page always starts where the notebook does;
* the explorer's fixed numbers (:func:`explorer_data`: noise sequences, seeded weights, the
  delayed-recall data, the cell diagram's SVG) as inline JSON;
* ``web/live-explorer.mjs`` and every module it imports, bundled inline
  (:func:`lstm.explorers.bundle.bundle`; ``file://`` pages cannot load module files).

The browser builds the controls and figures; every move recomputes with the JavaScript port
(tested equal to :mod:`lstm` in ``tests/js``) and updates the SVG in place.

Per-explorer knowledge lives in one place each: :data:`WEB_EXPLORERS` (Python side: which
renderer, what data, which numbers the figure shows) and ``RENDERERS`` in
``web/live-explorer.mjs`` (what it computes and draws).

Markdown safety: the widget displays as ``text/markdown`` only (Quarto adds require.js and
jQuery from a CDN for any ``text/html`` output). Its HTML has no blank line and no indented
line, and no visible text at all outside the script (the script writes every label), so
Pandoc and nbconvert pass it through unchanged.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm.explorers.bundle import bundle

__all__ = [
    "WEB_EXPLORERS",
    "LiveWidget",
    "WebExplorer",
    "control_label_html",
    "explorer_data",
    "has_web_form",
    "live_widget",
    "shown_numbers",
    "widget_spec",
]

_ids = itertools.count(1)

_MATH = re.compile(r"\$([^$]*)\$")
_TEX_SUBSCRIPT = re.compile(r"\b([A-Za-z])_(?:\{([^{}]+)\}|\(([^()]+)\)|([A-Za-z0-9]+)\b)")
_TAG = re.compile(r"<[^>]+>")


def control_label_html(description: str) -> str:
    """HTML of a control's label from its ipywidgets description: ``b_f (forget)`` ->
    ``b<sub>f</sub> (forget)``, ``h_{t-1}`` -> ``h<sub>t−1</sub>`` (no ``$``, no ``_``).

    Parameters
    ----------
    description : str
        The widget's ``description``: plain text, or the HTML of
        :func:`lstm.explorers.controls.description_arguments` (math in ``$…$``).

    Returns
    -------
    str
    """
    visible = re.sub(r'<span style="[^"]*position:absolute[^"]*">.*?</span>', "", description)
    text = html.unescape(_TAG.sub("", visible))
    text = _MATH.sub(lambda match: match.group(1), text)
    escaped = html.escape(text, quote=False)

    def subscript(match: re.Match) -> str:
        index = next(group for group in match.groups()[1:] if group is not None)
        return f"{match.group(1)}<sub>{index.replace('-', chr(0x2212))}</sub>"

    return _TEX_SUBSCRIPT.sub(subscript, escaped).replace("_", " ")


def _spoken(description: str) -> str:
    from lstm.explorers.controls import spoken_description

    text = html.unescape(_TAG.sub(" ", re.sub(r'<span aria-hidden="true">.*?</span>', "", description)))
    return " ".join(spoken_description(text.replace("$", "")).split())


def _plain(value: Any) -> Any:
    """Numbers and arrays as JSON-ready Python values (floats keep every bit)."""
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _control_spec(name: str, control: Any) -> dict[str, Any]:
    import ipywidgets as widgets

    description = control.description
    spec: dict[str, Any] = {
        "name": name,
        "label": control_label_html(description),
        "spoken": _spoken(description),
        "tooltip": html.unescape(_TAG.sub("", control.tooltip or "")).replace("_", " "),
    }
    if isinstance(control, widgets.Dropdown):
        spec["kind"] = "select"
        spec["options"] = [[str(label), value] for label, value in control._options_full]
    elif isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        spec.update(kind="range", min=control.min, max=control.max, step=control.step,
                    integer=isinstance(control, widgets.IntSlider))
    else:
        raise TypeError(f"control {name!r} must be a FloatSlider, IntSlider or Dropdown; got "
                        f"{type(control).__name__}")
    return spec


def widget_spec(explorer: Any) -> dict[str, Any]:
    """The controls of ``explorer`` as the browser builds them, read from its ipywidgets.

    Parameters
    ----------
    explorer : lstm.explorers.Explorer

    Returns
    -------
    dict
        ``renderer``, ``controls`` (one dict per control), ``groups`` (heading HTML, names),
        ``values`` (now), ``defaults`` (Reset), ``presetControls`` (control -> the presets
        it applies to), and ``scenarios`` / ``scenario`` if the explorer has scenarios.

    Raises
    ------
    ValueError
        If the explorer has no entry in :data:`WEB_EXPLORERS`.
    """
    web = web_explorer(explorer)
    groups = [
        [control_label_html(heading), list(names)] for heading, names in explorer._control_groups()
    ]
    spec: dict[str, Any] = {
        "renderer": web.renderer,
        "controls": [_control_spec(name, control) for name, control in explorer.controls.items()],
        "groups": groups,
        "values": _plain(explorer.values()),
        "defaults": _plain(dict(explorer.defaults)),
        "presetControls": _plain(dict(getattr(explorer, "PRESET_CONTROLS", {}))),
    }
    if hasattr(explorer, "apply_scenario"):
        scenarios = getattr(sys.modules[type(explorer).__module__], "SCENARIOS", {})
        spec["scenarios"] = _plain(scenarios)
        menu = getattr(explorer, "scenario_menu", None)
        spec["scenario"] = menu.value if menu is not None else None
    return spec


# -- per-explorer knowledge -----------------------------------------------------------------


@dataclass(frozen=True)
class WebExplorer:
    """How one explorer is shown live on a static page.

    Attributes
    ----------
    renderer : str
        Key of ``RENDERERS`` in ``web/live-explorer.mjs``.
    data : callable
        ``data(explorer) -> dict``: the fixed numbers the renderer needs (JSON-ready).
    shown : callable
        ``shown(explorer) -> dict of str to list``: the numbers the figure shows for the
        explorer's current controls, by the ``data-key`` of the element that shows them
        (what the browser tests compare with the page).
    own_random_numbers : bool
        True when the page draws its own random numbers (the training explorer's batches and
        initial weights, ``web/training.mjs``): then ``shown`` holds only what does not depend on
        them (step count, shapes) and the page's alt text equals ``describe()`` up to the seed.
    """

    renderer: str
    data: Callable[[Any], dict[str, Any]]
    shown: Callable[[Any], dict[str, Any]]
    own_random_numbers: bool = False


def _no_data(_explorer: Any) -> dict[str, Any]:
    return {}


def _memory_shown(explorer: Any) -> dict[str, Any]:
    return {
        "rnn-h": explorer.rnn_trace.h[:, 0],
        "lstm-c": explorer.lstm_trace.c[:, 0],
        "lstm-h": explorer.lstm_trace.h[:, 0],
    }


def _diagram_data(explorer: Any) -> dict[str, Any]:
    from lstm.diagram import CellDiagram, describe, static_diagram_svg

    highlights = [value for _label, value in explorer.controls["highlight"]._options_full]
    svgs = [
        re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>", "", static_diagram_svg(part).decode("utf-8")).strip()
        for part in highlights
    ]
    diagram = CellDiagram(highlight=None, size="laptop")
    figure = diagram.figure
    width, height = figure.get_size_inches() * 72.0
    scale = 72.0 / figure.dpi
    slots = {}
    for name, text in diagram.value_texts.items():
        x, y = text.get_transform().transform(text.get_position())
        slots[name] = {
            "x": round(float(x * scale), 2),
            "y": round(float(height - y * scale), 2),
            "anchor": {"left": "start", "right": "end"}.get(text.get_ha(), "middle"),
            "baseline": {"top": "hanging", "bottom": "auto"}.get(text.get_va(), "central"),
            "size": round(float(text.get_fontsize()), 2),
        }
    import matplotlib.pyplot as plt

    plt.close(figure)
    return {
        "highlights": highlights,
        "svgs": svgs,
        "descriptions": [describe(part) for part in highlights],
        "viewBox": f"0 0 {width:g} {height:g}",
        "slots": slots,
    }


def _diagram_shown(explorer: Any) -> dict[str, Any]:
    from lstm.diagram import VALUE_NAMES

    return {name: [float(getattr(explorer.step, name)[0])] for name in VALUE_NAMES}


def _step_data(explorer: Any) -> dict[str, Any]:
    label = explorer.gate_label
    return {"gate": explorer.gate, "gateLabel": label, "gateTitle": label[:1].upper() + label[1:]}


def _step_shown(explorer: Any) -> dict[str, Any]:
    from lstm.plots import GATE_ATTRIBUTES, cell_step_values

    step = explorer.step
    letter = explorer.letter
    return {
        "curve-point": [float(getattr(step, f"z_{letter}")[0]),
                        float(getattr(step, GATE_ATTRIBUTES[explorer.gate])[0])],
        "gates": [float(step.f[0]), float(step.i[0]), float(step.c_tilde[0]), float(step.o[0])],
        "cell-step": [float(value) for value in cell_step_values(step)],
    }


def _sequence_data(explorer: Any) -> dict[str, Any]:
    return {
        "steps": explorer.STEPS, "hiddenSize": explorer.HIDDEN_SIZE,
        "unitBiasOffsets": explorer.UNIT_BIAS_OFFSETS,
        "presetNoise": explorer._preset_noise, "addedNoise": explorer._added_noise,
        "recurrent": dict(explorer._recurrent),
    }


def _sequence_shown(explorer: Any) -> dict[str, Any]:
    from lstm.plots import GATE_ATTRIBUTES, GATES

    trace = explorer.trace
    shown: dict[str, Any] = {"x": explorer.xs[:, 0]}
    for unit in range(explorer.HIDDEN_SIZE):
        shown[f"c-unit-{unit + 1}"] = trace.c[:, unit]
        shown[f"h-unit-{unit + 1}"] = trace.h[:, unit]
    for gate in GATES:
        shown[gate] = getattr(trace, GATE_ATTRIBUTES[gate])
    return shown


def gradient_flow_setup() -> dict[str, Any]:
    """The data and initial weights of ``gradient_flow`` with its default arguments
    (``GradientFlowSetup`` of ``web/gradient-flow.mjs``; as ``tools/make_js_fixtures.py``)."""
    import inspect

    from lstm.cell import LSTMCell
    from lstm.gradient_flow import NUM_SYMBOLS, gradient_flow
    from lstm.rnn import RNNCell
    from lstm.tasks import delayed_recall
    from lstm.training import SequenceModel

    defaults = {name: parameter.default
                for name, parameter in inspect.signature(gradient_flow).parameters.items()}
    num_steps = defaults.get("num_steps", 61)
    hidden_size = defaults.get("hidden_size", 16)
    batch_size = defaults.get("batch_size", 16)
    noise = defaults.get("noise", 1.0)
    seed = defaults.get("seed", 0)
    symbols = NUM_SYMBOLS
    data = delayed_recall(batch_size, num_steps - 2, symbols, noise=noise, seed=seed)
    rnn = RNNCell(data.input_size, hidden_size, seed=seed)
    lstm = LSTMCell(data.input_size, hidden_size, seed=seed)
    readout = SequenceModel(rnn, symbols, seed=seed).readout
    parameters = {name: getattr(lstm, name) for name in
                  ("W_f", "W_i", "W_c", "W_o", "b_f", "b_i", "b_c", "b_o")}
    return {"xs": data.xs, "labels": data.targets, "rnn": {"W": rnn.W, "b": rnn.b},
            "lstm": parameters, "readout": {"W": readout.W, "b": readout.b}}


def _gradient_data(_explorer: Any) -> dict[str, Any]:
    return {"setup": gradient_flow_setup()}


def _gradient_shown(explorer: Any) -> dict[str, Any]:
    flow = explorer.flow
    return {"rnn-hidden": flow.rnn_hidden, "lstm-cell": flow.lstm_cell, "lstm-hidden": flow.lstm_hidden}


def _dependency_data(_explorer: Any) -> dict[str, Any]:
    from lstm.style import OKABE_ITO

    return {"attentionColour": OKABE_ITO["bluish_green"]}


def _dependency_shown(explorer: Any) -> dict[str, Any]:
    from lstm.dependencies import graph_coordinates

    shown: dict[str, Any] = {}
    for key in ("lstm", "attention"):
        xs, ys = graph_coordinates(getattr(explorer, f"{key}_dependencies"))
        shown[f"{key}-edges"] = [[None if np.isnan(v) else float(v) for v in xs],
                                 [None if np.isnan(v) else float(v) for v in ys]]
        shown[f"{key}-chain"] = [getattr(explorer, f"{key}_chain")]
    return shown


def _variants_shown(explorer: Any) -> dict[str, Any]:
    from lstm.variant_comparison import gate_lines, state_lines

    lines = {**gate_lines(explorer.result), **state_lines(explorer.result)}
    return {name.replace("_", "-"): series for name, series in lines.items()}


def _training_data(_explorer: Any) -> dict[str, Any]:
    from lstm.explorers import training

    return {"batchSize": training.BATCH_SIZE, "evalSize": training.EVAL_SIZE, "clip": training.CLIP,
            "numSymbols": training.NUM_SYMBOLS, "evalSeed": training.EVAL_SEED,
            "addingCriterion": training.make_task("adding_problem", 4).criterion,
            "lossFloor": training.LOSS_FLOOR, "gradientFloor": training.GRADIENT_FLOOR,
            "maxUnits": training.TrainingExplorer.MAX_UNITS,
            "setupControls": list(training.TrainingExplorer.SETUP_CONTROLS)}


def _training_shown(explorer: Any) -> dict[str, Any]:
    # The page trains with its own random numbers (web/training.mjs), so only the layout is
    # the kernel's: the step counter and the shapes.
    trace = explorer.scores["trace"]
    return {"steps": [explorer.run.steps], "shape": list(trace["c"].shape)}


#: How each explorer (by its ``name``; step explorers by ``"step"``) is shown on a static page.
WEB_EXPLORERS: dict[str, WebExplorer] = {
    "memory": WebExplorer("memory", _no_data, _memory_shown),
    "diagram": WebExplorer("diagram", _diagram_data, _diagram_shown),
    "step": WebExplorer("step", _step_data, _step_shown),
    "sequence": WebExplorer("sequence", _sequence_data, _sequence_shown),
    "gradient-flow": WebExplorer("gradient-flow", _gradient_data, _gradient_shown),
    "dependency-chain": WebExplorer("dependency-chain", _dependency_data, _dependency_shown),
    "variants": WebExplorer("variants", _no_data, _variants_shown),
    "training": WebExplorer("training", _training_data, _training_shown, own_random_numbers=True),
}


def web_explorer(explorer: Any) -> WebExplorer:
    """The :data:`WEB_EXPLORERS` entry of ``explorer`` (by its ``name``)."""
    name = str(explorer.name)
    key = "step" if name.startswith("step-") else name
    if key not in WEB_EXPLORERS:
        raise ValueError(f"explorer must be one of {sorted(WEB_EXPLORERS)} (by name); got {name!r}")
    return WEB_EXPLORERS[key]


def explorer_data(explorer: Any) -> dict[str, Any]:
    """The fixed numbers the browser needs for ``explorer`` (JSON-ready)."""
    return _plain(web_explorer(explorer).data(explorer))


def shown_numbers(explorer: Any) -> dict[str, Any]:
    """What the page's figure shows for the explorer's current controls, by ``data-key``."""
    return _plain(web_explorer(explorer).shown(explorer))


@dataclass
class LiveWidget:
    """A live explorer for a static page; displays as ``text/markdown`` (raw HTML) only.

    Attributes
    ----------
    html : str
        The ``<figure class="lstm-static-explorer lstm-live-explorer">`` and its script.
    element_id : str
    spec : dict
        The controls (:func:`widget_spec`).
    summary : str
        What the figure showed when built (the explorer's ``describe()``).
    """

    html: str
    element_id: str
    spec: dict[str, Any]
    summary: str

    def _repr_mimebundle_(self, **_kwargs: Any) -> dict[str, str]:
        return {"text/markdown": self.html, "text/plain": repr(self)}

    def __repr__(self) -> str:
        return (f"LiveWidget(id={self.element_id!r}, renderer={self.spec['renderer']!r}, "
                f"controls={len(self.spec['controls'])}, bytes={len(self.html)})")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")


def live_widget(explorer: Any, element_id: str | None = None) -> LiveWidget:
    """The self-contained live HTML widget of a live explorer (see the module docstring).

    Parameters
    ----------
    explorer : lstm.explorers.Explorer
        A live explorer whose controls are at the values the page should start from.
    element_id : str, optional
        Id of the ``<figure>`` (default ``lstm-<name>-<n>``).

    Returns
    -------
    LiveWidget

    Raises
    ------
    ValueError
        If the explorer has no entry in :data:`WEB_EXPLORERS`.
    """
    spec = widget_spec(explorer)
    data = explorer_data(explorer)
    element_id = element_id or f"lstm-{explorer.name}-{next(_ids)}"
    main = (
        f"const root = document.getElementById({_json(element_id)});\n"
        f"mountExplorer(root, {_json(spec)}, {_json(data)});"
    )
    script = bundle(["live-explorer"], main)
    if re.search(r"\n\s*\n", script):
        raise AssertionError("the bundled script has a blank line")
    markup = (
        f'<figure class="lstm-static-explorer lstm-live-explorer" id="{html.escape(element_id)}" '
        f'data-state="loading">\n'
        f'<script type="module">\n{script}\n</script>\n'
        f"</figure>"
    )
    return LiveWidget(html=markup, element_id=element_id, spec=spec, summary=explorer.describe())


def has_web_form(explorer: Any) -> bool:
    """True if the browser can compute ``explorer`` (it has an entry in :data:`WEB_EXPLORERS`)."""
    name = str(getattr(explorer, "name", ""))
    return ("step" if name.startswith("step-") else name) in WEB_EXPLORERS
