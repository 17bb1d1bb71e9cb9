"""Batches of sequences: :class:`SequenceData`, the :class:`Task` protocol, :func:`length_mask`.

A batch is time-major: ``xs`` of shape ``(T, N, input)``, its ``targets`` and (for
variable-length batches) the ``lengths`` of its sequences.  The task generators of
:mod:`lstm.tasks` make them; :func:`lstm.training.train` consumes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

__all__ = ["SequenceData", "Task", "check_lengths", "length_mask"]


def length_mask(lengths: np.ndarray | None, num_steps: int, batch_size: int) -> np.ndarray:
    """Boolean mask of the real (not padded) steps of a batch.

    Parameters
    ----------
    lengths : numpy.ndarray of int, shape (batch,), or None
        Length of each sequence; ``None`` means every sequence has ``num_steps`` steps.
    num_steps : int
        ``T``, the padded length of the batch.
    batch_size : int
        Number of sequences.

    Returns
    -------
    numpy.ndarray of bool, shape (num_steps, batch_size)
        ``mask[t, n]`` is True when step ``t`` is a real step of sequence ``n``.

    Raises
    ------
    ValueError
        If ``lengths`` has the wrong shape or a value outside ``1..num_steps``.
    """
    if lengths is None:
        return np.ones((num_steps, batch_size), dtype=bool)
    lengths = check_lengths(lengths, num_steps, batch_size)
    return np.arange(num_steps)[:, None] < lengths[None, :]


def check_lengths(lengths: Any, num_steps: int, batch_size: int) -> np.ndarray:
    array = np.asarray(lengths)
    if array.shape != (batch_size,) or array.dtype.kind not in "iu":
        raise ValueError(
            f"lengths must be an integer array of shape ({batch_size},); "
            f"got dtype {array.dtype} and shape {array.shape}"
        )
    if array.size and (array.min() < 1 or array.max() > num_steps):
        raise ValueError(
            f"lengths must lie in 1..{num_steps} (the number of steps of xs); "
            f"got values from {array.min()} to {array.max()}"
        )
    return array.astype(np.int64)


@dataclass
class SequenceData:
    """A set of sequences with their targets, time-major.

    Attributes
    ----------
    xs : numpy.ndarray, shape (T, N, input)
        The inputs; ``xs[t, n]`` is the input of sequence ``n`` at step ``t``.
    targets : numpy.ndarray
        One target per sequence -- shape ``(N,)`` of int class labels or ``(N, output)`` of
        values -- or one per step -- ``(T, N)`` labels or ``(T, N, output)`` values.
    lengths : numpy.ndarray of int, shape (N,), or None
        Number of real steps of each sequence (the rest is padding); ``None`` when all have
        ``T`` steps.
    info : dict
        Free-form description of how the data were made (task name, delay, ...).
    """

    xs: np.ndarray
    targets: np.ndarray
    lengths: np.ndarray | None = None
    info: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.xs = np.asarray(self.xs)
        self.targets = np.asarray(self.targets)
        if self.xs.ndim != 3 or self.xs.dtype.kind != "f":
            raise ValueError(
                "xs must be a float array of shape (T, N, input); "
                f"got dtype {self.xs.dtype} and shape {self.xs.shape}"
            )
        num_steps, num_examples = self.xs.shape[:2]
        if self.targets.ndim == 0 or self.targets.shape[0] not in (num_examples, num_steps):
            raise ValueError(
                f"targets must have first dimension N={num_examples} (one per sequence) or "
                f"T={num_steps} (one per step); got shape {self.targets.shape}"
            )
        if self.lengths is not None:
            self.lengths = check_lengths(self.lengths, num_steps, num_examples)

    @property
    def num_examples(self) -> int:
        """Number of sequences ``N``."""
        return int(self.xs.shape[1])

    @property
    def num_steps(self) -> int:
        """Padded length ``T``."""
        return int(self.xs.shape[0])

    @property
    def input_size(self) -> int:
        """Size of one input vector."""
        return int(self.xs.shape[2])

    def __len__(self) -> int:
        return self.num_examples

    def __iter__(self) -> Iterator[Any]:
        """Unpack as ``xs, targets, lengths = data``."""
        return iter((self.xs, self.targets, self.lengths))

    def per_step_targets(self) -> bool:
        """True when the targets hold one value per step (shape ``(T, N, ...)``).

        Decided by ``info["per_step"]`` if present; otherwise by the shape: ``(N,)`` labels are
        per sequence, ``(T, N, O)`` values per step, ``(T, N)`` integer labels per step and
        ``(N, O)`` float values per sequence.  When ``T == N`` and the layout is ambiguous
        (float ``(T, N)``), set ``info["per_step"]``.
        """
        if "per_step" in self.info:
            return bool(self.info["per_step"])
        num_steps, num_examples = self.xs.shape[:2]
        if self.targets.ndim == 1:
            return False
        if self.targets.ndim >= 3:
            return True
        if self.targets.shape != (num_steps, num_examples):
            return False
        if self.targets.shape[0] != num_examples:
            return True
        return self.targets.dtype.kind in "iub"

    def take(self, indices: np.ndarray) -> SequenceData:
        """The sequences at ``indices`` (a new :class:`SequenceData`; the info is shared).

        Parameters
        ----------
        indices : numpy.ndarray of int, shape (n,)
            Which sequences to keep.

        Returns
        -------
        SequenceData
            ``xs`` of shape ``(T, n, input)`` and matching targets and lengths.
        """
        indices = np.asarray(indices)
        if self.per_step_targets():
            targets = self.targets[:, indices]
        else:
            targets = self.targets[indices]
        lengths = None if self.lengths is None else self.lengths[indices]
        return SequenceData(self.xs[:, indices], targets, lengths, dict(self.info))


class Task(Protocol):
    """Anything that can draw a fresh batch of examples from a random generator."""

    def sample(self, num_examples: int, rng: np.random.Generator) -> SequenceData:
        """Return ``num_examples`` new sequences drawn with ``rng``."""
        ...
