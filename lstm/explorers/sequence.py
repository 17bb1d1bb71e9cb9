"""Chapter 6's explorer: a three-unit cell run over a whole input sequence.

:class:`SequenceExplorer` (input presets :data:`INPUT_PRESETS`, teacher scenarios
:data:`SCENARIOS`, line plots of ``x_t``, ``c_t``, ``h_t`` and heat maps of the gates) and its
one-call function :func:`sequence_explorer` (static form: a live web widget with the
same controls).
"""

from __future__ import annotations

from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from lstm.cell import LSTMCell
from lstm.explorers.base import Explorer, escape_html
from lstm.explorers.controls import dropdown, int_slider, slider
from lstm.explorers.static import live_or_static
from lstm.plots import (
    GATE_ATTRIBUTES,
    GATE_SUBSCRIPTS,
    GATES,
    plot_gate_heatmaps,
    plot_over_time,
)
from lstm.style import GATE_COLOURS, check_size

__all__ = ["INPUT_PRESETS", "SCENARIOS", "SequenceExplorer", "sequence_explorer"]

INPUT_PRESETS: tuple[str, ...] = ("step", "pulse", "sine", "noise")

#: Teacher scenarios of the sequence explorer: a description and the value of every control.
SCENARIOS: dict[str, dict[str, Any]] = {}


def _scenario(description: str, **values: Any) -> dict[str, Any]:
    return {"description": description, "values": values}


_SEQUENCE_DEFAULTS: dict[str, Any] = {
    "preset": "pulse",
    "amplitude": 1.0,
    "onset": 5,
    "period": 12,
    "noise": 0.0,
    "c0": 0.0,
    "recurrent_scale": 0.5,
    "forget_self_weight": 0.0,
    "forget_bias": 2.0,
    "forget_scale": 0.0,
    "input_bias": -3.0,
    "input_scale": 6.0,
    "candidate_bias": 0.0,
    "candidate_scale": 2.0,
    "output_bias": 1.0,
    "output_scale": 0.0,
}

SCENARIOS.update(
    {
        "remember forever": _scenario(
            "A pulse at t = 5 opens the input gate (input weight 16, bias -8); the forget gate "
            "stays at 1 (bias 8). The cell state keeps the pulse to the end of the sequence.",
            **{
                **_SEQUENCE_DEFAULTS,
                "preset": "pulse", "onset": 5, "recurrent_scale": 0.0,
                "forget_bias": 8.0, "forget_scale": 0.0,
                "input_bias": -8.0, "input_scale": 16.0,
                "candidate_bias": 0.0, "candidate_scale": 2.0,
                "output_bias": 2.0, "output_scale": 0.0,
            },
        ),
        "overwrite at every step": _scenario(
            "The forget gate is shut (bias -8) and the input gate wide open (bias 8): the cell "
            "state is just tanh(2 x_t), a copy of the current input with no memory.",
            **{
                **_SEQUENCE_DEFAULTS,
                "preset": "sine", "period": 12, "recurrent_scale": 0.0,
                "forget_bias": -8.0, "forget_scale": 0.0,
                "input_bias": 8.0, "input_scale": 0.0,
                "candidate_bias": 0.0, "candidate_scale": 2.0,
                "output_bias": 2.0, "output_scale": 0.0,
            },
        ),
        "forget on a signal": _scenario(
            "The cell starts with c_0 = 1 and keeps it (forget bias 6) until the input steps up "
            "to 1 at t = 20: the forget weight -12 then drives f_t to 0 and the memory is wiped.",
            **{
                **_SEQUENCE_DEFAULTS,
                "preset": "step", "onset": 20, "c0": 1.0, "recurrent_scale": 0.0,
                "forget_bias": 6.0, "forget_scale": -12.0,
                "input_bias": -8.0, "input_scale": 0.0,
                "candidate_bias": 0.0, "candidate_scale": 0.0,
                "output_bias": 2.0, "output_scale": 0.0,
            },
        ),
        "leaky memory": _scenario(
            "The pulse is written in as in 'remember forever', but the forget bias is 1: each "
            "step keeps only 50-90 % of the cell state, so the memory fades within a few steps.",
            **{
                **_SEQUENCE_DEFAULTS,
                "preset": "pulse", "onset": 5, "recurrent_scale": 0.0,
                "forget_bias": 1.0, "forget_scale": 0.0,
                "input_bias": -6.0, "input_scale": 12.0,
                "candidate_bias": 0.0, "candidate_scale": 2.0,
                "output_bias": 2.0, "output_scale": 0.0,
            },
        ),
        "add up the input": _scenario(
            "The forget gate stays at 1 and the input gate half open, so from t = 5 the cell "
            "state grows by about the same amount at every step: it counts how long the input "
            "has been on.",
            **{
                **_SEQUENCE_DEFAULTS,
                "preset": "step", "onset": 5, "amplitude": 0.2, "recurrent_scale": 0.0,
                "forget_bias": 8.0, "forget_scale": 0.0,
                "input_bias": 0.0, "input_scale": 0.0,
                "candidate_bias": 0.0, "candidate_scale": 1.0,
                "output_bias": 2.0, "output_scale": 0.0,
            },
        ),
        "hold while strong": _scenario(
            "Recurrence at work: each unit's forget gate reads its own h_{t-1} (weight 16, bias "
            "-7.5). The pulse at t = 5 makes h_t large, and a large h_t holds the forget gate open, "
            "so the memory keeps itself; once h_t has leaked below about 0.45 the gate shuts "
            "within a step or two and the memory is gone. Unit 1 lets go first, unit 3 last. "
            "Set 'W_f on own h_{t-1}' to 0 and the pulse is forgotten at once.",
            **{
                **_SEQUENCE_DEFAULTS,
                "preset": "pulse", "onset": 5, "recurrent_scale": 0.0,
                "forget_self_weight": 16.0,
                "forget_bias": -7.5, "forget_scale": 0.0,
                "input_bias": -8.0, "input_scale": 16.0,
                "candidate_bias": 0.0, "candidate_scale": 2.0,
                "output_bias": 2.0, "output_scale": 0.0,
            },
        ),
    }
)


class SequenceExplorer(Explorer):
    """A three-unit cell run over a 40-step input sequence (chapter 6).

    The cell has one input and :attr:`HIDDEN_SIZE` units. For each gate the controls set a bias
    and an input scale (the gate's weight on ``x_t``); all units share them, except that the
    biases of the three sigmoid gates get the fixed per-unit offsets :attr:`UNIT_BIAS_OFFSETS`
    (so the three units show three versions of the same setting, e.g. three memory lengths).
    The weights on ``h_{t-1}`` are a fixed seeded matrix (from ``LSTMCell(1, 3, seed=6)``) times
    ``recurrent_scale``, plus ``forget_self_weight`` on the diagonal of the forget gate's (each
    unit's forget gate reading its own ``h_{t-1}``; the scenario "hold while strong" uses it).
    The cell starts from ``h_0 = 0`` and ``c_0 = c0`` in every unit.

    Inputs ``x_t`` for ``t = 1..T``: "step" (``amplitude`` from ``onset`` on), "pulse"
    (``amplitude`` at ``onset`` only), "sine" (``amplitude · sin(2π (t − 1) / period)``),
    "noise" (``amplitude`` times a fixed seeded standard normal sequence), plus ``noise`` times
    another fixed seeded standard normal sequence, added to any preset. ``onset`` applies only
    to "step" and "pulse", ``period`` only to "sine" (:attr:`PRESET_CONTROLS`): for the other
    presets the slider is disabled, since moving it would change nothing.
    """

    name = "sequence"
    static_parameter = "forget_bias"
    STEPS = 40
    HIDDEN_SIZE = 3
    UNIT_BIAS_OFFSETS = np.array([-1.0, 0.0, 1.0])
    RECURRENT_SEED = 6
    #: Controls that shape only some input presets: control name -> the presets it applies to.
    PRESET_CONTROLS: ClassVar[dict[str, tuple[str, ...]]] = {
        "onset": ("step", "pulse"),
        "period": ("sine",),
    }
    figsize: ClassVar[dict[str, tuple[float, float]]] = {
        "laptop": (10.0, 6.6),
        "projector": (13.0, 8.6),
    }

    def __init__(self, scenario: str | None = None, size: str = "laptop") -> None:
        if scenario is not None and scenario not in SCENARIOS:
            raise ValueError(f"scenario must be None or one of {list(SCENARIOS)}; got {scenario!r}")
        self.initial_scenario = scenario
        noise_generator = np.random.default_rng(0)
        self._preset_noise = noise_generator.standard_normal(self.STEPS)
        self._added_noise = np.random.default_rng(1).standard_normal(self.STEPS)
        recurrent_cell = LSTMCell(1, self.HIDDEN_SIZE, seed=self.RECURRENT_SEED)
        self._recurrent = {
            gate: recurrent_cell.gate_parameters(gate)[0][:, : self.HIDDEN_SIZE].copy()
            for gate in GATES
        }
        super().__init__(size)
        if scenario is not None:
            self.apply_scenario(scenario)

    @property
    def static_caption(self) -> str:  # type: ignore[override]
        return (
            "Moving the slider changes the forget-gate bias b_f shared by the three units "
            "(unit 1 gets b_f − 1, unit 3 gets b_f + 1): the forget-gate heat map brightens and "
            f"the cell state c_t holds the input for longer. Other settings: "
            f"{self.settings_summary(exclude=('forget_bias',))}."
        )

    def settings_summary(self, exclude: tuple[str, ...] = ()) -> str:
        """The current settings in one line of text (for captions and alt text)."""
        values = self.values()
        parts = [
            f"input {values['preset']} (amplitude {values['amplitude']:g}, onset "
            f"{values['onset']}, period {values['period']}, noise {values['noise']:g})",
            f"c_0 = {values['c0']:g}",
            f"weights on h_(t-1) × {values['recurrent_scale']:g}",
            f"W_f on own h_(t-1) = {values['forget_self_weight']:g}",
        ]
        for gate in GATES:
            letter = GATE_SUBSCRIPTS[gate]
            if f"{gate}_bias" not in exclude:
                parts.append(f"b_{letter} = {values[gate + '_bias']:g}")
            if f"{gate}_scale" not in exclude:
                parts.append(f"W_{letter} on x_t = {values[gate + '_scale']:g}")
        return "; ".join(parts)

    def _make_controls(self) -> dict[str, widgets.Widget]:
        d = _SEQUENCE_DEFAULTS
        controls: dict[str, widgets.Widget] = {
            "preset": dropdown("input", list(INPUT_PRESETS), d["preset"], "Shape of x_t"),
            "amplitude": slider("amplitude", d["amplitude"], -2.0, 2.0, 0.05, "Size of x_t"),
            "onset": int_slider(
                "onset", d["onset"], 1, self.STEPS, "Step of the step or pulse (those inputs only)"
            ),
            "period": int_slider(
                "period", d["period"], 2, self.STEPS, "Period of the sine (sine input only)"
            ),
            "noise": slider("noise level", d["noise"], 0.0, 1.0, 0.05, "Added noise (fixed seed)"),
            "c0": slider("c_0", d["c0"], -2.0, 2.0, 0.05, "Cell state before t = 1"),
            "recurrent_scale": slider(
                "weights on h_{t-1} ×", d["recurrent_scale"], 0.0, 2.0, 0.05,
                "Scale of the fixed weights on h_(t-1)",
            ),
            "forget_self_weight": slider(
                "W_f on own h_{t-1}", d["forget_self_weight"], -16.0, 16.0, 0.1,
                "Weight of each unit's own h_(t-1) in its forget gate",
            ),
        }
        for gate in GATES:
            letter = GATE_SUBSCRIPTS[gate]
            controls[f"{gate}_bias"] = slider(
                f"b_{letter} ({gate})", d[f"{gate}_bias"], -8.0, 8.0, 0.1, f"Bias of the {gate}"
            )
            controls[f"{gate}_scale"] = slider(
                f"W_{letter} on x_t", d[f"{gate}_scale"], -16.0, 16.0, 0.1,
                f"Weight of x_t in the {gate}",
            )
        return controls

    def _control_groups(self) -> list[tuple[str, list[str]]]:
        return [
            ("Input sequence", ["preset", "amplitude", "onset", "period", "noise"]),
            ("Memory", ["c0", "recurrent_scale", "forget_self_weight"]),
            ("Gates: bias and weight on x_t", [f"{gate}_{kind}" for gate in GATES
                                               for kind in ("bias", "scale")]),
        ]

    def _extra_controls(self) -> list[widgets.Widget]:
        self.scenario_menu = dropdown(
            "scenario",
            [("(choose a scenario)", None)] + [(name, name) for name in SCENARIOS],
            None,
            "Set every control for a teaching scenario",
        )
        self.scenario_menu.observe(self._on_scenario, names="value")
        self.scenario_text = widgets.HTML(layout=widgets.Layout(width="360px"))
        return [self.scenario_menu, self.scenario_text]

    def _on_scenario(self, change: dict) -> None:
        if change["new"] is not None:
            self.apply_scenario(change["new"])

    def apply_scenario(self, scenario: str) -> None:
        """Set every control to the values of a teacher scenario (one redraw).

        Parameters
        ----------
        scenario : str
            A key of :data:`SCENARIOS`.

        Raises
        ------
        ValueError
            If ``scenario`` is unknown.
        """
        if scenario not in SCENARIOS:
            raise ValueError(f"scenario must be one of {list(SCENARIOS)}; got {scenario!r}")
        self.set_values(**SCENARIOS[scenario]["values"])
        self.scenario_text.value = f"<i>{escape_html(SCENARIOS[scenario]['description'])}</i>"
        if self.scenario_menu.value != scenario:
            self.scenario_menu.value = scenario

    def reset(self) -> None:
        """Restore the default controls and clear the scenario menu."""
        self.scenario_menu.value = None
        self.scenario_text.value = ""
        super().reset()

    # -- the numbers -------------------------------------------------------------------------
    def inputs(self) -> np.ndarray:
        """The input sequence for the current controls, shape (T, 1)."""
        preset = self.controls["preset"].value
        if preset not in INPUT_PRESETS:
            raise ValueError(f"preset must be one of {list(INPUT_PRESETS)}; got {preset!r}")
        amplitude = self.controls["amplitude"].value
        onset = self.controls["onset"].value
        steps = np.arange(1, self.STEPS + 1)
        if preset == "step":
            shape = np.where(steps >= onset, amplitude, 0.0)
        elif preset == "pulse":
            shape = np.where(steps == onset, amplitude, 0.0)
        elif preset == "sine":
            shape = amplitude * np.sin(2.0 * np.pi * (steps - 1) / self.controls["period"].value)
        else:
            shape = amplitude * self._preset_noise
        xs = shape + self.controls["noise"].value * self._added_noise
        return xs[:, None]

    def build_cell(self) -> LSTMCell:
        """The three-unit cell for the current controls."""
        arrays: dict[str, np.ndarray] = {}
        recurrent_scale = self.controls["recurrent_scale"].value
        for gate in GATES:
            letter = GATE_SUBSCRIPTS[gate]
            input_column = np.full((self.HIDDEN_SIZE, 1), self.controls[f"{gate}_scale"].value)
            recurrent = recurrent_scale * self._recurrent[gate]
            if gate == "forget":  # each unit's forget gate also reads its own h_(t-1)
                recurrent = recurrent + self.controls["forget_self_weight"].value * np.eye(
                    self.HIDDEN_SIZE)
            arrays[f"W_{letter}"] = np.hstack([recurrent, input_column])
            bias = np.full(self.HIDDEN_SIZE, self.controls[f"{gate}_bias"].value)
            if gate != "candidate":
                bias = bias + self.UNIT_BIAS_OFFSETS
            arrays[f"b_{letter}"] = bias
        return LSTMCell.from_arrays(**arrays)

    def enable_applicable_controls(self) -> None:
        """Disable the controls that do not apply to the chosen input preset, enable the others."""
        preset = self.controls["preset"].value
        for name, presets in self.PRESET_CONTROLS.items():
            self.controls[name].disabled = preset not in presets

    def _compute(self) -> None:
        self.enable_applicable_controls()
        self.xs = self.inputs()
        c0 = np.full(self.HIDDEN_SIZE, self.controls["c0"].value)
        self.trace = self.build_cell().run(self.xs, c0=c0)

    # -- the figure --------------------------------------------------------------------------
    def _build_figure(self) -> None:
        figure = self.figure
        left, width = 0.08, 0.36
        input_ax = figure.add_axes((left, 0.73, width, 0.15))
        cell_ax = figure.add_axes((left, 0.42, width, 0.22), sharex=input_ax)
        hidden_ax = figure.add_axes((left, 0.09, width, 0.22), sharex=input_ax)
        heat_left, heat_width = 0.55, 0.38
        heat_axes = [
            figure.add_axes((heat_left, 0.74 - index * 0.215, heat_width, 0.15), sharex=input_ax)
            for index in range(4)
        ]
        self._compute()
        unit_colours = [GATE_COLOURS["input"], GATE_COLOURS["forget"], GATE_COLOURS["candidate"]]
        self.input_lines = plot_over_time(
            input_ax, self.xs, symbol="$x_t$", title="Input $x_t$", value_limits=(-3.2, 3.2),
            colours=[GATE_COLOURS["hidden"]], labels=["$x_t$"], marker=".",
        )
        input_ax.get_legend().remove()
        input_ax.set_xlabel("")
        self.cell_lines = plot_over_time(
            cell_ax, self.trace.c, symbol="$c_t$", title="Cell state $c_t$",
            colours=unit_colours,
        )
        # one legend for both line plots, at a fixed place above them (a "best" legend would
        # move with the data, and the cached background would not follow it)
        cell_ax.get_legend().remove()
        figure.legend(
            handles=self.cell_lines.lines, loc="upper left", bbox_to_anchor=(0.005, 0.995),
            ncols=3, fontsize="small",
        )
        cell_ax.set_xlabel("")
        self.hidden_lines = plot_over_time(
            hidden_ax, self.trace.h, symbol="$h_t$", title="Hidden state $h_t$",
            value_limits=(-1.05, 1.05), colours=unit_colours,
        )
        hidden_ax.get_legend().remove()
        self.heatmaps = plot_gate_heatmaps(heat_axes, self.trace)
        for ax in heat_axes[:-1]:
            ax.tick_params(labelbottom=False)
        for ax in (input_ax, cell_ax):
            ax.tick_params(labelbottom=False)
        self._redraw()

    def _dynamic_artists(self) -> list[Artist]:
        return [
            *self.input_lines.dynamic_artists(),
            *self.cell_lines.dynamic_artists(),
            *self.hidden_lines.dynamic_artists(),
            *self.heatmaps.dynamic_artists(),
        ]

    def _rerange_axes(self) -> list[Axes]:
        # the cell state's range follows the data; only these axes are drawn again when it does
        return [self.cell_lines.ax]

    def _cell_limits(self) -> tuple[float, float]:
        largest = float(np.max(np.abs(self.trace.c)))
        top = max(1.1, 1.15 * largest)
        # round up to a "nice" value so the axis does not jitter on every slider move
        nice = float(np.ceil(top * 2.0) / 2.0)
        return (-nice, nice)

    def _redraw(self) -> None:
        self.input_lines.update(self.xs)
        self.cell_lines.update(self.trace.c)
        limits = self._cell_limits()
        if self.cell_lines.ax.get_ylim() != limits:  # re-range (full redraw) only when needed
            self.cell_lines.ax.set_ylim(*limits)
        self.hidden_lines.update(self.trace.h)
        self.heatmaps.update(self.trace)

    def describe(self) -> str:
        values = self.values()
        trace = self.trace
        means = ", ".join(
            f"{gate} {np.mean(getattr(trace, GATE_ATTRIBUTES[gate])):.2f}" for gate in GATES
        )
        final_c = ", ".join(f"{value:.3f}" for value in trace.c[-1])
        final_h = ", ".join(f"{value:.3f}" for value in trace.h[-1])
        return (
            f"Run of a {self.HIDDEN_SIZE}-unit LSTM over {self.STEPS} steps of a "
            f"{values['preset']} input (amplitude {values['amplitude']:g}) with forget bias "
            f"{values['forget_bias']:g}, input bias {values['input_bias']:g}, candidate bias "
            f"{values['candidate_bias']:g}, output bias {values['output_bias']:g}. Left: the input, "
            f"the cell state c_t and the hidden state h_t of each unit over time; right: heat maps "
            f"of the gates over time and units (mean values: {means}). At t = {self.STEPS} the "
            f"cell states are {final_c} and the hidden states {final_h}."
        )


def sequence_explorer(scenario: str | None = None, size: str = "laptop") -> Any:
    """Chapter 6: a three-unit cell over a whole input sequence.

    Parameters
    ----------
    scenario : str, optional
        Start from one of :data:`SCENARIOS` (default: the default settings).
    size : {"laptop", "projector"}
        Figure and font size.

    Returns
    -------
    SequenceExplorer or lstm.explorers.static.StaticExplorer
        Live explorer, or its live web widget
        (:func:`lstm.explorers.web_widget.live_widget`, every control) if ``LSTM_BOOK_STATIC=1``.

    Raises
    ------
    ValueError
        If ``scenario`` or ``size`` is unknown.
    """
    if scenario is not None and scenario not in SCENARIOS:
        raise ValueError(f"scenario must be None or one of {list(SCENARIOS)}; got {scenario!r}")
    check_size(size)
    return live_or_static(lambda: SequenceExplorer(scenario, size))
