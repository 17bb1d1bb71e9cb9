"""What the cells' traces and ``run`` loops share: time-major sequences and padded rows.

:class:`TimeMajorTrace` gives every trace (:class:`lstm.cell.LSTMTrace`,
:class:`lstm.rnn.RNNTrace`, :class:`lstm.gru.GRUTrace`,
:class:`lstm.variants.LSTMVariantTrace`) its ``batched`` and ``steps``;
:func:`real_steps` is the mask of the steps that are not padding, which each ``run``
keeps in its trace; :func:`summed_over_steps_and_rows` the sums that turn the backward
loops' per-step gradients into parameter gradients; :func:`spread_over_rows` a bias copied to
every row, so that adding it to all steps is one long contiguous addition.
"""

from __future__ import annotations

import numpy as np

__all__ = ["TimeMajorTrace", "real_steps", "spread_over_rows", "summed_over_steps_and_rows"]


class TimeMajorTrace:
    """Properties of a trace whose arrays are stacked over time, ``x`` of shape ``(T, [batch,] input)``.

    A mixin for the traces' dataclasses (it adds no fields).
    """

    x: np.ndarray

    @property
    def batched(self) -> bool:
        """True when the sequence has a batch axis, ``(T, batch, ...)``."""
        return self.x.ndim == 3

    @property
    def steps(self) -> int:
        """Number of time steps ``T``."""
        return self.x.shape[0]


def real_steps(lengths: np.ndarray | None, steps: int) -> np.ndarray | None:
    """``(T, *rows)`` booleans, True where step ``t`` is one of a row's ``lengths`` real steps.

    Parameters
    ----------
    lengths : numpy.ndarray of int, shape (batch,) or (K, batch), or None
        Checked lengths (1 to ``steps``), or None when every row has all ``steps`` steps;
        ``(K, batch)`` for K models trained together (:mod:`lstm.stacked`).
    steps : int
        ``T``.

    Returns
    -------
    numpy.ndarray of bool, shape (T, batch) or (T, K, batch), or None
        None without lengths (no step is padding).
    """
    if lengths is None:
        return None
    return np.arange(steps).reshape(-1, *[1] * lengths.ndim) < lengths[None]


def summed_over_steps_and_rows(
    dz: np.ndarray, hx: np.ndarray, *, model_axis: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """``Σ dz_tᵀ hx_t`` and ``Σ dz_t`` over every step and row: a cell's weight and bias gradients.

    Parameters
    ----------
    dz : numpy.ndarray, shape (T, batch, n) or (T, K, batch, n)
        Pre-activation gradients of every step.
    hx : numpy.ndarray, shape (T, batch, m) or (T, K, batch, m)
        What the weights multiplied, :math:`[h_{t-1}, x_t]`.
    model_axis : bool, default False
        True when axis 1 holds K independent models (:mod:`lstm.stacked`): each model's sums
        run over its own steps and rows only.

    Returns
    -------
    dW : numpy.ndarray, shape (n, m) or (K, n, m)
    db : numpy.ndarray, shape (n,) or (K, n)
    """
    if not model_axis:
        flat_dz = dz.reshape(-1, dz.shape[-1])
        return flat_dz.T @ hx.reshape(-1, hx.shape[-1]), flat_dz.sum(axis=0)
    return np.matmul(dz.swapaxes(-1, -2), hx).sum(axis=0), dz.sum(axis=(0, 2))


def spread_over_rows(biases: np.ndarray, rows: tuple[int, ...]) -> np.ndarray:
    """``biases`` copied to every row, contiguous: ``(*rows, size)``.

    Parameters
    ----------
    biases : numpy.ndarray, shape (size,) or (K, size)
        One bias, or one per model (then ``rows`` is ``(K, batch)``).
    rows : tuple of int
        ``(batch,)`` or ``(K, batch)``.

    Returns
    -------
    numpy.ndarray, shape (*rows, size)
        Added to a ``(T, *rows, size)`` array it gives the same numbers as adding ``biases``
        by broadcasting, faster: NumPy's innermost loop then runs over ``batch * size``
        numbers instead of ``size``.
    """
    spread = biases if biases.ndim == 1 else biases[..., None, :]
    return np.ascontiguousarray(np.broadcast_to(spread, (*rows, biases.shape[-1])))
