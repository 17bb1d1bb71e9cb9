"""Chapter 2's explorer: the cell diagram with the numbers of one step written on its wires.

:class:`DiagramExplorer` (drawing from :class:`lstm.diagram.CellDiagram`) and its one-call
function :func:`diagram_explorer` (static form: a live web widget with the same controls).
"""

from __future__ import annotations

from typing import Any, ClassVar

import ipywidgets as widgets
from matplotlib.artist import Artist

from lstm.cell import LSTMCell
from lstm.explorers.base import Explorer, format_number
from lstm.explorers.controls import dropdown, slider
from lstm.explorers.one_unit import (
    DEFAULT_GATE_PARAMETERS,
    DEFAULT_STEP_INPUTS,
    lstm_cell_from_gate_parameters,
)
from lstm.explorers.static import live_or_static
from lstm.style import check_size

__all__ = ["DiagramExplorer", "diagram_explorer"]

class DiagramExplorer(Explorer):
    """The cell diagram (:class:`lstm.diagram.CellDiagram`) with the numbers of one step.

    One input, one unit, gate parameters :data:`DEFAULT_GATE_PARAMETERS`. Controls: ``x``
    (x_t), ``h_prev`` (h_{t-1}), ``c_prev`` (c_{t-1}) and ``highlight`` (a part of the cell).
    It starts at chapter 2's worked step (:data:`DEFAULT_STEP_INPUTS`: x_t = 1, h_{t-1} = 0.2,
    c_{t-1} = 0.8), where c_t drops to 0.11.
    """

    name = "diagram"
    static_parameter = "x"
    static_caption = (
        f"Moving the slider changes the input x_t (h_{{t-1}} = {DEFAULT_STEP_INPUTS['h_prev']:.2f}, "
        f"c_{{t-1}} = {DEFAULT_STEP_INPUTS['c_prev']:.2f}); the numbers on the diagram's wires are "
        "the ones the cell computes for that input."
    )
    figsize: ClassVar[dict[str, tuple[float, float]]] = {
        "laptop": (9.0, 5.6),
        "projector": (12.0, 7.5),
    }

    def _make_controls(self) -> dict[str, widgets.Widget]:
        from lstm.diagram import PARTS

        options = [("nothing", None)] + [(self._part_label(part), part) for part in PARTS]
        return {
            "x": slider("x_t", DEFAULT_STEP_INPUTS["x"], -3.0, 3.0, 0.05, "The input at this step"),
            "h_prev": slider("h_{t-1}", DEFAULT_STEP_INPUTS["h_prev"], -1.0, 1.0, 0.05,
                             "The previous hidden state"),
            "c_prev": slider("c_{t-1}", DEFAULT_STEP_INPUTS["c_prev"], -3.0, 3.0, 0.05,
                             "The previous cell state"),
            "highlight": dropdown("highlight", options, None, "Part of the cell to light up"),
        }

    @staticmethod
    def _part_label(part: str) -> str:
        return {"update": "cell-state update", "candidate": "candidate"}.get(part, f"{part} gate")

    def _control_groups(self) -> list[tuple[str, list[str]]]:
        return [("Inputs of the step", ["x", "h_prev", "c_prev"]), ("Diagram", ["highlight"])]

    def _build_figure(self) -> None:
        from lstm.diagram import CellDiagram

        ax = self.figure.add_axes((0.0, 0.07, 1.0, 0.93))
        self.diagram = CellDiagram(ax, highlight=None, size=self.size)
        self.parameter_text = self.figure.text(
            0.5,
            0.015,
            r"Weights on $[h_{t-1}, x_t]$ and bias: "
            + "; ".join(
                f"{gate} ({w_h:g}, {w_x:g}), {bias:g}"
                for gate, (w_h, w_x, bias) in DEFAULT_GATE_PARAMETERS.items()
            ),
            ha="center",
            va="bottom",
            fontsize="small",
            color="0.3",
        )

    def _dynamic_artists(self) -> list[Artist]:
        return [*self.diagram.value_texts.values(), self.diagram.note]

    def _layout_key(self) -> tuple:
        return (*super()._layout_key(), self.controls["highlight"].value)

    def build_cell(self) -> LSTMCell:
        """The one-unit cell of the diagram."""
        return lstm_cell_from_gate_parameters(DEFAULT_GATE_PARAMETERS)

    def _compute(self) -> None:
        self.step = self.build_cell().step(
            [self.controls["x"].value],
            h_prev=[self.controls["h_prev"].value],
            c_prev=[self.controls["c_prev"].value],
        )

    def _redraw(self) -> None:
        self.diagram.show_values(self.step)
        self.diagram.set_highlight(self.controls["highlight"].value)

    def describe(self) -> str:
        step = self.step
        return (
            f"{self.diagram.describe()} Values for x_t = {format_number(step.x[0])}, h_(t-1) = "
            f"{format_number(step.h_prev[0])}, c_(t-1) = {format_number(step.c_prev[0])}: "
            f"f_t = {step.f[0]:.3f}, "
            f"i_t = {step.i[0]:.3f}, candidate = {step.c_tilde[0]:.3f}, c_t = {step.c[0]:.3f}, "
            f"o_t = {step.o[0]:.3f}, h_t = {step.h[0]:.3f}."
        )


def diagram_explorer(size: str = "laptop") -> Any:
    """Chapter 2: the cell diagram with the numbers of one step written on its wires.

    Parameters
    ----------
    size : {"laptop", "projector"}
        Figure and font size.

    Returns
    -------
    DiagramExplorer or lstm.explorers.static.StaticExplorer
        Live explorer, or its live web widget
        (:func:`lstm.explorers.web_widget.live_widget`, every control) if ``LSTM_BOOK_STATIC=1``.

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    """
    check_size(size)
    return live_or_static(lambda: DiagramExplorer(size))

