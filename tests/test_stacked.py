"""Tests of lstm.stacked: K models trained as one stacked computation, each as train() would train it."""

from __future__ import annotations

import numpy as np
import pytest

import lstm.stacked as stacked
from lstm.attention import SelfAttentionModel
from lstm.cell import LSTMCell
from lstm.data import SequenceData
from lstm.gru import GRUCell
from lstm.losses import (
    grouped_softmax_cross_entropy,
    grouped_squared_error,
    softmax_cross_entropy,
    squared_error,
)
from lstm.models import SequenceModel
from lstm.optimisers import Adam, clip_by_global_norm
from lstm.rnn import RNNCell
from lstm.stacked import perturb_parameters, train_many
from lstm.tasks import AddingProblem, DelayedRecall
from lstm.training import minibatch_indices, train

SEEDS = (0, 3, 7)
INPUT, HIDDEN, CLASSES, STEPS_T = 3, 5, 3, 7


def make_model(kind: str, seed: int, objective: str = "classification", output_at: str = "last",
               ablate: tuple[str, ...] = (), forget_bias: float | None = None) -> SequenceModel:
    if kind == "LSTM":
        cell = LSTMCell(INPUT, HIDDEN, seed=seed, ablate=ablate, forget_bias=forget_bias)
    else:
        cell = RNNCell(INPUT, HIDDEN, seed=seed)
    outputs = CLASSES if objective == "classification" else 2
    return SequenceModel(cell, outputs, objective=objective, output_at=output_at, seed=seed)


def make_data(objective: str, output_at: str, lengths: bool, size: int = 40, seed: int = 11) -> SequenceData:
    """Random sequences with targets of the kind the model wants, optionally of varying length."""
    rng = np.random.default_rng(seed)
    xs = rng.normal(size=(STEPS_T, size, INPUT))
    shape = (STEPS_T, size) if output_at == "every" else (size,)
    if objective == "classification":
        targets = rng.integers(0, CLASSES, size=shape)
    else:
        targets = rng.normal(size=(*shape, 2))
    sequence_lengths = rng.integers(1, STEPS_T + 1, size=size) if lengths else None
    return SequenceData(xs, targets, sequence_lengths, {"per_step": output_at == "every"})


CASES = [
    pytest.param(kind, objective, output_at, lengths, ablate, id=f"{kind}-{objective}-{output_at}"
                 f"{'-lengths' if lengths else ''}{'-' + '+'.join(ablate) if ablate else ''}")
    for kind, objective, output_at, lengths, ablate in [
        ("LSTM", "classification", "last", True, ()),
        ("LSTM", "classification", "last", False, ()),
        ("LSTM", "classification", "every", True, ()),
        ("LSTM", "regression", "last", True, ()),
        ("LSTM", "regression", "every", True, ()),
        ("LSTM", "classification", "last", True, ("forget_gate",)),
        ("LSTM", "classification", "last", True, ("input_gate", "output_tanh")),
        ("LSTM", "regression", "every", True, ("output_gate", "candidate_tanh")),
        ("RNN", "classification", "last", True, ()),
        ("RNN", "classification", "every", False, ()),
        ("RNN", "regression", "last", False, ()),
        ("RNN", "regression", "every", True, ()),
    ]
]


def relative_difference(actual: np.ndarray, expected: np.ndarray) -> float:
    scale = max(float(np.max(np.abs(expected))), 1e-300)
    return float(np.max(np.abs(actual - expected))) / scale


# ------------------------------------------------------------------ one step


@pytest.mark.parametrize(("kind", "objective", "output_at", "lengths", "ablate"), CASES)
def test_one_stacked_step_equals_each_models_own_step(kind, objective, output_at, lengths, ablate) -> None:
    """Forward, loss, backward, clipping and one Adam step of the stack: each model's own, to 1e-12."""
    data = make_data(objective, output_at, lengths)
    models = [make_model(kind, seed, objective, output_at, ablate, forget_bias=1.0) for seed in SEEDS]
    batches = [data.take(np.random.default_rng(seed).permutation(data.num_examples)[:16]) for seed in SEEDS]
    parameters = stacked.stack_parameters(models)
    batch = stacked.stack_batches(batches)
    outputs, cache = stacked.stacked_forward(models[0], parameters, batch)
    losses, doutputs = stacked.stacked_loss(models[0], outputs, batch, cache["mask"])
    grads = stacked.stacked_backward(models[0], parameters, cache, doutputs)
    clipped, norms = stacked.clip_each_by_global_norm(grads, 0.05)
    optimiser = Adam(parameters, lr=0.05)
    optimiser.step(clipped)
    model_axis = 1 if output_at == "every" else 0
    for row, (model, own_batch) in enumerate(zip(models, batches, strict=True)):
        cache_k = model.forward(own_batch.xs, own_batch.lengths)
        loss_k, doutputs_k = model.loss(cache_k.outputs, own_batch)
        grads_k, norm_k = clip_by_global_norm(model.backward(cache_k, doutputs_k), 0.05)
        assert relative_difference(np.take(outputs, row, axis=model_axis), cache_k.outputs) < 1e-12
        assert relative_difference(np.take(doutputs, row, axis=model_axis), doutputs_k) < 1e-12
        assert abs(losses[row] - loss_k) <= 1e-12 * abs(loss_k)
        assert abs(norms[row] - norm_k) <= 1e-12 * norm_k
        assert norm_k > 0.05                         # the clipping was exercised
        Adam(model.parameters, lr=0.05).step(grads_k)
        stacked.write_parameters(model_copy := model.copy(), parameters, row)
        for name, own in model.parameters.items():
            assert relative_difference(model_copy.parameters[name], own) < 1e-12, name
        # the gradients themselves, block by block, before Adam's division evens them out
        if kind == "LSTM":
            H = HIDDEN
            for block, letter in enumerate("fico"):
                rows = slice(block * H, (block + 1) * H)
                expected = grads_k[f"cell.W_{letter}"]
                got = clipped["cell.W"][row, rows]
                assert np.max(np.abs(got - expected)) <= 1e-12 * max(np.max(np.abs(expected)), 1e-3)
        else:
            assert relative_difference(clipped["cell.W"][row], grads_k["cell.W"]) < 1e-12
        assert relative_difference(clipped["readout.W"][row], grads_k["readout.W"]) < 1e-12


def test_stacked_step_changes_only_what_the_model_owns() -> None:
    """Model k's gradients do not depend on the other models' batches or weights."""
    data = make_data("classification", "last", True)
    models = [make_model("LSTM", seed) for seed in SEEDS]
    batches = [data.take(np.arange(k, k + 8)) for k in range(3)]

    def gradient_of_first(models_, batches_):
        parameters = stacked.stack_parameters(models_)
        batch = stacked.stack_batches(batches_)
        outputs, cache = stacked.stacked_forward(models_[0], parameters, batch)
        _, doutputs = stacked.stacked_loss(models_[0], outputs, batch, cache["mask"])
        return stacked.stacked_backward(models_[0], parameters, cache, doutputs)["cell.W"][0]

    other_models = [models[0], make_model("LSTM", 99), make_model("LSTM", 98)]
    other_batches = [batches[0], data.take(np.arange(20, 28)), data.take(np.arange(30, 38))]
    assert relative_difference(gradient_of_first(other_models, other_batches),
                               gradient_of_first(models, batches)) < 1e-13


# ------------------------------------------------------------------ training


@pytest.mark.parametrize("kind", ["LSTM", "RNN"])
@pytest.mark.parametrize("source", ["task", "fixed"])
def test_train_many_equals_separate_train_runs(kind: str, source: str) -> None:
    if source == "task":
        data = DelayedRecall(5, num_symbols=CLASSES, noise=0.5, min_delay=2)
        input_size = data.input_size
    else:
        data = make_data("classification", "last", True, size=50)
        input_size = INPUT

    def build(seed):
        cell = (LSTMCell(input_size, HIDDEN, seed=seed, forget_bias=2.0) if kind == "LSTM"
                else RNNCell(input_size, HIDDEN, seed=seed))
        return SequenceModel(cell, CLASSES, seed=seed)

    evaluation = make_data("classification", "last", True, size=30, seed=5) if source == "fixed" \
        else data.sample(30, np.random.default_rng(5))
    settings = dict(steps=12, lr=0.03, batch_size=16, clip=0.5, eval_data=evaluation, eval_every=5,
                    progress=False)
    separate = [build(seed) for seed in SEEDS]
    expected = [train(model, data, seed=seed, **settings)
                for model, seed in zip(separate, SEEDS, strict=True)]
    together = [build(seed) for seed in SEEDS]
    histories = train_many(together, data, seeds=SEEDS, **settings)
    assert len(histories) == len(SEEDS)
    for model, own, history, want in zip(together, separate, histories, expected, strict=True):
        for name, array in own.parameters.items():
            assert relative_difference(model.parameters[name], array) < 1e-9, name
        np.testing.assert_allclose(history.losses, want.losses, rtol=1e-10)
        np.testing.assert_allclose(history.grad_norms, want.grad_norms, rtol=1e-10)
        np.testing.assert_array_equal(history.clipped, want.clipped)
        np.testing.assert_array_equal(history.eval_steps, [5, 10, 12])
        np.testing.assert_array_equal(history.eval_steps, want.eval_steps)
        np.testing.assert_allclose(history.eval_losses, want.eval_losses, rtol=1e-9)
        np.testing.assert_allclose(history.eval_accuracies, want.eval_accuracies)
        np.testing.assert_array_equal(history.learning_rates, want.learning_rates)
        assert history.diverged_at is None and history.stopped_at is None
        assert history.cpu_seconds > 0
    # the models did learn something different from each other
    assert not np.allclose(together[0].readout.W[:, :2], together[1].readout.W[:, :2])


def test_train_many_with_a_schedule_and_no_clipping_matches_train() -> None:
    task = AddingProblem(8, min_length=4)
    schedule = lambda step: 0.02 * 0.5 ** (step // 3)  # noqa: E731
    build = lambda seed: SequenceModel(LSTMCell(2, 4, seed=seed), 1, objective="regression", seed=seed)  # noqa: E731
    separate = [build(seed) for seed in SEEDS]
    expected = [train(m, task, steps=8, lr=schedule, batch_size=8, clip=None, seed=s, progress=False)
                for m, s in zip(separate, SEEDS, strict=True)]
    together = [build(seed) for seed in SEEDS]
    histories = train_many(together, task, seeds=SEEDS, steps=8, lr=schedule, batch_size=8, clip=None,
                           progress=False)
    for model, own, history, want in zip(together, separate, histories, expected, strict=True):
        np.testing.assert_array_equal(history.learning_rates, want.learning_rates)
        assert not history.clipped.any()
        for name, array in own.parameters.items():
            assert relative_difference(model.parameters[name], array) < 1e-9, name


def test_each_model_draws_the_batches_train_would_draw() -> None:
    """Model k's batches come from default_rng(seeds[k]), for a task and for fixed data alike."""
    seeds = [4, 1, 9]

    class RecordingTask:
        """DelayedRecall that records every batch it hands out, by the generator that drew it."""

        def __init__(self):
            self.task = DelayedRecall(4, num_symbols=3, noise=1.0)
            self.drawn: dict[int, list[np.ndarray]] = {}

        def sample(self, n, rng):
            batch = self.task.sample(n, rng)
            self.drawn.setdefault(id(rng), []).append(batch.xs.copy())
            return batch

    build = lambda seed: SequenceModel(RNNCell(5, 3, seed=seed), 3, seed=seed)  # noqa: E731
    together = RecordingTask()
    train_many([build(s) for s in seeds], together, seeds=seeds, steps=4, batch_size=5, progress=False)
    by_model = list(together.drawn.values())               # in the order the generators first drew
    assert len(by_model) == len(seeds)
    for seed, drawn in zip(seeds, by_model, strict=True):
        alone = RecordingTask()
        train(build(seed), alone, steps=4, batch_size=5, seed=seed, progress=False)
        (expected,) = alone.drawn.values()
        assert len(drawn) == len(expected) == 4
        for got, want in zip(drawn, expected, strict=True):
            np.testing.assert_array_equal(got, want)

    data = make_data("classification", "last", True, size=20)
    draw = stacked._batch_streams(data, seeds, 8, np.float64)
    streams = [minibatch_indices(20, 8, np.random.default_rng(seed)) for seed in seeds]
    for _ in range(5):                                      # past the end of an epoch (2 batches of 8)
        batch = draw([0, 1, 2])
        for row, stream in enumerate(streams):
            own = data.take(next(stream))
            np.testing.assert_array_equal(batch.xs[:, row], own.xs)
            np.testing.assert_array_equal(batch.targets[row], own.targets)
            np.testing.assert_array_equal(batch.lengths[row], own.lengths)


def test_a_diverging_model_stops_as_with_train_and_the_others_go_on() -> None:
    data = make_data("classification", "last", True)

    def build(seed):
        model = make_model("LSTM", seed)
        if seed == 3:
            model.readout.W *= 1e306                    # its logits overflow: the loss is not finite
        return model

    separate = [build(seed) for seed in SEEDS]
    expected = [train(m, data, steps=6, batch_size=8, seed=s, progress=False)
                for m, s in zip(separate, SEEDS, strict=True)]
    assert [h.diverged_at for h in expected] == [None, 0, None]
    together = [build(seed) for seed in SEEDS]
    histories = train_many(together, data, seeds=SEEDS, steps=6, batch_size=8, progress=False)
    assert [h.diverged_at for h in histories] == [None, 0, None]
    assert histories[1].losses.size == 0 and histories[0].losses.size == 6
    for model, own in zip(together, separate, strict=True):
        for name, array in own.parameters.items():
            assert relative_difference(model.parameters[name], array) < 1e-9, name
            assert np.all(np.isfinite(model.parameters[name]))


def test_a_model_diverging_later_leaves_the_stack_with_its_last_parameters() -> None:
    """A model whose loss overflows after some steps keeps the parameters of its last finite step."""
    data = make_data("regression", "last", False)
    original_loss = stacked.stacked_loss
    calls = {"count": 0}

    def loss_that_overflows_for_the_middle_model_at_step_3(model, outputs, batch, mask):
        losses, doutputs = original_loss(model, outputs, batch, mask)
        if calls["count"] == 3:
            losses = losses.copy()
            losses[1] = np.inf
        calls["count"] += 1
        return losses, doutputs

    models = [make_model("RNN", seed, "regression") for seed in SEEDS]
    reference = [model.copy() for model in models]
    expected = [train(m, data, steps=3, batch_size=8, seed=s, progress=False)
                for m, s in zip(reference[1:2], SEEDS[1:2], strict=True)]
    stacked.stacked_loss = loss_that_overflows_for_the_middle_model_at_step_3
    try:
        histories = train_many(models, data, seeds=SEEDS, steps=6, batch_size=8, progress=False)
    finally:
        stacked.stacked_loss = original_loss
    assert [h.diverged_at for h in histories] == [None, 3, None]
    assert [h.losses.size for h in histories] == [6, 3, 6]
    np.testing.assert_allclose(histories[1].losses, expected[0].losses, rtol=1e-12)
    for name, array in reference[1].parameters.items():    # the middle model: after its 3 good steps
        assert relative_difference(models[1].parameters[name], array) < 1e-12, name
    for k in (0, 2):                                       # the others: 6 steps, as alone
        alone = make_model("RNN", SEEDS[k], "regression")
        train(alone, data, steps=6, batch_size=8, seed=SEEDS[k], progress=False)
        for name, array in alone.parameters.items():
            assert relative_difference(models[k].parameters[name], array) < 1e-9, name


def test_models_that_cannot_be_stacked_are_trained_one_after_the_other() -> None:
    """Attention models (and GRUs) and runs with a callback: exactly a loop over train()."""
    data = make_data("classification", "last", True)
    for build in (lambda s: SelfAttentionModel(INPUT, 4, CLASSES, seed=s),
                  lambda s: SequenceModel(GRUCell(INPUT, 3, seed=s), CLASSES, seed=s)):
        assert not stacked.stackable(build(0))
        separate = [build(s) for s in SEEDS]
        expected = [train(m, data, steps=4, batch_size=8, seed=s, progress=False)
                    for m, s in zip(separate, SEEDS, strict=True)]
        together = [build(s) for s in SEEDS]
        histories = train_many(together, data, seeds=SEEDS, steps=4, batch_size=8, progress=False)
        for model, own, history, want in zip(together, separate, histories, expected, strict=True):
            np.testing.assert_array_equal(history.losses, want.losses)
            for name, array in own.parameters.items():
                np.testing.assert_array_equal(model.parameters[name], array)
    seen = []
    together = [make_model("LSTM", s) for s in SEEDS]
    histories = train_many(together, data, seeds=SEEDS, steps=3, batch_size=8, progress=False,
                           callback=lambda state: seen.append(state.step) or state.step == 1)
    assert seen == [0, 1] * 3
    assert [h.stopped_at for h in histories] == [2, 2, 2]
    assert stacked.stackable(together[0]) and stacked.stackable(make_model("RNN", 0))


# ------------------------------------------------------------------ float32


def test_float32_training_stays_close_to_float64_and_really_runs_in_float32() -> None:
    task = DelayedRecall(6, num_symbols=CLASSES, noise=0.5)
    build = lambda seed: SequenceModel(LSTMCell(task.input_size, 6, seed=seed, forget_bias=2.0), CLASSES,  # noqa: E731
                                       seed=seed)
    settings = dict(seeds=SEEDS, steps=30, lr=0.02, batch_size=16, progress=False)
    wide = [build(s) for s in SEEDS]
    histories64 = train_many(wide, task, **settings)
    seen_dtypes = set()
    original_forward = stacked.stacked_forward

    def recording_forward(model, parameters, batch):
        outputs, cache = original_forward(model, parameters, batch)
        seen_dtypes.update({array.dtype for array in parameters.values()})
        seen_dtypes.update({batch.xs.dtype, outputs.dtype, cache["arrays"]["gates"].dtype})
        return outputs, cache

    narrow = [build(s) for s in SEEDS]
    stacked.stacked_forward = recording_forward
    try:
        histories32 = train_many(narrow, task, dtype=np.float32, **settings)
    finally:
        stacked.stacked_forward = original_forward
    assert seen_dtypes == {np.dtype(np.float32)}
    for model64, model32, h64, h32 in zip(wide, narrow, histories64, histories32, strict=True):
        np.testing.assert_allclose(h32.losses, h64.losses, rtol=2e-3)
        for name, array in model64.parameters.items():
            got = model32.parameters[name]
            assert got.dtype == np.float64                 # the models keep float64 arrays ...
            np.testing.assert_array_equal(got.astype(np.float32), got)   # ... holding float32 values
            assert relative_difference(got, array) < 1e-3, name
        assert not all(np.array_equal(model32.parameters[n], a) for n, a in model64.parameters.items())


# ------------------------------------------------------------------ perturbation


def test_perturb_parameters_is_tiny_deterministic_and_seeded() -> None:
    model = make_model("LSTM", 0)
    original = {name: array.copy() for name, array in model.parameters.items()}
    assert perturb_parameters(model, 1e-12, seed=5) is model
    changed = 0
    for name, array in model.parameters.items():
        ratio = np.abs(array - original[name]) / np.maximum(np.abs(original[name]), 1e-300)
        assert ratio.max() <= 1e-12 * (1 + 1e-3), name
        changed += int(np.count_nonzero(array != original[name]))
    assert changed > 0.9 * sum(np.count_nonzero(a) for a in original.values())
    again = make_model("LSTM", 0)
    perturb_parameters(again, 1e-12, seed=5)
    other = make_model("LSTM", 0)
    perturb_parameters(other, 1e-12, seed=6)
    for name, array in model.parameters.items():
        np.testing.assert_array_equal(again.parameters[name], array)
    assert any(not np.array_equal(other.parameters[n], a) for n, a in model.parameters.items())
    untouched = make_model("LSTM", 0)
    perturb_parameters(untouched, 0.0, seed=5)
    for name, array in original.items():
        np.testing.assert_array_equal(untouched.parameters[name], array)
    for size in (-1e-12, float("nan"), "1e-12", True):
        with pytest.raises(ValueError, match="size"):
            perturb_parameters(make_model("LSTM", 0), size, seed=0)


def test_train_many_perturbs_each_model_with_its_own_seed() -> None:
    data = make_data("classification", "last", False)
    models = [make_model("RNN", s) for s in SEEDS]
    expected = [perturb_parameters(make_model("RNN", s), 1e-12, s) for s in SEEDS]
    unperturbed = [make_model("RNN", s) for s in SEEDS]
    # one Adam step moves each parameter by 1e-30, far below the perturbation (1e-12 relative)
    train_many(models, data, seeds=SEEDS, steps=1, lr=1e-30, batch_size=4, perturbation=1e-12, progress=False)
    for model, want, plain in zip(models, expected, unperturbed, strict=True):
        for name, array in want.parameters.items():
            np.testing.assert_allclose(model.parameters[name], array, rtol=1e-15, atol=2e-30)
        assert any(not np.array_equal(model.parameters[n], a) for n, a in plain.parameters.items())


# ------------------------------------------------------------------ losses of K groups


def test_grouped_losses_equal_the_losses_of_each_group() -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(3, 4, 5, 6))
    labels = rng.integers(0, 6, size=(3, 4, 5))
    mask = rng.random((3, 4, 5)) > 0.3
    losses, dlogits = grouped_softmax_cross_entropy(logits, labels, mask)
    values = rng.normal(size=(3, 4, 2))
    targets = rng.normal(size=(3, 4, 2))
    square_losses, dvalues = grouped_squared_error(values, targets, mask[:, :, 0])
    for k in range(3):
        loss, grad = softmax_cross_entropy(logits[k], labels[k], mask[k])
        assert losses[k] == pytest.approx(loss, rel=1e-14)
        np.testing.assert_allclose(dlogits[k], grad, rtol=1e-13, atol=1e-17)
        loss, grad = squared_error(values[k], targets[k], mask[k, :, 0])
        assert square_losses[k] == pytest.approx(loss, rel=1e-14)
        np.testing.assert_allclose(dvalues[k], grad, rtol=1e-13)
    empty = mask.copy()
    empty[1] = False
    with pytest.raises(ValueError, match="mask"):
        grouped_softmax_cross_entropy(logits, labels, empty)
    with pytest.raises(ValueError, match="labels"):
        grouped_softmax_cross_entropy(logits, labels + 6)
    with pytest.raises(ValueError, match="targets"):
        grouped_squared_error(values, targets[:, :3])


# ------------------------------------------------------------------ bad arguments


@pytest.mark.parametrize(("models", "message"), [
    ([], "len\\(models\\)"),
    ([make_model("LSTM", 0), make_model("RNN", 1)], "models.*cell"),
    ([make_model("LSTM", 0), SequenceModel(LSTMCell(INPUT, HIDDEN + 1), CLASSES)], "models.*hidden_size"),
    ([make_model("LSTM", 0), SequenceModel(LSTMCell(INPUT + 1, HIDDEN), CLASSES)], "models.*input_size"),
    ([make_model("LSTM", 0), make_model("LSTM", 1, objective="regression")], "models.*objective"),
    ([make_model("LSTM", 0), make_model("LSTM", 1, output_at="every")], "models.*output_at"),
    ([make_model("LSTM", 0), make_model("LSTM", 1, ablate=("forget_gate",))], "models.*ablate"),
    ([make_model("LSTM", 0), SelfAttentionModel(INPUT, 4, CLASSES)], "models.*type"),
    ([make_model("LSTM", 0), "not a model"], "models\\[1\\]"),
])
def test_models_of_different_kinds_are_refused(models, message) -> None:
    data = make_data("classification", "last", False)
    with pytest.raises(ValueError, match=message):
        train_many(models, data, seeds=list(range(len(models))), steps=1, progress=False)


def test_bad_arguments_name_the_argument() -> None:
    data = make_data("classification", "last", False)
    models = [make_model("LSTM", s) for s in SEEDS]
    with pytest.raises(ValueError, match="seeds"):
        train_many(models, data, seeds=[0, 1], steps=1, progress=False)
    for seeds in ([0, 1.5, 2], [0, -1, 2], [True, 1, 2], 3, "012"):
        with pytest.raises(TypeError, match="seeds"):
            train_many(models, data, seeds=seeds, steps=1, progress=False)
    for dtype in (np.float16, np.int64, "complex128", "no such type"):
        with pytest.raises(TypeError, match="dtype"):
            train_many(models, data, seeds=SEEDS, steps=1, progress=False, dtype=dtype)
    with pytest.raises(ValueError, match="same object"):
        train_many([models[0], models[1], models[0]], data, seeds=SEEDS, steps=1, progress=False)
    with pytest.raises(ValueError, match="dtype"):
        train_many(models, data, seeds=SEEDS, steps=1, progress=False, dtype=np.float32,
                   callback=lambda state: None)
    with pytest.raises(ValueError, match="dtype"):
        train_many([SelfAttentionModel(INPUT, 4, CLASSES, seed=s) for s in SEEDS], data, seeds=SEEDS,
                   steps=1, progress=False, dtype=np.float32)
    with pytest.raises(ValueError, match="eval_data"):
        train_many(models, data, seeds=SEEDS, steps=1, progress=False, eval_data=[data, data])
    for argument, value in (("steps", 0), ("batch_size", -1), ("clip", 0.0), ("lr", -1.0), ("eval_every", 0)):
        with pytest.raises(ValueError, match=argument):
            train_many(models, data, seeds=SEEDS, progress=False, perturbation=1e-12, eval_data=data,
                       **{"steps": 1, argument: value})
    with pytest.raises(ValueError, match="data"):
        train_many(models, object(), seeds=SEEDS, steps=1, progress=False, perturbation=1e-12)
    untouched = [make_model("LSTM", s) for s in SEEDS]
    for model, fresh in zip(models, untouched, strict=True):   # nothing was trained by the refusals
        for name, array in fresh.parameters.items():
            np.testing.assert_array_equal(model.parameters[name], array)


def test_eval_every_is_ignored_without_eval_data_as_in_train() -> None:
    data = make_data("classification", "last", False)
    histories = train_many([make_model("RNN", s) for s in SEEDS], data, seeds=SEEDS, steps=2, batch_size=4,
                           eval_every=0, progress=False)
    assert all(h.eval_steps.size == 0 for h in histories)
    with pytest.raises(ValueError, match="eval_every"):
        train_many([make_model("RNN", s) for s in SEEDS], data, seeds=SEEDS, steps=2, batch_size=4,
                   eval_every=0, eval_data=data, progress=False)


def test_tanh_function_picks_the_faster_form_for_the_size_and_type() -> None:
    from lstm._inplace import NP_TANH_UP_TO, NP_TANH_UP_TO_FLOAT32, tanh_function, tanh_into

    assert tanh_function(NP_TANH_UP_TO) is np.tanh and tanh_function(NP_TANH_UP_TO + 1) is tanh_into
    assert tanh_function(NP_TANH_UP_TO + 1, np.float32) is np.tanh
    assert tanh_function(NP_TANH_UP_TO_FLOAT32 + 1, np.float32) is tanh_into
    z = np.linspace(-30, 30, 10001, dtype=np.float32)
    with np.errstate(over="ignore"):
        narrow = tanh_into(z, np.empty_like(z))
    assert narrow.dtype == np.float32
    np.testing.assert_allclose(narrow, np.tanh(z.astype(np.float64)), rtol=0, atol=3e-7)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("kind", "objective", "output_at"), [
    ("LSTM", "classification", "last"), ("LSTM", "regression", "every"), ("RNN", "classification", "every"),
])
def test_a_run_does_not_depend_on_the_models_trained_with_it(kind, objective, output_at, dtype) -> None:
    """Seed 3 ends bit for bit the same alone, with two or nine others, or beside a diverging one."""
    data = make_data(objective, output_at, True, size=40)
    runs = []
    for seeds in ([3], [0, 3, 7], [12, 3, 5, 8, 1, 9, 4, 6, 2, 11], [3, 99]):
        models = [make_model(kind, seed, objective, output_at) for seed in seeds]
        if 99 in seeds:
            models[1].readout.W *= 1e306                  # diverges at the first step and leaves the stack
        histories = train_many(models, data, seeds=seeds, steps=15, batch_size=8, progress=False, dtype=dtype)
        runs.append((models[seeds.index(3)], histories[seeds.index(3)]))
        if 99 in seeds:
            assert histories[1].diverged_at == 0
    (alone, alone_history), *others = runs
    for model, history in others:
        np.testing.assert_array_equal(history.losses, alone_history.losses)
        for name, array in alone.parameters.items():
            np.testing.assert_array_equal(model.parameters[name], array)
