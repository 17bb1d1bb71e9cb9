"""Chapter 7's adding problem (claim 2) and real data (claim 5): the conclusions over many seeds."""

from __future__ import annotations

import numpy as np
import pytest

from lstm.experiments.adding_problem import adding_problem_comparison
from lstm.experiments.real_data import real_data_forecast

SEEDS = (0, 1, 2)
CHANCE = 0.25


# ------------------------------------------------------------------- chapter 7, claim 2: the adding problem


@pytest.mark.parametrize("seed", SEEDS)
def test_adding_problem_lstm_error_many_times_smaller_at_30_steps(seed: int) -> None:
    adding = adding_problem_comparison(seed=seed, progress=False)
    assert np.all(adding.rnn_mse[0] < adding.baseline_mse / 5)  # both learn T = 10
    assert adding.lstm_mse[0] < adding.rnn_mse[0]
    assert adding.lstm_mse[-1] < adding.rnn_mse[-1] / 5
    assert adding.rnn_mse[-1] < adding.baseline_mse  # "still improves on the baseline"


# ------------------------------------------------------------------- chapter 7, claim 5


def test_eeg_linear_beats_naive_and_the_lstm_on_every_seed() -> None:
    for seed in SEEDS:
        eeg = real_data_forecast("eeg", seed=seed, progress=False)
        assert eeg.linear_mse < 0.85 * eeg.naive_mse
        assert eeg.lstm_mse > 1.05 * eeg.linear_mse, seed


def test_stock_prices_nothing_beats_naive_on_any_seed() -> None:
    for seed in SEEDS:
        goog = real_data_forecast("goog", seed=seed, progress=False)
        assert goog.lstm_mse > 0.98 * goog.naive_mse, seed
        assert goog.linear_mse > 0.98 * goog.naive_mse


def test_exercise_5_the_lstm_moves_by_more_than_its_gap_to_linear() -> None:
    results = [real_data_forecast("eeg", window=20, seed=seed, progress=False) for seed in SEEDS]
    lstm = np.array([result.lstm_mse for result in results])
    linear = results[0].linear_mse
    assert all(result.linear_mse == linear for result in results)
    assert np.ptp(lstm) > np.min(np.abs(lstm - linear))
    assert lstm.max() > linear  # "not better than a linear model", whatever one seed says


