"""Claim 2 of "Advantages of LSTMs", subsection "The adding problem" (#sec-adv-long-term).

:func:`adding_problem_comparison` -> :class:`AddingResult`, drawn by
:func:`plot_adding_problem`: the test error of a plain RNN and an LSTM trained with the same
budget on Hochreiter and Schmidhuber's adding problem at each sequence length, against always
answering 1.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm.experiments.common import (
    BASELINE_COLOUR,
    LSTM_COLOUR,
    RNN_COLOUR,
    check_increasing,
    new_lstm_cell,
    scaled_figure,
)
from lstm.rnn import RNNCell
from lstm.style import book_style
from lstm.tasks import (
    AddingProblem,
    adding_problem,
)
from lstm.training import SequenceModel, TrainingHistory, one_blas_thread, train

__all__ = [
    "AddingResult",
    "adding_problem_comparison",
    "plot_adding_problem",
]


@dataclass(frozen=True)
class AddingResult:
    """The adding problem, RNN vs LSTM, same budget.

    Attributes
    ----------
    lengths : numpy.ndarray of int
        Sequence lengths tried.
    rnn_mse, lstm_mse : numpy.ndarray
        Test mean squared error at each length.
    baseline_mse : float
        Always answering 1: 1/6.
    rnn_histories, lstm_histories : list of TrainingHistory
    seconds : float
    """

    lengths: np.ndarray
    rnn_mse: np.ndarray
    lstm_mse: np.ndarray
    baseline_mse: float
    rnn_histories: list[TrainingHistory]
    lstm_histories: list[TrainingHistory]
    seconds: float

    def summary(self) -> str:
        """Table of test errors."""
        lines = ["length  RNN MSE  LSTM MSE   (always answering 1: 0.167)"]
        for length, rnn, lstm in zip(self.lengths, self.rnn_mse, self.lstm_mse, strict=True):
            lines.append(f"{length:6d}  {rnn:7.4f}  {lstm:8.4f}")
        return "\n".join(lines)


@one_blas_thread()
def adding_problem_comparison(
    lengths: Sequence[int] = (10, 30),
    hidden_size: int = 8,
    steps: int = 1000,
    batch_size: int = 64,
    lr: float = 0.01,
    forget_bias: float = 2.0,
    seed: int = 0,
    progress: bool = True,
) -> AddingResult:
    """Train an RNN and an LSTM on the adding problem at each length; test error.

    Parameters
    ----------
    lengths : sequence of int
        Increasing sequence lengths.
    hidden_size, steps, batch_size : int
    lr, forget_bias : float
    seed : int
    progress : bool

    Returns
    -------
    AddingResult

    Raises
    ------
    ValueError
        If an argument is out of range.
    """
    start = time.perf_counter()
    lengths = tuple(int(v) for v in check_increasing("lengths", lengths, minimum=2))
    rnn_mse, lstm_mse = [], []
    rnn_histories, lstm_histories = [], []
    for length in lengths:
        task = AddingProblem(length)
        test = adding_problem(500, length, seed=seed + 1000)
        rnn_model = SequenceModel(RNNCell(2, hidden_size, seed=seed), 1, objective="regression", seed=seed)
        lstm_model = SequenceModel(
            new_lstm_cell(2, hidden_size, seed, forget_bias), 1, objective="regression", seed=seed
        )
        for name, model, histories in (
            ("RNN", rnn_model, rnn_histories),
            ("LSTM", lstm_model, lstm_histories),
        ):
            histories.append(
                train(
                    model,
                    task,
                    steps=steps,
                    lr=lr,
                    batch_size=batch_size,
                    seed=seed,
                    progress=progress,
                    description=f"{name}, adding T={length}",
                )
            )
        rnn_mse.append(rnn_model.evaluate(test))
        lstm_mse.append(lstm_model.evaluate(test))
    return AddingResult(
        lengths=np.array(lengths),
        rnn_mse=np.array(rnn_mse),
        lstm_mse=np.array(lstm_mse),
        baseline_mse=1.0 / 6.0,
        rnn_histories=rnn_histories,
        lstm_histories=lstm_histories,
        seconds=time.perf_counter() - start,
    )


def _smooth(values: np.ndarray, width: int = 20) -> np.ndarray:
    width = max(1, min(width, values.size))
    kernel = np.ones(width) / width
    return np.convolve(values, kernel, mode="valid")


def plot_adding_problem(result: AddingResult, size: str = "laptop") -> Any:
    """Training curves (moving average of the loss) for each length, RNN vs LSTM.

    Returns
    -------
    lstm.plots.BookFigure
    """
    count = len(result.lengths)
    figure = scaled_figure(size, 5.5 * count, 4.4)
    with book_style(size):
        first = None
        for index, length in enumerate(result.lengths):
            axes = figure.add_subplot(1, count, index + 1, sharey=first)
            first = first or axes
            for histories, colour, name in (
                (result.rnn_histories, RNN_COLOUR, "plain RNN"),
                (result.lstm_histories, LSTM_COLOUR, "LSTM"),
            ):
                losses = _smooth(histories[index].losses)
                axes.semilogy(np.arange(losses.size) + 1, losses, color=colour, label=name)
            axes.axhline(result.baseline_mse, color=BASELINE_COLOUR, linestyle=":", label="always 1")
            axes.set_xlabel("training step")
            axes.set_ylabel("training loss (MSE, moving average)" if index == 0 else "")
            axes.set_title(f"Adding problem, T = {length}")
            if index == 0:
                axes.legend(loc="lower left")
        figure.tight_layout()
    return figure
