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


@pytest.fixture(scope="module")
def pulse_rnn():
    cell = RNNCell.from_arrays(W=[[0.5, 1.0]], b=[0.0])
    return cell, cell.run(pulse())


def only_last_output() -> np.ndarray:
    """A 1 on h_20 and 0 elsewhere: back-propagation gives d h_20 / d x."""
    grad = np.zeros((20, 1))
    grad[-1, 0] = 1.0
    return grad


def test_chapter_1_shrinking_by_multiplication() -> None:
    assert_says("01-what-is-an-lstm",
                r"After two steps $0.5 \times 0.5 = 0.25$ is left, after ten steps about a",
                "thousandth. Even a generous $0.9$ per step leaves almost nothing after fifty steps")
    assert 0.5 * 0.5 == 0.25
    assert 0.0005 < 0.5**10 < 0.002
    assert 0.9**50 < 0.01


def test_chapter_1_rnn_first_steps_by_hand(pulse_rnn) -> None:
    """The calculator check of the RNN's first two steps, against the run (issue 18: 0.3634)."""
    _, trace = pulse_rnn
    assert_says("01-what-is-an-lstm",
                r"$h_1 = \tanh(0.5 \cdot 0 + 1 \cdot 1) = \tanh(1) = 0.7616$",
                r"$h_2 = \tanh(0.5 \cdot 0.7616 + 0) = \tanh(0.3808) = 0.3634$",
                "every later step roughly halves the value again")
    h = trace.h[:, 0]
    assert f"{h[0]:.4f}" == f"{np.tanh(1.0):.4f}" == "0.7616"
    assert f"{0.5 * 0.7616:.4f}" == "0.3808"
    assert f"{np.tanh(0.3808):.4f}" == f"{h[1]:.4f}" == "0.3634"
    halving = h[2:] / h[1:-1]
    assert np.all((0.45 < halving) & (halving <= 0.5))


def test_chapter_1_lstm_gates_and_figure_alt_text(pulse_rnn, pulse_lstm) -> None:
    _, rnn_trace = pulse_rnn
    _, trace = pulse_lstm
    assert_says("01-what-is-an-lstm", r"a bias of 6 gives $\sigma(6) = 0.9975$",
                "after 20 steps it still holds about 95 % of the pulse",
                "the hidden state starts at 0.76 and drops quickly towards zero, below 0.05 by step 5",
                "the cell state starts at 0.76 and declines only slightly to about 0.72 at step 20",
                "stays between about 0.62 and 0.64 throughout",
                "the RNN's state keeps 0.0 % of the pulse, the LSTM's cell state 95.4 %")
    assert f"{1 / (1 + np.exp(-6.0)):.4f}" == "0.9975"
    assert np.all(trace.f[:, 0] == trace.f[0, 0]) and f"{trace.f[0, 0]:.4f}" == "0.9975"
    assert round(100 * trace.c[-1, 0] / trace.c[0, 0]) == 95
    assert f"{rnn_trace.h[0, 0]:.2f}" == "0.76" and rnn_trace.h[4, 0] < 0.05
    assert f"{trace.c[0, 0]:.2f}" == "0.76" and f"{trace.c[-1, 0]:.2f}" == "0.72"
    assert 0.615 <= trace.h[:, 0].min() and trace.h[:, 0].max() < 0.645
    assert f"{100 * rnn_trace.h[-1, 0] / rnn_trace.h[0, 0]:.1f}" == "0.0"
    assert f"{100 * trace.c[-1, 0] / trace.c[0, 0]:.1f}" == "95.4"


def test_chapter_1_what_arrives_of_the_learning_signal(pulse_rnn, pulse_lstm) -> None:
    rnn, rnn_trace = pulse_rnn
    cell, trace = pulse_lstm
    assert_says("01-what-is-an-lstm", "less than a millionth of it arrives",
                "For the LSTM about a quarter arrives", "where the other three quarters went",
                "The belt itself lost less than 5 %")
    rnn_gradient = rnn.backward(rnn_trace, only_last_output()).dx[0, 0]
    lstm_gradient = cell.backward(trace, only_last_output()).dx[0, 0]
    assert 0 < rnn_gradient < 1e-6
    assert 0.2 < lstm_gradient < 0.3
    assert 1 - np.prod(trace.f[1:, 0]) < 0.05


def test_chapter_1_exercises_2_and_3(pulse_lstm) -> None:
    cell, _ = pulse_lstm
    assert_says("01-what-is-an-lstm", "# stays high: about 0.76, 0.96, 0.96",
                "the RNN settles at a value near 0.96", "it stays near 0.96 whatever the size of the pulse",
                r"$c_{20} = 0.7597 \times 0.5^{19} \approx 1.4 \times 10^{-6}$", "# about 1.45e-06")
    strong = RNNCell.from_arrays(W=[[2.0, 1.0]], b=[0.0])
    assert f"{strong.run(0.2 * pulse()).h[-1, 0]:.2f}" == "0.96"  # "try a pulse of 0.2"
    held = strong.run(pulse()).h[:, 0]
    assert [f"{value:.2f}" for value in held[[0, 4, 19]]] == ["0.76", "0.96", "0.96"]
    assert abs(strong.backward(strong.run(pulse()), only_last_output()).dx[0, 0]) < 1e-6
    forgetful = cell.copy()
    forgetful.parameters["b_f"][:] = 0.0
    c_20 = forgetful.run(pulse()).c[-1, 0]
    assert f"{c_20:.2e}" == "1.45e-06" and f"{0.7597 * 0.5**19:.1e}" == "1.4e-06"


def test_chapter_1_exercise_1_pulse_sizes(pulse_lstm) -> None:
    """Exercise 1: the belt's factor is the same for every pulse; only the two ends change."""
    cell, _ = pulse_lstm
    assert_says("01-what-is-an-lstm", r"about 93 % of the signal arrives ($0.988 \times 0.954 \times 0.989$)",
                r"($\tanh'(3) \approx 0.01$), so less than half a percent arrives")
    gradients, carried = {}, set()
    for size in (0.1, 1.0, 3.0):
        sequence = size * pulse()
        trace = cell.run(sequence)
        carried.add(round(float(np.prod(trace.f[1:, 0])), 3))
        only_last = np.zeros((20, 1))
        only_last[-1, 0] = 1.0
        gradients[size] = cell.backward(trace, only_last).dx[0, 0]
        if size == 0.1:
            writing = trace.i[0, 0] * (1 - np.tanh(size) ** 2)
            reading = trace.o[-1, 0] * (1 - np.tanh(trace.c[-1, 0]) ** 2)
            assert (round(writing, 3), round(reading, 3)) == (0.988, 0.989)
    assert carried == {0.954}
    assert 0.925 <= gradients[0.1] < 0.935
    assert round(1 - np.tanh(3.0) ** 2, 2) == 0.01 and gradients[3.0] < 0.005
    assert gradients[0.1] > gradients[1.0] > gradients[3.0]


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


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + np.exp(-z))


def test_chapter_6_worked_example_by_hand() -> None:
    """Steps 1 and 2 of the worked example, each number as the prose rounds it, against the run."""
    assert_says(
        "06-cell-over-time",
        r"$z_f = 0.5 \cdot 0 + 2 \cdot 1 - 1 = 1$, so $f_1 = \sigma(1) = 0.7311$",
        r"$z_i = 0 \cdot 0 + 1 \cdot 1 + 0 = 1$, so $i_1 = 0.7311$",
        r"$z_c = 1 \cdot 0 - 1.5 \cdot 1 + 0.5 = -1$, so $\tilde{c}_1 = \tanh(-1) = -0.7616$",
        r"$c_1 = 0.7311 \cdot 0 + 0.7311 \cdot (-0.7616) = -0.5568$",
        r"$o_1 = \sigma(0 + 1 \cdot 1 + 1) = \sigma(2) = 0.8808$",
        r"$h_1 = 0.8808 \cdot \tanh(-0.5568) = 0.8808 \cdot (-0.5056) = -0.4453$",
        r"$z_f = 0.5 \cdot (-0.44531) + 2 - 1 = 0.7773$, so $f_2 = 0.6851$",
        r"$z_c = -0.4453 - 1.5 + 0.5 = -1.4453$, so $\tilde{c}_2 = -0.8948$",
        r"gate is again $0.7311$",
        r"$c_2 = 0.6851 \cdot (-0.5568) + 0.7311 \cdot (-0.8948) = -0.3815 - 0.6542 = -1.0356$ (up to "
        r"rounding in the last digit)",
        r"the memory went from $-0.56$ to $-1.04$", "the forget gate drops to $0.21$",
        "almost shuts the forget gate ($0.04$)",
    )
    trace = chapter_cell().run([[1.0], [1.0], [0.0], [-1.0]])

    def four(value: float) -> str:
        return f"{value:.4f}"

    assert four(trace.f[0, 0]) == four(trace.i[0, 0]) == four(sigmoid(1.0)) == "0.7311"
    assert four(trace.c_tilde[0, 0]) == four(np.tanh(-1.0)) == "-0.7616"
    assert four(trace.c[0, 0]) == "-0.5568" and four(0.7311 * -0.7616) == "-0.5568"
    assert four(trace.o[0, 0]) == four(sigmoid(2.0)) == "0.8808"
    assert four(np.tanh(trace.c[0, 0])) == "-0.5056" and four(trace.h[0, 0]) == "-0.4453"
    assert f"{trace.h[0, 0]:.5f}" == "-0.44531"
    assert four(0.5 * trace.h[0, 0] + 1.0) == four(0.5 * -0.44531 + 1.0) == "0.7773"
    assert four(trace.f[1, 0]) == "0.6851" and four(trace.i[1, 0]) == "0.7311"
    assert four(trace.h[0, 0] - 1.0) == "-1.4453" and four(trace.c_tilde[1, 0]) == "-0.8948"
    assert (four(0.6851 * -0.5568), four(0.7311 * -0.8948)) == ("-0.3815", "-0.6542")
    assert four(trace.c[1, 0]) == "-1.0356" and four(-0.3815 - 0.6542) == "-1.0357"  # the last digit
    assert [f"{value:.2f}" for value in trace.c[:2, 0]] == ["-0.56", "-1.04"]
    assert f"{trace.f[2, 0]:.2f}" == "0.21" and f"{trace.f[3, 0]:.2f}" == "0.04"
    assert trace.c_tilde[3, 0] > 0 and trace.c[2, 0] < 0 < trace.c[3, 0]


def test_chapter_6_time_scales_and_exercise_numbers() -> None:
    assert_says(
        "06-cell-over-time",
        r"($i_t = \sigma(10\,x_t - 5)$ is 0.99 for $x_t = 1$, 0.5 for $x_t = 0.5$ and 0.007 for $x_t = 0$)",
        "by half for unit 1, by 12 % for unit 2, by less than 1 % for unit 3",
        r"about 6 steps for $f = 0.88$ and about 100 steps for $f = 0.993$",
        r"for $b_f = 2$, $f = 0.8808$ and $\ln 0.5 / \ln 0.8808 = 5.46$, so 6 steps; for $b_f = 5$, "
        r"$f = 0.9933$ and the bound is $103.2$, so 104 steps",
        r"$i_t \tilde{c}_t = 0.5 \cdot \tanh(0.2) = 0.0987$",
        r"$c_t \approx 20 \cdot 0.0987 = 1.97$", r"$h_t = \sigma(2) \tanh(1.97) = 0.8808 \cdot 0.962 = 0.85$",
        r"($\tanh(1) = 0.76$, $\tanh(2) = 0.96$)",
    )
    assert [f"{sigmoid(10 * x - 5):.2g}" for x in (1.0, 0.5)] == ["0.99", "0.5"]
    assert f"{sigmoid(-5.0):.1g}" == "0.007"
    assert (sigmoid(0.0), round(1 - sigmoid(2.0), 2)) == (0.5, 0.12) and 1 - sigmoid(5.0) < 0.01
    assert round(np.log(2) / (1 - 0.88)) == 6 and round(np.log(2) / (1 - 0.993), -1) == 100
    assert f"{np.log(0.5) / np.log(sigmoid(2.0)):.2f}" == "5.46"
    assert f"{np.log(0.5) / np.log(sigmoid(5.0)):.1f}" == "103.2" and f"{sigmoid(5.0):.4f}" == "0.9933"
    assert f"{0.5 * np.tanh(0.2):.4f}" == "0.0987" and f"{20 * 0.0987:.2f}" == "1.97"
    assert f"{np.tanh(1.97):.3f}" == "0.962" and f"{sigmoid(2.0) * np.tanh(1.97):.2f}" == "0.85"
    assert (f"{np.tanh(1.0):.2f}", f"{np.tanh(2.0):.2f}") == ("0.76", "0.96")


def test_chapter_6_exercise_2_roads() -> None:
    """The two factors of exercise 2 and the explanation of their difference.

    The numbers themselves are written by inline code; this checks what the prose says about
    them: both roads deliver more than the belt, a whole-unit change of x_1 gives a larger
    factor than the derivative, the factor falls towards the derivative as the change shrinks,
    and what is left for a tiny change is x_1's direct effect on o_1.
    """
    assert_says("06-cell-over-time", "The hidden-state road adds",
                "changes $x_1$ by a whole unit instead of a tiny amount and finds a larger factor",
                "the gates of the later steps are curved functions",
                "What is left between those two is $x_1$'s direct effect on the output gate")
    cell = chapter_cell()
    inputs = np.array([[1.0], [1.0], [0.0], [-1.0]])
    trace = cell.run(inputs)
    belt = np.prod(trace.f[1:, 0])

    def ratio(new_x1: float, keep_o1: bool = False) -> float:
        changed = inputs.copy()
        changed[0, 0] = new_x1
        first = cell.run(changed[:1])
        h1 = trace.o[0, 0] * np.tanh(first.c[0, 0]) if keep_o1 else first.h[0, 0]
        rest = cell.run(inputs[1:], h0=np.array([h1]), c0=first.c[0])
        return (rest.c[-1, 0] - trace.c[-1, 0]) / (belt * (first.c[0, 0] - trace.c[0, 0]))

    grads = cell.backward(trace, np.zeros_like(trace.h), dc_last=np.ones(1))
    derivative = grads.dc[0, 0] / belt
    whole, smaller, tiny = ratio(0.0), ratio(0.9), ratio(0.999999)
    assert derivative > 2  # the hidden-state road adds more than the belt's share again
    assert_says("12-for-teachers", "the worked example of @sec-one-step-backwards the second road carries "
                "more than the first")
    assert whole > smaller > tiny > derivative
    assert whole > 1.5 * derivative  # "a larger factor"
    assert tiny - derivative < 0.05 * derivative  # "close to the derivative's"
    # holding o_1 at its old value removes what is left: the derivative itself
    assert ratio(0.999999, keep_o1=True) == pytest.approx(derivative, rel=1e-4)
    # the step_backward loop of the chapter ends with the same derivative
    from lstm.backprop import step_backward, trace_step

    delta_h, delta_c_belt = np.zeros(1), np.array([1.0])
    for t in reversed(range(4)):
        step = step_backward(cell, trace_step(trace, t), delta_h, delta_c_belt)
        delta_h, delta_c_belt = step.dh_prev, step.dc_prev_belt
    assert step.dc[0] == pytest.approx(grads.dc[0, 0], rel=1e-12)


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
# ----------------------------------------------------------------------------- chapter 7
# The training primer: every number it works by hand, recomputed with lstm.training and NumPy.

PRIMER = "07-how-we-train"


def primer_loss_and_slope(w: float) -> tuple[float, float]:
    """The primer's one-weight model: squared error of w * 2 against 3, and dL/dw."""
    from lstm.training import squared_error

    loss, slope = squared_error(np.array([[2.0 * w]]), np.array([[3.0]]))
    return loss, slope[0, 0] * 2.0


def test_chapter_11_squared_error() -> None:
    from lstm.training import squared_error

    assert_says(PRIMER, r"A prediction of 0.8 for a target of 1 gives $L = (0.8 - 1)^2 = 0.04$",
                r"$2(\hat{y} - y)/n = -0.4$")
    loss, slope = squared_error(np.array([[0.8]]), np.array([[1.0]]))
    assert (round(loss, 4), round(slope[0, 0], 4)) == (0.04, -0.4)


def test_chapter_11_softmax_and_cross_entropy() -> None:
    from lstm.training import softmax, softmax_cross_entropy

    assert_says(PRIMER, r"$z = (2, 1, 0)$",
                r"$e^2 = 7.3891$, $e^1 = 2.7183$ and $e^0 = 1$ add up to $11.1073$",
                r"$p = (0.6652, 0.2447, 0.0900)$",
                r"loss is $\ln 11.1073 - 2 = 0.4076$ if the right symbol is the first",
                r"$\ln 11.1073 - 0 = 2.4076$ if it is the third",
                r"$(0.6652 - 1,\ 0.2447,\ 0.0900) = (-0.3348,\ 0.2447,\ 0.0900)$")
    logits = np.array([[2.0, 1.0, 0.0]])
    exponentials = np.exp(logits[0])
    assert [round(value, 4) for value in exponentials] == [7.3891, 2.7183, 1.0]
    assert round(exponentials.sum(), 4) == 11.1073
    # the rounded numbers of the prose give the same four decimals
    assert np.array_equal(np.round(np.array([7.3891, 2.7183, 1.0]) / 11.1073, 4), [0.6652, 0.2447, 0.0900])
    assert np.array_equal(np.round(softmax(logits)[0], 4), [0.6652, 0.2447, 0.0900])
    first, slope = softmax_cross_entropy(logits, np.array([0]))
    third, _ = softmax_cross_entropy(logits, np.array([2]))
    assert (round(first, 4), round(third, 4)) == (0.4076, 2.4076)
    assert round(np.log(11.1073) - 2, 4) == 0.4076 and round(np.log(11.1073), 4) == 2.4076
    assert np.array_equal(np.round(slope[0], 4), [-0.3348, 0.2447, 0.0900])


def test_chapter_11_gradient_descent_step() -> None:
    assert_says(PRIMER, r"$L(w) = (2w - 3)^2$", "its lowest point at $w = 1.5$",
                "the prediction is 1 and the loss $L = 4$", r"$2 \cdot (1 - 3) \cdot 2 = -8$",
                r"$-0.1 \cdot (-8) = 0.8$, so $w$ moves from 0.5 to 1.3",
                r"drops from 4 to $(2.6 - 3)^2 = 0.16$")
    loss, slope = primer_loss_and_slope(0.5)
    assert (loss, slope) == (4.0, -8.0)
    assert primer_loss_and_slope(1.5) == (0.0, 0.0)
    stepped = 0.5 - 0.1 * slope
    assert round(stepped, 10) == 1.3 and round(primer_loss_and_slope(stepped)[0], 10) == 0.16


def test_chapter_11_step_size_factor() -> None:
    assert_says(PRIMER, r"multiplies the distance to the best weight by $1 - 8\eta$",
                r"the slope is $8(w - 1.5)$", r"With $\eta = 0.1$ the distance shrinks by a factor 0.2",
                r"with $\eta = 0.2$ the factor is $-0.6$", r"above $\eta = 0.25$ the zigzag grows")
    for step_size, factor in ((0.1, 0.2), (0.2, -0.6), (0.3, -1.4)):
        for w in (0.5, 2.0, -1.0):
            assert np.isclose(primer_loss_and_slope(w)[1], 8 * (w - 1.5))
            stepped = w - step_size * primer_loss_and_slope(w)[1]
            assert np.isclose(stepped - 1.5, factor * (w - 1.5))
    assert 1 - 8 * 0.25 == -1.0  # the edge: a zigzag that neither grows nor shrinks


def test_chapter_11_adam_by_hand() -> None:
    from lstm.training import Adam

    assert_says(PRIMER, r"$m = 0.1 \cdot (-8) = -0.8$ and $v = 0.001 \cdot 64 = 0.064$",
                r"$\hat{m} = -0.8 / 0.1 = -8$ and $\hat{v} = 0.064 / 0.001 = 64$",
                r"$-0.1 \cdot (-8) / \sqrt{64} = 0.1$: $w$ moves to 0.6",
                r"$g = 4 \cdot (1.2 - 3) = -7.2$",
                r"$m = 0.9 \cdot (-0.8) + 0.1 \cdot (-7.2) = -1.44$",
                r"$v = 0.999 \cdot 0.064 + 0.001 \cdot 51.84 = 0.115776$",
                r"$\hat{m} = -1.44 / 0.19 = -7.579$, $\hat{v} = 0.115776 / 0.001999 = 57.92$",
                r"$0.1 \cdot 7.579 / 7.610 = 0.0996$: $w$ moves to 0.6996")
    parameters = {"w": np.array([0.5])}
    adam = Adam(parameters, lr=0.1)
    adam.step({"w": np.array([primer_loss_and_slope(0.5)[1]])})
    assert np.isclose(adam.first_moment["w"][0], -0.8) and np.isclose(adam.second_moment["w"][0], 0.064)
    assert round(parameters["w"][0], 6) == 0.6
    slope = primer_loss_and_slope(parameters["w"][0])[1]
    assert round(slope, 6) == -7.2 and round(slope**2, 2) == 51.84
    adam.step({"w": np.array([slope])})
    first, second = adam.first_moment["w"][0], adam.second_moment["w"][0]
    assert round(first, 6) == -1.44 and round(second, 6) == 0.115776
    first_hat, second_hat = first / (1 - 0.9**2), second / (1 - 0.999**2)
    assert (round(1 - 0.9**2, 2), round(1 - 0.999**2, 6)) == (0.19, 0.001999)
    assert round(first_hat, 3) == -7.579 and round(second_hat, 2) == 57.92
    assert round(np.sqrt(second_hat), 3) == 7.610
    assert round(0.1 * -first_hat / np.sqrt(second_hat), 4) == 0.0996
    assert round(parameters["w"][0], 4) == 0.6996


def test_chapter_11_descent_paths_figure() -> None:
    """The caption's story: step 0.1 settles fast, step 0.2 zigzags, Adam steps 0.1 and overshoots."""
    from lstm.training import Adam

    assert_says(PRIMER, "Adam walks at about $\\eta$ per step, and its momentum carries it past the minimum",
                "passes 1.5 at step 12, peaks near 1.77 at step 19",
                "comes back down to about 1.53 by step 30")
    w = 0.5
    for _ in range(3):
        w -= 0.1 * primer_loss_and_slope(w)[1]
    assert abs(w - 1.5) < 0.01
    zigzag = [0.5]
    for _ in range(5):
        zigzag.append(zigzag[-1] - 0.2 * primer_loss_and_slope(zigzag[-1])[1])
    sides = np.sign(np.array(zigzag[1:]) - 1.5)
    assert np.all(sides[1:] == -sides[:-1])
    parameters = {"w": np.array([0.5])}
    adam = Adam(parameters, lr=0.1)
    path = [0.5]
    for _ in range(30):
        adam.step({"w": np.array([primer_loss_and_slope(parameters["w"][0])[1]])})
        path.append(float(parameters["w"][0]))
    assert all(0.09 < path[k + 1] - path[k] < 0.101 for k in range(4))
    assert path[11] < 1.5 < path[12]
    assert int(np.argmax(path)) == 19 and round(max(path), 2) == 1.77
    assert round(path[30], 2) == 1.53


def test_chapter_11_clipping() -> None:
    from lstm.training import clip_by_global_norm

    assert_says(PRIMER, r"the global norm is $\sqrt{9 + 16} = 5$", r"multiplied by $1/5$, giving 0.6 and 0.8")
    clipped, norm = clip_by_global_norm({"W": np.array([[3.0]]), "b": np.array([4.0])}, 1.0)
    assert norm == 5.0
    assert np.allclose([clipped["W"][0, 0], clipped["b"][0]], [0.6, 0.8])


def test_chapter_11_least_squares() -> None:
    assert_says(PRIMER, "$x = 0, 1, 2, 3$ and $y = 1, 3, 4, 6$",
                r"$\bar{x} = 1.5$ and $\bar{y} = 3.5$",
                r"$(-1.5)(-2.5) + (-0.5)(-0.5) + (0.5)(0.5) + (1.5)(2.5) = 8$",
                r"$2.25 + 0.25 + 0.25 + 2.25 = 5$, so $a = 1.6$ and $b = 3.5 - 1.6 \cdot 1.5 = 1.1$",
                "predicts $1.1, 2.7, 4.3, 5.9$", "$0.01 + 0.09 + 0.09 + 0.01 = 0.2$")
    x = np.array([0.0, 1.0, 2.0, 3.0])
    y = np.array([1.0, 3.0, 4.0, 6.0])
    assert (x.mean(), y.mean()) == (1.5, 3.5)
    top, bottom = np.sum((x - x.mean()) * (y - y.mean())), np.sum((x - x.mean()) ** 2)
    assert (top, bottom) == (8.0, 5.0)
    (a, b), *_ = np.linalg.lstsq(np.column_stack([x, np.ones(4)]), y, rcond=None)
    assert np.allclose([a, b], [top / bottom, y.mean() - top / bottom * x.mean()])
    assert np.allclose([a, b], [1.6, 1.1])
    assert np.allclose(a * x + b, [1.1, 2.7, 4.3, 5.9])
    assert np.allclose((a * x + b - y) ** 2, [0.01, 0.09, 0.09, 0.01])
    assert round(float(np.sum((a * x + b - y) ** 2)), 10) == 0.2
    # "no other straight line does better": nudging a or b raises the error
    best = np.sum((a * x + b - y) ** 2)
    for da, db in ((0.01, 0), (-0.01, 0), (0, 0.01), (0, -0.01)):
        assert np.sum(((a + da) * x + b + db - y) ** 2) > best


def test_chapter_11_attention_example() -> None:
    from lstm.training import softmax

    assert_says(PRIMER, "$e_1 = (1, 0)$, $e_2 = (0, 1)$ and $e_3 = (1, 1)$",
                "the dot products with the keys are 1, 1 and 2",
                r"divided by $\sqrt{2}$ they become $0.7071, 0.7071, 1.4142$",
                "Their exponentials are $2.0281, 2.0281, 4.1133$, adding up to $8.1695$",
                "the weights are $(0.2483, 0.2483, 0.5035)$",
                r"$u_3 = 0.2483\,(1, 0) + 0.2483\,(0, 1) + 0.5035\,(1, 1)$",
                "entries is $1 - 0.2483 = 0.7517$")
    embedded = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    dots = embedded[2] @ embedded.T
    assert np.array_equal(dots, [1.0, 1.0, 2.0])
    scores = dots / np.sqrt(2)
    assert np.array_equal(np.round(scores, 4), [0.7071, 0.7071, 1.4142])
    assert np.array_equal(np.round(np.exp(scores), 4), [2.0281, 2.0281, 4.1133])
    assert round(float(np.exp(scores).sum()), 4) == 8.1695
    weights = softmax(scores)
    assert np.array_equal(np.round(weights, 4), [0.2483, 0.2483, 0.5035])
    assert np.array_equal(np.round(weights @ embedded, 4), [0.7517, 0.7517])
    assert np.allclose(weights @ embedded, 1 - weights[0]) and round(1 - 0.2483, 4) == 0.7517
    # the prose's rounded numbers reproduce its rounded results
    assert round(2 * 2.0281 + 4.1133, 4) == 8.1695
    assert (round(2.0281 / 8.1695, 4), round(4.1133 / 8.1695, 4)) == (0.2483, 0.5035)


def test_chapter_11_attention_figure_and_model() -> None:
    from lstm.attention import SelfAttentionModel, positional_encoding
    from lstm.training import softmax

    assert_says(PRIMER, "Row 1: 0.40, 0.20, 0.40. Row 2: 0.20, 0.40, 0.40. Row 3: 0.25, 0.25, 0.50",
                "$p_0 = (0, 1)$, $p_1 = (0.8415, 0.5403)$ and $p_2 = (0.9093, -0.4161)$")
    embedded = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    weights = softmax(embedded @ embedded.T / np.sqrt(2))
    assert np.array_equal(np.round(weights, 2), [[0.40, 0.20, 0.40], [0.20, 0.40, 0.40], [0.25, 0.25, 0.50]])
    codes = positional_encoding(3, 2)
    assert np.array_equal(np.round(codes, 4), [[0.0, 1.0], [0.8415, 0.5403], [0.9093, -0.4161]])
    assert np.allclose(codes, np.column_stack([np.sin(np.arange(3)), np.cos(np.arange(3))]))
    model = SelfAttentionModel(input_size=2, model_size=2, output_size=1, objective="regression")
    for name in ("W_in", "W_q", "W_k", "W_v"):
        model.parameters[name][:] = np.eye(2)
    shifted = embedded + codes
    assert np.allclose(model.attention_weights(embedded[:, None, :])[0],
                       softmax(shifted @ shifted.T / np.sqrt(2)))


def test_chapter_11_exercise_answers() -> None:
    from lstm.attention import SelfAttentionModel
    from lstm.training import Adam, clip_by_global_norm, softmax, softmax_cross_entropy

    assert_says(PRIMER, r"$\ln 3 = 1.0986$ and $\ln 4 = 1.3863$",
                "the gradient at $w = 0.5$ is $-800$",
                r"jumps by $0.1 \cdot 800 = 80$, to $w = 80.5$", "Adam moves to 0.6, exactly as before",
                "$(30, 40)$ has global norm 50", "become $(0.6, 0.8)$", "$(0.3, 0.4)$ has norm 0.5",
                "$1.1 - 1 = 0.1$, $2.7 - 3 = -0.3$, $4.3 - 4 = 0.3$ and $5.9 - 6 = -0.1$",
                "the same weights, $(0.5035, 0.2483, 0.2483)$ in the new order, and the same output "
                "$(0.7517, 0.7517)$")
    for symbols, expected in ((3, 1.0986), (4, 1.3863)):
        assert round(softmax_cross_entropy(np.zeros((1, symbols)), np.array([0]))[0], 4) == expected
    assert np.allclose(softmax(np.array([2.0, 1.0, 0.0])), softmax(np.array([7.0, 6.0, 5.0])))
    large_slope = 100 * primer_loss_and_slope(0.5)[1]
    assert large_slope == -800.0 and 0.5 - 0.1 * large_slope == 80.5
    weight = {"w": np.array([0.5])}
    Adam(weight, lr=0.1).step({"w": np.array([large_slope])})
    assert round(weight["w"][0], 6) == 0.6
    clipped, norm = clip_by_global_norm({"W": np.array([30.0]), "b": np.array([40.0])}, 1.0)
    assert norm == 50.0 and np.allclose([clipped["W"][0], clipped["b"][0]], [0.6, 0.8])
    kept, small_norm = clip_by_global_norm({"W": np.array([0.3]), "b": np.array([0.4])}, 1.0)
    assert round(small_norm, 10) == 0.5 and (kept["W"][0], kept["b"][0]) == (0.3, 0.4)
    errors = np.array([1.1, 2.7, 4.3, 5.9]) - np.array([1.0, 3.0, 4.0, 6.0])
    assert np.allclose(errors, [0.1, -0.3, 0.3, -0.1]) and abs(errors.sum()) < 1e-12
    embedded = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    reordered = embedded[[2, 0, 1]]
    plain = softmax(reordered @ reordered.T / np.sqrt(2))
    assert np.array_equal(np.round(plain[0], 4), [0.5035, 0.2483, 0.2483])
    assert np.array_equal(np.round(plain[0] @ reordered, 4), [0.7517, 0.7517])
    model = SelfAttentionModel(input_size=2, model_size=2, output_size=1, objective="regression")
    for name in ("W_in", "W_q", "W_k", "W_v"):
        model.parameters[name][:] = np.eye(2)
    in_order = model.attention_weights(embedded[:, None, :])[0][2]
    moved = model.attention_weights(reordered[:, None, :])[0][0]
    assert not np.allclose(moved, in_order[[2, 0, 1]])


def test_chapter_6_scenario_answers() -> None:
    """Answers to the scenarios' Try questions: remember forever and forget on a signal."""
    from lstm.explorers import SequenceExplorer

    assert_says("06-cell-over-time", "at $b_f = 5$ unit 1 still holds 53 % of the pulse",
                "at $b_f = 4.5$ only 35 %", "With $w = -12$ the memory falls from 0.88 to 0.001",
                "with $w = -8$ to 0.04", "at $w = -6$ one step leaves 0.24")
    explorer = SequenceExplorer(scenario="remember forever")
    kept = {}
    for bias in (5.0, 4.5):
        explorer.set_values(forget_bias=bias)
        memory = explorer.trace.c[:, 0]
        kept[bias] = round(100 * memory[39] / memory[4])
    explorer.close()
    assert kept == {5.0: 53, 4.5: 35}
    explorer = SequenceExplorer(scenario="forget on a signal")
    after = {}
    for weight in (-12.0, -8.0, -6.0):
        explorer.set_values(forget_scale=weight)
        after[weight] = (round(explorer.trace.c[18, 0], 2), explorer.trace.c[19, 0])
    explorer.close()
    assert all(before == 0.88 for before, _ in after.values())
    shown = (round(after[-12.0][1], 3), round(after[-8.0][1], 2), round(after[-6.0][1], 2))
    assert shown == (0.001, 0.04, 0.24)


def test_chapter_1_derives_the_slope_of_tanh() -> None:
    assert_says("01-what-is-an-lstm", r"= 1 - \tanh^2(z)$, because $\cosh^2 z - \sinh^2 z = 1$",
                r"$\tanh'(1) = 1 - 0.7616^2 = 0.4200$")
    z = np.linspace(-3, 3, 61)
    assert np.allclose(np.cosh(z) ** 2 - np.sinh(z) ** 2, 1.0)
    assert round(1 - 0.7616**2, 4) == 0.4200 and round(1 - np.tanh(1.0) ** 2, 4) == 0.4200


def test_chapter_2_counts_pytorch_parameters_with_two_biases() -> None:
    """The book's formula gives 365,568 for I = 100, H = 256; PyTorch's layout holds 366,592."""
    assert_says("02-cell-diagram", r"$4\,(256 \cdot 356 + 256) = 365{,}568$",
                "PyTorch's `nn.LSTM(100, 256)` reports 366,592 parameters, $4H = 1024$ more")
    cell = LSTMCell(input_size=100, hidden_size=256)
    assert cell.num_parameters == 4 * (256 * (256 + 100) + 256) == 365_568
    arrays = cell.to_pytorch()
    assert {name: array.shape for name, array in arrays.items()} == {
        "weight_ih": (1024, 100), "weight_hh": (1024, 256), "bias_ih": (1024,), "bias_hh": (1024,)}
    assert sum(array.size for array in arrays.values()) == 366_592 == 365_568 + 4 * 256


def test_chapter_2_row_form_is_the_column_form() -> None:
    assert_says("02-cell-diagram", r"$(W v)^\top = v^\top W^\top$")
    cell = LSTMCell(input_size=3, hidden_size=4, seed=0)
    batch = cell.step(np.array([[0.5, -1.0, 2.0], [0.0, 1.0, 0.0]]))
    np.testing.assert_allclose(batch.hx @ cell.W_f.T + cell.b_f, batch.z_f, rtol=1e-14)
    for row in range(2):
        np.testing.assert_allclose(cell.W_f @ batch.hx[row] + cell.b_f, batch.z_f[row], rtol=1e-14)


def test_chapter_6_hand_worked_weight_gradient() -> None:
    assert_says("06-cell-over-time",
                r"$\delta z_{i,4} = \tilde{c}_4\, i_4 (1 - i_4) = 0.9451 \cdot 0.2689 \cdot 0.7311 = 0.1858$",
                r"$[h_3, x_4] = [-0.2166, -1]$, that is $[-0.0402, -0.1858]$")
    assert round(0.9451 * 0.2689 * 0.7311, 4) == 0.1858
    assert (round(0.1858 * -0.2166, 4), -0.1858) == (-0.0402, -0.1858)
