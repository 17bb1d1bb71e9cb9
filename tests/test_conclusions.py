"""Chapter 8's conclusions of claims 1-4, asserted over seeds 0-9 and over perturbed copies of the runs.

The chapter prints its results and writes the numbers in its prose from the run (Quarto inline
code); what it *concludes* from them is checked here. Every trained conclusion runs the ten
seeds the chapter runs, once as they are and once with the initial weights multiplied by
``1 + 1e-12 * u`` (``perturbation``), which changes a trajectory the way another machine's
rounding does; a conclusion must hold on both, with the margin the prose claims. Each test
runs one experiment for all seeds, so that pytest-xdist can spread the experiments over
workers. Chapter 8's adding problem and real data are in ``test_conclusions_adding_real.py``,
chapter 9 in ``test_conclusions_disadvantages.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm.experiments.common import AT_CHANCE, DEFAULT_SEEDS, DELAYED_RECALL_BUDGET, LEARNT
from lstm.experiments.long_term_dependencies import long_term_dependencies, open_up_lstms
from lstm.experiments.noise import noise_robustness
from lstm.experiments.vanishing_gradient import (
    exploding_gradients,
    recurrent_scale_sweep,
    vanishing_gradients,
)
from lstm.experiments.variable_length import train_short_test_long
from lstm.gradient_flow import gradient_flow

SEEDS = DEFAULT_SEEDS  # 0-9, as in the chapter
PERTURBATIONS = pytest.mark.parametrize("perturbation", [0.0, 1e-12], ids=["as run", "perturbed"])


def test_the_chapter_runs_ten_seeds() -> None:
    assert SEEDS == tuple(range(10))


# ------------------------------------------------------------------- chapter 8, claim 1


def test_at_initialisation_the_cell_state_receives_orders_of_magnitude_more_and_the_gap_closes() -> None:
    """No training, so no perturbation: the measurement is exact up to rounding."""
    sweep = recurrent_scale_sweep(scales=(0.5, 1.0, 2.0, 3.0), distance=50, seeds=SEEDS)
    row = {float(scale): index for index, scale in enumerate(sweep.scales)}
    # scale 1 (the default): ahead on every seed, by many orders of magnitude (the chapter: 6-13)
    assert np.all(sweep.gap[row[1.0]] > 4), sweep.gap[row[1.0]]
    assert sweep.rnn_ahead[row[0.5]] == sweep.rnn_ahead[row[1.0]] == 0
    # "at scale 2 the gap closes ... the two cells are level": within a few orders, RNN ahead on some seeds
    assert abs(np.median(sweep.gap[row[2.0]])) < 2, sweep.gap[row[2.0]]
    assert sweep.rnn_ahead[row[2.0]] >= 2 and sweep.rnn_ahead[row[3.0]] >= 2, sweep.rnn_ahead
    # the sweep's scale-1 row is the chapter's fresh-cell measurement
    np.testing.assert_allclose(sweep.lstm_cell[row[1.0], 0], gradient_flow(seed=0).at(50)["lstm_cell"])


@PERTURBATIONS
def test_after_training_the_lstm_still_receives_far_more_gradient_where_the_rnn_stayed_at_chance(
    perturbation: float,
) -> None:
    result = vanishing_gradients(seeds=SEEDS, perturbation=perturbation, progress=False)
    initial = result.gap("initial", 50)
    assert np.all(initial > 4), initial  # "on every seed ... orders of magnitude more"
    stuck = result.rnn_accuracy <= AT_CHANCE
    assert stuck.sum() >= 7, result.rnn_accuracy
    trained = result.gap("trained", 50)[stuck]
    # the chapter prints 6-33 orders of magnitude on those seeds; "still far more": at least 3
    assert np.mean(trained >= 3) >= 0.9, trained


@PERTURBATIONS
def test_large_recurrent_weights_explode_and_clipping_keeps_training_bounded(perturbation: float) -> None:
    result = exploding_gradients(seeds=SEEDS, perturbation=perturbation, progress=False)
    assert np.all(result.farthest[-1] > 1e3), result.farthest[-1]  # scale 6 explodes on every seed
    assert np.all(result.farthest[0] < 1e-10)  # scale 0.5 vanishes
    low, high = result.norm_range
    assert high > 10 * result.clip
    assert np.median(result.clipped_fraction) > 0.5  # clipping caps most steps
    assert all(history.diverged_at is None for history in result.histories)


def test_exercise_1_measured_gradient_exceeds_the_forget_gate_estimate() -> None:
    measured = {}
    for bias in (1.0, 3.0):
        estimate = (1 / (1 + np.exp(-bias))) ** 50
        measured[bias] = gradient_flow(forget_bias=bias).at(50)["lstm_cell"]
        assert measured[bias] > 2 * estimate
    assert measured[3.0] > 100 * measured[1.0]


# ------------------------------------------------------------------- chapter 8, claim 2


@PERTURBATIONS
def test_with_noise_the_lstm_learns_delayed_recall_and_the_rnn_stays_at_chance(perturbation: float) -> None:
    noisy = long_term_dependencies(delays=(10,), noise=1.0, seeds=SEEDS, perturbation=perturbation,
                                   progress=False)
    assert noisy.settings["steps"] == DELAYED_RECALL_BUDGET["steps"]
    lstm, rnn = noisy.lstm_accuracy[0], noisy.rnn_accuracy[0]
    assert np.median(lstm) >= LEARNT and noisy.lstm_learnt.sum() >= 8, lstm
    # "on the other seeds it stalls at about 75 %": never below two thirds
    assert np.all(lstm >= 0.65), lstm
    assert np.median(rnn) <= AT_CHANCE and noisy.rnn_at_chance.sum() >= 7, rnn
    assert np.all(lstm >= rnn - 0.05)  # the RNN never beats the LSTM


@PERTURBATIONS
def test_a_silent_delay_is_easier_for_the_rnn(perturbation: float) -> None:
    silent = long_term_dependencies(delays=(10,), noise=0.0, seeds=SEEDS, perturbation=perturbation,
                                    progress=False)
    rnn = silent.rnn_accuracy[0]
    assert (rnn > AT_CHANCE).sum() >= 9, rnn  # above chance (at chance with noise, test above)
    assert silent.rnn_learnt.sum() >= 2, rnn  # "learns the task on N seeds"
    partly = rnn[rnn < LEARNT]
    if partly.size:  # "tells two pairs of symbols apart": about 50 %
        assert 0.4 <= np.median(partly) <= 0.65, partly
    assert silent.lstm_learnt.sum() >= 8, silent.lstm_accuracy


@PERTURBATIONS
def test_exercise_2_the_lstm_needs_its_forget_gates_open_at_delay_20(perturbation: float) -> None:
    open_gates = long_term_dependencies(delays=(20,), forget_bias=3.0, seeds=SEEDS,
                                        perturbation=perturbation, progress=False)
    shut_gates = long_term_dependencies(delays=(20,), forget_bias=1.0, seeds=SEEDS,
                                        perturbation=perturbation, progress=False)
    assert open_gates.lstm_learnt.sum() >= 6, open_gates.lstm_accuracy  # "on most seeds"
    lstm_shut = shut_gates.lstm_accuracy[0]
    assert (lstm_shut <= AT_CHANCE).sum() >= 9, lstm_shut  # "at chance on nearly every seed"
    assert np.median(shut_gates.rnn_accuracy) <= AT_CHANCE


@PERTURBATIONS
def test_opened_up_the_symbol_is_kept_in_several_units_with_slow_forgetting(perturbation: float) -> None:
    noisy = long_term_dependencies(delays=(10,), noise=1.0, seeds=SEEDS, perturbation=perturbation,
                                   progress=False)
    opened = open_up_lstms(noisy.lstm_models, SEEDS, delay=10, noise=1.0)
    learnt = opened.learnt
    assert learnt.sum() >= 8
    recalling = opened.units_recalling(0.9)[learnt]
    assert np.median(recalling) >= 2, recalling  # "stored several times over"
    assert np.mean(recalling >= 2) >= 0.85, recalling  # "more than one unit does so"
    assert np.all(opened.best_recall[learnt] >= 0.9)
    forget = np.median(opened.gate("forget_during_delay")[learnt], axis=1)
    assert np.all(forget >= 0.9), forget  # "loses only a few per cent at each step"
    input_delay = np.median(opened.gate("input_during_delay")[learnt], axis=1)
    input_symbol = np.median(opened.gate("input_at_symbol")[learnt], axis=1)
    assert np.all(input_delay >= 0.25), input_delay  # "not shut during the delay"
    assert np.mean(input_symbol > input_delay + 0.1) >= 0.85, (input_symbol, input_delay)
    if (~learnt).any():  # "where the LSTM stalled, no unit recalls" as well as the others
        assert opened.best_recall[~learnt].max() < 0.95


# ------------------------------------------------------------------- chapter 8, claim 3


@PERTURBATIONS
def test_trained_short_the_lstm_holds_for_160_steps_and_the_rnn_keeps_what_it_learnt(
    perturbation: float,
) -> None:
    result = train_short_test_long(seeds=SEEDS, perturbation=perturbation, progress=False)
    assert result.test_delays[-1] == 160
    lstm_everywhere = result.lstm_accuracy.min(axis=1) >= LEARNT
    assert lstm_everywhere.sum() >= 9, result.lstm_accuracy
    rnn_lowest = result.rnn_accuracy.min(axis=1)
    rnn_everywhere = rnn_lowest >= LEARNT
    assert lstm_everywhere.sum() >= rnn_everywhere.sum() + 4, rnn_lowest  # learns it far more reliably
    partly = rnn_lowest[~rnn_everywhere]
    assert partly.size and 0.4 <= np.median(partly) <= 0.65, partly  # "two pairs of symbols apart"
    assert np.mean(result.spread("rnn") <= 0.1) >= 0.9, result.spread("rnn")  # "whatever it learnt, it keeps"


@PERTURBATIONS
def test_exercise_3_at_lower_noise_the_rnn_keeps_what_it_learnt_at_every_length(perturbation: float) -> None:
    result = train_short_test_long(noise=0.5, seeds=SEEDS, perturbation=perturbation, progress=False)
    assert np.mean(result.spread("rnn") <= 0.1) >= 0.9, result.spread("rnn")
    assert (result.rnn_accuracy.min(axis=1) >= LEARNT).sum() >= 1  # "solves the task on some seeds"


# ------------------------------------------------------------------- chapter 8, claim 4


@PERTURBATIONS
def test_noise_defeats_the_rnn_on_more_seeds_the_more_there_is_but_not_the_lstm(perturbation: float) -> None:
    result = noise_robustness(noise_levels=(0.0, 1.0, 2.0), seeds=SEEDS, perturbation=perturbation,
                              progress=False)
    rnn_learnt = result.learnt("rnn")
    assert rnn_learnt[0] >= rnn_learnt[1] >= rnn_learnt[2] and rnn_learnt[0] > rnn_learnt[2], rnn_learnt
    assert result.at_chance("rnn")[2] >= 9  # at noise 2 the RNN stays at chance
    assert np.all(np.median(result.lstm_accuracy, axis=1) >= LEARNT)
    assert np.all(result.learnt("lstm") >= 7), result.learnt("lstm")
    # "to some extent": averaged over units the input gate is well open on noise steps on every
    # seed, and more open at the symbol on nearly every seed
    assert np.all(result.mean_input_gate_noise >= 0.3), result.mean_input_gate_noise
    assert 0.3 <= np.median(result.mean_input_gate_noise) <= 0.7  # "about half open"
    gap = result.mean_input_gate_signal - result.mean_input_gate_noise
    assert (gap > 0).sum() >= 9, gap
    # Exercise 4: by the random-walk estimate the margin is small (about 1 or below on most
    # seeds), yet the same unit alone recalls the symbol on 90 % or more where the LSTM learnt
    learnt = [unit for unit in result.opened.opened if unit.accuracy >= LEARNT]
    margins = []
    for unit in learnt:
        f = unit.forget_during_delay
        signal = unit.input_at_symbol * 0.8 * f**10
        disturbance = unit.input_during_delay * 0.5 * np.sqrt(sum(f ** (2 * k) for k in range(10)))
        margins.append(signal / disturbance)
    margins = np.array(margins)
    assert np.median(margins) < 1.5 and np.mean(margins < 1.3) >= 0.6, margins
    assert all(unit.recall >= 0.9 for unit in learnt), [unit.recall for unit in learnt]
