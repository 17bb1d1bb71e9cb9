"""Input checks shared by the cells.

Every check raises ``TypeError`` (wrong kind of value) or ``ValueError``
(right kind, wrong shape or content) with a message that names the argument,
says what was expected and what was given, for example::

    x has shape (3, 5); expected (batch, 4) to match input_size=4

Nothing is silently broadcast and no NaN or infinity gets into the maths.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np


def check_size(value: object, name: str) -> int:
    """Return ``value`` as a positive ``int`` or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer; got {value!r} ({type(value).__name__})")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value}")
    return int(value)


def as_float_array(value: object, name: str, dtype: np.dtype | type = np.float64) -> np.ndarray:
    """Convert ``value`` to a finite floating-point array or raise naming ``name``.

    Parameters
    ----------
    value : array_like
        Numbers (int, float, nested lists, arrays). Strings, ``None``, complex
        numbers and objects are refused.
    name : str
        The argument's name, used in error messages.
    dtype : numpy dtype
        The floating type to convert to.

    Returns
    -------
    numpy.ndarray
        A new array (never a view of the caller's data) of ``dtype``.

    Raises
    ------
    TypeError
        If ``value`` is not made of real numbers.
    ValueError
        If any value is NaN or infinite.
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array of real numbers; got {type(value).__name__}")
    try:
        array = np.asarray(value)
    except ValueError as error:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array of numbers; got {value!r}") from error
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must be an array of real numbers; got an array of dtype {array.dtype}"
        )
    array = np.array(array, dtype=dtype)
    if not np.all(np.isfinite(array)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(
            f"{name} must contain only finite numbers; got {array[bad]} at index {bad}"
        )
    return array


def check_shape(array: np.ndarray, name: str, expected: Sequence[int], described: str) -> None:
    """Raise ``ValueError`` unless ``array.shape == expected``.

    ``described`` is the human-readable expected shape, e.g. ``"(batch, 4) to
    match input_size=4"``.
    """
    if array.shape != tuple(expected):
        raise ValueError(f"{name} has shape {array.shape}; expected {described}")


def as_lengths(value: object, batch: int, steps: int) -> np.ndarray:
    """Check per-row sequence lengths: integers in ``[1, steps]``, one per row.

    Parameters
    ----------
    value : array_like of int
        The lengths.
    batch : int
        Number of rows in the batch.
    steps : int
        Number of time steps ``T`` of the padded sequence.

    Returns
    -------
    numpy.ndarray
        The lengths as an ``int64`` array of shape ``(batch,)``.
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"lengths must be an array of integers; got {type(value).__name__}")
    lengths = np.asarray(value)
    if lengths.dtype.kind not in "iu":
        if lengths.dtype.kind == "f" and np.all(np.isfinite(lengths)) and np.all(
            lengths == np.round(lengths)
        ):
            lengths = lengths.astype(np.int64)
        else:
            raise TypeError(f"lengths must be whole numbers; got an array of dtype {lengths.dtype}")
    if lengths.shape != (batch,):
        raise ValueError(
            f"lengths has shape {lengths.shape}; expected ({batch},), one length per batch row"
        )
    if lengths.size and (lengths.min() < 1 or lengths.max() > steps):
        raise ValueError(
            f"lengths must lie between 1 and T={steps}; got values from {lengths.min()} "
            f"to {lengths.max()}"
        )
    return lengths.astype(np.int64)


def check_step_inputs(
    x: object,
    states: dict[str, object],
    input_size: int,
    hidden_size: int,
    dtype: np.dtype | type = np.float64,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Check one step's input ``x`` and its previous states (``h_prev``, ``c_prev``).

    ``x`` is ``(input_size,)`` or ``(batch, input_size)``; each state must then be
    ``(hidden_size,)`` or ``(batch, hidden_size)`` respectively (``None`` means
    zeros).  Returns the arrays, states in the order of ``states``.
    """
    x = as_float_array(x, "x", dtype)
    if x.ndim == 1:
        check_shape(x, "x", (input_size,), f"({input_size},) to match input_size={input_size}")
        state_shape, described = (hidden_size,), f"({hidden_size},) like x, which is unbatched"
    elif x.ndim == 2:
        check_shape(
            x, "x", (x.shape[0], input_size),
            f"(batch, {input_size}) to match input_size={input_size}",
        )
        state_shape = (x.shape[0], hidden_size)
        described = f"(batch, hidden) = {state_shape} to match x's batch of {x.shape[0]}"
    else:
        raise ValueError(
            f"x has shape {x.shape}; expected ({input_size},) or (batch, {input_size}) "
            f"to match input_size={input_size}"
        )
    checked = []
    for name, value in states.items():
        if value is None:
            checked.append(np.zeros(state_shape, dtype=dtype))
            continue
        state = as_float_array(value, name, dtype)
        check_shape(state, name, state_shape, described)
        checked.append(state)
    return x, checked


def check_run_inputs(
    xs: object,
    states: dict[str, object],
    lengths: object,
    input_size: int,
    hidden_size: int,
    dtype: np.dtype | type = np.float64,
) -> tuple[np.ndarray, list[np.ndarray], np.ndarray | None, bool]:
    """Check a whole sequence for ``run``.

    Returns ``(xs, states, lengths, batched)`` where ``xs`` and the states always
    carry a batch axis (``(T, batch, input)``, ``(batch, hidden)``) so that the
    loop can be written once; ``batched`` says whether the caller gave one.
    """
    xs = as_float_array(xs, "xs", dtype)
    if xs.ndim == 2:
        check_shape(
            xs, "xs", (xs.shape[0], input_size),
            f"(T, {input_size}) to match input_size={input_size}",
        )
        batched = False
        xs = xs[:, None, :]
    elif xs.ndim == 3:
        check_shape(
            xs, "xs", (xs.shape[0], xs.shape[1], input_size),
            f"(T, batch, {input_size}) to match input_size={input_size}",
        )
        batched = True
    else:
        raise ValueError(
            f"xs has shape {xs.shape}; expected (T, {input_size}) or (T, batch, {input_size}) "
            f"to match input_size={input_size}"
        )
    steps, batch = xs.shape[0], xs.shape[1]
    if steps == 0:
        raise ValueError("xs has 0 time steps; expected at least one")
    if batch == 0:
        raise ValueError("xs has a batch of 0 rows; expected at least one")
    checked = []
    for name, value in states.items():
        if value is None:
            checked.append(np.zeros((batch, hidden_size), dtype=dtype))
            continue
        state = as_float_array(value, name, dtype)
        if batched:
            check_shape(
                state, name, (batch, hidden_size),
                f"(batch, hidden) = {(batch, hidden_size)} to match xs",
            )
            checked.append(state)
        else:
            check_shape(state, name, (hidden_size,), f"({hidden_size},) like xs, which is unbatched")
            checked.append(state[None, :])
    if lengths is not None:
        if not batched:
            raise ValueError(
                "lengths was given but xs is unbatched (T, input); lengths needs xs of shape "
                "(T, batch, input)"
            )
        lengths = as_lengths(lengths, batch, steps)
    return xs, checked, lengths, batched


def check_gradient(value: object, name: str, shape: tuple[int, ...], dtype=np.float64) -> np.ndarray:
    """Check an incoming gradient: finite, and exactly the shape of what it differentiates."""
    gradient = as_float_array(value, name, dtype)
    check_shape(gradient, name, shape, f"{shape}, the shape of the values it is the gradient of")
    return gradient


def check_integer(value: object, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an ``int`` of at least ``minimum``, or raise ``ValueError`` naming ``name``.

    Booleans are refused (``True`` is not a count).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def check_number(value: object, name: str, minimum: float | None = None) -> float:
    """Return ``value`` as a finite ``float`` (at least ``minimum`` if given), or raise ``ValueError``.

    Booleans are refused; the message names ``name``, the bound and the value given.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number; got {value!r}")
    value = float(value)
    if not np.isfinite(value) or (minimum is not None and value < minimum):
        bound = f" >= {minimum}" if minimum is not None else ""
        raise ValueError(f"{name} must be a finite number{bound}; got {value!r}")
    return value
