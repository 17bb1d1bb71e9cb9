"""The LSTM, the coupled LSTM and the GRU on the same pulses: cells, run and drawing.

Below both the chapter "Variants" (:mod:`lstm.experiments.variants`, which plots the result as
a figure) and its explorer (:mod:`lstm.explorers.variants`, which redraws it with sliders):

- :func:`pulse_inputs`: the input sequence (a pulse of 1 at step 4 and one of ``second_pulse``
  at step 15);
- :func:`variant_cells`: a one-unit LSTM, coupled LSTM and GRU built to play the same roles;
- :func:`compare_variants` -> :class:`VariantComparison`: the three run on the pulses;
- :func:`draw_variant_comparison`: their gates and states on two axes (line artists by name),
  with :func:`gate_lines` / :func:`state_lines` giving the series the lines show.

The three cells share one "keep" bias: the LSTM's forget bias ``b_f`` and the GRU's update
bias ``b_z`` (the coupled LSTM's ``b_f``).  With no input, all three let their memory decay by
the same factor σ(keep) per step.  At a pulse they differ: the LSTM keeps its old memory *and*
adds the new one, while the GRU and the coupled LSTM must forget exactly what they write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm.cell import LSTMCell, LSTMTrace
from lstm.gru import GRUCell, GRUTrace
from lstm.style import GATE_COLOURS, OKABE_ITO, integer_ticks
from lstm.variants import CoupledLSTMCell, LSTMVariantTrace

__all__ = [
    "CANDIDATE_WEIGHT",
    "FIRST_PULSE",
    "OUTPUT_BIAS",
    "SECOND_PULSE",
    "STATE_LIMITS",
    "STEPS",
    "VariantComparison",
    "WRITE_BIAS",
    "WRITE_WEIGHT",
    "compare_variants",
    "draw_variant_comparison",
    "gate_lines",
    "pulse_inputs",
    "state_lines",
    "variant_cells",
]

#: Steps of the comparison and the positions (0-based) of its two pulses.
STEPS = 30
FIRST_PULSE, SECOND_PULSE = 3, 14
#: How strongly a pulse opens the write gates (weight on x_t) and where they sit without input.
WRITE_WEIGHT, WRITE_BIAS = 8.0, -4.0
#: Weight of x_t in the candidate: a pulse of 1 proposes tanh(2) = 0.96.
CANDIDATE_WEIGHT = 2.0
#: The LSTM's output-gate bias: o = σ(2) = 0.88 at every step.
OUTPUT_BIAS = 2.0


def _check_float(name: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number; got {value!r} ({type(value).__name__})")
    value = float(value)
    if not low <= value <= high:
        raise ValueError(f"{name} must lie between {low} and {high}; got {value}")
    return value


def pulse_inputs(second_pulse: float = 0.5, steps: int = STEPS) -> np.ndarray:
    """The input sequence: a pulse of 1 at step 4, a pulse of ``second_pulse`` at step 15.

    Parameters
    ----------
    second_pulse : float, default 0.5
        Height of the second pulse, between 0 and 1.
    steps : int, default 30
        Length of the sequence (at least 16, so that both pulses fit).

    Returns
    -------
    numpy.ndarray, shape (steps, 1)
    """
    second_pulse = _check_float("second_pulse", second_pulse, 0.0, 1.0)
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps <= SECOND_PULSE:
        raise ValueError(f"steps must be an integer above {SECOND_PULSE}; got {steps!r}")
    xs = np.zeros((int(steps), 1))
    xs[FIRST_PULSE, 0], xs[SECOND_PULSE, 0] = 1.0, second_pulse
    return xs


def variant_cells(keep_bias: float = 3.0) -> tuple[LSTMCell, CoupledLSTMCell, GRUCell]:
    """A one-unit LSTM, coupled LSTM and GRU that play the same roles.

    Every weight on :math:`h_{t-1}` is 0, so each cell reacts to the input and its own memory
    only.  Weights on :math:`x_t` (columns are ``[h_{t-1}, x_t]``):

    - LSTM: ``f = σ(keep)`` always; ``i = σ(8 x − 4)`` opens at a pulse; ``c̃ = tanh(2 x)``;
      ``o = σ(2)``.
    - coupled LSTM: ``f = σ(keep − 8 x)`` closes at a pulse, so ``i = 1 − f`` opens;
      ``c̃ = tanh(2 x)``; ``o = σ(2)``.
    - GRU: ``z = σ(keep − 8 x)`` (keeps the old state, drops at a pulse); the reset gate has
      nothing to reset (``W_n^h = 0``); ``n = tanh(2 x)``.

    Parameters
    ----------
    keep_bias : float, default 3.0
        The LSTM's ``b_f``, the coupled LSTM's ``b_f`` and the GRU's ``b_z``, from -2 to 8.

    Returns
    -------
    (LSTMCell, CoupledLSTMCell, GRUCell)
    """
    keep = _check_float("keep_bias", keep_bias, -2.0, 8.0)
    lstm = LSTMCell.from_arrays(
        W_f=[[0.0, 0.0]], b_f=[keep],
        W_i=[[0.0, WRITE_WEIGHT]], b_i=[WRITE_BIAS],
        W_c=[[0.0, CANDIDATE_WEIGHT]], b_c=[0.0],
        W_o=[[0.0, 0.0]], b_o=[OUTPUT_BIAS],
    )
    coupled = CoupledLSTMCell.from_arrays(
        W_f=[[0.0, -WRITE_WEIGHT]], b_f=[keep],
        W_c=[[0.0, CANDIDATE_WEIGHT]], b_c=[0.0],
        W_o=[[0.0, 0.0]], b_o=[OUTPUT_BIAS],
    )
    gru = GRUCell.from_arrays(
        W_r=[[0.0, 0.0]], b_r=[0.0],
        W_z=[[0.0, -WRITE_WEIGHT]], b_z=[keep],
        W_n=[[0.0, CANDIDATE_WEIGHT]], b_n=[0.0], b_hn=[0.0],
    )
    return lstm, coupled, gru


@dataclass(frozen=True)
class VariantComparison:
    """The three cells of :func:`variant_cells` run on the same pulse sequence.

    Attributes
    ----------
    xs : numpy.ndarray, shape (T, 1)
        The inputs.
    keep_bias, second_pulse : float
        The settings.
    lstm : lstm.cell.LSTMTrace
    coupled : lstm.variants.LSTMVariantTrace
    gru : lstm.gru.GRUTrace
    """

    xs: np.ndarray
    keep_bias: float
    second_pulse: float
    lstm: LSTMTrace
    coupled: LSTMVariantTrace
    gru: GRUTrace

    def memory_after(self, step: int) -> dict[str, float]:
        """The memory of each cell after ``step`` (1-based): the LSTMs' c_t, the GRU's h_t."""
        index = step - 1
        return {"LSTM c": float(self.lstm.c[index, 0]),
                "coupled LSTM c": float(self.coupled.c[index, 0]),
                "GRU h": float(self.gru.h[index, 0])}


def compare_variants(keep_bias: float = 3.0, second_pulse: float = 0.5,
                     steps: int = STEPS) -> VariantComparison:
    """Run the LSTM, the coupled LSTM and the GRU of :func:`variant_cells` on the pulses.

    Parameters
    ----------
    keep_bias : float, default 3.0
        See :func:`variant_cells`.
    second_pulse : float, default 0.5
        See :func:`pulse_inputs`.
    steps : int, default 30

    Returns
    -------
    VariantComparison
    """
    xs = pulse_inputs(second_pulse, steps)
    lstm, coupled, gru = variant_cells(keep_bias)
    return VariantComparison(xs=xs, keep_bias=float(keep_bias), second_pulse=float(second_pulse),
                             lstm=lstm.run(xs), coupled=coupled.run(xs), gru=gru.run(xs))


def gate_lines(result: VariantComparison) -> dict[str, np.ndarray]:
    """The gate series of the left panel: line name -> values over time, shape (T,)."""
    return {"lstm_f": result.lstm.f[:, 0], "lstm_i": result.lstm.i[:, 0],
            "gru_z": result.gru.z[:, 0], "gru_write": 1.0 - result.gru.z[:, 0]}


def state_lines(result: VariantComparison) -> dict[str, np.ndarray]:
    """The state series of the right panel: line name -> values over time, shape (T,)."""
    return {"lstm_c": result.lstm.c[:, 0], "lstm_h": result.lstm.h[:, 0],
            "gru_h": result.gru.h[:, 0]}


#: Marks of the gate lines: where an LSTM gate and its GRU counterpart coincide (the write
#: spikes at the pulses, the keep gates between them), the LSTM's dot sits inside the GRU's
#: larger open square, so both stay visible. ``web/live-explorer.mjs`` draws the same marks.
LSTM_GATE_MARKS = dict(marker="o", markersize=3.5)
GRU_GATE_MARKS = dict(marker="s", markersize=7.0, markerfacecolor="none", markeredgewidth=1.2)

_LINE_STYLES = {
    "lstm_f": dict(color=GATE_COLOURS["forget"], linestyle="-", label=r"LSTM forget $f_t$",
                   **LSTM_GATE_MARKS),
    "gru_z": dict(color=GATE_COLOURS["forget"], linestyle="--", label=r"GRU update $z_t$", **GRU_GATE_MARKS),
    "lstm_i": dict(color=GATE_COLOURS["input"], linestyle="-", label=r"LSTM input $i_t$", **LSTM_GATE_MARKS),
    "gru_write": dict(color=GATE_COLOURS["input"], linestyle="--", label=r"GRU $1 - z_t$", **GRU_GATE_MARKS),
    "lstm_c": dict(color=GATE_COLOURS["cell"], linestyle="-", label=r"LSTM cell state $c_t$"),
    "lstm_h": dict(color=GATE_COLOURS["hidden"], linestyle="-", label=r"LSTM hidden state $h_t$"),
    "gru_h": dict(color=GATE_COLOURS["cell"], linestyle="--", label=r"GRU hidden state $h_t$"),
}
STATE_LIMITS = (-0.1, 2.05)


def draw_variant_comparison(gate_axes: Any, state_axes: Any, result: VariantComparison) -> dict[str, Any]:
    """Draw the comparison's gates on ``gate_axes`` and its states on ``state_axes``.

    Dotted vertical lines mark the two pulses; solid lines are the LSTM, dashed the GRU.

    Parameters
    ----------
    gate_axes, state_axes : matplotlib.axes.Axes
    result : VariantComparison

    Returns
    -------
    dict of str to matplotlib.lines.Line2D
        The line artists by the names of :func:`gate_lines` and :func:`state_lines`.
    """
    steps = np.arange(1, len(result.xs) + 1)
    lines: dict[str, Any] = {}
    for axes, values, title in ((gate_axes, gate_lines(result), "Gates: keep and write"),
                                (state_axes, state_lines(result), "Memory and output")):
        for name, series in values.items():
            (lines[name],) = axes.plot(steps, series, linewidth=2.0, **_LINE_STYLES[name])
        axes.set_title(title)
        axes.set_xlabel("time step t")
        integer_ticks(axes)
        for pulse in (FIRST_PULSE, SECOND_PULSE):
            axes.axvline(pulse + 1, color=OKABE_ITO["sky_blue"], linewidth=1.0, linestyle=":",
                         zorder=0)
        axes.set_xlim(1, len(result.xs))
    gate_axes.set_ylabel("gate value")
    gate_axes.set_ylim(-0.05, 1.05)
    state_axes.set_ylabel("value")
    state_axes.set_ylim(*STATE_LIMITS)
    gate_axes.legend(loc="center right", fontsize="small")
    state_axes.legend(loc="upper right", fontsize="small")
    return lines
