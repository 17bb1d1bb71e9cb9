"""The character model of chapter 7 (#sec-char-model): text, baselines, scanner, sampling, stored run.

Hand-worked cases for every function of :mod:`lstm.char_model`; the scanner against Python's
own tokenizer on the four modules; the stored run (``data/char-model.npz``) against the numbers
the tool stored with it (drift check) and against what the chapter says of it; and a shorter run
of ten seeds, as trained and with the initial weights perturbed by 1e-12, that reproduces the
trend (every seed beats the bigram baseline, and a unit follows the column on most seeds).
"""

from __future__ import annotations

import hashlib
import io
import tokenize

import numpy as np
import pytest
from matplotlib.ticker import MaxNLocator

from lstm.char_model import (
    CORPUS_DIR,
    FEATURES,
    SNAPSHOT_SHA256,
    CharWindows,
    Vocabulary,
    bigram_bits,
    bits_per_character,
    held_out_text,
    read_module,
    sample_text,
    source_features,
    training_text,
    unigram_bits,
)
from lstm.experiments.char_model import (
    HELD_OUT_PIECES,
    STORED_PATH,
    STORED_RUN,
    char_models,
    held_out_pieces,
    load_runs,
    plot_learning_curves,
    plot_passage,
    read_held_out,
    train_char_models,
)
from lstm.text import unit_correlations

# --------------------------------------------------------------------------------------------
# The text
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SNAPSHOT_SHA256))
def test_snapshot_holds_the_recorded_bytes(name) -> None:
    raw = (CORPUS_DIR / f"{name}.py.txt").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SNAPSHOT_SHA256[name]
    assert read_module(name) == raw.decode("utf-8")


def test_training_and_held_out_text() -> None:
    training, held_out = training_text(), held_out_text()
    assert len(training) == 139_134 and len(held_out) == 9_656
    assert training.startswith('"""Text wrapping and filling.') and held_out.startswith("from types import")
    assert held_out not in training and len(SNAPSHOT_SHA256) == 13
    with pytest.raises(ValueError, match="name must be one of"):
        read_module("os.py")


def test_snapshot_licence_is_shipped() -> None:
    licence = (CORPUS_DIR.parent.parent / "LICENSES" / "PSF-2.0.txt").read_text(encoding="utf-8")
    assert "PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2" in licence
    readme = (CORPUS_DIR / "README.md").read_text(encoding="utf-8")
    assert "CPython 3.11.7" in readme and "LICENSES/PSF-2.0.txt" in readme


def test_vocabulary_encodes_decodes_and_reads() -> None:
    vocabulary = Vocabulary.from_text("ba", "ca")
    assert vocabulary.characters == "abc" and vocabulary.size == 3
    np.testing.assert_array_equal(vocabulary.encode("cab"), [2, 0, 1])
    assert vocabulary.decode([2, 0, 1]) == "cab"
    np.testing.assert_array_equal(vocabulary.one_hot("ca"), [[0, 0, 1], [1, 0, 0]])
    reading = vocabulary.reading("cab")
    assert reading.xs.shape == (2, 1, 3)
    np.testing.assert_array_equal(reading.targets[:, 0], [0, 1])          # the next characters
    with pytest.raises(ValueError, match="not in the vocabulary"):
        vocabulary.encode("abz")
    with pytest.raises(ValueError, match="must not repeat"):
        Vocabulary("aa")
    with pytest.raises(ValueError, match="at least 2 characters"):
        vocabulary.reading("a")


def test_windows_read_the_text_and_name_the_next_character() -> None:
    codes = np.arange(20) % 7
    windows = CharWindows(codes, 7, length=5)
    batch = windows.sample(4, np.random.default_rng(3))
    assert batch.xs.shape == (5, 4, 7) and batch.targets.shape == (5, 4)
    read = batch.xs.argmax(axis=2)
    np.testing.assert_array_equal(batch.targets[:-1], read[1:])          # each target is read next
    np.testing.assert_array_equal(batch.targets, (read + 1) % 7)         # the text counts up mod 7
    with pytest.raises(ValueError, match="longer than length"):
        CharWindows(codes, 7, length=20)
    with pytest.raises(ValueError, match="must lie in 0..6"):
        CharWindows(codes + 1, 7, length=5)


# --------------------------------------------------------------------------------------------
# Baselines
# --------------------------------------------------------------------------------------------


def test_baselines_hand_worked() -> None:
    training = np.array([0, 0, 1])                                      # "aab"
    scored = np.array([0, 1])                                           # "ab": b is scored
    assert unigram_bits(training, scored, 2) == pytest.approx(-np.log2(2 / 5), abs=1e-12)   # 1.3219
    assert bigram_bits(training, scored, 2) == pytest.approx(1.0, abs=1e-12)                # p(b|a) = 2/4
    with pytest.raises(ValueError, match="scored must be a 1-D integer array"):
        unigram_bits(training, np.array([0]), 2)
    with pytest.raises(ValueError, match="must lie in 0..1"):
        bigram_bits(training, np.array([0, 2]), 2)


def test_bigram_beats_unigram_on_the_held_out_module() -> None:
    vocabulary = Vocabulary.from_text(training_text(), held_out_text())
    training, held_out = vocabulary.encode(training_text()), vocabulary.encode(held_out_text())
    unigram = unigram_bits(training, held_out, vocabulary.size)
    assert bigram_bits(training, held_out, vocabulary.size) < unigram - 0.5
    assert unigram_bits(training, held_out, vocabulary.size) < np.log2(vocabulary.size)


# --------------------------------------------------------------------------------------------
# The scanner
# --------------------------------------------------------------------------------------------


def test_scanner_hand_worked() -> None:
    features = source_features('x = ("a#", 1)  # c')
    np.testing.assert_array_equal(np.flatnonzero(features["in_string"]), [5, 6, 7])   # not the closing "
    np.testing.assert_array_equal(np.flatnonzero(features["in_comment"]), [15, 16, 17])
    np.testing.assert_array_equal(np.flatnonzero(features["bracket_depth"]), range(4, 12))
    np.testing.assert_array_equal(features["column"], range(1, 19))
    triple = source_features('"""a"\n  """b')
    np.testing.assert_array_equal(triple["in_string"], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0])
    np.testing.assert_array_equal(triple["indentation"], [0] * 6 + [1, 2, 2, 2, 2, 2])
    np.testing.assert_array_equal(triple["column"], [1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 6])
    escaped = source_features(r"'\'' # x")
    np.testing.assert_array_equal(escaped["in_string"], [1, 1, 1, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(escaped["in_comment"], [0, 0, 0, 0, 0, 1, 1, 1])
    with pytest.raises(TypeError, match="text must be a string"):
        source_features(3)  # type: ignore[arg-type]


def _tokenizer_labels(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Inside a string (after its prefix, up to but not including its last quote) and inside a comment."""
    starts = np.cumsum([0] + [len(line) for line in text.splitlines(keepends=True)])
    inside, comment = np.zeros(len(text), dtype=int), np.zeros(len(text), dtype=int)
    fstring_start = None
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        begin = starts[token.start[0] - 1] + token.start[1]
        end = starts[token.end[0] - 1] + token.end[1]
        name = tokenize.tok_name[token.type]
        if name == "FSTRING_START":                    # Python 3.12 and later split f-strings
            fstring_start = begin + len(token.string) - 1
        elif name == "FSTRING_END":
            inside[fstring_start:end - 1] = 1
        elif token.type == tokenize.STRING:
            prefix = len(token.string) - len(token.string.lstrip("rRbBuUfF"))
            inside[begin + prefix:end - 1] = 1
        elif token.type == tokenize.COMMENT:
            comment[begin:end] = 1
    return inside, comment


@pytest.mark.parametrize("name", sorted(SNAPSHOT_SHA256))
def test_scanner_agrees_with_pythons_tokenizer(name) -> None:
    text = read_module(name)
    features = source_features(text)
    inside, comment = _tokenizer_labels(text)
    np.testing.assert_array_equal(features["in_string"], inside)
    np.testing.assert_array_equal(features["in_comment"], comment)
    assert features["bracket_depth"].min() == 0 and features["bracket_depth"][-1] == 0


def test_unit_correlations_hand_worked() -> None:
    states = np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 1.0]])
    np.testing.assert_allclose(unit_correlations(states, [0.0, 2.0, 4.0]), [1.0, 0.0], atol=1e-15)
    np.testing.assert_allclose(unit_correlations(states, [4.0, 2.0, 0.0]), [-1.0, 0.0], atol=1e-15)
    with pytest.raises(ValueError, match="values shape"):
        unit_correlations(states, [1.0, 2.0])


# --------------------------------------------------------------------------------------------
# Models: bits, sampling
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary.from_text(training_text(), held_out_text())


def test_bits_per_character_is_minus_log2_of_the_right_characters_probability(vocabulary) -> None:
    model = char_models([4], vocabulary, hidden_size=3, forget_bias=1.0)[0]
    text = "def f(x):\n    return x\n"
    data = vocabulary.reading(text)
    probabilities = model.probabilities(data.xs)[:, 0]
    expected = -np.mean(np.log2(probabilities[np.arange(len(text) - 1), vocabulary.encode(text)[1:]]))
    assert bits_per_character(model, data) == pytest.approx(expected, rel=1e-12)
    with pytest.raises(TypeError, match="output_at='every'"):
        bits_per_character("model", data)  # type: ignore[arg-type]


def test_sampling_is_seeded_and_greedy_at_a_low_temperature(vocabulary) -> None:
    model = char_models([1], vocabulary, hidden_size=4, forget_bias=1.0)[0]
    written = sample_text(model, vocabulary, "def ", 12, temperature=1.0, seed=5)
    assert written.startswith("def ") and len(written) == 16
    assert written == sample_text(model, vocabulary, "def ", 12, temperature=1.0, seed=5)
    assert written != sample_text(model, vocabulary, "def ", 12, temperature=1.0, seed=6)
    greedy = "def "                                                       # argmax, one character at a time
    for _ in range(6):
        outputs = model.forward(vocabulary.one_hot(greedy)[:, None, :]).outputs
        greedy += vocabulary.characters[int(outputs[-1, 0].argmax())]
    assert sample_text(model, vocabulary, "def ", 6, temperature=1e-3, seed=0) == greedy
    with pytest.raises(ValueError, match="temperature must be positive"):
        sample_text(model, vocabulary, "def ", 3, temperature=0.0)
    with pytest.raises(ValueError, match="prompt must be a non-empty string"):
        sample_text(model, vocabulary, "", 3)


def test_held_out_pieces_predict_every_character_but_the_first_once(vocabulary) -> None:
    text = held_out_text()
    data = held_out_pieces(vocabulary, text, pieces=HELD_OUT_PIECES)
    real = np.arange(data.num_steps)[:, None] < data.lengths[None, :]
    pieces = enumerate(data.lengths)
    read = np.concatenate([data.xs[:length, piece].argmax(axis=1) for piece, length in pieces])
    named = np.concatenate([data.targets[:length, piece] for piece, length in enumerate(data.lengths)])
    np.testing.assert_array_equal(read, vocabulary.encode(text)[:-1])
    np.testing.assert_array_equal(named, vocabulary.encode(text)[1:])
    assert data.lengths.sum() == len(text) - 1 and np.all(data.xs[~real] == 0)
    with pytest.raises(ValueError, match="pieces must be at most"):
        held_out_pieces(vocabulary, "abc", pieces=3)


def test_read_held_out_equals_each_models_own_loss(vocabulary) -> None:
    runs = train_char_models(seeds=[0, 1], hidden_size=4, steps=2, eval_every=None)
    reading = read_held_out(runs)
    data = held_out_pieces(vocabulary, held_out_text())
    for row, model in enumerate(runs.models):
        assert reading.bits[row] == pytest.approx(bits_per_character(model, data), rel=1e-10)
    trace = runs.models[1].run_cell(data.xs, data.lengths).c
    cells = np.concatenate([trace[:length, piece] for piece, length in enumerate(data.lengths)])
    np.testing.assert_allclose(reading.cells[:, 1], cells, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(reading.correlations[1, FEATURES.index("column")],
                               unit_correlations(cells, reading.features["column"]), atol=1e-10)
    with pytest.raises(TypeError, match="runs must be CharModelRuns"):
        read_held_out("runs")  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# The stored run: drift check and what the chapter says of it
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stored():
    runs = load_runs(STORED_PATH)
    return runs, read_held_out(runs)


def test_stored_weights_reproduce_the_stored_numbers(stored) -> None:
    runs, reading = stored
    assert runs.seeds == tuple(range(10))
    assert {key: runs.settings[key] for key in STORED_RUN} == STORED_RUN
    np.testing.assert_allclose(reading.bits, runs.stored["bits"], rtol=1e-9)
    np.testing.assert_allclose(reading.correlations, runs.stored["correlations"], atol=1e-9)
    assert STORED_PATH.stat().st_size < 600_000


def test_stored_run_supports_the_chapter(stored) -> None:
    runs, reading = stored
    assert np.all(reading.bits < reading.bigram - 0.5)               # every seed, with margin
    assert np.all(runs.eval_bits[:, -1] < reading.bigram - 0.5)
    column = np.abs(reading.best_correlations("column"))
    assert np.all(column > 0.35)                                        # a column unit on every seed
    for feature in ("in_string", "in_comment", "bracket_depth"):        # no unit follows these well
        assert np.all(np.abs(reading.best_correlations(feature)) < 0.45), feature
        assert np.all(np.abs(reading.best_correlations(feature)) < column), feature
    assert np.all(reading.indentation_contrast() > 0.5)                 # low in the indentation


# --------------------------------------------------------------------------------------------
# A shorter run reproduces the trend, also with perturbed initial weights
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("perturbation", [0.0, 1e-12])
def test_a_short_run_reproduces_the_trend(perturbation) -> None:
    runs = train_char_models(seeds=range(10), steps=200, lr=0.03, eval_every=None, perturbation=perturbation)
    reading = read_held_out(runs)
    assert np.all(reading.bits < reading.bigram - 0.3), reading.bits
    assert np.sum(np.abs(reading.best_correlations("column")) > 0.4) >= 9


# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------


def test_figures_are_labelled(stored) -> None:
    runs, reading = stored
    curves = plot_learning_curves(runs, reading)
    axes = curves.axes[0]
    assert axes.get_xlabel() == "training update" and axes.get_ylabel() == "bits per character"
    assert isinstance(axes.xaxis.get_major_locator(), MaxNLocator)
    assert all(float(tick).is_integer() for tick in axes.get_xticks())
    labels = axes.get_legend_handles_labels()[1]
    assert any(label.startswith("bigram baseline") for label in labels)
    assert any(label.startswith("unigram baseline") for label in labels)
    unit = int(reading.best_units("in_string")[0])
    passage = plot_passage(reading, 0, unit, 0, 300)
    assert passage.axes[-1].get_ylabel() == f"$c_t$ of unit {unit + 1}"
    with pytest.raises(ValueError, match="start and stop"):
        plot_passage(reading, 0, unit, 300, 100)
