"""The static (no kernel) form of the explorers.

How the book shows an explorer
------------------------------
* **Live kernel** (Jupyter, Binder, a student's laptop): each explorer function in
  :mod:`lstm.explorers` returns ipywidgets; every slider move recomputes the cell and redraws.
* **Static page** (``LSTM_BOOK_STATIC=1``, set by the book's page build and by Quarto renders):
  there is no kernel behind the page. :func:`live_or_static` returns the explorer's live web
  widget instead (:func:`lstm.explorers.web_widget.live_widget`): the same controls, read from
  the explorer's ipywidgets, and figures computed in the browser by the JavaScript port in
  ``web/`` (tested equal to :mod:`lstm`), all inline in one ``text/markdown`` output.
* An explorer the browser cannot compute (no entry in
  :data:`lstm.explorers.web_widget.WEB_EXPLORERS`; none of the book's explorers now that
  chapter 10's has its GRU port) would get the older PNG scrubber over its ``static_parameter``
  (:func:`png_scrubber`): for each of a few values we set that control, let the explorer
  recompute and redraw, and keep the PNG; a range input and a few lines of inline JavaScript
  swap the frames.

A reader therefore never sees a control that does nothing. Both forms display as
``text/markdown`` only (raw HTML): Quarto adds require.js and jQuery from a CDN for any
``text/html`` output.

Readable text
-------------
What a reader sees or hears next to the slider is plain text a screen reader can speak: the
``<label>``, the ``<output>`` and the slider's ``aria-valuetext`` use words and real Unicode
subscripts (``"forget-gate bias = 1.50"``, ``"input xₜ = −0.50"``), never TeX such as ``b_f``;
negative numbers get a true minus sign. The ``<figcaption>`` is HTML: TeX-like symbols in a
caption (``x_t``, ``h_{t-1}``, ``b_f``) become ``x<sub>t</sub>``, ``h<sub>t−1</sub>``,
``b<sub>f</sub>`` (:func:`caption_html`). We do not use MathJax delimiters there: Quarto does not
typeset math inside a cell's HTML output (quarto-dev/quarto-cli issue 7176).

Look
----
The scrubber carries its own inline styles, so it looks the same on
Quarto pages and in JupyterLab, with no stylesheet: the picture scales down with the page
(``max-width:100%; height:auto``), the controls sit under it (label, then a slider about 480 px
wide - ``min(100%, 480px)`` - and the value), text is 16 px, and the slider shows a 3 px outline
while it has the keyboard focus (set by the inline script, since an inline style cannot say
``:focus``).

HTML contract (browser tests rely on it)::

    <figure class="lstm-static-explorer" id="ID" style="...">
      <img class="lstm-frame" src="data:image/png;base64,..." alt="..." style="...">
      <div class="lstm-static-controls" style="...">
        <label for="ID-slider" style="...">Forget-gate bias</label>
        <input id="ID-slider" type="range" min="0" max="N-1" step="1" value="K"
               aria-valuetext="forget-gate bias = 4.00" style="...">
        <output for="ID-slider" style="...">forget-gate bias = 4.00</output>
      </div>
      <script type="application/json" class="lstm-frames">{"parameter": "b_f", "values": [...],
        "labels": [...], "alts": [...], "frames": ["data:image/png;base64,...", ...]}</script>
      <script>(inline, vanilla JavaScript)</script>
      <figcaption style="...">...</figcaption>
    </figure>

(The caption is the figure's last child, as HTML requires of a ``<figcaption>``. ``parameter``
in the frame table is the control's symbol, for scripts; ``labels`` are the readable texts.)

Where it sits: this module imports only :mod:`lstm.explorers.frames` (the PNG encoding); it
works on any explorer object (``controls``, ``figure``, ``hold()``, ``describe()``...) without
importing :class:`~lstm.explorers.base.Explorer`. Each explorer module ends its one-call
function with :func:`live_or_static`.
"""

from __future__ import annotations

import base64
import html
import itertools
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm.explorers.frames import data_url, png_bytes

#: Number of frames of a scrubber.
FRAME_COUNT: int = 21

#: Environment variable that switches the explorers to their static form.
STATIC_ENVIRONMENT_VARIABLE: str = "LSTM_BOOK_STATIC"

#: Dots per inch of static frames relative to the figure's own dpi (modest, to keep pages small).
STATIC_DPI_SCALE: float = 1.0

_ids = itertools.count(1)

#: Symbol of each scrubbed parameter (the frame table's ``parameter``, for scripts and tests).
PARAMETER_SYMBOLS: dict[str, str] = {
    "x": "x_t",
    "h_prev": "h_{t-1}",
    "c_prev": "c_{t-1}",
    "forget_bias": "b_f",
    "rnn_weight": "w",
}

#: How each scrubbed parameter is named in the readable labels (``name = value``): words, and
#: Unicode subscripts where Unicode has them (ₜ, ₋, ₁, ₀; there is no subscript f or c).
#: An explorer can give its own name with a ``static_label`` attribute.
PARAMETER_NAMES: dict[str, str] = {
    "x": "input xₜ",
    "h_prev": "previous hidden state hₜ₋₁",
    "c_prev": "previous cell state cₜ₋₁",
    "c0": "initial cell state c₀",
    "forget_bias": "forget-gate bias",
    "input_bias": "input-gate bias",
    "candidate_bias": "candidate bias",
    "output_bias": "output-gate bias",
    "rnn_weight": "RNN recurrent weight w",
    "recurrent_scale": "recurrent weight scale",
    "length": "sequence length T",
    "steps": "length T",
}

#: Inline styles of the scrubber's elements (no stylesheet needed, on any page).
STYLES: dict[str, str] = {
    "figure": "margin:1rem 0;padding:0;max-width:100%",
    "img": "display:block;max-width:100%;height:auto;margin:0 auto",
    "controls": (
        "display:flex;flex-wrap:wrap;align-items:center;gap:0.35rem 1rem;"
        "margin:0.6rem 0 0.4rem;padding:0 0.3rem;font-size:16px;line-height:1.5;color:#1a1a1a"
    ),
    "label": "flex:1 1 100%;font-weight:600",
    "slider": (
        "flex:0 1 480px;width:min(100%, 480px);min-width:10rem;max-width:100%;height:1.75rem;"
        "margin:0;accent-color:#0072b2;cursor:pointer;outline-offset:3px"
    ),
    "output": "font-variant-numeric:tabular-nums;min-width:12ch",
    "figcaption": "font-size:15px;line-height:1.5;color:#333;margin:0.25rem 0 0",
}

#: Outline the inline script draws round the slider while it has the keyboard focus.
FOCUS_OUTLINE: str = "3px solid #0072b2"


def static_mode() -> bool:
    """True if explorers should be static HTML scrubbers (``LSTM_BOOK_STATIC=1``)."""
    return os.environ.get(STATIC_ENVIRONMENT_VARIABLE) == "1"


def parameter_symbol(explorer: Any, parameter: str) -> str:
    """The symbol of ``parameter`` in the frame table, e.g. ``"b_f"`` or ``"x_t"``."""
    if parameter == "bias" and hasattr(explorer, "letter"):
        return f"b_{explorer.letter}"
    return PARAMETER_SYMBOLS.get(parameter, parameter)


def parameter_name(explorer: Any, parameter: str) -> str:
    """Readable name of ``parameter`` for labels, e.g. ``"forget-gate bias"`` or ``"input xₜ"``.

    Parameters
    ----------
    explorer : lstm.explorers.Explorer
        The explorer; its ``static_label`` (if set, and ``parameter`` is its
        ``static_parameter``) wins.
    parameter : str
        Control name.

    Returns
    -------
    str
        Words (and Unicode subscripts) with no TeX: :data:`PARAMETER_NAMES`, else the control
        name with spaces for underscores (``"candidate_scale"`` -> ``"candidate scale"``).
    """
    own = getattr(explorer, "static_label", "")
    if own and parameter == getattr(explorer, "static_parameter", None):
        return own
    return PARAMETER_NAMES.get(parameter, parameter.replace("_", " "))


def format_value(value: Any) -> str:
    """A slider value as text: integers as they are, others with 2 decimals; true minus sign."""
    text = str(value) if isinstance(value, int) else f"{value:.2f}"
    return text.replace("-", "\u2212")


_NEGATIVE_NUMBER = re.compile(r"(?<![\w)])-(?=\d)")
_TEX_SUBSCRIPT = re.compile(r"\b([A-Za-z])_(?:\{([^{}]+)\}|\(([^()]+)\)|([A-Za-z0-9]+)\b)")


def caption_html(text: str) -> str:
    """Escape a caption for HTML and write its TeX-like symbols with ``<sub>``.

    ``x_t`` -> ``x<sub>t</sub>``, ``h_{t-1}`` and ``h_(t-1)`` -> ``h<sub>t−1</sub>``, ``b_f`` ->
    ``b<sub>f</sub>``; a hyphen inside a subscript or before a number (``-3``) becomes a minus.
    Only a single letter directly before the underscore counts, so names such as
    ``candidate_scale`` are left alone.

    Parameters
    ----------
    text : str
        The caption (plain text, possibly with TeX-like symbols).

    Returns
    -------
    str
        HTML for the ``<figcaption>``.
    """

    def subscript(match: re.Match) -> str:
        letter = match.group(1)
        index = next(group for group in match.groups()[1:] if group is not None)
        return f"{letter}<sub>{index.replace('-', chr(0x2212))}</sub>"

    escaped = _NEGATIVE_NUMBER.sub("\u2212", html.escape(text))
    return _TEX_SUBSCRIPT.sub(subscript, escaped)


def frame_values(explorer: Any, parameter: str | None = None, count: int = FRAME_COUNT) -> list:
    """Values of a slider for the frames: both ends, the starting value, evenly spread between.

    Parameters
    ----------
    explorer : lstm.explorers.Explorer
        The explorer.
    parameter : str, optional
        Control name (default: the explorer's ``static_parameter``).
    count : int
        Number of values wanted (at least 3); fewer if the slider has fewer positions.

    Returns
    -------
    list of float or int
        Increasing values from the slider's ``min`` to its ``max``, including its current value,
        spaced by a whole number of slider steps (about ``(max - min) / (count - 1)``) from the
        current value, each on the slider's grid.

    Raises
    ------
    ValueError
        If ``parameter`` is not a numeric slider of the explorer or ``count < 3``.
    """
    parameter = parameter or explorer.static_parameter
    control = _numeric_control(explorer, parameter)
    if count < 3:
        raise ValueError(f"count must be at least 3; got {count}")
    low, high, step, start = control.min, control.max, control.step, control.value
    if high == low:
        return [start]
    spacing = max(step, round((high - low) / (count - 1) / step) * step)
    below = np.arange(start, low + spacing / 2, -spacing)[::-1]
    above = np.arange(start + spacing, high - spacing / 2, spacing)
    raw = [low, *below[below > low + spacing / 2], *above, high]
    if start - low <= spacing / 2:
        raw = [start if value == low else value for value in raw]
    values: list = []
    for value in raw:
        value = low + round((value - low) / step) * step
        value = int(round(value)) if isinstance(control.value, int) else round(float(value), 10)
        value = min(max(value, low), high)
        if value not in values:
            values.append(value)
    return values


def _numeric_control(explorer: Any, parameter: str) -> Any:
    if parameter not in explorer.controls or not hasattr(explorer.controls[parameter], "step"):
        numeric = [name for name, c in explorer.controls.items() if hasattr(c, "step")]
        raise ValueError(f"parameter must be one of the sliders {numeric}; got {parameter!r}")
    return explorer.controls[parameter]


def encode_frame(explorer: Any) -> bytes:
    """PNG of the explorer's figure as it is drawn now, encoded for a static page.

    Palette PNG at the figure's own dpi (small files). If the base64 text of the PNG happened to
    contain the letters "http" (any case) - a page checker would mistake it for a link - the
    frame is re-encoded with another compression level, deterministically.

    Returns
    -------
    bytes
        The PNG file.
    """
    for level in (6, 9, 8, 7, 5, 4, 3, 2, 1):
        data = png_bytes(explorer.figure, compress_level=level, palette=True)
        if "http" not in base64.b64encode(data).decode("ascii").lower():
            return data
    raise RuntimeError("could not encode the frame without the letters 'http' in its base64 text")


def render_frame(explorer: Any, value: Any, parameter: str | None = None) -> bytes:
    """Set one control, let the explorer recompute and redraw, and return the frame's PNG.

    This is exactly how each frame of a scrubber is made, so a test can check that stepping
    the scrubber to ``value`` shows what the cell computes for ``value``.

    Parameters
    ----------
    explorer : lstm.explorers.Explorer
        The explorer (its other controls keep their current values).
    value : float or int
        Value of the control.
    parameter : str, optional
        Control name (default: the explorer's ``static_parameter``).

    Returns
    -------
    bytes
        PNG file of the figure.
    """
    parameter = parameter or explorer.static_parameter
    control = _numeric_control(explorer, parameter)
    live = explorer.live
    explorer.live = False  # the widgets' own PNG is not needed for a frame
    try:
        with explorer.hold():
            control.value = value
    finally:
        explorer.live = live
    return encode_frame(explorer)


@dataclass
class StaticExplorer:
    """A self-contained HTML scrubber (displays as HTML in Jupyter and Quarto).

    Attributes
    ----------
    html : str
        The ``<figure>`` element.
    element_id : str
        Its id.
    parameter : str
        Symbol of the control the scrubber moves (e.g. ``"b_f"``, for scripts and tests).
    values, labels, alts : list
        The parameter value, the readable label (e.g. ``"forget-gate bias = 4.00"``) and the
        alt text of each frame.
    frames : list of bytes
        PNG file of each frame.
    initial_index : int
        The frame shown first (the one nearest the explorer's default value).
    """

    html: str
    element_id: str
    parameter: str
    values: list
    labels: list[str]
    alts: list[str]
    frames: list[bytes]
    initial_index: int

    def _repr_mimebundle_(self, **_kwargs: Any) -> dict[str, str]:
        # text/markdown only: Quarto adds require.js and jQuery from a CDN for text/html outputs
        return {"text/markdown": self.html, "text/plain": repr(self)}

    def __repr__(self) -> str:
        return (
            f"StaticExplorer(id={self.element_id!r}, parameter={self.parameter!r}, "
            f"frames={len(self.frames)}, bytes={len(self.html)})"
        )


_SCRIPT = """(function () {
  var figure = document.getElementById(%(id)s);
  if (!figure) { return; }
  var data = JSON.parse(figure.querySelector("script.lstm-frames").textContent);
  var image = figure.querySelector("img.lstm-frame");
  var slider = figure.querySelector("input[type=range]");
  var output = figure.querySelector("output");
  slider.addEventListener("focus", function () { slider.style.outline = %(outline)s; });
  slider.addEventListener("blur", function () { slider.style.outline = ""; });
  function show() {
    var k = Math.max(0, Math.min(data.frames.length - 1, parseInt(slider.value, 10) || 0));
    image.src = data.frames[k];
    image.alt = data.alts[k];
    output.textContent = data.labels[k];
    slider.setAttribute("aria-valuetext", data.labels[k]);
  }
  slider.addEventListener("input", show);
  slider.addEventListener("change", show);
})();"""


def _label(name: str, value: Any) -> str:
    return f"{name} = {format_value(value)}"


def scrubber(
    explorer: Any,
    parameter: str | None = None,
    *,
    count: int = FRAME_COUNT,
    caption: str | None = None,
    element_id: str | None = None,
) -> Any:
    """The static form of an explorer: its live web widget if it has one, else a PNG scrubber.

    Kept under this name for ``lstm/experiments/*``, which call ``scrubber(explorer, count=...)``;
    new code calls :func:`live_or_static`. An explorer with an entry in
    :data:`lstm.explorers.web_widget.WEB_EXPLORERS` gets :func:`~lstm.explorers.web_widget.live_widget`
    (``parameter``, ``count`` and ``caption`` do not apply to it) and its widgets are closed;
    any other gets :func:`png_scrubber`.
    """
    from lstm.explorers.web_widget import has_web_form, live_widget

    if has_web_form(explorer):
        widget = live_widget(explorer, element_id=element_id)
        explorer.close()
        return widget
    return png_scrubber(explorer, parameter, count=count, caption=caption, element_id=element_id)


def png_scrubber(
    explorer: Any,
    parameter: str | None = None,
    *,
    count: int = FRAME_COUNT,
    caption: str | None = None,
    element_id: str | None = None,
) -> StaticExplorer:
    """Precompute frames of an explorer over one parameter and wrap them in an HTML scrubber.

    Only for an explorer the browser cannot compute (no ``web/`` port; every explorer of the
    book has one); the others are live (:func:`live_or_static`).

    Parameters
    ----------
    explorer : lstm.explorers.Explorer
        A live explorer; its figure is redrawn for each frame and finally left at the frame
        nearest its starting value.
    parameter : str, optional
        Control to scrub (default: ``explorer.static_parameter``).
    count : int, default :data:`FRAME_COUNT`
        Number of frames.
    caption : str, optional
        What moving the control changes (default: ``explorer.static_caption``).
    element_id : str, optional
        Id of the ``<figure>`` (default: ``lstm-<name>-<n>``, unique within a page build).

    Returns
    -------
    StaticExplorer
        The HTML (as ``text/markdown``) and the frames.

    Raises
    ------
    ValueError
        If ``parameter`` is not a slider of the explorer.
    """
    parameter = parameter or explorer.static_parameter
    control = _numeric_control(explorer, parameter)
    start_value = control.value
    values = frame_values(explorer, parameter, count)
    symbol = parameter_symbol(explorer, parameter)
    name = parameter_name(explorer, parameter)
    frames: list[bytes] = []
    labels: list[str] = []
    alts: list[str] = []
    for value in values:
        frames.append(render_frame(explorer, value, parameter))
        labels.append(_label(name, value))
        alts.append(explorer.describe())
    initial_index = int(np.argmin([abs(value - start_value) for value in values]))
    control.value = values[initial_index]
    element_id = element_id or f"lstm-{explorer.name}-{next(_ids)}"
    caption = caption or explorer.static_caption
    urls = [data_url(frame) for frame in frames]
    payload = json.dumps(
        {"parameter": symbol, "values": values, "labels": labels, "alts": alts, "frames": urls},
        ensure_ascii=True,
    ).replace("</", "<\\/")
    slider_id = f"{element_id}-slider"
    label = labels[initial_index]
    script = _SCRIPT % {"id": json.dumps(element_id), "outline": json.dumps(FOCUS_OUTLINE)}
    script = "\n".join(line.strip() for line in script.splitlines())  # no indented line
    markup = (
        f'<figure class="lstm-static-explorer" id="{html.escape(element_id)}" '
        f'style="{STYLES["figure"]}">\n'
        f'<img class="lstm-frame" src="{urls[initial_index]}" '
        f'alt="{html.escape(alts[initial_index])}" style="{STYLES["img"]}">\n'
        f'<div class="lstm-static-controls" style="{STYLES["controls"]}">\n'
        f'<label for="{slider_id}" style="{STYLES["label"]}">'
        f"{html.escape(name[:1].upper() + name[1:])}</label>\n"
        f'<input id="{slider_id}" type="range" min="0" max="{len(frames) - 1}" step="1" '
        f'value="{initial_index}" aria-valuetext="{html.escape(label)}" '
        f'style="{STYLES["slider"]}">\n'
        f'<output for="{slider_id}" style="{STYLES["output"]}">{html.escape(label)}</output>\n'
        f"</div>\n"
        f'<script type="application/json" class="lstm-frames">{payload}</script>\n'
        f"<script>{script}</script>\n"
        f'<figcaption style="{STYLES["figcaption"]}">{caption_html(caption)}</figcaption>\n'
        f"</figure>"
    )
    return StaticExplorer(
        html=markup,
        element_id=element_id,
        parameter=symbol,
        values=values,
        labels=labels,
        alts=alts,
        frames=frames,
        initial_index=initial_index,
    )



def live_or_static(explorer_factory: Callable[[], Any]) -> Any:
    """The explorer itself, or (if :func:`static_mode`) its live web widget, widgets closed.

    Each explorer's one-call function (``memory_explorer`` ...) ends with this.

    Parameters
    ----------
    explorer_factory : callable
        Builds the live explorer (an :class:`lstm.explorers.Explorer`), e.g.
        ``lambda: StepExplorer("forget", size)``.

    Returns
    -------
    lstm.explorers.Explorer or lstm.explorers.web_widget.LiveWidget or StaticExplorer
        The live explorer; with ``LSTM_BOOK_STATIC=1`` the self-contained HTML widget computed
        in the browser (:func:`lstm.explorers.web_widget.live_widget`), or for an explorer with
        no browser port the PNG scrubber (:func:`png_scrubber`).
    """
    explorer = explorer_factory()
    if static_mode():
        return scrubber(explorer)
    return explorer
