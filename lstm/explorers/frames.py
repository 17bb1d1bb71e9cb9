"""Pictures of an explorer's figure as PNG files, for the live widgets and for static pages.

Both forms of an explorer show its one matplotlib figure as a PNG: the live form puts it into an
:class:`ipywidgets.Image` after every control move (:func:`png_bytes` with the fast encoder
:func:`fast_png`), the static form stores one small palette PNG per frame and writes it into the
page as a ``data:`` URL (:func:`data_url`). This module is below both (it imports neither).
"""

from __future__ import annotations

import base64
import io
import struct
import zlib
from typing import Any

import numpy as np
from PIL import Image as PILImage

__all__ = ["data_url", "fast_png", "png_bytes"]

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



def data_url(png: bytes) -> str:
    """``data:image/png;base64,...`` URL of a PNG file."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
