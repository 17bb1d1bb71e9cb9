r"""A minimal single-head self-attention model, to compare with the LSTM.

For a sequence of inputs :math:`x_1, \dots, x_T` (one sequence shown; the batch is a leading
axis in the code):

.. math::
    e_t &= W_{in} x_t + b_{in} + p_t
        && \text{embedding plus sinusoidal position code } p_t \\
    q_t = W_q e_t,\quad k_t &= W_k e_t,\quad v_t = W_v e_t
        && \text{query, key, value} \\
    a_{ts} &= \operatorname{softmax}_s\!\left(q_t \cdot k_s / \sqrt{d}\right)
        && \text{attention weights over the real steps } s \\
    u_t &= e_t + \textstyle\sum_s a_{ts} v_s
        && \text{attention output with a residual connection} \\
    y &= W_y u_{t^\ast} + b_y
        && \text{read-out at the last real step } t^\ast \text{ (or every step)}

Every position looks at every other position in one matrix product, so nothing is computed
step after step -- the contrast with the LSTM's :math:`T` sequential steps.  The model has
the interface of :class:`lstm.training.ModelBase` (``parameters``, ``forward``,
``backward``), so :func:`lstm.training.train` trains it exactly like an LSTM.  Its gradient is
checked against finite differences in ``tests/test_attention.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from lstm._arguments import check_choice as _check_choice
from lstm._arguments import check_positive_int as _check_positive_int
from lstm.data import length_mask
from lstm.models import (
    OBJECTIVES,
    OUTPUT_POSITIONS,
    ForwardCache,
    ModelBase,
    Objective,
    OutputAt,
    Readout,
    _last_steps,
)

__all__ = ["SelfAttentionModel", "positional_encoding"]


def positional_encoding(num_steps: int, model_size: int) -> np.ndarray:
    r"""Sinusoidal position codes of Vaswani et al. (2017).

    :math:`p_{t,2k} = \sin(t / 10000^{2k/d})`, :math:`p_{t,2k+1} = \cos(t / 10000^{2k/d})`.

    Hand-worked case: ``positional_encoding(2, 2)`` is ``[[0, 1], [sin 1, cos 1]]``
    ``= [[0, 1], [0.841471, 0.540302]]``.

    Parameters
    ----------
    num_steps : int
        Number of positions ``T``.
    model_size : int
        Size ``d`` of each code.

    Returns
    -------
    numpy.ndarray, shape (num_steps, model_size)

    Raises
    ------
    ValueError
        If an argument is not a positive integer.
    """
    num_steps = _check_positive_int("num_steps", num_steps)
    model_size = _check_positive_int("model_size", model_size)
    positions = np.arange(num_steps)[:, None]
    pair_index = np.arange(model_size) // 2
    angles = positions / (10000.0 ** (2 * pair_index / model_size))
    return np.where(np.arange(model_size) % 2 == 0, np.sin(angles), np.cos(angles))


@lru_cache(maxsize=16)
def _position_codes(num_steps: int, model_size: int) -> np.ndarray:
    """:func:`positional_encoding`, computed once per shape and shared (read-only)."""
    codes = positional_encoding(num_steps, model_size)
    codes.flags.writeable = False
    return codes


@dataclass
class AttentionCache:
    """Intermediate values of one forward pass (batch first: ``(N, T, ...)``)."""

    xs: np.ndarray
    embedded: np.ndarray
    queries: np.ndarray
    keys: np.ndarray
    values: np.ndarray
    weights: np.ndarray
    mixed: np.ndarray
    combined: np.ndarray


class SelfAttentionModel(ModelBase):
    """Single-head self-attention with position codes, a residual connection and a read-out.

    Parameters
    ----------
    input_size : int
        Size of each input vector.
    model_size : int
        Size ``d`` of embeddings, queries, keys and values.
    output_size : int
        Number of classes or regression outputs.
    objective : {"classification", "regression"}, default "classification"
    output_at : {"last", "every"}, default "last"
        Read the last real step of each sequence, or every step.
    causal : bool, default False
        If True, step ``t`` only attends to steps ``s <= t`` (needed for honest per-step
        outputs that must not see the future).
    seed : int, default 0
        Seed of the initial weights, uniform in ``(-1/sqrt(fan_in), 1/sqrt(fan_in))``.

    Attributes
    ----------
    W_in (d, input), b_in (d,), W_q, W_k, W_v (d, d), readout : Readout
    parameters : dict
        ``"W_in", "b_in", "W_q", "W_k", "W_v", "readout.W", "readout.b"`` -- live arrays.

    Raises
    ------
    ValueError
        If an argument is out of range.
    """

    def __init__(
        self,
        input_size: int,
        model_size: int,
        output_size: int,
        objective: Objective = "classification",
        output_at: OutputAt = "last",
        causal: bool = False,
        seed: int = 0,
    ) -> None:
        input_size = _check_positive_int("input_size", input_size)
        model_size = _check_positive_int("model_size", model_size)
        output_size = _check_positive_int("output_size", output_size)
        self.objective = _check_choice("objective", objective, OBJECTIVES)
        self.output_at = _check_choice("output_at", output_at, OUTPUT_POSITIONS)
        if not isinstance(causal, bool):
            raise ValueError(f"causal must be True or False; got {causal!r}")
        self.causal = causal
        rng = np.random.default_rng(seed)
        in_bound = 1.0 / np.sqrt(input_size)
        model_bound = 1.0 / np.sqrt(model_size)
        self.W_in = rng.uniform(-in_bound, in_bound, size=(model_size, input_size))
        self.b_in = np.zeros(model_size)
        self.W_q = rng.uniform(-model_bound, model_bound, size=(model_size, model_size))
        self.W_k = rng.uniform(-model_bound, model_bound, size=(model_size, model_size))
        self.W_v = rng.uniform(-model_bound, model_bound, size=(model_size, model_size))
        self.readout = Readout(model_size, output_size, seed=seed + 1)

    @property
    def input_size(self) -> int:
        """Size of each input vector."""
        return int(self.W_in.shape[1])

    @property
    def model_size(self) -> int:
        """Size ``d`` of the embeddings."""
        return int(self.W_in.shape[0])

    @property
    def parameters(self) -> dict[str, np.ndarray]:
        """Live weight arrays by name."""
        named = {
            "W_in": self.W_in,
            "b_in": self.b_in,
            "W_q": self.W_q,
            "W_k": self.W_k,
            "W_v": self.W_v,
        }
        named.update({f"readout.{name}": array for name, array in self.readout.parameters.items()})
        return named

    def _allowed(self, num_steps: int, batch: int, lengths: np.ndarray | None) -> np.ndarray | None:
        """``allowed[n, t, s]``: may step ``t`` of sequence ``n`` attend to step ``s``.

        ``None`` when every step may attend to every step (no padding, not causal).
        """
        if lengths is None and not self.causal:
            return None
        real = length_mask(lengths, num_steps, batch).T  # (N, T)
        allowed = np.broadcast_to(real[:, None, :], (batch, num_steps, num_steps))
        if self.causal:
            allowed = allowed & np.tril(np.ones((num_steps, num_steps), dtype=bool))[None]
        return allowed

    def forward(self, xs: np.ndarray, lengths: np.ndarray | None = None) -> ForwardCache:
        """Attend over all steps of ``xs`` (T, N, input) at once and apply the read-out.

        Every product that acts on each step separately (embedding; query, key and value) runs
        as one matrix product over all ``N T`` steps; only the scores and the mixing are
        products per sequence.

        Returns
        -------
        ForwardCache
            ``outputs`` (N, O) or (T, N, O); ``inner`` holds an :class:`AttentionCache`.

        Raises
        ------
        ValueError
            If ``xs`` or ``lengths`` has the wrong shape.
        """
        xs = np.asarray(xs, dtype=np.float64)
        if xs.ndim != 3 or xs.shape[2] != self.input_size:
            raise ValueError(f"xs must have shape (T, N, {self.input_size}); got {xs.shape}")
        num_steps, batch = xs.shape[:2]
        size = self.model_size
        batch_first = np.ascontiguousarray(xs.transpose(1, 0, 2))  # (N, T, input)
        embedded = (batch_first.reshape(-1, self.input_size) @ self.W_in.T).reshape(batch, num_steps, size)
        embedded += self.b_in + _position_codes(num_steps, size)
        projected = (embedded.reshape(-1, size) @ np.concatenate((self.W_q, self.W_k, self.W_v)).T).reshape(
            batch, num_steps, 3 * size)
        queries, keys, values = (projected[..., part * size:(part + 1) * size] for part in range(3))
        scores = queries @ keys.transpose(0, 2, 1)
        scores *= 1.0 / np.sqrt(size)
        allowed = self._allowed(num_steps, batch, lengths)
        if allowed is not None:
            scores[~allowed] = -np.inf
        scores -= scores.max(axis=-1, keepdims=True)
        with np.errstate(under="ignore"):
            weights = np.exp(scores, out=scores)
        weights /= weights.sum(axis=-1, keepdims=True)
        mixed = weights @ values
        combined = embedded + mixed  # (N, T, d)
        if self.output_at == "last":
            hidden = combined[np.arange(batch), _last_steps(lengths, num_steps, batch)]
        else:
            hidden = combined.transpose(1, 0, 2)
        cache = AttentionCache(
            xs=batch_first,
            embedded=embedded,
            queries=queries,
            keys=keys,
            values=values,
            weights=weights,
            mixed=mixed,
            combined=combined,
        )
        return ForwardCache(outputs=self.readout.forward(hidden), hidden=hidden, lengths=lengths, inner=cache)

    def backward(self, cache: ForwardCache, doutputs: np.ndarray) -> dict[str, np.ndarray]:
        """Gradients of every parameter, given the gradient of the loss w.r.t. the outputs.

        Only the steps the read-out sees receive a gradient from it (the last real step of
        each sequence, or every step): the attention rows of those steps are back-propagated
        (``R = 1`` or ``R = T`` rows per sequence below), the others contribute nothing.

        Returns
        -------
        dict
            Named like :attr:`parameters`.
        """
        inner: AttentionCache = cache.inner
        batch, num_steps, size = inner.embedded.shape
        readout_grads, dhidden = self.readout.backward(cache.hidden, doutputs)
        if self.output_at == "last":
            seen = (np.arange(batch), _last_steps(cache.lengths, num_steps, batch))
            dcombined = dhidden[:, None, :]  # (N, R = 1, d)
            weights, queries, embedded_seen = (
                array[seen][:, None, :] for array in (inner.weights, inner.queries, inner.embedded))
        else:
            seen = None
            dcombined = dhidden.transpose(1, 0, 2)  # (N, R = T, d)
            weights, queries, embedded_seen = inner.weights, inner.queries, inner.embedded
        # combined = embedded + weights @ values
        dweights = dcombined @ inner.values.transpose(0, 2, 1)  # (N, R, T)
        dvalues = weights.transpose(0, 2, 1) @ dcombined  # (N, T, d)
        # weights = softmax(scores) along the last axis; scores = queries keys^T / sqrt(d)
        dweights -= np.sum(dweights * weights, axis=-1, keepdims=True)
        dscores = np.multiply(dweights, weights, out=dweights)
        dscores *= 1.0 / np.sqrt(size)
        dqueries = dscores @ inner.keys  # (N, R, d)
        dkeys = dscores.transpose(0, 2, 1) @ queries  # (N, T, d)
        # queries, keys, values = embedded W_q^T, embedded W_k^T, embedded W_v^T
        flat_embedded = inner.embedded.reshape(-1, size)
        flat_dqueries = dqueries.reshape(-1, size)
        flat_dkeys_values = np.concatenate((dkeys, dvalues), axis=-1).reshape(-1, 2 * size)
        dkeys_values = flat_dkeys_values.T @ flat_embedded  # (2d, d)
        dembedded = (flat_dkeys_values @ np.concatenate((self.W_k, self.W_v))).reshape(
            batch, num_steps, size)
        dembedded_seen = dcombined + dqueries @ self.W_q
        if seen is None:
            dembedded += dembedded_seen
        else:
            dembedded[seen] += dembedded_seen[:, 0]
        # embedded = x W_in^T + b_in + positions
        flat_dembedded = dembedded.reshape(-1, size)
        grads = {
            "W_in": flat_dembedded.T @ inner.xs.reshape(-1, self.input_size),
            "b_in": flat_dembedded.sum(axis=0),
            "W_q": flat_dqueries.T @ embedded_seen.reshape(-1, size),
            "W_k": dkeys_values[:size],
            "W_v": dkeys_values[size:],
        }
        grads.update({f"readout.{name}": array for name, array in readout_grads.items()})
        return grads

    def attention_weights(self, xs: np.ndarray, lengths: np.ndarray | None = None) -> np.ndarray:
        """Attention weights ``(N, T, T)``: row ``t`` says where step ``t`` looks."""
        return self.forward(xs, lengths).inner.weights

    def copy(self) -> SelfAttentionModel:
        """An independent copy."""
        duplicate = SelfAttentionModel.__new__(SelfAttentionModel)
        duplicate.objective = self.objective
        duplicate.output_at = self.output_at
        duplicate.causal = self.causal
        for name in ("W_in", "b_in", "W_q", "W_k", "W_v"):
            setattr(duplicate, name, getattr(self, name).copy())
        duplicate.readout = self.readout.copy()
        return duplicate

    def __repr__(self) -> str:
        return (
            f"SelfAttentionModel(input_size={self.input_size}, model_size={self.model_size}, "
            f"output_size={self.readout.output_size}, objective={self.objective!r}, "
            f"output_at={self.output_at!r}, causal={self.causal})"
        )
