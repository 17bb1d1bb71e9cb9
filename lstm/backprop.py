"""One step backwards through the LSTM cell, written line by line, and the two roads of the gradient.

:meth:`lstm.cell.LSTMCell.backward` differentiates a whole sequence at once, with the four gates
stacked for speed. This module is its readable twin for one unbatched step: every line of
:func:`step_backward` is the derivative of one line of the forward pass (the six equations of
the book), read from the bottom of the step to the top — the style of Karpathy's min-char-rnn.
Running it backwards from the last step to the first gives exactly what ``LSTMCell.backward``
returns (``tests/test_backprop.py`` checks this, and both against finite differences).

The gradient reaching the old memory :math:`c_{t-1}` arrives by two roads:

* **along the belt**: :math:`c_t = f_t \\odot c_{t-1} + \\dots`, so
  :math:`\\partial c_t / \\partial c_{t-1}` contributes ``dc * f``;
* **through the hidden state**: :math:`c_{t-1}` also made :math:`h_{t-1} = o_{t-1} \\odot
  \\tanh(c_{t-1})`, which every gate of step :math:`t` reads, so whatever the loss says about
  those gates flows back through ``W[:, :H].T`` into ``dh_prev`` and from there into
  :math:`c_{t-1}`.

:func:`gradient_roads` measures, for a whole run, how much of the gradient reaching each earlier
cell state the belt alone would deliver, against what actually arrives by both roads.

Dependencies: :mod:`lstm.cell` and :mod:`lstm.style` (math level); :func:`plot_gradient_roads`
draws on an ``Axes`` it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm._arguments import check_positive_float
from lstm.cell import LSTMCell, LSTMStep, LSTMTrace
from lstm.style import GATE_COLOURS, integer_ticks

__all__ = [
    "GradientRoads",
    "StepGradients",
    "central_differences",
    "gradient_roads",
    "plot_gradient_roads",
    "step_backward",
    "trace_step",
]


@dataclass(frozen=True)
class StepGradients:
    """Everything one backward step computes (unbatched: every vector has shape ``(hidden,)``).

    Attributes
    ----------
    dc : numpy.ndarray
        Total gradient reaching :math:`c_t`: from the next step along the belt plus through
        :math:`h_t = o_t \\odot \\tanh(c_t)`.
    do, df, di, dc_tilde : numpy.ndarray
        Gradients reaching the output gate, the forget gate, the input gate and the candidate.
    dz_f, dz_i, dz_c, dz_o : numpy.ndarray
        Gradients reaching the four pre-activations.
    dc_prev_belt : numpy.ndarray
        The belt's share of the gradient reaching :math:`c_{t-1}`: ``dc * f``. It is the whole of
        the gradient that this step passes to :math:`c_{t-1}` directly; the rest reaches
        :math:`c_{t-1}` later, through ``dh_prev`` and :math:`h_{t-1}`.
    dh_prev : numpy.ndarray
        Gradient reaching :math:`h_{t-1}` through the four gates of this step, shape ``(hidden,)``.
    dx : numpy.ndarray
        Gradient reaching :math:`x_t`, shape ``(input,)``.
    parameters : dict of str to numpy.ndarray
        This step's share of every parameter gradient (``"W_f"`` ... ``"b_o"``), shapes of the
        parameters.
    """

    dc: np.ndarray
    do: np.ndarray
    df: np.ndarray
    di: np.ndarray
    dc_tilde: np.ndarray
    dz_f: np.ndarray
    dz_i: np.ndarray
    dz_c: np.ndarray
    dz_o: np.ndarray
    dc_prev_belt: np.ndarray
    dh_prev: np.ndarray
    dx: np.ndarray
    parameters: dict[str, np.ndarray]


def _check_vector(value: Any, name: str, size: int) -> np.ndarray:
    array = np.asarray(value, dtype=float)
    if array.shape != (size,):
        raise ValueError(f"{name} has shape {array.shape}; expected ({size},) to match hidden_size={size}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite; got {array}")
    return array


def step_backward(cell: LSTMCell, step: LSTMStep, dh: Any, dc_next: Any) -> StepGradients:
    """Back-propagate through one unbatched step of ``cell``.

    Parameters
    ----------
    cell : LSTMCell
        The cell that computed ``step`` (no ablated parts).
    step : LSTMStep
        One unbatched step, from :meth:`LSTMCell.step` or one time index of a trace.
    dh : array_like, shape (hidden,)
        Total gradient reaching :math:`h_t`: from the loss at this step plus, through the gates
        of step :math:`t + 1`, that step's ``dh_prev``.
    dc_next : array_like, shape (hidden,)
        Gradient reaching :math:`c_t` along the belt from step :math:`t + 1` (that step's
        ``dc_prev_belt``; zeros at the last step).

    Returns
    -------
    StepGradients

    Raises
    ------
    TypeError
        If ``cell`` is not an :class:`LSTMCell` or ``step`` not an :class:`LSTMStep`.
    ValueError
        If the cell has ablated parts, the step is batched, or a gradient has the wrong shape
        or is not finite.
    """
    if not isinstance(cell, LSTMCell):
        raise TypeError(f"cell must be an LSTMCell; got {type(cell).__name__}")
    if not isinstance(step, LSTMStep):
        raise TypeError(f"step must be an LSTMStep from LSTMCell.step; got {type(step).__name__}")
    if cell.ablate:
        raise ValueError(f"cell has ablated parts {sorted(cell.ablate)}; step_backward needs the full cell")
    H = cell.hidden_size
    if step.h.shape != (H,):
        raise ValueError(f"step has h of shape {step.h.shape}; expected ({H},): one unbatched step")
    dh = _check_vector(dh, "dh", H)
    dc_next = _check_vector(dc_next, "dc_next", H)
    W = cell.parameters

    # h_t = o_t * tanh(c_t)
    do = dh * step.tanh_c
    dc = dc_next + dh * step.o * (1.0 - step.tanh_c**2)  # both ways c_t reaches the loss
    # c_t = f_t * c_{t-1} + i_t * c~_t
    df = dc * step.c_prev
    dc_prev_belt = dc * step.f  # road 1: along the belt
    di = dc * step.c_tilde
    dc_tilde = dc * step.i
    # f, i, o = sigmoid(z);  c~ = tanh(z_c)
    dz_f = df * step.f * (1.0 - step.f)
    dz_i = di * step.i * (1.0 - step.i)
    dz_c = dc_tilde * (1.0 - step.c_tilde**2)
    dz_o = do * step.o * (1.0 - step.o)
    # z_g = W_g [h_{t-1}, x_t] + b_g, for each of the four boxes
    dhx = W["W_f"].T @ dz_f + W["W_i"].T @ dz_i + W["W_c"].T @ dz_c + W["W_o"].T @ dz_o
    dh_prev = dhx[:H]  # road 2: through h_{t-1} into every gate
    dx = dhx[H:]
    parameters = {}
    for gate, dz in (("f", dz_f), ("i", dz_i), ("c", dz_c), ("o", dz_o)):
        parameters[f"W_{gate}"] = np.outer(dz, step.hx)
        parameters[f"b_{gate}"] = dz
    return StepGradients(
        dc=dc, do=do, df=df, di=di, dc_tilde=dc_tilde, dz_f=dz_f, dz_i=dz_i, dz_c=dz_c, dz_o=dz_o,
        dc_prev_belt=dc_prev_belt, dh_prev=dh_prev, dx=dx, parameters=parameters,
    )


def central_differences(
    loss: Callable[[], float], arrays: Mapping[str, np.ndarray], epsilon: float = 1e-6
) -> dict[str, np.ndarray]:
    """Central finite differences of ``loss()`` with respect to every number of ``arrays``.

    Each number ``theta`` is nudged in place to ``theta + epsilon`` and ``theta - epsilon``, the
    slope ``(L(theta + eps) - L(theta - eps)) / (2 eps)`` recorded, and the number restored. Two
    calls of ``loss`` per number: only for small models. In float64 the error of the slope is
    about ``epsilon**2`` (the formula's) plus ``1e-16 / epsilon`` (rounding).

    Parameters
    ----------
    loss : callable with no arguments, returning float
        Recomputes the loss from the current values of ``arrays``.
    arrays : mapping of str to numpy.ndarray
        The live arrays to differentiate with respect to, e.g. ``cell.parameters``.
    epsilon : float, default 1e-6
        The nudge; must be positive.

    Returns
    -------
    dict of str to numpy.ndarray
        The same names and shapes as ``arrays``.

    Raises
    ------
    ValueError
        If ``epsilon`` is not a positive number.
    """
    epsilon = check_positive_float("epsilon", epsilon)
    slopes: dict[str, np.ndarray] = {}
    for name, array in arrays.items():
        slope = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            original = array[index]
            array[index] = original + epsilon
            above = loss()
            array[index] = original - epsilon
            below = loss()
            array[index] = original
            slope[index] = (above - below) / (2.0 * epsilon)
        slopes[name] = slope
    return slopes


def trace_step(trace: LSTMTrace, t: int) -> LSTMStep:
    """Step ``t`` (0-based) of an unbatched trace, as an :class:`LSTMStep`."""
    names = LSTMStep.__dataclass_fields__
    return LSTMStep(**{name: getattr(trace, name)[t] for name in names})


@dataclass(frozen=True)
class GradientRoads:
    """How the gradient of :math:`c_T` (one unit) reaches earlier cell states.

    Attributes
    ----------
    distances : numpy.ndarray of int, shape (T,)
        ``0 .. T-1``: how many steps before the end.
    both_roads : numpy.ndarray, shape (T,)
        :math:`\\|\\partial c_T[u] / \\partial c_{T-d}\\|`: what arrives by both roads.
    belt_only : numpy.ndarray, shape (T,)
        :math:`f_{T-d+1}[u] \\cdots f_T[u]`: what the belt alone would deliver.
    unit : int
        The unit ``u`` whose final cell state is differentiated.
    """

    distances: np.ndarray
    both_roads: np.ndarray
    belt_only: np.ndarray
    unit: int

    @property
    def belt_share(self) -> np.ndarray:
        """``belt_only / both_roads`` (1 where the hidden-state road carries nothing)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(self.both_roads > 0, self.belt_only / self.both_roads, 1.0)
        return share


def gradient_roads(cell: LSTMCell, inputs: Any, unit: int = 0) -> GradientRoads:
    """Compare the gradient of :math:`c_T[u]` reaching each earlier cell state with the belt's part.

    Parameters
    ----------
    cell : LSTMCell
    inputs : array_like, shape (time, input)
        One unbatched sequence.
    unit : int, default 0
        The unit whose final cell state is differentiated.

    Returns
    -------
    GradientRoads

    Raises
    ------
    ValueError
        If ``unit`` is not a unit of the cell or the inputs have the wrong shape.
    """
    if isinstance(unit, bool) or not isinstance(unit, int | np.integer) or not 0 <= unit < cell.hidden_size:
        raise ValueError(f"unit must be an integer from 0 to {cell.hidden_size - 1}; got {unit!r}")
    trace = cell.run(inputs)
    if trace.batched:
        raise ValueError(f"inputs must be one sequence of shape (time, input); got shape {trace.x.shape}")
    dc_last = np.zeros(cell.hidden_size)
    dc_last[unit] = 1.0
    grads = cell.backward(trace, np.zeros_like(trace.h), dc_last=dc_last)
    steps = trace.c.shape[0]
    both = np.linalg.norm(grads.dc, axis=-1)[::-1]
    forget = trace.f[:, unit]
    belt = np.array([np.prod(forget[steps - distance:]) for distance in range(steps)])
    return GradientRoads(distances=np.arange(steps), both_roads=both, belt_only=belt, unit=int(unit))


def plot_gradient_roads(ax: Any, roads: GradientRoads, *, legend: bool = True) -> None:
    """Draw both roads against distance on a log scale.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw (object-oriented API). The y label is written only on the first column of
        a grid of axes, so that panels sharing their y axis stay uncluttered.
    roads : GradientRoads
    legend : bool, default True
    """
    ax.semilogy(roads.distances, roads.both_roads, color=GATE_COLOURS["lstm"], linewidth=2,
                label="both roads")
    ax.semilogy(roads.distances, roads.belt_only, color=GATE_COLOURS["lstm"], linestyle="--",
                linewidth=2, label="belt only ($\\prod f$)")
    ax.set_xlabel("steps back, $d$")
    integer_ticks(ax)
    spec = ax.get_subplotspec()
    if spec is None or spec.is_first_col():
        ax.set_ylabel(r"gradient reaching $c_{T-d}$")
    if legend:
        ax.legend(frameon=False)
