"""Chapter 7's training explorer (lstm/explorers/training.py, web/training.mjs), in a kernel and on the site.

Kernel (the explorer driven as a reader drives it: Play's ticks, Step, Reset, control values):

* it trains exactly as :func:`lstm.training.train` does (the same step, the same batches), and
  its figure shows what the model computes (the test sequence's gates and cell state, the
  gradient reaching each step, the losses);
* Play trains while it plays and not otherwise, the model's controls and Step are disabled
  while it plays, Reset starts again with a new seed, every control changes the picture;
* the alt text describes the current state.

Chromium, on the Quarto site (``open_page`` and the render of tests/site_fixtures.py): Play
makes the loss curve and the heat maps change over time, Pause stops them, Reset brings back
step 0, the alt text follows, no control is dead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from lstm.cell import LSTMCell
from lstm.explorers import TrainingExplorer, training_explorer
from lstm.explorers.training import (
    BATCH_SIZE,
    CLIP,
    EVAL_SEED,
    EVAL_SIZE,
    TASKS,
    make_model,
    make_task,
)
from lstm.explorers.web_widget import LiveWidget
from lstm.optimisers import Adam
from lstm.training import train, training_step

PAGE_ID = "07-how-we-train"


@pytest.fixture(autouse=True)
def live_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LSTM_BOOK_STATIC", raising=False)


@pytest.fixture(scope="module")
def shared() -> TrainingExplorer:
    return TrainingExplorer()


@pytest.fixture()
def explorer(shared: TrainingExplorer) -> TrainingExplorer:
    """The shared explorer, paused, at its starting values and step 0."""
    shared.reset()
    return shared


def tick(explorer: TrainingExplorer, count: int = 1) -> None:
    """What the Play widget's frontend does while playing: raise ``value`` by one per tick."""
    for _ in range(count):
        explorer.play.value += 1


def picture(explorer: TrainingExplorer) -> bytes:
    return bytes(explorer.figure.canvas.buffer_rgba())


# ------------------------------------------------------------------------------- kernel
@pytest.mark.parametrize("task", list(TASKS.values()))
def test_trains_exactly_as_train_does(explorer: TrainingExplorer, task: str) -> None:
    """Ticks and Steps make the updates of train() with the same seed: the same losses and weights."""
    explorer.set_values(task=task, length=9, units=3, forget_bias=0.5, learning_rate=0.03)
    explorer.train_steps(1)                                 # Step
    explorer.play.playing = True
    tick(explorer, 2)
    explorer.play.playing = False
    steps = 1 + 2 * TrainingExplorer.STEPS_PER_TICK
    assert explorer.run.steps == steps
    reference = make_model(task, make_task(task, 9).input_size, 3, 0.5, explorer.seed)
    history = train(reference, make_task(task, 9), steps=steps, lr=0.03, batch_size=BATCH_SIZE,
                    seed=explorer.seed, clip=CLIP, progress=False)
    np.testing.assert_array_equal(explorer.run.losses, history.losses)
    for name, array in reference.parameters.items():
        np.testing.assert_array_equal(explorer.run.model.parameters[name], array)


def test_training_step_is_trains_step() -> None:
    """training_step on train()'s batches gives train()'s losses and weights, bit for bit."""
    task = make_task("adding_problem", 10)
    model = make_model("adding_problem", 2, 4, 1.0, 7)
    copy = model.copy()
    history = train(copy, task, steps=30, lr=0.02, batch_size=8, seed=3, progress=False)
    optimiser, rng = Adam(model.parameters, lr=0.02), np.random.default_rng(3)
    losses = [training_step(model, task.sample(8, rng), optimiser, 1.0).loss for _ in range(30)]
    np.testing.assert_array_equal(losses, history.losses)
    for name, array in copy.parameters.items():
        np.testing.assert_array_equal(model.parameters[name], array)


def test_figure_shows_what_the_model_computes(explorer: TrainingExplorer) -> None:
    explorer.set_values(task="delayed_recall", length=7, units=2)
    explorer.train_steps(15)
    task = make_task("delayed_recall", 7)
    data = task.sample(EVAL_SIZE, np.random.default_rng(EVAL_SEED))
    model = explorer.run.model
    trace = model.run_cell(data.xs)
    for gate, name in (("forget", "f"), ("input", "i"), ("candidate", "c_tilde"), ("output", "o")):
        shown = explorer.heatmaps.images[gate].get_array()
        np.testing.assert_array_equal(shown, getattr(trace, name)[:, 0].T)
    for unit in range(2):
        np.testing.assert_array_equal(explorer.cell_lines[unit].get_ydata(), trace.c[:, 0, unit])
    assert all(len(line.get_xdata()) == 0 for line in explorer.cell_lines[2:])
    # the gradient reaching c_t, by hand: readout and cell backward of the test loss
    cache = model.forward(data.xs)
    loss, doutputs = model.loss(cache.outputs, data)
    readout_grads, dhidden = model.readout.backward(cache.hidden, doutputs)
    dh = np.zeros_like(trace.h)
    dh[-1] = dhidden
    norms = np.linalg.norm(model.cell.backward(trace, dh).dc, axis=-1).mean(axis=1)
    np.testing.assert_allclose(explorer.reach_line.get_ydata(), norms / norms.max(), rtol=1e-12)
    np.testing.assert_array_equal(explorer.loss_line.get_ydata(), explorer.run.losses)
    assert explorer.run.accuracies[-1] == model.scores(data)[1]
    assert explorer.run.accuracy_steps[-1] == 15


def test_play_trains_only_while_playing_and_disables_the_models_controls(explorer: TrainingExplorer) -> None:
    tick(explorer)                                          # not playing: a tick does nothing
    assert explorer.run.steps == 0
    explorer.play.playing = True
    for name in TrainingExplorer.SETUP_CONTROLS:
        assert explorer.controls[name].disabled, name
    assert explorer.step_button.disabled
    assert not explorer.controls["learning_rate"].disabled
    before = picture(explorer)
    tick(explorer, 3)
    assert explorer.run.steps == 3 * TrainingExplorer.STEPS_PER_TICK
    assert picture(explorer) != before
    explorer.play.playing = False                           # pause
    assert not any(explorer.controls[name].disabled for name in TrainingExplorer.SETUP_CONTROLS)
    assert not explorer.step_button.disabled
    paused = picture(explorer)
    explorer.play.value = 0                                 # the stop button: no training
    assert explorer.run.steps == 3 * TrainingExplorer.STEPS_PER_TICK
    assert picture(explorer) == paused


def test_step_reset_and_the_learning_rate(explorer: TrainingExplorer) -> None:
    first = (picture(explorer), explorer.describe())
    seed = explorer.seed
    explorer.step_button.click()
    assert explorer.run.steps == 1
    explorer.set_values(learning_rate=0.1)                  # applies from the next step, keeps the run
    assert explorer.run.steps == 1 and explorer.run.optimiser.lr == 0.1
    explorer.train_steps(4)
    assert explorer.run.steps == 5
    explorer.set_values(forget_bias=2.0)                    # a model control: starts again, same seed
    assert explorer.run.steps == 0 and explorer.seed == seed
    np.testing.assert_array_equal(explorer.run.model.cell.b_f, 2.0)
    explorer.play.playing = True
    explorer.reset_button.click()                           # pauses, new seed, starting values, step 0
    assert not explorer.play.playing
    assert explorer.seed == seed + 1 and explorer.run.steps == 0
    assert explorer.values() == explorer.defaults
    reference = LSTMCell(6, 8, seed=seed + 1, forget_bias=1.0)
    np.testing.assert_array_equal(explorer.run.model.cell.W_f, reference.W_f)
    assert "Before training (step 0)" in explorer.describe()
    assert explorer.describe() != first[1] and f"(seed {seed + 1}," in explorer.describe()


def test_every_control_changes_the_picture(explorer: TrainingExplorer) -> None:
    explorer.train_steps(3)
    for name, control in explorer.controls.items():
        before = (picture(explorer), explorer.describe())
        if hasattr(control, "options"):
            values = [option[1] for option in control.options]
            control.value = next(value for value in values if value != control.value)
        else:
            control.value = control.min if control.value != control.min else control.max
        assert (picture(explorer), explorer.describe()) != before, name
    before = picture(explorer)
    explorer.step_button.click()
    assert picture(explorer) != before


def test_alt_text_describes_the_current_state(explorer: TrainingExplorer) -> None:
    text = explorer.describe()
    assert text.startswith("Training a 8-unit LSTM on delayed recall with sequences of T = 12 steps (seed")
    assert "Before training (step 0)" in text and "chance 0.25" in text
    explorer.set_values(task="adding_problem", length=10, units=3)
    explorer.train_steps(7)
    text = explorer.describe()
    run = explorer.run
    assert "3-unit LSTM on adding problem with sequences of T = 10 steps" in text
    assert f"After 7 training steps the training loss is {run.losses[-1]:.3f}" in text
    assert f"(it started at {run.losses[0]:.3f})" in text
    assert f"accuracy on {EVAL_SIZE} test sequences {explorer.scores['accuracy']:.2f}." in text
    assert "chance" not in text
    assert f"{explorer.scores['reach'][0]:.1e} of its largest value" in text
    assert explorer.summary.value.startswith("<p aria-live='polite'>Training a 3-unit")


def test_updates_reuse_the_figure_and_add_no_artists(explorer: TrainingExplorer) -> None:
    figure = explorer.figure
    count = sum(len(ax.get_children()) for ax in figure.axes)
    explorer.train_steps(5)
    explorer.set_values(task="remember_forever", length=30, units=5)
    explorer.train_steps(5)
    assert explorer.figure is figure
    assert sum(len(ax.get_children()) for ax in figure.axes) == count


def test_time_axes_have_integer_ticks(explorer: TrainingExplorer) -> None:
    explorer.set_values(length=5)
    explorer.figure.canvas.draw()
    for ax in (explorer.reach_ax, explorer.cell_ax, *explorer.heat_axes, explorer.loss_ax):
        ticks = ax.get_xticks()
        assert np.all(ticks == np.round(ticks)), ticks


def test_static_mode_gives_the_live_web_widget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LSTM_BOOK_STATIC", "1")
    widget = training_explorer()
    assert isinstance(widget, LiveWidget) and widget.spec["renderer"] == "training"
    assert [control["name"] for control in widget.spec["controls"]] == [
        "task", "length", "units", "forget_bias", "learning_rate"]


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="size"):
        training_explorer("poster")
    with pytest.raises(ValueError, match="task must be one of"):
        make_task("sorting", 5)


# ------------------------------------------------------------------------------- the site
def widget_state(page: Any, element_id: str) -> dict[str, Any]:
    return page.evaluate(
        """(id) => {
            const root = document.getElementById(id);
            const training = root.lstmWidget.renderer.training;
            return {state: training.state(), ticks: training.ticks.length,
                    loss: root.querySelector("[data-key=loss]").getAttribute("d"),
                    lossNumbers: JSON.parse(
                        root.querySelector("[data-key=loss]").getAttribute("data-numbers")),
                    forget: root.querySelector("[data-key=forget]").getAttribute("data-numbers"),
                    summary: root.querySelector(".lstm-live-summary").textContent,
                    alts: Array.from(root.querySelectorAll("svg[aria-label]"))
                        .map(e => e.getAttribute("aria-label")),
                    disabled: Object.fromEntries(Array.from(root.querySelectorAll("input, select, button"))
                        .map(e => [e.id || e.className, e.disabled]))};
        }""", element_id)


@pytest.fixture()
def training_widget(open_page: Callable) -> tuple[Any, str]:
    page, recorder = open_page(PAGE_ID)
    element_id = page.evaluate(
        """() => Array.from(document.querySelectorAll("figure.lstm-live-explorer"))
            .find(f => f.lstmWidget && f.lstmWidget.renderer && f.lstmWidget.renderer.training).id""")
    page.wait_for_function("(id) => document.getElementById(id).dataset.state === 'ready'", arg=element_id)
    page.locator(f"#{element_id} button.lstm-reset").click()
    yield page, element_id
    assert recorder.console_errors == []


def test_play_changes_the_loss_and_heat_maps_pause_stops_them(training_widget: tuple[Any, str]) -> None:
    page, element_id = training_widget
    first = widget_state(page, element_id)
    assert first["state"]["steps"] == 0 and not first["state"]["playing"]
    assert first["lossNumbers"] == [] and "Before training (step 0)" in first["summary"]
    page.locator(f"#{element_id} button.lstm-play").click()
    time.sleep(0.3)
    seen = [widget_state(page, element_id)]
    for _ in range(3):
        time.sleep(0.5)
        seen.append(widget_state(page, element_id))
    playing = seen[-1]
    assert playing["state"]["playing"]
    steps = [state["state"]["steps"] for state in seen]
    assert steps == sorted(steps) and steps[-1] > steps[0] > 0, steps
    assert len({state["loss"] for state in seen}) == len(seen), "the loss curve did not change at every look"
    assert len({state["forget"] for state in seen}) > 1, "the forget gate's heat map did not change"
    for name in ("length", "units", "forget_bias", "task"):
        assert playing["disabled"][f"{element_id}-{name}"], name
    assert not playing["disabled"][f"{element_id}-learning_rate"]
    page.locator(f"#{element_id} button.lstm-pause").click()
    paused = widget_state(page, element_id)
    time.sleep(0.6)
    later = widget_state(page, element_id)
    assert not later["state"]["playing"]
    assert later["state"]["steps"] == paused["state"]["steps"]
    assert later["loss"] == paused["loss"] and later["forget"] == paused["forget"]
    model_controls = ("length", "units", "forget_bias", "task")
    assert not any(later["disabled"][f"{element_id}-{name}"] for name in model_controls)
    steps_done = later["state"]["steps"]
    assert f"After {steps_done} training steps the training loss is" in later["summary"]
    assert all(alt == later["summary"] for alt in later["alts"])
    final_loss = later["lossNumbers"][-1]
    assert f"the training loss is {final_loss:.3f}" in later["summary"]


def test_reset_restores_the_first_frame_and_step_trains_one_step(training_widget: tuple[Any, str]) -> None:
    page, element_id = training_widget
    first = widget_state(page, element_id)
    page.locator(f"#{element_id} button.lstm-step").click()
    stepped = widget_state(page, element_id)
    assert stepped["state"]["steps"] == 1 and len(stepped["lossNumbers"]) == 1
    assert stepped["forget"] != first["forget"]
    page.locator(f"#{element_id} button.lstm-play").click()
    time.sleep(0.5)
    page.locator(f"#{element_id} button.lstm-reset").click()
    reset = widget_state(page, element_id)
    assert not reset["state"]["playing"] and reset["state"]["steps"] == 0
    assert reset["state"]["seed"] == first["state"]["seed"] + 1
    assert reset["lossNumbers"] == [] and reset["loss"] == first["loss"]
    assert "Before training (step 0)" in reset["summary"]
    assert f"(seed {reset['state']['seed']}," in reset["summary"]
    assert reset["alts"] and all(alt == reset["summary"] for alt in reset["alts"])
    assert not reset["disabled"][f"{element_id}-length"]


def test_moving_a_model_control_starts_again_and_the_rate_does_not(training_widget: tuple[Any, str]) -> None:
    page, element_id = training_widget
    page.locator(f"#{element_id} button.lstm-step").click()
    page.locator(f"#{element_id} button.lstm-step").click()
    page.locator(f"#{element_id}-learning_rate").select_option(label="0.1")
    state = widget_state(page, element_id)
    assert state["state"]["steps"] == 2 and state["state"]["lr"] == 0.1
    assert "learning rate 0.1," in state["summary"]
    page.locator(f"#{element_id}-length").fill("30")
    state = widget_state(page, element_id)
    assert state["state"]["steps"] == 0 and "T = 30 steps" in state["summary"]
    forget = page.evaluate(
        "(id) => JSON.parse(document.querySelector(`#${id} [data-key=forget]`).getAttribute('data-numbers'))",
        element_id)
    assert len(forget) == 30 and all(len(row) == 8 for row in forget)
