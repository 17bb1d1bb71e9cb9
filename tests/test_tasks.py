"""Tests of lstm.tasks: seeded generators and the real data set."""

from __future__ import annotations

import numpy as np
import pytest

from lstm.tasks import (
    ADDING_CRITERION_1997,
    AddingProblem,
    AddingProblem1997,
    DelayedRecall,
    adding_problem,
    adding_problem_1997,
    delayed_recall,
    forecasting_data,
    sample_series,
)


def test_delayed_recall_layout_hand_checked() -> None:
    data = delayed_recall(5, delay=3, num_symbols=4, seed=0)
    assert data.xs.shape == (5, 5, 6)
    assert data.targets.shape == (5,) and data.targets.dtype.kind == "i"
    assert data.lengths is None
    for n in range(5):
        expected_first = np.zeros(6)
        expected_first[data.targets[n]] = 1.0
        expected_first[4] = 1.0  # store marker
        np.testing.assert_array_equal(data.xs[0, n], expected_first)
        np.testing.assert_array_equal(data.xs[1:4, n], np.zeros((3, 6)))  # silent gap
        np.testing.assert_array_equal(data.xs[4, n], [0, 0, 0, 0, 0, 1])  # recall cue


def test_delayed_recall_is_seeded() -> None:
    first = delayed_recall(20, delay=4, noise=0.5, min_delay=1, seed=3)
    again = delayed_recall(20, delay=4, noise=0.5, min_delay=1, seed=3)
    other = delayed_recall(20, delay=4, noise=0.5, min_delay=1, seed=4)
    np.testing.assert_array_equal(first.xs, again.xs)
    np.testing.assert_array_equal(first.targets, again.targets)
    np.testing.assert_array_equal(first.lengths, again.lengths)
    assert not np.array_equal(first.xs, other.xs)


def test_delayed_recall_noise_only_on_distractor_steps() -> None:
    data = delayed_recall(200, delay=6, noise=2.0, min_delay=2, seed=1)
    assert data.xs.shape == (8, 200, 6)
    assert data.lengths.min() >= 4 and data.lengths.max() <= 8
    for n in range(200):
        length = data.lengths[n]
        gap = data.xs[1 : length - 1, n, :4]
        assert np.all(gap != 0)  # noise fills every distractor step
        assert np.all(data.xs[length:, n] == 0)  # padding stays zero
        assert data.xs[length - 1, n, 5] == 1.0 and np.all(data.xs[length - 1, n, :5] == 0)
        assert np.all(data.xs[1 : length - 1, n, 4:] == 0)  # markers only at the ends
    assert data.xs[1:-1, :, :4][data.xs[1:-1, :, :4] != 0].std() == pytest.approx(2.0, rel=0.05)


def test_delayed_recall_symbols_are_balanced() -> None:
    counts = np.bincount(delayed_recall(4000, delay=1, seed=0).targets, minlength=4)
    assert np.all(np.abs(counts - 1000) < 100)


def test_adding_problem_targets_are_the_marked_sums() -> None:
    data = adding_problem(50, length=10, seed=2)
    assert data.xs.shape == (10, 50, 2)
    assert data.targets.shape == (50, 1)
    markers = data.xs[:, :, 1]
    np.testing.assert_array_equal(markers.sum(axis=0), np.full(50, 2.0))
    assert np.all(markers[:5].sum(axis=0) == 1) and np.all(markers[5:].sum(axis=0) == 1)
    sums = (data.xs[:, :, 0] * markers).sum(axis=0)
    np.testing.assert_allclose(data.targets[:, 0], sums, atol=1e-15)
    assert np.all((data.xs[:, :, 0] >= 0) & (data.xs[:, :, 0] < 1))


def test_adding_problem_mean_answer_scores_one_sixth() -> None:
    """Always answering 1 has mean squared error Var(U1 + U2) = 2/12 = 1/6."""
    data = adding_problem(20000, length=6, seed=0)
    assert np.mean((data.targets - 1.0) ** 2) == pytest.approx(1 / 6, rel=0.03)


def test_adding_problem_variable_length_and_noise() -> None:
    data = adding_problem(100, length=12, min_length=4, noise=0.3, seed=5)
    markers = data.xs[:, :, 1]
    for n in range(100):
        length = data.lengths[n]
        marked = np.flatnonzero(markers[:, n])
        assert marked[0] < length // 2 <= marked[1] < length
        np.testing.assert_allclose(data.xs[marked, n, 0].sum(), data.targets[n, 0])
        assert np.all(data.xs[length:, n] == 0)
    again = adding_problem(100, length=12, min_length=4, noise=0.3, seed=5)
    np.testing.assert_array_equal(data.xs, again.xs)


def test_task_objects_sample_like_the_functions() -> None:
    task = DelayedRecall(delay=3, noise=0.1)
    assert task.input_size == 6 and task.num_steps == 5 and task.chance == 0.25
    direct = task.sample(7, np.random.default_rng(11))
    function = delayed_recall(7, delay=3, noise=0.1, seed=11)
    np.testing.assert_array_equal(direct.xs, function.xs)
    adding = AddingProblem(length=8)
    assert adding.input_size == 2 and adding.num_steps == 8
    np.testing.assert_array_equal(
        adding.sample(5, np.random.default_rng(2)).xs, adding_problem(5, 8, seed=2).xs
    )


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: delayed_recall(0, 3), "num_examples"),
        (lambda: delayed_recall(5, -1), "delay"),
        (lambda: delayed_recall(5, 3, num_symbols=1), "num_symbols"),
        (lambda: delayed_recall(5, 3, noise=-0.1), "noise"),
        (lambda: delayed_recall(5, 3, noise=float("nan")), "noise"),
        (lambda: delayed_recall(5, 3, min_delay=4), "min_delay"),
        (lambda: delayed_recall(5, 3, seed=-2), "seed"),
        (lambda: delayed_recall(5, 2.5), "delay"),
        (lambda: adding_problem(5, 1), "length"),
        (lambda: adding_problem(5, 10, min_length=11), "min_length"),
        (lambda: adding_problem(5, 10, noise="loud"), "noise"),
        (lambda: adding_problem_1997(5, 3), "length"),
        (lambda: adding_problem_1997(0, 100), "num_examples"),
        (lambda: sample_series("weather"), "name"),
    ],
)
def test_bad_arguments_name_themselves(call, argument: str) -> None:
    with pytest.raises(ValueError, match=argument):
        call()


def test_sample_series_eeg() -> None:
    eeg = sample_series("eeg")
    assert eeg.values.shape == (800, 4)
    assert eeg.times.shape == (800,) and eeg.times[-1] == pytest.approx(10 - 10 / 800)
    assert np.all(np.isfinite(eeg.values))
    # a real, smooth recording: neighbouring samples are strongly correlated
    assert np.corrcoef(eeg.values[:-1, 0], eeg.values[1:, 0])[0, 1] > 0.8


def test_sample_series_goog() -> None:
    goog = sample_series("goog")
    assert goog.values.shape == (1047, 1)
    assert str(goog.times[0]) == "2004-08-19" and str(goog.times[-1]) == "2008-10-14"
    assert goog.values[0, 0] == pytest.approx(100.34)


def test_forecasting_data_split_by_time_and_invertible() -> None:
    eeg = sample_series("eeg")
    data = forecasting_data(eeg, window=10, train_fraction=0.75)
    assert data.split_index == 600
    assert data.train.xs.shape == (10, 590, 4)
    assert data.test.xs.shape == (10, 190, 4)
    # the last test target is the last sample; the first test window starts at the split
    assert data.test_next[-1] == eeg.values[-1, 0]
    assert data.test_last[0] == eeg.values[600 + 9, 0]
    assert data.train_next[-1] == eeg.values[599, 0]
    # predicted change 0 is the naive forecast; the true change gives the true value back
    np.testing.assert_allclose(data.to_values(np.zeros(190)), data.test_last)
    np.testing.assert_allclose(data.to_values(data.test.targets[:, 0]), data.test_next)
    # inputs are standardised with the training period only
    train_values = eeg.values[:600]
    expected_first = (eeg.values[600:610] - train_values.mean(0)) / train_values.std(0)
    np.testing.assert_allclose(data.test.xs[:, 0], expected_first)


def test_forecasting_data_log_prices() -> None:
    goog = sample_series("goog")
    data = forecasting_data(goog, window=5, train_fraction=0.7, log=True)
    np.testing.assert_allclose(data.to_values(data.test.targets[:, 0]), data.test_next)
    np.testing.assert_allclose(data.to_values(np.zeros(len(data.test))), data.test_last)


def test_forecasting_data_rejects_bad_arguments() -> None:
    eeg = sample_series("eeg")
    with pytest.raises(ValueError, match="train_fraction"):
        forecasting_data(eeg, train_fraction=1.0)
    with pytest.raises(ValueError, match="channel"):
        forecasting_data(eeg, channel=4)
    with pytest.raises(ValueError, match="window"):
        forecasting_data(eeg, window=500)
    with pytest.raises(ValueError, match="part"):
        forecasting_data(eeg).to_values(np.zeros(3), part="validation")


def test_forecasting_data_window_normalisation() -> None:
    eeg = sample_series("eeg")
    data = forecasting_data(eeg, window=6, input_channels=(0,), normalise="window")
    assert data.train.xs.shape == (6, 554, 1)
    first = eeg.values[:6, 0]
    scale = first.std()
    np.testing.assert_allclose(data.train.xs[:, 0, 0], (first - first[-1]) / scale)
    assert data.train.xs[-1, 0, 0] == 0.0  # every window ends at 0 after the shift
    np.testing.assert_allclose(data.train.targets[0, 0], (eeg.values[6, 0] - first[-1]) / scale)
    np.testing.assert_allclose(data.to_values(data.test.targets), data.test_next)
    np.testing.assert_allclose(data.to_values(data.train.targets, part="train"), data.train_next)
    with pytest.raises(ValueError, match="normalise"):
        forecasting_data(eeg, normalise="global")
    with pytest.raises(ValueError, match="input_channels"):
        forecasting_data(eeg, input_channels=(0, 7))
    with pytest.raises(ValueError, match="predicted_changes"):
        data.to_values(np.zeros(3))


# ------------------------------------------------------------------ the adding problem of 1997


def test_adding_problem_1997_follows_the_papers_rules() -> None:
    """Hochreiter & Schmidhuber (1997), section 5.4, rule by rule, on T = 100."""
    data = adding_problem_1997(2000, length=100, seed=4)
    assert data.xs.shape == (110, 2000, 2) and data.targets.shape == (2000, 1)
    lengths = data.lengths
    assert lengths.min() == 100 and lengths.max() == 110          # T to T + T/10
    values, markers = data.xs[:, :, 0], data.xs[:, :, 1]
    for n in range(2000):
        length = lengths[n]
        marked = np.flatnonzero(markers[:length, n] == 1.0)
        assert marked.size == 2
        assert marked[0] < 10 and marked[1] < 50                  # first ten; first T/2
        minus = np.flatnonzero(markers[:length, n] == -1.0)
        expected_minus = [length - 1] if marked[0] == 0 else [0, length - 1]
        np.testing.assert_array_equal(minus, expected_minus)      # -1 at the first and last step
        assert np.all(markers[length:, n] == 0) and np.all(values[length:, n] == 0)
        if marked[0] == 0:
            assert values[0, n] == 0.0                            # a marked first step has value 0
        x1, x2 = values[marked, n]
        assert data.targets[n, 0] == 0.5 + (x1 + x2) / 4.0
    assert values.min() >= -1.0 and values.max() <= 1.0 and values.min() < -0.99
    assert 0.0 <= data.targets.min() and data.targets.max() <= 1.0
    # every one of the first ten steps is used for the first mark
    first_marks = np.argmax(markers == 1.0, axis=0)
    assert set(first_marks.tolist()) == set(range(10))


def test_adding_problem_1997_baseline_and_criterion() -> None:
    """Always answering 0.5: MSE E[(X1 + X2)²]/16; criterion 0.04.

    A value uniform in [-1, 1] has E[X²] = 1/3; a marked first step has value 0.  For T = 20
    the first mark is at step 0 with probability 1/10 and the second with 9/10 · 1/9 = 1/10,
    so the MSE is (0.9/3 + 0.9/3)/16 = 0.0375 (1/24 = 0.0417 without that rule).
    """
    data = adding_problem_1997(20000, length=20, seed=0)
    assert np.mean((data.targets - 0.5) ** 2) == pytest.approx(0.0375, rel=0.03)
    task = AddingProblem1997(20)
    assert task.criterion == ADDING_CRITERION_1997 == 0.04
    assert task.num_steps == 22 and task.input_size == 2
    np.testing.assert_array_equal(task.sample(5, np.random.default_rng(3)).xs,
                                  adding_problem_1997(5, 20, seed=3).xs)
    # The book's form: targets twice as large, so the same criterion is twice as wide.
    assert AddingProblem(10).criterion == 0.08


def test_adding_problem_1997_short_sequences_keep_marks_in_the_first_half() -> None:
    data = adding_problem_1997(500, length=8, seed=1)
    marked = [np.flatnonzero(data.xs[:, n, 1] == 1.0) for n in range(500)]
    assert all(m.size == 2 and m[1] < 4 for m in marked)


def test_remember_forever_shows_the_symbol_once_and_asks_for_it_at_every_step() -> None:
    from lstm.tasks import RememberForever

    task = RememberForever(length=6, num_symbols=3)
    data = task.sample(50, np.random.default_rng(4))
    assert data.xs.shape == (6, 50, 3) and task.input_size == 3 and task.num_steps == 6
    symbols = data.xs[0].argmax(axis=1)
    np.testing.assert_array_equal(data.xs[0].sum(axis=1), 1.0)          # one-hot at step 0
    np.testing.assert_array_equal(data.xs[1:], 0.0)                      # nothing after
    np.testing.assert_array_equal(data.targets, np.broadcast_to(symbols, (6, 50)))
    assert data.per_step_targets() and data.lengths is None
    assert set(symbols.tolist()) == {0, 1, 2}
    assert task.chance == pytest.approx(1 / 3)
    again = task.sample(50, np.random.default_rng(4))
    np.testing.assert_array_equal(again.xs, data.xs)
    for bad in ({"length": 1}, {"length": 5, "num_symbols": 1}, {"length": 2.5}):
        with pytest.raises(ValueError, match="length|num_symbols"):
            RememberForever(**bad)
