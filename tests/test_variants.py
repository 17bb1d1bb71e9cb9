"""Peephole and coupled input-forget LSTMs: hand-worked steps, finite differences, counts, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_gradients import TOLERANCE, numeric_gradient, relative_error

from lstm import GRUCell, LSTMCell, RNNCell
from lstm.gru import gru_parameter_count
from lstm.variants import (
    CoupledLSTMCell,
    LSTMVariantTrace,
    PeepholeLSTMCell,
    coupled_lstm_parameter_count,
    lstm_parameter_count,
    parameter_counts,
    peephole_lstm_parameter_count,
    rnn_parameter_count,
)

# The book's running example (chapters 3 to 5): x_t = 1, h_{t-1} = 0.2, c_{t-1} = 0.8.
RUNNING = dict(W_f=[[0.5, 2.0]], b_f=[-1.0], W_i=[[0.0, 1.0]], b_i=[0.0],
               W_c=[[1.0, -1.5]], b_c=[0.5], W_o=[[0.0, 1.0]], b_o=[1.0])


def test_peephole_step_matches_hand_computation():
    """The running example with peepholes p_f = 0.5, p_i = −1.25, p_o = 1, by calculator.

    z_f = 0.5·0.2 + 2·1 − 1 + 0.5·0.8 = 1.1 + 0.4 = 1.5      f = σ(1.5) = 0.817574
    z_i = 0·0.2 + 1·1 + 0 − 1.25·0.8 = 1 − 1 = 0             i = σ(0)   = 0.5
    z_c = 1·0.2 − 1.5·1 + 0.5 = −0.8                         c̃ = tanh(−0.8) = −0.664037
    c   = 0.817574·0.8 + 0.5·(−0.664037) = 0.654060 − 0.332018 = 0.322041
    z_o = 0·0.2 + 1·1 + 1 + 1·0.322041 = 2.322041  (the output gate sees the NEW state c_t)
    o   = σ(2.322041) = 0.910686;   tanh(c) = 0.311351;   h = 0.910686·0.311351 = 0.283543
    """
    cell = PeepholeLSTMCell.from_arrays(**RUNNING, p_f=[0.5], p_i=[-1.25], p_o=[1.0])
    step = cell.step([1.0], h_prev=[0.2], c_prev=[0.8])
    np.testing.assert_allclose([step.z_f[0], step.z_i[0], step.z_c[0]], [1.5, 0.0, -0.8], atol=1e-15)
    np.testing.assert_allclose(step.f, [0.817574], atol=1e-6)
    np.testing.assert_allclose(step.i, [0.5], atol=1e-15)
    np.testing.assert_allclose(step.c_tilde, [-0.664037], atol=1e-6)
    np.testing.assert_allclose(step.c, [0.322041], atol=1e-6)
    np.testing.assert_allclose(step.z_o, [2.322041], atol=1e-6)
    np.testing.assert_allclose(step.o, [0.910686], atol=1e-6)
    np.testing.assert_allclose(step.tanh_c, [0.311351], atol=1e-6)
    np.testing.assert_allclose(step.h, [0.283543], atol=1e-6)


def test_coupled_step_matches_hand_computation():
    """The running example without W_i, b_i: the input gate is 1 − f.

    z_f = 1.1            f = σ(1.1) = 0.750260      i = 1 − f = 0.249740
    c̃ = tanh(−0.8) = −0.664037
    c = 0.750260·0.8 + 0.249740·(−0.664037) = 0.600208 − 0.165836 = 0.434372
    o = σ(2) = 0.880797;  tanh(c) = 0.408968;  h = 0.880797·0.408968 = 0.360218
    (The standard LSTM writes i = σ(1) = 0.731059 of the candidate and ends at c = 0.114758.)
    """
    arrays = {name: value for name, value in RUNNING.items() if name not in ("W_i", "b_i")}
    step = CoupledLSTMCell.from_arrays(**arrays).step([1.0], h_prev=[0.2], c_prev=[0.8])
    assert step.z_i is None and "z_i" not in step.as_dict()
    np.testing.assert_allclose(step.z_f, [1.1], atol=1e-15)
    np.testing.assert_allclose(step.f, [0.750260], atol=1e-6)
    np.testing.assert_allclose(step.i, [0.249740], atol=1e-6)
    np.testing.assert_allclose(step.f + step.i, [1.0], atol=1e-15)
    np.testing.assert_allclose(step.c, [0.434372], atol=1e-6)
    np.testing.assert_allclose(step.o, [0.880797], atol=1e-6)
    np.testing.assert_allclose(step.h, [0.360218], atol=1e-6)
    standard = LSTMCell.from_arrays(**RUNNING).step([1.0], h_prev=[0.2], c_prev=[0.8])
    np.testing.assert_allclose(standard.c, [0.114758], atol=1e-6)


def test_zero_peepholes_compute_the_lstm():
    rng = np.random.default_rng(0)
    lstm = LSTMCell(2, 3, seed=4, forget_bias=1.0)
    peephole = PeepholeLSTMCell.from_lstm(lstm)
    xs, h0, c0 = rng.normal(size=(6, 2, 2)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    ours, theirs = peephole.run(xs, h0, c0, lengths=[6, 3]), lstm.run(xs, h0, c0, lengths=[6, 3])
    for name in ("f", "i", "c_tilde", "c", "o", "h", "c_prev", "h_prev"):
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=0, atol=1e-14,
                                   err_msg=name)
    mine = peephole.backward(ours, np.ones_like(ours.h))
    reference = lstm.backward(theirs, np.ones_like(theirs.h))
    for name in LSTMCell.PARAMETER_NAMES:
        np.testing.assert_allclose(mine.parameters[name], reference.parameters[name], rtol=0, atol=1e-12)
    np.testing.assert_allclose(mine.dc, reference.dc, rtol=0, atol=1e-12)
    # Non-zero peepholes change the result.
    assert not np.allclose(PeepholeLSTMCell.from_lstm(lstm, p_o=1.0).run(xs, h0, c0).h, theirs.h)


def test_coupled_cell_is_an_lstm_whose_input_weights_are_minus_the_forget_weights():
    """σ(−z) = 1 − σ(z), so W_i = −W_f and b_i = −b_f give i = 1 − f in a standard LSTM."""
    coupled = CoupledLSTMCell(2, 3, seed=5)
    w = coupled.parameters
    lstm = LSTMCell.from_arrays(W_f=w["W_f"], W_i=-w["W_f"], W_c=w["W_c"], W_o=w["W_o"],
                                b_f=w["b_f"], b_i=-w["b_f"], b_c=w["b_c"], b_o=w["b_o"])
    rng = np.random.default_rng(5)
    xs, h0, c0 = rng.normal(size=(7, 2)), rng.normal(size=3), rng.normal(size=3)
    np.testing.assert_allclose(coupled.run(xs, h0, c0).h, lstm.run(xs, h0, c0).h, rtol=0, atol=1e-14)


def test_coupled_cell_state_is_a_weighted_average_and_stays_bounded():
    rng = np.random.default_rng(6)
    trace = CoupledLSTMCell(2, 4, seed=6).run(rng.normal(size=(50, 3, 2)) * 5, c0=np.full((3, 4), 0.5))
    np.testing.assert_allclose(trace.f + trace.i, 1.0, rtol=0, atol=1e-15)
    assert np.all(np.abs(trace.c) <= 1.0)       # |c_0| < 1 and |c̃| < 1, so every average is too
    growing = LSTMCell(2, 4, seed=6, forget_bias=5.0)
    growing.b_i = [5.0] * 4
    growing.b_c = [5.0] * 4
    assert np.abs(growing.run(np.zeros((50, 2))).c).max() > 10   # the standard cell can outgrow 1


# --------------------------------------------------------------- gradients
CASES = {
    "unbatched": dict(steps=5, batch=None, lengths=None),
    "batched": dict(steps=5, batch=3, lengths=None),
    "lengths": dict(steps=6, batch=3, lengths=[6, 2, 4]),
}
CELLS = {"peephole": PeepholeLSTMCell, "coupled": CoupledLSTMCell}


def random_cell(kind: str, seed: int):
    cell = CELLS[kind](2, 3, seed=seed)
    rng = np.random.default_rng(seed + 100)
    for array in cell.parameters.values():
        array[...] = rng.normal(size=array.shape)
    return cell


@pytest.mark.parametrize("kind", CELLS)
@pytest.mark.parametrize("case", CASES)
def test_gradients_match_finite_differences(kind, case):
    options = CASES[case]
    cell = random_cell(kind, 1)
    rng = np.random.default_rng(0)
    lead = (options["steps"],) if options["batch"] is None else (options["steps"], options["batch"])
    state = (3,) if options["batch"] is None else (options["batch"], 3)
    xs, h0, c0 = rng.normal(size=lead + (2,)), rng.normal(size=state) * 0.5, rng.normal(size=state)
    weights_h, weights_h_last, weights_c_last = (rng.normal(size=lead + (3,)), rng.normal(size=state),
                                                 rng.normal(size=state))
    lengths = options["lengths"]

    def loss() -> float:
        trace = cell.run(xs, h0, c0, lengths=lengths)
        return float(np.sum(weights_h * trace.h) + np.sum(weights_h_last * trace.h_last)
                     + np.sum(weights_c_last * trace.c_last))

    trace = cell.run(xs, h0, c0, lengths=lengths)
    grads = cell.backward(trace, weights_h, dh_last=weights_h_last, dc_last=weights_c_last)
    assert list(grads.parameters) == list(cell.PARAMETER_NAMES)
    for name, array in cell.parameters.items():
        numeric = numeric_gradient(loss, array)
        assert np.abs(numeric).max() > 1e-3, name       # the check is not vacuous
        assert relative_error(grads.parameters[name], numeric) < TOLERANCE, name
        assert getattr(grads, name) is grads.parameters[name]
    assert relative_error(grads.dx, numeric_gradient(loss, xs)) < TOLERANCE
    assert relative_error(grads.dh0, numeric_gradient(loss, h0)) < TOLERANCE
    assert relative_error(grads.dc0, numeric_gradient(loss, c0)) < TOLERANCE
    if lengths is not None:
        for row, length in enumerate(lengths):
            assert np.all(grads.dx[length:, row] == 0)


@pytest.mark.parametrize("kind", CELLS)
def test_per_step_cell_state_gradients(kind):
    """grads.dc[t] is dLoss/dc_t, checked by nudging c_t and rerunning from there."""
    cell = random_cell(kind, 2)
    rng = np.random.default_rng(2)
    xs, h0, c0 = rng.normal(size=(5, 2)), rng.normal(size=3), rng.normal(size=3)
    weights_h = rng.normal(size=(5, 3))
    trace = cell.run(xs, h0, c0)
    grads = cell.backward(trace, weights_h)
    for t in range(5):
        c_t = trace.c[t].copy()

        def loss(t=t, c_t=c_t) -> float:
            # h_t depends on c_t directly and, with peepholes, through o_t = σ(z_o + p_o c_t).
            z_o = trace.z_o[t] + (cell.p_o * (c_t - trace.c[t]) if kind == "peephole" else 0)
            h_t = 1 / (1 + np.exp(-z_o)) * np.tanh(c_t)
            total = float(np.sum(weights_h[:t] * trace.h[:t]) + np.sum(weights_h[t] * h_t))
            if t + 1 < 5:
                total += float(np.sum(weights_h[t + 1:] * cell.run(xs[t + 1:], h_t, c_t).h))
            return total

        assert relative_error(grads.dc[t], numeric_gradient(loss, c_t)) < TOLERANCE, t


# ---------------------------------------------------------- parameter counts
@pytest.mark.parametrize("inputs, hidden", [(1, 1), (3, 5), (8, 64)])
def test_parameter_count_formulas_match_the_cells(inputs, hidden):
    counts = parameter_counts(inputs, hidden)
    assert counts == {
        "RNN": RNNCell(inputs, hidden).num_parameters,
        "coupled LSTM": CoupledLSTMCell(inputs, hidden).num_parameters,
        "GRU": GRUCell(inputs, hidden).num_parameters,
        "LSTM": LSTMCell(inputs, hidden).num_parameters,
        "peephole LSTM": PeepholeLSTMCell(inputs, hidden).num_parameters,
    }
    assert list(counts.values()) == sorted(counts.values())           # smallest first
    assert list(counts) == ["RNN", "coupled LSTM", "GRU", "LSTM", "peephole LSTM"]
    block = hidden * (hidden + inputs) + hidden
    assert rnn_parameter_count(inputs, hidden) == block
    assert lstm_parameter_count(inputs, hidden) == 4 * block
    assert coupled_lstm_parameter_count(inputs, hidden) == 3 * block
    assert peephole_lstm_parameter_count(inputs, hidden) == 4 * block + 3 * hidden
    assert gru_parameter_count(inputs, hidden) == 3 * block + hidden


def test_parameter_counts_by_hand():
    """I = 3, H = 5: one block is 5·8 + 5 = 45 numbers."""
    assert parameter_counts(3, 5) == {"RNN": 45, "GRU": 140, "coupled LSTM": 135, "LSTM": 180,
                                      "peephole LSTM": 195}


# --------------------------------------------------------- errors, extremes
@pytest.mark.parametrize("kind", CELLS)
def test_bad_input_raises_naming_the_argument(kind):
    cell = CELLS[kind](4, 3, seed=0)
    with pytest.raises(ValueError, match=r"x has shape \(3, 5\); expected \(batch, 4\)"):
        cell.step(np.zeros((3, 5)))
    with pytest.raises(ValueError, match=r"c_prev has shape \(5, 3\).*batch of 2"):
        cell.step(np.zeros((2, 4)), c_prev=np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"lengths must lie between 1 and T=5"):
        cell.run(np.zeros((5, 2, 4)), lengths=[0, 5])
    with pytest.raises(TypeError, match=r"xs must be an array of real numbers; got str"):
        cell.run("abc")
    trace = cell.run(np.zeros((5, 2, 4)))
    with pytest.raises(ValueError, match=r"dc_last has shape \(3,\); expected \(2, 3\)"):
        cell.backward(trace, np.zeros((5, 2, 3)), dc_last=np.zeros(3))
    with pytest.raises(TypeError, match=rf"trace must be an LSTMVariantTrace from {CELLS[kind].__name__}"):
        cell.backward(LSTMCell(4, 3).run(np.zeros((5, 4))), np.zeros((5, 3)))
    other = CoupledLSTMCell if kind == "peephole" else PeepholeLSTMCell
    with pytest.raises(ValueError, match=r"trace comes from a cell (with|without) an input gate"):
        cell.backward(other(4, 3).run(np.zeros((5, 4))), np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"b_f has shape \(2,\); expected \(3,\)"):
        cell.b_f = [1.0, 2.0]
    cell.b_f = [1.0, 2.0, 3.0]
    assert cell.parameters["b_f"].tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(AttributeError, match="has no attribute 'W_x'"):
        _ = cell.W_x
    with pytest.raises(ValueError, match=r"input_size must be a positive integer; got 0"):
        CELLS[kind](0, 3)


def test_from_arrays_checks_shapes():
    with pytest.raises(ValueError, match=r"p_o has shape \(2,\); expected \(1,\) to match hidden=1"):
        PeepholeLSTMCell.from_arrays(**RUNNING, p_f=[0.0], p_i=[0.0], p_o=[0.0, 0.0])
    with pytest.raises(ValueError, match=r"W_c has shape \(1, 3\); expected \(1, 2\) like W_f"):
        CoupledLSTMCell.from_arrays(W_f=[[1.0, 1.0]], W_c=[[1.0, 1.0, 1.0]], W_o=[[1.0, 1.0]],
                                    b_f=[0.0], b_c=[0.0], b_o=[0.0])
    with pytest.raises(TypeError, match="cell must be an LSTMCell; got GRUCell"):
        PeepholeLSTMCell.from_lstm(GRUCell(1, 1))
    with pytest.raises(ValueError, match=r"p_i has shape \(3,\); expected a number or \(2,\)"):
        PeepholeLSTMCell.from_lstm(LSTMCell(1, 2), p_i=[1.0, 2.0, 3.0])
    np.testing.assert_array_equal(PeepholeLSTMCell.from_lstm(LSTMCell(1, 2), p_o=[1.0, 2.0]).p_o, [1, 2])
    with pytest.raises(ValueError, match=r"cell must not be ablated"):
        PeepholeLSTMCell.from_lstm(LSTMCell(1, 1, ablate=["output_gate"]))


@pytest.mark.parametrize("kind", CELLS)
def test_extreme_inputs_stay_finite_without_warnings(kind):
    cell = CELLS[kind](1, 2, seed=0)
    for array in cell.parameters.values():
        array[...] = 1000.0 * np.sign(np.random.default_rng(1).normal(size=array.shape))
    with np.errstate(all="raise"):
        for x in (1.0, -1.0, 1e300, -1e300):
            trace = cell.run([[[x], [x]], [[-x], [x]], [[x], [-x]]], c0=[[1e300, -1e300], [1.0, 2.0]],
                             lengths=[3, 2])
            for name, value in trace.as_dict().items():
                assert np.all(np.isfinite(value)), name
            grads = cell.backward(trace, np.ones_like(trace.h))
            for name, value in grads.parameters.items():
                assert np.all(np.isfinite(value)), name


def test_traces_are_variant_traces_and_deterministic():
    for kind, cls in CELLS.items():
        first, again = cls(2, 3, seed=9).run(np.ones((4, 2))), cls(2, 3, seed=9).run(np.ones((4, 2)))
        assert isinstance(first, LSTMVariantTrace)
        np.testing.assert_array_equal(first.h, again.h, err_msg=kind)
        assert repr(cls(2, 3)) == f"{cls.__name__}(input_size=2, hidden_size=3)"
    bound = 1 / math.sqrt(16)
    peephole = PeepholeLSTMCell(3, 16, seed=0, forget_bias=1.0)
    assert np.all(peephole.b_f == 1.0)
    for name in ("p_f", "p_i", "p_o", "W_f", "W_o"):
        assert np.all(np.abs(peephole.parameters[name]) <= bound), name


# ------------------------------------------------- the chapter's comparison (experiments)
def test_parameter_table_lists_every_cell_and_checks_the_formulas():
    from lstm.experiments.variants import parameter_table

    table = parameter_table(input_size=3, hidden_sizes=(5,))
    header, row, caption, ratios = table.splitlines()
    assert header.split() == ["H", "RNN", "coupled", "LSTM", "GRU", "LSTM", "peephole", "LSTM"]
    assert row.split() == ["5", "45", "135", "140", "180", "195"]      # as counted by hand above
    assert caption == "relative to the LSTM at H = 5:"
    assert ratios.split() == ["0.250", "0.750", "0.778", "1.000", "1.083"]
    with pytest.raises(ValueError, match="hidden_sizes must hold at least one size"):
        parameter_table(hidden_sizes=())
    with pytest.raises(ValueError, match="hidden_size must be a positive integer; got 0"):
        parameter_table(hidden_sizes=(0,))


def test_comparison_cells_decay_alike_and_differ_at_a_pulse():
    from lstm.experiments.variants import FIRST_PULSE, SECOND_PULSE, compare_variants

    result = compare_variants(keep_bias=math.log(3.0), second_pulse=1.0)   # σ(ln 3) = 0.75
    lstm_c, gru_h = result.lstm.c[:, 0], result.gru.h[:, 0]
    quiet = np.arange(FIRST_PULSE + 2, SECOND_PULSE)              # steps with no input
    # With no input the LSTM's memory shrinks by f = 0.75 (plus a tiny write through i = σ(-4)
    # of a zero candidate) and the GRU's by z = 0.75: the same factor.
    np.testing.assert_allclose(lstm_c[quiet] / lstm_c[quiet - 1], 0.75, rtol=1e-12)
    np.testing.assert_allclose(gru_h[quiet] / gru_h[quiet - 1], 0.75, rtol=1e-12)
    # At the second pulse the LSTM keeps 75 % and adds i·c̃; the GRU keeps only z = σ(ln 3 − 8).
    i, c_tilde = 1 / (1 + math.exp(-4.0)), math.tanh(2.0)
    assert lstm_c[SECOND_PULSE] == pytest.approx(0.75 * lstm_c[SECOND_PULSE - 1] + i * c_tilde, abs=1e-12)
    z = 1 / (1 + math.exp(8.0 - math.log(3.0)))
    assert gru_h[SECOND_PULSE] == pytest.approx(z * gru_h[SECOND_PULSE - 1] + (1 - z) * c_tilde, abs=1e-12)
    # The LSTM adds to what it kept and ends above the candidate; the GRU's new state is an
    # average of its old state and the candidate, so it stays below it.
    assert lstm_c[SECOND_PULSE] > c_tilde > gru_h[SECOND_PULSE]
    # Here the reset gate has nothing to do, and the GRU's state is the coupled LSTM's cell state.
    np.testing.assert_allclose(gru_h, result.coupled.c[:, 0], rtol=0, atol=1e-15)
    assert result.memory_after(SECOND_PULSE + 1)["GRU h"] == gru_h[SECOND_PULSE]


def test_comparison_checks_its_arguments():
    from lstm.experiments.variants import compare_variants, plot_variant_comparison

    with pytest.raises(ValueError, match=r"keep_bias must lie between -2.0 and 8.0; got 9.0"):
        compare_variants(keep_bias=9.0)
    with pytest.raises(TypeError, match=r"second_pulse must be a real number; got '1'"):
        compare_variants(second_pulse="1")
    with pytest.raises(ValueError, match=r"steps must be an integer above 14; got 10"):
        compare_variants(steps=10)
    with pytest.raises(TypeError, match="result must be a VariantComparison; got dict"):
        plot_variant_comparison({})


def test_comparison_figure_has_labelled_axes_and_one_line_per_series():
    from lstm.experiments.variants import compare_variants, plot_variant_comparison

    figure = plot_variant_comparison(compare_variants())
    gates, states = figure.axes
    assert gates.get_xlabel() == states.get_xlabel() == "time step t"
    assert gates.get_ylabel() and states.get_ylabel()
    assert len(gates.get_lines()) == 4 + 2 and len(states.get_lines()) == 3 + 2   # + pulse markers
    assert [t.get_text() for t in states.get_legend().get_texts()][2] == "GRU hidden state $h_t$"


def test_comparison_gates_stay_visible_where_the_lstm_and_the_gru_coincide():
    """The write spikes of the LSTM (i_t) and the GRU (1 - z_t) at the first pulse lie on top of
    each other, as do the keep gates between the pulses; dots on the LSTM's gates inside larger
    open squares on the GRU's keep both visible there."""
    from matplotlib.colors import to_rgba

    from lstm.experiments.variants import FIRST_PULSE, compare_variants, plot_variant_comparison

    figure = plot_variant_comparison(compare_variants())
    figure.canvas.draw()
    lines = {line.get_label(): line for line in figure.axes[0].get_lines()}
    pairs = [(r"LSTM input $i_t$", r"GRU $1 - z_t$"), (r"LSTM forget $f_t$", r"GRU update $z_t$")]
    for lstm_label, gru_label in pairs:
        lstm_line, gru_line = lines[lstm_label], lines[gru_label]
        pixels = [line.get_transform().transform(np.column_stack(line.get_data()))
                  for line in (lstm_line, gru_line)]
        square_half = gru_line.get_markersize() * figure.dpi / 72 / 2
        close = np.flatnonzero(np.hypot(*(pixels[0] - pixels[1]).T) < square_half)
        assert close.size > 0, f"{lstm_label} and {gru_label} should meet somewhere (the case this is for)"
        if lstm_label.startswith("LSTM input"):
            assert FIRST_PULSE in close   # the write spikes at the first pulse coincide
        assert lstm_line.get_marker() == "o" and lstm_line.get_markevery() is None
        assert to_rgba(lstm_line.get_markerfacecolor()) == to_rgba(lstm_line.get_color())
        assert gru_line.get_marker() == "s" and gru_line.get_markevery() is None
        assert gru_line.get_markerfacecolor() == "none"          # open: the dot inside shows
        assert gru_line.get_markersize() >= 1.8 * lstm_line.get_markersize()


def test_variant_explorer_every_control_changes_the_figure_and_the_summary():
    from lstm.explorers import variant_explorer

    explorer = variant_explorer()
    start_png, start_text = explorer.image.value, explorer.describe()
    assert "Keep bias 3.0" in start_text and "95%" in start_text
    for name, value in (("keep_bias", 6.0), ("second_pulse", 1.0)):
        before_png, before_text = explorer.image.value, explorer.describe()
        explorer.set_values(**{name: value})
        assert explorer.image.value != before_png, name
        assert explorer.describe() != before_text, name
    explorer.reset()
    assert explorer.describe() == start_text and explorer.image.value == start_png
    explorer.close()


def test_variant_explorer_is_a_live_widget_in_static_mode(monkeypatch):
    from lstm.explorers import variant_explorer

    monkeypatch.setenv("LSTM_BOOK_STATIC", "1")
    static = variant_explorer()
    html = static._repr_mimebundle_()["text/markdown"]
    # both sliders (read from the ipywidgets into the spec), computed in the browser: no PNG frame
    assert '"name":"keep_bias"' in html and '"name":"second_pulse"' in html
    assert "compareVariants" in html and "data:image/png;base64" not in html
