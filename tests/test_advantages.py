"""The experiments of the chapter "Advantages of LSTMs": their results, plots and argument checks.

Each experiment of claims 1-4 runs once per module on two seeds (:data:`FEW_SEEDS`), enough to
check the shapes of the per-seed results, the shared training and the plots; the chapter's
conclusions over its ten seeds, and over perturbed copies of the runs, are asserted in
``tests/test_conclusions.py``.
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
from lstm.experiments.common import RecallRuns, recall_models, train_recall_pairs
from lstm.experiments.long_term_dependencies import (
    LongTermResult,
    OpenedLSTM,
    OpenedLSTMs,
    long_term_dependencies,
    open_up_lstm,
    open_up_lstms,
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
    recurrent_scale_sweep,
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
FEW_SEEDS = (0, 1)  # claims 1-4 here; the chapter's ten seeds are in tests/test_conclusions.py


# ---------------------------------------------------------------- module-scoped runs


@pytest.fixture(scope="module")
def vanishing() -> VanishingResult:
    return vanishing_gradients(seeds=FEW_SEEDS, progress=False)


@pytest.fixture(scope="module")
def exploding() -> ExplodingResult:
    return exploding_gradients(seeds=FEW_SEEDS, progress=False)


@pytest.fixture(scope="module")
def long_term() -> LongTermResult:
    return long_term_dependencies(seeds=FEW_SEEDS, progress=False)


@pytest.fixture(scope="module")
def opened(long_term: LongTermResult) -> OpenedLSTMs:
    return open_up_lstms(long_term.lstm_models, long_term.seeds, int(long_term.delays[-1]))


@pytest.fixture(scope="module")
def adding() -> AddingResult:
    # two seeds, for the figure and the result's arithmetic; test_conclusions_adding_real.py runs ten
    return adding_problem_comparison(seeds=(0, 1), progress=False)


@pytest.fixture(scope="module")
def short_long() -> ShortLongResult:
    return train_short_test_long(seeds=FEW_SEEDS, progress=False)


@pytest.fixture(scope="module")
def noise() -> NoiseResult:
    return noise_robustness(seeds=FEW_SEEDS, progress=False)


@pytest.fixture(scope="module")
def eeg() -> ForecastResult:
    # three seeds, for the figure and the result's arithmetic; test_conclusions_adding_real.py runs ten
    return real_data_forecast("eeg", seeds=(0, 1, 2), progress=False)


@pytest.fixture(scope="module")
def goog() -> ForecastResult:
    return real_data_forecast("goog", seeds=(0, 1, 2), progress=False)


# ---------------------------------------------------------------- 1. vanishing gradient


def test_vanishing_result_holds_one_row_per_seed_and_the_gap_is_large_at_initialisation(vanishing) -> None:
    assert vanishing.seeds == FEW_SEEDS and vanishing.forget_bias == 1.0
    for flows in (vanishing.initial, vanishing.before, vanishing.trained):
        assert set(flows) == {"rnn_hidden", "lstm_cell", "lstm_hidden"}
        for values in flows.values():
            assert values.shape == (2, vanishing.distances.size)
            np.testing.assert_allclose(values[:, 0], 1.0)  # relative to the last step
    np.testing.assert_allclose(vanishing.initial["lstm_cell"][0], gradient_flow(seed=0).lstm_cell)
    np.testing.assert_allclose(vanishing.before["lstm_cell"][1],
                               gradient_flow(hidden_size=8, forget_bias=3.0, seed=1).lstm_cell)
    assert np.all(vanishing.gap("initial", 50) > 4)
    assert vanishing.rnn_accuracy.shape == vanishing.lstm_accuracy.shape == (2,)
    assert "after training" in vanishing.summary()
    with pytest.raises(ValueError, match="which"):
        vanishing.gap("later")
    with pytest.raises(ValueError, match="distance"):
        vanishing.gap("initial", 61)


def test_vanishing_gradients_reuses_the_models_of_claim_2(vanishing, long_term) -> None:
    np.testing.assert_array_equal(vanishing.lstm_accuracy, long_term.lstm_accuracy[0])
    np.testing.assert_array_equal(vanishing.rnn_accuracy, long_term.rnn_accuracy[0])


def test_gradient_flow_starts_at_one_and_decays_for_the_rnn(vanishing) -> None:
    flow = vanishing.initial["rnn_hidden"][0]
    assert flow[10] > flow[30] > flow[50]


def test_recurrent_scale_sweep_closes_the_gap_as_the_scale_grows() -> None:
    sweep = recurrent_scale_sweep(scales=(1.0, 3.0), seeds=FEW_SEEDS)
    assert sweep.rnn_hidden.shape == sweep.lstm_cell.shape == sweep.gap.shape == (2, 2)
    assert np.all(sweep.gap[1] < sweep.gap[0])
    assert sweep.rnn_ahead.shape == (2,) and "RNN ahead" in sweep.summary()
    with pytest.raises(ValueError, match="scales"):
        recurrent_scale_sweep(scales=(2.0, 1.0))
    with pytest.raises(TypeError, match="seeds"):
        recurrent_scale_sweep(seeds="01")


def test_larger_forget_bias_carries_more_gradient() -> None:
    low = gradient_flow(forget_bias=0.0).at(50)["lstm_cell"]
    high = gradient_flow(forget_bias=3.0).at(50)["lstm_cell"]
    assert high > 100 * low


def test_large_recurrent_weights_explode_and_clipping_caps_them(exploding) -> None:
    assert exploding.farthest.shape == (5, 2) and len(exploding.histories) == 2
    assert exploding.clipped_fraction.shape == (2,)
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


def test_long_term_result_holds_one_column_per_seed(long_term) -> None:
    assert long_term.seeds == FEW_SEEDS and list(long_term.delays) == [10]
    assert long_term.rnn_accuracy.shape == long_term.lstm_accuracy.shape == (1, 2)
    assert len(long_term.lstm_models) == 2
    assert long_term.settings["lstm_parameters"] > long_term.settings["rnn_parameters"]
    assert long_term.lstm_learnt.shape == long_term.rnn_at_chance.shape == (1, 2)
    assert "LSTM" in long_term.summary()


def test_each_seed_builds_its_own_cell_and_read_out() -> None:
    (rnn_0, rnn_1), (lstm_0, lstm_1) = recall_models(6, 4, 3.0, (0, 1))
    for first, second in ((rnn_0, rnn_1), (lstm_0, lstm_1)):
        weights = [name for name in first.parameters if ".W" in name]
        assert "readout.W" in weights
        for name in weights:  # the biases start at fixed values; every weight matrix is seeded
            assert not np.array_equal(first.parameters[name], second.parameters[name]), name
    (again,), _ = recall_models(6, 4, 3.0, (1,))
    for name, value in again.parameters.items():
        np.testing.assert_array_equal(value, rnn_1.parameters[name])


def test_opened_lstms_score_every_unit_of_every_seed(opened) -> None:
    assert isinstance(opened, OpenedLSTMs) and opened.seeds == FEW_SEEDS
    assert opened.learnt.shape == opened.best_recall.shape == opened.units_recalling().shape == (2,)
    assert opened.gate("forget_during_delay").shape == (2, 8)
    for one in opened.opened:
        assert isinstance(one, OpenedLSTM)
        assert one.unit_recall.shape == (8,) and np.all((one.unit_recall >= 0) & (one.unit_recall <= 1))
        assert one.recall == one.unit_recall.max()
        assert one.cell_state.shape == one.forget_gate.shape == (12, one.symbols.size)
        assert "<- shown" in one.table() and "recall" in one.summary()
    assert opened.example_seed in FEW_SEEDS
    with pytest.raises(ValueError, match="name"):
        opened.gate("output")


def test_one_unit_that_holds_the_symbol_recalls_it_alone() -> None:
    """The recall score on a made-up model: a unit whose cell state is the symbol scores 100%."""
    from lstm.experiments.long_term_dependencies import _nearest_mean_recall

    labels = np.repeat(np.arange(4), 25)
    noise = np.random.default_rng(0).normal(scale=0.05, size=(100, 1))
    assert _nearest_mean_recall(labels[:, None] + noise, labels, labels[:, None] - noise, labels) == 1.0
    lumped = (labels >= 2).astype(float)[:, None] + noise  # tells {0, 1} from {2, 3} only
    assert _nearest_mean_recall(lumped, labels, lumped, labels) == pytest.approx(0.5, abs=0.1)


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
    monkeypatch.setattr(common, "_TRAINED_RUNS", {})
    first, other = train_recall_pairs([(3, 1.0), (3, 0.5)], **SMALL_BUDGET, seeds=(5, 6), progress=False)
    assert isinstance(first, RecallRuns) and (first.delay, first.noise, first.seeds) == (3, 1.0, (5, 6))
    assert first.rnn_accuracy.shape == first.lstm_accuracy.shape == (2,) and len(first.lstm_models) == 2
    assert len(common._TRAINED_RUNS) == 2
    # a caller that changes the models it was given does not change what is stored
    first.lstm_models[0].parameters["cell.W_f"][...] = 0.0
    (again,) = train_recall_pairs([(3, 1.0)], **SMALL_BUDGET, seeds=(5, 6), progress=False)
    assert len(common._TRAINED_RUNS) == 2  # nothing trained
    assert again.lstm_models[0] is not first.lstm_models[0]
    monkeypatch.setattr(common, "_TRAINED_RUNS", {})
    (fresh,) = train_recall_pairs([(3, 1.0)], **SMALL_BUDGET, seeds=(5, 6), progress=False)
    np.testing.assert_array_equal(fresh.rnn_accuracy, again.rnn_accuracy)
    np.testing.assert_array_equal(fresh.lstm_accuracy, again.lstm_accuracy)
    pairs = ((again.rnn_models, fresh.rnn_models), (again.lstm_models, fresh.lstm_models))
    for models, fresh_models in pairs:
        for model, fresh_model in zip(models, fresh_models, strict=True):
            for name, value in fresh_model.parameters.items():
                np.testing.assert_array_equal(model.parameters[name], value, err_msg=name)
    assert not np.array_equal(other.lstm_models[0].parameters["cell.W_f"],
                              fresh.lstm_models[0].parameters["cell.W_f"])  # another setting
    # a perturbed run is another setting, and its weights differ only in the last digits
    (perturbed,) = train_recall_pairs([(3, 1.0)], **SMALL_BUDGET, seeds=(5, 6), perturbation=1e-12,
                                      progress=False)
    assert len(common._TRAINED_RUNS) == 2 and perturbed.perturbation == 1e-12


@pytest.mark.parametrize(
    ("settings", "budget", "argument"),
    [
        ([(3,)], {}, "settings"),
        ([(-1, 1.0)], {}, "delay"),
        ([(3, -0.5)], {}, "noise"),
        ([(3, 1.0)], {"steps": 0}, "steps"),
        ([(3, 1.0)], {"lr": -1.0}, "lr"),
        ([(3, 1.0)], {"seeds": (1, 1)}, "seeds"),
        ([(3, 1.0)], {"perturbation": -1.0}, "perturbation"),
    ],
)
def test_train_recall_pairs_rejects_bad_arguments(settings, budget, argument) -> None:
    with pytest.raises(ValueError, match=argument):
        train_recall_pairs(settings, **{**SMALL_BUDGET, "seeds": (0,), **budget}, progress=False)


def test_claims_2_and_4_share_the_setting_delay_10_noise_1(long_term, noise) -> None:
    at_1 = list(noise.noise_levels).index(1.0)
    assert noise.delay == 10 and long_term.noise == 1.0 and list(long_term.delays) == [10]
    np.testing.assert_array_equal(noise.rnn_accuracy[at_1], long_term.rnn_accuracy[0])
    np.testing.assert_array_equal(noise.lstm_accuracy[at_1], long_term.lstm_accuracy[0])


def test_open_up_rejects_a_plain_rnn() -> None:
    from lstm.cell import LSTMCell  # noqa: F401  (only the LSTM has gates to open)
    from lstm.rnn import RNNCell
    from lstm.training import SequenceModel

    with pytest.raises(ValueError, match="model"):
        open_up_lstm(SequenceModel(RNNCell(6, 3), 4), 5)
    with pytest.raises(ValueError, match="models"):
        open_up_lstms([], (0,), 5)


# ---------------------------------------------------------------- 3. variable length


def test_mixed_length_batch_equals_each_sequence_alone() -> None:
    check = variable_length_equivalence()
    assert check.max_output_difference <= 1e-12
    assert check.max_gradient_difference <= 1e-12
    other = variable_length_equivalence(lengths=(9, 1, 4), seed=3)
    assert other.max_output_difference <= 1e-12 and other.max_gradient_difference <= 1e-12


def test_short_long_result_holds_one_row_per_seed(short_long) -> None:
    assert short_long.train_delays == (1, 10) and short_long.seeds == FEW_SEEDS
    assert short_long.test_delays[-1] >= 16 * short_long.train_delays[1]
    assert short_long.rnn_accuracy.shape == short_long.lstm_accuracy.shape == (2, 6)
    assert short_long.spread("rnn").shape == (2,) and short_long.steps == 200
    with pytest.raises(ValueError, match="model"):
        short_long.spread("gru")


# ---------------------------------------------------------------- 4. noise


def test_noise_result_holds_one_column_per_seed(noise) -> None:
    assert list(noise.noise_levels) == [0.0, 1.0, 2.0] and noise.seeds == FEW_SEEDS
    assert noise.rnn_accuracy.shape == noise.lstm_accuracy.shape == (3, 2)
    assert noise.learnt("lstm").shape == noise.at_chance("rnn").shape == (3,)
    assert noise.mean_input_gate_signal.shape == noise.mean_input_gate_noise.shape == (2,)
    assert noise.example_input_gate.shape == (12, 8)
    assert isinstance(noise.opened, OpenedLSTMs)
    with pytest.raises(ValueError, match="model"):
        noise.learnt("gru")


def points_under_legend(ax) -> int:
    """How many points of the axes' lines (dense along every segment, in pixels) the legend covers."""
    ax.figure.canvas.draw()
    box = ax.get_legend().get_window_extent()
    covered = 0
    for line in ax.get_lines():
        pixels = line.get_transform().transform(np.column_stack(line.get_data()))
        if len(pixels) == 1:
            dense = pixels
        else:   # 50 points along each segment, so that a line crossing the legend counts too
            fractions = np.linspace(0.0, 1.0, 50)[:, None, None]
            dense = (pixels[:-1] + fractions * (pixels[1:] - pixels[:-1])).reshape(-1, 2)
        inside = ((box.x0 <= dense[:, 0]) & (dense[:, 0] <= box.x1)
                  & (box.y0 <= dense[:, 1]) & (dense[:, 1] <= box.y1))
        covered += int(np.sum(inside))
    return covered


def test_noise_figure_legend_covers_no_data(noise) -> None:
    """The legend sat on the RNN's dots and the chance line; now it covers no point of any line."""
    left = plot_noise_robustness(noise).axes[0]
    assert left.get_legend() is not None and len(left.get_legend().get_texts()) == 3
    assert points_under_legend(left) == 0
    left.legend(loc="lower left")   # where it was: the check does see the lines under it
    assert points_under_legend(left) > 0


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
    vanishing, exploding, long_term, opened, adding, short_long, noise, eeg, goog, time_axis_problems
) -> None:
    figures = [
        plot_vanishing_gradients(vanishing),
        plot_exploding_gradients(exploding),
        plot_long_term_dependencies([long_term]),
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
        assert time_axis_problems(figure) == []   # whole-number ticks on every time-step axis


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
        plot_long_term_dependencies([long_term], size="poster")
