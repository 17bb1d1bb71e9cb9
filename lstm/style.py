"""The book's visual style: colours, font sizes and figure sizes.

Every chapter starts with::

    from lstm.style import apply_book_style
    apply_book_style()

which sets matplotlib's ``rcParams`` (colour-blind-safe Okabe-Ito colour cycle, fonts large
enough for a projector, grids, no top/right spines) and NumPy's print options (4 decimals).

Colour choices
--------------
* Lines and categories use the Okabe-Ito palette (Okabe & Ito, 2008), which stays distinguishable
  for the common forms of colour-vision deficiency. Each part of the cell has a fixed colour
  (:data:`GATE_COLOURS`) used by every plot in the book.
* Values in (0, 1), such as gate activations, use the sequential map :data:`GATE_COLOURMAP`
  (``"cividis"``, designed for colour-vision deficiency, perceptually uniform).
* Signed values such as the candidate, the cell state and the hidden state use the diverging map
  :data:`SIGNED_COLOURMAP` (``"PuOr"``, colour-blind safe) centred on zero.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

#: The eight Okabe-Ito colours by name.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Colour cycle used for lines (yellow last: it has poor contrast on white).
COLOUR_CYCLE: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["orange"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["black"],
    OKABE_ITO["yellow"],
)

#: One fixed colour per part of the cell, used consistently in every figure of the book.
GATE_COLOURS: dict[str, str] = {
    "forget": OKABE_ITO["vermillion"],
    "input": OKABE_ITO["blue"],
    "candidate": OKABE_ITO["bluish_green"],
    "output": OKABE_ITO["reddish_purple"],
    "cell": OKABE_ITO["orange"],
    "hidden": OKABE_ITO["black"],
    "input_x": OKABE_ITO["sky_blue"],
    "rnn": OKABE_ITO["sky_blue"],
    "lstm": OKABE_ITO["orange"],
}

#: Mathematical symbol of each part, for labels (matplotlib mathtext).
GATE_SYMBOLS: dict[str, str] = {
    "forget": r"$f_t$",
    "input": r"$i_t$",
    "candidate": r"$\tilde{c}_t$",
    "output": r"$o_t$",
    "cell": r"$c_t$",
    "hidden": r"$h_t$",
}

#: Sequential colour map for values in (0, 1) (gate activations).
GATE_COLOURMAP: str = "cividis"
#: Diverging colour map for signed values (candidate, cell state, hidden state), centred on 0.
SIGNED_COLOURMAP: str = "PuOr"

#: Figure size (inches) and font scale for each presentation size.
SIZES: dict[str, dict[str, Any]] = {
    "laptop": {"figsize": (9.0, 5.0), "font_scale": 1.0, "dpi": 80},
    "projector": {"figsize": (12.0, 6.75), "font_scale": 1.45, "dpi": 80},
}

#: Base font size in points (laptop); multiplied by ``font_scale`` for other sizes.
BASE_FONT_SIZE: float = 12.0


def check_size(size: str) -> dict[str, Any]:
    """Return the settings for a presentation size, or raise a clear error.

    Parameters
    ----------
    size : str
        One of the keys of :data:`SIZES` (``"laptop"`` or ``"projector"``).

    Returns
    -------
    dict
        ``{"figsize": (width, height), "font_scale": float, "dpi": int}``.

    Raises
    ------
    ValueError
        If ``size`` is not a known size.
    """
    if not isinstance(size, str) or size not in SIZES:
        raise ValueError(f"size must be one of {sorted(SIZES)}; got {size!r}")
    return SIZES[size]


def book_rc_params(size: str = "laptop") -> dict[str, Any]:
    """The matplotlib rcParams of the book style for one presentation size.

    Parameters
    ----------
    size : str
        ``"laptop"`` or ``"projector"``.

    Returns
    -------
    dict
        rcParams names to values (pass to ``matplotlib.rcParams.update`` or ``rc_context``).

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    """
    settings = check_size(size)
    font = BASE_FONT_SIZE * settings["font_scale"]
    return {
        "axes.prop_cycle": cycler(color=list(COLOUR_CYCLE)),
        "figure.figsize": settings["figsize"],
        "figure.dpi": settings["dpi"],
        "savefig.dpi": 100,
        "font.size": font,
        "axes.titlesize": font * 1.1,
        "axes.labelsize": font,
        "xtick.labelsize": font * 0.9,
        "ytick.labelsize": font * 0.9,
        "legend.fontsize": font * 0.9,
        "figure.titlesize": font * 1.2,
        "axes.grid": True,
        "grid.alpha": 0.35,
        "grid.linestyle": "-",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.axisbelow": True,
        "lines.linewidth": 2.2,
        "lines.markersize": 8,
        "legend.frameon": False,
        "image.cmap": GATE_COLOURMAP,
        "axes.titleweight": "bold",
        "figure.constrained_layout.use": False,
    }


def apply_book_style(size: str = "laptop") -> None:
    """Apply the book style globally (matplotlib rcParams and NumPy print options).

    Parameters
    ----------
    size : str, default "laptop"
        ``"laptop"`` or ``"projector"`` (bigger figures and fonts for a classroom).

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    """
    mpl.rcParams.update(book_rc_params(size))
    np.set_printoptions(precision=4, suppress=True)


@contextmanager
def book_style(size: str = "laptop") -> Iterator[None]:
    """Temporarily use the book style for one size (e.g. while building an explorer's figure).

    Parameters
    ----------
    size : str
        ``"laptop"`` or ``"projector"``.

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    """
    with mpl.rc_context(book_rc_params(size)):
        yield


def integer_ticks(ax: Axes, axis: str = "x") -> None:
    """Put the ticks of one axis of ``ax`` on whole numbers only (time steps, updates, distances).

    Matplotlib's default locator puts ticks at 2.5 and 7.5 on a short axis of steps 1 to 10;
    a time step is a whole number, so every time-step axis of the book uses this instead, with
    spacings of 1, 2 or 5 times a power of ten (as ``niceTicks(..., integer)`` of the JS port).
    The locator stays when the limits change, so figures updated in place keep whole-number ticks.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    axis : {"x", "y"}, default "x"

    Raises
    ------
    ValueError
        If ``axis`` is neither ``"x"`` nor ``"y"``.
    """
    if axis not in ("x", "y"):
        raise ValueError(f'axis must be "x" or "y"; got {axis!r}')
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))

