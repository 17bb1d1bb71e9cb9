"""Claim 6 of "Disadvantages of LSTMs": outshone by Transformers (section #sec-outshone-by-transformers).

:func:`attention_versus_lstm` -> :class:`AttentionComparisonResult`, drawn by
:func:`plot_attention_versus_lstm`: an LSTM and a single-head self-attention model
(:class:`lstm.attention.SelfAttentionModel`) trained with the same budget on delayed recall:
test accuracy against the delay, and the number of parameters of each.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from lstm._checks import check_size
from lstm.attention import SelfAttentionModel
from lstm.cell import LSTMCell
from lstm.experiments.common import (
    ATTENTION_COLOUR,
    LSTM_COLOUR,
    book_styled,
    check_learning_rate,
    check_seeds,
    check_sizes,
    figure_with_axes,
    progress_bar,
)
from lstm.style import OKABE_ITO
from lstm.tasks import DelayedRecall
from lstm.training import SequenceModel, train

__all__ = [
    "AttentionComparisonResult",
    "attention_versus_lstm",
    "plot_attention_versus_lstm",
]


@dataclass(frozen=True)
class AttentionComparisonResult:
    """Result of :func:`attention_versus_lstm`.

    Attributes
    ----------
    delays : numpy.ndarray of int, shape (n,)
    seeds : tuple of int
    lstm_accuracies, attention_accuracies : numpy.ndarray, shape (n, seeds)
        Test accuracy after the same training budget.
    lstm_parameters, attention_parameters : int
        Trainable numbers of each model.
    chance : float
    steps : int
    seconds : float
    """

    delays: np.ndarray
    seeds: tuple[int, ...]
    lstm_accuracies: np.ndarray
    attention_accuracies: np.ndarray
    lstm_parameters: int
    attention_parameters: int
    chance: float
    steps: int
    seconds: float

    def table(self) -> str:
        """A text table: mean accuracy of each model at each delay."""
        lines = [f"{'delay':>6} {'LSTM':>6} {'attention':>10}"]
        for index, delay in enumerate(self.delays):
            lines.append(f"{delay:>6d} {self.lstm_accuracies[index].mean():>6.3f} "
                         f"{self.attention_accuracies[index].mean():>10.3f}")
        return "\n".join(lines)


def attention_versus_lstm(
    delays: Sequence[int] = (4, 8, 16, 32),
    seeds: Sequence[int] = (0, 1),
    model_size: int = 16,
    noise: float = 1.0,
    steps: int = 200,
    lr: float = 0.03,
    batch_size: int = 32,
    forget_bias: float = 2.0,
    test_size: int = 300,
    progress: bool = True,
) -> AttentionComparisonResult:
    """Delayed recall at growing delays: an LSTM and a self-attention model, same trainer.

    Both models (hidden size / width ``model_size``, softmax read-out at the last step) are
    trained by :func:`lstm.training.train` with the same steps, learning rate, batch size and
    seeds on :class:`lstm.tasks.DelayedRecall` (a symbol at the first step, ``delay`` noisy
    distractors, then the recall cue), and scored on the same held-out test set per delay.
    The LSTM's defaults follow its set-up in the chapter on advantages (noise 1, forget bias 2,
    learning rate 0.03), with batches of 32 to keep the run short.

    Parameters
    ----------
    delays : sequence of int, default (4, 8, 16, 32)
        Strictly increasing delays.
    seeds : sequence of int, default (0, 1)
    model_size : int, default 16
    noise : float, default 1.0
    steps : int, default 200
    lr : float, default 0.03
    batch_size : int, default 32
    forget_bias : float, default 2.0
        Initial forget-gate bias of the LSTM.
    test_size : int, default 300
    progress : bool, default True

    Returns
    -------
    AttentionComparisonResult

    Raises
    ------
    TypeError, ValueError
        If an argument is not of the documented kind or range.
    """
    delay_values = check_sizes(delays, "delays")
    seeds = check_seeds(seeds)
    model_size = check_size(model_size, "model_size")
    steps = check_size(steps, "steps")
    lr = check_learning_rate(lr, "lr")
    batch_size = check_size(batch_size, "batch_size")
    test_size = check_size(test_size, "test_size")
    lstm_accuracies = np.empty((delay_values.size, len(seeds)))
    attention_accuracies = np.empty_like(lstm_accuracies)
    bar = progress_bar(2 * lstm_accuracies.size, progress, "attention vs LSTM")
    start = time.perf_counter()
    lstm_parameters = attention_parameters = 0
    try:
        for row, delay in enumerate(delay_values):
            task = DelayedRecall(delay=int(delay), noise=noise)
            test = task.sample(test_size, np.random.default_rng(40_000 + int(delay)))
            for column, seed in enumerate(seeds):
                lstm_model = SequenceModel(
                    LSTMCell(task.input_size, model_size, seed=seed, forget_bias=forget_bias),
                    task.num_symbols, seed=seed)
                attention_model = SelfAttentionModel(task.input_size, model_size,
                                                     task.num_symbols, seed=seed)
                for model, scores in ((lstm_model, lstm_accuracies),
                                      (attention_model, attention_accuracies)):
                    train(model, task, steps=steps, lr=lr, batch_size=batch_size, seed=seed,
                          progress=False)
                    scores[row, column] = model.accuracy(test)
                    if bar is not None:
                        bar.update(1)
                lstm_parameters = lstm_model.num_parameters
                attention_parameters = attention_model.num_parameters
    finally:
        if bar is not None:
            bar.close()
    return AttentionComparisonResult(
        delays=delay_values,
        seeds=seeds,
        lstm_accuracies=lstm_accuracies,
        attention_accuracies=attention_accuracies,
        lstm_parameters=lstm_parameters,
        attention_parameters=attention_parameters,
        chance=1.0 / DelayedRecall(delay=1).num_symbols,
        steps=steps,
        seconds=time.perf_counter() - start,
    )


@book_styled
def plot_attention_versus_lstm(result: AttentionComparisonResult, size: str = "laptop") -> Figure:
    """Test accuracy against delay for both models (each seed faint, mean bold).

    Parameters
    ----------
    result : AttentionComparisonResult
        From :func:`attention_versus_lstm`.
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
        If ``result`` is not an :class:`AttentionComparisonResult`.
    """
    if not isinstance(result, AttentionComparisonResult):
        raise TypeError(
            f"result must be an AttentionComparisonResult; got {type(result).__name__}"
        )
    figure, (axes,) = figure_with_axes(1, size, width=10.0, height=4.8)
    delays = result.delays
    for scores, colour, marker, name in (
        (result.lstm_accuracies, LSTM_COLOUR, "o", "LSTM"),
        (result.attention_accuracies, ATTENTION_COLOUR, "^", "self-attention"),
    ):
        for column in range(scores.shape[1]):
            axes.semilogx(delays, scores[:, column], "-", color=colour, alpha=0.35,
                          linewidth=1.2)
        axes.semilogx(delays, scores.mean(axis=1), marker + "-", color=colour,
                      label=f"{name} (mean of {scores.shape[1]} seeds)")
    axes.axhline(result.chance, color=OKABE_ITO["black"], linestyle=":", label="guessing")
    axes.set_xticks(delays, [str(delay) for delay in delays])
    axes.minorticks_off()
    axes.set_ylim(0.0, 1.05)
    axes.set_xlabel("delay (distractor steps between symbol and recall cue)")
    axes.set_ylabel("test accuracy")
    axes.set_title(f"Delayed recall, same trainer and budget ({result.steps} steps)")
    axes.legend(loc="center left", fontsize="small")
    return figure
