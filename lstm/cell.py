r"""The LSTM cell, computed step by step.

One step of the cell, with :math:`[h_{t-1}, x_t]` the concatenation of the
previous hidden state and the input (in that order)::

    f_t  = σ(W_f [h_{t-1}, x_t] + b_f)          forget gate
    c̃_t  = tanh(W_c [h_{t-1}, x_t] + b_c)       candidate memory
    i_t  = σ(W_i [h_{t-1}, x_t] + b_i)          input gate
    c_t  = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t            cell-state update
    o_t  = σ(W_o [h_{t-1}, x_t] + b_o)          output gate
    h_t  = o_t ⊙ tanh(c_t)                      hidden state

``⊙`` is the element-wise product.  Each ``W`` has shape
``(hidden, hidden + input)`` and each ``b`` has shape ``(hidden,)``.

:class:`LSTMCell` offers

- :meth:`LSTMCell.step`: one step, returning every intermediate value by the
  article's name (:class:`LSTMStep`);
- :meth:`LSTMCell.run`: a whole sequence (:class:`LSTMTrace`), optionally with a
  different length for every row of a batch;
- :meth:`LSTMCell.backward`: backpropagation through time
  (:class:`LSTMGradients`);
- conversion from and to the weight layouts of PyTorch and Keras.
"""

from __future__ import annotations

from collections.abc import Iterable
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
from lstm._inplace import reciprocal_squash_into, tanh_function, tanh_into
from lstm._sequences import TimeMajorTrace, real_steps, spread_over_rows, summed_over_steps_and_rows
from lstm.activations import sigmoid, tanh

__all__ = ["LSTMCell", "LSTMGradients", "LSTMStep", "LSTMTrace", "backward_through_time",
           "forward_through_time"]

# PyTorch stores the four gates stacked in the order input, forget, cell (g), output;
# Keras in the order input, forget, cell (c), output.  Both are the same order.
_FRAMEWORK_GATE_ORDER = ("i", "f", "c", "o")

# Row blocks of the stacked parameters, in the order of the equations' gates.
_BLOCKS = ("f", "i", "c", "o")


def _block_property(kind: str, letter: str, meaning: str) -> property:
    """A parameter such as ``W_f``: a view of its block of the stacked arrays.

    Assigning to it (``cell.b_f = [1.0]``) copies the values into the block,
    after checking their shape.
    """
    name = f"{kind}_{letter}"
    block = _BLOCKS.index(letter)

    def get(self: LSTMCell) -> np.ndarray:
        hidden = self.hidden_size
        stacked = self._weights if kind == "W" else self._biases
        return stacked[block * hidden:(block + 1) * hidden]

    def set_(self: LSTMCell, value: object) -> None:
        view = get(self)
        array = as_float_array(value, name, self.dtype)
        check_shape(array, name, view.shape, f"{view.shape}, the shape of {name}")
        view[...] = array

    shape = "(hidden, hidden + input)" if kind == "W" else "(hidden,)"
    return property(get, set_, doc=f"{'Weights' if kind == 'W' else 'Bias'} of the {meaning}, {shape}.")



@dataclass
class LSTMStep:
    """Every value computed in one step of the cell, by the article's names.

    Each array has shape ``(hidden,)`` for an unbatched step or
    ``(batch, hidden)`` for a batched one (``x`` has ``input`` columns and
    ``hx`` has ``hidden + input``).

    Attributes
    ----------
    x, h_prev, c_prev : numpy.ndarray
        The inputs of the step: :math:`x_t`, :math:`h_{t-1}`, :math:`c_{t-1}`.
    hx : numpy.ndarray
        The concatenation :math:`[h_{t-1}, x_t]` that every gate reads.
    z_f, z_i, z_c, z_o : numpy.ndarray
        Pre-activations :math:`W [h_{t-1}, x_t] + b` of the forget gate, the
        input gate, the candidate and the output gate.
    f, i, c_tilde, o : numpy.ndarray
        Forget gate :math:`f_t`, input gate :math:`i_t`, candidate memory
        :math:`\\tilde c_t`, output gate :math:`o_t`.
    c, tanh_c, h : numpy.ndarray
        New cell state :math:`c_t`, its squashed read-out :math:`\\tanh(c_t)`,
        and the new hidden state :math:`h_t`.
    """

    x: np.ndarray
    h_prev: np.ndarray
    c_prev: np.ndarray
    hx: np.ndarray
    z_f: np.ndarray
    z_i: np.ndarray
    z_c: np.ndarray
    z_o: np.ndarray
    f: np.ndarray
    i: np.ndarray
    c_tilde: np.ndarray
    c: np.ndarray
    o: np.ndarray
    tanh_c: np.ndarray
    h: np.ndarray

    # Long names for readers who prefer words to letters.
    @property
    def forget_gate(self) -> np.ndarray:
        """Alias of ``f``."""
        return self.f

    @property
    def input_gate(self) -> np.ndarray:
        """Alias of ``i``."""
        return self.i

    @property
    def candidate(self) -> np.ndarray:
        """Alias of ``c_tilde``."""
        return self.c_tilde

    @property
    def output_gate(self) -> np.ndarray:
        """Alias of ``o``."""
        return self.o

    def as_dict(self) -> dict[str, np.ndarray]:
        """The arrays as a dict, in the order of the equations (fields that are None left out)."""
        values = {item.name: getattr(self, item.name) for item in fields(self)}
        return {name: value for name, value in values.items() if value is not None}


@dataclass
class LSTMTrace(LSTMStep, TimeMajorTrace):
    """The values of every step of a sequence, stacked over time (time-major).

    Every attribute of :class:`LSTMStep` is here with a leading time axis:
    ``(T, hidden)`` unbatched or ``(T, batch, hidden)`` batched (``x`` has
    ``input`` columns, ``hx`` has ``hidden + input``).

    When ``lengths`` was given, a row's steps past its length are padding: its
    output ``h``, gates, candidate and pre-activations are 0 there, while
    ``c``, ``h_prev`` and ``c_prev`` carry its state unchanged.

    Attributes
    ----------
    h0, c0 : numpy.ndarray
        Initial states, ``(hidden,)`` or ``(batch, hidden)``.
    h_last, c_last : numpy.ndarray
        Final states: for each row, the states after its last real step.
    lengths : numpy.ndarray or None
        Length of each row, ``(batch,)``, or None when all rows have length T.
    mask : numpy.ndarray or None
        ``(T, batch)`` booleans, True where a step is real; None without lengths.
    """

    h0: np.ndarray = field(default=None)
    c0: np.ndarray = field(default=None)
    h_last: np.ndarray = field(default=None)
    c_last: np.ndarray = field(default=None)
    lengths: np.ndarray | None = None
    mask: np.ndarray | None = None


@dataclass
class LSTMGradients:
    """Gradients of a loss, from :meth:`LSTMCell.backward`.

    Attributes
    ----------
    W_f, W_i, W_c, W_o : numpy.ndarray
        Gradients of the weights, ``(hidden, hidden + input)`` each.
    b_f, b_i, b_c, b_o : numpy.ndarray
        Gradients of the biases, ``(hidden,)`` each.
    dx : numpy.ndarray
        Gradient for every input, the shape of ``xs``.
    dh0, dc0 : numpy.ndarray
        Gradients for the initial states, the shape of ``h0`` and ``c0``.
    dh : numpy.ndarray
        ``(T, ..., hidden)``: the total gradient reaching :math:`h_t`, from the
        loss on its own output and from every later step.
    dc : numpy.ndarray
        ``(T, ..., hidden)``: the total gradient reaching :math:`c_t`.  Plotted
        against ``t`` it shows how far back a loss at the end can reach.
    """

    W_f: np.ndarray
    W_i: np.ndarray
    W_c: np.ndarray
    W_o: np.ndarray
    b_f: np.ndarray
    b_i: np.ndarray
    b_c: np.ndarray
    b_o: np.ndarray
    dx: np.ndarray
    dh0: np.ndarray
    dc0: np.ndarray
    dh: np.ndarray
    dc: np.ndarray

    @property
    def parameters(self) -> dict[str, np.ndarray]:
        """Parameter gradients by the parameters' names (``"W_f"``, ..., ``"b_o"``)."""
        return {name: getattr(self, name) for name in LSTMCell.PARAMETER_NAMES}


class LSTMCell:
    """A long short-term memory cell with the article's parameter names.

    Parameters
    ----------
    input_size : int
        Size of each input vector :math:`x_t`.
    hidden_size : int
        Size of the hidden state :math:`h_t` and the cell state :math:`c_t`.
    seed : int, default 0
        Seed of the random initialisation.  The same seed always gives the
        same cell.
    forget_bias : float, optional
        If given, every entry of ``b_f`` is set to this value after the random
        initialisation.  A positive forget bias (1 is common) starts the cell
        off remembering.
    ablate : iterable of str, optional
        Parts to remove, for ablation studies (Greff et al. 2017):
        ``"forget_gate"``, ``"input_gate"``, ``"output_gate"`` fix that gate to 1
        (its parameters then get zero gradient); ``"candidate_tanh"`` and
        ``"output_tanh"`` replace that tanh by the identity.
    dtype : numpy floating type, default numpy.float64

    Notes
    -----
    The initialisation follows PyTorch's ``nn.LSTM``: every weight and both of
    PyTorch's biases are drawn uniformly from
    :math:`[-1/\\sqrt{H}, 1/\\sqrt{H}]`; our single bias per gate is the sum of
    PyTorch's two.

    Examples
    --------
    >>> cell = LSTMCell(input_size=1, hidden_size=1, seed=0)
    >>> step = cell.step([0.5])
    >>> bool(0 < step.f[0] < 1)
    True
    """

    GATES = ("forget", "input", "candidate", "output")
    PARAMETER_NAMES = ("W_f", "W_i", "W_c", "W_o", "b_f", "b_i", "b_c", "b_o")
    ABLATIONS = ("forget_gate", "input_gate", "output_gate", "candidate_tanh", "output_tanh")
    _GATE_LETTER = {"forget": "f", "input": "i", "candidate": "c", "output": "o"}

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        *,
        seed: int = 0,
        forget_bias: float | None = None,
        ablate: Iterable[str] = (),
        dtype: type = np.float64,
    ) -> None:
        input_size = check_size(input_size, "input_size")
        hidden_size = check_size(hidden_size, "hidden_size")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise TypeError(f"seed must be an integer; got {seed!r} ({type(seed).__name__})")
        rng = np.random.default_rng(seed)
        bound = 1.0 / np.sqrt(hidden_size)
        # Draw the four weight and bias blocks exactly as PyTorch lays them out.
        weight_ih = rng.uniform(-bound, bound, size=(4 * hidden_size, input_size))
        weight_hh = rng.uniform(-bound, bound, size=(4 * hidden_size, hidden_size))
        bias_ih = rng.uniform(-bound, bound, size=4 * hidden_size)
        bias_hh = rng.uniform(-bound, bound, size=4 * hidden_size)
        parameters = _parameters_from_pytorch(weight_ih, weight_hh, bias_ih, bias_hh, dtype)
        if forget_bias is not None:
            parameters["b_f"][:] = as_float_array(forget_bias, "forget_bias", dtype)
        self._set_parameters(parameters, ablate, dtype)

    # ------------------------------------------------------------------ set-up
    def _set_parameters(
        self, parameters: dict[str, np.ndarray], ablate: Iterable[str], dtype: type
    ) -> None:
        self.dtype = np.dtype(dtype)
        if self.dtype.kind != "f":
            raise TypeError(f"dtype must be a floating type; got {self.dtype}")
        self.hidden_size, concatenated = parameters["W_f"].shape
        self.input_size = concatenated - self.hidden_size
        # The four weight matrices are stored stacked, one block of rows each, in
        # the order of _BLOCKS (f, i, c, o), so
        # that run() can compute all four pre-activations with one matrix
        # product.  W_f, b_f, ... are views of their block.
        self._weights = np.concatenate([parameters[f"W_{letter}"] for letter in _BLOCKS]).astype(self.dtype)
        self._biases = np.concatenate([parameters[f"b_{letter}"] for letter in _BLOCKS]).astype(self.dtype)
        if isinstance(ablate, str):
            raise TypeError(f"ablate must be a collection of names, e.g. ({ablate!r},); got a string")
        ablate = frozenset(ablate)
        unknown = sorted(ablate - set(self.ABLATIONS))
        if unknown:
            raise ValueError(f"ablate has unknown parts {unknown}; expected names from {self.ABLATIONS}")
        self.ablate = ablate

    W_f = _block_property("W", "f", "forget gate")
    W_i = _block_property("W", "i", "input gate")
    W_c = _block_property("W", "c", "candidate memory")
    W_o = _block_property("W", "o", "output gate")
    b_f = _block_property("b", "f", "forget gate")
    b_i = _block_property("b", "i", "input gate")
    b_c = _block_property("b", "c", "candidate memory")
    b_o = _block_property("b", "o", "output gate")

    @classmethod
    def from_arrays(
        cls,
        *,
        W_f: object,
        W_i: object,
        W_c: object,
        W_o: object,
        b_f: object,
        b_i: object,
        b_c: object,
        b_o: object,
        ablate: Iterable[str] = (),
        dtype: type = np.float64,
    ) -> LSTMCell:
        """Build a cell from explicit weights (copied).

        Parameters
        ----------
        W_f, W_i, W_c, W_o : array_like, shape (hidden, hidden + input)
            Weights acting on :math:`[h_{t-1}, x_t]` (hidden columns first).
        b_f, b_i, b_c, b_o : array_like, shape (hidden,)
            Biases.
        ablate, dtype
            As in :class:`LSTMCell`.

        Raises
        ------
        ValueError
            If a shape does not fit, or a weight has no input columns.
        """
        given = {"W_f": W_f, "W_i": W_i, "W_c": W_c, "W_o": W_o,
                 "b_f": b_f, "b_i": b_i, "b_c": b_c, "b_o": b_o}
        parameters = {name: as_float_array(value, name, dtype) for name, value in given.items()}
        weight = parameters["W_f"]
        if weight.ndim != 2 or weight.shape[1] <= weight.shape[0] or weight.shape[0] == 0:
            raise ValueError(
                f"W_f has shape {weight.shape}; expected (hidden, hidden + input) with hidden >= 1 "
                "and input >= 1"
            )
        hidden = weight.shape[0]
        for name in cls.PARAMETER_NAMES:
            expected = weight.shape if name.startswith("W") else (hidden,)
            described = (
                f"{expected} like W_f" if name.startswith("W") else f"({hidden},) to match hidden={hidden}"
            )
            check_shape(parameters[name], name, expected, described)
        cell = cls.__new__(cls)
        cell._set_parameters(parameters, ablate, dtype)
        return cell

    def copy(self) -> LSTMCell:
        """An independent copy (new arrays, same values and ablations)."""
        return type(self).from_arrays(**self.parameters, ablate=self.ablate, dtype=self.dtype)

    @property
    def parameters(self) -> dict[str, np.ndarray]:
        """The live parameter arrays by name; editing them in place edits the cell."""
        return {name: getattr(self, name) for name in self.PARAMETER_NAMES}

    @property
    def num_parameters(self) -> int:
        """Number of trainable numbers: ``4 * (hidden * (hidden + input) + hidden)``."""
        return sum(array.size for array in self.parameters.values())

    def gate_parameters(self, gate: str) -> tuple[np.ndarray, np.ndarray]:
        """The weight and bias of one gate, e.g. ``cell.gate_parameters("forget")``.

        Parameters
        ----------
        gate : {"forget", "input", "candidate", "output"}

        Returns
        -------
        W : numpy.ndarray, shape (hidden, hidden + input)
        b : numpy.ndarray, shape (hidden,)
            The live arrays (not copies).
        """
        if gate not in self._GATE_LETTER:
            raise ValueError(f"gate must be one of {self.GATES}; got {gate!r}")
        letter = self._GATE_LETTER[gate]
        return getattr(self, f"W_{letter}"), getattr(self, f"b_{letter}")

    def __repr__(self) -> str:
        ablated = f", ablate={tuple(sorted(self.ablate))}" if self.ablate else ""
        return f"LSTMCell(input_size={self.input_size}, hidden_size={self.hidden_size}{ablated})"

    # ------------------------------------------------------------ forward pass
    def step(self, x: object, h_prev: object = None, c_prev: object = None) -> LSTMStep:
        """Compute one step of the cell.

        Parameters
        ----------
        x : array_like, shape (input,) or (batch, input)
            The input :math:`x_t`.
        h_prev : array_like, shape (hidden,) or (batch, hidden), optional
            The previous hidden state :math:`h_{t-1}`; zeros if omitted.
        c_prev : array_like, shape (hidden,) or (batch, hidden), optional
            The previous cell state :math:`c_{t-1}`; zeros if omitted.

        Returns
        -------
        LSTMStep
            Every intermediate value by its name (``f``, ``i``, ``c_tilde``,
            ``c``, ``o``, ``tanh_c``, ``h``, the pre-activations ``z_*``...).

        Raises
        ------
        TypeError, ValueError
            If an argument is not an array of finite numbers of the right shape.
        """
        x, (h_prev, c_prev) = check_step_inputs(
            x, {"h_prev": h_prev, "c_prev": c_prev}, self.input_size, self.hidden_size, self.dtype
        )
        return self._step(x, h_prev, c_prev)

    def _step(self, x: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray) -> LSTMStep:
        """The equations, on inputs already checked."""
        hx = np.concatenate([h_prev, x], axis=-1)          # [h_{t-1}, x_t]
        z_f = hx @ self.W_f.T + self.b_f                    # W_f [h_{t-1}, x_t] + b_f
        z_c = hx @ self.W_c.T + self.b_c
        z_i = hx @ self.W_i.T + self.b_i
        z_o = hx @ self.W_o.T + self.b_o

        forget_gate = sigmoid(z_f)                          # f_t  = σ(z_f)
        c_tilde = tanh(z_c)                                 # c̃_t = tanh(z_c)
        input_gate = sigmoid(z_i)                           # i_t  = σ(z_i)
        output_gate = sigmoid(z_o)                          # o_t  = σ(z_o)
        if self.ablate:                                     # variants for ablation studies
            forget_gate, input_gate, c_tilde, output_gate = self._ablated(
                z_c, forget_gate, input_gate, c_tilde, output_gate
            )

        c = forget_gate * c_prev + input_gate * c_tilde     # c_t  = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
        tanh_c = c if "output_tanh" in self.ablate else tanh(c)
        h = output_gate * tanh_c                            # h_t  = o_t ⊙ tanh(c_t)

        return LSTMStep(x=x, h_prev=h_prev, c_prev=c_prev, hx=hx,
                        z_f=z_f, z_i=z_i, z_c=z_c, z_o=z_o,
                        f=forget_gate, i=input_gate, c_tilde=c_tilde, c=c,
                        o=output_gate, tanh_c=tanh_c, h=h)

    def _ablated(self, z_c, forget_gate, input_gate, c_tilde, output_gate):
        """Replace the removed parts: a removed gate is always open (1)."""
        if "forget_gate" in self.ablate:
            forget_gate = np.ones_like(forget_gate)
        if "input_gate" in self.ablate:
            input_gate = np.ones_like(input_gate)
        if "output_gate" in self.ablate:
            output_gate = np.ones_like(output_gate)
        if "candidate_tanh" in self.ablate:
            c_tilde = z_c.copy()
        return forget_gate, input_gate, c_tilde, output_gate

    def run(
        self,
        xs: object,
        h0: object = None,
        c0: object = None,
        lengths: object = None,
    ) -> LSTMTrace:
        """Run the cell over a whole sequence, keeping every intermediate value.

        Parameters
        ----------
        xs : array_like, shape (T, input) or (T, batch, input)
            The inputs, time first (like PyTorch's default).
        h0, c0 : array_like, shape (hidden,) or (batch, hidden), optional
            Initial states; zeros if omitted.
        lengths : array_like of int, shape (batch,), optional
            The true length of each row of a batched ``xs`` (1 to T).  Past its
            length a row's states are carried unchanged and its outputs are 0,
            as with PyTorch's packed sequences.

        Returns
        -------
        LSTMTrace
            Every value of :class:`LSTMStep`, stacked over time, plus the initial
            and final states.

        Raises
        ------
        TypeError, ValueError
            On a wrong shape, a non-finite value, or lengths out of range.
        """
        xs, (h0, c0), lengths, batched = check_run_inputs(
            xs, {"h0": h0, "c0": c0}, lengths, self.input_size, self.hidden_size, self.dtype
        )
        mask = real_steps(lengths, xs.shape[0])
        arrays = forward_through_time(self._weights, self._biases, xs, h0, c0, mask, self.ablate)
        h_last, c_last = arrays.pop("h_last"), arrays.pop("c_last")
        del arrays["gates"]
        if not batched:
            arrays = {name: value[:, 0] for name, value in arrays.items()}
            h0, c0, h_last, c_last = h0[0], c0[0], h_last[0], c_last[0]
        return LSTMTrace(**arrays, h0=h0, c0=c0, h_last=h_last, c_last=c_last,
                         lengths=lengths, mask=mask)

    # ----------------------------------------------------------- backward pass
    def backward(
        self,
        trace: LSTMTrace,
        dh: object,
        dh_last: object = None,
        dc_last: object = None,
    ) -> LSTMGradients:
        """Backpropagation through time for a trace from :meth:`run`.

        Parameters
        ----------
        trace : LSTMTrace
            The forward pass to differentiate.
        dh : array_like, shape of ``trace.h``
            Gradient of the loss with respect to every output :math:`h_t`
            (zeros where the loss does not look).
        dh_last, dc_last : array_like, shape of ``trace.h_last``, optional
            Gradient of the loss with respect to the final states.

        Returns
        -------
        LSTMGradients
            Parameter gradients by name, ``dx``, ``dh0``, ``dc0``, and the
            per-step gradients ``dh`` and ``dc`` reaching :math:`h_t`, :math:`c_t`.
        """
        if not isinstance(trace, LSTMTrace):
            raise TypeError(f"trace must be an LSTMTrace from LSTMCell.run; got {type(trace).__name__}")
        if trace.x.shape[-1] != self.input_size or trace.h.shape[-1] != self.hidden_size:
            raise ValueError(
                f"trace has input size {trace.x.shape[-1]} and hidden size {trace.h.shape[-1]}; "
                f"expected {self.input_size} and {self.hidden_size} to match this cell"
            )
        dh = check_gradient(dh, "dh", trace.h.shape, self.dtype)
        dh_next = _zeros_or(dh_last, "dh_last", trace.h_last.shape, self.dtype).copy()
        dc_next = _zeros_or(dc_last, "dc_last", trace.c_last.shape, self.dtype).copy()
        # Work with a batch axis throughout; squeeze it again at the end.
        arrays = _with_batch_axis(trace)
        if not trace.batched:
            dh, dh_next, dc_next = dh[:, None], dh_next[None], dc_next[None]
        result = backward_through_time(self._weights, arrays, dh, dh_next, dc_next, trace.mask, self.ablate)
        H = self.hidden_size
        grads = {}
        for block, letter in enumerate(_BLOCKS):
            rows = slice(block * H, (block + 1) * H)
            grads[f"W_{letter}"], grads[f"b_{letter}"] = result["W"][rows], result["b"][rows]
        grads = {name: grads[name] for name in self.PARAMETER_NAMES}
        dx, dh0, dc0, dh_reaching, dc_reaching = (result[name] for name in ("dx", "dh0", "dc0", "dh", "dc"))
        if not trace.batched:
            dx, dh0, dc0 = dx[:, 0], dh0[0], dc0[0]
            dh_reaching, dc_reaching = dh_reaching[:, 0], dc_reaching[:, 0]
        return LSTMGradients(**grads, dx=dx, dh0=dh0, dc0=dc0, dh=dh_reaching, dc=dc_reaching)

    # ------------------------------------------------------------ frameworks
    @classmethod
    def from_pytorch(
        cls, weight_ih: object, weight_hh: object, bias_ih: object, bias_hh: object
    ) -> LSTMCell:
        """Build a cell from the arrays of a PyTorch ``nn.LSTMCell`` (or layer 0 of ``nn.LSTM``).

        Parameters
        ----------
        weight_ih : array_like, shape (4*hidden, input)
            PyTorch's ``weight_ih`` (gate blocks in the order i, f, g, o).
        weight_hh : array_like, shape (4*hidden, hidden)
        bias_ih, bias_hh : array_like, shape (4*hidden,)
            PyTorch's two biases; our bias is their sum.

        Examples
        --------
        ``LSTMCell.from_pytorch(*(p.detach().numpy() for p in torch_cell.parameters()))``
        """
        arrays = {"weight_ih": weight_ih, "weight_hh": weight_hh,
                  "bias_ih": bias_ih, "bias_hh": bias_hh}
        arrays = {name: as_float_array(value, name) for name, value in arrays.items()}
        weight_hh = arrays["weight_hh"]
        if weight_hh.ndim != 2 or weight_hh.shape[0] != 4 * weight_hh.shape[1] or weight_hh.size == 0:
            raise ValueError(
                f"weight_hh has shape {weight_hh.shape}; expected (4*hidden, hidden)"
            )
        hidden = weight_hh.shape[1]
        weight_ih = arrays["weight_ih"]
        if weight_ih.ndim != 2 or weight_ih.shape[0] != 4 * hidden or weight_ih.shape[1] == 0:
            raise ValueError(
                f"weight_ih has shape {weight_ih.shape}; expected (4*hidden, input) = "
                f"({4 * hidden}, input) to match weight_hh"
            )
        for name in ("bias_ih", "bias_hh"):
            check_shape(arrays[name], name, (4 * hidden,), f"({4 * hidden},) = (4*hidden,)")
        parameters = _parameters_from_pytorch(**arrays, dtype=np.float64)
        return cls.from_arrays(**parameters)

    def to_pytorch(self) -> dict[str, np.ndarray]:
        """The cell's parameters in PyTorch's layout.

        Returns
        -------
        dict
            ``weight_ih`` (4*hidden, input), ``weight_hh`` (4*hidden, hidden),
            ``bias_ih`` (4*hidden,) holding our biases and ``bias_hh`` (4*hidden,)
            of zeros, gate blocks in PyTorch's order i, f, g, o.
        """
        hidden = self.hidden_size
        weights = [getattr(self, f"W_{letter}") for letter in _FRAMEWORK_GATE_ORDER]
        biases = [getattr(self, f"b_{letter}") for letter in _FRAMEWORK_GATE_ORDER]
        return {
            "weight_ih": np.concatenate([w[:, hidden:] for w in weights]),
            "weight_hh": np.concatenate([w[:, :hidden] for w in weights]),
            "bias_ih": np.concatenate(biases),
            "bias_hh": np.zeros(4 * hidden, dtype=self.dtype),
        }

    @classmethod
    def from_keras(cls, kernel: object, recurrent_kernel: object, bias: object) -> LSTMCell:
        """Build a cell from the weights of a Keras ``LSTM`` layer.

        Parameters
        ----------
        kernel : array_like, shape (input, 4*hidden)
            Keras' input kernel, gate blocks in the order i, f, c, o.
        recurrent_kernel : array_like, shape (hidden, 4*hidden)
        bias : array_like, shape (4*hidden,)

        Notes
        -----
        Keras' defaults (``activation="tanh"``, ``recurrent_activation="sigmoid"``)
        are the article's equations.
        """
        arrays = {"kernel": kernel, "recurrent_kernel": recurrent_kernel, "bias": bias}
        arrays = {name: as_float_array(value, name) for name, value in arrays.items()}
        recurrent = arrays["recurrent_kernel"]
        if recurrent.ndim != 2 or recurrent.shape[1] != 4 * recurrent.shape[0] or recurrent.size == 0:
            raise ValueError(
                f"recurrent_kernel has shape {recurrent.shape}; expected (hidden, 4*hidden)"
            )
        hidden = recurrent.shape[0]
        kernel = arrays["kernel"]
        if kernel.ndim != 2 or kernel.shape[1] != 4 * hidden or kernel.shape[0] == 0:
            raise ValueError(
                f"kernel has shape {kernel.shape}; expected (input, 4*hidden) = "
                f"(input, {4 * hidden}) to match recurrent_kernel"
            )
        check_shape(arrays["bias"], "bias", (4 * hidden,), f"({4 * hidden},) = (4*hidden,)")
        return cls.from_pytorch(
            kernel.T, recurrent.T, arrays["bias"], np.zeros(4 * hidden)
        )

    def to_keras(self) -> dict[str, np.ndarray]:
        """The cell's parameters in Keras' layout.

        Returns
        -------
        dict
            ``kernel`` (input, 4*hidden), ``recurrent_kernel`` (hidden, 4*hidden)
            and ``bias`` (4*hidden,), gate blocks in Keras' order i, f, c, o.
        """
        pytorch = self.to_pytorch()
        return {
            "kernel": pytorch["weight_ih"].T.copy(),
            "recurrent_kernel": pytorch["weight_hh"].T.copy(),
            "bias": pytorch["bias_ih"],
        }


# ------------------------------------------------------------- time loops
# LSTMCell.run and LSTMCell.backward call these two functions with the cell's stacked arrays;
# lstm.stacked calls them with the arrays of K cells stacked on a leading model axis.  The
# arrays of a sequence are (T, *rows, size): rows is (batch,) for one cell and (K, batch) for
# K cells, whose weights (K, 4H, H + I) np.matmul pairs with their own rows.


def forward_through_time(
    weights: np.ndarray,
    biases: np.ndarray,
    xs: np.ndarray,
    h0: np.ndarray,
    c0: np.ndarray,
    mask: np.ndarray | None = None,
    ablate: frozenset[str] = frozenset(),
    *,
    for_trace: bool = True,
) -> dict[str, np.ndarray]:
    """The forward time loop of :meth:`LSTMCell.run`, for one cell or K cells at once.

    Parameters
    ----------
    weights : numpy.ndarray, shape (4H, H + I) or (K, 4H, H + I)
        The four gates' weights stacked by rows in the order f, i, c, o (``LSTMCell._weights``),
        or those of K cells along a leading model axis.
    biases : numpy.ndarray, shape (4H,) or (K, 4H)
        The stacked biases, in the same order.
    xs : numpy.ndarray, shape (T, batch, I) or (T, K, batch, I)
        Checked inputs of the weights' dtype; with a model axis, cell k reads ``xs[:, k]``.
    h0, c0 : numpy.ndarray, shape (batch, H) or (K, batch, H)
        Initial states.
    mask : numpy.ndarray of bool, shape (T, batch) or (T, K, batch), optional
        True where a step is real (:func:`lstm._sequences.real_steps`); past its end a row
        carries its states unchanged.
    ablate : frozenset of str
        Parts removed (:attr:`LSTMCell.ABLATIONS`).
    for_trace : bool, default True
        False skips what only a trace shows and training does not need: the pre-activations
        ``z_*`` and the zeros of the gates and ``tanh_c`` on padding steps.

    Returns
    -------
    dict of numpy.ndarray
        Every field of :class:`LSTMStep` stacked over time, ``(T, *rows, size)`` (padding
        steps hold 0 in ``h``, the gates, the candidate and the pre-activations), the gates
        side by side as ``gates`` (``(T, *rows, 4H)``, blocks f, i, c, o), and the final
        states ``h_last``, ``c_last`` of shape ``(*rows, H)``.
    """
    steps, rows = xs.shape[0], xs.shape[1:-1]          # rows: (batch,) or (K, batch)
    H = weights.shape[-2] // 4
    dtype = weights.dtype
    # The same maths as step(), arranged for speed the way frameworks do it:
    # - the four pre-activations come from ONE product with the stacked weights
    #   (blocks f, i, c, o); the input's share is computed for all steps at once;
    # - all four activations come from one exponential (see lstm._inplace):
    #   σ(z) = 1/(1 + e^{-z}) and tanh(z) = 2/(1 + e^{-2z}) - 1, so the loop works on
    #   s = -z (gates) and s = -2z (candidate); the weights are pre-multiplied by those
    #   powers of two, which is exact, and z = s / scale is recovered after the loop;
    # - tanh(c_t) by np.tanh or by the exponential form, whichever is faster at this size;
    # - every array is allocated before the loop and written with out=.
    scale = _exponent_scales(H, dtype)
    numerators = -scale
    # One cell: np.tanh or the exponential form, whichever is faster for its batch.  K cells:
    # always the exponential form, so that no cell's numbers depend on how many share the stack.
    tanh_of = tanh_into if weights.ndim == 3 else tanh_function(int(np.prod(rows)) * H, dtype)
    scaled_weights = weights * scale[:, None]
    W_h_scaled_T = scaled_weights[..., :H].swapaxes(-1, -2)
    s = np.empty((steps, *rows, 4 * H), dtype=dtype)       # (T, *rows, 4H); + W_h h_{t-1} below
    np.matmul(xs, scaled_weights[..., H:].swapaxes(-1, -2), out=s)
    # + b, spread over the rows first: one long contiguous addition per step (the bias alone is short)
    scaled_biases = biases * scale
    np.add(s, spread_over_rows(scaled_biases, rows), out=s)
    gates = np.empty((steps, *rows, 4 * H), dtype=dtype)  # f_t, i_t, c̃_t, o_t
    c, tanh_c, h = (np.empty((steps, *rows, H), dtype=dtype) for _ in range(3))
    recurrent = np.empty((*rows, 4 * H), dtype=dtype)
    product = np.empty((*rows, H), dtype=dtype)
    blocks = {letter: gates[..., k * H:(k + 1) * H] for k, letter in enumerate(_BLOCKS)}
    padding = None if mask is None else ~mask[..., None]
    h_state, c_state = h0, c0
    # (In the loop, np.add(a, b, out=a) rather than a += b: the same operation, with less
    # overhead per call, which counts at these small sizes.)
    with np.errstate(over="ignore", under="ignore"):   # e^{-z} -> inf gives σ = 0: exact
        for t, (s_t, gates_t, f_t, i_t, c_tilde_t, o_t, c_t, tanh_c_t, h_t) in enumerate(zip(
                s, gates, blocks["f"], blocks["i"], blocks["c"], blocks["o"], c, tanh_c, h, strict=True)):
            np.matmul(h_state, W_h_scaled_T, out=recurrent)
            np.add(s_t, recurrent, out=s_t)                        # s = scale · (W [h_{t-1}, x_t] + b)
            reciprocal_squash_into(s_t, numerators, out=gates_t)
            np.subtract(c_tilde_t, 1.0, out=c_tilde_t)             # f, i, o = σ(z); c̃ = tanh(z_c)
            if ablate:
                _ablate_step(ablate, H, s_t, gates_t)
            np.multiply(f_t, c_state, out=c_t)                     # c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
            np.multiply(i_t, c_tilde_t, out=product)
            np.add(c_t, product, out=c_t)
            if "output_tanh" in ablate:
                tanh_c_t[...] = c_t
            else:
                tanh_of(c_t, tanh_c_t)
            np.multiply(o_t, tanh_c_t, out=h_t)                    # h_t = o_t ⊙ tanh(c_t)
            if padding is not None and padding[t].any():           # rows past their end keep their state
                np.copyto(c_t, c_state, where=padding[t])
                np.copyto(h_t, h_state, where=padding[t])
            h_state, c_state = h_t, c_t
    h_last, c_last = h_state.copy(), c_state.copy()
    hx = np.empty((steps, *rows, xs.shape[-1] + H), dtype=dtype)
    hx[0, ..., :H], hx[1:, ..., :H], hx[..., H:] = h0, h[:-1], xs  # [h_{t-1}, x_t] of every step
    c_prev = np.empty_like(c)
    c_prev[0], c_prev[1:] = c0, c[:-1]                             # c_{t-1} of every step
    arrays = {"x": xs, "h_prev": hx[..., :H], "c_prev": c_prev, "hx": hx}
    if for_trace:
        z = np.multiply(s, 1.0 / scale, out=s)                     # exact: 1/scale is -1 or -0.5
        arrays.update({f"z_{letter}": z[..., k * H:(k + 1) * H] for k, letter in enumerate(_BLOCKS)})
    if padding is not None:                                        # padding steps output nothing
        for array in (z, gates, tanh_c, h) if for_trace else (h,):
            np.copyto(array, 0.0, where=padding)
    return {
        **arrays,
        "f": blocks["f"], "i": blocks["i"], "c_tilde": blocks["c"], "c": c,
        "o": blocks["o"], "tanh_c": tanh_c, "h": h, "h_last": h_last, "c_last": c_last, "gates": gates,
    }


def _ablate_step(ablate: frozenset[str], H: int, s_t: np.ndarray, gates_t: np.ndarray) -> None:
    """For ablation studies: a removed gate is always fully open (1); a removed tanh is the identity."""
    for letter, part in (("f", "forget_gate"), ("i", "input_gate"), ("o", "output_gate")):
        if part in ablate:
            block = _BLOCKS.index(letter)
            gates_t[..., block * H:(block + 1) * H] = 1.0
    if "candidate_tanh" in ablate:                       # c̃_t = z_c = s / (-2)
        block = _BLOCKS.index("c")
        np.divide(s_t[..., block * H:(block + 1) * H], -2.0, out=gates_t[..., block * H:(block + 1) * H])


def backward_through_time(
    weights: np.ndarray,
    arrays: dict[str, np.ndarray],
    dh: np.ndarray,
    dh_next: np.ndarray,
    dc_next: np.ndarray,
    mask: np.ndarray | None = None,
    ablate: frozenset[str] = frozenset(),
    *,
    input_gradient: bool = True,
) -> dict[str, np.ndarray]:
    """The backward time loop of :meth:`LSTMCell.backward`, for one cell or K cells at once.

    Parameters
    ----------
    weights : numpy.ndarray, shape (4H, H + I) or (K, 4H, H + I)
        As in :func:`forward_through_time`.
    arrays : dict of numpy.ndarray
        The forward pass's per-step arrays, ``(T, *rows, size)`` (at least ``hx``,
        ``c_prev``, ``f``, ``i``, ``c_tilde``, ``o`` and ``tanh_c``).
    dh : numpy.ndarray, shape (T, *rows, H)
        Gradient of the loss with respect to every output :math:`h_t`.
    dh_next, dc_next : numpy.ndarray, shape (*rows, H)
        Gradients with respect to the final states; overwritten (they end as ``dh0``, ``dc0``).
    mask : numpy.ndarray of bool, shape (T, *rows), optional
        True where a step is real.
    ablate : frozenset of str
        Parts removed.
    input_gradient : bool, default True
        False skips ``dx`` (training does not need the gradient of the inputs).

    Returns
    -------
    dict of numpy.ndarray
        ``W`` (the weights' shape) and ``b`` (``(4H,)`` or ``(K, 4H)``): the stacked parameter
        gradients, each cell's summed over its own steps and rows; ``dx`` (the inputs'
        shape, None without ``input_gradient``); ``dh0``, ``dc0`` (``(*rows, H)``); ``dh``,
        ``dc`` (``(T, *rows, H)``), the total gradients reaching :math:`h_t` and :math:`c_t`.
    """
    steps, rows, H = dh.shape[0], dh.shape[1:-1], dh.shape[-1]
    dtype = weights.dtype
    # Everything that does not depend on the gradient flowing back is computed for
    # all steps at once, before the loop.  dz = (d loss / d activation) · slope, where
    #   the slope is σ'(z) = σ(z)(1 − σ(z)) or tanh'(z) = 1 − tanh(z)² (see _slope_into), and
    #   the activation's gradient is f_t: dc_t ⊙ c_{t-1},  i_t: dc_t ⊙ c̃_t,  c̃_t: dc_t ⊙ i_t,
    #   o_t: dh_t ⊙ tanh(c_t).
    # So dz_{f,i,c} = dc_t ⊙ (partner · slope) and dz_o = dh_t ⊙ (tanh(c_t) · slope_o).
    # The products slope · partner of all four blocks in one array (T, *rows, 4, H), computed
    # over contiguous memory where possible (a block of H numbers is short): σ'(z) = (1 - σ)σ
    # for every block, tanh' for the candidate's block, then one product with the partners.
    gates = arrays.get("gates")
    if gates is None:                                          # from a trace: f, i, c̃, o side by side
        gates = np.concatenate([arrays[name] for name in ("f", "i", "c_tilde", "o")], axis=-1)
    gates = gates.reshape(steps, *rows, 4, H)
    products = np.subtract(1.0, gates)
    np.multiply(products, gates, out=products)
    candidate_slope = np.empty((steps, *rows, H), dtype=dtype)
    products[..., 2, :] = _slope_into(candidate_slope, gates[..., 2, :], True, "candidate_tanh" in ablate)
    for block, removed in ((0, "forget_gate"), (1, "input_gate"), (3, "output_gate")):
        if removed in ablate:                                  # a removed gate is fixed at 1: slope 0
            products[..., block, :] = 0.0
    partners = np.empty_like(products)
    partners[..., 0, :] = arrays["c_prev"]                     # f_t: dc_t ⊙ c_{t-1}
    partners[..., 1:3, :] = gates[..., 2:0:-1, :]              # i_t: dc_t ⊙ c̃_t,  c̃_t: dc_t ⊙ i_t
    partners[..., 3, :] = arrays["tanh_c"]                     # o_t: dh_t ⊙ tanh(c_t)
    np.multiply(products, partners, out=products)
    by_dc, by_dh = products[..., :3, :], products[..., 3, :]  # blocks f, i, c and block o
    # h_t = o_t ⊙ tanh(c_t): dh_t reaches c_t with the factor o_t ⊙ tanh'(c_t).
    dh_to_dc = np.empty((steps, *rows, H), dtype=dtype)
    _slope_into(dh_to_dc, arrays["tanh_c"], True, "output_tanh" in ablate)
    np.multiply(dh_to_dc, gates[..., 3, :], out=dh_to_dc)
    forget = gates[..., 0, :]
    padding = None
    if mask is not None:          # padding steps: no gradient to the gates, states pass through
        padding = ~mask[..., None]
        dh = np.where(padding, 0.0, dh)
        np.copyto(products, 0.0, where=padding[..., None])
        np.copyto(dh_to_dc, 0.0, where=padding)
        forget = np.where(padding, 1.0, forget)

    # The pre-activation gradients of all steps, stacked like the weights (f, i, c, o).
    dz = np.empty((steps, *rows, 4, H), dtype=dtype)
    dh_reaching = np.empty((steps, *rows, H), dtype=dtype)
    dc_reaching = np.empty((steps, *rows, H), dtype=dtype)
    W_h = weights[..., :H]
    flat_dz = dz.reshape(steps, *rows, 4 * H)
    dc_three = np.empty((*rows, 3, H), dtype=dtype)   # (a copy, then one product: faster than broadcasting)
    for t in reversed(range(steps)):
        dh_t, dc_t = dh_reaching[t], dc_reaching[t]
        np.add(dh[t], dh_next, out=dh_t)                 # from h_t's own loss and from step t+1
        np.multiply(dh_t, dh_to_dc[t], out=dc_t)         # c_t feeds h_t and c_{t+1}
        np.add(dc_t, dc_next, out=dc_t)
        np.copyto(dc_three, dc_t[..., None, :])          # dc_t for each of the blocks f, i, c
        np.multiply(by_dc[t], dc_three, out=dz[t, ..., :3, :])             # dz_f, dz_i, dz_c
        np.multiply(by_dh[t], dh_t, out=dz[t, ..., 3, :])                  # dz_o
        # z = W [h_{t-1}, x_t] + b: the h_{t-1} part of the gradient goes back one step
        np.matmul(flat_dz[t], W_h, out=dh_next)
        np.multiply(dc_t, forget[t], out=dc_next)        # c_t = f_t ⊙ c_{t-1} + ...
        if padding is not None and padding[t].any():
            np.copyto(dh_next, dh_t, where=padding[t])
    # Parameter and input gradients, summed over every step and row at once.
    dW, db = summed_over_steps_and_rows(flat_dz, arrays["hx"], model_axis=weights.ndim == 3)
    dx = flat_dz @ weights[..., H:] if input_gradient else None
    return {"W": dW, "b": db, "dx": dx, "dh0": dh_next, "dc0": dc_next, "dh": dh_reaching, "dc": dc_reaching}


def _exponent_scales(hidden: int, dtype: np.dtype) -> np.ndarray:
    """Per stacked row (blocks f, i, c, o) the scale of the exponent: -1 for σ of a gate, -2 for the tanh.

    Their negatives are the numerators (1, 2) of lstm._inplace.reciprocal_squash_into.
    """
    scale = np.full(4 * hidden, -1.0, dtype=dtype)
    block = _BLOCKS.index("c")
    scale[block * hidden:(block + 1) * hidden] = -2.0
    return scale


# ---------------------------------------------------------------- helpers
def _parameters_from_pytorch(
    weight_ih: np.ndarray, weight_hh: np.ndarray, bias_ih: np.ndarray, bias_hh: np.ndarray,
    dtype: type,
) -> dict[str, np.ndarray]:
    """Split PyTorch's stacked (i, f, g, o) blocks into the article's named parameters."""
    hidden = weight_hh.shape[1]
    parameters = {}
    for block, letter in enumerate(_FRAMEWORK_GATE_ORDER):
        rows = slice(block * hidden, (block + 1) * hidden)
        parameters[f"W_{letter}"] = np.concatenate(
            [weight_hh[rows], weight_ih[rows]], axis=1
        ).astype(dtype)
        parameters[f"b_{letter}"] = (bias_ih[rows] + bias_hh[rows]).astype(dtype)
    return {name: parameters[name] for name in LSTMCell.PARAMETER_NAMES}


def _with_batch_axis(trace: LSTMTrace) -> dict[str, np.ndarray]:
    """The trace's per-step arrays, each with a batch axis ``(T, batch, ...)``."""
    values = {name: getattr(trace, name) for name in LSTMStep.__dataclass_fields__}
    if trace.batched:
        return values
    return {name: value[:, None] for name, value in values.items()}


def _slope_into(out: np.ndarray, value: np.ndarray, squashed_by_tanh: bool, removed: bool) -> np.ndarray:
    """The derivative of an activation from its value, written into ``out``.

    ``σ'(z) = σ(z)(1 − σ(z))`` for a gate and ``tanh'(z) = 1 − tanh(z)²`` for a tanh; a removed
    gate (fixed at 1) has slope 0 and a removed tanh (the identity) has slope 1.
    """
    if removed:
        out[...] = 1.0 if squashed_by_tanh else 0.0
    elif squashed_by_tanh:
        np.multiply(value, value, out=out)
        np.subtract(1.0, out, out=out)
    else:
        np.subtract(1.0, value, out=out)
        np.multiply(out, value, out=out)
    return out


def _zeros_or(value: object, name: str, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """A checked gradient, or zeros when it was not given."""
    if value is None:
        return np.zeros(shape, dtype=dtype)
    return check_gradient(value, name, shape, dtype)
