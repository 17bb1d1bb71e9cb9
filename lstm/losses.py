"""Losses that return their gradient together with their value.

* :func:`softmax` -- probabilities from class scores, without overflow;
* :func:`softmax_cross_entropy` -- for classification;
* :func:`squared_error` -- for regression.

Each takes an optional ``mask`` of the items that count (e.g. the real steps of padded
sequences).  :func:`grouped_softmax_cross_entropy` and :func:`grouped_squared_error` are the
same losses for K independent models at once (:mod:`lstm.stacked`): the first axis holds the
models and each gets the mean over its own items.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["grouped_softmax_cross_entropy", "grouped_squared_error", "softmax", "softmax_cross_entropy",
           "squared_error"]


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
    weights = _check_mask(mask, labels.shape)
    item_losses, dlogits = _item_cross_entropy(logits, labels, weights)
    total_weight = weights.sum()
    loss = float((weights * item_losses).sum() / total_weight)
    dlogits *= (weights / total_weight)[..., None]
    return loss, dlogits


def _item_cross_entropy(
    logits: np.ndarray, labels: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each item's cross-entropy and its gradient ``softmax(z) - onehot(y)`` (before any mean).

    Shared by :func:`softmax_cross_entropy` and :func:`grouped_softmax_cross_entropy`, which
    differ only in the means they take. Items of weight 0 may hold any label.

    Raises
    ------
    ValueError
        If a label is not an integer or, where it counts, lies outside ``0..classes-1``.
    """
    if labels.dtype.kind not in "iu":
        raise ValueError(f"labels must be integers; got dtype {labels.dtype}")
    num_classes = logits.shape[-1]
    safe_labels = np.where(weights > 0, labels, 0)
    if safe_labels.size and (safe_labels.min() < 0 or safe_labels.max() >= num_classes):
        raise ValueError(
            f"labels must lie in 0..{num_classes - 1}; got values from {safe_labels.min()} "
            f"to {safe_labels.max()}"
        )
    # One exponential serves the loss and its gradient: with the largest logit subtracted,
    # log Σ_j e^{z_j} is the log of the sum below, and softmax(z) the exponentials over it.
    shifted = logits - logits.max(axis=-1, keepdims=True)
    with np.errstate(under="ignore"):
        exponentials = np.exp(shifted)
    normaliser = exponentials.sum(axis=-1, keepdims=True)
    log_probability = np.take_along_axis(shifted, safe_labels[..., None], axis=-1)[..., 0]
    item_losses = np.log(normaliser[..., 0]) - log_probability
    dlogits = np.divide(exponentials, normaliser, out=exponentials)   # softmax(logits)
    np.put_along_axis(
        dlogits,
        safe_labels[..., None],
        np.take_along_axis(dlogits, safe_labels[..., None], axis=-1) - 1.0,
        axis=-1,
    )
    return item_losses, dlogits


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


# ------------------------------------------------------------- K models at once
def _float_array(values: Any) -> np.ndarray:
    """``values`` as a float array, keeping float32 (the rest becomes float64)."""
    array = np.asarray(values)
    return array if array.dtype in (np.float32, np.float64) else array.astype(np.float64)


def _group_weights(mask: Any, shape: tuple[int, ...], dtype: np.dtype) -> tuple[np.ndarray, np.ndarray]:
    """Per-item weights (1 where an item counts) and their total per group, ``(K,)``."""
    if mask is None:
        weights = np.ones(shape, dtype=dtype)
    else:
        mask_array = np.asarray(mask)
        if mask_array.shape != shape:
            raise ValueError(f"mask must have shape {shape}; got {mask_array.shape}")
        weights = mask_array.astype(dtype)
    totals = weights.reshape(shape[0], -1).sum(axis=1)
    if np.any(totals <= 0):
        empty = np.flatnonzero(totals <= 0).tolist()
        raise ValueError(f"mask must select at least one item of every group; groups {empty} have none")
    return weights, totals


def _per_group(totals: np.ndarray, ndim: int) -> np.ndarray:
    """``totals`` (K,) shaped to broadcast against an array of ``ndim`` axes whose first is the group."""
    return totals.reshape(-1, *[1] * (ndim - 1))


def grouped_softmax_cross_entropy(
    logits: np.ndarray, labels: np.ndarray, mask: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`softmax_cross_entropy` of K independent groups: one mean per group along the first axis.

    Group ``k`` gets exactly the loss and gradient ``softmax_cross_entropy(logits[k],
    labels[k], mask[k])`` would give (up to the order of the sums).

    Parameters
    ----------
    logits : numpy.ndarray, shape (K, ..., classes)
        Class scores (float32 stays float32).
    labels : numpy.ndarray of int, shape (K, ...)
    mask : numpy.ndarray, shape (K, ...), optional
        Which items count.

    Returns
    -------
    losses : numpy.ndarray, shape (K,)
        Mean cross-entropy of each group.
    dlogits : numpy.ndarray, shape of ``logits``
        Gradient of each group's loss with respect to its logits.

    Raises
    ------
    ValueError
        If the shapes do not match, a label is outside ``0..classes-1`` or a group has no item.
    """
    logits = _float_array(logits)
    labels = np.asarray(labels)
    if logits.ndim < 2 or labels.shape != logits.shape[:-1]:
        raise ValueError(
            f"labels must have shape {logits.shape[:-1]} (logits without the class axis); got {labels.shape}"
        )
    weights, totals = _group_weights(mask, labels.shape, logits.dtype)
    item_losses, dlogits = _item_cross_entropy(logits, labels, weights)
    losses = (weights * item_losses).reshape(labels.shape[0], -1).sum(axis=1) / totals
    dlogits *= (weights / _per_group(totals, weights.ndim))[..., None]
    return losses, dlogits


def grouped_squared_error(
    predictions: np.ndarray, targets: np.ndarray, mask: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`squared_error` of K independent groups: one mean per group along the first axis.

    Parameters
    ----------
    predictions : numpy.ndarray, shape (K, ..., outputs)
        Model outputs (float32 stays float32).
    targets : numpy.ndarray, shape of ``predictions``
    mask : numpy.ndarray, shape (K, ...), optional
        Which items count (all outputs of an item together).

    Returns
    -------
    losses : numpy.ndarray, shape (K,)
        Mean squared error of each group over its selected items and all outputs.
    dpredictions : numpy.ndarray, shape of ``predictions``
        Gradient of each group's loss with respect to its predictions.

    Raises
    ------
    ValueError
        If the shapes differ or a group has no item.
    """
    predictions = _float_array(predictions)
    targets = np.asarray(targets, dtype=predictions.dtype)
    if predictions.shape != targets.shape or predictions.ndim < 2:
        raise ValueError(
            f"targets must have the shape of predictions {predictions.shape}; got {targets.shape}"
        )
    weights, totals = _group_weights(mask, predictions.shape[:-1], predictions.dtype)
    weights = weights[..., None]
    counts = _per_group(totals * predictions.shape[-1], predictions.ndim)
    difference = np.where(weights > 0, predictions - targets, 0.0)
    losses = (weights * difference**2).reshape(predictions.shape[0], -1).sum(axis=1) / counts.ravel()
    return losses, 2.0 * weights * difference / counts
