"""Reading text: an LSTM trained to name the bracket depth grows a unit that counts brackets.

Section #sec-reading-text of chapter 6.

Karpathy (2015) looked inside character-level LSTMs trained on real text and found single
units with a readable job: one switched on inside quotes, another tracked the depth of
nesting in source code.  This experiment is the book's small, checkable version: the text
comes from :class:`lstm.text.BracketText` (letters and nested brackets, generated from a
seed), an LSTM with a few units is trained for a few seconds to name the depth after every
character, and then we look for the unit whose cell state follows the depth most closely.

=====================================  ==========================================
function                               what it gives
=====================================  ==========================================
:func:`reading_text`                   trains, scores and returns a
                                       :class:`ReadingTextResult`
:func:`cell_depth_correlations`        Pearson correlation of every unit's cell
                                       state with the depth, over held-out text
:func:`cell_changes`                   what one unit forgets and writes at each
                                       kind of character
:func:`plot_reading_text`              the chosen unit's cell state under the
                                       characters of one display string
=====================================  ==========================================
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from lstm.cell import LSTMCell
from lstm.plots import new_figure
from lstm.style import GATE_COLOURS, OKABE_ITO, SIGNED_COLOURMAP, book_style, check_size
from lstm.text import ALPHABET, CLOSE, OPEN, BracketText, bracket_depths, one_hot
from lstm.training import SequenceData, SequenceModel, train

__all__ = [
    "DISPLAY_TEXT",
    "ReadingTextResult",
    "cell_changes",
    "cell_depth_correlations",
    "plot_reading_text",
    "reading_text",
]

#: The string drawn under the chosen unit's cell state: long stretches of letters at one
#: depth (the count must be *held*), every depth from 0 to 3, and closing runs.
DISPLAY_TEXT: str = "ab(cdef(gh(abc)de)fgha)bcd((e)f(g(h)a)b)cd"

#: Offset added to the seed for the held-out text, so that it never repeats the training text.
_TEST_SEED_OFFSET = 10_000


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


# --------------------------------------------------------------------------------------------
# The result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadingTextResult:
    r"""What :func:`reading_text` trained and found.

    Attributes
    ----------
    seed : int
        Seed of the cell, the read-out, the training text and the minibatches.
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
    seconds : float
        Wall time of training and scoring.
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
    seconds: float

    @property
    def display_accuracy(self) -> float:
        """Fraction of the display string's characters whose depth the model names correctly."""
        return float(np.mean(self.display_predictions == self.display_depths))

    @property
    def changes(self) -> dict[str, float]:
        """Mean change :math:`c_t - c_{t-1}` of the chosen unit at ``"("``, ``")"`` and a ``"letter"``."""
        return {where: self.forgotten[where] + self.written[where] for where in self.written}

    def change_table(self) -> str:
        """The mean change of the chosen unit's cell state by character, split into its two parts."""
        lines = [
            f"how unit {self.unit + 1} changes its cell state (means over the fresh text):",
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

    def summary(self) -> str:
        """A few lines with the run's numbers (for a chapter cell's output)."""
        others = np.delete(np.abs(self.correlations), self.unit)
        return "\n".join(
            [
                f"{self.hidden_size} units, {self.steps} training steps, seed {self.seed} "
                f"({self.seconds:.1f} s)",
                f"depth named correctly on fresh text: {100 * self.accuracy:.1f} % "
                f"(always guessing the most common depth: {100 * self.majority_accuracy:.1f} %)",
                f"unit {self.unit + 1} follows the depth: correlation of its cell state "
                f"{self.correlation:+.3f}",
                f"the other units: |correlation| from {others.min():.2f} to {others.max():.2f}"
                if others.size
                else "(no other units)",
                self.change_table(),
            ]
        )


# --------------------------------------------------------------------------------------------
# The experiment
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
    depths = data.targets.reshape(-1).astype(np.float64)
    cells_centred = cells - cells.mean(axis=0)
    depths_centred = depths - depths.mean()
    spread = np.sqrt((cells_centred**2).sum(axis=0) * (depths_centred**2).sum())
    covariance = cells_centred.T @ depths_centred
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
    unit = _check_int("unit", unit, minimum=0)
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


def reading_text(
    seed: int = 0,
    *,
    hidden_size: int = 8,
    steps: int = 80,
    length: int = 20,
    num_train: int = 512,
    num_test: int = 200,
    test_length: int = 60,
    lr: float = 0.1,
    batch_size: int = 64,
    forget_bias: float = 2.0,
    max_depth: int = 3,
    display_text: str = DISPLAY_TEXT,
) -> ReadingTextResult:
    """Train an LSTM to name the bracket depth at every character, then find its counting unit.

    The model is an :class:`~lstm.LSTMCell` with a linear read-out at every step (softmax over
    the depths ``0 .. max_depth``), trained with :func:`lstm.training.train` on ``num_train``
    strings of ``length`` characters.  It is scored on ``num_test`` fresh strings of
    ``test_length`` characters (longer than in training, from another seed), where each unit's
    cell state is correlated with the depth (:func:`cell_depth_correlations`); the unit with
    the largest absolute correlation is the one shown.

    Parameters
    ----------
    seed : int, default 0
        Seed of everything random (cell, read-out, texts, minibatch order).
    hidden_size : int, default 8
        Number of units.
    steps : int, default 80
        Training updates.
    length : int, default 20
        Characters per training string.
    num_train, num_test : int, default 512, 200
        Numbers of training and of fresh strings.
    test_length : int, default 60
        Characters per fresh string.
    lr : float, default 0.1
        Adam's learning rate.
    batch_size : int, default 64
        Strings per update.
    forget_bias : float, default 2.0
        Initial forget-gate bias (starts the cell off remembering).
    max_depth : int, default 3
        Deepest nesting of the text.
    display_text : str, default :data:`DISPLAY_TEXT`
        String of letters ``a``-``h`` and brackets, nested at most ``max_depth`` deep, whose
        trace the result keeps for the figure.

    Returns
    -------
    ReadingTextResult

    Raises
    ------
    TypeError, ValueError
        If an argument has the wrong type or is out of range, or ``display_text`` holds other
        characters, closes an unopened bracket or nests deeper than ``max_depth``.
    """
    seed = _check_int("seed", seed, minimum=0)
    hidden_size = _check_int("hidden_size", hidden_size)
    steps = _check_int("steps", steps)
    num_train = _check_int("num_train", num_train)
    num_test = _check_int("num_test", num_test)
    test_length = _check_int("test_length", test_length)
    batch_size = _check_int("batch_size", batch_size)
    lr = _check_positive("lr", lr)
    if isinstance(forget_bias, bool) or not isinstance(forget_bias, int | float | np.integer | np.floating):
        raise TypeError(f"forget_bias must be a number; got {forget_bias!r}")
    training_task = BracketText(length=length, max_depth=max_depth)
    test_task = BracketText(length=test_length, max_depth=max_depth)
    display_depths = bracket_depths(display_text, max_depth=max_depth)
    display_inputs = one_hot(display_text)

    start = time.perf_counter()
    training_text = training_task.sample(num_train, np.random.default_rng(seed))
    fresh_text = test_task.sample(num_test, np.random.default_rng(seed + _TEST_SEED_OFFSET))
    cell = LSTMCell(training_task.input_size, hidden_size, seed=seed, forget_bias=float(forget_bias))
    model = SequenceModel(cell, training_task.num_classes, output_at="every", seed=seed)
    history = train(
        model, training_text, steps=steps, lr=lr, batch_size=batch_size, seed=seed, progress=False
    )

    accuracy = model.accuracy(fresh_text)
    counts = np.bincount(fresh_text.targets.reshape(-1), minlength=test_task.num_classes)
    majority_accuracy = float(counts.max() / counts.sum())
    correlations = cell_depth_correlations(model, fresh_text)
    unit = int(np.argmax(np.abs(correlations)))
    forgotten, written = cell_changes(model, fresh_text, unit)
    display_xs = display_inputs[:, None, :]
    display_cell = model.run_cell(display_xs).c[:, 0, unit]
    display_predictions = model.predict(display_xs)[:, 0]
    seconds = time.perf_counter() - start

    return ReadingTextResult(
        seed=seed,
        hidden_size=hidden_size,
        steps=steps,
        accuracy=float(accuracy),
        majority_accuracy=majority_accuracy,
        unit=unit,
        correlation=float(correlations[unit]),
        correlations=correlations,
        display_text=display_text,
        display_cell=display_cell.copy(),
        display_depths=display_depths,
        display_predictions=np.asarray(display_predictions, dtype=np.int64),
        forgotten=forgotten,
        written=written,
        losses=history.losses,
        seconds=seconds,
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
        From :func:`reading_text`.
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
        raise TypeError(f"result must be a ReadingTextResult; got {type(result).__name__}")
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
