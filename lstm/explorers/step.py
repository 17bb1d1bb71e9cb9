"""The explorer of chapters 3-5: one step of a one-unit cell, focused on one gate.

:class:`StepExplorer` (the gate's activation curve, the gate values and how ``c_{t-1}`` becomes
``c_t`` and ``h_t``) and its one-call function :func:`step_explorer` (static form: a live web
widget with the same controls).
"""

from __future__ import annotations

from typing import Any, ClassVar

import ipywidgets as widgets
from matplotlib.artist import Artist

from lstm.cell import LSTMCell
from lstm.explorers.base import Explorer, format_number
from lstm.explorers.controls import slider
from lstm.explorers.one_unit import (
    DEFAULT_GATE_PARAMETERS,
    DEFAULT_STEP_INPUTS,
    lstm_cell_from_gate_parameters,
)
from lstm.explorers.static import live_or_static
from lstm.plots import (
    GATE_ACTIVATIONS,
    GATE_ATTRIBUTES,
    GATE_SUBSCRIPTS,
    cell_step_values,
    check_gate,
    plot_cell_step,
    plot_gate_curve,
    plot_gate_values,
)
from lstm.style import check_size

__all__ = ["StepExplorer", "step_explorer"]

class StepExplorer(Explorer):
    """One step of a one-unit cell, focused on one gate's weights and bias.

    Controls: ``x`` (x_t), ``h_prev`` (h_{t-1}), ``c_prev`` (c_{t-1}), ``weight_h`` (the gate's
    weight on h_{t-1}), ``weight_x`` (its weight on x_t), ``bias``. The other gates keep
    :data:`DEFAULT_GATE_PARAMETERS` (written under the figure). Every control starts at the
    worked example of chapters 3-5 (:data:`DEFAULT_STEP_INPUTS` and the gate's parameters in
    :data:`DEFAULT_GATE_PARAMETERS`), so the forget explorer first shows ``z_f = 1.1`` and
    ``f_t = 0.7503``.
    """

    name = "step"
    static_parameter = "bias"
    figsize: ClassVar[dict[str, tuple[float, float]]] = {
        "laptop": (10.0, 5.6),
        "projector": (13.0, 7.3),
    }

    def __init__(self, gate: str, size: str = "laptop") -> None:
        self.gate = check_gate(gate)
        self.letter = GATE_SUBSCRIPTS[gate]
        self.name = f"step-{gate}"
        super().__init__(size)

    @property
    def static_caption(self) -> str:  # type: ignore[override]
        return (
            f"Moving the slider changes the bias b_{self.letter} of the {self.gate_label}: the "
            "point slides along the activation curve and the bars show how c_{t-1} becomes c_t "
            "and h_t ("
            + ", ".join(f"{symbol} = {DEFAULT_STEP_INPUTS[name]:.2f}" for name, symbol in
                        (("x", "x_t"), ("h_prev", "h_{t-1}"), ("c_prev", "c_{t-1}")))
            + ")."
        )

    @property
    def static_label(self) -> str:  # type: ignore[override]
        """Readable name of the scrubbed bias, e.g. ``"forget-gate bias"``."""
        return f"{self.gate_label.replace(' gate', '-gate')} bias"

    @property
    def gate_label(self) -> str:
        return "candidate" if self.gate == "candidate" else f"{self.gate} gate"

    def _make_controls(self) -> dict[str, widgets.Widget]:
        weight_h, weight_x, bias = DEFAULT_GATE_PARAMETERS[self.gate]
        letter = self.letter
        return {
            "x": slider("x_t", DEFAULT_STEP_INPUTS["x"], -3.0, 3.0, 0.05, "The input at this step"),
            "h_prev": slider("h_{t-1}", DEFAULT_STEP_INPUTS["h_prev"], -1.0, 1.0, 0.05,
                             "The previous hidden state"),
            "c_prev": slider("c_{t-1}", DEFAULT_STEP_INPUTS["c_prev"], -3.0, 3.0, 0.05,
                             "The previous cell state"),
            "weight_h": slider(
                f"W_{letter} on h_{{t-1}}", weight_h, -6.0, 6.0, 0.1,
                f"Weight of h_(t-1) in the {self.gate_label}",
            ),
            "weight_x": slider(
                f"W_{letter} on x_t", weight_x, -6.0, 6.0, 0.1,
                f"Weight of x_t in the {self.gate_label}",
            ),
            "bias": slider(
                f"b_{letter}", bias, -6.0, 6.0, 0.1, f"Bias of the {self.gate_label}"
            ),
        }

    def _control_groups(self) -> list[tuple[str, list[str]]]:
        return [
            ("Inputs of the step", ["x", "h_prev", "c_prev"]),
            (f"Parameters of the {self.gate_label}", ["weight_h", "weight_x", "bias"]),
        ]

    def gate_parameters(self) -> dict[str, tuple[float, float, float]]:
        """``(weight on h_{t-1}, weight on x_t, bias)`` of every gate for the current sliders."""
        parameters = dict(DEFAULT_GATE_PARAMETERS)
        parameters[self.gate] = (
            self.controls["weight_h"].value,
            self.controls["weight_x"].value,
            self.controls["bias"].value,
        )
        return parameters

    def build_cell(self) -> LSTMCell:
        """The one-unit cell for the current slider values."""
        return lstm_cell_from_gate_parameters(self.gate_parameters())

    def _compute(self) -> None:
        self.step = self.build_cell().step(
            [self.controls["x"].value],
            h_prev=[self.controls["h_prev"].value],
            c_prev=[self.controls["c_prev"].value],
        )

    def _build_figure(self) -> None:
        figure = self.figure
        curve_ax = figure.add_axes((0.08, 0.53, 0.36, 0.38))
        values_ax = figure.add_axes((0.17, 0.15, 0.27, 0.22))
        step_ax = figure.add_axes((0.53, 0.14, 0.45, 0.77))
        self._compute()
        self.curve = plot_gate_curve(
            curve_ax, GATE_ACTIVATIONS[self.gate], gate=self.gate, z_limits=(-8.0, 8.0)
        )
        self.gate_values = plot_gate_values(values_ax, self.step)
        self.cell_step = plot_cell_step(step_ax, self.step, value_limits=(-4.5, 4.5))
        others = "; ".join(
            f"{gate}: W = ({w_h:g}, {w_x:g}), b = {bias:g}"
            for gate, (w_h, w_x, bias) in DEFAULT_GATE_PARAMETERS.items()
            if gate != self.gate
        )
        self.fixed_text = figure.text(
            0.5, 0.01, f"Other gates fixed — {others}", ha="center", va="bottom",
            fontsize="small", color="0.3",
        )
        self._redraw()

    def _dynamic_artists(self) -> list[Artist]:
        return [
            *self.curve.dynamic_artists(),
            *self.gate_values.dynamic_artists(),
            *self.cell_step.dynamic_artists(),
        ]

    def _redraw(self) -> None:
        letter = self.letter
        z = float(getattr(self.step, f"z_{letter}")[0])
        value = float(getattr(self.step, GATE_ATTRIBUTES[self.gate])[0])
        self.curve.update(z, value)
        self.gate_values.update(self.step)
        self.cell_step.update(self.step)

    def describe(self) -> str:
        step = self.step
        letter = self.letter
        gate_value = float(getattr(step, GATE_ATTRIBUTES[self.gate])[0])
        kept, added = cell_step_values(step)[1:3]
        return (
            f"{self.gate_label.capitalize()} with W_{letter} = "
            f"({format_number(self.controls['weight_h'].value)}, "
            f"{format_number(self.controls['weight_x'].value)}) "
            f"and b_{letter} = {format_number(self.controls['bias'].value)}, "
            f"for x_t = {format_number(step.x[0])}, "
            f"h_(t-1) = {format_number(step.h_prev[0])}, c_(t-1) = {format_number(step.c_prev[0])}: "
            f"z_{letter} = {float(getattr(step, f'z_{letter}')[0]):.3f}, value "
            f"{gate_value:.3f}. Gates f = {step.f[0]:.3f}, i = {step.i[0]:.3f}, candidate = "
            f"{step.c_tilde[0]:.3f}, o = {step.o[0]:.3f}. The cell keeps {kept:.3f}, adds "
            f"{added:.3f}, so c_t = {step.c[0]:.3f}, tanh(c_t) = {step.tanh_c[0]:.3f} and "
            f"h_t = {step.h[0]:.3f}."
        )


def step_explorer(gate: str, size: str = "laptop") -> Any:
    """Chapters 3-5: one gate's weights and bias, one step, one unit.

    Parameters
    ----------
    gate : {"forget", "input", "candidate", "output"}
        The gate whose weights and bias get sliders.
    size : {"laptop", "projector"}
        Figure and font size.

    Returns
    -------
    StepExplorer or lstm.explorers.static.StaticExplorer
        Live explorer, or its live web widget
        (:func:`lstm.explorers.web_widget.live_widget`, every control) if ``LSTM_BOOK_STATIC=1``.

    Raises
    ------
    ValueError
        If ``gate`` or ``size`` is unknown.
    """
    check_gate(gate)
    check_size(size)
    return live_or_static(lambda: StepExplorer(gate, size))

