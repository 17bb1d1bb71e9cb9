"""Claim 3 of "Advantages of LSTMs": variable-length sequences (section #sec-adv-variable-length).

- :func:`variable_length_equivalence` -> :class:`VariableLengthCheck` (numbers only): a padded
  batch with per-sequence lengths gives exactly the states of running each sequence alone.
- :func:`train_short_test_long` -> :class:`ShortLongResult`, drawn by
  :func:`plot_train_short_test_long`: trained on short delays, tested on longer ones.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm._checks import check_integer
from lstm.cell import LSTMCell
from lstm.experiments.common import (
    BASELINE_COLOUR,
    DEFAULT_SEEDS,
    DELAYED_RECALL_BUDGET,
    LSTM_COLOUR,
    RNN_COLOUR,
    check_increasing,
    check_seeds,
    recall_models,
    scaled_figure,
)
from lstm.gradient_flow import NUM_SYMBOLS
from lstm.stacked import train_many
from lstm.style import OKABE_ITO, book_style
from lstm.tasks import (
    DelayedRecall,
    delayed_recall,
)
from lstm.training import one_blas_thread

__all__ = [
    "SHORT_LONG_STEPS",
    "ShortLongResult",
    "VariableLengthCheck",
    "plot_train_short_test_long",
    "train_short_test_long",
    "variable_length_equivalence",
]


@dataclass(frozen=True)
class VariableLengthCheck:
    """One padded batch of mixed lengths against each sequence run alone.

    Attributes
    ----------
    lengths : numpy.ndarray of int
    max_output_difference : float
        Largest absolute difference of the final hidden and cell states.
    max_gradient_difference : float
        Largest absolute difference between the batch's parameter gradients and the sum of
        the gradients of the separate runs.
    """

    lengths: np.ndarray
    max_output_difference: float
    max_gradient_difference: float

    def summary(self) -> str:
        """The two differences."""
        return (
            f"lengths {self.lengths.tolist()} in one padded batch vs each alone: "
            f"final states differ by at most {self.max_output_difference:.1e}, "
            f"parameter gradients by at most {self.max_gradient_difference:.1e}"
        )


def variable_length_equivalence(
    lengths: Sequence[int] = (3, 7, 12, 20), hidden_size: int = 8, seed: int = 0
) -> VariableLengthCheck:
    """Run a padded mixed-length batch and each sequence alone; compare states and gradients.

    Parameters
    ----------
    lengths : sequence of int
        Length of each sequence (any order).
    hidden_size : int
    seed : int

    Returns
    -------
    VariableLengthCheck

    Raises
    ------
    ValueError
        If a length is not a positive integer.
    """
    lengths_array = np.array([check_integer(int(v), "lengths") for v in lengths], dtype=np.int64)
    rng = np.random.default_rng(seed)
    longest = int(lengths_array.max())
    batch = lengths_array.size
    cell = LSTMCell(3, hidden_size, seed=seed, forget_bias=1.0)
    xs = rng.normal(size=(longest, batch, 3))
    xs[np.arange(longest)[:, None] >= lengths_array[None, :]] = 0.0
    upstream = rng.normal(size=(batch, hidden_size))
    trace = cell.run(xs, lengths=lengths_array)
    dh = np.zeros_like(trace.h)
    dh[lengths_array - 1, np.arange(batch)] = upstream
    batch_grads = cell.backward(trace, dh).parameters
    output_difference = 0.0
    summed = {name: np.zeros_like(value) for name, value in batch_grads.items()}
    for row, length in enumerate(lengths_array):
        alone = cell.run(xs[:length, row : row + 1])
        output_difference = max(
            output_difference,
            float(np.abs(alone.h_last[0] - trace.h_last[row]).max()),
            float(np.abs(alone.c_last[0] - trace.c_last[row]).max()),
        )
        dh_alone = np.zeros_like(alone.h)
        dh_alone[-1, 0] = upstream[row]
        for name, value in cell.backward(alone, dh_alone).parameters.items():
            summed[name] += value
    gradient_difference = max(float(np.abs(summed[name] - batch_grads[name]).max()) for name in summed)
    return VariableLengthCheck(lengths_array, output_difference, gradient_difference)


#: Training steps of :func:`train_short_test_long`: half the delayed-recall budget's 400, which
#: is enough here (on seeds 0-19 the LSTM ends at 99 % or more at every test delay).
SHORT_LONG_STEPS = 200


@dataclass(frozen=True)
class ShortLongResult:
    """Models trained on short delays, tested on longer ones, one RNN and one LSTM per seed.

    Attributes
    ----------
    train_delays : tuple of int
        ``(min_delay, max_delay)`` of training.
    test_delays : numpy.ndarray of int, shape (D,)
    seeds : tuple of int, length S
    rnn_accuracy, lstm_accuracy : numpy.ndarray, shape (S, D)
        Test accuracy (300 fresh sequences) per seed and test delay.
    noise : float
    chance : float
    steps : int
    seconds : float
    """

    train_delays: tuple[int, int]
    test_delays: np.ndarray
    seeds: tuple[int, ...]
    rnn_accuracy: np.ndarray
    lstm_accuracy: np.ndarray
    noise: float
    chance: float
    steps: int
    seconds: float

    def spread(self, model: str) -> np.ndarray:
        """Per seed, the highest minus the lowest accuracy over the test delays, shape (S,)."""
        if model not in ("rnn", "lstm"):
            raise ValueError(f"model must be 'rnn' or 'lstm'; got {model!r}")
        return np.ptp(self.rnn_accuracy if model == "rnn" else self.lstm_accuracy, axis=1)

    def summary(self) -> str:
        """Per test delay: median accuracy over the seeds (lowest-highest) of each model."""
        low, high = self.train_delays
        lines = [
            f"trained on delays {low}..{high} (noise {self.noise:g}, {self.steps} steps), "
            f"seeds {self.seeds[0]}-{self.seeds[-1]}; median accuracy (lowest-highest) at test delay:",
            "delay  RNN              LSTM",
        ]
        for column, delay in enumerate(self.test_delays):
            rnn, lstm = self.rnn_accuracy[:, column], self.lstm_accuracy[:, column]
            lines.append(
                f"{delay:5d}  {np.median(rnn):4.0%} ({rnn.min():.0%}-{rnn.max():.0%})  "
                f"{np.median(lstm):4.0%} ({lstm.min():.0%}-{lstm.max():.0%})"
            )
        return "\n".join(lines)


@one_blas_thread()
def train_short_test_long(
    train_delays: tuple[int, int] = (1, 10),
    test_delays: Sequence[int] = (5, 10, 20, 40, 80, 160),
    noise: float = 0.75,
    hidden_size: int = int(DELAYED_RECALL_BUDGET["hidden_size"]),
    steps: int = SHORT_LONG_STEPS,
    batch_size: int = int(DELAYED_RECALL_BUDGET["batch_size"]),
    lr: float = DELAYED_RECALL_BUDGET["lr"],
    forget_bias: float = DELAYED_RECALL_BUDGET["forget_bias"],
    seeds: Sequence[int] = DEFAULT_SEEDS,
    perturbation: float = 0.0,
    progress: bool = True,
) -> ShortLongResult:
    """Train on variable-length delayed recall with short delays; test on longer delays.

    Both models of a seed get the same budget (the delayed-recall budget of
    :data:`~lstm.experiments.common.DELAYED_RECALL_BUDGET`, with :data:`SHORT_LONG_STEPS`
    steps); all seeds of a model kind are trained by one :func:`lstm.stacked.train_many` call.

    Parameters
    ----------
    train_delays : (int, int)
        Smallest and largest training delay (each batch mixes lengths, padded).
    test_delays : sequence of int
    noise : float
    hidden_size, steps, batch_size : int
    lr, forget_bias : float
    seeds : sequence of int, default 0-9
    perturbation : float, default 0
        Relative change of the initial weights (:func:`lstm.stacked.train_many`; tests: 1e-12).
    progress : bool

    Returns
    -------
    ShortLongResult

    Raises
    ------
    TypeError, ValueError
        If an argument is out of range.
    """
    if (
        not isinstance(train_delays, tuple)
        or len(train_delays) != 2
        or not all(isinstance(d, int) and not isinstance(d, bool) for d in train_delays)
        or not 0 <= train_delays[0] <= train_delays[1]
    ):
        raise ValueError(
            f"train_delays must be a pair (min_delay, max_delay) of integers with "
            f"0 <= min_delay <= max_delay; got {train_delays!r}"
        )
    start = time.perf_counter()
    low, high = train_delays
    task = DelayedRecall(high, NUM_SYMBOLS, noise=noise, min_delay=low)
    test_delays = tuple(int(d) for d in check_increasing("test_delays", test_delays, 0))
    seeds = check_seeds(seeds)
    rnn_models, lstm_models = recall_models(task.input_size, hidden_size, forget_bias, seeds)
    for name, models in (("RNN", rnn_models), ("LSTM", lstm_models)):
        train_many(
            models,
            task,
            seeds=seeds,
            steps=steps,
            lr=lr,
            batch_size=batch_size,
            perturbation=perturbation,
            progress=progress,
            description=f"{name}, delays {low}..{high}",
        )
    accuracies: dict[str, np.ndarray] = {"RNN": np.empty((len(seeds), len(test_delays))),
                                         "LSTM": np.empty((len(seeds), len(test_delays)))}
    for column, delay in enumerate(test_delays):
        for row, seed in enumerate(seeds):
            test = delayed_recall(300, delay, NUM_SYMBOLS, noise=noise, seed=seed + 2000)
            accuracies["RNN"][row, column] = rnn_models[row].accuracy(test)
            accuracies["LSTM"][row, column] = lstm_models[row].accuracy(test)
    return ShortLongResult(
        train_delays=(int(low), int(high)),
        test_delays=np.array(test_delays),
        seeds=seeds,
        rnn_accuracy=accuracies["RNN"],
        lstm_accuracy=accuracies["LSTM"],
        noise=noise,
        chance=1.0 / NUM_SYMBOLS,
        steps=int(steps),
        seconds=time.perf_counter() - start,
    )


def plot_train_short_test_long(result: ShortLongResult, size: str = "laptop") -> Any:
    """Accuracy against test delay, with the training range shaded.

    Returns
    -------
    lstm.plots.BookFigure
    """
    figure = scaled_figure(size, 7.5, 4.6)
    with book_style(size):
        axes = figure.add_subplot(1, 1, 1)
        low, high = result.train_delays
        axes.axvspan(low, high, color=OKABE_ITO["sky_blue"], alpha=0.15, label="training delays")
        for values, colour, marker, name in (
            (result.rnn_accuracy, RNN_COLOUR, "o", "plain RNN"),
            (result.lstm_accuracy, LSTM_COLOUR, "s", "LSTM"),
        ):
            for row in values:
                axes.plot(result.test_delays, row, "-", color=colour, alpha=0.3, linewidth=1)
            axes.plot(result.test_delays, np.median(values, axis=0), marker + "-", color=colour,
                      linewidth=2.5, label=f"{name} (median; thin: each seed)")
        axes.axhline(result.chance, color=BASELINE_COLOUR, linestyle=":", label="chance")
        axes.set_xscale("log")
        axes.set_xticks(result.test_delays, [str(d) for d in result.test_delays])
        axes.minorticks_off()
        axes.set_xlabel("test delay (log scale)")
        axes.set_ylabel("test accuracy")
        axes.set_ylim(0, 1.05)
        axes.set_title(f"Trained on short sequences, tested on longer ones ({len(result.seeds)} seeds)")
        axes.legend(loc="lower left")
        figure.tight_layout()
    return figure
