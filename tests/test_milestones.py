"""Tests of lstm.milestones.train_until: train until a criterion, record sequences and CPU time."""

from __future__ import annotations

import numpy as np
import pytest

from lstm import LSTMCell
from lstm.milestones import train_until
from lstm.models import SequenceModel
from lstm.tasks import AddingProblem1997, adding_problem_1997


def _run(max_sequences: int = 64_000, thresholds=(0.5, 0.9)):
    task = AddingProblem1997(10)
    test = adding_problem_1997(300, 10, seed=99)
    model = SequenceModel(LSTMCell(2, 8, seed=0, forget_bias=2.0), 1, objective="regression")
    run = train_until(model, task, test, criterion=task.criterion, thresholds=thresholds,
                      max_sequences=max_sequences, batch_size=64, eval_every=10, progress=False)
    return model, test, run


def test_train_until_records_the_first_evaluation_past_each_threshold() -> None:
    """T = 10 (lengths 10-11): the LSTM gets 90% of fresh sequences within 0.04 quickly."""
    model, test, run = _run()
    half, most = run.milestones[0.5], run.milestones[0.9]
    assert half is not None and most is not None
    assert half.sequences <= most.sequences < 64_000
    assert half.sequences == half.step * 64 and most.sequences % 640 == 0   # evaluations every 10 steps
    assert 0 < half.cpu_seconds <= most.cpu_seconds
    # the milestone is the FIRST evaluation at or above the threshold
    position = int(np.flatnonzero(run.eval_sequences == most.sequences)[0])
    assert run.eval_fractions[position] == most.fraction >= 0.9
    assert np.all(run.eval_fractions[:position] < 0.9)
    # training stopped there, and the model really scores that fraction
    assert run.history.stopped_at == most.step and run.eval_sequences[-1] == most.sequences
    assert model.accuracy(test, tolerance=0.04) == pytest.approx(most.fraction)
    assert "90% within 0.04 after" in run.summary("LSTM")


def test_train_until_reports_a_threshold_not_reached() -> None:
    _, _, run = _run(max_sequences=640, thresholds=(0.99,))
    assert run.milestones == {0.99: None} and not run.reached(0.99)
    assert run.eval_sequences.tolist() == [640]          # the budget's end is always scored
    assert "not reached in 640 sequences" in run.summary()


@pytest.mark.parametrize(
    ("keywords", "argument"),
    [({"criterion": 0.0}, "criterion"), ({"thresholds": (0.5, 1.5)}, "thresholds"),
     ({"max_sequences": 10}, "max_sequences"), ({"eval_every": 0}, "eval_every")],
)
def test_train_until_rejects_bad_arguments(keywords, argument) -> None:
    task = AddingProblem1997(10)
    model = SequenceModel(LSTMCell(2, 2, seed=0), 1, objective="regression")
    settings = {"criterion": 0.04, **keywords}
    with pytest.raises(ValueError, match=argument):
        train_until(model, task, adding_problem_1997(5, 10), progress=False, **settings)


def test_the_1997_cell_solves_the_1997_adding_problem_at_t100() -> None:
    """The seeded run of benchmarks/adding_problem_1997.py --without-forget-gate, T = 100.

    The cell of the 1997 paper (no forget gate), 8 units, Adam lr 0.01, batch 32: 90% of
    1,000 fresh sequences within 0.04 well inside the budget of 256,000 sequences (the
    paper's LSTM needed 74,000).  About 20 CPU seconds.
    """
    task = AddingProblem1997(100)
    test = adding_problem_1997(1000, 100, seed=10_000)
    model = SequenceModel(LSTMCell(2, 8, seed=0, ablate=("forget_gate",)), 1, objective="regression")
    run = train_until(model, task, test, criterion=0.04, max_sequences=256_000, batch_size=32,
                      lr=0.01, eval_every=100, seed=0, progress=False)
    assert run.reached(0.5) and run.reached(0.9)
    assert run.milestones[0.9].sequences <= 128_000
    assert model.accuracy(test, tolerance=0.04) >= 0.9
