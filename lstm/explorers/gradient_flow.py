"""Chapter 8's explorer: how much gradient reaches earlier steps, at initialisation.

:class:`GradientFlowExplorer` (sliders for the LSTM's initial forget-gate bias and a factor on
both models' recurrent weights; the curves of :func:`lstm.gradient_flow.gradient_flow` redrawn
in place) and its one-call function :func:`gradient_flow_explorer` (static form: a live web
widget with the same controls). Section "Explore: forget bias and recurrent scale" of "Advantages of LSTMs".
"""

from __future__ import annotations

from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
from matplotlib.artist import Artist

from lstm.explorers.base import Explorer
from lstm.explorers.controls import slider
from lstm.explorers.static import live_or_static
from lstm.gradient_flow import draw_gradient_flow, gradient_flow
from lstm.style import check_size

__all__ = ["GradientFlowExplorer", "gradient_flow_explorer"]


class GradientFlowExplorer(Explorer):
    """Forget-gate bias and recurrent weight scale -> gradient flow at initialisation.

    Controls: ``forget_bias`` (the LSTM's initial ``b_f``) and ``recurrent_scale`` (a factor on
    both models' weights on ``h_{t-1}``). Each move recomputes
    :func:`lstm.gradient_flow.gradient_flow` (a plain RNN and an LSTM, 61 steps of delayed
    recall) and redraws its three log-scale lines in place.
    """

    name = "gradient-flow"
    static_parameter = "forget_bias"
    static_caption = (
        "Moving the slider changes the LSTM's initial forget-gate bias b_f (recurrent "
        "scale 1): the closer the forget gate is to 1, the more of the gradient reaches "
        "early steps through the cell state. The plain RNN does not have this gate and is "
        "the same in every frame."
    )
    figsize: ClassVar[dict[str, tuple[float, float]]] = {
        "laptop": (8.0, 4.6),
        "projector": (11.0, 6.3),
    }

    def _make_controls(self) -> dict[str, widgets.Widget]:
        return {
            "forget_bias": slider(
                "LSTM forget bias b_f", 1.0, -2.0, 6.0, 0.25, "Initial forget-gate bias"
            ),
            "recurrent_scale": slider(
                "recurrent scale", 1.0, 0.25, 6.0, 0.25, "Factor on both recurrent weights"
            ),
        }

    def _build_figure(self) -> None:
        self.axes = self.figure.add_subplot(1, 1, 1)
        self._compute()
        self.lines = draw_gradient_flow(self.axes, self.flow)
        self.axes.set_title("Gradient reaching earlier steps, at initialisation")
        self.figure.tight_layout()

    def _dynamic_artists(self) -> list[Artist]:
        return list(self.lines.values())

    def _compute(self) -> None:
        self.flow = gradient_flow(
            forget_bias=self.controls["forget_bias"].value,
            recurrent_scale=self.controls["recurrent_scale"].value,
        )

    def _redraw(self) -> None:
        floor = 1e-30
        self.lines["rnn"].set_ydata(np.maximum(self.flow.rnn_hidden, floor))
        self.lines["lstm_cell"].set_ydata(np.maximum(self.flow.lstm_cell, floor))
        self.lines["lstm_hidden"].set_ydata(np.maximum(self.flow.lstm_hidden, floor))

    def describe(self) -> str:
        values = self.flow.at(50)
        return (
            "Log-scale line plot of the gradient norm reaching each earlier step, relative "
            f"to the last step, for forget bias {self.flow.forget_bias:.2f} and recurrent "
            f"scale {self.flow.recurrent_scale:.2f}. Fifty steps back: plain RNN "
            f"{values['rnn_hidden']:.1e}, LSTM cell state {values['lstm_cell']:.1e}, "
            f"LSTM hidden state {values['lstm_hidden']:.1e}."
        )


def gradient_flow_explorer(size: str = "laptop") -> Any:
    """Chapter 8: sliders for the forget-gate bias and the recurrent scale; the gradient flow.

    Parameters
    ----------
    size : {"laptop", "projector"}
        Figure and font size.

    Returns
    -------
    GradientFlowExplorer or lstm.explorers.static.StaticExplorer
        Live explorer, or its live web widget
        (:func:`lstm.explorers.web_widget.live_widget`, every control) if ``LSTM_BOOK_STATIC=1``.

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    """
    check_size(size)
    return live_or_static(lambda: GradientFlowExplorer(size))
