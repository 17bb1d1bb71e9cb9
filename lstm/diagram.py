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
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path as MplPath
from matplotlib.patheffects import Normal, Stroke
from matplotlib.text import Text

from lstm.plots import BookFigure
from lstm.style import GATE_COLOURS, check_size

__all__ = [
    "PARTS",
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
# Colours. The accent colour of each part is the colour the whole book uses for it
# (lstm.style.GATE_COLOURS, Okabe-Ito); the "update" of the cell state uses the cell's colour.
# ----------------------------------------------------------------------------------------------
INK = "#222222"  # wires, outlines and labels when nothing is highlighted
MUTED_INK = "#a6a6a6"  # wires and outlines of the parts that are not highlighted
MUTED_TEXT = "#8a8a8a"  # labels of the parts that are not highlighted (still readable)
MUTED_FILL = "#f2f2f2"
PAPER = "#ffffff"  # background (the diagram is made for a light page)
FRAME_COLOUR = "#9a9a9a"  # the rounded rectangle around the cell
BOX_FILL = "#fdf6d3"  # neural-network layers (sigma and tanh boxes): pale yellow
OPERATION_FILL = "#f7e1ee"  # element-wise operations (multiply, add, tanh): pale reddish purple
VALUE_COLOUR = "#000000"  # the numbers written by show_values

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
# Sizes. Fonts and lines are in points; the geometry is in data units (one unit is about half an
# inch on the laptop figure).
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DiagramSizes:
    """Font sizes and line widths (points), figure size (inches) of one presentation size."""

    figsize: tuple[float, float]
    label_font: float  # symbols next to wires: $f_t$, $c_{t-1}$, ...
    box_font: float  # text inside boxes: sigma, tanh
    value_font: float  # numbers written by show_values
    note_font: float
    line_width: float
    arrow_scale: float  # arrow-head size (points)


SIZES: dict[str, DiagramSizes] = {
    "laptop": DiagramSizes(
        figsize=(9.0, 5.6),
        label_font=14.0,
        box_font=14.0,
        value_font=11.5,
        note_font=10.0,
        line_width=1.8,
        arrow_scale=14.0,
    ),
    "projector": DiagramSizes(
        figsize=(12.0, 7.5),
        label_font=21.0,
        box_font=21.0,
        value_font=17.0,
        note_font=14.0,
        line_width=3.0,
        arrow_scale=20.0,
    ),
}


# ----------------------------------------------------------------------------------------------
# Geometry (data units). Change the layout here; every drawing function reads these numbers.
# ----------------------------------------------------------------------------------------------
BELT_Y = 6.4  # height of the cell-state line
BUS_Y = 0.9  # height of the [h_{t-1}, x_t] line feeding the boxes
GATE_Y = 2.75  # centre height of the sigma/tanh boxes
BOX_WIDTH, BOX_HEIGHT = 1.35, 0.85
OPERATION_RADIUS = 0.3

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
BELT_WIDTH_FACTOR = 1.6  # the cell-state line is this much thicker than other wires
ELLIPSE_HALF_HEIGHT = BOX_HEIGHT * 0.75 / 2
TANH_WIRE_MID_Y = (TANH_C_Y - ELLIPSE_HALF_HEIGHT + OUTPUT_PRODUCT_Y + OPERATION_RADIUS) / 2
X_LIMITS = (-2.6, 15.6)
Y_LIMITS = (-1.8, 9.3)


@dataclass
class _Element:
    """One drawn element: its artists, what kind of thing it is and the parts it belongs to."""

    kind: str  # "box", "operation", "wire", "belt", "label", "frame", "dot"
    artists: list[Artist]
    parts: frozenset[str] = field(default_factory=frozenset)


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


def format_value(value: float) -> str:
    """Format one number the way the diagram writes it: two decimals, a true minus sign.

    Parameters
    ----------
    value : float
        The number.

    Returns
    -------
    str
        For example ``"0.73"`` or ``"−1.20"``; ``-0.001`` becomes ``"0.00"`` (no negative zero).
    """
    text = f"{float(value):.2f}"
    if text == "-0.00":
        text = "0.00"
    return text.replace("-", "\N{MINUS SIGN}")


def _lighten(colour: str, amount: float) -> str:
    """Mix ``colour`` with white; ``amount`` = 0 keeps it, 1 gives white."""
    red, green, blue = mpl.colors.to_rgb(colour)
    mixed = [channel + (1.0 - channel) * amount for channel in (red, green, blue)]
    return mpl.colors.to_hex(mixed)


def _darken(colour: str, amount: float) -> str:
    """Mix ``colour`` with black; ``amount`` = 0 keeps it, 1 gives black (for readable text)."""
    red, green, blue = mpl.colors.to_rgb(colour)
    return mpl.colors.to_hex([channel * (1.0 - amount) for channel in (red, green, blue)])


# ----------------------------------------------------------------------------------------------
# Drawing functions: each draws one kind of element and returns its artists.
# ----------------------------------------------------------------------------------------------
def draw_wire(
    ax: Axes,
    points: Sequence[tuple[float, float]],
    sizes: DiagramSizes,
    *,
    arrow: bool = True,
    over: bool = False,
) -> FancyArrowPatch:
    """Draw a wire through ``points`` (straight segments), with an arrow head at the last point.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    points : sequence of (x, y)
        Corners of the wire in data units, from where the signal comes from to where it goes.
    sizes : DiagramSizes
        Line width and arrow size.
    arrow : bool, default True
        Draw an arrow head at the last point.
    over : bool, default False
        Draw a white halo around the wire, so it visibly passes *over* wires it crosses.

    Returns
    -------
    FancyArrowPatch
        The wire.
    """
    codes = [MplPath.MOVETO] + [MplPath.LINETO] * (len(points) - 1)
    wire = FancyArrowPatch(
        path=MplPath(points, codes),
        arrowstyle="-|>" if arrow else "-",
        mutation_scale=sizes.arrow_scale,
        linewidth=sizes.line_width,
        color=INK,
        joinstyle="miter",
        capstyle="butt",
        zorder=3 if over else 2,
    )
    if over:
        wire.set_path_effects([Stroke(linewidth=sizes.line_width * 4, foreground=PAPER), Normal()])
    ax.add_patch(wire)
    return wire


def draw_gate_box(
    ax: Axes, centre: tuple[float, float], text: str, sizes: DiagramSizes
) -> tuple[FancyBboxPatch, Text]:
    """Draw one neural-network layer: a rounded box with ``text`` (sigma or tanh) inside.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    centre : (x, y)
        Centre of the box in data units (size :data:`BOX_WIDTH` by :data:`BOX_HEIGHT`).
    text : str
        What the box computes, e.g. ``r"$\\sigma$"`` or ``"tanh"``.
    sizes : DiagramSizes
        Font size and line width.

    Returns
    -------
    (FancyBboxPatch, Text)
        The box and its text.
    """
    x, y = centre
    box = FancyBboxPatch(
        (x - BOX_WIDTH / 2, y - BOX_HEIGHT / 2),
        BOX_WIDTH,
        BOX_HEIGHT,
        boxstyle="round,pad=0,rounding_size=0.15",
        facecolor=BOX_FILL,
        edgecolor=INK,
        linewidth=sizes.line_width,
        zorder=4,
    )
    ax.add_patch(box)
    label = ax.text(
        x,
        y,
        text,
        ha="center",
        va="center_baseline",
        fontsize=sizes.box_font,
        color=INK,
        zorder=5,
    )
    return box, label


def draw_operation(
    ax: Axes, centre: tuple[float, float], operation: str, sizes: DiagramSizes
) -> list[Artist]:
    """Draw an element-wise operation: a circle with a dot (⊙, multiply) or a cross (+, add).

    The symbols are drawn as shapes, not as font glyphs, so they sit exactly in the middle of the
    circle at every size.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    centre : (x, y)
        Centre of the circle in data units (radius :data:`OPERATION_RADIUS`).
    operation : {"multiply", "add"}
        Which operation.
    sizes : DiagramSizes
        Line width.

    Returns
    -------
    list of Artist
        The circle first, then the pieces of the symbol.

    Raises
    ------
    ValueError
        If ``operation`` is not "multiply" or "add".
    """
    x, y = centre
    circle = Circle(
        centre,
        OPERATION_RADIUS,
        facecolor=OPERATION_FILL,
        edgecolor=INK,
        linewidth=sizes.line_width,
        zorder=4,
    )
    ax.add_patch(circle)
    if operation == "multiply":
        dot = Circle(centre, OPERATION_RADIUS * 0.28, facecolor=INK, edgecolor=INK, zorder=5)
        ax.add_patch(dot)
        return [circle, dot]
    if operation == "add":
        arm = OPERATION_RADIUS * 0.6
        horizontal = Line2D(
            [x - arm, x + arm],
            [y, y],
            color=INK,
            linewidth=sizes.line_width,
            solid_capstyle="butt",
            zorder=5,
        )
        vertical = Line2D(
            [x, x],
            [y - arm, y + arm],
            color=INK,
            linewidth=sizes.line_width,
            solid_capstyle="butt",
            zorder=5,
        )
        ax.add_line(horizontal)
        ax.add_line(vertical)
        return [circle, horizontal, vertical]
    raise ValueError(f"operation must be 'multiply' or 'add'; got {operation!r}")


def draw_function_node(
    ax: Axes, centre: tuple[float, float], text: str, sizes: DiagramSizes
) -> tuple[Ellipse, Text]:
    """Draw an element-wise function (the tanh applied to c_t): an ellipse with its name.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    centre : (x, y)
        Centre in data units.
    text : str
        Name of the function.
    sizes : DiagramSizes
        Font size and line width.

    Returns
    -------
    (Ellipse, Text)
        The ellipse and its text.
    """
    node = Ellipse(
        centre,
        BOX_WIDTH * 0.95,
        BOX_HEIGHT * 0.75,
        facecolor=OPERATION_FILL,
        edgecolor=INK,
        linewidth=sizes.line_width,
        zorder=4,
    )
    ax.add_patch(node)
    label = ax.text(
        *centre,
        text,
        ha="center",
        va="center_baseline",
        fontsize=sizes.box_font * 0.9,
        color=INK,
        zorder=5,
    )
    return node, label


def junction_radius(sizes: DiagramSizes) -> float:
    """Radius (data units) of a split-point dot: a little wider than a wire of this size."""
    return 0.05 + 0.02 * sizes.line_width


def draw_junction(ax: Axes, point: tuple[float, float], sizes: DiagramSizes) -> Circle:
    """Draw the dot where one wire splits into several (the same value goes everywhere).

    Parameters
    ----------
    ax : Axes
        Where to draw.
    point : (x, y)
        The split point in data units.
    sizes : DiagramSizes
        Line width (the dot is a little wider than a wire).

    Returns
    -------
    Circle
        The dot.
    """
    dot = Circle(point, junction_radius(sizes), facecolor=INK, edgecolor=INK, linewidth=0, zorder=3)
    ax.add_patch(dot)
    return dot


def draw_label(
    ax: Axes,
    point: tuple[float, float],
    text: str,
    sizes: DiagramSizes,
    *,
    ha: str = "center",
    va: str = "center",
    scale: float = 1.0,
) -> Text:
    """Write a symbol (mathtext) next to a wire, e.g. ``$f_t$``.

    Parameters
    ----------
    ax : Axes
        Where to write.
    point : (x, y)
        Anchor in data units.
    text : str
        The label.
    sizes : DiagramSizes
        Font size.
    ha, va : str
        Horizontal and vertical alignment of the text around ``point``.
    scale : float, default 1.0
        Multiplies the label font size.

    Returns
    -------
    Text
        The label.
    """
    return ax.text(
        *point, text, ha=ha, va=va, fontsize=sizes.label_font * scale, color=INK, zorder=6
    )


def draw_value_slot(
    ax: Axes,
    point: tuple[float, float],
    sizes: DiagramSizes,
    *,
    ha: str = "left",
    va: str = "center",
) -> Text:
    """Create the (initially empty, hidden) text where :meth:`CellDiagram.show_values` writes.

    Parameters
    ----------
    ax : Axes
        Where to write.
    point : (x, y)
        Anchor in data units.
    sizes : DiagramSizes
        Font size.
    ha, va : str
        Alignment of the number around ``point``.

    Returns
    -------
    Text
        An invisible, empty text artist with a white rounded background.
    """
    slot = ax.text(
        *point,
        "",
        ha=ha,
        va=va,
        fontsize=sizes.value_font,
        color=VALUE_COLOUR,
        fontfamily="DejaVu Sans Mono",
        zorder=7,
        bbox={
            "boxstyle": "round,pad=0.18",
            "facecolor": PAPER,
            "edgecolor": "#666666",
            "linewidth": 0.8,
        },
    )
    slot.set_visible(False)
    return slot


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
        self._elements: list[_Element] = []
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
        self._elements.append(_Element(kind, list(artists), frozenset(parts)))

    def _draw(self) -> None:
        """Draw every element of the cell (called once, by the constructor)."""
        self.draw_frame()
        self.draw_inputs()
        self.draw_gates()
        self.draw_belt()
        self.draw_input_product()
        self.draw_output()
        self.draw_value_slots()

    def draw_frame(self) -> None:
        """Draw the rounded rectangle that marks the inside of the cell."""
        frame = FancyBboxPatch(
            (FRAME_LEFT, FRAME_BOTTOM),
            FRAME_RIGHT - FRAME_LEFT,
            FRAME_TOP - FRAME_BOTTOM,
            boxstyle="round,pad=0,rounding_size=0.5",
            facecolor="none",
            edgecolor=FRAME_COLOUR,
            linewidth=self.sizes.line_width * 0.8,
            linestyle=(0, (4, 3)),
            zorder=1,
        )
        self.ax.add_patch(frame)
        self._add("frame", frame)

    def draw_inputs(self) -> None:
        """Draw h_{t-1} (from the left) and x_t (from below) joining into [h_{t-1}, x_t]."""
        ax, sizes = self.ax, self.sizes
        h_in = draw_wire(ax, [(LEFT_X, BUS_Y), (CONCAT_X, BUS_Y)], sizes, arrow=False)
        x_in = draw_wire(ax, [(CONCAT_X, X_BOTTOM_Y), (CONCAT_X, BUS_Y)], sizes, arrow=False)
        bus = draw_wire(ax, [(CONCAT_X, BUS_Y), (OUTPUT_X, BUS_Y)], sizes, arrow=False)
        self._add("wire", [h_in, x_in, bus])
        self._add("dot", draw_junction(ax, (CONCAT_X, BUS_Y), sizes))
        self._add("label", draw_label(ax, (LEFT_X - 0.15, BUS_Y), r"$h_{t-1}$", sizes, ha="right"))
        self._add("label", draw_label(ax, (CONCAT_X, X_BOTTOM_Y - 0.15), r"$x_t$", sizes, va="top"))
        self._add(
            "label",
            draw_label(
                ax,
                (CONCAT_X + 0.3, BUS_Y - 0.2),
                r"$[h_{t-1}, x_t]$",
                sizes,
                ha="left",
                va="top",
                scale=0.85,
            ),
        )

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
        self._add(
            "label",
            draw_label(ax, (LEFT_X - 0.15, BELT_Y), r"$c_{t-1}$", sizes, ha="right"),
            "forget",
            "update",
        )
        self._add(
            "label", draw_label(ax, (RIGHT_X + 0.15, BELT_Y), r"$c_t$", sizes, ha="left"), "update"
        )
        self._add(
            "label",
            draw_label(
                ax,
                ((FORGET_X + CANDIDATE_X) / 2, BELT_Y + 0.2),
                r"$f_t \odot c_{t-1}$",
                sizes,
                va="bottom",
                scale=0.85,
            ),
            "forget",
            "update",
        )
        # the forget gate's output climbs to the multiplication on the belt
        f_wire = draw_wire(
            ax, [(FORGET_X, GATE_Y + BOX_HEIGHT / 2), (FORGET_X, BELT_Y - radius)], sizes
        )
        self._add("wire", f_wire, "forget")
        self._add(
            "label",
            draw_label(ax, (FORGET_X - 0.2, GATE_LABEL_Y), r"$f_t$", sizes, ha="right"),
            "forget",
        )

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
        self._add(
            "label",
            draw_label(ax, (INPUT_X - 0.2, GATE_LABEL_Y), r"$i_t$", sizes, ha="right"),
            "input",
        )
        self._add(
            "label",
            draw_label(ax, (CANDIDATE_X - 0.2, GATE_LABEL_Y), r"$\tilde{c}_t$", sizes, ha="right"),
            "candidate",
        )
        self._add(
            "label",
            draw_label(
                ax,
                (CANDIDATE_X + 0.2, (INPUT_PRODUCT_Y + BELT_Y) / 2),
                r"$i_t \odot \tilde{c}_t$",
                sizes,
                ha="left",
                scale=0.85,
            ),
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
        self._add(
            "label",
            draw_label(ax, (OUTPUT_X - 0.2, GATE_LABEL_Y), r"$o_t$", sizes, ha="right"),
            "output",
        )
        self._add(
            "label",
            draw_label(
                ax,
                (TANH_C_X - 0.2, TANH_WIRE_MID_Y),
                r"$\tanh(c_t)$",
                sizes,
                ha="right",
                scale=0.85,
            ),
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
        self._add(
            "label", draw_label(ax, (RIGHT_X + 0.15, BUS_Y), r"$h_t$", sizes, ha="left"), "output"
        )
        self._add(
            "label",
            draw_label(ax, (H_SPLIT_X, TOP_Y + 0.12), r"$h_t$", sizes, va="bottom"),
            "output",
        )

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

    def _colour_element(self, element: _Element, part: str | None) -> None:
        """Set the colours of one element for the highlighted ``part``."""
        if part is None:
            state = "normal"
        elif part in element.parts:
            state = "lit"
        else:
            state = "muted"
        accent = PART_COLOURS[part] if part is not None else INK
        line_colour = {"normal": INK, "lit": accent, "muted": MUTED_INK}[state]
        # the cell-state line (the conveyor belt) is drawn thicker than the other wires; lit parts
        # get thicker lines too (a little less for the already thick belt)
        is_belt = element.kind == "belt"
        base_width = self.sizes.line_width * (BELT_WIDTH_FACTOR if is_belt else 1.0)
        width_factor = (1.3 if is_belt else 1.6) if state == "lit" else 1.0
        if element.kind == "frame":
            element.artists[0].set_edgecolor(FRAME_COLOUR if state == "normal" else MUTED_INK)
            return
        for artist in element.artists:
            if isinstance(artist, Text):
                text_colour = {"normal": INK, "lit": _darken(accent, 0.25), "muted": MUTED_TEXT}
                artist.set_color(text_colour[state])
            elif isinstance(artist, Line2D):  # the strokes of "+"
                artist.set_color(line_colour)
                artist.set_linewidth(base_width * width_factor)
            elif isinstance(artist, FancyArrowPatch):
                artist.set_color(line_colour)
                artist.set_linewidth(base_width * width_factor)
            elif element.kind == "dot":  # a split point: grows with the (thicker) lit wires
                artist.set_facecolor(line_colour)
                artist.set_radius(junction_radius(self.sizes) * (1.5 if state == "lit" else 1.0))
            elif self._is_symbol_dot(artist):
                artist.set_facecolor(line_colour)
                artist.set_edgecolor(line_colour)
            else:  # a box, circle or ellipse with a fill
                artist.set_edgecolor(line_colour)
                artist.set_linewidth(base_width * width_factor)
                artist.set_facecolor(self._fill_colour(element.kind, state, accent))

    @staticmethod
    def _is_symbol_dot(artist: Artist) -> bool:
        """True for the small filled dot inside a multiplication circle."""
        return isinstance(artist, Circle) and artist.get_radius() < OPERATION_RADIUS * 0.5

    @staticmethod
    def _fill_colour(kind: str, state: str, accent: str) -> str:
        """Fill colour of a box or operation in a given highlight state."""
        if state == "lit":
            return _lighten(accent, 0.8)
        if state == "muted":
            return MUTED_FILL
        return BOX_FILL if kind == "box" else OPERATION_FILL

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
        numbers: dict[str, float] = {}
        sizes_seen: dict[str, int] = {}
        for name in VALUE_NAMES:
            if not hasattr(step, name):
                raise TypeError(
                    f"step must be the result of LSTMCell.step (with attribute {name!r}); "
                    f"got {type(step).__name__}"
                )
            values = np.asarray(getattr(step, name), dtype=float)
            if values.ndim != 1 or values.size == 0:
                raise ValueError(
                    f"step.{name} must be a non-empty 1-D array (one unbatched step); got shape "
                    f"{values.shape}. Pass cell.step(x) with x of shape (input_size,)."
                )
            if not np.isfinite(values[0]):
                raise ValueError(f"step.{name}[0] must be finite; got {values[0]!r}")
            numbers[name] = float(values[0])
            sizes_seen[name] = values.size
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
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=110, facecolor=PAPER)
        return buffer.getvalue()


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


def static_diagram_names() -> dict[str | None, str]:
    """File name of each static diagram, keyed by the highlighted part (None: no highlight).

    Returns
    -------
    dict
        ``{None: "lstm-cell.svg", "forget": "lstm-cell-forget.svg", ...}``.
    """
    names: dict[str | None, str] = {None: "lstm-cell.svg"}
    for part in PARTS:
        names[part] = f"lstm-cell-{part}.svg"
    return names


#: rcParams used while drawing and saving the static SVGs, so their bytes do not depend on the
#: date, on random ids or on the user's matplotlib configuration.
STATIC_RC: dict[str, Any] = {
    "svg.hashsalt": "lstm-book",
    "svg.fonttype": "path",
    "svg.image_inline": True,
    "path.simplify": True,
}


def static_diagram_svg(highlight: str | None = None) -> bytes:
    """The bytes of one static SVG diagram, exactly as :func:`save_static_diagrams` writes them.

    Drawn with matplotlib's default rcParams plus :data:`STATIC_RC` (whatever style is active), so
    the same code and matplotlib version always give the same bytes.

    Parameters
    ----------
    highlight : str or None, default None
        The highlighted part, one of :data:`PARTS`.

    Returns
    -------
    bytes
        The SVG document.

    Raises
    ------
    ValueError
        If ``highlight`` is unknown.
    """
    check_part(highlight)

    with mpl.rc_context():
        mpl.rcdefaults()  # ignore the user's matplotlibrc and any style applied earlier
        mpl.rcParams.update(STATIC_RC)
        diagram = CellDiagram(highlight=highlight, size="laptop")
        buffer = io.BytesIO()
        diagram.figure.savefig(buffer, format="svg", metadata={"Date": None}, facecolor=PAPER)
    return buffer.getvalue()


def save_static_diagrams(folder: str | Path) -> list[Path]:
    """Write the static SVG diagrams (one plain, one per highlighted part) into ``folder``.

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
        :data:`PARTS`.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for highlight, name in static_diagram_names().items():
        path = folder / name
        path.write_bytes(static_diagram_svg(highlight))
        written.append(path)
    return written
