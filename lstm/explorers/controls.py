"""The controls of the explorers: ipywidgets sliders and menus, and the check of their values.

Every explorer builds its controls with :func:`slider`, :func:`int_slider` and :func:`dropdown`,
so they all look alike (the same description width and control width) and every control has a
text description (its accessible label) and a tooltip. :func:`check_control_value` is the check
behind ``Explorer.set_values``: a value a slider would silently clip is an error instead.

The names with a leading underscore (``_slider``, ``_int_slider``, ``_dropdown``) are the
former private names, kept as aliases for code that still imports them.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np

__all__ = ["check_control_value", "dropdown", "int_slider", "slider"]

_DESCRIPTION_STYLE = {"description_width": "150px"}
_CONTROL_LAYOUT = {"width": "360px"}


def slider(
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


def int_slider(description: str, value: int, low: int, high: int, tooltip: str) -> widgets.IntSlider:
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


def dropdown(description: str, options: Any, value: Any, tooltip: str) -> widgets.Dropdown:
    """A menu with a text description; ``options`` as for :class:`ipywidgets.Dropdown`."""
    return widgets.Dropdown(
        options=options,
        value=value,
        description=description,
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



#: The former private names (the experiment modules still import ``_slider`` and ``_int_slider``).
_slider = slider
_int_slider = int_slider
_dropdown = dropdown
