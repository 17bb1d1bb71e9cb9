"""The training loop: seeded, deterministic minibatch training of any model of the book.

* :func:`train` -- Adam on minibatches (from a fixed :class:`~lstm.data.SequenceData` or
  fresh from a task), with gradient clipping, a learning rate that may follow a schedule
  (:func:`~lstm.optimisers.step_decay`), evaluation on held-out data (one forward pass per
  evaluation), a progress bar for runs longer than a second, and a callback that sees the
  whole :class:`TrainingState` (and may stop training).  It returns a
  :class:`TrainingHistory`.
* :func:`training_step` -- one update of :func:`train` (forward, loss, backward, clipping,
  one Adam step), for code that trains a few steps at a time (chapter 7's training explorer).
* :func:`minibatch_indices` -- shuffled epochs cut into minibatches.

The pieces it uses live in their own modules, all re-exported here so that
``from lstm.training import ...`` keeps working for every name:

==========================  ====================================================
:mod:`lstm.data`            :class:`SequenceData`, :class:`Task`, :func:`length_mask`
:mod:`lstm.losses`          :func:`softmax`, :func:`softmax_cross_entropy`, :func:`squared_error`
:mod:`lstm.models`          :class:`Readout`, :class:`ModelBase`, :class:`SequenceModel`,
                            :func:`numerical_gradients`
:mod:`lstm.optimisers`      :class:`Adam`, :func:`clip_by_global_norm`, :func:`global_norm`,
                            :func:`step_decay`
==========================  ====================================================

Any model with the small interface of :class:`ModelBase` (``parameters``, ``forward``,
``backward``) can be trained by :func:`train`; the self-attention model of
:mod:`lstm.attention` is one.  To train one model per seed, :func:`lstm.stacked.train_many`
trains K LSTM or RNN models as one stacked computation, each exactly as :func:`train` would.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from lstm._arguments import check_choice as _check_choice
from lstm._arguments import check_positive_float, check_positive_int
from lstm._arguments import check_positive_float as _check_positive_float
from lstm._arguments import check_positive_int as _check_positive_int
from lstm._memory import keep_freed_memory
from lstm.data import SequenceData, Task, length_mask
from lstm.data import check_lengths as _check_lengths
from lstm.losses import _check_mask, softmax, softmax_cross_entropy, squared_error
from lstm.models import (
    OBJECTIVES,
    OUTPUT_POSITIONS,
    ForwardCache,
    ModelBase,
    Objective,
    OutputAt,
    Readout,
    SequenceModel,
    _last_steps,
    numerical_gradients,
)
from lstm.optimisers import Adam, LearningRate, clip_by_global_norm, global_norm, learning_rate_at, step_decay

__all__ = [
    "Adam",
    "ForwardCache",
    "LearningRate",
    "ModelBase",
    "OBJECTIVES",
    "OUTPUT_POSITIONS",
    "Objective",
    "OutputAt",
    "Readout",
    "SequenceData",
    "SequenceModel",
    "StepOutcome",
    "Task",
    "TrainingHistory",
    "TrainingState",
    "clip_by_global_norm",
    "global_norm",
    "learning_rate_at",
    "length_mask",
    "minibatch_indices",
    "numerical_gradients",
    "close_progress_bar",
    "one_blas_thread",
    "progress_bar",
    "progress_enabled",
    "softmax",
    "softmax_cross_entropy",
    "squared_error",
    "step_decay",
    "train",
    "training_step",
]
# The private helpers that lived here before the split, still importable from here
# (lstm.attention imports three of them).
_PRIVATE_HELPERS = (_check_choice, _check_lengths, _check_mask, _check_positive_float, _check_positive_int,
                    _last_steps)


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
    num_examples = check_positive_int("num_examples", num_examples)
    batch_size = min(check_positive_int("batch_size", batch_size), num_examples)
    return _minibatch_stream(num_examples, batch_size, rng)


def _minibatch_stream(num_examples: int, batch_size: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    batches_per_epoch = num_examples // batch_size
    while True:
        order = rng.permutation(num_examples)
        for batch in range(batches_per_epoch):
            yield order[batch * batch_size : (batch + 1) * batch_size]


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
    learning_rates : numpy.ndarray, shape (steps,)
        The learning rate of each update (constant unless ``lr`` was a schedule).
    stopped_at : int or None
        Number of completed steps when the callback asked to stop, or None.
    cpu_seconds : float
        CPU time of the loop (process time; less disturbed by other programs than ``seconds``).
    """

    losses: np.ndarray
    grad_norms: np.ndarray
    clipped: np.ndarray
    seconds: float
    diverged_at: int | None = None
    eval_steps: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=int))
    eval_losses: np.ndarray = field(default_factory=lambda: np.empty(0))
    eval_accuracies: np.ndarray = field(default_factory=lambda: np.empty(0))
    learning_rates: np.ndarray = field(default_factory=lambda: np.empty(0))
    stopped_at: int | None = None
    cpu_seconds: float = 0.0

    @property
    def final_loss(self) -> float:
        """Mean training loss over the last 10% of the steps (at least one step)."""
        if self.losses.size == 0:
            return float("nan")
        tail = max(1, self.losses.size // 10)
        return float(self.losses[-tail:].mean())


@dataclass
class TrainingState:
    """What a callback of :func:`train` sees after each update.

    Attributes
    ----------
    step : int
        Index of the update just made (0 for the first).
    loss : float
        Training loss of its minibatch (before the update).
    grad_norm : float
        Global gradient norm before clipping.
    lr : float
        Learning rate used for the update.
    model : ModelBase
        The model being trained (its parameters already updated).
    batch : SequenceData
        The minibatch of this step.
    sequences_seen : int
        Training sequences used so far (``(step + 1) * batch_size``).
    cpu_seconds : float
        CPU time since training started.
    """

    step: int
    loss: float
    grad_norm: float
    lr: float
    model: ModelBase
    batch: SequenceData
    sequences_seen: int
    cpu_seconds: float


def _wants_state(callback: Callable[..., Any]) -> bool:
    """True for ``callback(state)``, False for the older ``callback(step, loss)``."""
    try:
        parameters = inspect.signature(callback).parameters.values()
    except (TypeError, ValueError):   # builtins without a signature: use the old form
        return False
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    variadic = any(p.kind == p.VAR_POSITIONAL for p in parameters)
    return not variadic and len([p for p in positional if p.default is p.empty]) == 1


def progress_enabled(progress: bool) -> bool:
    """Whether to show a progress bar: asked for, and not building static pages.

    Static builds (``LSTM_BOOK_STATIC=1``) never show one: a frozen bar in a web page would
    be a control that does nothing.
    """
    return bool(progress) and os.environ.get("LSTM_BOOK_STATIC") != "1"


#: Seconds a run must last before its progress bar appears (shorter runs show none).
PROGRESS_DELAY_SECONDS: float = 1.0


def progress_bar(total: int, enabled: bool, description: str) -> Any:
    """A progress bar over ``total`` steps, or None when none should be shown.

    In a notebook kernel it is tqdm's widget, shown once training has run for a second and
    removed when it closes, from the page *and* from the saved notebook: the widget is displayed
    through a display handle, and closing it replaces that output by an empty one. (A widget's
    saved output is the text of the bar when it first appeared, "64%" say, and stayed in the
    notebook after the bar had gone.) In a terminal it is tqdm's text bar, which clears its line
    when it closes. When the output is neither (a pipe or a log file, where every update would
    be one more carriage return) and in static builds (:func:`progress_enabled`), there is no
    bar at all.

    Parameters
    ----------
    total : int
        Number of steps the bar counts.
    enabled : bool
        Whether the caller asked for a bar.
    description : str
        Label in front of the bar.

    Returns
    -------
    tqdm.tqdm or None
        Close it with :func:`close_progress_bar`.
    """
    if not progress_enabled(enabled):
        return None
    if _in_notebook_kernel():
        bar_class = _notebook_bar_class()
        if bar_class is None:    # no ipywidgets: tqdm would write to stderr instead
            return None
        return bar_class(total=total, desc=description, delay=PROGRESS_DELAY_SECONDS, leave=False,
                         mininterval=0.2, display=False)
    if not _is_terminal(sys.stderr):
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=description, delay=PROGRESS_DELAY_SECONDS, leave=False, mininterval=0.2)


def close_progress_bar(bar: Any, finished: bool) -> None:
    """Close a bar of :func:`progress_bar` (None is allowed).

    ``finished`` says that the loop ended as planned, possibly before ``total`` steps (a callback
    stopped it, or the run diverged and the history says so): the bar then goes away as after a
    full run. After an exception (``finished=False``) tqdm keeps it, red, at the step that failed.
    """
    if bar is None:
        return
    if finished and bar.n != bar.total:
        bar.total = bar.n
    bar.close()


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):   # no isatty, or a closed stream
        return False


def _in_notebook_kernel() -> bool:
    """True inside a Jupyter kernel (IPython's kernel app), as ``tqdm.autonotebook`` decides."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


@functools.cache
def _notebook_bar_class() -> type | None:
    """tqdm's notebook widget, displayed through a handle that is emptied when the bar closes.

    Made with ``display=False``: tqdm then leaves the showing to :meth:`display`, which tqdm
    calls at each refresh (the first one after the delay) and on closing.
    """
    try:
        import ipywidgets  # noqa: F401  (tqdm's widget needs it)
        from IPython.display import display
        from tqdm.notebook import tqdm as notebook_tqdm
    except ImportError:
        return None

    class NotebookBar(notebook_tqdm):  # type: ignore[misc, valid-type]
        _handle: Any = None

        def display(self, msg: Any = None, pos: Any = None, close: bool = False,
                    bar_style: Any = None, check_delay: bool = True) -> None:
            super().display(msg, pos, close=close, bar_style=bar_style, check_delay=False)
            if check_delay and not self.displayed:   # the first refresh after the delay
                self._handle = display(self.container, display_id=True)
                self.displayed = True
            if self._handle is not None:
                if close:                     # finished: nothing is left, live or saved
                    self._handle.update({"text/plain": ""}, raw=True)
                elif bar_style == "danger":   # failed: the saved text shows where
                    self._handle.update(self.container)

    return NotebookBar


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Limit BLAS (NumPy's matrix products) to one thread while the block runs.

    The book's models are small (1 to 64 units, batches of up to a few hundred sequences):
    too little work to share between threads, so OpenBLAS's threads (one per core by default)
    mostly wait for each other. On our 2-core machine, training delayed recall at delay 20 or
    the adding problem at T = 30 took 1.6 to 2.3 times the CPU seconds with two threads, for
    about the same wall time, and nothing computed changes
    (``benchmarks/bench_advantages.py --threads`` measures it). The previous limit is restored
    when the block ends. Use it as ``with one_blas_thread(): ...`` or, for a whole
    function, as the decorator ``@one_blas_thread()``.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@dataclass
class StepOutcome:
    """What one update of :func:`training_step` did.

    Attributes
    ----------
    loss : float
        Loss of the minibatch before the update.
    grad_norm : float
        Global gradient norm before clipping.
    clipped : bool
        Whether the gradient was scaled down.
    cache : ForwardCache
        The forward pass of the minibatch (before the update).
    doutputs : numpy.ndarray
        Gradient of the loss with respect to the model's outputs.
    """

    loss: float
    grad_norm: float
    clipped: bool
    cache: ForwardCache
    doutputs: np.ndarray


def training_step(
    model: ModelBase, batch: SequenceData, optimiser: Adam, clip: float | None = 1.0
) -> StepOutcome | None:
    """One update of :func:`train`: forward, loss, backward, clipping, one Adam step.

    :func:`train` calls it once per step; an explorer that trains a few steps between two
    redraws calls it too, so both run the same update.

    Parameters
    ----------
    model : ModelBase
        Updated in place (through ``optimiser``, which holds its ``parameters``).
    batch : SequenceData
        The minibatch.
    optimiser : Adam
        The optimiser of ``model.parameters``; its ``lr`` is the rate used.
    clip : float or None, default 1.0
        Clip the global gradient norm to this value (None: no clipping).

    Returns
    -------
    StepOutcome or None
        None if the loss or the gradient was not finite (the run diverged); then nothing was
        updated.
    """
    # A diverging run overflows; that is detected here and reported (None) instead of
    # producing NaN parameters.
    with np.errstate(over="ignore", invalid="ignore"):
        cache = model.forward(batch.xs, batch.lengths)
        loss, doutputs = model.loss(cache.outputs, batch)
        if not (np.isfinite(loss) and np.all(np.isfinite(doutputs))):
            return None
        grads, norm = clip_by_global_norm(model.backward(cache, doutputs), clip)
        if not np.isfinite(norm):
            return None
    optimiser.step(grads)
    return StepOutcome(loss=loss, grad_norm=norm, clipped=clip is not None and norm > clip,
                       cache=cache, doutputs=doutputs)


def train(
    model: ModelBase,
    data: SequenceData | Task,
    *,
    steps: int = 500,
    lr: LearningRate = 1e-2,
    batch_size: int = 32,
    seed: int = 0,
    clip: float | None = 1.0,
    progress: bool = True,
    eval_data: SequenceData | None = None,
    eval_every: int | None = None,
    description: str = "training",
    callback: Callable[..., Any] | None = None,
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
        Number of updates (at most: a callback may stop training earlier).
    lr : float or callable, default 1e-2
        Adam's learning rate, or a schedule ``lr(step) -> float`` such as
        :func:`~lstm.optimisers.step_decay`.
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
        Scored (loss and accuracy, from one forward pass) every ``eval_every`` steps and
        after the last step.
    eval_every : int, optional
        Default: ``steps // 10``.
    description : str
        Label of the progress bar.
    callback : callable, optional
        Called after every update, either as ``callback(state)`` with a
        :class:`TrainingState` (when it takes one argument) or as ``callback(step, loss)``
        (two arguments, the older form).  If it returns True, training stops there
        (``history.stopped_at``).

    Returns
    -------
    TrainingHistory

    Raises
    ------
    ValueError
        If an argument is out of range or ``data`` is neither SequenceData nor a task.

    Notes
    -----
    The loop runs with one BLAS thread (``threadpoolctl``; the previous limit is restored
    afterwards) and asks the C library to keep freed memory for reuse
    (:func:`lstm._memory.keep_freed_memory`, for the rest of the process).  Neither changes
    a computed number; both only save time at the book's sizes.
    """
    steps = check_positive_int("steps", steps)
    batch_size = check_positive_int("batch_size", batch_size)
    first_lr = learning_rate_at(lr, 0)
    clip = check_positive_float("clip", clip, allow_none=True)
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
        eval_every = check_positive_int(
            "eval_every", eval_every if eval_every is not None else max(1, steps // 10)
        )
    if callback is not None and not callable(callback):
        raise ValueError(f"callback must be callable; got {type(callback).__name__}")
    callback_wants_state = callback is not None and _wants_state(callback)

    rng = np.random.default_rng(seed)
    batches = minibatch_indices(fixed_data.num_examples, batch_size, rng) if fixed_data is not None else None
    optimiser = Adam(model.parameters, lr=first_lr)
    losses = np.empty(steps)
    norms = np.empty(steps)
    rates = np.empty(steps)
    clipped = np.zeros(steps, dtype=bool)
    eval_steps: list[int] = []
    eval_losses: list[float] = []
    eval_accuracies: list[float] = []
    diverged_at: int | None = None
    stopped_at: int | None = None
    bar = progress_bar(steps, progress, description)
    # Two settings that change no result, only how long it takes (both measured on the
    # book's machines): freed arrays are kept for the next step (lstm._memory), and BLAS
    # runs on one thread, since at these sizes a second thread only waits and, on a busy
    # machine, a spinning BLAS thread made training up to 15 times slower in CPU time.
    keep_freed_memory()
    with one_blas_thread():
        start, cpu_start = time.perf_counter(), time.process_time()
        completed = 0
        finished = False
        try:
            for step in range(steps):
                optimiser.lr = learning_rate_at(lr, step) if callable(lr) else first_lr
                if fixed_data is not None and batches is not None:
                    batch = fixed_data.take(next(batches))
                else:
                    batch = data.sample(batch_size, rng)  # type: ignore[union-attr]
                outcome = training_step(model, batch, optimiser, clip)
                if outcome is None:
                    diverged_at = step
                    break
                loss, norm = outcome.loss, outcome.grad_norm
                losses[step], norms[step], rates[step] = loss, norm, optimiser.lr
                clipped[step] = outcome.clipped
                completed = step + 1
                if eval_data is not None and eval_every is not None:
                    if completed % eval_every == 0 or completed == steps:
                        eval_loss, eval_accuracy = model.scores(eval_data)
                        eval_steps.append(completed)
                        eval_losses.append(eval_loss)
                        eval_accuracies.append(eval_accuracy)
                if bar is not None:
                    bar.update(1)
                    if step % 20 == 0:
                        bar.set_postfix(loss=f"{loss:.4f}", refresh=False)
                if callback is not None:
                    if callback_wants_state:
                        state = TrainingState(
                            step=step, loss=loss, grad_norm=norm, lr=optimiser.lr, model=model,
                            batch=batch, sequences_seen=completed * batch_size,
                            cpu_seconds=time.process_time() - cpu_start,
                        )
                        stop = callback(state)
                    else:
                        stop = callback(step, loss)
                    if stop is True:
                        stopped_at = completed
                        break
            finished = True
        finally:
            close_progress_bar(bar, finished)
    return TrainingHistory(
        losses=losses[:completed].copy(),
        grad_norms=norms[:completed].copy(),
        clipped=clipped[:completed].copy(),
        seconds=time.perf_counter() - start,
        diverged_at=diverged_at,
        eval_steps=np.asarray(eval_steps, dtype=int),
        eval_losses=np.asarray(eval_losses, dtype=float),
        eval_accuracies=np.asarray(eval_accuracies, dtype=float),
        learning_rates=rates[:completed].copy(),
        stopped_at=stopped_at,
        cpu_seconds=time.process_time() - cpu_start,
    )
