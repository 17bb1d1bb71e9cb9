"""Claim 2 of "Advantages of LSTMs", subsection "The adding problem" (#sec-adv-long-term).

:func:`adding_problem_comparison` -> :class:`AddingResult`, drawn by
:func:`plot_adding_problem`: a plain RNN and an LSTM, trained with the same budget on every
seed, on Hochreiter and Schmidhuber's adding problem at each sequence length.  The test error
is measured every few training steps, so the result also shows how the comparison depends on
the budget: the error after 25, 50, ... steps, for each seed.  The yardstick is always
answering 1, the mean of the target.

The LSTM starts with the biases of :data:`lstm.milestones.ADDING_1997_RECIPE`: forget bias 3
and input-gate bias -3 (the "chrono" initialisation).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm._arguments import check_positive_int
from lstm.cell import LSTMCell
from lstm.experiments.common import (
    BASELINE_COLOUR,
    LSTM_COLOUR,
    RNN_COLOUR,
    check_increasing,
    check_learning_rate,
    check_seeds,
    scaled_figure,
)
from lstm.milestones import ADDING_1997_RECIPE
from lstm.rnn import RNNCell
from lstm.stacked import train_many
from lstm.style import book_style, integer_ticks
from lstm.tasks import AddingProblem, adding_problem
from lstm.training import SequenceModel, one_blas_thread

__all__ = [
    "ADDING_BUDGET",
    "AddingResult",
    "adding_problem_comparison",
    "plot_adding_problem",
]

ADDING_BUDGET = {"hidden_size": 8, "steps": 300, "batch_size": 32, "lr": 0.03}
"""The budget both models get in the chapter: 8 units, 300 Adam steps of 32 fresh sequences at
learning rate 0.03 (gradients clipped at a global norm of 1)."""

ADDING_TEST_SIZE = 500  # fresh test sequences per length, the same for every seed
MODELS = ("RNN", "LSTM")


@dataclass(frozen=True)
class AddingResult:
    """The adding problem, plain RNN against LSTM, same budget, one run per seed.

    Attributes
    ----------
    lengths : numpy.ndarray of int, shape (L,)
        Sequence lengths tried.
    seeds : tuple of int, length S
        One seed per run (cell, read-out and training batches).
    eval_steps : numpy.ndarray of int, shape (E,)
        Training steps after which the test error was measured (0: before training).
    rnn_errors, lstm_errors : numpy.ndarray, shape (L, S, E)
        Test mean squared error of each model for each length, seed and evaluation.
    baseline_mse : numpy.ndarray, shape (L,)
        Test error of always answering 1 (the mean target), about 1/6.
    forget_bias : float
        Initial forget-gate bias of the LSTM.
    input_bias : float or None
        Initial input-gate bias of the LSTM (None: the cell's random initial ``b_i``).
    perturbation : float
        Relative size of the change made to the initial weights (0: none).
    cpu_seconds : float
        CPU time of the whole comparison.
    """

    lengths: np.ndarray
    seeds: tuple[int, ...]
    eval_steps: np.ndarray
    rnn_errors: np.ndarray
    lstm_errors: np.ndarray
    baseline_mse: np.ndarray
    forget_bias: float
    input_bias: float | None
    perturbation: float
    cpu_seconds: float

    @property
    def rnn_mse(self) -> np.ndarray:
        """Test error of the RNN at the end of training, shape (L, S)."""
        return self.rnn_errors[:, :, -1]

    @property
    def lstm_mse(self) -> np.ndarray:
        """Test error of the LSTM at the end of training, shape (L, S)."""
        return self.lstm_errors[:, :, -1]

    def errors(self, model: str) -> np.ndarray:
        """``rnn_errors`` or ``lstm_errors`` by name ("RNN" or "LSTM"), shape (L, S, E)."""
        if model not in MODELS:
            raise ValueError(f"model must be one of {MODELS}; got {model!r}")
        return self.rnn_errors if model == "RNN" else self.lstm_errors

    def relative_errors(self, model: str) -> np.ndarray:
        """Test error divided by the baseline's, shape (L, S, E): 1 means "no better than answering 1"."""
        return self.errors(model) / self.baseline_mse[:, None, None]

    def count_below(self, model: str, fraction: float, at_step: int | None = None) -> np.ndarray:
        """For each length, on how many seeds the error is below ``fraction`` of the baseline, shape (L,).

        ``at_step`` is one of ``eval_steps`` (default: the end of training).
        """
        column = self._column(at_step)
        return np.sum(self.relative_errors(model)[:, :, column] < fraction, axis=1)

    def steps_to_leave_plateau(self, model: str, fraction: float = 0.5) -> np.ndarray:
        """First evaluation step at which the error is below ``fraction`` of the baseline, shape (L, S).

        ``inf`` where that did not happen within the budget.
        """
        below = self.relative_errors(model) < fraction
        first = np.where(below.any(axis=2), self.eval_steps[below.argmax(axis=2)], np.inf)
        return first.astype(float)

    def _column(self, at_step: int | None) -> int:
        if at_step is None:
            return self.eval_steps.size - 1
        matches = np.flatnonzero(self.eval_steps == at_step)
        if matches.size == 0:
            raise ValueError(f"at_step must be one of the evaluation steps {self.eval_steps.tolist()}; "
                             f"got {at_step!r}")
        return int(matches[0])

    def summary(self) -> str:
        """Median and range over the seeds of each model's final test error, relative to the baseline."""
        lines = [f"test error after {self.eval_steps[-1]} steps / error of always answering 1, "
                 f"median (min-max) over {len(self.seeds)} seeds"]
        for index, length in enumerate(self.lengths):
            parts = [f"T = {length:3d} (answering 1: {self.baseline_mse[index]:.3f})"]
            for model in MODELS:
                final = self.relative_errors(model)[index, :, -1]
                parts.append(f"{model} {np.median(final):.3f} ({final.min():.3f}-{final.max():.3f})")
            lines.append("   ".join(parts))
        return "\n".join(lines)


def _new_model(model: str, hidden_size: int, seed: int, forget_bias: float,
               input_bias: float | None) -> SequenceModel:
    """A fresh regression model with two inputs: the plain RNN, or the LSTM with the given biases."""
    if model == "RNN":
        cell: RNNCell | LSTMCell = RNNCell(2, hidden_size, seed=seed)
    else:
        cell = LSTMCell(2, hidden_size, seed=seed, forget_bias=forget_bias)
        if input_bias is not None:
            cell.b_i[:] = input_bias  # b_i is a view of the cell's stacked biases
    return SequenceModel(cell, 1, objective="regression", seed=seed)


@one_blas_thread()
def adding_problem_comparison(
    lengths: Sequence[int] = (10, 30),
    seeds: Sequence[int] = tuple(range(10)),
    hidden_size: int = ADDING_BUDGET["hidden_size"],
    steps: int = ADDING_BUDGET["steps"],
    batch_size: int = ADDING_BUDGET["batch_size"],
    lr: float = ADDING_BUDGET["lr"],
    forget_bias: float = ADDING_1997_RECIPE.forget_bias,
    input_bias: float | None = ADDING_1997_RECIPE.input_bias,
    eval_every: int = 50,
    perturbation: float = 0.0,
    progress: bool = True,
) -> AddingResult:
    """Train an RNN and an LSTM on the adding problem at each length, on every seed; test errors.

    For each length, all seeds of one model are trained in one :func:`lstm.stacked.train_many`
    call; run ``k`` uses ``seeds[k]`` for its cell, its read-out and its training batches.
    Every ``eval_every`` steps each model is scored on the same :data:`ADDING_TEST_SIZE` fresh
    test sequences of that length (drawn with seed 1000).

    Parameters
    ----------
    lengths : sequence of int, default (10, 30)
        Increasing sequence lengths (at least 2).
    seeds : sequence of int, default 0-9
        Distinct non-negative seeds, one run per seed and model.
    hidden_size, steps, batch_size : int
        The budget both models get (see :data:`ADDING_BUDGET`).
    lr : float
        Adam's learning rate.
    forget_bias : float, default 3
        Initial forget-gate bias of the LSTM.
    input_bias : float or None, default -3
        Initial input-gate bias of the LSTM; None keeps the cell's random initial ``b_i``.
    eval_every : int, default 50
        Training steps between two measurements of the test error.
    perturbation : float, default 0
        Multiply each model's initial weights by ``1 + perturbation * u``, u uniform in [-1, 1]
        (see :func:`lstm.stacked.perturb_parameters`); the tests use 1e-12.
    progress : bool
        Show progress bars.

    Returns
    -------
    AddingResult

    Raises
    ------
    ValueError
        If an argument is out of range.
    TypeError
        If ``seeds`` is not a sequence of integers.
    """
    start = time.process_time()
    lengths = tuple(int(v) for v in check_increasing("lengths", lengths, minimum=2))
    seeds = check_seeds(seeds)
    hidden_size = check_positive_int("hidden_size", hidden_size)
    steps = check_positive_int("steps", steps)
    batch_size = check_positive_int("batch_size", batch_size)
    eval_every = check_positive_int("eval_every", eval_every)
    if steps % eval_every:
        raise ValueError(f"eval_every must divide steps={steps}; got {eval_every}")
    lr = check_learning_rate(lr, "lr")
    forget_bias = float(forget_bias)
    errors: dict[str, list[np.ndarray]] = {model: [] for model in MODELS}
    baselines = []
    for length in lengths:
        test = adding_problem(ADDING_TEST_SIZE, length, seed=1000)
        baselines.append(float(np.mean((test.targets - 1.0) ** 2)))
        for model in MODELS:
            models = [_new_model(model, hidden_size, seed, forget_bias, input_bias) for seed in seeds]
            initial = [run.evaluate(test) for run in models]  # before training (and any perturbation)
            histories = train_many(
                models, AddingProblem(length), seeds=seeds, steps=steps, lr=lr, batch_size=batch_size,
                clip=1.0, perturbation=perturbation, eval_data=test, eval_every=eval_every,
                progress=progress, description=f"{model}, adding T={length}",
            )
            errors[model].append(np.array([[first, *history.eval_losses]
                                           for first, history in zip(initial, histories, strict=True)]))
    return AddingResult(
        lengths=np.array(lengths),
        seeds=seeds,
        eval_steps=np.arange(0, steps + 1, eval_every),
        rnn_errors=np.array(errors["RNN"]),
        lstm_errors=np.array(errors["LSTM"]),
        baseline_mse=np.array(baselines),
        forget_bias=forget_bias,
        input_bias=None if input_bias is None else float(input_bias),
        perturbation=float(perturbation),
        cpu_seconds=time.process_time() - start,
    )


def plot_adding_problem(result: AddingResult, size: str = "laptop") -> Any:
    """Test error against training steps for each length: median over the seeds and their range.

    One panel per length (log scale): for the plain RNN and the LSTM, the median test error over
    the seeds after each number of training steps (line) and the lowest to highest seed (band);
    the dotted line is the error of always answering 1.

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
            for model, colour, name in (("RNN", RNN_COLOUR, "plain RNN"), ("LSTM", LSTM_COLOUR, "LSTM")):
                errors = result.errors(model)[index]
                axes.fill_between(result.eval_steps, errors.min(axis=0), errors.max(axis=0),
                                  color=colour, alpha=0.25, linewidth=0)
                axes.semilogy(result.eval_steps, np.median(errors, axis=0), color=colour,
                              label=f"{name} (median, range)")
            axes.axhline(result.baseline_mse[index], color=BASELINE_COLOUR, linestyle=":",
                         label="always answering 1")
            axes.set_xlabel("training steps")
            integer_ticks(axes)
            axes.set_ylabel("test error (MSE)" if index == 0 else "")
            axes.set_title(f"Adding problem, T = {length}, {len(result.seeds)} seeds")
            if index == 0:
                axes.legend(loc="lower left")
        figure.tight_layout()
    return figure
