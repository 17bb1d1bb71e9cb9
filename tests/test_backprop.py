"""One step backwards (lstm.backprop): equal to LSTMCell.backward, to finite differences, and to the
factors the chapters compute by hand."""

from __future__ import annotations

import numpy as np
import pytest

from lstm import LSTMCell
from lstm.backprop import central_differences, gradient_roads, step_backward, trace_step


def chapter_cell() -> LSTMCell:
    """The one-unit cell of chapters 3 to 6."""
    return LSTMCell.from_arrays(
        W_f=[[0.5, 2.0]], b_f=[-1.0], W_i=[[0.0, 1.0]], b_i=[0.0],
        W_c=[[1.0, -1.5]], b_c=[0.5], W_o=[[0.0, 1.0]], b_o=[1.0],
    )


def backward_by_steps(cell: LSTMCell, trace, dh_loss: np.ndarray):
    """Run step_backward from the last step to the first, as the chapter describes."""
    steps = trace.h.shape[0]
    dh_next = np.zeros(cell.hidden_size)
    dc_next = np.zeros(cell.hidden_size)
    totals = {name: np.zeros_like(value) for name, value in cell.parameters.items()}
    dx = np.zeros_like(trace.x)
    dc = np.zeros_like(trace.c)
    for t in reversed(range(steps)):
        grads = step_backward(cell, trace_step(trace, t), dh_loss[t] + dh_next, dc_next)
        for name, value in grads.parameters.items():
            totals[name] += value
        dx[t], dc[t] = grads.dx, grads.dc
        dh_next, dc_next = grads.dh_prev, grads.dc_prev_belt
    return totals, dx, dc, dh_next, dc_next


@pytest.mark.parametrize("hidden, inputs, seed", [(1, 1, 0), (3, 2, 1), (5, 4, 2)])
def test_step_backward_chained_equals_cell_backward(hidden: int, inputs: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    cell = LSTMCell(inputs, hidden, seed=seed)
    xs = rng.standard_normal((7, inputs))
    trace = cell.run(xs, h0=rng.standard_normal(hidden), c0=rng.standard_normal(hidden))
    dh_loss = rng.standard_normal(trace.h.shape)
    expected = cell.backward(trace, dh_loss)
    totals, dx, dc, dh0, dc0 = backward_by_steps(cell, trace, dh_loss)
    for name, value in totals.items():
        np.testing.assert_allclose(value, expected.parameters[name], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dx, expected.dx, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dc, expected.dc, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dh0, expected.dh0, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dc0, expected.dc0, rtol=1e-12, atol=1e-14)


def test_step_backward_matches_finite_differences() -> None:
    """One step, loss = a . h_t + b . c_t: every gradient of step_backward by central differences."""
    rng = np.random.default_rng(3)
    cell = LSTMCell(2, 3, seed=3)
    x, h_prev, c_prev = rng.standard_normal(2), rng.standard_normal(3), rng.standard_normal(3)
    a, b = rng.standard_normal(3), rng.standard_normal(3)

    def loss(cell_: LSTMCell, x_=x, h_=h_prev, c_=c_prev) -> float:
        step = cell_.step(x_, h_prev=h_, c_prev=c_)
        return float(a @ step.h + b @ step.c)

    grads = step_backward(cell, cell.step(x, h_prev=h_prev, c_prev=c_prev), dh=a, dc_next=b)
    eps = 1e-6
    for name, value in cell.parameters.items():
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            plus, minus = cell.copy(), cell.copy()
            plus.parameters[name][index] += eps
            minus.parameters[name][index] -= eps
            numeric[index] = (loss(plus) - loss(minus)) / (2 * eps)
        np.testing.assert_allclose(grads.parameters[name], numeric, rtol=1e-6, atol=1e-9)
    for argument, analytic in (("x_", grads.dx), ("h_", grads.dh_prev), ("c_", grads.dc_prev_belt)):
        base = {"x_": x, "h_": h_prev, "c_": c_prev}[argument]
        numeric = np.zeros_like(base)
        for k in range(base.size):
            bump = np.zeros_like(base)
            bump[k] = eps
            plus, minus = loss(cell, **{argument: base + bump}), loss(cell, **{argument: base - bump})
            numeric[k] = (plus - minus) / (2 * eps)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


def test_chapter_one_factors_multiply_to_the_gradient() -> None:
    """Chapter 1: writing 0.419 x carrying 0.954 x reading 0.614 = 0.2455 = d h_20 / d x_1."""
    cell = LSTMCell.from_arrays(
        W_f=[[0.0, 0.0]], b_f=[6.0], W_i=[[0.0, 0.0]], b_i=[6.0],
        W_c=[[0.0, 1.0]], b_c=[0.0], W_o=[[0.0, 0.0]], b_o=[6.0],
    )
    pulse = np.zeros((20, 1))
    pulse[0, 0] = 1.0
    trace = cell.run(pulse)
    only_last = np.zeros((20, 1))
    only_last[-1, 0] = 1.0
    gradient = cell.backward(trace, only_last).dx[0, 0]
    writing = trace.i[0, 0] * (1 - np.tanh(1.0) ** 2)
    carrying = np.prod(trace.f[1:, 0])
    reading = trace.o[-1, 0] * (1 - np.tanh(trace.c[-1, 0]) ** 2)
    assert (round(writing, 3), round(carrying, 3), round(reading, 3)) == (0.419, 0.954, 0.614)
    assert round(gradient, 4) == 0.2455
    assert writing * carrying * reading == pytest.approx(gradient, rel=1e-12)
    roads = gradient_roads(cell, pulse)
    np.testing.assert_allclose(roads.belt_only, roads.both_roads, rtol=1e-12)  # no gate reads h


def test_chapter_six_second_road_carries_most_of_the_effect() -> None:
    """Chapter 6, exercise 2: d c_4 / d c_1 is 0.0148, the belt product only 0.0061."""
    cell = chapter_cell()
    roads = gradient_roads(cell, [[1.0], [1.0], [0.0], [-1.0]])
    assert round(roads.both_roads[3], 4) == 0.0148
    assert round(roads.belt_only[3], 4) == 0.0061
    assert roads.belt_share[3] < 0.5
    assert roads.belt_only[0] == roads.both_roads[0] == 1.0


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"dh": np.zeros(2), "dc_next": np.zeros(1)}, ValueError, "dh has shape (2,)"),
        ({"dh": np.zeros(1), "dc_next": [np.nan]}, ValueError, "dc_next must be finite"),
    ],
)
def test_step_backward_rejects_bad_gradients(kwargs, error, words) -> None:
    cell = chapter_cell()
    with pytest.raises(error) as raised:
        step_backward(cell, cell.step([1.0]), **kwargs)
    assert words in str(raised.value)


def test_step_backward_rejects_batched_steps_and_other_objects() -> None:
    cell = chapter_cell()
    with pytest.raises(ValueError, match="one unbatched step"):
        step_backward(cell, cell.step([[1.0], [2.0]]), np.zeros(1), np.zeros(1))
    with pytest.raises(TypeError, match="step must be an LSTMStep"):
        step_backward(cell, "step", np.zeros(1), np.zeros(1))
    with pytest.raises(ValueError, match="unit must be an integer from 0 to 0"):
        gradient_roads(cell, [[1.0]], unit=1)


def test_weight_gradients_of_the_worked_example_match_finite_differences() -> None:
    """Chapter 6, "The weight gradients": eq-back-weights and eq-back-biases summed by step_backward
    over the four steps, loss c_4, against central differences and LSTMCell.backward; the
    hand-worked step-4 term of delta W_i and what the chapter says about the table."""
    cell = chapter_cell()
    inputs = np.array([[1.0], [1.0], [0.0], [-1.0]])
    trace = cell.run(inputs)
    dh_loss = np.zeros_like(trace.h)
    dc_next, dh_next = np.array([1.0]), np.zeros(1)
    shares = {}
    for t in reversed(range(4)):
        grads = step_backward(cell, trace_step(trace, t), dh_next, dc_next)
        shares[t + 1] = grads.parameters
        if t == 3:
            step_four = grads
        dh_next, dc_next = grads.dh_prev, grads.dc_prev_belt
    totals = {name: sum(shares[t][name] for t in shares) for name in cell.PARAMETER_NAMES}
    # step 4 by hand: delta z_i = c~_4 i_4 (1 - i_4) = 0.9451 * 0.2689 * 0.7311, times [h_3, x_4]
    assert (round(trace.c_tilde[3, 0], 4), round(trace.i[3, 0], 4), round(1 - trace.i[3, 0], 4)) == (
        0.9451, 0.2689, 0.7311)
    assert round(step_four.dz_i[0], 4) == 0.1858
    assert (round(trace.h[2, 0], 4), trace.x[3, 0]) == (-0.2166, -1.0)
    assert np.round(shares[4]["W_i"][0], 4).tolist() == [-0.0402, -0.1858]
    assert step_four.dz_o[0] == 0.0                       # no gradient on h_4: the output gate gets none
    # against central differences in float64, and the fast backward
    numeric = central_differences(lambda: cell.run(inputs).c[-1, 0], cell.parameters)
    fast = cell.backward(trace, dh_loss, dc_last=np.ones(1)).parameters
    errors = []
    for name in cell.PARAMETER_NAMES:
        np.testing.assert_allclose(totals[name], numeric[name], rtol=1e-7, atol=0)
        np.testing.assert_allclose(fast[name], totals[name], rtol=1e-12, atol=1e-16)
        errors.extend((np.abs(totals[name] - numeric[name])
                       / np.maximum(np.abs(totals[name]), np.abs(numeric[name]))).ravel())
    assert max(errors) < 1e-7
    # the chapter: the output gate's three numbers are the smallest; almost all of delta b_i is step 4's
    sizes = {name: np.abs(value).min() for name, value in totals.items()}
    output_gate = max(np.abs(totals["W_o"]).max(), abs(totals["b_o"][0]))
    assert all(output_gate < sizes[name] for name in sizes if not name.endswith("_o"))
    assert abs(totals["b_i"][0] - shares[4]["b_i"][0]) < 0.05 * abs(totals["b_i"][0])


def test_central_differences_restore_the_arrays_and_check_epsilon() -> None:
    arrays = {"a": np.array([1.0, 2.0]), "b": np.array([[3.0]])}
    before = {name: value.copy() for name, value in arrays.items()}
    slopes = central_differences(lambda: float(arrays["a"] @ arrays["a"] * arrays["b"][0, 0]), arrays)
    np.testing.assert_allclose(slopes["a"], [6.0, 12.0], rtol=1e-9)
    np.testing.assert_allclose(slopes["b"], [[5.0]], rtol=1e-9)
    for name, value in arrays.items():
        np.testing.assert_array_equal(value, before[name])
    with pytest.raises(ValueError, match="epsilon must be a positive"):
        central_differences(lambda: 0.0, arrays, epsilon=0.0)


def test_chapter_six_gradient_roads_lose_about_four_orders_over_29_steps() -> None:
    """The prose under fig-gradient-roads: at forget bias 1 about 10^4 is lost over 29 steps."""
    random_inputs = np.random.default_rng(0).standard_normal((30, 1))
    for scale in (0.0, 1.0):
        seeded = LSTMCell(1, 4, seed=0, forget_bias=1.0)
        for name, weights in seeded.parameters.items():
            if name.startswith("W"):
                weights[:, :4] *= scale
        arrived = gradient_roads(seeded, random_inputs).both_roads[-1]
        assert round(-np.log10(arrived)) == 4, (scale, arrived)
