"""The LSTM cell unrolled in time: a few small copies of the cell joined by the h and c wires.

Running a cell over a sequence applies the *same* cell once per step and hands the two states on.
Drawn out, that is a row of copies of the cell diagram (:mod:`lstm.diagram`), one per time step:

* the **cell state** (the conveyor belt, in the book's colour for it) runs along the top of every
  copy, from :math:`c_0` on the left through each copy's multiplication by :math:`f_t` and
  addition of :math:`i_t \\odot \\tilde{c}_t`, on into the next copy, and out as :math:`c_T`;
* the **hidden state** leaves each copy twice: upwards as the output :math:`h_t`, and along the
  bottom into the next copy, where it joins that step's input;
* each **input** :math:`x_t` enters its copy from below;
* each copy is a compact version of the cell diagram: the four layer boxes carry the symbol of
  the gate they compute (in the book's colour of that gate), and the multiplications, the addition
  and the tanh of :math:`c_t` sit where they sit in the full diagram.

:meth:`UnrolledDiagram.show_values` writes the numbers of a whole run (:meth:`lstm.LSTMCell.run`)
on the wires: :math:`x_t` on its input wire, :math:`f_t`, :math:`i_t`, :math:`\\tilde{c}_t`,
:math:`o_t` on the wires leaving their boxes, and the states :math:`c_t`, :math:`h_t` on the
wires between the copies. Like :class:`lstm.diagram.CellDiagram`, it only changes the strings of
text artists drawn once, so an explorer can call it on every change and redraw the same figure.

Example
-------
>>> from lstm.unrolled import UnrolledDiagram, example_trace
>>> diagram = UnrolledDiagram(steps=4)
>>> diagram.show_values(example_trace())       # chapter 6's cell and inputs
>>> diagram.figure.savefig("unrolled.png")     # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from lstm.cell import LSTMCell, LSTMTrace
from lstm.drawing import (
    INK,
    PAPER,
    DiagramSizes,
    DrawnElement,
    colour_element,
    deterministic_svg,
    draw_frame,
    draw_function_node,
    draw_gate_box,
    draw_junction,
    draw_label,
    draw_operation,
    draw_value_slot,
    draw_wire,
    first_entries,
    format_value,
    png_bytes,
)
from lstm.plots import BookFigure
from lstm.style import GATE_COLOURS, check_size

__all__ = [
    "MAX_STEPS",
    "STEP_VALUE_NAMES",
    "UNROLLED_IMAGE",
    "UnrolledDiagram",
    "describe",
    "draw_unrolled",
    "example_cell",
    "example_inputs",
    "example_trace",
    "unrolled_svg",
]

#: The numbers :meth:`UnrolledDiagram.show_values` writes for every step, named like the
#: attributes of :class:`lstm.cell.LSTMTrace` (the initial states are written once, on the left).
STEP_VALUE_NAMES: tuple[str, ...] = ("x", "f", "i", "c_tilde", "o", "c", "h")

#: Most copies the figure draws (more would not be readable at the book's sizes).
MAX_STEPS = 5

#: File name of the static figure in ``images/`` (written by ``tools/make_images.py``).
UNROLLED_IMAGE = "lstm-unrolled.svg"

#: The gate boxes of one copy: (part of the cell, letter of its symbol); the colour comes from
#: lstm.style.GATE_COLOURS, the same colour every figure of the book uses for that gate.
GATES: tuple[tuple[str, str], ...] = (
    ("forget", "f"),
    ("input", "i"),
    ("candidate", r"\tilde{c}"),
    ("output", "o"),
)


# ----------------------------------------------------------------------------------------------
# Sizes. The figure is wide and low, so its fonts are a little smaller than the single cell's;
# `inches_per_unit` turns the geometry below (data units) into the figure size.
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UnrolledSizes:
    """Fonts and lines (see :class:`lstm.drawing.DiagramSizes`) and the scale of the figure."""

    drawing: DiagramSizes
    inches_per_unit: float


SIZES: dict[str, UnrolledSizes] = {
    "laptop": UnrolledSizes(
        DiagramSizes(
            figsize=(0.0, 0.0),  # computed from the number of steps
            label_font=15.0,
            box_font=13.5,
            value_font=12.0,
            note_font=10.5,
            line_width=1.5,
            arrow_scale=11.0,
        ),
        inches_per_unit=0.215,
    ),
    "projector": UnrolledSizes(
        DiagramSizes(
            figsize=(0.0, 0.0),
            label_font=20.0,
            box_font=18.0,
            value_font=16.5,
            note_font=14.0,
            line_width=2.4,
            arrow_scale=16.0,
        ),
        inches_per_unit=0.29,
    ),
}

# ----------------------------------------------------------------------------------------------
# Geometry of one copy (data units, origin at the bottom left corner of its frame). The copies
# stand side by side, COPY_WIDTH + GAP apart; the wires between them carry c_t and h_t.
# ----------------------------------------------------------------------------------------------
COPY_WIDTH = 9.7
GAP = 3.4  # between two frames: room for the value of c_t (on the belt) and of h_t
FRAME_BOTTOM, FRAME_TOP = 0.2, 9.0
BUS_Y = 0.8  # [h_{t-1}, x_t], feeding the four boxes
GATE_Y = 2.5  # centre of the boxes
BOX_WIDTH, BOX_HEIGHT = 1.25, 1.0
RADIUS = 0.28  # operation circles
BELT_Y = 8.4  # the cell state
PRODUCT_Y = 6.0  # i_t ⊙ c̃_t and o_t ⊙ tanh(c_t)
TANH_C_Y = 7.25
TANH_WIDTH, TANH_HEIGHT = 1.7, 0.62
LOW_VALUE_Y, HIGH_VALUE_Y = 3.75, 4.95  # the gate values, staggered so neighbours never touch
X_BOTTOM_Y = -1.55  # where x_t enters
X_VALUE_Y = -0.55
TOP_Y = 10.4  # where h_t leaves upwards

CONCAT_X = 0.8
FORGET_X, INPUT_X, CANDIDATE_X, OUTPUT_X = 1.6, 3.3, 5.0, 6.7
TANH_C_X = 7.9
H_SPLIT_X = 9.0

ENTRY = 3.2  # length of the wires entering the first copy / leaving the last, outside the frame
MARGIN = 1.5  # beyond the entry wires: room for the labels c_0, h_0, c_T, h_T
Y_LIMITS = (-2.75, 11.75)


def copy_left(step: int) -> float:
    """Data x of the left edge of the frame of copy ``step`` (0-based)."""
    return step * (COPY_WIDTH + GAP)


def x_limits(steps: int) -> tuple[float, float]:
    """Data x range of a figure with ``steps`` copies."""
    return (-ENTRY - MARGIN, copy_left(steps - 1) + COPY_WIDTH + ENTRY + MARGIN)


# ----------------------------------------------------------------------------------------------
# The chapter's example: the one-unit cell of chapters 3 to 6 and the four inputs of chapter 6
# ----------------------------------------------------------------------------------------------
def example_cell() -> LSTMCell:
    """The one-unit cell of chapter 6 (forget gate of chapter 3, input gate and candidate of 4...).

    Returns
    -------
    LSTMCell
        ``W_f = [[0.5, 2]], b_f = -1``, ``W_i = [[0, 1]], b_i = 0``, ``W_c = [[1, -1.5]],
        b_c = 0.5``, ``W_o = [[0, 1]], b_o = 1`` (weights on ``[h_{t-1}, x_t]``).
    """
    return LSTMCell.from_arrays(
        W_f=[[0.5, 2.0]],
        b_f=[-1.0],
        W_i=[[0.0, 1.0]],
        b_i=[0.0],
        W_c=[[1.0, -1.5]],
        b_c=[0.5],
        W_o=[[0.0, 1.0]],
        b_o=[1.0],
    )


def example_inputs() -> np.ndarray:
    """The four inputs of chapter 6, shape ``(time, input) = (4, 1)``: 1, 1, 0, −1."""
    return np.array([[1.0], [1.0], [0.0], [-1.0]])


def example_trace() -> LSTMTrace:
    """The run of :func:`example_cell` over :func:`example_inputs` from zero states.

    Returns
    -------
    LSTMTrace
        Every value of the four steps, shape ``(4, 1)`` each.
    """
    return example_cell().run(example_inputs())


# ----------------------------------------------------------------------------------------------
# The figure
# ----------------------------------------------------------------------------------------------
class UnrolledDiagram:
    """The cell unrolled over ``steps`` time steps, with the numbers of a run on the wires.

    Parameters
    ----------
    steps : int, default 4
        Number of copies of the cell (1 to :data:`MAX_STEPS`).
    ax : Axes or None, default None
        Axes to draw into (its limits are set and its frame hidden). If None, the diagram makes its
        own figure (not through ``pyplot``), sized for ``steps`` copies.
    size : {"laptop", "projector"}, default "laptop"
        Projector size uses a bigger figure, bigger fonts and thicker lines.

    Attributes
    ----------
    figure : Figure
        The figure the diagram lives in.
    ax : Axes
        The axes the diagram is drawn on.
    steps : int
        Number of copies.
    value_texts : dict of str to list of Text
        For each of :data:`STEP_VALUE_NAMES`, the text artists of steps 1 to ``steps``.
    initial_texts : dict of str to Text
        The values of the initial states, keys ``"h0"`` and ``"c0"``.
    note : Text
        Small note used when the cell has more than one unit (only the first is shown).

    Raises
    ------
    TypeError
        If ``steps`` is not an int or ``ax`` is neither None nor a matplotlib Axes.
    ValueError
        If ``steps`` is out of range or ``size`` is unknown.
    """

    def __init__(self, steps: int = 4, *, ax: Axes | None = None, size: str = "laptop") -> None:
        check_size(size)
        if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
            raise TypeError(f"steps must be an int from 1 to {MAX_STEPS}; got {type(steps).__name__}")
        if not 1 <= steps <= MAX_STEPS:
            raise ValueError(f"steps must be from 1 to {MAX_STEPS}; got {steps}")
        self.steps = int(steps)
        self.size = size
        self.sizes = SIZES[size].drawing
        left, right = x_limits(self.steps)
        if ax is None:
            scale = SIZES[size].inches_per_unit
            figsize = ((right - left) * scale, (Y_LIMITS[1] - Y_LIMITS[0]) * scale)
            self.figure = BookFigure(figsize=figsize, facecolor=PAPER)
            ax = self.figure.add_axes((0.0, 0.0, 1.0, 1.0))
        elif not isinstance(ax, Axes):
            raise TypeError(f"ax must be a matplotlib Axes or None; got {type(ax).__name__}")
        else:
            self.figure = ax.get_figure(root=True)
        self.ax = ax
        ax.set_xlim(left, right)
        ax.set_ylim(*Y_LIMITS)
        ax.set_aspect("equal")
        ax.set_axis_off()
        self._elements: list[DrawnElement] = []
        self.value_texts: dict[str, list[Text]] = {name: [] for name in STEP_VALUE_NAMES}
        self.initial_texts: dict[str, Text] = {}
        self._shown: dict[str, np.ndarray] | None = None
        for step in range(self.steps):
            self._draw_copy(step)
        self._draw_entries()
        self._draw_note()
        self._colour()

    # -- building ------------------------------------------------------------------------------
    def _add(self, kind: str, artists: Artist | Sequence[Artist], *parts: str) -> None:
        """Remember drawn artists, what they are and which parts they belong to."""
        if isinstance(artists, Artist):
            artists = [artists]
        self._elements.append(DrawnElement(kind, list(artists), frozenset(parts)))

    def _draw_copy(self, step: int) -> None:
        """Draw copy ``step`` (0-based) and the wires that leave it to the right."""
        ax, sizes = self.ax, self.sizes
        left = copy_left(step)
        t = step + 1  # the time step, as in the book: 1, 2, ...

        def at(x: float) -> float:
            return left + x

        last = step == self.steps - 1
        height = FRAME_TOP - FRAME_BOTTOM
        frame = draw_frame(ax, (left, FRAME_BOTTOM), COPY_WIDTH, height, sizes, rounding=0.45)
        self._add("frame", frame)

        # x_t from below joins h_{t-1} (which arrives along the bottom) into the bus
        x_wire = [(at(CONCAT_X), X_BOTTOM_Y), (at(CONCAT_X), BUS_Y)]
        self._add("wire", draw_wire(ax, x_wire, sizes, arrow=False))
        bus = [(at(CONCAT_X), BUS_Y), (at(OUTPUT_X), BUS_Y)]
        self._add("wire", draw_wire(ax, bus, sizes, arrow=False))
        self._add("dot", draw_junction(ax, (at(CONCAT_X), BUS_Y), sizes))
        self._add("label", draw_label(ax, (at(CONCAT_X), X_BOTTOM_Y - 0.15), f"$x_{t}$", sizes, va="top"))
        self.value_texts["x"].append(
            draw_value_slot(ax, (at(CONCAT_X), X_VALUE_Y), sizes, ha="center", va="center")
        )

        # the four boxes, fed from the bus, each with its value on the wire leaving it
        columns = (FORGET_X, INPUT_X, CANDIDATE_X, OUTPUT_X)
        value_heights = (LOW_VALUE_Y, HIGH_VALUE_Y, LOW_VALUE_Y, HIGH_VALUE_Y)
        for (part, letter), column, value_y, name in zip(
            GATES, columns, value_heights, ("f", "i", "c_tilde", "o"), strict=True
        ):
            x = at(column)
            self._add("wire", draw_wire(ax, [(x, BUS_Y), (x, GATE_Y - BOX_HEIGHT / 2)], sizes), part)
            if column != OUTPUT_X:
                self._add("dot", draw_junction(ax, (x, BUS_Y), sizes))
            box = draw_gate_box(
                ax, (x, GATE_Y), f"${letter}_{t}$", sizes, width=BOX_WIDTH, height=BOX_HEIGHT
            )
            self._add("box", list(box), part)
            self.value_texts[name].append(draw_value_slot(ax, (x, value_y), sizes, ha="center"))

        top = GATE_Y + BOX_HEIGHT / 2
        # f_t climbs to the multiplication on the belt
        f_wire = [(at(FORGET_X), top), (at(FORGET_X), BELT_Y - RADIUS)]
        self._add("wire", draw_wire(ax, f_wire, sizes), "forget")
        # i_t ⊙ c̃_t, then up to the addition on the belt
        i_wire = [(at(INPUT_X), top), (at(INPUT_X), PRODUCT_Y), (at(CANDIDATE_X) - RADIUS, PRODUCT_Y)]
        self._add("wire", draw_wire(ax, i_wire, sizes), "input")
        c_tilde_wire = [(at(CANDIDATE_X), top), (at(CANDIDATE_X), PRODUCT_Y - RADIUS)]
        self._add("wire", draw_wire(ax, c_tilde_wire, sizes), "candidate")
        self._add(
            "operation", draw_operation(ax, (at(CANDIDATE_X), PRODUCT_Y), "multiply", sizes, radius=RADIUS)
        )
        added = [(at(CANDIDATE_X), PRODUCT_Y + RADIUS), (at(CANDIDATE_X), BELT_Y - RADIUS)]
        self._add("wire", draw_wire(ax, added, sizes))

        # the belt: (into the first copy,) through the multiplication and the addition, then on
        # into the next copy's multiplication, or out to the right after the last copy
        if step == 0:
            self._add("belt", draw_wire(ax, [(-ENTRY, BELT_Y), (FORGET_X - RADIUS, BELT_Y)], sizes), "update")
        middle = [(at(FORGET_X) + RADIUS, BELT_Y), (at(CANDIDATE_X) - RADIUS, BELT_Y)]
        self._add("belt", draw_wire(ax, middle, sizes), "update")
        belt_end = at(COPY_WIDTH + ENTRY) if last else at(COPY_WIDTH + GAP + FORGET_X - RADIUS)
        onward = [(at(CANDIDATE_X) + RADIUS, BELT_Y), (belt_end, BELT_Y)]
        self._add("belt", draw_wire(ax, onward, sizes), "update")
        self._add("operation", draw_operation(ax, (at(FORGET_X), BELT_Y), "multiply", sizes, radius=RADIUS))
        self._add("operation", draw_operation(ax, (at(CANDIDATE_X), BELT_Y), "add", sizes, radius=RADIUS))

        # tanh(c_t) times o_t gives h_t
        self._add("dot", draw_junction(ax, (at(TANH_C_X), BELT_Y), sizes))
        to_tanh = [(at(TANH_C_X), BELT_Y), (at(TANH_C_X), TANH_C_Y + TANH_HEIGHT / 2)]
        self._add("wire", draw_wire(ax, to_tanh, sizes))
        node = draw_function_node(
            ax, (at(TANH_C_X), TANH_C_Y), "tanh", sizes, width=TANH_WIDTH, height=TANH_HEIGHT
        )
        node[1].set_fontsize(sizes.box_font * 0.68)
        self._add("operation", list(node))
        from_tanh = [(at(TANH_C_X), TANH_C_Y - TANH_HEIGHT / 2), (at(TANH_C_X), PRODUCT_Y + RADIUS)]
        self._add("wire", draw_wire(ax, from_tanh, sizes))
        o_wire = [(at(OUTPUT_X), top), (at(OUTPUT_X), PRODUCT_Y), (at(TANH_C_X) - RADIUS, PRODUCT_Y)]
        self._add("wire", draw_wire(ax, o_wire, sizes), "output")
        self._add(
            "operation", draw_operation(ax, (at(TANH_C_X), PRODUCT_Y), "multiply", sizes, radius=RADIUS)
        )

        # h_t: up out of the copy (the output) and along the bottom into the next copy
        h_end = at(COPY_WIDTH + ENTRY) if last else at(COPY_WIDTH + GAP + CONCAT_X)
        h_wire = [
            (at(TANH_C_X) + RADIUS, PRODUCT_Y),
            (at(H_SPLIT_X), PRODUCT_Y),
            (at(H_SPLIT_X), BUS_Y),
            (h_end, BUS_Y),
        ]
        self._add("wire", draw_wire(ax, h_wire, sizes, arrow=last))
        h_up = [(at(H_SPLIT_X), PRODUCT_Y), (at(H_SPLIT_X), TOP_Y)]
        self._add("wire", draw_wire(ax, h_up, sizes, over=True))
        self._add("dot", draw_junction(ax, (at(H_SPLIT_X), PRODUCT_Y), sizes))
        self._add("label", draw_label(ax, (at(H_SPLIT_X), TOP_Y + 0.12), f"$h_{t}$", sizes, va="bottom"))

        # the states handed on: their names and values on the wires right of the copy
        if last:
            self._add(
                "label", draw_label(ax, (belt_end + 0.15, BELT_Y), f"$c_{t}$", sizes, ha="left"), "update"
            )
            self._add("label", draw_label(ax, (h_end + 0.15, BUS_Y), f"$h_{t}$", sizes, ha="left"))
            value_x = at(COPY_WIDTH + ENTRY / 2)
        else:
            value_x = at(COPY_WIDTH + GAP / 2)
            self._add(
                "label",
                draw_label(ax, (value_x, BELT_Y + 0.55), f"$c_{t}$", sizes, va="bottom"),
                "update",
            )
            self._add("label", draw_label(ax, (value_x, BUS_Y + 0.55), f"$h_{t}$", sizes, va="bottom"))
        self.value_texts["c"].append(draw_value_slot(ax, (value_x, BELT_Y), sizes, ha="center"))
        self.value_texts["h"].append(draw_value_slot(ax, (value_x, BUS_Y), sizes, ha="center"))

    def _draw_entries(self) -> None:
        """Draw the initial states entering the first copy from the left, with their values."""
        ax, sizes = self.ax, self.sizes
        self._add("wire", draw_wire(ax, [(-ENTRY, BUS_Y), (CONCAT_X, BUS_Y)], sizes, arrow=False))
        self._add(
            "label", draw_label(ax, (-ENTRY - 0.15, BELT_Y), "$c_0$", sizes, ha="right"), "update"
        )
        self._add("label", draw_label(ax, (-ENTRY - 0.15, BUS_Y), "$h_0$", sizes, ha="right"))
        self.initial_texts["c0"] = draw_value_slot(ax, (-ENTRY / 2, BELT_Y), sizes, ha="center")
        self.initial_texts["h0"] = draw_value_slot(ax, (-ENTRY / 2, BUS_Y), sizes, ha="center")

    def _draw_note(self) -> None:
        """The (hidden) note for cells with more than one unit, bottom right (under the last copy)."""
        self.note = self.ax.text(
            self.ax.get_xlim()[1] - 0.2,
            Y_LIMITS[0] + 0.15,
            "",
            ha="right",
            va="bottom",
            fontsize=self.sizes.note_font,
            color="#555555",
            zorder=7,
        )
        self.note.set_visible(False)

    def _colour(self) -> None:
        """Colour the gate boxes and the belt in the book's colours for them (Okabe-Ito)."""
        accents = {"update": GATE_COLOURS["cell"], **{part: GATE_COLOURS[part] for part, _ in GATES}}
        for element in self._elements:
            lit = element.kind in ("box", "belt") or (element.kind == "label" and element.parts)
            parts = sorted(element.parts)
            accent = accents[parts[0]] if parts else INK
            colour_element(element, "lit" if lit else "normal", accent, self.sizes)
            if element.kind == "box":  # the symbol in black on the pale fill reads best
                element.artists[1].set_color(INK)

    # -- values --------------------------------------------------------------------------------
    def show_values(self, trace: Any) -> None:
        """Write the numbers of a run on the wires (updates the existing text artists in place).

        Parameters
        ----------
        trace : LSTMTrace
            The result of :meth:`lstm.LSTMCell.run` for one unbatched sequence with as many steps
            as the figure has copies: attributes ``x`` (shape ``(steps, input)``), ``h_prev``,
            ``c_prev``, ``f``, ``i``, ``c_tilde``, ``o``, ``c``, ``h`` (shape ``(steps, hidden)``).
            For a cell with more than one unit (or input) the figure shows the first one and says
            so in a note.

        Raises
        ------
        TypeError
            If ``trace`` lacks one of those attributes.
        ValueError
            If the trace is batched, empty, not finite, or its number of steps differs from
            :attr:`steps`.
        """
        names = ("h_prev", "c_prev", *STEP_VALUE_NAMES)
        values, widths = first_entries(
            trace, names, argument="trace", expected="the result of LSTMCell.run", ndim=2
        )
        lengths = {name: value.shape[0] for name, value in values.items()}
        if len(set(lengths.values())) != 1:
            raise ValueError(f"trace must have the same number of steps in every attribute; got {lengths}")
        if lengths["x"] != self.steps:
            raise ValueError(
                f"trace must have {self.steps} time steps, one per copy of the cell; got "
                f"{lengths['x']}. Draw UnrolledDiagram(steps={lengths['x']}) or pass "
                f"cell.run(xs[:{self.steps}])."
            )
        for name in STEP_VALUE_NAMES:
            for text, value in zip(self.value_texts[name], values[name], strict=True):
                text.set_text(format_value(value))
                text.set_visible(True)
        for key, name in (("h0", "h_prev"), ("c0", "c_prev")):
            self.initial_texts[key].set_text(format_value(values[name][0]))
            self.initial_texts[key].set_visible(True)
        hidden_size, input_size = widths["h"], widths["x"]
        if hidden_size > 1 or input_size > 1:
            # two short lines: they fit under the last copy, right of its input x_T
            self.note.set_text(f"Showing hidden unit 1 of {hidden_size}\nand input 1 of {input_size}.")
            self.note.set_visible(True)
        else:
            self.note.set_text("")
            self.note.set_visible(False)
        self._shown = values

    def clear_values(self) -> None:
        """Remove the numbers from the wires (the text artists stay, empty and hidden)."""
        for text in self._all_value_texts():
            text.set_text("")
            text.set_visible(False)
        self.note.set_text("")
        self.note.set_visible(False)
        self._shown = None

    def _all_value_texts(self) -> list[Text]:
        """Every text artist that shows a number."""
        texts = [text for name in STEP_VALUE_NAMES for text in self.value_texts[name]]
        return [*texts, *self.initial_texts.values()]

    # -- output --------------------------------------------------------------------------------
    def describe(self) -> str:
        """Alt text for the figure, with the numbers currently shown (see :func:`describe`)."""
        return describe(self.steps, self._shown)

    def _repr_png_(self) -> bytes:
        """PNG bytes, so the figure shows itself in Jupyter even without pyplot imported."""
        return png_bytes(self.figure)


# ----------------------------------------------------------------------------------------------
# Module-level helpers
# ----------------------------------------------------------------------------------------------
def draw_unrolled(trace: Any = None, size: str = "laptop") -> Figure:
    """Draw the unrolled cell in a new figure, one copy per step of ``trace``.

    Parameters
    ----------
    trace : LSTMTrace or None, default None
        A run from :meth:`lstm.LSTMCell.run` (unbatched, 1 to :data:`MAX_STEPS` steps) whose
        numbers are written on the wires; None draws four empty copies.
    size : {"laptop", "projector"}, default "laptop"
        Presentation size.

    Returns
    -------
    Figure
        The new figure.

    Raises
    ------
    TypeError, ValueError
        If ``trace`` is not an unbatched run of 1 to :data:`MAX_STEPS` steps, or ``size`` is unknown.
    """
    if trace is None:
        return UnrolledDiagram(size=size).figure
    steps = getattr(trace, "x", None)
    if steps is None:
        raise TypeError(f"trace must be the result of LSTMCell.run; got {type(trace).__name__}")
    shape = np.shape(steps)
    if len(shape) != 2:
        raise ValueError(
            f"trace.x must have shape (time, input) (one unbatched run); got shape {shape}. "
            "Pass cell.run(xs) with xs of shape (time, input_size)."
        )
    diagram = UnrolledDiagram(shape[0], size=size)
    diagram.show_values(trace)
    return diagram.figure


def describe(steps: int = 4, values: dict[str, np.ndarray] | None = None) -> str:
    """Alt text (a few sentences) describing the unrolled figure, for readers who cannot see it.

    Parameters
    ----------
    steps : int, default 4
        Number of copies.
    values : dict of str to numpy.ndarray or None, default None
        The numbers shown, as :meth:`UnrolledDiagram.show_values` keeps them (first unit of
        ``h_prev``, ``c_prev`` and every name of :data:`STEP_VALUE_NAMES`, shape ``(steps,)``);
        None describes the figure without numbers.

    Returns
    -------
    str
        The description.

    Raises
    ------
    ValueError
        If ``steps`` is out of range or ``values`` has another number of steps.
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be an int from 1 to {MAX_STEPS}; got {steps!r}")
    copies = "one copy" if steps == 1 else f"{steps} copies"
    text = (
        f"The LSTM cell unrolled over {steps} time step{'s' if steps > 1 else ''}: {copies} of the "
        f"same cell side by side, one per step, steps 1 to {steps} from left to right. Each copy is "
        "a small version of the cell diagram: four boxes for the forget gate f_t, the input gate "
        "i_t, the candidate c̃_t and the output gate o_t, fed by h_{t-1} and the input x_t, which "
        "enters from below. Along the top, the cell state runs like a conveyor belt through every "
        f"copy, from c_0 on the left to c_{steps} on the right; in each copy it is multiplied by "
        "f_t and i_t ⊙ c̃_t is added to it. Each copy's hidden state h_t leaves upwards as the "
        "output and also runs along the bottom into the next copy."
    )
    if values is None:
        return text
    lengths = {name: np.shape(values[name]) for name in ("x", "c", "h")}
    if any(shape != (steps,) for shape in lengths.values()):
        raise ValueError(f"values must hold {steps} steps for x, c and h; got shapes {lengths}")
    text += (
        f" Numbers of this run: c_0 = {format_value(values['c_prev'][0])}, "
        f"h_0 = {format_value(values['h_prev'][0])}."
    )
    for t in range(steps):
        parts = ", ".join(
            f"{symbol}_{t + 1} = {format_value(values[name][t])}"
            for name, symbol in (("x", "x"), ("f", "f"), ("i", "i"), ("c_tilde", "c̃"), ("o", "o"),
                                 ("c", "c"), ("h", "h"))
        )
        text += f" Step {t + 1}: {parts}."
    return text.replace("\N{MINUS SIGN}", "minus ")


def unrolled_svg() -> bytes:
    """The bytes of ``images/lstm-unrolled.svg``: chapter 6's run (:func:`example_trace`), laptop size.

    Drawn with matplotlib's default rcParams plus :data:`lstm.drawing.STATIC_RC`, whatever style
    is active, so the same code and matplotlib version always give the same bytes.

    Returns
    -------
    bytes
        The SVG document.
    """
    return deterministic_svg(lambda: draw_unrolled(example_trace(), size="laptop"))
