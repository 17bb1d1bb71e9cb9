"""The computations behind the chapter "Variants": the LSTM, the coupled LSTM and the GRU side by side.

Backs chapter 9 (#sec-variants).

- :func:`parameter_table` puts the parameter counts of the book's five cells side by side and
  checks each formula (:func:`lstm.variants.parameter_counts`) against the cells' own
  ``num_parameters``.
- :func:`compare_variants` runs a one-unit LSTM, a one-unit coupled LSTM and a one-unit GRU,
  built to play the same roles, on the same pulse sequence; :func:`plot_variant_comparison`
  draws their gates and states.
- :func:`variant_explorer` is that figure with sliders (an HTML scrubber on static pages).

The three cells share one "keep" bias: the LSTM's forget bias ``b_f`` and the GRU's update
bias ``b_z`` (the coupled LSTM's ``b_f``).  With no input, all three let their memory decay by
the same factor σ(keep) per step.  At a pulse they differ: the LSTM keeps its old memory *and*
adds the new one, while the GRU and the coupled LSTM must forget exactly what they write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from matplotlib.figure import Figure

from lstm.cell import LSTMCell, LSTMTrace
from lstm.gru import GRUCell, GRUTrace
from lstm.plots import new_figure
from lstm.rnn import RNNCell
from lstm.style import GATE_COLOURS, OKABE_ITO, book_style
from lstm.style import check_size as check_style_size
from lstm.variants import CoupledLSTMCell, LSTMVariantTrace, PeepholeLSTMCell, parameter_counts

__all__ = [
    "VariantComparison",
    "compare_variants",
    "parameter_table",
    "plot_variant_comparison",
    "pulse_inputs",
    "variant_cells",
    "variant_explorer",
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

_CELL_CLASSES = {"RNN": RNNCell, "coupled LSTM": CoupledLSTMCell, "GRU": GRUCell,
                 "LSTM": LSTMCell, "peephole LSTM": PeepholeLSTMCell}


def _check_float(name: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number; got {value!r} ({type(value).__name__})")
    value = float(value)
    if not low <= value <= high:
        raise ValueError(f"{name} must lie between {low} and {high}; got {value}")
    return value


# ---------------------------------------------------------------- parameter counts
def parameter_table(input_size: int = 8, hidden_sizes: Sequence[int] = (1, 8, 64, 256)) -> str:
    """The parameter counts of every cell for several hidden sizes, as printable text.

    Each count comes from the formula (:func:`lstm.variants.parameter_counts`) and is checked
    against ``num_parameters`` of a cell built at that size.

    Parameters
    ----------
    input_size : int, default 8
        Input size ``I`` of every cell.
    hidden_sizes : sequence of int
        The hidden sizes ``H``, one row each.

    Returns
    -------
    str
        One row per hidden size, one column per cell (smallest first), and each cell's count
        relative to the LSTM's.

    Raises
    ------
    ValueError, TypeError
        If a size is not a positive integer.
    RuntimeError
        If a formula disagrees with a cell (it never should: the tests check this).
    """
    hidden_sizes = tuple(hidden_sizes)
    if not hidden_sizes:
        raise ValueError("hidden_sizes must hold at least one size; got none")
    names = list(parameter_counts(input_size, hidden_sizes[0]))
    width = max(len(name) for name in names) + 2
    lines = [f"{'H':>5}" + "".join(f"{name:>{width}}" for name in names)]
    for hidden in hidden_sizes:
        counts = parameter_counts(input_size, hidden)
        for name, count in counts.items():
            built = _CELL_CLASSES[name](input_size, hidden).num_parameters
            if built != count:
                raise RuntimeError(f"{name}: formula gives {count}, the cell has {built}")
        lines.append(f"{hidden:>5}" + "".join(f"{counts[name]:>{width},}" for name in names))
    counts = parameter_counts(input_size, hidden_sizes[-1])
    lines.append(f"relative to the LSTM at H = {hidden_sizes[-1]}:")
    lines.append(" " * 5 + "".join(f"{counts[name] / counts['LSTM']:>{width}.3f}" for name in names))
    return "\n".join(lines)


# ---------------------------------------------------------------- the comparison
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


def _gate_lines(result: VariantComparison) -> dict[str, np.ndarray]:
    return {"lstm_f": result.lstm.f[:, 0], "lstm_i": result.lstm.i[:, 0],
            "gru_z": result.gru.z[:, 0], "gru_write": 1.0 - result.gru.z[:, 0]}


def _state_lines(result: VariantComparison) -> dict[str, np.ndarray]:
    return {"lstm_c": result.lstm.c[:, 0], "lstm_h": result.lstm.h[:, 0],
            "gru_h": result.gru.h[:, 0]}


_LINE_STYLES = {
    "lstm_f": dict(color=GATE_COLOURS["forget"], linestyle="-", label=r"LSTM forget $f_t$"),
    "gru_z": dict(color=GATE_COLOURS["forget"], linestyle="--", label=r"GRU update $z_t$"),
    "lstm_i": dict(color=GATE_COLOURS["input"], linestyle="-", label=r"LSTM input $i_t$"),
    "gru_write": dict(color=GATE_COLOURS["input"], linestyle="--", label=r"GRU $1 - z_t$"),
    "lstm_c": dict(color=GATE_COLOURS["cell"], linestyle="-", label=r"LSTM cell state $c_t$"),
    "lstm_h": dict(color=GATE_COLOURS["hidden"], linestyle="-", label=r"LSTM hidden state $h_t$"),
    "gru_h": dict(color=GATE_COLOURS["cell"], linestyle="--", label=r"GRU hidden state $h_t$"),
}
_STATE_LIMITS = (-0.1, 2.05)


def _draw_axes(gate_axes: Any, state_axes: Any, result: VariantComparison) -> dict[str, Any]:
    """Draw the comparison's lines on two axes; returns the line artists by name."""
    steps = np.arange(1, len(result.xs) + 1)
    lines: dict[str, Any] = {}
    for axes, values, title in ((gate_axes, _gate_lines(result), "Gates: keep and write"),
                                (state_axes, _state_lines(result), "Memory and output")):
        for name, series in values.items():
            (lines[name],) = axes.plot(steps, series, linewidth=2.0, **_LINE_STYLES[name])
        axes.set_title(title)
        axes.set_xlabel("time step t")
        for pulse in (FIRST_PULSE, SECOND_PULSE):
            axes.axvline(pulse + 1, color=OKABE_ITO["sky_blue"], linewidth=1.0, linestyle=":",
                         zorder=0)
        axes.set_xlim(1, len(result.xs))
    gate_axes.set_ylabel("gate value")
    gate_axes.set_ylim(-0.05, 1.05)
    state_axes.set_ylabel("value")
    state_axes.set_ylim(*_STATE_LIMITS)
    gate_axes.legend(loc="center right", fontsize="small")
    state_axes.legend(loc="upper right", fontsize="small")
    return lines


def plot_variant_comparison(result: VariantComparison, size: str = "laptop") -> Figure:
    """The gates (left) and states (right) of the LSTM and the GRU on the same pulses.

    Dotted vertical lines mark the two pulses.  Solid lines are the LSTM, dashed lines the GRU;
    colours give the role (vermillion: keeping the old memory, blue: writing the new one,
    orange: the memory itself, black: the LSTM's output).

    Parameters
    ----------
    result : VariantComparison
        From :func:`compare_variants`.
    size : {"laptop", "projector"}, default "laptop"

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(result, VariantComparison):
        raise TypeError(f"result must be a VariantComparison; got {type(result).__name__}")
    figure = new_figure(size, figsize=(10.0, 4.2) if size == "laptop" else (13.0, 5.6),
                        layout="constrained")
    with book_style(size):
        gate_axes, state_axes = figure.subplots(1, 2)
        _draw_axes(gate_axes, state_axes, result)
        highest = max(float(series.max()) for series in _state_lines(result).values())
        state_axes.set_ylim(_STATE_LIMITS[0], max(1.05, highest + 0.1))
    return figure


# ---------------------------------------------------------------- the explorer
def _variant_explorer_class() -> type:
    """Build the explorer class lazily (ipywidgets is imported only when it is used)."""
    import ipywidgets as widgets

    from lstm.explorers import Explorer, _slider

    class VariantExplorer(Explorer):
        """Sliders for the shared keep bias and the second pulse -> LSTM and GRU redrawn."""

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
                "keep_bias": _slider("keep bias", 3.0, -2.0, 8.0, 0.5,
                                     "LSTM forget-gate bias b_f = GRU update-gate bias b_z"),
                "second_pulse": _slider("second pulse", 0.5, 0.0, 1.0, 0.05,
                                        "Height of the input pulse at step 15"),
            }

        def _build_figure(self) -> None:
            self.gate_axes, self.state_axes = self.figure.subplots(1, 2)
            self._compute()
            self.lines = _draw_axes(self.gate_axes, self.state_axes, self.result)
            self.figure.tight_layout()

        def _dynamic_artists(self) -> list[Any]:
            return list(self.lines.values())

        def _compute(self) -> None:
            self.result = compare_variants(float(self.controls["keep_bias"].value),
                                           float(self.controls["second_pulse"].value))

        def _redraw(self) -> None:
            for name, series in {**_gate_lines(self.result), **_state_lines(self.result)}.items():
                self.lines[name].set_ydata(np.clip(series, *_STATE_LIMITS))

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

    return VariantExplorer


def variant_explorer(size: str = "laptop") -> Any:
    """The LSTM and the GRU on the same pulses, with sliders for the keep bias and a pulse.

    Live ipywidgets in a kernel; with ``LSTM_BOOK_STATIC=1`` an HTML scrubber over the keep
    bias (see :mod:`lstm.static`).

    Parameters
    ----------
    size : {"laptop", "projector"}, default "laptop"

    Returns
    -------
    lstm.explorers.Explorer or lstm.static.StaticExplorer

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    """
    check_style_size(size)
    from lstm.static import scrubber, static_mode

    explorer = _variant_explorer_class()(size)
    if static_mode():
        static = scrubber(explorer)
        explorer.close()
        return static
    return explorer
