"""How much of the loss gradient reaches each earlier step of a plain RNN and an LSTM.

The measurement behind the vanishing-gradient claim (chapter "Advantages of LSTMs",
#sec-adv-vanishing): a loss at the last step of a delayed-recall sequence is differentiated
with the cells' own ``backward``, and the norm of the gradient reaching :math:`h_t` (and, for
the LSTM, :math:`c_t`) is recorded for every distance from the loss, relative to the last step.

- :class:`GradientFlow` holds the three relative norms per distance; :func:`gradient_flow`
  computes them for freshly initialised cells; :func:`flow_of_models` for any (trained) pair of
  models; :func:`initial_models` builds that pair (:func:`scale_recurrent` scales the recurrent
  weights).
- :func:`draw_gradient_flow` draws a :class:`GradientFlow` on matplotlib axes (log scale) and
  returns the line artists, so that an explorer can update them in place.

This module sits below the experiments and the explorers: both import it, it imports neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm._checks import check_integer, check_number
from lstm.cell import LSTMCell
from lstm.rnn import RNNCell
from lstm.style import GATE_COLOURS, integer_ticks
from lstm.tasks import delayed_recall
from lstm.training import SequenceData, SequenceModel

__all__ = [
    "GradientFlow",
    "NUM_SYMBOLS",
    "draw_gradient_flow",
    "flow_of_models",
    "gradient_flow",
    "initial_models",
    "scale_recurrent",
]


#: Number of symbols of the delayed-recall task used throughout (chance = 25%).
NUM_SYMBOLS = 4


def scale_recurrent(cell: LSTMCell | RNNCell, scale: float) -> None:
    """Multiply the recurrent weights (the columns acting on h_{t-1}) by ``scale`` in place."""
    hidden = cell.hidden_size
    for name, array in cell.parameters.items():
        if name.startswith("W"):
            array[:, :hidden] *= scale


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
        distance = check_integer(distance, "distance", minimum=0)
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


def flow_of_models(
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


def initial_models(
    input_size: int,
    hidden_size: int,
    forget_bias: float,
    recurrent_scale: float,
    seed: int,
) -> tuple[SequenceModel, SequenceModel]:
    """A freshly initialised plain RNN and LSTM (same sizes and seed), each with a read-out.

    Both cells' recurrent weights are multiplied by ``recurrent_scale``; the LSTM starts with
    forget-gate bias ``forget_bias``. The read-outs predict :data:`NUM_SYMBOLS` classes.

    Returns
    -------
    (SequenceModel, SequenceModel)
        The RNN model and the LSTM model.
    """
    rnn = RNNCell(input_size, hidden_size, seed=seed)
    lstm = LSTMCell(input_size, hidden_size, seed=seed, forget_bias=forget_bias)
    scale_recurrent(rnn, recurrent_scale)
    scale_recurrent(lstm, recurrent_scale)
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
    num_steps = check_integer(num_steps, "num_steps", minimum=2)
    hidden_size = check_integer(hidden_size, "hidden_size")
    forget_bias = check_number(forget_bias, "forget_bias")
    recurrent_scale = check_number(recurrent_scale, "recurrent_scale", minimum=0.0)
    batch_size = check_integer(batch_size, "batch_size")
    data = delayed_recall(batch_size, num_steps - 2, NUM_SYMBOLS, noise=noise, seed=seed)
    rnn_model, lstm_model = initial_models(data.input_size, hidden_size, forget_bias, recurrent_scale, seed)
    rnn_hidden, lstm_cell, lstm_hidden = flow_of_models(rnn_model, lstm_model, data)
    return GradientFlow(
        distances=np.arange(num_steps),
        rnn_hidden=rnn_hidden,
        lstm_cell=lstm_cell,
        lstm_hidden=lstm_hidden,
        forget_bias=forget_bias,
        recurrent_scale=recurrent_scale,
        label="at initialisation",
    )


def draw_gradient_flow(axes: Any, flow: GradientFlow, legend: bool = True) -> dict[str, Any]:
    """Draw ``flow`` on ``axes`` as three log-scale lines against the distance from the loss.

    Parameters
    ----------
    axes : matplotlib.axes.Axes
    flow : GradientFlow
    legend : bool, default True
        Add a legend (lower left).

    Returns
    -------
    dict of str to matplotlib.lines.Line2D
        ``"rnn"``, ``"lstm_cell"`` and ``"lstm_hidden"``: the lines, for updating in place.
        Values below 1e-30 are drawn at 1e-30 (a log axis cannot show 0).
    """
    floor = 1e-30
    lines = {
        "rnn": axes.semilogy(
            flow.distances,
            np.maximum(flow.rnn_hidden, floor),
            color=GATE_COLOURS["rnn"],
            label=r"plain RNN, gradient reaching $h_t$",
        )[0],
        "lstm_cell": axes.semilogy(
            flow.distances,
            np.maximum(flow.lstm_cell, floor),
            color=GATE_COLOURS["lstm"],
            label=r"LSTM, gradient reaching $c_t$",
        )[0],
        "lstm_hidden": axes.semilogy(
            flow.distances,
            np.maximum(flow.lstm_hidden, floor),
            color=GATE_COLOURS["lstm"],
            linestyle="--",
            label=r"LSTM, gradient reaching $h_t$",
        )[0],
    }
    axes.set_xlabel("distance from the loss (steps back in time)")
    integer_ticks(axes)
    axes.set_ylabel("gradient norm (relative to the last step)")
    axes.set_ylim(1e-20, 1e3)
    if legend:
        axes.legend(loc="lower left")
    return lines
