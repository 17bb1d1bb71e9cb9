"""Claim 1 of "Advantages of LSTMs": no vanishing gradient (section #sec-adv-vanishing).

- :func:`vanishing_gradients` -> :class:`VanishingResult`, drawn by
  :func:`plot_vanishing_gradients`: the gradient reaching earlier steps (measured with
  :mod:`lstm.gradient_flow`) at initialisation and after training on delayed recall.
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
    RNN_COLOUR,
    check_increasing,
    scaled_figure,
)
from lstm.gradient_flow import (
    NUM_SYMBOLS,
    GradientFlow,
    draw_gradient_flow,
    flow_of_models,
    gradient_flow,
    initial_models,
    scale_recurrent,
)
from lstm.rnn import RNNCell
from lstm.style import OKABE_ITO, book_style
from lstm.tasks import (
    DelayedRecall,
    delayed_recall,
)
from lstm.training import SequenceModel, TrainingHistory, one_blas_thread, train

__all__ = [
    "ExplodingResult",
    "VanishingResult",
    "exploding_gradients",
    "plot_exploding_gradients",
    "plot_vanishing_gradients",
    "vanishing_gradients",
]


@dataclass(frozen=True)
class VanishingResult:
    """Gradient flow at initialisation and after training on delayed recall.

    Attributes
    ----------
    initial, trained : GradientFlow
    train_delay : int
        Delay of the training task.
    rnn_accuracy, lstm_accuracy : float
        Test accuracy of the trained models at ``train_delay``.
    rnn_history, lstm_history : TrainingHistory
    seconds : float
        Wall time of the whole experiment.
    """

    initial: GradientFlow
    trained: GradientFlow
    train_delay: int
    rnn_accuracy: float
    lstm_accuracy: float
    rnn_history: TrainingHistory
    lstm_history: TrainingHistory
    seconds: float

    def summary(self, distance: int = 50) -> str:
        """The numbers behind the chapter's sentence, as text."""
        lines = [f"relative gradient norm {distance} steps before the loss:"]
        for flow in (self.initial, self.trained):
            values = flow.at(distance)
            lines.append(
                f"  {flow.label:18s}  RNN h: {values['rnn_hidden']:9.2e}   "
                f"LSTM c: {values['lstm_cell']:9.2e}   LSTM h: {values['lstm_hidden']:9.2e}"
            )
        lines.append(
            f"test accuracy after training (delay {self.train_delay}): "
            f"RNN {self.rnn_accuracy:.0%}, LSTM {self.lstm_accuracy:.0%} (chance 25%)"
        )
        return "\n".join(lines)


@one_blas_thread()
def vanishing_gradients(
    num_steps: int = 61,
    hidden_size: int = 16,
    forget_bias: float = 1.0,
    train_delay: int = 10,
    noise: float = 1.0,
    train_steps: int = 300,
    seed: int = 0,
    progress: bool = True,
) -> VanishingResult:
    """Gradient flow of an RNN and an LSTM, at initialisation and after training.

    Both models (hidden size ``hidden_size``, same seed) are trained with the same budget on
    delayed recall with delay ``train_delay`` and distractor noise ``noise``; the gradient flow
    is then measured on sequences of ``num_steps`` steps of the same task.

    Parameters
    ----------
    num_steps : int, default 61
    hidden_size : int, default 16
    forget_bias : float, default 1.0
    train_delay : int, default 10
    noise : float, default 1.0
    train_steps : int, default 300
    seed : int, default 0
    progress : bool, default True
        Progress bars while training.

    Returns
    -------
    VanishingResult

    Raises
    ------
    ValueError
        If an argument is out of range.
    """
    start = time.perf_counter()
    initial = gradient_flow(num_steps, hidden_size, forget_bias, 1.0, noise, 16, seed)
    task = DelayedRecall(check_integer(train_delay, "train_delay", 0), NUM_SYMBOLS, noise=noise)
    rnn_model, lstm_model = initial_models(task.input_size, hidden_size, forget_bias, 1.0, seed)
    histories = []
    for name, model in (("RNN", rnn_model), ("LSTM", lstm_model)):
        histories.append(
            train(
                model,
                task,
                steps=check_integer(train_steps, "train_steps"),
                lr=0.02,
                batch_size=32,
                seed=seed,
                progress=progress,
                description=f"{name}, delay {train_delay}",
            )
        )
    test = delayed_recall(500, train_delay, NUM_SYMBOLS, noise=noise, seed=seed + 1000)
    long_data = delayed_recall(16, num_steps - 2, NUM_SYMBOLS, noise=noise, seed=seed)
    rnn_hidden, lstm_cell, lstm_hidden = flow_of_models(rnn_model, lstm_model, long_data)
    trained = GradientFlow(
        distances=np.arange(num_steps),
        rnn_hidden=rnn_hidden,
        lstm_cell=lstm_cell,
        lstm_hidden=lstm_hidden,
        forget_bias=forget_bias,
        recurrent_scale=1.0,
        label="after training",
    )
    return VanishingResult(
        initial=initial,
        trained=trained,
        train_delay=train_delay,
        rnn_accuracy=rnn_model.accuracy(test),
        lstm_accuracy=lstm_model.accuracy(test),
        rnn_history=histories[0],
        lstm_history=histories[1],
        seconds=time.perf_counter() - start,
    )


def plot_vanishing_gradients(result: VanishingResult, size: str = "laptop") -> Any:
    """Two panels: gradient flow at initialisation and after training (log scale).

    Returns
    -------
    lstm.plots.BookFigure
    """
    figure = scaled_figure(size, 11.0, 4.6)
    with book_style(size):
        left = figure.add_subplot(1, 2, 1)
        right = figure.add_subplot(1, 2, 2, sharey=left)
        draw_gradient_flow(left, result.initial)
        draw_gradient_flow(right, result.trained, legend=False)
        left.set_title(f"At initialisation (forget bias {result.initial.forget_bias:g})")
        right.set_title(f"After training (delay {result.train_delay})")
        right.set_ylabel("")
        figure.tight_layout()
    return figure


@dataclass(frozen=True)
class ExplodingResult:
    """Exploding gradients in a plain RNN, and clipping.

    Attributes
    ----------
    scales : numpy.ndarray, shape (S,)
        Recurrent weight scales tried.
    distances : numpy.ndarray, shape (T,)
    rnn_flows : numpy.ndarray, shape (S, T)
        Relative gradient norm reaching :math:`h_t` at each distance, per scale.
    history : TrainingHistory
        Training of an RNN with the largest scale, with clipping at ``clip``.
    clip : float
        The clipping threshold.
    seconds : float
    """

    scales: np.ndarray
    distances: np.ndarray
    rnn_flows: np.ndarray
    history: TrainingHistory
    clip: float
    seconds: float

    def summary(self) -> str:
        """The numbers behind the chapter's sentence, as text."""
        last = self.distances[-1]
        lines = [f"plain RNN, relative gradient norm {last} steps back, by recurrent scale:"]
        for scale, flow in zip(self.scales, self.rnn_flows, strict=True):
            lines.append(f"  scale {scale:4.1f}: {flow[-1]:9.2e}")
        norms = self.history.grad_norms
        lines.append(
            f"training with scale {self.scales[-1]:g}: gradient norm before clipping from "
            f"{norms.min():.2g} to {norms.max():.3g} (median {np.median(norms):.3g}); "
            f"{self.history.clipped.mean():.0%} of the {norms.size} steps clipped to {self.clip:g}"
        )
        return "\n".join(lines)


@one_blas_thread()
def exploding_gradients(
    scales: Sequence[float] = (0.5, 1.0, 2.0, 4.0, 6.0),
    num_steps: int = 61,
    hidden_size: int = 16,
    clip: float = 1.0,
    train_steps: int = 150,
    seed: int = 0,
    progress: bool = True,
) -> ExplodingResult:
    """Gradient flow of a plain RNN as its recurrent weights grow, and clipping in training.

    Parameters
    ----------
    scales : sequence of float
        Recurrent weight scales (increasing); the last one is used for the training run.
    num_steps, hidden_size : int
    clip : float, default 1.0
        Global-norm clipping threshold of the training run.
    train_steps : int, default 150
    seed : int, default 0
    progress : bool, default True

    Returns
    -------
    ExplodingResult

    Raises
    ------
    ValueError
        If an argument is out of range.
    """
    start = time.perf_counter()
    scales = check_increasing("scales", scales, minimum=0.0)
    clip = check_number(clip, "clip", minimum=1e-12)
    flows = np.array(
        [gradient_flow(num_steps, hidden_size, 1.0, scale, 1.0, 16, seed).rnn_hidden for scale in scales]
    )
    task = DelayedRecall(10, NUM_SYMBOLS, noise=1.0)
    rnn = RNNCell(task.input_size, hidden_size, seed=seed)
    scale_recurrent(rnn, float(scales[-1]))
    history = train(
        SequenceModel(rnn, NUM_SYMBOLS, seed=seed),
        task,
        steps=check_integer(train_steps, "train_steps"),
        lr=0.01,
        batch_size=32,
        seed=seed,
        clip=clip,
        progress=progress,
        description=f"RNN, scale {scales[-1]:g}",
    )
    return ExplodingResult(
        scales=np.asarray(scales, dtype=float),
        distances=np.arange(num_steps),
        rnn_flows=flows,
        history=history,
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
        right.set_ylabel("global gradient norm")
        right.set_title(f"Training the scale-{result.scales[-1]:g} RNN")
        right.legend(loc="upper right")
        figure.tight_layout()
    return figure
