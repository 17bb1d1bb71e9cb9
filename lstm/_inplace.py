r"""Squashing functions that write into preallocated arrays, for the cells' time loops.

:meth:`lstm.LSTMCell.run` and :meth:`lstm.RNNCell.run` call these once per time step,
so each one is a handful of NumPy calls with ``out=`` arguments and no new arrays.
Both functions use one exponential per number:

.. math::
    \sigma(z) = \frac{1}{1 + e^{-z}}, \qquad
    \tanh(z) = \frac{2}{1 + e^{-2z}} - 1 = 2\sigma(2z) - 1.

Why not always ``np.tanh``: on x86 machines without AVX-512 NumPy evaluates float64
``tanh`` element by element, about twice as slow as ``exp``; for large arrays
(:func:`tanh_function` decides) the exponential form is faster.  It is the
same function, equal to ``np.tanh`` within two units in the last place of 1 (absolute
error below ``4.5e-16``, tested in ``tests/test_cell.py``).  For very negative arguments
``e^{-z}`` overflows to ``inf`` and the result is the correctly rounded 0 (or -1), so the
callers silence overflow (and underflow) around their loops with ``np.errstate``.

:func:`lstm.activations.sigmoid` and :func:`lstm.activations.tanh` remain the readable
definitions used by ``step()``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

NP_TANH_UP_TO = 512
"""Arrays of up to this many numbers get ``np.tanh`` (one call); larger ones :func:`tanh_into`.

Measured on the book's machines (CPU time per call): ``tanh_into`` costs about 3.5 µs more
in call overhead (five calls instead of one) and saves about 8 ns per number; they break
even near 500 numbers.
"""

NP_TANH_UP_TO_FLOAT32 = 4096
"""The same limit for float32 arrays (cells made with ``dtype=numpy.float32``).

NumPy vectorises float32 ``tanh`` (and ``exp``) with AVX2, float64 ``tanh`` only with AVX-512:
on an AVX2 machine ``np.tanh`` costs about 2.7 ns per float32 number against 14 ns per float64
one, so it stays the faster of the two up to about 4500 numbers
(``benchmarks/bench_stacked.py`` prints both costs).
"""


def reciprocal_squash_into(
    minus_scaled_z: np.ndarray, numerators: np.ndarray | float, out: np.ndarray
) -> np.ndarray:
    r"""``out = numerators / (1 + exp(minus_scaled_z))``.

    With ``minus_scaled_z = -z`` and numerator 1 this is :math:`\sigma(z)`; with
    ``-2z`` and numerator 2 it is :math:`\tanh(z) + 1`.  The LSTM's four stacked
    pre-activations get all four activations from one call (the candidate's block then
    has 1 subtracted).

    Parameters
    ----------
    minus_scaled_z : numpy.ndarray
        ``-z`` (sigmoid) or ``-2z`` (tanh), any shape (not modified).
    numerators : numpy.ndarray or float
        1 for a sigmoid, 2 for tanh + 1; broadcast against ``minus_scaled_z``.
    out : numpy.ndarray
        Receives the result, shape of ``minus_scaled_z``.

    Returns
    -------
    numpy.ndarray
        ``out``.
    """
    np.exp(minus_scaled_z, out=out)
    np.add(out, 1.0, out=out)
    return np.divide(numerators, out, out=out)


def tanh_into(z: np.ndarray, out: np.ndarray) -> np.ndarray:
    r"""``out = tanh(z)`` computed as :math:`2 / (1 + e^{-2z}) - 1`.

    Parameters
    ----------
    z : numpy.ndarray
        Arguments, any shape (not modified).
    out : numpy.ndarray
        Receives :math:`\tanh(z)`, shape of ``z``.

    Returns
    -------
    numpy.ndarray
        ``out``.
    """
    np.multiply(z, -2.0, out=out)
    reciprocal_squash_into(out, 2.0, out)
    return np.subtract(out, 1.0, out=out)


def tanh_function(size: int, dtype: object = np.float64) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """The faster of ``np.tanh`` and :func:`tanh_into` for arrays of ``size`` numbers of ``dtype``.

    Both are called as ``function(z, out)``; see :data:`NP_TANH_UP_TO` (float64) and
    :data:`NP_TANH_UP_TO_FLOAT32`.
    """
    limit = NP_TANH_UP_TO_FLOAT32 if np.dtype(dtype) == np.float32 else NP_TANH_UP_TO
    return np.tanh if size <= limit else tanh_into
