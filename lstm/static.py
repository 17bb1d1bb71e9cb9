"""Transitional alias of :mod:`lstm.explorers.static` (the static form of the explorers).

Only for ``lstm/experiments/*``, which still import ``scrubber`` and ``static_mode`` from here;
import from :mod:`lstm.explorers` or :mod:`lstm.explorers.static` instead. To be removed once
the experiments import from there.
"""

from lstm.explorers.static import StaticExplorer, scrubber, static_mode

__all__ = ["StaticExplorer", "scrubber", "static_mode"]
