"""Our own drawing of the LSTM cell, in the style of the textbook diagrams.

The cell is drawn with matplotlib's object-oriented API (no ``pyplot``, so no global state):

* the **cell state** :math:`c` runs along the top like a conveyor belt, from :math:`c_{t-1}` on the
  left to :math:`c_t` on the right, passing through a multiplication (the forget gate acts there)
  and an addition (new information joins there);
* below it sit the three sigmoid gate boxes (:math:`f_t`, :math:`i_t`, :math:`o_t`) and the tanh
  box that proposes the candidate :math:`\\tilde{c}_t`;
* :math:`h_{t-1}` enters at the bottom left, :math:`x_t` from below; together they form
  :math:`[h_{t-1}, x_t]`, which feeds all four boxes;
* on the right, :math:`\\tanh(c_t)` is multiplied by :math:`o_t` to give :math:`h_t`, which leaves
  to the right (to the next time step) and upwards (the output of this step).

Example
-------
>>> from lstm import LSTMCell
>>> from lstm.diagram import CellDiagram
>>> cell = LSTMCell(input_size=1, hidden_size=1, seed=0)
>>> diagram = CellDiagram(highlight="forget")
>>> diagram.show_values(cell.step([1.0]))
>>> diagram.set_highlight("output")          # same figure, colours updated in place
>>> diagram.figure.savefig("cell.png")       # doctest: +SKIP

Every visible element is registered with the parts of the cell it belongs to, so highlighting a part
only recolours existing artists; writing numbers only changes the strings of existing text artists.

This module holds the *layout* of the cell (where each wire, box and label goes), its alt text and
the static SVGs of ``images/``; the elements it places (wires, boxes, operations, junctions,
labels, value slots, colours and sizes) are drawn by :mod:`lstm.drawing`, whose names are also
importable from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from lstm.drawing import (
    BOX_HEIGHT,
    INK,
    OPERATION_RADIUS,
    PAPER,
    SIZES,
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
    png_bytes,
)
from lstm.drawing import format_value as format_value  # re-exported: explorers and tests use it
from lstm.plots import BookFigure
from lstm.style import GATE_COLOURS, check_size
from lstm.unrolled import UNROLLED_IMAGE, unrolled_svg

__all__ = [
    "PARTS",
    "UNROLLED",
    "VALUE_NAMES",
    "CellDiagram",
    "check_part",
    "describe",
    "draw_cell",
    "format_value",
    "save_static_diagrams",
    "static_diagram_names",
    "static_diagram_svg",
]

#: The parts of the cell that can be highlighted (``None`` highlights nothing).
PARTS: tuple[str, ...] = ("forget", "input", "candidate", "update", "output")

#: The numbers :meth:`CellDiagram.show_values` writes on the wires, named like the attributes of a
#: step of :meth:`lstm.LSTMCell.step` (``"tanh_c"`` is :math:`\tanh(c_t)`).
VALUE_NAMES: tuple[str, ...] = (
    "x",
    "h_prev",
    "c_prev",
    "f",
    "i",
    "c_tilde",
    "o",
    "c",
    "tanh_c",
    "h",
)

# ----------------------------------------------------------------------------------------------
# The accent colour of each part is the colour the whole book uses for it (lstm.style.GATE_COLOURS,
# Okabe-Ito); the "update" of the cell state uses the cell's colour. Neutral colours: lstm.drawing.
# ----------------------------------------------------------------------------------------------
PART_COLOURS: dict[str, str] = {
    "forget": GATE_COLOURS["forget"],
    "input": GATE_COLOURS["input"],
    "candidate": GATE_COLOURS["candidate"],
    "update": GATE_COLOURS["cell"],
    "output": GATE_COLOURS["output"],
}

#: Plain-language name of each part, used in alt text.
PART_DESCRIPTIONS: dict[str, str] = {
    "forget": (
        "the forget gate: the sigma box computing f_t from [h_{t-1}, x_t] and the multiplication "
        "f_t ⊙ c_{t-1} on the cell-state line"
    ),
    "input": (
        "the input gate: the sigma box computing i_t from [h_{t-1}, x_t] and the multiplication "
        "i_t ⊙ c̃_t that scales the candidate"
    ),
    "candidate": (
        "the candidate: the tanh box computing c̃_t from [h_{t-1}, x_t], whose output goes to "
        "the multiplication by i_t"
    ),
    "update": (
        "the cell-state update: the cell-state line where c_{t-1} is multiplied by f_t and "
        "i_t ⊙ c̃_t is added to give c_t"
    ),
    "output": (
        "the output gate: the sigma box computing o_t, the tanh applied to c_t and the "
        "multiplication o_t ⊙ tanh(c_t) that gives h_t"
    ),
}



# ----------------------------------------------------------------------------------------------
# Geometry (data units). Change the layout here; every drawing method reads these numbers (the
# sizes of boxes and operation circles are lstm.drawing's defaults).
# ----------------------------------------------------------------------------------------------
BELT_Y = 6.4  # height of the cell-state line
BUS_Y = 0.9  # height of the [h_{t-1}, x_t] line feeding the boxes
GATE_Y = 2.75  # centre height of the sigma/tanh boxes

LEFT_X, RIGHT_X = -1.2, 14.3  # where the wires enter and leave
FRAME_LEFT, FRAME_RIGHT = 0.0, 13.1  # the cell's rounded rectangle
FRAME_BOTTOM, FRAME_TOP = 0.15, 7.25
TOP_Y = 8.6  # where h_t leaves upwards
X_BOTTOM_Y = -0.9  # where x_t enters from below

CONCAT_X = 0.9  # where x_t joins h_{t-1}
FORGET_X = 2.2
INPUT_X = 4.3
CANDIDATE_X = 6.6
OUTPUT_X = 8.8
TANH_C_X = 10.8  # the tanh(c_t) branch and the output multiplication
H_SPLIT_X = 12.4  # where h_t splits into "to the right" and "upwards"

INPUT_PRODUCT_Y = 4.6  # height of the i_t ⊙ c̃_t multiplication
TANH_C_Y = 5.4  # height of the tanh(c_t) ellipse
OUTPUT_PRODUCT_Y = 4.0  # height of the o_t ⊙ tanh(c_t) multiplication
GATE_LABEL_Y = 3.6  # height of the labels f_t, i_t, c̃_t, o_t (and their values)
ELLIPSE_HALF_HEIGHT = BOX_HEIGHT * 0.75 / 2
TANH_WIRE_MID_Y = (TANH_C_Y - ELLIPSE_HALF_HEIGHT + OUTPUT_PRODUCT_Y + OPERATION_RADIUS) / 2
X_LIMITS = (-2.6, 15.6)
Y_LIMITS = (-1.8, 9.3)


#: The symbols written next to the wires: (text, anchor, ha, va, size scale, parts it belongs to).
LABELS: tuple[tuple[str, tuple[float, float], str, str, float, tuple[str, ...]], ...] = (
    (r"$h_{t-1}$", (LEFT_X - 0.15, BUS_Y), "right", "center", 1.0, ()),
    (r"$x_t$", (CONCAT_X, X_BOTTOM_Y - 0.15), "center", "top", 1.0, ()),
    (r"$[h_{t-1}, x_t]$", (CONCAT_X + 0.3, BUS_Y - 0.2), "left", "top", 0.85, ()),
    (r"$c_{t-1}$", (LEFT_X - 0.15, BELT_Y), "right", "center", 1.0, ("forget", "update")),
    (r"$c_t$", (RIGHT_X + 0.15, BELT_Y), "left", "center", 1.0, ("update",)),
    (
        r"$f_t \odot c_{t-1}$",
        ((FORGET_X + CANDIDATE_X) / 2, BELT_Y + 0.2),
        "center",
        "bottom",
        0.85,
        ("forget", "update"),
    ),
    (r"$f_t$", (FORGET_X - 0.2, GATE_LABEL_Y), "right", "center", 1.0, ("forget",)),
    (r"$i_t$", (INPUT_X - 0.2, GATE_LABEL_Y), "right", "center", 1.0, ("input",)),
    (r"$\tilde{c}_t$", (CANDIDATE_X - 0.2, GATE_LABEL_Y), "right", "center", 1.0, ("candidate",)),
    (
        r"$i_t \odot \tilde{c}_t$",
        (CANDIDATE_X + 0.2, (INPUT_PRODUCT_Y + BELT_Y) / 2),
        "left",
        "center",
        0.85,
        ("input", "candidate", "update"),
    ),
    (r"$o_t$", (OUTPUT_X - 0.2, GATE_LABEL_Y), "right", "center", 1.0, ("output",)),
    (r"$\tanh(c_t)$", (TANH_C_X - 0.2, TANH_WIRE_MID_Y), "right", "center", 0.85, ("output",)),
    (r"$h_t$", (RIGHT_X + 0.15, BUS_Y), "left", "center", 1.0, ("output",)),
    (r"$h_t$", (H_SPLIT_X, TOP_Y + 0.12), "center", "bottom", 1.0, ("output",)),
)


# ----------------------------------------------------------------------------------------------
# Small helpers
# ----------------------------------------------------------------------------------------------
def check_part(part: str | None, argument: str = "highlight") -> str | None:
    """Return ``part`` if it is a highlightable part of the cell (or None), else raise.

    Parameters
    ----------
    part : str or None
        One of :data:`PARTS`, or None for "nothing highlighted".
    argument : str, default "highlight"
        Name of the argument, used in the error message.

    Returns
    -------
    str or None
        ``part`` unchanged.

    Raises
    ------
    ValueError
        If ``part`` is neither None nor one of :data:`PARTS`.
    """
    if part is not None and (not isinstance(part, str) or part not in PARTS):
        allowed = ", ".join(repr(name) for name in PARTS)
        raise ValueError(f"{argument} must be None or one of {allowed}; got {part!r}")
    return part



# ----------------------------------------------------------------------------------------------
# The diagram
# ----------------------------------------------------------------------------------------------
class CellDiagram:
    """The LSTM cell drawn on one matplotlib Axes, with highlightable parts and live values.

    Parameters
    ----------
    ax : Axes or None, default None
        Axes to draw into (its limits are set and its frame hidden). If None, the diagram makes its
        own :class:`matplotlib.figure.Figure` (not through ``pyplot``, so no global state).
    highlight : str or None, default None
        Part to light up, one of :data:`PARTS` (None: everything drawn normally).
    size : {"laptop", "projector"}, default "laptop"
        Projector size uses bigger fonts and thicker lines.

    Attributes
    ----------
    figure : Figure
        The figure the diagram lives in.
    ax : Axes
        The axes the diagram is drawn on.
    highlight : str or None
        The highlighted part.
    value_texts : dict of str to Text
        The text artists :meth:`show_values` writes into, keyed by :data:`VALUE_NAMES`.
    note : Text
        Small note used when a cell has more than one unit (only the first is shown).

    Raises
    ------
    ValueError
        If ``highlight`` or ``size`` is unknown.
    TypeError
        If ``ax`` is neither None nor a matplotlib Axes.

    Notes
    -----
    Highlighting and writing values only change existing artists (colours, strings, visibility), so
    an interactive explorer can call :meth:`set_highlight` and :meth:`show_values` on every slider
    move and then redraw the same figure.
    """

    def __init__(
        self, ax: Axes | None = None, *, highlight: str | None = None, size: str = "laptop"
    ) -> None:
        check_size(size)
        check_part(highlight)
        self.size = size
        self.sizes = SIZES[size]
        if ax is None:
            # a Figure with an Agg canvas that shows itself in notebooks, made without pyplot
            self.figure = BookFigure(figsize=self.sizes.figsize, facecolor=PAPER)
            ax = self.figure.add_axes((0.0, 0.0, 1.0, 1.0))
        elif not isinstance(ax, Axes):
            raise TypeError(f"ax must be a matplotlib Axes or None; got {type(ax).__name__}")
        else:
            self.figure = ax.get_figure(root=True)
        self.ax = ax
        self.highlight: str | None = None
        self._elements: list[DrawnElement] = []
        self.value_texts: dict[str, Text] = {}
        self._prepare_axes()
        self._draw()
        self.set_highlight(highlight)

    # -- building ------------------------------------------------------------------------------
    def _prepare_axes(self) -> None:
        """Hide the axes frame and fix the coordinate system (equal units in x and y)."""
        self.ax.set_xlim(*X_LIMITS)
        self.ax.set_ylim(*Y_LIMITS)
        self.ax.set_aspect("equal")
        self.ax.set_axis_off()

    def _add(self, kind: str, artists: Artist | Sequence[Artist], *parts: str) -> None:
        """Remember drawn artists, what they are and which parts they belong to."""
        if isinstance(artists, Artist):
            artists = [artists]
        self._elements.append(DrawnElement(kind, list(artists), frozenset(parts)))

    def _draw(self) -> None:
        """Draw every element of the cell (called once, by the constructor)."""
        self.draw_frame()
        self.draw_inputs()
        self.draw_gates()
        self.draw_belt()
        self.draw_input_product()
        self.draw_output()
        self.draw_labels()
        self.draw_value_slots()

    def draw_frame(self) -> None:
        """Draw the rounded rectangle that marks the inside of the cell."""
        width, height = FRAME_RIGHT - FRAME_LEFT, FRAME_TOP - FRAME_BOTTOM
        frame = draw_frame(self.ax, (FRAME_LEFT, FRAME_BOTTOM), width, height, self.sizes)
        self._add("frame", frame)

    def draw_inputs(self) -> None:
        """Draw h_{t-1} (from the left) and x_t (from below) joining into [h_{t-1}, x_t]."""
        ax, sizes = self.ax, self.sizes
        h_in = draw_wire(ax, [(LEFT_X, BUS_Y), (CONCAT_X, BUS_Y)], sizes, arrow=False)
        x_in = draw_wire(ax, [(CONCAT_X, X_BOTTOM_Y), (CONCAT_X, BUS_Y)], sizes, arrow=False)
        bus = draw_wire(ax, [(CONCAT_X, BUS_Y), (OUTPUT_X, BUS_Y)], sizes, arrow=False)
        self._add("wire", [h_in, x_in, bus])
        self._add("dot", draw_junction(ax, (CONCAT_X, BUS_Y), sizes))

    def draw_gates(self) -> None:
        """Draw the four layer boxes and the branches that feed them from [h_{t-1}, x_t]."""
        ax, sizes = self.ax, self.sizes
        boxes = (
            ("forget", FORGET_X, r"$\sigma$"),
            ("input", INPUT_X, r"$\sigma$"),
            ("candidate", CANDIDATE_X, "tanh"),
            ("output", OUTPUT_X, r"$\sigma$"),
        )
        for part, x, text in boxes:
            branch = draw_wire(ax, [(x, BUS_Y), (x, GATE_Y - BOX_HEIGHT / 2)], sizes)
            self._add("wire", branch, part)
            if x != OUTPUT_X:  # the bus ends at the output gate's branch: no dot at the corner
                self._add("dot", draw_junction(ax, (x, BUS_Y), sizes))
            box, label = draw_gate_box(ax, (x, GATE_Y), text, sizes)
            self._add("box", [box, label], part)

    def draw_belt(self) -> None:
        """Draw the cell-state line: c_{t-1} → (× f_t) → (+ i_t ⊙ c̃_t) → c_t."""
        ax, sizes = self.ax, self.sizes
        radius = OPERATION_RADIUS
        belt_in = draw_wire(ax, [(LEFT_X, BELT_Y), (FORGET_X - radius, BELT_Y)], sizes)
        belt_mid = draw_wire(
            ax, [(FORGET_X + radius, BELT_Y), (CANDIDATE_X - radius, BELT_Y)], sizes
        )
        belt_out = draw_wire(ax, [(CANDIDATE_X + radius, BELT_Y), (RIGHT_X, BELT_Y)], sizes)
        self._add("belt", belt_in, "forget", "update")
        self._add("belt", belt_mid, "forget", "update")
        self._add("belt", belt_out, "update")
        self._add(
            "operation",
            draw_operation(ax, (FORGET_X, BELT_Y), "multiply", sizes),
            "forget",
            "update",
        )
        self._add("operation", draw_operation(ax, (CANDIDATE_X, BELT_Y), "add", sizes), "update")
        # the forget gate's output climbs to the multiplication on the belt
        f_wire = draw_wire(
            ax, [(FORGET_X, GATE_Y + BOX_HEIGHT / 2), (FORGET_X, BELT_Y - radius)], sizes
        )
        self._add("wire", f_wire, "forget")

    def draw_input_product(self) -> None:
        """Draw i_t ⊙ c̃_t and the wire that adds it to the belt."""
        ax, sizes = self.ax, self.sizes
        radius = OPERATION_RADIUS
        top = GATE_Y + BOX_HEIGHT / 2
        i_wire = draw_wire(
            ax,
            [(INPUT_X, top), (INPUT_X, INPUT_PRODUCT_Y), (CANDIDATE_X - radius, INPUT_PRODUCT_Y)],
            sizes,
        )
        c_tilde_wire = draw_wire(
            ax, [(CANDIDATE_X, top), (CANDIDATE_X, INPUT_PRODUCT_Y - radius)], sizes
        )
        product_wire = draw_wire(
            ax, [(CANDIDATE_X, INPUT_PRODUCT_Y + radius), (CANDIDATE_X, BELT_Y - radius)], sizes
        )
        self._add("wire", i_wire, "input")
        self._add("wire", c_tilde_wire, "candidate")
        self._add("wire", product_wire, "input", "candidate", "update")
        self._add(
            "operation",
            draw_operation(ax, (CANDIDATE_X, INPUT_PRODUCT_Y), "multiply", sizes),
            "input",
            "candidate",
            "update",
        )

    def draw_output(self) -> None:
        """Draw tanh(c_t), its product with o_t and h_t leaving right and upwards."""
        ax, sizes = self.ax, self.sizes
        radius = OPERATION_RADIUS
        self._add("dot", draw_junction(ax, (TANH_C_X, BELT_Y), sizes), "output")
        to_tanh = draw_wire(
            ax, [(TANH_C_X, BELT_Y), (TANH_C_X, TANH_C_Y + ELLIPSE_HALF_HEIGHT)], sizes
        )
        self._add("wire", to_tanh, "output")
        self._add(
            "operation", list(draw_function_node(ax, (TANH_C_X, TANH_C_Y), "tanh", sizes)), "output"
        )
        tanh_wire = draw_wire(
            ax,
            [(TANH_C_X, TANH_C_Y - ELLIPSE_HALF_HEIGHT), (TANH_C_X, OUTPUT_PRODUCT_Y + radius)],
            sizes,
        )
        o_wire = draw_wire(
            ax,
            [
                (OUTPUT_X, GATE_Y + BOX_HEIGHT / 2),
                (OUTPUT_X, OUTPUT_PRODUCT_Y),
                (TANH_C_X - radius, OUTPUT_PRODUCT_Y),
            ],
            sizes,
        )
        self._add("wire", [tanh_wire, o_wire], "output")
        self._add(
            "operation",
            draw_operation(ax, (TANH_C_X, OUTPUT_PRODUCT_Y), "multiply", sizes),
            "output",
        )
        # h_t: from the multiplication to the split point, then right (next step) and up (output)
        h_wire = draw_wire(
            ax,
            [
                (TANH_C_X + radius, OUTPUT_PRODUCT_Y),
                (H_SPLIT_X, OUTPUT_PRODUCT_Y),
                (H_SPLIT_X, BUS_Y),
                (RIGHT_X, BUS_Y),
            ],
            sizes,
        )
        h_up = draw_wire(ax, [(H_SPLIT_X, OUTPUT_PRODUCT_Y), (H_SPLIT_X, TOP_Y)], sizes, over=True)
        self._add("wire", [h_wire, h_up], "output")
        self._add("dot", draw_junction(ax, (H_SPLIT_X, OUTPUT_PRODUCT_Y), sizes), "output")

    def draw_labels(self) -> None:
        """Write the symbols of :data:`LABELS` next to their wires."""
        for text, point, ha, va, scale, parts in LABELS:
            label = draw_label(self.ax, point, text, self.sizes, ha=ha, va=va, scale=scale)
            self._add("label", label, *parts)

    def draw_value_slots(self) -> None:
        """Create the empty text artists that :meth:`show_values` fills in."""
        ax, sizes = self.ax, self.sizes
        slots = {
            "x": ((CONCAT_X + 0.2, X_BOTTOM_Y + 0.45), "left", "center"),
            "h_prev": ((LEFT_X + 0.1, BUS_Y + 0.2), "left", "bottom"),
            "c_prev": ((LEFT_X + 0.1, BELT_Y - 0.2), "left", "top"),
            "f": ((FORGET_X + 0.2, GATE_LABEL_Y), "left", "center"),
            "i": ((INPUT_X + 0.2, GATE_LABEL_Y), "left", "center"),
            "c_tilde": ((CANDIDATE_X + 0.2, GATE_LABEL_Y), "left", "center"),
            "o": ((OUTPUT_X + 0.2, GATE_LABEL_Y), "left", "center"),
            "c": ((RIGHT_X - 0.1, BELT_Y - 0.2), "right", "top"),
            "tanh_c": ((TANH_C_X + 0.2, TANH_WIRE_MID_Y), "left", "center"),
            "h": ((RIGHT_X - 0.1, BUS_Y + 0.2), "right", "bottom"),
        }
        for name in VALUE_NAMES:
            point, ha, va = slots[name]
            self.value_texts[name] = draw_value_slot(ax, point, sizes, ha=ha, va=va)
        self.note = ax.text(  # bottom right, where no wire or label is
            X_LIMITS[1] - 0.2,
            Y_LIMITS[0] + 0.2,
            "",
            ha="right",
            va="bottom",
            fontsize=sizes.note_font,
            color="#555555",
            zorder=7,
        )
        self.note.set_visible(False)

    # -- highlighting --------------------------------------------------------------------------
    def set_highlight(self, part: str | None) -> None:
        """Light up one part of the cell (in the book's colour for it) and grey the rest.

        Only colours and line widths of the existing artists change; nothing is added or removed.

        Parameters
        ----------
        part : str or None
            One of :data:`PARTS`, or None to draw everything normally.

        Raises
        ------
        ValueError
            If ``part`` is not None and not one of :data:`PARTS` (the message names ``highlight``).
        """
        check_part(part)
        self.highlight = part
        for element in self._elements:
            self._colour_element(element, part)

    def _colour_element(self, element: DrawnElement, part: str | None) -> None:
        """Set the colours of one element for the highlighted ``part``."""
        if part is None:
            state = "normal"
        elif part in element.parts:
            state = "lit"
        else:
            state = "muted"
        accent = PART_COLOURS[part] if part is not None else INK
        colour_element(element, state, accent, self.sizes)

    # -- values --------------------------------------------------------------------------------
    def show_values(self, step: Any) -> None:
        """Write the numbers of one LSTM step on the wires (updates the existing text artists).

        Parameters
        ----------
        step : LSTMStep
            The result of :meth:`lstm.LSTMCell.step` for one unbatched input: attributes ``x``
            (shape ``(input,)``), ``h_prev``, ``c_prev``, ``f``, ``i``, ``c_tilde``, ``o``, ``c``,
            ``tanh_c``, ``h`` (each shape ``(hidden,)``). If the cell has more than one unit (or
            more than one input), the diagram shows the first unit (and the first input) and
            writes a small note saying so.

        Raises
        ------
        TypeError
            If ``step`` lacks one of the attributes of :data:`VALUE_NAMES`.
        ValueError
            If a value is batched (2-D), empty, or not finite.
        """
        values, sizes_seen = first_entries(
            step, VALUE_NAMES, argument="step", expected="the result of LSTMCell.step", ndim=1
        )
        numbers = {name: float(value) for name, value in values.items()}
        for name, value in numbers.items():
            text = self.value_texts[name]
            text.set_text(format_value(value))
            text.set_visible(True)
        hidden_size, input_size = sizes_seen["h"], sizes_seen["x"]
        if hidden_size > 1 or input_size > 1:
            self.note.set_text(
                f"Numbers shown: hidden unit 1 of {hidden_size}, input 1 of {input_size}."
            )
            self.note.set_visible(True)
        else:
            self.note.set_text("")
            self.note.set_visible(False)

    def clear_values(self) -> None:
        """Remove the numbers from the wires (the text artists stay, empty and hidden)."""
        for text in self.value_texts.values():
            text.set_text("")
            text.set_visible(False)
        self.note.set_text("")
        self.note.set_visible(False)

    # -- output --------------------------------------------------------------------------------
    def describe(self) -> str:
        """Alt text for the diagram as currently highlighted (see :func:`describe`)."""
        return describe(self.highlight)

    def _repr_png_(self) -> bytes:
        """PNG bytes, so a diagram shows itself in Jupyter even without pyplot imported."""
        return png_bytes(self.figure)


# ----------------------------------------------------------------------------------------------
# Module-level helpers
# ----------------------------------------------------------------------------------------------
def draw_cell(highlight: str | None = None, values: Any = None, size: str = "laptop") -> Figure:
    """Draw the LSTM cell in a new figure (convenience wrapper around :class:`CellDiagram`).

    Parameters
    ----------
    highlight : str or None, default None
        Part to highlight, one of :data:`PARTS`.
    values : LSTMStep or None, default None
        A step from :meth:`lstm.LSTMCell.step` whose numbers are written on the wires.
    size : {"laptop", "projector"}, default "laptop"
        Presentation size.

    Returns
    -------
    Figure
        The new figure.

    Raises
    ------
    ValueError
        If ``highlight`` or ``size`` is unknown, or ``values`` is batched.
    """
    diagram = CellDiagram(highlight=highlight, size=size)
    if values is not None:
        diagram.show_values(values)
    return diagram.figure


def describe(highlight: str | None = None) -> str:
    """Alt text (a few sentences) describing the diagram, for readers who cannot see it.

    Parameters
    ----------
    highlight : str or None, default None
        The highlighted part, one of :data:`PARTS`.

    Returns
    -------
    str
        The description.

    Raises
    ------
    ValueError
        If ``highlight`` is unknown.
    """
    check_part(highlight)
    text = (
        "Diagram of one LSTM cell. Along the top, the cell state runs like a conveyor belt from "
        "c_{t-1} on the left to c_t on the right; on the way it is multiplied element-wise by "
        "f_t and then i_t ⊙ c̃_t is added to it. Below, the previous hidden state h_{t-1} enters "
        "from the left and the input x_t from below; joined as [h_{t-1}, x_t] they feed four "
        "boxes: sigma boxes for the forget gate f_t, the input gate i_t and the output gate o_t, "
        "and a tanh box for the candidate c̃_t. On the right, tanh(c_t) is multiplied by o_t to "
        "give the new hidden state h_t, which leaves to the right towards the next time step and "
        "upwards as the output."
    )
    if highlight is not None:
        text += f" Highlighted in colour: {PART_DESCRIPTIONS[highlight]}; the rest is grey."
    return text


#: Key of :func:`static_diagram_names` for the unrolled figure (:mod:`lstm.unrolled`).
UNROLLED = "unrolled"


def static_diagram_names() -> dict[str | None, str]:
    """File name of each static diagram in ``images/``, keyed by what it shows.

    The keys are None (the cell, nothing highlighted), a part of :data:`PARTS` (the cell with that
    part highlighted) and :data:`UNROLLED` (the cell unrolled over chapter 6's four steps, drawn by
    :mod:`lstm.unrolled`).

    Returns
    -------
    dict
        ``{None: "lstm-cell.svg", "forget": "lstm-cell-forget.svg", ..., "unrolled":
        "lstm-unrolled.svg"}``.
    """
    names: dict[str | None, str] = {None: "lstm-cell.svg"}
    for part in PARTS:
        names[part] = f"lstm-cell-{part}.svg"
    names[UNROLLED] = UNROLLED_IMAGE
    return names


def static_diagram_svg(highlight: str | None = None) -> bytes:
    """The bytes of one static SVG diagram, exactly as :func:`save_static_diagrams` writes them.

    Drawn with matplotlib's default rcParams plus :data:`lstm.drawing.STATIC_RC` (whatever style is
    active), so the same code and matplotlib version always give the same bytes.

    Parameters
    ----------
    highlight : str or None, default None
        A key of :func:`static_diagram_names`: the highlighted part (one of :data:`PARTS`), None for
        the plain cell, or :data:`UNROLLED` for the unrolled figure.

    Returns
    -------
    bytes
        The SVG document.

    Raises
    ------
    ValueError
        If ``highlight`` is not a key of :func:`static_diagram_names`.
    """
    if highlight == UNROLLED:
        return unrolled_svg()
    if highlight is not None and (not isinstance(highlight, str) or highlight not in PARTS):
        allowed = ", ".join(repr(name) for name in (*PARTS, UNROLLED))
        raise ValueError(f"highlight must be None or one of {allowed}; got {highlight!r}")
    return deterministic_svg(lambda: CellDiagram(highlight=highlight, size="laptop").figure)


def save_static_diagrams(folder: str | Path) -> list[Path]:
    """Write the static SVG diagrams (the cell plain and highlighted, the unrolled cell) to ``folder``.

    The files are byte-for-byte reproducible: drawing them twice gives identical bytes (fixed
    ``svg.hashsalt``, no date in the metadata, text drawn as paths, default rcParams).

    Parameters
    ----------
    folder : str or Path
        Destination folder (created if missing), normally ``images/``.

    Returns
    -------
    list of Path
        The written files: ``lstm-cell.svg``, then ``lstm-cell-<part>.svg`` for each of
        :data:`PARTS`, then ``lstm-unrolled.svg``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for highlight, name in static_diagram_names().items():
        path = folder / name
        path.write_bytes(static_diagram_svg(highlight))
        written.append(path)
    return written
