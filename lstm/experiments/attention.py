"""Claim 6 of "Disadvantages of LSTMs": outshone by Transformers (section #sec-outshone-by-transformers).

:func:`attention_versus_lstm` -> :class:`AttentionComparisonResult`, drawn by
:func:`plot_attention_versus_lstm`: an LSTM and a single-head self-attention model
(:class:`lstm.attention.SelfAttentionModel`) trained with chapter 7's delayed-recall budget:
test accuracy against the training sequences seen (sample efficiency), the sequences each
needs to reach 90 %, CPU time per run, and the number of parameters of each.
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
    DELAYED_RECALL_BUDGET,
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
from lstm.training import SequenceModel, one_blas_thread, train

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
    sequences_seen : numpy.ndarray of int, shape (e,)
        Training sequences seen at each evaluation (steps so far times the batch size).
    lstm_curves, attention_curves : numpy.ndarray, shape (n, seeds, e)
        Test accuracy at each evaluation, for each delay and seed.
    lstm_accuracies, attention_accuracies : numpy.ndarray, shape (n, seeds)
        Test accuracy after the whole budget (the last column of the curves).
    lstm_parameters, attention_parameters : int
        Trainable numbers of each model.
    lstm_seconds, attention_seconds : numpy.ndarray, shape (n, seeds)
        CPU seconds of each training run.
    chance : float
    steps, batch_size : int
    seconds : float
    """

    delays: np.ndarray
    seeds: tuple[int, ...]
    sequences_seen: np.ndarray
    lstm_curves: np.ndarray
    attention_curves: np.ndarray
    lstm_parameters: int
    attention_parameters: int
    lstm_seconds: np.ndarray
    attention_seconds: np.ndarray
    chance: float
    steps: int
    batch_size: int
    seconds: float

    @property
    def lstm_accuracies(self) -> np.ndarray:
        """LSTM test accuracy after the whole budget, shape (n, seeds)."""
        return self.lstm_curves[:, :, -1]

    @property
    def attention_accuracies(self) -> np.ndarray:
        """Attention test accuracy after the whole budget, shape (n, seeds)."""
        return self.attention_curves[:, :, -1]

    def sequences_to_reach(self, model: str, threshold: float = 0.9) -> np.ndarray:
        """Training sequences each run needed to reach ``threshold`` test accuracy.

        Parameters
        ----------
        model : {"lstm", "attention"}
        threshold : float, default 0.9

        Returns
        -------
        numpy.ndarray of float, shape (n, seeds)
            The first evaluation at or above ``threshold``; ``inf`` if the run never got there
            within the budget.

        Raises
        ------
        ValueError
            If ``model`` is unknown.
        """
        if model not in ("lstm", "attention"):
            raise ValueError(f"model must be 'lstm' or 'attention'; got {model!r}")
        curves = self.lstm_curves if model == "lstm" else self.attention_curves
        reached = curves >= threshold
        first = np.argmax(reached, axis=2)
        seen = self.sequences_seen[first].astype(float)
        return np.where(reached.any(axis=2), seen, np.inf)

    def table(self) -> str:
        """A text table: accuracy after the budget (range over seeds) and sequences to 90 %."""
        def spread(values: np.ndarray) -> str:
            return f"{values.min():.2f}-{values.max():.2f}"

        def needed(values: np.ndarray) -> str:
            finite = values[np.isfinite(values)]
            if finite.size == 0:
                return "never"
            text = f"{finite.min():.0f}-{finite.max():.0f}"
            return text if finite.size == values.size else f"{text} ({values.size - finite.size} never)"

        lstm_needed = self.sequences_to_reach("lstm")
        attention_needed = self.sequences_to_reach("attention")
        lines = [
            f"after {self.steps} steps of {self.batch_size} sequences "
            f"({self.steps * self.batch_size} sequences), seeds {list(self.seeds)}:",
            f"{'delay':>6}  {'LSTM acc':>9}  {'attn acc':>9}  {'LSTM seqs to 90%':>22}  "
            f"{'attn seqs to 90%':>22}",
        ]
        for row, delay in enumerate(self.delays):
            lines.append(
                f"{delay:>6d}  {spread(self.lstm_accuracies[row]):>9}  "
                f"{spread(self.attention_accuracies[row]):>9}  {needed(lstm_needed[row]):>22}  "
                f"{needed(attention_needed[row]):>22}"
            )
        lines.append(
            f"CPU seconds per training run: LSTM {self.lstm_seconds.min():.1f}-"
            f"{self.lstm_seconds.max():.1f}, attention {self.attention_seconds.min():.1f}-"
            f"{self.attention_seconds.max():.1f}"
        )
        return "\n".join(lines)


def attention_versus_lstm(
    delays: Sequence[int] = (20, 40),
    seeds: Sequence[int] = (0, 1, 2),
    model_size: int = int(DELAYED_RECALL_BUDGET["hidden_size"]),
    noise: float = DELAYED_RECALL_BUDGET["noise"],
    steps: int = int(DELAYED_RECALL_BUDGET["steps"]),
    lr: float = DELAYED_RECALL_BUDGET["lr"],
    batch_size: int = int(DELAYED_RECALL_BUDGET["batch_size"]),
    forget_bias: float = DELAYED_RECALL_BUDGET["forget_bias"],
    eval_every: int = 25,
    test_size: int = 300,
    progress: bool = True,
) -> AttentionComparisonResult:
    """Delayed recall: accuracy against training sequences seen, LSTM and self-attention.

    Both models (hidden size / width ``model_size``, softmax read-out at the last step) are
    trained by :func:`lstm.training.train` with the same steps, learning rate, batch size and
    seeds on :class:`lstm.tasks.DelayedRecall` (a symbol at the first step, ``delay`` noisy
    distractors, then the recall cue) and scored on the same held-out test set every
    ``eval_every`` steps. The defaults are the delayed-recall budget of chapter 7
    (:data:`lstm.experiments.common.DELAYED_RECALL_BUDGET`), so the two chapters train the
    LSTM the same way.

    Parameters
    ----------
    delays : sequence of int, default (20, 40)
        Strictly increasing delays (one is enough).
    seeds : sequence of int, default (0, 1, 2)
    model_size : int, default 8
    noise : float, default 1.0
    steps : int, default 400
    lr : float, default 0.02
    batch_size : int, default 64
    forget_bias : float, default 3.0
        Initial forget-gate bias of the LSTM.
    eval_every : int, default 25
        Steps between two evaluations on the test set.
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
    delay_values = check_sizes(delays, "delays", minimum_count=1)
    seeds = check_seeds(seeds)
    model_size = check_size(model_size, "model_size")
    steps = check_size(steps, "steps")
    lr = check_learning_rate(lr, "lr")
    batch_size = check_size(batch_size, "batch_size")
    eval_every = check_size(eval_every, "eval_every")
    test_size = check_size(test_size, "test_size")
    evaluations = sorted({*range(eval_every, steps + 1, eval_every), steps})
    shape = (delay_values.size, len(seeds), len(evaluations))
    lstm_curves, attention_curves = np.empty(shape), np.empty(shape)
    lstm_seconds, attention_seconds = np.empty(shape[:2]), np.empty(shape[:2])
    bar = progress_bar(2 * delay_values.size * len(seeds), progress, "attention vs LSTM")
    start = time.perf_counter()
    lstm_parameters = attention_parameters = 0
    try:
        with one_blas_thread():
            for row, delay in enumerate(delay_values):
                task = DelayedRecall(delay=int(delay), noise=noise)
                test = task.sample(test_size, np.random.default_rng(40_000 + int(delay)))
                for column, seed in enumerate(seeds):
                    lstm_model = SequenceModel(
                        LSTMCell(task.input_size, model_size, seed=seed, forget_bias=forget_bias),
                        task.num_symbols, seed=seed)
                    attention_model = SelfAttentionModel(task.input_size, model_size,
                                                         task.num_symbols, seed=seed)
                    for model, curves, seconds in (
                        (lstm_model, lstm_curves, lstm_seconds),
                        (attention_model, attention_curves, attention_seconds),
                    ):
                        history = train(model, task, steps=steps, lr=lr, batch_size=batch_size,
                                        seed=seed, progress=False, eval_data=test,
                                        eval_every=eval_every)
                        curves[row, column] = history.eval_accuracies
                        seconds[row, column] = history.cpu_seconds
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
        sequences_seen=np.array(evaluations) * batch_size,
        lstm_curves=lstm_curves,
        attention_curves=attention_curves,
        lstm_parameters=lstm_parameters,
        attention_parameters=attention_parameters,
        lstm_seconds=lstm_seconds,
        attention_seconds=attention_seconds,
        chance=1.0 / DelayedRecall(delay=1).num_symbols,
        steps=steps,
        batch_size=batch_size,
        seconds=time.perf_counter() - start,
    )


@book_styled
def plot_attention_versus_lstm(result: AttentionComparisonResult, size: str = "laptop") -> Figure:
    """Test accuracy against training sequences seen, one panel per delay (seeds faint, mean bold).

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
    figure, axes_row = figure_with_axes(len(result.delays), size, width=11.0, height=4.6)
    for row, (axes, delay) in enumerate(zip(axes_row, result.delays, strict=True)):
        for curves, colour, marker, name in (
            (result.lstm_curves[row], LSTM_COLOUR, "o", "LSTM"),
            (result.attention_curves[row], ATTENTION_COLOUR, "^", "self-attention"),
        ):
            for column in range(curves.shape[0]):
                axes.plot(result.sequences_seen, curves[column], "-", color=colour, alpha=0.35,
                          linewidth=1.2)
            axes.plot(result.sequences_seen, curves.mean(axis=0), marker + "-", color=colour,
                      markersize=4, label=f"{name} (mean of {curves.shape[0]} seeds)")
        axes.axhline(result.chance, color=OKABE_ITO["black"], linestyle=":", label="guessing")
        axes.set_ylim(0.0, 1.05)
        axes.set_xlabel("training sequences seen")
        axes.set_ylabel("test accuracy")
        axes.set_title(f"Delayed recall, delay {delay}")
    axes_row[-1].legend(loc="lower right", fontsize="small")
    return figure
