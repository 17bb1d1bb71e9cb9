"""Backpropagation through time against central finite differences, in float64."""

from __future__ import annotations

import numpy as np
import pytest

from lstm import LSTMCell, RNNCell
from lstm.backprop import central_differences

EPSILON = 1e-6
TOLERANCE = 1e-6


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    scale = max(np.abs(analytic).max(), np.abs(numeric).max(), 1e-8)
    return float(np.abs(analytic - numeric).max() / scale)


def numeric_gradient(loss, array: np.ndarray) -> np.ndarray:
    """Central differences of ``loss()`` with respect to every entry of ``array`` (in place)."""
    return central_differences(loss, {"array": array}, EPSILON)["array"]


CASES = {
    "unbatched": dict(steps=5, batch=None, lengths=None, ablate=()),
    "batched": dict(steps=5, batch=3, lengths=None, ablate=()),
    "lengths": dict(steps=6, batch=3, lengths=[6, 2, 4], ablate=()),
    "ablated": dict(steps=4, batch=2, lengths=[4, 3],
                    ablate=("forget_gate", "candidate_tanh", "output_tanh")),
    "no input or output gate": dict(steps=4, batch=2, lengths=None,
                                    ablate=("input_gate", "output_gate")),
}


def make_problem(steps, batch, seed=0, input_size=2, hidden=3, with_cell_state=True):
    rng = np.random.default_rng(seed)
    lead = (steps,) if batch is None else (steps, batch)
    state = (hidden,) if batch is None else (batch, hidden)
    problem = {
        "xs": rng.normal(size=lead + (input_size,)),
        "h0": rng.normal(size=state) * 0.5,
        # The loss: a fixed random linear read of every output and of the final states.
        "weights_h": rng.normal(size=lead + (hidden,)),
        "weights_h_last": rng.normal(size=state),
    }
    if with_cell_state:
        problem["c0"] = rng.normal(size=state) * 0.5
        problem["weights_c_last"] = rng.normal(size=state)
    return problem


@pytest.mark.parametrize("case", CASES)
def test_lstm_gradients_match_finite_differences(case):
    options = CASES[case]
    cell = LSTMCell(2, 3, seed=1, forget_bias=0.5, ablate=options["ablate"])
    p = make_problem(options["steps"], options["batch"])
    lengths = options["lengths"]

    def loss() -> float:
        trace = cell.run(p["xs"], p["h0"], p["c0"], lengths=lengths)
        return float(np.sum(p["weights_h"] * trace.h) + np.sum(p["weights_h_last"] * trace.h_last)
                     + np.sum(p["weights_c_last"] * trace.c_last))

    trace = cell.run(p["xs"], p["h0"], p["c0"], lengths=lengths)
    grads = cell.backward(trace, p["weights_h"], dh_last=p["weights_h_last"],
                          dc_last=p["weights_c_last"])
    for name, array in cell.parameters.items():
        numeric = numeric_gradient(loss, array)
        assert relative_error(grads.parameters[name], numeric) < TOLERANCE, name
    assert relative_error(grads.dx, numeric_gradient(loss, p["xs"])) < TOLERANCE
    assert relative_error(grads.dh0, numeric_gradient(loss, p["h0"])) < TOLERANCE
    assert relative_error(grads.dc0, numeric_gradient(loss, p["c0"])) < TOLERANCE
    if lengths is not None:  # padding steps get no input gradient
        for row, length in enumerate(lengths):
            assert np.all(grads.dx[length:, row] == 0)


def test_ablated_gates_get_zero_gradient():
    cell = LSTMCell(2, 3, seed=2, ablate=("forget_gate", "output_gate"))
    p = make_problem(4, 2)
    trace = cell.run(p["xs"], p["h0"], p["c0"])
    grads = cell.backward(trace, p["weights_h"])
    for name in ("W_f", "b_f", "W_o", "b_o"):
        assert np.all(grads.parameters[name] == 0), name
    assert np.any(grads.W_i != 0) and np.any(grads.W_c != 0)


@pytest.mark.parametrize("batch", [None, 2])
def test_per_step_gradients_are_the_gradients_reaching_each_state(batch):
    """grads.dc[t] and grads.dh[t] are dLoss/dc_t and dLoss/dh_t, checked by nudging c_t or h_t."""
    cell = LSTMCell(2, 3, seed=3, forget_bias=1.0)
    p = make_problem(6, batch, seed=3)
    trace = cell.run(p["xs"], p["h0"], p["c0"])
    grads = cell.backward(trace, p["weights_h"], dh_last=p["weights_h_last"],
                          dc_last=p["weights_c_last"])

    def loss_from(t: int, h_t: np.ndarray, c_t: np.ndarray) -> float:
        """The loss as a function of the states after step t (outputs up to t held fixed)."""
        total = float(np.sum(p["weights_h"][:t] * trace.h[:t]) + np.sum(p["weights_h"][t] * h_t))
        if t + 1 < len(p["xs"]):
            rest = cell.run(p["xs"][t + 1:], h_t, c_t)
            total += float(np.sum(p["weights_h"][t + 1:] * rest.h))
            h_t, c_t = rest.h_last, rest.c_last
        return total + float(np.sum(p["weights_h_last"] * h_t) + np.sum(p["weights_c_last"] * c_t))

    for t in range(len(p["xs"])):
        c_t = trace.c[t].copy()
        numeric_c = numeric_gradient(lambda t=t, c_t=c_t: loss_from(
            t, trace.o[t] * np.tanh(c_t), c_t), c_t)
        assert relative_error(grads.dc[t], numeric_c) < TOLERANCE, t
        h_t = trace.h[t].copy()
        numeric_h = numeric_gradient(lambda t=t, h_t=h_t: loss_from(t, h_t, trace.c[t]), h_t)
        assert relative_error(grads.dh[t], numeric_h) < TOLERANCE, t


@pytest.mark.parametrize("case", ["unbatched", "batched", "lengths"])
def test_rnn_gradients_match_finite_differences(case):
    options = CASES[case]
    cell = RNNCell(2, 3, seed=4)
    p = make_problem(options["steps"], options["batch"], with_cell_state=False)
    lengths = options["lengths"]

    def loss() -> float:
        trace = cell.run(p["xs"], p["h0"], lengths=lengths)
        return float(np.sum(p["weights_h"] * trace.h) + np.sum(p["weights_h_last"] * trace.h_last))

    trace = cell.run(p["xs"], p["h0"], lengths=lengths)
    grads = cell.backward(trace, p["weights_h"], dh_last=p["weights_h_last"])
    for name, array in cell.parameters.items():
        assert relative_error(grads.parameters[name], numeric_gradient(loss, array)) < TOLERANCE
    assert relative_error(grads.dx, numeric_gradient(loss, p["xs"])) < TOLERANCE
    assert relative_error(grads.dh0, numeric_gradient(loss, p["h0"])) < TOLERANCE


def test_rnn_per_step_gradient_reaches_each_state():
    cell = RNNCell(2, 3, seed=5)
    p = make_problem(5, None, seed=5, with_cell_state=False)
    trace = cell.run(p["xs"], p["h0"])
    grads = cell.backward(trace, p["weights_h"])
    for t in range(5):
        h_t = trace.h[t].copy()

        def loss(t=t, h_t=h_t) -> float:
            total = float(np.sum(p["weights_h"][:t] * trace.h[:t]) + np.sum(p["weights_h"][t] * h_t))
            if t + 1 < 5:
                total += float(np.sum(p["weights_h"][t + 1:] * cell.run(p["xs"][t + 1:], h_t).h))
            return total

        assert relative_error(grads.dh[t], numeric_gradient(loss, h_t)) < TOLERANCE
