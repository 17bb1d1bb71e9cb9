"""The plain RNN cell: a hand-worked example and the properties shared with the LSTM."""

from __future__ import annotations

import numpy as np

from lstm import LSTMCell, RNNCell


def test_rnn_run_matches_hand_computation():
    """W = [[0.5, 1.0]] (0.5 on h_{t-1}, 1.0 on x_t), b = 0, h0 = 0, inputs 1 then 2.

    h_1 = tanh(0.5·0 + 1·1) = tanh(1) = 0.761594
    h_2 = tanh(0.5·0.761594 + 1·2) = tanh(2.380797) = 0.983041
    """
    cell = RNNCell.from_arrays(W=[[0.5, 1.0]], b=[0.0])
    trace = cell.run([[1.0], [2.0]])
    np.testing.assert_allclose(trace.z[:, 0], [1.0, 2.380797], atol=1e-6)
    np.testing.assert_allclose(trace.h[:, 0], [0.761594, 0.983041], atol=1e-6)
    np.testing.assert_allclose(trace.h_last, [0.983041], atol=1e-6)
    step = cell.step([2.0], h_prev=[0.761594])
    np.testing.assert_allclose(step.h, [0.983041], atol=1e-6)


def test_rnn_lengths_equal_running_each_row_alone():
    rng = np.random.default_rng(0)
    xs, h0 = rng.normal(size=(6, 3, 2)), rng.normal(size=(3, 4))
    cell = RNNCell(2, 4, seed=1)
    lengths = [6, 1, 4]
    trace = cell.run(xs, h0, lengths=lengths)
    for row, length in enumerate(lengths):
        alone = cell.run(xs[:length, row], h0[row])
        np.testing.assert_allclose(trace.h[:length, row], alone.h, rtol=0, atol=1e-14)
        assert np.all(trace.h[length:, row] == 0)
        np.testing.assert_allclose(trace.h_last[row], alone.h_last, rtol=0, atol=1e-14)
        batched_row = cell.run(xs[:, row:row + 1], h0[row:row + 1])
        np.testing.assert_allclose(batched_row.h[:, 0], cell.run(xs[:, row], h0[row]).h,
                                   rtol=0, atol=1e-14)


def test_rnn_pytorch_layout_round_trip_and_parameter_count():
    cell = RNNCell(3, 5, seed=2)
    rebuilt = RNNCell.from_pytorch(**cell.to_pytorch())
    np.testing.assert_array_equal(rebuilt.W, cell.W)
    np.testing.assert_array_equal(rebuilt.b, cell.b)
    assert cell.num_parameters == 5 * (5 + 3) + 5 == 45
    # An LSTM of the same size has four such blocks.
    assert LSTMCell(3, 5).num_parameters == 4 * cell.num_parameters


def test_rnn_outputs_in_range_and_deterministic():
    xs = np.random.default_rng(3).normal(size=(10, 2)) * 10
    first, again = RNNCell(2, 3, seed=9).run(xs), RNNCell(2, 3, seed=9).run(xs)
    np.testing.assert_array_equal(first.h, again.h)
    assert np.all(np.abs(first.h) < 1)
    with np.errstate(all="raise"):
        assert np.all(np.isfinite(RNNCell(2, 3).run(np.full((4, 2), 1e300)).h))
