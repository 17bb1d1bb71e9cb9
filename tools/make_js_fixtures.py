"""Write the JSON fixtures the JavaScript port is tested against, or check that they are current.

Usage::

    python tools/make_js_fixtures.py          # (re)write tests/js/fixtures/*.json and the demo's data
    python tools/make_js_fixtures.py --check  # exit 1, naming every fixture missing or out of date

Every number in the fixtures is computed by the Python package :mod:`lstm` (which is tested
equal to PyTorch): the activations on ordinary and extreme inputs, and every intermediate
value of :meth:`lstm.LSTMCell.step`, :meth:`~lstm.LSTMCell.run` and
:meth:`~lstm.LSTMCell.backward` (and of :class:`lstm.RNNCell`) for several sizes (one unit,
four units, a batch, a batch with ``lengths``) and for extreme inputs (pre-activations of
±1000 and beyond the sigmoid's underflow, inputs of ±1e300); the same for the step and run of
chapter 10's cells (:class:`lstm.gru.GRUCell`, :class:`lstm.variants.PeepholeLSTMCell`,
:class:`~lstm.variants.CoupledLSTMCell`) and its comparison (:mod:`lstm.variant_comparison`,
with the explorer's alt text). ``node --test tests/js/``
(``tests/js/*.test.mjs``) checks that ``web/*.mjs`` computes the same numbers to 1e-12.

It also writes ``web/demo/sequence-explorer-data.json``, the fixed numbers (seeded noise and
recurrent weights) that the live demo page of chapter 6's sequence explorer needs, and
``web/colour-maps.mjs``, matplotlib's look-up tables of the book's two colour maps.

Names follow the JavaScript side: the Python field names in camelCase (``h_prev`` ->
``hPrev``, ``c_tilde`` -> ``cTilde``, ``z_f`` -> ``zF``); parameter names stay ``W_f``, ``b_f``.

The bytes are deterministic: every case is seeded, the JSON is written with fixed separators
and Python's shortest round-trip float repr (which JavaScript's ``JSON.parse`` reads back to
the same float64). ``--check`` compares bytes; if they differ it compares the parsed numbers
and reports a fixture only when a number moved by more than ``CHECK_TOLERANCE`` (relative),
because a different CPU's BLAS may sum a dot product in another order and change the last bit
(which saturated units can amplify).
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from lstm.activations import (
    sigmoid,
    sigmoid_derivative_from_output,
    tanh,
    tanh_derivative_from_output,
)
from lstm.cell import LSTMCell
from lstm.plots import GATE_ATTRIBUTES, memory_kept
from lstm.rnn import RNNCell

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "js" / "fixtures"
#: The fixed numbers of the sequence explorer for the live demo page (``web/demo/``).
DEMO_DATA = ROOT / "web" / "demo" / "sequence-explorer-data.json"
#: The book's two colour maps as 256 colours each, for ``web/svg-plot.mjs``'s heat maps.
COLOUR_MAPS_MODULE = ROOT / "web" / "colour-maps.mjs"

#: Largest relative change of a number that ``--check`` still calls current. Another CPU's BLAS
#: or NumPy's SIMD tanh may change a last bit, and saturated units amplify that (the plain RNN
#: with recurrent weights × 6 in ``gradient-flow.json``: ~1e-8); any real change to what
#: ``lstm`` computes (an equation, a default, a seed) moves numbers far more.
CHECK_TOLERANCE = 1e-6

#: Names kept as they are (the article's parameter names; the GRU's and the peepholes' too).
KEPT_NAMES = frozenset(LSTMCell.PARAMETER_NAMES) | {"b_r", "b_z", "b_n", "b_hn", "p_f", "p_i", "p_o"}
_SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


def js_name(name: str) -> str:
    """A Python field or control name in camelCase (``c_tilde`` -> ``cTilde``); others unchanged."""
    if name in KEPT_NAMES or not _SNAKE_CASE.match(name):
        return name
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)


# -------------------------------------------------------------------------------- conversion
def plain(value: Any) -> Any:
    """``value`` as JSON-ready Python: arrays become nested lists, NaN becomes ``None``."""
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, dict):
        return {js_name(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    return value


def to_json_bytes(data: Any) -> bytes:
    """Deterministic JSON bytes: one top-level entry per line, compact inside."""
    lines = [
        f"{json.dumps(key)}: {json.dumps(item, separators=(',', ':'), allow_nan=False)}"
        for key, item in data.items()
    ]
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("utf-8")


def lstm_parameters(cell: LSTMCell) -> dict[str, np.ndarray]:
    """The cell's parameters by the article's names (copies)."""
    return {name: getattr(cell, name).copy() for name in LSTMCell.PARAMETER_NAMES}


def trace_dict(trace: Any) -> dict[str, Any]:
    """Every field of an LSTM or RNN trace (per-step values, states, lengths and mask)."""
    return {name: value for name, value in vars(trace).items()}


# -------------------------------------------------------------------------------- activations
def activation_fixture() -> dict[str, Any]:
    """sigmoid, tanh and their derivatives on ordinary, large and extreme inputs."""
    z = np.array([
        0.0, -0.0, 1e-300, -1e-300, 0.5, -0.5, 1.0, -1.0, 2.5, -2.5, 10.0, -10.0, 19.0, -19.0,
        36.0, -36.0, 37.5, -37.5, 300.0, -300.0, 709.0, -709.0, 740.0, -740.0, 745.0, -745.0,
        746.0, -746.0, 1000.0, -1000.0, 1e300, -1e300, 1.7976931348623157e308,
        -1.7976931348623157e308, 5e-324, -5e-324,
    ])
    s, t = sigmoid(z), tanh(z)
    return {
        "z": z, "sigmoid": s, "tanh": t,
        "sigmoidDerivativeFromOutput": sigmoid_derivative_from_output(s),
        "tanhDerivativeFromOutput": tanh_derivative_from_output(t),
    }


# -------------------------------------------------------------------------------- LSTM cases
def _lstm_case(
    cell: LSTMCell,
    xs: np.ndarray,
    rng: np.random.Generator,
    *,
    states: bool = True,
    lengths: list[int] | None = None,
    last_gradients: bool = True,
) -> dict[str, Any]:
    """One cell and sequence: a step, the run and the backward pass with every intermediate."""
    batched = xs.ndim == 3
    state_shape = (xs.shape[1], cell.hidden_size) if batched else (cell.hidden_size,)
    h0 = rng.uniform(-1.0, 1.0, state_shape) if states else None
    c0 = rng.uniform(-2.0, 2.0, state_shape) if states else None
    trace = cell.run(xs, h0=h0, c0=c0, lengths=lengths)
    dh = rng.standard_normal(trace.h.shape)
    dh_last = rng.standard_normal(trace.h_last.shape) if last_gradients else None
    dc_last = rng.standard_normal(trace.c_last.shape) if last_gradients else None
    gradients = cell.backward(trace, dh, dh_last=dh_last, dc_last=dc_last)
    step = cell.step(xs[0], h_prev=h0, c_prev=c0)
    return {
        "parameters": lstm_parameters(cell),
        "step": {"inputs": {"x": xs[0], "hPrev": h0, "cPrev": c0}, "values": step.as_dict()},
        "run": {"inputs": {"xs": xs, "h0": h0, "c0": c0, "lengths": lengths}, "trace": trace_dict(trace)},
        "backward": {"inputs": {"dh": dh, "dhLast": dh_last, "dcLast": dc_last},
                     "gradients": vars(gradients)},
    }


def lstm_fixture() -> dict[str, Any]:
    """Cases of every size and shape `LSTMCell` handles, plus extreme inputs."""
    rng = np.random.default_rng(2026)
    cases: dict[str, Any] = {}
    cases["one unit, unbatched"] = _lstm_case(LSTMCell(1, 1, seed=0), rng.standard_normal((5, 1)), rng)
    cases["one unit, zero initial states, no final gradients"] = _lstm_case(
        LSTMCell(1, 1, seed=1), rng.standard_normal((4, 1)), rng, states=False, last_gradients=False)
    cases["four units, three inputs"] = _lstm_case(LSTMCell(3, 4, seed=2), rng.standard_normal((6, 3)), rng)
    cases["four units, batch of three"] = _lstm_case(
        LSTMCell(2, 4, seed=3, forget_bias=1.0), rng.standard_normal((5, 3, 2)), rng)
    cases["three units, batch with lengths"] = _lstm_case(
        LSTMCell(2, 3, seed=4), rng.standard_normal((6, 4, 2)), rng, lengths=[6, 3, 1, 4])
    cases["one unit, batch of one with length 1 of 3"] = _lstm_case(
        LSTMCell(1, 1, seed=5), rng.standard_normal((3, 1, 1)), rng, lengths=[1])

    # Pre-activations of ±1000, ±746 (the sigmoid's exponential underflows), ±740 (subnormal).
    extreme = LSTMCell(1, 2, seed=6)
    extreme.b_f = [1000.0, -1000.0]
    extreme.b_i = [-746.0, 740.0]
    extreme.b_c = [-1000.0, 1000.0]
    extreme.b_o = [-740.0, 746.0]
    cases["pre-activations of ±1000"] = _lstm_case(extreme, rng.standard_normal((4, 1)), rng)
    # Inputs of ±1e300: every pre-activation is about ±1e300, every gate saturates exactly.
    huge_inputs = np.array([[1e300], [-1e300], [0.5], [1e300], [-3e299]])
    cases["inputs of ±1e300"] = _lstm_case(LSTMCell(1, 1, seed=7), huge_inputs, rng)
    cases["inputs of ±1e300, batch of two"] = _lstm_case(
        LSTMCell(1, 2, seed=8), np.stack([huge_inputs, -huge_inputs], axis=1), rng)
    return cases


# -------------------------------------------------------------------------------- RNN cases
def _rnn_case(
    cell: RNNCell, xs: np.ndarray, rng: np.random.Generator, *, lengths: list[int] | None = None
) -> dict[str, Any]:
    batched = xs.ndim == 3
    state_shape = (xs.shape[1], cell.hidden_size) if batched else (cell.hidden_size,)
    h0 = rng.uniform(-1.0, 1.0, state_shape)
    trace = cell.run(xs, h0=h0, lengths=lengths)
    dh = rng.standard_normal(trace.h.shape)
    dh_last = rng.standard_normal(trace.h_last.shape)
    gradients = cell.backward(trace, dh, dh_last=dh_last)
    step = cell.step(xs[0], h_prev=h0)
    return {
        "parameters": {"W": cell.W.copy(), "b": cell.b.copy()},
        "step": {"inputs": {"x": xs[0], "hPrev": h0}, "values": step.as_dict()},
        "run": {"inputs": {"xs": xs, "h0": h0, "lengths": lengths}, "trace": trace_dict(trace)},
        "backward": {"inputs": {"dh": dh, "dhLast": dh_last}, "gradients": vars(gradients)},
    }


def rnn_fixture() -> dict[str, Any]:
    """Cases for `RNNCell`: one unit, four units, a batch with lengths, inputs of ±1e300."""
    rng = np.random.default_rng(1997)
    return {
        "one unit, unbatched": _rnn_case(RNNCell(1, 1, seed=0), rng.standard_normal((6, 1)), rng),
        "four units, batch of three": _rnn_case(RNNCell(2, 4, seed=1), rng.standard_normal((5, 3, 2)), rng),
        "three units, batch with lengths": _rnn_case(
            RNNCell(2, 3, seed=2), rng.standard_normal((5, 3, 2)), rng, lengths=[5, 2, 1]),
        "inputs of ±1e300": _rnn_case(
            RNNCell(1, 2, seed=3), np.array([[1e300], [-1e300], [0.25], [2e299]]), rng),
    }


# -------------------------------------------------------------------------------- explorers
def _grid_value(rng: np.random.Generator, low: float, high: float, step: float) -> float:
    """A random value on a slider's grid ``low + k * step`` (rounded like the slider's readout)."""
    count = int(round((high - low) / step))
    return round(low + step * int(rng.integers(0, count + 1)), 10)


def _random_controls(explorer: Any, rng: np.random.Generator, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Random values for an explorer's sliders and menus (each within its control's range)."""
    import ipywidgets as widgets

    values: dict[str, Any] = {}
    for name, control in explorer.controls.items():
        if name in skip:
            continue
        if isinstance(control, widgets.Dropdown):
            options = [option[1] if isinstance(option, tuple) else option for option in control.options]
            values[name] = options[int(rng.integers(0, len(options)))]
        elif isinstance(control, widgets.IntSlider):
            values[name] = int(rng.integers(control.min, control.max + 1))
        else:
            values[name] = _grid_value(rng, control.min, control.max, control.step)
    return values


def _settings(explorer: Any, rng: np.random.Generator, count: int = 3, **kwargs: Any) -> list[dict[str, Any]]:
    """The defaults, then ``count`` random settings of an explorer's controls."""
    return [dict(explorer.defaults)] + [_random_controls(explorer, rng, **kwargs) for _ in range(count)]


def explorer_fixture() -> dict[str, Any]:
    """What each chapter explorer of :mod:`lstm.explorers` computes, at the defaults and at
    random settings: memory (chapter 1), diagram (2), step (3-5, every gate), sequence (6)."""
    from lstm.explorers import (
        DEFAULT_GATE_PARAMETERS,
        INPUT_PRESETS,
        SCENARIOS,
        DiagramExplorer,
        MemoryExplorer,
        SequenceExplorer,
        StepExplorer,
    )
    from lstm.plots import GATES, cell_step_values

    rng = np.random.default_rng(13)
    fixture: dict[str, Any] = {}

    memory = MemoryExplorer()
    memory.live = False
    cases = []
    for controls in _settings(memory, rng):
        memory.set_values(**controls)
        cases.append({"controls": controls, "expected": {
            "rnnHidden": memory.rnn_trace.h[:, 0], "lstmCell": memory.lstm_trace.c[:, 0],
            "lstmHidden": memory.lstm_trace.h[:, 0], "finalForgetGate": memory.lstm_trace.f[-1, 0],
            "rnnKept": memory_kept(memory.rnn_trace.h[:, 0]),
            "lstmKept": memory_kept(memory.lstm_trace.c[:, 0]),
        }})
    memory.close()
    fixture["memory"] = cases

    diagram = DiagramExplorer()
    diagram.live = False
    cases = []
    for controls in _settings(diagram, rng, skip=("highlight",)):
        controls.pop("highlight", None)
        diagram.set_values(**controls)
        cases.append({"controls": controls, "step": diagram.step.as_dict()})
    diagram.close()
    fixture["diagram"] = cases

    fixture["defaultGateParameters"] = DEFAULT_GATE_PARAMETERS
    fixture["step"] = {}
    for gate in GATES:
        explorer = StepExplorer(gate)
        explorer.live = False
        cases = []
        for controls in _settings(explorer, rng):
            explorer.set_values(**controls)
            letter = explorer.letter
            cases.append({"controls": controls, "expected": {
                "step": explorer.step.as_dict(), "z": getattr(explorer.step, f"z_{letter}")[0],
                "gateValue": getattr(explorer.step, GATE_ATTRIBUTES[gate])[0],
                "cellStepValues": cell_step_values(explorer.step),
            }})
        explorer.close()
        fixture["step"][gate] = cases

    sequence = SequenceExplorer()
    sequence.live = False
    fixture["sequenceData"] = sequence_explorer_data(sequence)
    fixture["sequenceDefaults"] = dict(sequence.defaults)
    fixture["inputPresets"] = list(INPUT_PRESETS)
    fixture["scenarios"] = SCENARIOS
    fixture["sequenceControlRanges"] = {
        name: [control.min, control.max, control.step, isinstance(control.value, int)]
        for name, control in sequence.controls.items() if name != "preset"
    }
    settings = _settings(sequence, rng, count=2)
    settings += [dict(scenario["values"]) for scenario in SCENARIOS.values()]
    for preset in INPUT_PRESETS:   # one random setting per input preset, with noise
        controls = _random_controls(sequence, rng)
        controls["preset"] = preset
        settings.append(controls)
    cases = []
    for controls in settings:
        sequence.set_values(**controls)
        trace = sequence.trace
        shown = {name: getattr(trace, name) for name in ("f", "i", "c_tilde", "o", "c", "h")}
        cases.append({"controls": controls, "expected": {
            "xs": sequence.xs, "trace": shown, "cellLimits": list(sequence._cell_limits()),
            "gateMeans": {gate: np.mean(getattr(trace, GATE_ATTRIBUTES[gate])) for gate in GATES},
        }})
    sequence.close()
    fixture["sequence"] = cases
    return fixture


def sequence_explorer_data(explorer: Any | None = None) -> dict[str, Any]:
    """The fixed numbers the JavaScript sequence explorer needs (``SequenceExplorerData``).

    Parameters
    ----------
    explorer : lstm.explorers.SequenceExplorer, optional
        Read from this explorer (a new one if omitted).

    Returns
    -------
    dict
        ``steps``, ``hiddenSize``, ``unitBiasOffsets``, ``presetNoise`` (T,), ``addedNoise`` (T,)
        and ``recurrent`` (gate name to its (3, 3) weights on h_{t-1}).
    """
    from lstm.explorers import SequenceExplorer

    owned = explorer is None
    explorer = SequenceExplorer() if owned else explorer
    data = {
        "steps": explorer.STEPS, "hiddenSize": explorer.HIDDEN_SIZE,
        "unitBiasOffsets": explorer.UNIT_BIAS_OFFSETS.copy(),
        "presetNoise": explorer._preset_noise.copy(), "addedNoise": explorer._added_noise.copy(),
        "recurrent": {gate: weights.copy() for gate, weights in explorer._recurrent.items()},
    }
    if owned:
        explorer.close()
    return data


def gradient_flow_setup(num_steps: int = 61, hidden_size: int = 16, batch_size: int = 16,
                        noise: float = 1.0, seed: int = 0) -> dict[str, Any]:
    """The data and initial weights of :func:`~lstm.gradient_flow.gradient_flow`
    (``GradientFlowSetup`` of ``web/gradient-flow.mjs``), with its default arguments.

    Returns
    -------
    dict
        ``xs`` (T, N, input), ``labels`` (N,), ``rnn`` (``W``, ``b``), ``lstm`` (the eight
        parameters, recurrent weights unscaled) and ``readout`` (``W`` (classes, H), ``b``).
    """
    from lstm.gradient_flow import NUM_SYMBOLS
    from lstm.tasks import delayed_recall
    from lstm.training import SequenceModel

    data = delayed_recall(batch_size, num_steps - 2, NUM_SYMBOLS, noise=noise, seed=seed)
    if data.lengths is not None:
        raise ValueError("gradient_flow_setup expects sequences of one length")
    rnn = RNNCell(data.input_size, hidden_size, seed=seed)
    lstm = LSTMCell(data.input_size, hidden_size, seed=seed)
    rnn_readout = SequenceModel(rnn, NUM_SYMBOLS, seed=seed).readout
    lstm_readout = SequenceModel(lstm, NUM_SYMBOLS, seed=seed).readout
    if not (np.array_equal(rnn_readout.W, lstm_readout.W) and np.array_equal(rnn_readout.b, lstm_readout.b)):
        raise ValueError("the RNN's and the LSTM's read-outs differ; expected one shared read-out")
    return {
        "xs": data.xs, "labels": data.targets, "rnn": {"W": rnn.W.copy(), "b": rnn.b.copy()},
        "lstm": lstm_parameters(lstm), "readout": {"W": rnn_readout.W.copy(), "b": rnn_readout.b.copy()},
    }


def gradient_flow_fixture() -> dict[str, Any]:
    """``gradient_flow`` at the explorer's default and at a few other slider settings."""
    from lstm.gradient_flow import gradient_flow

    cases = []
    for forget_bias, recurrent_scale in [(1.0, 1.0), (-2.0, 0.25), (4.5, 2.5), (6.0, 6.0), (0.0, 1.75)]:
        flow = gradient_flow(forget_bias=forget_bias, recurrent_scale=recurrent_scale)
        cases.append({
            "settings": {"forgetBias": forget_bias, "recurrentScale": recurrent_scale},
            "expected": {"distances": flow.distances, "rnnHidden": flow.rnn_hidden,
                         "lstmCell": flow.lstm_cell, "lstmHidden": flow.lstm_hidden},
        })
    return {"setup": gradient_flow_setup(), "cases": cases}


def dependency_fixture() -> dict[str, Any]:
    """The dependency explorer's graphs, chains and edge coordinates for T = 1 .. 12."""
    from lstm.dependencies import (
        attention_dependencies,
        graph_coordinates,
        longest_dependency_chain,
        recurrent_dependencies,
    )
    from lstm.explorers.dependency_chain import EXPLORER_MAX_LENGTH

    lengths = []
    for length in range(1, EXPLORER_MAX_LENGTH + 1):
        lstm_graph, attention_graph = recurrent_dependencies(length), attention_dependencies(length)
        lengths.append({
            "length": length, "lstmDependencies": lstm_graph, "attentionDependencies": attention_graph,
            "lstmChain": longest_dependency_chain(lstm_graph),
            "attentionChain": longest_dependency_chain(attention_graph),
            "lstmEdges": dict(zip(("xs", "ys"), graph_coordinates(lstm_graph), strict=True)),
            "attentionEdges": dict(zip(("xs", "ys"), graph_coordinates(attention_graph), strict=True)),
        })
    other_graphs = [
        {}, {"h1": ["x1"], "h2": ["h1", "x2"], "y": ["x1", "x2"]},
        {"a": ["b", "c"], "b": ["c"], "c": ["d"], "e": []},
    ]
    return {
        "maxLength": EXPLORER_MAX_LENGTH, "lengths": lengths,
        "chains": [{"dependencies": graph, "chain": longest_dependency_chain(graph)}
                   for graph in other_graphs],
    }


def colour_fixture() -> dict[str, Any]:
    """The colour matplotlib gives each of many values in the book's heat maps' two maps."""
    import matplotlib as mpl

    from lstm.style import GATE_COLOURMAP, SIGNED_COLOURMAP

    rng = np.random.default_rng(256)
    cases = []
    for name, limits in ((GATE_COLOURMAP, (0.0, 1.0)), (SIGNED_COLOURMAP, (-1.0, 1.0))):
        low, high = limits
        values = np.concatenate([
            [low, high, low - 0.5, high + 0.5, (low + high) / 2, low + (high - low) / 256,
             low + (high - low) * (255 / 256), np.nextafter(high, low)],
            rng.uniform(low, high, 200),
        ])
        colour_map, norm = mpl.colormaps[name], mpl.colors.Normalize(low, high)
        cases.append({"colourMap": name, "limits": list(limits), "values": values,
                      "colours": [mpl.colors.to_hex(colour_map(norm(value))) for value in values]})
    return {"cases": cases}


# -------------------------------------------------------------------------------- chapter 10
def _gru_case(cell: Any, xs: np.ndarray, rng: np.random.Generator, *,
              lengths: list[int] | None = None) -> dict[str, Any]:
    """One GRU and sequence: a step and the run, with every intermediate."""
    batched = xs.ndim == 3
    state_shape = (xs.shape[1], cell.hidden_size) if batched else (cell.hidden_size,)
    h0 = rng.uniform(-1.0, 1.0, state_shape)
    trace = cell.run(xs, h0=h0, lengths=lengths)
    step = cell.step(xs[0], h_prev=h0)
    return {
        "parameters": dict(cell.parameters),
        "step": {"inputs": {"x": xs[0], "hPrev": h0}, "values": step.as_dict()},
        "run": {"inputs": {"xs": xs, "h0": h0, "lengths": lengths}, "trace": trace_dict(trace)},
    }


def gru_fixture() -> dict[str, Any]:
    """Cases for :class:`lstm.gru.GRUCell` (PyTorch's equations): sizes, a batch with lengths,
    pre-activations of ±1000 and ±746, inputs of ±1e300."""
    from lstm.gru import GRUCell

    rng = np.random.default_rng(2014)
    cases = {
        "one unit, unbatched": _gru_case(GRUCell(1, 1, seed=0), rng.standard_normal((5, 1)), rng),
        "four units, three inputs": _gru_case(GRUCell(3, 4, seed=1), rng.standard_normal((6, 3)), rng),
        "four units, batch of three": _gru_case(GRUCell(2, 4, seed=2), rng.standard_normal((5, 3, 2)), rng),
        "three units, batch with lengths": _gru_case(
            GRUCell(2, 3, seed=3), rng.standard_normal((6, 4, 2)), rng, lengths=[6, 3, 1, 4]),
    }
    extreme = GRUCell(1, 2, seed=4)
    extreme.b_r = [1000.0, -746.0]
    extreme.b_z = [-1000.0, 746.0]
    extreme.b_n = [-1000.0, 1000.0]
    extreme.b_hn = [740.0, -740.0]
    cases["pre-activations of ±1000"] = _gru_case(extreme, rng.standard_normal((4, 1)), rng)
    huge_inputs = np.array([[1e300], [-1e300], [0.5], [1e300], [-3e299]])
    cases["inputs of ±1e300"] = _gru_case(GRUCell(1, 1, seed=5), huge_inputs, rng)
    cases["inputs of ±1e300, batch of two"] = _gru_case(
        GRUCell(1, 2, seed=6), np.stack([huge_inputs, -huge_inputs], axis=1), rng)
    return cases


def _variant_case(cell: Any, xs: np.ndarray, rng: np.random.Generator, *,
                  lengths: list[int] | None = None) -> dict[str, Any]:
    """One peephole or coupled LSTM and sequence: a step and the run, every intermediate."""
    batched = xs.ndim == 3
    state_shape = (xs.shape[1], cell.hidden_size) if batched else (cell.hidden_size,)
    h0 = rng.uniform(-1.0, 1.0, state_shape)
    c0 = rng.uniform(-2.0, 2.0, state_shape)
    trace = cell.run(xs, h0=h0, c0=c0, lengths=lengths)
    step = cell.step(xs[0], h_prev=h0, c_prev=c0)
    fields = {name: value for name, value in trace_dict(trace).items()
              if not (name == "z_i" and value is None)}          # the coupled cell has no z_i
    return {
        "parameters": dict(cell.parameters),
        "step": {"inputs": {"x": xs[0], "hPrev": h0, "cPrev": c0}, "values": step.as_dict()},
        "run": {"inputs": {"xs": xs, "h0": h0, "c0": c0, "lengths": lengths}, "trace": fields},
    }


def lstm_variants_fixture() -> dict[str, Any]:
    """Cases for :class:`lstm.variants.PeepholeLSTMCell` and :class:`~lstm.variants.CoupledLSTMCell`."""
    from lstm.variants import CoupledLSTMCell, PeepholeLSTMCell

    rng = np.random.default_rng(2000)
    huge_inputs = np.array([[1e300], [-1e300], [0.5], [1e300], [-3e299]])
    fixture: dict[str, Any] = {}
    for kind, cell_class in (("peephole", PeepholeLSTMCell), ("coupled", CoupledLSTMCell)):
        cases = {
            "one unit, unbatched": _variant_case(cell_class(1, 1, seed=0), rng.standard_normal((5, 1)), rng),
            "four units, three inputs": _variant_case(
                cell_class(3, 4, seed=1), rng.standard_normal((6, 3)), rng),
            "four units, batch of three": _variant_case(
                cell_class(2, 4, seed=2, forget_bias=1.0), rng.standard_normal((5, 3, 2)), rng),
            "three units, batch with lengths": _variant_case(
                cell_class(2, 3, seed=3), rng.standard_normal((6, 4, 2)), rng, lengths=[6, 3, 1, 4]),
        }
        extreme = cell_class(1, 2, seed=4)
        extreme.b_f = [1000.0, -746.0]
        extreme.b_c = [-1000.0, 1000.0]
        extreme.b_o = [-740.0, 746.0]
        if kind == "peephole":
            extreme.b_i = [-746.0, 740.0]
            extreme.p_f, extreme.p_i, extreme.p_o = [500.0, -500.0], [-800.0, 800.0], [900.0, -900.0]
        cases["pre-activations of ±1000"] = _variant_case(extreme, rng.standard_normal((4, 1)), rng)
        cases["inputs of ±1e300"] = _variant_case(cell_class(1, 1, seed=5), huge_inputs, rng)
        cases["inputs of ±1e300, batch of two"] = _variant_case(
            cell_class(1, 2, seed=6), np.stack([huge_inputs, -huge_inputs], axis=1), rng)
        fixture[kind] = cases
    return fixture


def variant_comparison_fixture() -> dict[str, Any]:
    """Chapter 10's comparison (:mod:`lstm.variant_comparison`) and its explorer's alt text at the
    defaults, the slider ends and random slider settings."""
    import lstm.variant_comparison as comparison
    from lstm.explorers.variants import VariantExplorer

    explorer = VariantExplorer()
    explorer.live = False
    rng = np.random.default_rng(9)
    settings = [dict(explorer.defaults), {"keep_bias": -2.0, "second_pulse": 0.0},
                {"keep_bias": 8.0, "second_pulse": 1.0}, {"keep_bias": 0.0, "second_pulse": 1.0}]
    settings += [_random_controls(explorer, rng) for _ in range(4)]
    cases = []
    for controls in settings:
        explorer.set_values(**controls)
        result = explorer.result
        lstm, coupled, gru = comparison.variant_cells(result.keep_bias)
        cases.append({
            "controls": controls,
            "cells": {"lstm": lstm_parameters(lstm), "coupled": dict(coupled.parameters),
                      "gru": dict(gru.parameters)},
            "xs": result.xs,
            "lstm": trace_dict(result.lstm),
            "coupled": {name: value for name, value in trace_dict(result.coupled).items()
                        if not (name == "z_i" and value is None)},
            "gru": trace_dict(result.gru),
            "gateLines": comparison.gate_lines(result),
            "stateLines": comparison.state_lines(result),
            "memoryBefore": result.memory_after(comparison.SECOND_PULSE),
            "memoryAfter": result.memory_after(comparison.SECOND_PULSE + 1),
            "description": explorer.describe(),
        })
    explorer.close()
    constants = {name: getattr(comparison, name) for name in (
        "STEPS", "FIRST_PULSE", "SECOND_PULSE", "WRITE_WEIGHT", "WRITE_BIAS", "CANDIDATE_WEIGHT",
        "OUTPUT_BIAS", "STATE_LIMITS")}
    return {"constants": constants, "cases": cases}


# -------------------------------------------------------------------------------- training
#: The cases of ``training.json``: (task, length T, units H, initial forget bias, learning rate, seed).
TRAINING_CASES = (
    ("delayed_recall", 6, 3, 1.0, 0.03, 0),
    ("adding_problem", 8, 4, 0.0, 0.01, 1),
    ("remember_forever", 5, 2, 2.0, 0.1, 2),
)
#: Updates per case, and sequences per batch.
TRAINING_STEPS, TRAINING_BATCH = 50, 8


def training_fixture() -> dict[str, Any]:
    """50 updates of :func:`lstm.training.training_step` for each of chapter 7's explorer's tasks.

    Each case holds the model's initial parameters (``make_model`` of
    ``lstm/explorers/training.py``, by ``SequenceModel.parameters``' names), the 50 batches (from
    the task of :mod:`lstm.tasks`), and after every update the loss, the gradient norm before
    clipping, whether it was clipped, and every parameter: ``web/training.mjs`` must follow the
    same trajectory from the same start and batches.
    """
    from lstm.explorers.training import CLIP, make_model, make_task
    from lstm.optimisers import Adam
    from lstm.training import training_step

    cases = []
    for task_key, length, units, forget_bias, lr, seed in TRAINING_CASES:
        task = make_task(task_key, length)
        model = make_model(task_key, task.input_size, units, forget_bias, seed)
        initial = {name: array.copy() for name, array in model.parameters.items()}
        optimiser = Adam(model.parameters, lr=lr)
        rng = np.random.default_rng(seed)
        batches, steps = [], []
        for _ in range(TRAINING_STEPS):
            batch = task.sample(TRAINING_BATCH, rng)
            outcome = training_step(model, batch, optimiser, CLIP)
            if outcome is None:
                raise ValueError(f"training case {task_key} diverged")
            targets = batch.targets if task_key != "adding_problem" else batch.targets[:, 0]
            batches.append({"xs": batch.xs, "targets": targets})
            steps.append({"loss": outcome.loss, "gradNorm": outcome.grad_norm, "clipped": outcome.clipped,
                          "parameters": {name: array.copy() for name, array in model.parameters.items()}})
        cases.append({"task": task_key, "length": length, "units": units, "forgetBias": forget_bias,
                      "lr": lr, "clip": CLIP, "initial": initial, "batches": batches, "steps": steps})
    return {"cases": cases}


# -------------------------------------------------------------------------------- the files
#: File name -> function building its content.
FIXTURE_BUILDERS: dict[str, Callable[[], dict[str, Any]]] = {
    "activations.json": activation_fixture,
    "lstm-cell.json": lstm_fixture,
    "rnn-cell.json": rnn_fixture,
    "explorer-math.json": explorer_fixture,
    "gradient-flow.json": gradient_flow_fixture,
    "dependency-graph.json": dependency_fixture,
    "colours.json": colour_fixture,
    "gru-cell.json": gru_fixture,
    "lstm-variants.json": lstm_variants_fixture,
    "variant-comparison.json": variant_comparison_fixture,
    "training.json": training_fixture,
}


@functools.cache
def _built_fixtures() -> tuple[tuple[str, bytes], ...]:
    with np.errstate(under="ignore"):
        return tuple((name, to_json_bytes(plain(build()))) for name, build in FIXTURE_BUILDERS.items())


def fixture_bytes() -> dict[str, bytes]:
    """Every fixture file's name and bytes (built once per process: `lstm` does not change)."""
    return dict(_built_fixtures())


@functools.cache
def colour_maps_module_bytes() -> bytes:
    """The bytes of :data:`COLOUR_MAPS_MODULE`: matplotlib's look-up tables of the book's maps."""
    import matplotlib as mpl

    from lstm.style import GATE_COLOURMAP, SIGNED_COLOURMAP

    tables = {}
    for name in (GATE_COLOURMAP, SIGNED_COLOURMAP):
        colour_map = mpl.colormaps[name]
        tables[name] = [mpl.colors.to_hex(colour_map(index)) for index in range(colour_map.N)]
    lines = [f"  {json.dumps(name)}: Object.freeze({json.dumps(table)})," for name, table in tables.items()]
    return "\n".join([
        "// Written by tools/make_js_fixtures.py from matplotlib's colour maps; do not edit.",
        "/**",
        " * The book's colour maps (`lstm.style`: GATE_COLOURMAP for gate values in [0, 1],",
        " * SIGNED_COLOURMAP for signed values in [-1, 1]) as matplotlib's 256-entry look-up tables.",
        " *",
        " * @module colour-maps",
        " */",
        "",
        f"/** Gate values in [0, 1]: {json.dumps(GATE_COLOURMAP)}. */",
        f"export const GATE_COLOURMAP = {json.dumps(GATE_COLOURMAP)};",
        f"/** Signed values in [-1, 1]: {json.dumps(SIGNED_COLOURMAP)}. */",
        f"export const SIGNED_COLOURMAP = {json.dumps(SIGNED_COLOURMAP)};",
        "",
        "/** Colour-map name to its 256 colours, \"#rrggbb\". */",
        "export const COLOUR_MAPS = Object.freeze({",
        *lines,
        "});",
        "",
    ]).encode("utf-8")


@functools.cache
def demo_data_bytes() -> bytes:
    """The bytes of :data:`DEMO_DATA` (:func:`sequence_explorer_data` as JSON)."""
    return to_json_bytes(plain(sequence_explorer_data()))


def _numbers_match(stored: Any, fresh: Any) -> bool:
    """Same structure and every number within :data:`CHECK_TOLERANCE` (relative)."""
    if isinstance(fresh, dict):
        return (isinstance(stored, dict) and list(stored) == list(fresh)
                and all(_numbers_match(stored[key], fresh[key]) for key in fresh))
    if isinstance(fresh, list):
        return (isinstance(stored, list) and len(stored) == len(fresh)
                and all(_numbers_match(a, b) for a, b in zip(stored, fresh, strict=True)))
    if isinstance(fresh, float) and isinstance(stored, (int, float)) and not isinstance(stored, bool):
        return abs(stored - fresh) <= CHECK_TOLERANCE * max(abs(stored), abs(fresh)) + 1e-300
    return type(stored) is type(fresh) and stored == fresh


def stale_fixtures(
    folder: Path = FIXTURES, demo_data: Path = DEMO_DATA, colour_maps: Path = COLOUR_MAPS_MODULE
) -> list[str]:
    """Names of the fixtures in ``folder`` (and the demo's data) that are missing or differ
    from what `lstm` computes.

    Parameters
    ----------
    folder : Path
        The fixtures folder (normally ``tests/js/fixtures/``).
    demo_data : Path
        The demo page's data file (normally ``web/demo/sequence-explorer-data.json``).
    colour_maps : Path
        The colour-map module (normally ``web/colour-maps.mjs``).

    Returns
    -------
    list of str
        E.g. ``"lstm-cell.json (differs)"``; empty when every file is current.
    """
    problems = []
    expected = {folder / name: content for name, content in fixture_bytes().items()}
    expected[demo_data] = demo_data_bytes()
    expected[colour_maps] = colour_maps_module_bytes()
    for path, content in expected.items():
        name = path.name
        if not path.exists():
            problems.append(f"{name} (missing)")
            continue
        stored = path.read_bytes()
        if stored != content and (path.suffix != ".json"
                                  or not _numbers_match(json.loads(stored), json.loads(content))):
            problems.append(f"{name} (differs)")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true",
        help="do not write anything; exit 1 if a fixture is missing or differs from what lstm computes",
    )
    parser.add_argument("--folder", type=Path, default=FIXTURES,
                        help="fixtures folder (default: tests/js/fixtures/)")
    parser.add_argument("--demo-data", type=Path, default=DEMO_DATA,
                        help="the demo page's data file (default: web/demo/sequence-explorer-data.json)")
    parser.add_argument("--colour-maps", type=Path, default=COLOUR_MAPS_MODULE,
                        help="the colour-map module (default: web/colour-maps.mjs)")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale_fixtures(args.folder, args.demo_data, args.colour_maps)
        if problems:
            print("JavaScript fixtures out of date (run `python tools/make_js_fixtures.py`):")
            for problem in problems:
                print(f"  {problem}")
            return 1
        print(f"All {len(FIXTURE_BUILDERS)} JavaScript fixtures, the demo's data and the colour maps "
              "are current.")
        return 0
    args.folder.mkdir(parents=True, exist_ok=True)
    outputs = {args.folder / name: content for name, content in fixture_bytes().items()}
    outputs[args.demo_data] = demo_data_bytes()
    outputs[args.colour_maps] = colour_maps_module_bytes()
    for path, content in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
