"""Hand-checkable numbers in the prose of the cell chapters, recomputed with the package.

Each test reads a sentence from a chapter (so that editing the prose without editing the test
fails) and recomputes the numbers it states. Numbers that a *training run* produces are never
typed into prose; these are exact computations on hand-set weights.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lstm import LSTMCell, RNNCell

ROOT = Path(__file__).resolve().parent.parent


def chapter_text(stem: str) -> str:
    """The chapter's text with line breaks folded to spaces (sentences wrap anywhere)."""
    return " ".join((ROOT / "chapters" / f"{stem}.qmd").read_text(encoding="utf-8").split())


def assert_says(stem: str, *phrases: str) -> None:
    text = chapter_text(stem)
    for phrase in phrases:
        assert " ".join(phrase.split()) in text, f"{stem} no longer says {phrase!r}"


def chapter_cell() -> LSTMCell:
    """The one-unit cell of chapters 2 to 6."""
    return LSTMCell.from_arrays(
        W_f=[[0.5, 2.0]], b_f=[-1.0], W_i=[[0.0, 1.0]], b_i=[0.0],
        W_c=[[1.0, -1.5]], b_c=[0.5], W_o=[[0.0, 1.0]], b_o=[1.0],
    )


def pulse(steps: int = 20) -> np.ndarray:
    sequence = np.zeros((steps, 1))
    sequence[0, 0] = 1.0
    return sequence


@pytest.fixture(scope="module")
def pulse_lstm():
    cell = LSTMCell.from_arrays(
        W_f=[[0.0, 0.0]], b_f=[6.0], W_i=[[0.0, 0.0]], b_i=[6.0],
        W_c=[[0.0, 1.0]], b_c=[0.0], W_o=[[0.0, 0.0]], b_o=[6.0],
    )
    return cell, cell.run(pulse())


def test_chapter_1_pulse_written_and_kept(pulse_lstm) -> None:
    _, trace = pulse_lstm
    assert_says("01-what-is-an-lstm", r"c_1 = i_1 \tanh(1) = 0.9975 \times 0.7616 = 0.7597",
                r"($0.9975^{19} = 0.954$)")
    written = (round(trace.i[0, 0], 4), round(np.tanh(1.0), 4), round(trace.c[0, 0], 4))
    assert written == (0.9975, 0.7616, 0.7597)
    assert round(trace.c[-1, 0] / trace.c[0, 0], 3) == 0.954


def test_chapter_1_gradient_factors(pulse_lstm) -> None:
    _, trace = pulse_lstm
    assert_says("01-what-is-an-lstm", r"i_1 \tanh'(1) = 0.9975 \times 0.4200 = 0.419",
                r"f_2 f_3 \cdots f_{20} = 0.9975^{19} = 0.954", r"o_{20} \tanh'(c_{20}) = 0.614")
    assert round(1 - np.tanh(1.0) ** 2, 4) == 0.4200
    assert round(trace.o[-1, 0] * (1 - np.tanh(trace.c[-1, 0]) ** 2), 3) == 0.614


def test_chapter_1_explorer_answers(pulse_lstm) -> None:
    assert_says("01-what-is-an-lstm", r"about $1.8 \times 10^{-6}$ of the pulse is left",
                r"$0.5^{19} = 1.9 \times 10^{-6}$", "only about 34 % of the pulse", "against the LSTM's 95 %")
    kept = {}
    for weight in (0.5, 1.0):
        h = RNNCell.from_arrays(W=[[weight, 1.0]], b=[0.0]).run(pulse()).h[:, 0]
        kept[weight] = h[-1] / h[0]
    assert f"{kept[0.5]:.1e}" == "1.8e-06"
    assert f"{0.5**19:.1e}" == "1.9e-06"
    assert round(100 * kept[1.0]) == 34
    _, trace = pulse_lstm
    assert round(100 * trace.c[-1, 0] / trace.c[0, 0]) == 95


def test_chapter_2_explorer_answers() -> None:
    assert_says("02-cell-diagram", r"z_c = 1 \cdot 0.2 - 1.5 \cdot 1 + 0.5 = -0.8",
                r"below $x_t \approx 0.47$", r"$f_t = \sigma(-2.9) = 0.052$",
                r"$i_t = \sigma(-1) = 0.27$ writes $0.27 \times \tanh(2.2) = 0.26$",
                r"$c_t = 0.04 + 0.26 = 0.30$", r"$c_t$ stays below $0.54$",
                r"$f_t = i_t = \sigma(0.5) = 0.62$", r"$\tilde{c}_t = \tanh(0.75) = 0.64$",
                r"$c_t = 0.50 + 0.40 = 0.89 > 0.8$")
    cell = chapter_cell()
    at_one = cell.step([1.0], h_prev=[0.2], c_prev=[0.8])
    assert round(at_one.z_c[0], 4) == -0.8
    assert round(0.7 / 1.5, 2) == 0.47  # z_c = 0.2 - 1.5 x + 0.5 changes sign here
    at_minus_one = cell.step([-1.0], h_prev=[0.2], c_prev=[0.8])
    assert (round(at_minus_one.f[0], 3), round(at_minus_one.i[0], 2)) == (0.052, 0.27)
    assert round(at_minus_one.i[0] * at_minus_one.c_tilde[0], 2) == 0.26
    assert round(at_minus_one.c[0], 2) == 0.30
    largest = max(cell.step([x], h_prev=[0.2], c_prev=[0.8]).c[0] for x in np.linspace(-3, 3, 601))
    assert 0.53 < largest < 0.54
    grown = cell.step([0.5], h_prev=[1.0], c_prev=[0.8])
    assert (round(grown.f[0], 2), round(grown.i[0], 2), round(grown.c_tilde[0], 2)) == (0.62, 0.62, 0.64)
    assert (round(grown.f[0] * 0.8, 2), round(grown.i[0] * grown.c_tilde[0], 2), round(grown.c[0], 2)) == (
        0.50, 0.40, 0.89)


def test_chapter_4_forget_gate_alone_takes_the_memory_to_060() -> None:
    assert_says("04-input-gate", "The forget gate alone takes it down to 0.60",
                "from 0.60 to 0.11, is the write")
    step = chapter_cell().step([1.0], h_prev=[0.2], c_prev=[0.8])
    assert round(step.f[0] * 0.8, 2) == 0.60 and round(step.c[0], 2) == 0.11
    assert step.i[0] * step.c_tilde[0] < 0


def test_chapter_6_exercise_2_roads() -> None:
    assert_says("06-cell-over-time", "the run shows a change about four times larger",
                r"$\partial c_4 / \partial c_1$ is more than twice the belt product")
    cell = chapter_cell()
    inputs = np.array([[1.0], [1.0], [0.0], [-1.0]])
    changed = inputs.copy()
    changed[0, 0] = 0.0
    trace, changed_trace = cell.run(inputs), cell.run(changed)
    belt = np.prod(trace.f[1:, 0])
    change_c1 = changed_trace.c[0, 0] - trace.c[0, 0]
    change_c4 = changed_trace.c[-1, 0] - trace.c[-1, 0]
    assert round(change_c4 / (belt * change_c1)) == 4
    grads = cell.backward(trace, np.zeros_like(trace.h), dc_last=np.ones(1))
    assert 2 < grads.dc[0, 0] / belt < 3


def test_chapter_6_unrolled_alt_text_numbers() -> None:
    """The alt text of fig-unrolled reads the worked example's states off the wires."""
    trace = chapter_cell().run([[1.0], [1.0], [0.0], [-1.0]])

    def spoken(value: float) -> str:
        return f"minus {abs(value):.2f}" if value < 0 else f"{value:.2f}"

    c, h, f = trace.c[:, 0], trace.h[:, 0], trace.f[:, 0]
    assert_says(
        "06-cell-over-time",
        f"c 1 = {spoken(c[0])}, c 2 = {spoken(c[1])} and c 3 = {spoken(c[2])}, "
        f"and it leaves as c 4 = {spoken(c[3])}",
        f"h 1 = {spoken(h[0])}, h 2 = {spoken(h[1])}, h 3 = {spoken(h[2])}, h 4 = {spoken(h[3])}",
        "are " + ", ".join(f"{value:.2f}" for value in f[:3]) + f" and {f[3]:.2f}.",
    )
