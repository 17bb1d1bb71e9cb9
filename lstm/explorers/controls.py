"""The controls of the explorers: ipywidgets sliders and menus, and the check of their values.

Every explorer builds its controls with :func:`slider`, :func:`int_slider` and :func:`dropdown`,
so they all look alike (the same description width and control width) and every control has a
text description (its accessible label) and a tooltip. :func:`check_control_value` is the check
behind ``Explorer.set_values``: a value a slider would silently clip is an error instead.

Descriptions are written with TeX-like symbols (``"W_f on h_{t-1}"``). In JupyterLab they are
shown as math: :func:`description_arguments` wraps each symbol in ``$…$`` (ipywidgets typesets
a description with the notebook's MathJax) and adds the same description in plain words
(``"W f on h t minus 1"``), hidden from the eye but read by screen readers, while the typeset
math is hidden from screen readers (``aria-hidden``). A description with no symbol stays plain
text. The static scrubbers (:mod:`lstm.explorers.static`) do not use these descriptions: their
labels are readable words of their own.

The names with a leading underscore (``_slider``, ``_int_slider``, ``_dropdown``) are the
former private names, kept as aliases for code that still imports them.
"""

from __future__ import annotations

import html
import re
from typing import Any

import ipywidgets as widgets
import numpy as np

__all__ = [
    "VISUALLY_HIDDEN",
    "check_control_value",
    "description_arguments",
    "dropdown",
    "int_slider",
    "math_description",
    "slider",
    "spoken_description",
]

_DESCRIPTION_STYLE = {"description_width": "150px"}
_CONTROL_LAYOUT = {"width": "360px"}

#: A TeX-like symbol in a description: one letter, ``_`` and a subscript that is a word or
#: number (``x_t``, ``b_f``, ``c_0``) or anything in braces (``h_{t-1}``).
_SYMBOL = re.compile(r"(?<![\w$])([A-Za-z])_(?:\{([^{}]+)\}|([A-Za-z0-9]+)\b)")

#: Inline style that hides text from the eye but not from screen readers ("visually hidden").
VISUALLY_HIDDEN: str = (
    "position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;"
    "overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap"
)


def math_description(description: str) -> str:
    """The description with each TeX-like symbol as inline math: ``"W_f on h_{t-1}"`` ->
    ``"$W_f$ on $h_{t-1}$"``."""
    return _SYMBOL.sub(lambda match: f"${match.group(0)}$", description)


def spoken_description(description: str) -> str:
    """The description in plain words, for screen readers: ``"W_f on h_{t-1}"`` ->
    ``"W f on h t minus 1"`` (no ``_``, braces or ``$``)."""

    def words(match: re.Match) -> str:
        subscript = match.group(2) if match.group(2) is not None else match.group(3)
        spoken = re.sub(r"\s*-\s*", " minus ", subscript).replace("+", " plus ")
        return f"{match.group(1)} {' '.join(spoken.split())}"

    return _SYMBOL.sub(words, description)


def description_arguments(description: str) -> dict[str, Any]:
    """The ``description`` (and ``description_allow_html``) arguments of a widget.

    Parameters
    ----------
    description : str
        The control's description, TeX-like symbols allowed (``"b_f (forget)"``).

    Returns
    -------
    dict
        ``{"description": description}`` if it has no symbol; otherwise HTML with the math
        (:func:`math_description`, ``aria-hidden``) and the plain words
        (:func:`spoken_description`, visually hidden), and ``description_allow_html=True``.
    """
    if not _SYMBOL.search(description):
        return {"description": description}
    math = html.escape(math_description(description), quote=False)
    spoken = html.escape(spoken_description(description), quote=False)
    markup = (
        f'<span aria-hidden="true">{math}</span>'
        f'<span style="{VISUALLY_HIDDEN}">{spoken}</span>'
    )
    return {"description": markup, "description_allow_html": True}


def slider(
    description: str,
    value: float,
    low: float,
    high: float,
    step: float,
    tooltip: str,
) -> widgets.FloatSlider:
    """A bounded float slider with a description (math in JupyterLab, words for screen readers)."""
    return widgets.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        **description_arguments(description),
        tooltip=tooltip,
        readout_format=".2f",
        continuous_update=True,
        style=_DESCRIPTION_STYLE,
        layout=widgets.Layout(**_CONTROL_LAYOUT),
    )


def int_slider(description: str, value: int, low: int, high: int, tooltip: str) -> widgets.IntSlider:
    """A bounded integer slider with a text description."""
    return widgets.IntSlider(
        value=value,
        min=low,
        max=high,
        step=1,
        **description_arguments(description),
        tooltip=tooltip,
        continuous_update=True,
        style=_DESCRIPTION_STYLE,
        layout=widgets.Layout(**_CONTROL_LAYOUT),
    )


def dropdown(description: str, options: Any, value: Any, tooltip: str) -> widgets.Dropdown:
    """A menu with a text description; ``options`` as for :class:`ipywidgets.Dropdown`."""
    return widgets.Dropdown(
        options=options,
        value=value,
        **description_arguments(description),
        tooltip=tooltip,
        style=_DESCRIPTION_STYLE,
        layout=widgets.Layout(**_CONTROL_LAYOUT),
    )



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
