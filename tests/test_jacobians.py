"""The vanishing gradient with matrices (lstm.jacobians; chapter 8, "The same argument with matrices"): the
Jacobian formulas against central differences in float64, their products against
back-propagation, and the sizes the chapter's prose states."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lstm import LSTMCell, RNNCell
from lstm.gradient_flow import gradient_flow
from lstm.jacobians import (
    final_state_jacobians,
    jacobian_decay,
    lstm_cell_step_jacobians,
    products_from_the_end,
    rnn_step_jacobians,
)

ROOT = Path(__file__).resolve().parent.parent
EPSILON = 1e-6


def central_jacobian(function, point: np.ndarray) -> np.ndarray:
    """Central differences of a vector function: column k is d function / d point[k]."""
    columns = []
    for k in range(point.size):
        bump = np.zeros_like(point)
        bump[k] = EPSILON
        columns.append((function(point + bump) - function(point - bump)) / (2 * EPSILON))
    return np.stack(columns, axis=1)


@pytest.mark.parametrize("seed", [0, 1])
def test_rnn_step_jacobian_matches_finite_differences(seed: int) -> None:
    """eq-rnn-jacobian: d h_t / d h_{t-1} = diag(1 - h_t^2) W_h, at every step of a run."""
    rng = np.random.default_rng(seed)
    cell = RNNCell(2, 5, seed=seed)
    cell.W[:, :5] *= 2.0                                   # larger weights: slopes well away from 1
    xs = rng.standard_normal((6, 2))
    trace = cell.run(xs, h0=rng.standard_normal(5))
    jacobians = rnn_step_jacobians(cell, trace)
    for t in range(6):
        numeric = central_jacobian(lambda h_prev, t=t: cell.step(xs[t], h_prev).h, trace.h_prev[t])
        np.testing.assert_allclose(jacobians[t], numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("seed", [0, 1])
def test_lstm_cell_step_jacobian_matches_finite_differences(seed: int) -> None:
    """eq-lstm-cell-jacobian: d c_t / d c_{t-1} with h_{t-1} = o_{t-1} tanh(c_{t-1}) moving along
    (o_{t-1} held: it does not depend on c_{t-1}); at the first step h_0 is given."""
    rng = np.random.default_rng(seed)
    cell = LSTMCell(3, 4, seed=seed, forget_bias=1.0)
    for name in ("W_f", "W_i", "W_c"):
        cell.parameters[name][:, :4] *= 3.0                # make the detour large
    xs = rng.standard_normal((5, 3))
    trace = cell.run(xs, h0=rng.standard_normal(4), c0=rng.standard_normal(4))
    jacobians = lstm_cell_step_jacobians(cell, trace)
    for t in range(5):
        if t == 0:
            def new_c(c_prev, t=t):
                return cell.step(xs[t], trace.h_prev[t], c_prev).c
        else:
            def new_c(c_prev, t=t):
                h_prev = trace.o[t - 1] * np.tanh(c_prev)
                return cell.step(xs[t], h_prev, c_prev).c
        numeric = central_jacobian(new_c, trace.c_prev[t])
        np.testing.assert_allclose(jacobians[t], numeric, rtol=1e-7, atol=1e-9)
    # the belt is the diagonal part: with no recurrent weights only diag(f_t) is left
    blind = cell.copy()
    for name in ("W_f", "W_i", "W_c", "W_o"):
        blind.parameters[name][:, :4] = 0.0
    blind_trace = blind.run(xs)
    np.testing.assert_array_equal(lstm_cell_step_jacobians(blind, blind_trace),
                                  blind_trace.f[:, :, None] * np.eye(4)[None])


def test_product_of_rnn_jacobians_is_what_backward_carries() -> None:
    """eq-rnn-jacobian-product: J_T ... J_{T-d+1} equals d h_T / d h_{T-d} from backward."""
    rng = np.random.default_rng(2)
    cell = RNNCell(3, 6, seed=2)
    xs = rng.standard_normal((12, 3))
    products = products_from_the_end(rnn_step_jacobians(cell, cell.run(xs)))
    exact = final_state_jacobians(cell, xs)
    np.testing.assert_array_equal(products[0], np.eye(6))
    for d in range(12):
        np.testing.assert_allclose(products[d], exact[11 - d], rtol=1e-10, atol=1e-15)
    # and backward agrees with central differences of h_T with respect to h_0 (d = 12)
    numeric = central_jacobian(lambda h0: cell.run(xs, h0=h0).h[-1], np.zeros(6))
    np.testing.assert_allclose(products[12], numeric, rtol=1e-6, atol=1e-10)


def test_exact_lstm_jacobian_matches_finite_differences() -> None:
    """final_state_jacobians(LSTM) [t] = d c_T / d c_t: perturb c_t, h_t follows, run on."""
    rng = np.random.default_rng(4)
    cell = LSTMCell(2, 3, seed=4, forget_bias=1.0)
    xs = rng.standard_normal((8, 2))
    trace = cell.run(xs)
    exact = final_state_jacobians(cell, xs)
    t = 2                                                   # the state of step 3

    def final_c(c_t):
        h_t = trace.o[t] * np.tanh(c_t)
        return cell.run(xs[t + 1:], h0=h_t, c0=c_t).c[-1]

    np.testing.assert_allclose(exact[t], central_jacobian(final_c, trace.c[t]), rtol=1e-6, atol=1e-10)


def chapter_text(stem: str) -> str:
    return " ".join((ROOT / "chapters" / f"{stem}.qmd").read_text(encoding="utf-8").split())


def test_the_sizes_chapter_8_states() -> None:
    """The prose under fig-jacobians: the bound promises nothing, the RNN's product vanishes
    anyway, far below the product of the factors' sizes; the LSTM's belt vanishes too at forget
    bias 1, and both roads keep far more than the RNN."""
    text = chapter_text("08-advantages")
    for phrase in ("promises nothing", "the belt's gradient vanishes too", "orders of magnitude"):
        assert phrase in text
    decay = jacobian_decay(forget_bias=1.0, seed=0)
    assert decay.recurrent_largest > 1.0 and decay.recurrent_largest**50 > 1.0   # "promises nothing"
    np.testing.assert_array_less(decay.rnn_largest[1:], decay.rnn_factor_bound[1:] * (1 + 1e-12))
    assert decay.rnn_largest[50] < 1e-12
    assert 0.4 < decay.per_step(50) < 0.7
    assert np.log10(decay.rnn_factor_bound[50] / decay.rnn_largest[50]) > 8
    assert 1e-5 < decay.lstm_belt[30] < 1e-3                # about 10^4 lost over 30 steps
    assert decay.lstm_belt[50] < 1e-5
    assert decay.lstm_largest[50] > decay.lstm_belt[50]     # the detour adds here
    assert np.log10(decay.lstm_largest[50] / decay.rnn_largest[50]) > 8
    # a larger forget bias: the belt keeps more at every distance
    belt_three = jacobian_decay(forget_bias=3.0, seed=0).lstm_belt
    assert np.all(belt_three[1:] > decay.lstm_belt[1:])
    # the Frobenius norm is at least the largest singular value
    assert np.all(decay.rnn_norm >= decay.rnn_largest * (1 - 1e-12))


def test_fig_vanishing_loses_about_four_orders_at_forget_bias_1() -> None:
    """Chapter 8's first figure: 50 steps back the fresh LSTM's cell state keeps about 10^-4
    (median of seeds 0-9), as the sentence under it says in numbers computed by the run."""
    assert "But the LSTM's gradient vanishes too: at forget bias 1" in chapter_text("08-advantages")
    kept = [gradient_flow(seed=seed, forget_bias=1.0).lstm_cell[50] for seed in range(10)]
    assert round(-np.log10(np.median(kept))) == 4
    assert all(1e-6 < value < 1e-2 for value in kept)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: rnn_step_jacobians(LSTMCell(1, 2), None), TypeError, "cell must be an RNNCell"),
        (lambda: rnn_step_jacobians(RNNCell(1, 2), RNNCell(1, 2).run(np.ones((3, 2, 1)))), ValueError,
         "one sequence"),
        (lambda: lstm_cell_step_jacobians(LSTMCell(1, 2), LSTMCell(1, 3).run(np.ones((3, 1)))), ValueError,
         "hidden size 3"),
        (lambda: products_from_the_end(np.ones((3, 2, 3))), ValueError, "shape (T, H, H)"),
        (lambda: final_state_jacobians(LSTMCell(2, 2), np.ones((3, 1))), ValueError,
         "inputs must have shape"),
        (lambda: final_state_jacobians("cell", np.ones((3, 1))), TypeError, "RNNCell or an LSTMCell"),
        (lambda: jacobian_decay(num_steps=1), ValueError, "num_steps"),
        (lambda: jacobian_decay(num_steps=5).per_step(5), ValueError, "distance must be below 5"),
    ],
)
def test_bad_arguments_are_named(call, error, words) -> None:
    with pytest.raises(error) as raised:
        call()
    assert words in str(raised.value)
