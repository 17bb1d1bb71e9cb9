"""Claim 4 of "Advantages of LSTMs": robustness to noise (section #sec-adv-noise).

:func:`noise_robustness` -> :class:`NoiseResult`, drawn by :func:`plot_noise_robustness`:
delayed-recall accuracy of a plain RNN and an LSTM as the distractor noise grows, with the
trained LSTM opened up (:func:`lstm.experiments.long_term_dependencies.open_up_lstm`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm._checks import check_integer
from lstm.experiments.common import (
    BASELINE_COLOUR,
    DELAYED_RECALL_BUDGET,
    LSTM_COLOUR,
    RNN_COLOUR,
    check_increasing,
    scaled_figure,
    train_recall_pairs,
)
from lstm.experiments.long_term_dependencies import OpenedLSTM, open_up_lstm
from lstm.gradient_flow import NUM_SYMBOLS
from lstm.style import book_style
from lstm.tasks import delayed_recall
from lstm.training import one_blas_thread

__all__ = [
    "NoiseResult",
    "noise_robustness",
    "plot_noise_robustness",
]


@dataclass(frozen=True)
class NoiseResult:
    """Accuracy against distractor noise, and the gates of the LSTM trained on noise.

    Attributes
    ----------
    noise_levels : numpy.ndarray
    rnn_accuracy, lstm_accuracy : numpy.ndarray
    delay : int
    chance : float
    opened : OpenedLSTM
        The LSTM trained at the noisiest level, opened up on noisy sequences.
    example_input : numpy.ndarray, shape (T, input)
        One noisy test sequence (for the plot).
    example_input_gate : numpy.ndarray, shape (T, H)
        All units' input gates on that sequence.
    mean_input_gate_signal, mean_input_gate_noise : float
        Input gate averaged over all units, at the symbol step and over the noise steps.
    seconds : float
    """

    noise_levels: np.ndarray
    rnn_accuracy: np.ndarray
    lstm_accuracy: np.ndarray
    delay: int
    chance: float
    opened: OpenedLSTM
    example_input: np.ndarray
    example_input_gate: np.ndarray
    mean_input_gate_signal: float
    mean_input_gate_noise: float
    seconds: float

    def summary(self) -> str:
        """Table of accuracies and the gate averages."""
        lines = [f"delay {self.delay}", "noise   RNN    LSTM"]
        for level, rnn, lstm in zip(self.noise_levels, self.rnn_accuracy, self.lstm_accuracy, strict=True):
            lines.append(f"{level:5.2f}  {rnn:5.0%}  {lstm:5.0%}")
        lines.append(
            f"LSTM trained at noise {self.noise_levels[-1]:g}: input gate (mean over units) "
            f"{self.mean_input_gate_signal:.2f} at the symbol, {self.mean_input_gate_noise:.2f} "
            f"on noise steps; " + self.opened.summary()
        )
        return "\n".join(lines)


@one_blas_thread()
def noise_robustness(
    noise_levels: Sequence[float] = (0.0, 0.5, 1.0, 2.0),
    delay: int = 10,
    hidden_size: int = int(DELAYED_RECALL_BUDGET["hidden_size"]),
    steps: int = int(DELAYED_RECALL_BUDGET["steps"]),
    batch_size: int = int(DELAYED_RECALL_BUDGET["batch_size"]),
    lr: float = DELAYED_RECALL_BUDGET["lr"],
    forget_bias: float = DELAYED_RECALL_BUDGET["forget_bias"],
    seed: int = 0,
    progress: bool = True,
) -> NoiseResult:
    """Delayed recall with growing distractor noise; RNN vs LSTM; the LSTM's gates.

    The models are trained by :func:`lstm.experiments.common.train_recall_pairs` with the
    delayed-recall budget of claim 2: noise 1 at delay 10 is a setting of
    :func:`lstm.experiments.long_term_dependencies.long_term_dependencies` too, and is
    trained once per process.

    Parameters
    ----------
    noise_levels : sequence of float
        Increasing standard deviations of the distractor noise.
    delay : int
    hidden_size, steps, batch_size : int
    lr, forget_bias : float
    seed : int
    progress : bool

    Returns
    -------
    NoiseResult

    Raises
    ------
    ValueError
        If an argument is out of range.
    """
    start = time.perf_counter()
    levels = tuple(float(v) for v in check_increasing("noise_levels", noise_levels, 0.0))
    delay = check_integer(delay, "delay", minimum=1)
    pairs = train_recall_pairs(
        [(delay, level) for level in levels],
        hidden_size=hidden_size,
        steps=steps,
        batch_size=batch_size,
        lr=lr,
        forget_bias=forget_bias,
        seed=seed,
        progress=progress,
    )
    lstm_model = pairs[-1].lstm_model
    opened = open_up_lstm(lstm_model, delay, noise=levels[-1])
    example = delayed_recall(200, delay, NUM_SYMBOLS, noise=levels[-1], seed=seed + 3000)
    trace = lstm_model.run_cell(example.xs)
    return NoiseResult(
        noise_levels=np.array(levels),
        rnn_accuracy=np.array([pair.rnn_accuracy for pair in pairs]),
        lstm_accuracy=np.array([pair.lstm_accuracy for pair in pairs]),
        delay=delay,
        chance=1.0 / NUM_SYMBOLS,
        opened=opened,
        example_input=example.xs[:, 0],
        example_input_gate=trace.i[:, 0],
        mean_input_gate_signal=float(trace.i[0].mean()),
        mean_input_gate_noise=float(trace.i[1 : delay + 1].mean()),
        seconds=time.perf_counter() - start,
    )


def plot_noise_robustness(result: NoiseResult, size: str = "laptop") -> Any:
    """Left: accuracy against noise; right: input gates of the noisy-trained LSTM over time.

    Returns
    -------
    lstm.plots.BookFigure
    """
    figure = scaled_figure(size, 11.0, 4.6)
    with book_style(size):
        left = figure.add_subplot(1, 2, 1)
        right = figure.add_subplot(1, 2, 2)
        left.plot(result.noise_levels, result.rnn_accuracy, "o-", color=RNN_COLOUR, label="plain RNN")
        left.plot(result.noise_levels, result.lstm_accuracy, "s-", color=LSTM_COLOUR, label="LSTM")
        left.axhline(result.chance, color=BASELINE_COLOUR, linestyle=":", label="chance")
        left.set_xlabel("distractor noise (standard deviation)")
        left.set_ylabel("test accuracy")
        left.set_ylim(0, 1.05)
        left.set_title(f"Delayed recall, delay {result.delay}")
        left.legend(loc="lower left")
        gates = result.example_input_gate.T  # (H, T)
        image = right.imshow(
            gates, aspect="auto", cmap="cividis", vmin=0.0, vmax=1.0, interpolation="nearest"
        )
        steps = gates.shape[1]
        right.set_xticks([0, steps - 1], ["symbol", "recall"])
        right.set_xlabel("time step (noise in between)")
        right.set_ylabel("hidden unit")
        right.set_title(f"LSTM input gates $i_t$, noise {result.noise_levels[-1]:g}")
        right.grid(False)
        colourbar = figure.colorbar(image, ax=right)
        colourbar.set_label("input gate value")
        figure.tight_layout()
    return figure
