"""The one-input, one-unit cell shared by the diagram explorer (chapter 2) and the step
explorers (chapters 3-5): default gate parameters and the cell built from them.
"""

from __future__ import annotations

from typing import Any

from lstm.cell import LSTMCell
from lstm.plots import GATE_SUBSCRIPTS, GATES

__all__ = ["DEFAULT_GATE_PARAMETERS", "DEFAULT_STEP_INPUTS", "lstm_cell_from_gate_parameters"]

#: Weights and bias of each gate in the one-unit explorers (chapters 2-5):
#: ``(weight on h_{t-1}, weight on x_t, bias)``. The worked example of chapters 2-5
#: (``W_f = [0.5, 2]``, ``b_f = -1``; ``W_i = [0, 1]``, ``b_i = 0``; ``W_c = [1, -1.5]``,
#: ``b_c = 0.5``; ``W_o = [0, 1]``, ``b_o = 1``), so that an explorer first shows the numbers the
#: chapter just computed (with :data:`DEFAULT_STEP_INPUTS`: ``z_f = 1.1``, ``f_t = 0.7503``).
DEFAULT_GATE_PARAMETERS: dict[str, tuple[float, float, float]] = {
    "forget": (0.5, 2.0, -1.0),
    "input": (0.0, 1.0, 0.0),
    "candidate": (1.0, -1.5, 0.5),
    "output": (0.0, 1.0, 1.0),
}

#: The inputs of the worked example's step, where the diagram and step explorers start:
#: ``x_t = 1``, ``h_{t-1} = 0.2``, ``c_{t-1} = 0.8``.
DEFAULT_STEP_INPUTS: dict[str, float] = {"x": 1.0, "h_prev": 0.2, "c_prev": 0.8}


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

