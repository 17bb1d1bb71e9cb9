"""Tests of the live explorers (lstm/explorers/), driven the way a reader drives them.

Each test moves controls by setting their ``.value`` (exactly what a slider drag does), then
compares what the figure draws with what a cell built *here*, from the slider values and the
documented parameters, computes.
"""

from __future__ import annotations

import html
import io
import itertools
import re

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib._pylab_helpers import Gcf
from PIL import Image

from lstm.cell import LSTMCell
from lstm.diagram import PARTS, format_value
from lstm.explorers import (
    DEFAULT_GATE_PARAMETERS,
    INPUT_PRESETS,
    SCENARIOS,
    DiagramExplorer,
    MemoryExplorer,
    SequenceExplorer,
    StepExplorer,
    check_control_value,
    diagram_explorer,
    fast_png,
    memory_explorer,
    sequence_explorer,
    step_explorer,
)
from lstm.explorers.controls import description_arguments, math_description, spoken_description
from lstm.rnn import RNNCell

GATES = ("forget", "input", "candidate", "output")
LETTERS = {"forget": "f", "input": "i", "candidate": "c", "output": "o"}


@pytest.fixture(autouse=True)
def live_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the live form: make sure static mode is off."""
    monkeypatch.delenv("LSTM_BOOK_STATIC", raising=False)


@pytest.fixture(scope="module")
def explorers() -> dict:
    """One explorer of each kind, shared by the tests of this module (each resets it first)."""
    return {
        "memory": MemoryExplorer(),
        "diagram": DiagramExplorer(),
        **{f"step-{gate}": StepExplorer(gate) for gate in GATES},
        "sequence": SequenceExplorer(),
    }


@pytest.fixture()
def fresh(explorers: dict):
    """Return a function giving a shared explorer reset to its defaults."""

    def get(name: str):
        explorer = explorers[name]
        explorer.reset()
        return explorer

    return get


def description_parts(control) -> tuple[str, str]:
    """(what the eye sees, what a screen reader reads) of a control's description."""
    if not control.description_allow_html:
        return control.description, control.description
    match = re.fullmatch(r'<span aria-hidden="true">(.*?)</span><span style="([^"]*)">(.*?)</span>',
                         control.description)
    assert match, control.description
    assert "position:absolute" in match[2] and "clip:" in match[2]  # visually hidden
    return html.unescape(match[1]), html.unescape(match[3])


def numeric_controls(explorer) -> dict:
    return {name: c for name, c in explorer.controls.items() if hasattr(c, "step")}


def artist_count(explorer) -> int:
    """Artists the explorer drew: lines, patches, texts, images, collections, axes, figure texts.

    (Tick marks are left out: matplotlib makes as many as an axis range needs.)
    """
    figure = explorer.figure
    count = len(figure.axes) + len(figure.texts) + len(figure.lines) + len(figure.patches)
    for ax in figure.axes:
        count += len(ax.lines) + len(ax.patches) + len(ax.texts) + len(ax.images)
        count += len(ax.collections) + len(ax.artists)
    return count


# ---------------------------------------------------------------------------------------------
# Memory explorer (chapter 1)
# ---------------------------------------------------------------------------------------------
def expected_memory(weight: float, forget_bias: float, steps: int):
    """The documented cells of the memory explorer, built independently."""
    xs = np.zeros((steps, 1))
    xs[0, 0] = 1.0
    rnn = RNNCell.from_arrays(W=[[weight, 1.0]], b=[0.0])
    lstm = LSTMCell.from_arrays(
        W_f=[[0.0, 0.0]], b_f=[forget_bias], W_i=[[0.0, 0.0]], b_i=[6.0],
        W_c=[[0.0, 1.0]], b_c=[0.0], W_o=[[0.0, 0.0]], b_o=[6.0],
    )
    return rnn.run(xs), lstm.run(xs)


def test_memory_explorer_starts_at_chapter_1s_example(fresh) -> None:
    """w = 0.5, b_f = 6, 20 steps, and chapter 1's hand-made LSTM (every gate σ(6), candidate
    tanh(x_t)): c_1 = 0.9975 tanh(1) = 0.7597, and 95.4 % of it is left at t = 20."""
    explorer = fresh("memory")
    assert explorer.values() == {"rnn_weight": 0.5, "forget_bias": 6.0, "steps": 20}
    xs = np.zeros((20, 1))
    xs[0, 0] = 1.0
    rnn = RNNCell.from_arrays(W=[[0.5, 1.0]], b=[0.0])      # chapter 1's cells, as printed there
    lstm = LSTMCell.from_arrays(
        W_f=[[0.0, 0.0]], b_f=[6.0], W_i=[[0.0, 0.0]], b_i=[6.0],
        W_c=[[0.0, 1.0]], b_c=[0.0], W_o=[[0.0, 0.0]], b_o=[6.0],
    )
    rnn_trace, lstm_trace = rnn.run(xs), lstm.run(xs)
    np.testing.assert_array_equal(explorer.rnn_trace.h, rnn_trace.h)
    np.testing.assert_array_equal(explorer.lstm_trace.c, lstm_trace.c)
    np.testing.assert_array_equal(explorer.lstm_trace.h, lstm_trace.h)
    assert round(explorer.lstm_trace.c[0, 0], 4) == 0.7597
    assert round(explorer.rnn_trace.h[1, 0], 4) == 0.3634     # tanh(0.5 tanh(1)) = tanh(0.3808)
    assert "keeping 95.4%" in explorer.describe()


def test_memory_explorer_plots_what_the_cells_compute(fresh) -> None:
    explorer = fresh("memory")
    explorer.controls["rnn_weight"].value = 0.73
    explorer.controls["forget_bias"].value = 2.6
    explorer.controls["steps"].value = 25
    rnn_trace, lstm_trace = expected_memory(0.73, 2.6, 25)
    artists = explorer.artists
    np.testing.assert_array_equal(artists.rnn_line.get_xdata(), np.arange(1, 26))
    np.testing.assert_allclose(artists.rnn_line.get_ydata(), rnn_trace.h[:, 0], rtol=0, atol=0)
    np.testing.assert_allclose(artists.lstm_cell_line.get_ydata(), lstm_trace.c[:, 0], atol=0)
    np.testing.assert_allclose(artists.lstm_hidden_line.get_ydata(), lstm_trace.h[:, 0], atol=0)
    kept = lstm_trace.c[-1, 0] / lstm_trace.c[0, 0]
    assert f"{kept:.1%}" in explorer.describe()
    assert artists.lstm_text.get_text() == f"at t = 25: the cell state keeps {kept:.1%}"


def test_memory_explorer_lstm_outlasts_rnn_by_default(fresh) -> None:
    explorer = fresh("memory")
    rnn_h = explorer.artists.rnn_line.get_ydata()
    lstm_c = explorer.artists.lstm_cell_line.get_ydata()
    assert lstm_c[-1] / lstm_c[0] > 10 * (rnn_h[-1] / rnn_h[0])


# ---------------------------------------------------------------------------------------------
# Diagram explorer (chapter 2)
# ---------------------------------------------------------------------------------------------
def default_cell() -> LSTMCell:
    arrays = {}
    for gate, (w_h, w_x, bias) in DEFAULT_GATE_PARAMETERS.items():
        arrays[f"W_{LETTERS[gate]}"] = [[w_h, w_x]]
        arrays[f"b_{LETTERS[gate]}"] = [bias]
    return LSTMCell.from_arrays(**arrays)


def worked_example_step():
    """The step chapters 2-5 compute by hand, with the cell exactly as the chapters print it."""
    cell = LSTMCell.from_arrays(
        W_f=[[0.5, 2.0]], b_f=[-1.0],
        W_i=[[0.0, 1.0]], b_i=[0.0],
        W_c=[[1.0, -1.5]], b_c=[0.5],
        W_o=[[0.0, 1.0]], b_o=[1.0],
    )
    return cell.step([1.0], h_prev=[0.2], c_prev=[0.8])


def test_diagram_explorer_starts_at_chapter_2s_worked_step(fresh) -> None:
    """x_t = 1, h_(t-1) = 0.2, c_(t-1) = 0.8: the memory drops from 0.8 to 0.11."""
    explorer = fresh("diagram")
    assert {name: explorer.controls[name].value for name in ("x", "h_prev", "c_prev")} == {
        "x": 1.0, "h_prev": 0.2, "c_prev": 0.8}
    step = worked_example_step()
    for name in ("x", "h_prev", "c_prev", "f", "i", "c_tilde", "o", "c", "tanh_c", "h"):
        assert getattr(explorer.step, name)[0] == getattr(step, name)[0], name
        assert explorer.diagram.value_texts[name].get_text() == format_value(getattr(step, name)[0])
    assert explorer.diagram.value_texts["c"].get_text() == "0.11"
    assert round(explorer.step.c[0], 4) == 0.1148


def test_diagram_explorer_writes_the_cells_numbers(fresh) -> None:
    explorer = fresh("diagram")
    explorer.set_values(x=-1.35, h_prev=0.4, c_prev=2.2)
    step = default_cell().step([-1.35], h_prev=[0.4], c_prev=[2.2])
    texts = explorer.diagram.value_texts
    for name in ("x", "h_prev", "c_prev", "f", "i", "c_tilde", "o", "c", "tanh_c", "h"):
        assert texts[name].get_text() == format_value(getattr(step, name)[0]), name


def test_diagram_explorer_highlight_dropdown(fresh) -> None:
    explorer = fresh("diagram")
    options = [value for _label, value in explorer.controls["highlight"].options]
    assert options == [None, *PARTS]
    for part in PARTS:
        explorer.controls["highlight"].value = part
        assert explorer.diagram.highlight == part
        assert part.split()[0] in explorer.describe().lower() or part == "update"


# ---------------------------------------------------------------------------------------------
# Step explorers (chapters 3-5)
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("gate", GATES)
def test_step_explorer_plots_what_the_cell_computes(fresh, gate: str) -> None:
    explorer = fresh(f"step-{gate}")
    explorer.set_values(x=0.65, h_prev=-0.35, c_prev=-1.4, weight_h=-2.3, weight_x=3.1, bias=-0.7)
    parameters = dict(DEFAULT_GATE_PARAMETERS)
    parameters[gate] = (-2.3, 3.1, -0.7)
    arrays = {}
    for name, (w_h, w_x, bias) in parameters.items():
        arrays[f"W_{LETTERS[name]}"] = [[w_h, w_x]]
        arrays[f"b_{LETTERS[name]}"] = [bias]
    step = LSTMCell.from_arrays(**arrays).step([0.65], h_prev=[-0.35], c_prev=[-1.4])
    letter = LETTERS[gate]
    z = getattr(step, f"z_{letter}")[0]
    value = {"forget": step.f, "input": step.i, "candidate": step.c_tilde, "output": step.o}[gate][0]
    assert z == pytest.approx(-2.3 * -0.35 + 3.1 * 0.65 - 0.7, abs=1e-12)
    assert explorer.curve.point.get_xdata()[0] == z
    assert explorer.curve.point.get_ydata()[0] == value
    heights = [bar.get_height() for bar in explorer.cell_step.bars]
    expected = [step.c_prev[0], step.f[0] * step.c_prev[0], step.i[0] * step.c_tilde[0],
                step.c[0], step.tanh_c[0], step.h[0]]
    np.testing.assert_allclose(heights, expected, rtol=0, atol=0)
    widths = [bar.get_width() for bar in explorer.gate_values.bars]
    np.testing.assert_allclose(widths, [step.f[0], step.i[0], step.c_tilde[0], step.o[0]], atol=0)
    assert f"{step.h[0]:.3f}" in explorer.describe()


#: The number each chapter computes by hand for its gate: (pre-activation, gate value), 4 digits.
WORKED_EXAMPLE_GATES = {
    "forget": (1.1, 0.7503),      # chapter 3: z_f = 0.5·0.2 + 2·1 − 1, σ(1.1)
    "input": (1.0, 0.7311),       # chapter 4: z_i = 0·0.2 + 1·1 + 0, σ(1)
    "candidate": (-0.8, -0.664),  # chapter 4: z_c = 1·0.2 − 1.5·1 + 0.5, tanh(−0.8)
    "output": (2.0, 0.8808),      # chapter 5: z_o = 0·0.2 + 1·1 + 1, σ(2)
}


@pytest.mark.parametrize("gate", GATES)
def test_step_explorer_starts_at_the_chapters_worked_example(fresh, gate: str) -> None:
    explorer = fresh(f"step-{gate}")
    assert {name: control.value for name, control in explorer.controls.items()
            if name in ("x", "h_prev", "c_prev")} == {"x": 1.0, "h_prev": 0.2, "c_prev": 0.8}
    step = worked_example_step()
    for name in ("f", "i", "c_tilde", "o", "c", "h"):
        assert getattr(explorer.step, name)[0] == getattr(step, name)[0], name
    z, value = WORKED_EXAMPLE_GATES[gate]
    assert round(explorer.curve.point.get_xdata()[0], 10) == z
    assert round(explorer.curve.point.get_ydata()[0], 4) == value
    assert round(explorer.step.c[0], 4) == 0.1148   # chapter 5's c_t
    assert f"z_{LETTERS[gate]} = {z:.3f}" in explorer.describe()


def test_step_explorer_sliders_name_the_gate_parameters(fresh) -> None:
    explorer = fresh("step-output")
    shown = {name: description_parts(control) for name, control in explorer.controls.items()}
    assert shown["bias"] == ("$b_o$", "b o")
    assert shown["weight_x"] == ("$W_o$ on $x_t$", "W o on x t")
    assert shown["weight_h"] == ("$W_o$ on $h_{t-1}$", "W o on h t minus 1")
    assert "forget: W = (0.5, 2), b = -1" in explorer.fixed_text.get_text()


@pytest.mark.parametrize("bad", ["forgt", "cell", "", None])
def test_step_explorer_rejects_an_unknown_gate(bad: object) -> None:
    with pytest.raises(ValueError, match=r"gate must be one of \['forget', 'input', 'candidate', "):
        step_explorer(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=repr(bad).replace("(", r"\(")):
        StepExplorer(bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Sequence explorer (chapter 6)
# ---------------------------------------------------------------------------------------------
def expected_inputs(values: dict) -> np.ndarray:
    steps = np.arange(1, 41)
    amplitude, onset = values["amplitude"], values["onset"]
    shape = {
        "step": np.where(steps >= onset, amplitude, 0.0),
        "pulse": np.where(steps == onset, amplitude, 0.0),
        "sine": amplitude * np.sin(2 * np.pi * (steps - 1) / values["period"]),
        "noise": amplitude * np.random.default_rng(0).standard_normal(40),
    }[values["preset"]]
    return (shape + values["noise"] * np.random.default_rng(1).standard_normal(40))[:, None]


def expected_sequence_trace(values: dict):
    """The documented three-unit cell, built independently from the control values."""
    recurrent = LSTMCell(1, 3, seed=6)
    arrays = {}
    for gate in GATES:
        weight, _bias = recurrent.gate_parameters(gate)
        letter = LETTERS[gate]
        on_h = values["recurrent_scale"] * weight[:, :3]
        if gate == "forget":  # each unit's forget gate also reads its own h_(t-1)
            on_h = on_h + values["forget_self_weight"] * np.eye(3)
        arrays[f"W_{letter}"] = np.hstack([on_h, np.full((3, 1), values[f"{gate}_scale"])])
        offsets = np.zeros(3) if gate == "candidate" else np.array([-1.0, 0.0, 1.0])
        arrays[f"b_{letter}"] = values[f"{gate}_bias"] + offsets
    cell = LSTMCell.from_arrays(**arrays)
    return cell.run(expected_inputs(values), c0=np.full(3, values["c0"]))


@pytest.mark.parametrize("preset", INPUT_PRESETS)
def test_sequence_explorer_plots_what_the_cell_computes(fresh, preset: str) -> None:
    explorer = fresh("sequence")
    explorer.set_values(
        preset=preset, amplitude=-1.3, onset=9, period=7, noise=0.25, c0=0.4,
        recurrent_scale=1.2, forget_self_weight=-3.4, forget_bias=1.5, forget_scale=-2.0, input_bias=0.3,
        input_scale=4.0, candidate_bias=-0.6, candidate_scale=1.7, output_bias=0.9,
        output_scale=-1.1,
    )
    values = explorer.values()
    trace = expected_sequence_trace(values)
    np.testing.assert_array_equal(explorer.input_lines.lines[0].get_ydata(), expected_inputs(values)[:, 0])
    for unit in range(3):
        np.testing.assert_array_equal(explorer.cell_lines.lines[unit].get_ydata(), trace.c[:, unit])
        np.testing.assert_array_equal(explorer.hidden_lines.lines[unit].get_ydata(), trace.h[:, unit])
    for gate, attribute in zip(GATES, ("f", "i", "c_tilde", "o"), strict=True):
        np.testing.assert_array_equal(
            explorer.heatmaps.images[gate].get_array(), getattr(trace, attribute).T
        )
    low, high = explorer.cell_lines.ax.get_ylim()
    assert low <= trace.c.min() and trace.c.max() <= high


def test_sequence_explorer_default_units_show_three_memory_lengths(fresh) -> None:
    explorer = fresh("sequence")
    trace = explorer.trace
    peak = 5  # the pulse arrives at t = 5 (index 4)
    kept = trace.c[-1] / trace.c[peak - 1]
    assert kept[0] < kept[1] < kept[2]


# ---------------------------------------------------------------------------------------------
# Scenarios and reset
# ---------------------------------------------------------------------------------------------
def test_there_are_the_four_required_scenarios() -> None:
    required = {"remember forever", "overwrite at every step", "forget on a signal", "leaky memory"}
    assert required <= set(SCENARIOS)
    for scenario in SCENARIOS.values():
        assert scenario["description"]


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenario_sets_every_control_and_reset_restores_defaults(fresh, name: str) -> None:
    explorer = fresh("sequence")
    defaults = explorer.values()
    explorer.scenario_menu.value = name  # what choosing it in the dropdown does
    assert explorer.values() == pytest.approx(SCENARIOS[name]["values"]) or all(
        explorer.values()[key] == value for key, value in SCENARIOS[name]["values"].items()
    )
    assert set(SCENARIOS[name]["values"]) == set(explorer.controls)
    np.testing.assert_array_equal(
        explorer.cell_lines.lines[0].get_ydata(), expected_sequence_trace(explorer.values()).c[:, 0]
    )
    explorer.reset_button.click()
    assert explorer.values() == defaults
    assert explorer.scenario_menu.value is None


def run_scenario(fresh, name: str):
    explorer = fresh("sequence")
    explorer.apply_scenario(name)
    return explorer.trace, explorer.xs[:, 0]


def test_hold_while_strong_is_recurrence_at_work(fresh) -> None:
    """Each unit's forget gate reads its own h_(t-1): the pulse holds itself up for a while, the
    gate shuts (f < 0.1) only once h has leaked below 0.45, the units let go one after another,
    and without the weight on h_(t-1) the pulse is forgotten at the next step."""
    trace, xs = run_scenario(fresh, "hold while strong")
    pulse = int(np.argmax(xs))                      # index 4: t = 5
    assert xs[pulse] == 1.0 and trace.c[pulse].min() > 0.9
    let_go = []
    for unit in range(3):
        shut = [t for t in range(pulse + 1, len(xs)) if trace.f[t, unit] < 0.1]
        assert shut, f"unit {unit + 1} never lets go"
        first = shut[0]
        let_go.append(first)
        assert trace.h[first - 1, unit] < 0.45                  # h had shrunk before the gate shut
        assert np.all(trace.h[pulse:first - 1, unit] > trace.h[first - 1, unit])
        assert np.all(trace.f[pulse + 1:first - 2, unit] > 0.5)  # while strong, it kept its memory
        assert trace.c[first, unit] < 0.25 * trace.c[first - 2, unit]   # then it dropped it
    assert let_go[0] < let_go[1] < let_go[2]
    assert let_go[1] - pulse >= 5                   # unit 2 holds for a few steps, then shuts
    explorer = fresh("sequence")
    explorer.apply_scenario("hold while strong")
    explorer.set_values(forget_self_weight=0.0)     # no recurrence on the forget gate
    assert np.all(explorer.trace.f[pulse + 1:] < 0.01)
    assert np.all(explorer.trace.c[pulse + 1] < 0.01 * explorer.trace.c[pulse])


def test_remember_forever_keeps_the_pulse(fresh) -> None:
    trace, _ = run_scenario(fresh, "remember forever")
    onset = SCENARIOS["remember forever"]["values"]["onset"]
    stored = trace.c[onset - 1]
    assert np.all(np.abs(stored) > 0.9)
    np.testing.assert_allclose(trace.c[-1], stored, rtol=0.05)


def test_overwrite_at_every_step_copies_the_input(fresh) -> None:
    trace, xs = run_scenario(fresh, "overwrite at every step")
    scale = SCENARIOS["overwrite at every step"]["values"]["candidate_scale"]
    np.testing.assert_allclose(trace.c, np.tanh(scale * xs)[:, None] * np.ones(3), atol=3e-3)


def test_forget_on_a_signal_wipes_the_memory_at_the_step(fresh) -> None:
    trace, _ = run_scenario(fresh, "forget on a signal")
    onset = SCENARIOS["forget on a signal"]["values"]["onset"]
    assert np.all(trace.c[onset - 2] > 0.8)  # the step before the signal: still remembered
    assert np.all(np.abs(trace.c[onset - 1 :]) < 0.01)  # from the signal on: gone


def test_leaky_memory_fades(fresh) -> None:
    trace, _ = run_scenario(fresh, "leaky memory")
    onset = SCENARIOS["leaky memory"]["values"]["onset"]
    assert np.all(trace.c[onset - 1] > 0.9)
    assert np.all(trace.c[onset + 15] < 0.15 * trace.c[onset - 1])


def test_add_up_the_input_grows_steadily(fresh) -> None:
    trace, _ = run_scenario(fresh, "add up the input")
    onset = SCENARIOS["add up the input"]["values"]["onset"]
    increments = np.diff(trace.c[onset - 1 :], axis=0)
    assert np.all(increments > 0)
    np.testing.assert_allclose(increments, np.broadcast_to(increments[0], increments.shape), rtol=0.05)


def test_unknown_scenario_is_rejected(fresh) -> None:
    with pytest.raises(ValueError, match=r"scenario must be None or one of \['remember forever'"):
        sequence_explorer("remember everything")
    with pytest.raises(ValueError, match="got 'nope'"):
        fresh("sequence").apply_scenario("nope")


def test_sequence_explorer_can_start_from_a_scenario() -> None:
    explorer = sequence_explorer("leaky memory")
    assert isinstance(explorer, SequenceExplorer)
    assert explorer.controls["forget_bias"].value == SCENARIOS["leaky memory"]["values"]["forget_bias"]
    explorer.reset()
    assert explorer.controls["forget_bias"].value == 2.0


def test_set_values_rejects_unknown_controls(fresh) -> None:
    with pytest.raises(ValueError, match=r"values must name controls .*; got \['colour'\]"):
        fresh("memory").set_values(colour=1)


def test_set_values_rejects_values_a_control_cannot_show(fresh) -> None:
    explorer = fresh("sequence")
    before = explorer.values()
    allowed = r"\['step', 'pulse', 'sine', 'noise'\]"
    with pytest.raises(ValueError, match=rf"preset must be one of {allowed}; got 'square'"):
        explorer.set_values(preset="square")
    with pytest.raises(ValueError, match=r"forget_bias must be from -8.0 to 8.0; got 9.5"):
        explorer.set_values(forget_bias=9.5)
    with pytest.raises(ValueError, match=r"onset must be a whole number from 1 to 40; got 2.5"):
        explorer.set_values(onset=2.5)
    with pytest.raises(TypeError, match=r"amplitude must be a real number; got '1'"):
        explorer.set_values(amplitude="1")
    assert explorer.values() == before  # nothing was half-applied


def test_scenarios_fit_the_controls() -> None:
    explorer = SequenceExplorer()
    for scenario in SCENARIOS.values():
        for name, value in scenario["values"].items():
            check_control_value(name, explorer.controls[name], value)


# ---------------------------------------------------------------------------------------------
# In place: one figure, no growth, blitting equals a full redraw
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["memory", "diagram", "step-forget", "sequence"])
def test_updates_reuse_the_figure_and_add_no_artists(fresh, name: str) -> None:
    explorer = fresh(name)
    figure, axes = explorer.figure, list(explorer.figure.axes)
    count = artist_count(explorer)
    managers = Gcf.get_num_fig_managers()
    for control in itertools.islice(itertools.cycle(numeric_controls(explorer).values()), 8):
        control.value = control.max if control.value != control.max else control.min
    assert explorer.figure is figure
    assert explorer.figure.axes == axes
    assert artist_count(explorer) == count
    assert Gcf.get_num_fig_managers() == managers


@pytest.mark.parametrize("name", ["memory", "diagram", "step-candidate", "sequence"])
def test_blitted_update_equals_a_full_redraw(fresh, name: str) -> None:
    explorer = fresh(name)
    controls = list(numeric_controls(explorer).values())
    controls[0].value = controls[0].min + 3 * controls[0].step
    controls[-1].value = controls[-1].max - 2 * controls[-1].step
    blitted = np.asarray(explorer.figure.canvas.buffer_rgba()).copy()
    explorer._background = None  # force drawing the whole figure again
    explorer.redraw_figure()
    full = np.asarray(explorer.figure.canvas.buffer_rgba())
    np.testing.assert_array_equal(blitted, full)


def drawn_artists(figure) -> dict[int, object]:
    """Every artist of the figure by id, except tick marks and tick labels (matplotlib makes as
    many as an axis range needs, and reuses them)."""
    from matplotlib.axis import Axis, Tick

    found = {}

    def walk(artist) -> None:
        if isinstance(artist, Tick) or id(artist) in found:
            return
        found[id(artist)] = artist
        if not isinstance(artist, Axis):  # an axis's children are its ticks
            for child in artist.get_children():
                walk(child)

    walk(figure)
    return found


def every_move(explorer):
    """Each control of ``explorer`` to each end of its range or each option, one at a time."""
    for name, control in explorer.controls.items():
        if isinstance(control, widgets.Dropdown):
            values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        else:
            values = [control.max, control.min, control.value]
        for value in values:
            control.value = value
            yield name, value


@pytest.mark.parametrize("name", ["memory", "diagram", *[f"step-{g}" for g in GATES], "sequence"])
def test_moves_update_the_same_artists_instead_of_making_new_ones(fresh, name: str) -> None:
    explorer = fresh(name)
    before = drawn_artists(explorer.figure)
    dynamic = list(explorer._dynamic)
    for moved, value in every_move(explorer):
        after = drawn_artists(explorer.figure)
        assert after.keys() == before.keys(), (name, moved, value)
        assert all(after[key] is before[key] for key in before)
        assert all(a is b for a, b in zip(explorer._dynamic, dynamic, strict=True))


@pytest.mark.parametrize("build", ["GradientFlowExplorer", "DependencyExplorer", "VariantExplorer",
                                   "TrainingExplorer"])
def test_the_experiment_chapters_explorers_update_the_same_artists_too(build: str) -> None:
    import lstm.explorers

    explorer = getattr(lstm.explorers, build)()
    try:
        before = drawn_artists(explorer.figure)
        for moved, value in every_move(explorer):
            after = drawn_artists(explorer.figure)
            assert after.keys() == before.keys(), (build, moved, value)
            assert all(after[key] is before[key] for key in before)
    finally:
        explorer.close()


def test_memory_explorer_with_fixed_label_places_draws_what_a_fresh_one_draws(fresh) -> None:
    """The length T re-ranges the time axes; the titles and axis labels stay where the first
    drawing put them, which must be where a fresh explorer at that length puts them."""
    class PlacedOnEveryDraw(MemoryExplorer):
        fixed_label_positions = False  # matplotlib places titles and labels on every draw

    explorer = fresh("memory")
    assert explorer.fixed_label_positions and explorer.figure.axes[0]._autotitlepos is False
    for steps in (5, 9, 37, 64, 100, 20):
        explorer.controls["steps"].value = steps
        reference = PlacedOnEveryDraw()
        assert reference.figure.axes[0]._autotitlepos is not False
        reference.controls["steps"].value = steps
        np.testing.assert_array_equal(np.asarray(explorer.figure.canvas.buffer_rgba()),
                                      np.asarray(reference.figure.canvas.buffer_rgba()))
        reference.close()


def count_full_draws(explorer, monkeypatch) -> list[int]:
    """Count the calls of the canvas's ``draw()`` (a redraw of the whole figure) from now on."""
    calls = [0]
    canvas = explorer.figure.canvas
    draw = canvas.draw

    def counted() -> None:
        calls[0] += 1
        draw()

    monkeypatch.setattr(canvas, "draw", counted)
    return calls


def test_a_new_cell_state_range_redraws_only_its_axes(fresh, monkeypatch) -> None:
    """Moving c_0 re-ranges the cell-state axes: they are drawn again on a kept picture of the rest
    of the figure (no whole-figure draw), and the result is what a whole-figure draw gives."""
    explorer = fresh("sequence")
    cell_ax = explorer.cell_lines.ax
    full_draws = count_full_draws(explorer, monkeypatch)
    limits = {cell_ax.get_ylim()}
    for value in (2.0, -2.0, 1.0, 0.0):
        explorer.controls["c0"].value = value
        limits.add(cell_ax.get_ylim())
    assert len(limits) >= 2  # the range did change
    explorer.controls["forget_bias"].value = -3.0  # a blitted move without a new range
    assert full_draws[0] == 0
    blitted = np.asarray(explorer.figure.canvas.buffer_rgba()).copy()
    explorer.figure.canvas.draw()
    for artist in explorer._dynamic:
        explorer.figure.draw_artist(artist)
    np.testing.assert_array_equal(blitted, np.asarray(explorer.figure.canvas.buffer_rgba()))


@pytest.mark.parametrize("name", ["memory", "diagram", *[f"step-{g}" for g in GATES], "sequence"])
def test_moves_without_a_new_range_draw_no_whole_figure(fresh, monkeypatch, name: str) -> None:
    explorer = fresh(name)
    full_draws = count_full_draws(explorer, monkeypatch)
    for control in numeric_controls(explorer).values():
        if name == "memory" and control is explorer.controls["steps"]:
            continue  # the time axes follow the length: a whole-figure draw
        for value in (control.value + control.step, control.value):
            control.value = value
    assert full_draws[0] == 0


def test_image_widget_holds_the_current_figure_as_png(fresh) -> None:
    explorer = fresh("step-input")
    before = bytes(explorer.image.value)
    explorer.controls["x"].value = -2.5
    after = bytes(explorer.image.value)
    assert after != before and after.startswith(b"\x89PNG")
    picture = np.asarray(Image.open(io.BytesIO(after)).convert("RGBA"))
    canvas = np.asarray(explorer.figure.canvas.buffer_rgba())
    np.testing.assert_array_equal(picture[..., :3], canvas[..., :3])
    assert "-2.50" in explorer.summary.value or "−2.50" in explorer.summary.value


# ---------------------------------------------------------------------------------------------
# Extreme slider positions stay finite, with no warnings
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["memory", "diagram", *[f"step-{g}" for g in GATES], "sequence"])
def test_extreme_slider_positions_stay_finite(fresh, name: str) -> None:
    explorer = fresh(name)
    controls = numeric_controls(explorer)
    corners = [
        {key: c.min for key, c in controls.items()},
        {key: c.max for key, c in controls.items()},
        {key: (c.min if index % 2 else c.max) for index, (key, c) in enumerate(controls.items())},
        {key: (c.max if index % 2 else c.min) for index, (key, c) in enumerate(controls.items())},
    ]
    if name == "sequence":
        combinations = [*itertools.product(corners[:2], INPUT_PRESETS), (corners[2], "sine"),
                        (corners[3], "noise")]
    else:
        combinations = [(corner, None) for corner in corners]
    with np.errstate(all="raise"):
        for corner, preset in combinations:
            values = dict(corner)
            if preset is not None:
                values["preset"] = preset
            explorer.set_values(**values)
            for artist in explorer._dynamic:
                data = []
                if hasattr(artist, "get_ydata"):
                    data = [artist.get_xdata(), artist.get_ydata()]
                elif hasattr(artist, "get_height"):
                    data = [artist.get_height(), artist.get_width()]
                elif hasattr(artist, "get_array") and artist.get_array() is not None:
                    data = [artist.get_array()]
                for array in data:
                    assert np.all(np.isfinite(np.asarray(array, dtype=float))), (name, values)
            description = explorer.describe().lower()
            assert "nan" not in description and "inf " not in description


# ---------------------------------------------------------------------------------------------
# Widgets: layout, accessibility, sizes, display
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["memory", "diagram", "step-forget", "sequence"])
def test_controls_are_labelled_bounded_standard_widgets_beside_the_figure(fresh, name) -> None:
    explorer = fresh(name)
    for control in explorer.controls.values():
        assert isinstance(control, (widgets.FloatSlider, widgets.IntSlider, widgets.Dropdown))
        assert control.description.strip()
        if hasattr(control, "step"):
            assert control.min < control.max
    layout = explorer.widget.layout
    assert isinstance(explorer.widget, widgets.HBox)
    assert layout.flex_flow == "row wrap"
    controls_box, figure_box = explorer.widget.children
    assert explorer.image in figure_box.children
    assert all(control in controls_box.children for control in explorer.controls.values())
    assert explorer.reset_button in controls_box.children


def test_projector_size_makes_a_bigger_figure_and_fonts() -> None:
    laptop, projector = StepExplorer("forget"), StepExplorer("forget", size="projector")
    assert projector.figure.get_size_inches()[0] > laptop.figure.get_size_inches()[0]
    assert projector.curve.ax.title.get_fontsize() > laptop.curve.ax.title.get_fontsize()
    assert "lstm-projector" in projector.widget._dom_classes
    width, _height = Image.open(io.BytesIO(bytes(projector.image.value))).size
    assert width > Image.open(io.BytesIO(bytes(laptop.image.value))).size[0]


@pytest.mark.parametrize(
    "call",
    [
        lambda: memory_explorer(size="big"),
        lambda: diagram_explorer(size="huge"),
        lambda: step_explorer("forget", size="phone"),
        lambda: sequence_explorer(size="wall"),
    ],
)
def test_unknown_size_is_rejected(call) -> None:
    with pytest.raises(ValueError, match=r"size must be one of \['laptop', 'projector'\]; got '"):
        call()


def test_explorer_functions_return_live_explorers_that_display_as_widgets() -> None:
    explorer = memory_explorer()
    assert isinstance(explorer, MemoryExplorer)
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.widget.model_id
    assert isinstance(diagram_explorer(), DiagramExplorer)
    assert isinstance(step_explorer("output"), StepExplorer)


def test_fast_png_round_trips_the_pixels() -> None:
    rng = np.random.default_rng(3)
    pixels = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    decoded = np.asarray(Image.open(io.BytesIO(fast_png(pixels))).convert("RGBA"))
    np.testing.assert_array_equal(decoded, pixels)
    with pytest.raises(ValueError, match=r"rgba must be uint8 of shape \(height, width, 4\)"):
        fast_png(pixels[..., :3])


# ---------------------------------------------------------------------------------------------
# No dead control: every enabled control changes the picture, a disabled one would not
# ---------------------------------------------------------------------------------------------
def another_value(control):
    """A value of ``control`` other than its current one: the far end of a slider, or the next
    option of a menu."""
    if isinstance(control, widgets.Dropdown):
        options = [option[1] if isinstance(option, tuple) else option for option in control.options]
        return options[(options.index(control.value) + 1) % len(options)]
    return control.max if control.value != control.max else control.min


def explorer_states():
    """(label, explorer) for every explorer at its defaults, and the sequence explorer with each
    input preset (the preset decides which of its controls apply)."""
    yield "memory", MemoryExplorer()
    yield "diagram", DiagramExplorer()
    for gate in GATES:
        yield f"step-{gate}", StepExplorer(gate)
    for preset in INPUT_PRESETS:
        explorer = SequenceExplorer()
        explorer.set_values(preset=preset)
        yield f"sequence-{preset}", explorer


def test_every_enabled_control_changes_the_picture_and_every_disabled_one_would_not() -> None:
    """Move each control of each explorer (as a reader would) and compare the published PNG: an
    enabled control must change it; a disabled control must be one that really does not apply
    (moving it in code leaves the picture the same)."""
    disabled_seen = set()
    for label, explorer in explorer_states():
        try:
            for name, control in explorer.controls.items():
                before = explorer.image.value
                start = control.value
                control.value = another_value(control)
                changed = explorer.image.value != before
                if control.disabled:
                    disabled_seen.add((label, name))
                    assert not changed, f"{label}: disabled control {name} changes the picture"
                else:
                    assert changed, f"{label}: moving {name} to {control.value!r} changes nothing"
                control.value = start
                assert explorer.image.value == before, f"{label}: {name} back to {start!r}"
        finally:
            explorer.close()
    # the input presets decide which sequence controls apply
    assert disabled_seen == {
        ("sequence-step", "period"), ("sequence-pulse", "period"),
        ("sequence-sine", "onset"),
        ("sequence-noise", "onset"), ("sequence-noise", "period"),
    }


def test_choosing_the_sine_preset_enables_the_period_slider() -> None:
    explorer = SequenceExplorer()
    try:
        assert explorer.controls["period"].disabled and not explorer.controls["onset"].disabled
        explorer.controls["preset"].value = "sine"
        assert not explorer.controls["period"].disabled and explorer.controls["onset"].disabled
        explorer.apply_scenario("remember forever")  # a pulse
        assert explorer.controls["period"].disabled
        explorer.reset()
        assert explorer.controls["period"].disabled and not explorer.controls["onset"].disabled
    finally:
        explorer.close()


# ---------------------------------------------------------------------------------------------
# Descriptions: math for the eye (JupyterLab typesets $...$), plain words for screen readers
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["memory", "diagram", *(f"step-{gate}" for gate in GATES), "sequence"])
def test_descriptions_show_symbols_as_math_and_read_them_as_words(fresh, name) -> None:
    explorer = fresh(name)
    symbols = 0
    for control in explorer.controls.values():
        seen, read = description_parts(control)
        outside_math = re.sub(r"\$[^$]+\$", "", seen)
        assert "_" not in outside_math and "{" not in outside_math, seen  # every symbol is math
        assert not set("_{}$\\") & set(read), read  # the words have no TeX left
        symbols += seen.count("$") // 2
        # the words say what the math shows: "LSTM forget bias $b_f$" is read "LSTM forget bias b f"
        assert read == spoken_description(seen.replace("$", "")), (seen, read)
    assert symbols >= {"memory": 1}.get(name, 3)


def test_description_symbols_become_math_and_words() -> None:
    assert math_description("weights on h_{t-1} ×") == "weights on $h_{t-1}$ ×"
    assert spoken_description("weights on h_{t-1} ×") == "weights on h t minus 1 ×"
    assert math_description("c_0") == "$c_0$" and spoken_description("c_0") == "c 0"
    assert math_description("candidate_scale") == "candidate_scale"  # a name, not a symbol
    assert description_arguments("noise level") == {"description": "noise level"}
    arguments = description_arguments("b_f (forget)")
    assert arguments["description_allow_html"] is True
    assert '<span aria-hidden="true">$b_f$ (forget)</span>' in arguments["description"]
