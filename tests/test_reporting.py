"""Tests of lstm.experiments.reporting: the words the chapters' inline code writes for many seeds."""

from __future__ import annotations

import numpy as np
import pytest

from lstm.experiments.reporting import (
    NOT_REACHED,
    budget_text,
    count_text,
    median_text,
    range_text,
    seeds_text,
)


def test_seeds_text() -> None:
    assert seeds_text(range(10)) == "seeds 0–9"
    assert seeds_text([4]) == "seed 4"
    assert seeds_text([0, 3, 7]) == "seeds 0, 3 and 7"
    with pytest.raises(ValueError, match="seeds"):
        seeds_text([])


def test_count_text_reads_naturally_at_both_ends() -> None:
    assert count_text(9, 10) == "on 9 of the 10 seeds"
    assert count_text(10, 10) == "on every seed"
    assert count_text(0, 10) == "on no seed"
    assert count_text(1, 1) == "on the one seed"
    with pytest.raises(ValueError, match="count"):
        count_text(11, 10)


def test_range_text_never_says_between_a_value_and_itself() -> None:
    assert range_text([0.92, 1.0, 0.97]) == "between 92% and 100%"
    assert range_text([0.996, 1.0]) == "100% on every seed"
    assert range_text([0.5]) == "50%"
    assert range_text([1200.0, np.inf], "{:,.0f}") == f"between 1,200 and {NOT_REACHED}"
    with pytest.raises(ValueError, match="NaN"):
        range_text([np.nan, 1.0])
    with pytest.raises(ValueError, match="at least one"):
        range_text([])


def test_median_text() -> None:
    assert median_text([0.10, 0.12, 0.15]) == "a median of 0.12 (0.1 to 0.15)"
    assert median_text([0.5, 0.5], "{:.1f}") == "0.5 on every seed"


def test_budget_text() -> None:
    assert budget_text(np.inf) == NOT_REACHED
    assert budget_text(25600) == "25,600"
    with pytest.raises(ValueError, match="NaN"):
        budget_text(float("nan"))
