"""Chapter 10's explorer: the LSTM and the GRU on the same pulses, with sliders.

:class:`VariantExplorer` (the bias shared by the LSTM's forget gate and the GRU's update gate,
and the height of the second pulse; the two panels of
:func:`lstm.variant_comparison.draw_variant_comparison` redrawn in place) and its one-call
function :func:`variant_explorer` (static form: the live web widget, computed in the browser by
``web/variant-comparison.mjs``). Section
"Explore the LSTM and the GRU" of "Variants of the LSTM".
"""

from __future__ import annotations

from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
from matplotlib.artist import Artist

from lstm.explorers.base import Explorer
from lstm.explorers.controls import slider
from lstm.explorers.static import live_or_static
from lstm.style import check_size
from lstm.variant_comparison import (
    SECOND_PULSE,
    STATE_LIMITS,
    compare_variants,
    draw_variant_comparison,
    gate_lines,
    state_lines,
)

__all__ = ["VariantExplorer", "variant_explorer"]


class VariantExplorer(Explorer):
    """Sliders for the shared keep bias and the second pulse -> LSTM and GRU redrawn.

    Controls: ``keep_bias`` (the LSTM's ``b_f`` = the GRU's ``b_z``) and ``second_pulse`` (the
    height of the input pulse at step 15). Each move reruns
    :func:`lstm.variant_comparison.compare_variants`.
    """

    name = "variants"
    static_parameter = "keep_bias"
    static_label = "keep bias (LSTM forget bias and GRU update bias)"
    static_caption = (
        "Moving the slider changes the bias shared by the LSTM's forget gate and the GRU's "
        "update gate. The higher it is, the longer both memories last between the pulses; "
        "at the second pulse the LSTM adds to its memory while the GRU replaces part of it."
    )
    figsize: ClassVar[dict[str, tuple[float, float]]] = {
        "laptop": (10.0, 4.2),
        "projector": (13.0, 5.6),
    }

    def _make_controls(self) -> dict[str, widgets.Widget]:
        return {
            "keep_bias": slider("keep bias", 3.0, -2.0, 8.0, 0.5,
                                "LSTM forget-gate bias b_f = GRU update-gate bias b_z"),
            "second_pulse": slider("second pulse", 0.5, 0.0, 1.0, 0.05,
                                   "Height of the input pulse at step 15"),
        }

    def _build_figure(self) -> None:
        self.gate_axes, self.state_axes = self.figure.subplots(1, 2)
        self._compute()
        self.lines = draw_variant_comparison(self.gate_axes, self.state_axes, self.result)
        self.figure.tight_layout()

    def _dynamic_artists(self) -> list[Artist]:
        return list(self.lines.values())

    def _compute(self) -> None:
        self.result = compare_variants(float(self.controls["keep_bias"].value),
                                       float(self.controls["second_pulse"].value))

    def _redraw(self) -> None:
        for name, series in {**gate_lines(self.result), **state_lines(self.result)}.items():
            self.lines[name].set_ydata(np.clip(series, *STATE_LIMITS))

    def describe(self) -> str:
        result = self.result
        before = result.memory_after(SECOND_PULSE)
        after = result.memory_after(SECOND_PULSE + 1)
        return (
            f"Keep bias {result.keep_bias:.1f}: with no input both cells keep "
            f"{result.lstm.f[0, 0]:.0%} of their memory per step. Just before the second "
            f"pulse (height {result.second_pulse:.2f}) the LSTM's cell state is "
            f"{before['LSTM c']:.2f} and the GRU's state {before['GRU h']:.2f}; after it "
            f"they are {after['LSTM c']:.2f} (the LSTM adds) and {after['GRU h']:.2f} "
            f"(the GRU moves its state towards the new candidate)."
        )


def variant_explorer(size: str = "laptop") -> Any:
    """Chapter 10: the LSTM and the GRU on the same pulses, with sliders for the keep bias and a pulse.

    Parameters
    ----------
    size : {"laptop", "projector"}, default "laptop"
        Figure and font size.

    Returns
    -------
    VariantExplorer or lstm.explorers.static.StaticExplorer
        Live explorer, or its live web widget (:func:`lstm.explorers.web_widget.live_widget`,
        both sliders and Reset) if ``LSTM_BOOK_STATIC=1``.

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    """
    check_size(size)
    return live_or_static(lambda: VariantExplorer(size))
