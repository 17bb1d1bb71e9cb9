"""Experiments behind the chapter "Advantages of LSTMs" (one function per claim).

Every experiment is a function that runs a small, seeded computation with the book's own
:class:`~lstm.LSTMCell`, :class:`~lstm.RNNCell` and :func:`~lstm.training.train`, and returns a
result object holding plain NumPy arrays (the numbers and what to plot).  Each has a plotting
helper that draws the result on a new object-oriented matplotlib figure (Okabe-Ito colours:
sky blue for the plain RNN, orange for the LSTM; labelled axes).

=================================  ===================================  =============================
claim of the article               experiment                           plot
=================================  ===================================  =============================
1. no vanishing gradient           :func:`vanishing_gradients`          :func:`plot_vanishing_gradients`
   (and exploding ones)            :func:`exploding_gradients`          :func:`plot_exploding_gradients`
   (slider)                        :func:`gradient_flow_explorer`
2. long-term dependencies          :func:`long_term_dependencies`       :func:`plot_long_term_dependencies`
                                   :func:`adding_problem_comparison`    :func:`plot_adding_problem`
                                   :func:`open_up_lstm`                 :func:`plot_open_lstm`
3. variable-length sequences       :func:`variable_length_equivalence`  (numbers only)
                                   :func:`train_short_test_long`        :func:`plot_train_short_test_long`
4. robustness to noise             :func:`noise_robustness`             :func:`plot_noise_robustness`
5. wide applicability              :func:`real_data_forecast`           :func:`plot_real_data_forecast`
=================================  ===================================  =============================

All settings have defaults chosen so that each experiment runs in a few seconds on a laptop;
every one can be changed (more steps, other seeds, longer delays) to check the conclusions.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from lstm.cell import LSTMCell
from lstm.plots import new_figure
from lstm.rnn import RNNCell
from lstm.style import GATE_COLOURS, OKABE_ITO, book_style, check_size
from lstm.tasks import (
    AddingProblem,
    DelayedRecall,
    ForecastingData,
    adding_problem,
    delayed_recall,
    forecasting_data,
    sample_series,
)
from lstm.training import SequenceData, SequenceModel, TrainingHistory, train

__all__ = [
    "AddingResult",
    "ExplodingResult",
    "ForecastResult",
    "GradientFlow",
    "LongTermResult",
    "NoiseResult",
    "OpenedLSTM",
    "ShortLongResult",
    "VanishingResult",
    "VariableLengthCheck",
    "adding_problem_comparison",
    "exploding_gradients",
    "gradient_flow",
    "gradient_flow_explorer",
    "long_term_dependencies",
    "noise_robustness",
    "open_up_lstm",
    "plot_adding_problem",
    "plot_exploding_gradients",
    "plot_long_term_dependencies",
    "plot_noise_robustness",
    "plot_open_lstm",
    "plot_real_data_forecast",
    "plot_train_short_test_long",
    "plot_vanishing_gradients",
    "real_data_forecast",
    "train_short_test_long",
    "variable_length_equivalence",
]

RNN_COLOUR = GATE_COLOURS["rnn"]
LSTM_COLOUR = GATE_COLOURS["lstm"]
BASELINE_COLOUR = OKABE_ITO["black"]
LINEAR_COLOUR = OKABE_ITO["reddish_purple"]

#: Number of symbols of the delayed-recall task used throughout (chance = 25%).
NUM_SYMBOLS = 4


# --------------------------------------------------------------------------------------------
# argument checks and small helpers
# --------------------------------------------------------------------------------------------


def _check_int(name: str, value: Any, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def _check_float(name: str, value: Any, minimum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"{name} must be a number; got {value!r}")
    value = float(value)
    if not np.isfinite(value) or (minimum is not None and value < minimum):
        bound = f" >= {minimum}" if minimum is not None else ""
        raise ValueError(f"{name} must be a finite number{bound}; got {value!r}")
    return value


def _check_increasing(name: str, values: Any, minimum: float = 0) -> tuple:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence | np.ndarray):
        raise ValueError(f"{name} must be a sequence of numbers; got {values!r}")
    checked = [float(value) for value in values]
    if len(checked) < 1 or any(value < minimum for value in checked):
        raise ValueError(f"{name} must hold numbers >= {minimum}; got {list(values)!r}")
    if any(later <= earlier for earlier, later in zip(checked, checked[1:], strict=False)):
        raise ValueError(f"{name} must be strictly increasing; got {list(values)!r}")
    return tuple(values)


def _lstm(input_size: int, hidden_size: int, seed: int, forget_bias: float) -> LSTMCell:
    return LSTMCell(input_size, hidden_size, seed=seed, forget_bias=forget_bias)


def _scale_recurrent(cell: LSTMCell | RNNCell, scale: float) -> None:
    """Multiply the recurrent weights (the columns acting on h_{t-1}) by ``scale`` in place."""
    hidden = cell.hidden_size
    for name, array in cell.parameters.items():
        if name.startswith("W"):
            array[:, :hidden] *= scale


def _figure(size: str, width: float, height: float) -> Any:
    check_size(size)
    scale = 1.3 if size == "projector" else 1.0
    return new_figure(size, figsize=(width * scale, height * scale))


# ============================================================================================
# 1. The vanishing gradient
# ============================================================================================


@dataclass(frozen=True)
class GradientFlow:
    """How much of the loss gradient reaches each earlier step.

    The loss looks at the last step only.  ``grads.dh[t]`` (and, for the LSTM, ``grads.dc[t]``)
    returned by ``backward`` is the gradient that reaches the state at step ``t``; we record its
    norm (mean over a batch of sequences), divided by its value at the last step.

    Attributes
    ----------
    distances : numpy.ndarray of int, shape (T,)
        ``0, 1, ..., T-1``: how many steps before the end.
    rnn_hidden : numpy.ndarray, shape (T,)
        Plain RNN, relative norm of the gradient reaching :math:`h_{T-1-d}`.
    lstm_cell : numpy.ndarray, shape (T,)
        LSTM, relative norm of the gradient reaching the cell state :math:`c_{T-1-d}`.
    lstm_hidden : numpy.ndarray, shape (T,)
        LSTM, relative norm of the gradient reaching :math:`h_{T-1-d}`.
    forget_bias, recurrent_scale : float
        Settings of the cells (for the initial cells).
    label : str
        ``"at initialisation"`` or ``"after training"``.
    """

    distances: np.ndarray
    rnn_hidden: np.ndarray
    lstm_cell: np.ndarray
    lstm_hidden: np.ndarray
    forget_bias: float
    recurrent_scale: float
    label: str

    def at(self, distance: int) -> dict[str, float]:
        """The three relative gradients at one distance."""
        distance = _check_int("distance", distance, minimum=0)
        if distance >= self.distances.size:
            raise ValueError(
                f"distance must be below {self.distances.size} (the sequence length); got {distance}"
            )
        return {
            "rnn_hidden": float(self.rnn_hidden[distance]),
            "lstm_cell": float(self.lstm_cell[distance]),
            "lstm_hidden": float(self.lstm_hidden[distance]),
        }


def _relative_norms(per_step: np.ndarray) -> np.ndarray:
    """Norm over units, mean over the batch, reversed to distance order, divided by distance 0."""
    norms = np.linalg.norm(per_step, axis=-1).mean(axis=1)[::-1]
    with np.errstate(under="ignore"):
        return norms / norms[0]


def _flow_of_models(
    rnn_model: SequenceModel, lstm_model: SequenceModel, data: SequenceData
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Relative gradient norms per distance for two trained-or-not models on ``data``."""
    results = []
    for model in (rnn_model, lstm_model):
        cache = model.forward(data.xs, data.lengths)
        _, doutputs = model.loss(cache.outputs, data)
        _, dhidden = model.readout.backward(cache.hidden, doutputs)
        dh = np.zeros_like(cache.inner.h)
        dh[-1] = dhidden
        results.append(model.cell.backward(cache.inner, dh))
    rnn_grads, lstm_grads = results
    return (
        _relative_norms(rnn_grads.dh),
        _relative_norms(lstm_grads.dc),
        _relative_norms(lstm_grads.dh),
    )


def _initial_models(
    input_size: int,
    hidden_size: int,
    forget_bias: float,
    recurrent_scale: float,
    seed: int,
) -> tuple[SequenceModel, SequenceModel]:
    rnn = RNNCell(input_size, hidden_size, seed=seed)
    lstm = _lstm(input_size, hidden_size, seed, forget_bias)
    _scale_recurrent(rnn, recurrent_scale)
    _scale_recurrent(lstm, recurrent_scale)
    return (
        SequenceModel(rnn, NUM_SYMBOLS, seed=seed),
        SequenceModel(lstm, NUM_SYMBOLS, seed=seed),
    )


def gradient_flow(
    num_steps: int = 61,
    hidden_size: int = 16,
    forget_bias: float = 1.0,
    recurrent_scale: float = 1.0,
    noise: float = 1.0,
    batch_size: int = 16,
    seed: int = 0,
) -> GradientFlow:
    """Gradient reaching each earlier step, for a freshly initialised RNN and LSTM.

    Both cells (same hidden size, same seed) read delayed-recall sequences of ``num_steps``
    steps (distractor noise ``noise``); the loss is the cross-entropy at the last step.

    Parameters
    ----------
    num_steps : int, default 61
        Sequence length ``T`` (distances ``0 .. T-1``).
    hidden_size : int, default 16
    forget_bias : float, default 1.0
        Initial bias of the LSTM's forget gate.
    recurrent_scale : float, default 1.0
        Factor applied to both cells' recurrent weights (the columns acting on
        :math:`h_{t-1}`); large values make gradients explode.
    noise : float, default 1.0
        Distractor noise of the input sequences.
    batch_size : int, default 16
        Number of sequences averaged over.
    seed : int, default 0

    Returns
    -------
    GradientFlow

    Raises
    ------
    ValueError
        If an argument is out of range.
    """
    num_steps = _check_int("num_steps", num_steps, minimum=2)
    hidden_size = _check_int("hidden_size", hidden_size)
    forget_bias = _check_float("forget_bias", forget_bias)
    recurrent_scale = _check_float("recurrent_scale", recurrent_scale, minimum=0.0)
    batch_size = _check_int("batch_size", batch_size)
    data = delayed_recall(batch_size, num_steps - 2, NUM_SYMBOLS, noise=noise, seed=seed)
    rnn_model, lstm_model = _initial_models(data.input_size, hidden_size, forget_bias, recurrent_scale, seed)
    rnn_hidden, lstm_cell, lstm_hidden = _flow_of_models(rnn_model, lstm_model, data)
    return GradientFlow(
        distances=np.arange(num_steps),
        rnn_hidden=rnn_hidden,
        lstm_cell=lstm_cell,
        lstm_hidden=lstm_hidden,
        forget_bias=forget_bias,
        recurrent_scale=recurrent_scale,
        label="at initialisation",
    )


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
    task = DelayedRecall(_check_int("train_delay", train_delay, 0), NUM_SYMBOLS, noise=noise)
    rnn_model, lstm_model = _initial_models(task.input_size, hidden_size, forget_bias, 1.0, seed)
    histories = []
    for name, model in (("RNN", rnn_model), ("LSTM", lstm_model)):
        histories.append(
            train(
                model,
                task,
                steps=_check_int("train_steps", train_steps),
                lr=0.02,
                batch_size=32,
                seed=seed,
                progress=progress,
                description=f"{name}, delay {train_delay}",
            )
        )
    test = delayed_recall(500, train_delay, NUM_SYMBOLS, noise=noise, seed=seed + 1000)
    long_data = delayed_recall(16, num_steps - 2, NUM_SYMBOLS, noise=noise, seed=seed)
    rnn_hidden, lstm_cell, lstm_hidden = _flow_of_models(rnn_model, lstm_model, long_data)
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


def _draw_flow(axes: Any, flow: GradientFlow, legend: bool = True) -> dict[str, Any]:
    floor = 1e-30
    lines = {
        "rnn": axes.semilogy(
            flow.distances,
            np.maximum(flow.rnn_hidden, floor),
            color=RNN_COLOUR,
            label=r"plain RNN, gradient reaching $h_t$",
        )[0],
        "lstm_cell": axes.semilogy(
            flow.distances,
            np.maximum(flow.lstm_cell, floor),
            color=LSTM_COLOUR,
            label=r"LSTM, gradient reaching $c_t$",
        )[0],
        "lstm_hidden": axes.semilogy(
            flow.distances,
            np.maximum(flow.lstm_hidden, floor),
            color=LSTM_COLOUR,
            linestyle="--",
            label=r"LSTM, gradient reaching $h_t$",
        )[0],
    }
    axes.set_xlabel("distance from the loss (steps back in time)")
    axes.set_ylabel("gradient norm (relative to the last step)")
    axes.set_ylim(1e-20, 1e3)
    if legend:
        axes.legend(loc="lower left")
    return lines


def plot_vanishing_gradients(result: VanishingResult, size: str = "laptop") -> Any:
    """Two panels: gradient flow at initialisation and after training (log scale).

    Returns
    -------
    lstm.plots.BookFigure
    """
    figure = _figure(size, 11.0, 4.6)
    with book_style(size):
        left = figure.add_subplot(1, 2, 1)
        right = figure.add_subplot(1, 2, 2, sharey=left)
        _draw_flow(left, result.initial)
        _draw_flow(right, result.trained, legend=False)
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
    scales = _check_increasing("scales", scales, minimum=0.0)
    clip = _check_float("clip", clip, minimum=1e-12)
    flows = np.array(
        [gradient_flow(num_steps, hidden_size, 1.0, scale, 1.0, 16, seed).rnn_hidden for scale in scales]
    )
    task = DelayedRecall(10, NUM_SYMBOLS, noise=1.0)
    rnn = RNNCell(task.input_size, hidden_size, seed=seed)
    _scale_recurrent(rnn, float(scales[-1]))
    history = train(
        SequenceModel(rnn, NUM_SYMBOLS, seed=seed),
        task,
        steps=_check_int("train_steps", train_steps),
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
    figure = _figure(size, 11.0, 4.6)
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


# -- slider explorer ---------------------------------------------------------------------------


def _gradient_explorer_class() -> type:
    """Build the explorer class lazily (ipywidgets is imported only when it is used)."""
    import ipywidgets as widgets

    from lstm.explorers import Explorer, _slider

    class GradientFlowExplorer(Explorer):
        """Forget-gate bias and recurrent weight scale -> gradient flow at initialisation."""

        name = "gradient-flow"
        static_parameter = "forget_bias"
        static_caption = (
            "Moving the slider changes the LSTM's initial forget-gate bias b_f (recurrent "
            "scale 1): the closer the forget gate is to 1, the more of the gradient reaches "
            "early steps through the cell state. The plain RNN does not have this gate and is "
            "the same in every frame."
        )
        figsize: ClassVar[dict[str, tuple[float, float]]] = {
            "laptop": (8.0, 4.6),
            "projector": (11.0, 6.3),
        }

        def _make_controls(self) -> dict[str, widgets.Widget]:
            return {
                "forget_bias": _slider(
                    "LSTM forget bias b_f", 1.0, -2.0, 6.0, 0.25, "Initial forget-gate bias"
                ),
                "recurrent_scale": _slider(
                    "recurrent scale", 1.0, 0.25, 6.0, 0.25, "Factor on both recurrent weights"
                ),
            }

        def _build_figure(self) -> None:
            self.axes = self.figure.add_subplot(1, 1, 1)
            self._compute()
            self.lines = _draw_flow(self.axes, self.flow)
            self.axes.set_title("Gradient reaching earlier steps, at initialisation")
            self.figure.tight_layout()

        def _dynamic_artists(self) -> list[Any]:
            return list(self.lines.values())

        def _compute(self) -> None:
            self.flow = gradient_flow(
                forget_bias=self.controls["forget_bias"].value,
                recurrent_scale=self.controls["recurrent_scale"].value,
            )

        def _redraw(self) -> None:
            floor = 1e-30
            self.lines["rnn"].set_ydata(np.maximum(self.flow.rnn_hidden, floor))
            self.lines["lstm_cell"].set_ydata(np.maximum(self.flow.lstm_cell, floor))
            self.lines["lstm_hidden"].set_ydata(np.maximum(self.flow.lstm_hidden, floor))

        def describe(self) -> str:
            values = self.flow.at(50)
            return (
                "Log-scale line plot of the gradient norm reaching each earlier step, relative "
                f"to the last step, for forget bias {self.flow.forget_bias:.2f} and recurrent "
                f"scale {self.flow.recurrent_scale:.2f}. Fifty steps back: plain RNN "
                f"{values['rnn_hidden']:.1e}, LSTM cell state {values['lstm_cell']:.1e}, "
                f"LSTM hidden state {values['lstm_hidden']:.1e}."
            )

    return GradientFlowExplorer


def gradient_flow_explorer(size: str = "laptop") -> Any:
    """Sliders for the forget-gate bias and the recurrent scale; the gradient flow redrawn.

    Live ipywidgets in a kernel; with ``LSTM_BOOK_STATIC=1`` an HTML scrubber over the forget
    bias (see :mod:`lstm.static`).

    Parameters
    ----------
    size : {"laptop", "projector"}

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    """
    check_size(size)
    from lstm.static import scrubber, static_mode

    explorer = _gradient_explorer_class()(size)
    if static_mode():
        return scrubber(explorer, count=9)
    return explorer


# ============================================================================================
# 2. Long-term dependencies
# ============================================================================================


@dataclass(frozen=True)
class LongTermResult:
    """Delayed-recall accuracy against delay, RNN vs LSTM, same training budget.

    Attributes
    ----------
    delays : numpy.ndarray of int
    rnn_accuracy, lstm_accuracy : numpy.ndarray
        Test accuracy at each delay (500 fresh sequences).
    chance : float
    noise : float
    lstm_model : SequenceModel
        The LSTM trained at the longest delay (to open up).
    settings : dict
        Hidden size, steps, batch size, learning rate, forget bias, parameter counts.
    seconds : float
    """

    delays: np.ndarray
    rnn_accuracy: np.ndarray
    lstm_accuracy: np.ndarray
    chance: float
    noise: float
    lstm_model: SequenceModel
    settings: dict[str, Any]
    seconds: float

    def summary(self) -> str:
        """Table of accuracies."""
        lines = ["delay   RNN    LSTM"]
        for delay, rnn, lstm in zip(self.delays, self.rnn_accuracy, self.lstm_accuracy, strict=True):
            lines.append(f"{delay:5d}  {rnn:5.0%}  {lstm:5.0%}")
        lines.append(
            f"(chance {self.chance:.0%}; parameters RNN {self.settings['rnn_parameters']}, "
            f"LSTM {self.settings['lstm_parameters']})"
        )
        return "\n".join(lines)


def long_term_dependencies(
    delays: Sequence[int] = (2, 5, 10, 20),
    noise: float = 1.0,
    hidden_size: int = 8,
    steps: int = 600,
    batch_size: int = 64,
    lr: float = 0.05,
    forget_bias: float = 3.0,
    seed: int = 0,
    progress: bool = True,
) -> LongTermResult:
    """Train an RNN and an LSTM on delayed recall at each delay; test accuracy.

    Same hidden size, steps, batch size, learning rate and seed for both models.  The LSTM's
    forget-gate bias starts at ``forget_bias`` (a common initialisation, Gers et al. 2000;
    Jozefowicz et al. 2015).

    Parameters
    ----------
    delays : sequence of int
        Increasing delays to try.
    noise : float, default 1.0
        Distractor noise during the delay.
    hidden_size, steps, batch_size : int
    lr, forget_bias : float
    seed : int
    progress : bool

    Returns
    -------
    LongTermResult

    Raises
    ------
    ValueError
        If an argument is out of range.
    """
    start = time.perf_counter()
    delays = tuple(int(d) for d in _check_increasing("delays", delays, minimum=0))
    hidden_size = _check_int("hidden_size", hidden_size)
    rnn_accuracy, lstm_accuracy = [], []
    lstm_model: SequenceModel | None = None
    rnn_parameters = lstm_parameters = 0
    for delay in delays:
        task = DelayedRecall(delay, NUM_SYMBOLS, noise=noise)
        test = delayed_recall(500, delay, NUM_SYMBOLS, noise=noise, seed=seed + 1000)
        rnn_model = SequenceModel(RNNCell(task.input_size, hidden_size, seed=seed), NUM_SYMBOLS)
        lstm_model = SequenceModel(_lstm(task.input_size, hidden_size, seed, forget_bias), NUM_SYMBOLS)
        for name, model in (("RNN", rnn_model), ("LSTM", lstm_model)):
            train(
                model,
                task,
                steps=steps,
                lr=lr,
                batch_size=batch_size,
                seed=seed,
                progress=progress,
                description=f"{name}, delay {delay}",
            )
        rnn_accuracy.append(rnn_model.accuracy(test))
        lstm_accuracy.append(lstm_model.accuracy(test))
        rnn_parameters, lstm_parameters = rnn_model.num_parameters, lstm_model.num_parameters
    assert lstm_model is not None
    return LongTermResult(
        delays=np.array(delays),
        rnn_accuracy=np.array(rnn_accuracy),
        lstm_accuracy=np.array(lstm_accuracy),
        chance=1.0 / NUM_SYMBOLS,
        noise=noise,
        lstm_model=lstm_model,
        settings={
            "hidden_size": hidden_size,
            "steps": steps,
            "batch_size": batch_size,
            "lr": lr,
            "forget_bias": forget_bias,
            "rnn_parameters": rnn_parameters,
            "lstm_parameters": lstm_parameters,
        },
        seconds=time.perf_counter() - start,
    )


def plot_long_term_dependencies(result: LongTermResult, size: str = "laptop") -> Any:
    """Accuracy against delay for both models, with the chance level.

    Returns
    -------
    lstm.plots.BookFigure
    """
    figure = _figure(size, 7.5, 4.6)
    with book_style(size):
        axes = figure.add_subplot(1, 1, 1)
        axes.plot(result.delays, result.rnn_accuracy, "o-", color=RNN_COLOUR, label="plain RNN")
        axes.plot(result.delays, result.lstm_accuracy, "s-", color=LSTM_COLOUR, label="LSTM")
        axes.axhline(result.chance, color=BASELINE_COLOUR, linestyle=":", label="chance")
        axes.set_xlabel("delay (distractor steps between symbol and recall)")
        axes.set_ylabel("test accuracy")
        axes.set_ylim(0, 1.05)
        axes.set_title(f"Delayed recall, distractor noise {result.noise:g}")
        axes.legend(loc="center right")
        figure.tight_layout()
    return figure


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
    lengths = tuple(int(v) for v in _check_increasing("lengths", lengths, minimum=2))
    rnn_mse, lstm_mse = [], []
    rnn_histories, lstm_histories = [], []
    for length in lengths:
        task = AddingProblem(length)
        test = adding_problem(500, length, seed=seed + 1000)
        rnn_model = SequenceModel(RNNCell(2, hidden_size, seed=seed), 1, objective="regression", seed=seed)
        lstm_model = SequenceModel(
            _lstm(2, hidden_size, seed, forget_bias), 1, objective="regression", seed=seed
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
    figure = _figure(size, 5.5 * count, 4.4)
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


@dataclass(frozen=True)
class OpenedLSTM:
    """The gates and cell state of a trained LSTM on delayed-recall examples.

    For every hidden unit we measure how well its final cell state separates the symbols
    (share of variance explained by the symbol), its mean forget gate over the delay, and its
    mean input gate at the symbol step and over the delay.  The *memory unit* shown is the one
    that best matches "store the symbol, then hold it": the largest product
    ``separation * forget_during_delay * (1 - input_during_delay)``.  All units' numbers are
    kept, so nothing is hidden by that choice.

    Attributes
    ----------
    delay : int
    accuracy : float
        The model's accuracy on these sequences.
    symbols : numpy.ndarray of int, shape (N,)
        The symbol of each example sequence.
    memory_unit : int
    cell_state : numpy.ndarray, shape (T, N)
        The memory unit's :math:`c_t` for each example.
    forget_gate, input_gate : numpy.ndarray, shape (T, N)
        The memory unit's :math:`f_t` and :math:`i_t`.
    unit_separation, unit_forget_during_delay, unit_input_at_symbol, unit_input_during_delay :
        numpy.ndarray, shape (H,)
        The four measurements for every unit.
    """

    delay: int
    accuracy: float
    symbols: np.ndarray
    memory_unit: int
    cell_state: np.ndarray
    forget_gate: np.ndarray
    input_gate: np.ndarray
    unit_separation: np.ndarray
    unit_forget_during_delay: np.ndarray
    unit_input_at_symbol: np.ndarray
    unit_input_during_delay: np.ndarray

    @property
    def forget_during_delay(self) -> float:
        """Memory unit's mean forget gate over the delay."""
        return float(self.unit_forget_during_delay[self.memory_unit])

    @property
    def input_at_symbol(self) -> float:
        """Memory unit's mean input gate at the symbol step."""
        return float(self.unit_input_at_symbol[self.memory_unit])

    @property
    def input_during_delay(self) -> float:
        """Memory unit's mean input gate over the delay."""
        return float(self.unit_input_during_delay[self.memory_unit])

    @property
    def separation(self) -> float:
        """Share of the variance of the memory unit's final cell state explained by the symbol."""
        return float(self.unit_separation[self.memory_unit])

    def table(self) -> str:
        """One line per unit: separation, forget gate over the delay, input gates."""
        lines = ["unit  separation  f (delay)  i (symbol)  i (delay)"]
        for unit in range(self.unit_separation.size):
            marker = "  <- memory unit" if unit == self.memory_unit else ""
            lines.append(
                f"{unit:4d}  {self.unit_separation[unit]:10.2f}  "
                f"{self.unit_forget_during_delay[unit]:9.3f}  "
                f"{self.unit_input_at_symbol[unit]:10.2f}  "
                f"{self.unit_input_during_delay[unit]:9.2f}{marker}"
            )
        return "\n".join(lines)

    def final_cell_by_symbol(self) -> np.ndarray:
        """Median final cell state of the memory unit for each symbol, shape (symbols,)."""
        return np.array([np.median(self.cell_state[-1, self.symbols == s]) for s in range(NUM_SYMBOLS)])

    def summary(self) -> str:
        """The numbers behind the chapter's sentence."""
        first = np.array([np.median(self.cell_state[0, self.symbols == s]) for s in range(NUM_SYMBOLS)])
        return (
            f"memory unit {self.memory_unit}, median cell state by symbol: after the first step "
            f"{np.array2string(first, precision=2)}, at the end "
            f"{np.array2string(self.final_cell_by_symbol(), precision=2)}\n"
            f"accuracy {self.accuracy:.0%} at delay {self.delay}; memory unit "
            f"{self.memory_unit}: forget gate over the delay {self.forget_during_delay:.3f}; "
            f"input gate at the symbol {self.input_at_symbol:.2f}, during the delay "
            f"{self.input_during_delay:.2f}; the symbol explains {self.separation:.0%} of the "
            f"variance of its final cell state"
        )


def _explained_variance(values: np.ndarray, groups: np.ndarray) -> float:
    total = values.var()
    if total == 0:
        return 0.0
    within = sum(values[groups == g].var() * np.mean(groups == g) for g in np.unique(groups))
    return float(1.0 - within / total)


def open_up_lstm(
    model: SequenceModel, delay: int, noise: float = 1.0, num_examples: int = 200, seed: int = 7
) -> OpenedLSTM:
    """Look inside a trained delayed-recall LSTM: which unit remembers, and how its gates act.

    Parameters
    ----------
    model : SequenceModel
        An LSTM model trained on delayed recall (e.g. ``long_term_dependencies(...).lstm_model``).
    delay : int
        Delay of the sequences to run.
    noise : float, default 1.0
    num_examples : int, default 200
    seed : int, default 7

    Returns
    -------
    OpenedLSTM

    Raises
    ------
    ValueError
        If ``model`` is not an LSTM model or ``delay`` is not a positive integer.
    """
    if not isinstance(model, SequenceModel) or not isinstance(model.cell, LSTMCell):
        raise ValueError(f"model must be a SequenceModel with an LSTMCell; got {model!r}")
    delay = _check_int("delay", delay, minimum=1)
    data = delayed_recall(num_examples, delay, NUM_SYMBOLS, noise=noise, seed=seed)
    trace = model.run_cell(data.xs)
    final_cell = trace.c[-1]  # (N, H)
    separation = np.array(
        [_explained_variance(final_cell[:, unit], data.targets) for unit in range(final_cell.shape[1])]
    )
    delay_steps = slice(1, delay + 1)
    forget = trace.f[delay_steps].mean(axis=(0, 1))
    input_symbol = trace.i[0].mean(axis=0)
    input_delay = trace.i[delay_steps].mean(axis=(0, 1))
    unit = int(np.argmax(separation * forget * (1.0 - input_delay)))
    return OpenedLSTM(
        delay=delay,
        accuracy=model.accuracy(data),
        symbols=data.targets,
        memory_unit=unit,
        cell_state=trace.c[:, :, unit],
        forget_gate=trace.f[:, :, unit],
        input_gate=trace.i[:, :, unit],
        unit_separation=separation,
        unit_forget_during_delay=forget,
        unit_input_at_symbol=input_symbol,
        unit_input_during_delay=input_delay,
    )


def plot_open_lstm(opened: OpenedLSTM, size: str = "laptop") -> Any:
    """Cell state of the memory unit by symbol; its forget and input gates.

    Lines are medians over the example sequences (per symbol on the left), bands span the
    10th to 90th percentile.

    Returns
    -------
    lstm.plots.BookFigure
    """
    figure = _figure(size, 11.0, 4.6)
    steps = np.arange(1, opened.cell_state.shape[0] + 1)
    colours = [OKABE_ITO[name] for name in ("blue", "vermillion", "bluish_green", "orange")]
    styles = ["-", "--", "-.", ":"]
    with book_style(size):
        left = figure.add_subplot(1, 2, 1)
        right = figure.add_subplot(1, 2, 2)
        for symbol in range(NUM_SYMBOLS):
            values = opened.cell_state[:, opened.symbols == symbol]
            low, middle, high = np.percentile(values, [10, 50, 90], axis=1)
            left.plot(
                steps,
                middle,
                color=colours[symbol],
                linestyle=styles[symbol],
                label=f"symbol {symbol}",
            )
            left.fill_between(steps, low, high, color=colours[symbol], alpha=0.2, linewidth=0)
        left.set_xlabel("time step")
        left.set_ylabel(f"cell state $c_t$ of unit {opened.memory_unit}")
        left.set_title("The memory unit's cell state, by symbol")
        left.legend(loc="best", ncols=2)
        for gate, values, colour in (
            ("forget gate $f_t$", opened.forget_gate, GATE_COLOURS["forget"]),
            ("input gate $i_t$", opened.input_gate, GATE_COLOURS["input"]),
        ):
            middle = np.median(values, axis=1)
            low, high = np.percentile(values, [10, 90], axis=1)
            right.plot(steps, middle, color=colour, label=f"{gate} (median)")
            right.fill_between(steps, low, high, color=colour, alpha=0.25, linewidth=0)
        right.set_ylim(-0.02, 1.02)
        right.set_xlabel("time step")
        right.set_ylabel("gate value (10-90% band)")
        right.set_title(f"Gates of unit {opened.memory_unit}")
        right.legend(loc="center right")
        figure.tight_layout()
    return figure


# ============================================================================================
# 3. Variable-length sequences
# ============================================================================================


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
    lengths_array = np.array([_check_int("lengths", int(v)) for v in lengths], dtype=np.int64)
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


@dataclass(frozen=True)
class ShortLongResult:
    """Models trained on short delays, tested on longer ones.

    Attributes
    ----------
    train_delays : tuple of int
        ``(min_delay, max_delay)`` of training.
    test_delays : numpy.ndarray of int
    rnn_accuracy, lstm_accuracy : numpy.ndarray
    noise : float
    chance : float
    seconds : float
    """

    train_delays: tuple[int, int]
    test_delays: np.ndarray
    rnn_accuracy: np.ndarray
    lstm_accuracy: np.ndarray
    noise: float
    chance: float
    seconds: float

    def summary(self) -> str:
        """Table of accuracies."""
        low, high = self.train_delays
        lines = [f"trained on delays {low}..{high}; tested at:", "delay   RNN    LSTM"]
        for delay, rnn, lstm in zip(self.test_delays, self.rnn_accuracy, self.lstm_accuracy, strict=True):
            lines.append(f"{delay:5d}  {rnn:5.0%}  {lstm:5.0%}")
        return "\n".join(lines)


def train_short_test_long(
    train_delays: tuple[int, int] = (1, 10),
    test_delays: Sequence[int] = (5, 10, 20, 40, 80, 160),
    noise: float = 0.75,
    hidden_size: int = 8,
    steps: int = 400,
    batch_size: int = 64,
    lr: float = 0.03,
    forget_bias: float = 2.0,
    seed: int = 0,
    progress: bool = True,
) -> ShortLongResult:
    """Train on variable-length delayed recall with short delays; test on longer delays.

    Parameters
    ----------
    train_delays : (int, int)
        Smallest and largest training delay (each batch mixes lengths, padded).
    test_delays : sequence of int
    noise : float
    hidden_size, steps, batch_size : int
    lr, forget_bias : float
    seed : int
    progress : bool

    Returns
    -------
    ShortLongResult

    Raises
    ------
    ValueError
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
    test_delays = tuple(int(d) for d in _check_increasing("test_delays", test_delays, 0))
    models = {
        "RNN": SequenceModel(RNNCell(task.input_size, hidden_size, seed=seed), NUM_SYMBOLS),
        "LSTM": SequenceModel(_lstm(task.input_size, hidden_size, seed, forget_bias), NUM_SYMBOLS),
    }
    for name, model in models.items():
        train(
            model,
            task,
            steps=steps,
            lr=lr,
            batch_size=batch_size,
            seed=seed,
            progress=progress,
            description=f"{name}, delays {low}..{high}",
        )
    accuracies: dict[str, list[float]] = {"RNN": [], "LSTM": []}
    for delay in test_delays:
        test = delayed_recall(300, delay, NUM_SYMBOLS, noise=noise, seed=seed + 2000)
        for name, model in models.items():
            accuracies[name].append(model.accuracy(test))
    return ShortLongResult(
        train_delays=(int(low), int(high)),
        test_delays=np.array(test_delays),
        rnn_accuracy=np.array(accuracies["RNN"]),
        lstm_accuracy=np.array(accuracies["LSTM"]),
        noise=noise,
        chance=1.0 / NUM_SYMBOLS,
        seconds=time.perf_counter() - start,
    )


def plot_train_short_test_long(result: ShortLongResult, size: str = "laptop") -> Any:
    """Accuracy against test delay, with the training range shaded.

    Returns
    -------
    lstm.plots.BookFigure
    """
    figure = _figure(size, 7.5, 4.6)
    with book_style(size):
        axes = figure.add_subplot(1, 1, 1)
        low, high = result.train_delays
        axes.axvspan(low, high, color=OKABE_ITO["sky_blue"], alpha=0.15, label="training delays")
        axes.plot(result.test_delays, result.rnn_accuracy, "o-", color=RNN_COLOUR, label="plain RNN")
        axes.plot(result.test_delays, result.lstm_accuracy, "s-", color=LSTM_COLOUR, label="LSTM")
        axes.axhline(result.chance, color=BASELINE_COLOUR, linestyle=":", label="chance")
        axes.set_xscale("log")
        axes.set_xticks(result.test_delays, [str(d) for d in result.test_delays])
        axes.minorticks_off()
        axes.set_xlabel("test delay (log scale)")
        axes.set_ylabel("test accuracy")
        axes.set_ylim(0, 1.05)
        axes.set_title("Trained on short sequences, tested on longer ones")
        axes.legend(loc="lower left")
        figure.tight_layout()
    return figure


# ============================================================================================
# 4. Robustness to noise
# ============================================================================================


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


def noise_robustness(
    noise_levels: Sequence[float] = (0.0, 0.5, 1.0, 2.0),
    delay: int = 10,
    hidden_size: int = 8,
    steps: int = 400,
    batch_size: int = 64,
    lr: float = 0.03,
    forget_bias: float = 2.0,
    seed: int = 0,
    progress: bool = True,
) -> NoiseResult:
    """Delayed recall with growing distractor noise; RNN vs LSTM; the LSTM's gates.

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
    levels = tuple(float(v) for v in _check_increasing("noise_levels", noise_levels, 0.0))
    delay = _check_int("delay", delay, minimum=1)
    rnn_accuracy, lstm_accuracy = [], []
    lstm_model: SequenceModel | None = None
    for level in levels:
        task = DelayedRecall(delay, NUM_SYMBOLS, noise=level)
        test = delayed_recall(500, delay, NUM_SYMBOLS, noise=level, seed=seed + 1000)
        rnn_model = SequenceModel(RNNCell(task.input_size, hidden_size, seed=seed), NUM_SYMBOLS)
        lstm_model = SequenceModel(_lstm(task.input_size, hidden_size, seed, forget_bias), NUM_SYMBOLS)
        for name, model in (("RNN", rnn_model), ("LSTM", lstm_model)):
            train(
                model,
                task,
                steps=steps,
                lr=lr,
                batch_size=batch_size,
                seed=seed,
                progress=progress,
                description=f"{name}, noise {level:g}",
            )
        rnn_accuracy.append(rnn_model.accuracy(test))
        lstm_accuracy.append(lstm_model.accuracy(test))
    assert lstm_model is not None
    opened = open_up_lstm(lstm_model, delay, noise=levels[-1])
    example = delayed_recall(200, delay, NUM_SYMBOLS, noise=levels[-1], seed=seed + 3000)
    trace = lstm_model.run_cell(example.xs)
    return NoiseResult(
        noise_levels=np.array(levels),
        rnn_accuracy=np.array(rnn_accuracy),
        lstm_accuracy=np.array(lstm_accuracy),
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
    figure = _figure(size, 11.0, 4.6)
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


# ============================================================================================
# 5. Wide applicability: a real data set
# ============================================================================================


@dataclass(frozen=True)
class ForecastResult:
    """One-step-ahead forecasts of a real series: LSTM vs naive and linear baselines.

    Attributes
    ----------
    dataset : str
    data : ForecastingData
    naive_mse, linear_mse, lstm_mse : float
        Test mean squared error in the series' units: "next equals last", a least-squares
        linear autoregression on the same windows, and the LSTM.
    lstm_test_predictions, linear_test_predictions : numpy.ndarray, shape (N_test,)
    history : TrainingHistory
    seconds : float
    """

    dataset: str
    data: ForecastingData
    naive_mse: float
    linear_mse: float
    lstm_mse: float
    lstm_test_predictions: np.ndarray
    linear_test_predictions: np.ndarray
    history: TrainingHistory
    seconds: float

    @property
    def lstm_vs_naive(self) -> float:
        """LSTM error divided by the naive error (below 1: the LSTM is better)."""
        return self.lstm_mse / self.naive_mse

    def summary(self) -> str:
        """The test errors side by side."""
        series = self.data.series
        return (
            f"{series.description}\n"
            f"test period: {len(self.data.test)} forecasts; mean squared error "
            f"(units: {series.unit} squared)\n"
            f"  naive (next = last): {self.naive_mse:.4g}\n"
            f"  linear regression:   {self.linear_mse:.4g}\n"
            f"  LSTM:                {self.lstm_mse:.4g}   "
            f"({self.lstm_vs_naive:.2f} x naive)"
        )


def _linear_forecast(data: ForecastingData) -> np.ndarray:
    """Least-squares linear autoregression on the flattened windows (standardised change)."""

    def design(part: SequenceData) -> np.ndarray:
        flat = part.xs.transpose(1, 0, 2).reshape(part.num_examples, -1)
        return np.concatenate([flat, np.ones((part.num_examples, 1))], axis=1)

    weights = np.linalg.lstsq(design(data.train), data.train.targets[:, 0], rcond=None)[0]
    return data.to_values(design(data.test) @ weights)


def real_data_forecast(
    dataset: str = "eeg",
    window: int = 10,
    hidden_size: int = 8,
    steps: int = 400,
    batch_size: int = 64,
    lr: float = 0.02,
    train_fraction: float = 0.7,
    seed: int = 0,
    progress: bool = True,
) -> ForecastResult:
    """Forecast the next value of a real series with an LSTM; compare with simple baselines.

    ``"eeg"`` forecasts channel 1 of matplotlib's EEG sample; ``"goog"`` the next daily
    closing price (working with log prices, so changes are returns).  Each window of
    ``window`` past values of the forecast channel is shifted by its last value and divided
    by its own standard deviation (``normalise="window"`` in
    :func:`lstm.tasks.forecasting_data`); the LSTM predicts the next change on that scale.
    The first ``train_fraction`` of the series trains, the rest tests (split by time).  The
    baselines: "next equals last" (naive) and a least-squares linear regression on the same
    windows.

    Parameters
    ----------
    dataset : {"eeg", "goog"}
    window : int
    hidden_size, steps, batch_size : int
    lr, train_fraction : float
    seed : int
    progress : bool

    Returns
    -------
    ForecastResult

    Raises
    ------
    ValueError
        If an argument is out of range.
    """
    if dataset not in ("eeg", "goog"):
        raise ValueError(f"dataset must be 'eeg' or 'goog'; got {dataset!r}")
    start = time.perf_counter()
    series = sample_series(dataset)
    data = forecasting_data(
        series,
        window=window,
        train_fraction=train_fraction,
        input_channels=(0,),
        normalise="window",
        log=dataset == "goog",
    )
    model = SequenceModel(
        _lstm(data.train.input_size, hidden_size, seed, 1.0), 1, objective="regression", seed=seed
    )
    history = train(
        model,
        data.train,
        steps=steps,
        lr=lr,
        batch_size=batch_size,
        seed=seed,
        progress=progress,
        description=f"LSTM on {dataset}",
    )
    lstm_predictions = data.to_values(model.predict(data.test.xs)[:, 0])
    linear_predictions = _linear_forecast(data)
    truth = data.test_next
    return ForecastResult(
        dataset=dataset,
        data=data,
        naive_mse=float(np.mean((data.test_last - truth) ** 2)),
        linear_mse=float(np.mean((linear_predictions - truth) ** 2)),
        lstm_mse=float(np.mean((lstm_predictions - truth) ** 2)),
        lstm_test_predictions=lstm_predictions,
        linear_test_predictions=linear_predictions,
        history=history,
        seconds=time.perf_counter() - start,
    )


def plot_real_data_forecast(result: ForecastResult, size: str = "laptop", zoom: int = 80) -> Any:
    """Left: the series with the train/test split; right: a stretch of test forecasts.

    Returns
    -------
    lstm.plots.BookFigure
    """
    figure = _figure(size, 11.0, 4.6)
    data = result.data
    series = data.series
    values = series.values[:, 0]
    times = series.times
    with book_style(size):
        left = figure.add_subplot(1, 2, 1)
        right = figure.add_subplot(1, 2, 2)
        left.plot(
            times[: data.split_index],
            values[: data.split_index],
            color=BASELINE_COLOUR,
            linewidth=1.0,
            label="training period",
        )
        left.plot(
            times[data.split_index :],
            values[data.split_index :],
            color=OKABE_ITO["blue"],
            linewidth=1.0,
            label="test period",
        )
        left.set_xlabel("time (s)" if series.name == "eeg" else "date")
        left.set_ylabel(f"{series.channel_names[0]} ({series.unit})")
        left.set_title(series.name.upper() + ": the whole series")
        left.legend(loc="best")
        if series.name == "goog":
            left.tick_params(axis="x", labelrotation=30)
        count = min(zoom, len(data.test))
        test_times = times[data.split_index + data.train.num_steps :][:count]
        index = np.arange(count)
        right.plot(test_times, data.test_next[index], color=BASELINE_COLOUR, linewidth=2.5, label="actual")
        right.plot(
            test_times,
            data.test_last[index],
            color=OKABE_ITO["sky_blue"],
            linestyle=":",
            label=f"naive (MSE {result.naive_mse:.3g})",
        )
        right.plot(
            test_times,
            result.linear_test_predictions[index],
            color=LINEAR_COLOUR,
            linestyle="-.",
            label=f"linear (MSE {result.linear_mse:.3g})",
        )
        right.plot(
            test_times,
            result.lstm_test_predictions[index],
            color=LSTM_COLOUR,
            linestyle="--",
            label=f"LSTM (MSE {result.lstm_mse:.3g})",
        )
        right.set_xlabel(left.get_xlabel())
        right.set_ylabel(left.get_ylabel())
        right.set_title(f"First {count} test forecasts")
        right.legend(loc="best", fontsize="small")
        if series.name == "goog":
            right.tick_params(axis="x", labelrotation=30)
        figure.tight_layout()
    return figure
