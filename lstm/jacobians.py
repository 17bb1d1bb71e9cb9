r"""The vanishing gradient with matrices: one-step Jacobians, their products, their sizes.

A plain RNN computes :math:`h_t = \tanh(W_h h_{t-1} + W_x x_t + b)`, so one step back the
gradient is multiplied by the Jacobian

.. math:: \partial h_t / \partial h_{t-1} = \mathrm{diag}(1 - h_t^2)\, W_h,

and :math:`d` steps back by the product of :math:`d` of them (:func:`rnn_step_jacobians`,
:func:`products_from_the_end`). The LSTM's cell state has

.. math:: \partial c_t / \partial c_{t-1} = \mathrm{diag}(f_t) + (\text{the detour through } h_{t-1}),

(:func:`lstm_cell_step_jacobians`), where the detour is the second road of
:mod:`lstm.backprop`. :func:`final_state_jacobians` computes the exact Jacobian of the last state
with respect to every earlier state by back-propagation (one pass, one batch row per unit), the
reference the products are checked against. :func:`jacobian_decay` measures how the sizes of
these matrices fall with distance for the freshly initialised cells of the chapter "Advantages
of LSTMs" (#sec-adv-vanishing); :func:`plot_jacobian_decay` draws them on an ``Axes``.

Dependencies: :mod:`lstm.cell`, :mod:`lstm.rnn`, :mod:`lstm.tasks`, :mod:`lstm.style` (math
level); the drawing function takes the ``Axes`` it draws on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm._checks import check_integer, check_number
from lstm.cell import LSTMCell, LSTMTrace
from lstm.rnn import RNNCell, RNNTrace
from lstm.style import GATE_COLOURS, integer_ticks
from lstm.tasks import delayed_recall

__all__ = [
    "JacobianDecay",
    "final_state_jacobians",
    "jacobian_decay",
    "lstm_cell_step_jacobians",
    "plot_jacobian_decay",
    "products_from_the_end",
    "rnn_step_jacobians",
]


def _check_unbatched(cell: Any, trace: Any, cell_type: type, trace_type: type) -> None:
    if not isinstance(cell, cell_type):
        raise TypeError(f"cell must be an {cell_type.__name__}; got {type(cell).__name__}")
    if not isinstance(trace, trace_type):
        raise TypeError(f"trace must be an {trace_type.__name__} from {cell_type.__name__}.run; "
                        f"got {type(trace).__name__}")
    if trace.batched:
        raise ValueError(f"trace must be of one sequence, h of shape (time, hidden); got {trace.h.shape}")
    if trace.h.shape[-1] != cell.hidden_size:
        raise ValueError(f"trace has hidden size {trace.h.shape[-1]}; expected the cell's {cell.hidden_size}")


def rnn_step_jacobians(cell: RNNCell, trace: RNNTrace) -> np.ndarray:
    r"""The RNN's :math:`\partial h_t / \partial h_{t-1} = \mathrm{diag}(1 - h_t^2) W_h` at every step.

    Parameters
    ----------
    cell : RNNCell
    trace : RNNTrace
        One unbatched run of ``cell``.

    Returns
    -------
    numpy.ndarray, shape (T, H, H)
        Entry ``[t - 1]`` is the Jacobian of step ``t``: row ``j`` is unit ``j``'s slope
        :math:`1 - h_{t,j}^2` times row ``j`` of :math:`W_h`.
    """
    _check_unbatched(cell, trace, RNNCell, RNNTrace)
    W_h = cell.W[:, :cell.hidden_size]                  # the columns acting on h_{t-1}
    slopes = 1.0 - trace.h**2                            # tanh'(z_t) = 1 - h_t^2, shape (T, H)
    return slopes[:, :, None] * W_h[None]                # diag(1 - h_t^2) W_h


def lstm_cell_step_jacobians(cell: LSTMCell, trace: LSTMTrace) -> np.ndarray:
    r"""The LSTM's :math:`\partial c_t / \partial c_{t-1}` at every step: the belt plus the detour.

    The belt gives :math:`\mathrm{diag}(f_t)`. The detour: :math:`c_{t-1}` made
    :math:`h_{t-1} = o_{t-1} \odot \tanh(c_{t-1})` (:math:`o_{t-1}` does not depend on it), and
    the forget gate, the input gate and the candidate of step :math:`t` read :math:`h_{t-1}`:

    .. math::

        \frac{\partial c_t}{\partial h_{t-1}} =
        \mathrm{diag}\bigl(c_{t-1} f_t (1 - f_t)\bigr) W_f^h
        + \mathrm{diag}\bigl(\tilde c_t\, i_t (1 - i_t)\bigr) W_i^h
        + \mathrm{diag}\bigl(i_t (1 - \tilde c_t^2)\bigr) W_c^h,

    times :math:`\mathrm{diag}\bigl(o_{t-1} (1 - \tanh^2 c_{t-1})\bigr)`. At the first step
    :math:`h_0` is given rather than computed from :math:`c_0`, so only the belt remains.

    Parameters
    ----------
    cell : LSTMCell
    trace : LSTMTrace
        One unbatched run of ``cell``.

    Returns
    -------
    numpy.ndarray, shape (T, H, H)
        Entry ``[t - 1]`` is :math:`\partial c_t / \partial c_{t-1}` of step ``t``.
    """
    _check_unbatched(cell, trace, LSTMCell, LSTMTrace)
    H = cell.hidden_size
    f, i, c_tilde, c_prev = trace.f, trace.i, trace.c_tilde, trace.c_prev
    by_h = (  # d c_t / d h_{t-1}, shape (T, H, H)
        (c_prev * f * (1.0 - f))[:, :, None] * cell.W_f[None, :, :H]
        + (c_tilde * i * (1.0 - i))[:, :, None] * cell.W_i[None, :, :H]
        + (i * (1.0 - c_tilde**2))[:, :, None] * cell.W_c[None, :, :H]
    )
    h_by_c = np.zeros_like(f)  # d h_{t-1} / d c_{t-1} (diagonal): o_{t-1} tanh'(c_{t-1}); 0 for h_0
    h_by_c[1:] = trace.o[:-1] * (1.0 - trace.tanh_c[:-1] ** 2)
    belt = f[:, :, None] * np.eye(H)[None]
    return belt + by_h * h_by_c[:, None, :]


def products_from_the_end(jacobians: np.ndarray) -> np.ndarray:
    r"""The products :math:`P_d = J_T J_{T-1} \cdots J_{T-d+1}` for ``d = 0 .. T``.

    Parameters
    ----------
    jacobians : numpy.ndarray, shape (T, H, H)
        One-step Jacobians :math:`J_1 .. J_T`, in time order.

    Returns
    -------
    numpy.ndarray, shape (T + 1, H, H)
        ``P[0]`` is the identity; ``P[d]`` carries a gradient from step ``T`` back ``d`` steps.
    """
    jacobians = np.asarray(jacobians, dtype=float)
    if jacobians.ndim != 3 or jacobians.shape[1] != jacobians.shape[2]:
        raise ValueError(f"jacobians must have shape (T, H, H); got {jacobians.shape}")
    steps, size = jacobians.shape[0], jacobians.shape[1]
    products = np.empty((steps + 1, size, size))
    products[0] = np.eye(size)
    for d in range(1, steps + 1):
        products[d] = products[d - 1] @ jacobians[steps - d]
    return products


def final_state_jacobians(cell: RNNCell | LSTMCell, inputs: Any) -> np.ndarray:
    r"""Exact :math:`\partial h_T / \partial h_t` (RNN) or :math:`\partial c_T / \partial c_t` (LSTM).

    One back-propagation through time with a batch of ``H`` copies of the sequence, copy ``k``
    starting from a 1 on unit ``k`` of the last state: the gradient reaching each earlier state
    is then row ``k`` of the Jacobian.

    Parameters
    ----------
    cell : RNNCell or LSTMCell
    inputs : array_like, shape (time, input)
        One sequence.

    Returns
    -------
    numpy.ndarray, shape (T, H, H)
        Entry ``[t - 1]`` is the Jacobian of the last state with respect to the state of step
        ``t``; entry ``[T - 1 - d]`` is ``d`` steps back from the end.
    """
    if not isinstance(cell, RNNCell | LSTMCell):
        raise TypeError(f"cell must be an RNNCell or an LSTMCell; got {type(cell).__name__}")
    xs = np.asarray(inputs, dtype=float)
    if xs.ndim != 2 or xs.shape[1] != cell.input_size:
        raise ValueError(f"inputs must have shape (time, {cell.input_size}); got {xs.shape}")
    H = cell.hidden_size
    copies = np.repeat(xs[:, None, :], H, axis=1)              # (T, H copies, input)
    trace = cell.run(copies)
    unit_vectors = np.eye(H)                                    # copy k: a 1 on unit k at the end
    no_loss_on_outputs = np.zeros_like(trace.h)
    if isinstance(cell, RNNCell):
        reaching = cell.backward(trace, no_loss_on_outputs, dh_last=unit_vectors).dh
    else:
        reaching = cell.backward(trace, no_loss_on_outputs, dc_last=unit_vectors).dc
    return reaching                                             # (T, k, :) = row k


@dataclass(frozen=True)
class JacobianDecay:
    r"""How the Jacobians of a fresh RNN and LSTM shrink with the distance ``d`` back from the end.

    Attributes
    ----------
    distances : numpy.ndarray of int, shape (D,)
        ``0 .. T - 1``.
    rnn_norm : numpy.ndarray, shape (D,)
        Frobenius norm of :math:`\partial h_T / \partial h_{T-d}`, the product of ``d`` RNN Jacobians.
    rnn_largest : numpy.ndarray, shape (D,)
        Its largest singular value: the most any gradient on :math:`h_T` can keep.
    rnn_factor_bound : numpy.ndarray, shape (D,)
        The product of the factors' largest singular values, :math:`\prod \|J_t\|_2`, an upper
        bound of ``rnn_largest``.
    recurrent_largest : float
        Largest singular value of :math:`W_h`: :math:`\|J_t\|_2` is at most this (slopes are at most 1).
    lstm_belt : numpy.ndarray, shape (D,)
        Largest entry of :math:`f_{T-d+1} \cdots f_T`: the belt alone, :math:`\prod \mathrm{diag}(f_t)`.
    lstm_largest : numpy.ndarray, shape (D,)
        Largest singular value of the exact :math:`\partial c_T / \partial c_{T-d}` (both roads).
    hidden_size, forget_bias, seed : int, float, int
        The cells' settings.
    """

    distances: np.ndarray
    rnn_norm: np.ndarray
    rnn_largest: np.ndarray
    rnn_factor_bound: np.ndarray
    recurrent_largest: float
    lstm_belt: np.ndarray
    lstm_largest: np.ndarray
    hidden_size: int
    forget_bias: float
    seed: int

    def per_step(self, distance: int) -> float:
        """The RNN's average factor per step over ``distance`` steps: ``rnn_largest[d] ** (1/d)``."""
        distance = check_integer(distance, "distance", minimum=1)
        if distance >= self.distances.size:
            raise ValueError(f"distance must be below {self.distances.size}; got {distance}")
        return float(self.rnn_largest[distance] ** (1.0 / distance))

    def table(self, distances: tuple[int, ...] = (1, 5, 10, 20, 30, 40, 50)) -> str:
        """One line per distance: the RNN's three sizes and the LSTM's two."""
        lines = [f"{'d':>3} | {'RNN: norm':>10} {'largest s.v.':>12} {'prod |J_t|':>10} | "
                 f"{'LSTM: belt':>10} {'both roads':>10}"]
        for d in distances:
            d = check_integer(d, "distance", minimum=0)
            if d >= self.distances.size:
                raise ValueError(f"distances must be below {self.distances.size}; got {d}")
            lines.append(f"{d:3d} | {self.rnn_norm[d]:10.1e} {self.rnn_largest[d]:12.1e} "
                         f"{self.rnn_factor_bound[d]:10.1e} | {self.lstm_belt[d]:10.1e} "
                         f"{self.lstm_largest[d]:10.1e}")
        return "\n".join(lines)


def jacobian_decay(
    num_steps: int = 61, hidden_size: int = 16, forget_bias: float = 1.0, noise: float = 1.0, seed: int = 0
) -> JacobianDecay:
    """The Jacobians of freshly initialised cells over one delayed-recall sequence.

    The cells are those of :func:`lstm.gradient_flow.gradient_flow` (same sizes, seed and
    initialisation: ``RNNCell(input, H, seed=seed)`` and ``LSTMCell(..., forget_bias=...)``), reading
    one delayed-recall sequence of ``num_steps`` steps drawn with ``seed``.

    Parameters
    ----------
    num_steps : int, default 61
    hidden_size : int, default 16
    forget_bias : float, default 1.0
    noise : float, default 1.0
        Distractor noise of the sequence.
    seed : int, default 0

    Returns
    -------
    JacobianDecay
    """
    num_steps = check_integer(num_steps, "num_steps", minimum=2)
    hidden_size = check_integer(hidden_size, "hidden_size")
    forget_bias = check_number(forget_bias, "forget_bias")
    seed = check_integer(seed, "seed", minimum=0)
    xs = delayed_recall(1, num_steps - 2, 4, noise=noise, seed=seed).xs[:, 0]
    rnn = RNNCell(xs.shape[1], hidden_size, seed=seed)
    lstm = LSTMCell(xs.shape[1], hidden_size, seed=seed, forget_bias=forget_bias)
    rnn_jacobians = rnn_step_jacobians(rnn, rnn.run(xs))
    products = products_from_the_end(rnn_jacobians)[:num_steps]        # d = 0 .. T-1
    factor_norms = np.linalg.norm(rnn_jacobians, ord=2, axis=(1, 2))[::-1]  # |J_T|, |J_{T-1}|, ...
    forget = lstm.run(xs).f
    belt = np.ones((num_steps, hidden_size))
    belt[1:] = np.cumprod(forget[::-1], axis=0)[:num_steps - 1]        # f_{T-d+1} ... f_T
    exact_lstm = final_state_jacobians(lstm, xs)[::-1]                  # d = 0 .. T-1
    return JacobianDecay(
        distances=np.arange(num_steps),
        rnn_norm=np.linalg.norm(products, axis=(1, 2)),
        rnn_largest=np.linalg.norm(products, ord=2, axis=(1, 2)),
        rnn_factor_bound=np.concatenate([[1.0], np.cumprod(factor_norms)[:num_steps - 1]]),
        recurrent_largest=float(np.linalg.norm(rnn.W[:, :hidden_size], ord=2)),
        lstm_belt=belt.max(axis=1),
        lstm_largest=np.linalg.norm(exact_lstm, ord=2, axis=(1, 2)),
        hidden_size=hidden_size,
        forget_bias=forget_bias,
        seed=seed,
    )


def plot_jacobian_decay(ax: Any, decay: JacobianDecay) -> None:
    """Draw the largest singular values of :class:`JacobianDecay` against distance (log scale).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw (object-oriented API). Distances get integer ticks.
    decay : JacobianDecay
    """
    d = decay.distances
    ax.semilogy(d, decay.rnn_largest, color=GATE_COLOURS["rnn"], linewidth=2,
                label=r"RNN: $\partial h_T / \partial h_{T-d}$, product of $d$ matrices")
    ax.semilogy(d, decay.rnn_factor_bound, color=GATE_COLOURS["rnn"], linewidth=2, linestyle=":",
                label=r"RNN: product of the factors' sizes, $\prod \|J_t\|_2$")
    ax.semilogy(d, decay.lstm_largest, color=GATE_COLOURS["lstm"], linewidth=2,
                label=r"LSTM: $\partial c_T / \partial c_{T-d}$, both roads")
    ax.semilogy(d, decay.lstm_belt, color=GATE_COLOURS["lstm"], linewidth=2, linestyle="--",
                label=r"LSTM: belt alone, largest $\prod f$")
    integer_ticks(ax)
    ax.set_xlim(0, d[-1])
    ax.set_xlabel("steps back from the last step, $d$")
    ax.set_ylabel("largest singular value")
    ax.legend(loc="lower left", frameon=False)
