"""The latest-recall task ("name the symbol stored most recently") of chapter 9's experiments.

:class:`LatestRecall` is the task of the ablation (#sec-complex-architecture), the long-sequence
test (#sec-very-long-sequences) and the hyperparameter sweep (#sec-hyperparameter-tuning): the
memory must be held *and replaced*, which no task of :mod:`lstm.tasks` asks for.
:func:`new_lstm` builds the LSTM with a softmax read-out those three experiments train on it
(all seeds of a setting together, :func:`lstm.experiments.sweeps.train_over_grid`), and
:func:`train_lstm` trains one such model alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm._checks import check_size
from lstm.cell import LSTMCell
from lstm.training import SequenceData, SequenceModel, one_blas_thread, train

__all__ = [
    "LatestRecall",
    "new_lstm",
    "train_lstm",
]


@dataclass(frozen=True)
class LatestRecall:
    """Name the symbol stored *most recently*: the memory must be held, and also replaced.

    Each sequence of ``length`` steps holds between 1 and ``max_stores`` *store* events at
    random steps (never the last); at a store event the input shows a symbol (one-hot) and
    the store marker. Every other step before the last carries Gaussian distractor noise of
    standard deviation ``noise`` on the symbol channels. At the last step the recall cue is 1
    and the target is the symbol of the latest store event. Unlike a single delayed recall,
    an earlier symbol must be thrown away when a new one arrives, which is what the forget
    gate was introduced for (Gers, Schmidhuber & Cummins, 2000). :mod:`lstm.tasks` has no such
    task, so it lives here; it has the same ``sample(n, rng)`` interface as those tasks.

    Input channels (``input_size = num_symbols + 2``): ``0 .. num_symbols-1`` symbol or noise,
    ``num_symbols`` store marker, ``num_symbols + 1`` recall cue.

    Parameters
    ----------
    length : int
        Steps per sequence (at least ``max_stores + 1``).
    num_symbols : int, default 4
        Number of symbols (chance accuracy ``1 / num_symbols``).
    max_stores : int, default 3
        Largest number of store events in one sequence.
    noise : float, default 0.5
        Standard deviation of the distractor noise.

    Raises
    ------
    TypeError, ValueError
        If an argument is not of the documented kind or range.
    """

    length: int
    num_symbols: int = 4
    max_stores: int = 3
    noise: float = 0.5

    def __post_init__(self) -> None:
        check_size(self.length, "length")
        check_size(self.num_symbols, "num_symbols")
        check_size(self.max_stores, "max_stores")
        if self.num_symbols < 2:
            raise ValueError(f"num_symbols must be at least 2; got {self.num_symbols}")
        if self.length < self.max_stores + 1:
            raise ValueError(
                f"length must be at least max_stores + 1 = {self.max_stores + 1}; got {self.length}"
            )
        if isinstance(self.noise, bool) or not isinstance(self.noise, int | float):
            raise TypeError(f"noise must be a non-negative number; got {self.noise!r}")
        if not np.isfinite(self.noise) or self.noise < 0:
            raise ValueError(f"noise must be a non-negative finite number; got {self.noise}")

    @property
    def input_size(self) -> int:
        """Number of input channels, ``num_symbols + 2``."""
        return self.num_symbols + 2

    @property
    def chance(self) -> float:
        """Accuracy of guessing, ``1 / num_symbols``."""
        return 1.0 / self.num_symbols

    def sample(self, num_examples: int, rng: np.random.Generator) -> SequenceData:
        """Draw ``num_examples`` sequences with ``rng``.

        Parameters
        ----------
        num_examples : int
            Number of sequences ``N``.
        rng : numpy.random.Generator

        Returns
        -------
        lstm.training.SequenceData
            ``xs`` of shape ``(length, N, num_symbols + 2)``, ``targets`` of shape ``(N,)``.
        """
        count = check_size(num_examples, "num_examples")
        steps, symbols_count = self.length, self.num_symbols
        xs = np.zeros((steps, count, symbols_count + 2))
        if self.noise > 0:
            xs[: steps - 1, :, :symbols_count] = rng.normal(
                0.0, self.noise, size=(steps - 1, count, symbols_count)
            )
        stores = rng.integers(1, self.max_stores + 1, size=count)
        # a random order of the steps 0..T-2 for every sequence; its first `stores` are stores
        order = np.argsort(rng.random((steps - 1, count)), axis=0)
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.arange(steps - 1)[:, None], axis=0)
        is_store = rank < stores[None, :]
        symbols = rng.integers(0, symbols_count, size=(steps - 1, count))
        store_t, store_n = np.nonzero(is_store)
        xs[store_t, store_n, :symbols_count] = 0.0
        xs[store_t, store_n, symbols[store_t, store_n]] = 1.0
        xs[store_t, store_n, symbols_count] = 1.0
        latest = (steps - 2) - np.argmax(is_store[::-1], axis=0)
        targets = symbols[latest, np.arange(count)]
        xs[steps - 1, :, symbols_count + 1] = 1.0
        info = {"task": "latest_recall", "length": steps, "max_stores": self.max_stores,
                "noise": self.noise, "num_symbols": symbols_count}
        return SequenceData(xs, targets.astype(np.int64), None, info)


def new_lstm(
    task: LatestRecall,
    *,
    hidden_size: int,
    seed: int,
    forget_bias: float | None = 1.0,
    ablate: Sequence[str] = (),
) -> SequenceModel:
    """A new LSTM with a softmax read-out for ``task``; ``seed`` sets the cell's and read-out's weights."""
    cell = LSTMCell(task.input_size, hidden_size, seed=seed, forget_bias=forget_bias,
                    ablate=tuple(ablate))
    return SequenceModel(cell, task.num_symbols, seed=seed)


@one_blas_thread()
def train_lstm(
    task: LatestRecall,
    *,
    hidden_size: int,
    seed: int,
    steps: int,
    lr: float,
    batch_size: int,
    forget_bias: float | None = 1.0,
    ablate: Sequence[str] = (),
) -> tuple[SequenceModel, Any]:
    """Train one LSTM with a softmax read-out on ``task`` (batches from ``seed``); return (model, history)."""
    model = new_lstm(task, hidden_size=hidden_size, seed=seed, forget_bias=forget_bias, ablate=ablate)
    history = train(model, task, steps=steps, lr=lr, batch_size=batch_size, seed=seed,
                    progress=False)
    return model, history
