"""What the cells' traces and ``run`` loops share: time-major sequences and padded rows.

:class:`TimeMajorTrace` gives every trace (:class:`lstm.cell.LSTMTrace`,
:class:`lstm.rnn.RNNTrace`, :class:`lstm.gru.GRUTrace`,
:class:`lstm.variants.LSTMVariantTrace`) its ``batched`` and ``steps``;
:func:`real_steps` is the mask of the steps that are not padding, which each ``run``
keeps in its trace.
"""

from __future__ import annotations

import numpy as np

__all__ = ["TimeMajorTrace", "real_steps"]


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
    """``(T, batch)`` booleans, True where step ``t`` is one of row ``b``'s ``lengths[b]`` real steps.

    Parameters
    ----------
    lengths : numpy.ndarray of int, shape (batch,), or None
        Checked lengths (1 to ``steps``), or None when every row has all ``steps`` steps.
    steps : int
        ``T``.

    Returns
    -------
    numpy.ndarray of bool, shape (T, batch), or None
        None without lengths (no step is padding).
    """
    if lengths is None:
        return None
    return np.arange(steps)[:, None] < lengths[None, :]
