"""The conclusions of the chapter "Advantages of LSTMs", asserted on the real seeded runs.

Each experiment runs once per module with the settings the chapter uses (seed 0); a few
cheaper runs with other seeds check that the conclusions are not an accident of one seed.
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm.experiments import common
from lstm.experiments.adding_problem import (
    AddingResult,
    adding_problem_comparison,
    plot_adding_problem,
)
from lstm.experiments.common import RecallPair, train_recall_pairs
from lstm.experiments.long_term_dependencies import (
    LongTermResult,
    OpenedLSTM,
    long_term_dependencies,
    open_up_lstm,
    plot_long_term_dependencies,
    plot_open_lstm,
)
from lstm.experiments.noise import NoiseResult, noise_robustness, plot_noise_robustness
from lstm.experiments.real_data import ForecastResult, plot_real_data_forecast, real_data_forecast
from lstm.experiments.vanishing_gradient import (
    ExplodingResult,
    VanishingResult,
    exploding_gradients,
    plot_exploding_gradients,
    plot_vanishing_gradients,
    vanishing_gradients,
)
from lstm.experiments.variable_length import (
    ShortLongResult,
    plot_train_short_test_long,
    train_short_test_long,
    variable_length_equivalence,
)
from lstm.explorers import gradient_flow_explorer
from lstm.gradient_flow import gradient_flow

OTHER_SEEDS = (1, 2)


# ---------------------------------------------------------------- module-scoped runs


@pytest.fixture(scope="module")
def vanishing() -> VanishingResult:
    return vanishing_gradients(progress=False)


@pytest.fixture(scope="module")
def exploding() -> ExplodingResult:
    return exploding_gradients(progress=False)


@pytest.fixture(scope="module")
def long_term() -> LongTermResult:
    return long_term_dependencies(progress=False)


@pytest.fixture(scope="module")
def opened(long_term: LongTermResult) -> OpenedLSTM:
    return open_up_lstm(long_term.lstm_model, int(long_term.delays[-1]))


@pytest.fixture(scope="module")
def adding() -> AddingResult:
    # two seeds, for the figure and the result's arithmetic; test_conclusions_adding_real.py runs ten
    return adding_problem_comparison(seeds=(0, 1), progress=False)


@pytest.fixture(scope="module")
def short_long() -> ShortLongResult:
    return train_short_test_long(progress=False)


@pytest.fixture(scope="module")
def noise() -> NoiseResult:
    return noise_robustness(progress=False)


@pytest.fixture(scope="module")
def eeg() -> ForecastResult:
    # three seeds, for the figure and the result's arithmetic; test_conclusions_adding_real.py runs ten
    return real_data_forecast("eeg", seeds=(0, 1, 2), progress=False)


@pytest.fixture(scope="module")
def goog() -> ForecastResult:
    return real_data_forecast("goog", seeds=(0, 1, 2), progress=False)


# ---------------------------------------------------------------- 1. vanishing gradient


def test_lstm_gradient_at_distance_50_is_orders_of_magnitude_larger(vanishing) -> None:
    initial = vanishing.initial.at(50)
    assert vanishing.initial.forget_bias == 1.0
    assert initial["lstm_cell"] >= 100 * initial["rnn_hidden"]
    assert initial["rnn_hidden"] < 1e-8  # the RNN's gradient has all but vanished
    trained = vanishing.trained.at(50)
    assert trained["lstm_cell"] >= 100 * trained["rnn_hidden"]


def test_gradient_flow_starts_at_one_and_decays_for_the_rnn(vanishing) -> None:
    flow = vanishing.initial
    assert flow.rnn_hidden[0] == flow.lstm_cell[0] == 1.0
    assert flow.rnn_hidden[10] > flow.rnn_hidden[30] > flow.rnn_hidden[50]


@pytest.mark.parametrize("seed", OTHER_SEEDS)
def test_gradient_flow_conclusion_holds_for_other_seeds(seed: int) -> None:
    values = gradient_flow(forget_bias=1.0, seed=seed).at(50)
    assert values["lstm_cell"] >= 100 * values["rnn_hidden"]


def test_larger_forget_bias_carries_more_gradient() -> None:
    low = gradient_flow(forget_bias=0.0).at(50)["lstm_cell"]
    high = gradient_flow(forget_bias=3.0).at(50)["lstm_cell"]
    assert high > 100 * low


def test_large_recurrent_weights_explode_and_clipping_caps_them(exploding) -> None:
    final = exploding.rnn_flows[:, -1]
    assert final[0] < 1e-10  # scale 0.5: vanishes
    assert final[-1] > 1e3  # scale 6: explodes
    assert np.all(np.diff(np.log(final)) > 0)  # grows with the scale
    history = exploding.history
    assert history.grad_norms.max() > 10 * exploding.clip
    np.testing.assert_array_equal(history.clipped, history.grad_norms > exploding.clip)
    assert history.diverged_at is None


def test_gradient_flow_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="num_steps"):
        gradient_flow(num_steps=1)
    with pytest.raises(ValueError, match="recurrent_scale"):
        gradient_flow(recurrent_scale=-1.0)
    with pytest.raises(ValueError, match="distance"):
        gradient_flow(num_steps=5).at(5)
    with pytest.raises(ValueError, match="scales"):
        exploding_gradients(scales=(2.0, 1.0))


def test_gradient_flow_explorer_static_form_is_a_live_widget(monkeypatch) -> None:
    from lstm.explorers.web_widget import LiveWidget

    monkeypatch.setenv("LSTM_BOOK_STATIC", "1")
    static = gradient_flow_explorer()
    assert isinstance(static, LiveWidget) and static.spec["renderer"] == "gradient-flow"
    assert "lstm-static-explorer" in static.html
    assert [control["name"] for control in static.spec["controls"]] == ["forget_bias",
                                                                         "recurrent_scale"]


def test_gradient_flow_explorer_live_redraws_in_place(monkeypatch) -> None:
    monkeypatch.setenv("LSTM_BOOK_STATIC", "0")
    explorer = gradient_flow_explorer()
    figure = explorer.figure
    line = explorer.lines["lstm_cell"]
    before = line.get_ydata().copy()
    explorer.set_values(forget_bias=4.0)
    assert explorer.figure is figure and explorer.lines["lstm_cell"] is line
    assert line.get_ydata()[50] > before[50]
    explorer.set_values(forget_bias=-2.0, recurrent_scale=6.0)
    assert np.all(np.isfinite(line.get_ydata()))
    assert "Fifty steps back" in explorer.describe()


# ---------------------------------------------------------------- 2. long-term dependencies


def test_lstm_recalls_where_the_rnn_is_at_chance(long_term) -> None:
    longest = -1
    assert long_term.delays[longest] == 20
    assert long_term.lstm_accuracy[longest] >= 0.9
    assert long_term.rnn_accuracy[longest] <= long_term.chance + 0.15
    # both solve the shortest delay: the task itself is learnable by both
    assert long_term.rnn_accuracy[0] >= 0.9 and long_term.lstm_accuracy[0] >= 0.9
    assert long_term.settings["lstm_parameters"] > long_term.settings["rnn_parameters"]


@pytest.mark.parametrize("seed", OTHER_SEEDS)
def test_long_term_conclusion_holds_for_other_seeds(seed: int) -> None:
    result = long_term_dependencies(delays=(20,), seed=seed, progress=False)
    assert result.lstm_accuracy[0] >= 0.7
    assert result.rnn_accuracy[0] <= 0.5
    assert result.lstm_accuracy[0] >= result.rnn_accuracy[0] + 0.3


def test_without_noise_the_rnn_does_better_at_the_same_delay(long_term) -> None:
    """The chapter's nuance: without distractor noise the RNN is well above chance at delay 20.

    (Seeds 0-2 are checked in tests/test_conclusions.py.)
    """
    result = long_term_dependencies(delays=(20,), noise=0.0, progress=False)
    assert result.rnn_accuracy[0] >= long_term.rnn_accuracy[-1] + 0.15


def test_trained_lstm_holds_the_symbol_in_its_cell_state(opened) -> None:
    assert opened.accuracy >= 0.9
    assert opened.forget_during_delay >= 0.9
    assert opened.separation >= 0.8
    assert opened.input_at_symbol - opened.input_during_delay >= 0.3
    assert opened.unit_separation.shape == (8,)
    assert "memory unit" in opened.table()


def test_adding_problem_result_keeps_every_seed_and_every_measurement(adding) -> None:
    assert list(adding.lengths) == [10, 30] and adding.seeds == (0, 1)
    assert list(adding.eval_steps) == [0, 50, 100, 150, 200, 250, 300]
    assert adding.lstm_errors.shape == adding.rnn_errors.shape == (2, 2, 7)
    assert np.array_equal(adding.rnn_mse, adding.rnn_errors[:, :, -1])
    relative = adding.relative_errors("LSTM")
    assert np.allclose(relative * adding.baseline_mse[:, None, None], adding.lstm_errors)
    assert np.array_equal(adding.count_below("LSTM", 0.5), np.sum(relative[:, :, -1] < 0.5, axis=1))
    assert np.array_equal(adding.count_below("RNN", 2.0, at_step=0), [0, 0])  # untrained: about 0
    assert "median" in adding.summary() and "T =  30" in adding.summary()


def test_steps_to_leave_plateau_is_the_first_measurement_below_the_fraction() -> None:
    steps = np.array([0, 50, 100])
    errors = np.array([[[1.0, 0.9, 0.1], [1.0, 0.2, 0.9], [1.0, 0.8, 0.7]]])  # 1 length, 3 seeds
    result = AddingResult(
        lengths=np.array([10]), seeds=(0, 1, 2), eval_steps=steps, rnn_errors=errors,
        lstm_errors=errors, baseline_mse=np.array([1.0]), forget_bias=3.0, input_bias=-3.0,
        perturbation=0.0, cpu_seconds=0.0,
    )
    assert result.steps_to_leave_plateau("LSTM").tolist() == [[100.0, 50.0, np.inf]]
    assert result.steps_to_leave_plateau("RNN", fraction=0.75).tolist() == [[100.0, 50.0, 100.0]]
    with pytest.raises(ValueError, match="model"):
        result.errors("GRU")
    with pytest.raises(ValueError, match="at_step"):
        result.count_below("LSTM", 0.5, at_step=75)


def test_adding_problem_lstm_starts_with_the_recipes_biases() -> None:
    from lstm.experiments.adding_problem import _new_model
    from lstm.milestones import ADDING_1997_RECIPE

    lstm = _new_model("LSTM", 8, 0, ADDING_1997_RECIPE.forget_bias, ADDING_1997_RECIPE.input_bias)
    assert np.all(lstm.cell.b_f == 3.0) and np.all(lstm.cell.b_i == -3.0)
    random_input = _new_model("LSTM", 8, 0, 3.0, None)
    assert np.all(random_input.cell.b_f == 3.0) and len(np.unique(random_input.cell.b_i)) > 1


def test_experiments_run_with_one_blas_thread_and_restore_the_default() -> None:
    from threadpoolctl import threadpool_info, threadpool_limits

    from lstm.training import one_blas_thread

    def blas_threads() -> list[int]:
        return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]

    @one_blas_thread()
    def experiment(value: int) -> tuple[int, list[int]]:
        """An experiment."""
        return value + 1, blas_threads()

    with threadpool_limits(limits=2, user_api="blas"):
        before = blas_threads()
        assert experiment(1) == (2, [1] * len(before))
        assert blas_threads() == before and experiment.__doc__ == "An experiment."
    for function in (long_term_dependencies, noise_robustness, adding_problem_comparison,
                     train_short_test_long, real_data_forecast, vanishing_gradients,
                     exploding_gradients):
        assert function.__wrapped__.__name__ == function.__name__


SMALL_BUDGET = {"hidden_size": 4, "steps": 30, "batch_size": 16, "lr": 0.02, "forget_bias": 3.0}


def test_a_setting_is_trained_once_and_its_stored_result_is_what_a_new_run_gives(monkeypatch) -> None:
    monkeypatch.setattr(common, "_TRAINED_PAIRS", {})
    first, other = train_recall_pairs([(3, 1.0), (3, 0.5)], **SMALL_BUDGET, seed=5, progress=False)
    assert isinstance(first, RecallPair) and (first.delay, first.noise, first.seed) == (3, 1.0, 5)
    assert len(common._TRAINED_PAIRS) == 2
    # a caller that changes the models it was given does not change what is stored
    first.lstm_model.parameters["cell.W_f"][...] = 0.0
    (again,) = train_recall_pairs([(3, 1.0)], **SMALL_BUDGET, seed=5, progress=False)
    assert len(common._TRAINED_PAIRS) == 2  # nothing trained
    assert again.lstm_model is not first.lstm_model
    monkeypatch.setattr(common, "_TRAINED_PAIRS", {})
    (fresh,) = train_recall_pairs([(3, 1.0)], **SMALL_BUDGET, seed=5, progress=False)
    assert (fresh.rnn_accuracy, fresh.lstm_accuracy) == (again.rnn_accuracy, again.lstm_accuracy)
    for model, fresh_model in ((again.rnn_model, fresh.rnn_model), (again.lstm_model, fresh.lstm_model)):
        for name, value in fresh_model.parameters.items():
            np.testing.assert_array_equal(model.parameters[name], value, err_msg=name)
    assert not np.array_equal(other.lstm_model.parameters["cell.W_f"],
                              fresh.lstm_model.parameters["cell.W_f"])  # another setting


@pytest.mark.parametrize(
    ("settings", "budget", "argument"),
    [
        ([(3,)], {}, "settings"),
        ([(-1, 1.0)], {}, "delay"),
        ([(3, -0.5)], {}, "noise"),
        ([(3, 1.0)], {"steps": 0}, "steps"),
        ([(3, 1.0)], {"lr": -1.0}, "lr"),
    ],
)
def test_train_recall_pairs_rejects_bad_arguments(settings, budget, argument) -> None:
    with pytest.raises(ValueError, match=argument):
        train_recall_pairs(settings, **{**SMALL_BUDGET, **budget}, seed=0, progress=False)


def test_claims_2_and_4_share_the_setting_delay_10_noise_1(long_term, noise) -> None:
    at_10 = list(long_term.delays).index(10)
    at_1 = list(noise.noise_levels).index(1.0)
    assert noise.delay == 10 and long_term.noise == 1.0
    assert noise.rnn_accuracy[at_1] == long_term.rnn_accuracy[at_10]
    assert noise.lstm_accuracy[at_1] == long_term.lstm_accuracy[at_10]


def test_open_up_rejects_a_plain_rnn() -> None:
    from lstm.cell import LSTMCell  # noqa: F401  (only the LSTM has gates to open)
    from lstm.rnn import RNNCell
    from lstm.training import SequenceModel

    with pytest.raises(ValueError, match="model"):
        open_up_lstm(SequenceModel(RNNCell(6, 3), 4), 5)


# ---------------------------------------------------------------- 3. variable length


def test_mixed_length_batch_equals_each_sequence_alone() -> None:
    check = variable_length_equivalence()
    assert check.max_output_difference <= 1e-12
    assert check.max_gradient_difference <= 1e-12
    other = variable_length_equivalence(lengths=(9, 1, 4), seed=3)
    assert other.max_output_difference <= 1e-12 and other.max_gradient_difference <= 1e-12


def test_trained_on_short_sequences_lstm_works_on_longer_ones(short_long) -> None:
    assert short_long.train_delays == (1, 10)
    assert short_long.test_delays[-1] >= 16 * short_long.train_delays[1]
    assert np.all(short_long.lstm_accuracy >= 0.9)
    assert np.all(short_long.rnn_accuracy <= 0.75)


# ---------------------------------------------------------------- 4. noise


def test_lstm_robust_to_noise_where_the_rnn_fails(noise) -> None:
    levels = noise.noise_levels
    assert np.all(noise.lstm_accuracy >= 0.9)
    noisy = levels >= 1.0
    assert noisy.any() and np.all(noise.rnn_accuracy[noisy] <= noise.chance + 0.25)


def test_trained_gates_open_on_the_signal_and_close_on_noise(noise) -> None:
    assert noise.mean_input_gate_signal > noise.mean_input_gate_noise + 0.2
    assert noise.opened.input_at_symbol > 0.8
    assert noise.opened.input_during_delay < 0.35
    assert noise.opened.forget_during_delay > 0.9


@pytest.mark.parametrize("seed", OTHER_SEEDS)
def test_noise_conclusion_holds_for_other_seeds(seed: int) -> None:
    result = noise_robustness(noise_levels=(2.0,), seed=seed, progress=False)
    assert result.lstm_accuracy[0] >= 0.9
    assert result.rnn_accuracy[0] <= result.chance + 0.25
    assert result.opened.input_at_symbol - result.opened.input_during_delay > 0.4


# ---------------------------------------------------------------- 5. real data


def test_forecast_result_keeps_one_lstm_per_seed(eeg) -> None:
    """The conclusions over ten seeds are in test_conclusions_adding_real.py; here the arithmetic."""
    assert eeg.seeds == (0, 1, 2) and eeg.lstm_mse.shape == (3,) and len(eeg.histories) == 3
    assert eeg.lstm_test_predictions.shape == (3, len(eeg.data.test))
    truth = eeg.data.test_next
    assert np.allclose(eeg.lstm_mse, np.mean((eeg.lstm_test_predictions - truth) ** 2, axis=1))
    assert np.allclose(eeg.lstm_vs_naive, eeg.lstm_mse / eeg.naive_mse)
    assert eeg.lstm_mse[eeg.median_seed_index] == np.sort(eeg.lstm_mse)[1]
    assert eeg.linear_mse < 0.85 * eeg.naive_mse  # the linear model has no seed
    assert "3 seeds" in eeg.summary()


def test_real_data_forecast_rejects_bad_seeds() -> None:
    with pytest.raises(ValueError, match="seeds"):
        real_data_forecast("eeg", seeds=(1, 1))
    with pytest.raises(TypeError, match="seeds"):
        real_data_forecast("eeg", seeds="0")


# ---------------------------------------------------------------- plots


def test_every_plot_has_labelled_axes(
    vanishing, exploding, long_term, opened, adding, short_long, noise, eeg, goog
) -> None:
    figures = [
        plot_vanishing_gradients(vanishing),
        plot_exploding_gradients(exploding),
        plot_long_term_dependencies(long_term),
        plot_open_lstm(opened),
        plot_adding_problem(adding),
        plot_train_short_test_long(short_long),
        plot_noise_robustness(noise),
        plot_real_data_forecast(eeg),
        plot_real_data_forecast(goog, size="projector"),
    ]
    for figure in figures:
        axes = [ax for ax in figure.axes if ax.get_label() != "<colorbar>"]
        assert axes
        for ax in axes:
            assert ax.get_xlabel()
            assert ax.get_title()
        figure.canvas.draw()


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: real_data_forecast("weather"), "dataset"),
        (lambda: train_short_test_long(train_delays=(10, 1)), "train_delays"),
        (lambda: long_term_dependencies(delays=(20, 10)), "delays"),
        (lambda: noise_robustness(noise_levels=(-1.0,)), "noise_levels"),
        (lambda: adding_problem_comparison(lengths=(1,)), "lengths"),
        (lambda: adding_problem_comparison(seeds=()), "seeds"),
        (lambda: adding_problem_comparison(steps=300, eval_every=40), "eval_every"),
        (lambda: adding_problem_comparison(lr=-1.0), "lr"),
        (lambda: variable_length_equivalence(lengths=(3, 0)), "lengths"),
        (lambda: gradient_flow_explorer(size="poster"), "size"),
    ],
)
def test_experiments_reject_bad_arguments(call, argument: str) -> None:
    with pytest.raises(ValueError, match=argument):
        call()


def test_plots_reject_unknown_size(long_term) -> None:
    with pytest.raises(ValueError, match="size"):
        plot_long_term_dependencies(long_term, size="poster")
