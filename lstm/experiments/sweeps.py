"""The grid of training runs shared by chapter 8's training experiments.

- :func:`train_over_grid`: the loop of the ablation, the long-sequence test and the
  hyperparameter sweep -- train one LSTM on the latest-recall task per (setting, seed),
  score it on held-out data, collect the scores in one array.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from lstm.experiments.common import progress_bar
from lstm.experiments.latest_recall import LatestRecall, train_lstm
from lstm.training import SequenceModel, TrainingHistory, one_blas_thread

__all__ = [
    "train_over_grid",
]


def train_over_grid(
    task: LatestRecall,
    settings: Sequence[Mapping[str, Any]],
    seeds: Sequence[int],
    score: Callable[[SequenceModel, TrainingHistory], float | Sequence[float]],
    progress: bool,
    description: str,
) -> np.ndarray:
    """Train one LSTM per (setting, seed) on ``task``, score each run, collect the scores.

    Every run is :func:`lstm.experiments.latest_recall.train_lstm` with ``seed`` and the
    keyword arguments of its setting; all runs use one BLAS thread (:func:`lstm.training.one_blas_thread`).

    Parameters
    ----------
    task : LatestRecall
        The training task.
    settings : sequence of mapping
        Keyword arguments of :func:`train_lstm` for each setting (``hidden_size``, ``steps``,
        ``lr``, ``batch_size``, optionally ``ablate``), already checked by the caller.
    seeds : sequence of int
        One run per seed and setting (the seed sets the weights and the batches).
    score : callable
        ``score(model, history)`` after each run: one number or a fixed number of them.
    progress : bool
        Show a progress bar over the runs if they take longer than a second.
    description : str
        Label of the progress bar.

    Returns
    -------
    numpy.ndarray, shape (len(settings), len(seeds)) or (len(settings), len(seeds), k)
        ``scores[row, column]`` is the score of setting ``row`` trained with seed ``column``.
    """
    scores: list[list[Any]] = []
    bar = progress_bar(len(settings) * len(seeds), progress, description)
    try:
        with one_blas_thread():
            for setting in settings:
                row = []
                for seed in seeds:
                    model, history = train_lstm(task, seed=seed, **setting)
                    row.append(score(model, history))
                    if bar is not None:
                        bar.update(1)
                scores.append(row)
    finally:
        if bar is not None:
            bar.close()
    return np.array(scores, dtype=float)
