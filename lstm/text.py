"""A small character task: read text and keep track of how deep inside brackets you are.

The text is made of a few letters and the two brackets ``(`` and ``)``, for example
``ab(c(de)f)g``.  After each character the *bracket depth* is the number of brackets opened
and not yet closed::

    text    a  b  (  c  (  d  e  )  f  )  g
    depth   0  0  1  1  2  2  2  1  1  0  0

An opening bracket counts as inside (its depth is the depth after it), a closing one as
outside.  A network that reads the text one character at a time and names the depth at every
step has to *count*: add one at ``(``, subtract one at ``)`` and hold the count unchanged
across every letter in between -- a job that an LSTM's cell state, with a forget gate near 1,
can do in a single unit.  Karpathy (2015) found units like this (and units that track
quotes) in character models trained on real text; here the text is generated, so the hidden
variable is known exactly.

Everything is generated from a seed, nothing is downloaded:

* :func:`bracket_depths` -- the depth after each character of a string (the targets).
* :func:`one_hot` / :func:`decode` -- a string as one-hot rows over :data:`ALPHABET`, and back.
* :class:`BracketText` -- the task: a seeded generator of random bracketed strings whose
  ``sample(n, rng)`` returns a :class:`~lstm.training.SequenceData` (inputs ``(T, N, 10)``,
  per-step targets ``(T, N)``: the depth as a class label ``0 .. max_depth``), so
  :func:`lstm.training.train` can draw a fresh batch every step.
* :func:`bracket_text` -- a fixed set of such strings from a seed.

Reading a trained cell on such text (used by :mod:`lstm.experiments.reading_text`):

* :func:`cell_depth_correlations` -- Pearson correlation of every unit's cell state with the
  depth (by :func:`unit_correlations`, which correlates any states with any quantity; the
  character model of :mod:`lstm.char_model` uses it too).
* :func:`cell_changes` -- what one unit forgets and writes, on average, at each kind of
  character.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm.cell import LSTMCell
from lstm.training import SequenceData, SequenceModel

__all__ = [
    "ALPHABET",
    "CLOSE",
    "LETTERS",
    "OPEN",
    "BracketText",
    "bracket_depths",
    "bracket_text",
    "cell_changes",
    "cell_depth_correlations",
    "decode",
    "one_hot",
    "unit_correlations",
]

#: The letters that fill the text between brackets.
LETTERS: str = "abcdefgh"
#: The opening and the closing bracket.
OPEN: str = "("
CLOSE: str = ")"
#: Every character the task uses, in the order of the one-hot channels.
ALPHABET: str = LETTERS + OPEN + CLOSE


# --------------------------------------------------------------------------------------------
# Argument checks (messages name the argument, what was expected and what was given)
# --------------------------------------------------------------------------------------------


def _check_text(text: Any, name: str = "text") -> str:
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a string; got {type(text).__name__}")
    if not text:
        raise ValueError(f"{name} must hold at least one character; got an empty string")
    return text


def _check_alphabet(alphabet: Any) -> str:
    alphabet = _check_text(alphabet, "alphabet")
    if len(set(alphabet)) != len(alphabet):
        repeated = sorted({char for char in alphabet if alphabet.count(char) > 1})
        raise ValueError(f"alphabet must not repeat a character; got {alphabet!r} (repeats {repeated})")
    return alphabet


def _check_int(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an integer; got {value!r} ({type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value}")
    return int(value)


def _check_probability(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"{name} must be a number in (0, 1); got {value!r} ({type(value).__name__})")
    value = float(value)
    if not 0.0 < value < 1.0:
        raise ValueError(f"{name} must lie strictly between 0 and 1; got {value!r}")
    return value


def _rng(seed: Any) -> np.random.Generator:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"seed must be a non-negative integer; got {seed!r} ({type(seed).__name__})")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed}")
    return np.random.default_rng(int(seed))


# --------------------------------------------------------------------------------------------
# Targets and encoding
# --------------------------------------------------------------------------------------------


def bracket_depths(text: str, max_depth: int | None = None) -> np.ndarray:
    """The bracket depth after each character of ``text``.

    Hand-worked case: ``bracket_depths("a(b(c)d)e")`` is ``[0, 1, 1, 2, 2, 1, 1, 0, 0]``.

    Parameters
    ----------
    text : str
        The characters read; only ``(`` and ``)`` change the depth, anything else keeps it.
    max_depth : int, optional
        If given, the depth may not exceed it.

    Returns
    -------
    numpy.ndarray of int, shape (len(text),)
        ``depths[t]`` is the number of brackets open after reading ``text[t]``.

    Raises
    ------
    TypeError
        If ``text`` is not a string or ``max_depth`` not an integer.
    ValueError
        If ``text`` is empty, closes a bracket that was never opened, or goes deeper than
        ``max_depth``.
    """
    text = _check_text(text)
    if max_depth is not None:
        max_depth = _check_int("max_depth", max_depth, minimum=1)
    steps = np.array([1 if char == OPEN else -1 if char == CLOSE else 0 for char in text])
    depths = np.cumsum(steps)
    if depths.min() < 0:
        position = int(np.argmax(depths < 0))
        raise ValueError(
            f"text closes a bracket that was never opened, at position {position} of {text!r}"
        )
    if max_depth is not None and depths.max() > max_depth:
        position = int(np.argmax(depths > max_depth))
        raise ValueError(
            f"text goes deeper than max_depth={max_depth} (depth {depths.max()}), "
            f"first at position {position} of {text!r}"
        )
    return depths.astype(np.int64)


def one_hot(text: str, alphabet: str = ALPHABET) -> np.ndarray:
    """``text`` as one row per character, with a single 1 in that character's column.

    Hand-worked case: with ``alphabet="ab()"``, ``one_hot("(a)")`` is
    ``[[0, 0, 1, 0], [1, 0, 0, 0], [0, 0, 0, 1]]``.

    Parameters
    ----------
    text : str
        The characters to encode.
    alphabet : str, default :data:`ALPHABET`
        The characters in column order (no repeats).

    Returns
    -------
    numpy.ndarray of float, shape (len(text), len(alphabet))

    Raises
    ------
    TypeError
        If ``text`` or ``alphabet`` is not a string.
    ValueError
        If either is empty, ``alphabet`` repeats a character, or ``text`` holds a character
        that is not in ``alphabet``.
    """
    text = _check_text(text)
    alphabet = _check_alphabet(alphabet)
    unknown = sorted(set(text) - set(alphabet))
    if unknown:
        raise ValueError(f"text holds characters {unknown} that are not in the alphabet {alphabet!r}")
    columns = np.array([alphabet.index(char) for char in text])
    encoded = np.zeros((len(text), len(alphabet)))
    encoded[np.arange(len(text)), columns] = 1.0
    return encoded


def decode(encoded: np.ndarray, alphabet: str = ALPHABET) -> str:
    """The string whose :func:`one_hot` encoding is ``encoded`` (the column of each row's 1).

    Parameters
    ----------
    encoded : numpy.ndarray, shape (T, len(alphabet))
        One-hot rows.
    alphabet : str, default :data:`ALPHABET`

    Returns
    -------
    str
        ``T`` characters.

    Raises
    ------
    ValueError
        If ``encoded`` does not have one column per character of ``alphabet`` or a row is not
        one-hot.
    """
    alphabet = _check_alphabet(alphabet)
    encoded = np.asarray(encoded)
    if encoded.ndim != 2 or encoded.shape[1] != len(alphabet):
        raise ValueError(
            f"encoded must have shape (T, {len(alphabet)}) (one column per character of the "
            f"alphabet); got {encoded.shape}"
        )
    if not (np.all((encoded == 0) | (encoded == 1)) and np.all(encoded.sum(axis=1) == 1)):
        raise ValueError("encoded must hold exactly one 1 per row and zeros elsewhere")
    return "".join(alphabet[column] for column in encoded.argmax(axis=1))


# --------------------------------------------------------------------------------------------
# The task
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BracketText:
    """Random strings of letters and nested brackets; name the bracket depth at every step.

    Each string is written left to right.  At every position a uniform number ``u`` decides:
    an opening bracket if ``u < open_probability`` and the depth is below ``max_depth``; a
    closing bracket if ``open_probability <= u < open_probability + close_probability`` and
    a bracket is open; a letter drawn uniformly from :data:`LETTERS` otherwise.  So the text
    never closes a bracket it did not open and never nests deeper than ``max_depth``; a
    string may end with brackets still open (the reader cannot know where the text is cut).

    The inputs are one-hot over :data:`ALPHABET` (10 channels); the target at step ``t`` is
    the depth after character ``t`` (:func:`bracket_depths`), a class label in
    ``0 .. max_depth``.

    Parameters
    ----------
    length : int
        Characters per string ``T`` (at least 1).
    max_depth : int, default 3
        Deepest nesting.
    open_probability, close_probability : float, default 0.2, 0.2
        Chances of trying to open or close a bracket at a position; their sum must stay
        below 1 (the rest are letters).

    Raises
    ------
    TypeError, ValueError
        If an argument has the wrong type or is out of range (the message names it).
    """

    length: int
    max_depth: int = 3
    open_probability: float = 0.2
    close_probability: float = 0.2

    def __post_init__(self) -> None:
        _check_int("length", self.length, minimum=1)
        _check_int("max_depth", self.max_depth, minimum=1)
        opening = _check_probability("open_probability", self.open_probability)
        closing = _check_probability("close_probability", self.close_probability)
        if opening + closing >= 1.0:
            raise ValueError(
                "open_probability + close_probability must be below 1 (the rest are letters); "
                f"got {opening} + {closing} = {opening + closing}"
            )

    @property
    def input_size(self) -> int:
        """Number of input channels, one per character of :data:`ALPHABET`."""
        return len(ALPHABET)

    @property
    def num_classes(self) -> int:
        """Number of possible depths, ``max_depth + 1``."""
        return self.max_depth + 1

    def texts(self, num_examples: int, rng: np.random.Generator) -> list[str]:
        """Draw ``num_examples`` strings with ``rng``.

        Returns
        -------
        list of str
            ``num_examples`` strings of ``length`` characters.

        Raises
        ------
        TypeError, ValueError
            If ``num_examples`` is not a positive integer or ``rng`` not a NumPy generator.
        """
        codes = self._codes(num_examples, rng)
        return ["".join(ALPHABET[code] for code in codes[:, example]) for example in range(codes.shape[1])]

    def _codes(self, num_examples: int, rng: np.random.Generator) -> np.ndarray:
        """Column of :data:`ALPHABET` for each character, shape ``(length, num_examples)``."""
        num_examples = _check_int("num_examples", num_examples, minimum=1)
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator; got {type(rng).__name__}")
        draws = rng.random((self.length, num_examples))
        letters = rng.integers(0, len(LETTERS), size=(self.length, num_examples))
        open_code, close_code = ALPHABET.index(OPEN), ALPHABET.index(CLOSE)
        depth = np.zeros(num_examples, dtype=np.int64)
        codes = np.empty((self.length, num_examples), dtype=np.int64)
        close_limit = self.open_probability + self.close_probability
        for t in range(self.length):  # one vectorised step per position: the depth is a loop
            opening = (draws[t] < self.open_probability) & (depth < self.max_depth)
            closing = (draws[t] >= self.open_probability) & (draws[t] < close_limit) & (depth > 0)
            codes[t] = np.where(opening, open_code, np.where(closing, close_code, letters[t]))
            depth += opening.astype(np.int64) - closing.astype(np.int64)
        return codes

    def sample(self, num_examples: int, rng: np.random.Generator) -> SequenceData:
        """Draw ``num_examples`` strings with ``rng``, encoded for training.

        Returns
        -------
        SequenceData
            ``xs`` of shape ``(length, N, 10)`` (one-hot characters), ``targets`` of shape
            ``(length, N)`` (int depths), no ``lengths``; ``info["texts"]`` holds the strings.
        """
        codes = self._codes(num_examples, rng)
        xs = np.zeros((self.length, codes.shape[1], len(ALPHABET)))
        np.put_along_axis(xs, codes[..., None], 1.0, axis=2)
        steps = (codes == ALPHABET.index(OPEN)).astype(np.int64) - (codes == ALPHABET.index(CLOSE))
        depths = np.cumsum(steps, axis=0)
        texts = ["".join(ALPHABET[code] for code in codes[:, example]) for example in range(codes.shape[1])]
        info = {
            "task": "bracket_depth",
            "length": self.length,
            "max_depth": self.max_depth,
            "open_probability": self.open_probability,
            "close_probability": self.close_probability,
            "alphabet": ALPHABET,
            "texts": texts,
            "per_step": True,
        }
        return SequenceData(xs, depths, None, info)


def bracket_text(
    num_examples: int,
    length: int,
    max_depth: int = 3,
    open_probability: float = 0.2,
    close_probability: float = 0.2,
    seed: int = 0,
) -> SequenceData:
    """A fixed set of bracketed strings with their depths (see :class:`BracketText`).

    Parameters
    ----------
    num_examples : int
        Number of strings ``N``.
    length, max_depth, open_probability, close_probability
        As in :class:`BracketText`.
    seed : int, default 0
        Seed of the random text; the same seed always gives the same strings.

    Returns
    -------
    SequenceData
        ``xs`` (length, N, 10), ``targets`` (length, N) int depths, ``info["texts"]``.

    Raises
    ------
    TypeError, ValueError
        If an argument has the wrong type or is out of range.
    """
    task = BracketText(
        length=length,
        max_depth=max_depth,
        open_probability=open_probability,
        close_probability=close_probability,
    )
    return task.sample(num_examples, _rng(seed))


# --------------------------------------------------------------------------------------------
# Reading a trained cell
# --------------------------------------------------------------------------------------------


def cell_depth_correlations(model: SequenceModel, data: SequenceData) -> np.ndarray:
    """Pearson correlation of each unit's cell state with the depth, over every step of ``data``.

    Parameters
    ----------
    model : SequenceModel
        A model whose cell is an :class:`~lstm.LSTMCell`.
    data : SequenceData
        Text with per-step depth targets, e.g. from :func:`lstm.text.bracket_text`.

    Returns
    -------
    numpy.ndarray, shape (hidden_size,)
        One correlation per unit, in [-1, 1]; 0 for a unit whose cell state never changes.

    Raises
    ------
    TypeError
        If ``model`` or ``data`` has the wrong type.
    ValueError
        If ``data`` does not hold one target per step.
    """
    if not isinstance(model, SequenceModel) or not isinstance(model.cell, LSTMCell):
        raise TypeError(f"model must be a SequenceModel with an LSTMCell; got {type(model).__name__}")
    if not isinstance(data, SequenceData):
        raise TypeError(f"data must be SequenceData; got {type(data).__name__}")
    if data.targets.shape != (data.num_steps, data.num_examples):
        raise ValueError(
            f"data must hold one depth per step, targets of shape ({data.num_steps}, "
            f"{data.num_examples}); got {data.targets.shape}"
        )
    cells = model.run_cell(data.xs).c.reshape(-1, model.cell.hidden_size)
    return unit_correlations(cells, data.targets.reshape(-1))


def unit_correlations(states: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Pearson correlation of each unit's state with one quantity, over every step given.

    Hand-worked case: states ``[[0, 1], [1, 1], [2, 1]]`` against values ``[0, 2, 4]`` give
    ``[1, 0]``: the first unit rises with the values along a straight line, the second never
    changes (0 by convention).

    Parameters
    ----------
    states : numpy.ndarray, shape (steps, hidden_size)
        One row per step: the units' cell states (or any other state).
    values : numpy.ndarray, shape (steps,)
        The quantity at each step (a bracket depth, 1 inside a string and 0 outside, ...).

    Returns
    -------
    numpy.ndarray, shape (hidden_size,)
        One correlation per unit, in [-1, 1]; 0 for a unit whose state never changes, and for
        every unit if the quantity never changes.

    Raises
    ------
    ValueError
        If the shapes do not fit together.
    """
    states = np.asarray(states, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    if states.ndim != 2 or values.shape != (states.shape[0],):
        raise ValueError(
            "states must have shape (steps, hidden_size) and values shape (steps,); "
            f"got {states.shape} and {values.shape}"
        )
    states_centred = states - states.mean(axis=0)
    values_centred = values - values.mean()
    spread = np.sqrt((states_centred**2).sum(axis=0) * (values_centred**2).sum())
    covariance = states_centred.T @ values_centred
    return np.divide(covariance, spread, out=np.zeros_like(covariance), where=spread > 0)


def cell_changes(
    model: SequenceModel, data: SequenceData, unit: int
) -> tuple[dict[str, float], dict[str, float]]:
    r"""How one unit changes its cell state at each kind of character, split into two parts.

    The cell-state update gives :math:`c_t - c_{t-1} = (f_t - 1)\,c_{t-1} + i_t \tilde{c}_t`:
    what is forgotten plus what is written.  Both parts are averaged over every step of
    ``data`` whose character is ``"("``, ``")"`` or a letter.

    Hand-worked case: a unit with forget and input gates at 1 and candidate ``tanh(1)`` at
    ``"("``, ``-tanh(1)`` at ``")"`` and 0 at letters forgets nothing and writes
    ``+0.7616``, ``-0.7616`` and ``0``.

    Parameters
    ----------
    model : SequenceModel
        A model whose cell is an :class:`~lstm.LSTMCell`.
    data : SequenceData
        One-hot text over :data:`lstm.text.ALPHABET`, e.g. from :func:`lstm.text.bracket_text`.
    unit : int
        Which unit (from 0).

    Returns
    -------
    forgotten, written : dict of str to float
        Means of :math:`(f_t - 1)\,c_{t-1}` and of :math:`i_t \tilde{c}_t`, keys ``"("``,
        ``")"`` and ``"letter"`` (NaN for a kind of character that does not occur).

    Raises
    ------
    TypeError
        If ``model`` or ``data`` has the wrong type or ``unit`` is not an integer.
    ValueError
        If ``data`` is not one-hot over the alphabet or ``unit`` is out of range.
    """
    if not isinstance(model, SequenceModel) or not isinstance(model.cell, LSTMCell):
        raise TypeError(f"model must be a SequenceModel with an LSTMCell; got {type(model).__name__}")
    if not isinstance(data, SequenceData):
        raise TypeError(f"data must be SequenceData; got {type(data).__name__}")
    if data.input_size != len(ALPHABET):
        raise ValueError(
            f"data must be one-hot over the {len(ALPHABET)} characters {ALPHABET!r}; "
            f"got {data.input_size} input channels"
        )
    unit = _check_int("unit", unit, 0)
    if unit >= model.cell.hidden_size:
        raise ValueError(f"unit must be below hidden_size={model.cell.hidden_size}; got {unit}")
    trace = model.run_cell(data.xs)
    writes = trace.i[..., unit] * trace.c_tilde[..., unit]
    forgets = (trace.f[..., unit] - 1.0) * trace.c_prev[..., unit]
    characters = data.xs.argmax(axis=-1)
    opening, closing = characters == ALPHABET.index(OPEN), characters == ALPHABET.index(CLOSE)
    where = {OPEN: opening, CLOSE: closing, "letter": ~opening & ~closing}

    def mean(values: np.ndarray, mask: np.ndarray) -> float:
        return float(values[mask].mean()) if mask.any() else float("nan")

    written = {name: mean(writes, mask) for name, mask in where.items()}
    forgotten = {name: mean(forgets, mask) for name, mask in where.items()}
    return forgotten, written
