"""Tests of lstm.training: losses, read-out, models, Adam, clipping, minibatches, train()."""

from __future__ import annotations

import numpy as np
import pytest

from lstm.backprop import central_differences
from lstm.cell import LSTMCell
from lstm.rnn import RNNCell
from lstm.tasks import DelayedRecall, delayed_recall
from lstm.training import (
    Adam,
    Readout,
    SequenceData,
    SequenceModel,
    clip_by_global_norm,
    global_norm,
    length_mask,
    minibatch_indices,
    numerical_gradients,
    softmax,
    softmax_cross_entropy,
    squared_error,
    step_decay,
    train,
)


def central_difference(function, array: np.ndarray, epsilon: float = 1e-6) -> np.ndarray:
    """Finite-difference gradient of a scalar function of ``array`` (float64)."""
    return central_differences(function, {"array": array}, epsilon)["array"]


# ------------------------------------------------------------------ losses


def test_softmax_hand_worked_and_stable() -> None:
    np.testing.assert_allclose(softmax(np.array([0.0, np.log(3.0)])), [0.25, 0.75], atol=1e-15)
    extreme = softmax(np.array([1000.0, -1000.0, 0.0]))
    assert np.all(np.isfinite(extreme))
    np.testing.assert_allclose(extreme, [1.0, 0.0, 0.0], atol=1e-300)


def test_cross_entropy_hand_worked() -> None:
    """logits [0, ln 3] -> p = [1/4, 3/4]; label 1: loss -ln(3/4), gradient p - onehot."""
    loss, dlogits = softmax_cross_entropy(np.array([[0.0, np.log(3.0)]]), np.array([1]))
    assert loss == pytest.approx(-np.log(0.75), abs=1e-14)
    assert loss == pytest.approx(0.287682, abs=1e-6)
    np.testing.assert_allclose(dlogits, [[0.25, -0.25]], atol=1e-15)


def test_cross_entropy_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4, 3, 5))
    labels = rng.integers(0, 5, size=(4, 3))
    mask = rng.random((4, 3)) > 0.3
    _, analytic = softmax_cross_entropy(logits, labels, mask)
    numeric = central_difference(lambda: softmax_cross_entropy(logits, labels, mask)[0], logits)
    np.testing.assert_allclose(analytic, numeric, atol=1e-9)
    assert np.all(analytic[~mask] == 0)


def test_cross_entropy_ignores_masked_labels_and_stays_finite() -> None:
    logits = np.array([[1000.0, -1000.0], [0.0, 0.0]])
    loss, dlogits = softmax_cross_entropy(logits, np.array([1, -1]), np.array([True, False]))
    assert loss == pytest.approx(2000.0)
    assert np.all(np.isfinite(dlogits))


def test_squared_error_hand_worked() -> None:
    """predictions [1, 2], targets [0, 4]: loss (1 + 4)/2 = 2.5, gradient [1, -2]."""
    loss, gradient = squared_error(np.array([[1.0, 2.0]]), np.array([[0.0, 4.0]]))
    assert loss == 2.5
    np.testing.assert_allclose(gradient, [[1.0, -2.0]])


def test_squared_error_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(1)
    predictions = rng.normal(size=(5, 3, 2))
    targets = rng.normal(size=(5, 3, 2))
    mask = rng.random((5, 3)) > 0.4
    _, analytic = squared_error(predictions, targets, mask)
    numeric = central_difference(lambda: squared_error(predictions, targets, mask)[0], predictions)
    np.testing.assert_allclose(analytic, numeric, atol=1e-9)


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3])), "labels"),
        (lambda: softmax_cross_entropy(np.zeros((2, 3)), np.array([0])), "labels"),
        (lambda: softmax_cross_entropy(np.zeros((2, 3)), np.array([0.5, 1.0])), "labels"),
        (lambda: softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 1]), np.zeros(2)), "mask"),
        (lambda: squared_error(np.zeros((2, 1)), np.zeros((2,))), "targets"),
        (lambda: squared_error(np.zeros((2, 1)), np.zeros((2, 1)), np.ones(3)), "mask"),
    ],
)
def test_losses_reject_bad_arguments(call, argument: str) -> None:
    with pytest.raises(ValueError, match=argument):
        call()


# ------------------------------------------------------------------ read-out


def test_readout_hand_worked() -> None:
    """W = [[1, 2]], b = [0.5], h = [3, -1]: y = 3 - 2 + 0.5 = 1.5; dy = 2 gives
    dW = 2 h = [[6, -2]], db = [2], dh = 2 W = [2, 4]."""
    readout = Readout.from_arrays(np.array([[1.0, 2.0]]), np.array([0.5]))
    hidden = np.array([[3.0, -1.0]])
    np.testing.assert_allclose(readout.forward(hidden), [[1.5]])
    grads, dhidden = readout.backward(hidden, np.array([[2.0]]))
    np.testing.assert_allclose(grads["W"], [[6.0, -2.0]])
    np.testing.assert_allclose(grads["b"], [2.0])
    np.testing.assert_allclose(dhidden, [[2.0, 4.0]])


def test_readout_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(2)
    readout = Readout(4, 3, seed=5)
    readout.b[:] = rng.normal(size=3)
    hidden = rng.normal(size=(6, 2, 4))
    upstream = rng.normal(size=(6, 2, 3))

    def loss() -> float:
        return float(np.sum(readout.forward(hidden) * upstream))

    grads, dhidden = readout.backward(hidden, upstream)
    np.testing.assert_allclose(grads["W"], central_difference(loss, readout.W), atol=1e-8)
    np.testing.assert_allclose(grads["b"], central_difference(loss, readout.b), atol=1e-8)
    np.testing.assert_allclose(dhidden, central_difference(loss, hidden), atol=1e-8)


def test_readout_rejects_bad_shapes() -> None:
    with pytest.raises(ValueError, match="hidden"):
        Readout(3, 2).forward(np.zeros((4, 5)))
    with pytest.raises(ValueError, match="hidden_size"):
        Readout(0, 2)
    with pytest.raises(ValueError, match="W must"):
        Readout.from_arrays(np.zeros((2, 3)), np.zeros(3))


# ------------------------------------------------------------------ full models


def _model_cases():
    rng = np.random.default_rng(3)
    xs = rng.normal(size=(6, 3, 2))
    lengths = np.array([6, 2, 4])
    yield "lstm-last", SequenceModel(LSTMCell(2, 3, seed=1), 4), SequenceData(xs, rng.integers(0, 4, 3))
    yield (
        "lstm-last-lengths",
        SequenceModel(LSTMCell(2, 3, seed=2), 4),
        SequenceData(xs, rng.integers(0, 4, 3), lengths),
    )
    yield (
        "lstm-every-lengths",
        SequenceModel(LSTMCell(2, 3, seed=3), 4, output_at="every"),
        (SequenceData(xs, rng.integers(0, 4, (6, 3)), lengths)),
    )
    yield (
        "lstm-regression",
        SequenceModel(LSTMCell(2, 3, seed=4), 2, objective="regression"),
        SequenceData(xs, rng.normal(size=(3, 2)), lengths),
    )
    yield (
        "rnn-last-lengths",
        SequenceModel(RNNCell(2, 3, seed=5), 4),
        SequenceData(xs, rng.integers(0, 4, 3), lengths),
    )
    yield (
        "rnn-every-regression",
        SequenceModel(RNNCell(2, 3, seed=6), 1, objective="regression", output_at="every"),
        SequenceData(xs, rng.normal(size=(6, 3, 1)), lengths),
    )


@pytest.mark.parametrize(("name", "model", "data"), list(_model_cases()))
def test_model_gradients_match_finite_differences(name, model, data) -> None:
    _, analytic = model.loss_and_gradients(data)
    numeric = numerical_gradients(model, data)
    assert list(analytic) == list(model.parameters)
    for key in analytic:
        np.testing.assert_allclose(analytic[key], numeric[key], atol=1e-8, err_msg=f"{name} {key}")


def test_model_uses_the_cells_own_run() -> None:
    """The model's output is the read-out of cell.run's hidden state (nothing recomputed)."""
    cell = LSTMCell(2, 3, seed=7)
    model = SequenceModel(cell, 2, seed=1)
    xs = np.random.default_rng(4).normal(size=(5, 2, 2))
    lengths = np.array([5, 3])
    trace = cell.run(xs, lengths=lengths)
    expected = trace.h_last @ model.readout.W.T + model.readout.b
    np.testing.assert_allclose(model.forward(xs, lengths).outputs, expected, atol=1e-15)


def test_model_parameters_are_live() -> None:
    cell = LSTMCell(1, 2, seed=0)
    model = SequenceModel(cell, 2)
    model.parameters["cell.b_f"][:] = 5.0
    assert np.all(cell.b_f == 5.0)


def test_model_accuracy_and_predict() -> None:
    model = SequenceModel(LSTMCell(1, 2, seed=0), 2)
    model.readout.W[:] = 0.0
    model.readout.b[:] = [0.0, 1.0]  # always predicts class 1
    xs = np.zeros((3, 4, 1))
    data = SequenceData(xs, np.array([1, 1, 0, 1]))
    np.testing.assert_array_equal(model.predict(xs), [1, 1, 1, 1])
    assert model.accuracy(data) == 0.75
    regression = SequenceModel(LSTMCell(1, 2, seed=0), 1, objective="regression")
    regression.readout.W[:] = 0.0
    regression.readout.b[:] = 1.0
    values = SequenceData(xs, np.array([[1.01], [0.9], [1.03], [2.0]]))
    assert regression.accuracy(values, tolerance=0.04) == 0.5


def test_model_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="objective"):
        SequenceModel(LSTMCell(1, 2), 2, objective="ranking")
    with pytest.raises(ValueError, match="output_at"):
        SequenceModel(LSTMCell(1, 2), 2, output_at="first")
    with pytest.raises(ValueError, match="cell"):
        SequenceModel(object(), 2)
    with pytest.raises(ValueError, match="lengths"):
        SequenceModel(LSTMCell(1, 2), 2).forward(np.zeros((3, 2, 1)), np.array([4, 1]))


def test_sequence_data_checks_and_take() -> None:
    data = delayed_recall(10, delay=3, min_delay=1, seed=0)
    part = data.take(np.array([2, 5]))
    np.testing.assert_array_equal(part.xs, data.xs[:, [2, 5]])
    np.testing.assert_array_equal(part.targets, data.targets[[2, 5]])
    np.testing.assert_array_equal(part.lengths, data.lengths[[2, 5]])
    xs, targets, lengths = data
    assert xs is data.xs and targets is data.targets and lengths is data.lengths
    with pytest.raises(ValueError, match="xs"):
        SequenceData(np.zeros((3, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="targets"):
        SequenceData(np.zeros((3, 2, 1)), np.zeros(5))
    with pytest.raises(ValueError, match="lengths"):
        SequenceData(np.zeros((3, 2, 1)), np.zeros(2), np.array([0, 3]))


def test_sequence_data_knows_per_step_targets() -> None:
    xs = np.zeros((3, 3, 1))
    assert not SequenceData(xs, np.zeros(3, dtype=int)).per_step_targets()
    assert SequenceData(xs, np.zeros((3, 3), dtype=int)).per_step_targets()
    assert not SequenceData(xs, np.zeros((3, 3))).per_step_targets()  # (N, O) values
    assert SequenceData(xs, np.zeros((3, 3)), info={"per_step": True}).per_step_targets()
    assert SequenceData(np.zeros((5, 2, 1)), np.zeros((5, 2, 1))).per_step_targets()
    labels = np.arange(15).reshape(5, 3)
    part = SequenceData(np.zeros((5, 3, 1)), labels).take(np.array([2]))
    np.testing.assert_array_equal(part.targets, labels[:, [2]])


def test_length_mask() -> None:
    np.testing.assert_array_equal(
        length_mask(np.array([1, 3]), 3, 2), [[True, True], [False, True], [False, True]]
    )


# ------------------------------------------------------------------ optimisation


def test_clip_by_global_norm_hand_worked() -> None:
    """(3, 4) has norm 5; clipped to 1 it becomes (0.6, 0.8); the pre-clip norm is returned."""
    grads = {"a": np.array([3.0]), "b": np.array([[4.0]])}
    clipped, norm = clip_by_global_norm(grads, 1.0)
    assert norm == 5.0
    np.testing.assert_allclose(clipped["a"], [0.6])
    np.testing.assert_allclose(clipped["b"], [[0.8]])
    assert global_norm(clipped) == pytest.approx(1.0)
    assert grads["a"][0] == 3.0  # input untouched
    unclipped, norm = clip_by_global_norm(grads, 10.0)
    np.testing.assert_array_equal(unclipped["a"], [3.0])
    assert clip_by_global_norm(grads, None)[1] == 5.0
    with pytest.raises(ValueError, match="max_norm"):
        clip_by_global_norm(grads, -1.0)


def test_clipping_is_a_scaling_whose_derivative_matches_finite_differences() -> None:
    """Above the threshold clipping maps g to max_norm * g / |g|; its Jacobian-vector
    product, written out, agrees with central differences."""
    rng = np.random.default_rng(5)
    gradient = rng.normal(size=4) * 3
    direction = rng.normal(size=4)
    max_norm = 1.0
    norm = np.linalg.norm(gradient)
    analytic = max_norm * (direction / norm - gradient * (gradient @ direction) / norm**3)
    epsilon = 1e-6

    def clipped(g: np.ndarray) -> np.ndarray:
        return clip_by_global_norm({"g": g}, max_norm)[0]["g"]

    numeric = (clipped(gradient + epsilon * direction) - clipped(gradient - epsilon * direction)) / (
        2 * epsilon
    )
    np.testing.assert_allclose(analytic, numeric, atol=1e-8)


def test_adam_hand_worked_two_steps() -> None:
    """lr 0.1, gradient 0.5 then -1.0 on a parameter starting at 1.0.

    Step 1: m = 0.05, v = 0.00025; m_hat = 0.5, v_hat = 0.25; update 0.1*0.5/(0.5+1e-8).
    Step 2: m = 0.045 - 0.1 = -0.055, v = 0.00024975 + 0.001 = 0.00124975;
    m_hat = -0.055/0.19 = -0.289474, v_hat = 0.00124975/0.001999 = 0.625188;
    update = 0.1 * (-0.289474) / (0.790688 + 1e-8) = -0.036610 (the parameter goes up).
    """
    parameter = np.array([1.0])
    optimiser = Adam({"p": parameter}, lr=0.1)
    optimiser.step({"p": np.array([0.5])})
    assert parameter[0] == pytest.approx(1.0 - 0.1 * 0.5 / (0.5 + 1e-8), abs=1e-15)
    assert parameter[0] == pytest.approx(0.9, abs=1e-7)
    optimiser.step({"p": np.array([-1.0])})
    m_hat = -0.055 / 0.19
    v_hat = 0.00124975 / (1 - 0.999**2)
    expected = 0.9 + 2e-9 - 0.1 * m_hat / (np.sqrt(v_hat) + 1e-8)
    assert parameter[0] == pytest.approx(expected, abs=1e-12)
    assert parameter[0] == pytest.approx(0.936610, abs=1e-6)


def test_adam_minimises_a_quadratic() -> None:
    target = np.array([1.0, -2.0, 3.0])
    weights = np.zeros(3)
    optimiser = Adam({"w": weights}, lr=0.05)
    for _ in range(2000):
        optimiser.step({"w": 2 * (weights - target)})
    np.testing.assert_allclose(weights, target, atol=1e-3)


def test_adam_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="lr"):
        Adam({"w": np.zeros(2)}, lr=0.0)
    with pytest.raises(ValueError, match="beta1"):
        Adam({"w": np.zeros(2)}, beta1=1.0)
    with pytest.raises(ValueError, match=r"grads\['w'\]"):
        Adam({"w": np.zeros(2)}).step({"w": np.zeros(3)})


def test_minibatches_cover_each_epoch_and_are_seeded() -> None:
    stream = minibatch_indices(10, 3, np.random.default_rng(0))
    first_epoch = np.concatenate([next(stream) for _ in range(3)])
    assert len(set(first_epoch.tolist())) == 9
    again = minibatch_indices(10, 3, np.random.default_rng(0))
    np.testing.assert_array_equal(np.concatenate([next(again) for _ in range(3)]), first_epoch)
    assert next(minibatch_indices(4, 100, np.random.default_rng(0))).size == 4
    with pytest.raises(ValueError, match="batch_size"):
        minibatch_indices(4, 0, np.random.default_rng(0))


# ------------------------------------------------------------------ train()


def _small_run(seed: int):
    task = DelayedRecall(delay=3)
    model = SequenceModel(LSTMCell(task.input_size, 4, seed=seed, forget_bias=1.0), 4, seed=seed)
    history = train(model, task, steps=60, lr=0.02, batch_size=16, seed=seed, progress=False)
    return model, history


def test_train_is_deterministic_for_a_seed() -> None:
    model_a, history_a = _small_run(0)
    model_b, history_b = _small_run(0)
    np.testing.assert_array_equal(history_a.losses, history_b.losses)
    np.testing.assert_array_equal(history_a.grad_norms, history_b.grad_norms)
    for name in model_a.parameters:
        np.testing.assert_array_equal(model_a.parameters[name], model_b.parameters[name])
    _, history_c = _small_run(1)
    assert not np.array_equal(history_a.losses, history_c.losses)


def test_train_learns_a_short_delay() -> None:
    task = DelayedRecall(delay=2)
    model = SequenceModel(LSTMCell(task.input_size, 6, seed=0, forget_bias=1.0), 4)
    history = train(model, task, steps=200, lr=0.03, batch_size=32, seed=0, progress=False)
    assert history.losses[:10].mean() > 1.2  # starts near ln 4 = 1.386
    assert history.final_loss < 0.1
    assert model.accuracy(delayed_recall(200, delay=2, seed=9)) > 0.95


def test_train_on_fixed_data_records_clipping_and_evaluation() -> None:
    data = delayed_recall(40, delay=2, seed=0)
    model = SequenceModel(RNNCell(data.input_size, 4, seed=0), 4)
    history = train(model, data, steps=30, lr=0.01, batch_size=8, clip=0.05, progress=False, eval_data=data)
    assert history.losses.shape == history.grad_norms.shape == (30,)
    np.testing.assert_array_equal(history.clipped, history.grad_norms > 0.05)
    assert history.clipped.any()
    np.testing.assert_array_equal(history.eval_steps, np.arange(3, 31, 3))
    assert history.eval_accuracies.shape == (10,)


def test_train_stops_cleanly_on_divergence() -> None:
    data = delayed_recall(16, delay=2, seed=0)
    model = SequenceModel(RNNCell(data.input_size, 3, seed=0), 4)
    model.readout.W[:] = np.inf
    history = train(model, data, steps=5, progress=False)
    assert history.diverged_at == 0
    assert history.losses.size == 0


def test_train_progress_bar_runs(capsys) -> None:
    task = DelayedRecall(delay=2)
    model = SequenceModel(LSTMCell(task.input_size, 3, seed=0), 4)
    history = train(model, task, steps=5, batch_size=4, progress=True)
    assert history.losses.size == 5


def test_no_progress_bar_when_the_output_is_not_a_terminal(capsys, monkeypatch) -> None:
    """A pipe or a log file would keep every carriage-return update of a text bar: none is drawn."""
    import time

    import lstm.training as training

    monkeypatch.setattr(training, "PROGRESS_DELAY_SECONDS", 0.0)
    monkeypatch.delenv("LSTM_BOOK_STATIC", raising=False)
    task = DelayedRecall(delay=2)
    model = SequenceModel(LSTMCell(task.input_size, 3, seed=0), 4)
    train(model, task, steps=40, batch_size=4, progress=True, callback=lambda step, loss: time.sleep(0.01))
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
    assert training.progress_bar(10, True, "x") is None      # pytest's captured stderr is no terminal


def test_output_check_flags_a_progress_bar_saved_mid_way(output_problems) -> None:
    import nbformat

    cell = nbformat.v4.new_code_cell("train(...)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "text/plain": "training:  64%|######4   | 320/500 [00:01<00:00]",
        "application/vnd.jupyter.widget-view+json": {"model_id": "x", "version_major": 2,
                                                     "version_minor": 0}})]
    rewritten = nbformat.v4.new_code_cell("run()")
    rewritten.outputs = [nbformat.v4.new_output("stream", name="stdout", text="step 1\rstep 2\n")]
    finished = nbformat.v4.new_code_cell("done()")
    finished.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="training: 100%|##########| 500/500\n"),
        nbformat.v4.new_output("stream", name="stdout", text="accuracy 64% | loss 0.1\n"),
    ]
    problems = output_problems(nbformat.v4.new_notebook(cells=[cell, rewritten, finished]))
    assert len(problems) == 2
    assert "cell 0" in problems[0] and "progress bar mid-way" in problems[0] and "64%" in problems[0]
    assert "cell 1" in problems[1] and "carriage returns" in problems[1]


def test_progress_bars_leave_nothing_in_a_saved_notebook(output_problems) -> None:
    """In a real kernel: train() and the stacked train_many show tqdm's widget while they run,
    and the notebook keeps no bar once they end, also when a callback stops training early."""
    import sys
    from pathlib import Path

    import nbformat

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "tools"))
    try:
        import make_notebooks
    finally:
        sys.path.remove(str(root / "tools"))
    setup = """import time
import lstm.training
from lstm.cell import LSTMCell
from lstm.stacked import train_many
from lstm.tasks import DelayedRecall
from lstm.training import SequenceModel, train
lstm.training.PROGRESS_DELAY_SECONDS = 0.0      # show the bar at once (the book waits a second)
task = DelayedRecall(delay=2)
def model(seed):
    return SequenceModel(LSTMCell(task.input_size, 3, seed=seed), 4)
slow = lambda step, loss: time.sleep(0.005)"""
    runs = {
        "train": "print(train(model(0), task, steps=120, batch_size=4, callback=slow).losses.size)",
        "stopped early": "stop = lambda step, loss: time.sleep(0.005) or step == 99\n"
                         "print(train(model(0), task, steps=400, batch_size=4, callback=stop).stopped_at)",
        "train_many": "print(len(train_many([model(s) for s in range(3)], task, seeds=range(3), steps=1500,\n"
                      "                     lr=0.01, batch_size=8, clip=1.0)))",
    }
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(setup)]
                                        + [nbformat.v4.new_code_cell(code) for code in runs.values()])
    make_notebooks.execute_notebook(notebook, root / "chapters", static=False)
    assert output_problems(notebook) == []
    for cell, printed in zip(notebook.cells[1:], ("120", "100", "3"), strict=True):
        kinds = [output.output_type for output in cell.outputs]
        assert kinds == ["display_data", "stream"], cell.outputs     # the bar, then the print
        assert cell.outputs[0].data == {"text/plain": ""}            # the bar was there, and is gone
        assert cell.outputs[1].text == printed + "\n"


@pytest.mark.parametrize(
    ("keywords", "argument"),
    [
        ({"steps": 0}, "steps"),
        ({"batch_size": -1}, "batch_size"),
        ({"lr": 0.0}, "lr"),
        ({"clip": 0.0}, "clip"),
        ({"eval_data": delayed_recall(4, 1), "eval_every": 0}, "eval_every"),
    ],
)
def test_train_rejects_bad_arguments(keywords, argument) -> None:
    model = SequenceModel(LSTMCell(6, 2, seed=0), 4)
    with pytest.raises(ValueError, match=argument):
        train(model, DelayedRecall(delay=1), progress=False, **keywords)


def test_train_rejects_bad_data_and_model() -> None:
    model = SequenceModel(LSTMCell(6, 2, seed=0), 4)
    with pytest.raises(ValueError, match="data"):
        train(model, np.zeros((3, 2, 6)), progress=False)
    with pytest.raises(ValueError, match="model"):
        train(object(), DelayedRecall(delay=1), progress=False)


# ------------------------------------------------------------------ schedules, callbacks, read-out seed


def test_step_decay_hand_worked_and_checked() -> None:
    """step_decay(0.01, 0.5, 1000): 0.01 for steps 0-999, 0.005 for 1000-1999, 0.0025 from 2000."""
    schedule = step_decay(0.01, factor=0.5, every=1000)
    assert [schedule(s) for s in (0, 999, 1000, 1999, 2000)] == [0.01, 0.01, 0.005, 0.005, 0.0025]
    with pytest.raises(ValueError, match="factor"):
        step_decay(0.01, factor=1.5)
    with pytest.raises(ValueError, match="every"):
        step_decay(0.01, every=0)
    with pytest.raises(ValueError, match="initial"):
        step_decay(-1.0)


def test_train_follows_a_learning_rate_schedule() -> None:
    task = DelayedRecall(delay=1)
    scheduled = SequenceModel(LSTMCell(task.input_size, 3, seed=0), 4)
    history = train(scheduled, task, steps=6, batch_size=4, progress=False, lr=step_decay(0.02, 0.5, 2))
    np.testing.assert_array_equal(history.learning_rates, [0.02, 0.02, 0.01, 0.01, 0.005, 0.005])
    # The same run with a constant rate differs from the third update on.
    constant = SequenceModel(LSTMCell(task.input_size, 3, seed=0), 4)
    other = train(constant, task, steps=6, batch_size=4, progress=False, lr=0.02)
    np.testing.assert_array_equal(other.losses[:3], history.losses[:3])
    assert not np.array_equal(other.losses[3:], history.losses[3:])
    with pytest.raises(ValueError, match=r"lr\(0\)"):
        train(constant, task, steps=2, progress=False, lr=lambda step: 0.0)


def test_callback_sees_the_state_or_the_old_step_and_loss() -> None:
    task = DelayedRecall(delay=1)
    states, pairs = [], []
    model = SequenceModel(LSTMCell(task.input_size, 3, seed=0), 4)
    history = train(model, task, steps=4, batch_size=5, progress=False, callback=states.append)
    assert [state.step for state in states] == [0, 1, 2, 3]
    assert [state.sequences_seen for state in states] == [5, 10, 15, 20]
    np.testing.assert_array_equal([state.loss for state in states], history.losses)
    np.testing.assert_array_equal([state.grad_norm for state in states], history.grad_norms)
    assert all(state.model is model and state.batch.num_examples == 5 and state.lr == 0.01
               for state in states)
    train(SequenceModel(LSTMCell(task.input_size, 3, seed=0), 4), task, steps=4, batch_size=5,
          progress=False, callback=lambda step, loss: pairs.append((step, loss)))
    assert pairs == list(zip(range(4), history.losses.tolist(), strict=True))


def test_callback_returning_true_stops_training() -> None:
    task = DelayedRecall(delay=1)
    model = SequenceModel(LSTMCell(task.input_size, 3, seed=0), 4)
    history = train(model, task, steps=50, progress=False, callback=lambda state: state.step == 6)
    assert history.stopped_at == 7 and history.losses.size == 7
    assert history.cpu_seconds > 0


def test_evaluation_runs_one_forward_pass_and_scores_match() -> None:
    data = delayed_recall(30, delay=2, seed=1)
    model = SequenceModel(LSTMCell(data.input_size, 3, seed=0), 4)
    loss, accuracy = model.scores(data)
    assert loss == model.evaluate(data) and accuracy == model.accuracy(data)
    calls = []
    original = model.forward

    def counting_forward(xs, lengths=None):
        calls.append(xs.shape[1])
        return original(xs, lengths)

    model.forward = counting_forward
    train(model, data, steps=4, batch_size=10, progress=False, eval_data=data, eval_every=2)
    assert calls.count(30) == 2 and calls.count(10) == 4   # 2 evaluations, 4 training batches


def test_readout_weights_do_not_copy_the_cells_weights() -> None:
    """Same seed for cell and read-out: before, readout.W equalled the cell's first draws."""
    for seed in (0, 3):
        model = SequenceModel(LSTMCell(2, 4, seed=seed), 4, seed=seed)
        first_draws = np.random.default_rng(seed).uniform(-0.5, 0.5, size=(4, 4))
        assert not np.any(np.isclose(model.readout.W, first_draws))
        cell_numbers = np.concatenate([array.ravel() for array in model.cell.parameters.values()])
        assert not np.any(np.isin(model.readout.W, cell_numbers))
        np.testing.assert_array_equal(model.readout.W, Readout(4, 4, seed=seed).W)   # still seeded
        assert np.all(np.abs(model.readout.W) <= 0.5)
    assert not np.array_equal(Readout(4, 4, seed=0).W, Readout(4, 4, seed=1).W)


def test_the_split_modules_are_reexported_by_lstm_training() -> None:
    """``from lstm.training import ...`` works for every name the module had before the split."""
    import lstm.training as training
    from lstm import data, losses, models, optimisers

    for module, names in (
        (data, ("SequenceData", "Task", "length_mask")),
        (losses, ("softmax", "softmax_cross_entropy", "squared_error")),
        (models, ("Readout", "ForwardCache", "ModelBase", "SequenceModel", "numerical_gradients",
                  "OBJECTIVES", "OUTPUT_POSITIONS", "Objective", "OutputAt")),
        (optimisers, ("Adam", "clip_by_global_norm", "global_norm")),
    ):
        for name in names:
            assert getattr(training, name) is getattr(module, name), name
    for name in ("TrainingHistory", "minibatch_indices", "progress_enabled", "train",
                 "_check_choice", "_check_positive_int", "_check_positive_float", "_check_lengths",
                 "_check_mask", "_last_steps"):
        assert hasattr(training, name), name


def test_train_runs_blas_on_one_thread_and_restores_the_limit() -> None:
    import threadpoolctl

    def blas_threads() -> list[int]:
        return [pool["num_threads"] for pool in threadpoolctl.threadpool_info() if pool["user_api"] == "blas"]

    seen: list[list[int]] = []
    model = SequenceModel(LSTMCell(DelayedRecall(2).input_size, 4, seed=0), 4)
    with threadpoolctl.threadpool_limits(limits=2, user_api="blas"):
        before = blas_threads()
        train(model, DelayedRecall(2), steps=2, progress=False,
              callback=lambda state: seen.append(blas_threads()))
        after = blas_threads()
    assert before and all(threads == 2 for threads in before)
    assert seen and all(threads == [1] * len(before) for threads in seen)
    assert after == before


def test_keep_freed_memory_applies_on_glibc_and_changes_no_result() -> None:
    import platform
    import subprocess
    import sys

    from lstm._memory import keep_freed_memory

    applied = keep_freed_memory()
    assert applied == (sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc")
    assert keep_freed_memory() is applied                       # once per process
    # The same seeded training in a fresh process that never calls it (train() not used there).
    script = (
        "import numpy as np\n"
        "from lstm import LSTMCell\nfrom lstm.models import SequenceModel\n"
        "from lstm.optimisers import Adam, clip_by_global_norm\nfrom lstm.tasks import DelayedRecall\n"
        "task, rng = DelayedRecall(3, noise=1.0), np.random.default_rng(0)\n"
        "model = SequenceModel(LSTMCell(task.input_size, 4, seed=0), 4)\n"
        "adam = Adam(model.parameters, lr=0.02)\n"
        "for _ in range(5):\n"
        "    batch = task.sample(16, rng)\n"
        "    cache = model.forward(batch.xs)\n"
        "    grads = model.backward(cache, model.loss(cache.outputs, batch)[1])\n"
        "    adam.step(clip_by_global_norm(grads, 1.0)[0])\n"
        "print(model.cell.W_f.tobytes().hex())\n"
    )
    fresh = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    model = SequenceModel(LSTMCell(DelayedRecall(3).input_size, 4, seed=0), 4)
    train(model, DelayedRecall(3, noise=1.0), steps=5, lr=0.02, batch_size=16, progress=False)
    assert model.cell.W_f.tobytes().hex() == fresh.stdout.strip()


# --------------------------------------------------------------------------------------------
# The training loop that the training chapter writes out (#sec-primer-loop) is train(), opened
# --------------------------------------------------------------------------------------------
def chapter_training_loop():
    """``train_by_hand`` as the code cell of ``chapters/07-how-we-train.qmd`` defines it."""
    from pathlib import Path

    from test_book import code_chunks  # tests/ is on sys.path (no __init__.py)

    chapter = Path(__file__).resolve().parent.parent / "chapters" / "07-how-we-train.qmd"
    chunks = code_chunks(chapter.read_text(encoding="utf-8"))
    cells = [chunk for chunk in chunks if "def train_by_hand(" in chunk]
    assert len(cells) == 1, "the chapter should define train_by_hand in exactly one code cell"
    namespace: dict = {}
    exec(compile(cells[0], str(chapter), "exec"), namespace)
    return namespace["train_by_hand"]


@pytest.mark.parametrize("clip", [1.0, 0.1, None])
def test_the_chapters_training_loop_equals_train_step_for_step(clip) -> None:
    """After every one of the first steps: the same loss and the same weights, to 1e-12 in float64."""
    from lstm.text import BracketText

    train_by_hand = chapter_training_loop()
    task = BracketText(length=12, max_depth=3)
    data = task.sample(48, np.random.default_rng(3))
    settings = {"lr": 0.05, "batch_size": 16, "seed": 7, "clip": clip}
    steps = 5

    def new_model() -> SequenceModel:
        cell = LSTMCell(task.input_size, 5, seed=2, forget_bias=2.0)
        return SequenceModel(cell, task.num_classes, output_at="every", seed=2)

    reference = new_model()
    snapshots = []
    history = train(reference, data, steps=steps, progress=False,
                    callback=lambda state: snapshots.append(
                        {name: array.copy() for name, array in state.model.parameters.items()}),
                    **settings)
    assert len(snapshots) == steps
    start = new_model().parameters
    for completed in range(1, steps + 1):
        model = new_model()
        losses = train_by_hand(model.cell, model.readout, data, steps=completed, **settings)
        assert losses.dtype == np.float64 and losses.shape == (completed,)
        np.testing.assert_allclose(losses, history.losses[:completed], rtol=0, atol=1e-12)
        for name, array in model.parameters.items():
            assert array.dtype == np.float64
            np.testing.assert_allclose(array, snapshots[completed - 1][name], rtol=0, atol=1e-12,
                                       err_msg=f"{name} after step {completed}")
            assert not np.array_equal(array, start[name]), f"{name} did not move"
    if clip == 0.1:
        assert history.clipped.all(), "a clip of 0.1 shortens every step's gradient here"
    if clip is None:
        assert not history.clipped.any()
