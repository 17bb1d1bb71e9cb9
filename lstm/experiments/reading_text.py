"""Reading text: an LSTM trained to name the bracket depth grows units that count brackets.

Backs the section "Reading text" of the training chapter (#sec-reading-text).

Karpathy (2015) looked inside character-level LSTMs trained on real text and found single
units with a readable job: one switched on inside quotes, another tracked the depth of
nesting in source code.  This experiment is the book's small, checkable version: the text
comes from :class:`lstm.text.BracketText` (letters and nested brackets, generated from a
seed), LSTMs with a few units are trained to name the depth after every character, one model
per seed and all seeds in one :func:`lstm.stacked.train_many` call, and then we look in every
model for the units whose cell state follows the depth
(:func:`lstm.text.cell_depth_correlations`, :func:`lstm.text.cell_changes`).

=====================================  ==========================================
function                               what it gives
=====================================  ==========================================
:func:`reading_text`                   trains one model per seed and returns a
                                       :class:`ReadingTextRuns` (per-seed arrays,
                                       one :class:`ReadingTextResult` per seed)
:func:`plot_reading_text`              one seed's best unit's cell state under the
                                       characters of one display string
=====================================  ==========================================

The conclusions the chapter draws are counts over the seeds, against the marks
:data:`ACCURACY_MARK` and :data:`EASY_TO_READ`; ``tests/test_text.py`` asserts them on seeds 0-9,
also with the initial weights perturbed by 1e-12.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from lstm.cell import LSTMCell
from lstm.experiments.common import check_seeds
from lstm.plots import new_figure
from lstm.stacked import train_many
from lstm.style import GATE_COLOURS, OKABE_ITO, SIGNED_COLOURMAP, book_style, check_size
from lstm.text import CLOSE, OPEN, BracketText, bracket_depths, cell_changes, cell_depth_correlations, one_hot
from lstm.training import SequenceModel

__all__ = [
    "ACCURACY_MARK",
    "DISPLAY_TEXT",
    "EASY_TO_READ",
    "FOLLOWS_LOOSELY",
    "ReadingTextResult",
    "ReadingTextRuns",
    "plot_reading_text",
    "reading_text",
]

#: The string drawn under the chosen unit's cell state: long stretches of letters at one
#: depth (the count must be *held*), every depth from 0 to 3, and closing runs.
DISPLAY_TEXT: str = "ab(cdef(gh(abc)de)fgha)bcd((e)f(g(h)a)b)cd"

#: A unit is called *easy to read* when its cell state's correlation with the depth is larger
#: than this in size.
EASY_TO_READ: float = 0.9

#: A unit *follows the depth loosely* when its correlation is larger than this in size.
FOLLOWS_LOOSELY: float = 0.5

#: The chapter counts the seeds whose model names the depth of fresh text more often than this.
ACCURACY_MARK: float = 0.9

#: Seed of the training text (the same strings for every model; each model's seed sets its
#: weights and the order of its minibatches) and of the fresh text it is scored on.
TRAINING_TEXT_SEED: int = 0
FRESH_TEXT_SEED: int = 10_000

#: Share of the smaller bracket step below which a unit's mean change at a letter counts as
#: "hardly moves" (:attr:`ReadingTextResult.counts_brackets`).
LETTER_SHARE: float = 0.25


def _check_int(name: str, value: Any, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an integer; got {value!r} ({type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value}")
    return int(value)


def _check_positive(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"{name} must be a positive number; got {value!r} ({type(value).__name__})")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number; got {value!r}")
    return value


def _check_perturbation(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"perturbation must be a number >= 0; got {value!r} ({type(value).__name__})")
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"perturbation must be a finite number >= 0; got {value!r}")
    return value


# --------------------------------------------------------------------------------------------
# The results: one per seed, and all seeds together
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadingTextResult:
    r"""What :func:`reading_text` trained and found for one seed.

    Attributes
    ----------
    seed : int
        Seed of the cell, the read-out and the minibatch order.
    hidden_size : int
        Number of units.
    steps : int
        Training updates.
    accuracy : float
        Fraction of characters of fresh (never trained on) text whose depth the model names
        correctly.
    majority_accuracy : float
        The same for always answering the most common depth of that text (the baseline).
    unit : int
        Index (from 0) of the unit whose cell state correlates most strongly with the depth.
    correlation : float
        That unit's Pearson correlation with the depth over the fresh text (signed: a
        negative value means its cell state falls as the depth rises).
    correlations : numpy.ndarray, shape (hidden_size,)
        The correlation of every unit.
    display_text : str
        The string of the figure.
    display_cell : numpy.ndarray, shape (len(display_text),)
        The chosen unit's cell state :math:`c_t` after each character of ``display_text``.
    display_depths : numpy.ndarray of int, shape (len(display_text),)
        The true depth after each character.
    display_predictions : numpy.ndarray of int, shape (len(display_text),)
        The depth the model names after each character.
    forgotten, written : dict of str to float
        How the chosen unit changes its cell state, averaged over the fresh text at an opening
        bracket (key ``"("``), a closing one (``")"``) and a letter (``"letter"``).  By the
        cell-state update the change :math:`c_t - c_{t-1}` is the sum of what is forgotten,
        :math:`(f_t - 1)\,c_{t-1}` (``forgotten``; it always pulls towards 0), and what is
        written, :math:`i_t \tilde{c}_t` (``written``).
    losses : numpy.ndarray, shape (steps,)
        Training loss of each update.
    eval_steps : numpy.ndarray of int, shape (E,)
        Updates after which the fresh text was scored during training.
    eval_accuracies : numpy.ndarray, shape (E,)
        The accuracy on the fresh text after each of those updates (the last is ``accuracy``).
    """

    seed: int
    hidden_size: int
    steps: int
    accuracy: float
    majority_accuracy: float
    unit: int
    correlation: float
    correlations: np.ndarray
    display_text: str
    display_cell: np.ndarray
    display_depths: np.ndarray
    display_predictions: np.ndarray
    forgotten: dict[str, float]
    written: dict[str, float]
    losses: np.ndarray
    eval_steps: np.ndarray
    eval_accuracies: np.ndarray

    @property
    def display_accuracy(self) -> float:
        """Fraction of the display string's characters whose depth the model names correctly."""
        return float(np.mean(self.display_predictions == self.display_depths))

    @property
    def changes(self) -> dict[str, float]:
        """Mean change :math:`c_t - c_{t-1}` of the chosen unit at ``"("``, ``")"`` and a ``"letter"``."""
        return {where: self.forgotten[where] + self.written[where] for where in self.written}

    @property
    def easy_units(self) -> int:
        """How many units have a correlation with the depth above :data:`EASY_TO_READ` in size."""
        return int((np.abs(self.correlations) > EASY_TO_READ).sum())

    @property
    def loose_units(self) -> int:
        """How many units have a correlation with the depth above :data:`FOLLOWS_LOOSELY` in size."""
        return int((np.abs(self.correlations) > FOLLOWS_LOOSELY).sum())

    @property
    def counts_brackets(self) -> bool:
        """Whether the chosen unit counts: one way at ``"("``, the other way at ``")"``, hardly at letters.

        "One way" is the direction of its correlation with the depth; "hardly" means a mean
        change at a letter below :data:`LETTER_SHARE` of the smaller of the two bracket steps.
        """
        direction = np.sign(self.correlation)
        changes = self.changes
        if not direction * changes[OPEN] > 0 or not direction * changes[CLOSE] < 0:
            return False
        smaller_step = min(abs(changes[OPEN]), abs(changes[CLOSE]))
        return bool(abs(changes["letter"]) < LETTER_SHARE * smaller_step)

    def change_table(self) -> str:
        """The mean change of the chosen unit's cell state by character, split into its two parts."""
        lines = [
            f"how unit {self.unit + 1} (seed {self.seed}) changes its cell state "
            "(means over the fresh text):",
            f"{'':12}{'forgets (f_t - 1) c_(t-1)':>27}{'writes i_t c~_t':>17}{'change':>9}",
        ]
        changes = self.changes
        for where in self.written:
            name = "a letter" if where == "letter" else f'"{where}"'
            lines.append(
                f"  at {name:<8}{self.forgotten[where]:>+27.3f}{self.written[where]:>+17.3f}"
                f"{changes[where]:>+9.3f}"
            )
        return "\n".join(lines)


@dataclass(frozen=True)
class ReadingTextRuns:
    """Every seed's :class:`ReadingTextResult`, with the per-seed numbers as arrays.

    Attributes
    ----------
    seeds : tuple of int
        The seeds, in the order of ``runs`` and of every array below.
    runs : tuple of ReadingTextResult
        One per seed.
    perturbation : float
        Relative size of the change made to each model's initial weights before training
        (0: none; see :func:`lstm.stacked.perturb_parameters`).
    cpu_seconds : float
        CPU time of the whole call (training all seeds and scoring them).
    """

    seeds: tuple[int, ...]
    runs: tuple[ReadingTextResult, ...]
    perturbation: float
    cpu_seconds: float

    def run(self, seed: int) -> ReadingTextResult:
        """The result of one seed.

        Raises
        ------
        ValueError
            If ``seed`` was not run.
        """
        if seed not in self.seeds:
            raise ValueError(f"seed must be one of the seeds run, {list(self.seeds)}; got {seed!r}")
        return self.runs[self.seeds.index(seed)]

    @property
    def steps(self) -> int:
        """Training updates of every model."""
        return self.runs[0].steps

    @property
    def hidden_size(self) -> int:
        """Units of every model."""
        return self.runs[0].hidden_size

    @property
    def accuracies(self) -> np.ndarray:
        """Accuracy on the fresh text, shape ``(seeds,)``."""
        return np.array([run.accuracy for run in self.runs])

    @property
    def majority_accuracies(self) -> np.ndarray:
        """Accuracy of always guessing the most common depth, shape ``(seeds,)`` (the same text for all)."""
        return np.array([run.majority_accuracy for run in self.runs])

    @property
    def correlations(self) -> np.ndarray:
        """Every unit's correlation with the depth, shape ``(seeds, hidden_size)``."""
        return np.array([run.correlations for run in self.runs])

    @property
    def best_correlations(self) -> np.ndarray:
        """Size of the best unit's correlation with the depth, shape ``(seeds,)``."""
        return np.abs([run.correlation for run in self.runs])

    @property
    def easy_units(self) -> np.ndarray:
        """Units easy to read (:data:`EASY_TO_READ`) in each model, shape ``(seeds,)``."""
        return np.array([run.easy_units for run in self.runs])

    @property
    def loose_units(self) -> np.ndarray:
        """Units that follow the depth loosely (:data:`FOLLOWS_LOOSELY`) in each model, shape ``(seeds,)``."""
        return np.array([run.loose_units for run in self.runs])

    @property
    def counts_down(self) -> np.ndarray:
        """Whether each model's best unit counts downwards (negative correlation), shape ``(seeds,)``."""
        return np.array([run.correlation < 0 for run in self.runs])

    @property
    def counts_brackets(self) -> np.ndarray:
        """Whether each model's best unit counts brackets, shape ``(seeds,)`` of bool."""
        return np.array([run.counts_brackets for run in self.runs])

    @property
    def eval_steps(self) -> np.ndarray:
        """Updates after which the fresh text was scored during training, shape ``(E,)``."""
        return self.runs[0].eval_steps

    @property
    def eval_accuracies(self) -> np.ndarray:
        """Accuracy on the fresh text after each of those updates, shape ``(seeds, E)``."""
        return np.array([run.eval_accuracies for run in self.runs])

    def seeds_above(self, values: np.ndarray, mark: float) -> int:
        """How many seeds have a value above ``mark`` (``values`` of shape ``(seeds,)``)."""
        values = np.asarray(values, dtype=float)
        if values.shape != (len(self.seeds),):
            raise ValueError(f"values must hold one number per seed, shape ({len(self.seeds)},); "
                             f"got {values.shape}")
        return int((values > mark).sum())

    def table(self) -> str:
        """One line per seed: accuracy, baseline, best unit and its correlation, units easy to read
        and following loosely, and whether the best unit counts brackets."""
        lines = [
            f"{'seed':>4}  {'accuracy':>8}  {'guess':>6}  {'best unit':>9}  {'correlation':>11}  "
            f"{'units with |correlation| above':>30}  {'counts':>8}",
            f"{'':>4}  {'':>8}  {'':>6}  {'':>9}  {'':>11}  {EASY_TO_READ:>14}  {FOLLOWS_LOOSELY:>14}  "
            f"{'brackets':>8}",
        ]
        for run in self.runs:
            counts = "yes" if run.counts_brackets else "no"
            lines.append(
                f"{run.seed:>4}  {run.accuracy:>8.1%}  {run.majority_accuracy:>6.1%}  {run.unit + 1:>9}  "
                f"{run.correlation:>+11.3f}  {run.easy_units:>14}  {run.loose_units:>14}  {counts:>8}"
            )
        return "\n".join(lines)

    def budget_table(self, mark: float = ACCURACY_MARK) -> str:
        """Accuracy on the fresh text during training: median, lowest and seeds above ``mark``."""
        accuracies = self.eval_accuracies
        lines = [f"{'updates':>7}  {'median':>7}  {'lowest':>7}  seeds above {mark:.0%}"]
        for column, step in enumerate(self.eval_steps):
            values = accuracies[:, column]
            lines.append(
                f"{step:>7}  {np.median(values):>7.1%}  {values.min():>7.1%}  "
                f"{int((values > mark).sum())} of {len(self.seeds)}"
            )
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# The experiment
# --------------------------------------------------------------------------------------------


def reading_text(
    seeds: Sequence[int] = tuple(range(10)),
    *,
    perturbation: float = 0.0,
    hidden_size: int = 8,
    steps: int = 160,
    length: int = 20,
    num_train: int = 512,
    num_test: int = 200,
    test_length: int = 60,
    lr: float = 0.05,
    batch_size: int = 64,
    forget_bias: float = 2.0,
    max_depth: int = 3,
    eval_every: int = 40,
    display_text: str = DISPLAY_TEXT,
) -> ReadingTextRuns:
    """Train one LSTM per seed to name the bracket depth at every character, then find its counting unit.

    Each model is an :class:`~lstm.LSTMCell` with a linear read-out at every step (softmax over
    the depths ``0 .. max_depth``), both seeded with the model's seed.  All models are trained
    together by one :func:`lstm.stacked.train_many` call, on the same ``num_train`` strings of
    ``length`` characters (drawn with :data:`TRAINING_TEXT_SEED`), each drawing its minibatches
    in the order its seed gives.  They are scored on ``num_test`` fresh strings of
    ``test_length`` characters (longer than in training, drawn with :data:`FRESH_TEXT_SEED`),
    every ``eval_every`` updates during training and at the end.  At the end each unit's cell
    state is correlated with the depth (:func:`cell_depth_correlations`); the unit with the
    largest correlation in size is the one shown.

    Parameters
    ----------
    seeds : sequence of int, default 0-9
        One model per seed (its cell, read-out and minibatch order).
    perturbation : float, default 0
        Multiply each model's initial weights by ``1 + perturbation * u``, ``u`` uniform in
        [-1, 1] (:func:`lstm.stacked.perturb_parameters`); the tests use 1e-12.
    hidden_size : int, default 8
        Number of units.
    steps : int, default 160
        Training updates.
    length : int, default 20
        Characters per training string.
    num_train, num_test : int, default 512, 200
        Numbers of training and of fresh strings.
    test_length : int, default 60
        Characters per fresh string.
    lr : float, default 0.05
        Adam's learning rate.
    batch_size : int, default 64
        Strings per update.
    forget_bias : float, default 2.0
        Initial forget-gate bias (starts the cell off remembering).
    max_depth : int, default 3
        Deepest nesting of the text.
    eval_every : int, default 40
        Updates between two scorings of the fresh text during training.
    display_text : str, default :data:`DISPLAY_TEXT`
        String of letters ``a``-``h`` and brackets, nested at most ``max_depth`` deep, whose
        trace every result keeps for the figure.

    Returns
    -------
    ReadingTextRuns
        One :class:`ReadingTextResult` per seed, in the order of ``seeds``.

    Raises
    ------
    TypeError, ValueError
        If an argument has the wrong type or is out of range, or ``display_text`` holds other
        characters, closes an unopened bracket or nests deeper than ``max_depth``.
    """
    seeds = check_seeds(seeds)
    perturbation = _check_perturbation(perturbation)
    hidden_size = _check_int("hidden_size", hidden_size)
    steps = _check_int("steps", steps)
    num_train = _check_int("num_train", num_train)
    num_test = _check_int("num_test", num_test)
    test_length = _check_int("test_length", test_length)
    batch_size = _check_int("batch_size", batch_size)
    eval_every = _check_int("eval_every", eval_every)
    lr = _check_positive("lr", lr)
    if isinstance(forget_bias, bool) or not isinstance(forget_bias, int | float | np.integer | np.floating):
        raise TypeError(f"forget_bias must be a number; got {forget_bias!r}")
    training_task = BracketText(length=length, max_depth=max_depth)
    test_task = BracketText(length=test_length, max_depth=max_depth)
    display_depths = bracket_depths(display_text, max_depth=max_depth)
    display_xs = one_hot(display_text)[:, None, :]

    start = time.process_time()
    training_text = training_task.sample(num_train, np.random.default_rng(TRAINING_TEXT_SEED))
    fresh_text = test_task.sample(num_test, np.random.default_rng(FRESH_TEXT_SEED))
    counts = np.bincount(fresh_text.targets.reshape(-1), minlength=test_task.num_classes)
    majority_accuracy = float(counts.max() / counts.sum())
    models = [
        SequenceModel(
            LSTMCell(training_task.input_size, hidden_size, seed=seed, forget_bias=float(forget_bias)),
            training_task.num_classes,
            output_at="every",
            seed=seed,
        )
        for seed in seeds
    ]
    histories = train_many(
        models, training_text, seeds=seeds, steps=steps, lr=lr, batch_size=batch_size,
        perturbation=perturbation, eval_data=fresh_text, eval_every=eval_every, progress=False,
        description="reading text",
    )

    runs = []
    for seed, model, history in zip(seeds, models, histories, strict=True):
        correlations = cell_depth_correlations(model, fresh_text)
        unit = int(np.argmax(np.abs(correlations)))
        forgotten, written = cell_changes(model, fresh_text, unit)
        runs.append(ReadingTextResult(
            seed=seed,
            hidden_size=hidden_size,
            steps=steps,
            accuracy=float(model.accuracy(fresh_text)),
            majority_accuracy=majority_accuracy,
            unit=unit,
            correlation=float(correlations[unit]),
            correlations=correlations,
            display_text=display_text,
            display_cell=model.run_cell(display_xs).c[:, 0, unit].copy(),
            display_depths=display_depths,
            display_predictions=np.asarray(model.predict(display_xs)[:, 0], dtype=np.int64),
            forgotten=forgotten,
            written=written,
            losses=history.losses,
            eval_steps=np.asarray(history.eval_steps, dtype=np.int64),
            eval_accuracies=np.asarray(history.eval_accuracies, dtype=float),
        ))
    return ReadingTextRuns(
        seeds=seeds, runs=tuple(runs), perturbation=perturbation, cpu_seconds=time.process_time() - start
    )


# --------------------------------------------------------------------------------------------
# The figure
# --------------------------------------------------------------------------------------------


def plot_reading_text(result: ReadingTextResult, size: str = "laptop") -> Figure:
    """The chosen unit's cell state under the characters of the display string.

    Three rows share the character axis: a strip of the characters, each on a tile coloured
    by the unit's cell state after reading it (diverging colour map centred on 0, Karpathy's
    picture); the same cell state as a line; and the true bracket depth with the depth the
    model names.

    Parameters
    ----------
    result : ReadingTextResult
        One seed of a :func:`reading_text` run, e.g. ``reading_text().run(0)``.
    size : {"laptop", "projector"}, default "laptop"
        Figure and font size.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        If ``result`` is not a :class:`ReadingTextResult`.
    ValueError
        If ``size`` is unknown.
    """
    if not isinstance(result, ReadingTextResult):
        hint = " (one seed of it: runs.run(seed))" if isinstance(result, ReadingTextRuns) else ""
        raise TypeError(f"result must be a ReadingTextResult; got {type(result).__name__}{hint}")
    settings = check_size(size)
    scale = 1.3 if size == "projector" else 1.0
    font = 12.0 * settings["font_scale"]
    text = result.display_text
    positions = np.arange(1, len(text) + 1)
    cell_state = result.display_cell
    unit_name = f"unit {result.unit + 1}"
    figure = new_figure(size, figsize=(10.0 * scale, 5.6 * scale), layout="constrained")
    with book_style(size):
        strip_axes, cell_axes, depth_axes = figure.subplots(
            3, 1, sharex=True, gridspec_kw={"height_ratios": [0.8, 2.0, 1.6]}
        )
        limit = max(float(np.abs(cell_state).max()), 1e-6)
        norm = Normalize(vmin=-limit, vmax=limit)
        image = strip_axes.imshow(
            cell_state[None, :],
            cmap=SIGNED_COLOURMAP,
            norm=norm,
            aspect="auto",
            extent=(0.5, len(text) + 0.5, 0.0, 1.0),
            interpolation="nearest",
        )
        for position, char, value in zip(positions, text, cell_state, strict=True):
            ink = "white" if abs(value) > 0.6 * limit else "black"
            strip_axes.text(
                position, 0.5, char, ha="center", va="center", family="monospace",
                fontsize=font * 1.15, fontweight="bold", color=ink,
            )
        strip_axes.set_yticks([])
        strip_axes.grid(False)
        strip_axes.set_title(f"The text, each character coloured by the cell state of {unit_name}")
        colourbar = figure.colorbar(image, ax=[strip_axes, cell_axes, depth_axes], shrink=0.6, pad=0.01)
        colourbar.set_label(f"$c_t$ of {unit_name}")

        cell_axes.axhline(0.0, color=OKABE_ITO["black"], linewidth=0.8)
        cell_axes.plot(positions, cell_state, color=GATE_COLOURS["cell"], marker="o", markersize=5)
        cell_axes.set_ylabel(f"cell state $c_t$\nof {unit_name}")

        depth_axes.step(
            positions, result.display_depths, where="mid", color=OKABE_ITO["black"],
            label="true depth",
        )
        depth_axes.plot(
            positions, result.display_predictions, linestyle="none", marker="o", markersize=7,
            markerfacecolor="none", markeredgewidth=1.5, color=OKABE_ITO["blue"],
            label="depth named by the model",
        )
        depth_axes.set_ylabel("bracket\ndepth")
        deepest = int(max(result.display_depths.max(), result.display_predictions.max()))
        depth_axes.set_yticks(range(deepest + 1))
        depth_axes.set_ylim(-0.4, deepest + 0.6)
        figure.legend(loc="outside lower center", ncols=2, fontsize=font * 0.9)
        depth_axes.set_xticks(positions, list(text), family="monospace", fontsize=font)
        depth_axes.set_xlim(0.5, len(text) + 0.5)
        depth_axes.set_xlabel("character read at step $t$")
        for axes in (cell_axes, depth_axes):
            axes.grid(axis="x", visible=False)
    return figure
