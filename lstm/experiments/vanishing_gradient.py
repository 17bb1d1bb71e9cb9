"""Claim 1 of "Advantages of LSTMs": no vanishing gradient (section #sec-adv-vanishing).

- :func:`vanishing_gradients` -> :class:`VanishingResult`, drawn by
  :func:`plot_vanishing_gradients`: the gradient reaching earlier steps (measured with
  :mod:`lstm.gradient_flow`) for freshly initialised cells and for the delayed-recall models of
  claim 2 after training, per seed (seeds 0-9).
- :func:`recurrent_scale_sweep` -> :class:`ScaleSweep`: the same measurement at initialisation
  with both cells' recurrent weights multiplied by a few factors; the gap between the two
  cells depends on that initialisation.
- :func:`exploding_gradients` -> :class:`ExplodingResult`, drawn by
  :func:`plot_exploding_gradients` (subsection "Exploding gradients, and clipping").
- The explorer of subsection "Explore: forget bias and recurrent scale",
  :func:`lstm.explorers.gradient_flow_explorer`, lives with the other explorers.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm._checks import check_integer, check_number
from lstm.experiments.common import (
    DEFAULT_SEEDS,
    DELAYED_RECALL_BUDGET,
    RNN_COLOUR,
    check_increasing,
    check_seeds,
    scaled_figure,
    train_recall_pairs,
)
from lstm.gradient_flow import (
    NUM_SYMBOLS,
    GradientFlow,
    draw_gradient_flow,
    flow_of_models,
    gradient_flow,
    scale_recurrent,
)
from lstm.rnn import RNNCell
from lstm.stacked import train_many
from lstm.style import GATE_COLOURS, OKABE_ITO, book_style, integer_ticks
from lstm.tasks import DelayedRecall, delayed_recall
from lstm.training import SequenceModel, TrainingHistory, one_blas_thread

__all__ = [
    "ExplodingResult",
    "ScaleSweep",
    "VanishingResult",
    "exploding_gradients",
    "plot_exploding_gradients",
    "plot_vanishing_gradients",
    "recurrent_scale_sweep",
    "vanishing_gradients",
]

_ROADS = ("rnn_hidden", "lstm_cell", "lstm_hidden")


def _stack(flows: Sequence[GradientFlow]) -> dict[str, np.ndarray]:
    """The three relative norms of several flows, each of shape (S, T)."""
    return {road: np.array([getattr(flow, road) for flow in flows]) for road in _ROADS}


@dataclass(frozen=True)
class VanishingResult:
    """Gradient flow per seed: fresh cells, and the delayed-recall models before and after training.

    Every array of relative gradient norms has shape (S, T): one row per seed, one column per
    distance from the loss (``distances``). The three dictionaries have the keys
    ``"rnn_hidden"`` (the plain RNN's :math:`h_t`), ``"lstm_cell"`` and ``"lstm_hidden"`` (the
    LSTM's :math:`c_t` and :math:`h_t`).

    Attributes
    ----------
    distances : numpy.ndarray of int, shape (T,)
    seeds : tuple of int, length S
    initial : dict of str to numpy.ndarray
        Freshly initialised cells of :func:`lstm.gradient_flow.gradient_flow` (16 units, forget
        bias ``forget_bias``, the same as the explorer).
    before, trained : dict of str to numpy.ndarray
        The delayed-recall models of claim 2 (the budget of
        :data:`~lstm.experiments.common.DELAYED_RECALL_BUDGET`, delay ``train_delay``) before
        and after training.
    forget_bias : float
        Forget bias of the fresh LSTM cells of ``initial``.
    train_delay : int
    rnn_accuracy, lstm_accuracy : numpy.ndarray, shape (S,)
        Test accuracy of the trained models at ``train_delay``.
    seconds : float
        Wall time of the whole experiment (training included unless an earlier call trained it).
    """

    distances: np.ndarray
    seeds: tuple[int, ...]
    initial: dict[str, np.ndarray]
    before: dict[str, np.ndarray]
    trained: dict[str, np.ndarray]
    forget_bias: float
    train_delay: int
    rnn_accuracy: np.ndarray
    lstm_accuracy: np.ndarray
    seconds: float

    def gap(self, which: str = "initial", distance: int = 50) -> np.ndarray:
        """Per seed, log10 of the LSTM cell state's gradient over the RNN's at ``distance``, shape (S,).

        ``which`` is ``"initial"``, ``"before"`` or ``"trained"``.
        """
        flows = self._flows(which)
        distance = check_integer(distance, "distance", minimum=0)
        if distance >= self.distances.size:
            raise ValueError(f"distance must be below {self.distances.size}; got {distance}")
        with np.errstate(divide="ignore"):
            return np.log10(flows["lstm_cell"][:, distance]) - np.log10(flows["rnn_hidden"][:, distance])

    def _flows(self, which: str) -> dict[str, np.ndarray]:
        if which not in ("initial", "before", "trained"):
            raise ValueError(f"which must be 'initial', 'before' or 'trained'; got {which!r}")
        return getattr(self, which)

    def summary(self, distance: int = 50) -> str:
        """Medians over the seeds (and ranges) of the numbers behind the chapter's sentences."""
        lines = [
            f"relative gradient norm {distance} steps before the loss, median over "
            f"{len(self.seeds)} seeds (lowest-highest):"
        ]
        labels = {
            "initial": f"fresh cells (16 units, forget bias {self.forget_bias:g})",
            "before": "claim 2's models before training",
            "trained": f"claim 2's models after training (delay {self.train_delay})",
        }
        for which, label in labels.items():
            flows = self._flows(which)
            cells = []
            for road, name in zip(_ROADS, ("RNN h", "LSTM c", "LSTM h"), strict=True):
                values = flows[road][:, distance]
                cells.append(f"{name} {np.median(values):.1e} ({values.min():.0e}-{values.max():.0e})")
            lines.append(f"  {label}:\n    " + ";  ".join(cells))
        lines.append(
            f"test accuracy after training (delay {self.train_delay}), median: "
            f"RNN {np.median(self.rnn_accuracy):.0%}, LSTM {np.median(self.lstm_accuracy):.0%} (chance 25%)"
        )
        return "\n".join(lines)


@one_blas_thread()
def vanishing_gradients(
    num_steps: int = 61,
    forget_bias: float = 1.0,
    train_delay: int = 10,
    noise: float = DELAYED_RECALL_BUDGET["noise"],
    seeds: Sequence[int] = DEFAULT_SEEDS,
    perturbation: float = 0.0,
    progress: bool = True,
) -> VanishingResult:
    """Gradient flow of an RNN and an LSTM per seed: fresh cells, and claim 2's models trained.

    ``initial`` measures freshly initialised cells of :func:`lstm.gradient_flow.gradient_flow`
    (16 units, LSTM forget bias ``forget_bias``). ``before`` and ``trained`` measure the
    delayed-recall models of claim 2 (the budget of
    :data:`~lstm.experiments.common.DELAYED_RECALL_BUDGET`: 8 units, forget bias 3), trained
    by :func:`lstm.experiments.common.train_recall_pairs` at delay ``train_delay`` and noise
    ``noise``; claim 2 and claim 4 reuse that training. All are measured on ``num_steps``-step
    sequences of the same task (16 per seed).

    Parameters
    ----------
    num_steps : int, default 61
    forget_bias : float, default 1.0
        Forget bias of the fresh LSTM cells.
    train_delay : int, default 10
    noise : float, default 1.0
    seeds : sequence of int, default 0-9
    perturbation : float, default 0
        Relative change of the initial weights before training (:func:`lstm.stacked.train_many`).
    progress : bool, default True
        Progress bars while training.

    Returns
    -------
    VanishingResult

    Raises
    ------
    TypeError, ValueError
        If an argument is out of range.
    """
    start = time.perf_counter()
    num_steps = check_integer(num_steps, "num_steps", minimum=2)
    seeds = check_seeds(seeds)
    budget = DELAYED_RECALL_BUDGET
    initial = [gradient_flow(num_steps, 16, forget_bias, 1.0, noise, 16, seed) for seed in seeds]
    before = [
        gradient_flow(num_steps, int(budget["hidden_size"]), budget["forget_bias"], 1.0, noise, 16, seed)
        for seed in seeds
    ]
    (runs,) = train_recall_pairs(
        [(check_integer(train_delay, "train_delay", minimum=0), noise)],
        hidden_size=int(budget["hidden_size"]),
        steps=int(budget["steps"]),
        batch_size=int(budget["batch_size"]),
        lr=budget["lr"],
        forget_bias=budget["forget_bias"],
        seeds=seeds,
        perturbation=perturbation,
        progress=progress,
    )
    trained = []
    for seed, rnn_model, lstm_model in zip(seeds, runs.rnn_models, runs.lstm_models, strict=True):
        long_data = delayed_recall(16, num_steps - 2, NUM_SYMBOLS, noise=noise, seed=seed)
        rnn_hidden, lstm_cell, lstm_hidden = flow_of_models(rnn_model, lstm_model, long_data)
        trained.append(GradientFlow(np.arange(num_steps), rnn_hidden, lstm_cell, lstm_hidden,
                                    budget["forget_bias"], 1.0, "after training"))
    return VanishingResult(
        distances=np.arange(num_steps),
        seeds=seeds,
        initial=_stack(initial),
        before=_stack(before),
        trained=_stack(trained),
        forget_bias=float(forget_bias),
        train_delay=int(train_delay),
        rnn_accuracy=runs.rnn_accuracy,
        lstm_accuracy=runs.lstm_accuracy,
        seconds=time.perf_counter() - start,
    )


@dataclass(frozen=True)
class ScaleSweep:
    """The gradient reaching ``distance`` steps back at initialisation, for several recurrent scales.

    Attributes
    ----------
    scales : numpy.ndarray, shape (K,)
        Factors applied to both cells' recurrent weights.
    seeds : tuple of int, length S
    distance : int
    forget_bias : float
    rnn_hidden, lstm_cell : numpy.ndarray, shape (K, S)
        Relative gradient norm reaching the RNN's :math:`h_t` and the LSTM's :math:`c_t`.
    """

    scales: np.ndarray
    seeds: tuple[int, ...]
    distance: int
    forget_bias: float
    rnn_hidden: np.ndarray
    lstm_cell: np.ndarray

    @property
    def gap(self) -> np.ndarray:
        """log10 of the LSTM cell state's gradient over the RNN's, shape (K, S)."""
        return np.log10(self.lstm_cell) - np.log10(self.rnn_hidden)

    @property
    def rnn_ahead(self) -> np.ndarray:
        """Per scale, on how many seeds the RNN receives more than the LSTM's cell state, shape (K,)."""
        return (self.rnn_hidden > self.lstm_cell).sum(axis=1)

    def summary(self) -> str:
        """One line per scale: medians over the seeds, the gap in orders of magnitude, and the count."""
        count = len(self.seeds)
        lines = [
            f"{self.distance} steps back at initialisation (forget bias {self.forget_bias:g}), "
            f"median over {count} seeds; gap = log10(LSTM c / RNN h), lowest to highest",
            "scale   RNN h     LSTM c    gap            RNN ahead",
        ]
        for row, scale in enumerate(self.scales):
            lines.append(
                f"{scale:5.2g}  {np.median(self.rnn_hidden[row]):8.1e}  "
                f"{np.median(self.lstm_cell[row]):8.1e}  "
                f"{self.gap[row].min():5.1f} to {self.gap[row].max():4.1f}  {self.rnn_ahead[row]:3d}/{count}"
            )
        return "\n".join(lines)


def recurrent_scale_sweep(
    scales: Sequence[float] = (0.5, 1.0, 2.0, 3.0),
    distance: int = 50,
    forget_bias: float = 1.0,
    seeds: Sequence[int] = DEFAULT_SEEDS,
) -> ScaleSweep:
    """Gradient ``distance`` steps back for fresh cells whose recurrent weights are scaled.

    Uses :func:`lstm.gradient_flow.gradient_flow` (16 units, the explorer's cells) with
    ``recurrent_scale`` set to each of ``scales``; no training, so it is cheap.

    Parameters
    ----------
    scales : sequence of float, default (0.5, 1, 2, 3)
        Increasing positive factors.
    distance : int, default 50
    forget_bias : float, default 1.0
    seeds : sequence of int, default 0-9

    Returns
    -------
    ScaleSweep

    Raises
    ------
    TypeError, ValueError
        If an argument is out of range.
    """
    scales = tuple(float(scale) for scale in check_increasing("scales", scales, minimum=1e-12))
    distance = check_integer(distance, "distance", minimum=1)
    forget_bias = check_number(forget_bias, "forget_bias")
    seeds = check_seeds(seeds)
    values = np.array([
        [list(gradient_flow(distance + 11, 16, forget_bias, scale, 1.0, 16, seed).at(distance).values())
         for seed in seeds]
        for scale in scales
    ])  # (K, S, 3)
    return ScaleSweep(
        scales=np.array(scales),
        seeds=seeds,
        distance=distance,
        forget_bias=forget_bias,
        rnn_hidden=values[:, :, 0],
        lstm_cell=values[:, :, 1],
    )


def _draw_over_seeds(axes: Any, flows: dict[str, np.ndarray], distances: np.ndarray, label: str,
                     forget_bias: float, legend: bool) -> None:
    """The median over seeds as lines (:func:`lstm.gradient_flow.draw_gradient_flow`), the range as bands."""
    floor = 1e-30
    median = GradientFlow(distances, *(np.median(flows[road], axis=0) for road in _ROADS),
                          forget_bias, 1.0, label)
    draw_gradient_flow(axes, median, legend=legend)
    for road, colour in (("rnn_hidden", GATE_COLOURS["rnn"]), ("lstm_cell", GATE_COLOURS["lstm"])):
        axes.fill_between(distances, np.maximum(flows[road].min(axis=0), floor),
                          np.maximum(flows[road].max(axis=0), floor), color=colour, alpha=0.2, linewidth=0)


def plot_vanishing_gradients(result: VanishingResult, size: str = "laptop") -> Any:
    """Two panels (log scale): fresh cells, and claim 2's models after training; medians and ranges.

    Returns
    -------
    lstm.plots.BookFigure
    """
    figure = scaled_figure(size, 11.0, 4.6)
    with book_style(size):
        left = figure.add_subplot(1, 2, 1)
        right = figure.add_subplot(1, 2, 2, sharey=left)
        _draw_over_seeds(left, result.initial, result.distances, "at initialisation", result.forget_bias,
                         True)
        _draw_over_seeds(right, result.trained, result.distances, "after training",
                         float(DELAYED_RECALL_BUDGET["forget_bias"]), False)
        left.set_title(f"Fresh cells, 16 units, forget bias {result.forget_bias:g}", fontsize="medium")
        right.set_title(f"Claim 2's models after training (delay {result.train_delay})", fontsize="medium")
        right.set_ylabel("")
        figure.tight_layout()
    return figure


@dataclass(frozen=True)
class ExplodingResult:
    """Exploding gradients in a plain RNN, and clipping, per seed.

    Attributes
    ----------
    scales : numpy.ndarray, shape (K,)
        Recurrent weight scales tried.
    seeds : tuple of int, length S
    distances : numpy.ndarray, shape (T,)
    rnn_flows : numpy.ndarray, shape (K, T)
        Relative gradient norm reaching :math:`h_t` at each distance, per scale, for the first seed.
    farthest : numpy.ndarray, shape (K, S)
        The same at the largest distance, for every seed.
    histories : tuple of TrainingHistory, length S
        Training of an RNN with the largest scale, with clipping at ``clip``, one per seed.
    clip : float
        The clipping threshold.
    seconds : float
    """

    scales: np.ndarray
    seeds: tuple[int, ...]
    distances: np.ndarray
    rnn_flows: np.ndarray
    farthest: np.ndarray
    histories: tuple[TrainingHistory, ...]
    clip: float
    seconds: float

    @property
    def history(self) -> TrainingHistory:
        """The first seed's training run (the one the figure shows)."""
        return self.histories[0]

    @property
    def clipped_fraction(self) -> np.ndarray:
        """Per seed, the fraction of training steps whose gradient norm was clipped, shape (S,)."""
        return np.array([history.clipped.mean() for history in self.histories])

    @property
    def norm_range(self) -> tuple[float, float]:
        """The smallest and largest gradient norm before clipping over all seeds' training steps."""
        norms = np.concatenate([history.grad_norms for history in self.histories])
        return float(norms.min()), float(norms.max())

    def summary(self) -> str:
        """The numbers behind the chapter's sentences, as text."""
        last = self.distances[-1]
        lines = [f"plain RNN, relative gradient norm {last} steps back, by recurrent scale "
                 f"(median over {len(self.seeds)} seeds, lowest-highest):"]
        for scale, values in zip(self.scales, self.farthest, strict=True):
            lines.append(
                f"  scale {scale:4.1f}: {np.median(values):9.2e} ({values.min():.0e}-{values.max():.0e})"
            )
        low, high = self.norm_range
        fraction = self.clipped_fraction
        lines.append(
            f"training with scale {self.scales[-1]:g}, {len(self.seeds)} seeds: gradient norm before "
            f"clipping "
            f"from {low:.2g} to {high:.3g}; steps clipped to {self.clip:g}: median {np.median(fraction):.0%} "
            f"({fraction.min():.0%}-{fraction.max():.0%}) of the {self.history.grad_norms.size} steps"
        )
        return "\n".join(lines)


@one_blas_thread()
def exploding_gradients(
    scales: Sequence[float] = (0.5, 1.0, 2.0, 4.0, 6.0),
    num_steps: int = 61,
    hidden_size: int = 16,
    clip: float = 1.0,
    train_steps: int = 150,
    seeds: Sequence[int] = DEFAULT_SEEDS,
    perturbation: float = 0.0,
    progress: bool = True,
) -> ExplodingResult:
    """Gradient flow of a plain RNN as its recurrent weights grow, and clipping in training.

    Parameters
    ----------
    scales : sequence of float
        Recurrent weight scales (increasing); the last one is used for the training runs.
    num_steps, hidden_size : int
    clip : float, default 1.0
        Global-norm clipping threshold of the training runs.
    train_steps : int, default 150
    seeds : sequence of int, default 0-9
        One training run per seed (cell, read-out and data from the seed), all in one
        :func:`lstm.stacked.train_many` call.
    perturbation : float, default 0
    progress : bool, default True

    Returns
    -------
    ExplodingResult

    Raises
    ------
    TypeError, ValueError
        If an argument is out of range.
    """
    start = time.perf_counter()
    scales = check_increasing("scales", scales, minimum=0.0)
    clip = check_number(clip, "clip", minimum=1e-12)
    seeds = check_seeds(seeds)
    flows = np.array([
        [gradient_flow(num_steps, hidden_size, 1.0, scale, 1.0, 16, seed).rnn_hidden for seed in seeds]
        for scale in scales
    ])  # (K, S, T)
    task = DelayedRecall(10, NUM_SYMBOLS, noise=1.0)
    models = []
    for seed in seeds:
        rnn = RNNCell(task.input_size, hidden_size, seed=seed)
        scale_recurrent(rnn, float(scales[-1]))
        models.append(SequenceModel(rnn, NUM_SYMBOLS, seed=seed))
    histories = train_many(
        models,
        task,
        seeds=seeds,
        steps=check_integer(train_steps, "train_steps"),
        lr=0.01,
        batch_size=32,
        clip=clip,
        perturbation=perturbation,
        progress=progress,
        description=f"RNN, scale {scales[-1]:g}",
    )
    return ExplodingResult(
        scales=np.asarray(scales, dtype=float),
        seeds=seeds,
        distances=np.arange(num_steps),
        rnn_flows=flows[:, 0],
        farthest=flows[:, :, -1],
        histories=tuple(histories),
        clip=clip,
        seconds=time.perf_counter() - start,
    )


def plot_exploding_gradients(result: ExplodingResult, size: str = "laptop") -> Any:
    """Left: RNN gradient flow per recurrent scale; right: gradient norms while training.

    Returns
    -------
    lstm.plots.BookFigure
    """
    figure = scaled_figure(size, 11.0, 4.6)
    with book_style(size):
        left = figure.add_subplot(1, 2, 1)
        right = figure.add_subplot(1, 2, 2)
        import matplotlib as mpl

        colours = mpl.colormaps["cividis"](np.linspace(0.0, 0.9, len(result.scales)))
        for scale, flow, colour in zip(result.scales, result.rnn_flows, colours, strict=True):
            left.semilogy(result.distances, flow, color=colour, label=f"scale {scale:g}")
        left.set_xlabel("distance from the loss (steps back in time)")
        integer_ticks(left)
        left.set_ylabel("gradient norm (relative)")
        left.set_title("Plain RNN: recurrent weights × scale")
        left.legend(loc="lower left", ncols=2)
        steps = np.arange(1, result.history.grad_norms.size + 1)
        right.semilogy(steps, result.history.grad_norms, color=RNN_COLOUR, label="before clipping")
        right.semilogy(
            steps,
            np.minimum(result.history.grad_norms, result.clip),
            color=OKABE_ITO["vermillion"],
            linestyle="--",
            label=f"after clipping at {result.clip:g}",
        )
        right.set_xlabel("training step")
        integer_ticks(right)
        right.set_ylabel("global gradient norm")
        right.set_title(f"Training the scale-{result.scales[-1]:g} RNN, seed {result.seeds[0]}")
        right.legend(loc="upper right")
        figure.tight_layout()
    return figure
