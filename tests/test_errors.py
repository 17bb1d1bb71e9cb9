"""Bad input gets a clear error naming the argument, what was expected and what was given."""

from __future__ import annotations

import numpy as np
import pytest

from lstm import LSTMCell, RNNCell


@pytest.fixture
def cell() -> LSTMCell:
    return LSTMCell(input_size=4, hidden_size=3, seed=0)


def test_the_issue_example_message(cell):
    expected = r"x has shape \(3, 5\); expected \(batch, 4\) to match input_size=4"
    with pytest.raises(ValueError, match=expected):
        cell.step(np.zeros((3, 5)))


@pytest.mark.parametrize("call, error, pattern", [
    (lambda c: c.step(np.zeros(5)), ValueError, r"x has shape \(5,\); expected \(4,\)"),
    (lambda c: c.step(np.zeros((2, 3, 4))), ValueError, r"x has shape \(2, 3, 4\)"),
    (lambda c: c.step(np.zeros(4), h_prev=np.zeros(2)), ValueError, r"h_prev has shape \(2,\)"),
    (lambda c: c.step(np.zeros((2, 4)), h_prev=np.zeros(3)), ValueError,
     r"h_prev has shape \(3,\); expected \(batch, hidden\) = \(2, 3\)"),
    (lambda c: c.step(np.zeros((2, 4)), c_prev=np.zeros((5, 3))), ValueError,
     r"c_prev has shape \(5, 3\).*batch of 2"),
    (lambda c: c.step([np.nan, 0, 0, 0]), ValueError, r"x must contain only finite numbers; got nan"),
    (lambda c: c.step(np.zeros(4), c_prev=[np.inf, 0, 0]), ValueError, r"c_prev must contain only finite"),
    (lambda c: c.step("1234"), TypeError, r"x must be an array of real numbers; got str"),
    (lambda c: c.step([1j, 0, 0, 0]), TypeError, r"x must be an array of real numbers.*complex"),
    (lambda c: c.step(None), TypeError, r"x must be an array of real numbers; got NoneType"),
    (lambda c: c.run(np.zeros(4)), ValueError, r"xs has shape \(4,\); expected \(T, 4\) or \(T, batch, 4\)"),
    (lambda c: c.run(np.zeros((5, 2, 3))), ValueError, r"xs has shape \(5, 2, 3\); expected \(T, batch, 4\)"),
    (lambda c: c.run(np.zeros((0, 4))), ValueError, r"xs has 0 time steps"),
    (lambda c: c.run(np.zeros((5, 2, 4)), h0=np.zeros(3)), ValueError, r"h0 has shape \(3,\)"),
    (lambda c: c.run(np.zeros((5, 4)), c0=np.zeros((1, 3))), ValueError, r"c0 has shape \(1, 3\)"),
    (lambda c: c.run(np.zeros((5, 2, 4)), lengths=[5]), ValueError,
     r"lengths has shape \(1,\); expected \(2,\)"),
    (lambda c: c.run(np.zeros((5, 2, 4)), lengths=[5, 6]), ValueError,
     r"lengths must lie between 1 and T=5; got values from 5 to 6"),
    (lambda c: c.run(np.zeros((5, 2, 4)), lengths=[0, 5]), ValueError, r"lengths must lie between 1"),
    (lambda c: c.run(np.zeros((5, 2, 4)), lengths=[2.5, 5]), TypeError, r"lengths must be whole numbers"),
    (lambda c: c.run(np.zeros((5, 4)), lengths=[5]), ValueError, r"lengths was given but xs is unbatched"),
    (lambda c: c.gate_parameters("forgot"), ValueError,
     r"gate must be one of \('forget', 'input', 'candidate', 'output'\); got 'forgot'"),
])
def test_bad_input_raises_naming_the_argument(cell, call, error, pattern):
    with pytest.raises(error, match=pattern):
        call(cell)


def test_backward_checks_its_arguments(cell):
    trace = cell.run(np.zeros((5, 2, 4)))
    with pytest.raises(ValueError, match=r"dh has shape \(5, 3\); expected \(5, 2, 3\)"):
        cell.backward(trace, np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"dc_last has shape \(3,\); expected \(2, 3\)"):
        cell.backward(trace, np.zeros((5, 2, 3)), dc_last=np.zeros(3))
    with pytest.raises(ValueError, match=r"dh must contain only finite numbers"):
        cell.backward(trace, np.full((5, 2, 3), np.nan))
    with pytest.raises(TypeError, match=r"trace must be an LSTMTrace"):
        cell.backward({"h": 1}, np.zeros((5, 2, 3)))
    with pytest.raises(ValueError, match=r"trace has input size 4 and hidden size 3; expected 2 and 3"):
        LSTMCell(2, 3).backward(trace, np.zeros((5, 2, 3)))


@pytest.mark.parametrize("call, error, pattern", [
    (lambda: LSTMCell(0, 3), ValueError, r"input_size must be a positive integer; got 0"),
    (lambda: LSTMCell(2, 2.5), TypeError, r"hidden_size must be a positive integer; got 2.5"),
    (lambda: LSTMCell(2, True), TypeError, r"hidden_size must be a positive integer"),
    (lambda: LSTMCell(2, 3, seed="a"), TypeError, r"seed must be an integer"),
    (lambda: LSTMCell(2, 3, forget_bias=np.nan), ValueError, r"forget_bias must contain only finite"),
    (lambda: LSTMCell(2, 3, ablate=["forget"]), ValueError, r"ablate has unknown parts \['forget'\]"),
    (lambda: LSTMCell(2, 3, ablate="forget_gate"), TypeError, r"ablate must be a collection"),
    (lambda: LSTMCell(2, 3, dtype=np.int64), TypeError, r"dtype must be a floating type"),
    (lambda: LSTMCell.from_arrays(W_f=np.zeros((2, 3)), W_i=np.zeros((2, 4)), W_c=np.zeros((2, 3)),
                                  W_o=np.zeros((2, 3)), b_f=np.zeros(2), b_i=np.zeros(2),
                                  b_c=np.zeros(2), b_o=np.zeros(2)),
     ValueError, r"W_i has shape \(2, 4\); expected \(2, 3\) like W_f"),
    (lambda: LSTMCell.from_arrays(W_f=np.zeros((2, 3)), W_i=np.zeros((2, 3)), W_c=np.zeros((2, 3)),
                                  W_o=np.zeros((2, 3)), b_f=np.zeros(3), b_i=np.zeros(2),
                                  b_c=np.zeros(2), b_o=np.zeros(2)),
     ValueError, r"b_f has shape \(3,\); expected \(2,\) to match hidden=2"),
    (lambda: LSTMCell.from_arrays(W_f=np.zeros((2, 2)), W_i=np.zeros((2, 2)), W_c=np.zeros((2, 2)),
                                  W_o=np.zeros((2, 2)), b_f=np.zeros(2), b_i=np.zeros(2),
                                  b_c=np.zeros(2), b_o=np.zeros(2)),
     ValueError, r"W_f has shape \(2, 2\); expected \(hidden, hidden \+ input\)"),
    (lambda: LSTMCell.from_pytorch(np.zeros((8, 3)), np.zeros((8, 3)), np.zeros(8), np.zeros(8)),
     ValueError, r"weight_hh has shape \(8, 3\); expected \(4\*hidden, hidden\)"),
    (lambda: LSTMCell.from_pytorch(np.zeros((7, 3)), np.zeros((8, 2)), np.zeros(8), np.zeros(8)),
     ValueError, r"weight_ih has shape \(7, 3\); expected \(4\*hidden, input\) = \(8, input\)"),
    (lambda: LSTMCell.from_pytorch(np.zeros((8, 3)), np.zeros((8, 2)), np.zeros(8), np.zeros(4)),
     ValueError, r"bias_hh has shape \(4,\); expected \(8,\)"),
    (lambda: LSTMCell.from_keras(np.zeros((3, 8)), np.zeros((2, 4)), np.zeros(8)),
     ValueError, r"recurrent_kernel has shape \(2, 4\); expected \(hidden, 4\*hidden\)"),
    (lambda: LSTMCell.from_keras(np.zeros((3, 12)), np.zeros((2, 8)), np.zeros(8)),
     ValueError, r"kernel has shape \(3, 12\); expected \(input, 4\*hidden\) = \(input, 8\)"),
    (lambda: LSTMCell.from_keras(np.zeros((3, 8)), np.zeros((2, 8)), np.zeros(9)),
     ValueError, r"bias has shape \(9,\); expected \(8,\)"),
    (lambda: RNNCell.from_arrays(W=np.zeros((2, 3)), b=np.zeros(3)), ValueError,
     r"b has shape \(3,\); expected \(2,\) to match hidden=2"),
    (lambda: RNNCell(3, 2).step(np.zeros(2)), ValueError, r"x has shape \(2,\); expected \(3,\)"),
    (lambda: RNNCell(3, 2).run(np.zeros((4, 2, 3)), lengths=[4, 5]), ValueError,
     r"lengths must lie between 1 and T=4"),
    (lambda: RNNCell(3, 2).backward(RNNCell(3, 2).run(np.zeros((4, 3))), np.zeros((4, 3))),
     ValueError, r"dh has shape \(4, 3\); expected \(4, 2\)"),
])
def test_constructors_and_frameworks_raise_naming_the_argument(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_nothing_is_broadcast_silently(cell):
    """A (hidden,) state with a batch of inputs is refused rather than broadcast."""
    with pytest.raises(ValueError, match="h0"):
        cell.run(np.zeros((3, 2, 4)), h0=np.zeros(3))
    with pytest.raises(ValueError, match="h_prev"):
        cell.step(np.zeros((2, 4)), h_prev=np.zeros((1, 3)))
