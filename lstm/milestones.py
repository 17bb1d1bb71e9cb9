"""Train until a criterion: how many sequences, and how much CPU time, a model needs.

The 1997 paper reports its results as "sequences seen until solved".  :func:`train_until`
does the same for the book's models: it trains with :func:`lstm.training.train` on fresh
batches of a task, scores the model on a fixed set of test sequences every few steps (the
fraction whose output is within ``criterion`` of the target), and records the first
evaluation at which that fraction reaches each threshold (50% and 90% by default).  Training
stops at the highest threshold or at the budget.

CPU seconds are process time spent training (the scoring on the test set is left out), so
they are comparable between runs on a shared machine.

:data:`ADDING_1997_RECIPE` (an :class:`AddingRecipe`) is the recipe with which the book's
:class:`~lstm.cell.LSTMCell`, forget gate included, solves the adding problem of
Hochreiter & Schmidhuber (1997) at T = 100 (:class:`lstm.tasks.AddingProblem1997`);
:func:`solve_adding_problem_1997` trains one model with it -- the LSTM, the 1997 cell
without forget gate or the plain RNN -- and is what ``benchmarks/adding_problem_1997.py``
runs.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from lstm._arguments import check_choice, check_positive_float, check_positive_int
from lstm.cell import LSTMCell
from lstm.data import SequenceData, Task
from lstm.models import ModelBase, SequenceModel
from lstm.optimisers import LearningRate
from lstm.rnn import RNNCell
from lstm.tasks import AddingProblem1997, adding_problem_1997
from lstm.training import TrainingHistory, TrainingState, train

__all__ = [
    "ADDING_1997_MODELS",
    "ADDING_1997_RECIPE",
    "AddingRecipe",
    "Milestone",
    "MilestoneRun",
    "adding_problem_1997_cell",
    "solve_adding_problem_1997",
    "train_until",
]


@dataclass(frozen=True)
class Milestone:
    """The first evaluation at which the test fraction within the criterion reached a threshold.

    Attributes
    ----------
    threshold : float
        The fraction asked for, e.g. 0.9.
    fraction : float
        The fraction measured there (at least ``threshold``).
    step : int
        Updates made.
    sequences : int
        Training sequences seen (``step * batch_size``).
    cpu_seconds : float
        CPU time of the training so far (scoring excluded).
    """

    threshold: float
    fraction: float
    step: int
    sequences: int
    cpu_seconds: float


@dataclass
class MilestoneRun:
    """Result of :func:`train_until`.

    Attributes
    ----------
    milestones : dict of float to Milestone or None
        For each threshold, where it was reached (None: not within the budget).
    eval_sequences : numpy.ndarray of int
        Training sequences seen at each evaluation.
    eval_fractions : numpy.ndarray
        Fraction of the test sequences within the criterion at each evaluation.
    criterion : float
        The tolerance on the absolute error.
    max_sequences : int
        The budget.
    history : TrainingHistory
        The training run (losses, gradient norms, ...).
    """

    milestones: dict[float, Milestone | None]
    eval_sequences: np.ndarray
    eval_fractions: np.ndarray
    criterion: float
    max_sequences: int
    history: TrainingHistory = field(repr=False)

    def reached(self, threshold: float) -> bool:
        """True if ``threshold`` was reached within the budget."""
        return self.milestones.get(threshold) is not None

    def summary(self, name: str = "model") -> str:
        """One line per threshold: sequences and CPU seconds, or "not reached"."""
        lines = []
        for threshold, milestone in self.milestones.items():
            if milestone is None:
                best = float(self.eval_fractions.max()) if self.eval_fractions.size else 0.0
                lines.append(f"{name}: {threshold:.0%} within {self.criterion:g} not reached in "
                             f"{self.max_sequences:,} sequences (best {best:.1%})")
            else:
                lines.append(f"{name}: {threshold:.0%} within {self.criterion:g} after "
                             f"{milestone.sequences:,} sequences, {milestone.cpu_seconds:.1f} CPU s "
                             f"({milestone.fraction:.1%} of the test sequences)")
        return "\n".join(lines)


def train_until(
    model: ModelBase,
    task: Task,
    test: SequenceData,
    *,
    criterion: float,
    thresholds: Sequence[float] = (0.5, 0.9),
    max_sequences: int = 256_000,
    batch_size: int = 64,
    lr: LearningRate = 1e-2,
    clip: float | None = 1.0,
    eval_every: int = 50,
    seed: int = 0,
    progress: bool = True,
    description: str = "training until solved",
) -> MilestoneRun:
    """Train on fresh batches of ``task`` until enough test sequences are within ``criterion``.

    At every evaluation the fraction of ``test`` within the criterion is compared with each
    threshold; the first evaluation at or above a threshold is its :class:`Milestone`.

    Parameters
    ----------
    model : ModelBase
        A regression model (e.g. ``SequenceModel(cell, 1, objective="regression")``),
        trained in place.
    task : Task
        Draws the training batches (``task.sample(n, rng)``).
    test : SequenceData
        Fresh sequences, never trained on, scored at every evaluation.
    criterion : float
        A sequence counts as solved when every output is within ``criterion`` of its
        target (e.g. ``task.criterion``).
    thresholds : sequence of float, default (0.5, 0.9)
        Fractions in (0, 1]; training stops when the largest is reached.
    max_sequences : int, default 256000
        Budget of training sequences (updates = ``max_sequences // batch_size``).
    batch_size, lr, clip, seed, progress, description
        As in :func:`lstm.training.train` (``lr`` may be a schedule).
    eval_every : int, default 50
        Updates between two evaluations.

    Returns
    -------
    MilestoneRun

    Raises
    ------
    ValueError
        If an argument is out of range.
    """
    criterion = check_positive_float("criterion", criterion)
    batch_size = check_positive_int("batch_size", batch_size)
    eval_every = check_positive_int("eval_every", eval_every)
    max_sequences = check_positive_int("max_sequences", max_sequences)
    steps = max_sequences // batch_size
    if steps < 1:
        raise ValueError(f"max_sequences must be at least batch_size={batch_size}; got {max_sequences}")
    thresholds = tuple(sorted(float(value) for value in thresholds))
    if not thresholds or any(not 0.0 < value <= 1.0 for value in thresholds):
        raise ValueError(f"thresholds must be fractions in (0, 1]; got {thresholds!r}")
    if not isinstance(test, SequenceData):
        raise ValueError(f"test must be SequenceData; got {type(test).__name__}")

    milestones: dict[float, Milestone | None] = {threshold: None for threshold in thresholds}
    eval_sequences: list[int] = []
    eval_fractions: list[float] = []
    scoring_seconds = 0.0

    def evaluate(state: TrainingState) -> bool | None:
        nonlocal scoring_seconds
        completed = state.step + 1
        if completed % eval_every and completed != steps:
            return None
        training_seconds = state.cpu_seconds - scoring_seconds    # earlier scorings left out
        scoring_start = time.process_time()
        fraction = state.model.accuracy(test, tolerance=criterion)
        scoring_seconds += time.process_time() - scoring_start
        eval_sequences.append(state.sequences_seen)
        eval_fractions.append(fraction)
        for threshold in thresholds:
            if milestones[threshold] is None and fraction >= threshold:
                milestones[threshold] = Milestone(
                    threshold=threshold, fraction=fraction, step=completed,
                    sequences=state.sequences_seen,
                    cpu_seconds=training_seconds,
                )
        return milestones[thresholds[-1]] is not None

    history = train(model, task, steps=steps, lr=lr, batch_size=batch_size, seed=seed, clip=clip,
                    progress=progress, description=description, callback=evaluate)
    return MilestoneRun(
        milestones=milestones,
        eval_sequences=np.asarray(eval_sequences, dtype=int),
        eval_fractions=np.asarray(eval_fractions, dtype=float),
        criterion=criterion,
        max_sequences=max_sequences,
        history=history,
    )


# --------------------------------------------------------------------------------------------
# The 1997 adding problem at T = 100: the recipe
# --------------------------------------------------------------------------------------------

ADDING_1997_MODELS = ("LSTM", "LSTM without forget gate", "RNN")
"""The models :func:`solve_adding_problem_1997` trains: the book's LSTM (forget gate
included), the cell of the 1997 paper (no forget gate, ``ablate=("forget_gate",)``) and the
plain RNN."""


@dataclass(frozen=True)
class AddingRecipe:
    """How to train a model on the 1997 adding problem until it is solved.

    Attributes
    ----------
    hidden_size : int
        Hidden units of every model.
    forget_bias : float
        Initial forget-gate bias of the LSTM: sigma(3) = 0.95 keeps 95% of the memory per
        step at first.
    input_bias : float or None
        Initial input-gate bias of the LSTM: sigma(-3) = 0.05 writes 5% of the candidate
        at first, so the memory does not fill with the unmarked values (``b_i = -b_f``, as
        in the "chrono" initialisation of Tallec & Ollivier, 2018).  None keeps the random
        initial ``b_i``.  The 1997 cell and the RNN keep the default initialisation.
    batch_size : int
        Fresh training sequences per Adam update.
    lr : float
        Adam's learning rate (constant).
    clip : float
        Gradient clipping threshold (global norm).
    max_sequences : int
        Budget of training sequences.
    eval_sequences : int
        Training sequences between two scorings of the test set.
    test_sequences : int
        Fresh test sequences scored (drawn with seed ``10_000 + seed``).
    thresholds : tuple of float
        Fractions of the test sequences within the criterion to record.
    """

    hidden_size: int = 8
    forget_bias: float = 3.0
    input_bias: float | None = -3.0
    batch_size: int = 32
    lr: float = 0.01
    clip: float = 1.0
    max_sequences: int = 256_000
    eval_sequences: int = 3200
    test_sequences: int = 1000
    thresholds: tuple[float, ...] = (0.5, 0.9)


ADDING_1997_RECIPE = AddingRecipe()
"""The recipe of ``benchmarks/adding_problem_1997.py``: 8 units, forget bias 3, input bias -3,
batches of 32, Adam at 0.01, clipping at 1, a budget of 256,000 sequences."""


def adding_problem_1997_cell(
    kind: str = "LSTM", seed: int = 0, recipe: AddingRecipe = ADDING_1997_RECIPE
) -> LSTMCell | RNNCell:
    """A freshly initialised cell of ``kind`` for the 1997 adding problem (two inputs).

    Parameters
    ----------
    kind : {"LSTM", "LSTM without forget gate", "RNN"}, default "LSTM"
        ``"LSTM"``: the book's cell with the recipe's forget and input biases;
        ``"LSTM without forget gate"``: the 1997 cell (``f = 1``), default initialisation;
        ``"RNN"``: the plain RNN, default initialisation.
    seed : int, default 0
        Seed of the initialisation.
    recipe : AddingRecipe, default ADDING_1997_RECIPE

    Returns
    -------
    LSTMCell or RNNCell
        ``recipe.hidden_size`` units.

    Raises
    ------
    ValueError
        If ``kind`` is not one of :data:`ADDING_1997_MODELS`.
    """
    kind = check_choice("kind", kind, ADDING_1997_MODELS)
    if kind == "RNN":
        return RNNCell(2, recipe.hidden_size, seed=seed)
    if kind == "LSTM without forget gate":
        return LSTMCell(2, recipe.hidden_size, seed=seed, ablate=("forget_gate",))
    cell = LSTMCell(2, recipe.hidden_size, seed=seed, forget_bias=recipe.forget_bias)
    if recipe.input_bias is not None:
        cell.b_i[:] = recipe.input_bias      # b_i is a view of the cell's stacked biases
    return cell


def solve_adding_problem_1997(
    kind: str = "LSTM",
    length: int = 100,
    seed: int = 0,
    recipe: AddingRecipe = ADDING_1997_RECIPE,
    *,
    progress: bool = False,
) -> MilestoneRun:
    """Train one model with ``recipe`` on the 1997 adding problem until 90% are solved.

    The model is :func:`adding_problem_1997_cell` with a linear read-out of the last hidden
    state (squared error); :func:`train_until` trains it on fresh batches of
    :class:`~lstm.tasks.AddingProblem1997` and scores it every ``recipe.eval_sequences``
    training sequences on ``recipe.test_sequences`` fresh sequences (seed ``10_000 + seed``)
    with the paper's criterion abs(error) < 0.04.

    Parameters
    ----------
    kind : {"LSTM", "LSTM without forget gate", "RNN"}, default "LSTM"
    length : int, default 100
        Minimal sequence length T (sequences have T to T + T/10 steps).
    seed : int, default 0
        Seed of the initialisation, of the training batches and (plus 10,000) of the test set.
    recipe : AddingRecipe, default ADDING_1997_RECIPE
    progress : bool, default False
        Show a progress bar.

    Returns
    -------
    MilestoneRun
        ``run.milestones[0.9]`` is None if 90% was not reached within the budget.

    Raises
    ------
    ValueError
        If ``kind`` or ``length`` is out of range.
    """
    task = AddingProblem1997(length)
    test = adding_problem_1997(recipe.test_sequences, length, seed=10_000 + seed)
    model = SequenceModel(adding_problem_1997_cell(kind, seed, recipe), 1, objective="regression", seed=seed)
    return train_until(
        model, task, test, criterion=task.criterion, thresholds=recipe.thresholds,
        max_sequences=recipe.max_sequences, batch_size=recipe.batch_size, lr=recipe.lr,
        clip=recipe.clip, eval_every=max(1, recipe.eval_sequences // recipe.batch_size), seed=seed,
        progress=progress, description=f"{kind}, T={length}",
    )
