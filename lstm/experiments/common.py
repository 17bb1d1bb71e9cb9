"""Helpers shared by the experiments of chapters 8 and 9: colours, argument checks, figures, timing.

Nothing here is an experiment; every module of :mod:`lstm.experiments` imports what it needs
from here, so that a check raises the same message wherever it is used.

- Colours (Okabe-Ito, :mod:`lstm.style`): :data:`RNN_COLOUR` (sky blue), :data:`LSTM_COLOUR`
  (orange), :data:`ATTENTION_COLOUR` (bluish green), :data:`BASELINE_COLOUR` (black) and
  :data:`LINEAR_COLOUR` (reddish purple).
- Argument checks raising an error that names the argument: :func:`check_increasing`,
  :func:`check_sizes`, :func:`check_seed`, :func:`check_seeds`, :func:`check_learning_rate`
  (counts and plain numbers are checked by :func:`lstm._checks.check_integer` and
  :func:`lstm._checks.check_number`).
- Figures: :func:`scaled_figure` (chapter 8's figures) and :func:`figure_with_axes` with
  :func:`book_styled` (chapter 9's figures). The two scale differently for the projector size
  (1.3 against 12/9), so they stay two functions: merging them would change the figures.
- The one delayed-recall training budget of chapters 8 and 9: :data:`DELAYED_RECALL_BUDGET`.
- Delayed recall, a plain RNN against an LSTM on the same budget, one of each per seed (claims
  1, 2 and 4 of chapter 8): :func:`recall_models` builds them (seed ``s`` for the cell, the
  read-out and the data), :func:`train_recall_pairs` -> one :class:`RecallRuns` per
  (delay, noise) setting, all seeds (:data:`DEFAULT_SEEDS`, 0-9) trained together by
  :func:`lstm.stacked.train_many`, each setting trained once per process.
- Runs: :func:`new_lstm_cell`, :func:`minimum_seconds` (the least disturbed of a few timed
  repeats) and :func:`progress_bar` (the one of :mod:`lstm.training`, re-exported).
"""

from __future__ import annotations

import copy
import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from lstm._checks import check_integer, check_number, check_size
from lstm.cell import LSTMCell
from lstm.gradient_flow import NUM_SYMBOLS
from lstm.plots import BookFigure, new_figure
from lstm.rnn import RNNCell
from lstm.stacked import train_many
from lstm.style import GATE_COLOURS, OKABE_ITO, SIZES, book_style
from lstm.style import check_size as check_style_size
from lstm.tasks import DelayedRecall, delayed_recall
from lstm.training import SequenceModel, one_blas_thread, progress_bar

__all__ = [
    "ATTENTION_COLOUR",
    "AT_CHANCE",
    "DELAYED_RECALL_BUDGET",
    "BASELINE_COLOUR",
    "LEARNT",
    "LINEAR_COLOUR",
    "LSTM_COLOUR",
    "DEFAULT_SEEDS",
    "RECALL_TEST_SIZE",
    "RNN_COLOUR",
    "RecallRuns",
    "book_styled",
    "check_increasing",
    "check_learning_rate",
    "check_seed",
    "check_seeds",
    "check_sizes",
    "figure_with_axes",
    "minimum_seconds",
    "new_lstm_cell",
    "progress_bar",
    "recall_models",
    "scaled_figure",
    "train_recall_pairs",
]


# The one training budget for delayed recall in chapters 8 and 9 (claim 2 of the advantages,
# and the LSTM-against-attention comparison of the disadvantages): 8 hidden units, 400 Adam
# steps on fresh batches of 64 sequences (25 600 training sequences), learning rate 0.02,
# distractor noise 1 and an initial forget-gate bias of 3 for the LSTM.
DELAYED_RECALL_BUDGET: dict[str, int | float] = {
    "hidden_size": 8,
    "steps": 400,
    "batch_size": 64,
    "lr": 0.02,
    "forget_bias": 3.0,
    "noise": 1.0,
}

RNN_COLOUR = GATE_COLOURS["rnn"]
LSTM_COLOUR = GATE_COLOURS["lstm"]
ATTENTION_COLOUR = OKABE_ITO["bluish_green"]
BASELINE_COLOUR = OKABE_ITO["black"]
LINEAR_COLOUR = OKABE_ITO["reddish_purple"]


# --------------------------------------------------------------------------------------------
# argument checks
# --------------------------------------------------------------------------------------------
def check_increasing(name: str, values: Any, minimum: float = 0) -> tuple:
    """Return ``values`` as a tuple if it is a strictly increasing sequence of numbers >= ``minimum``.

    Raises
    ------
    ValueError
        Naming ``name``, if ``values`` is not a sequence, is empty, holds a number below
        ``minimum`` or is not strictly increasing.
    """
    if isinstance(values, str | bytes) or not isinstance(values, Sequence | np.ndarray):
        raise ValueError(f"{name} must be a sequence of numbers; got {values!r}")
    checked = [float(value) for value in values]
    if len(checked) < 1 or any(value < minimum for value in checked):
        raise ValueError(f"{name} must hold numbers >= {minimum}; got {list(values)!r}")
    if any(later <= earlier for earlier, later in zip(checked, checked[1:], strict=False)):
        raise ValueError(f"{name} must be strictly increasing; got {list(values)!r}")
    return tuple(values)


def check_sizes(values: Sequence[int], name: str, minimum_count: int = 2) -> np.ndarray:
    """Return a strictly increasing sequence of positive integers as an int array, or raise.

    ``minimum_count`` is the fewest values accepted (2 for a curve, 1 for a single measurement).
    """
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence | np.ndarray):
        raise TypeError(f"{name} must be a sequence of positive integers; got {values!r}")
    if len(values) < minimum_count:
        raise ValueError(f"{name} must hold at least {minimum_count} values; got {list(values)!r}")
    checked = [check_size(value, f"{name}[{index}]") for index, value in enumerate(values)]
    if any(later <= earlier for earlier, later in zip(checked, checked[1:], strict=False)):
        raise ValueError(f"{name} must be strictly increasing; got {checked}")
    return np.array(checked, dtype=np.int64)


def check_seed(seed: object, name: str = "seed") -> int:
    """Return ``seed`` as a non-negative int, or raise naming the argument."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"{name} must be a non-negative integer; got {seed!r}")
    if seed < 0:
        raise ValueError(f"{name} must be a non-negative integer; got {seed}")
    return int(seed)


def check_seeds(seeds: Sequence[int]) -> tuple[int, ...]:
    """Return distinct non-negative integer seeds as a tuple, or raise."""
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Sequence | np.ndarray):
        raise TypeError(f"seeds must be a sequence of non-negative integers; got {seeds!r}")
    checked = tuple(check_seed(seed, f"seeds[{index}]") for index, seed in enumerate(seeds))
    if not checked or len(set(checked)) != len(checked):
        raise ValueError(f"seeds must be a non-empty sequence of distinct integers; got {checked}")
    return checked


def check_learning_rate(value: object, name: str) -> float:
    """Return ``value`` as a positive finite float, or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating):
        raise TypeError(f"{name} must be a positive number; got {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number; got {value}")
    return float(value)


# --------------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------------
def scaled_figure(size: str, width: float, height: float) -> BookFigure:
    """A new book-style figure of ``width`` x ``height`` inches (laptop), 1.3 times larger on a projector.

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    """
    check_style_size(size)
    scale = 1.3 if size == "projector" else 1.0
    return new_figure(size, figsize=(width * scale, height * scale))


def figure_with_axes(
    ncols: int, size: str, width: float = 11.0, height: float = 4.6
) -> tuple[Figure, list]:
    """A new book-style figure (no pyplot; shows itself as a PNG) with ``ncols`` side-by-side axes.

    ``width`` and ``height`` are the laptop size in inches; the projector size scales them up.
    """
    scale = check_style_size(size)["figsize"][0] / SIZES["laptop"]["figsize"][0]
    figure = new_figure(size, figsize=(width * scale, height * scale), layout="constrained")
    axes = [figure.add_subplot(1, ncols, column + 1) for column in range(ncols)]
    return figure, axes


def book_styled(plot: Callable) -> Callable:
    """Run a plotting helper inside the book style of its ``size`` argument (fonts, colours)."""

    @functools.wraps(plot)
    def styled(result: object, size: str = "laptop") -> Figure:
        check_style_size(size)
        with book_style(size):
            return plot(result, size)

    return styled


# --------------------------------------------------------------------------------------------
# runs: cells, timing, progress
# --------------------------------------------------------------------------------------------
def new_lstm_cell(input_size: int, hidden_size: int, seed: int, forget_bias: float) -> LSTMCell:
    """An :class:`~lstm.cell.LSTMCell` with the given sizes, seed and initial forget-gate bias."""
    return LSTMCell(input_size, hidden_size, seed=seed, forget_bias=forget_bias)


def minimum_seconds(function: Callable[[], object], repeats: int) -> float:
    """Run ``function`` once to warm up, then ``repeats`` times; return the fastest wall time.

    The runs use a single BLAS thread, so a measurement compares amounts of work rather than
    how the operating system happened to share the cores with other programs at that moment.
    """
    with one_blas_thread():
        function()
        best = np.inf
        for _ in range(repeats):
            start = time.perf_counter()
            function()
            best = min(best, time.perf_counter() - start)
    return float(best)


# --------------------------------------------------------------------------------------------
# delayed recall: a plain RNN and an LSTM per seed on the same budget, each setting trained once
# --------------------------------------------------------------------------------------------
RECALL_TEST_SIZE = 500  # fresh test sequences per delayed-recall setting and seed
DEFAULT_SEEDS = tuple(range(10))  # the seeds every trained conclusion of chapter 8 rests on
#: A delayed-recall model has *learnt* the task at this test accuracy or above ...
LEARNT = 0.95
#: ... and is *at chance* (25 % for four symbols) at this accuracy or below.
AT_CHANCE = 0.35


@dataclass(frozen=True)
class RecallRuns:
    """A plain RNN and an LSTM per seed, trained with the same budget on one delayed-recall setting.

    Attributes
    ----------
    delay : int
        Distractor steps between the symbol and the recall cue.
    noise : float
        Standard deviation of the distractor noise.
    seeds : tuple of int, length S
        Seed ``s`` builds both models' weights (cell and read-out) and draws their training
        batches; its test set has seed ``s + 1000``.
    perturbation : float
        Relative size of the change made to the initial weights (0: none), as in
        :func:`lstm.stacked.train_many`.
    rnn_models, lstm_models : tuple of SequenceModel, length S
        The trained models, one per seed.
    rnn_accuracy, lstm_accuracy : numpy.ndarray, shape (S,)
        Their accuracy on :data:`RECALL_TEST_SIZE` fresh test sequences, one per seed.
    """

    delay: int
    noise: float
    seeds: tuple[int, ...]
    perturbation: float
    rnn_models: tuple[SequenceModel, ...]
    lstm_models: tuple[SequenceModel, ...]
    rnn_accuracy: np.ndarray
    lstm_accuracy: np.ndarray


_TRAINED_RUNS: dict[tuple, RecallRuns] = {}
_MOST_TRAINED_RUNS = 32  # twenty 8-unit models are well below a megabyte


def recall_models(
    input_size: int, hidden_size: int, forget_bias: float, seeds: Sequence[int]
) -> tuple[list[SequenceModel], list[SequenceModel]]:
    """Fresh plain-RNN and LSTM models for delayed recall, one of each per seed.

    Seed ``s`` builds the cell and the read-out of both models, so that every run is seeded
    by its own seed alone; the LSTM's forget-gate bias starts at ``forget_bias``.

    Returns
    -------
    (list of SequenceModel, list of SequenceModel)
        The RNN models and the LSTM models, in the order of ``seeds``.
    """
    rnn_models = [
        SequenceModel(RNNCell(input_size, hidden_size, seed=seed), NUM_SYMBOLS, seed=seed) for seed in seeds
    ]
    lstm_models = [
        SequenceModel(new_lstm_cell(input_size, hidden_size, seed, forget_bias), NUM_SYMBOLS, seed=seed)
        for seed in seeds
    ]
    return rnn_models, lstm_models


def _train_recall_runs(
    delay: int, noise: float, budget: dict[str, Any], seeds: tuple[int, ...], perturbation: float,
    progress: bool,
) -> RecallRuns:
    task = DelayedRecall(delay, NUM_SYMBOLS, noise=noise)
    rnn_models, lstm_models = recall_models(
        task.input_size, budget["hidden_size"], budget["forget_bias"], seeds
    )
    for name, models in (("RNN", rnn_models), ("LSTM", lstm_models)):
        train_many(
            models,
            task,
            seeds=seeds,
            steps=budget["steps"],
            lr=budget["lr"],
            batch_size=budget["batch_size"],
            perturbation=perturbation,
            progress=progress,
            description=f"{name}, delay {delay}, noise {noise:g}",
        )
    tests = [
        delayed_recall(RECALL_TEST_SIZE, delay, NUM_SYMBOLS, noise=noise, seed=seed + 1000) for seed in seeds
    ]

    def accuracies(models: list[SequenceModel]) -> np.ndarray:
        return np.array([model.accuracy(test) for model, test in zip(models, tests, strict=True)])

    return RecallRuns(
        delay=delay,
        noise=noise,
        seeds=seeds,
        perturbation=perturbation,
        rnn_models=tuple(rnn_models),
        lstm_models=tuple(lstm_models),
        rnn_accuracy=accuracies(rnn_models),
        lstm_accuracy=accuracies(lstm_models),
    )


def train_recall_pairs(
    settings: Sequence[tuple[int, float]],
    *,
    hidden_size: int,
    steps: int,
    batch_size: int,
    lr: float,
    forget_bias: float,
    seeds: Sequence[int] = DEFAULT_SEEDS,
    perturbation: float = 0.0,
    progress: bool = True,
) -> list[RecallRuns]:
    """Train a plain RNN and an LSTM per seed on delayed recall for each ``(delay, noise)``; test all.

    Both models of a seed get the same hidden size, steps, batch size, learning rate and seed
    (the LSTM's forget-gate bias starts at ``forget_bias``), and are tested on the same
    :data:`RECALL_TEST_SIZE` fresh sequences. All seeds of one model kind and setting are
    trained by one :func:`lstm.stacked.train_many` call. Claims 1, 2 and 4 of chapter 8 share
    a setting (delay 10, noise 1, the delayed-recall budget): a setting this process has
    already trained with the same budget, seeds and perturbation is not trained again.
    Training is deterministic, so the stored runs are exactly what a new run gives
    (``tests/test_advantages.py`` checks this); they are returned with copies of their
    models, so a caller that trains or changes them does not change what is stored.

    Parameters
    ----------
    settings : sequence of (int, float)
        ``(delay, noise)`` pairs: a non-negative delay and a non-negative noise level.
    hidden_size, steps, batch_size : int
    lr, forget_bias : float
    seeds : sequence of int, default 0-9
        Distinct non-negative seeds, one RNN and one LSTM each.
    perturbation : float, default 0
        Multiply every model's initial weights by ``1 + perturbation * u``, u uniform in
        [-1, 1] (:func:`lstm.stacked.train_many`); the tests use 1e-12.
    progress : bool, default True
        Progress bars while training (:func:`lstm.training.train`).

    Returns
    -------
    list of RecallRuns
        One per setting, in the order given.

    Raises
    ------
    TypeError, ValueError
        If a setting, a size, a seed or the perturbation is not of the documented kind or range.
    """
    budget = {
        "hidden_size": check_integer(hidden_size, "hidden_size"),
        "steps": check_integer(steps, "steps"),
        "batch_size": check_integer(batch_size, "batch_size"),
        "lr": check_learning_rate(lr, "lr"),
        "forget_bias": check_number(forget_bias, "forget_bias"),
    }
    seeds = check_seeds(seeds)
    perturbation = check_number(perturbation, "perturbation", minimum=0.0)
    found = []
    for index, setting in enumerate(settings):
        if not isinstance(setting, tuple) or len(setting) != 2:
            raise ValueError(f"settings[{index}] must be a pair (delay, noise); got {setting!r}")
        delay = check_integer(setting[0], f"settings[{index}] delay", minimum=0)
        noise = check_number(setting[1], f"settings[{index}] noise", minimum=0.0)
        key = (delay, noise, seeds, perturbation, *budget.values())
        if key not in _TRAINED_RUNS:
            if len(_TRAINED_RUNS) >= _MOST_TRAINED_RUNS:
                del _TRAINED_RUNS[next(iter(_TRAINED_RUNS))]  # the oldest
            _TRAINED_RUNS[key] = _train_recall_runs(delay, noise, budget, seeds, perturbation, progress)
        found.append(_TRAINED_RUNS[key])
    return [
        RecallRuns(
            delay=stored.delay,
            noise=stored.noise,
            seeds=stored.seeds,
            perturbation=stored.perturbation,
            rnn_models=copy.deepcopy(stored.rnn_models),
            lstm_models=copy.deepcopy(stored.lstm_models),
            rnn_accuracy=stored.rnn_accuracy.copy(),
            lstm_accuracy=stored.lstm_accuracy.copy(),
        )
        for stored in found
    ]
