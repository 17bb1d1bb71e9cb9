"""Many seeds for the price of a few: train K independent models at once.

A trained conclusion of the book rests on many seeds, not on one run. This module trains
K independent models -- each with its own seed for the cell, the read-out and the data
order -- in one call:

* :func:`train_many` -- train ``models`` in place, model ``k`` drawing its minibatches from
  ``seeds[k]`` exactly as :func:`lstm.training.train` does with ``seed=seeds[k]``; returns one
  :class:`~lstm.training.TrainingHistory` per model.
* :func:`perturb_parameters` -- multiply every parameter by ``1 + size * u`` with ``u``
  uniform in ``[-1, 1]``: the change another machine's rounding makes, used by the tests to
  check that a conclusion does not hang on the last bit of one run.

How K models become one computation
-----------------------------------
K models of one kind (a :class:`~lstm.models.SequenceModel` whose cell is an
:class:`~lstm.LSTMCell`, with or without ``ablate``, or an :class:`~lstm.RNNCell`; the same
sizes, objective and ``output_at``) are trained *stacked*: their parameters are copied into
arrays with a leading model axis -- the LSTM's weights ``(K, 4H, H + I)``, the states
``(K, batch, H)``, the inputs ``(T, K, batch, I)`` -- and every step runs the cells' own time
loops (:func:`lstm.cell.forward_through_time`, :func:`lstm.cell.backward_through_time` and
those of :mod:`lstm.rnn`) once for all K models: ``np.matmul`` pairs each model's weights
with its own rows.  A step costs about as many NumPy calls as one model's step, so the
fixed cost of each call is paid once instead of K times.

Each model is still trained as :func:`~lstm.training.train` would train it alone: its own
minibatches (drawn from ``default_rng(seeds[k])``), the mean loss over its own batch,
clipping of its own global gradient norm, and Adam (element by element, so stacking
changes nothing).  The results equal separate runs to rounding: one forward, backward and
Adam step of the stack equals each model's own step to 1e-12 in float64
(``tests/test_stacked.py``).  The sums run in another order, so after many steps a run may
end elsewhere -- as it may on another machine -- which is why every conclusion of the book
rests on many seeds and also holds for perturbed runs.  A model's run does not depend on the
other models in the stack: seed 3 ends bit for bit the same trained alone, with nine others
or beside one that diverges (tested), so a run over seeds 10-19 repeats the same seeds of a
run over 0-19.

A model whose loss or gradient stops being finite leaves the stack at that step with the
parameters it had before it (as :func:`~lstm.training.train` stops there, ``diverged_at``);
the others go on without it.

``dtype=numpy.float32`` runs the stack in float32 (parameters, activations, gradients and
Adam's moments); the models' own float64 arrays receive the result.  NumPy vectorises the
float32 ``exp`` and ``tanh`` on CPUs with AVX2, where the float64 ones are computed number by
number; the stacked run then costs about two thirds of the float64 one.
``benchmarks/bench_stacked.py`` prints what K = 10 models cost together against ten separate
runs at the experiments' sizes: on the book's 2-core AVX2 machine about half in float64 and
about a third in float32.

Any other model (the attention model of :mod:`lstm.attention`, the GRU and the variants of
:mod:`lstm.variants`), and any run with a ``callback``, is trained by a loop over
:func:`~lstm.training.train`, one model after the other (float64 only).

The pieces of a stacked step are public, for the tests and for readers who want to look
inside: :func:`stack_parameters`, :func:`stack_batches`, :func:`stacked_forward`,
:func:`stacked_loss`, :func:`stacked_backward`, :func:`clip_each_by_global_norm` and
:func:`write_parameters`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm import cell as _lstm
from lstm import rnn as _rnn
from lstm._arguments import check_positive_float, check_positive_int
from lstm._memory import keep_freed_memory
from lstm._sequences import real_steps, summed_over_steps_and_rows
from lstm.cell import LSTMCell
from lstm.data import SequenceData, Task
from lstm.losses import grouped_softmax_cross_entropy, grouped_squared_error
from lstm.models import ModelBase, SequenceModel
from lstm.optimisers import Adam, LearningRate, learning_rate_at
from lstm.rnn import RNNCell
from lstm.training import (
    TrainingHistory,
    close_progress_bar,
    minibatch_indices,
    one_blas_thread,
    progress_bar,
    train,
)

__all__ = [
    "DTYPES",
    "StackedBatch",
    "clip_each_by_global_norm",
    "perturb_parameters",
    "stack_batches",
    "stack_parameters",
    "stackable",
    "stacked_backward",
    "stacked_forward",
    "stacked_loss",
    "train_many",
    "write_parameters",
]

#: The floating types :func:`train_many` can train in.
DTYPES = (np.float64, np.float32)

# The cells the stacked path covers, with their time loops.
_LOOPS = {
    LSTMCell: (_lstm.forward_through_time, _lstm.backward_through_time),
    RNNCell: (_rnn.forward_through_time, _rnn.backward_through_time),
}


def perturb_parameters(model: ModelBase, size: float, seed: int) -> ModelBase:
    """Multiply every parameter of ``model`` in place by ``1 + size * u``, u uniform in [-1, 1].

    Parameters
    ----------
    model : ModelBase
        Changed in place (and returned).
    size : float
        Relative size of the change; 0 leaves the model as it is. The tests use 1e-12: far
        below anything a reader could see, about what another BLAS kernel's rounding does.
    seed : int
        Seed of ``u`` (its own stream, independent of the model's initial weights).

    Returns
    -------
    ModelBase
        ``model``.

    Raises
    ------
    ValueError
        If ``size`` is negative or not finite.
    """
    if isinstance(size, bool) or not isinstance(size, int | float | np.floating) or not np.isfinite(size) \
            or size < 0:
        raise ValueError(f"size must be a finite number >= 0; got {size!r}")
    if size == 0:
        return model
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0x9E12]))
    for array in model.parameters.values():
        array *= 1.0 + size * rng.uniform(-1.0, 1.0, size=array.shape)
    return model


def stackable(model: ModelBase) -> bool:
    """Whether :func:`train_many` trains ``model`` on the stacked path.

    True for a :class:`~lstm.models.SequenceModel` whose cell is an :class:`~lstm.LSTMCell`
    (any ``ablate``) or an :class:`~lstm.RNNCell`, in float64; other models are trained one
    after the other by :func:`~lstm.training.train`.
    """
    return (type(model) is SequenceModel and type(model.cell) in _LOOPS
            and model.cell.dtype == np.float64)


def _check_models(models: list[ModelBase]) -> bool:
    """Check that ``models`` are K different models of one kind; True if they can be stacked."""
    check_positive_int("len(models)", len(models))
    for index, model in enumerate(models):
        if not isinstance(model, ModelBase):
            raise ValueError(
                f"models must hold SequenceModels (ModelBase); models[{index}] is a {type(model).__name__}"
            )
    seen: dict[int, int] = {}
    for index, model in enumerate(models):
        if id(model) in seen:
            raise ValueError(
                f"models must be {len(models)} different models; models[{seen[id(model)]}] and "
                f"models[{index}] are the same object"
            )
        seen[id(model)] = index

    def kind(model: ModelBase) -> dict[str, Any]:
        described: dict[str, Any] = {"type": type(model).__name__}
        if isinstance(model, SequenceModel):
            described.update(
                cell=type(model.cell).__name__, input_size=getattr(model.cell, "input_size", None),
                hidden_size=model.cell.hidden_size, output_size=model.readout.output_size,
                objective=model.objective, output_at=model.output_at,
                ablate=tuple(sorted(getattr(model.cell, "ablate", ()))),
                dtype=str(getattr(model.cell, "dtype", "")),
            )
        return described

    first = kind(models[0])
    for index, model in enumerate(models[1:], start=1):
        other = kind(model)
        differences = [f"{name} {other.get(name)!r} (models[0]: {value!r})"
                       for name, value in first.items() if other.get(name) != value]
        if differences:
            raise ValueError(
                "models must all be of one kind (trained together, they share the settings of "
                f"train_many); models[{index}] differs in " + ", ".join(differences)
            )
    return stackable(models[0])


def _check_seeds(seeds: Any, count: int) -> list[int]:
    if isinstance(seeds, str | bytes) or not isinstance(seeds, Sequence | np.ndarray):
        raise TypeError(f"seeds must be a sequence of integers, one per model; got {seeds!r}")
    checked = []
    for seed in seeds:
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
            raise TypeError(f"seeds must hold integers >= 0; got {seed!r} in {list(seeds)!r}")
        checked.append(int(seed))
    if len(checked) != count:
        raise ValueError(f"seeds must hold one seed per model ({count}); got {len(checked)}")
    return checked


def _check_dtype(dtype: Any) -> np.dtype:
    try:
        checked = np.dtype(dtype)
    except TypeError as error:
        raise TypeError(f"dtype must be numpy.float64 or numpy.float32; got {dtype!r}") from error
    if checked not in [np.dtype(d) for d in DTYPES]:
        raise TypeError(f"dtype must be numpy.float64 or numpy.float32; got {dtype!r}")
    return checked


def train_many(
    models: Sequence[ModelBase],
    data: SequenceData | Task,
    *,
    seeds: Sequence[int],
    steps: int = 500,
    lr: LearningRate = 1e-2,
    batch_size: int = 32,
    clip: float | None = 1.0,
    perturbation: float = 0.0,
    eval_data: SequenceData | Sequence[SequenceData] | None = None,
    eval_every: int | None = None,
    progress: bool = True,
    description: str = "training",
    callback: Callable[..., Any] | None = None,
    dtype: type = np.float64,
) -> list[TrainingHistory]:
    """Train K independent models in place, model ``k`` with data seed ``seeds[k]``.

    Model ``k`` is trained as ``train(models[k], data, seed=seeds[k], ...)`` would train it:
    the same minibatches, the same clipping (of its own global norm) and the same Adam
    updates.  Models of one stackable kind (:func:`stackable`) are trained together as one
    computation (see the module's description); other models, and any run with a
    ``callback``, one after the other by :func:`~lstm.training.train`.

    Parameters
    ----------
    models : sequence of ModelBase
        The K models (built with their own seeds), all of one kind, trained in place.
    data : SequenceData or Task
        As in :func:`lstm.training.train`; every model draws its own batches from it.
    seeds : sequence of int
        One data-order seed per model (integers >= 0).
    steps, lr, batch_size, clip, eval_every, progress, description
        As in :func:`lstm.training.train`; one progress bar shows the stacked run.
    perturbation : float, default 0
        Before training, multiply model ``k``'s parameters by ``1 + perturbation * u``
        (:func:`perturb_parameters` with seed ``seeds[k]``).
    eval_data : SequenceData, or one per model, optional
        Scored every ``eval_every`` steps, as in :func:`lstm.training.train` (by each model's
        own ``scores``, in float64).
    callback : callable, optional
        Given to every model's run, as in :func:`lstm.training.train`; the models are then
        trained one after the other.
    dtype : numpy.float64 or numpy.float32, default numpy.float64
        The floating type of the stacked path: its parameters, activations, gradients and
        Adam's moments.  The models keep their float64 arrays, which receive the result.
        float32 needs the stacked path (no ``callback``, stackable models).

    Returns
    -------
    list of TrainingHistory
        One per model, in the order of ``models``.  On the stacked path a model whose loss or
        gradient stops being finite leaves the stack at that step (``diverged_at``, its
        parameters those before that step, as with ``train``) while the others go on;
        ``seconds`` and ``cpu_seconds`` are each model's share (the stacked run's time
        divided by K).

    Raises
    ------
    ValueError
        If ``models`` is empty, holds the same model twice or models of different kinds
        (types, cells, sizes, objectives, ``output_at``, ablations), ``seeds`` has another
        length, or an argument of :func:`~lstm.training.train` is out of range.
    TypeError
        If ``seeds`` is not a sequence of integers or ``dtype`` is not float64 or float32.
    """
    models = list(models)
    can_stack = _check_models(models)
    seeds = _check_seeds(seeds, len(models))
    dtype = _check_dtype(dtype)
    if eval_data is None or isinstance(eval_data, SequenceData):
        evals = [eval_data] * len(models)
    else:
        evals = list(eval_data)
        if len(evals) != len(models) or not all(isinstance(item, SequenceData) for item in evals):
            raise ValueError(
                f"eval_data must be one SequenceData or one per model ({len(models)}); got {len(evals)} items"
            )
    if callback is not None and not callable(callback):
        raise ValueError(f"callback must be callable; got {type(callback).__name__}")
    if dtype != np.float64 and (not can_stack or callback is not None):
        reason = "a callback" if callback is not None else f"{type(models[0]).__name__} models"
        raise ValueError(f"dtype={dtype.name} needs the stacked path, which does not cover {reason}; "
                         "use numpy.float64")
    # Everything train() would check, before any model is changed.
    steps = check_positive_int("steps", steps)
    batch_size = check_positive_int("batch_size", batch_size)
    learning_rate_at(lr, 0)
    clip = check_positive_float("clip", clip, allow_none=True)
    if not isinstance(data, SequenceData) and not hasattr(data, "sample"):
        raise ValueError(
            f"data must be SequenceData or a task with a sample(n, rng) method; got {type(data).__name__}"
        )
    if any(evaluation is not None for evaluation in evals):
        eval_every = check_positive_int(
            "eval_every", eval_every if eval_every is not None else max(1, steps // 10)
        )
    for model, seed in zip(models, seeds, strict=True):
        perturb_parameters(model, perturbation, seed)
    if can_stack and callback is None:
        return _train_stacked(
            models, data, seeds=seeds, steps=steps, lr=lr, batch_size=batch_size, clip=clip,
            evals=evals, eval_every=eval_every, progress=progress, description=description, dtype=dtype,
        )
    histories = []
    with one_blas_thread():
        for model, seed, evaluation in zip(models, seeds, evals, strict=True):
            histories.append(train(
                model, data, steps=steps, lr=lr, batch_size=batch_size, seed=seed, clip=clip,
                progress=progress, eval_data=evaluation, eval_every=eval_every,
                description=description, callback=callback,
            ))
    return histories


# --------------------------------------------------------------------------------------------
# The stacked path
# --------------------------------------------------------------------------------------------
@dataclass
class StackedBatch:
    """One minibatch per model, stacked: model ``k``'s sequences are ``xs[:, k]``.

    Attributes
    ----------
    xs : numpy.ndarray, shape (T, K, batch, I)
    targets : numpy.ndarray
        ``(K, batch)`` labels or ``(K, batch, O)`` values (one per sequence), or
        ``(T, K, batch)`` / ``(T, K, batch, O)`` (one per step).
    lengths : numpy.ndarray of int, shape (K, batch), or None
    """

    xs: np.ndarray
    targets: np.ndarray
    lengths: np.ndarray | None


def stack_batches(batches: Sequence[SequenceData], dtype: type = np.float64) -> StackedBatch:
    """Stack one :class:`~lstm.data.SequenceData` per model into a :class:`StackedBatch`.

    Raises
    ------
    ValueError
        If the batches differ in length, size or input size.
    """
    shapes = {batch.xs.shape for batch in batches}
    if len(shapes) != 1:
        raise ValueError(
            f"the models' batches must all have one shape (T, batch, input); got {sorted(shapes)}"
        )
    num_steps = batches[0].num_steps
    xs = np.stack([batch.xs for batch in batches], axis=1).astype(dtype, copy=False)
    per_step = batches[0].per_step_targets()
    targets = np.stack([batch.targets for batch in batches], axis=1 if per_step else 0)
    lengths = None
    if any(batch.lengths is not None for batch in batches):
        lengths = np.stack([np.full(batch.num_examples, num_steps) if batch.lengths is None else batch.lengths
                            for batch in batches])
    return StackedBatch(xs, targets, lengths)


def _batch_streams(
    data: SequenceData | Task, seeds: list[int], batch_size: int, dtype: np.dtype
) -> Callable[[list[int]], StackedBatch]:
    """``draw(models)``: the next batch of each of the models listed, as ``train`` would draw it."""
    rngs = [np.random.default_rng(seed) for seed in seeds]
    if isinstance(data, SequenceData):
        fixed = data
        streams: list[Iterator[np.ndarray]] = [minibatch_indices(fixed.num_examples, batch_size, rng)
                                               for rng in rngs]
        per_step = fixed.per_step_targets()

        def draw_fixed(models: list[int]) -> StackedBatch:
            indices = np.stack([next(streams[k]) for k in models])            # (K, batch)
            return StackedBatch(
                xs=fixed.xs[:, indices].astype(dtype, copy=False),
                targets=fixed.targets[:, indices] if per_step else fixed.targets[indices],
                lengths=None if fixed.lengths is None else fixed.lengths[indices],
            )
        return draw_fixed
    task = data

    def draw_sampled(models: list[int]) -> StackedBatch:
        return stack_batches([task.sample(batch_size, rngs[k]) for k in models], dtype)
    return draw_sampled


def stack_parameters(models: Sequence[SequenceModel], dtype: type = np.float64) -> dict[str, np.ndarray]:
    """The models' parameters stacked on a leading model axis (new arrays of ``dtype``).

    Returns
    -------
    dict of numpy.ndarray
        ``"cell.W"`` -- the LSTM's stacked gate weights (K, 4H, H + I) (row blocks f, i, c, o)
        or the RNN's (K, H, H + I); ``"cell.b"`` -- (K, 4H) or (K, H); ``"readout.W"`` --
        (K, O, H); ``"readout.b"`` -- (K, O).
    """
    own = [_own_arrays(model) for model in models]
    with np.errstate(over="ignore"):        # beyond float32's range: inf, and that model diverges at once
        return {name: np.stack([arrays[index] for arrays in own]).astype(dtype, copy=False)
                for index, name in enumerate(_PARAMETER_NAMES)}


_PARAMETER_NAMES = ("cell.W", "cell.b", "readout.W", "readout.b")


def _own_arrays(model: SequenceModel) -> tuple[np.ndarray, ...]:
    """The model's live arrays in the order of _PARAMETER_NAMES (the LSTM's named W_f, ... are views)."""
    cell = model.cell
    if isinstance(cell, LSTMCell):
        cell_arrays = (cell._weights, cell._biases)
    else:
        cell_arrays = (cell.W, cell.b)
    return (*cell_arrays, model.readout.W, model.readout.b)


def write_parameters(model: SequenceModel, parameters: dict[str, np.ndarray], row: int) -> None:
    """Copy row ``row`` of stacked ``parameters`` into ``model``'s own arrays (in place)."""
    for array, name in zip(_own_arrays(model), _PARAMETER_NAMES, strict=True):
        array[...] = parameters[name][row]


def stacked_forward(
    model: SequenceModel, parameters: dict[str, np.ndarray], batch: StackedBatch
) -> tuple[np.ndarray, dict[str, Any]]:
    """Forward pass of K stacked models of ``model``'s kind on their own batches.

    Parameters
    ----------
    model : SequenceModel
        Any of the K models: it gives the kind (cell type, ablations, ``output_at``).
    parameters : dict of numpy.ndarray
        From :func:`stack_parameters`.
    batch : StackedBatch

    Returns
    -------
    outputs : numpy.ndarray
        ``(K, batch, O)`` (``output_at="last"``) or ``(T, K, batch, O)`` (``"every"``).
    cache : dict
        What :func:`stacked_backward` needs.
    """
    forward, _ = _LOOPS[type(model.cell)]
    weights = parameters["cell.W"]
    num_steps, count, size = batch.xs.shape[:3]
    H = parameters["readout.W"].shape[-1]
    mask = real_steps(batch.lengths, num_steps)                              # (T, K, batch) or None
    zeros = np.zeros((count, size, H), dtype=weights.dtype)
    if isinstance(model.cell, LSTMCell):
        arrays = forward(weights, parameters["cell.b"], batch.xs, zeros, zeros, mask, model.cell.ablate,
                         for_trace=False)
    else:
        arrays = forward(weights, parameters["cell.b"], batch.xs, zeros, mask)
    if model.output_at == "last":
        last = np.full((count, size), num_steps - 1) if batch.lengths is None else batch.lengths - 1
        where = (last, np.arange(count)[:, None], np.arange(size)[None, :])
        hidden = arrays["h"][where]                                          # (K, batch, H)
    else:
        where = None
        hidden = arrays["h"]                                                 # (T, K, batch, H)
    outputs = np.matmul(hidden, parameters["readout.W"].swapaxes(-1, -2))  # y = W_y h + b_y
    outputs += parameters["readout.b"][:, None, :]
    return outputs, {"arrays": arrays, "mask": mask, "hidden": hidden, "where": where}


def stacked_loss(
    model: SequenceModel, outputs: np.ndarray, batch: StackedBatch, mask: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Each model's loss (mean over its own batch) and the gradient of the outputs.

    Returns
    -------
    losses : numpy.ndarray, shape (K,)
    doutputs : numpy.ndarray, shape of ``outputs``
    """
    every = model.output_at == "every"
    # The losses want the model axis first: (K, batch, ...) or, for every step, (K, T, batch, ...).
    ordered = np.moveaxis(outputs, 1, 0) if every else outputs
    targets = np.moveaxis(batch.targets, 1, 0) if every else batch.targets
    item_mask = np.moveaxis(mask, 1, 0) if every and mask is not None else None
    if model.objective == "classification":
        losses, dordered = grouped_softmax_cross_entropy(ordered, targets, item_mask)
    else:
        if targets.ndim == ordered.ndim - 1:
            targets = targets[..., None]
        losses, dordered = grouped_squared_error(ordered, targets, item_mask)
    return losses, (np.moveaxis(dordered, 0, 1) if every else dordered)


def stacked_backward(
    model: SequenceModel, parameters: dict[str, np.ndarray], cache: dict[str, Any], doutputs: np.ndarray
) -> dict[str, np.ndarray]:
    """Back-propagate ``doutputs`` through the K read-outs and, by BPTT, through the K cells.

    Returns
    -------
    dict of numpy.ndarray
        Gradients named and shaped like :func:`stack_parameters`, each model's its own.
    """
    _, backward = _LOOPS[type(model.cell)]
    weights = parameters["cell.W"]
    arrays, hidden, where = cache["arrays"], cache["hidden"], cache["where"]
    dhidden = np.matmul(doutputs, parameters["readout.W"])
    if where is not None:                                   # output_at="last": one step per row
        readout_W = np.matmul(doutputs.swapaxes(-1, -2), hidden)
        readout_b = doutputs.sum(axis=1)
        dh = np.zeros_like(arrays["h"])
        dh[where] = dhidden
    else:
        readout_W, readout_b = summed_over_steps_and_rows(doutputs, hidden, model_axis=True)
        dh = dhidden
    zeros = np.zeros_like(arrays["h_last"])
    if isinstance(model.cell, LSTMCell):
        cell = backward(weights, arrays, dh, zeros, zeros.copy(), cache["mask"], model.cell.ablate,
                        input_gradient=False)
    else:
        cell = backward(weights, arrays, dh, zeros, cache["mask"], input_gradient=False)
    return {"cell.W": cell["W"], "cell.b": cell["b"], "readout.W": readout_W, "readout.b": readout_b}


def clip_each_by_global_norm(
    grads: dict[str, np.ndarray], max_norm: float | None
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """:func:`lstm.optimisers.clip_by_global_norm` for each model of a stack, by its own norm.

    Returns
    -------
    clipped : dict of numpy.ndarray
        New arrays; model ``k``'s gradients scaled by ``min(1, max_norm / norm[k])``.
    norms : numpy.ndarray, shape (K,)
        Each model's global norm before clipping (float64).
    """
    count = next(iter(grads.values())).shape[0]
    squares = sum(np.square(g, dtype=np.float64).reshape(count, -1).sum(axis=1) for g in grads.values())
    norms = np.sqrt(squares)
    if max_norm is None:
        return {name: g.copy() for name, g in grads.items()}, norms
    with np.errstate(divide="ignore", invalid="ignore"):
        scales = np.where(norms > max_norm, max_norm / norms, 1.0)
    clipped = {name: g * scales.reshape(-1, *[1] * (g.ndim - 1)).astype(g.dtype) for name, g in grads.items()}
    return clipped, norms


def _train_stacked(
    models: list[SequenceModel],
    data: SequenceData | Task,
    *,
    seeds: list[int],
    steps: int,
    lr: LearningRate,
    batch_size: int,
    clip: float | None,
    evals: list[SequenceData | None],
    eval_every: int | None,
    progress: bool,
    description: str,
    dtype: np.dtype,
) -> list[TrainingHistory]:
    """The stacked path of :func:`train_many` (arguments as there, checked)."""
    first_lr = learning_rate_at(lr, 0)
    draw = _batch_streams(data, seeds, batch_size, dtype)
    evaluated = any(evaluation is not None for evaluation in evals)
    count = len(models)
    kind = models[0]
    parameters = stack_parameters(models, dtype)
    optimiser = Adam(parameters, lr=first_lr)
    alive = list(range(count))                  # the models still in the stack, by row
    losses, norms = np.empty((count, steps)), np.empty((count, steps))
    clipped = np.zeros((count, steps), dtype=bool)
    rates = np.empty(steps)
    completed = np.zeros(count, dtype=int)
    diverged_at: list[int | None] = [None] * count
    eval_steps: list[list[int]] = [[] for _ in range(count)]
    eval_losses: list[list[float]] = [[] for _ in range(count)]
    eval_accuracies: list[list[float]] = [[] for _ in range(count)]
    bar = progress_bar(steps, progress, description)
    keep_freed_memory()
    with one_blas_thread():
        start, cpu_start = time.perf_counter(), time.process_time()
        finished = False
        try:
            for step in range(steps):
                optimiser.lr = learning_rate_at(lr, step) if callable(lr) else first_lr
                batch = draw(alive)
                # A diverging model overflows; it is found just below and leaves the stack.
                with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                    outputs, cache = stacked_forward(kind, parameters, batch)
                    step_losses, doutputs = stacked_loss(kind, outputs, batch, cache["mask"])
                    grads, step_norms = clip_each_by_global_norm(
                        stacked_backward(kind, parameters, cache, doutputs), clip
                    )
                by_model = np.moveaxis(doutputs, 1, 0) if kind.output_at == "every" else doutputs
                finite = (np.isfinite(step_losses) & np.isfinite(step_norms)
                          & np.isfinite(by_model).reshape(len(alive), -1).all(axis=1))
                if not finite.all():
                    for row in np.flatnonzero(~finite):       # as train(): the parameters before this step
                        if step > 0:                              # (at step 0 the model's own arrays are)
                            write_parameters(models[alive[row]], parameters, row)
                        diverged_at[alive[row]] = step
                    keep = np.flatnonzero(finite)
                    alive = [alive[row] for row in keep]
                    if not alive:
                        break
                    parameters, optimiser = _without_rows(parameters, optimiser, keep)
                    grads = {name: g[keep] for name, g in grads.items()}
                    step_losses, step_norms = step_losses[keep], step_norms[keep]
                losses[alive, step], norms[alive, step], rates[step] = step_losses, step_norms, optimiser.lr
                clipped[alive, step] = False if clip is None else step_norms > clip
                optimiser.step(grads)
                completed[alive] = step + 1
                if evaluated and (step + 1 == steps or (step + 1) % eval_every == 0):
                    for row, index in enumerate(alive):
                        if evals[index] is not None:
                            write_parameters(models[index], parameters, row)
                            eval_loss, eval_accuracy = models[index].scores(evals[index])
                            eval_steps[index].append(step + 1)
                            eval_losses[index].append(eval_loss)
                            eval_accuracies[index].append(eval_accuracy)
                if bar is not None:
                    bar.update(1)
                    if step % 20 == 0:
                        bar.set_postfix(loss=f"{float(np.median(step_losses)):.4f}", refresh=False)
            finished = True
        finally:
            close_progress_bar(bar, finished)
        for row, index in enumerate(alive):
            write_parameters(models[index], parameters, row)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    return [
        TrainingHistory(
            losses=losses[k, :completed[k]].copy(),
            grad_norms=norms[k, :completed[k]].copy(),
            clipped=clipped[k, :completed[k]].copy(),
            seconds=seconds / count,
            diverged_at=diverged_at[k],
            eval_steps=np.asarray(eval_steps[k], dtype=int),
            eval_losses=np.asarray(eval_losses[k], dtype=float),
            eval_accuracies=np.asarray(eval_accuracies[k], dtype=float),
            learning_rates=rates[:completed[k]].copy(),
            cpu_seconds=cpu_seconds / count,
        )
        for k in range(count)
    ]


def _without_rows(
    parameters: dict[str, np.ndarray], optimiser: Adam, keep: np.ndarray
) -> tuple[dict[str, np.ndarray], Adam]:
    """The stack with only the rows ``keep``: parameters and Adam's moments (its step count kept)."""
    kept = {name: array[keep].copy() for name, array in parameters.items()}
    smaller = Adam(kept, lr=optimiser.lr, beta1=optimiser.beta1, beta2=optimiser.beta2, eps=optimiser.eps)
    for name in kept:
        smaller.first_moment[name][...] = optimiser.first_moment[name][keep]
        smaller.second_moment[name][...] = optimiser.second_moment[name][keep]
    smaller.step_count = optimiser.step_count
    return kept, smaller
