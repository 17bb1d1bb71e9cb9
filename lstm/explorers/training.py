"""Chapter 7's explorer: watch a small LSTM learn, step by step.

:class:`TrainingExplorer` trains a 1- to 8-unit LSTM with the book's own training step
(:func:`lstm.training.training_step`: forward pass, loss, back-propagation through time,
clipping, one Adam update; :func:`lstm.training.train` runs the same step) on a task the reader
picks from :mod:`lstm.tasks`: delayed recall (:class:`~lstm.tasks.DelayedRecall`), the adding
problem (:class:`~lstm.tasks.AddingProblem`) or "remember forever"
(:class:`~lstm.tasks.RememberForever`). It shows, updated in place as it trains:

* the training loss of every step so far (log scale);
* the accuracy on 64 test sequences, at every redraw;
* how much gradient reaches each earlier step of the test sequences (the cell state's
  gradient norm, relative to its largest value): how far back the learning signal reaches;
* the first test sequence run through the cell: its gates as heat maps and :math:`c_t`.

Controls. An :class:`ipywidgets.Play` runs the training (each of its ticks trains
:attr:`TrainingExplorer.STEPS_PER_TICK` steps and redraws once, so the notebook stays
responsive; its pause and stop buttons both pause), *Step* trains one step, *Reset* starts
again from step 0 with a new seed. The learning rate applies from the next step, also while
playing. The task, the sequence length, the number of units and the initial forget-gate bias
define the model, so changing one starts again from step 0 (same seed); they are disabled
while training plays.

Its one-call function :func:`training_explorer` gives the live web widget on a static page,
where ``web/training.mjs`` trains the same model in the browser (the same step, tested equal
to :func:`~lstm.training.training_step` by ``tests/js/training.test.mjs``).
"""

from __future__ import annotations

from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
from matplotlib.artist import Artist
from matplotlib.ticker import MaxNLocator

from lstm.cell import LSTMCell
from lstm.explorers.base import Explorer, format_number
from lstm.explorers.controls import dropdown, int_slider, slider
from lstm.explorers.static import live_or_static
from lstm.optimisers import Adam
from lstm.plots import GATES, plot_gate_heatmaps
from lstm.style import COLOUR_CYCLE, GATE_COLOURS, OKABE_ITO, check_size
from lstm.tasks import AddingProblem, DelayedRecall, RememberForever
from lstm.training import SequenceModel, training_step

__all__ = [
    "BATCH_SIZE",
    "CLIP",
    "EVAL_SEED",
    "EVAL_SIZE",
    "LEARNING_RATES",
    "NUM_SYMBOLS",
    "TASKS",
    "TrainingExplorer",
    "TrainingRun",
    "cell_limits",
    "make_model",
    "make_task",
    "training_explorer",
]

#: The tasks the reader can pick: menu label -> key.
TASKS: dict[str, str] = {
    "delayed recall": "delayed_recall",
    "adding problem": "adding_problem",
    "remember forever": "remember_forever",
}
#: Sequences per training step.
BATCH_SIZE: int = 16
#: Test sequences scored at every redraw (the first is the one shown).
EVAL_SIZE: int = 64
#: Seed of the test sequences (the same for every training seed).
EVAL_SEED: int = 2026
#: Gradient clipping (global norm), as :func:`lstm.training.train`'s default.
CLIP: float = 1.0
#: Symbols of delayed recall and "remember forever".
NUM_SYMBOLS: int = 4
#: The learning-rate menu.
LEARNING_RATES: tuple[float, ...] = (0.001, 0.003, 0.01, 0.03, 0.1)
#: Smallest values drawn on the log-scale axes.
LOSS_FLOOR: float = 1e-4
GRADIENT_FLOOR: float = 1e-8


def make_task(task: str, length: int) -> Any:
    """The task object of :mod:`lstm.tasks` for a menu key and a sequence length ``T``.

    Delayed recall of length ``T`` has ``T - 2`` distractor steps between the symbol and the
    recall cue.

    Raises
    ------
    ValueError
        If ``task`` is not a value of :data:`TASKS` or ``length`` is too short for it.
    """
    if task == "delayed_recall":
        return DelayedRecall(delay=length - 2, num_symbols=NUM_SYMBOLS)
    if task == "adding_problem":
        return AddingProblem(length=length)
    if task == "remember_forever":
        return RememberForever(length=length, num_symbols=NUM_SYMBOLS)
    raise ValueError(f"task must be one of {list(TASKS.values())}; got {task!r}")


def make_model(task: str, input_size: int, units: int, forget_bias: float, seed: int) -> SequenceModel:
    """The explorer's model for a task: an LSTM of ``units`` units and a read-out.

    Delayed recall reads the last step (4 classes), the adding problem the last step (one
    value, squared error), "remember forever" every step (4 classes).
    """
    cell = LSTMCell(input_size, units, seed=seed, forget_bias=forget_bias)
    if task == "adding_problem":
        return SequenceModel(cell, 1, objective="regression", seed=seed)
    output_at = "every" if task == "remember_forever" else "last"
    return SequenceModel(cell, NUM_SYMBOLS, output_at=output_at, seed=seed)


class TrainingRun:
    """One training run: the model, its optimiser, the task's random stream and the history.

    Parameters
    ----------
    task : str
        A value of :data:`TASKS`.
    length : int
        Sequence length ``T``.
    units : int
        Hidden units ``H``.
    forget_bias : float
        Initial forget-gate bias (every unit).
    seed : int
        Seed of the initial weights and of the training batches.
    lr : float
        Learning rate (may be changed between steps: :attr:`optimiser` ``.lr``).
    """

    def __init__(self, task: str, length: int, units: int, forget_bias: float, seed: int, lr: float) -> None:
        self.settings = (task, length, units, forget_bias, seed)
        self.task_key = task
        self.task = make_task(task, length)
        self.model = make_model(task, self.task.input_size, units, forget_bias, seed)
        self.optimiser = Adam(self.model.parameters, lr=lr)
        self.rng = np.random.default_rng(seed)
        self.eval_data = self.task.sample(EVAL_SIZE, np.random.default_rng(EVAL_SEED))
        self.tolerance = self.task.criterion if task == "adding_problem" else 0.04
        self.losses: list[float] = []
        self.accuracy_steps: list[int] = []
        self.accuracies: list[float] = []
        self.diverged = False

    @property
    def steps(self) -> int:
        """Updates made so far."""
        return len(self.losses)

    def train(self, steps: int) -> None:
        """Make ``steps`` updates with :func:`lstm.training.training_step` (fewer if it diverges)."""
        for _ in range(steps):
            if self.diverged:
                return
            batch = self.task.sample(BATCH_SIZE, self.rng)
            outcome = training_step(self.model, batch, self.optimiser, CLIP)
            if outcome is None:
                self.diverged = True
                return
            self.losses.append(outcome.loss)

    def evaluate(self) -> dict[str, Any]:
        """Score the test sequences and back-propagate their loss (nothing is updated).

        Returns
        -------
        dict
            ``loss``, ``accuracy`` (on the :data:`EVAL_SIZE` test sequences), ``trace`` (the
            cell's trace of the first one, unbatched, ``(T, H)`` fields) and ``reach`` (``(T,)``:
            the norm of the gradient reaching :math:`c_t`, mean over the test sequences,
            divided by its largest value).
        """
        data = self.eval_data
        with np.errstate(over="ignore", invalid="ignore"):
            cache = self.model.forward(data.xs, data.lengths)
            loss, doutputs = self.model.loss(cache.outputs, data)
            _readout_grads, cell_grads = self.model.backward_parts(cache, doutputs)
        accuracy = self.model.accuracy_of(cache.outputs, data, self.tolerance)
        norms = np.linalg.norm(cell_grads.dc, axis=-1).mean(axis=1)
        largest = float(norms.max())
        reach = norms / largest if largest > 0 and np.isfinite(largest) else np.zeros_like(norms)
        trace = cache.inner
        first = {name: getattr(trace, name)[:, 0] for name in ("f", "i", "c_tilde", "o", "c")}
        return {"loss": float(loss), "accuracy": float(accuracy), "trace": first, "reach": reach}


def cell_limits(c: np.ndarray) -> tuple[float, float]:
    """The value axis of the cell-state plot: ±1.5, ±3, ±6, ... (the first that holds every value).

    Doubling steps keep the axis still for many redraws while training changes ``c``.
    """
    largest = float(np.max(np.abs(c))) if np.all(np.isfinite(c)) else 1.0
    limit = 1.5
    while limit < 1.05 * largest and limit < 1e6:
        limit *= 2.0
    return (-limit, limit)


class _FirstSequence:
    """The gates and cell state of the first test sequence, as ``plot_gate_heatmaps`` reads a trace."""

    def __init__(self, values: dict[str, np.ndarray]) -> None:
        for name, value in values.items():
            setattr(self, name, value)


class TrainingExplorer(Explorer):
    """Play, pause, step and reset the training of a small LSTM, and watch it learn.

    Controls (in :attr:`controls`): ``task``, ``length`` (T), ``units`` (H), ``forget_bias``
    (initial ``b_f``), ``learning_rate``; besides them :attr:`play` (an ``ipywidgets.Play``),
    :attr:`step_button` and the Reset button (new seed).
    """

    name = "training"
    static_parameter = "forget_bias"
    static_caption = "Training a small LSTM step by step."
    figsize: ClassVar[dict[str, tuple[float, float]]] = {
        "laptop": (11.0, 7.6),
        "projector": (14.0, 9.6),
    }
    #: Training steps per tick of the Play widget (then one redraw).
    STEPS_PER_TICK: ClassVar[int] = 20
    #: Milliseconds between two ticks of the Play widget.
    TICK_INTERVAL: ClassVar[int] = 300
    #: Controls that define the model: changing one starts again; disabled while playing.
    SETUP_CONTROLS: ClassVar[tuple[str, ...]] = ("task", "length", "units", "forget_bias")
    #: Largest number of units.
    MAX_UNITS: ClassVar[int] = 8

    def __init__(self, size: str = "laptop") -> None:
        self.seed = 0
        self.run: TrainingRun | None = None
        self.play = widgets.Play(value=0, min=0, max=10**9, step=1, interval=self.TICK_INTERVAL,
                                 show_repeat=False, description="Train",
                                 tooltip="Play trains; pause (or stop) pauses")
        self.step_button = widgets.Button(description="Step", tooltip="Train one step",
                                          layout=widgets.Layout(width="120px"))
        super().__init__(size)
        self.reset_button.description = "Reset (new seed)"
        self.reset_button.tooltip = "Start again from step 0 with a new seed (pauses)"
        self.reset_button.layout.width = "160px"
        self.play.observe(self._on_tick, names="value")
        self.play.observe(self._on_playing, names="playing")
        self.step_button.on_click(lambda _button: self.train_steps(1))

    # -- controls --------------------------------------------------------------------------
    def _make_controls(self) -> dict[str, widgets.Widget]:
        return {
            "task": dropdown("task", list(TASKS.items()), "delayed_recall", "The task the LSTM learns"),
            "length": int_slider("sequence length T", 12, 4, 40,
                                 "Steps per sequence (delayed recall: T - 2 distractors); starts again"),
            "units": int_slider("units H", 8, 1, self.MAX_UNITS, "Hidden units of the LSTM; starts again"),
            "forget_bias": slider("initial forget bias b_f", 1.0, -2.0, 4.0, 0.25,
                                  "Forget-gate bias at initialisation; starts again"),
            "learning_rate": dropdown("learning rate", [(f"{rate:g}", rate) for rate in LEARNING_RATES],
                                      0.01, "Adam's learning rate, from the next step on"),
        }

    def _extra_controls(self) -> list[widgets.Widget]:
        return [widgets.HBox([self.play, self.step_button])]

    def _control_groups(self) -> list[tuple[str, list[str]]]:
        return [("Model and task (changing one starts again)", list(self.SETUP_CONTROLS)),
                ("Training", ["learning_rate"])]

    # -- figure ----------------------------------------------------------------------------
    def _build_figure(self) -> None:
        figure = self.figure
        left, width = 0.07, 0.36
        bottoms = [0.82 - k * 0.245 for k in range(4)]
        self.loss_ax, self.accuracy_ax, self.reach_ax, self.cell_ax = (
            figure.add_axes((left, bottom, width, 0.13)) for bottom in bottoms)
        heat_axes = [figure.add_axes((0.53, bottom, 0.40, 0.13)) for bottom in bottoms]
        self._compute()
        (self.loss_line,) = self.loss_ax.plot([], [], color=OKABE_ITO["blue"])
        self.loss_ax.set_title("Training loss")
        self.loss_ax.set_xlabel("training step")
        self.loss_ax.set_ylabel("loss")
        self.loss_ax.set_yscale("log")
        (self.accuracy_line,) = self.accuracy_ax.plot([], [], color=OKABE_ITO["bluish_green"], marker=".")
        self.chance_line = self.accuracy_ax.axhline(0.0, color=OKABE_ITO["black"], linewidth=0.8,
                                                    linestyle="--")
        self.accuracy_ax.set_ylim(-0.03, 1.03)
        self.accuracy_ax.set_title(f"Accuracy on {EVAL_SIZE} test sequences")
        self.accuracy_ax.set_xlabel("training step")
        self.accuracy_ax.set_ylabel("accuracy")
        (self.reach_line,) = self.reach_ax.plot([], [], color=GATE_COLOURS["cell"], marker=".")
        self.reach_ax.set_yscale("log")
        self.reach_ax.set_ylim(GRADIENT_FLOOR / 2, 2.0)
        self.reach_ax.set_title("Gradient reaching $c_t$ (relative to its largest)")
        self.reach_ax.set_xlabel("time step $t$")
        self.reach_ax.set_ylabel("gradient norm")
        self.cell_lines = [self.cell_ax.plot([], [], color=COLOUR_CYCLE[k % len(COLOUR_CYCLE)])[0]
                           for k in range(self.MAX_UNITS)]
        self.cell_ax.axhline(0.0, color=OKABE_ITO["black"], linewidth=0.8)
        self.cell_ax.set_title("Cell state $c_t$ of the first test sequence")
        self.cell_ax.set_xlabel("time step $t$")
        self.cell_ax.set_ylabel("$c_t$")
        self.heatmaps = plot_gate_heatmaps(heat_axes, _FirstSequence(self.scores["trace"]))
        for ax in heat_axes[:-1]:
            ax.set_xlabel("")
        self.heat_axes = heat_axes
        for ax in (self.loss_ax, self.accuracy_ax, self.reach_ax, self.cell_ax, *heat_axes):
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        self._shape: tuple[int, int] | None = None
        self._redraw()

    def _dynamic_artists(self) -> list[Artist]:
        return [self.loss_line, self.accuracy_line, self.reach_line, *self.cell_lines,
                *self.heatmaps.dynamic_artists()]

    # -- state -----------------------------------------------------------------------------
    def _settings(self) -> tuple[str, int, int, float, int]:
        values = self.values()
        return (values["task"], int(values["length"]), int(values["units"]),
                float(values["forget_bias"]), self.seed)

    def _compute(self) -> None:
        settings = self._settings()
        lr = float(self.controls["learning_rate"].value)
        if self.run is None or self.run.settings != settings:
            self.run = TrainingRun(*settings, lr=lr)
        self.run.optimiser.lr = lr
        self.scores = self.run.evaluate()
        if not self.run.accuracy_steps or self.run.accuracy_steps[-1] != self.run.steps:
            self.run.accuracy_steps.append(self.run.steps)
            self.run.accuracies.append(self.scores["accuracy"])
        self._sync_controls()

    def _redraw(self) -> None:
        run, scores = self.run, self.scores
        trace = scores["trace"]
        steps, units = trace["c"].shape
        t = np.arange(1, steps + 1)
        if self._shape != (steps, units):
            self._shape = (steps, units)
            for ax in (self.reach_ax, self.cell_ax):
                ax.set_xlim(0.5, steps + 0.5)
            for ax in self.heat_axes:
                ax.set_ylim(-0.5, units - 0.5)
                ax.set_yticks(range(units), [str(unit + 1) for unit in range(units)])
        self.heatmaps.update(_FirstSequence(trace))
        for unit, line in enumerate(self.cell_lines):
            if unit < units:
                line.set_data(t, trace["c"][:, unit])
            else:
                line.set_data([], [])
        self.cell_ax.set_ylim(*cell_limits(trace["c"]))
        self.reach_line.set_data(t, np.maximum(scores["reach"], GRADIENT_FLOOR))
        losses = np.maximum(np.asarray(run.losses), LOSS_FLOOR)
        self.loss_line.set_data(np.arange(1, losses.size + 1), losses)
        span = self._step_span(run.steps)
        top = 3.0 if run.task_key != "adding_problem" else 1.0
        self.loss_ax.set_xlim(0, span)
        self.loss_ax.set_ylim(LOSS_FLOOR, top)
        self.accuracy_ax.set_xlim(0, span)
        self.accuracy_line.set_data(run.accuracy_steps, run.accuracies)
        chance = 1.0 / NUM_SYMBOLS if run.task_key != "adding_problem" else 0.0
        self.chance_line.set_ydata([chance, chance])

    @staticmethod
    def _step_span(steps: int) -> int:
        """The training-step axis: 100 steps, doubled whenever training passes its end."""
        span = 100
        while steps > span:
            span *= 2
        return span

    def _layout_key(self) -> tuple:
        return (*super()._layout_key(), self._shape, float(self.chance_line.get_ydata()[0]))

    # -- training --------------------------------------------------------------------------
    def train_steps(self, steps: int) -> None:
        """Train ``steps`` more steps with the current settings, then redraw once."""
        if self.run is None or self.run.diverged:
            return
        self.run.optimiser.lr = float(self.controls["learning_rate"].value)
        self.run.train(steps)
        if self.run.diverged:
            self.play.playing = False
        self.update()

    def _on_tick(self, change: dict) -> None:
        if self.play.playing and change["new"] > change["old"]:   # stop sets the value back: no step
            self.train_steps(self.STEPS_PER_TICK)

    def _on_playing(self, _change: dict) -> None:
        self._sync_controls()

    def _sync_controls(self) -> None:
        """Disable what does not apply now: the model's controls and Step while playing."""
        playing = bool(self.play.playing)
        diverged = self.run is not None and self.run.diverged
        for name in self.SETUP_CONTROLS:
            self.controls[name].disabled = playing
        self.step_button.disabled = playing or diverged
        self.play.disabled = diverged

    def reset(self) -> None:
        """Pause, take a new seed and start again from step 0 with the controls' starting values."""
        self.play.playing = False
        self.seed += 1
        self.run = None
        with self.hold():
            for name, value in self.defaults.items():
                self.controls[name].value = value

    # -- words -----------------------------------------------------------------------------
    def describe(self) -> str:
        run, scores = self.run, self.scores
        task = next(label for label, key in TASKS.items() if key == run.task_key)
        task_name, length, units, forget_bias, seed = run.settings
        trace = scores["trace"]
        steps = trace["c"].shape[0]
        if run.steps:
            progress = (f"After {run.steps} training steps the training loss is {run.losses[-1]:.3f} "
                        f"(it started at {run.losses[0]:.3f})")
        else:
            progress = "Before training (step 0)"
        chance = "" if task_name == "adding_problem" else f", chance {1.0 / NUM_SYMBOLS:.2f}"
        means = ", ".join(f"{gate} {float(np.mean(trace[key])):.2f}"
                          for gate, key in zip(GATES, ("f", "i", "c_tilde", "o"), strict=True))
        diverged = " Training diverged; reset to start again." if run.diverged else ""
        return (
            f"Training a {units}-unit LSTM on {task} with sequences of T = {length} steps (seed {seed}, "
            f"learning rate {self.controls['learning_rate'].value:g}, initial forget bias "
            f"{format_number(forget_bias)}). {progress}; accuracy on {EVAL_SIZE} test sequences "
            f"{scores['accuracy']:.2f}{chance}. Heat maps of the first test sequence's gates over "
            f"its {steps} steps (mean values: {means}). The gradient reaching the first step's "
            f"cell state is {max(float(scores['reach'][0]), 0.0):.1e} of its largest value."
            f"{diverged}"
        )


def training_explorer(size: str = "laptop") -> Any:
    """Chapter 7: train a small LSTM on a task the reader picks and watch it learn.

    Parameters
    ----------
    size : {"laptop", "projector"}
        Figure and font size.

    Returns
    -------
    TrainingExplorer or lstm.explorers.web_widget.LiveWidget
        Live explorer, or its live web widget (trained in the browser by ``web/training.mjs``)
        if ``LSTM_BOOK_STATIC=1``.

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    """
    check_size(size)
    return live_or_static(lambda: TrainingExplorer(size))
