"""Chapter 8's adding problem (claim 2) and real data (claim 5): the conclusions over seeds 0-9.

Every conclusion the chapter states is asserted as the chapter states it -- on how many of the
10 seeds it holds -- for the runs of the chapter (``perturbation=0``) and for the same runs with
initial weights perturbed by 1e-12, the change another machine's rounding makes.
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm.experiments.adding_problem import AddingResult, adding_problem_comparison
from lstm.experiments.real_data import ForecastResult, real_data_forecast

SEEDS = tuple(range(10))
PERTURBATIONS = (0.0, 1e-12)
MOST = 9  # a conclusion stated for the runs holds on at least 9 of the 10 seeds
SHORT, LONG = 0, -1  # index of T = 10 and T = 30 in the adding problem's lengths


def at_least(condition: np.ndarray, count: int = MOST) -> bool:
    return int(np.sum(condition)) >= count


# ------------------------------------------------------------------- chapter 8, claim 2: the adding problem


@pytest.fixture(scope="module", params=PERTURBATIONS, ids=["exact", "perturbed"])
def adding(request) -> AddingResult:
    return adding_problem_comparison(lengths=(10, 30), seeds=SEEDS, perturbation=request.param,
                                     progress=False)


def test_adding_problem_runs_the_chapters_budget_on_ten_seeds(adding) -> None:
    assert list(adding.lengths) == [10, 30] and adding.seeds == SEEDS
    assert adding.eval_steps[0] == 0 and adding.eval_steps[-1] == 300
    assert adding.rnn_errors.shape == adding.lstm_errors.shape == (2, 10, adding.eval_steps.size)
    assert np.all(np.abs(adding.baseline_mse - 1 / 6) < 0.02)


def test_both_models_first_reach_the_plateau_of_answering_1(adding) -> None:
    """The figure: every curve starts near 1 and is on the dotted line after 50 steps."""
    for model in ("RNN", "LSTM"):
        relative = adding.relative_errors(model)
        assert np.all(relative[:, :, 0] > 2)  # an untrained model answers about 0
        assert at_least(np.all((relative[:, :, 1] > 0.8) & (relative[:, :, 1] < 1.25), axis=0))


def test_at_10_steps_both_models_improve_on_the_baseline_and_the_lstm_is_better(adding) -> None:
    rnn = adding.relative_errors("RNN")[SHORT, :, -1]
    lstm = adding.relative_errors("LSTM")[SHORT, :, -1]
    assert at_least(rnn < 0.9)
    assert at_least(lstm < 0.05)
    assert at_least(adding.lstm_mse[SHORT] < adding.rnn_mse[SHORT])


def test_at_30_steps_the_rnn_stays_on_the_plateau_and_the_lstm_does_not(adding) -> None:
    rnn = adding.relative_errors("RNN")[LONG, :, -1]
    lstm = adding.relative_errors("LSTM")[LONG, :, -1]
    assert at_least(rnn >= 0.9)  # "below 90 % of it on no seed" (or on one)
    assert at_least(lstm < 0.05)  # "below a twentieth"
    assert at_least(adding.rnn_mse[LONG] / adding.lstm_mse[LONG] > 10)


def test_the_lstm_leaves_the_plateau_later_for_longer_sequences_and_not_within_100_steps(adding) -> None:
    leaves = adding.steps_to_leave_plateau("LSTM")
    assert at_least(np.isfinite(leaves[SHORT])) and at_least(np.isfinite(leaves[LONG]))
    assert np.median(leaves[LONG]) > np.median(leaves[SHORT])
    assert at_least(leaves[LONG] > 100)  # a budget of 100 steps would show no difference
    assert at_least(leaves[LONG] <= 250)  # the budget of 300 steps leaves a margin
    rnn_leaves = adding.steps_to_leave_plateau("RNN")
    assert np.median(rnn_leaves[SHORT]) > np.median(leaves[SHORT])  # the figure: the RNN later


@pytest.mark.parametrize("perturbation", PERTURBATIONS, ids=["exact", "perturbed"])
def test_with_random_input_biases_the_lstm_stays_on_the_plateau_on_at_least_half_the_seeds(
    perturbation: float,
) -> None:
    result = adding_problem_comparison(lengths=(30,), seeds=SEEDS, input_bias=None,
                                       perturbation=perturbation, progress=False)
    assert result.input_bias is None and result.forget_bias == 3.0
    on_plateau = ~np.isfinite(result.steps_to_leave_plateau("LSTM")[0])
    assert at_least(on_plateau, 5)


# ------------------------------------------------------------------- chapter 8, claim 5


@pytest.fixture(scope="module", params=PERTURBATIONS, ids=["exact", "perturbed"])
def perturbation(request) -> float:
    return request.param


@pytest.fixture(scope="module")
def eeg(perturbation: float) -> ForecastResult:
    return real_data_forecast("eeg", seeds=SEEDS, perturbation=perturbation, progress=False)


@pytest.fixture(scope="module")
def goog(perturbation: float) -> ForecastResult:
    return real_data_forecast("goog", seeds=SEEDS, perturbation=perturbation, progress=False)


def test_eeg_linear_beats_naive_and_the_lstm_is_worse_than_linear(eeg) -> None:
    assert eeg.lstm_mse.shape == (10,) and eeg.seeds == SEEDS
    assert eeg.linear_vs_naive < 0.85
    assert at_least(eeg.lstm_mse > 1.05 * eeg.linear_mse)


def test_stock_prices_nothing_beats_naive(goog) -> None:
    assert at_least(goog.lstm_mse > goog.naive_mse)
    assert goog.linear_mse > goog.naive_mse


def test_exercise_5_with_a_longer_history_the_seed_decides_against_linear(eeg, perturbation) -> None:
    longer = real_data_forecast("eeg", window=20, seeds=SEEDS, perturbation=perturbation, progress=False)
    assert longer.linear_mse < eeg.linear_mse  # both do better with 20 past values
    assert np.median(longer.lstm_mse) < np.median(eeg.lstm_mse)
    better = longer.lstm_mse < longer.linear_mse
    assert 1 <= better.sum() <= 9  # "on some seeds and not on others"
    assert np.median(longer.lstm_mse) > longer.linear_mse
    assert np.ptp(longer.lstm_mse) > abs(np.median(longer.lstm_mse) - longer.linear_mse)
