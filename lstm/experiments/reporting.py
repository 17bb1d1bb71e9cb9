"""Words for results over many seeds: what the chapters' inline code writes into the prose.

A trained conclusion is stated as the runs support it: on how many seeds it holds, a median
with its range. These functions turn the numbers of a run into those words, and read
naturally in the degenerate cases ("100% on every seed" rather than "between 100% and 100%",
"not reached within the budget" rather than "inf"):

* :func:`seeds_text` -- ``"seeds 0–9"``.
* :func:`count_text` -- ``"on 9 of the 10 seeds"``, ``"on every seed"``, ``"on no seed"``.
* :func:`range_text` -- ``"between 92% and 100%"``, or ``"100% on every seed"``.
* :func:`median_text` -- ``"a median of 0.12 (0.10 to 0.15)"``, or ``"0.12 on every seed"``.
* :func:`budget_text` -- a number, or ``"not reached within the budget"`` if it is infinite.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["budget_text", "count_text", "median_text", "range_text", "seeds_text"]

NOT_REACHED = "not reached within the budget"


def _finite_values(values: object, name: str = "values") -> np.ndarray:
    array = np.asarray(values, dtype=float).ravel()
    if array.size == 0:
        raise ValueError(f"{name} must hold at least one number; got none")
    if np.isnan(array).any():
        raise ValueError(f"{name} must not hold NaN; got {array.tolist()}")
    return array


def seeds_text(seeds: Sequence[int]) -> str:
    """``"seeds 0–9"`` for consecutive seeds, ``"seeds 0, 3 and 7"`` otherwise, ``"seed 4"`` for one."""
    seeds = [int(seed) for seed in seeds]
    if not seeds:
        raise ValueError("seeds must hold at least one seed; got none")
    if len(seeds) == 1:
        return f"seed {seeds[0]}"
    if seeds == list(range(seeds[0], seeds[0] + len(seeds))):
        return f"seeds {seeds[0]}–{seeds[-1]}"
    return "seeds " + ", ".join(str(seed) for seed in seeds[:-1]) + f" and {seeds[-1]}"


def count_text(count: int, total: int, noun: str = "seed") -> str:
    """On how many of ``total`` runs something held: ``"on 9 of the 10 seeds"``.

    ``"on every seed"`` when ``count == total`` and ``"on no seed"`` when ``count == 0``.

    Raises
    ------
    ValueError
        If ``count`` is not between 0 and ``total``.
    """
    count, total = int(count), int(total)
    if total < 1 or not 0 <= count <= total:
        raise ValueError(f"count must lie between 0 and total >= 1; got count={count}, total={total}")
    if count == total:
        return f"on every {noun}" if total > 1 else f"on the one {noun}"
    if count == 0:
        return f"on no {noun}"
    return f"on {count} of the {total} {noun}s"


def range_text(values: object, fmt: str = "{:.0%}", noun: str = "seed") -> str:
    """The spread of per-seed results: ``"between 92% and 100%"``, or ``"100% on every seed"``.

    Equal values are compared after formatting, so 0.996 and 1.0 with ``"{:.0%}"`` read
    ``"100% on every seed"``. An infinite value (a budget not reached) reads
    :data:`NOT_REACHED`.
    """
    array = _finite_values(values)
    low, high = budget_text(array.min(), fmt), budget_text(array.max(), fmt)
    if low == high:
        return f"{low} on every {noun}" if array.size > 1 else low
    return f"between {low} and {high}"


def median_text(values: object, fmt: str = "{:.2g}", noun: str = "seed") -> str:
    """A median with its range: ``"a median of 0.12 (0.10 to 0.15)"``, or ``"0.12 on every seed"``."""
    array = _finite_values(values)
    low, middle, high = (budget_text(value, fmt) for value in (array.min(), np.median(array), array.max()))
    if low == high:
        return f"{low} on every {noun}" if array.size > 1 else low
    return f"a median of {middle} ({low} to {high})"


def budget_text(value: float, fmt: str = "{:,.0f}") -> str:
    """``value`` formatted, or :data:`NOT_REACHED` when it is infinite (a threshold never reached)."""
    value = float(value)
    if np.isnan(value):
        raise ValueError("value must be a number or infinity; got NaN")
    if np.isinf(value):
        return NOT_REACHED
    return fmt.format(value)
