"""Claim 4 of "Disadvantages of LSTMs": limited parallelisation (section #sec-limited-parallelisation).

- :func:`parallelisation` -> :class:`ParallelisationResult`, drawn by
  :func:`plot_parallelisation`: the wall time of one forward pass of an LSTM and of a
  self-attention model as the sequence grows, with the longest dependency chains of
  :mod:`lstm.dependencies`.
- The explorer of that section (a slider for the sequence length redrawing both dependency
  graphs), :func:`lstm.explorers.dependency_explorer`, lives with the other explorers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from lstm._checks import check_size
from lstm.attention import SelfAttentionModel
from lstm.cell import LSTMCell
from lstm.dependencies import (
    attention_dependencies,
    longest_dependency_chain,
    recurrent_dependencies,
)
from lstm.experiments.common import (
    ATTENTION_COLOUR,
    LSTM_COLOUR,
    book_styled,
    check_seed,
    check_sizes,
    figure_with_axes,
    minimum_seconds,
)
from lstm.experiments.cost import LSTM_BLOCKS, multiply_adds_per_step
from lstm.training import SequenceModel

__all__ = [
    "ParallelisationResult",
    "parallelisation",
    "plot_parallelisation",
]


@dataclass(frozen=True)
class ParallelisationResult:
    """Result of :func:`parallelisation` (arrays have one entry per sequence length).

    Attributes
    ----------
    sequence_lengths : numpy.ndarray of int, shape (n,)
    model_size : int
        Hidden size of the LSTM and width of the attention layer.
    repeats : int
    lstm_chain, attention_chain : numpy.ndarray of int, shape (n,)
        Longest chain of operations that must wait for each other
        (:func:`longest_dependency_chain`).
    lstm_seconds, attention_seconds : numpy.ndarray of float, shape (n,)
        Wall time of one forward pass over one sequence (fastest of ``repeats``).
    lstm_multiply_adds, attention_multiply_adds : numpy.ndarray of int, shape (n,)
        Total multiply-adds of the matrix products of that forward pass.
    """

    sequence_lengths: np.ndarray
    model_size: int
    repeats: int
    lstm_chain: np.ndarray
    attention_chain: np.ndarray
    lstm_seconds: np.ndarray
    attention_seconds: np.ndarray
    lstm_multiply_adds: np.ndarray
    attention_multiply_adds: np.ndarray

    @property
    def speedup(self) -> np.ndarray:
        """LSTM wall time divided by attention wall time, shape (n,)."""
        return self.lstm_seconds / self.attention_seconds

    def table(self) -> str:
        """The result as a fixed-width text table (one row per sequence length)."""
        lines = [
            f"{'T':>6} {'LSTM chain':>10} {'attn chain':>10} {'LSTM ms':>9} {'attn ms':>9} "
            f"{'LSTM Mmadd':>10} {'attn Mmadd':>10}"
        ]
        for index, length in enumerate(self.sequence_lengths):
            lines.append(
                f"{length:>6d} {self.lstm_chain[index]:>10d} {self.attention_chain[index]:>10d} "
                f"{1e3 * self.lstm_seconds[index]:>9.2f} {1e3 * self.attention_seconds[index]:>9.2f} "
                f"{self.lstm_multiply_adds[index] / 1e6:>10.2f} "
                f"{self.attention_multiply_adds[index] / 1e6:>10.2f}"
            )
        return "\n".join(lines)


def parallelisation(
    sequence_lengths: Sequence[int] = (16, 32, 64, 128, 256, 512, 1024, 2048),
    model_size: int = 32,
    input_size: int = 8,
    repeats: int = 3,
    seed: int = 0,
) -> ParallelisationResult:
    """An LSTM's sequential steps against one self-attention layer, as the sequence grows.

    For each length ``T`` one random sequence is pushed through an LSTM with a read-out
    (:class:`~lstm.training.SequenceModel`, ``hidden_size = model_size``) and through the
    single-head :class:`~lstm.attention.SelfAttentionModel` of width ``model_size``; both
    forward passes are timed (fastest of ``repeats``, one BLAS thread). The dependency chains
    come from :func:`longest_dependency_chain` on :func:`recurrent_dependencies` and
    :func:`attention_dependencies`.

    Parameters
    ----------
    sequence_lengths : sequence of int, default (16, 32, ..., 2048)
        Strictly increasing lengths ``T``.
    model_size : int, default 32
        LSTM hidden size and attention width ``d``.
    input_size : int, default 8
        Features per step.
    repeats : int, default 3
        Timed runs per measurement (after a warm-up run).
    seed : int, default 0
        Seed of the weights and the random inputs.

    Returns
    -------
    ParallelisationResult

    Raises
    ------
    TypeError, ValueError
        If an argument is not of the documented kind or range.
    """
    lengths = check_sizes(sequence_lengths, "sequence_lengths")
    model_size = check_size(model_size, "model_size")
    input_size = check_size(input_size, "input_size")
    repeats = check_size(repeats, "repeats")
    seed = check_seed(seed)
    rng = np.random.default_rng(seed)
    lstm_model = SequenceModel(LSTMCell(input_size, model_size, seed=seed), 2, seed=seed)
    attention_model = SelfAttentionModel(input_size, model_size, 2, seed=seed)

    lstm_seconds, attention_seconds, lstm_chain, attention_chain = [], [], [], []
    lstm_work, attention_work = [], []
    for length in lengths:
        length = int(length)
        xs = rng.normal(size=(length, 1, input_size))
        lstm_seconds.append(minimum_seconds(lambda xs=xs: lstm_model.forward(xs), repeats))
        attention_seconds.append(
            minimum_seconds(lambda xs=xs: attention_model.forward(xs), repeats)
        )
        lstm_chain.append(longest_dependency_chain(recurrent_dependencies(length)))
        attention_chain.append(longest_dependency_chain(attention_dependencies(length)))
        lstm_work.append(length * multiply_adds_per_step(model_size, input_size, LSTM_BLOCKS))
        # embedding (T d I), queries/keys/values (3 T d d), scores (T T d), mixing (T T d)
        attention_work.append(
            length * model_size * input_size
            + 3 * length * model_size * model_size
            + 2 * length * length * model_size
        )
    return ParallelisationResult(
        sequence_lengths=lengths,
        model_size=model_size,
        repeats=repeats,
        lstm_chain=np.array(lstm_chain, dtype=np.int64),
        attention_chain=np.array(attention_chain, dtype=np.int64),
        lstm_seconds=np.array(lstm_seconds),
        attention_seconds=np.array(attention_seconds),
        lstm_multiply_adds=np.array(lstm_work, dtype=np.int64),
        attention_multiply_adds=np.array(attention_work, dtype=np.int64),
    )


@book_styled
def plot_parallelisation(result: ParallelisationResult, size: str = "laptop") -> Figure:
    """Three panels against sequence length: dependency chain, total work, measured wall time.

    Parameters
    ----------
    result : ParallelisationResult
        From :func:`parallelisation`.
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
        If ``result`` is not a :class:`ParallelisationResult`.
    """
    if not isinstance(result, ParallelisationResult):
        raise TypeError(f"result must be a ParallelisationResult; got {type(result).__name__}")
    figure, (chain_axes, work_axes, time_axes) = figure_with_axes(3, size, width=13.0)
    lengths = result.sequence_lengths
    chain_axes.loglog(lengths, result.lstm_chain, "o-", color=LSTM_COLOUR, label="LSTM")
    chain_axes.loglog(lengths, result.attention_chain, "^-", color=ATTENTION_COLOUR,
                      label="self-attention")
    chain_axes.set_xlabel("sequence length T")
    chain_axes.set_ylabel("steps that must run one after another")
    chain_axes.set_title("Dependency chain")
    chain_axes.legend(loc="upper left")

    work_axes.loglog(lengths, result.lstm_multiply_adds, "o-", color=LSTM_COLOUR, label="LSTM")
    work_axes.loglog(lengths, result.attention_multiply_adds, "^-", color=ATTENTION_COLOUR,
                     label="self-attention")
    work_axes.set_xlabel("sequence length T")
    work_axes.set_ylabel("multiply-adds in total")
    work_axes.set_title("Total work")
    work_axes.legend(loc="upper left")

    milli = 1e3
    time_axes.loglog(lengths, milli * result.lstm_seconds, "o-", color=LSTM_COLOUR, label="LSTM")
    time_axes.loglog(lengths, milli * result.attention_seconds, "^-", color=ATTENTION_COLOUR,
                     label="self-attention")
    time_axes.set_xlabel("sequence length T")
    time_axes.set_ylabel("forward pass, one sequence (ms)")
    time_axes.set_title("Wall time (one core)")
    time_axes.legend(loc="upper left")
    return figure
