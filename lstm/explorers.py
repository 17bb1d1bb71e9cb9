"""Interactive explorers: sliders that drive the LSTM cell and a figure redrawn in place.

Each chapter shows one or two explorers with a single call, the last expression of a cell::

    from lstm.explorers import step_explorer
    step_explorer("forget")

=============================  =======  =====================================================
function                       chapter  what the reader controls
=============================  =======  =====================================================
:func:`memory_explorer`        1        RNN recurrent weight, LSTM forget bias, length
:func:`diagram_explorer`       2        ``x_t``, ``h_{t-1}``, ``c_{t-1}``, highlighted part
:func:`step_explorer`          3-5      inputs and one gate's weights and bias
:func:`sequence_explorer`      6        input sequence, every gate's bias and input weight
=============================  =======  =====================================================

Live or static
--------------
In a running kernel each function returns an explorer object that displays as ipywidgets:
standard sliders and dropdowns (reachable with Tab, moved with the arrow keys, each with a
text description) beside one figure. Every slider move recomputes the numbers with
:class:`lstm.LSTMCell` / :class:`lstm.RNNCell` (nothing else computes them), updates the existing
matplotlib artists in place (``set_data``, ``set_height``, ``set_text``), redraws only those
artists over a cached picture of the rest of the figure (blitting on the Agg canvas; the whole
figure is redrawn only when an axis range changes), encodes the single figure as PNG and
replaces the ``value`` of an :class:`ipywidgets.Image`. No new figure is ever created, and no
ipympl is needed (plain ipywidgets; checked in JupyterLab 4). A slider move
takes about 10-15 ms of CPU time (``benchmarks/bench_explorers.py``).

When the environment variable ``LSTM_BOOK_STATIC`` is ``"1"`` (the book's page build and Quarto
renders set it) there is no kernel behind the page, so a slider would do nothing. Each function
then returns a self-contained HTML scrubber instead (see :mod:`lstm.static`): the same explorer
class renders a few frames over its main parameter at build time, and a small inline script
swaps them. A reader never sees a control that does nothing.

Every explorer object has

* ``figure``: its one :class:`matplotlib.figure.Figure` (the same object for its whole life);
* ``controls``: dict of control name to ipywidget (set ``.value`` to move a control);
* ``update()``: recompute with the cell and redraw the figure in place (called automatically
  whenever a control changes);
* ``widget``: the ipywidgets container to display (controls beside the figure, wrapping below
  it on narrow screens);
* ``describe()``: a text description of the current figure (alt text / screen-reader summary).
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
from matplotlib.artist import Artist
from PIL import Image as PILImage

from lstm.cell import LSTMCell
from lstm.plots import (
    GATE_ACTIVATIONS,
    GATE_ATTRIBUTES,
    GATE_SUBSCRIPTS,
    GATES,
    cell_step_values,
    check_gate,
    memory_kept,
    new_figure,
    plot_cell_step,
    plot_gate_curve,
    plot_gate_heatmaps,
    plot_gate_values,
    plot_memory_comparison,
    plot_over_time,
)
from lstm.rnn import RNNCell
from lstm.style import GATE_COLOURS, book_style, check_size

__all__ = [
    "DEFAULT_GATE_PARAMETERS",
    "DiagramExplorer",
    "Explorer",
    "INPUT_PRESETS",
    "MemoryExplorer",
    "SCENARIOS",
    "SequenceExplorer",
    "StepExplorer",
    "diagram_explorer",
    "memory_explorer",
    "sequence_explorer",
    "step_explorer",
]

#: Weights and bias of each gate in the one-unit explorers (chapters 2-5):
#: ``(weight on h_{t-1}, weight on x_t, bias)``. Sensible, readable values: the forget gate leans
#: towards keeping, the input gate opens for positive inputs, the output gate is mostly open.
DEFAULT_GATE_PARAMETERS: dict[str, tuple[float, float, float]] = {
    "forget": (0.5, 1.0, 1.0),
    "input": (0.5, 2.0, 0.0),
    "candidate": (0.5, 1.5, 0.0),
    "output": (0.5, 1.0, 0.5),
}

_DESCRIPTION_STYLE = {"description_width": "150px"}
_CONTROL_LAYOUT = {"width": "360px"}


def _slider(
    description: str,
    value: float,
    low: float,
    high: float,
    step: float,
    tooltip: str,
) -> widgets.FloatSlider:
    """A bounded float slider with a text description (its accessible label)."""
    return widgets.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        tooltip=tooltip,
        readout_format=".2f",
        continuous_update=True,
        style=_DESCRIPTION_STYLE,
        layout=widgets.Layout(**_CONTROL_LAYOUT),
    )


def _int_slider(description: str, value: int, low: int, high: int, tooltip: str) -> widgets.IntSlider:
    """A bounded integer slider with a text description."""
    return widgets.IntSlider(
        value=value,
        min=low,
        max=high,
        step=1,
        description=description,
        tooltip=tooltip,
        continuous_update=True,
        style=_DESCRIPTION_STYLE,
        layout=widgets.Layout(**_CONTROL_LAYOUT),
    )


def _dropdown(description: str, options: Any, value: Any, tooltip: str) -> widgets.Dropdown:
    return widgets.Dropdown(
        options=options,
        value=value,
        description=description,
        tooltip=tooltip,
        style=_DESCRIPTION_STYLE,
        layout=widgets.Layout(**_CONTROL_LAYOUT),
    )


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    checksum = zlib.crc32(tag + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", checksum)


def fast_png(rgba: np.ndarray, compress_level: int = 1) -> bytes:
    """Encode an RGBA pixel array as a PNG, quickly (no row filters, fast zlib).

    For live updates: about twice as fast as Pillow's encoder on a plot, similar size.

    Parameters
    ----------
    rgba : numpy.ndarray of uint8, shape (height, width, 4)
        Pixels, e.g. ``numpy.asarray(figure.canvas.buffer_rgba())``.
    compress_level : int, default 1
        zlib level 0-9.

    Returns
    -------
    bytes
        The PNG file (8-bit RGBA).
    """
    height, width, channels = rgba.shape
    if channels != 4 or rgba.dtype != np.uint8:
        raise ValueError(f"rgba must be uint8 of shape (height, width, 4); got {rgba.dtype} {rgba.shape}")
    rows = np.empty((height, 1 + 4 * width), dtype=np.uint8)
    rows[:, 0] = 0  # filter type 0 (none) for every row
    rows[:, 1:] = rgba.reshape(height, 4 * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(rows, compress_level))
        + _png_chunk(b"IEND", b"")
    )


def png_bytes(figure: Any, *, compress_level: int = 1, palette: bool = False) -> bytes:
    """Encode an already drawn Agg figure as PNG without drawing it again.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        A figure whose Agg canvas has been drawn (``figure.canvas.draw()``).
    compress_level : int, default 1
        zlib level 0-9 (1 is fast, for live updates; 6-9 are small, for static pages).
    palette : bool, default False
        Quantise to at most 256 colours with Pillow (much smaller files, for static pages).

    Returns
    -------
    bytes
        The PNG file.
    """
    rgba = np.asarray(figure.canvas.buffer_rgba())
    if not palette:
        return fast_png(rgba, compress_level)
    image = PILImage.fromarray(rgba[..., :3])
    image = image.quantize(colors=256, method=PILImage.Quantize.MEDIANCUT, dither=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=compress_level)
    return buffer.getvalue()


class Explorer:
    """Common machinery: one figure, named controls, in-place update, ipywidgets layout.

    Subclasses define ``_make_controls()``, ``_build_figure()``, ``_compute()`` (the numbers,
    from :class:`lstm.LSTMCell` / :class:`lstm.RNNCell` only), ``_redraw()`` (update the
    artists), ``_dynamic_artists()`` (the artists ``_redraw`` changes) and ``describe()``, and
    the class attributes below.

    Parameters
    ----------
    size : {"laptop", "projector"}
        Figure and font size.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        The explorer's only figure (Agg canvas), the same object for the explorer's whole life.
    controls : dict of str to ipywidgets.Widget
        The controls by name; setting a control's ``value`` recomputes and redraws.
    widget : ipywidgets.HBox
        Controls beside the figure (``flex_flow="row wrap"``: below it on narrow screens).
    image : ipywidgets.Image
        Holds the figure as PNG; its ``value`` is replaced on every update.
    summary : ipywidgets.HTML
        Text description of the current figure (read by screen readers, ``aria-live``).
    defaults : dict
        The controls' starting values (restored by :meth:`reset` and the Reset button).

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    """

    #: Short name used in element ids of the static form.
    name: ClassVar[str] = "explorer"
    #: Control scrubbed in the static (no kernel) form.
    static_parameter: ClassVar[str] = ""
    #: Caption of the static form: what moving the control changes (TeX-like symbols such as
    #: ``x_t`` are written with ``<sub>`` on the page, see :func:`lstm.static.caption_html`).
    static_caption: ClassVar[str] = ""
    #: Readable name of the scrubbed control in the static form's label, output and
    #: ``aria-valuetext`` (words, no TeX); empty: :data:`lstm.static.PARAMETER_NAMES`.
    static_label: ClassVar[str] = ""
    #: Figure size (inches) per presentation size, if not the style's default.
    figsize: ClassVar[dict[str, tuple[float, float]] | None] = None

    def __init__(self, size: str = "laptop") -> None:
        check_size(size)
        self.size = size
        self._holding = False
        #: If False (static page builds), updates redraw the figure but skip the widgets' PNG.
        self.live = True
        self.controls: dict[str, widgets.Widget] = self._make_controls()
        with book_style(size):
            figsize = self.figsize[size] if self.figsize else None
            self.figure = new_figure(size, figsize=figsize)
            self._build_figure()
        self._dynamic = self._dynamic_artists()
        for artist in self._dynamic:
            artist.set_animated(True)
        self._background: Any = None
        self._background_key: Any = None
        self.defaults: dict[str, Any] = {
            name: control.value for name, control in self.controls.items()
        }
        self.image = widgets.Image(
            format="png",
            layout=widgets.Layout(max_width="100%", height="auto", object_fit="contain"),
        )
        self.summary = widgets.HTML(layout=widgets.Layout(max_width="100%"))
        self.reset_button = widgets.Button(
            description="Reset",
            tooltip="Put every control back to its starting value",
            icon="",
            layout=widgets.Layout(width="120px"),
        )
        self.reset_button.on_click(lambda _button: self.reset())
        self.widget = self._layout()
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.update()

    # -- building blocks subclasses provide ---------------------------------------------------
    def _make_controls(self) -> dict[str, widgets.Widget]:
        raise NotImplementedError

    def _build_figure(self) -> None:
        raise NotImplementedError

    def _compute(self) -> None:
        raise NotImplementedError

    def _redraw(self) -> None:
        raise NotImplementedError

    def describe(self) -> str:
        """A sentence or two describing what the figure shows now (alt text)."""
        raise NotImplementedError

    def _dynamic_artists(self) -> list[Artist]:
        """The artists ``_redraw`` changes; everything else is drawn once and cached."""
        raise NotImplementedError

    def _layout_key(self) -> tuple:
        """Anything besides the dynamic artists that changes the picture (axis limits...)."""
        return tuple((ax.get_xlim(), ax.get_ylim()) for ax in self.figure.axes)

    def _control_groups(self) -> list[tuple[str, list[str]]]:
        """Headings and the control names under each (default: one group)."""
        return [("Controls", list(self.controls))]

    def _extra_controls(self) -> list[widgets.Widget]:
        """Widgets shown above the control groups (e.g. a scenario menu)."""
        return []

    # -- updating ----------------------------------------------------------------------------
    def _on_change(self, _change: dict) -> None:
        if not self._holding:
            self.update()

    def redraw_figure(self) -> None:
        """Recompute with the cell and redraw the figure's existing artists (Agg), no PNG.

        The parts that do not change (axes, ticks, labels, titles, colour bars) are drawn once
        and kept as a pixel buffer; each update restores that buffer and draws only the
        dynamic artists on top ("blitting" on the Agg canvas). If axis limits (or anything in
        :meth:`_layout_key`) changed, the whole figure is drawn again.
        """
        self._compute()
        self._redraw()
        canvas = self.figure.canvas
        key = self._layout_key()
        if self._background is None or key != self._background_key:
            canvas.draw()  # draws everything except the animated (dynamic) artists
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._background_key = key
        else:
            canvas.restore_region(self._background)
        for artist in self._dynamic:
            self.figure.draw_artist(artist)

    def publish(self) -> None:
        """Put the drawn figure (PNG) and the text summary into the widgets."""
        self.image.value = png_bytes(self.figure)
        self.summary.value = f"<p aria-live='polite'>{_html_escape(self.describe())}</p>"

    def update(self) -> None:
        """Recompute everything from the controls' current values and redraw in place."""
        self.redraw_figure()
        if self.live:
            self.publish()

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Change several controls without redrawing after each one; redraw once at the end."""
        holding_before = self._holding
        self._holding = True
        try:
            yield
        finally:
            self._holding = holding_before
        if not holding_before:
            self.update()

    def set_values(self, **values: Any) -> None:
        """Set several controls at once (one redraw), checking every value first.

        A slider would silently clip a value outside its range; here that is an error, so a
        scenario or a test never shows something other than what it asked for.

        Parameters
        ----------
        **values
            Control name to value, e.g. ``forget_bias=2.0, preset="sine"``.

        Raises
        ------
        ValueError
            If a name is not a control of this explorer, a slider value is outside the slider's
            range, or a menu value is not one of the menu's options.
        TypeError
            If a slider value is not a real number.
        """
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(
                f"values must name controls of this explorer {sorted(self.controls)}; got {unknown}"
            )
        for name, value in values.items():
            check_control_value(name, self.controls[name], value)
        with self.hold():
            for name, value in values.items():
                self.controls[name].value = value

    def values(self) -> dict[str, Any]:
        """Current value of every control."""
        return {name: control.value for name, control in self.controls.items()}

    def reset(self) -> None:
        """Restore every control to its starting value."""
        self.set_values(**self.defaults)

    # -- layout ------------------------------------------------------------------------------
    def _layout(self) -> widgets.Box:
        children: list[widgets.Widget] = []
        if self.size == "projector":
            children.append(
                widgets.HTML(
                    "<style>.lstm-projector .widget-label, .lstm-projector .widget-readout,"
                    " .lstm-projector select, .lstm-projector button, .lstm-projector p"
                    " {font-size: 150% !important;}</style>"
                )
            )
        children.extend(self._extra_controls())
        for heading, names in self._control_groups():
            children.append(widgets.HTML(f"<b>{_html_escape(heading)}</b>"))
            children.extend(self.controls[name] for name in names)
        children.append(self.reset_button)
        controls_box = widgets.VBox(
            children, layout=widgets.Layout(flex="0 0 auto", width="380px", margin="0 1em 0 0")
        )
        # The figure keeps (nearly) its own pixel width: if there is no room for it beside the
        # controls, the row wraps and the figure goes below them instead of shrinking.
        width = int(self.figure.canvas.get_width_height()[0])
        figure_box = widgets.VBox(
            [self.image, self.summary],
            layout=widgets.Layout(
                flex=f"1 1 {width}px",
                min_width=f"min(100%, {int(0.85 * width)}px)",
                max_width=f"{width}px",
            ),
        )
        container = widgets.HBox(
            [controls_box, figure_box],
            layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start", width="100%"),
        )
        container.add_class("lstm-explorer")
        if self.size == "projector":
            container.add_class("lstm-projector")
        return container

    def close(self) -> None:
        """Close every widget of the explorer (controls, boxes, layouts, styles).

        Used after a static scrubber has been made: the widgets are no longer needed, and closed
        widgets leave no state behind in a saved notebook.
        """
        seen: set[int] = set()

        def close_tree(widget: Any) -> None:
            if not isinstance(widget, widgets.Widget) or id(widget) in seen:
                return
            seen.add(id(widget))
            for child in getattr(widget, "children", ()):
                close_tree(child)
            for part in ("layout", "style"):
                close_tree(getattr(widget, part, None))
            widget.close()

        close_tree(self.widget)
        for control in self.controls.values():
            close_tree(control)

    # -- display -----------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        settings = ", ".join(f"{name}={value!r}" for name, value in self.values().items())
        return f"{type(self).__name__}({settings})"


def check_control_value(name: str, control: widgets.Widget, value: Any) -> None:
    """Raise a clear error if ``value`` does not fit ``control`` (range or menu options).

    Parameters
    ----------
    name : str
        The control's name (used in the message).
    control : ipywidgets slider or Dropdown
        The control.
    value : object
        The proposed value.

    Raises
    ------
    TypeError
        If a slider gets something that is not a real number.
    ValueError
        If a slider value lies outside ``[min, max]`` or a menu value is not an option.
    """
    if isinstance(control, widgets.Dropdown):
        allowed = [option[1] if isinstance(option, tuple) else option for option in control.options]
        if value not in allowed:
            raise ValueError(f"{name} must be one of {allowed}; got {value!r}")
        return
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number; got {value!r} ({type(value).__name__})")
    if isinstance(control, widgets.IntSlider) and not float(value).is_integer():
        raise ValueError(f"{name} must be a whole number from {control.min} to {control.max}; got {value!r}")
    if not control.min <= value <= control.max:
        raise ValueError(f"{name} must be from {control.min} to {control.max}; got {value!r}")


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fmt(value: float) -> str:
    return f"{value:.2f}".replace("-", "−")


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


# ==============================================================================================
# Chapter 1: how long does a pulse survive?
# ==============================================================================================


class MemoryExplorer(Explorer):
    """A pulse at the first step, then silence: a plain RNN and an LSTM (one unit each).

    The plain RNN computes ``h_t = tanh(w h_{t-1} + 1.0 x_t)`` (``W = [[w, 1]]``, ``b = [0]``).
    The LSTM writes the pulse into its cell state (input gate ``σ(10 x_t − 5)``, candidate
    ``tanh(x_t)``) and then keeps ``f = σ(b_f)`` of it at every silent step (``W_f = 0``), with
    output gate ``σ(2)``. Controls: ``rnn_weight`` (w), ``forget_bias`` (b_f), ``steps`` (T).
    """

    name = "memory"
    static_parameter = "forget_bias"
    static_label = "LSTM forget-gate bias"
    static_caption = (
        "Moving the slider changes the LSTM's forget-gate bias b_f: the larger it is, the closer "
        "the forget gate stays to 1 and the longer the cell state keeps the pulse. The plain RNN "
        "(recurrent weight 0.90) is the same in every frame."
    )
    PULSE = 1.0
    RNN_INPUT_WEIGHT = 1.0
    LSTM_PARAMETERS: ClassVar[dict[str, list]] = {
        "W_f": [[0.0, 0.0]],
        "W_i": [[0.0, 10.0]],
        "b_i": [-5.0],
        "W_c": [[0.0, 1.0]],
        "b_c": [0.0],
        "W_o": [[0.0, 0.0]],
        "b_o": [2.0],
    }

    def _make_controls(self) -> dict[str, widgets.Widget]:
        return {
            "rnn_weight": _slider(
                "RNN weight w", 0.9, 0.0, 1.0, 0.01, "Plain RNN: weight of h_{t-1} in h_t"
            ),
            "forget_bias": _slider(
                "LSTM forget bias b_f", 4.0, -2.0, 8.0, 0.1, "LSTM: bias of the forget gate"
            ),
            "steps": _int_slider("length T", 40, 5, 100, "Number of time steps"),
        }

    def _control_groups(self) -> list[tuple[str, list[str]]]:
        return [("Plain RNN", ["rnn_weight"]), ("LSTM", ["forget_bias"]), ("Sequence", ["steps"])]

    def build_cells(self) -> tuple[RNNCell, LSTMCell]:
        """The two cells for the current slider values."""
        rnn = RNNCell.from_arrays(
            W=[[self.controls["rnn_weight"].value, self.RNN_INPUT_WEIGHT]], b=[0.0]
        )
        lstm = LSTMCell.from_arrays(
            b_f=[self.controls["forget_bias"].value], **self.LSTM_PARAMETERS
        )
        return rnn, lstm

    def inputs(self) -> np.ndarray:
        """The input sequence, shape (T, 1): the pulse then zeros."""
        xs = np.zeros((self.controls["steps"].value, 1))
        xs[0, 0] = self.PULSE
        return xs

    def _build_figure(self) -> None:
        figure = self.figure
        rnn_ax = figure.add_axes((0.09, 0.22, 0.40, 0.66))
        lstm_ax = figure.add_axes((0.58, 0.22, 0.40, 0.66), sharey=rnn_ax)
        self._compute()
        self.artists = plot_memory_comparison(
            [rnn_ax, lstm_ax],
            self.rnn_trace.h[:, 0],
            self.lstm_trace.c[:, 0],
            self.lstm_trace.h[:, 0],
        )
        figure.suptitle("How long does a pulse at $t = 1$ survive?", fontweight="bold")

    def _dynamic_artists(self) -> list[Artist]:
        return self.artists.dynamic_artists()

    def _compute(self) -> None:
        rnn, lstm = self.build_cells()
        xs = self.inputs()
        self.rnn_trace = rnn.run(xs)
        self.lstm_trace = lstm.run(xs)

    def _redraw(self) -> None:
        self.artists.update(
            self.rnn_trace.h[:, 0], self.lstm_trace.c[:, 0], self.lstm_trace.h[:, 0]
        )

    def describe(self) -> str:
        steps = self.controls["steps"].value
        rnn_h = self.rnn_trace.h[:, 0]
        lstm_c = self.lstm_trace.c[:, 0]
        return (
            f"Line plots over {steps} time steps after a pulse of 1 at t = 1. Left, plain RNN with "
            f"recurrent weight w = {_fmt(self.controls['rnn_weight'].value)}: h_t starts at "
            f"{_fmt(rnn_h[0])} and is {rnn_h[-1]:.4f} at t = {steps}, keeping "
            f"{memory_kept(rnn_h):.1%} of the pulse. Right, LSTM with forget bias b_f = "
            f"{_fmt(self.controls['forget_bias'].value)} (forget gate "
            f"{self.lstm_trace.f[-1, 0]:.3f}): c_t starts at {_fmt(lstm_c[0])} and is "
            f"{lstm_c[-1]:.4f} at t = {steps}, keeping {memory_kept(lstm_c):.1%}."
        )


# ==============================================================================================
# Chapter 2: the cell diagram with live numbers
# ==============================================================================================


class DiagramExplorer(Explorer):
    """The cell diagram (:class:`lstm.diagram.CellDiagram`) with the numbers of one step.

    One input, one unit, gate parameters :data:`DEFAULT_GATE_PARAMETERS`. Controls: ``x``
    (x_t), ``h_prev`` (h_{t-1}), ``c_prev`` (c_{t-1}) and ``highlight`` (a part of the cell).
    """

    name = "diagram"
    static_parameter = "x"
    static_caption = (
        "Moving the slider changes the input x_t (h_{t-1} = 0.00, c_{t-1} = 0.50); the numbers "
        "on the diagram's wires are the ones the cell computes for that input."
    )
    figsize: ClassVar[dict[str, tuple[float, float]]] = {
        "laptop": (9.0, 5.6),
        "projector": (12.0, 7.5),
    }

    def _make_controls(self) -> dict[str, widgets.Widget]:
        from lstm.diagram import PARTS

        options = [("nothing", None)] + [(self._part_label(part), part) for part in PARTS]
        return {
            "x": _slider("x_t", 1.0, -3.0, 3.0, 0.05, "The input at this step"),
            "h_prev": _slider("h_{t-1}", 0.0, -1.0, 1.0, 0.05, "The previous hidden state"),
            "c_prev": _slider("c_{t-1}", 0.5, -3.0, 3.0, 0.05, "The previous cell state"),
            "highlight": _dropdown("highlight", options, None, "Part of the cell to light up"),
        }

    @staticmethod
    def _part_label(part: str) -> str:
        return {"update": "cell-state update", "candidate": "candidate"}.get(part, f"{part} gate")

    def _control_groups(self) -> list[tuple[str, list[str]]]:
        return [("Inputs of the step", ["x", "h_prev", "c_prev"]), ("Diagram", ["highlight"])]

    def _build_figure(self) -> None:
        from lstm.diagram import CellDiagram

        ax = self.figure.add_axes((0.0, 0.07, 1.0, 0.93))
        self.diagram = CellDiagram(ax, highlight=None, size=self.size)
        self.parameter_text = self.figure.text(
            0.5,
            0.015,
            r"Weights on $[h_{t-1}, x_t]$ and bias: "
            + "; ".join(
                f"{gate} ({w_h:g}, {w_x:g}), {bias:g}"
                for gate, (w_h, w_x, bias) in DEFAULT_GATE_PARAMETERS.items()
            ),
            ha="center",
            va="bottom",
            fontsize="small",
            color="0.3",
        )

    def _dynamic_artists(self) -> list[Artist]:
        return [*self.diagram.value_texts.values(), self.diagram.note]

    def _layout_key(self) -> tuple:
        return (*super()._layout_key(), self.controls["highlight"].value)

    def build_cell(self) -> LSTMCell:
        """The one-unit cell of the diagram."""
        return lstm_cell_from_gate_parameters(DEFAULT_GATE_PARAMETERS)

    def _compute(self) -> None:
        self.step = self.build_cell().step(
            [self.controls["x"].value],
            h_prev=[self.controls["h_prev"].value],
            c_prev=[self.controls["c_prev"].value],
        )

    def _redraw(self) -> None:
        self.diagram.show_values(self.step)
        self.diagram.set_highlight(self.controls["highlight"].value)

    def describe(self) -> str:
        step = self.step
        return (
            f"{self.diagram.describe()} Values for x_t = {_fmt(step.x[0])}, h_(t-1) = "
            f"{_fmt(step.h_prev[0])}, c_(t-1) = {_fmt(step.c_prev[0])}: f_t = {step.f[0]:.3f}, "
            f"i_t = {step.i[0]:.3f}, candidate = {step.c_tilde[0]:.3f}, c_t = {step.c[0]:.3f}, "
            f"o_t = {step.o[0]:.3f}, h_t = {step.h[0]:.3f}."
        )


# ==============================================================================================
# Chapters 3-5: one gate, one step
# ==============================================================================================


class StepExplorer(Explorer):
    """One step of a one-unit cell, focused on one gate's weights and bias.

    Controls: ``x`` (x_t), ``h_prev`` (h_{t-1}), ``c_prev`` (c_{t-1}), ``weight_h`` (the gate's
    weight on h_{t-1}), ``weight_x`` (its weight on x_t), ``bias``. The other gates keep
    :data:`DEFAULT_GATE_PARAMETERS` (written under the figure).
    """

    name = "step"
    static_parameter = "bias"
    figsize: ClassVar[dict[str, tuple[float, float]]] = {
        "laptop": (10.0, 5.6),
        "projector": (13.0, 7.3),
    }

    def __init__(self, gate: str, size: str = "laptop") -> None:
        self.gate = check_gate(gate)
        self.letter = GATE_SUBSCRIPTS[gate]
        self.name = f"step-{gate}"
        super().__init__(size)

    @property
    def static_caption(self) -> str:  # type: ignore[override]
        return (
            f"Moving the slider changes the bias b_{self.letter} of the {self.gate_label}: the "
            "point slides along the activation curve and the bars show how c_{t-1} becomes c_t "
            "and h_t (x_t = 1.00, h_{t-1} = 0.50, c_{t-1} = 1.00)."
        )

    @property
    def static_label(self) -> str:  # type: ignore[override]
        """Readable name of the scrubbed bias, e.g. ``"forget-gate bias"``."""
        return f"{self.gate_label.replace(' gate', '-gate')} bias"

    @property
    def gate_label(self) -> str:
        return "candidate" if self.gate == "candidate" else f"{self.gate} gate"

    def _make_controls(self) -> dict[str, widgets.Widget]:
        weight_h, weight_x, bias = DEFAULT_GATE_PARAMETERS[self.gate]
        letter = self.letter
        return {
            "x": _slider("x_t", 1.0, -3.0, 3.0, 0.05, "The input at this step"),
            "h_prev": _slider("h_{t-1}", 0.5, -1.0, 1.0, 0.05, "The previous hidden state"),
            "c_prev": _slider("c_{t-1}", 1.0, -3.0, 3.0, 0.05, "The previous cell state"),
            "weight_h": _slider(
                f"W_{letter} on h_{{t-1}}", weight_h, -6.0, 6.0, 0.1,
                f"Weight of h_(t-1) in the {self.gate_label}",
            ),
            "weight_x": _slider(
                f"W_{letter} on x_t", weight_x, -6.0, 6.0, 0.1,
                f"Weight of x_t in the {self.gate_label}",
            ),
            "bias": _slider(
                f"b_{letter}", bias, -6.0, 6.0, 0.1, f"Bias of the {self.gate_label}"
            ),
        }

    def _control_groups(self) -> list[tuple[str, list[str]]]:
        return [
            ("Inputs of the step", ["x", "h_prev", "c_prev"]),
            (f"Parameters of the {self.gate_label}", ["weight_h", "weight_x", "bias"]),
        ]

    def gate_parameters(self) -> dict[str, tuple[float, float, float]]:
        """``(weight on h_{t-1}, weight on x_t, bias)`` of every gate for the current sliders."""
        parameters = dict(DEFAULT_GATE_PARAMETERS)
        parameters[self.gate] = (
            self.controls["weight_h"].value,
            self.controls["weight_x"].value,
            self.controls["bias"].value,
        )
        return parameters

    def build_cell(self) -> LSTMCell:
        """The one-unit cell for the current slider values."""
        return lstm_cell_from_gate_parameters(self.gate_parameters())

    def _compute(self) -> None:
        self.step = self.build_cell().step(
            [self.controls["x"].value],
            h_prev=[self.controls["h_prev"].value],
            c_prev=[self.controls["c_prev"].value],
        )

    def _build_figure(self) -> None:
        figure = self.figure
        curve_ax = figure.add_axes((0.08, 0.53, 0.36, 0.38))
        values_ax = figure.add_axes((0.17, 0.15, 0.27, 0.22))
        step_ax = figure.add_axes((0.53, 0.14, 0.45, 0.77))
        self._compute()
        self.curve = plot_gate_curve(
            curve_ax, GATE_ACTIVATIONS[self.gate], gate=self.gate, z_limits=(-8.0, 8.0)
        )
        self.gate_values = plot_gate_values(values_ax, self.step)
        self.cell_step = plot_cell_step(step_ax, self.step, value_limits=(-4.5, 4.5))
        others = "; ".join(
            f"{gate}: W = ({w_h:g}, {w_x:g}), b = {bias:g}"
            for gate, (w_h, w_x, bias) in DEFAULT_GATE_PARAMETERS.items()
            if gate != self.gate
        )
        self.fixed_text = figure.text(
            0.5, 0.01, f"Other gates fixed — {others}", ha="center", va="bottom",
            fontsize="small", color="0.3",
        )
        self._redraw()

    def _dynamic_artists(self) -> list[Artist]:
        return [
            *self.curve.dynamic_artists(),
            *self.gate_values.dynamic_artists(),
            *self.cell_step.dynamic_artists(),
        ]

    def _redraw(self) -> None:
        letter = self.letter
        z = float(getattr(self.step, f"z_{letter}")[0])
        value = float(getattr(self.step, GATE_ATTRIBUTES[self.gate])[0])
        self.curve.update(z, value)
        self.gate_values.update(self.step)
        self.cell_step.update(self.step)

    def describe(self) -> str:
        step = self.step
        letter = self.letter
        gate_value = float(getattr(step, GATE_ATTRIBUTES[self.gate])[0])
        kept, added = cell_step_values(step)[1:3]
        return (
            f"{self.gate_label.capitalize()} with W_{letter} = "
            f"({_fmt(self.controls['weight_h'].value)}, {_fmt(self.controls['weight_x'].value)}) "
            f"and b_{letter} = {_fmt(self.controls['bias'].value)}, for x_t = {_fmt(step.x[0])}, "
            f"h_(t-1) = {_fmt(step.h_prev[0])}, c_(t-1) = {_fmt(step.c_prev[0])}: "
            f"z_{letter} = {float(getattr(step, f'z_{letter}')[0]):.3f}, value "
            f"{gate_value:.3f}. Gates f = {step.f[0]:.3f}, i = {step.i[0]:.3f}, candidate = "
            f"{step.c_tilde[0]:.3f}, o = {step.o[0]:.3f}. The cell keeps {kept:.3f}, adds "
            f"{added:.3f}, so c_t = {step.c[0]:.3f}, tanh(c_t) = {step.tanh_c[0]:.3f} and "
            f"h_t = {step.h[0]:.3f}."
        )


# ==============================================================================================
# Chapter 6: the cell over a sequence
# ==============================================================================================

#: Input presets of the sequence explorer.
INPUT_PRESETS: tuple[str, ...] = ("step", "pulse", "sine", "noise")

#: Teacher scenarios of the sequence explorer: a description and the value of every control.
SCENARIOS: dict[str, dict[str, Any]] = {}


def _scenario(description: str, **values: Any) -> dict[str, Any]:
    return {"description": description, "values": values}


_SEQUENCE_DEFAULTS: dict[str, Any] = {
    "preset": "pulse",
    "amplitude": 1.0,
    "onset": 5,
    "period": 12,
    "noise": 0.0,
    "c0": 0.0,
    "recurrent_scale": 0.5,
    "forget_bias": 2.0,
    "forget_scale": 0.0,
    "input_bias": -3.0,
    "input_scale": 6.0,
    "candidate_bias": 0.0,
    "candidate_scale": 2.0,
    "output_bias": 1.0,
    "output_scale": 0.0,
}

SCENARIOS.update(
    {
        "remember forever": _scenario(
            "A pulse at t = 5 opens the input gate (input weight 16, bias -8); the forget gate "
            "stays at 1 (bias 8). The cell state keeps the pulse to the end of the sequence.",
            **{
                **_SEQUENCE_DEFAULTS,
                "preset": "pulse", "onset": 5, "recurrent_scale": 0.0,
                "forget_bias": 8.0, "forget_scale": 0.0,
                "input_bias": -8.0, "input_scale": 16.0,
                "candidate_bias": 0.0, "candidate_scale": 2.0,
                "output_bias": 2.0, "output_scale": 0.0,
            },
        ),
        "overwrite at every step": _scenario(
            "The forget gate is shut (bias -8) and the input gate wide open (bias 8): the cell "
            "state is just tanh(2 x_t), a copy of the current input with no memory.",
            **{
                **_SEQUENCE_DEFAULTS,
                "preset": "sine", "period": 12, "recurrent_scale": 0.0,
                "forget_bias": -8.0, "forget_scale": 0.0,
                "input_bias": 8.0, "input_scale": 0.0,
                "candidate_bias": 0.0, "candidate_scale": 2.0,
                "output_bias": 2.0, "output_scale": 0.0,
            },
        ),
        "forget on a signal": _scenario(
            "The cell starts with c_0 = 1 and keeps it (forget bias 6) until the input steps up "
            "to 1 at t = 20: the forget weight -12 then drives f_t to 0 and the memory is wiped.",
            **{
                **_SEQUENCE_DEFAULTS,
                "preset": "step", "onset": 20, "c0": 1.0, "recurrent_scale": 0.0,
                "forget_bias": 6.0, "forget_scale": -12.0,
                "input_bias": -8.0, "input_scale": 0.0,
                "candidate_bias": 0.0, "candidate_scale": 0.0,
                "output_bias": 2.0, "output_scale": 0.0,
            },
        ),
        "leaky memory": _scenario(
            "The pulse is written in as in 'remember forever', but the forget bias is 1: each "
            "step keeps only 50-90 % of the cell state, so the memory fades within a few steps.",
            **{
                **_SEQUENCE_DEFAULTS,
                "preset": "pulse", "onset": 5, "recurrent_scale": 0.0,
                "forget_bias": 1.0, "forget_scale": 0.0,
                "input_bias": -6.0, "input_scale": 12.0,
                "candidate_bias": 0.0, "candidate_scale": 2.0,
                "output_bias": 2.0, "output_scale": 0.0,
            },
        ),
        "add up the input": _scenario(
            "The forget gate stays at 1 and the input gate half open, so from t = 5 the cell "
            "state grows by about the same amount at every step: it counts how long the input "
            "has been on.",
            **{
                **_SEQUENCE_DEFAULTS,
                "preset": "step", "onset": 5, "amplitude": 0.2, "recurrent_scale": 0.0,
                "forget_bias": 8.0, "forget_scale": 0.0,
                "input_bias": 0.0, "input_scale": 0.0,
                "candidate_bias": 0.0, "candidate_scale": 1.0,
                "output_bias": 2.0, "output_scale": 0.0,
            },
        ),
    }
)


class SequenceExplorer(Explorer):
    """A three-unit cell run over a 40-step input sequence (chapter 6).

    The cell has one input and :attr:`HIDDEN_SIZE` units. For each gate the controls set a bias
    and an input scale (the gate's weight on ``x_t``); all units share them, except that the
    biases of the three sigmoid gates get the fixed per-unit offsets :attr:`UNIT_BIAS_OFFSETS`
    (so the three units show three versions of the same setting, e.g. three memory lengths).
    The weights on ``h_{t-1}`` are a fixed seeded matrix (from ``LSTMCell(1, 3, seed=6)``) times
    ``recurrent_scale``. The cell starts from ``h_0 = 0`` and ``c_0 = c0`` in every unit.

    Inputs ``x_t`` for ``t = 1..T``: "step" (``amplitude`` from ``onset`` on), "pulse"
    (``amplitude`` at ``onset`` only), "sine" (``amplitude · sin(2π (t − 1) / period)``),
    "noise" (``amplitude`` times a fixed seeded standard normal sequence), plus ``noise`` times
    another fixed seeded standard normal sequence, added to any preset.
    """

    name = "sequence"
    static_parameter = "forget_bias"
    STEPS = 40
    HIDDEN_SIZE = 3
    UNIT_BIAS_OFFSETS = np.array([-1.0, 0.0, 1.0])
    RECURRENT_SEED = 6
    figsize: ClassVar[dict[str, tuple[float, float]]] = {
        "laptop": (10.0, 6.6),
        "projector": (13.0, 8.6),
    }

    def __init__(self, scenario: str | None = None, size: str = "laptop") -> None:
        if scenario is not None and scenario not in SCENARIOS:
            raise ValueError(f"scenario must be None or one of {list(SCENARIOS)}; got {scenario!r}")
        self.initial_scenario = scenario
        noise_generator = np.random.default_rng(0)
        self._preset_noise = noise_generator.standard_normal(self.STEPS)
        self._added_noise = np.random.default_rng(1).standard_normal(self.STEPS)
        recurrent_cell = LSTMCell(1, self.HIDDEN_SIZE, seed=self.RECURRENT_SEED)
        self._recurrent = {
            gate: recurrent_cell.gate_parameters(gate)[0][:, : self.HIDDEN_SIZE].copy()
            for gate in GATES
        }
        super().__init__(size)
        if scenario is not None:
            self.apply_scenario(scenario)

    @property
    def static_caption(self) -> str:  # type: ignore[override]
        return (
            "Moving the slider changes the forget-gate bias b_f shared by the three units "
            "(unit 1 gets b_f − 1, unit 3 gets b_f + 1): the forget-gate heat map brightens and "
            f"the cell state c_t holds the input for longer. Other settings: "
            f"{self.settings_summary(exclude=('forget_bias',))}."
        )

    def settings_summary(self, exclude: tuple[str, ...] = ()) -> str:
        """The current settings in one line of text (for captions and alt text)."""
        values = self.values()
        parts = [
            f"input {values['preset']} (amplitude {values['amplitude']:g}, onset "
            f"{values['onset']}, period {values['period']}, noise {values['noise']:g})",
            f"c_0 = {values['c0']:g}",
            f"weights on h_(t-1) × {values['recurrent_scale']:g}",
        ]
        for gate in GATES:
            letter = GATE_SUBSCRIPTS[gate]
            if f"{gate}_bias" not in exclude:
                parts.append(f"b_{letter} = {values[gate + '_bias']:g}")
            if f"{gate}_scale" not in exclude:
                parts.append(f"W_{letter} on x_t = {values[gate + '_scale']:g}")
        return "; ".join(parts)

    def _make_controls(self) -> dict[str, widgets.Widget]:
        d = _SEQUENCE_DEFAULTS
        controls: dict[str, widgets.Widget] = {
            "preset": _dropdown("input", list(INPUT_PRESETS), d["preset"], "Shape of x_t"),
            "amplitude": _slider("amplitude", d["amplitude"], -2.0, 2.0, 0.05, "Size of x_t"),
            "onset": _int_slider("onset", d["onset"], 1, self.STEPS, "Step of the step/pulse"),
            "period": _int_slider("period", d["period"], 2, self.STEPS, "Period of the sine"),
            "noise": _slider("noise level", d["noise"], 0.0, 1.0, 0.05, "Added noise (fixed seed)"),
            "c0": _slider("c_0", d["c0"], -2.0, 2.0, 0.05, "Cell state before t = 1"),
            "recurrent_scale": _slider(
                "weights on h_{t-1} ×", d["recurrent_scale"], 0.0, 2.0, 0.05,
                "Scale of the fixed weights on h_(t-1)",
            ),
        }
        for gate in GATES:
            letter = GATE_SUBSCRIPTS[gate]
            controls[f"{gate}_bias"] = _slider(
                f"b_{letter} ({gate})", d[f"{gate}_bias"], -8.0, 8.0, 0.1, f"Bias of the {gate}"
            )
            controls[f"{gate}_scale"] = _slider(
                f"W_{letter} on x_t", d[f"{gate}_scale"], -16.0, 16.0, 0.1,
                f"Weight of x_t in the {gate}",
            )
        return controls

    def _control_groups(self) -> list[tuple[str, list[str]]]:
        return [
            ("Input sequence", ["preset", "amplitude", "onset", "period", "noise"]),
            ("Memory", ["c0", "recurrent_scale"]),
            ("Gates: bias and weight on x_t", [f"{gate}_{kind}" for gate in GATES
                                               for kind in ("bias", "scale")]),
        ]

    def _extra_controls(self) -> list[widgets.Widget]:
        self.scenario_menu = _dropdown(
            "scenario",
            [("(choose a scenario)", None)] + [(name, name) for name in SCENARIOS],
            None,
            "Set every control for a teaching scenario",
        )
        self.scenario_menu.observe(self._on_scenario, names="value")
        self.scenario_text = widgets.HTML(layout=widgets.Layout(width="360px"))
        return [self.scenario_menu, self.scenario_text]

    def _on_scenario(self, change: dict) -> None:
        if change["new"] is not None:
            self.apply_scenario(change["new"])

    def apply_scenario(self, scenario: str) -> None:
        """Set every control to the values of a teacher scenario (one redraw).

        Parameters
        ----------
        scenario : str
            A key of :data:`SCENARIOS`.

        Raises
        ------
        ValueError
            If ``scenario`` is unknown.
        """
        if scenario not in SCENARIOS:
            raise ValueError(f"scenario must be one of {list(SCENARIOS)}; got {scenario!r}")
        self.set_values(**SCENARIOS[scenario]["values"])
        self.scenario_text.value = f"<i>{_html_escape(SCENARIOS[scenario]['description'])}</i>"
        if self.scenario_menu.value != scenario:
            self.scenario_menu.value = scenario

    def reset(self) -> None:
        """Restore the default controls and clear the scenario menu."""
        self.scenario_menu.value = None
        self.scenario_text.value = ""
        super().reset()

    # -- the numbers -------------------------------------------------------------------------
    def inputs(self) -> np.ndarray:
        """The input sequence for the current controls, shape (T, 1)."""
        preset = self.controls["preset"].value
        if preset not in INPUT_PRESETS:
            raise ValueError(f"preset must be one of {list(INPUT_PRESETS)}; got {preset!r}")
        amplitude = self.controls["amplitude"].value
        onset = self.controls["onset"].value
        steps = np.arange(1, self.STEPS + 1)
        if preset == "step":
            shape = np.where(steps >= onset, amplitude, 0.0)
        elif preset == "pulse":
            shape = np.where(steps == onset, amplitude, 0.0)
        elif preset == "sine":
            shape = amplitude * np.sin(2.0 * np.pi * (steps - 1) / self.controls["period"].value)
        else:
            shape = amplitude * self._preset_noise
        xs = shape + self.controls["noise"].value * self._added_noise
        return xs[:, None]

    def build_cell(self) -> LSTMCell:
        """The three-unit cell for the current controls."""
        arrays: dict[str, np.ndarray] = {}
        recurrent_scale = self.controls["recurrent_scale"].value
        for gate in GATES:
            letter = GATE_SUBSCRIPTS[gate]
            input_column = np.full((self.HIDDEN_SIZE, 1), self.controls[f"{gate}_scale"].value)
            arrays[f"W_{letter}"] = np.hstack([recurrent_scale * self._recurrent[gate], input_column])
            bias = np.full(self.HIDDEN_SIZE, self.controls[f"{gate}_bias"].value)
            if gate != "candidate":
                bias = bias + self.UNIT_BIAS_OFFSETS
            arrays[f"b_{letter}"] = bias
        return LSTMCell.from_arrays(**arrays)

    def _compute(self) -> None:
        self.xs = self.inputs()
        c0 = np.full(self.HIDDEN_SIZE, self.controls["c0"].value)
        self.trace = self.build_cell().run(self.xs, c0=c0)

    # -- the figure --------------------------------------------------------------------------
    def _build_figure(self) -> None:
        figure = self.figure
        left, width = 0.08, 0.36
        input_ax = figure.add_axes((left, 0.73, width, 0.15))
        cell_ax = figure.add_axes((left, 0.42, width, 0.22), sharex=input_ax)
        hidden_ax = figure.add_axes((left, 0.09, width, 0.22), sharex=input_ax)
        heat_left, heat_width = 0.55, 0.38
        heat_axes = [
            figure.add_axes((heat_left, 0.74 - index * 0.215, heat_width, 0.15), sharex=input_ax)
            for index in range(4)
        ]
        self._compute()
        unit_colours = [GATE_COLOURS["input"], GATE_COLOURS["forget"], GATE_COLOURS["candidate"]]
        self.input_lines = plot_over_time(
            input_ax, self.xs, symbol="$x_t$", title="Input $x_t$", value_limits=(-3.2, 3.2),
            colours=[GATE_COLOURS["hidden"]], labels=["$x_t$"], marker=".",
        )
        input_ax.get_legend().remove()
        input_ax.set_xlabel("")
        self.cell_lines = plot_over_time(
            cell_ax, self.trace.c, symbol="$c_t$", title="Cell state $c_t$",
            colours=unit_colours,
        )
        # one legend for both line plots, at a fixed place above them (a "best" legend would
        # move with the data, and the cached background would not follow it)
        cell_ax.get_legend().remove()
        figure.legend(
            handles=self.cell_lines.lines, loc="upper left", bbox_to_anchor=(0.005, 0.995),
            ncols=3, fontsize="small",
        )
        cell_ax.set_xlabel("")
        self.hidden_lines = plot_over_time(
            hidden_ax, self.trace.h, symbol="$h_t$", title="Hidden state $h_t$",
            value_limits=(-1.05, 1.05), colours=unit_colours,
        )
        hidden_ax.get_legend().remove()
        self.heatmaps = plot_gate_heatmaps(heat_axes, self.trace)
        for ax in heat_axes[:-1]:
            ax.tick_params(labelbottom=False)
        for ax in (input_ax, cell_ax):
            ax.tick_params(labelbottom=False)
        self._redraw()

    def _dynamic_artists(self) -> list[Artist]:
        return [
            *self.input_lines.dynamic_artists(),
            *self.cell_lines.dynamic_artists(),
            *self.hidden_lines.dynamic_artists(),
            *self.heatmaps.dynamic_artists(),
        ]

    def _cell_limits(self) -> tuple[float, float]:
        largest = float(np.max(np.abs(self.trace.c)))
        top = max(1.1, 1.15 * largest)
        # round up to a "nice" value so the axis does not jitter on every slider move
        nice = float(np.ceil(top * 2.0) / 2.0)
        return (-nice, nice)

    def _redraw(self) -> None:
        self.input_lines.update(self.xs)
        self.cell_lines.update(self.trace.c)
        limits = self._cell_limits()
        if self.cell_lines.ax.get_ylim() != limits:  # re-range (full redraw) only when needed
            self.cell_lines.ax.set_ylim(*limits)
        self.hidden_lines.update(self.trace.h)
        self.heatmaps.update(self.trace)

    def describe(self) -> str:
        values = self.values()
        trace = self.trace
        means = ", ".join(
            f"{gate} {np.mean(getattr(trace, GATE_ATTRIBUTES[gate])):.2f}" for gate in GATES
        )
        final_c = ", ".join(f"{value:.3f}" for value in trace.c[-1])
        final_h = ", ".join(f"{value:.3f}" for value in trace.h[-1])
        return (
            f"Run of a {self.HIDDEN_SIZE}-unit LSTM over {self.STEPS} steps of a "
            f"{values['preset']} input (amplitude {values['amplitude']:g}) with forget bias "
            f"{values['forget_bias']:g}, input bias {values['input_bias']:g}, candidate bias "
            f"{values['candidate_bias']:g}, output bias {values['output_bias']:g}. Left: the input, "
            f"the cell state c_t and the hidden state h_t of each unit over time; right: heat maps "
            f"of the gates over time and units (mean values: {means}). At t = {self.STEPS} the "
            f"cell states are {final_c} and the hidden states {final_h}."
        )


# ==============================================================================================
# The one-call functions used by the chapters
# ==============================================================================================


def _live_or_static(explorer_factory: Callable[[], Explorer]) -> Any:
    from lstm.static import scrubber, static_mode

    explorer = explorer_factory()
    if static_mode():
        static = scrubber(explorer)
        explorer.close()
        return static
    return explorer


def memory_explorer(size: str = "laptop") -> Any:
    """Chapter 1: how long a plain RNN and an LSTM remember a pulse.

    Parameters
    ----------
    size : {"laptop", "projector"}
        Figure and font size (projector: bigger, for a classroom).

    Returns
    -------
    MemoryExplorer or lstm.static.StaticExplorer
        Live ipywidgets explorer, or the HTML scrubber if ``LSTM_BOOK_STATIC=1``.

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    """
    check_size(size)
    return _live_or_static(lambda: MemoryExplorer(size))


def diagram_explorer(size: str = "laptop") -> Any:
    """Chapter 2: the cell diagram with the numbers of one step written on its wires.

    Parameters
    ----------
    size : {"laptop", "projector"}
        Figure and font size.

    Returns
    -------
    DiagramExplorer or lstm.static.StaticExplorer
        Live explorer, or the HTML scrubber (over ``x_t``) if ``LSTM_BOOK_STATIC=1``.

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    """
    check_size(size)
    return _live_or_static(lambda: DiagramExplorer(size))


def step_explorer(gate: str, size: str = "laptop") -> Any:
    """Chapters 3-5: one gate's weights and bias, one step, one unit.

    Parameters
    ----------
    gate : {"forget", "input", "candidate", "output"}
        The gate whose weights and bias get sliders.
    size : {"laptop", "projector"}
        Figure and font size.

    Returns
    -------
    StepExplorer or lstm.static.StaticExplorer
        Live explorer, or the HTML scrubber (over the gate's bias) if ``LSTM_BOOK_STATIC=1``.

    Raises
    ------
    ValueError
        If ``gate`` or ``size`` is unknown.
    """
    check_gate(gate)
    check_size(size)
    return _live_or_static(lambda: StepExplorer(gate, size))


def sequence_explorer(scenario: str | None = None, size: str = "laptop") -> Any:
    """Chapter 6: a three-unit cell over a whole input sequence.

    Parameters
    ----------
    scenario : str, optional
        Start from one of :data:`SCENARIOS` (default: the default settings).
    size : {"laptop", "projector"}
        Figure and font size.

    Returns
    -------
    SequenceExplorer or lstm.static.StaticExplorer
        Live explorer, or the HTML scrubber (over the forget bias) if ``LSTM_BOOK_STATIC=1``.

    Raises
    ------
    ValueError
        If ``scenario`` or ``size`` is unknown.
    """
    if scenario is not None and scenario not in SCENARIOS:
        raise ValueError(f"scenario must be None or one of {list(SCENARIOS)}; got {scenario!r}")
    check_size(size)
    return _live_or_static(lambda: SequenceExplorer(scenario, size))
