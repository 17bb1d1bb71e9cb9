"""The grid of training runs shared by chapter 9's training experiments.

- :func:`train_over_grid`: the loop of the ablation, the long-sequence test and the
  hyperparameter sweep -- train one LSTM on the latest-recall task per (setting, seed), all
  seeds of a setting in one :func:`lstm.stacked.train_many` call, score each on held-out
  data, collect the scores in one array.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from lstm.experiments.latest_recall import LatestRecall, new_lstm
from lstm.stacked import train_many
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
    perturbation: float = 0.0,
) -> np.ndarray:
    """Train one LSTM per (setting, seed) on ``task``, score each run, collect the scores.

    The models of one setting -- one per seed, each with its weights, read-out and batches
    from its seed -- are trained together by one :func:`lstm.stacked.train_many` call, exactly
    as :func:`lstm.experiments.latest_recall.train_lstm` would train each alone.

    Parameters
    ----------
    task : LatestRecall
        The training task.
    settings : sequence of mapping
        For each setting ``hidden_size``, ``steps``, ``lr`` and ``batch_size``, optionally
        ``ablate`` and ``forget_bias`` (default 1), already checked by the caller.
    seeds : sequence of int
        One run per seed and setting.
    score : callable
        ``score(model, history)`` after each run: one number or a fixed number of them.
    progress : bool
        Show progress bars while training.
    description : str
        Label of the progress bars.
    perturbation : float, default 0
        Relative perturbation of every initial weight (:func:`lstm.stacked.perturb_parameters`).

    Returns
    -------
    numpy.ndarray, shape (len(settings), len(seeds)) or (len(settings), len(seeds), k)
        ``scores[row, column]`` is the score of setting ``row`` trained with seed ``column``.
    """
    scores: list[list[Any]] = []
    for setting in settings:
        models = [new_lstm(task, hidden_size=setting["hidden_size"], seed=seed,
                           forget_bias=setting.get("forget_bias", 1.0),
                           ablate=setting.get("ablate", ())) for seed in seeds]
        histories = train_many(models, task, seeds=seeds, steps=setting["steps"], lr=setting["lr"],
                               batch_size=setting["batch_size"], perturbation=perturbation,
                               progress=progress, description=description)
        with one_blas_thread():  # scoring may time a forward pass: one thread, as in training
            scores.append([score(model, history) for model, history in zip(models, histories, strict=True)])
    return np.array(scores, dtype=float)
