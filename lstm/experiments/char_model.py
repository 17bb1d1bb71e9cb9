"""A character model on real text: ten LSTMs read Python's source and predict the next character.

Backs the section "A character model on real text" of chapter 7 (#sec-char-model), which
follows the bracket counter of #sec-reading-text from generated text to real text.

The text, its vocabulary, the baselines and the scanner of what a reader of Python keeps track
of are in :mod:`lstm.char_model`.  Here one model per seed is trained on random windows of the
three training modules, all seeds in one :func:`lstm.stacked.train_many` call, and then read:
its bits per character on the held-out module, and the correlation of every unit's cell state
with each quantity of :func:`lstm.char_model.source_features` (by
:func:`lstm.text.unit_correlations`, the helper of the bracket counter).

Training ten models takes minutes, more than the chapter's budget, so
``tools/train_char_model.py`` trains them once (:data:`STORED_RUN` settings) and writes their
weights, rounded to float16, with their loss curves to :data:`STORED_PATH`; the chapter loads
them (:func:`load_runs`) and computes every number it shows from the stored weights.

=====================================  ==========================================
function                               what it gives
=====================================  ==========================================
:func:`train_char_models`              trains one model per seed: a :class:`CharModelRuns`
:func:`save_runs`, :func:`load_runs`   the stored run (``data/char-model.npz``)
:func:`read_held_out`                  every model on the held-out module at once: a
                                       :class:`HeldOutReading` (bits, baselines, the
                                       units' correlations)
:func:`plot_learning_curves`           bits per character during training against the
                                       unigram and bigram baselines
:func:`plot_passage`                   one unit's cell state over a passage of source
=====================================  ==========================================
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from lstm._checks import check_integer, check_number
from lstm.cell import LSTMCell
from lstm.char_model import (
    FEATURES,
    CharWindows,
    Vocabulary,
    bigram_bits,
    held_out_text,
    source_features,
    training_text,
    unigram_bits,
)
from lstm.data import SequenceData
from lstm.experiments.common import BASELINE_COLOUR, LSTM_COLOUR, check_seeds
from lstm.models import SequenceModel
from lstm.plots import new_figure
from lstm.stacked import (
    StackedBatch,
    stack_parameters,
    stacked_forward,
    stacked_loss,
    train_many,
    write_parameters,
)
from lstm.style import OKABE_ITO, SIGNED_COLOURMAP, book_style, check_size
from lstm.text import unit_correlations
from lstm.training import one_blas_thread

__all__ = [
    "FEATURE_NAMES",
    "HELD_OUT_PIECES",
    "STORED_PATH",
    "STORED_RUN",
    "CharModelRuns",
    "HeldOutReading",
    "load_runs",
    "plot_learning_curves",
    "plot_passage",
    "held_out_pieces",
    "read_held_out",
    "save_runs",
    "train_char_models",
]

#: Where ``tools/train_char_model.py`` writes the stored run.
STORED_PATH: Path = Path(__file__).resolve().parents[2] / "data" / "char-model.npz"

#: The settings of the stored run (the keyword arguments of :func:`train_char_models`).
STORED_RUN: dict[str, float | int] = {
    "hidden_size": 32, "length": 50, "steps": 2000, "lr": 0.02, "batch_size": 32,
    "forget_bias": 1.0, "eval_every": 100,
}

#: How the chapter names each quantity of :func:`lstm.char_model.source_features`.
FEATURE_NAMES: dict[str, str] = {
    "in_string": "inside a string", "in_comment": "inside a comment",
    "bracket_depth": "bracket depth", "column": "column", "indentation": "indentation",
}

@dataclass(frozen=True)
class CharModelRuns:
    """One trained character model per seed, with its training curves.

    Attributes
    ----------
    seeds : tuple of int
    models : tuple of SequenceModel
        One per seed, in the order of ``seeds``.
    vocabulary : Vocabulary
        The characters of the four modules.
    train_bits : numpy.ndarray, shape (seeds, steps)
        Training loss of each update (its minibatch), in bits per character.
    eval_steps : numpy.ndarray of int, shape (E,)
        Updates after which the held-out module was scored.
    eval_bits : numpy.ndarray, shape (seeds, E)
        Bits per character on the held-out module after each of those updates.
    settings : dict
        The keyword arguments of :func:`train_char_models` (and ``perturbation``).
    cpu_seconds : float
        CPU time of the training (0 for a run loaded from disk: see ``stored_cpu_seconds``).
    stored : dict of str to numpy.ndarray
        For a loaded run, the numbers the tool computed from the stored weights (the drift
        check compares them with :func:`read_held_out`); empty for a fresh run.
    """

    seeds: tuple[int, ...]
    models: tuple[SequenceModel, ...]
    vocabulary: Vocabulary
    train_bits: np.ndarray
    eval_steps: np.ndarray
    eval_bits: np.ndarray
    settings: dict
    cpu_seconds: float
    stored: dict = field(default_factory=dict)

    @property
    def steps(self) -> int:
        """Training updates of every model."""
        return int(self.train_bits.shape[1])

    @property
    def num_parameters(self) -> int:
        """Trainable numbers of one model."""
        return self.models[0].num_parameters

    @property
    def characters_read(self) -> int:
        """Characters each model read in training: updates x windows x window length."""
        return self.steps * int(self.settings["batch_size"]) * int(self.settings["length"])


def char_models(seeds: Sequence[int], vocabulary: Vocabulary, hidden_size: int,
                forget_bias: float) -> list[SequenceModel]:
    """One untrained model per seed: an LSTM reading one-hot characters, a read-out per step."""
    return [
        SequenceModel(LSTMCell(vocabulary.size, hidden_size, seed=seed, forget_bias=forget_bias),
                      vocabulary.size, output_at="every", seed=seed)
        for seed in seeds
    ]


def train_char_models(
    seeds: Sequence[int] = tuple(range(10)),
    *,
    hidden_size: int = 32,
    length: int = 50,
    steps: int = 1500,
    lr: float = 0.02,
    batch_size: int = 32,
    forget_bias: float = 1.0,
    eval_every: int | None = 100,
    perturbation: float = 0.0,
    progress: bool = False,
) -> CharModelRuns:
    """Train one character model per seed on random windows of the training modules.

    All models are trained together by one :func:`lstm.stacked.train_many` call (in float32,
    the cheaper stacked path), each drawing its own windows in the order its seed gives; the
    held-out module is scored every ``eval_every`` updates (``None``: never during training).

    Parameters
    ----------
    seeds : sequence of int, default 0-9
    hidden_size : int, default 32
        Units ``H``.
    length : int, default 50
        Characters per training window.
    steps, lr, batch_size : default 1500, 0.02, 32
        Updates, Adam's learning rate and windows per update.
    forget_bias : float, default 1.0
        Initial forget-gate bias.
    eval_every : int or None, default 100
    perturbation : float, default 0
        As in :func:`lstm.stacked.train_many` (the tests use 1e-12).
    progress : bool, default False
        Show a progress bar.

    Returns
    -------
    CharModelRuns
    """
    seeds = check_seeds(seeds)
    settings = {
        "hidden_size": check_integer(hidden_size, "hidden_size"), "length": check_integer(length, "length"),
        "steps": check_integer(steps, "steps"), "lr": check_number(lr, "lr", minimum=0.0),
        "batch_size": check_integer(batch_size, "batch_size"),
        "forget_bias": check_number(forget_bias, "forget_bias"),
        "eval_every": None if eval_every is None else check_integer(eval_every, "eval_every"),
        "perturbation": check_number(perturbation, "perturbation", minimum=0.0),
    }
    training, held_out = training_text(), held_out_text()
    vocabulary = Vocabulary.from_text(training, held_out)
    windows = CharWindows(vocabulary.encode(training), vocabulary.size, settings["length"])
    models = char_models(seeds, vocabulary, settings["hidden_size"], settings["forget_bias"])
    start = time.process_time()
    histories = train_many(
        models, windows, seeds=seeds, steps=settings["steps"], lr=settings["lr"],
        batch_size=settings["batch_size"], perturbation=settings["perturbation"],
        eval_data=None if eval_every is None else vocabulary.reading(held_out), eval_every=eval_every,
        progress=progress, description="character models", dtype=np.float32,
    )
    diverged = [seed for seed, history in zip(seeds, histories, strict=True)
                if history.diverged_at is not None]
    if diverged:
        raise RuntimeError(f"the character models of seeds {diverged} diverged; lower lr")
    return CharModelRuns(
        seeds=seeds, models=tuple(models), vocabulary=vocabulary,
        train_bits=np.array([history.losses for history in histories]) / np.log(2.0),
        eval_steps=np.asarray(histories[0].eval_steps, dtype=np.int64),
        eval_bits=np.array([history.eval_losses for history in histories]).reshape(len(seeds), -1)
        / np.log(2.0),
        settings=settings, cpu_seconds=time.process_time() - start,
    )


# --------------------------------------------------------------------------------------------
# Reading the models on the held-out module
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeldOutReading:
    """Every model of a run on the held-out module, and the baselines on the same characters.

    Attributes
    ----------
    seeds : tuple of int
        The seeds of the models, in the order of every array below.
    text : str
        The held-out module.
    bits : numpy.ndarray, shape (seeds,)
        Each model's bits per character on it (every character but the first is predicted;
        the module is read in :data:`HELD_OUT_PIECES` pieces, each from zero states).
    unigram, bigram : float
        The baselines' bits per character on the same characters, counted from the training text.
    features : dict of str to numpy.ndarray
        :func:`lstm.char_model.source_features` of ``text[:-1]`` (the characters read).
    correlations : numpy.ndarray, shape (seeds, len(FEATURES), hidden_size)
        Correlation of each unit's cell state with each quantity, over the characters read.
    cells : numpy.ndarray, shape (len(text) - 1, seeds, hidden_size)
        Every model's cell state after each character read.
    """

    seeds: tuple[int, ...]
    text: str
    bits: np.ndarray
    unigram: float
    bigram: float
    features: dict[str, np.ndarray]
    correlations: np.ndarray
    cells: np.ndarray

    def best_units(self, feature: str) -> np.ndarray:
        """Each model's unit whose cell state correlates most strongly (in size) with ``feature``."""
        return np.abs(self.correlations[:, self._index(feature)]).argmax(axis=1)

    def best_correlations(self, feature: str) -> np.ndarray:
        """That unit's correlation (signed), shape ``(seeds,)``."""
        index = self._index(feature)
        rows = np.arange(self.correlations.shape[0])
        return self.correlations[rows, index, self.best_units(feature)]

    def _index(self, feature: str) -> int:
        if feature not in FEATURES:
            raise ValueError(f"feature must be one of {list(FEATURES)}; got {feature!r}")
        return FEATURES.index(feature)

    @property
    def leading_spaces(self) -> np.ndarray:
        """True for each character read that is a space of a line's indentation, shape ``(T,)``."""
        spaces = np.array([char == " " for char in self.text[:-1]])
        return spaces & (self.features["indentation"] == self.features["column"])

    def indentation_contrast(self) -> np.ndarray:
        """For each seed's column unit: its mean cell state on indentation spaces minus elsewhere,
        in units of its standard deviation over the module, signed like its correlation with the
        column (so a positive value means "low while in the indentation"), shape ``(seeds,)``."""
        units = self.best_units("column")
        rows = np.arange(len(self.seeds))
        cells = self.cells[:, rows, units]                                  # (T, seeds)
        leading = self.leading_spaces
        contrast = (cells[~leading].mean(axis=0) - cells[leading].mean(axis=0)) / cells.std(axis=0)
        return contrast * np.sign(self.best_correlations("column"))

    def row(self, seed: int) -> int:
        """The row of ``seed`` in every array."""
        if seed not in self.seeds:
            raise ValueError(f"seed must be one of the seeds run, {list(self.seeds)}; got {seed!r}")
        return self.seeds.index(seed)

    def table(self) -> str:
        """One line per seed: bits per character and, per quantity, the best unit and its correlation."""
        names = "".join(f"  {FEATURE_NAMES[name]:>18}" for name in FEATURES)
        lines = [f"{'seed':>4}  {'bits/char':>9}{names}"]
        units = {name: self.best_units(name) for name in FEATURES}
        values = {name: self.best_correlations(name) for name in FEATURES}
        for row, seed in enumerate(self.seeds):
            cells = "".join(f"  {'unit ' + str(units[name][row] + 1):>9} {values[name][row]:>+8.2f}"
                            for name in FEATURES)
            lines.append(f"{seed:>4}  {self.bits[row]:>9.3f}{cells}")
        lines.append(f"{'':>4}  unigram {self.unigram:.3f}, bigram {self.bigram:.3f} bits per character")
        return "\n".join(lines)


#: The held-out module is read in this many pieces side by side (one batch), each from zero states.
HELD_OUT_PIECES: int = 10


def held_out_pieces(vocabulary: Vocabulary, text: str, pieces: int = HELD_OUT_PIECES) -> SequenceData:
    """``text`` cut into ``pieces`` consecutive pieces, to be read side by side as one batch.

    Piece ``p`` reads characters ``b_p`` to ``b_{p+1} - 1`` and predicts characters ``b_p + 1`` to
    ``b_{p+1}``, so every character but the first is predicted exactly once, as when the text is
    read as one sequence; only the state is reset at the start of each piece.  Reading the
    pieces side by side takes a tenth of the steps.

    Returns
    -------
    SequenceData
        ``xs`` ``(T, pieces, V)``, ``targets`` ``(T, pieces)``, ``lengths`` ``(pieces,)``
        (the last piece may be shorter).
    """
    pieces = check_integer(pieces, "pieces")
    codes = vocabulary.encode(text)
    steps = codes.size - 1
    bounds = np.linspace(0, steps, pieces + 1).round().astype(np.int64)
    lengths = np.diff(bounds)
    if lengths.min() < 1:
        raise ValueError(f"pieces must be at most {steps} for a text of {codes.size} characters; "
                         f"got {pieces}")
    longest = int(lengths.max())
    inputs = np.zeros((longest, pieces), dtype=np.int64)
    targets = np.zeros((longest, pieces), dtype=np.int64)
    for piece, (begin, length) in enumerate(zip(bounds[:-1], lengths, strict=True)):
        inputs[:length, piece] = codes[begin:begin + length]
        targets[:length, piece] = codes[begin + 1:begin + 1 + length]
    xs = np.zeros((longest, pieces, vocabulary.size))
    np.put_along_axis(xs, inputs[..., None], 1.0, axis=2)
    mask = np.arange(longest)[:, None] < lengths[None, :]
    xs[~mask] = 0.0                                                    # padding reads nothing
    return SequenceData(xs, targets, lengths, {"task": "next_character", "bounds": bounds})


@one_blas_thread()
def read_held_out(runs: CharModelRuns) -> HeldOutReading:
    """Run every model of ``runs`` over the held-out module at once and read it.

    One stacked forward pass (:func:`lstm.stacked.stacked_forward`, the training's own loop)
    runs all models over the module, cut into :data:`HELD_OUT_PIECES` pieces read side by side
    (:func:`held_out_pieces`); the loss is the training's own (:func:`lstm.stacked.stacked_loss`).
    """
    if not isinstance(runs, CharModelRuns):
        raise TypeError(f"runs must be CharModelRuns; got {type(runs).__name__}")
    text, vocabulary = held_out_text(), runs.vocabulary
    data = held_out_pieces(vocabulary, text)
    count = len(runs.models)
    rows = (data.num_steps, count, data.num_examples)
    batch = StackedBatch(xs=np.broadcast_to(data.xs[:, None], (*rows, vocabulary.size)),
                         targets=np.broadcast_to(data.targets[:, None], rows),
                         lengths=np.broadcast_to(data.lengths, rows[1:]))
    outputs, cache = stacked_forward(runs.models[0], stack_parameters(runs.models), batch)
    losses, _ = stacked_loss(runs.models[0], outputs, batch, cache["mask"])
    pieces = cache["arrays"]["c"].transpose(2, 0, 1, 3)                  # (pieces, T, K, H)
    cells = np.concatenate([piece[:length] for piece, length in zip(pieces, data.lengths, strict=True)])
    features = source_features(text[:-1])
    correlations = np.array([[unit_correlations(cells[:, k], features[name]) for name in FEATURES]
                             for k in range(count)])
    training_codes, held_out_codes = vocabulary.encode(training_text()), vocabulary.encode(text)
    return HeldOutReading(
        seeds=runs.seeds, text=text, bits=np.asarray(losses, dtype=np.float64) / np.log(2.0),
        unigram=unigram_bits(training_codes, held_out_codes, vocabulary.size),
        bigram=bigram_bits(training_codes, held_out_codes, vocabulary.size),
        features=features, correlations=correlations, cells=cells,
    )


# --------------------------------------------------------------------------------------------
# The stored run
# --------------------------------------------------------------------------------------------


def round_to_float16(runs: CharModelRuns) -> None:
    """Round every model's parameters to float16 in place (what the stored file holds)."""
    parameters = stack_parameters(runs.models)
    for row, model in enumerate(runs.models):
        write_parameters(model, {name: array.astype(np.float16).astype(np.float64)
                                 for name, array in parameters.items()}, row)


def save_runs(runs: CharModelRuns, path: Path = STORED_PATH) -> HeldOutReading:
    """Round the models to float16, read them on the held-out module and write everything to ``path``.

    Returns
    -------
    HeldOutReading
        The reading of the rounded models, whose numbers the file stores for the drift check.
    """
    round_to_float16(runs)
    reading = read_held_out(runs)
    parameters = stack_parameters(runs.models)
    settings = {key: (np.nan if value is None else value) for key, value in runs.settings.items()}
    np.savez_compressed(
        path,
        **{name.replace(".", "_"): array.astype(np.float16) for name, array in parameters.items()},
        seeds=np.array(runs.seeds), vocabulary=np.array(runs.vocabulary.characters),
        train_bits=runs.train_bits.astype(np.float16), eval_steps=runs.eval_steps,
        eval_bits=runs.eval_bits, settings_keys=np.array(list(settings)),
        settings_values=np.array(list(settings.values()), dtype=float),
        cpu_seconds=runs.cpu_seconds, numpy_version=np.array(np.__version__),
        stored_bits=reading.bits, stored_correlations=reading.correlations,
    )
    return reading


def load_runs(path: Path = STORED_PATH) -> CharModelRuns:
    """The run that ``tools/train_char_model.py`` stored (its weights as float64 of the float16 values)."""
    with np.load(path) as stored:
        arrays = {key: stored[key] for key in stored.files}
    settings: dict = {}
    for key, value in zip(arrays["settings_keys"], arrays["settings_values"], strict=True):
        if np.isnan(value):
            settings[str(key)] = None
        else:
            settings[str(key)] = float(value) if key in ("lr", "forget_bias", "perturbation") else int(value)
    seeds = tuple(int(seed) for seed in arrays["seeds"])
    vocabulary = Vocabulary(str(arrays["vocabulary"]))
    models = char_models(seeds, vocabulary, settings["hidden_size"], settings["forget_bias"])
    parameters = {name: arrays[name.replace(".", "_")].astype(np.float64)
                  for name in ("cell.W", "cell.b", "readout.W", "readout.b")}
    for row, model in enumerate(models):
        write_parameters(model, parameters, row)
    return CharModelRuns(
        seeds=seeds, models=tuple(models), vocabulary=vocabulary,
        train_bits=arrays["train_bits"].astype(np.float64), eval_steps=arrays["eval_steps"],
        eval_bits=arrays["eval_bits"], settings=settings, cpu_seconds=0.0,
        stored={"bits": arrays["stored_bits"], "correlations": arrays["stored_correlations"],
                "cpu_seconds": float(arrays["cpu_seconds"]), "numpy_version": str(arrays["numpy_version"])},
    )


# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------


def plot_learning_curves(runs: CharModelRuns, reading: HeldOutReading, size: str = "laptop") -> Figure:
    """Bits per character during training, every seed, against the two baselines on the held-out module.

    Thin lines: each seed's training loss (its minibatches, averaged over blocks of updates);
    circles joined by lines: each seed's bits on the held-out module; dashed and dotted lines:
    the unigram and bigram baselines on the same module.
    """
    settings = check_size(size)
    scale = 1.3 if size == "projector" else 1.0
    figure = new_figure(size, figsize=(9.0 * scale, 4.6 * scale), layout="constrained")
    block = max(1, runs.steps // 100)
    blocks = runs.steps // block
    with book_style(size):
        axes = figure.subplots()
        smoothed = runs.train_bits[:, :blocks * block].reshape(len(runs.seeds), blocks, block).mean(axis=2)
        updates = (np.arange(blocks) + 1) * block
        for row in range(len(runs.seeds)):
            axes.plot(updates, smoothed[row], color=OKABE_ITO["sky_blue"], linewidth=0.8, alpha=0.7,
                      label="training windows, one line per seed" if row == 0 else None)
        if runs.eval_steps.size:
            for row in range(len(runs.seeds)):
                axes.plot(runs.eval_steps, runs.eval_bits[row], color=LSTM_COLOUR, marker="o", markersize=3.5,
                          linewidth=1.0, label="held-out module, one line per seed" if row == 0 else None)
        axes.axhline(reading.unigram, color=BASELINE_COLOUR, linestyle="--", linewidth=1.5,
                     label=f"unigram baseline ({reading.unigram:.2f})")
        axes.axhline(reading.bigram, color=OKABE_ITO["reddish_purple"], linestyle=":", linewidth=2.0,
                     label=f"bigram baseline ({reading.bigram:.2f})")
        axes.set_xlabel("training update")
        axes.set_ylabel("bits per character")
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlim(0, runs.steps)
        axes.set_ylim(min(1.5, float(np.min(smoothed)) - 0.2), max(reading.unigram + 0.8, 5.0))
        axes.legend(loc="upper right", fontsize=10.0 * settings["font_scale"])
    return figure


def plot_passage(reading: HeldOutReading, seed: int, unit: int, start: int, stop: int,
                 feature: str = "in_string", size: str = "laptop") -> Figure:
    """One unit's cell state over a passage of the held-out module, in the text's own layout.

    Every character of ``reading.text[start:stop]`` sits on a tile coloured by the unit's cell
    state after reading it (diverging colour map, white at 0, as in @fig-reading-text); a
    frame marks the characters where ``feature`` is not 0.
    """
    if not isinstance(reading, HeldOutReading):
        raise TypeError(f"reading must be a HeldOutReading; got {type(reading).__name__}")
    settings = check_size(size)
    stop = min(stop, reading.cells.shape[0])
    if not 0 <= start < stop:
        raise ValueError(f"start and stop must satisfy 0 <= start < stop <= {reading.cells.shape[0]}; "
                         f"got {start} and {stop}")
    passage = reading.text[start:stop]
    values = reading.cells[start:stop, reading.row(seed), unit]
    marked = reading.features[feature][start:stop] != 0
    lines = passage.split("\n")
    width = max(len(line) for line in lines) + 1
    grid = np.full((len(lines), width), np.nan)
    row = column = 0
    places = []
    for char, value in zip(passage, values, strict=True):
        grid[row, column] = value
        places.append((row, column))
        if char == "\n":
            row, column = row + 1, 0
        else:
            column += 1
    scale = 1.3 if size == "projector" else 1.0
    font = 9.0 * settings["font_scale"]
    figure = new_figure(size, figsize=(0.115 * width * scale + 1.6, 0.24 * len(lines) * scale + 1.0),
                        layout="constrained")
    with book_style(size):
        axes = figure.subplots()
        limit = max(float(np.nanmax(np.abs(grid))), 1e-6)
        image = axes.imshow(grid, cmap=SIGNED_COLOURMAP, norm=Normalize(-limit, limit), aspect="auto",
                            interpolation="nearest")
        for (row, column), char, value, inside in zip(places, passage, values, marked, strict=True):
            if char not in " \n":
                axes.text(column, row, char, ha="center", va="center", family="monospace", fontsize=font,
                          color="white" if abs(value) > 0.6 * limit else "black",
                          fontweight="bold" if inside else "normal")
            if inside:
                axes.add_patch(_frame(row, column))
        axes.set_xticks([])
        axes.set_yticks([])
        axes.grid(False)
        colourbar = figure.colorbar(image, ax=axes, shrink=0.8, pad=0.01)
        colourbar.set_label(f"$c_t$ of unit {unit + 1}")
        axes.set_title(f"Unit {unit + 1} of seed {seed}'s model reading graphlib.py; "
                       f"framed: {FEATURE_NAMES[feature]}", fontsize=font * 1.2)
    return figure


def _frame(row: int, column: int):
    from matplotlib.patches import Rectangle

    return Rectangle((column - 0.5, row - 0.5), 1.0, 1.0, fill=False, edgecolor=OKABE_ITO["black"],
                     linewidth=0.4)
