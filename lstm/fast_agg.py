"""An Agg canvas that draws text several times faster, pixel for pixel as matplotlib's own.

Matplotlib 3.11's Agg renderer lays out every string with FreeType (``FT2Font._layout``) and then
asks FreeType to render each glyph anew, at each draw: about 0.1 ms a glyph. An explorer redraws
a dozen numbers on each slider move, and a whole figure (every tick label and title) when an axis
range changes, so text is most of a move's time.

:class:`CachedTextRendererAgg` keeps what FreeType returned and reuses it:

* the **layout** of a string (the glyphs and their offsets), by font, size, resolution, string
  and shaping options;
* the **bitmap of a glyph**, by font, size, resolution, glyph, hinting, rotation and the glyph's
  position *within* its pixel (FreeType positions glyphs in 1/64 pixel). Moving a glyph by a whole
  number of pixels moves its bitmap by the same number of pixels and changes nothing else, so one
  bitmap serves every whole-pixel position.

What it draws goes through the same ``draw_text_image`` call as matplotlib's, with the same
bitmaps at the same pixels, so a figure comes out identical (``tests/test_plots.py`` compares it
with matplotlib's own canvas). Only unrotated text and mathtext use the caches; rotated text goes
through matplotlib's code unchanged. :class:`CachedTextCanvasAgg` is the canvas of every
:class:`lstm.plots.BookFigure`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.ft2font import RenderMode

__all__ = ["CachedTextCanvasAgg", "CachedTextRendererAgg", "clear_text_caches"]

#: Glyph bitmaps and string layouts kept at most (each cache is emptied when it reaches this).
CACHE_LIMIT = 50_000

# key -> (bitmap, left, top) with left/top relative to the glyph's whole-pixel position
_GLYPHS: dict[tuple, tuple[np.ndarray, int, int]] = {}
# key -> list of (font, glyph index, x, y) of a laid-out string
_LAYOUTS: dict[tuple, list[tuple[Any, int, float, float]]] = {}


def clear_text_caches() -> None:
    """Forget every cached glyph bitmap and string layout."""
    _GLYPHS.clear()
    _LAYOUTS.clear()


class CachedTextRendererAgg(RendererAgg):
    """:class:`matplotlib.backends.backend_agg.RendererAgg` with cached layouts and glyphs."""

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):  # noqa: D102
        if ismath or angle != 0:
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        font = self._prepare_font(prop)
        size = prop.get_size_in_points()
        flags = get_hinting_flag()
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (font, size, self.dpi, s, flags, features, language)
        items = _LAYOUTS.get(key)
        if items is None:
            if len(_LAYOUTS) >= CACHE_LIMIT:
                _LAYOUTS.clear()
            items = [(item.ft_object, item.glyph_index, item.x, item.y)
                     for item in font._layout(s, flags=flags, features=features, language=language)]
            _LAYOUTS[key] = items
        self._draw_text_glyphs_and_boxes(
            gc, x, y, angle,
            ((item_font, size, glyph, 0, 1, dx, dy) for item_font, glyph, dx, dy in items),
            [])
        return None

    def _draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
        if angle != 0:
            return super()._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, boxes)
        flags = get_hinting_flag()
        antialiased = gc.get_antialiased()
        mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
        height = self.height
        draw = self._renderer.draw_text_image
        for font, size, glyph, slant, extend, dx, dy in glyphs:  # dy is upwards
            # where matplotlib puts the glyph, in 1/64 pixel, FreeType's y upwards
            px = round(0x40 * (x + dx))
            py = round(0x40 * (height - y + dy))
            key = (font, size, self.dpi, glyph, slant, extend, flags, antialiased, px & 63, py & 63)
            cached = _GLYPHS.get(key)
            if cached is None:
                font.set_size(size, self.dpi)
                matrix = (0x10000 * np.array([[1.0, 0.0], [0.0, 1.0]])
                          @ [[extend, extend * slant], [0, 1]]).round().astype(int)
                font._set_transform(matrix, [px & 63, py & 63])  # the same glyph, whole pixels off
                bitmap = font._render_glyph(glyph, flags, mode)
                buffer = np.array(bitmap.buffer, copy=True)
                if not antialiased:
                    buffer *= 0xFF
                if len(_GLYPHS) >= CACHE_LIMIT:
                    _GLYPHS.clear()
                cached = (buffer, bitmap.left, bitmap.top)
                _GLYPHS[key] = cached
            buffer, left, top = cached
            # draw_text_image's y is downwards and at the bitmap's bottom
            draw(buffer, left + (px >> 6), int(height) - (top + (py >> 6)) + buffer.shape[0], 0, gc)
        if boxes:
            super()._draw_text_glyphs_and_boxes(gc, x, y, angle, (), boxes)
        return None


class CachedTextCanvasAgg(FigureCanvasAgg):
    """:class:`matplotlib.backends.backend_agg.FigureCanvasAgg` drawing with
    :class:`CachedTextRendererAgg`."""

    def get_renderer(self):  # noqa: D102
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = CachedTextRendererAgg(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer
