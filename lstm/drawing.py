"""Drawing primitives for the book's diagrams: wires, boxes, operations, labels, value slots.

The cell diagram (:mod:`lstm.diagram`) and the unrolled figure (:mod:`lstm.unrolled`) are built
from the same small vocabulary, drawn with matplotlib's object-oriented API (no ``pyplot``):

* **colours** (:data:`INK`, :data:`PAPER`, the pale fills of layers and operations, the grey of
  parts that are not highlighted) and **sizes** (:class:`DiagramSizes`, one per presentation size
  in :data:`SIZES`: fonts and line widths in points, the figure in inches);
* **elements**, each drawn by one function that returns its artists: a wire with an arrow head
  (:func:`draw_wire`), a layer box (:func:`draw_gate_box`), an element-wise operation
  (:func:`draw_operation`, :func:`draw_function_node`), the dot where a wire splits
  (:func:`draw_junction`), the dashed outline of a cell (:func:`draw_frame`), a symbol next to a
  wire (:func:`draw_label`) and the empty text a figure later writes numbers into
  (:func:`draw_value_slot`, :func:`format_value`);
* **highlighting**: :class:`DrawnElement` remembers artists with the parts they belong to, and
  :func:`colour_element` recolours them for the states "normal", "lit" and "muted";
* **output**: :func:`first_entries` reads the numbers of a step or trace with clear errors,
  :func:`deterministic_svg` and :func:`png_bytes` turn a figure into reproducible bytes.

Geometry is in data units (one unit is about half an inch on the laptop cell diagram); the layouts
that place these elements live in the modules that use them.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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

__all__ = [
    "BELT_WIDTH_FACTOR",
    "BOX_FILL",
    "BOX_HEIGHT",
    "BOX_WIDTH",
    "FRAME_COLOUR",
    "INK",
    "MUTED_FILL",
    "MUTED_INK",
    "MUTED_TEXT",
    "OPERATION_FILL",
    "OPERATION_RADIUS",
    "PAPER",
    "SIZES",
    "STATIC_RC",
    "VALUE_COLOUR",
    "DiagramSizes",
    "DrawnElement",
    "colour_element",
    "darken",
    "deterministic_svg",
    "draw_frame",
    "draw_function_node",
    "draw_gate_box",
    "draw_junction",
    "draw_label",
    "draw_operation",
    "draw_value_slot",
    "draw_wire",
    "first_entries",
    "format_value",
    "junction_radius",
    "lighten",
    "png_bytes",
]

# ----------------------------------------------------------------------------------------------
# Colours. The accent colours of the parts of the cell come from lstm.style (Okabe-Ito); these are
# the neutral colours every diagram shares.
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


# Element sizes (data units), the defaults of the drawing functions.
BOX_WIDTH, BOX_HEIGHT = 1.35, 0.85  # a sigma or tanh layer box
OPERATION_RADIUS = 0.3  # an element-wise operation circle
BELT_WIDTH_FACTOR = 1.6  # the cell-state line is this much thicker than other wires


# ----------------------------------------------------------------------------------------------
# Small helpers
# ----------------------------------------------------------------------------------------------
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


def lighten(colour: str, amount: float) -> str:
    """Mix ``colour`` with white; ``amount`` = 0 keeps it, 1 gives white."""
    red, green, blue = mpl.colors.to_rgb(colour)
    mixed = [channel + (1.0 - channel) * amount for channel in (red, green, blue)]
    return mpl.colors.to_hex(mixed)


def darken(colour: str, amount: float) -> str:
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


def _node_style(fill: str, sizes: DiagramSizes) -> dict[str, Any]:
    """Colours, outline and layer of a diagram node (layer box, operation, function)."""
    return {"facecolor": fill, "edgecolor": INK, "linewidth": sizes.line_width, "zorder": 4}


def _node_label(ax: Axes, centre: tuple[float, float], text: str, fontsize: float) -> Text:
    """The text in the middle of a node, above it."""
    x, y = centre
    return ax.text(x, y, text, ha="center", va="center_baseline", fontsize=fontsize, color=INK,
                   zorder=5)


def draw_gate_box(
    ax: Axes,
    centre: tuple[float, float],
    text: str,
    sizes: DiagramSizes,
    *,
    width: float = BOX_WIDTH,
    height: float = BOX_HEIGHT,
) -> tuple[FancyBboxPatch, Text]:
    """Draw one neural-network layer: a rounded box with ``text`` (sigma or tanh) inside.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    centre : (x, y)
        Centre of the box in data units.
    text : str
        What the box computes, e.g. ``r"$\\sigma$"`` or ``"tanh"``.
    sizes : DiagramSizes
        Font size and line width.
    width, height : float, default :data:`BOX_WIDTH`, :data:`BOX_HEIGHT`
        Size of the box in data units.

    Returns
    -------
    (FancyBboxPatch, Text)
        The box and its text.
    """
    x, y = centre
    box = FancyBboxPatch(
        (x - width / 2, y - height / 2),
        width,
        height,
        boxstyle="round,pad=0,rounding_size=0.15",
        **_node_style(BOX_FILL, sizes),
    )
    ax.add_patch(box)
    return box, _node_label(ax, centre, text, sizes.box_font)


def draw_operation(
    ax: Axes,
    centre: tuple[float, float],
    operation: str,
    sizes: DiagramSizes,
    *,
    radius: float = OPERATION_RADIUS,
) -> list[Artist]:
    """Draw an element-wise operation: a circle with a dot (⊙, multiply) or a cross (+, add).

    The symbols are drawn as shapes, not as font glyphs, so they sit exactly in the middle of the
    circle at every size.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    centre : (x, y)
        Centre of the circle in data units.
    operation : {"multiply", "add"}
        Which operation.
    sizes : DiagramSizes
        Line width.
    radius : float, default :data:`OPERATION_RADIUS`
        Radius of the circle in data units.

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
    circle = Circle(centre, radius, **_node_style(OPERATION_FILL, sizes))
    ax.add_patch(circle)
    if operation == "multiply":
        dot = Circle(centre, radius * 0.28, facecolor=INK, edgecolor=INK, zorder=5)
        ax.add_patch(dot)
        return [circle, dot]
    if operation == "add":
        arm = radius * 0.6
        strokes = [
            Line2D(xs, ys, color=INK, linewidth=sizes.line_width, solid_capstyle="butt", zorder=5)
            for xs, ys in (([x - arm, x + arm], [y, y]), ([x, x], [y - arm, y + arm]))
        ]
        for stroke in strokes:
            ax.add_line(stroke)
        return [circle, *strokes]
    raise ValueError(f"operation must be 'multiply' or 'add'; got {operation!r}")


def draw_function_node(
    ax: Axes,
    centre: tuple[float, float],
    text: str,
    sizes: DiagramSizes,
    *,
    width: float = BOX_WIDTH * 0.95,
    height: float = BOX_HEIGHT * 0.75,
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
    width, height : float
        Size of the ellipse in data units (default a little smaller than a layer box).

    Returns
    -------
    (Ellipse, Text)
        The ellipse and its text.
    """
    node = Ellipse(centre, width, height, **_node_style(OPERATION_FILL, sizes))
    ax.add_patch(node)
    return node, _node_label(ax, centre, text, sizes.box_font * 0.9)


def draw_frame(
    ax: Axes,
    corner: tuple[float, float],
    width: float,
    height: float,
    sizes: DiagramSizes,
    *,
    rounding: float = 0.5,
) -> FancyBboxPatch:
    """Draw the dashed rounded rectangle that marks the inside of a cell.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    corner : (x, y)
        Bottom left corner in data units.
    width, height : float
        Size in data units.
    sizes : DiagramSizes
        Line width (the frame is a little thinner than the wires).
    rounding : float, default 0.5
        Radius of the rounded corners in data units.

    Returns
    -------
    FancyBboxPatch
        The frame.
    """
    frame = FancyBboxPatch(
        corner,
        width,
        height,
        boxstyle=f"round,pad=0,rounding_size={rounding}",
        facecolor="none",
        edgecolor=FRAME_COLOUR,
        linewidth=sizes.line_width * 0.8,
        linestyle=(0, (4, 3)),
        zorder=1,
    )
    ax.add_patch(frame)
    return frame


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
    """Create the (initially empty, hidden) text a figure's ``show_values`` later writes into.

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
# Highlighting: drawn elements remember their parts, and are recoloured in place
# ----------------------------------------------------------------------------------------------
#: The highlight states of an element: drawn normally, lit in an accent colour, or greyed out.
STATES: tuple[str, ...] = ("normal", "lit", "muted")


@dataclass
class DrawnElement:
    """One drawn element: its artists, what kind of thing it is and the parts it belongs to.

    Attributes
    ----------
    kind : str
        ``"box"``, ``"operation"``, ``"wire"``, ``"belt"``, ``"label"``, ``"frame"`` or ``"dot"``;
        decides how :func:`colour_element` recolours it.
    artists : list of Artist
        The artists drawn for it (e.g. a box and its text).
    parts : frozenset of str
        The parts of the figure it belongs to (lit when one of them is highlighted).
    """

    kind: str
    artists: list[Artist]
    parts: frozenset[str] = field(default_factory=frozenset)


def _is_symbol_dot(artist: Artist) -> bool:
    """True for the small filled dot inside a multiplication circle (not for the circle itself)."""
    return isinstance(artist, Circle) and artist.get_radius() < OPERATION_RADIUS * 0.5


def _fill_colour(kind: str, state: str, accent: str) -> str:
    """Fill colour of a box or operation in a given highlight state."""
    if state == "lit":
        return lighten(accent, 0.8)
    if state == "muted":
        return MUTED_FILL
    return BOX_FILL if kind == "box" else OPERATION_FILL


def colour_element(element: DrawnElement, state: str, accent: str, sizes: DiagramSizes) -> None:
    """Recolour the artists of one element for a highlight state (only colours and widths change).

    Parameters
    ----------
    element : DrawnElement
        The element.
    state : {"normal", "lit", "muted"}
        Drawn normally, lit in ``accent`` (thicker lines, pale accent fill), or greyed out.
    accent : str
        The colour of the highlighted part (used when ``state`` is "lit").
    sizes : DiagramSizes
        Base line widths; a ``"belt"`` is :data:`BELT_WIDTH_FACTOR` times thicker.

    Raises
    ------
    ValueError
        If ``state`` is not one of :data:`STATES`.
    """
    if state not in STATES:
        raise ValueError(f"state must be one of {STATES}; got {state!r}")
    line_colour = {"normal": INK, "lit": accent, "muted": MUTED_INK}[state]
    # the cell-state line (the conveyor belt) is drawn thicker than the other wires; lit parts
    # get thicker lines too (a little less for the already thick belt)
    is_belt = element.kind == "belt"
    base_width = sizes.line_width * (BELT_WIDTH_FACTOR if is_belt else 1.0)
    width_factor = (1.3 if is_belt else 1.6) if state == "lit" else 1.0
    if element.kind == "frame":
        element.artists[0].set_edgecolor(FRAME_COLOUR if state == "normal" else MUTED_INK)
        return
    for artist in element.artists:
        if isinstance(artist, Text):
            text_colour = {"normal": INK, "lit": darken(accent, 0.25), "muted": MUTED_TEXT}
            artist.set_color(text_colour[state])
        elif isinstance(artist, Line2D):  # the strokes of "+"
            artist.set_color(line_colour)
            artist.set_linewidth(base_width * width_factor)
        elif isinstance(artist, FancyArrowPatch):
            artist.set_color(line_colour)
            artist.set_linewidth(base_width * width_factor)
        elif element.kind == "dot":  # a split point: grows with the (thicker) lit wires
            artist.set_facecolor(line_colour)
            artist.set_radius(junction_radius(sizes) * (1.5 if state == "lit" else 1.0))
        elif _is_symbol_dot(artist):
            artist.set_facecolor(line_colour)
            artist.set_edgecolor(line_colour)
        else:  # a box, circle or ellipse with a fill
            artist.set_edgecolor(line_colour)
            artist.set_linewidth(base_width * width_factor)
            artist.set_facecolor(_fill_colour(element.kind, state, accent))


# ----------------------------------------------------------------------------------------------
# Numbers in, bytes out
# ----------------------------------------------------------------------------------------------
def first_entries(
    record: Any, names: Sequence[str], *, argument: str, expected: str, ndim: int
) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """The values of the first unit (and first input) of a step or trace, checked.

    A diagram shows one unit: for every name it takes ``record.<name>[..., 0]`` (the last axis is
    the unit, or the input for ``x``) and remembers how many units there were.

    Parameters
    ----------
    record : object
        An :class:`lstm.cell.LSTMStep` or :class:`lstm.cell.LSTMTrace` (anything with the named
        array attributes).
    names : sequence of str
        The attributes to read.
    argument : str
        Name of the argument, for error messages (e.g. ``"step"`` or ``"trace"``).
    expected : str
        What ``record`` should be, for error messages (e.g. ``"the result of LSTMCell.step"``).
    ndim : int
        Number of axes every attribute must have: 1 for one unbatched step ``(hidden,)``, 2 for an
        unbatched trace ``(time, hidden)``.

    Returns
    -------
    values : dict of str to numpy.ndarray
        ``record.<name>[..., 0]`` as float arrays: shape ``()`` for a step, ``(time,)`` for a trace.
    widths : dict of str to int
        Size of the last axis of each attribute (number of units, or of inputs for ``x``).

    Raises
    ------
    TypeError
        If ``record`` lacks one of the attributes.
    ValueError
        If an attribute has the wrong number of axes, is empty, or its first unit is not finite.
    """
    values: dict[str, np.ndarray] = {}
    widths: dict[str, int] = {}
    shape_words = {1: "a non-empty 1-D array (one unbatched step)", 2: "a non-empty 2-D array"}
    for name in names:
        if not hasattr(record, name):
            raise TypeError(
                f"{argument} must be {expected} (with attribute {name!r}); "
                f"got {type(record).__name__}"
            )
        array = np.asarray(getattr(record, name), dtype=float)
        if array.ndim != ndim or array.size == 0:
            hint = (
                " Pass cell.step(x) with x of shape (input_size,)."
                if ndim == 1
                else " Pass cell.run(xs) with xs of shape (time, input_size), without a batch axis."
            )
            words = shape_words.get(ndim, f"a non-empty {ndim}-D array")
            raise ValueError(f"{argument}.{name} must be {words}; got shape {array.shape}.{hint}")
        first = array[..., 0]
        if not np.all(np.isfinite(first)):
            where = "[0]" if ndim == 1 else "[:, 0]"
            bad = float(first[~np.isfinite(first)][0]) if first.ndim else float(first)
            raise ValueError(f"{argument}.{name}{where} must be finite; got {bad!r}")
        values[name] = first
        widths[name] = array.shape[-1]
    return values, widths


#: rcParams used while drawing and saving the static SVGs, so their bytes do not depend on the
#: date, on random ids or on the user's matplotlib configuration.
STATIC_RC: dict[str, Any] = {
    "svg.hashsalt": "lstm-book",
    "svg.fonttype": "path",
    "svg.image_inline": True,
    "path.simplify": True,
}


def deterministic_svg(draw: Callable[[], Figure]) -> bytes:
    """Call ``draw()`` under matplotlib's default rcParams plus :data:`STATIC_RC`; its SVG bytes.

    Whatever style is active, the same code and matplotlib version always give the same bytes: the
    user's matplotlibrc and earlier styles are ignored, ids come from a fixed salt, text is drawn as
    paths and the metadata carries no date.

    Parameters
    ----------
    draw : callable returning Figure
        Builds the figure (called inside the rc context, so it is drawn with those settings).

    Returns
    -------
    bytes
        The SVG document.
    """
    with mpl.rc_context():
        mpl.rcdefaults()  # ignore the user's matplotlibrc and any style applied earlier
        mpl.rcParams.update(STATIC_RC)
        figure = draw()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None}, facecolor=PAPER)
    return buffer.getvalue()


def png_bytes(figure: Figure, dpi: float = 110) -> bytes:
    """PNG bytes of a figure on the diagrams' white paper (for ``_repr_png_``).

    Parameters
    ----------
    figure : Figure
        The figure.
    dpi : float, default 110
        Resolution.

    Returns
    -------
    bytes
        The PNG file.
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor=PAPER)
    return buffer.getvalue()
