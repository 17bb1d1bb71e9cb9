"""Where a framework keeps the LSTM's weights: PyTorch's and Keras' arrays drawn block by block.

:func:`plot_framework_layout` draws the weight arrays of one cell in PyTorch's layout
(``weight_ih``, ``weight_hh``: four gate blocks stacked as rows, order i, f, g, o) or Keras'
(``kernel``, ``recurrent_kernel``: the same blocks as columns), each entry coloured by its value,
with the blocks labelled and one gate's block outlined in black. The arrays come from
:meth:`lstm.cell.LSTMCell.to_pytorch` / :meth:`~lstm.cell.LSTMCell.to_keras`, so the picture is
the package's own translation.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.patches import Rectangle

from lstm.cell import LSTMCell
from lstm.style import SIGNED_COLOURMAP

__all__ = ["FRAMEWORKS", "GATE_BLOCKS", "plot_framework_layout"]

#: The frameworks' gate order, with each block's name in the book.
GATE_BLOCKS: tuple[tuple[str, str], ...] = (
    ("i", "input"), ("f", "forget"), ("g", "candidate"), ("o", "output")
)
#: Framework -> (names of the two weight arrays, gates stacked along rows?).
FRAMEWORKS: dict[str, tuple[tuple[str, str], bool]] = {
    "pytorch": (("weight_ih", "weight_hh"), True),
    "keras": (("kernel", "recurrent_kernel"), False),
}


def plot_framework_layout(
    figure: Any, cell: LSTMCell, framework: str = "pytorch", gate: str = "forget"
) -> None:
    """Draw ``cell``'s two weight arrays in ``framework``'s layout, with ``gate``'s block outlined.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        An empty figure (two axes are added side by side).
    cell : LSTMCell
    framework : {"pytorch", "keras"}
    gate : {"input", "forget", "candidate", "output"}

    Raises
    ------
    TypeError
        If ``cell`` is not an :class:`LSTMCell`.
    ValueError
        If ``framework`` or ``gate`` is unknown.
    """
    if not isinstance(cell, LSTMCell):
        raise TypeError(f"cell must be an LSTMCell; got {type(cell).__name__}")
    if framework not in FRAMEWORKS:
        raise ValueError(f"framework must be one of {sorted(FRAMEWORKS)}; got {framework!r}")
    names = [name for _, name in GATE_BLOCKS]
    if gate not in names:
        raise ValueError(f"gate must be one of {names}; got {gate!r}")
    arrays = cell.to_pytorch() if framework == "pytorch" else cell.to_keras()
    (input_name, hidden_name), rows = FRAMEWORKS[framework]
    hidden = cell.hidden_size
    limit = max(float(np.abs(arrays[name]).max()) for name in (input_name, hidden_name)) or 1.0
    block = names.index(gate)
    axes = figure.subplots(1, 2, gridspec_kw={"width_ratios": [cell.input_size, hidden] if rows else [1, 1]})
    for ax, name, reads in ((axes[0], input_name, "$x_t$"), (axes[1], hidden_name, "$h_{t-1}$")):
        values = arrays[name]
        image = ax.imshow(values, cmap=SIGNED_COLOURMAP, vmin=-limit, vmax=limit, aspect="auto",
                          interpolation="nearest")
        ax.set_title(f"{name}: reads {reads}", fontsize="medium")
        for k, (letter, _) in enumerate(GATE_BLOCKS):
            start = k * hidden - 0.5
            if rows:
                if k:
                    ax.axhline(start, color="0.2", linewidth=0.8)
                ax.text(-0.7, start + hidden / 2, letter, ha="right", va="center", fontsize="large")
                outline = (-0.5, start), values.shape[1], hidden
            else:
                if k:
                    ax.axvline(start, color="0.2", linewidth=0.8)
                letter = "c" if letter == "g" else letter  # Keras calls the candidate block c
                ax.text(start + hidden / 2, values.shape[0] - 0.4, letter, ha="center", va="top",
                        fontsize="large")
                outline = (start, -0.5), hidden, values.shape[0]
            if k == block:
                corner, width, height = outline
                ax.add_patch(Rectangle(corner, width, height, fill=False, linewidth=3.5,
                                       edgecolor="black"))
        ax.set_xticks([])
        ax.set_yticks([])
        shape = "x".join(str(n) for n in values.shape)
        ax.set_xlabel(f"shape {shape}", labelpad=4 if rows else 22)
    figure.colorbar(image, ax=list(axes), shrink=0.8, label="weight")
