"""Trainable sequence models: a recurrent cell with a read-out, and what every model shares.

* :class:`Readout` -- the linear layer ``y = W_y h + b_y`` that turns the hidden state into
  an output (class scores for classification, values for regression).
* :class:`ModelBase` -- loss, prediction, accuracy and :meth:`ModelBase.scores` (loss and
  accuracy from one forward pass) for any model with ``parameters``, ``forward`` and
  ``backward``.
* :class:`SequenceModel` -- an :class:`~lstm.LSTMCell` or :class:`~lstm.RNNCell` plus a
  read-out.  Its forward pass *is* ``cell.run`` and its backward pass *is*
  ``cell.backward`` (back-propagation through time); this module never repeats the
  cell's equations.
* :func:`numerical_gradients` -- central finite differences of a model's loss, to check
  its ``backward``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from lstm._arguments import check_choice, check_positive_float, check_positive_int
from lstm.backprop import central_differences
from lstm.data import SequenceData, check_lengths, length_mask
from lstm.losses import softmax, softmax_cross_entropy, squared_error

__all__ = [
    "OBJECTIVES",
    "OUTPUT_POSITIONS",
    "ForwardCache",
    "ModelBase",
    "Objective",
    "OutputAt",
    "Readout",
    "SequenceModel",
    "numerical_gradients",
]

Objective = Literal["classification", "regression"]
OutputAt = Literal["last", "every"]
OBJECTIVES: tuple[str, ...] = ("classification", "regression")
OUTPUT_POSITIONS: tuple[str, ...] = ("last", "every")


class Readout:
    r"""Linear read-out :math:`y = W_y h + b_y` applied to hidden states.

    Parameters
    ----------
    hidden_size : int
        Size ``H`` of the hidden state it reads.
    output_size : int
        Number of outputs ``O`` (classes, or regression values).
    seed : int, default 0
        Seed of the initial weights, uniform in ``(-1/sqrt(H), 1/sqrt(H))`` (the PyTorch
        ``nn.Linear`` rule); the bias starts at zero.  The weights come from the read-out's
        own random stream (the first child of ``numpy.random.SeedSequence(seed)``), so a
        cell and a read-out given the same seed get unrelated weights.

    Attributes
    ----------
    W : numpy.ndarray, shape (O, H)
    b : numpy.ndarray, shape (O,)
    parameters : dict
        ``{"W": W, "b": b}`` -- the live arrays.
    """

    def __init__(self, hidden_size: int, output_size: int, seed: int = 0) -> None:
        hidden_size = check_positive_int("hidden_size", hidden_size)
        output_size = check_positive_int("output_size", output_size)
        # The cells draw from default_rng(seed); a child stream of the seed is independent
        # of it (before, the read-out's weights were a copy of the cell's first weights).
        rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])
        bound = 1.0 / np.sqrt(hidden_size)
        self.W = rng.uniform(-bound, bound, size=(output_size, hidden_size))
        self.b = np.zeros(output_size)

    @classmethod
    def from_arrays(cls, W: np.ndarray, b: np.ndarray) -> Readout:
        """A read-out with the given weights (copied).

        Parameters
        ----------
        W : numpy.ndarray, shape (O, H)
        b : numpy.ndarray, shape (O,)

        Raises
        ------
        ValueError
            If the shapes do not fit together.
        """
        W = np.array(W, dtype=np.float64)
        b = np.array(b, dtype=np.float64)
        if W.ndim != 2 or b.shape != (W.shape[0],):
            raise ValueError(f"W must have shape (O, H) and b shape (O,); got {W.shape} and {b.shape}")
        readout = cls(W.shape[1], W.shape[0])
        readout.W, readout.b = W, b
        return readout

    @property
    def parameters(self) -> dict[str, np.ndarray]:
        """The live weight arrays by name."""
        return {"W": self.W, "b": self.b}

    @property
    def hidden_size(self) -> int:
        """Size of the hidden state read."""
        return int(self.W.shape[1])

    @property
    def output_size(self) -> int:
        """Number of outputs."""
        return int(self.W.shape[0])

    def forward(self, hidden: np.ndarray) -> np.ndarray:
        """Outputs for hidden states of shape ``(..., H)``; returns shape ``(..., O)``."""
        hidden = np.asarray(hidden, dtype=np.float64)
        if hidden.shape[-1:] != (self.hidden_size,):
            raise ValueError(
                f"hidden must end with the hidden size {self.hidden_size}; got shape {hidden.shape}"
            )
        return hidden @ self.W.T + self.b

    def backward(self, hidden: np.ndarray, doutputs: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
        r"""Gradients of the read-out.

        With :math:`y = W h + b`: :math:`\partial L/\partial W = \sum \delta h^\top`,
        :math:`\partial L/\partial b = \sum \delta`, :math:`\partial L/\partial h = W^\top \delta`
        where :math:`\delta = \partial L/\partial y` and the sums run over all leading axes.

        Parameters
        ----------
        hidden : numpy.ndarray, shape (..., H)
            The hidden states given to :meth:`forward`.
        doutputs : numpy.ndarray, shape (..., O)
            Gradient of the loss with respect to the outputs.

        Returns
        -------
        grads : dict
            ``{"W": (O, H), "b": (O,)}``.
        dhidden : numpy.ndarray, shape (..., H)
            Gradient with respect to ``hidden``.
        """
        flat_hidden = np.reshape(hidden, (-1, self.hidden_size))
        flat_doutputs = np.reshape(doutputs, (-1, self.output_size))
        grads = {"W": flat_doutputs.T @ flat_hidden, "b": flat_doutputs.sum(axis=0)}
        return grads, np.asarray(doutputs) @ self.W

    def copy(self) -> Readout:
        """An independent copy."""
        return Readout.from_arrays(self.W, self.b)


@dataclass
class ForwardCache:
    """What a model's forward pass keeps for its backward pass.

    Attributes
    ----------
    outputs : numpy.ndarray
        Model outputs: ``(N, O)`` when reading the last step, ``(T, N, O)`` for every step.
    hidden : numpy.ndarray
        The hidden states the read-out saw (same leading shape as ``outputs``).
    lengths : numpy.ndarray or None
        Lengths of the sequences.
    inner : Any
        The recurrent cell's trace (or the attention model's intermediate values).
    """

    outputs: np.ndarray
    hidden: np.ndarray
    lengths: np.ndarray | None
    inner: Any


class ModelBase:
    """Shared behaviour of trainable sequence models: loss, prediction, accuracy.

    A subclass sets ``objective``, ``output_at`` and implements ``parameters``,
    ``forward(xs, lengths) -> ForwardCache``, ``backward(cache, doutputs) -> dict`` and
    ``copy()``.
    """

    objective: str = "classification"
    output_at: str = "last"

    @property
    def parameters(self) -> dict[str, np.ndarray]:  # pragma: no cover - abstract
        raise NotImplementedError

    def forward(self, xs: np.ndarray, lengths: np.ndarray | None = None) -> ForwardCache:
        raise NotImplementedError  # pragma: no cover - abstract

    def backward(self, cache: ForwardCache, doutputs: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError  # pragma: no cover - abstract

    @property
    def num_parameters(self) -> int:
        """Total number of trainable numbers."""
        return int(sum(array.size for array in self.parameters.values()))

    def _output_mask(self, data: SequenceData) -> np.ndarray | None:
        if self.output_at == "every":
            return length_mask(data.lengths, data.num_steps, data.num_examples)
        return None

    def loss(self, outputs: np.ndarray, data: SequenceData) -> tuple[float, np.ndarray]:
        """Loss of ``outputs`` against ``data.targets`` and its gradient.

        Cross-entropy of a softmax for classification, mean squared error for regression;
        padded steps do not count when the model outputs at every step.

        Returns
        -------
        loss : float
        doutputs : numpy.ndarray, same shape as ``outputs``
        """
        mask = self._output_mask(data)
        targets = data.targets
        if self.objective == "classification":
            return softmax_cross_entropy(outputs, targets, mask)
        if targets.ndim == outputs.ndim - 1:
            targets = targets[..., None]
        return squared_error(outputs, targets, mask)

    def loss_and_gradients(self, data: SequenceData) -> tuple[float, dict[str, np.ndarray]]:
        """Forward, loss and backward on one batch.

        Returns
        -------
        loss : float
        grads : dict
            Gradient of the loss for every entry of :attr:`parameters` (same names, shapes).
        """
        cache = self.forward(data.xs, data.lengths)
        loss, doutputs = self.loss(cache.outputs, data)
        return loss, self.backward(cache, doutputs)

    def evaluate(self, data: SequenceData) -> float:
        """Loss on ``data`` without computing gradients."""
        return self.loss(self.forward(data.xs, data.lengths).outputs, data)[0]

    def predict(self, xs: np.ndarray, lengths: np.ndarray | None = None) -> np.ndarray:
        """Predicted class (classification: int array) or predicted values (regression)."""
        outputs = self.forward(xs, lengths).outputs
        if self.objective == "classification":
            return outputs.argmax(axis=-1)
        return outputs

    def probabilities(self, xs: np.ndarray, lengths: np.ndarray | None = None) -> np.ndarray:
        """Softmax of the outputs (classification only)."""
        if self.objective != "classification":
            raise ValueError(f"probabilities needs a classification model; got {self.objective!r}")
        return softmax(self.forward(xs, lengths).outputs)

    def accuracy(self, data: SequenceData, tolerance: float = 0.04) -> float:
        """Fraction of correct answers on ``data``.

        Classification: predicted class equals the label.  Regression: every output within
        ``tolerance`` of its target.  0.04 is the criterion of Hochreiter & Schmidhuber
        (1997) for the adding problem *on their target scale* (targets in [0, 1], see
        :class:`lstm.tasks.AddingProblem1997`); the book's :class:`lstm.tasks.AddingProblem`
        has targets twice as large, so its equivalent is ``AddingProblem.criterion``
        (0.08).  Padded steps do not count.
        """
        return self.scores(data, tolerance)[1]

    def scores(self, data: SequenceData, tolerance: float = 0.04) -> tuple[float, float]:
        """Loss and accuracy on ``data`` from one forward pass.

        Parameters
        ----------
        data : SequenceData
        tolerance : float, default 0.04
            As in :meth:`accuracy`.

        Returns
        -------
        loss : float
            As :meth:`evaluate`.
        accuracy : float
            As :meth:`accuracy`.
        """
        tolerance = check_positive_float("tolerance", tolerance)
        outputs = self.forward(data.xs, data.lengths).outputs
        return self.loss(outputs, data)[0], self.accuracy_of(outputs, data, tolerance)

    def accuracy_of(self, outputs: np.ndarray, data: SequenceData, tolerance: float = 0.04) -> float:
        """Fraction of correct answers among ``outputs`` (this model's forward outputs on
        ``data``), as :meth:`accuracy` counts them; for a caller that already ran the model."""
        tolerance = check_positive_float("tolerance", tolerance)
        targets = data.targets
        if self.objective == "classification":
            correct = outputs.argmax(axis=-1) == targets
        else:
            if targets.ndim == outputs.ndim - 1:
                targets = targets[..., None]
            correct = np.all(np.abs(outputs - targets) < tolerance, axis=-1)
        mask = self._output_mask(data)
        if mask is None:
            return float(np.mean(correct))
        return float(correct[mask].mean())


class SequenceModel(ModelBase):
    """A recurrent cell (:class:`~lstm.LSTMCell` or :class:`~lstm.RNNCell`) with a read-out.

    The forward pass calls ``cell.run`` and the backward pass ``cell.backward``: training
    uses exactly the equations of the book's cell, nothing copied.

    Parameters
    ----------
    cell : LSTMCell or RNNCell
        The recurrent cell (used as given: training changes its arrays in place).
    output_size : int
        Number of classes (classification) or of values (regression).
    objective : {"classification", "regression"}, default "classification"
        Softmax cross-entropy or mean squared error.
    output_at : {"last", "every"}, default "last"
        Read the hidden state at each sequence's last real step (one output per sequence),
        or at every step (one output per step).
    seed : int, default 0
        Seed of the read-out's initial weights (its own stream: see :class:`Readout`).

    Attributes
    ----------
    cell, readout
    parameters : dict
        ``"cell.W_f"``, ..., ``"readout.W"``, ``"readout.b"`` -- the live arrays.

    Raises
    ------
    ValueError
        If ``objective`` or ``output_at`` is unknown, or ``cell`` lacks ``run``/``backward``.
    """

    def __init__(
        self,
        cell: Any,
        output_size: int,
        objective: Objective = "classification",
        output_at: OutputAt = "last",
        seed: int = 0,
    ) -> None:
        for method in ("run", "backward", "parameters", "hidden_size"):
            if not hasattr(cell, method):
                raise ValueError(
                    f"cell must be an LSTMCell or RNNCell (with run, backward, parameters); "
                    f"got {type(cell).__name__} without {method!r}"
                )
        self.cell = cell
        self.objective = check_choice("objective", objective, OBJECTIVES)
        self.output_at = check_choice("output_at", output_at, OUTPUT_POSITIONS)
        self.readout = Readout(cell.hidden_size, output_size, seed=seed)

    @property
    def parameters(self) -> dict[str, np.ndarray]:
        """Live arrays of the cell and the read-out, names prefixed ``cell.`` / ``readout.``."""
        named = {f"cell.{name}": array for name, array in self.cell.parameters.items()}
        named.update({f"readout.{name}": array for name, array in self.readout.parameters.items()})
        return named

    def forward(self, xs: np.ndarray, lengths: np.ndarray | None = None) -> ForwardCache:
        """Run the cell over ``xs`` (T, N, input) and apply the read-out.

        Returns
        -------
        ForwardCache
            ``outputs`` of shape ``(N, O)`` (``output_at="last"``: the hidden state at each
            sequence's last real step) or ``(T, N, O)`` (``output_at="every"``).
        """
        xs = np.asarray(xs, dtype=np.float64)
        if xs.ndim != 3:
            raise ValueError(f"xs must have shape (T, N, input); got {xs.shape}")
        trace = self.cell.run(xs, lengths=lengths)
        if self.output_at == "last":
            last_steps = _last_steps(lengths, xs.shape[0], xs.shape[1])
            hidden = trace.h[last_steps, np.arange(xs.shape[1])]
        else:
            hidden = trace.h
        outputs = self.readout.forward(hidden)
        return ForwardCache(outputs=outputs, hidden=hidden, lengths=lengths, inner=trace)

    def backward(self, cache: ForwardCache, doutputs: np.ndarray) -> dict[str, np.ndarray]:
        """Back-propagate ``doutputs`` through the read-out and, by BPTT, through the cell.

        Returns
        -------
        dict
            Gradients named like :attr:`parameters`.
        """
        readout_grads, cell_grads = self.backward_parts(cache, doutputs)
        grads = {f"cell.{name}": array for name, array in cell_grads.parameters.items()}
        grads.update({f"readout.{name}": array for name, array in readout_grads.items()})
        return grads

    def backward_parts(self, cache: ForwardCache, doutputs: np.ndarray) -> tuple[dict[str, np.ndarray], Any]:
        """:meth:`backward` with the cell's whole result kept.

        Returns
        -------
        readout_grads : dict
            ``{"W": (O, H), "b": (O,)}``.
        cell_grads : LSTMGradients or RNNGradients
            The cell's :meth:`backward`: parameter gradients and the per-step gradients
            ``dh`` (and, for an LSTM, ``dc``) reaching each step, ``(T, N, H)`` -- how far back
            the learning signal reaches.
        """
        readout_grads, dhidden = self.readout.backward(cache.hidden, doutputs)
        trace = cache.inner
        if self.output_at == "last":
            num_steps, batch = trace.h.shape[:2]
            dh = np.zeros_like(trace.h)
            dh[_last_steps(cache.lengths, num_steps, batch), np.arange(batch)] = dhidden
        else:
            dh = dhidden
        return readout_grads, self.cell.backward(trace, dh)

    def run_cell(self, xs: np.ndarray, lengths: np.ndarray | None = None) -> Any:
        """The cell's full trace on ``xs`` (gates, cell states, ...) for plotting."""
        return self.cell.run(np.asarray(xs, dtype=np.float64), lengths=lengths)

    def copy(self) -> SequenceModel:
        """An independent copy (cell and read-out arrays copied)."""
        duplicate = SequenceModel.__new__(SequenceModel)
        duplicate.cell = self.cell.copy()
        duplicate.readout = self.readout.copy()
        duplicate.objective = self.objective
        duplicate.output_at = self.output_at
        return duplicate


def _last_steps(lengths: np.ndarray | None, num_steps: int, batch: int) -> np.ndarray:
    """Index of each sequence's last real step."""
    if lengths is None:
        return np.full(batch, num_steps - 1)
    return check_lengths(lengths, num_steps, batch) - 1


def numerical_gradients(model: ModelBase, data: SequenceData, epsilon: float = 1e-6) -> dict[str, np.ndarray]:
    """Central finite-difference gradients of ``model``'s loss on ``data``.

    Each number ``theta`` of each parameter is nudged to ``theta +/- epsilon`` and the slope
    ``(L(theta+eps) - L(theta-eps)) / (2 eps)`` recorded (then restored).  Slow -- one pair of
    forward passes per number -- so only for small models.

    Returns
    -------
    dict
        Same names and shapes as ``model.parameters``.
    """
    return central_differences(lambda: model.evaluate(data), model.parameters, epsilon)
