r"""The plain recurrent cell, to put beside the LSTM.

One step::

    h_t = tanh(W [h_{t-1}, x_t] + b)

``W`` has shape ``(hidden, hidden + input)`` and ``b`` has shape ``(hidden,)``.
The interface is the one of :class:`lstm.cell.LSTMCell` without a cell state:
:meth:`RNNCell.step`, :meth:`RNNCell.run` (with ``lengths``) and
:meth:`RNNCell.backward`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from lstm._checks import (
    as_float_array,
    check_gradient,
    check_run_inputs,
    check_shape,
    check_size,
    check_step_inputs,
)
from lstm._inplace import tanh_function, tanh_into
from lstm._sequences import TimeMajorTrace, real_steps, spread_over_rows, summed_over_steps_and_rows
from lstm.activations import tanh

__all__ = ["RNNCell", "RNNGradients", "RNNStep", "RNNTrace", "backward_through_time",
           "forward_through_time"]


@dataclass
class RNNStep:
    """Every value computed in one step of the plain RNN.

    Attributes
    ----------
    x, h_prev : numpy.ndarray
        Input :math:`x_t`, ``(input,)`` or ``(batch, input)``, and previous
        hidden state :math:`h_{t-1}`, ``(hidden,)`` or ``(batch, hidden)``.
    hx : numpy.ndarray
        The concatenation :math:`[h_{t-1}, x_t]`.
    z : numpy.ndarray
        The pre-activation :math:`W [h_{t-1}, x_t] + b`.
    h : numpy.ndarray
        The new hidden state :math:`h_t = \\tanh(z)`.
    """

    x: np.ndarray
    h_prev: np.ndarray
    hx: np.ndarray
    z: np.ndarray
    h: np.ndarray

    def as_dict(self) -> dict[str, np.ndarray]:
        """The arrays as a dict (fields that are None left out)."""
        values = {item.name: getattr(self, item.name) for item in fields(self)}
        return {name: value for name, value in values.items() if value is not None}


@dataclass
class RNNTrace(RNNStep, TimeMajorTrace):
    """Every step of a sequence, stacked over time (``(T, ...)``).

    Past a row's length, ``z`` and the output ``h`` are 0 and ``h_prev``
    carries the state unchanged.

    Attributes
    ----------
    h0, h_last : numpy.ndarray
        Initial and final hidden state (per row, after its last real step).
    lengths : numpy.ndarray or None
    mask : numpy.ndarray or None
        ``(T, batch)`` booleans, True where a step is real.
    """

    h0: np.ndarray = field(default=None)
    h_last: np.ndarray = field(default=None)
    lengths: np.ndarray | None = None
    mask: np.ndarray | None = None


@dataclass
class RNNGradients:
    """Gradients from :meth:`RNNCell.backward`.

    Attributes
    ----------
    W, b : numpy.ndarray
        Parameter gradients.
    dx : numpy.ndarray
        Gradient for every input, the shape of ``xs``.
    dh0 : numpy.ndarray
        Gradient for the initial state.
    dh : numpy.ndarray
        ``(T, ..., hidden)``: the total gradient reaching :math:`h_t`.
    """

    W: np.ndarray
    b: np.ndarray
    dx: np.ndarray
    dh0: np.ndarray
    dh: np.ndarray

    @property
    def parameters(self) -> dict[str, np.ndarray]:
        """Parameter gradients by name (``"W"``, ``"b"``)."""
        return {"W": self.W, "b": self.b}


class RNNCell:
    """The plain (Elman) recurrent cell :math:`h_t = \\tanh(W [h_{t-1}, x_t] + b)`.

    Parameters
    ----------
    input_size : int
        Size of each input :math:`x_t`.
    hidden_size : int
        Size of the hidden state :math:`h_t`.
    seed : int, default 0
        Seed of the initialisation (PyTorch's ``nn.RNN``: every weight and both
        biases uniform in :math:`[-1/\\sqrt{H}, 1/\\sqrt{H}]`; our bias is the sum
        of PyTorch's two).
    dtype : numpy floating type, default numpy.float64
    """

    PARAMETER_NAMES = ("W", "b")

    def __init__(
        self, input_size: int, hidden_size: int, *, seed: int = 0, dtype: type = np.float64
    ) -> None:
        input_size = check_size(input_size, "input_size")
        hidden_size = check_size(hidden_size, "hidden_size")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise TypeError(f"seed must be an integer; got {seed!r} ({type(seed).__name__})")
        rng = np.random.default_rng(seed)
        bound = 1.0 / np.sqrt(hidden_size)
        weight_ih = rng.uniform(-bound, bound, size=(hidden_size, input_size))
        weight_hh = rng.uniform(-bound, bound, size=(hidden_size, hidden_size))
        bias_ih = rng.uniform(-bound, bound, size=hidden_size)
        bias_hh = rng.uniform(-bound, bound, size=hidden_size)
        self._set_parameters(
            np.concatenate([weight_hh, weight_ih], axis=1), bias_ih + bias_hh, dtype
        )

    def _set_parameters(self, W: np.ndarray, b: np.ndarray, dtype: type) -> None:
        self.dtype = np.dtype(dtype)
        if self.dtype.kind != "f":
            raise TypeError(f"dtype must be a floating type; got {self.dtype}")
        self.W = np.asarray(W, dtype=self.dtype)
        self.b = np.asarray(b, dtype=self.dtype)
        self.hidden_size = self.W.shape[0]
        self.input_size = self.W.shape[1] - self.hidden_size

    @classmethod
    def from_arrays(cls, *, W: object, b: object, dtype: type = np.float64) -> RNNCell:
        """Build a cell from explicit arrays (copied).

        Parameters
        ----------
        W : array_like, shape (hidden, hidden + input)
            Acts on :math:`[h_{t-1}, x_t]` (hidden columns first).
        b : array_like, shape (hidden,)
        """
        W = as_float_array(W, "W", dtype)
        b = as_float_array(b, "b", dtype)
        if W.ndim != 2 or W.shape[1] <= W.shape[0] or W.shape[0] == 0:
            raise ValueError(
                f"W has shape {W.shape}; expected (hidden, hidden + input) with hidden >= 1 "
                "and input >= 1"
            )
        check_shape(b, "b", (W.shape[0],), f"({W.shape[0]},) to match hidden={W.shape[0]}")
        cell = cls.__new__(cls)
        cell._set_parameters(W, b, dtype)
        return cell

    @classmethod
    def from_pytorch(
        cls, weight_ih: object, weight_hh: object, bias_ih: object, bias_hh: object
    ) -> RNNCell:
        """Build a cell from a PyTorch ``nn.RNNCell`` (tanh) or layer 0 of ``nn.RNN``.

        Parameters
        ----------
        weight_ih : array_like, shape (hidden, input)
        weight_hh : array_like, shape (hidden, hidden)
        bias_ih, bias_hh : array_like, shape (hidden,)
        """
        arrays = {"weight_ih": weight_ih, "weight_hh": weight_hh,
                  "bias_ih": bias_ih, "bias_hh": bias_hh}
        arrays = {name: as_float_array(value, name) for name, value in arrays.items()}
        weight_hh = arrays["weight_hh"]
        if weight_hh.ndim != 2 or weight_hh.shape[0] != weight_hh.shape[1] or weight_hh.size == 0:
            raise ValueError(f"weight_hh has shape {weight_hh.shape}; expected (hidden, hidden)")
        hidden = weight_hh.shape[0]
        weight_ih = arrays["weight_ih"]
        if weight_ih.ndim != 2 or weight_ih.shape[0] != hidden or weight_ih.shape[1] == 0:
            raise ValueError(
                f"weight_ih has shape {weight_ih.shape}; expected (hidden, input) = "
                f"({hidden}, input) to match weight_hh"
            )
        for name in ("bias_ih", "bias_hh"):
            check_shape(arrays[name], name, (hidden,), f"({hidden},) = (hidden,)")
        return cls.from_arrays(
            W=np.concatenate([weight_hh, weight_ih], axis=1),
            b=arrays["bias_ih"] + arrays["bias_hh"],
        )

    def to_pytorch(self) -> dict[str, np.ndarray]:
        """Parameters in PyTorch's ``nn.RNNCell`` layout (``bias_hh`` is zeros)."""
        hidden = self.hidden_size
        return {
            "weight_ih": self.W[:, hidden:].copy(),
            "weight_hh": self.W[:, :hidden].copy(),
            "bias_ih": self.b.copy(),
            "bias_hh": np.zeros(hidden, dtype=self.dtype),
        }

    def copy(self) -> RNNCell:
        """An independent copy."""
        return type(self).from_arrays(W=self.W, b=self.b, dtype=self.dtype)

    @property
    def parameters(self) -> dict[str, np.ndarray]:
        """The live parameter arrays by name (``"W"``, ``"b"``)."""
        return {"W": self.W, "b": self.b}

    @property
    def num_parameters(self) -> int:
        """Number of trainable numbers: ``hidden * (hidden + input) + hidden``."""
        return self.W.size + self.b.size

    def __repr__(self) -> str:
        return f"RNNCell(input_size={self.input_size}, hidden_size={self.hidden_size})"

    # ------------------------------------------------------------ forward pass
    def step(self, x: object, h_prev: object = None) -> RNNStep:
        """Compute one step :math:`h_t = \\tanh(W [h_{t-1}, x_t] + b)`.

        Parameters
        ----------
        x : array_like, shape (input,) or (batch, input)
        h_prev : array_like, shape (hidden,) or (batch, hidden), optional
            Zeros if omitted.

        Returns
        -------
        RNNStep
        """
        x, (h_prev,) = check_step_inputs(
            x, {"h_prev": h_prev}, self.input_size, self.hidden_size, self.dtype
        )
        return self._step(x, h_prev)

    def _step(self, x: np.ndarray, h_prev: np.ndarray) -> RNNStep:
        hx = np.concatenate([h_prev, x], axis=-1)   # [h_{t-1}, x_t]
        z = hx @ self.W.T + self.b                   # W [h_{t-1}, x_t] + b
        h = tanh(z)                                  # h_t = tanh(z)
        return RNNStep(x=x, h_prev=h_prev, hx=hx, z=z, h=h)

    def run(self, xs: object, h0: object = None, lengths: object = None) -> RNNTrace:
        """Run over a sequence, keeping every value.

        Parameters
        ----------
        xs : array_like, shape (T, input) or (T, batch, input)
        h0 : array_like, shape (hidden,) or (batch, hidden), optional
        lengths : array_like of int, shape (batch,), optional
            True length of each row; past it the state is carried and the
            output is 0.

        Returns
        -------
        RNNTrace
        """
        xs, (h0,), lengths, batched = check_run_inputs(
            xs, {"h0": h0}, lengths, self.input_size, self.hidden_size, self.dtype
        )
        mask = real_steps(lengths, xs.shape[0])
        arrays = forward_through_time(self.W, self.b, xs, h0, mask)
        h_last = arrays.pop("h_last")
        if not batched:
            arrays = {name: value[:, 0] for name, value in arrays.items()}
            h0, h_last = h0[0], h_last[0]
        return RNNTrace(**arrays, h0=h0, h_last=h_last, lengths=lengths, mask=mask)

    # ----------------------------------------------------------- backward pass
    def backward(self, trace: RNNTrace, dh: object, dh_last: object = None) -> RNNGradients:
        """Backpropagation through time.

        Parameters
        ----------
        trace : RNNTrace
            From :meth:`run`.
        dh : array_like, shape of ``trace.h``
            Gradient of the loss with respect to every output :math:`h_t`.
        dh_last : array_like, shape of ``trace.h_last``, optional
            Gradient with respect to the final state.

        Returns
        -------
        RNNGradients
        """
        if not isinstance(trace, RNNTrace):
            raise TypeError(f"trace must be an RNNTrace from RNNCell.run; got {type(trace).__name__}")
        if trace.x.shape[-1] != self.input_size or trace.h.shape[-1] != self.hidden_size:
            raise ValueError(
                f"trace has input size {trace.x.shape[-1]} and hidden size {trace.h.shape[-1]}; "
                f"expected {self.input_size} and {self.hidden_size} to match this cell"
            )
        dh = check_gradient(dh, "dh", trace.h.shape, self.dtype)
        dh_next = (np.zeros(trace.h_last.shape, dtype=self.dtype) if dh_last is None
                   else check_gradient(dh_last, "dh_last", trace.h_last.shape, self.dtype).copy())
        arrays = {"hx": trace.hx, "h": trace.h}
        if not trace.batched:
            arrays = {name: value[:, None] for name, value in arrays.items()}
            dh, dh_next = dh[:, None], dh_next[None]
        result = backward_through_time(self.W, arrays, dh, dh_next, trace.mask)
        dx, dh0, dh_reaching = result["dx"], result["dh0"], result["dh"]
        if not trace.batched:
            dx, dh0, dh_reaching = dx[:, 0], dh0[0], dh_reaching[:, 0]
        return RNNGradients(W=result["W"], b=result["b"], dx=dx, dh0=dh0, dh=dh_reaching)


# ------------------------------------------------------------- time loops
# RNNCell.run and RNNCell.backward call these two functions with the cell's arrays;
# lstm.stacked calls them with the arrays of K cells stacked on a leading model axis.  The
# arrays of a sequence are (T, *rows, size): rows is (batch,) for one cell and (K, batch) for
# K cells, whose weights (K, H, H + I) np.matmul pairs with their own rows.


def forward_through_time(
    W: np.ndarray, b: np.ndarray, xs: np.ndarray, h0: np.ndarray, mask: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """The forward time loop of :meth:`RNNCell.run`, for one cell or K cells at once.

    Parameters
    ----------
    W : numpy.ndarray, shape (H, H + I) or (K, H, H + I)
        The weights on :math:`[h_{t-1}, x_t]`, or those of K cells along a leading model axis.
    b : numpy.ndarray, shape (H,) or (K, H)
    xs : numpy.ndarray, shape (T, batch, I) or (T, K, batch, I)
        Checked inputs of the weights' dtype; with a model axis, cell k reads ``xs[:, k]``.
    h0 : numpy.ndarray, shape (batch, H) or (K, batch, H)
    mask : numpy.ndarray of bool, shape (T, batch) or (T, K, batch), optional
        True where a step is real; past its end a row carries its state unchanged.

    Returns
    -------
    dict of numpy.ndarray
        ``x``, ``h_prev``, ``hx``, ``z``, ``h`` stacked over time, ``(T, *rows, size)``
        (``z`` and ``h`` are 0 on padding steps), and ``h_last`` of shape ``(*rows, H)``.
    """
    steps, rows = xs.shape[0], xs.shape[1:-1]          # rows: (batch,) or (K, batch)
    H = W.shape[-2]
    dtype = W.dtype
    # The same maths as step(), arranged for speed: the input's share of every
    # pre-activation is computed for all steps at once, the loop adds W_h h_{t-1}
    # with one product per step and writes every value into arrays made before it.
    z = np.empty((steps, *rows, H), dtype=dtype)       # W_x x_t + b, + W_h h_{t-1} below
    np.matmul(xs, W[..., H:].swapaxes(-1, -2), out=z)
    np.add(z, spread_over_rows(b, rows), out=z)        # + b, copied to every row first (see lstm.cell)
    h = np.empty((steps, *rows, H), dtype=dtype)
    recurrent = np.empty((*rows, H), dtype=dtype)
    W_h_transposed = W[..., :H].swapaxes(-1, -2)
    padding = None if mask is None else ~mask[..., None]
    # One cell: np.tanh or the exponential form, whichever is faster for its batch.  K cells:
    # always the exponential form, so that no cell's numbers depend on how many share the stack.
    tanh_of = tanh_into if W.ndim == 3 else tanh_function(int(np.prod(rows)) * H, dtype)
    h_state = h0
    with np.errstate(over="ignore", under="ignore"):   # tanh_into: e^{-2z} -> inf gives -1, exact
        for t, (z_t, h_t) in enumerate(zip(z, h, strict=True)):
            np.matmul(h_state, W_h_transposed, out=recurrent)
            np.add(z_t, recurrent, out=z_t)              # z = W [h_{t-1}, x_t] + b
            tanh_of(z_t, h_t)                            # h_t = tanh(z)
            if padding is not None and padding[t].any():   # rows past their end keep their state
                np.copyto(h_t, h_state, where=padding[t])
            h_state = h_t
    h_last = h_state.copy()
    hx = np.empty((steps, *rows, xs.shape[-1] + H), dtype=dtype)
    hx[0, ..., :H], hx[1:, ..., :H], hx[..., H:] = h0, h[:-1], xs    # [h_{t-1}, x_t] of every step
    if padding is not None:                              # padding steps output nothing
        np.copyto(z, 0.0, where=padding)
        np.copyto(h, 0.0, where=padding)
    return {"x": xs, "h_prev": hx[..., :H], "hx": hx, "z": z, "h": h, "h_last": h_last}


def backward_through_time(
    W: np.ndarray,
    arrays: dict[str, np.ndarray],
    dh: np.ndarray,
    dh_next: np.ndarray,
    mask: np.ndarray | None = None,
    *,
    input_gradient: bool = True,
) -> dict[str, np.ndarray]:
    """The backward time loop of :meth:`RNNCell.backward`, for one cell or K cells at once.

    Parameters
    ----------
    W : numpy.ndarray, shape (H, H + I) or (K, H, H + I)
    arrays : dict of numpy.ndarray
        ``hx`` and ``h`` of the forward pass, ``(T, *rows, size)``.
    dh : numpy.ndarray, shape (T, *rows, H)
        Gradient of the loss with respect to every output :math:`h_t`.
    dh_next : numpy.ndarray, shape (*rows, H)
        Gradient with respect to the final state; overwritten (it ends as ``dh0``).
    mask : numpy.ndarray of bool, shape (T, *rows), optional
        True where a step is real.
    input_gradient : bool, default True
        False skips ``dx`` (training does not need the gradient of the inputs).

    Returns
    -------
    dict of numpy.ndarray
        ``W`` and ``b``: the parameter gradients (each cell's summed over its own steps and
        rows), ``dx`` (the inputs' shape, None without ``input_gradient``), ``dh0``
        (``(*rows, H)``) and ``dh`` (``(T, *rows, H)``), the total gradient reaching :math:`h_t`.
    """
    hx, h = arrays["hx"], arrays["h"]
    steps, rows, H = dh.shape[0], dh.shape[1:-1], dh.shape[-1]
    dtype = W.dtype
    # h_t = tanh(z): the slope 1 - h_t² of every step at once (0 on padding steps,
    # whose own loss is ignored and whose state passes the gradient on unchanged).
    slope = 1.0 - h * h
    padding = None
    if mask is not None:
        padding = ~mask[..., None]
        np.copyto(slope, 0.0, where=padding)
        dh = np.where(padding, 0.0, dh)
    dz = np.empty((steps, *rows, H), dtype=dtype)
    dh_reaching = np.empty((steps, *rows, H), dtype=dtype)
    W_h = W[..., :H]
    for t in reversed(range(steps)):
        dh_t = dh_reaching[t]
        np.add(dh[t], dh_next, out=dh_t)                 # from h_t's own loss and from step t+1
        np.multiply(dh_t, slope[t], out=dz[t])           # h_t = tanh(z)
        np.matmul(dz[t], W_h, out=dh_next)               # z = W [h_{t-1}, x_t] + b
        if padding is not None and padding[t].any():
            np.copyto(dh_next, dh_t, where=padding[t])
    # Parameter and input gradients, summed over every step and row at once (per model).
    dW, db = summed_over_steps_and_rows(dz, hx, model_axis=W.ndim == 3)
    dx = dz @ W[..., H:] if input_gradient else None
    return {"W": dW, "b": db, "dx": dx, "dh0": dh_next, "dh": dh_reaching}
