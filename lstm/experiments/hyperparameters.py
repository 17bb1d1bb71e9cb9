"""Claim 5 of "Disadvantages of LSTMs": hyperparameter tuning (section #sec-hyperparameter-tuning).

:func:`hyperparameter_sweep` -> :class:`SweepResult`, drawn by
:func:`plot_hyperparameter_sweep`: the test loss on the latest-recall task over a grid of
learning rates and hidden sizes, and which cells of the grid work for every seed.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from lstm._checks import check_size
from lstm.experiments.common import (
    book_styled,
    check_learning_rate,
    check_seeds,
    check_sizes,
    figure_with_axes,
)
from lstm.experiments.latest_recall import LatestRecall
from lstm.experiments.sweeps import train_over_grid
from lstm.style import OKABE_ITO
from lstm.training import SequenceModel, TrainingHistory

__all__ = [
    "SweepResult",
    "hyperparameter_sweep",
    "plot_hyperparameter_sweep",
]


@dataclass(frozen=True)
class SweepResult:
    """Result of :func:`hyperparameter_sweep`.

    Attributes
    ----------
    learning_rates : numpy.ndarray, shape (n_lr,)
    hidden_sizes : numpy.ndarray of int, shape (n_h,)
    seeds : tuple of int
    test_losses : numpy.ndarray, shape (n_h, n_lr, seeds)
        Held-out cross-entropy after training; NaN where training diverged.
    good_loss : float
        A cell is "good" when its mean test loss is at most this.
    guessing_loss : float
        Cross-entropy of guessing, ``ln(num_symbols)``.
    steps : int
        Adam updates per run.
    seconds : float
        Wall time of the sweep.
    """

    learning_rates: np.ndarray
    hidden_sizes: np.ndarray
    seeds: tuple[int, ...]
    test_losses: np.ndarray
    good_loss: float
    guessing_loss: float
    steps: int
    seconds: float

    @property
    def mean_losses(self) -> np.ndarray:
        """Mean test loss over the seeds, shape (n_h, n_lr) (NaN if any seed diverged)."""
        return self.test_losses.mean(axis=2)

    @property
    def good(self) -> np.ndarray:
        """Boolean (n_h, n_lr): mean test loss at most :attr:`good_loss` (diverged: False)."""
        with np.errstate(invalid="ignore"):
            return np.nan_to_num(self.mean_losses, nan=np.inf) <= self.good_loss

    @property
    def good_fraction(self) -> float:
        """Fraction of the grid's cells that are good."""
        return float(self.good.mean())

    @property
    def best(self) -> tuple[int, float, float]:
        """``(hidden_size, learning_rate, mean test loss)`` of the best cell."""
        losses = np.nan_to_num(self.mean_losses, nan=np.inf)
        row, column = np.unravel_index(np.argmin(losses), losses.shape)
        return (int(self.hidden_sizes[row]), float(self.learning_rates[column]),
                float(losses[row, column]))

    def table(self) -> str:
        """The grid of mean test losses as text (rows: hidden size, columns: learning rate)."""
        header = "H \\ lr " + " ".join(f"{rate:>7g}" for rate in self.learning_rates)
        lines = [header]
        for row, hidden in enumerate(self.hidden_sizes):
            cells = " ".join(
                "   div." if np.isnan(value) else f"{value:>7.3f}"
                for value in self.mean_losses[row]
            )
            lines.append(f"{hidden:>6d} {cells}")
        return "\n".join(lines)


def hyperparameter_sweep(
    learning_rates: Sequence[float] = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0),
    hidden_sizes: Sequence[int] = (2, 4, 8, 16),
    seeds: Sequence[int] = (0, 1, 2),
    length: int = 10,
    noise: float = 0.5,
    steps: int = 60,
    batch_size: int = 32,
    good_fraction_of_guessing: float = 0.1,
    test_size: int = 300,
    progress: bool = True,
) -> SweepResult:
    """Train an LSTM for every (hidden size, learning rate) pair and a few seeds.

    Every run gets the same small budget (``steps`` Adam updates on :class:`LatestRecall`)
    and is scored on one held-out test set. A cell of the grid counts as *good* when its
    mean test loss is at most ``good_fraction_of_guessing`` times the loss of guessing.

    Parameters
    ----------
    learning_rates : sequence of float, default 0.001 ... 1.0
        Strictly increasing positive learning rates.
    hidden_sizes : sequence of int, default (2, 4, 8, 16)
    seeds : sequence of int, default (0, 1, 2)
    length : int, default 10
    noise : float, default 0.5
    steps : int, default 60
    batch_size : int, default 32
    good_fraction_of_guessing : float, default 0.1
        Threshold of a good cell, as a fraction of ``ln(num_symbols)``; in (0, 1).
    test_size : int, default 300
    progress : bool, default True

    Returns
    -------
    SweepResult

    Raises
    ------
    TypeError, ValueError
        If an argument is not of the documented kind or range.
    """
    if isinstance(learning_rates, (str, bytes)) or not isinstance(learning_rates,
                                                                     Sequence | np.ndarray):
        raise TypeError(f"learning_rates must be a sequence of numbers; got {learning_rates!r}")
    rates = np.array([check_learning_rate(rate, f"learning_rates[{index}]")
                      for index, rate in enumerate(learning_rates)])
    if rates.size < 2 or np.any(np.diff(rates) <= 0):
        raise ValueError(f"learning_rates must hold 2 or more increasing values; got {rates}")
    sizes = check_sizes(hidden_sizes, "hidden_sizes")
    seeds = check_seeds(seeds)
    steps = check_size(steps, "steps")
    batch_size = check_size(batch_size, "batch_size")
    threshold = check_learning_rate(good_fraction_of_guessing, "good_fraction_of_guessing")
    if threshold >= 1:
        raise ValueError(f"good_fraction_of_guessing must lie in (0, 1); got {threshold}")
    task = LatestRecall(length, noise=noise)
    test = task.sample(check_size(test_size, "test_size"), np.random.default_rng(30_000 + length))

    def score(model: SequenceModel, history: TrainingHistory) -> float:
        """Test loss of one run; NaN if training diverged."""
        if history.diverged_at is not None:
            return np.nan
        with np.errstate(all="ignore"):
            loss = model.evaluate(test)
        return loss if np.isfinite(loss) else np.nan

    start = time.perf_counter()
    settings = [{"hidden_size": int(hidden), "steps": steps, "lr": float(rate),
                 "batch_size": batch_size} for hidden in sizes for rate in rates]
    losses = train_over_grid(task, settings, seeds, score, progress, "sweep").reshape(
        sizes.size, rates.size, len(seeds))
    guessing = float(np.log(task.num_symbols))
    return SweepResult(
        learning_rates=rates,
        hidden_sizes=sizes,
        seeds=seeds,
        test_losses=losses,
        good_loss=threshold * guessing,
        guessing_loss=guessing,
        steps=steps,
        seconds=time.perf_counter() - start,
    )


@book_styled
def plot_hyperparameter_sweep(result: SweepResult, size: str = "laptop") -> Figure:
    """Heat map of the mean test loss over (hidden size, learning rate); good cells outlined.

    Parameters
    ----------
    result : SweepResult
        From :func:`hyperparameter_sweep`.
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
        If ``result`` is not a :class:`SweepResult`.
    """
    if not isinstance(result, SweepResult):
        raise TypeError(f"result must be a SweepResult; got {type(result).__name__}")
    from matplotlib import colormaps
    from matplotlib.colors import LogNorm
    from matplotlib.patches import Rectangle

    figure, (axes,) = figure_with_axes(1, size, width=10.0, height=4.8)
    losses = result.mean_losses
    finite = losses[np.isfinite(losses)]
    low = max(float(finite.min()) if finite.size else 1e-3, 1e-3)
    high = max(float(finite.max()) if finite.size else 1.0, result.guessing_loss)
    colour_map = colormaps["cividis_r"].with_extremes(bad=OKABE_ITO["black"])
    image = axes.imshow(np.ma.masked_invalid(losses), cmap=colour_map, aspect="auto",
                        norm=LogNorm(vmin=low, vmax=high))
    colourbar = figure.colorbar(image, ax=axes)
    colourbar.set_label("test loss (log scale)")
    for row in range(losses.shape[0]):
        for column in range(losses.shape[1]):
            value = losses[row, column]
            text = "div." if not np.isfinite(value) else f"{value:.2f}"
            shade = "white" if not np.isfinite(value) or value > np.sqrt(low * high) else "black"
            axes.text(column, row, text, ha="center", va="center", color=shade, fontsize="small")
            if result.good[row, column]:
                axes.add_patch(Rectangle((column - 0.5, row - 0.5), 1, 1, fill=False,
                                         edgecolor=OKABE_ITO["vermillion"], linewidth=3))
    axes.set_xticks(range(result.learning_rates.size),
                    [f"{rate:g}" for rate in result.learning_rates])
    axes.set_yticks(range(result.hidden_sizes.size), [str(h) for h in result.hidden_sizes])
    axes.set_xlabel("learning rate")
    axes.set_ylabel("hidden size H")
    axes.grid(False)
    axes.set_title(f"Test loss after {result.steps} steps (outlined: loss ≤ {result.good_loss:.2f})")
    return figure
