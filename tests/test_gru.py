"""The GRU cell: a hand-worked example, finite differences, PyTorch's layout, errors, extremes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_gradients import TOLERANCE, numeric_gradient, relative_error

from lstm import GRUCell, LSTMCell, RNNCell, sigmoid
from lstm.gru import gru_parameter_count

LN3 = math.log(3.0)  # σ(ln 3) = 3 / (3 + 1) = 0.75 exactly


def hand_cell() -> GRUCell:
    """One input, one hidden unit; weight columns are [on h_{t-1}, on x_t]."""
    return GRUCell.from_arrays(
        W_r=[[2.0, -1.0]], b_r=[0.0],
        W_z=[[1.0, -0.5]], b_z=[LN3],
        W_n=[[2.0, 0.5]], b_n=[0.25], b_hn=[-0.5],
    )


def test_step_matches_hand_computation():
    """x_t = 1, h_{t-1} = 0.5, worked out on paper.

    z_r = 2·0.5 − 1·1 + 0        = 0       r = σ(0)    = 0.5
    z_z = 1·0.5 − 0.5·1 + ln 3   = ln 3    z = σ(ln 3) = 3/4 = 0.75
    n_x = 0.5·1 + 0.25           = 0.75    (the candidate's input part, with b_n)
    n_h = 2·0.5 − 0.5            = 0.5     (its hidden part, with b_hn, before the reset)
    z_n = n_x + r·n_h = 0.75 + 0.5·0.5 = 1
    n   = tanh(1)                = 0.761594
    h   = (1 − z)·n + z·h_{t-1} = 0.25·0.761594 + 0.75·0.5 = 0.190399 + 0.375 = 0.565399
    """
    step = hand_cell().step([1.0], h_prev=[0.5])
    np.testing.assert_allclose(step.hx, [0.5, 1.0])
    np.testing.assert_allclose([step.z_r[0], step.z_z[0]], [0.0, LN3], atol=1e-15)
    np.testing.assert_allclose([step.n_x[0], step.n_h[0], step.z_n[0]], [0.75, 0.5, 1.0], atol=1e-15)
    np.testing.assert_allclose(step.r, [0.5], atol=1e-15)
    np.testing.assert_allclose(step.z, [0.75], atol=1e-15)
    np.testing.assert_allclose(step.n, [0.761594], atol=1e-6)
    np.testing.assert_allclose(step.h, [0.565399], atol=1e-6)
    assert step.reset_gate is step.r and step.update_gate is step.z and step.candidate is step.n


def test_run_two_steps_matches_hand_computation():
    """Inputs 1 then 0 from h0 = 0.5 (step 1 is the example above), with a calculator.

    Step 2 (x = 0, h_1 = 0.565399):
    z_r = 2·0.565399 = 1.130797           r = σ(1.130797) = 0.755986
    z_z = 0.565399 + ln 3 = 1.664011      z = σ(1.664011) = 0.840776
    n_x = 0.5·0 + 0.25 = 0.25             n_h = 2·0.565399 − 0.5 = 0.630797
    z_n = 0.25 + 0.755986·0.630797 = 0.726874     n = tanh(0.726874) = 0.621149
    h_2 = 0.159224·0.621149 + 0.840776·0.565399 = 0.574275
    """
    trace = hand_cell().run([[1.0], [0.0]], h0=[0.5])
    np.testing.assert_allclose(trace.r[:, 0], [0.5, 0.755986], atol=1e-6)
    np.testing.assert_allclose(trace.z[:, 0], [0.75, 0.840776], atol=1e-6)
    np.testing.assert_allclose(trace.n_h[:, 0], [0.5, 0.630797], atol=1e-6)
    np.testing.assert_allclose(trace.z_n[:, 0], [1.0, 0.726874], atol=1e-6)
    np.testing.assert_allclose(trace.n[:, 0], [0.761594, 0.621149], atol=1e-6)
    np.testing.assert_allclose(trace.h[:, 0], [0.565399, 0.574275], atol=1e-6)
    np.testing.assert_allclose(trace.h_prev[:, 0], [0.5, 0.565399], atol=1e-6)
    np.testing.assert_allclose(trace.h_last, [0.574275], atol=1e-6)


def test_chapter_running_example_matches_hand_computation():
    """Chapter 10: the GRU with the running example's weights, x_t = 1, h_{t-1} = 0.2.

    r = σ(0·0.2 + 1·1 + 0) = σ(1) = 0.731059      z = σ(0.5·0.2 + 2·1 − 1) = σ(1.1) = 0.750260
    n_x = −1.5·1 + 0.5 = −1                      n_h = 1·0.2 + 0 = 0.2
    z_n = −1 + 0.731059·0.2 = −0.853788          n = tanh(−0.853788) = −0.693043
    h = 0.249740·(−0.693043) + 0.750260·0.2 = −0.173081 + 0.150052 = −0.023029
    """
    cell = GRUCell.from_arrays(W_z=[[0.5, 2.0]], b_z=[-1.0], W_r=[[0.0, 1.0]], b_r=[0.0],
                               W_n=[[1.0, -1.5]], b_n=[0.5], b_hn=[0.0])
    step = cell.step([1.0], h_prev=[0.2])
    np.testing.assert_allclose([step.r[0], step.z[0]], [0.731059, 0.750260], atol=1e-6)
    np.testing.assert_allclose([step.n_x[0], step.n_h[0]], [-1.0, 0.2], atol=1e-15)
    np.testing.assert_allclose([step.z_n[0], step.n[0]], [-0.853788, -0.693043], atol=1e-6)
    np.testing.assert_allclose(step.h, [-0.023029], atol=1e-6)


def test_update_gate_interpolates_between_old_state_and_candidate():
    """z = 1 keeps h_{t-1} exactly, z = 0 replaces it by the candidate."""
    for update_bias, keeps_old in [(1000.0, True), (-1000.0, False)]:
        cell = GRUCell.from_arrays(W_r=[[0.0, 0.0]], b_r=[0.0], W_z=[[0.0, 0.0]], b_z=[update_bias],
                                   W_n=[[1.0, 1.0]], b_n=[0.0], b_hn=[0.0])
        step = cell.step([0.3], h_prev=[0.8])
        expected = 0.8 if keeps_old else math.tanh(0.3 + 0.5 * 0.8)
        assert step.h[0] == pytest.approx(expected, abs=1e-12)


def test_reset_gate_multiplies_the_product_not_the_state():
    """PyTorch's form: the reset multiplies W_n^h h + b_hn.  Cho et al. 2014 would give
    tanh(0.5·1 + 2·(0.5·0.5) + 0.25 − 0.5) = tanh(0.75) for the hand example, not tanh(1)."""
    step = hand_cell().step([1.0], h_prev=[0.5])
    pytorch_form = 0.5 * 1 + 0.25 + step.r[0] * (2.0 * 0.5 - 0.5)
    cho_form = 0.5 * 1 + 2.0 * (step.r[0] * 0.5) + 0.25 - 0.5
    assert step.z_n[0] == pytest.approx(pytorch_form, abs=1e-15)
    assert abs(step.z_n[0] - cho_form) == pytest.approx(0.25, abs=1e-15)


# --------------------------------------------------------------- gradients
CASES = {
    "unbatched": dict(steps=5, batch=None, lengths=None),
    "batched": dict(steps=5, batch=3, lengths=None),
    "lengths": dict(steps=6, batch=3, lengths=[6, 2, 4]),
}


def make_problem(steps, batch, seed=0, input_size=2, hidden=3):
    rng = np.random.default_rng(seed)
    lead = (steps,) if batch is None else (steps, batch)
    state = (hidden,) if batch is None else (batch, hidden)
    return {
        "xs": rng.normal(size=lead + (input_size,)),
        "h0": rng.normal(size=state) * 0.5,
        # The loss: a fixed random linear read of every output and of the final state.
        "weights_h": rng.normal(size=lead + (hidden,)),
        "weights_h_last": rng.normal(size=state),
    }


def random_gru(seed: int) -> GRUCell:
    """A GRU with every bias non-zero and weights large enough to make the gates work."""
    cell = GRUCell(2, 3, seed=seed)
    rng = np.random.default_rng(seed + 100)
    for array in cell.parameters.values():
        array[...] = rng.normal(size=array.shape)
    return cell


@pytest.mark.parametrize("case", CASES)
def test_gru_gradients_match_finite_differences(case):
    options = CASES[case]
    cell = random_gru(1)
    p = make_problem(options["steps"], options["batch"])
    lengths = options["lengths"]

    def loss() -> float:
        trace = cell.run(p["xs"], p["h0"], lengths=lengths)
        return float(np.sum(p["weights_h"] * trace.h) + np.sum(p["weights_h_last"] * trace.h_last))

    trace = cell.run(p["xs"], p["h0"], lengths=lengths)
    grads = cell.backward(trace, p["weights_h"], dh_last=p["weights_h_last"])
    assert set(grads.parameters) == set(GRUCell.PARAMETER_NAMES)
    for name, array in cell.parameters.items():
        numeric = numeric_gradient(loss, array)
        assert np.abs(numeric).max() > 1e-3, name       # the check is not vacuous
        assert relative_error(grads.parameters[name], numeric) < TOLERANCE, name
    assert relative_error(grads.dx, numeric_gradient(loss, p["xs"])) < TOLERANCE
    assert relative_error(grads.dh0, numeric_gradient(loss, p["h0"])) < TOLERANCE
    if lengths is not None:  # padding steps get no input gradient
        for row, length in enumerate(lengths):
            assert np.all(grads.dx[length:, row] == 0)


@pytest.mark.parametrize("batch", [None, 2])
def test_per_step_gradients_are_the_gradients_reaching_each_state(batch):
    cell = random_gru(3)
    p = make_problem(5, batch, seed=3)
    trace = cell.run(p["xs"], p["h0"])
    grads = cell.backward(trace, p["weights_h"], dh_last=p["weights_h_last"])

    def loss_from(t: int, h_t: np.ndarray) -> float:
        """The loss as a function of the state after step t (outputs up to t held fixed)."""
        total = float(np.sum(p["weights_h"][:t] * trace.h[:t]) + np.sum(p["weights_h"][t] * h_t))
        if t + 1 < len(p["xs"]):
            rest = cell.run(p["xs"][t + 1:], h_t)
            total += float(np.sum(p["weights_h"][t + 1:] * rest.h))
            h_t = rest.h_last
        return total + float(np.sum(p["weights_h_last"] * h_t))

    for t in range(len(p["xs"])):
        h_t = trace.h[t].copy()
        numeric = numeric_gradient(lambda t=t, h_t=h_t: loss_from(t, h_t), h_t)
        assert relative_error(grads.dh[t], numeric) < TOLERANCE, t


# ---------------------------------------------------------------- properties
def test_batched_run_and_lengths_equal_running_each_row_alone():
    rng = np.random.default_rng(5)
    xs, h0 = rng.normal(size=(7, 4, 2)) * 2, rng.normal(size=(4, 3))
    cell = GRUCell(2, 3, seed=5)
    lengths = [7, 3, 1, 5]
    trace = cell.run(xs, h0, lengths=lengths)
    full = cell.run(xs, h0)
    for row, length in enumerate(lengths):
        alone = cell.run(xs[:length, row], h0[row])
        np.testing.assert_allclose(trace.h[:length, row], alone.h, rtol=0, atol=1e-14)
        np.testing.assert_allclose(full.h[:, row], cell.run(xs[:, row], h0[row]).h, rtol=0, atol=1e-14)
        assert np.all(trace.h[length:, row] == 0.0) and np.all(trace.z[length:, row] == 0.0)
        np.testing.assert_array_equal(trace.h_prev[length:, row],
                                      np.broadcast_to(trace.h_last[row], trace.h_prev[length:, row].shape))
        np.testing.assert_allclose(trace.h_last[row], alone.h_last, rtol=0, atol=1e-14)
    assert trace.mask.shape == (7, 4) and trace.mask.sum() == sum(lengths)
    np.testing.assert_allclose(cell.step(xs[0], h0).h, full.h[0], rtol=0, atol=1e-15)


def test_gates_in_range_and_same_seed_same_cell():
    rng = np.random.default_rng(6)
    trace = GRUCell(2, 4, seed=6).run(rng.normal(size=(9, 3, 2)) * 3)
    for name in ("r", "z"):
        assert np.all((getattr(trace, name) > 0) & (getattr(trace, name) < 1)), name
    assert np.all(np.abs(trace.n) < 1) and np.all(np.abs(trace.h) < 1)
    first, again, other = GRUCell(3, 5, seed=7), GRUCell(3, 5, seed=7), GRUCell(3, 5, seed=8)
    for name in GRUCell.PARAMETER_NAMES:
        np.testing.assert_array_equal(first.parameters[name], again.parameters[name])
    assert not np.array_equal(first.W_r, other.W_r)


def test_initialisation_follows_pytorch_bounds():
    cell = GRUCell(3, 16, seed=0)
    bound = 1 / math.sqrt(16)
    for name in ("W_r", "W_z", "W_n"):
        assert cell.parameters[name].shape == (16, 19)
        assert np.all(np.abs(cell.parameters[name]) <= bound)
    for name in ("b_r", "b_z"):      # sums of PyTorch's two biases
        assert np.all(np.abs(cell.parameters[name]) <= 2 * bound)
        assert np.abs(cell.parameters[name]).max() > bound / 2
    for name in ("b_n", "b_hn"):     # one of PyTorch's biases each
        assert np.all(np.abs(cell.parameters[name]) <= bound)


def test_num_parameters_formula():
    assert GRUCell(3, 5).num_parameters == 3 * 5 * (5 + 3) + 4 * 5 == 140
    assert gru_parameter_count(3, 5) == GRUCell(3, 5).num_parameters
    assert GRUCell(1, 1).num_parameters == 10
    # PyTorch stores two more biases per unit (the gate biases appear only summed).
    torch_like = GRUCell(3, 5).to_pytorch()
    assert sum(array.size for array in torch_like.values()) == 140 + 2 * 5


def test_parameters_are_live_and_copy_is_independent():
    cell = GRUCell(1, 1, seed=0)
    clone = cell.copy()
    cell.parameters["b_hn"][0] = 5.0
    assert cell.b_hn[0] == 5.0 and clone.b_hn[0] != 5.0
    cell.b_z = [2.0]
    assert cell.parameters["b_z"][0] == 2.0
    with pytest.raises(ValueError, match=r"b_z has shape \(2,\); expected \(1,\)"):
        cell.b_z = [1.0, 2.0]


def test_float32_cells_compute_in_float32():
    cell = GRUCell(2, 3, seed=0, dtype=np.float32)
    trace = cell.run(np.ones((4, 2)))
    assert trace.h.dtype == np.float32 and cell.W_n.dtype == np.float32


# ---------------------------------------------------------------- PyTorch
def pytorch_gru_step(arrays: dict, x: np.ndarray, h: np.ndarray) -> np.ndarray:
    """PyTorch's documented nn.GRUCell equations, written against its own layout.

    r = σ(W_ir x + b_ir + W_hr h + b_hr);  z = σ(W_iz x + b_iz + W_hz h + b_hz)
    n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn));  h' = (1 − z) ⊙ n + z ⊙ h
    """
    gi = arrays["weight_ih"] @ x + arrays["bias_ih"]
    gh = arrays["weight_hh"] @ h + arrays["bias_hh"]
    i_r, i_z, i_n = np.split(gi, 3)
    h_r, h_z, h_n = np.split(gh, 3)
    r = sigmoid(i_r + h_r)
    z = sigmoid(i_z + h_z)
    n = np.tanh(i_n + r * h_n)
    return (1 - z) * n + z * h


def random_pytorch_arrays(seed: int, input_size: int = 2, hidden: int = 3) -> dict:
    rng = np.random.default_rng(seed)
    return {"weight_ih": rng.normal(size=(3 * hidden, input_size)),
            "weight_hh": rng.normal(size=(3 * hidden, hidden)),
            "bias_ih": rng.normal(size=3 * hidden), "bias_hh": rng.normal(size=3 * hidden)}


def test_pytorch_equations_on_pytorch_arrays_give_our_step():
    arrays = random_pytorch_arrays(0)
    cell = GRUCell.from_pytorch(**arrays)
    rng = np.random.default_rng(1)
    for _ in range(3):
        x, h = rng.normal(size=2), rng.normal(size=3)
        np.testing.assert_allclose(cell.step(x, h).h, pytorch_gru_step(arrays, x, h), rtol=0, atol=1e-14)
    # The candidate's hidden bias stays inside the reset: it is bias_hh's third block.
    np.testing.assert_array_equal(cell.b_hn, arrays["bias_hh"][6:9])
    np.testing.assert_array_equal(cell.b_n, arrays["bias_ih"][6:9])
    np.testing.assert_allclose(cell.b_z, arrays["bias_ih"][3:6] + arrays["bias_hh"][3:6])
    np.testing.assert_array_equal(cell.W_r[:, 3:], arrays["weight_ih"][0:3])
    np.testing.assert_array_equal(cell.W_n[:, :3], arrays["weight_hh"][6:9])


def test_pytorch_layout_round_trips():
    cell = GRUCell(3, 4, seed=12)
    exported = cell.to_pytorch()
    assert exported["weight_ih"].shape == (12, 3) and exported["weight_hh"].shape == (12, 4)
    assert exported["bias_ih"].shape == (12,) and exported["bias_hh"].shape == (12,)
    rebuilt = GRUCell.from_pytorch(**exported)
    for name in GRUCell.PARAMETER_NAMES:
        np.testing.assert_array_equal(rebuilt.parameters[name], cell.parameters[name])
    again = rebuilt.to_pytorch()
    for name in exported:
        np.testing.assert_array_equal(again[name], exported[name])
    rng = np.random.default_rng(2)
    x, h = rng.normal(size=3), rng.normal(size=4)
    np.testing.assert_allclose(pytorch_gru_step(exported, x, h), cell.step(x, h).h, rtol=0, atol=1e-14)
    # From PyTorch arrays with both biases everywhere, the export computes the same step.
    arrays = random_pytorch_arrays(3)
    reexported = GRUCell.from_pytorch(**arrays).to_pytorch()
    x, h = rng.normal(size=2), rng.normal(size=3)
    np.testing.assert_allclose(pytorch_gru_step(reexported, x, h), pytorch_gru_step(arrays, x, h),
                               rtol=0, atol=1e-14)


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize("call, error, pattern", [
    (lambda c: c.step(np.zeros(5)), ValueError, r"x has shape \(5,\); expected \(4,\)"),
    (lambda c: c.step(np.zeros((2, 4)), h_prev=np.zeros(3)), ValueError,
     r"h_prev has shape \(3,\); expected \(batch, hidden\) = \(2, 3\)"),
    (lambda c: c.step([np.nan, 0, 0, 0]), ValueError, r"x must contain only finite numbers"),
    (lambda c: c.step("1234"), TypeError, r"x must be an array of real numbers; got str"),
    (lambda c: c.run(np.zeros((5, 2, 3))), ValueError, r"xs has shape \(5, 2, 3\); expected \(T, batch, 4\)"),
    (lambda c: c.run(np.zeros((5, 2, 4)), h0=np.zeros(3)), ValueError, r"h0 has shape \(3,\)"),
    (lambda c: c.run(np.zeros((5, 2, 4)), lengths=[5, 6]), ValueError,
     r"lengths must lie between 1 and T=5; got values from 5 to 6"),
    (lambda c: c.run(np.zeros((5, 4)), lengths=[5]), ValueError, r"lengths was given but xs is unbatched"),
    (lambda c: c.backward(LSTMCell(4, 3).run(np.zeros((2, 4))), np.zeros((2, 3))), TypeError,
     r"trace must be a GRUTrace from GRUCell.run; got LSTMTrace"),
    (lambda c: c.backward(c.run(np.zeros((5, 2, 4))), np.zeros((5, 3))), ValueError,
     r"dh has shape \(5, 3\); expected \(5, 2, 3\)"),
    (lambda c: c.backward(c.run(np.zeros((5, 2, 4))), np.zeros((5, 2, 3)), dh_last=np.zeros(3)),
     ValueError, r"dh_last has shape \(3,\); expected \(2, 3\)"),
    (lambda c: c.backward(GRUCell(2, 3).run(np.zeros((2, 2))), np.zeros((2, 3))), ValueError,
     r"trace has input size 2 and hidden size 3; expected 4 and 3"),
])
def test_bad_input_raises_naming_the_argument(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call(GRUCell(input_size=4, hidden_size=3, seed=0))


@pytest.mark.parametrize("call, error, pattern", [
    (lambda: GRUCell(0, 3), ValueError, r"input_size must be a positive integer; got 0"),
    (lambda: GRUCell(2, 2.5), TypeError, r"hidden_size must be a positive integer"),
    (lambda: GRUCell(2, 3, seed="a"), TypeError, r"seed must be an integer"),
    (lambda: GRUCell(2, 3, dtype=np.int64), TypeError, r"dtype must be a floating type"),
    (lambda: GRUCell.from_arrays(W_r=[[1.0]], W_z=[[1.0]], W_n=[[1.0]], b_r=[0], b_z=[0], b_n=[0],
                                 b_hn=[0]), ValueError, r"W_r has shape \(1, 1\); expected \(hidden, hidden"),
    (lambda: GRUCell.from_arrays(W_r=[[1.0, 1.0]], W_z=[[1.0, 1.0]], W_n=[[1.0, 1.0, 1.0]], b_r=[0],
                                 b_z=[0], b_n=[0], b_hn=[0]), ValueError,
     r"W_n has shape \(1, 3\); expected \(1, 2\) like W_r"),
    (lambda: GRUCell.from_arrays(W_r=[[1.0, 1.0]], W_z=[[1.0, 1.0]], W_n=[[1.0, 1.0]], b_r=[0],
                                 b_z=[0], b_n=[0], b_hn=[0, 0]), ValueError,
     r"b_hn has shape \(2,\); expected \(1,\) to match hidden=1"),
    (lambda: GRUCell.from_pytorch(np.zeros((6, 2)), np.zeros((6, 3)), np.zeros(6), np.zeros(6)),
     ValueError, r"weight_hh has shape \(6, 3\); expected \(3\*hidden, hidden\)"),
    (lambda: GRUCell.from_pytorch(np.zeros((8, 2)), np.zeros((9, 3)), np.zeros(9), np.zeros(9)),
     ValueError, r"weight_ih has shape \(8, 2\); expected \(3\*hidden, input\) = \(9, input\)"),
    (lambda: GRUCell.from_pytorch(np.zeros((9, 2)), np.zeros((9, 3)), np.zeros(8), np.zeros(9)),
     ValueError, r"bias_ih has shape \(8,\); expected \(9,\)"),
])
def test_bad_construction_raises_naming_the_argument(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


# ---------------------------------------------------------------- extremes
def test_extreme_inputs_stay_finite_without_warnings():
    cell = GRUCell.from_arrays(W_r=[[0.0, 1000.0]], b_r=[0.0], W_z=[[1000.0, -1000.0]], b_z=[0.0],
                               W_n=[[1000.0, 1000.0]], b_n=[0.0], b_hn=[0.0])
    with np.errstate(all="raise"):
        for x in (1.0, -1.0, 1e300, -1e300):
            trace = cell.run([[x], [x], [-x]], h0=[1.0])
            for name, value in trace.as_dict().items():
                assert np.all(np.isfinite(value)), name
            grads = cell.backward(trace, np.ones_like(trace.h))
            for name, value in grads.parameters.items():
                assert np.all(np.isfinite(value)), name
            assert np.all(np.isfinite(grads.dx)) and np.all(np.isfinite(grads.dh0))
        big = GRUCell(4, 3, seed=0).run(np.full((5, 2, 4), 1e300), lengths=[5, 2])
        assert np.all(np.isfinite(big.h)) and np.all(np.abs(big.h) <= 1)


def test_gru_sits_between_rnn_and_lstm_in_size():
    for inputs, hidden in [(1, 1), (3, 5), (8, 64)]:
        rnn, gru, lstm = RNNCell(inputs, hidden), GRUCell(inputs, hidden), LSTMCell(inputs, hidden)
        assert rnn.num_parameters < gru.num_parameters < lstm.num_parameters
        assert gru.num_parameters == 3 * rnn.num_parameters + hidden


def test_olahs_convention_is_the_same_cell_with_the_update_gate_negated():
    """Chapter 10's warning: Olah writes h_t = (1 - z) h_{t-1} + z h~; with z' = 1 - z = σ(-z_z)
    that is our h_t = (1 - z) n + z h_{t-1}, so flipping the update gate's weights and bias
    turns one convention into the other, and a bias of +3 keeps memory only in ours."""
    cell = GRUCell(2, 3, seed=0)
    rng = np.random.default_rng(0)
    x, h_prev = rng.standard_normal(2), rng.standard_normal(3)
    ours = cell.step(x, h_prev)
    olah_z = sigmoid(-(cell.W_z @ np.concatenate([h_prev, x]) + cell.b_z))   # Olah's z with flipped weights
    olah_h = (1 - olah_z) * h_prev + olah_z * ours.n
    np.testing.assert_allclose(olah_h, ours.h, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(1 - sigmoid(3.0), sigmoid(-3.0), rtol=1e-14)
    keeper = GRUCell.from_arrays(W_z=[[0.0, 0.0]], b_z=[3.0], W_r=[[0.0, 0.0]], b_r=[0.0],
                                 W_n=[[0.0, 1.0]], b_n=[0.0], b_hn=[0.0])
    step = keeper.step([0.0], h_prev=[1.0])                 # candidate 0: what is kept is z h_{t-1}
    assert step.h[0] == pytest.approx(float(sigmoid(3.0)))  # ours keeps 95 %
    olah_kept = (1 - sigmoid(3.0)) * 1.0                    # Olah's form, same bias: keeps 5 %
    assert olah_kept < 0.05
