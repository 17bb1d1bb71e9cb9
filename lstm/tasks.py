"""Small sequence tasks, generated from a seed, and one real data set.

Every generator returns a :class:`~lstm.training.SequenceData`: inputs ``xs`` of shape
``(T, N, input)`` (time first), ``targets`` and, for variable-length versions, ``lengths``.
The same seed always gives the same data.

Synthetic tasks (each both a function and a *task object* whose ``sample(n, rng)`` draws a
fresh batch, which :func:`lstm.training.train` accepts):

* :func:`delayed_recall` / :class:`DelayedRecall` -- a symbol shown at the first step must be
  named at the last step, after a gap of ``delay`` distractor steps (silent, or Gaussian
  noise of a chosen strength).  Chance level is ``1 / num_symbols``.
* :class:`RememberForever` -- a symbol shown at the first step must be named at *every*
  step, to the end of the sequence: the memory has to last as long as the sequence does.
  Chance level is ``1 / num_symbols`` (after the first step).
* :func:`adding_problem` / :class:`AddingProblem` -- the adding problem in the form common
  since Le, Jaitly & Hinton (2015), the book's: channel 0 holds random values in [0, 1),
  channel 1 marks two of them (one in each half of the sequence); the target is the sum of
  the two marked values.  Always answering 1 (the mean) gives a mean squared error of 1/6.
* :func:`adding_problem_1997` / :class:`AddingProblem1997` -- the adding problem exactly as
  Hochreiter & Schmidhuber (1997, experiment 4) define it: values in [-1, 1], lengths from
  T to T + T/10, the first marker among the first ten steps, the second in the first half,
  -1 markers at the first and last steps, target 0.5 + (X1 + X2)/4 and the criterion
  |error| < 0.04.

How the book's form differs from the 1997 one, point by point:

=====================  ===============================  ================================
                       1997 (:class:`AddingProblem1997`)  book (:class:`AddingProblem`)
=====================  ===============================  ================================
values                 uniform in [-1, 1]               uniform in [0, 1)
first marked step      one of the first 10              anywhere in the first half
second marked step     first half (T/2 - 1 choices)     anywhere in the second half
other markers          -1 at the first and last step    none (0)
length                 T to T + T/10, random            T (or ``min_length``..T)
target                 0.5 + (X1 + X2) / 4, in [0, 1]   X1 + X2, in [0, 2)
criterion              abs(error) < 0.04                abs(error) < 0.08 (``criterion``)
=====================  ===============================  ================================

With values u = (x + 1) / 2 the 1997 target is (u1 + u2) / 2, half the book's target, so
the 1997 criterion 0.04 becomes 0.08 on the book's scale; the book's
``accuracy(..., tolerance=0.04)`` would be twice as strict as the paper.  The book keeps
its form because it puts the two marks far apart (the minimal lag is a quarter of the
length either way) and its sums are easy to read.

Real data (nothing downloaded: it ships with matplotlib, see
:func:`matplotlib.cbook.get_sample_data`):

* :func:`sample_series` -- ``"eeg"``: four channels of an EEG recording (800 samples over
  10 s, the data of matplotlib's ``mri_with_eeg`` example); ``"goog"``: the daily closing
  price of Google (GOOG) stock, 2004-08-19 to 2008-10-14 (1047 trading days).
* :func:`forecasting_data` -- cut a series into windows ("the last ``window`` values -> the
  next value"), split by time (the test part comes strictly after the training part).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm.data import SequenceData

__all__ = [
    "ADDING_CRITERION_1997",
    "AddingProblem",
    "AddingProblem1997",
    "DelayedRecall",
    "ForecastingData",
    "RememberForever",
    "TimeSeries",
    "adding_problem",
    "adding_problem_1997",
    "delayed_recall",
    "forecasting_data",
    "sample_series",
]

SERIES_NAMES: tuple[str, ...] = ("eeg", "goog")

ADDING_CRITERION_1997 = 0.04
"""Hochreiter & Schmidhuber (1997): a sequence is processed correctly if the absolute error
of the output at its end is below 0.04 (targets in [0, 1])."""


def _positive_int(name: str, value: Any, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def _non_negative_float(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"{name} must be a non-negative number; got {value!r}")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a non-negative finite number; got {value!r}")
    return float(value)


def _rng(seed: Any) -> np.random.Generator:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed!r}")
    return np.random.default_rng(int(seed))


# --------------------------------------------------------------------------------------------
# Delayed recall
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DelayedRecall:
    """Remember a symbol across a gap of distractors.

    Input channels (``input_size = num_symbols + 2``):

    * ``0 .. num_symbols-1``: the symbol, one-hot, at the first step; on the distractor steps
      Gaussian noise of standard deviation ``noise`` (zeros when ``noise=0``);
    * ``num_symbols``: the *store* marker, 1 at the first step only;
    * ``num_symbols+1``: the *recall* cue, 1 at each sequence's last step only.

    A sequence has ``delay + 2`` steps: symbol, ``delay`` distractors, recall cue.  The target
    is the symbol's index (a class label).

    Parameters
    ----------
    delay : int
        Number of distractor steps between the symbol and the recall cue (0 or more).
    num_symbols : int, default 4
        Number of different symbols (chance accuracy is ``1/num_symbols``).
    noise : float, default 0.0
        Standard deviation of the distractors.
    min_delay : int, optional
        If given, each sequence gets its own delay drawn uniformly from
        ``min_delay .. delay``; the batch is padded to ``delay + 2`` steps and carries
        ``lengths``.

    Raises
    ------
    ValueError
        If an argument is out of range (the message names it).
    """

    delay: int
    num_symbols: int = 4
    noise: float = 0.0
    min_delay: int | None = None

    def __post_init__(self) -> None:
        _positive_int("delay", self.delay, minimum=0)
        _positive_int("num_symbols", self.num_symbols, minimum=2)
        _non_negative_float("noise", self.noise)
        if self.min_delay is not None:
            _positive_int("min_delay", self.min_delay, minimum=0)
            if self.min_delay > self.delay:
                raise ValueError(f"min_delay must be at most delay={self.delay}; got {self.min_delay}")

    @property
    def input_size(self) -> int:
        """Number of input channels."""
        return self.num_symbols + 2

    @property
    def num_steps(self) -> int:
        """Padded sequence length ``delay + 2``."""
        return self.delay + 2

    @property
    def chance(self) -> float:
        """Accuracy of guessing."""
        return 1.0 / self.num_symbols

    def sample(self, num_examples: int, rng: np.random.Generator) -> SequenceData:
        """Draw ``num_examples`` sequences with ``rng``.

        Returns
        -------
        SequenceData
            ``xs`` (delay+2, N, num_symbols+2), ``targets`` (N,) int, ``lengths`` (N,) for the
            variable-length version (else None).
        """
        num_examples = _positive_int("num_examples", num_examples)
        symbols = rng.integers(0, self.num_symbols, size=num_examples)
        if self.min_delay is None:
            delays = np.full(num_examples, self.delay)
        else:
            delays = rng.integers(self.min_delay, self.delay + 1, size=num_examples)
        lengths = delays + 2
        xs = np.zeros((self.num_steps, num_examples, self.input_size))
        if self.noise > 0:
            noise = rng.normal(0.0, self.noise, size=(self.num_steps, num_examples, self.num_symbols))
            # Distractors only between the symbol (step 0) and each row's recall cue.
            if self.min_delay is None:          # every row: steps 1 .. T-2
                xs[1:-1, :, : self.num_symbols] = noise[1:-1]
            else:
                steps = np.arange(self.num_steps)[:, None]
                between = (steps >= 1) & (steps < lengths[None, :] - 1)
                np.copyto(xs[:, :, : self.num_symbols], noise, where=between[:, :, None])
        examples = np.arange(num_examples)
        xs[0, examples, symbols] = 1.0
        xs[0, :, self.num_symbols] = 1.0
        xs[lengths - 1, examples, self.num_symbols + 1] = 1.0
        info = {
            "task": "delayed_recall",
            "delay": self.delay,
            "min_delay": self.min_delay,
            "num_symbols": self.num_symbols,
            "noise": self.noise,
        }
        return SequenceData(xs, symbols, None if self.min_delay is None else lengths.astype(np.int64), info)


def delayed_recall(
    num_examples: int,
    delay: int,
    num_symbols: int = 4,
    noise: float = 0.0,
    min_delay: int | None = None,
    seed: int = 0,
) -> SequenceData:
    """A fixed set of delayed-recall sequences (see :class:`DelayedRecall`).

    Parameters
    ----------
    num_examples : int
        Number of sequences ``N``.
    delay, num_symbols, noise, min_delay
        As in :class:`DelayedRecall`.
    seed : int, default 0
        Seed of the random symbols, delays and noise.

    Returns
    -------
    SequenceData
        ``xs`` (delay+2, N, num_symbols+2), ``targets`` (N,), ``lengths`` or None.

    Raises
    ------
    ValueError
        If an argument is out of range.
    """
    task = DelayedRecall(delay=delay, num_symbols=num_symbols, noise=noise, min_delay=min_delay)
    return task.sample(num_examples, _rng(seed))


@dataclass(frozen=True)
class RememberForever:
    """Name a symbol at every step: the one shown at the first step.

    Input channels (``input_size = num_symbols``): the symbol, one-hot, at the first step;
    zeros at every later step. The targets are the symbol's index at *every* step,
    ``(length, N)`` labels, so a model trained on it outputs at every step
    (``SequenceModel(..., output_at="every")``) and its loss looks at every step: the memory
    has to stay, unchanged, to the end. The first step is easy (the symbol is in view); every
    later one needs the memory.

    Parameters
    ----------
    length : int
        Number of steps ``T`` (at least 2).
    num_symbols : int, default 4
        Number of different symbols.

    Raises
    ------
    ValueError
        If an argument is out of range.
    """

    length: int
    num_symbols: int = 4

    def __post_init__(self) -> None:
        _positive_int("length", self.length, minimum=2)
        _positive_int("num_symbols", self.num_symbols, minimum=2)

    @property
    def input_size(self) -> int:
        """Number of input channels (the one-hot symbol)."""
        return self.num_symbols

    @property
    def num_steps(self) -> int:
        """Sequence length ``T``."""
        return self.length

    @property
    def chance(self) -> float:
        """Accuracy of guessing, at a step after the first."""
        return 1.0 / self.num_symbols

    def sample(self, num_examples: int, rng: np.random.Generator) -> SequenceData:
        """Draw ``num_examples`` sequences with ``rng``.

        Returns
        -------
        SequenceData
            ``xs`` (length, N, num_symbols), ``targets`` (length, N) int: the symbol at every step.
        """
        num_examples = _positive_int("num_examples", num_examples)
        symbols = rng.integers(0, self.num_symbols, size=num_examples)
        xs = np.zeros((self.length, num_examples, self.input_size))
        xs[0, np.arange(num_examples), symbols] = 1.0
        targets = np.broadcast_to(symbols, (self.length, num_examples)).copy()
        info = {"task": "remember_forever", "length": self.length, "num_symbols": self.num_symbols,
                "per_step": True}
        return SequenceData(xs, targets, None, info)


# --------------------------------------------------------------------------------------------
# Adding problem
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddingProblem:
    """The adding problem: output the sum of the two marked values of a long sequence.

    Channel 0 holds values drawn uniformly from [0, 1); channel 1 is 1 at exactly two steps,
    one drawn from the first half of the sequence and one from the second half, and 0
    elsewhere.  The target, a single number in [0, 2), is the sum of the two marked values.
    With ``noise > 0`` Gaussian noise of that standard deviation is added to the *unmarked*
    values (the marked ones stay exact).

    Parameters
    ----------
    length : int
        Number of steps ``T`` (at least 2).
    min_length : int, optional
        If given, each sequence gets its own length drawn from ``min_length .. length``
        (padded to ``length``, with ``lengths``); the halves refer to each own length.
    noise : float, default 0.0
        Standard deviation of noise on the unmarked values.

    Raises
    ------
    ValueError
        If an argument is out of range.
    """

    length: int
    min_length: int | None = None
    noise: float = 0.0

    def __post_init__(self) -> None:
        _positive_int("length", self.length, minimum=2)
        _non_negative_float("noise", self.noise)
        if self.min_length is not None:
            _positive_int("min_length", self.min_length, minimum=2)
            if self.min_length > self.length:
                raise ValueError(f"min_length must be at most length={self.length}; got {self.min_length}")

    @property
    def input_size(self) -> int:
        """Number of input channels (value, marker)."""
        return 2

    @property
    def num_steps(self) -> int:
        """Padded sequence length."""
        return self.length

    @property
    def criterion(self) -> float:
        """The 1997 criterion on this target scale: abs(error) < 0.08 (twice 0.04, see the module notes)."""
        return 2.0 * ADDING_CRITERION_1997

    def sample(self, num_examples: int, rng: np.random.Generator) -> SequenceData:
        """Draw ``num_examples`` sequences with ``rng``.

        Returns
        -------
        SequenceData
            ``xs`` (length, N, 2), ``targets`` (N, 1) float, ``lengths`` (N,) or None.
        """
        num_examples = _positive_int("num_examples", num_examples)
        if self.min_length is None:
            lengths = np.full(num_examples, self.length)
        else:
            lengths = rng.integers(self.min_length, self.length + 1, size=num_examples)
        values = rng.uniform(0.0, 1.0, size=(self.length, num_examples))
        half = lengths // 2
        first = np.floor(rng.uniform(0.0, 1.0, size=num_examples) * half).astype(np.int64)
        second = half + np.floor(rng.uniform(0.0, 1.0, size=num_examples) * (lengths - half)).astype(np.int64)
        examples = np.arange(num_examples)
        markers = np.zeros((self.length, num_examples))
        markers[first, examples] = 1.0
        markers[second, examples] = 1.0
        targets = values[first, examples] + values[second, examples]
        if self.noise > 0:
            values = values + rng.normal(0.0, self.noise, size=values.shape) * (markers == 0)
        padding = np.arange(self.length)[:, None] >= lengths[None, :]
        values[padding] = 0.0
        xs = np.stack([values, markers], axis=-1)
        info = {
            "task": "adding_problem",
            "length": self.length,
            "min_length": self.min_length,
            "noise": self.noise,
        }
        return SequenceData(
            xs,
            targets[:, None],
            None if self.min_length is None else lengths.astype(np.int64),
            info,
        )


def adding_problem(
    num_examples: int,
    length: int,
    min_length: int | None = None,
    noise: float = 0.0,
    seed: int = 0,
) -> SequenceData:
    """A fixed set of adding-problem sequences (see :class:`AddingProblem`).

    Parameters
    ----------
    num_examples : int
        Number of sequences ``N``.
    length, min_length, noise
        As in :class:`AddingProblem`.
    seed : int, default 0
        Seed.

    Returns
    -------
    SequenceData
        ``xs`` (length, N, 2), ``targets`` (N, 1), ``lengths`` or None.

    Raises
    ------
    ValueError
        If an argument is out of range.
    """
    task = AddingProblem(length=length, min_length=min_length, noise=noise)
    return task.sample(num_examples, _rng(seed))


@dataclass(frozen=True)
class AddingProblem1997:
    """The adding problem exactly as Hochreiter & Schmidhuber (1997, section 5.4) define it.

    Each step is a pair (value, marker).  Values are uniform in [-1, 1].  A sequence has a
    random length from ``T`` to ``T + T // 10`` (padded to the longest, with ``lengths``).
    Exactly two steps are marked with 1: one of the first ten steps (its value is X1),
    then one of the first ``T/2 - 1`` still unmarked steps (X2); both marks therefore lie
    in the first half of the minimal length, and the lag to the end is at least ``T/2``.
    The marker is -1 at the first and the last step (unless the first is marked: then it
    is 1 and its value is set to 0, the paper's rule for that rare case) and 0 elsewhere.  The
    target, at the end, is ``0.5 + (X1 + X2) / 4``, in [0, 1]; a sequence counts as
    processed correctly when the absolute error is below 0.04
    (:data:`ADDING_CRITERION_1997`).  Always answering 0.5 gives a mean squared error of
    E[(X1 + X2)²] / 16, a little below 1/24 = 0.042 because a marked first step has value 0
    (0.039 for T = 100).

    For ``T < 20`` "the first ten steps" would reach into the second half; the first mark
    is then drawn from the first ``T // 2`` steps (the paper uses T >= 100).

    Parameters
    ----------
    length : int
        The minimal length ``T`` (at least 4).

    Raises
    ------
    ValueError
        If ``length`` is not an integer >= 4.
    """

    length: int

    def __post_init__(self) -> None:
        _positive_int("length", self.length, minimum=4)

    @property
    def input_size(self) -> int:
        """Number of input channels (value, marker)."""
        return 2

    @property
    def num_steps(self) -> int:
        """Padded length ``T + T // 10``."""
        return self.length + self.length // 10

    @property
    def criterion(self) -> float:
        """abs(error) < 0.04 counts as correct."""
        return ADDING_CRITERION_1997

    def sample(self, num_examples: int, rng: np.random.Generator) -> SequenceData:
        """Draw ``num_examples`` sequences with ``rng``.

        Returns
        -------
        SequenceData
            ``xs`` (T + T//10, N, 2), ``targets`` (N, 1) in [0, 1], ``lengths`` (N,).
        """
        num_examples = _positive_int("num_examples", num_examples)
        half = self.length // 2
        lengths = rng.integers(self.length, self.num_steps + 1, size=num_examples)
        values = rng.uniform(-1.0, 1.0, size=(self.num_steps, num_examples))
        first = rng.integers(0, min(10, half), size=num_examples)
        # the second mark: one of the other half - 1 steps of the first half
        second = rng.integers(0, half - 1, size=num_examples)
        second = second + (second >= first)
        examples = np.arange(num_examples)
        markers = np.zeros((self.num_steps, num_examples))
        markers[0] = -1.0
        markers[lengths - 1, examples] = -1.0
        markers[first, examples] = 1.0
        markers[second, examples] = 1.0
        values[0, markers[0] == 1.0] = 0.0           # first step marked: X1 = 0
        targets = 0.5 + (values[first, examples] + values[second, examples]) / 4.0
        padding = np.arange(self.num_steps)[:, None] >= lengths[None, :]
        values[padding] = 0.0
        xs = np.stack([values, markers], axis=-1)
        info = {"task": "adding_problem_1997", "length": self.length}
        return SequenceData(xs, targets[:, None], lengths.astype(np.int64), info)


def adding_problem_1997(num_examples: int, length: int, seed: int = 0) -> SequenceData:
    """A fixed set of sequences of the 1997 adding problem (see :class:`AddingProblem1997`).

    Parameters
    ----------
    num_examples : int
        Number of sequences ``N``.
    length : int
        Minimal length ``T`` (at least 4).
    seed : int, default 0

    Returns
    -------
    SequenceData
        ``xs`` (T + T//10, N, 2), ``targets`` (N, 1), ``lengths`` (N,).

    Raises
    ------
    ValueError
        If an argument is out of range.
    """
    return AddingProblem1997(length=length).sample(num_examples, _rng(seed))


# --------------------------------------------------------------------------------------------
# Real data shipped with matplotlib
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeSeries:
    """A real, regularly sampled series.

    Attributes
    ----------
    name : str
        ``"eeg"`` or ``"goog"``.
    values : numpy.ndarray, shape (n, channels)
        The measurements, in their original units.
    times : numpy.ndarray, shape (n,)
        Seconds (EEG) or dates (``datetime64[D]``, stock).
    channel_names : tuple of str
    unit : str
        Unit of ``values``.
    description : str
        Where the data come from.
    """

    name: str
    values: np.ndarray
    times: np.ndarray
    channel_names: tuple[str, ...]
    unit: str
    description: str


def sample_series(name: str = "eeg") -> TimeSeries:
    """Load a real series from matplotlib's bundled sample data (no download).

    Parameters
    ----------
    name : {"eeg", "goog"}
        ``"eeg"``: ``eeg.dat``, 800 samples x 4 channels of an EEG recording over 10 seconds
        (80 samples per second; the values are float64 as stored).  ``"goog"``: ``goog.npz``,
        the daily closing price of GOOG in US dollars, 1047 trading days from 2004-08-19 to
        2008-10-14.

    Returns
    -------
    TimeSeries

    Raises
    ------
    ValueError
        If ``name`` is unknown.
    """
    if name not in SERIES_NAMES:
        raise ValueError(f"name must be one of {list(SERIES_NAMES)}; got {name!r}")
    from matplotlib.cbook import get_sample_data

    if name == "eeg":
        with get_sample_data("eeg.dat", asfileobj=True) as handle:
            raw = np.frombuffer(handle.read(), dtype="<f8")
        num_samples, num_channels = 800, 4
        values = raw.reshape(num_samples, num_channels).copy()
        times = 10.0 * np.arange(num_samples) / num_samples
        return TimeSeries(
            name="eeg",
            values=values,
            times=times,
            channel_names=tuple(f"EEG channel {k + 1}" for k in range(num_channels)),
            unit="scaled units",
            description="EEG recording shipped with matplotlib (sample_data/eeg.dat), "
            "800 samples over 10 s, 4 channels",
        )
    prices = get_sample_data("goog.npz")["price_data"]
    return TimeSeries(
        name="goog",
        values=np.asarray(prices["close"], dtype=np.float64)[:, None],
        times=np.asarray(prices["date"]),
        channel_names=("GOOG close",),
        unit="US dollars",
        description="Daily GOOG closing prices shipped with matplotlib (sample_data/goog.npz), "
        "2004-08-19 to 2008-10-14",
    )


@dataclass(frozen=True)
class ForecastingData:
    """A series cut into windows for one-step-ahead forecasting, split by time.

    Attributes
    ----------
    train, test : SequenceData
        ``xs`` of shape ``(window, N, channels)``, ``targets`` of shape ``(N, 1)``: the change of
        the target channel from the window's last value to the next value, divided by that
        window's scale (see :func:`forecasting_data`).
    train_last, test_last : numpy.ndarray, shape (N,)
        The target channel's last value of each window (original units).
    train_next, test_next : numpy.ndarray, shape (N,)
        The value to forecast (original units).
    train_scales, test_scales : numpy.ndarray, shape (N,)
        The scale of each window's change (to turn predictions back into units).
    split_index : int
        First sample index of the test period.
    series : TimeSeries
    normalise : str
        ``"train"`` or ``"window"``.
    log : bool
        Whether the windows hold the logarithm of the values.
    """

    train: SequenceData
    test: SequenceData
    train_last: np.ndarray
    test_last: np.ndarray
    train_next: np.ndarray
    test_next: np.ndarray
    train_scales: np.ndarray
    test_scales: np.ndarray
    split_index: int
    series: TimeSeries
    normalise: str = "train"
    log: bool = False

    def to_values(self, predicted_changes: np.ndarray, part: str = "test") -> np.ndarray:
        """Turn predicted (scaled) changes back into forecasts in the series' units.

        Parameters
        ----------
        predicted_changes : numpy.ndarray, shape (N,) or (N, 1)
        part : {"test", "train"}

        Returns
        -------
        numpy.ndarray, shape (N,)

        Raises
        ------
        ValueError
            If ``part`` is unknown or the number of predictions does not match.
        """
        if part not in ("train", "test"):
            raise ValueError(f"part must be 'train' or 'test'; got {part!r}")
        last = self.test_last if part == "test" else self.train_last
        scales = self.test_scales if part == "test" else self.train_scales
        changes = np.asarray(predicted_changes, dtype=np.float64)
        if changes.size != last.size:
            raise ValueError(
                f"predicted_changes must hold {last.size} values (one per {part} window); "
                f"got shape {changes.shape}"
            )
        changes = changes.reshape(last.shape) * scales
        if self.log:  # the changes are changes of the logarithm
            return last * np.exp(changes)
        return last + changes


NORMALISATIONS: tuple[str, ...] = ("train", "window")


def forecasting_data(
    series: TimeSeries,
    window: int = 20,
    train_fraction: float = 0.7,
    channel: int = 0,
    input_channels: tuple[int, ...] | None = None,
    normalise: str = "train",
    log: bool = False,
) -> ForecastingData:
    """Windows "last ``window`` values -> next value", split by time.

    The first ``train_fraction`` of the samples form the training period; every test window
    *and its target* lie after it (windows straddling the split are dropped), so no future
    value leaks into training.  The target is the next value's change from the window's last
    value; the naive forecast "next equals last" is a predicted change of 0.

    Two ways to put the numbers on a common scale:

    * ``normalise="train"``: inputs standardised with the training period's mean and standard
      deviation per channel; changes divided by the standard deviation of the training
      period's one-step changes.
    * ``normalise="window"``: each window is shifted by its own last value and divided by its
      own standard deviation (of the target channel), and so is its target.  The model then
      sees only the *shape* of the recent past, so a test period with larger swings than the
      training period is no problem.

    Parameters
    ----------
    series : TimeSeries
        From :func:`sample_series`.
    window : int, default 20
        Steps per input sequence.
    train_fraction : float, default 0.7
        Share of the samples used for training, in (0, 1).
    channel : int, default 0
        Which channel to forecast.
    input_channels : tuple of int, optional
        Channels given to the model (default: all).
    normalise : {"train", "window"}, default "train"
    log : bool, default False
        Work with the logarithm of the values (natural for prices: changes become returns).

    Returns
    -------
    ForecastingData

    Raises
    ------
    ValueError
        If an argument is out of range or the split leaves no complete window on a side.
    """
    window = _positive_int("window", window, minimum=2)
    if not isinstance(train_fraction, int | float) or not 0.0 < train_fraction < 1.0:
        raise ValueError(f"train_fraction must lie strictly between 0 and 1; got {train_fraction!r}")
    num_channels = series.values.shape[1]
    if isinstance(channel, bool) or not isinstance(channel, int) or not 0 <= channel < num_channels:
        raise ValueError(f"channel must be an integer in 0..{num_channels - 1}; got {channel!r}")
    if input_channels is None:
        input_channels = tuple(range(num_channels))
    if (
        not isinstance(input_channels, tuple | list)
        or len(input_channels) == 0
        or any(
            isinstance(c, bool) or not isinstance(c, int) or not 0 <= c < num_channels for c in input_channels
        )
    ):
        raise ValueError(
            f"input_channels must be a non-empty tuple of channels in 0..{num_channels - 1}; "
            f"got {input_channels!r}"
        )
    if normalise not in NORMALISATIONS:
        raise ValueError(f"normalise must be one of {list(NORMALISATIONS)}; got {normalise!r}")
    values = series.values
    if log:
        if np.any(values <= 0):
            raise ValueError("log=True needs positive values; the series has values <= 0")
        values = np.log(values)
    num_samples = values.shape[0]
    split_index = int(round(train_fraction * num_samples))
    if split_index < window + 2 or num_samples - split_index < window + 2:
        raise ValueError(
            f"window={window} with train_fraction={train_fraction} leaves no complete window "
            f"on one side of the split ({split_index} training and "
            f"{num_samples - split_index} test samples)"
        )
    columns = list(input_channels)
    mean = values[:split_index].mean(axis=0)
    std = values[:split_index].std(axis=0)
    change_scale = float(np.diff(values[:split_index, channel]).std())

    def windows(start: int, stop: int) -> tuple[SequenceData, np.ndarray, np.ndarray, np.ndarray]:
        # windows whose inputs AND target lie in [start, stop)
        first_indices = np.arange(start, stop - window)
        raw = np.stack([values[i : i + window] for i in first_indices], axis=1)  # (W, N, C)
        last = values[first_indices + window - 1, channel]
        following = values[first_indices + window, channel]
        if normalise == "train":
            xs = ((raw - mean) / std)[:, :, columns]
            scales = np.full(first_indices.size, change_scale)
        else:
            scales = raw[:, :, channel].std(axis=0)
            scales = np.where(scales > 0, scales, 1.0)
            xs = ((raw - raw[-1]) / scales[None, :, None])[:, :, columns]
        targets = ((following - last) / scales)[:, None]
        info = {"task": f"forecast_{series.name}", "normalise": normalise}
        return SequenceData(xs, targets, None, info), last, following, scales

    train, train_last, train_next, train_scales = windows(0, split_index)
    test, test_last, test_next, test_scales = windows(split_index, num_samples)
    if log:
        train_last, train_next = np.exp(train_last), np.exp(train_next)
        test_last, test_next = np.exp(test_last), np.exp(test_next)
    return ForecastingData(
        train=train,
        test=test,
        train_last=train_last,
        test_last=test_last,
        train_next=train_next,
        test_next=test_next,
        train_scales=train_scales,
        test_scales=test_scales,
        split_index=split_index,
        series=series,
        normalise=normalise,
        log=log,
    )
