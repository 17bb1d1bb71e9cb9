"""Chapter 1's explorer: how long a pulse survives in a plain RNN and in an LSTM.

:class:`MemoryExplorer` and its one-call function :func:`memory_explorer` (live widgets, or a
static scrubber over the LSTM's forget-gate bias when ``LSTM_BOOK_STATIC=1``).
"""

from __future__ import annotations

from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
from matplotlib.artist import Artist

from lstm.cell import LSTMCell
from lstm.explorers.base import Explorer, format_number
from lstm.explorers.controls import int_slider, slider
from lstm.explorers.static import live_or_static
from lstm.plots import memory_kept, plot_memory_comparison
from lstm.rnn import RNNCell
from lstm.style import check_size

__all__ = ["MemoryExplorer", "memory_explorer"]

class MemoryExplorer(Explorer):
    """A pulse at the first step, then silence: a plain RNN and an LSTM (one unit each).

    The plain RNN computes ``h_t = tanh(w h_{t-1} + 1.0 x_t)`` (``W = [[w, 1]]``, ``b = [0]``).
    The LSTM is chapter 1's hand-made cell: every gate ignores its inputs (zero weights), the
    input and output gates sit at ``σ(6) = 0.9975``, the candidate is ``tanh(x_t)``
    (``W_c = [[0, 1]]``, ``b_c = 0``), so it writes the pulse into its cell state and then keeps
    ``f = σ(b_f)`` of it at every silent step. Controls: ``rnn_weight`` (w), ``forget_bias``
    (b_f), ``steps`` (T); they start at chapter 1's example (w = 0.5, b_f = 6, T = 20).
    """

    name = "memory"
    static_parameter = "forget_bias"
    # the length T changes the time axes (a whole-figure draw), never the size of a tick label
    # next to a title or axis label: their places are computed once
    fixed_label_positions = True
    static_label = "LSTM forget-gate bias"
    static_caption = (
        "Moving the slider changes the LSTM's forget-gate bias b_f: the larger it is, the closer "
        "the forget gate stays to 1 and the longer the cell state keeps the pulse. The plain RNN "
        "(recurrent weight 0.50) is the same in every frame."
    )
    PULSE = 1.0
    RNN_INPUT_WEIGHT = 1.0
    LSTM_PARAMETERS: ClassVar[dict[str, list]] = {
        "W_f": [[0.0, 0.0]],
        "W_i": [[0.0, 0.0]],
        "b_i": [6.0],
        "W_c": [[0.0, 1.0]],
        "b_c": [0.0],
        "W_o": [[0.0, 0.0]],
        "b_o": [6.0],
    }

    def _make_controls(self) -> dict[str, widgets.Widget]:
        return {
            "rnn_weight": slider(
                "RNN weight w", 0.5, 0.0, 1.0, 0.01, "Plain RNN: weight of h_{t-1} in h_t"
            ),
            "forget_bias": slider(
                "LSTM forget bias b_f", 6.0, -2.0, 8.0, 0.1, "LSTM: bias of the forget gate"
            ),
            "steps": int_slider("length T", 20, 5, 100, "Number of time steps"),
        }

    def _control_groups(self) -> list[tuple[str, list[str]]]:
        return [("Plain RNN", ["rnn_weight"]), ("LSTM", ["forget_bias"]), ("Sequence", ["steps"])]

    def build_cells(self) -> tuple[RNNCell, LSTMCell]:
        """The two cells for the current slider values."""
        rnn = RNNCell.from_arrays(
            W=[[self.controls["rnn_weight"].value, self.RNN_INPUT_WEIGHT]], b=[0.0]
        )
        lstm = LSTMCell.from_arrays(
            b_f=[self.controls["forget_bias"].value], **self.LSTM_PARAMETERS
        )
        return rnn, lstm

    def inputs(self) -> np.ndarray:
        """The input sequence, shape (T, 1): the pulse then zeros."""
        xs = np.zeros((self.controls["steps"].value, 1))
        xs[0, 0] = self.PULSE
        return xs

    def _build_figure(self) -> None:
        figure = self.figure
        rnn_ax = figure.add_axes((0.09, 0.22, 0.40, 0.66))
        lstm_ax = figure.add_axes((0.58, 0.22, 0.40, 0.66), sharey=rnn_ax)
        self._compute()
        self.artists = plot_memory_comparison(
            [rnn_ax, lstm_ax],
            self.rnn_trace.h[:, 0],
            self.lstm_trace.c[:, 0],
            self.lstm_trace.h[:, 0],
        )
        figure.suptitle("How long does a pulse at $t = 1$ survive?", fontweight="bold")

    def _dynamic_artists(self) -> list[Artist]:
        return self.artists.dynamic_artists()

    def _compute(self) -> None:
        rnn, lstm = self.build_cells()
        xs = self.inputs()
        self.rnn_trace = rnn.run(xs)
        self.lstm_trace = lstm.run(xs)

    def _redraw(self) -> None:
        self.artists.update(
            self.rnn_trace.h[:, 0], self.lstm_trace.c[:, 0], self.lstm_trace.h[:, 0]
        )

    def describe(self) -> str:
        steps = self.controls["steps"].value
        rnn_h = self.rnn_trace.h[:, 0]
        lstm_c = self.lstm_trace.c[:, 0]
        return (
            f"Line plots over {steps} time steps after a pulse of 1 at t = 1. Left, plain RNN with "
            f"recurrent weight w = {format_number(self.controls['rnn_weight'].value)}: h_t starts at "
            f"{format_number(rnn_h[0])} and is {rnn_h[-1]:.4f} at t = {steps}, keeping "
            f"{memory_kept(rnn_h):.1%} of the pulse. Right, LSTM with forget bias b_f = "
            f"{format_number(self.controls['forget_bias'].value)} (forget gate "
            f"{self.lstm_trace.f[-1, 0]:.3f}): c_t starts at {format_number(lstm_c[0])} and is "
            f"{lstm_c[-1]:.4f} at t = {steps}, keeping {memory_kept(lstm_c):.1%}."
        )


def memory_explorer(size: str = "laptop") -> Any:
    """Chapter 1: how long a plain RNN and an LSTM remember a pulse.

    Parameters
    ----------
    size : {"laptop", "projector"}
        Figure and font size (projector: bigger, for a classroom).

    Returns
    -------
    MemoryExplorer or lstm.explorers.static.StaticExplorer
        Live ipywidgets explorer, or its live web widget
        (:func:`lstm.explorers.web_widget.live_widget`, every control) if ``LSTM_BOOK_STATIC=1``.

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    """
    check_size(size)
    return live_or_static(lambda: MemoryExplorer(size))

