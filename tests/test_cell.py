"""The LSTM cell: hand-worked values, properties, framework layouts and extreme inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lstm import LSTMCell, sigmoid, tanh

LN3 = math.log(3.0)  # σ(ln 3) = 3 / (3 + 1) = 0.75 exactly


def hand_cell() -> LSTMCell:
    """One input, one hidden unit; columns are [weight on h_{t-1}, weight on x_t]."""
    return LSTMCell.from_arrays(
        W_f=[[0.0, 1.0]], b_f=[-1.0],
        W_i=[[2.0, 0.0]], b_i=[0.0],
        W_c=[[0.0, 0.5]], b_c=[0.0],
        W_o=[[0.0, 0.0]], b_o=[LN3],
    )


def test_step_matches_hand_computation():
    """x_t = 1, h_{t-1} = 0.5, c_{t-1} = 2, worked out with a pocket calculator.

    z_f = 0·0.5 + 1·1 − 1 = 0          f = σ(0)   = 0.5
    z_i = 2·0.5 + 0·1 + 0 = 1          i = σ(1)   = 1 / (1 + e^-1) = 0.731059
    z_c = 0·0.5 + 0.5·1 + 0 = 0.5      c̃ = tanh(0.5) = 0.462117
    z_o = 0 + ln 3                     o = σ(ln 3) = 3/4 = 0.75
    c   = f·c_{t-1} + i·c̃ = 0.5·2 + 0.731059·0.462117 = 1.337835
    tanh(c) = 0.871151                 h = 0.75 · 0.871151 = 0.653363
    """
    step = hand_cell().step([1.0], h_prev=[0.5], c_prev=[2.0])
    np.testing.assert_allclose(step.hx, [0.5, 1.0])
    np.testing.assert_allclose([step.z_f[0], step.z_i[0], step.z_c[0], step.z_o[0]],
                               [0.0, 1.0, 0.5, LN3], atol=1e-15)
    np.testing.assert_allclose(step.f, [0.5], atol=1e-6)
    np.testing.assert_allclose(step.i, [0.731059], atol=1e-6)
    np.testing.assert_allclose(step.c_tilde, [0.462117], atol=1e-6)
    np.testing.assert_allclose(step.o, [0.75], atol=1e-12)
    np.testing.assert_allclose(step.c, [1.337835], atol=1e-6)
    np.testing.assert_allclose(step.tanh_c, [0.871151], atol=1e-6)
    np.testing.assert_allclose(step.h, [0.653363], atol=1e-6)
    # The long names are the same arrays.
    assert step.forget_gate is step.f and step.candidate is step.c_tilde
    assert step.input_gate is step.i and step.output_gate is step.o


def test_run_two_steps_matches_hand_computation():
    """Inputs 1 then 0, from h0 = 0.5, c0 = 2 (step 1 is the example above).

    Step 2 (x = 0, h_1 = 0.653363, c_1 = 1.337835):
    z_f = 0·h_1 + 1·0 − 1 = −1          f = σ(−1) = 0.268941
    z_i = 2·0.653363 = 1.306727         i = σ(1.306727) = 0.786965
    z_c = 0.5·0 = 0                     c̃ = 0
    c_2 = 0.268941·1.337835 + 0 = 0.359799
    h_2 = 0.75 · tanh(0.359799) = 0.75 · 0.345037 = 0.258778
    """
    trace = hand_cell().run([[1.0], [0.0]], h0=[0.5], c0=[2.0])
    np.testing.assert_allclose(trace.f[:, 0], [0.5, 0.268941], atol=1e-6)
    np.testing.assert_allclose(trace.i[:, 0], [0.731059, 0.786965], atol=1e-6)
    np.testing.assert_allclose(trace.c_tilde[:, 0], [0.462117, 0.0], atol=1e-6)
    np.testing.assert_allclose(trace.c[:, 0], [1.337835, 0.359799], atol=1e-6)
    np.testing.assert_allclose(trace.h[:, 0], [0.653363, 0.258778], atol=1e-6)
    np.testing.assert_allclose(trace.h_prev[:, 0], [0.5, 0.653363], atol=1e-6)
    np.testing.assert_allclose(trace.c_prev[:, 0], [2.0, 1.337835], atol=1e-6)
    np.testing.assert_allclose(trace.h_last, [0.258778], atol=1e-6)
    np.testing.assert_allclose(trace.c_last, [0.359799], atol=1e-6)


def test_forget_gate_values_scale_the_old_memory():
    """f = 0 wipes c_{t-1}, f = 1/2 halves it, f = 1 keeps it (with the input gate shut)."""
    for forget_bias, expected in [(-1000.0, 0.0), (0.0, 1.5), (1000.0, 3.0)]:
        cell = LSTMCell.from_arrays(
            W_f=[[0.0, 0.0]], b_f=[forget_bias], W_i=[[0.0, 0.0]], b_i=[-1000.0],
            W_c=[[0.0, 0.0]], b_c=[0.0], W_o=[[0.0, 0.0]], b_o=[0.0],
        )
        assert cell.step([0.3], c_prev=[3.0]).c[0] == pytest.approx(expected, abs=1e-12)


# ------------------------------------------------------------------ properties
def random_inputs(seed: int, steps: int = 7, batch: int = 3, input_size: int = 2, hidden: int = 4):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(steps, batch, input_size)) * 3,
            rng.normal(size=(batch, hidden)), rng.normal(size=(batch, hidden)))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gates_and_outputs_stay_in_their_ranges(seed):
    xs, h0, c0 = random_inputs(seed)
    trace = LSTMCell(2, 4, seed=seed).run(xs, h0, c0)
    for name in ("f", "i", "o"):
        values = getattr(trace, name)
        assert np.all((values > 0) & (values < 1)), name
    for name in ("c_tilde", "h", "tanh_c"):
        values = getattr(trace, name)
        assert np.all((values > -1) & (values < 1)), name


def test_batched_run_equals_running_each_row():
    xs, h0, c0 = random_inputs(3)
    cell = LSTMCell(2, 4, seed=3)
    batched = cell.run(xs, h0, c0)
    for row in range(xs.shape[1]):
        alone = cell.run(xs[:, row], h0[row], c0[row])
        for name in ("f", "i", "c_tilde", "c", "o", "h", "z_f", "hx"):
            np.testing.assert_allclose(getattr(batched, name)[:, row], getattr(alone, name),
                                       rtol=0, atol=1e-14, err_msg=name)
        np.testing.assert_allclose(batched.c_last[row], alone.c_last, rtol=0, atol=1e-14)


def test_batched_step_equals_step_per_row():
    xs, h0, c0 = random_inputs(4)
    cell = LSTMCell(2, 4, seed=4)
    batched = cell.step(xs[0], h0, c0)
    for row in range(xs.shape[1]):
        alone = cell.step(xs[0, row], h0[row], c0[row])
        np.testing.assert_allclose(batched.h[row], alone.h, rtol=0, atol=1e-15)


def test_lengths_equal_running_each_row_on_its_true_length():
    xs, h0, c0 = random_inputs(5, steps=8, batch=4)
    lengths = [8, 3, 1, 5]
    cell = LSTMCell(2, 4, seed=5)
    trace = cell.run(xs, h0, c0, lengths=lengths)
    for row, length in enumerate(lengths):
        alone = cell.run(xs[:length, row], h0[row], c0[row])
        np.testing.assert_allclose(trace.h[:length, row], alone.h, rtol=0, atol=1e-14)
        np.testing.assert_allclose(trace.c[:length, row], alone.c, rtol=0, atol=1e-14)
        assert np.all(trace.h[length:, row] == 0.0)           # outputs are zero past the end
        assert np.all(trace.f[length:, row] == 0.0)
        np.testing.assert_array_equal(trace.c[length:, row],  # the memory is carried
                                      np.broadcast_to(trace.c[length - 1, row],
                                                      trace.c[length:, row].shape))
        np.testing.assert_allclose(trace.h_last[row], alone.h_last, rtol=0, atol=1e-14)
        np.testing.assert_allclose(trace.c_last[row], alone.c_last, rtol=0, atol=1e-14)
    assert trace.mask.shape == (8, 4) and trace.mask.sum() == sum(lengths)


def test_same_seed_same_cell_and_different_seed_different_cell():
    first, again, other = LSTMCell(3, 5, seed=7), LSTMCell(3, 5, seed=7), LSTMCell(3, 5, seed=8)
    for name in LSTMCell.PARAMETER_NAMES:
        np.testing.assert_array_equal(first.parameters[name], again.parameters[name])
    assert not np.array_equal(first.W_f, other.W_f)


def test_initialisation_follows_pytorch_bounds_and_forget_bias_option():
    cell = LSTMCell(3, 16, seed=0)
    bound = 1 / math.sqrt(16)
    for name in ("W_f", "W_i", "W_c", "W_o"):
        weights = cell.parameters[name]
        assert weights.shape == (16, 19) and np.all(np.abs(weights) <= bound)
    for name in ("b_f", "b_i", "b_c", "b_o"):  # the sum of PyTorch's two biases
        assert cell.parameters[name].shape == (16,) and np.all(np.abs(cell.parameters[name]) <= 2 * bound)
    assert np.all(LSTMCell(3, 16, seed=0, forget_bias=1.0).b_f == 1.0)
    np.testing.assert_array_equal(LSTMCell(3, 16, seed=0, forget_bias=1.0).W_f, cell.W_f)


def test_num_parameters_is_four_gates_of_weights_and_biases():
    assert LSTMCell(3, 5).num_parameters == 4 * (5 * (5 + 3) + 5) == 180
    assert LSTMCell(1, 1).num_parameters == 12


def test_parameters_are_live_and_copy_is_independent():
    cell = LSTMCell(1, 1, seed=0)
    clone = cell.copy()
    cell.parameters["b_o"][0] = 5.0
    assert cell.b_o[0] == 5.0 and clone.b_o[0] != 5.0
    weight, bias = cell.gate_parameters("forget")
    weight[0, 0], bias[0] = 0.25, -0.5              # live views: editing them edits the cell
    assert cell.W_f[0, 0] == 0.25 and cell.b_f[0] == -0.5
    cell.b_f = [2.0]                                # assigning copies into the cell
    assert cell.parameters["b_f"][0] == 2.0
    with pytest.raises(ValueError, match=r"b_f has shape \(2,\); expected \(1,\)"):
        cell.b_f = [1.0, 2.0]


# -------------------------------------------------------------------- ablation
@pytest.mark.parametrize("part, attribute", [("forget_gate", "f"), ("input_gate", "i"),
                                             ("output_gate", "o")])
def test_ablated_gate_is_always_open(part, attribute):
    xs, h0, c0 = random_inputs(6)
    trace = LSTMCell(2, 4, seed=6, ablate=[part]).run(xs, h0, c0)
    assert np.all(getattr(trace, attribute) == 1.0)
    np.testing.assert_allclose(trace.c, trace.f * trace.c_prev + trace.i * trace.c_tilde)


def test_ablated_tanhs_become_identities():
    xs, h0, c0 = random_inputs(7)
    trace = LSTMCell(2, 4, seed=7, ablate=["candidate_tanh", "output_tanh"]).run(xs, h0, c0)
    np.testing.assert_array_equal(trace.c_tilde, trace.z_c)
    np.testing.assert_array_equal(trace.tanh_c, trace.c)


# ------------------------------------------------------------------ frameworks
def pytorch_step(arrays: dict, x: np.ndarray, h: np.ndarray, c: np.ndarray):
    """PyTorch's documented nn.LSTMCell equations, written against its own layout."""
    gates = arrays["weight_ih"] @ x + arrays["bias_ih"] + arrays["weight_hh"] @ h + arrays["bias_hh"]
    i, f, g, o = np.split(gates, 4)
    c_new = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c_new), c_new


def keras_step(arrays: dict, x: np.ndarray, h: np.ndarray, c: np.ndarray):
    """Keras' LSTMCell equations (sigmoid recurrent activation, tanh activation)."""
    z = x @ arrays["kernel"] + h @ arrays["recurrent_kernel"] + arrays["bias"]
    i, f, candidate, o = np.split(z, 4)
    c_new = sigmoid(f) * c + sigmoid(i) * np.tanh(candidate)
    return sigmoid(o) * np.tanh(c_new), c_new


def test_pytorch_and_keras_layouts_compute_the_same_step():
    cell = LSTMCell(3, 4, seed=11)
    rng = np.random.default_rng(11)
    x, h, c = rng.normal(size=3), rng.normal(size=4), rng.normal(size=4)
    ours = cell.step(x, h, c)
    for framework_step, arrays in [(pytorch_step, cell.to_pytorch()), (keras_step, cell.to_keras())]:
        h_new, c_new = framework_step(arrays, x, h, c)
        np.testing.assert_allclose(h_new, ours.h, rtol=0, atol=1e-14)
        np.testing.assert_allclose(c_new, ours.c, rtol=0, atol=1e-14)


def test_framework_layouts_have_the_documented_shapes():
    cell = LSTMCell(3, 4, seed=0)
    torch_like, keras_like = cell.to_pytorch(), cell.to_keras()
    assert torch_like["weight_ih"].shape == (16, 3) and torch_like["weight_hh"].shape == (16, 4)
    assert torch_like["bias_ih"].shape == (16,) and torch_like["bias_hh"].shape == (16,)
    assert keras_like["kernel"].shape == (3, 16) and keras_like["recurrent_kernel"].shape == (4, 16)
    assert keras_like["bias"].shape == (16,)
    # PyTorch's second block is the forget gate, acting on x first in weight_ih.
    np.testing.assert_array_equal(torch_like["weight_ih"][4:8], cell.W_f[:, 4:])
    np.testing.assert_array_equal(keras_like["recurrent_kernel"][:, 8:12], cell.W_c[:, :4].T)


def test_round_trips_are_exact():
    cell = LSTMCell(3, 4, seed=12, forget_bias=1.0)
    for rebuilt in (LSTMCell.from_pytorch(**cell.to_pytorch()), LSTMCell.from_keras(**cell.to_keras())):
        for name in LSTMCell.PARAMETER_NAMES:
            np.testing.assert_array_equal(rebuilt.parameters[name], cell.parameters[name])
    keras = cell.to_keras()
    again = LSTMCell.from_keras(**keras).to_keras()
    for name in keras:
        np.testing.assert_array_equal(again[name], keras[name])


def test_from_pytorch_adds_the_two_biases():
    rng = np.random.default_rng(0)
    arrays = {"weight_ih": rng.normal(size=(8, 1)), "weight_hh": rng.normal(size=(8, 2)),
              "bias_ih": rng.normal(size=8), "bias_hh": rng.normal(size=8)}
    cell = LSTMCell.from_pytorch(**arrays)
    np.testing.assert_allclose(cell.b_f, arrays["bias_ih"][2:4] + arrays["bias_hh"][2:4])
    x, h, c = rng.normal(size=1), rng.normal(size=2), rng.normal(size=2)
    h_new, c_new = pytorch_step(arrays, x, h, c)
    np.testing.assert_allclose(cell.step(x, h, c).h, h_new, rtol=0, atol=1e-14)


# ---------------------------------------------------------------- extremes
def test_sigmoid_is_exact_and_finite_at_extremes():
    z = np.linspace(-30, 30, 121)
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-15, atol=0)
    with np.errstate(all="raise"):
        values = sigmoid(np.array([-1000.0, -745.5, 0.0, 1000.0, np.finfo(float).max,
                                   -np.finfo(float).max]))
    np.testing.assert_array_equal(values, [0.0, 0.0, 0.5, 1.0, 1.0, 0.0])
    assert sigmoid(-700.0) == pytest.approx(math.exp(-700.0), rel=1e-14)
    with np.errstate(all="raise"):
        np.testing.assert_array_equal(tanh([-1000.0, 1000.0]), [-1.0, 1.0])


def test_extreme_inputs_stay_finite_without_warnings():
    cell = LSTMCell.from_arrays(
        W_f=[[0.0, 1000.0]], b_f=[0.0], W_i=[[0.0, -1000.0]], b_i=[0.0],
        W_c=[[0.0, 1000.0]], b_c=[0.0], W_o=[[1000.0, 0.0]], b_o=[0.0],
    )
    with np.errstate(all="raise"):
        for x in (1.0, -1.0, 1e300, -1e300):
            trace = cell.run([[x], [x], [-x]], h0=[1.0], c0=[1e300])
            for name, value in trace.as_dict().items():
                assert np.all(np.isfinite(value)), name
            grads = cell.backward(trace, np.ones_like(trace.h))
            for name, value in grads.parameters.items():
                assert np.all(np.isfinite(value)), name
        big = LSTMCell(4, 3, seed=0).run(np.full((5, 2, 4), 1e300))
        assert np.all(np.isfinite(big.h)) and np.all(np.abs(big.h) <= 1)


def test_float32_cells_compute_in_float32():
    cell = LSTMCell(2, 3, seed=0, dtype=np.float32)
    trace = cell.run(np.ones((4, 2)))
    assert trace.h.dtype == np.float32 and cell.W_f.dtype == np.float32


def test_in_place_activations_equal_the_definitions():
    """The loops' exponential forms of σ and tanh (lstm._inplace) against activations.py."""
    from lstm._inplace import reciprocal_squash_into, tanh_into

    z = np.concatenate([np.linspace(-40, 40, 8001), [-1e300, -800.0, -1e-300, 0.0, 1e-300, 800.0, 1e300]])
    out = np.empty_like(z)
    with np.errstate(over="ignore", under="ignore"):
        np.testing.assert_allclose(tanh_into(z, out), np.tanh(z), rtol=0, atol=4.5e-16)
        np.testing.assert_allclose(reciprocal_squash_into(-z, 1.0, out), sigmoid(z), rtol=0, atol=4.5e-16)
    assert out[-1] == 1.0 and out[-7] == 0.0     # the extremes are exact, not NaN


def test_run_keeps_step_values_over_a_long_sequence():
    """run()'s fused loop against step() repeated, 200 steps, batch and lengths."""
    rng = np.random.default_rng(7)
    cell = LSTMCell(3, 5, seed=3, forget_bias=1.0)
    xs, lengths = rng.normal(size=(200, 4, 3)), np.array([200, 1, 57, 199])
    trace = cell.run(xs, lengths=lengths)
    for row, length in enumerate(lengths):
        h, c = np.zeros(5), np.zeros(5)
        for t in range(length):
            step = cell.step(xs[t, row], h, c)
            h, c = step.h, step.c
            for name in ("f", "i", "c_tilde", "o", "c", "h", "z_c"):
                np.testing.assert_allclose(getattr(trace, name)[t, row], getattr(step, name),
                                           rtol=0, atol=1e-14, err_msg=name)
        np.testing.assert_allclose(trace.h_last[row], h, rtol=0, atol=1e-14)
        assert np.all(trace.h[length:, row] == 0)


def test_traces_share_the_time_major_helpers() -> None:
    from lstm._sequences import TimeMajorTrace, real_steps
    from lstm.gru import GRUCell
    from lstm.rnn import RNNCell
    from lstm.variants import CoupledLSTMCell, PeepholeLSTMCell

    np.testing.assert_array_equal(
        real_steps(np.array([1, 3]), 3), [[True, True], [False, True], [False, True]]
    )
    assert real_steps(None, 3) is None
    xs = np.zeros((4, 2, 3))
    for cell in (LSTMCell(3, 2), RNNCell(3, 2), GRUCell(3, 2), PeepholeLSTMCell(3, 2), CoupledLSTMCell(3, 2)):
        batched, unbatched = cell.run(xs, lengths=np.array([4, 2])), cell.run(xs[:, 0])
        assert isinstance(batched, TimeMajorTrace)
        assert (batched.batched, batched.steps, unbatched.batched, unbatched.steps) == (True, 4, False, 4)
        np.testing.assert_array_equal(batched.mask, real_steps(np.array([4, 2]), 4))


def test_activation_derivatives_match_finite_differences():
    """sigma' = sigma (1 - sigma) (derived in chapter 6) and tanh' = 1 - tanh^2 (chapter 1), each
    against central differences in float64, and tanh'(1) = 0.4200 as chapter 1 computes it."""
    from lstm.activations import sigmoid_derivative_from_output, tanh_derivative_from_output

    z = np.linspace(-8.0, 8.0, 161)
    eps = 1e-6
    pairs = ((sigmoid, sigmoid_derivative_from_output), (tanh, tanh_derivative_from_output))
    for function, derivative in pairs:
        numeric = (function(z + eps) - function(z - eps)) / (2 * eps)
        # atol: the rounding error of a central difference, about 1e-16 / eps
        np.testing.assert_allclose(derivative(function(z)), numeric, rtol=1e-8, atol=1e-9)
    assert sigmoid_derivative_from_output(sigmoid(0.0)) == 0.25        # the steepest point
    assert round(float(tanh_derivative_from_output(tanh(1.0))), 4) == 0.4200
    assert round(float(tanh(1.0)), 4) == 0.7616
