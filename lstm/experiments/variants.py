"""The computations behind the chapter "Variants" (#sec-variants): LSTM, coupled LSTM and GRU side by side.

Backs chapter 10 (#sec-variants).

- :func:`parameter_table` puts the parameter counts of the book's five cells side by side and
  checks each formula (:func:`lstm.variants.parameter_counts`) against the cells' own
  ``num_parameters``.
- :func:`compare_variants` runs a one-unit LSTM, a one-unit coupled LSTM and a one-unit GRU,
  built to play the same roles, on the same pulse sequence (from :mod:`lstm.variant_comparison`,
  which the explorer uses too); :func:`plot_variant_comparison` draws their gates and states.
- The explorer of that figure, :func:`lstm.explorers.variant_explorer`, lives with the other
  explorers.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from lstm.cell import LSTMCell
from lstm.gru import GRUCell
from lstm.plots import new_figure
from lstm.rnn import RNNCell
from lstm.style import book_style
from lstm.variant_comparison import (
    CANDIDATE_WEIGHT,
    FIRST_PULSE,
    OUTPUT_BIAS,
    SECOND_PULSE,
    STATE_LIMITS,
    STEPS,
    WRITE_BIAS,
    WRITE_WEIGHT,
    VariantComparison,
    compare_variants,
    draw_variant_comparison,
    pulse_inputs,
    state_lines,
    variant_cells,
)
from lstm.variants import CoupledLSTMCell, PeepholeLSTMCell, parameter_counts

__all__ = [
    "CANDIDATE_WEIGHT",
    "FIRST_PULSE",
    "OUTPUT_BIAS",
    "SECOND_PULSE",
    "STEPS",
    "VariantComparison",
    "WRITE_BIAS",
    "WRITE_WEIGHT",
    "compare_variants",
    "parameter_table",
    "plot_variant_comparison",
    "pulse_inputs",
    "variant_cells",
]

_CELL_CLASSES = {"RNN": RNNCell, "coupled LSTM": CoupledLSTMCell, "GRU": GRUCell,
                 "LSTM": LSTMCell, "peephole LSTM": PeepholeLSTMCell}


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


def plot_variant_comparison(result: VariantComparison, size: str = "laptop") -> Figure:
    """The gates (left) and states (right) of the LSTM and the GRU on the same pulses.

    Dotted vertical lines mark the two pulses.  Solid lines are the LSTM, dashed lines the GRU
    (on the gates: dots for the LSTM, open squares for the GRU, so that both show where they meet);
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
        draw_variant_comparison(gate_axes, state_axes, result)
        highest = max(float(series.max()) for series in state_lines(result).values())
        state_axes.set_ylim(STATE_LIMITS[0], max(1.05, highest + 0.1))
    return figure
