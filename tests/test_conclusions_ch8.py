"""The conclusions chapter 8 states about trained models and timing-free costs, asserted over many seeds."""

from __future__ import annotations

import numpy as np
import pytest

from lstm.cell import LSTMCell
from lstm.experiments.attention import attention_versus_lstm
from lstm.experiments.common import DELAYED_RECALL_BUDGET
from lstm.experiments.cost import computational_cost

SEEDS = (0, 1, 2)
CHANCE = 0.25


# ------------------------------------------------------------------- chapter 8


def test_exercise_1_batch_rows_are_independent_and_steps_are_not() -> None:
    """The exercise's conclusion, without timing: across a batch the work splits, along time not."""
    one = computational_cost(hidden_sizes=(128,), batch_size=1, repeats=1)
    batch = computational_cost(hidden_sizes=(128,), batch_size=256, repeats=1)
    assert one.hidden_sizes.tolist() == [128] and batch.batch_size == 256
    np.testing.assert_allclose(batch.lstm_forward_per_sequence, batch.lstm_forward / 256)
    cell = LSTMCell(8, 128, seed=0)
    inputs = np.random.default_rng(0).normal(size=(40, 256, 8))
    together = cell.run(inputs).h
    for row in (0, 17, 255):  # a row of the batch never sees the others
        np.testing.assert_allclose(together[:, row:row + 1], cell.run(inputs[:, row:row + 1]).h,
                                   rtol=1e-12, atol=1e-12)
    # ... whereas a change at step 1 reaches every later step of its own sequence
    changed = inputs[:, :1].copy()
    changed[0] += 1.0
    moved = np.abs(cell.run(changed).h - together[:, :1]).max(axis=(1, 2))
    assert np.all(moved > 0)


def test_attention_learns_delayed_recall_from_fewer_sequences_with_the_same_budget() -> None:
    versus = attention_versus_lstm(delays=(20, 40), seeds=SEEDS, progress=False)
    assert versus.steps == DELAYED_RECALL_BUDGET["steps"]
    assert versus.batch_size == DELAYED_RECALL_BUDGET["batch_size"]
    # delay 20: both solve it with chapter 7's budget (the chapters agree) ...
    assert np.all(versus.attention_accuracies[0] >= 0.95)
    assert np.all(versus.lstm_accuracies[0] >= 0.9)
    # ... and attention needs several times fewer training sequences, seed by seed
    fewer = versus.sequences_to_reach("lstm")[0] / versus.sequences_to_reach("attention")[0]
    assert np.all(fewer >= 2), fewer
    # delay 40: attention solves it early, the LSTM has not learnt it by the end
    assert np.all(versus.attention_accuracies[1] >= 0.95)
    assert np.all(np.isfinite(versus.sequences_to_reach("attention")[1]))
    assert versus.lstm_accuracies[1].max() < 0.7
    assert not np.isfinite(versus.sequences_to_reach("lstm")[1]).any()
    assert versus.attention_parameters < versus.lstm_parameters


def test_sequences_to_reach_rejects_an_unknown_model() -> None:
    versus = attention_versus_lstm(delays=(2,), seeds=(0,), steps=10, eval_every=5, test_size=20,
                                   progress=False)
    assert versus.lstm_curves.shape == (1, 1, 2)
    assert versus.sequences_seen.tolist() == [5 * 64, 10 * 64]
    with pytest.raises(ValueError, match="model"):
        versus.sequences_to_reach("gru")
