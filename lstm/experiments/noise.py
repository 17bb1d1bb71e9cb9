"""Claim 4 of "Advantages of LSTMs": robustness to noise (section #sec-adv-noise).

:func:`noise_robustness` -> :class:`NoiseResult`, drawn by :func:`plot_noise_robustness`:
delayed-recall accuracy of a plain RNN and an LSTM per seed (seeds 0-9) as the distractor
noise grows, with the LSTMs trained at the noisiest level opened up
(:func:`lstm.experiments.long_term_dependencies.open_up_lstms`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm._checks import check_integer
from lstm.experiments.common import (
    AT_CHANCE,
    BASELINE_COLOUR,
    DEFAULT_SEEDS,
    DELAYED_RECALL_BUDGET,
    LEARNT,
    LSTM_COLOUR,
    RNN_COLOUR,
    check_increasing,
    check_seeds,
    scaled_figure,
    train_recall_pairs,
)
from lstm.experiments.long_term_dependencies import OpenedLSTMs, open_up_lstms
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
    """Accuracy against distractor noise per seed, and the gates of the LSTMs trained on the most noise.

    Attributes
    ----------
    noise_levels : numpy.ndarray, shape (L,)
    seeds : tuple of int, length S
    rnn_accuracy, lstm_accuracy : numpy.ndarray, shape (L, S)
        Test accuracy (500 fresh sequences) per noise level and seed.
    delay : int
    chance : float
    opened : OpenedLSTMs
        The LSTMs trained at the noisiest level, opened up on noisy sequences.
    example_input : numpy.ndarray, shape (T, input)
        One noisy test sequence (for the plot).
    example_input_gate : numpy.ndarray, shape (T, H)
        All units' input gates on that sequence, for the LSTM of ``opened.example_seed``.
    mean_input_gate_signal, mean_input_gate_noise : numpy.ndarray, shape (S,)
        Per seed, the input gate averaged over all units and 200 sequences, at the symbol step
        and over the noise steps.
    seconds : float
    """

    noise_levels: np.ndarray
    seeds: tuple[int, ...]
    rnn_accuracy: np.ndarray
    lstm_accuracy: np.ndarray
    delay: int
    chance: float
    opened: OpenedLSTMs
    example_input: np.ndarray
    example_input_gate: np.ndarray
    mean_input_gate_signal: np.ndarray
    mean_input_gate_noise: np.ndarray
    seconds: float

    def learnt(self, model: str) -> np.ndarray:
        """Per level, on how many seeds ``model`` (``"rnn"`` or ``"lstm"``) learnt the task, shape (L,)."""
        return (self._accuracy(model) >= LEARNT).sum(axis=1)

    def at_chance(self, model: str) -> np.ndarray:
        """Per level, on how many seeds ``model`` stayed at chance, shape (L,)."""
        return (self._accuracy(model) <= AT_CHANCE).sum(axis=1)

    def _accuracy(self, model: str) -> np.ndarray:
        if model not in ("rnn", "lstm"):
            raise ValueError(f"model must be 'rnn' or 'lstm'; got {model!r}")
        return self.rnn_accuracy if model == "rnn" else self.lstm_accuracy

    def summary(self) -> str:
        """Per level: median accuracy (range) and on how many seeds each model learnt or stayed at chance."""
        count = len(self.seeds)
        lines = [
            f"delay {self.delay}, seeds {self.seeds[0]}-{self.seeds[-1]}: median accuracy (range); seeds "
            f"that learnt (>= {LEARNT:.0%}); seeds at chance (<= {AT_CHANCE:.0%})",
            "noise  RNN                          LSTM",
        ]
        for row, level in enumerate(self.noise_levels):
            cells = []
            for model in ("rnn", "lstm"):
                values = self._accuracy(model)[row]
                cells.append(
                    f"{np.median(values):4.0%} ({values.min():.0%}-{values.max():.0%}) "
                    f"{self.learnt(model)[row]:2d}/{count} {self.at_chance(model)[row]:2d}/{count}"
                )
            lines.append(f"{level:5.2f}  {cells[0]:28s} {cells[1]}")
        lines.append(
            f"LSTMs trained at noise {self.noise_levels[-1]:g}: input gate (mean over units), median over "
            f"seeds {np.median(self.mean_input_gate_signal):.2f} at the symbol, "
            f"{np.median(self.mean_input_gate_noise):.2f} on noise steps"
        )
        return "\n".join(lines)


@one_blas_thread()
def noise_robustness(
    noise_levels: Sequence[float] = (0.0, 1.0, 2.0),
    delay: int = 10,
    hidden_size: int = int(DELAYED_RECALL_BUDGET["hidden_size"]),
    steps: int = int(DELAYED_RECALL_BUDGET["steps"]),
    batch_size: int = int(DELAYED_RECALL_BUDGET["batch_size"]),
    lr: float = DELAYED_RECALL_BUDGET["lr"],
    forget_bias: float = DELAYED_RECALL_BUDGET["forget_bias"],
    seeds: Sequence[int] = DEFAULT_SEEDS,
    perturbation: float = 0.0,
    progress: bool = True,
) -> NoiseResult:
    """Delayed recall with growing distractor noise; RNN vs LSTM per seed; the LSTMs' gates.

    The models are trained by :func:`lstm.experiments.common.train_recall_pairs` with the
    delayed-recall budget of claim 2: noise 1 at delay 10 is a setting of
    :func:`lstm.experiments.long_term_dependencies.long_term_dependencies` too, and is
    trained once per process.

    Parameters
    ----------
    noise_levels : sequence of float, default (0, 1, 2)
        Increasing standard deviations of the distractor noise.
    delay : int, default 10
    hidden_size, steps, batch_size : int
    lr, forget_bias : float
    seeds : sequence of int, default 0-9
    perturbation : float, default 0
        Relative change of the initial weights (:func:`lstm.stacked.train_many`; tests: 1e-12).
    progress : bool

    Returns
    -------
    NoiseResult

    Raises
    ------
    TypeError, ValueError
        If an argument is out of range.
    """
    start = time.perf_counter()
    levels = tuple(float(v) for v in check_increasing("noise_levels", noise_levels, 0.0))
    delay = check_integer(delay, "delay", minimum=1)
    seeds = check_seeds(seeds)
    runs = train_recall_pairs(
        [(delay, level) for level in levels],
        hidden_size=hidden_size,
        steps=steps,
        batch_size=batch_size,
        lr=lr,
        forget_bias=forget_bias,
        seeds=seeds,
        perturbation=perturbation,
        progress=progress,
    )
    lstm_models = runs[-1].lstm_models
    opened = open_up_lstms(lstm_models, seeds, delay, noise=levels[-1])
    example = delayed_recall(200, delay, NUM_SYMBOLS, noise=levels[-1], seed=3000)
    traces = [model.run_cell(example.xs) for model in lstm_models]
    example_trace = traces[seeds.index(opened.example_seed)]
    return NoiseResult(
        noise_levels=np.array(levels),
        seeds=seeds,
        rnn_accuracy=np.array([run.rnn_accuracy for run in runs]),
        lstm_accuracy=np.array([run.lstm_accuracy for run in runs]),
        delay=delay,
        chance=1.0 / NUM_SYMBOLS,
        opened=opened,
        example_input=example.xs[:, 0],
        example_input_gate=example_trace.i[:, 0],
        mean_input_gate_signal=np.array([trace.i[0].mean() for trace in traces]),
        mean_input_gate_noise=np.array([trace.i[1 : delay + 1].mean() for trace in traces]),
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
        rng = np.random.default_rng(0)  # the horizontal jitter of the dots only
        width = 0.04 * max(float(np.ptp(result.noise_levels)), 1.0)
        for offset, values, colour, marker, name in (
            (-width, result.rnn_accuracy, RNN_COLOUR, "o", "plain RNN"),
            (width, result.lstm_accuracy, LSTM_COLOUR, "s", "LSTM"),
        ):
            left.plot(result.noise_levels + offset, np.median(values, axis=1), marker + "-", color=colour,
                      markersize=9, label=f"{name} (median)")
            for row, level in enumerate(result.noise_levels):
                x = level + offset + rng.uniform(-0.4, 0.4, size=values.shape[1]) * width
                left.plot(x, values[row], marker, color=colour, alpha=0.35, markersize=4, linestyle="none")
        left.axhline(result.chance, color=BASELINE_COLOUR, linestyle=":", label="chance")
        left.set_xlabel("distractor noise (standard deviation)")
        left.set_ylabel("test accuracy")
        left.set_ylim(0, 1.05)
        left.set_title(f"Delayed recall, delay {result.delay}: {len(result.seeds)} seeds (dots)")
        # Below the axes, where it can cover no dot and no line, whatever the seeds gave.
        left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=3, fontsize="small",
                    frameon=False)
        gates = result.example_input_gate.T  # (H, T)
        image = right.imshow(
            gates, aspect="auto", cmap="cividis", vmin=0.0, vmax=1.0, interpolation="nearest"
        )
        steps = gates.shape[1]
        right.set_xticks([0, steps - 1], ["symbol", "recall"])
        right.set_xlabel("time step (noise in between)")
        right.set_ylabel("hidden unit")
        right.set_title(f"Input gates, seed {result.opened.example_seed}, noise {result.noise_levels[-1]:g}")
        right.grid(False)
        colourbar = figure.colorbar(image, ax=right)
        colourbar.set_label("input gate value")
        figure.tight_layout()
    return figure
