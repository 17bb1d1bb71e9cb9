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

Every model is trained exactly as :func:`~lstm.training.train` would train it alone; one
forward, backward and Adam step of the batch equals each model's own step (to 1e-12 in
float64, ``tests/test_stacked.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from lstm._arguments import check_positive_int
from lstm.data import SequenceData, Task
from lstm.models import ModelBase
from lstm.optimisers import LearningRate
from lstm.training import TrainingHistory, one_blas_thread, train

__all__ = ["perturb_parameters", "train_many"]


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
) -> list[TrainingHistory]:
    """Train K independent models in place, model ``k`` with data seed ``seeds[k]``.

    Model ``k`` is trained as ``train(models[k], data, seed=seeds[k], ...)`` would train it:
    the same minibatches, the same clipping (of its own global norm) and the same Adam
    updates.

    Parameters
    ----------
    models : sequence of ModelBase
        The K models (built with their own seeds), trained in place.
    data : SequenceData or Task
        As in :func:`lstm.training.train`; every model draws its own batches from it.
    seeds : sequence of int
        One data-order seed per model.
    steps, lr, batch_size, clip, eval_every, progress, description, callback
        As in :func:`lstm.training.train` (``callback`` is given to every model's run).
    perturbation : float, default 0
        Before training, multiply model ``k``'s parameters by ``1 + perturbation * u``
        (:func:`perturb_parameters` with seed ``seeds[k]``).
    eval_data : SequenceData, or one per model, optional
        Scored every ``eval_every`` steps, as in :func:`lstm.training.train`.

    Returns
    -------
    list of TrainingHistory
        One per model, in the order of ``models``.

    Raises
    ------
    ValueError
        If ``models`` is empty, ``seeds`` has another length, or an argument of
        :func:`~lstm.training.train` is out of range.
    """
    models = list(models)
    seeds = [int(seed) for seed in seeds]
    check_positive_int("len(models)", len(models))
    if len(seeds) != len(models):
        raise ValueError(f"seeds must hold one seed per model ({len(models)}); got {len(seeds)}")
    if eval_data is None or isinstance(eval_data, SequenceData):
        evals = [eval_data] * len(models)
    else:
        evals = list(eval_data)
        if len(evals) != len(models):
            raise ValueError(
                f"eval_data must be one SequenceData or one per model ({len(models)}); got {len(evals)}"
            )
    for model, seed in zip(models, seeds, strict=True):
        perturb_parameters(model, perturbation, seed)
    histories = []
    with one_blas_thread():
        for model, seed, evaluation in zip(models, seeds, evals, strict=True):
            histories.append(train(
                model, data, steps=steps, lr=lr, batch_size=batch_size, seed=seed, clip=clip,
                progress=progress, eval_data=evaluation, eval_every=eval_every,
                description=description, callback=callback,
            ))
    return histories
