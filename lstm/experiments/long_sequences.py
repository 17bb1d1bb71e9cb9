"""Claim 3 of "Disadvantages of LSTMs": very long sequences (section #sec-very-long-sequences).

:func:`long_sequences` -> :class:`LongSequenceResult`, drawn by :func:`plot_long_sequences`: an
LSTM trained on short latest-recall sequences, tested on ever longer ones, with the forward
time per sequence.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from lstm._checks import check_number, check_size
from lstm.experiments.common import (
    LSTM_COLOUR,
    book_styled,
    check_learning_rate,
    check_seeds,
    check_sizes,
    figure_with_axes,
)
from lstm.experiments.latest_recall import LatestRecall
from lstm.experiments.sweeps import train_over_grid
from lstm.style import OKABE_ITO
from lstm.training import SequenceModel

__all__ = [
    "LongSequenceResult",
    "long_sequences",
    "plot_long_sequences",
]


@dataclass(frozen=True)
class LongSequenceResult:
    """Result of :func:`long_sequences`.

    Attributes
    ----------
    train_length : int
        Length of the training sequences.
    test_lengths : numpy.ndarray of int, shape (n,)
    seeds : tuple of int
    accuracies : numpy.ndarray, shape (seeds, n)
        Test accuracy of each trained model at each test length.
    seconds_per_sequence : numpy.ndarray, shape (n,)
        Time per sequence of the forward pass that scores each length (one BLAS thread): the
        fastest over the seeds' models, which all do the same work.
    chance : float
    seconds : float
        Wall time of the whole experiment.
    """

    train_length: int
    test_lengths: np.ndarray
    seeds: tuple[int, ...]
    accuracies: np.ndarray
    seconds_per_sequence: np.ndarray
    chance: float
    seconds: float

    @property
    def mean_accuracies(self) -> np.ndarray:
        """Mean over the seeds, shape (n,)."""
        return self.accuracies.mean(axis=0)

    @property
    def median_accuracies(self) -> np.ndarray:
        """Median over the seeds, shape (n,)."""
        return np.median(self.accuracies, axis=0)

    def accuracy_at(self, length: int) -> np.ndarray:
        """Accuracy of each seed's model at one test length, shape (seeds,).

        Raises
        ------
        ValueError
            If ``length`` is not one of :attr:`test_lengths`.
        """
        if length not in self.test_lengths:
            raise ValueError(f"length must be one of {self.test_lengths.tolist()}; got {length!r}")
        return self.accuracies[:, int(np.flatnonzero(self.test_lengths == length)[0])]

    def table(self) -> str:
        """A text table: median, lowest and highest accuracy over the seeds, and time per sequence."""
        lines = [f"seeds {list(self.seeds)}",
                 f"{'T':>6} {'median acc':>10} {'lowest':>7} {'highest':>8} {'ms/sequence':>12}"]
        for index, length in enumerate(self.test_lengths):
            column = self.accuracies[:, index]
            lines.append(f"{length:>6d} {np.median(column):>10.3f} {column.min():>7.3f} "
                         f"{column.max():>8.3f} {1e3 * self.seconds_per_sequence[index]:>12.3f}")
        return "\n".join(lines)


def long_sequences(
    test_lengths: Sequence[int] = (20, 50, 100, 200, 500, 1000),
    train_length: int = 20,
    seeds: Sequence[int] = tuple(range(10)),
    noise: float = 0.5,
    hidden_size: int = 8,
    steps: int = 100,
    lr: float = 0.03,
    batch_size: int = 64,
    test_size: int = 100,
    perturbation: float = 0.0,
    progress: bool = True,
) -> LongSequenceResult:
    """Train on short sequences, then test on sequences far longer than any seen in training.

    An LSTM is trained on :class:`LatestRecall` sequences of ``train_length`` steps, then
    scored on fresh sequences of each length in ``test_lengths`` (same task, so the symbol to
    name may lie much further back). The forward time per sequence at each length is measured
    too.

    Parameters
    ----------
    test_lengths : sequence of int, default (20, 50, 100, 200, 500, 1000)
        Strictly increasing test lengths.
    train_length : int, default 20
    seeds : sequence of int, default 0-9
        One trained model per seed (its weights, read-out and batches), all trained together
        (:func:`lstm.stacked.train_many`). On seeds 0-19, with the defaults, the accuracy
        at the training length is 0.93-1.0 and at 1000 steps 0.24-0.65, at least 0.33 lower on
        every seed (the same with the 1e-12 perturbation on seeds 0-9).
    noise : float, default 0.5
    hidden_size : int, default 8
    steps : int, default 100
    lr : float, default 0.03
    batch_size : int, default 64
    test_size : int, default 100
        Test sequences per length (scoring 1000 steps costs more than training on 20).
    perturbation : float, default 0
        Relative perturbation of every initial weight (:func:`lstm.stacked.perturb_parameters`).
    progress : bool, default True

    Returns
    -------
    LongSequenceResult

    Raises
    ------
    TypeError, ValueError
        If an argument is not of the documented kind or range.
    """
    lengths = check_sizes(test_lengths, "test_lengths")
    seeds = check_seeds(seeds)
    train_task = LatestRecall(train_length, noise=noise)
    hidden_size = check_size(hidden_size, "hidden_size")
    test_size = check_size(test_size, "test_size")
    perturbation = check_number(perturbation, "perturbation", minimum=0.0)
    tests = [
        LatestRecall(int(length), noise=noise).sample(test_size, np.random.default_rng(20_000 + int(length)))
        for length in lengths
    ]

    def score(model: SequenceModel, _history: object) -> list[float]:
        """Accuracy at each test length, then the wall time of each of those forward passes."""
        accuracies, seconds = [], []
        for test in tests:
            begin = time.perf_counter()
            accuracies.append(model.accuracy(test))
            seconds.append(time.perf_counter() - begin)
        return accuracies + seconds

    start = time.perf_counter()
    settings = [{"hidden_size": hidden_size, "steps": check_size(steps, "steps"),
                 "lr": check_learning_rate(lr, "lr"),
                 "batch_size": check_size(batch_size, "batch_size")}]
    scores = train_over_grid(train_task, settings, seeds, score, progress, "long sequences",
                             perturbation)[0]
    accuracies = scores[:, :lengths.size]
    # every seed's model does the same work at each length: keep the least disturbed time
    seconds_per_sequence = scores[:, lengths.size:].min(axis=0) / test_size
    return LongSequenceResult(
        train_length=train_task.length,
        test_lengths=lengths,
        seeds=seeds,
        accuracies=accuracies,
        seconds_per_sequence=seconds_per_sequence,
        chance=train_task.chance,
        seconds=time.perf_counter() - start,
    )


@book_styled
def plot_long_sequences(result: LongSequenceResult, size: str = "laptop") -> Figure:
    """Two panels against test length: accuracy (each seed and mean) and time per sequence.

    Parameters
    ----------
    result : LongSequenceResult
        From :func:`long_sequences`.
    size : {"laptop", "projector"}, default "laptop"
        Figure and font size (bigger for a classroom projector).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    TypeError
        If ``result`` is not a :class:`LongSequenceResult`.
    """
    if not isinstance(result, LongSequenceResult):
        raise TypeError(f"result must be a LongSequenceResult; got {type(result).__name__}")
    figure, (accuracy_axes, time_axes) = figure_with_axes(2, size)
    lengths = result.test_lengths
    for row in range(len(result.seeds)):
        accuracy_axes.semilogx(lengths, result.accuracies[row], "-", color=LSTM_COLOUR,
                               alpha=0.35, linewidth=1.2,
                               label="one seed" if row == 0 else None)
    accuracy_axes.semilogx(lengths, result.median_accuracies, "o-", color=LSTM_COLOUR,
                           label="median over seeds")
    accuracy_axes.axhline(result.chance, color=OKABE_ITO["black"], linestyle=":",
                          label="guessing")
    accuracy_axes.axvline(result.train_length, color=OKABE_ITO["reddish_purple"],
                          linestyle="--", label="training length")
    accuracy_axes.set_ylim(0.0, 1.05)
    accuracy_axes.set_xlabel("test sequence length T")
    accuracy_axes.set_ylabel("test accuracy")
    accuracy_axes.set_title("Accuracy beyond the training length")
    accuracy_axes.legend(loc="upper right", fontsize="small")

    time_axes.loglog(lengths, 1e3 * result.seconds_per_sequence, "o-", color=LSTM_COLOUR)
    time_axes.set_xlabel("sequence length T")
    time_axes.set_ylabel("forward time per sequence (ms)")
    time_axes.set_title("Time grows with T")
    return figure
