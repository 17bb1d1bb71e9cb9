r"""The gated recurrent unit (GRU), computed step by step, in PyTorch's form.

One step, with :math:`[h_{t-1}, x_t]` the concatenation of the previous hidden
state and the input (hidden part first, as for the LSTM)::

    r_t = σ(W_r [h_{t-1}, x_t] + b_r)                       reset gate
    z_t = σ(W_z [h_{t-1}, x_t] + b_z)                       update gate
    n_t = tanh(W_n^x x_t + b_n + r_t ⊙ (W_n^h h_{t-1} + b_hn))   candidate
    h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}                   new hidden state

``W_r``, ``W_z`` and ``W_n`` have shape ``(hidden, hidden + input)``;
``W_n^h = W_n[:, :hidden]`` is the part of ``W_n`` acting on :math:`h_{t-1}` and
``W_n^x = W_n[:, hidden:]`` the part acting on :math:`x_t`.  The candidate has
two biases: ``b_n`` outside the reset gate and ``b_hn`` inside it.

These are exactly the equations of PyTorch's ``nn.GRU`` / ``nn.GRUCell``.  They
differ from the original GRU of Cho et al. (2014) in *where the reset gate acts*:
Cho et al. reset the previous state before the matrix product,

    n_t = tanh(W_n^x x_t + W_n^h (r_t ⊙ h_{t-1}) + b_n),

while PyTorch (like cuDNN, and Keras with ``reset_after=True``) resets the
product :math:`W_n^h h_{t-1} + b_{hn}`.  With a diagonal ``W_n^h`` and ``b_hn = 0``
the two agree; in general they are different functions of the same parameters, so weights
trained in one form do not carry over to the other.  Cho et al. write the last
line in the same form (:math:`z_t` keeps the old state); some later texts swap
the roles of :math:`z_t` and :math:`1 - z_t`.

:class:`GRUCell` offers :meth:`~GRUCell.step`, :meth:`~GRUCell.run` (with per-row
``lengths``), :meth:`~GRUCell.backward` and conversion from and to PyTorch's
layout, with the interface of :class:`lstm.cell.LSTMCell` without a cell state.
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
from lstm._sequences import TimeMajorTrace, real_steps
from lstm.activations import (
    sigmoid,
    sigmoid_derivative_from_output,
    sigmoid_underflow_unguarded,
    tanh,
    tanh_derivative_from_output,
)

__all__ = ["GRUCell", "GRUGradients", "GRUStep", "GRUTrace", "gru_parameter_count"]

# PyTorch stacks the GRU's three blocks in the order reset, update, new (candidate).
_PYTORCH_GATE_ORDER = ("r", "z", "n")


def gru_parameter_count(input_size: int, hidden_size: int) -> int:
    """Trainable numbers of a :class:`GRUCell`: ``3 H (H + I) + 4 H``.

    Three weight matrices of shape ``(H, H + I)``, one bias each for the two
    gates and two for the candidate (``b_n`` and ``b_hn``).  PyTorch's ``nn.GRU``
    stores ``3 H (H + I) + 6 H`` numbers because it keeps two biases for every
    block, but the two gate biases only ever appear summed.

    Parameters
    ----------
    input_size, hidden_size : int
        ``I`` and ``H``.

    Returns
    -------
    int
    """
    inputs, hidden = check_size(input_size, "input_size"), check_size(hidden_size, "hidden_size")
    return 3 * hidden * (hidden + inputs) + 4 * hidden


class _Parameter:
    """A named parameter array; assigning to it copies into it after checking the shape."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.slot = "_" + name

    def __get__(self, cell: object, owner: type | None = None) -> np.ndarray:
        if cell is None:
            return self  # type: ignore[return-value]
        return getattr(cell, self.slot)

    def __set__(self, cell: object, value: object) -> None:
        current = getattr(cell, self.slot)
        array = as_float_array(value, self.name, current.dtype)
        check_shape(array, self.name, current.shape, f"{current.shape}, the shape of {self.name}")
        current[...] = array


@dataclass
class GRUStep:
    """Every value computed in one step of the GRU, by name.

    Each array has shape ``(hidden,)`` unbatched or ``(batch, hidden)`` batched
    (``x`` has ``input`` columns and ``hx`` has ``hidden + input``).

    Attributes
    ----------
    x, h_prev : numpy.ndarray
        The inputs of the step: :math:`x_t` and :math:`h_{t-1}`.
    hx : numpy.ndarray
        The concatenation :math:`[h_{t-1}, x_t]`.
    z_r, z_z : numpy.ndarray
        Pre-activations :math:`W [h_{t-1}, x_t] + b` of the reset and update gates.
    n_x, n_h : numpy.ndarray
        The candidate's two parts: :math:`W_n^x x_t + b_n` (from the input) and
        :math:`W_n^h h_{t-1} + b_{hn}` (from the previous state, before the reset).
    z_n : numpy.ndarray
        The candidate's pre-activation :math:`n_x + r_t ⊙ n_h`.
    r, z, n : numpy.ndarray
        Reset gate :math:`r_t`, update gate :math:`z_t`, candidate :math:`n_t`.
    h : numpy.ndarray
        The new hidden state :math:`h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}`.
    """

    x: np.ndarray
    h_prev: np.ndarray
    hx: np.ndarray
    z_r: np.ndarray
    z_z: np.ndarray
    n_x: np.ndarray
    n_h: np.ndarray
    z_n: np.ndarray
    r: np.ndarray
    z: np.ndarray
    n: np.ndarray
    h: np.ndarray

    @property
    def reset_gate(self) -> np.ndarray:
        """Alias of ``r``."""
        return self.r

    @property
    def update_gate(self) -> np.ndarray:
        """Alias of ``z``."""
        return self.z

    @property
    def candidate(self) -> np.ndarray:
        """Alias of ``n``."""
        return self.n

    def as_dict(self) -> dict[str, np.ndarray]:
        """The arrays as a dict, in the order of the equations (fields that are None left out)."""
        values = {item.name: getattr(self, item.name) for item in fields(self)}
        return {name: value for name, value in values.items() if value is not None}


_STEP_FIELDS = tuple(GRUStep.__dataclass_fields__)


@dataclass
class GRUTrace(GRUStep, TimeMajorTrace):
    """The values of every step of a sequence, stacked over time (time-major).

    Every attribute of :class:`GRUStep` with a leading time axis: ``(T, hidden)``
    unbatched or ``(T, batch, hidden)`` batched.  Past a row's length (when
    ``lengths`` was given) its gates, candidate, pre-activations and output
    ``h`` are 0, while ``h_prev`` carries its state unchanged.

    Attributes
    ----------
    h0, h_last : numpy.ndarray
        Initial and final hidden state (per row, after its last real step).
    lengths : numpy.ndarray or None
        Length of each row, ``(batch,)``, or None when all rows have length T.
    mask : numpy.ndarray or None
        ``(T, batch)`` booleans, True where a step is real; None without lengths.
    """

    h0: np.ndarray = field(default=None)
    h_last: np.ndarray = field(default=None)
    lengths: np.ndarray | None = None
    mask: np.ndarray | None = None


@dataclass
class GRUGradients:
    """Gradients of a loss, from :meth:`GRUCell.backward`.

    Attributes
    ----------
    W_r, W_z, W_n : numpy.ndarray
        Gradients of the weights, ``(hidden, hidden + input)`` each.
    b_r, b_z, b_n, b_hn : numpy.ndarray
        Gradients of the biases, ``(hidden,)`` each.
    dx : numpy.ndarray
        Gradient for every input, the shape of ``xs``.
    dh0 : numpy.ndarray
        Gradient for the initial state, the shape of ``h0``.
    dh : numpy.ndarray
        ``(T, ..., hidden)``: the total gradient reaching :math:`h_t`, from the
        loss on its own output and from every later step.
    """

    W_r: np.ndarray
    W_z: np.ndarray
    W_n: np.ndarray
    b_r: np.ndarray
    b_z: np.ndarray
    b_n: np.ndarray
    b_hn: np.ndarray
    dx: np.ndarray
    dh0: np.ndarray
    dh: np.ndarray

    @property
    def parameters(self) -> dict[str, np.ndarray]:
        """Parameter gradients by the parameters' names (``"W_r"``, ..., ``"b_hn"``)."""
        return {name: getattr(self, name) for name in GRUCell.PARAMETER_NAMES}


class GRUCell:
    """A gated recurrent unit with PyTorch's equations and article-style names.

    Parameters
    ----------
    input_size : int
        Size of each input vector :math:`x_t`.
    hidden_size : int
        Size of the hidden state :math:`h_t`.
    seed : int, default 0
        Seed of the random initialisation; the same seed gives the same cell.
    dtype : numpy floating type, default numpy.float64

    Notes
    -----
    The initialisation follows PyTorch's ``nn.GRU``: its ``weight_ih``,
    ``weight_hh``, ``bias_ih`` and ``bias_hh`` are drawn (in that order) uniformly
    from :math:`[-1/\\sqrt{H}, 1/\\sqrt{H}]`; our ``b_r`` and ``b_z`` are the sums
    of PyTorch's two biases of that gate, ``b_n`` is its ``b_in`` and ``b_hn``
    its ``b_hn``.

    Examples
    --------
    >>> cell = GRUCell(input_size=1, hidden_size=1, seed=0)
    >>> step = cell.step([0.5])
    >>> bool(0 < step.z[0] < 1)
    True
    """

    GATES = ("reset", "update", "candidate")
    PARAMETER_NAMES = ("W_r", "W_z", "W_n", "b_r", "b_z", "b_n", "b_hn")

    W_r = _Parameter()
    W_z = _Parameter()
    W_n = _Parameter()
    b_r = _Parameter()
    b_z = _Parameter()
    b_n = _Parameter()
    b_hn = _Parameter()

    def __init__(
        self, input_size: int, hidden_size: int, *, seed: int = 0, dtype: type = np.float64
    ) -> None:
        input_size = check_size(input_size, "input_size")
        hidden_size = check_size(hidden_size, "hidden_size")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise TypeError(f"seed must be an integer; got {seed!r} ({type(seed).__name__})")
        rng = np.random.default_rng(seed)
        bound = 1.0 / np.sqrt(hidden_size)
        weight_ih = rng.uniform(-bound, bound, size=(3 * hidden_size, input_size))
        weight_hh = rng.uniform(-bound, bound, size=(3 * hidden_size, hidden_size))
        bias_ih = rng.uniform(-bound, bound, size=3 * hidden_size)
        bias_hh = rng.uniform(-bound, bound, size=3 * hidden_size)
        self._set_parameters(_parameters_from_pytorch(weight_ih, weight_hh, bias_ih, bias_hh), dtype)

    def _set_parameters(self, parameters: dict[str, np.ndarray], dtype: type) -> None:
        self.dtype = np.dtype(dtype)
        if self.dtype.kind != "f":
            raise TypeError(f"dtype must be a floating type; got {self.dtype}")
        for name in self.PARAMETER_NAMES:
            setattr(self, "_" + name, np.array(parameters[name], dtype=self.dtype))
        self.hidden_size, concatenated = self._W_r.shape
        self.input_size = concatenated - self.hidden_size

    @classmethod
    def from_arrays(
        cls,
        *,
        W_r: object,
        W_z: object,
        W_n: object,
        b_r: object,
        b_z: object,
        b_n: object,
        b_hn: object,
        dtype: type = np.float64,
    ) -> GRUCell:
        """Build a cell from explicit weights (copied).

        Parameters
        ----------
        W_r, W_z, W_n : array_like, shape (hidden, hidden + input)
            Weights acting on :math:`[h_{t-1}, x_t]` (hidden columns first).
        b_r, b_z : array_like, shape (hidden,)
            Biases of the reset and update gates.
        b_n, b_hn : array_like, shape (hidden,)
            The candidate's biases: ``b_n`` is added to the input part,
            ``b_hn`` to the hidden part before the reset gate multiplies it.
        dtype : numpy floating type, default numpy.float64

        Raises
        ------
        TypeError, ValueError
            If a value is not an array of finite numbers, a shape does not fit,
            or a weight has no input columns.
        """
        given = {"W_r": W_r, "W_z": W_z, "W_n": W_n,
                 "b_r": b_r, "b_z": b_z, "b_n": b_n, "b_hn": b_hn}
        parameters = {name: as_float_array(value, name, dtype) for name, value in given.items()}
        weight = parameters["W_r"]
        if weight.ndim != 2 or weight.shape[1] <= weight.shape[0] or weight.shape[0] == 0:
            raise ValueError(
                f"W_r has shape {weight.shape}; expected (hidden, hidden + input) with hidden >= 1 "
                "and input >= 1"
            )
        hidden = weight.shape[0]
        for name in cls.PARAMETER_NAMES:
            if name.startswith("W"):
                check_shape(parameters[name], name, weight.shape, f"{weight.shape} like W_r")
            else:
                check_shape(parameters[name], name, (hidden,), f"({hidden},) to match hidden={hidden}")
        cell = cls.__new__(cls)
        cell._set_parameters(parameters, dtype)
        return cell

    def copy(self) -> GRUCell:
        """An independent copy (new arrays, same values)."""
        return type(self).from_arrays(**self.parameters, dtype=self.dtype)

    @property
    def parameters(self) -> dict[str, np.ndarray]:
        """The live parameter arrays by name; editing them in place edits the cell."""
        return {name: getattr(self, name) for name in self.PARAMETER_NAMES}

    @property
    def num_parameters(self) -> int:
        """Number of trainable numbers: ``3 * hidden * (hidden + input) + 4 * hidden``."""
        return sum(array.size for array in self.parameters.values())

    def __repr__(self) -> str:
        return f"GRUCell(input_size={self.input_size}, hidden_size={self.hidden_size})"

    # ------------------------------------------------------------ forward pass
    def step(self, x: object, h_prev: object = None) -> GRUStep:
        """Compute one step of the GRU.

        Parameters
        ----------
        x : array_like, shape (input,) or (batch, input)
            The input :math:`x_t`.
        h_prev : array_like, shape (hidden,) or (batch, hidden), optional
            The previous hidden state :math:`h_{t-1}`; zeros if omitted.

        Returns
        -------
        GRUStep
            Every intermediate value by name (``r``, ``z``, ``n``, ``h``, the
            pre-activations ``z_r``, ``z_z``, ``z_n`` and the candidate's parts).

        Raises
        ------
        TypeError, ValueError
            If an argument is not an array of finite numbers of the right shape.
        """
        x, (h_prev,) = check_step_inputs(
            x, {"h_prev": h_prev}, self.input_size, self.hidden_size, self.dtype
        )
        return self._step(x, h_prev)

    def _step(self, x: np.ndarray, h_prev: np.ndarray) -> GRUStep:
        """The equations, on inputs already checked."""
        H = self.hidden_size
        hx = np.concatenate([h_prev, x], axis=-1)            # [h_{t-1}, x_t]
        z_r = hx @ self.W_r.T + self.b_r                      # W_r [h_{t-1}, x_t] + b_r
        z_z = hx @ self.W_z.T + self.b_z                      # W_z [h_{t-1}, x_t] + b_z
        n_x = x @ self.W_n[:, H:].T + self.b_n                # W_n^x x_t + b_n
        n_h = h_prev @ self.W_n[:, :H].T + self.b_hn          # W_n^h h_{t-1} + b_hn
        reset_gate = sigmoid(z_r)                             # r_t = σ(z_r)
        update_gate = sigmoid(z_z)                            # z_t = σ(z_z)
        z_n = n_x + reset_gate * n_h                          # the reset acts on W_n^h h + b_hn
        candidate = tanh(z_n)                                 # n_t = tanh(z_n)
        h = (1.0 - update_gate) * candidate + update_gate * h_prev   # h_t = (1 − z_t) n_t + z_t h_{t-1}
        return GRUStep(x=x, h_prev=h_prev, hx=hx, z_r=z_r, z_z=z_z, n_x=n_x, n_h=n_h, z_n=z_n,
                       r=reset_gate, z=update_gate, n=candidate, h=h)

    def run(self, xs: object, h0: object = None, lengths: object = None) -> GRUTrace:
        """Run the GRU over a whole sequence, keeping every intermediate value.

        Parameters
        ----------
        xs : array_like, shape (T, input) or (T, batch, input)
            The inputs, time first (like PyTorch's default).
        h0 : array_like, shape (hidden,) or (batch, hidden), optional
            Initial state; zeros if omitted.
        lengths : array_like of int, shape (batch,), optional
            The true length of each row of a batched ``xs`` (1 to T).  Past its
            length a row's state is carried unchanged and its outputs are 0, as
            with PyTorch's packed sequences.

        Returns
        -------
        GRUTrace

        Raises
        ------
        TypeError, ValueError
            On a wrong shape, a non-finite value, or lengths out of range.
        """
        xs, (h0,), lengths, batched = check_run_inputs(
            xs, {"h0": h0}, lengths, self.input_size, self.hidden_size, self.dtype
        )
        steps, batch = xs.shape[:2]
        H = self.hidden_size
        mask = real_steps(lengths, steps)
        # The same maths as step(), arranged for speed: the input's share of all three blocks
        # (r, z, n) for every step in one product, and the previous state's share in one
        # product per step with the stacked W^h.
        W_x, W_h_transposed = self._stacked_input_weights(), self._stacked_hidden_weights().T
        gates_x = xs @ W_x.T + np.concatenate([self.b_r, self.b_z, self.b_n])   # (T, batch, 3H)
        bias_h = np.concatenate([np.zeros(2 * H, dtype=self.dtype), self.b_hn])
        hx = np.empty((steps, batch, H + self.input_size), dtype=self.dtype)
        hx[:, :, H:] = xs                                   # [h_{t-1}, x_t]
        pre_gates = np.empty((steps, batch, 2 * H), dtype=self.dtype)    # z_r, z_z
        gates = np.empty((steps, batch, 2 * H), dtype=self.dtype)        # r, z
        n_h, z_n, candidate, h = (np.empty((steps, batch, H), dtype=self.dtype) for _ in range(4))
        h_state = h0
        with np.errstate(under="ignore"):  # underflow to 0 is the correctly rounded result
            for t in range(steps):
                hx[t, :, :H] = h_state
                gates_h = h_state @ W_h_transposed + bias_h                 # W^h h_{t-1} (+ b_hn)
                pre_gates[t] = gates_x[t, :, :2 * H] + gates_h[:, :2 * H]   # W [h_{t-1}, x_t] + b
                gates[t] = sigmoid_underflow_unguarded(pre_gates[t])        # r_t, z_t
                reset_gate, update_gate = gates[t, :, :H], gates[t, :, H:]
                n_h[t] = gates_h[:, 2 * H:]                                 # W_n^h h_{t-1} + b_hn
                z_n[t] = gates_x[t, :, 2 * H:] + reset_gate * n_h[t]        # n_x + r_t ⊙ n_h
                candidate[t] = np.tanh(z_n[t])                              # n_t
                h[t] = (1.0 - update_gate) * candidate[t] + update_gate * h_state
                if mask is not None and not mask[t].all():   # rows past their end keep their state
                    h_state = np.where(mask[t][:, None], h[t], h_state)
                else:
                    h_state = h[t]
        arrays = {
            "x": xs, "h_prev": hx[:, :, :H], "hx": hx,
            "z_r": pre_gates[:, :, :H], "z_z": pre_gates[:, :, H:],
            "n_x": gates_x[:, :, 2 * H:], "n_h": n_h, "z_n": z_n,
            "r": gates[:, :, :H], "z": gates[:, :, H:], "n": candidate, "h": h,
        }
        if mask is not None:                                 # padding steps output nothing
            padding = ~mask[:, :, None]
            for array in (gates_x, pre_gates, gates, n_h, z_n, candidate, h):
                np.copyto(array, 0.0, where=padding)
        if not batched:
            arrays = {name: value[:, 0] for name, value in arrays.items()}
            h0, h_state = h0[0], h_state[0]
        return GRUTrace(**arrays, h0=h0, h_last=h_state, lengths=lengths, mask=mask)

    def _stacked_input_weights(self) -> np.ndarray:
        """``(3H, input)``: the columns of W_r, W_z, W_n acting on x_t, stacked (PyTorch's weight_ih)."""
        H = self.hidden_size
        return np.concatenate([self.W_r[:, H:], self.W_z[:, H:], self.W_n[:, H:]])

    def _stacked_hidden_weights(self) -> np.ndarray:
        """``(3H, H)``: the columns of W_r, W_z, W_n acting on h_{t-1}, stacked (PyTorch's weight_hh)."""
        H = self.hidden_size
        return np.concatenate([self.W_r[:, :H], self.W_z[:, :H], self.W_n[:, :H]])

    # ----------------------------------------------------------- backward pass
    def backward(self, trace: GRUTrace, dh: object, dh_last: object = None) -> GRUGradients:
        """Backpropagation through time for a trace from :meth:`run`.

        Parameters
        ----------
        trace : GRUTrace
            The forward pass to differentiate.
        dh : array_like, shape of ``trace.h``
            Gradient of the loss with respect to every output :math:`h_t`
            (zeros where the loss does not look).
        dh_last : array_like, shape of ``trace.h_last``, optional
            Gradient of the loss with respect to the final state.

        Returns
        -------
        GRUGradients
            Parameter gradients by name, ``dx``, ``dh0`` and the per-step
            gradients ``dh`` reaching :math:`h_t`.

        Raises
        ------
        TypeError, ValueError
            If ``trace`` is not a :class:`GRUTrace` of this cell's sizes or a
            gradient does not have the shape of what it differentiates.
        """
        if not isinstance(trace, GRUTrace):
            raise TypeError(f"trace must be a GRUTrace from GRUCell.run; got {type(trace).__name__}")
        if trace.x.shape[-1] != self.input_size or trace.h.shape[-1] != self.hidden_size:
            raise ValueError(
                f"trace has input size {trace.x.shape[-1]} and hidden size {trace.h.shape[-1]}; "
                f"expected {self.input_size} and {self.hidden_size} to match this cell"
            )
        dh = check_gradient(dh, "dh", trace.h.shape, self.dtype)
        dh_next = (np.zeros(trace.h_last.shape, dtype=self.dtype) if dh_last is None
                   else check_gradient(dh_last, "dh_last", trace.h_last.shape, self.dtype))
        values = {name: getattr(trace, name) for name in _STEP_FIELDS}
        if not trace.batched:
            values = {name: value[:, None] for name, value in values.items()}
            dh, dh_next = dh[:, None], dh_next[None]
        steps, batch = values["x"].shape[:2]
        is_real = np.ones((steps, batch), dtype=bool) if trace.mask is None else trace.mask
        mask = is_real.astype(self.dtype)[:, :, None]
        H = self.hidden_size
        W_h = self._stacked_hidden_weights()                 # (3H, H): W_r^h, W_z^h, W_n^h
        reset_slope = sigmoid_derivative_from_output(values["r"])
        update_slope = sigmoid_derivative_from_output(values["z"])
        candidate_slope = tanh_derivative_from_output(values["n"])
        # Gradients of the three products with W^h h_{t-1}, stacked like W_h: blocks dz_r, dz_z
        # and dn_h (the gradient of W_n^h h + b_hn); and of the candidate's pre-activation z_n.
        d_hidden_products = np.zeros((steps, batch, 3 * H), dtype=self.dtype)
        dz_r, dz_z = d_hidden_products[:, :, :H], d_hidden_products[:, :, H:2 * H]
        dn_h = d_hidden_products[:, :, 2 * H:]
        dz_n = np.zeros((steps, batch, H), dtype=self.dtype)
        dh_reaching = np.zeros((steps, batch, H), dtype=self.dtype)

        for t in reversed(range(steps)):
            real = mask[t]                                  # 1 for real steps, 0 for padding
            h_prev, r, z, n = values["h_prev"][t], values["r"][t], values["z"][t], values["n"][t]
            # Gradient reaching h_t: from its own output and from step t+1 (padding passes it on).
            dh_t = (dh[t] + dh_next) * real + dh_next * (1 - real)
            dh_active = dh_t * real
            # h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}
            d_candidate = dh_active * (1.0 - z)
            d_update_gate = dh_active * (h_prev - n)
            # n_t = tanh(z_n),  z_n = n_x + r_t ⊙ n_h
            dz_n[t] = d_candidate * candidate_slope[t]
            d_reset_gate = dz_n[t] * values["n_h"][t]
            dn_h[t] = dz_n[t] * r
            dz_r[t] = d_reset_gate * reset_slope[t]
            dz_z[t] = d_update_gate * update_slope[t]
            # Every route back to h_{t-1}: directly through z_t ⊙ h_{t-1}, and through the
            # products W_r^h h, W_z^h h and W_n^h h (one product with the stacked W_h).
            dh_next = dh_active * z + d_hidden_products[t] @ W_h + dh_t * (1 - real)
            dh_reaching[t] = dh_t

        def summed(dz: np.ndarray, inputs: np.ndarray) -> np.ndarray:
            """Σ over steps and rows of dz^T · inputs."""
            return dz.reshape(-1, dz.shape[-1]).T @ inputs.reshape(-1, inputs.shape[-1])

        hx, xs, h_prevs = values["hx"], values["x"], values["h_prev"]
        gate_weights = summed(d_hidden_products[:, :, :2 * H], hx)       # W_r and W_z
        grads = {
            "W_r": gate_weights[:H],
            "W_z": gate_weights[H:],
            "W_n": np.concatenate([summed(dn_h, h_prevs), summed(dz_n, xs)], axis=1),
            "b_r": dz_r.sum(axis=(0, 1)),
            "b_z": dz_z.sum(axis=(0, 1)),
            "b_n": dz_n.sum(axis=(0, 1)),
            "b_hn": dn_h.sum(axis=(0, 1)),
        }
        # x_t enters r and z through W^x [.., x] and the candidate through W_n^x x_t.
        d_input_products = np.concatenate([d_hidden_products[:, :, :2 * H], dz_n], axis=-1)
        dx = d_input_products @ self._stacked_input_weights()
        if not trace.batched:
            dx, dh_next, dh_reaching = dx[:, 0], dh_next[0], dh_reaching[:, 0]
        return GRUGradients(**grads, dx=dx, dh0=dh_next, dh=dh_reaching)

    # ------------------------------------------------------------ frameworks
    @classmethod
    def from_pytorch(
        cls, weight_ih: object, weight_hh: object, bias_ih: object, bias_hh: object
    ) -> GRUCell:
        """Build a cell from the arrays of a PyTorch ``nn.GRUCell`` (or layer 0 of ``nn.GRU``).

        Parameters
        ----------
        weight_ih : array_like, shape (3*hidden, input)
            PyTorch's ``weight_ih`` (blocks in the order r, z, n).
        weight_hh : array_like, shape (3*hidden, hidden)
        bias_ih, bias_hh : array_like, shape (3*hidden,)
            PyTorch's two biases.  Our ``b_r`` and ``b_z`` are the sums of the
            gate blocks; ``b_n`` is ``bias_ih``'s n block and ``b_hn`` is
            ``bias_hh``'s n block (the one the reset gate multiplies).

        Raises
        ------
        TypeError, ValueError
            If an array is not finite numbers or the shapes do not fit together.

        Examples
        --------
        ``GRUCell.from_pytorch(*(p.detach().numpy() for p in torch_cell.parameters()))``
        """
        arrays = {"weight_ih": weight_ih, "weight_hh": weight_hh,
                  "bias_ih": bias_ih, "bias_hh": bias_hh}
        arrays = {name: as_float_array(value, name) for name, value in arrays.items()}
        weight_hh = arrays["weight_hh"]
        if weight_hh.ndim != 2 or weight_hh.shape[0] != 3 * weight_hh.shape[1] or weight_hh.size == 0:
            raise ValueError(f"weight_hh has shape {weight_hh.shape}; expected (3*hidden, hidden)")
        hidden = weight_hh.shape[1]
        weight_ih = arrays["weight_ih"]
        if weight_ih.ndim != 2 or weight_ih.shape[0] != 3 * hidden or weight_ih.shape[1] == 0:
            raise ValueError(
                f"weight_ih has shape {weight_ih.shape}; expected (3*hidden, input) = "
                f"({3 * hidden}, input) to match weight_hh"
            )
        for name in ("bias_ih", "bias_hh"):
            check_shape(arrays[name], name, (3 * hidden,), f"({3 * hidden},) = (3*hidden,)")
        return cls.from_arrays(**_parameters_from_pytorch(**arrays))

    def to_pytorch(self) -> dict[str, np.ndarray]:
        """The cell's parameters in PyTorch's ``nn.GRUCell`` layout.

        Returns
        -------
        dict
            ``weight_ih`` (3*hidden, input), ``weight_hh`` (3*hidden, hidden),
            ``bias_ih`` (3*hidden,) = ``[b_r, b_z, b_n]`` and ``bias_hh``
            (3*hidden,) = ``[0, 0, b_hn]``, blocks in PyTorch's order r, z, n.
        """
        H = self.hidden_size
        weights = [getattr(self, f"W_{letter}") for letter in _PYTORCH_GATE_ORDER]
        zeros = np.zeros(H, dtype=self.dtype)
        return {
            "weight_ih": np.concatenate([w[:, H:] for w in weights]),
            "weight_hh": np.concatenate([w[:, :H] for w in weights]),
            "bias_ih": np.concatenate([self.b_r, self.b_z, self.b_n]),
            "bias_hh": np.concatenate([zeros, zeros, self.b_hn]),
        }


def _parameters_from_pytorch(
    weight_ih: np.ndarray, weight_hh: np.ndarray, bias_ih: np.ndarray, bias_hh: np.ndarray
) -> dict[str, np.ndarray]:
    """Split PyTorch's stacked (r, z, n) blocks into the article-style named parameters."""
    hidden = weight_hh.shape[1]
    blocks = {letter: slice(k * hidden, (k + 1) * hidden) for k, letter in enumerate(_PYTORCH_GATE_ORDER)}
    parameters = {
        f"W_{letter}": np.concatenate([weight_hh[rows], weight_ih[rows]], axis=1)
        for letter, rows in blocks.items()
    }
    parameters["b_r"] = bias_ih[blocks["r"]] + bias_hh[blocks["r"]]
    parameters["b_z"] = bias_ih[blocks["z"]] + bias_hh[blocks["z"]]
    parameters["b_n"] = bias_ih[blocks["n"]].copy()
    parameters["b_hn"] = bias_hh[blocks["n"]].copy()
    return {name: parameters[name] for name in GRUCell.PARAMETER_NAMES}
