"""Train until a criterion: how many sequences, and how much CPU time, a model needs.

The 1997 paper reports its results as "sequences seen until solved".  :func:`train_until`
does the same for the book's models: it trains with :func:`lstm.training.train` on fresh
batches of a task, scores the model on a fixed set of test sequences every few steps (the
fraction whose output is within ``criterion`` of the target), and records the first
evaluation at which that fraction reaches each threshold (50% and 90% by default).  Training
stops at the highest threshold or at the budget.

CPU seconds are process time spent training (the scoring on the test set is left out), so
they are comparable between runs on a shared machine.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from lstm._arguments import check_positive_float, check_positive_int
from lstm.data import SequenceData, Task
from lstm.models import ModelBase
from lstm.optimisers import LearningRate
from lstm.training import TrainingHistory, TrainingState, train

__all__ = ["Milestone", "MilestoneRun", "train_until"]


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
