"""Chapter 9's explorer: the dependency graphs of an LSTM and of self-attention.

:class:`DependencyExplorer` (a slider for the sequence length T, up to
:data:`EXPLORER_MAX_LENGTH`; both graphs of :mod:`lstm.dependencies` redrawn in place, the
LSTM's chain of T steps highlighted) and its one-call function :func:`dependency_explorer`
(static form: a live web widget with the same controls). Section "Limited
parallelisation" of "Disadvantages of LSTMs".
"""

from __future__ import annotations

from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
from matplotlib.artist import Artist

from lstm.dependencies import (
    attention_dependencies,
    graph_coordinates,
    longest_dependency_chain,
    recurrent_dependencies,
)
from lstm.explorers.base import Explorer
from lstm.explorers.controls import int_slider
from lstm.explorers.static import live_or_static
from lstm.style import GATE_COLOURS, OKABE_ITO, check_size

__all__ = ["EXPLORER_MAX_LENGTH", "DependencyExplorer", "dependency_explorer"]

#: Longest sequence the dependency explorer draws (more nodes would not be readable).
EXPLORER_MAX_LENGTH = 12
#: Colours of the two layers' states, as in the chapter's figures (``lstm.experiments.common``).
LSTM_COLOUR = GATE_COLOURS["lstm"]
ATTENTION_COLOUR = OKABE_ITO["bluish_green"]


class DependencyExplorer(Explorer):
    """Slider for the sequence length T -> the dependency graphs of an LSTM and attention.

    Control: ``length`` (T, from 1 to :data:`EXPLORER_MAX_LENGTH`). Top: the LSTM, each state
    ``h_t`` joined to ``x_t`` and ``h_{t-1}`` (one chain of T steps, drawn thick); bottom:
    self-attention, each output joined to every input (longest chain 1).
    """

    name = "dependency-chain"
    static_parameter = "length"
    static_caption = (
        "Moving the slider changes the sequence length T. The LSTM's states form one chain "
        "of T steps (highlighted); every output of the attention layer depends on all "
        "inputs directly, so its longest chain stays 1."
    )
    figsize: ClassVar[dict[str, tuple[float, float]]] = {
        "laptop": (9.0, 4.2),
        "projector": (12.0, 5.6),
    }

    def _make_controls(self) -> dict[str, widgets.Widget]:
        return {
            "length": int_slider("sequence length T", 6, 1, EXPLORER_MAX_LENGTH,
                                 "Number of time steps drawn"),
        }

    def _build_figure(self) -> None:
        self.lstm_axes, self.attention_axes = self.figure.subplots(2, 1)
        self.artists: dict[str, Any] = {}
        for key, axes, top in (("lstm", self.lstm_axes, "h"),
                               ("attention", self.attention_axes, "y")):
            axes.set_xlim(-0.6, EXPLORER_MAX_LENGTH + 0.6)
            axes.set_ylim(-0.45, 1.45)
            axes.set_yticks([0, 1], ["inputs x", "states h" if top == "h" else "outputs y"])
            axes.set_xticks([])
            axes.grid(False)
            for side in ("left", "bottom"):
                axes.spines[side].set_visible(False)
            (self.artists[f"{key}_edges"],) = axes.plot(
                [], [], "-", color=OKABE_ITO["black"], linewidth=0.8, alpha=0.35)
            (self.artists[f"{key}_inputs"],) = axes.plot(
                [], [], "o", color=OKABE_ITO["sky_blue"], markersize=10)
            (self.artists[f"{key}_outputs"],) = axes.plot(
                [], [], "s", color=LSTM_COLOUR if key == "lstm" else ATTENTION_COLOUR,
                markersize=10)
            self.artists[f"{key}_title"] = axes.set_title(" ")
        (self.artists["lstm_chain"],) = self.lstm_axes.plot(
            [], [], "-", color=OKABE_ITO["vermillion"], linewidth=3.0)
        self.lstm_axes.plot([0], [1], "s", color=OKABE_ITO["black"], markersize=7, zorder=5)
        self.lstm_axes.annotate("start state h0", (0, 1), xytext=(0, 1.32), ha="left",
                                va="center", fontsize="small")
        self._compute()
        self.figure.tight_layout()

    def _dynamic_artists(self) -> list[Artist]:
        # drawn in this order: edges and the chain below the nodes
        order = ("lstm_edges", "lstm_chain", "attention_edges", "lstm_inputs",
                 "lstm_outputs", "attention_inputs", "attention_outputs", "lstm_title",
                 "attention_title")
        return [self.artists[name] for name in order]

    def _compute(self) -> None:
        self.length = int(self.controls["length"].value)
        self.lstm_dependencies = recurrent_dependencies(self.length)
        self.attention_dependencies = attention_dependencies(self.length)
        self.lstm_chain = longest_dependency_chain(self.lstm_dependencies)
        self.attention_chain = longest_dependency_chain(self.attention_dependencies)

    def _redraw(self) -> None:
        positions = np.arange(1, self.length + 1)
        for key, dependencies, chain in (
            ("lstm", self.lstm_dependencies, self.lstm_chain),
            ("attention", self.attention_dependencies, self.attention_chain),
        ):
            self.artists[f"{key}_edges"].set_data(*graph_coordinates(dependencies))
            self.artists[f"{key}_inputs"].set_data(positions, np.zeros(self.length))
            self.artists[f"{key}_outputs"].set_data(positions, np.ones(self.length))
            layer = "LSTM" if key == "lstm" else "self-attention"
            steps = "step" if chain == 1 else "steps"
            self.artists[f"{key}_title"].set_text(
                f"{layer}, T = {self.length}: longest chain {chain} {steps}")
        self.artists["lstm_chain"].set_data(np.arange(0, self.length + 1),
                                            np.ones(self.length + 1))

    def describe(self) -> str:
        return (
            f"Two dependency graphs for a sequence of {self.length} steps. Top, the LSTM: "
            f"each state h_t is joined to its input x_t below it and to the previous state "
            f"h_(t-1) on its left, so the states form one chain of {self.lstm_chain} steps, "
            f"drawn as a thick line. Bottom, self-attention: every output y_t is joined to "
            f"all {self.length} inputs, and the longest chain is "
            f"{self.attention_chain} step."
        )


def dependency_explorer(size: str = "laptop") -> Any:
    """Chapter 9: a slider for the sequence length; the dependency graphs of an LSTM and attention.

    Parameters
    ----------
    size : {"laptop", "projector"}, default "laptop"
        Figure and font size.

    Returns
    -------
    DependencyExplorer or lstm.explorers.static.StaticExplorer
        Live explorer, or its live web widget
        (:func:`lstm.explorers.web_widget.live_widget`, every control) if ``LSTM_BOOK_STATIC=1``.

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    """
    check_size(size)
    return live_or_static(lambda: DependencyExplorer(size))
