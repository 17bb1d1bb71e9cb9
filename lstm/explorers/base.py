"""The base class of every explorer: one figure, named controls, redraw in place, layout, reset.

A subclass (one per explorer, in its own module) says which controls it has, how it builds its
figure once, how it computes the numbers with :class:`lstm.LSTMCell` / :class:`lstm.RNNCell`, which
artists change and how, and how to describe the figure in words. :class:`Explorer` does the
rest: it draws the unchanging parts once and blits only the changing artists on every control
move, encodes the figure as PNG (:mod:`lstm.explorers.frames`) for the ipywidgets image, lays
out the controls beside the figure, checks values given in code, restores the defaults (Reset)
and closes its widgets once a static scrubber has been made of it (:mod:`lstm.explorers.static`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import ipywidgets as widgets
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from threadpoolctl import ThreadpoolController

from lstm.explorers.controls import check_control_value
from lstm.explorers.frames import png_bytes
from lstm.plots import new_figure
from lstm.style import book_style, check_size

__all__ = ["Explorer", "escape_html", "format_number", "one_blas_thread"]

_THREADPOOLS: list[ThreadpoolController] = []


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block with one BLAS thread (the previous limit is restored afterwards).

    An explorer's numbers are small matrix products, for which more BLAS threads only spin:
    with two threads a move of the gradient-flow explorer took twice the CPU time.
    """
    if not _THREADPOOLS:
        _THREADPOOLS.append(ThreadpoolController())  # inspects the loaded libraries once
    with _THREADPOOLS[0].limit(limits=1, user_api="blas"):
        yield

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
    #: ``x_t`` are written with ``<sub>`` on the page, see :func:`lstm.explorers.static.caption_html`).
    static_caption: ClassVar[str] = ""
    #: Readable name of the scrubbed control in the static form's label, output and
    #: ``aria-valuetext`` (words, no TeX); empty: :data:`lstm.explorers.static.PARAMETER_NAMES`.
    static_label: ClassVar[str] = ""
    #: Figure size (inches) per presentation size, if not the style's default.
    figsize: ClassVar[dict[str, tuple[float, float]] | None] = None
    #: Keep the titles and axis labels where the first drawing put them, instead of placing
    #: them again on every whole-figure draw (a third of its time). Only for explorers whose
    #: axis ranges change without changing the size of the tick labels next to a title or an
    #: axis label (``tests/test_explorers.py`` compares the pictures with fresh explorers').
    fixed_label_positions: ClassVar[bool] = False

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
        self._rerange = self._rerange_axes()
        self._background: Any = None
        self._background_key: Any = None
        #: the figure without the re-ranging axes, and those axes' limits in ``_background``
        self._base: Any = None
        self._rerange_key: Any = None
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
        """Anything besides the dynamic artists and the limits of :meth:`_rerange_axes` that
        changes the picture (axis limits...): if it changes, the whole figure is drawn again."""
        return tuple((ax.get_xlim(), ax.get_ylim()) for ax in self.figure.axes
                     if ax not in self._rerange)

    def _rerange_axes(self) -> list[Axes]:
        """Axes whose limits a control may change, drawn again on their own when they do.

        Each must overlap nothing else of the figure (its ticks, labels and title included):
        the figure is kept drawn without them, and a change of their limits draws them again
        on that picture instead of drawing the whole figure (default: none).
        """
        return []

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
        dynamic artists on top ("blitting" on the Agg canvas). If the limits of one of the
        :meth:`_rerange_axes` changed, only those axes are drawn again, on a kept picture of the
        figure without them; if anything else in :meth:`_layout_key` changed, the whole figure
        is drawn again.
        """
        with one_blas_thread():
            self._compute()
        self._redraw()
        canvas = self.figure.canvas
        key = self._layout_key()
        rerange_key = tuple((ax.get_xlim(), ax.get_ylim()) for ax in self._rerange)
        if self._background is None or key != self._background_key:
            for ax in self._rerange:
                ax.set_visible(False)
            try:
                canvas.draw()  # draws everything except the animated (dynamic) artists
            finally:
                for ax in self._rerange:
                    ax.set_visible(True)
            self._base = canvas.copy_from_bbox(self.figure.bbox) if self._rerange else None
            self._background_key = key
            if self.fixed_label_positions:
                self._fix_label_positions()
            self._draw_rerange_axes()
        elif rerange_key != self._rerange_key:
            canvas.restore_region(self._base)
            self._draw_rerange_axes()
        else:
            canvas.restore_region(self._background)
        for artist in self._dynamic:
            self.figure.draw_artist(artist)

    def _fix_label_positions(self) -> None:
        """Stop matplotlib from placing titles and axis labels again (they stay where they are)."""
        for ax in self.figure.axes:
            if hasattr(ax, "_autotitlepos"):
                ax._autotitlepos = False
            for axis in (ax.xaxis, ax.yaxis):
                if hasattr(axis, "_autolabelpos"):
                    axis._autolabelpos = False

    def _draw_rerange_axes(self) -> None:
        """Draw the re-ranging axes on the canvas and keep the result as the background."""
        for ax in self._rerange:
            self.figure.draw_artist(ax)  # without its animated (dynamic) artists
        self._rerange_key = tuple((ax.get_xlim(), ax.get_ylim()) for ax in self._rerange)
        self._background = self.figure.canvas.copy_from_bbox(self.figure.bbox)

    def publish(self) -> None:
        """Put the drawn figure (PNG) and the text summary into the widgets."""
        self.image.value = png_bytes(self.figure)
        self.summary.value = f"<p aria-live='polite'>{escape_html(self.describe())}</p>"

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
            children.append(widgets.HTML(f"<b>{escape_html(heading)}</b>"))
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



def escape_html(text: str) -> str:
    """``text`` with ``&``, ``<`` and ``>`` escaped, for the widgets' HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def format_number(value: float) -> str:
    """A number with 2 decimals and a true minus sign, for descriptions (``-0.5`` -> ``−0.50``)."""
    return f"{value:.2f}".replace("-", "−")

