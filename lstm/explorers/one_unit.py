"""The one-input, one-unit cell shared by the diagram explorer (chapter 2) and the step
explorers (chapters 3-5): default gate parameters and the cell built from them.
"""

from __future__ import annotations

from typing import Any

from lstm.cell import LSTMCell
from lstm.plots import GATE_SUBSCRIPTS, GATES

__all__ = ["DEFAULT_GATE_PARAMETERS", "lstm_cell_from_gate_parameters"]

#: Weights and bias of each gate in the one-unit explorers (chapters 2-5):
#: ``(weight on h_{t-1}, weight on x_t, bias)``. Sensible, readable values: the forget gate leans
#: towards keeping, the input gate opens for positive inputs, the output gate is mostly open.
DEFAULT_GATE_PARAMETERS: dict[str, tuple[float, float, float]] = {
    "forget": (0.5, 1.0, 1.0),
    "input": (0.5, 2.0, 0.0),
    "candidate": (0.5, 1.5, 0.0),
    "output": (0.5, 1.0, 0.5),
}


def lstm_cell_from_gate_parameters(
    parameters: dict[str, tuple[float, float, float]],
) -> LSTMCell:
    """Build the one-input, one-unit cell of the step and diagram explorers.

    Parameters
    ----------
    parameters : dict
        For each gate name, ``(weight on h_{t-1}, weight on x_t, bias)``.

    Returns
    -------
    LSTMCell
        ``W_gate = [[weight on h_{t-1}, weight on x_t]]`` (shape (1, 2), acting on
        ``[h_{t-1}, x_t]``), ``b_gate = [bias]``.
    """
    arrays: dict[str, Any] = {}
    for gate in GATES:
        weight_h, weight_x, bias = parameters[gate]
        letter = GATE_SUBSCRIPTS[gate]
        arrays[f"W_{letter}"] = [[weight_h, weight_x]]
        arrays[f"b_{letter}"] = [bias]
    return LSTMCell.from_arrays(**arrays)

