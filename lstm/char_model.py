"""A character model of real text: Python's own source, read one character at a time.

The text is thirteen modules of Python's standard library (CPython 3.11.7), kept as a snapshot in
``data/python-stdlib/`` so that every machine reads the same bytes (the standard library
changes between patch releases).  The model reads the characters one-hot and predicts the
next one at every step: a :class:`~lstm.models.SequenceModel` with an :class:`~lstm.LSTMCell`
and ``output_at="every"``, trained by :func:`lstm.training.train` or, ten seeds at once, by
:func:`lstm.stacked.train_many`, like every model of the book.

* :func:`read_module`, :func:`training_text`, :func:`held_out_text` -- the text: twelve modules
  to learn from, a thirteenth that the model never reads in training.
* :class:`Vocabulary` -- the characters, their codes and their one-hot rows
  (:func:`lstm.text.one_hot`).
* :class:`CharWindows` -- the task: windows of the training text drawn at random, the target
  at every step the character that follows.
* :func:`unigram_bits`, :func:`bigram_bits` -- the baselines, counted from the training text.
* :func:`bits_per_character` -- a model's loss on a text, in bits per character.
* :func:`sample_text` -- text written by a model, one character at a time, at a temperature.
* :func:`source_features` -- what a reader of Python source keeps track of at every character:
  inside a string, inside a comment, bracket depth, column and indentation.

Bits per character are the cross-entropy of @eq-cross-entropy in base 2: a model that gives
the true next character probability :math:`p` pays :math:`-\\log_2 p` bits for it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lstm._checks import check_integer, check_number
from lstm.cell import LSTMCell
from lstm.data import SequenceData
from lstm.losses import softmax
from lstm.models import SequenceModel
from lstm.text import one_hot

__all__ = [
    "CORPUS_DIR",
    "FEATURES",
    "HELD_OUT_MODULE",
    "SNAPSHOT_SHA256",
    "TRAINING_MODULES",
    "CharWindows",
    "Vocabulary",
    "bigram_bits",
    "bits_per_character",
    "held_out_text",
    "read_module",
    "sample_text",
    "source_features",
    "training_text",
    "unigram_bits",
]

#: Where the snapshot of the thirteen modules lives.
CORPUS_DIR: Path = Path(__file__).resolve().parent.parent / "data" / "python-stdlib"

#: The modules the model learns from, in the order they are joined (dotted module names).
TRAINING_MODULES: tuple[str, ...] = (
    "textwrap", "string", "queue", "copy", "glob", "sched", "abc", "numbers", "operator",
    "json.decoder", "json.encoder", "csv",
)

#: The module kept back to score the model on text it never read.
HELD_OUT_MODULE: str = "graphlib"

#: SHA-256 of each snapshot file ``data/python-stdlib/<module>.py.txt`` (CPython 3.11.7's
#: ``Lib/<module path>.py``).
SNAPSHOT_SHA256: dict[str, str] = {
    "textwrap": "62867e40cdea6669b361f72af4d7daf0359f207c92cbeddfc7c7506397c1f31c",
    "string": "24aeae1f0526250f442022022bf98df9a823b1cb330543ee79e70e44907462e9",
    "queue": "f6c37fc37cd7440979f7d22d40ee818fa3b714c573610c08fa52911d541193f0",
    "copy": "27dcfc53a4b9d4fbc3d90c74e549eb6eca9301524d6d2fbff9a6589cf51b6fd5",
    "glob": "fa579f8a50a66313d34d339f10be0821c9b4fed6207e8ba8e29ed1c5e119f740",
    "sched": "edfb309483d7cb05e06ad86d1fdeb819629f71402dc6710a1bec36c7afcaac50",
    "abc": "16a41c547e7c10342698791f0ad01f427f953e90217c5a45f71e8caea26e43cd",
    "numbers": "6d70991643a109e9c99e94d6ea2734a995fa8e89114a70ea09737413fa9ae292",
    "operator": "b2af20f67667203c1730e686cc5d0427becc94db4c97f1d3efe3ed2158473f6a",
    "json.decoder": "9f02654649816145bc76f8c210a5fe3ba1de142d4d97a1c93105732e747c285b",
    "json.encoder": "7c358788fbb2a6a07f66f1f8446c52396f35fc201108f666d5be002d86f31af2",
    "csv": "6c68a5186e3b85e6e267a7ef96479327a45ae2b40bf5e9f2017e4b2282b3f5b1",
    "graphlib": "7bd338c5a475d1101064603d3baa5507446d3c5e73f741f6d6e77c6204c1eb65",
}

#: The quantities of :func:`source_features`, in the order the chapter shows them.
FEATURES: tuple[str, ...] = ("in_string", "in_comment", "bracket_depth", "column", "indentation")

_OPENING, _CLOSING = "([{", ")]}"


# --------------------------------------------------------------------------------------------
# The text
# --------------------------------------------------------------------------------------------


def read_module(name: str) -> str:
    """The snapshot of one module (a dotted name such as ``"json.decoder"``), checked against
    :data:`SNAPSHOT_SHA256`.

    Raises
    ------
    ValueError
        If ``name`` is not one of the thirteen modules, or the file's bytes are not the snapshot's.
    """
    if name not in SNAPSHOT_SHA256:
        raise ValueError(f"name must be one of {sorted(SNAPSHOT_SHA256)}; got {name!r}")
    raw = (CORPUS_DIR / f"{name}.py.txt").read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SNAPSHOT_SHA256[name]:
        raise ValueError(f"data/python-stdlib/{name}.py.txt is not the snapshot (SHA-256 {digest})")
    return raw.decode("utf-8")


def training_text() -> str:
    """The modules of :data:`TRAINING_MODULES`, joined in that order (139,134 characters)."""
    return "".join(read_module(name) for name in TRAINING_MODULES)


def held_out_text() -> str:
    """The module :data:`HELD_OUT_MODULE`, never read in training (9,656 characters)."""
    return read_module(HELD_OUT_MODULE)


@dataclass(frozen=True)
class Vocabulary:
    """The characters a model reads and writes, in the order of its one-hot channels.

    Parameters
    ----------
    characters : str
        Every character once; :meth:`from_text` takes them sorted from a text.
    """

    characters: str

    def __post_init__(self) -> None:
        if not isinstance(self.characters, str) or not self.characters:
            raise ValueError(f"characters must be a non-empty string; got {self.characters!r}")
        if len(set(self.characters)) != len(self.characters):
            raise ValueError("characters must not repeat a character")

    @classmethod
    def from_text(cls, *texts: str) -> Vocabulary:
        """Every character that occurs in ``texts``, sorted by code point."""
        return cls("".join(sorted(set("".join(texts)))))

    @property
    def size(self) -> int:
        """Number of characters ``V``."""
        return len(self.characters)

    def encode(self, text: str) -> np.ndarray:
        """The code (index in :attr:`characters`) of each character, shape ``(len(text),)``.

        Raises
        ------
        ValueError
            If ``text`` holds a character that is not in the vocabulary.
        """
        index = {char: code for code, char in enumerate(self.characters)}
        unknown = sorted(set(text) - set(index))
        if unknown:
            raise ValueError(f"text holds characters {unknown} that are not in the vocabulary")
        return np.array([index[char] for char in text], dtype=np.int64)

    def decode(self, codes: Any) -> str:
        """The characters of ``codes`` (the inverse of :meth:`encode`)."""
        return "".join(self.characters[int(code)] for code in np.asarray(codes).reshape(-1))

    def one_hot(self, text: str) -> np.ndarray:
        """``text`` as one-hot rows, shape ``(len(text), V)`` (:func:`lstm.text.one_hot`)."""
        return one_hot(text, self.characters)

    def reading(self, text: str) -> SequenceData:
        """``text`` as one sequence to read: inputs ``text[:-1]``, targets the next characters.

        Returns
        -------
        SequenceData
            ``xs`` of shape ``(len(text) - 1, 1, V)``, ``targets`` ``(len(text) - 1, 1)``.
        """
        if len(text) < 2:
            raise ValueError(f"text must hold at least 2 characters; got {len(text)}")
        codes = self.encode(text)
        return SequenceData(self.one_hot(text[:-1])[:, None, :], codes[1:, None], None,
                            {"task": "next_character", "text": text})


@dataclass(frozen=True)
class CharWindows:
    """Windows of a text drawn at random: read ``length`` characters, name each next one.

    ``sample(n, rng)`` draws ``n`` starting places uniformly and returns the windows one-hot
    (inputs) with the character that follows each one (targets), so that
    :func:`lstm.training.train` draws fresh windows at every step.

    Parameters
    ----------
    codes : numpy.ndarray of int, shape (L,)
        The text, encoded by a :class:`Vocabulary`.
    vocabulary_size : int
        ``V``, the number of one-hot channels.
    length : int
        Characters read per window ``T`` (below ``L``).
    """

    codes: np.ndarray
    vocabulary_size: int
    length: int

    def __post_init__(self) -> None:
        check_integer(self.vocabulary_size, "vocabulary_size")
        check_integer(self.length, "length")
        codes = np.asarray(self.codes)
        if codes.ndim != 1 or codes.dtype.kind not in "iu" or codes.size <= self.length:
            raise ValueError(f"codes must be a 1-D integer array longer than length={self.length}; "
                             f"got dtype {codes.dtype} and shape {codes.shape}")
        if codes.min() < 0 or codes.max() >= self.vocabulary_size:
            raise ValueError(f"codes must lie in 0..{self.vocabulary_size - 1}; "
                             f"got {codes.min()}..{codes.max()}")

    def sample(self, num_examples: int, rng: np.random.Generator) -> SequenceData:
        """``num_examples`` windows: ``xs`` ``(T, N, V)`` one-hot, ``targets`` ``(T, N)`` codes."""
        num_examples = check_integer(num_examples, "num_examples")
        starts = rng.integers(0, self.codes.size - self.length, size=num_examples)
        windows = self.codes[starts[None, :] + np.arange(self.length + 1)[:, None]]   # (T + 1, N)
        xs = np.zeros((self.length, num_examples, self.vocabulary_size))
        np.put_along_axis(xs, windows[:-1, :, None], 1.0, axis=2)
        return SequenceData(xs, windows[1:], None, {"task": "next_character", "length": self.length})


# --------------------------------------------------------------------------------------------
# Baselines and scores, in bits per character
# --------------------------------------------------------------------------------------------


def _codes(codes: Any, name: str, vocabulary_size: int, minimum: int) -> np.ndarray:
    codes = np.asarray(codes)
    if codes.ndim != 1 or codes.dtype.kind not in "iu" or codes.size < minimum:
        raise ValueError(f"{name} must be a 1-D integer array of at least {minimum} codes; "
                         f"got dtype {codes.dtype} and shape {codes.shape}")
    if codes.min() < 0 or codes.max() >= vocabulary_size:
        raise ValueError(f"{name} must lie in 0..{vocabulary_size - 1}; got {codes.min()}..{codes.max()}")
    return codes


def unigram_bits(training: Any, scored: Any, vocabulary_size: int) -> float:
    r"""Bits per character of the unigram model: every character by its frequency in ``training``.

    The probability of character :math:`k` is :math:`(n_k + 1) / (L + V)`, its count in the
    training text plus one (add-one smoothing, so that a character the training text lacks
    does not cost infinitely many bits).  Every character of ``scored`` but the first is scored,
    like the models, which predict character :math:`t + 1` from the characters up to :math:`t`.

    Hand-worked case: training ``aab`` (codes 0, 0, 1), ``V = 2``: :math:`p(a) = 3/5`,
    :math:`p(b) = 2/5`; scoring ``ab`` costs :math:`-\log_2 (2/5) = 1.3219` bits.
    """
    vocabulary_size = check_integer(vocabulary_size, "vocabulary_size")
    training = _codes(training, "training", vocabulary_size, 1)
    scored = _codes(scored, "scored", vocabulary_size, 2)
    counts = np.bincount(training, minlength=vocabulary_size)
    probabilities = (counts + 1.0) / (training.size + vocabulary_size)
    return float(-np.mean(np.log2(probabilities[scored[1:]])))


def bigram_bits(training: Any, scored: Any, vocabulary_size: int) -> float:
    r"""Bits per character of the bigram model: the next character given the one before.

    :math:`p(k \mid j) = (n_{jk} + 1) / (n_j + V)`, where :math:`n_{jk}` counts how often
    :math:`k` follows :math:`j` in ``training`` and :math:`n_j` how often :math:`j` is followed
    by anything (add-one smoothing, as in :func:`unigram_bits`).

    Hand-worked case: training ``aab``, ``V = 2``: ``a`` is followed once by ``a`` and once by
    ``b``, so :math:`p(b \mid a) = 2/4`; scoring ``ab`` costs exactly 1 bit.
    """
    vocabulary_size = check_integer(vocabulary_size, "vocabulary_size")
    training = _codes(training, "training", vocabulary_size, 2)
    scored = _codes(scored, "scored", vocabulary_size, 2)
    counts = np.ones((vocabulary_size, vocabulary_size))
    np.add.at(counts, (training[:-1], training[1:]), 1.0)
    probabilities = counts / counts.sum(axis=1, keepdims=True)
    return float(-np.mean(np.log2(probabilities[scored[:-1], scored[1:]])))


def bits_per_character(model: SequenceModel, data: SequenceData) -> float:
    """A model's mean cross-entropy on ``data`` (from :meth:`Vocabulary.reading`) in bits per character.

    It is the model's own loss (:meth:`~lstm.models.ModelBase.evaluate`, in nats) divided by
    :math:`\\ln 2`.
    """
    if not isinstance(model, SequenceModel) or model.output_at != "every":
        raise TypeError(f"model must be a SequenceModel with output_at='every'; got {type(model).__name__}")
    if not isinstance(data, SequenceData):
        raise TypeError(f"data must be SequenceData (Vocabulary.reading(text)); got {type(data).__name__}")
    return float(model.evaluate(data) / np.log(2.0))


# --------------------------------------------------------------------------------------------
# Writing text
# --------------------------------------------------------------------------------------------


def sample_text(
    model: SequenceModel,
    vocabulary: Vocabulary,
    prompt: str,
    length: int,
    temperature: float = 1.0,
    seed: int = 0,
) -> str:
    r"""Text written by ``model``: read ``prompt``, then draw one character after the other.

    At each step the model's outputs (logits) :math:`z` are divided by the temperature
    :math:`\tau` before the softmax, :math:`p_k \propto e^{z_k / \tau}`; the character drawn
    is read as the next input.  :math:`\tau < 1` sharpens the distribution towards the likeliest
    characters, :math:`\tau > 1` flattens it towards uniform.

    Parameters
    ----------
    model : SequenceModel
        A trained character model (:class:`~lstm.LSTMCell`, one output per character).
    vocabulary : Vocabulary
        Its characters.
    prompt : str
        At least one character to start from.
    length : int
        Characters to write after the prompt.
    temperature : float, default 1.0
        :math:`\tau > 0`.
    seed : int, default 0
        Seed of the draws.

    Returns
    -------
    str
        ``prompt`` followed by ``length`` new characters.
    """
    if not isinstance(model, SequenceModel) or not isinstance(model.cell, LSTMCell):
        raise TypeError(f"model must be a SequenceModel with an LSTMCell; got {type(model).__name__}")
    if not isinstance(vocabulary, Vocabulary):
        raise TypeError(f"vocabulary must be a Vocabulary; got {type(vocabulary).__name__}")
    if not isinstance(prompt, str) or not prompt:
        raise ValueError(f"prompt must be a non-empty string; got {prompt!r}")
    length = check_integer(length, "length")
    temperature = check_number(temperature, "temperature", minimum=0.0)
    if temperature <= 0:
        raise ValueError(f"temperature must be positive; got {temperature}")
    rng = np.random.default_rng(check_integer(seed, "seed", minimum=0))
    inputs = vocabulary.one_hot(prompt)
    trace = model.cell.run(inputs[:, None, :])
    h, c = trace.h[-1], trace.c[-1]                                # (1, H)
    written = []
    for _ in range(length):
        logits = model.readout.forward(h)[0]
        probabilities = softmax(logits / temperature)
        code = int(rng.choice(vocabulary.size, p=probabilities))
        written.append(vocabulary.characters[code])
        step = model.cell.step(np.eye(vocabulary.size)[code][None, :], h, c)
        h, c = step.h, step.c
    return prompt + "".join(written)


# --------------------------------------------------------------------------------------------
# What a reader of Python source keeps track of
# --------------------------------------------------------------------------------------------


def source_features(text: str) -> dict[str, np.ndarray]:
    """What is true of Python source after each character: the quantities a unit may follow.

    A small scanner reads ``text`` as Python does: ``#`` starts a comment up to the end of the
    line; a quote (``'``, ``"`` or three of either) starts a string that the same quote ends;
    inside a string a backslash protects the next character.  Prefixes such as ``r`` or ``f``
    are ordinary letters before the quote.  Each value is the state *after* reading the
    character, as with the bracket depth of @sec-reading-text: an opening quote is already
    inside the string, a closing one outside.

    Hand-worked case: for ``x = ("a#", 1)  # c`` the string is open after ``"a#`` (3
    characters), the depth is 1 from ``(`` to just before ``)``, the comment runs from ``#``
    to the end.

    Parameters
    ----------
    text : str

    Returns
    -------
    dict of str to numpy.ndarray, each of shape (len(text),)
        ``"in_string"`` (1 inside a string literal, else 0), ``"in_comment"`` (1 inside a
        comment), ``"bracket_depth"`` (brackets ``([{`` opened and not yet closed, outside
        strings and comments), ``"column"`` (characters since the last newline; 0 at a
        newline) and ``"indentation"`` (spaces at the start of the current line, counted as
        they are read).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string; got {type(text).__name__}")
    size = len(text)
    in_string, in_comment = np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64)
    depth_after, column, indentation = (np.zeros(size, dtype=np.int64) for _ in range(3))
    quote: str | None = None          # the open string's delimiter
    comment = escaped = False
    depth = col = indent = 0
    at_line_start = True
    position = 0
    while position < size:
        char = text[position]
        step = 1
        if quote is not None:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif text.startswith(quote, position):
                step = len(quote)
                in_string[position:position + step - 1] = 1       # a triple quote closes at its last
                quote = None
            if quote is not None:
                in_string[position] = 1
        elif comment:
            if char == "\n":
                comment = False
            else:
                in_comment[position] = 1
        elif char == "#":
            comment = True
            in_comment[position] = 1
        elif char in "'\"":
            quote = char * 3 if text.startswith(char * 3, position) else char
            step = len(quote)
            in_string[position:position + step] = 1
        elif char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(depth - 1, 0)
        for offset in range(step):
            here = position + offset
            if text[here] == "\n":
                col, indent, at_line_start = 0, 0, True
            else:
                col += 1
                if at_line_start and text[here] == " ":
                    indent += 1
                else:
                    at_line_start = False
            depth_after[here], column[here], indentation[here] = depth, col, indent
        position += step
    return {"in_string": in_string, "in_comment": in_comment, "bracket_depth": depth_after,
            "column": column, "indentation": indentation}
