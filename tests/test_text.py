"""Tests of lstm.text (the bracket-depth task) and lstm.experiments.reading_text.

The generator and the encoding are checked by hand on tiny strings. The experiment's
conclusions, as the training chapter states them (the trained LSTMs name the depth of fresh text, a unit
easy to read turns up, it counts brackets, more than one unit follows the depth, and a quarter
of the budget is not enough), are asserted on seeds 0-9 as the chapter runs them and again with
every model's initial weights perturbed by 1e-12: each must hold on at least 9 of the 10 seeds
(see the measurements above the conclusion tests).
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm import LSTMCell
from lstm.experiments.reading_text import (
    ACCURACY_MARK,
    DISPLAY_TEXT,
    EASY_TO_READ,
    FOLLOWS_LOOSELY,
    ReadingTextResult,
    ReadingTextRuns,
    plot_reading_text,
    reading_text,
)
from lstm.text import (
    ALPHABET,
    CLOSE,
    LETTERS,
    OPEN,
    BracketText,
    bracket_depths,
    bracket_text,
    cell_changes,
    cell_depth_correlations,
    decode,
    one_hot,
)
from lstm.training import SequenceData, SequenceModel

#: The chapter's seeds; each conclusion must hold on at least MOST of them.
SEEDS = tuple(range(10))
MOST = 9


# --------------------------------------------------------------------------------------------
# The text and its targets, by hand
# --------------------------------------------------------------------------------------------


def test_alphabet_is_letters_then_brackets() -> None:
    assert ALPHABET == "abcdefgh()"
    assert ALPHABET == LETTERS + OPEN + CLOSE
    assert len(set(ALPHABET)) == len(ALPHABET)


def test_bracket_depths_hand_checked() -> None:
    #            a  (  b  (  c  )  d  )  e
    expected = [0, 1, 1, 2, 2, 1, 1, 0, 0]
    np.testing.assert_array_equal(bracket_depths("a(b(c)d)e"), expected)
    np.testing.assert_array_equal(bracket_depths("((()))"), [1, 2, 3, 2, 1, 0])
    np.testing.assert_array_equal(bracket_depths("abc"), [0, 0, 0])
    assert bracket_depths("(").dtype.kind == "i"


def test_bracket_depths_rejects_unopened_and_too_deep_text() -> None:
    with pytest.raises(ValueError, match=r"never opened, at position 3"):
        bracket_depths("a())")
    with pytest.raises(ValueError, match=r"max_depth=2.*position 2"):
        bracket_depths("((()))", max_depth=2)
    with pytest.raises(TypeError, match="text must be a string"):
        bracket_depths(["(", ")"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="text must hold at least one character"):
        bracket_depths("")
    with pytest.raises(TypeError, match="max_depth must be an integer"):
        bracket_depths("()", max_depth=2.5)  # type: ignore[arg-type]


def test_one_hot_hand_checked_and_decodes_back() -> None:
    encoded = one_hot("(a)", alphabet="ab()")
    np.testing.assert_array_equal(encoded, [[0, 0, 1, 0], [1, 0, 0, 0], [0, 0, 0, 1]])
    assert encoded.dtype == np.float64
    assert decode(encoded, alphabet="ab()") == "(a)"
    full = one_hot(DISPLAY_TEXT)
    assert full.shape == (len(DISPLAY_TEXT), 10)
    np.testing.assert_array_equal(full.sum(axis=1), np.ones(len(DISPLAY_TEXT)))
    assert decode(full) == DISPLAY_TEXT
    assert full[0, ALPHABET.index("a")] == 1.0 and full[2, ALPHABET.index("(")] == 1.0


def test_one_hot_and_decode_reject_bad_input() -> None:
    with pytest.raises(ValueError, match=r"text holds characters \['x', 'z'\]"):
        one_hot("ax(z)")
    with pytest.raises(TypeError, match="text must be a string"):
        one_hot(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="alphabet must not repeat"):
        one_hot("a", alphabet="aab")
    with pytest.raises(TypeError, match="alphabet must be a string"):
        one_hot("a", alphabet=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"encoded must have shape \(T, 10\)"):
        decode(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="exactly one 1 per row"):
        decode(np.zeros((2, 10)))


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


def test_generated_targets_are_the_depths_of_the_generated_text() -> None:
    data = bracket_text(50, 30, seed=0)
    assert isinstance(data, SequenceData)
    assert data.xs.shape == (30, 50, 10) and data.targets.shape == (30, 50)
    assert data.targets.dtype.kind == "i" and data.lengths is None
    assert data.per_step_targets()
    texts = data.info["texts"]
    assert len(texts) == 50 and all(len(text) == 30 for text in texts)
    for n, text in enumerate(texts):
        np.testing.assert_array_equal(data.targets[:, n], bracket_depths(text, max_depth=3))
        np.testing.assert_array_equal(data.xs[:, n], one_hot(text))
    assert data.targets.min() == 0 and data.targets.max() == 3  # every depth occurs
    assert set("".join(texts)) == set(ALPHABET)


def test_generator_follows_its_rule_on_a_tiny_hand_worked_case() -> None:
    # The rule at each position, with open/close probability 0.2 each and max_depth 1:
    # u < 0.2 opens (if the depth allows), 0.2 <= u < 0.4 closes (if open), else a letter.
    task = BracketText(length=6, max_depth=1)
    rng = np.random.default_rng(7)
    draws = rng.random((6, 1))[:, 0]
    letters = rng.integers(0, 8, size=(6, 1))[:, 0]
    expected, depth = "", 0
    for u, letter in zip(draws, letters, strict=True):
        if u < 0.2 and depth < 1:
            expected, depth = expected + "(", depth + 1
        elif 0.2 <= u < 0.4 and depth > 0:
            expected, depth = expected + ")", depth - 1
        else:
            expected += LETTERS[letter]
    assert task.texts(1, np.random.default_rng(7)) == [expected]


def test_generator_respects_max_depth_and_never_closes_unopened() -> None:
    data = bracket_text(200, 40, max_depth=2, open_probability=0.45, close_probability=0.1, seed=5)
    assert data.targets.min() == 0 and data.targets.max() == 2
    for text in data.info["texts"]:
        bracket_depths(text, max_depth=2)  # raises if the rule was broken


def test_generator_is_seeded() -> None:
    first = bracket_text(20, 15, seed=3)
    again = bracket_text(20, 15, seed=3)
    other = bracket_text(20, 15, seed=4)
    np.testing.assert_array_equal(first.xs, again.xs)
    np.testing.assert_array_equal(first.targets, again.targets)
    assert first.info["texts"] == again.info["texts"]
    assert first.info["texts"] != other.info["texts"]


def test_task_sample_gives_fresh_text_from_the_generator() -> None:
    task = BracketText(length=12)
    rng = np.random.default_rng(0)
    first, second = task.sample(4, rng), task.sample(4, rng)
    assert first.info["texts"] != second.info["texts"]
    assert task.input_size == 10 and task.num_classes == 4


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"length": 0}, ValueError, "length must be an integer >= 1"),
        ({"length": 2.0}, TypeError, "length must be an integer"),
        ({"length": 5, "max_depth": 0}, ValueError, "max_depth must be an integer >= 1"),
        ({"length": 5, "open_probability": 0.0}, ValueError, "open_probability must lie strictly"),
        ({"length": 5, "close_probability": "0.2"}, TypeError, "close_probability must be a number"),
        ({"length": 5, "open_probability": 0.6, "close_probability": 0.4}, ValueError,
         "open_probability \\+ close_probability must be below 1"),
    ],
)
def test_task_rejects_bad_settings(arguments: dict, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        BracketText(**arguments)


def test_sampling_rejects_bad_arguments() -> None:
    task = BracketText(length=5)
    with pytest.raises(ValueError, match="num_examples must be an integer >= 1"):
        task.sample(0, np.random.default_rng(0))
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        task.sample(3, 0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="seed must be a non-negative integer"):
        bracket_text(3, 5, seed=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        bracket_text(3, 5, seed=-1)


# --------------------------------------------------------------------------------------------
# Correlation of the cell states with the depth
# --------------------------------------------------------------------------------------------


def test_a_hand_built_counting_unit_correlates_perfectly() -> None:
    # Unit 1 counts: forget gate and input gate wide open, candidate +tanh(1) at "(" and
    # -tanh(1) at ")", 0 at letters; so c_t = tanh(1) * depth exactly (up to sigma(20)).
    # Unit 2 never writes anything (input gate shut, candidate 0): its cell state stays 0.
    hidden = 2
    no_weights = np.zeros((hidden, hidden + len(ALPHABET)))
    candidate = no_weights.copy()
    candidate[0, hidden + ALPHABET.index("(")] = 1.0
    candidate[0, hidden + ALPHABET.index(")")] = -1.0
    cell = LSTMCell.from_arrays(
        W_f=no_weights, b_f=[30.0, 30.0], W_i=no_weights, b_i=[30.0, -30.0],
        W_c=candidate, b_c=[0.0, 0.0], W_o=no_weights, b_o=[0.0, 0.0],
    )
    model = SequenceModel(cell, 4, output_at="every")
    data = bracket_text(30, 25, seed=1)
    trace = model.run_cell(data.xs)
    np.testing.assert_allclose(trace.c[..., 0], np.tanh(1.0) * data.targets, atol=1e-9)
    correlations = cell_depth_correlations(model, data)
    np.testing.assert_allclose(correlations, [1.0, 0.0], atol=1e-9)
    forgotten, written = cell_changes(model, data, unit=0)
    for where, value in {"(": np.tanh(1.0), ")": -np.tanh(1.0), "letter": 0.0}.items():
        assert written[where] == pytest.approx(value, abs=1e-9)
        assert forgotten[where] == pytest.approx(0.0, abs=1e-9)
    forgotten, written = cell_changes(model, data, unit=1)
    assert all(abs(value) < 1e-9 for value in (*forgotten.values(), *written.values()))


def test_cell_changes_add_up_to_the_change_of_the_cell_state() -> None:
    model = SequenceModel(LSTMCell(10, 3, seed=5), 4, output_at="every", seed=5)
    data = bracket_text(20, 15, seed=6)
    trace = model.run_cell(data.xs)
    change = trace.c[..., 2] - trace.c_prev[..., 2]
    opening = data.xs[..., ALPHABET.index("(")] == 1
    forgotten, written = cell_changes(model, data, unit=2)
    assert forgotten["("] + written["("] == pytest.approx(change[opening].mean(), rel=1e-12)


def test_cell_changes_reject_bad_arguments() -> None:
    model = SequenceModel(LSTMCell(10, 3, seed=0), 4, output_at="every")
    data = bracket_text(2, 5)
    with pytest.raises(ValueError, match="unit must be below hidden_size=3"):
        cell_changes(model, data, unit=3)
    with pytest.raises(TypeError, match="unit must be an integer"):
        cell_changes(model, data, unit=1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="one-hot over the 10 characters"):
        cell_changes(model, SequenceData(np.zeros((5, 2, 4)), np.zeros((5, 2), dtype=int)), unit=0)


def test_correlations_match_numpy_corrcoef() -> None:
    model = SequenceModel(LSTMCell(10, 3, seed=4), 4, output_at="every", seed=4)
    data = bracket_text(10, 20, seed=2)
    cells = model.run_cell(data.xs).c.reshape(-1, 3)
    depths = data.targets.reshape(-1)
    expected = [np.corrcoef(cells[:, unit], depths)[0, 1] for unit in range(3)]
    np.testing.assert_allclose(cell_depth_correlations(model, data), expected, rtol=1e-12)


def test_correlations_reject_bad_arguments() -> None:
    model = SequenceModel(LSTMCell(10, 3, seed=0), 4, output_at="every")
    with pytest.raises(TypeError, match="model must be a SequenceModel with an LSTMCell"):
        cell_depth_correlations("model", bracket_text(2, 5))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="data must be SequenceData"):
        cell_depth_correlations(model, np.zeros((5, 2, 10)))  # type: ignore[arg-type]
    one_label_each = SequenceData(np.zeros((5, 2, 10)), np.zeros(2, dtype=int))
    with pytest.raises(ValueError, match="one depth per step"):
        cell_depth_correlations(model, one_label_each)


# --------------------------------------------------------------------------------------------
# The experiment's conclusions, on the chapter's run and on other seeds
# --------------------------------------------------------------------------------------------


#: Measured while choosing the budget (160 updates, learning rate 0.05; seeds 0-19, unperturbed
#: and perturbed by 1e-12, and seeds 0-19 on two other training texts): the accuracy on the
#: fresh text ended between 0.95 and 1.00 (the guess: 0.30), the best unit's |correlation|
#: between 0.92 and 0.99, every best unit counted brackets, at least 4 units followed the depth
#: loosely, and after a quarter of the budget 18 of 20 seeds were still below 90 % (seeds 0-9:
#: all ten, seeds 10-19: eight; medians 76 % and 73 %). With the earlier setting, 80 updates at
#: learning rate 0.1, one seed in 20 ended at 0.82, which is why the budget changed.


@pytest.fixture(scope="module", params=[0.0, 1e-12], ids=["unperturbed", "perturbed"])
def runs(request: pytest.FixtureRequest) -> ReadingTextRuns:
    """The chapter's run (seeds 0-9), and the same with initial weights perturbed by 1e-12."""
    return reading_text(seeds=SEEDS, perturbation=request.param)


@pytest.fixture(scope="module")
def chapter_run(runs: ReadingTextRuns) -> ReadingTextResult:
    """Seed 0 of the chapter's run (or of its perturbed twin)."""
    return runs.run(0)


def test_the_depth_of_fresh_text_is_named_on_most_seeds(runs: ReadingTextRuns) -> None:
    """"above 90 % on every seed" (or "on 9 of the 10 seeds"): the prose writes the count."""
    assert runs.seeds_above(runs.accuracies, ACCURACY_MARK) >= MOST, runs.table()
    assert runs.seeds_above(runs.accuracies - runs.majority_accuracies, 0.4) >= MOST, runs.table()


def test_a_unit_easy_to_read_turns_up_on_most_seeds(runs: ReadingTextRuns) -> None:
    assert runs.seeds_above(runs.best_correlations, EASY_TO_READ) >= MOST, runs.table()
    for run in runs.runs:
        assert abs(run.correlation) == pytest.approx(np.abs(run.correlations).max())
        assert run.easy_units == int((np.abs(run.correlations) > EASY_TO_READ).sum())


def test_the_best_unit_counts_brackets_on_most_seeds(runs: ReadingTextRuns) -> None:
    """One way at "(", the other way at ")", hardly at a letter; and the two parts add up."""
    assert int(runs.counts_brackets.sum()) >= MOST, runs.table()
    for run in runs.runs:
        changes = run.changes
        for where in changes:
            assert changes[where] == pytest.approx(run.forgotten[where] + run.written[where])


def test_more_than_one_unit_follows_the_depth_on_most_seeds(runs: ReadingTextRuns) -> None:
    assert runs.seeds_above(runs.loose_units, 1) >= MOST, runs.table()
    assert np.all(runs.loose_units >= runs.easy_units)


def test_a_quarter_of_the_budget_is_not_enough(runs: ReadingTextRuns) -> None:
    """The chapter's budget sweep: after 40 of 160 updates most networks do not yet count."""
    quarter = list(runs.eval_steps).index(runs.steps // 4)
    early = runs.eval_accuracies[:, quarter]
    assert np.median(early) < ACCURACY_MARK, runs.budget_table()
    assert runs.seeds_above(early, ACCURACY_MARK) < len(runs.seeds) / 2, runs.budget_table()
    np.testing.assert_array_equal(runs.eval_accuracies[:, -1], runs.accuracies)


def test_runs_hold_per_seed_arrays(runs: ReadingTextRuns) -> None:
    count = len(SEEDS)
    assert runs.seeds == SEEDS and [run.seed for run in runs.runs] == list(SEEDS)
    assert runs.accuracies.shape == runs.best_correlations.shape == runs.easy_units.shape == (count,)
    assert runs.correlations.shape == (count, runs.hidden_size)
    np.testing.assert_array_equal(runs.eval_steps, np.arange(40, runs.steps + 1, 40))
    assert runs.eval_accuracies.shape == (count, len(runs.eval_steps))
    assert runs.run(3) is runs.runs[3]
    assert runs.cpu_seconds > 0
    table, budget = runs.table(), runs.budget_table()
    assert len(table.splitlines()) == 2 + count and len(budget.splitlines()) == 1 + len(runs.eval_steps)
    with pytest.raises(ValueError, match="seed must be one of the seeds run"):
        runs.run(10)
    with pytest.raises(ValueError, match="values must hold one number per seed"):
        runs.seeds_above(np.zeros(3), 0.5)


def test_perturbation_moves_the_start_a_little() -> None:
    """A perturbed run starts from other weights: its losses differ, but only a little at first."""
    plain = reading_text(seeds=(0,), steps=2, num_test=20)
    perturbed = reading_text(seeds=(0,), steps=2, num_test=20, perturbation=1e-6)
    assert plain.perturbation == 0.0 and perturbed.perturbation == 1e-6
    assert not np.array_equal(plain.run(0).losses, perturbed.run(0).losses)
    np.testing.assert_allclose(plain.run(0).losses, perturbed.run(0).losses, rtol=1e-4)


def test_runs_are_deterministic_and_each_seed_trains_as_if_alone() -> None:
    first = reading_text(seeds=(0, 1), steps=5, num_test=20)
    again = reading_text(seeds=(0, 1), steps=5, num_test=20)
    for one, two in zip(first.runs, again.runs, strict=True):
        np.testing.assert_array_equal(one.losses, two.losses)
        np.testing.assert_array_equal(one.display_cell, two.display_cell)
    alone = reading_text(seeds=(1,), steps=5, num_test=20).run(1)
    # to rounding: the batched engine may add up in another order than one model alone
    np.testing.assert_allclose(alone.losses, first.run(1).losses, rtol=1e-9)
    np.testing.assert_allclose(alone.correlations, first.run(1).correlations, rtol=1e-7, atol=1e-9)


def test_result_holds_the_display_trace(chapter_run: ReadingTextResult) -> None:
    length = len(DISPLAY_TEXT)
    assert chapter_run.display_text == DISPLAY_TEXT
    assert chapter_run.display_cell.shape == (length,)
    np.testing.assert_array_equal(chapter_run.display_depths, bracket_depths(DISPLAY_TEXT))
    assert chapter_run.display_predictions.shape == (length,)
    assert chapter_run.correlations.shape == (chapter_run.hidden_size,)
    assert chapter_run.losses.shape == (chapter_run.steps,)
    assert chapter_run.losses[-10:].mean() < chapter_run.losses[:10].mean()
    assert 0.0 <= chapter_run.display_accuracy <= 1.0
    table = chapter_run.change_table()
    assert f"unit {chapter_run.unit + 1} (seed 0)" in table and "fresh text" in table
    assert len(table.splitlines()) == 5


def test_untrained_models_do_not_pass_the_conclusions() -> None:
    # A few training steps are not enough: the conclusion tests can fail.
    early = reading_text(seeds=(0, 1, 2), steps=5, num_test=50)
    assert early.seeds_above(early.accuracies, ACCURACY_MARK) == 0, early.table()
    assert early.seeds_above(early.best_correlations, EASY_TO_READ) < 3, early.table()


def test_reading_text_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="hidden_size must be an integer >= 1"):
        reading_text(hidden_size=0)
    with pytest.raises(TypeError, match="steps must be an integer"):
        reading_text(steps=10.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"seeds\[0\] must be a non-negative integer"):
        reading_text(seeds=(-1,))
    with pytest.raises(ValueError, match="distinct"):
        reading_text(seeds=(1, 1))
    with pytest.raises(TypeError, match="seeds must be a sequence"):
        reading_text(seeds=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="perturbation must be a finite number >= 0"):
        reading_text(perturbation=-1e-12)
    with pytest.raises(TypeError, match="perturbation must be a number"):
        reading_text(perturbation="small")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="eval_every must be an integer >= 1"):
        reading_text(eval_every=0)
    with pytest.raises(ValueError, match="lr must be a positive"):
        reading_text(lr=0)
    with pytest.raises(ValueError, match=r"text holds characters \['x'\]"):
        reading_text(display_text="a(x)")
    with pytest.raises(ValueError, match="never opened"):
        reading_text(display_text="a)")
    with pytest.raises(ValueError, match="deeper than max_depth=3"):
        reading_text(display_text="((((a))))")


# --------------------------------------------------------------------------------------------
# The figure
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["laptop", "projector"])
def test_figure_shows_the_characters_the_cell_state_and_the_depth(
    chapter_run: ReadingTextResult, size: str
) -> None:
    figure = plot_reading_text(chapter_run, size=size)
    strip, cell_axes, depth_axes = figure.axes[:3]
    # the characters: on tiles in the strip and as tick labels under the depth
    assert "".join(text.get_text() for text in strip.texts) == DISPLAY_TEXT
    assert [label.get_text() for label in depth_axes.get_xticklabels()] == list(DISPLAY_TEXT)
    # the strip's colours are the cell state, on a colour map centred on zero
    image = strip.images[0]
    np.testing.assert_array_equal(image.get_array()[0], chapter_run.display_cell)
    assert image.norm.vmin == -image.norm.vmax
    assert image.get_cmap().name == "PuOr"
    # the line is the cell state, the step plot the true depth
    cell_line = [line for line in cell_axes.get_lines() if len(line.get_xdata()) == len(DISPLAY_TEXT)]
    np.testing.assert_array_equal(cell_line[0].get_ydata(), chapter_run.display_cell)
    depth_lines = depth_axes.get_lines()
    np.testing.assert_array_equal(depth_lines[0].get_ydata(), chapter_run.display_depths)
    np.testing.assert_array_equal(depth_lines[1].get_ydata(), chapter_run.display_predictions)
    for axes in (cell_axes, depth_axes):
        assert axes.get_ylabel()
    assert depth_axes.get_xlabel() == "character read at step $t$"
    assert f"unit {chapter_run.unit + 1}" in strip.get_title()
    assert figure.legends and figure.axes[3].get_ylabel()  # legend and colour bar label


def test_figure_sizes_differ_and_bad_arguments_fail(chapter_run: ReadingTextResult) -> None:
    laptop = plot_reading_text(chapter_run).get_size_inches()
    projector = plot_reading_text(chapter_run, size="projector").get_size_inches()
    assert projector[0] > laptop[0]
    with pytest.raises(ValueError, match="size must be one of"):
        plot_reading_text(chapter_run, size="poster")
    with pytest.raises(TypeError, match="result must be a ReadingTextResult"):
        plot_reading_text({"unit": 0})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"got ReadingTextRuns \(one seed of it: runs.run\(seed\)\)"):
        plot_reading_text(reading_text(seeds=(0,), steps=1, num_test=5))  # type: ignore[arg-type]


def test_chapter_states_the_settings_the_run_uses() -> None:
    """The settings typed in the training chapter's prose are the defaults of reading_text."""
    import inspect
    from pathlib import Path

    chapter = " ".join((Path(__file__).resolve().parent.parent / "chapters" / "07-how-we-train.qmd")
                       .read_text(encoding="utf-8").split())
    defaults = {name: parameter.default
                for name, parameter in inspect.signature(reading_text).parameters.items()}
    assert defaults["seeds"] == tuple(range(10)) and "(seeds 0 to 9)" in chapter
    assert (f"a cell with {defaults['hidden_size']} units" in chapter
            and f"gets {defaults['steps']} updates on {defaults['num_train']} strings of "
                f"{defaults['length']} characters" in chapter)
    assert (f"{defaults['num_test']} fresh strings of {defaults['test_length']} characters" in chapter
            and f"holds for {defaults['steps']} updates" in chapter)
    assert f"every {defaults['eval_every']} updates" in chapter
    assert (f"above {EASY_TO_READ} in size" in chapter
            and f"a correlation above {FOLLOWS_LOOSELY} in size" in chapter)
