r"""Two variants of the LSTM cell: peephole connections and coupled input–forget gates.

The standard cell (:mod:`lstm.cell`) computes its gates from :math:`[h_{t-1}, x_t]`
alone.  The variants change one thing each.

**Peephole LSTM** (Gers & Schmidhuber 2000).  The gates also look at the cell
state, through one weight per unit (diagonal "peephole" weights ``p``): the
forget and input gates at the old state :math:`c_{t-1}`, the output gate at the
new state :math:`c_t`::

    f_t  = σ(W_f [h_{t-1}, x_t] + p_f ⊙ c_{t-1} + b_f)
    i_t  = σ(W_i [h_{t-1}, x_t] + p_i ⊙ c_{t-1} + b_i)
    c̃_t  = tanh(W_c [h_{t-1}, x_t] + b_c)
    c_t  = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
    o_t  = σ(W_o [h_{t-1}, x_t] + p_o ⊙ c_t + b_o)
    h_t  = o_t ⊙ tanh(c_t)

**Coupled input–forget gate LSTM** (CIFG, studied by Greff et al. 2017).  There
is no separate input gate: the cell writes exactly as much as it forgets,
:math:`i_t = 1 - f_t`, so ``W_i`` and ``b_i`` disappear::

    f_t  = σ(W_f [h_{t-1}, x_t] + b_f),      i_t = 1 − f_t = σ(−z_f)
    c_t  = f_t ⊙ c_{t-1} + (1 − f_t) ⊙ c̃_t

Both cells have the interface of :class:`lstm.cell.LSTMCell`: :meth:`step`,
:meth:`run` with per-row ``lengths``, :meth:`backward`, ``parameters`` and
``num_parameters``.  The functions ``*_parameter_count`` give the parameter
counts of every cell of the book by formula, and :func:`parameter_counts` puts
them side by side.
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
    tanh,
    tanh_derivative_from_output,
)
from lstm.gru import gru_parameter_count

__all__ = [
    "CoupledLSTMCell",
    "LSTMVariantGradients",
    "LSTMVariantStep",
    "LSTMVariantTrace",
    "PeepholeLSTMCell",
    "coupled_lstm_parameter_count",
    "lstm_parameter_count",
    "parameter_counts",
    "peephole_lstm_parameter_count",
    "rnn_parameter_count",
]


# ---------------------------------------------------------- parameter counts
def _sizes(input_size: int, hidden_size: int) -> tuple[int, int]:
    return check_size(input_size, "input_size"), check_size(hidden_size, "hidden_size")


def rnn_parameter_count(input_size: int, hidden_size: int) -> int:
    """Plain RNN: one block, ``H (H + I) + H``.

    Parameters
    ----------
    input_size, hidden_size : int
        ``I`` and ``H``.

    Returns
    -------
    int
    """
    inputs, hidden = _sizes(input_size, hidden_size)
    return hidden * (hidden + inputs) + hidden


def lstm_parameter_count(input_size: int, hidden_size: int) -> int:
    """LSTM: four blocks (forget, input, candidate, output), ``4 (H (H + I) + H)``."""
    return 4 * rnn_parameter_count(input_size, hidden_size)


def peephole_lstm_parameter_count(input_size: int, hidden_size: int) -> int:
    """Peephole LSTM: the LSTM plus three diagonal peephole weights, ``4 (H (H + I) + H) + 3 H``."""
    return lstm_parameter_count(input_size, hidden_size) + 3 * _sizes(input_size, hidden_size)[1]


def coupled_lstm_parameter_count(input_size: int, hidden_size: int) -> int:
    """Coupled input–forget LSTM: three blocks (no input gate), ``3 (H (H + I) + H)``."""
    return 3 * rnn_parameter_count(input_size, hidden_size)


def parameter_counts(input_size: int, hidden_size: int) -> dict[str, int]:
    """The parameter counts of every cell of the book, by formula, smallest first.

    Parameters
    ----------
    input_size, hidden_size : int
        ``I`` and ``H``.

    Returns
    -------
    dict
        ``{"RNN": ..., "coupled LSTM": ..., "GRU": ..., "LSTM": ..., "peephole LSTM": ...}``:
        one block of ``H (H + I) + H`` numbers, three blocks, three blocks and
        ``H`` (the GRU's second candidate bias), four blocks, four blocks and
        ``3 H`` peepholes.
    """
    return {
        "RNN": rnn_parameter_count(input_size, hidden_size),
        "coupled LSTM": coupled_lstm_parameter_count(input_size, hidden_size),
        "GRU": gru_parameter_count(input_size, hidden_size),
        "LSTM": lstm_parameter_count(input_size, hidden_size),
        "peephole LSTM": peephole_lstm_parameter_count(input_size, hidden_size),
    }


# ------------------------------------------------------------- value records
@dataclass
class LSTMVariantStep:
    """Every value computed in one step of a variant cell, by the article's names.

    The fields are those of :class:`lstm.cell.LSTMStep`.  Each array has shape
    ``(hidden,)`` unbatched or ``(batch, hidden)`` batched.

    Attributes
    ----------
    x, h_prev, c_prev : numpy.ndarray
        The inputs of the step.
    hx : numpy.ndarray
        The concatenation :math:`[h_{t-1}, x_t]`.
    z_f, z_i, z_c, z_o : numpy.ndarray or None
        Pre-activations, peephole terms included (``z_i`` is None for the
        coupled cell, whose input gate is :math:`\\sigma(-z_f)`).
    f, i, c_tilde, o : numpy.ndarray
        The gates and the candidate memory.
    c, tanh_c, h : numpy.ndarray
        New cell state, its tanh, new hidden state.
    """

    x: np.ndarray
    h_prev: np.ndarray
    c_prev: np.ndarray
    hx: np.ndarray
    z_f: np.ndarray
    z_i: np.ndarray | None
    z_c: np.ndarray
    z_o: np.ndarray
    f: np.ndarray
    i: np.ndarray
    c_tilde: np.ndarray
    c: np.ndarray
    o: np.ndarray
    tanh_c: np.ndarray
    h: np.ndarray

    def as_dict(self) -> dict[str, np.ndarray]:
        """The arrays as a dict, in the order of the equations (fields that are None left out)."""
        values = {item.name: getattr(self, item.name) for item in fields(self)}
        return {name: value for name, value in values.items() if value is not None}


_STEP_FIELDS = tuple(LSTMVariantStep.__dataclass_fields__)
_CARRIED = ("x", "h_prev", "c_prev", "hx", "c")   # not zeroed on padding steps


@dataclass
class LSTMVariantTrace(LSTMVariantStep, TimeMajorTrace):
    """The values of every step of a sequence, stacked over time (time-major).

    As :class:`lstm.cell.LSTMTrace`: every field of :class:`LSTMVariantStep`
    with a leading time axis; past a row's length its outputs, gates, candidate
    and pre-activations are 0 while ``c``, ``h_prev`` and ``c_prev`` carry its
    state.

    Attributes
    ----------
    h0, c0, h_last, c_last : numpy.ndarray
        Initial and final states.
    lengths : numpy.ndarray or None
    mask : numpy.ndarray or None
        ``(T, batch)`` booleans, True where a step is real.
    """

    h0: np.ndarray = field(default=None)
    c0: np.ndarray = field(default=None)
    h_last: np.ndarray = field(default=None)
    c_last: np.ndarray = field(default=None)
    lengths: np.ndarray | None = None
    mask: np.ndarray | None = None


@dataclass
class LSTMVariantGradients:
    """Gradients of a loss, from ``backward`` of a variant cell.

    Every parameter gradient is also an attribute by its parameter's name
    (``grads.W_f``, ``grads.p_o``...).

    Attributes
    ----------
    parameters : dict
        Parameter gradients by name, the shapes of the parameters.
    dx : numpy.ndarray
        Gradient for every input, the shape of ``xs``.
    dh0, dc0 : numpy.ndarray
        Gradients for the initial states.
    dh, dc : numpy.ndarray
        ``(T, ..., hidden)``: total gradients reaching :math:`h_t` and :math:`c_t`.
    """

    parameters: dict[str, np.ndarray]
    dx: np.ndarray
    dh0: np.ndarray
    dc0: np.ndarray
    dh: np.ndarray
    dc: np.ndarray

    def __getattr__(self, name: str) -> np.ndarray:
        parameters = self.__dict__.get("parameters", {})
        if name in parameters:
            return parameters[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")


# ------------------------------------------------------------------- the cells
class _LSTMVariant:
    """Shared maths of the two variants; subclasses set ``PEEPHOLES`` and ``COUPLED``."""

    PEEPHOLES = False
    COUPLED = False
    PARAMETER_NAMES: tuple[str, ...] = ()

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        *,
        seed: int = 0,
        forget_bias: float | None = None,
        dtype: type = np.float64,
    ) -> None:
        input_size = check_size(input_size, "input_size")
        hidden_size = check_size(hidden_size, "hidden_size")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise TypeError(f"seed must be an integer; got {seed!r} ({type(seed).__name__})")
        rng = np.random.default_rng(seed)
        bound = 1.0 / np.sqrt(hidden_size)
        parameters = {}
        for name in self.PARAMETER_NAMES:  # every block drawn like PyTorch's nn.LSTM draws it
            if name.startswith("W"):
                parameters[name] = rng.uniform(-bound, bound, size=(hidden_size, hidden_size + input_size))
            elif name.startswith("b"):      # the sum of PyTorch's two biases
                parameters[name] = (rng.uniform(-bound, bound, size=hidden_size)
                                    + rng.uniform(-bound, bound, size=hidden_size))
            else:                           # peephole weights: one per unit
                parameters[name] = rng.uniform(-bound, bound, size=hidden_size)
        if forget_bias is not None:
            parameters["b_f"][:] = as_float_array(forget_bias, "forget_bias", dtype)
        self._set_parameters(parameters, dtype)

    def _set_parameters(self, parameters: dict[str, np.ndarray], dtype: type) -> None:
        self.dtype = np.dtype(dtype)
        if self.dtype.kind != "f":
            raise TypeError(f"dtype must be a floating type; got {self.dtype}")
        self._parameters = {name: np.array(parameters[name], dtype=self.dtype)
                            for name in self.PARAMETER_NAMES}
        self.hidden_size, concatenated = self._parameters["W_f"].shape
        self.input_size = concatenated - self.hidden_size

    def __getattr__(self, name: str) -> np.ndarray:
        parameters = self.__dict__.get("_parameters", {})
        if name in parameters:
            return parameters[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def __setattr__(self, name: str, value: object) -> None:
        parameters = self.__dict__.get("_parameters", {})
        if name in parameters:
            current = parameters[name]
            array = as_float_array(value, name, current.dtype)
            check_shape(array, name, current.shape, f"{current.shape}, the shape of {name}")
            current[...] = array
        else:
            object.__setattr__(self, name, value)

    @classmethod
    def _from_arrays(cls, given: dict[str, object], dtype: type):
        parameters = {name: as_float_array(value, name, dtype) for name, value in given.items()}
        weight = parameters["W_f"]
        if weight.ndim != 2 or weight.shape[1] <= weight.shape[0] or weight.shape[0] == 0:
            raise ValueError(
                f"W_f has shape {weight.shape}; expected (hidden, hidden + input) with hidden >= 1 "
                "and input >= 1"
            )
        hidden = weight.shape[0]
        for name in cls.PARAMETER_NAMES:
            if name.startswith("W"):
                check_shape(parameters[name], name, weight.shape, f"{weight.shape} like W_f")
            else:
                check_shape(parameters[name], name, (hidden,), f"({hidden},) to match hidden={hidden}")
        cell = cls.__new__(cls)
        cell._set_parameters(parameters, dtype)
        return cell

    def copy(self):
        """An independent copy (new arrays, same values)."""
        return type(self).from_arrays(**self.parameters, dtype=self.dtype)

    @property
    def parameters(self) -> dict[str, np.ndarray]:
        """The live parameter arrays by name; editing them in place edits the cell."""
        return dict(self._parameters)

    @property
    def num_parameters(self) -> int:
        """Number of trainable numbers (see the module's ``*_parameter_count`` functions)."""
        return sum(array.size for array in self._parameters.values())

    def __repr__(self) -> str:
        return f"{type(self).__name__}(input_size={self.input_size}, hidden_size={self.hidden_size})"

    # ------------------------------------------------------------ forward pass
    def step(self, x: object, h_prev: object = None, c_prev: object = None) -> LSTMVariantStep:
        """Compute one step of the cell.

        Parameters
        ----------
        x : array_like, shape (input,) or (batch, input)
            The input :math:`x_t`.
        h_prev, c_prev : array_like, shape (hidden,) or (batch, hidden), optional
            The previous hidden and cell states; zeros if omitted.

        Returns
        -------
        LSTMVariantStep
            Every intermediate value by its name.

        Raises
        ------
        TypeError, ValueError
            If an argument is not an array of finite numbers of the right shape.
        """
        x, (h_prev, c_prev) = check_step_inputs(
            x, {"h_prev": h_prev, "c_prev": c_prev}, self.input_size, self.hidden_size, self.dtype
        )
        return self._step(x, h_prev, c_prev)

    def _step(self, x: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray) -> LSTMVariantStep:
        """The equations, on inputs already checked."""
        w = self._parameters
        hx = np.concatenate([h_prev, x], axis=-1)                 # [h_{t-1}, x_t]
        z_f = hx @ w["W_f"].T + w["b_f"]
        if self.PEEPHOLES:
            z_f = z_f + w["p_f"] * c_prev                          # the forget gate sees c_{t-1}
        forget_gate = sigmoid(z_f)
        if self.COUPLED:
            z_i = None
            input_gate = sigmoid(-z_f)                             # i_t = 1 − f_t, without rounding
        else:
            z_i = hx @ w["W_i"].T + w["b_i"]
            if self.PEEPHOLES:
                z_i = z_i + w["p_i"] * c_prev                      # the input gate sees c_{t-1}
            input_gate = sigmoid(z_i)
        z_c = hx @ w["W_c"].T + w["b_c"]
        c_tilde = tanh(z_c)
        c = forget_gate * c_prev + input_gate * c_tilde            # c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
        z_o = hx @ w["W_o"].T + w["b_o"]
        if self.PEEPHOLES:
            z_o = z_o + w["p_o"] * c                               # the output gate sees c_t
        output_gate = sigmoid(z_o)
        tanh_c = tanh(c)
        h = output_gate * tanh_c                                   # h_t = o_t ⊙ tanh(c_t)
        return LSTMVariantStep(x=x, h_prev=h_prev, c_prev=c_prev, hx=hx,
                               z_f=z_f, z_i=z_i, z_c=z_c, z_o=z_o,
                               f=forget_gate, i=input_gate, c_tilde=c_tilde, c=c,
                               o=output_gate, tanh_c=tanh_c, h=h)

    def run(
        self, xs: object, h0: object = None, c0: object = None, lengths: object = None
    ) -> LSTMVariantTrace:
        """Run the cell over a whole sequence, keeping every intermediate value.

        Parameters
        ----------
        xs : array_like, shape (T, input) or (T, batch, input)
            The inputs, time first.
        h0, c0 : array_like, shape (hidden,) or (batch, hidden), optional
            Initial states; zeros if omitted.
        lengths : array_like of int, shape (batch,), optional
            The true length of each row (1 to T); past it a row's states are
            carried unchanged and its outputs are 0 (PyTorch's packed sequences).

        Returns
        -------
        LSTMVariantTrace

        Raises
        ------
        TypeError, ValueError
            On a wrong shape, a non-finite value, or lengths out of range.
        """
        xs, (h0, c0), lengths, batched = check_run_inputs(
            xs, {"h0": h0, "c0": c0}, lengths, self.input_size, self.hidden_size, self.dtype
        )
        steps = xs.shape[0]
        mask = real_steps(lengths, steps)
        names = [name for name in _STEP_FIELDS if not (self.COUPLED and name == "z_i")]
        stacked: dict[str, list[np.ndarray]] = {name: [] for name in names}
        h_state, c_state = h0, c0
        with np.errstate(under="ignore"):  # underflow to 0 is the correctly rounded result
            for t in range(steps):
                step = self._step(xs[t], h_state, c_state)
                values = step.as_dict()
                if mask is not None and not mask[t].all():   # rows past their end keep their state
                    real = mask[t][:, None]
                    values["c"] = np.where(real, step.c, c_state)
                    for name in names:
                        if name not in _CARRIED:
                            values[name] = np.where(real, values[name], 0.0)
                    h_state = np.where(real, step.h, h_state)
                else:
                    h_state = step.h
                c_state = values["c"]
                for name in names:
                    stacked[name].append(values[name])
        arrays: dict[str, np.ndarray | None] = {name: np.stack(values) for name, values in stacked.items()}
        if not batched:
            arrays = {name: value[:, 0] for name, value in arrays.items()}
            h0, c0, h_state, c_state = h0[0], c0[0], h_state[0], c_state[0]
        arrays.setdefault("z_i", None)
        return LSTMVariantTrace(**arrays, h0=h0, c0=c0, h_last=h_state, c_last=c_state,
                                lengths=lengths, mask=mask)

    # ----------------------------------------------------------- backward pass
    def backward(
        self,
        trace: LSTMVariantTrace,
        dh: object,
        dh_last: object = None,
        dc_last: object = None,
    ) -> LSTMVariantGradients:
        """Backpropagation through time for a trace from :meth:`run`.

        Parameters
        ----------
        trace : LSTMVariantTrace
            The forward pass of this cell to differentiate.
        dh : array_like, shape of ``trace.h``
            Gradient of the loss with respect to every output :math:`h_t`.
        dh_last, dc_last : array_like, shape of ``trace.h_last``, optional
            Gradient of the loss with respect to the final states.

        Returns
        -------
        LSTMVariantGradients
            Parameter gradients by name, ``dx``, ``dh0``, ``dc0`` and the
            per-step gradients ``dh``, ``dc``.

        Raises
        ------
        TypeError, ValueError
            If ``trace`` is not a trace of a cell of this kind and size, or a
            gradient does not have the shape of what it differentiates.
        """
        if not isinstance(trace, LSTMVariantTrace):
            raise TypeError(
                f"trace must be an LSTMVariantTrace from {type(self).__name__}.run; "
                f"got {type(trace).__name__}"
            )
        if (trace.z_i is None) != self.COUPLED:
            raise ValueError(
                f"trace comes from a cell {'without' if trace.z_i is None else 'with'} an input gate "
                f"of its own; expected a trace of {type(self).__name__}"
            )
        if trace.x.shape[-1] != self.input_size or trace.h.shape[-1] != self.hidden_size:
            raise ValueError(
                f"trace has input size {trace.x.shape[-1]} and hidden size {trace.h.shape[-1]}; "
                f"expected {self.input_size} and {self.hidden_size} to match this cell"
            )
        dh = check_gradient(dh, "dh", trace.h.shape, self.dtype)
        dh_next = (np.zeros(trace.h_last.shape, dtype=self.dtype) if dh_last is None
                   else check_gradient(dh_last, "dh_last", trace.h_last.shape, self.dtype))
        dc_next = (np.zeros(trace.c_last.shape, dtype=self.dtype) if dc_last is None
                   else check_gradient(dc_last, "dc_last", trace.c_last.shape, self.dtype))
        v = trace.as_dict()
        v = {name: v[name] for name in _STEP_FIELDS if name in v}
        if not trace.batched:
            v = {name: value[:, None] for name, value in v.items()}
            dh, dh_next, dc_next = dh[:, None], dh_next[None], dc_next[None]
        steps, batch = v["x"].shape[:2]
        is_real = np.ones((steps, batch), dtype=bool) if trace.mask is None else trace.mask
        mask = is_real.astype(self.dtype)[:, :, None]
        H = self.hidden_size
        w = self._parameters
        blocks = ("f", "c", "o") if self.COUPLED else ("f", "i", "c", "o")
        W_h = {letter: w[f"W_{letter}"][:, :H] for letter in blocks}
        dz = {letter: np.zeros((steps, batch, H), dtype=self.dtype) for letter in blocks}
        dh_reaching = np.zeros((steps, batch, H), dtype=self.dtype)
        dc_reaching = np.zeros((steps, batch, H), dtype=self.dtype)
        forget_slope = sigmoid_derivative_from_output(v["f"])
        input_slope = sigmoid_derivative_from_output(v["i"])
        output_slope = sigmoid_derivative_from_output(v["o"])
        candidate_slope = tanh_derivative_from_output(v["c_tilde"])
        tanh_c_slope = tanh_derivative_from_output(v["tanh_c"])

        for t in reversed(range(steps)):
            real = mask[t]                                   # 1 for real steps, 0 for padding
            f, i, o = v["f"][t], v["i"][t], v["o"][t]
            c_prev, c_tilde = v["c_prev"][t], v["c_tilde"][t]
            dh_t = (dh[t] + dh_next) * real + dh_next * (1 - real)
            dh_active = dh_t * real
            # h_t = o_t ⊙ tanh(c_t)
            dz["o"][t] = dh_active * v["tanh_c"][t] * output_slope[t]
            dc_t = dc_next + dh_active * o * tanh_c_slope[t]
            if self.PEEPHOLES:                               # z_o = ... + p_o ⊙ c_t
                dc_t = dc_t + dz["o"][t] * w["p_o"]
            dc_active = dc_t * real
            # c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
            if self.COUPLED:                                 # i_t = 1 − f_t: dc/df = c_{t-1} − c̃_t
                dz["f"][t] = dc_active * (c_prev - c_tilde) * forget_slope[t]
            else:
                dz["f"][t] = dc_active * c_prev * forget_slope[t]
                dz["i"][t] = dc_active * c_tilde * input_slope[t]
            dz["c"][t] = dc_active * i * candidate_slope[t]
            # Back one step: every block's W^h, the belt (f_t), and the peepholes on c_{t-1}.
            dh_next = sum(dz[letter][t] @ W_h[letter] for letter in blocks) + dh_t * (1 - real)
            dc_next = dc_active * f + dc_t * (1 - real)
            if self.PEEPHOLES:
                dc_next = dc_next + dz["f"][t] * w["p_f"] + dz["i"][t] * w["p_i"]
            dh_reaching[t], dc_reaching[t] = dh_t, dc_t

        hx = v["hx"].reshape(-1, v["hx"].shape[-1])
        grads = {}
        for letter in blocks:
            flat = dz[letter].reshape(-1, H)
            grads[f"W_{letter}"], grads[f"b_{letter}"] = flat.T @ hx, flat.sum(axis=0)
        if self.PEEPHOLES:
            grads["p_f"] = (dz["f"] * v["c_prev"]).sum(axis=(0, 1))
            grads["p_i"] = (dz["i"] * v["c_prev"]).sum(axis=(0, 1))
            grads["p_o"] = (dz["o"] * v["c"]).sum(axis=(0, 1))
        dx = sum(dz[letter] @ w[f"W_{letter}"][:, H:] for letter in blocks)
        if not trace.batched:
            dx, dh_next, dc_next = dx[:, 0], dh_next[0], dc_next[0]
            dh_reaching, dc_reaching = dh_reaching[:, 0], dc_reaching[:, 0]
        return LSTMVariantGradients(parameters={name: grads[name] for name in self.PARAMETER_NAMES},
                                    dx=dx, dh0=dh_next, dc0=dc_next, dh=dh_reaching, dc=dc_reaching)


class PeepholeLSTMCell(_LSTMVariant):
    """An LSTM whose gates also see the cell state (Gers & Schmidhuber 2000).

    The forget and input gates add ``p_f ⊙ c_{t-1}`` and ``p_i ⊙ c_{t-1}`` to
    their pre-activations, the output gate adds ``p_o ⊙ c_t`` (the new state).
    Each ``p`` is a vector of ``hidden`` numbers: one weight per unit, which
    is a diagonal matrix, so a unit's gates see only that unit's own memory.

    Parameters
    ----------
    input_size, hidden_size : int
        Sizes of :math:`x_t` and of :math:`h_t`, :math:`c_t`.
    seed : int, default 0
        Seed of the initialisation: weights, biases and peepholes uniform in
        :math:`[-1/\\sqrt{H}, 1/\\sqrt{H}]` (biases the sum of two such draws, as
        for :class:`lstm.cell.LSTMCell`).
    forget_bias : float, optional
        If given, every entry of ``b_f`` is set to it.
    dtype : numpy floating type, default numpy.float64

    Examples
    --------
    >>> cell = PeepholeLSTMCell(input_size=1, hidden_size=2, seed=0)
    >>> cell.num_parameters == 4 * (2 * 3 + 2) + 3 * 2
    True
    """

    PEEPHOLES = True
    PARAMETER_NAMES = ("W_f", "W_i", "W_c", "W_o", "b_f", "b_i", "b_c", "b_o", "p_f", "p_i", "p_o")

    @classmethod
    def from_arrays(
        cls, *, W_f: object, W_i: object, W_c: object, W_o: object,
        b_f: object, b_i: object, b_c: object, b_o: object,
        p_f: object, p_i: object, p_o: object, dtype: type = np.float64,
    ) -> PeepholeLSTMCell:
        """Build a cell from explicit arrays (copied).

        Parameters
        ----------
        W_f, W_i, W_c, W_o : array_like, shape (hidden, hidden + input)
            Weights acting on :math:`[h_{t-1}, x_t]` (hidden columns first).
        b_f, b_i, b_c, b_o : array_like, shape (hidden,)
        p_f, p_i, p_o : array_like, shape (hidden,)
            Peephole weights (the diagonals of the peephole matrices).
        dtype : numpy floating type, default numpy.float64

        Raises
        ------
        TypeError, ValueError
            If a value is not finite numbers or a shape does not fit.
        """
        given = {"W_f": W_f, "W_i": W_i, "W_c": W_c, "W_o": W_o, "b_f": b_f, "b_i": b_i,
                 "b_c": b_c, "b_o": b_o, "p_f": p_f, "p_i": p_i, "p_o": p_o}
        return cls._from_arrays(given, dtype)

    @classmethod
    def from_lstm(cls, cell: object, p_f: object = 0.0, p_i: object = 0.0, p_o: object = 0.0
                  ) -> PeepholeLSTMCell:
        """An LSTM's weights plus peepholes (zero peepholes compute exactly the LSTM).

        Parameters
        ----------
        cell : LSTMCell
            A cell with ``W_f`` ... ``b_o`` (copied); it must not be ablated.
        p_f, p_i, p_o : float or array_like of shape (hidden,), default 0

        Raises
        ------
        TypeError
            If ``cell`` is not an LSTM cell.
        ValueError
            If ``cell`` is ablated or a peephole has the wrong shape.
        """
        if not all(hasattr(cell, name) for name in cls.PARAMETER_NAMES[:8]):
            raise TypeError(f"cell must be an LSTMCell; got {type(cell).__name__}")
        if getattr(cell, "ablate", ()):
            raise ValueError(f"cell must not be ablated; got ablate={sorted(cell.ablate)}")
        hidden = cell.hidden_size
        peepholes = {}
        for name, value in {"p_f": p_f, "p_i": p_i, "p_o": p_o}.items():
            array = as_float_array(value, name)
            if array.ndim != 0:
                check_shape(array, name, (hidden,), f"a number or ({hidden},) to match the cell")
            peepholes[name] = np.broadcast_to(array, (hidden,))
        arrays = {name: getattr(cell, name) for name in cls.PARAMETER_NAMES[:8]}
        return cls.from_arrays(**arrays, **peepholes)


class CoupledLSTMCell(_LSTMVariant):
    """An LSTM whose input gate is tied to its forget gate: :math:`i_t = 1 - f_t`.

    What the cell forgets is exactly the room it fills with the candidate, so
    :math:`c_t` is a weighted average of :math:`c_{t-1}` and :math:`\\tilde c_t`
    and never outgrows :math:`\\max(|c_{t-1}|, 1)`.  There is no ``W_i`` or
    ``b_i``: the input gate is computed as :math:`\\sigma(-z_f)`, which equals
    :math:`1 - f_t` without the rounding of the subtraction.

    Parameters
    ----------
    input_size, hidden_size : int
    seed : int, default 0
        Seed of the initialisation (as :class:`lstm.cell.LSTMCell`).
    forget_bias : float, optional
        If given, every entry of ``b_f`` is set to it.
    dtype : numpy floating type, default numpy.float64

    Examples
    --------
    >>> step = CoupledLSTMCell(input_size=1, hidden_size=1, seed=0).step([1.0])
    >>> bool(abs(step.f[0] + step.i[0] - 1) < 1e-15)
    True
    """

    COUPLED = True
    PARAMETER_NAMES = ("W_f", "W_c", "W_o", "b_f", "b_c", "b_o")

    @classmethod
    def from_arrays(
        cls, *, W_f: object, W_c: object, W_o: object, b_f: object, b_c: object, b_o: object,
        dtype: type = np.float64,
    ) -> CoupledLSTMCell:
        """Build a cell from explicit arrays (copied).

        Parameters
        ----------
        W_f, W_c, W_o : array_like, shape (hidden, hidden + input)
        b_f, b_c, b_o : array_like, shape (hidden,)
        dtype : numpy floating type, default numpy.float64

        Raises
        ------
        TypeError, ValueError
            If a value is not finite numbers or a shape does not fit.
        """
        given = {"W_f": W_f, "W_c": W_c, "W_o": W_o, "b_f": b_f, "b_c": b_c, "b_o": b_o}
        return cls._from_arrays(given, dtype)
