"""Tests of lstm.attention: the single-head self-attention model."""

from __future__ import annotations

import numpy as np
import pytest

from lstm.attention import SelfAttentionModel, positional_encoding
from lstm.tasks import DelayedRecall, delayed_recall
from lstm.training import SequenceData, numerical_gradients, train


def test_positional_encoding_hand_worked() -> None:
    np.testing.assert_allclose(
        positional_encoding(2, 2), [[0.0, 1.0], [np.sin(1.0), np.cos(1.0)]], atol=1e-15
    )
    codes = positional_encoding(3, 4)
    # second pair uses the frequency 1/10000^(2/4) = 1/100
    np.testing.assert_allclose(codes[2, 2:], [np.sin(0.02), np.cos(0.02)], atol=1e-15)
    with pytest.raises(ValueError, match="model_size"):
        positional_encoding(3, 0)


def _hand_model() -> SelfAttentionModel:
    """Input size 1, model size 1, one output, all weights 1, zero biases."""
    model = SelfAttentionModel(1, 1, 1, objective="regression", seed=0)
    for name in ("W_in", "W_q", "W_k", "W_v"):
        model.parameters[name][:] = 1.0
    model.b_in[:] = 0.0
    model.readout.W[:] = 1.0
    model.readout.b[:] = 0.0
    return model


def test_forward_hand_worked() -> None:
    """x = (1, 0); position codes p = (sin 0, sin 1) = (0, 0.841471) for d = 1.

    e = x + p = (1, 0.841471); q = k = v = e.  Last step t = 2 attends with scores
    q_2 k_s / sqrt(1) = (0.841471, 0.708073); softmax = (0.533300, 0.466700);
    mixed = 0.5333*1 + 0.4667*0.841471 = 0.926015; output u = e_2 + mixed = 1.767485.
    """
    model = _hand_model()
    output = model.forward(np.array([[[1.0]], [[0.0]]])).outputs
    e = np.array([1.0, np.sin(1.0)])
    scores = e[1] * e
    weights = np.exp(scores) / np.exp(scores).sum()
    assert weights[0] == pytest.approx(0.533300, abs=1e-6)
    expected = e[1] + weights @ e
    assert output[0, 0] == pytest.approx(expected, abs=1e-14)
    assert output[0, 0] == pytest.approx(1.767485, abs=1e-6)


def _cases():
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(5, 3, 2))
    lengths = np.array([5, 2, 4])
    yield "last", SelfAttentionModel(2, 4, 3, seed=1), SequenceData(xs, rng.integers(0, 3, 3))
    yield (
        "last-lengths",
        SelfAttentionModel(2, 4, 3, seed=2),
        SequenceData(xs, rng.integers(0, 3, 3), lengths),
    )
    yield (
        "every-causal",
        SelfAttentionModel(2, 3, 3, output_at="every", causal=True, seed=3),
        (SequenceData(xs, rng.integers(0, 3, (5, 3)), lengths)),
    )
    yield (
        "regression",
        SelfAttentionModel(2, 3, 2, objective="regression", seed=4),
        (SequenceData(xs, rng.normal(size=(3, 2)), lengths)),
    )


@pytest.mark.parametrize(("name", "model", "data"), list(_cases()))
def test_gradients_match_finite_differences(name, model, data) -> None:
    model.b_in[:] = np.random.default_rng(9).normal(size=model.b_in.shape)
    _, analytic = model.loss_and_gradients(data)
    numeric = numerical_gradients(model, data)
    assert list(analytic) == list(model.parameters)
    for key in analytic:
        np.testing.assert_allclose(analytic[key], numeric[key], atol=1e-8, err_msg=f"{name} {key}")


def test_padding_is_never_attended_to() -> None:
    model = SelfAttentionModel(2, 4, 3, seed=0)
    rng = np.random.default_rng(1)
    xs = rng.normal(size=(6, 2, 2))
    lengths = np.array([3, 6])
    weights = model.attention_weights(xs, lengths)
    assert np.all(weights[0, :, 3:] == 0)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0)
    changed = xs.copy()
    changed[3:, 0] = 100.0  # padding content must not matter for sequence 0
    np.testing.assert_allclose(
        model.forward(changed, lengths).outputs[0], model.forward(xs, lengths).outputs[0]
    )
    alone = model.forward(xs[:3, :1]).outputs[0]
    np.testing.assert_allclose(model.forward(xs, lengths).outputs[0], alone, atol=1e-12)


def test_causal_mask_hides_the_future() -> None:
    model = SelfAttentionModel(1, 2, 1, output_at="every", causal=True, seed=0)
    weights = model.attention_weights(np.ones((4, 1, 1)))
    assert np.all(np.triu(weights[0], k=1) == 0)


def test_trains_with_the_shared_trainer_deterministically() -> None:
    task = DelayedRecall(delay=8)
    runs = []
    for _ in range(2):
        model = SelfAttentionModel(task.input_size, 8, 4, seed=0)
        history = train(model, task, steps=150, lr=0.02, batch_size=32, seed=0, progress=False)
        runs.append((model, history))
    np.testing.assert_array_equal(runs[0][1].losses, runs[1][1].losses)
    model, history = runs[0]
    assert history.final_loss < history.losses[:10].mean()
    assert model.accuracy(delayed_recall(300, delay=8, seed=5)) > 0.9


def test_copy_is_independent() -> None:
    model = SelfAttentionModel(2, 3, 2, seed=0)
    duplicate = model.copy()
    duplicate.W_q[:] = 0.0
    assert not np.all(model.W_q == 0)


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: SelfAttentionModel(0, 3, 2), "input_size"),
        (lambda: SelfAttentionModel(2, 3, 2, objective="ranking"), "objective"),
        (lambda: SelfAttentionModel(2, 3, 2, causal="yes"), "causal"),
        (lambda: SelfAttentionModel(2, 3, 2).forward(np.zeros((4, 1, 3))), "xs"),
        (lambda: SelfAttentionModel(2, 3, 2).forward(np.zeros((4, 2, 2)), np.array([5, 1])), "lengths"),
    ],
)
def test_bad_arguments_name_themselves(call, argument: str) -> None:
    with pytest.raises(ValueError, match=argument):
        call()
