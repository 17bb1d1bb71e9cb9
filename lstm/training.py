"""Training small sequence models with the book's own ``backward``.

Everything a chapter needs to *train* an :class:`~lstm.LSTMCell` or an :class:`~lstm.RNNCell`
lives here, written out in NumPy so a student can read every line:

* :class:`SequenceData` -- a batch of sequences, time-major ``xs`` of shape ``(T, N, input)``,
  their ``targets`` and (for variable-length batches) their ``lengths``.
* :class:`Readout` -- the linear layer ``y = W_y h + b_y`` that turns the hidden state into an
  output (class scores for classification, values for regression).
* :func:`softmax`, :func:`softmax_cross_entropy`, :func:`squared_error` -- losses that return
  their gradient together with their value.
* :class:`SequenceModel` -- a recurrent cell plus a read-out.  Its forward pass *is*
  ``cell.run`` and its backward pass *is* ``cell.backward`` (back-propagation through time);
  this module never repeats the cell's equations.
* :class:`Adam`, :func:`clip_by_global_norm`, :func:`minibatch_indices` and :func:`train`, a
  seeded, deterministic training loop that shows a progress bar when it runs longer than a
  second and returns a :class:`TrainingHistory` (losses and gradient norms per step).

Any model with the same small interface (``parameters``, ``forward``, ``backward`` and the
helpers of :class:`ModelBase`) can be trained by :func:`train`; the self-attention model of
:mod:`lstm.attention` is one.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np

__all__ = [
    "Adam",
    "ModelBase",
    "Readout",
    "SequenceData",
    "SequenceModel",
    "Task",
    "TrainingHistory",
    "clip_by_global_norm",
    "global_norm",
    "length_mask",
    "minibatch_indices",
    "numerical_gradients",
    "progress_enabled",
    "softmax",
    "softmax_cross_entropy",
    "squared_error",
    "train",
]

Objective = Literal["classification", "regression"]
OutputAt = Literal["last", "every"]
OBJECTIVES: tuple[str, ...] = ("classification", "regression")
OUTPUT_POSITIONS: tuple[str, ...] = ("last", "every")


# --------------------------------------------------------------------------------------------
# Small argument checks (messages name the argument, what was expected and what was given)
# --------------------------------------------------------------------------------------------


def _check_positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


def _check_positive_float(name: str, value: Any, allow_none: bool = False) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"{name} must be a positive number; got {value!r}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number; got {value!r}")
    return value


def _check_choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}; got {value!r}")
    return str(value)


def length_mask(lengths: np.ndarray | None, num_steps: int, batch_size: int) -> np.ndarray:
    """Boolean mask of the real (not padded) steps of a batch.

    Parameters
    ----------
    lengths : numpy.ndarray of int, shape (batch,), or None
        Length of each sequence; ``None`` means every sequence has ``num_steps`` steps.
    num_steps : int
        ``T``, the padded length of the batch.
    batch_size : int
        Number of sequences.

    Returns
    -------
    numpy.ndarray of bool, shape (num_steps, batch_size)
        ``mask[t, n]`` is True when step ``t`` is a real step of sequence ``n``.

    Raises
    ------
    ValueError
        If ``lengths`` has the wrong shape or a value outside ``1..num_steps``.
    """
    if lengths is None:
        return np.ones((num_steps, batch_size), dtype=bool)
    lengths = _check_lengths(lengths, num_steps, batch_size)
    return np.arange(num_steps)[:, None] < lengths[None, :]


def _check_lengths(lengths: Any, num_steps: int, batch_size: int) -> np.ndarray:
    array = np.asarray(lengths)
    if array.shape != (batch_size,) or array.dtype.kind not in "iu":
        raise ValueError(
            f"lengths must be an integer array of shape ({batch_size},); "
            f"got dtype {array.dtype} and shape {array.shape}"
        )
    if array.size and (array.min() < 1 or array.max() > num_steps):
        raise ValueError(
            f"lengths must lie in 1..{num_steps} (the number of steps of xs); "
            f"got values from {array.min()} to {array.max()}"
        )
    return array.astype(np.int64)


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


@dataclass
class SequenceData:
    """A set of sequences with their targets, time-major.

    Attributes
    ----------
    xs : numpy.ndarray, shape (T, N, input)
        The inputs; ``xs[t, n]`` is the input of sequence ``n`` at step ``t``.
    targets : numpy.ndarray
        One target per sequence -- shape ``(N,)`` of int class labels or ``(N, output)`` of
        values -- or one per step -- ``(T, N)`` labels or ``(T, N, output)`` values.
    lengths : numpy.ndarray of int, shape (N,), or None
        Number of real steps of each sequence (the rest is padding); ``None`` when all have
        ``T`` steps.
    info : dict
        Free-form description of how the data were made (task name, delay, ...).
    """

    xs: np.ndarray
    targets: np.ndarray
    lengths: np.ndarray | None = None
    info: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.xs = np.asarray(self.xs)
        self.targets = np.asarray(self.targets)
        if self.xs.ndim != 3 or self.xs.dtype.kind != "f":
            raise ValueError(
                "xs must be a float array of shape (T, N, input); "
                f"got dtype {self.xs.dtype} and shape {self.xs.shape}"
            )
        num_steps, num_examples = self.xs.shape[:2]
        if self.targets.ndim == 0 or self.targets.shape[0] not in (num_examples, num_steps):
            raise ValueError(
                f"targets must have first dimension N={num_examples} (one per sequence) or "
                f"T={num_steps} (one per step); got shape {self.targets.shape}"
            )
        if self.lengths is not None:
            self.lengths = _check_lengths(self.lengths, num_steps, num_examples)

    @property
    def num_examples(self) -> int:
        """Number of sequences ``N``."""
        return int(self.xs.shape[1])

    @property
    def num_steps(self) -> int:
        """Padded length ``T``."""
        return int(self.xs.shape[0])

    @property
    def input_size(self) -> int:
        """Size of one input vector."""
        return int(self.xs.shape[2])

    def __len__(self) -> int:
        return self.num_examples

    def __iter__(self) -> Iterator[Any]:
        """Unpack as ``xs, targets, lengths = data``."""
        return iter((self.xs, self.targets, self.lengths))

    def per_step_targets(self) -> bool:
        """True when the targets hold one value per step (shape ``(T, N, ...)``).

        Decided by ``info["per_step"]`` if present; otherwise by the shape: ``(N,)`` labels are
        per sequence, ``(T, N, O)`` values per step, ``(T, N)`` integer labels per step and
        ``(N, O)`` float values per sequence.  When ``T == N`` and the layout is ambiguous
        (float ``(T, N)``), set ``info["per_step"]``.
        """
        if "per_step" in self.info:
            return bool(self.info["per_step"])
        num_steps, num_examples = self.xs.shape[:2]
        if self.targets.ndim == 1:
            return False
        if self.targets.ndim >= 3:
            return True
        if self.targets.shape != (num_steps, num_examples):
            return False
        if self.targets.shape[0] != num_examples:
            return True
        return self.targets.dtype.kind in "iub"

    def take(self, indices: np.ndarray) -> SequenceData:
        """The sequences at ``indices`` (a new :class:`SequenceData`; the info is shared).

        Parameters
        ----------
        indices : numpy.ndarray of int, shape (n,)
            Which sequences to keep.

        Returns
        -------
        SequenceData
            ``xs`` of shape ``(T, n, input)`` and matching targets and lengths.
        """
        indices = np.asarray(indices)
        if self.per_step_targets():
            targets = self.targets[:, indices]
        else:
            targets = self.targets[indices]
        lengths = None if self.lengths is None else self.lengths[indices]
        return SequenceData(self.xs[:, indices], targets, lengths, dict(self.info))


class Task(Protocol):
    """Anything that can draw a fresh batch of examples from a random generator."""

    def sample(self, num_examples: int, rng: np.random.Generator) -> SequenceData:
        """Return ``num_examples`` new sequences drawn with ``rng``."""
        ...


# --------------------------------------------------------------------------------------------
# Losses
# --------------------------------------------------------------------------------------------


def softmax(logits: np.ndarray, axis: int = -1) -> np.ndarray:
    r"""Softmax :math:`p_k = e^{z_k} / \sum_j e^{z_j}` along ``axis``, without overflow.

    The largest logit is subtracted first (this does not change the result), so every
    exponent is ``<= 0`` and nothing overflows.

    Parameters
    ----------
    logits : numpy.ndarray
        Class scores, any shape.
    axis : int, default -1
        Axis holding the classes.

    Returns
    -------
    numpy.ndarray
        Probabilities, same shape, summing to 1 along ``axis``.
    """
    logits = np.asarray(logits, dtype=np.float64)
    shifted = logits - logits.max(axis=axis, keepdims=True)
    with np.errstate(under="ignore"):
        exponentials = np.exp(shifted)
    return exponentials / exponentials.sum(axis=axis, keepdims=True)


def _check_mask(mask: Any, shape: tuple[int, ...]) -> np.ndarray:
    if mask is None:
        return np.ones(shape, dtype=np.float64)
    mask_array = np.asarray(mask)
    if mask_array.shape != shape:
        raise ValueError(f"mask must have shape {shape}; got {mask_array.shape}")
    mask_array = mask_array.astype(np.float64)
    if mask_array.sum() <= 0:
        raise ValueError("mask must select at least one item; got an all-zero mask")
    return mask_array


def softmax_cross_entropy(
    logits: np.ndarray, labels: np.ndarray, mask: np.ndarray | None = None
) -> tuple[float, np.ndarray]:
    r"""Mean cross-entropy of a softmax over classes, and its gradient.

    For one item with logits :math:`z` and true class :math:`y`,
    :math:`\ell = -\log p_y` with :math:`p = \mathrm{softmax}(z)`, and
    :math:`\partial \ell / \partial z = p - \mathrm{onehot}(y)`.  The loss is the mean of
    :math:`\ell` over the items selected by ``mask``.

    Hand-worked case: logits ``[0, ln 3]`` give ``p = [1/4, 3/4]``; with label ``1`` the loss
    is ``-ln(3/4) = 0.287682`` and the gradient ``[0.25, -0.25]``.

    Parameters
    ----------
    logits : numpy.ndarray, shape (..., classes)
        Class scores.
    labels : numpy.ndarray of int, shape (...)
        True class of each item, in ``0..classes-1``.
    mask : numpy.ndarray, shape (...), optional
        Which items count (True/1) -- e.g. the real steps of padded sequences.

    Returns
    -------
    loss : float
        Mean cross-entropy over the selected items (natural log).
    dlogits : numpy.ndarray, shape (..., classes)
        Gradient of ``loss`` with respect to ``logits`` (zero on masked-out items).

    Raises
    ------
    ValueError
        If the shapes do not match or a label is outside ``0..classes-1``.
    """
    logits = np.asarray(logits, dtype=np.float64)
    labels = np.asarray(labels)
    if logits.ndim < 1 or labels.shape != logits.shape[:-1]:
        raise ValueError(
            f"labels must have shape {logits.shape[:-1]} (logits without the class axis); got {labels.shape}"
        )
    num_classes = logits.shape[-1]
    weights = _check_mask(mask, labels.shape)
    if labels.dtype.kind not in "iu":
        raise ValueError(f"labels must be integers; got dtype {labels.dtype}")
    safe_labels = np.where(weights > 0, labels, 0)
    if safe_labels.size and (safe_labels.min() < 0 or safe_labels.max() >= num_classes):
        raise ValueError(
            f"labels must lie in 0..{num_classes - 1}; got values from {safe_labels.min()} "
            f"to {safe_labels.max()}"
        )
    shifted = logits - logits.max(axis=-1, keepdims=True)
    with np.errstate(under="ignore"):
        log_normaliser = np.log(np.exp(shifted).sum(axis=-1))
    log_probability = np.take_along_axis(shifted, safe_labels[..., None], axis=-1)[..., 0]
    item_losses = log_normaliser - log_probability
    total_weight = weights.sum()
    loss = float((weights * item_losses).sum() / total_weight)
    dlogits = softmax(logits)
    np.put_along_axis(
        dlogits,
        safe_labels[..., None],
        np.take_along_axis(dlogits, safe_labels[..., None], axis=-1) - 1.0,
        axis=-1,
    )
    dlogits *= (weights / total_weight)[..., None]
    return loss, dlogits


def squared_error(
    predictions: np.ndarray, targets: np.ndarray, mask: np.ndarray | None = None
) -> tuple[float, np.ndarray]:
    r"""Mean squared error and its gradient.

    :math:`L = \frac{1}{n}\sum (\hat y - y)^2` over every output of every selected item
    (``n`` is their number), so :math:`\partial L / \partial \hat y = 2(\hat y - y)/n`.

    Hand-worked case: predictions ``[1, 2]``, targets ``[0, 4]`` give
    ``L = (1 + 4) / 2 = 2.5`` and gradient ``[2*1/2, 2*(-2)/2] = [1, -2]``.

    Parameters
    ----------
    predictions : numpy.ndarray, shape (..., outputs)
        Model outputs.
    targets : numpy.ndarray, shape (..., outputs)
        Wanted outputs.
    mask : numpy.ndarray, shape (...), optional
        Which items count (the last axis, the outputs, is not masked separately).

    Returns
    -------
    loss : float
        Mean squared error over the selected items and all outputs.
    dpredictions : numpy.ndarray
        Gradient of ``loss`` with respect to ``predictions`` (zero on masked-out items).

    Raises
    ------
    ValueError
        If ``predictions`` and ``targets`` differ in shape.
    """
    predictions = np.asarray(predictions, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.float64)
    if predictions.shape != targets.shape or predictions.ndim < 1:
        raise ValueError(
            f"targets must have the shape of predictions {predictions.shape}; got {targets.shape}"
        )
    weights = _check_mask(mask, predictions.shape[:-1])[..., None]
    count = weights.sum() * predictions.shape[-1]
    difference = np.where(weights > 0, predictions - targets, 0.0)
    loss = float((weights * difference**2).sum() / count)
    return loss, 2.0 * weights * difference / count


# --------------------------------------------------------------------------------------------
# Read-out and models
# --------------------------------------------------------------------------------------------


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
        ``nn.Linear`` rule); the bias starts at zero.

    Attributes
    ----------
    W : numpy.ndarray, shape (O, H)
    b : numpy.ndarray, shape (O,)
    parameters : dict
        ``{"W": W, "b": b}`` -- the live arrays.
    """

    def __init__(self, hidden_size: int, output_size: int, seed: int = 0) -> None:
        hidden_size = _check_positive_int("hidden_size", hidden_size)
        output_size = _check_positive_int("output_size", output_size)
        rng = np.random.default_rng(seed)
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
        ``tolerance`` of its target (the criterion of Hochreiter & Schmidhuber, 1997, for the
        adding problem is 0.04).  Padded steps do not count.
        """
        tolerance = _check_positive_float("tolerance", tolerance)
        predictions = self.predict(data.xs, data.lengths)
        targets = data.targets
        if self.objective == "classification":
            correct = predictions == targets
        else:
            if targets.ndim == predictions.ndim - 1:
                targets = targets[..., None]
            correct = np.all(np.abs(predictions - targets) < tolerance, axis=-1)
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
        Seed of the read-out's initial weights.

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
        self.objective = _check_choice("objective", objective, OBJECTIVES)
        self.output_at = _check_choice("output_at", output_at, OUTPUT_POSITIONS)
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
        readout_grads, dhidden = self.readout.backward(cache.hidden, doutputs)
        trace = cache.inner
        if self.output_at == "last":
            num_steps, batch = trace.h.shape[:2]
            dh = np.zeros_like(trace.h)
            dh[_last_steps(cache.lengths, num_steps, batch), np.arange(batch)] = dhidden
        else:
            dh = dhidden
        cell_grads = self.cell.backward(trace, dh)
        grads = {f"cell.{name}": array for name, array in cell_grads.parameters.items()}
        grads.update({f"readout.{name}": array for name, array in readout_grads.items()})
        return grads

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
    return _check_lengths(lengths, num_steps, batch) - 1


# --------------------------------------------------------------------------------------------
# Optimisation
# --------------------------------------------------------------------------------------------


def global_norm(grads: dict[str, np.ndarray]) -> float:
    r"""Euclidean norm of all gradients taken together, :math:`\sqrt{\sum_k \|g_k\|^2}`."""
    return float(np.sqrt(sum(float(np.sum(np.square(g))) for g in grads.values())))


def clip_by_global_norm(
    grads: dict[str, np.ndarray], max_norm: float | None
) -> tuple[dict[str, np.ndarray], float]:
    r"""Scale all gradients down together when their global norm exceeds ``max_norm``.

    With :math:`n = \|g\|` the global norm, every gradient is multiplied by
    :math:`\min(1, \text{max\_norm} / n)`: the direction is kept, only the length is limited
    (Pascanu, Mikolov & Bengio, 2013).

    Hand-worked case: gradients ``(3, 4)`` have norm 5; with ``max_norm=1`` they become
    ``(0.6, 0.8)`` and the returned norm is 5.

    Parameters
    ----------
    grads : dict of numpy.ndarray
        Gradients by parameter name (not modified).
    max_norm : float or None
        Largest allowed global norm; ``None`` turns clipping off.

    Returns
    -------
    clipped : dict of numpy.ndarray
        The (possibly scaled) gradients, new arrays.
    norm : float
        The global norm *before* clipping.

    Raises
    ------
    ValueError
        If ``max_norm`` is not positive.
    """
    max_norm = _check_positive_float("max_norm", max_norm, allow_none=True)
    norm = global_norm(grads)
    scale = 1.0
    if max_norm is not None and norm > max_norm:
        scale = max_norm / norm
    return {name: g * scale for name, g in grads.items()}, norm


class Adam:
    r"""The Adam optimiser (Kingma & Ba, 2015), updating arrays in place.

    For each parameter :math:`\theta` with gradient :math:`g` at step :math:`t`:

    .. math::
        m \leftarrow \beta_1 m + (1-\beta_1) g,\quad
        v \leftarrow \beta_2 v + (1-\beta_2) g^2,\quad
        \theta \leftarrow \theta - \eta\,
            \frac{m / (1-\beta_1^t)}{\sqrt{v / (1-\beta_2^t)} + \epsilon}

    Hand-worked case (``lr=0.1``, defaults otherwise): a parameter 1.0 with gradient 0.5 moves
    to ``1 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.900000002`` after the first step (Adam's first
    step has length ``lr`` whatever the gradient's size).

    Parameters
    ----------
    parameters : dict of numpy.ndarray
        The live arrays to update.
    lr : float, default 1e-2
        Learning rate :math:`\eta`.
    beta1, beta2 : float, default 0.9, 0.999
        Decay rates of the running mean and running mean square, in ``[0, 1)``.
    eps : float, default 1e-8
        Added to the denominator.

    Raises
    ------
    ValueError
        If a setting is out of range.
    """

    def __init__(
        self,
        parameters: dict[str, np.ndarray],
        lr: float = 1e-2,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
    ) -> None:
        self.lr = _check_positive_float("lr", lr)
        for name, value in (("beta1", beta1), ("beta2", beta2)):
            if not 0.0 <= value < 1.0:
                raise ValueError(f"{name} must lie in [0, 1); got {value!r}")
        self.beta1, self.beta2 = float(beta1), float(beta2)
        self.eps = _check_positive_float("eps", eps)
        self.parameters = parameters
        self.first_moment = {name: np.zeros_like(array) for name, array in parameters.items()}
        self.second_moment = {name: np.zeros_like(array) for name, array in parameters.items()}
        self.step_count = 0

    def step(self, grads: dict[str, np.ndarray]) -> None:
        """Apply one update using ``grads`` (same names and shapes as the parameters).

        Raises
        ------
        ValueError
            If a gradient is missing or has the wrong shape.
        """
        for name, array in self.parameters.items():
            if name not in grads or np.shape(grads[name]) != array.shape:
                given = np.shape(grads[name]) if name in grads else "nothing"
                raise ValueError(f"grads[{name!r}] must have shape {array.shape}; got {given}")
        self.step_count += 1
        correction1 = 1.0 - self.beta1**self.step_count
        correction2 = 1.0 - self.beta2**self.step_count
        for name, array in self.parameters.items():
            gradient = grads[name]
            first = self.first_moment[name]
            second = self.second_moment[name]
            first *= self.beta1
            first += (1.0 - self.beta1) * gradient
            second *= self.beta2
            second += (1.0 - self.beta2) * gradient * gradient
            array -= self.lr * (first / correction1) / (np.sqrt(second / correction2) + self.eps)


def minibatch_indices(num_examples: int, batch_size: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Endless minibatches of example indices: shuffled epochs cut into ``batch_size`` pieces.

    Every epoch puts the examples in a new random order drawn from ``rng`` and cuts it into
    batches of ``batch_size``; a shorter remainder is dropped (the next epoch's shuffle
    gives those examples their turn), so all batches have the same size and no repeats.

    Parameters
    ----------
    num_examples : int
        Size of the data set.
    batch_size : int
        Examples per batch (at most ``num_examples`` are used).
    rng : numpy.random.Generator
        Source of the shuffles (seed it for a reproducible order).

    Yields
    ------
    numpy.ndarray of int, shape (min(batch_size, num_examples),)

    Raises
    ------
    ValueError
        If ``num_examples`` or ``batch_size`` is not a positive integer.
    """
    num_examples = _check_positive_int("num_examples", num_examples)
    batch_size = min(_check_positive_int("batch_size", batch_size), num_examples)
    return _minibatch_stream(num_examples, batch_size, rng)


def _minibatch_stream(num_examples: int, batch_size: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    batches_per_epoch = num_examples // batch_size
    while True:
        order = rng.permutation(num_examples)
        for batch in range(batches_per_epoch):
            yield order[batch * batch_size : (batch + 1) * batch_size]


# --------------------------------------------------------------------------------------------
# The training loop
# --------------------------------------------------------------------------------------------


@dataclass
class TrainingHistory:
    """What happened during :func:`train`.

    Attributes
    ----------
    losses : numpy.ndarray, shape (steps,)
        Training loss of each minibatch (before its update).
    grad_norms : numpy.ndarray, shape (steps,)
        Global gradient norm of each minibatch *before* clipping.
    clipped : numpy.ndarray of bool, shape (steps,)
        Whether that step's gradient was scaled down.
    seconds : float
        Wall time of the loop.
    diverged_at : int or None
        Step at which the loss or gradient stopped being finite (training stops there and
        the arrays end before it), or None.
    eval_steps, eval_losses, eval_accuracies : numpy.ndarray
        Steps at which ``eval_data`` was scored and the scores (empty without ``eval_data``).
    """

    losses: np.ndarray
    grad_norms: np.ndarray
    clipped: np.ndarray
    seconds: float
    diverged_at: int | None = None
    eval_steps: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=int))
    eval_losses: np.ndarray = field(default_factory=lambda: np.empty(0))
    eval_accuracies: np.ndarray = field(default_factory=lambda: np.empty(0))

    @property
    def final_loss(self) -> float:
        """Mean training loss over the last 10% of the steps (at least one step)."""
        if self.losses.size == 0:
            return float("nan")
        tail = max(1, self.losses.size // 10)
        return float(self.losses[-tail:].mean())


def progress_enabled(progress: bool) -> bool:
    """Whether to show a progress bar: asked for, and not building static pages.

    Static builds (``LSTM_BOOK_STATIC=1``) never show one: a frozen bar in a web page would
    be a control that does nothing.
    """
    return bool(progress) and os.environ.get("LSTM_BOOK_STATIC") != "1"


def _progress_bar(total: int, enabled: bool, description: str) -> Any:
    if not progress_enabled(enabled):
        return None
    from tqdm.auto import tqdm

    # delay=1: nothing is shown for runs shorter than a second; leave=False: the bar
    # disappears when training ends, so finished cells keep only their results.
    return tqdm(total=total, desc=description, delay=1.0, leave=False, mininterval=0.2)


def train(
    model: ModelBase,
    data: SequenceData | Task,
    *,
    steps: int = 500,
    lr: float = 1e-2,
    batch_size: int = 32,
    seed: int = 0,
    clip: float | None = 1.0,
    progress: bool = True,
    eval_data: SequenceData | None = None,
    eval_every: int | None = None,
    description: str = "training",
    callback: Callable[[int, float], None] | None = None,
) -> TrainingHistory:
    """Train ``model`` in place with Adam on minibatches; deterministic for a given seed.

    Parameters
    ----------
    model : SequenceModel or another ModelBase
        Trained in place (its ``parameters`` arrays are updated).
    data : SequenceData or Task
        A fixed data set (minibatches are drawn from shuffled epochs) or a task with a
        ``sample(n, rng)`` method (a fresh batch every step).
    steps : int, default 500
        Number of updates.
    lr : float, default 1e-2
        Adam's learning rate.
    batch_size : int, default 32
        Sequences per update.
    seed : int, default 0
        Seed of the minibatch order / the fresh batches.
    clip : float or None, default 1.0
        Clip the global gradient norm to this value (None: no clipping).
    progress : bool, default True
        Show a progress bar (tqdm; a widget in notebooks) if training takes more than a
        second; never in static builds (``LSTM_BOOK_STATIC=1``).
    eval_data : SequenceData, optional
        Scored (loss and accuracy) every ``eval_every`` steps and after the last step.
    eval_every : int, optional
        Default: ``steps // 10``.
    description : str
        Label of the progress bar.
    callback : callable, optional
        Called as ``callback(step, loss)`` after every update.

    Returns
    -------
    TrainingHistory

    Raises
    ------
    ValueError
        If an argument is out of range or ``data`` is neither SequenceData nor a task.
    """
    steps = _check_positive_int("steps", steps)
    batch_size = _check_positive_int("batch_size", batch_size)
    lr = _check_positive_float("lr", lr)
    clip = _check_positive_float("clip", clip, allow_none=True)
    if not isinstance(model, ModelBase):
        raise ValueError(f"model must be a SequenceModel (a ModelBase); got {type(model).__name__}")
    if isinstance(data, SequenceData):
        fixed_data: SequenceData | None = data
    elif hasattr(data, "sample"):
        fixed_data = None
    else:
        raise ValueError(
            f"data must be SequenceData or a task with a sample(n, rng) method; got {type(data).__name__}"
        )
    if eval_data is not None:
        eval_every = _check_positive_int(
            "eval_every", eval_every if eval_every is not None else max(1, steps // 10)
        )

    rng = np.random.default_rng(seed)
    batches = minibatch_indices(fixed_data.num_examples, batch_size, rng) if fixed_data is not None else None
    optimiser = Adam(model.parameters, lr=lr)
    losses = np.empty(steps)
    norms = np.empty(steps)
    clipped = np.zeros(steps, dtype=bool)
    eval_steps: list[int] = []
    eval_losses: list[float] = []
    eval_accuracies: list[float] = []
    diverged_at: int | None = None
    bar = _progress_bar(steps, progress, description)
    start = time.perf_counter()
    completed = 0
    try:
        for step in range(steps):
            if fixed_data is not None and batches is not None:
                batch = fixed_data.take(next(batches))
            else:
                batch = data.sample(batch_size, rng)  # type: ignore[union-attr]
            # A diverging run overflows; that is detected just below and reported in the
            # history (diverged_at) instead of producing NaN parameters.
            with np.errstate(over="ignore", invalid="ignore"):
                cache = model.forward(batch.xs, batch.lengths)
                loss, doutputs = model.loss(cache.outputs, batch)
                finite = bool(np.isfinite(loss) and np.all(np.isfinite(doutputs)))
                if finite:
                    grads, norm = clip_by_global_norm(model.backward(cache, doutputs), clip)
                    finite = bool(np.isfinite(norm))
            if not finite:
                diverged_at = step
                break
            losses[step], norms[step] = loss, norm
            clipped[step] = clip is not None and norm > clip
            optimiser.step(grads)
            completed = step + 1
            if callback is not None:
                callback(step, loss)
            if eval_data is not None and eval_every is not None:
                if completed % eval_every == 0 or completed == steps:
                    eval_steps.append(completed)
                    eval_losses.append(model.evaluate(eval_data))
                    eval_accuracies.append(model.accuracy(eval_data))
            if bar is not None:
                bar.update(1)
                if step % 20 == 0:
                    bar.set_postfix(loss=f"{loss:.4f}", refresh=False)
    finally:
        if bar is not None:
            bar.close()
    return TrainingHistory(
        losses=losses[:completed].copy(),
        grad_norms=norms[:completed].copy(),
        clipped=clipped[:completed].copy(),
        seconds=time.perf_counter() - start,
        diverged_at=diverged_at,
        eval_steps=np.asarray(eval_steps, dtype=int),
        eval_losses=np.asarray(eval_losses, dtype=float),
        eval_accuracies=np.asarray(eval_accuracies, dtype=float),
    )


# --------------------------------------------------------------------------------------------
# Gradient checking (used by the tests; handy for readers who write their own model)
# --------------------------------------------------------------------------------------------


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
    epsilon = _check_positive_float("epsilon", epsilon)
    result: dict[str, np.ndarray] = {}
    for name, array in model.parameters.items():
        gradient = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            original = array[index]
            array[index] = original + epsilon
            loss_plus = model.evaluate(data)
            array[index] = original - epsilon
            loss_minus = model.evaluate(data)
            array[index] = original
            gradient[index] = (loss_plus - loss_minus) / (2.0 * epsilon)
        result[name] = gradient
    return result
