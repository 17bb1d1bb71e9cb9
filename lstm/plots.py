"""Plots of the LSTM cell, drawn with matplotlib's object-oriented API (no pyplot).

Every ``plot_*`` function draws into axes you give it and returns a small object holding the
artists it made (lines, bars, images, texts) with an ``update(...)`` method that changes those
same artists in place (``set_data``, ``set_height``, ``set_text``). The explorers use this to
redraw one figure many times a second without creating new figures or axes.

The functions only *draw* numbers; they never compute the cell. Pass them what
:class:`lstm.LSTMCell` and :class:`lstm.RNNCell` computed (a step or a trace).

To make a figure for a chapter::

    from lstm.plots import new_figure, plot_gate_curve
    fig = new_figure()
    ax = fig.add_subplot()
    plot_gate_curve(ax, "sigmoid", z=1.5, gate="forget")
    fig            # displays as a PNG in a notebook or a Quarto page

Time steps are counted from 1 in every plot: the first entry of a trace is step ``t = 1``;
``h_0`` and ``c_0`` are the states before the sequence starts.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colorbar import Colorbar
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.text import Text

from lstm.activations import sigmoid, tanh
from lstm.style import (
    GATE_COLOURMAP,
    GATE_COLOURS,
    OKABE_ITO,
    SIGNED_COLOURMAP,
    book_style,
    check_size,
    integer_ticks,
)

#: The four parts of the cell that have their own weights, in the book's order.
GATES: tuple[str, ...] = ("forget", "input", "candidate", "output")

#: Title of each gate for figures.
GATE_TITLES: dict[str, str] = {
    "forget": r"Forget gate $f_t$",
    "input": r"Input gate $i_t$",
    "candidate": r"Candidate $\tilde{c}_t$",
    "output": r"Output gate $o_t$",
}

#: Name of the trace/step attribute holding each gate's activation.
GATE_ATTRIBUTES: dict[str, str] = {
    "forget": "f",
    "input": "i",
    "candidate": "c_tilde",
    "output": "o",
}

#: Subscript used in the symbols of each gate's parameters (W_f, b_f, z_f ...).
GATE_SUBSCRIPTS: dict[str, str] = {"forget": "f", "input": "i", "candidate": "c", "output": "o"}

#: The activation function of each gate.
GATE_ACTIVATIONS: dict[str, str] = {
    "forget": "sigmoid",
    "input": "sigmoid",
    "candidate": "tanh",
    "output": "sigmoid",
}

_ACTIVATIONS = {"sigmoid": sigmoid, "tanh": tanh}


class BookFigure(Figure):
    """A matplotlib Figure with an Agg canvas that shows itself as a PNG in notebooks.

    Created without pyplot, so no global figure manager keeps it alive and nothing is
    displayed twice.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        FigureCanvasAgg(self)

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=100)
        return buffer.getvalue()


def check_gate(gate: str) -> str:
    """Return ``gate`` if it is one of :data:`GATES`, else raise a clear ``ValueError``.

    Parameters
    ----------
    gate : str
        ``"forget"``, ``"input"``, ``"candidate"`` or ``"output"``.

    Returns
    -------
    str
        The same gate name.

    Raises
    ------
    ValueError
        If ``gate`` is not a known gate name.
    """
    if not isinstance(gate, str) or gate not in GATES:
        raise ValueError(f"gate must be one of {list(GATES)}; got {gate!r}")
    return gate


def new_figure(
    size: str = "laptop",
    *,
    figsize: tuple[float, float] | None = None,
    dpi: float | None = None,
    layout: str | None = None,
) -> BookFigure:
    """Create an empty figure in the book style, without pyplot.

    Parameters
    ----------
    size : str, default "laptop"
        ``"laptop"`` or ``"projector"``; sets the default figure size and font sizes.
    figsize : (float, float), optional
        Width and height in inches, overriding the size's default.
    dpi : float, optional
        Dots per inch of the on-screen rendering, overriding the size's default.
    layout : {"constrained", "tight", None}, optional
        Matplotlib layout engine for chapter figures (explorers use a fixed layout).

    Returns
    -------
    BookFigure
        A figure with an Agg canvas. Axes added to it inside :func:`lstm.style.book_style`
        get the book's fonts; this function applies that style while creating the figure.

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    """
    settings = check_size(size)
    with book_style(size):
        return BookFigure(
            figsize=figsize or settings["figsize"],
            dpi=dpi or settings["dpi"],
            layout=layout,
        )


def _activation(activation: str):
    if activation not in _ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(_ACTIVATIONS)}; got {activation!r}")
    return _ACTIVATIONS[activation]


# ----------------------------------------------------------------------------------------------
# Gate activation curve
# ----------------------------------------------------------------------------------------------


@dataclass
class GateCurveArtists:
    """Artists of :func:`plot_gate_curve`; call :meth:`update` to move the marked point."""

    ax: Axes
    curve: Line2D
    point: Line2D
    guide: Line2D
    readout: Text
    readout_labels: Text
    z_limits: tuple[float, float]
    symbol: str
    z_symbol: str

    def dynamic_artists(self) -> list[Artist]:
        """The artists :meth:`update` changes (the rest of the axes never changes)."""
        # the read-out is drawn last, on a white box, so the guide line never hides it
        return [self.guide, self.point, self.readout_labels, self.readout]

    def update(self, z: float, value: float) -> None:
        """Mark the point ``(z, value)`` on the curve.

        Parameters
        ----------
        z : float
            Pre-activation (for example ``step.z_f[0]``).
        value : float
            Activation at ``z`` (for example ``step.f[0]``), as computed by the cell.

        Notes
        -----
        If ``z`` lies outside the plotted range, the marker is drawn at the edge (hollow) and the
        read-out still shows the exact numbers.
        """
        z = float(z)
        value = float(value)
        low, high = self.z_limits
        shown_z = min(max(z, low), high)
        self.point.set_data([shown_z], [value])
        self.point.set_markerfacecolor("white" if shown_z != z else self.point.get_color())
        self.guide.set_data([shown_z, shown_z, low], [self.ax.get_ylim()[0], value, value])
        # plain digits only: the symbols are a separate, unchanging text (mathtext is slow)
        self.readout.set_text(f"{z:.2f}\n{value:.4f}")


def plot_gate_curve(
    ax: Axes,
    activation: str = "sigmoid",
    *,
    z: float | None = None,
    gate: str | None = None,
    z_limits: tuple[float, float] = (-8.0, 8.0),
    colour: str | None = None,
) -> GateCurveArtists:
    """Draw a gate's activation curve (sigmoid or tanh) and mark the current point.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes to draw into.
    activation : {"sigmoid", "tanh"}
        Which curve.
    z : float, optional
        Pre-activation to mark; its value is computed with :func:`lstm.sigmoid` or
        :func:`lstm.tanh`. Default 0.
    gate : {"forget", "input", "candidate", "output"}, optional
        Names the gate in the title, labels and colour. If omitted the plain function is shown.
    z_limits : (float, float)
        Range of the horizontal axis.
    colour : str, optional
        Line colour (default: the gate's colour from :data:`lstm.style.GATE_COLOURS`).

    Returns
    -------
    GateCurveArtists
        The curve, the marked point, the guide line and the read-out text.

    Raises
    ------
    ValueError
        If ``activation`` or ``gate`` is unknown or ``z_limits`` is not increasing.
    """
    function = _activation(activation)
    if gate is not None:
        check_gate(gate)
    low, high = (float(z_limits[0]), float(z_limits[1]))
    if not low < high:
        raise ValueError(f"z_limits must be increasing (low, high); got {z_limits!r}")
    if colour is None:
        colour = GATE_COLOURS[gate] if gate else OKABE_ITO["blue"]
    if gate is None:
        symbol = r"$\sigma(z)$" if activation == "sigmoid" else r"$\tanh(z)$"
        z_symbol = "$z$"
        title = "Sigmoid" if activation == "sigmoid" else "Hyperbolic tangent"
    else:
        subscript = GATE_SUBSCRIPTS[gate]
        symbol = {
            "forget": "$f_t$",
            "input": "$i_t$",
            "candidate": r"$\tilde{c}_t$",
            "output": "$o_t$",
        }[gate]
        z_symbol = f"$z_{subscript}$"
        title = f"{GATE_TITLES[gate]} = {'σ' if activation == 'sigmoid' else 'tanh'}({z_symbol})"
    grid = np.linspace(low, high, 161)
    (curve,) = ax.plot(grid, function(grid), color=colour, label=title)
    bottom = -0.05 if activation == "sigmoid" else -1.1
    top = 1.05 if activation == "sigmoid" else 1.1
    ax.set_xlim(low, high)
    ax.set_ylim(bottom, top)
    (guide,) = ax.plot([], [], color=OKABE_ITO["black"], linewidth=1.0, linestyle=":")
    (point,) = ax.plot(
        [], [], marker="o", markersize=11, color=colour, markeredgecolor=OKABE_ITO["black"]
    )
    ax.set_xlabel(f"pre-activation {z_symbol}")
    ax.set_ylabel(f"activation {symbol}")
    ax.set_title(title)
    # Two columns: symbols (drawn once) and their current values (updated). Plain "=" lines of
    # equal height keep the two columns aligned.
    box = {"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.9}
    readout_labels = ax.text(
        0.03, 0.96, f"{z_symbol} =\n{symbol} =", transform=ax.transAxes, va="top", ha="left",
        linespacing=1.6, bbox=box,
    )
    readout = ax.text(
        0.20, 0.96, "", transform=ax.transAxes, va="top", ha="left", linespacing=1.6, bbox=box,
    )
    artists = GateCurveArtists(
        ax, curve, point, guide, readout, readout_labels, (low, high), symbol, z_symbol
    )
    z_value = 0.0 if z is None else float(z)
    artists.update(z_value, float(function(z_value)))
    return artists


# ----------------------------------------------------------------------------------------------
# One step: how c_{t-1} becomes c_t and h_t
# ----------------------------------------------------------------------------------------------

#: Bars of :func:`plot_cell_step`, left to right: (label, colour key).
CELL_STEP_BARS: tuple[tuple[str, str], ...] = (
    (r"$c_{t-1}$", "cell"),
    (r"kept" "\n" r"$f_t \odot c_{t-1}$", "forget"),
    (r"added" "\n" r"$i_t \odot \tilde{c}_t$", "input"),
    (r"$c_t$", "cell"),
    (r"$\tanh(c_t)$", "cell"),
    (r"$h_t$" "\n" r"$= o_t \odot \tanh(c_t)$", "output"),
)


def cell_step_values(step: Any, unit: int = 0) -> np.ndarray:
    """The six numbers shown by :func:`plot_cell_step`, read from a cell step.

    Parameters
    ----------
    step : LSTM step
        Result of :meth:`lstm.LSTMCell.step` (unbatched: attributes of shape ``(hidden,)``).
    unit : int
        Which hidden unit.

    Returns
    -------
    numpy.ndarray, shape (6,)
        ``[c_{t-1}, f_t*c_{t-1}, i_t*c~_t, c_t, tanh(c_t), h_t]`` for that unit.
    """
    return np.array(
        [
            step.c_prev[unit],
            step.f[unit] * step.c_prev[unit],
            step.i[unit] * step.c_tilde[unit],
            step.c[unit],
            step.tanh_c[unit],
            step.h[unit],
        ],
        dtype=float,
    )


@dataclass
class CellStepArtists:
    """Artists of :func:`plot_cell_step`; :meth:`update` resizes the bars in place."""

    ax: Axes
    bars: BarContainer
    value_texts: list[Text]
    value_limits: tuple[float, float]
    unit: int
    values: np.ndarray = field(default_factory=lambda: np.zeros(6))

    def dynamic_artists(self) -> list[Artist]:
        """The artists :meth:`update` changes."""
        return [*self.bars, *self.value_texts]

    def update(self, step: Any) -> None:
        """Show a new step (same unit as before).

        Parameters
        ----------
        step : LSTM step
            Result of :meth:`lstm.LSTMCell.step`.
        """
        self.values = cell_step_values(step, self.unit)
        low, high = self.value_limits
        span = high - low
        for rectangle, text, value in zip(self.bars, self.value_texts, self.values, strict=True):
            shown = min(max(value, low), high)
            rectangle.set_height(shown)
            offset = 0.03 * span
            text.set_y(shown + offset if shown >= 0 else shown - offset)
            text.set_va("bottom" if shown >= 0 else "top")
            text.set_text(f"{value:+.3f}")


def plot_cell_step(
    ax: Axes,
    step: Any,
    *,
    unit: int = 0,
    value_limits: tuple[float, float] = (-4.5, 4.5),
) -> CellStepArtists:
    """Bar view of one step: what is kept of ``c_{t-1}``, what is added, ``c_t`` and ``h_t``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes to draw into.
    step : LSTM step
        Result of :meth:`lstm.LSTMCell.step` (unbatched).
    unit : int, default 0
        Which hidden unit to show.
    value_limits : (float, float)
        Fixed range of the value axis (bars beyond it are cut at the edge; the numbers above the
        bars are exact).

    Returns
    -------
    CellStepArtists
        The bars and the value labels.
    """
    labels = [label for label, _ in CELL_STEP_BARS]
    colours = [GATE_COLOURS[key] for _, key in CELL_STEP_BARS]
    positions = np.arange(len(labels))
    bars = ax.bar(positions, np.zeros(len(labels)), color=colours, width=0.65)
    ax.axhline(0.0, color=OKABE_ITO["black"], linewidth=1.0)
    ax.set_xticks(positions, labels)
    ax.set_ylim(*value_limits)
    ax.set_xlim(-0.6, len(labels) - 0.4)
    ax.set_ylabel("value")
    ax.set_title(r"How $c_{t-1}$ becomes $c_t$ and $h_t$")
    ax.grid(axis="x", visible=False)
    texts = [
        ax.text(position, 0.0, "", ha="center", va="bottom", fontsize="small")
        for position in positions
    ]
    limits = (float(value_limits[0]), float(value_limits[1]))
    artists = CellStepArtists(ax, bars, texts, limits, unit)
    artists.update(step)
    return artists


# ----------------------------------------------------------------------------------------------
# Gate values of one step
# ----------------------------------------------------------------------------------------------


@dataclass
class GateValuesArtists:
    """Artists of :func:`plot_gate_values`; :meth:`update` resizes the bars in place."""

    ax: Axes
    bars: BarContainer
    value_texts: list[Text]
    unit: int

    def dynamic_artists(self) -> list[Artist]:
        """The artists :meth:`update` changes."""
        return [*self.bars, *self.value_texts]

    def update(self, step: Any) -> None:
        """Show the gate values of a new step."""
        for rectangle, text, gate in zip(self.bars, self.value_texts, GATES, strict=True):
            value = float(getattr(step, GATE_ATTRIBUTES[gate])[self.unit])
            rectangle.set_width(value)
            text.set_x(1.08)
            text.set_text(f"{value:.3f}")


def plot_gate_values(ax: Axes, step: Any, *, unit: int = 0) -> GateValuesArtists:
    """Horizontal bars of ``f_t``, ``i_t``, ``c~_t`` and ``o_t`` for one step.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes to draw into.
    step : LSTM step
        Result of :meth:`lstm.LSTMCell.step` (unbatched).
    unit : int, default 0
        Which hidden unit.

    Returns
    -------
    GateValuesArtists
        The bars and their value labels.
    """
    positions = np.arange(len(GATES))[::-1]
    bars = ax.barh(
        positions,
        np.zeros(len(GATES)),
        color=[GATE_COLOURS[gate] for gate in GATES],
        height=0.6,
    )
    ax.axvline(0.0, color=OKABE_ITO["black"], linewidth=1.0)
    ax.set_yticks(positions, [GATE_TITLES[gate] for gate in GATES])
    ax.set_xlim(-1.0, 1.45)
    ax.set_xticks([-1.0, -0.5, 0.0, 0.5, 1.0])
    ax.set_xlabel("value (gates in (0, 1), candidate in (-1, 1))")
    ax.set_title("Gate values")
    ax.grid(axis="y", visible=False)
    texts = [ax.text(1.08, position, "", va="center", ha="left") for position in positions]
    artists = GateValuesArtists(ax, bars, texts, unit)
    artists.update(step)
    return artists


# ----------------------------------------------------------------------------------------------
# Over time: heat maps and lines
# ----------------------------------------------------------------------------------------------


def _time_by_unit(values: Any, name: str) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2:
        raise ValueError(
            f"{name} must have shape (time, hidden) or (time,); got shape {np.shape(values)}"
        )
    return array


@dataclass
class GateHeatmapArtists:
    """Artists of :func:`plot_gate_heatmaps`; :meth:`update` replaces the image data in place."""

    axes: dict[str, Axes]
    images: dict[str, AxesImage]
    colourbars: list[Colorbar]

    def dynamic_artists(self) -> list[Artist]:
        """The artists :meth:`update` changes."""
        return list(self.images.values())

    def update(self, trace: Any) -> None:
        """Show the gates of a new trace (same number of hidden units).

        Parameters
        ----------
        trace : LSTM trace
            Result of :meth:`lstm.LSTMCell.run` (unbatched: attributes ``(time, hidden)``).
        """
        for gate, image in self.images.items():
            data = _time_by_unit(getattr(trace, GATE_ATTRIBUTES[gate]), gate)
            steps, units = data.shape
            if image.get_array().shape != (units, steps):  # only re-range if the size changed
                image.set_extent((0.5, steps + 0.5, -0.5, units - 0.5))
                self.axes[gate].set_xlim(0.5, steps + 0.5)
            image.set_data(data.T)


def plot_gate_heatmaps(
    axes: Sequence[Axes],
    trace: Any,
    *,
    colourbar: bool = True,
    xlabel_on: str = "last",
) -> GateHeatmapArtists:
    """Heat maps of the forget, input, candidate and output values over time and units.

    Parameters
    ----------
    axes : sequence of 4 matplotlib Axes
        One axes per gate, in the order forget, input, candidate, output.
    trace : LSTM trace
        Result of :meth:`lstm.LSTMCell.run` (unbatched: attributes of shape ``(time, hidden)``).
    colourbar : bool, default True
        Add a colour bar to each heat map.
    xlabel_on : {"last", "all"}
        Put the "time step t" label under the last heat map only, or under each.

    Returns
    -------
    GateHeatmapArtists
        The four images (``images["forget"]`` ...) and their colour bars.

    Raises
    ------
    ValueError
        If ``axes`` does not hold exactly four axes.

    Notes
    -----
    Gates lie in (0, 1) and use the sequential map :data:`lstm.style.GATE_COLOURMAP` on [0, 1];
    the candidate lies in (-1, 1) and uses the diverging :data:`lstm.style.SIGNED_COLOURMAP` on
    [-1, 1], so white-ish means "adds nothing".
    """
    axes = list(axes)
    if len(axes) != len(GATES):
        raise ValueError(f"axes must hold {len(GATES)} axes (one per gate); got {len(axes)}")
    images: dict[str, AxesImage] = {}
    colourbars: list[Colorbar] = []
    axes_by_gate = dict(zip(GATES, axes, strict=True))
    for index, (gate, ax) in enumerate(axes_by_gate.items()):
        data = _time_by_unit(getattr(trace, GATE_ATTRIBUTES[gate]), gate)
        steps, units = data.shape
        signed = gate == "candidate"
        image = ax.imshow(
            data.T,
            aspect="auto",
            origin="lower",
            interpolation="nearest",
            cmap=SIGNED_COLOURMAP if signed else GATE_COLOURMAP,
            vmin=-1.0 if signed else 0.0,
            vmax=1.0,
            extent=(0.5, steps + 0.5, -0.5, units - 0.5),
        )
        ax.grid(False)
        ax.set_yticks(range(units), [str(unit + 1) for unit in range(units)])
        ax.set_ylabel("unit")
        ax.set_title(GATE_TITLES[gate], loc="left")
        if xlabel_on == "all" or index == len(GATES) - 1:
            ax.set_xlabel("time step $t$")
        integer_ticks(ax)
        images[gate] = image
        if colourbar:
            bar = ax.figure.colorbar(image, ax=ax, pad=0.015, fraction=0.04, aspect=8)
            bar.set_ticks([-1.0, 0.0, 1.0] if signed else [0.0, 0.5, 1.0])
            colourbars.append(bar)
    return GateHeatmapArtists(axes_by_gate, images, colourbars)


@dataclass
class LinesArtists:
    """Artists of :func:`plot_over_time`; :meth:`update` replaces the line data in place."""

    ax: Axes
    lines: list[Line2D]

    def dynamic_artists(self) -> list[Artist]:
        """The artists :meth:`update` changes."""
        return list(self.lines)

    def update(self, values: Any) -> None:
        """Show new values, shape ``(time, lines)`` or ``(time,)`` (same number of lines)."""
        data = _time_by_unit(values, "values")
        if data.shape[1] != len(self.lines):
            raise ValueError(
                f"values must have {len(self.lines)} columns (one per line); got {data.shape[1]}"
            )
        steps = np.arange(1, data.shape[0] + 1)
        for line, column in zip(self.lines, data.T, strict=True):
            line.set_data(steps, column)


def plot_over_time(
    ax: Axes,
    values: Any,
    *,
    symbol: str,
    title: str | None = None,
    value_limits: tuple[float, float] | None = None,
    colours: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    marker: str | None = None,
    legend_loc: str = "best",
) -> LinesArtists:
    """Line plot of a quantity over time, one line per hidden unit (e.g. ``c_t`` or ``h_t``).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes to draw into.
    values : array_like, shape (time, units) or (time,)
        The values, for example ``trace.c`` or ``trace.h``.
    symbol : str
        Mathtext symbol for the value axis, e.g. ``"$c_t$"``.
    title : str, optional
        Axes title (default: the symbol over time).
    value_limits : (float, float), optional
        Fixed range of the value axis (default: automatic).
    colours : sequence of str, optional
        One colour per line (default: the Okabe-Ito cycle).
    labels : sequence of str, optional
        Legend labels (default ``"unit 1"``, ``"unit 2"`` ... when there are several lines).
    marker : str, optional
        Marker for each time step (useful for short sequences).
    legend_loc : str, default "best"
        Legend position; ``"above"`` puts it above the axes, right-aligned (a fixed place, for
        figures that are updated in place).

    Returns
    -------
    LinesArtists
        One Line2D per unit.
    """
    data = _time_by_unit(values, "values")
    steps = np.arange(1, data.shape[0] + 1)
    lines = []
    for unit, column in enumerate(data.T):
        label = labels[unit] if labels is not None else f"unit {unit + 1}"
        kwargs: dict[str, Any] = {"label": label}
        if colours is not None:
            kwargs["color"] = colours[unit]
        if marker is not None:
            kwargs["marker"] = marker
        (line,) = ax.plot(steps, column, **kwargs)
        lines.append(line)
    ax.axhline(0.0, color=OKABE_ITO["black"], linewidth=0.8)
    ax.set_xlim(0.5, data.shape[0] + 0.5)
    if value_limits is not None:
        ax.set_ylim(*value_limits)
    ax.set_xlabel("time step $t$")
    integer_ticks(ax)
    ax.set_ylabel(symbol)
    ax.set_title(title or f"{symbol} over time")
    if data.shape[1] > 1 or labels is not None:
        if legend_loc == "above":
            ax.legend(
                loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=min(data.shape[1], 4),
                fontsize="small", borderaxespad=0.2,
            )
        else:
            ax.legend(loc=legend_loc, ncols=min(data.shape[1], 4))
    return LinesArtists(ax, lines)


# ----------------------------------------------------------------------------------------------
# Plain RNN versus LSTM memory
# ----------------------------------------------------------------------------------------------


@dataclass
class MemoryComparisonArtists:
    """Artists of :func:`plot_memory_comparison`; :meth:`update` changes them in place."""

    rnn_ax: Axes
    lstm_ax: Axes
    rnn_line: Line2D
    lstm_cell_line: Line2D
    lstm_hidden_line: Line2D
    rnn_text: Text
    lstm_text: Text

    def dynamic_artists(self) -> list[Artist]:
        """The artists :meth:`update` changes."""
        return [
            self.rnn_line, self.lstm_cell_line, self.lstm_hidden_line, self.rnn_text, self.lstm_text
        ]

    def update(self, rnn_hidden: Any, lstm_cell: Any, lstm_hidden: Any) -> None:
        """Show new sequences (any length; the time axes follow).

        Parameters
        ----------
        rnn_hidden : array_like, shape (time,)
            Plain RNN hidden state ``h_t`` for each step.
        lstm_cell, lstm_hidden : array_like, shape (time,)
            LSTM cell state ``c_t`` and hidden state ``h_t`` for each step.
        """
        rnn_hidden = np.asarray(rnn_hidden, dtype=float).reshape(-1)
        lstm_cell = np.asarray(lstm_cell, dtype=float).reshape(-1)
        lstm_hidden = np.asarray(lstm_hidden, dtype=float).reshape(-1)
        steps = np.arange(1, rnn_hidden.size + 1)
        self.rnn_line.set_data(steps, rnn_hidden)
        self.lstm_cell_line.set_data(steps, lstm_cell)
        self.lstm_hidden_line.set_data(steps, lstm_hidden)
        limits = (0.5, rnn_hidden.size + 0.5)
        for ax in (self.rnn_ax, self.lstm_ax):
            if ax.get_xlim() != limits:  # changing limits costs a full redraw: only when needed
                ax.set_xlim(*limits)
        rnn_kept = memory_kept(rnn_hidden)
        lstm_kept = memory_kept(lstm_cell)
        # plain text (no mathtext): these strings change on every update
        self.rnn_text.set_text(f"at t = {rnn_hidden.size}: the state keeps {rnn_kept:.1%}")
        self.lstm_text.set_text(f"at t = {lstm_cell.size}: the cell state keeps {lstm_kept:.1%}")


def memory_kept(values: Any) -> float:
    """Fraction of the first step's value still present at the last step.

    Parameters
    ----------
    values : array_like, shape (time,)
        A state over time, the pulse having arrived at the first step.

    Returns
    -------
    float
        ``values[-1] / values[0]`` (0 if the first value is 0).
    """
    values = np.asarray(values, dtype=float).reshape(-1)
    if values[0] == 0.0:
        return 0.0
    return float(values[-1] / values[0])


def plot_memory_comparison(
    axes: Sequence[Axes],
    rnn_hidden: Any,
    lstm_cell: Any,
    lstm_hidden: Any,
    *,
    value_limits: tuple[float, float] = (-0.05, 1.0),
) -> MemoryComparisonArtists:
    """Side-by-side: how much of a pulse a plain RNN and an LSTM still hold over time.

    Parameters
    ----------
    axes : sequence of 2 matplotlib Axes
        Left: the plain RNN; right: the LSTM.
    rnn_hidden : array_like, shape (time,)
        Plain RNN hidden state ``h_t`` (its only memory).
    lstm_cell, lstm_hidden : array_like, shape (time,)
        LSTM cell state ``c_t`` (its long-term memory) and hidden state ``h_t``.
    value_limits : (float, float)
        Fixed range of the value axes.

    Returns
    -------
    MemoryComparisonArtists
        The three lines and the two "keeps x %" texts.

    Raises
    ------
    ValueError
        If ``axes`` does not hold exactly two axes.
    """
    axes = list(axes)
    if len(axes) != 2:
        raise ValueError(f"axes must hold 2 axes (RNN, LSTM); got {len(axes)}")
    rnn_ax, lstm_ax = axes
    (rnn_line,) = rnn_ax.plot([], [], color=GATE_COLOURS["rnn"], label="RNN $h_t$")
    (lstm_cell_line,) = lstm_ax.plot([], [], color=GATE_COLOURS["lstm"], label="LSTM $c_t$")
    (lstm_hidden_line,) = lstm_ax.plot(
        [], [], color=GATE_COLOURS["hidden"], linestyle="--", linewidth=1.6, label="LSTM $h_t$"
    )
    texts = []
    for ax, title in ((rnn_ax, "Plain RNN"), (lstm_ax, "LSTM")):
        ax.set_ylim(*value_limits)
        ax.set_xlabel("time step $t$ (pulse at $t = 1$)")
        integer_ticks(ax)
        ax.set_title(title)
        ax.legend(loc="upper right")
        # under the axis label, so it never hides a line
        texts.append(
            ax.text(0.5, -0.24, "", transform=ax.transAxes, ha="center", va="top", fontweight="bold")
        )
    rnn_ax.set_ylabel("state value")
    artists = MemoryComparisonArtists(
        rnn_ax, lstm_ax, rnn_line, lstm_cell_line, lstm_hidden_line, texts[0], texts[1]
    )
    artists.update(rnn_hidden, lstm_cell, lstm_hidden)
    return artists
