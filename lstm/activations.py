"""The two squashing functions of the LSTM cell and their derivatives.

Gates use the logistic sigmoid, which maps any real number into (0, 1), so a
gate value reads as "the fraction that passes".  The candidate memory and the
read-out of the cell state use the hyperbolic tangent, which maps into
(-1, 1), so they can push the memory up *or* down.

Both functions are exact (no clipping of the input) and stay finite, with no
floating-point warning, for any finite input, including ``z = ±1000`` and the
largest float64 values.
"""

from __future__ import annotations

import numpy as np


def _as_float(z: np.ndarray | float) -> np.ndarray:
    """Return ``z`` as a floating-point array, keeping float32/float64 as given."""
    z = np.asarray(z)
    return z if z.dtype.kind == "f" else z.astype(np.float64)


def sigmoid(z: np.ndarray | float) -> np.ndarray:
    r"""Logistic sigmoid :math:`\sigma(z) = 1 / (1 + e^{-z})`, element-wise.

    The textbook formula overflows for very negative ``z`` (``exp(1000)`` is
    infinite).  We only ever exponentiate ``-|z|``, which lies in ``(0, 1]``:

    - for ``z >= 0``: :math:`\sigma(z) = 1 / (1 + e^{-z})`
    - for ``z < 0``:  :math:`\sigma(z) = e^{z} / (1 + e^{z})`

    Both branches are the same function, rearranged.  ``exp(-|z|)`` may
    underflow to zero for ``|z| > 745``; that is the correctly rounded answer,
    so the underflow flag is silenced here and nowhere else.

    Parameters
    ----------
    z : array_like
        Pre-activation values, any shape.

    Returns
    -------
    numpy.ndarray
        ``sigma(z)``, same shape as ``z``, every value in ``[0, 1]``.
    """
    with np.errstate(under="ignore"):
        return sigmoid_underflow_unguarded(_as_float(z))


def sigmoid_underflow_unguarded(z: np.ndarray) -> np.ndarray:
    """:func:`sigmoid` for a float array, without silencing underflow itself.

    For loops that call the sigmoid at every step: they silence underflow once
    around the whole loop (``with np.errstate(under="ignore"):``), which saves
    entering an error-state context at every call.
    """
    exp_minus_abs = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, exp_minus_abs) / (1.0 + exp_minus_abs)


def tanh(z: np.ndarray | float) -> np.ndarray:
    r"""Hyperbolic tangent :math:`\tanh(z)`, element-wise, values in ``[-1, 1]``.

    Parameters
    ----------
    z : array_like
        Pre-activation values, any shape.

    Returns
    -------
    numpy.ndarray
        ``tanh(z)``, same shape as ``z``.
    """
    return np.tanh(_as_float(z))


def sigmoid_derivative_from_output(s: np.ndarray) -> np.ndarray:
    r"""Derivative of the sigmoid written with its output: :math:`\sigma' = s (1 - s)`.

    Parameters
    ----------
    s : numpy.ndarray
        Values of ``sigmoid(z)``.

    Returns
    -------
    numpy.ndarray
        :math:`d\sigma/dz` at the same points.
    """
    with np.errstate(under="ignore"):
        return s * (1.0 - s)


def tanh_derivative_from_output(t: np.ndarray) -> np.ndarray:
    r"""Derivative of tanh written with its output: :math:`\tanh' = 1 - t^2`.

    Parameters
    ----------
    t : numpy.ndarray
        Values of ``tanh(z)``.

    Returns
    -------
    numpy.ndarray
        :math:`d\tanh/dz` at the same points.
    """
    with np.errstate(under="ignore"):
        return 1.0 - t * t
