"""Claim 1 of "Disadvantages of LSTMs": computational cost (section #sec-cost).

- The formulas, for a cell of :data:`LSTM_BLOCKS` or :data:`RNN_BLOCKS` weight blocks:
  :func:`parameter_formula` and :func:`multiply_adds_per_step`.
- :func:`computational_cost` -> :class:`CostResult`, drawn by :func:`plot_computational_cost`:
  the formulas against the cells' ``num_parameters``, the measured time of one step, and how
  much of a forward step is the recurrent matrix product alone
  (:func:`fastest_recurrent_product`), so that the measured time ratio can be split into the
  product's share and the rest of the step's.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from lstm._checks import check_size
from lstm.cell import LSTMCell
from lstm.experiments.common import (
    LSTM_COLOUR,
    RNN_COLOUR,
    book_styled,
    check_seed,
    check_sizes,
    figure_with_axes,
)
from lstm.rnn import RNNCell
from lstm.training import one_blas_thread

__all__ = [
    "LSTM_BLOCKS",
    "RNN_BLOCKS",
    "CostResult",
    "computational_cost",
    "fastest_forward_and_backward",
    "fastest_recurrent_product",
    "multiply_adds_per_step",
    "parameter_formula",
    "plot_computational_cost",
]


#: Weight blocks of each cell: the LSTM's forget gate, input gate, candidate and output gate
#: against the plain RNN's single block.
LSTM_BLOCKS = 4
RNN_BLOCKS = 1


def parameter_formula(hidden_size: int, input_size: int, blocks: int) -> int:
    """Number of parameters of a cell of ``blocks`` blocks: ``blocks * (H * (H + I) + H)``.

    Each block is a weight matrix of shape ``(H, H + I)`` acting on ``[h_prev, x]`` plus a
    bias of length ``H``: :data:`LSTM_BLOCKS` (4) for the LSTM, :data:`RNN_BLOCKS` (1) for the
    plain RNN. Hand-worked: ``H = 2, I = 3`` gives ``2 * 5 + 2 = 12`` per block, 48 for the LSTM.

    Parameters
    ----------
    hidden_size : int
        ``H``, positive.
    input_size : int
        ``I``, positive.
    blocks : int
        Number of blocks, positive.

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        If an argument is not a positive integer.
    """
    hidden = check_size(hidden_size, "hidden_size")
    inputs = check_size(input_size, "input_size")
    return check_size(blocks, "blocks") * (hidden * (hidden + inputs) + hidden)


def multiply_adds_per_step(hidden_size: int, input_size: int, blocks: int) -> int:
    """Multiply-adds of the matrix-vector products of one step (one sequence): ``blocks H (H + I)``.

    Each block multiplies an ``(H, H + I)`` matrix by ``[h_prev, x]``. The element-wise work
    (sigmoids, tanh, products) is ``O(H)`` and is left out, so this is the part that dominates
    for large ``H``. Hand-worked: ``H = 2, I = 3`` gives 10 per block, 40 for the LSTM.

    Parameters
    ----------
    hidden_size, input_size : int
        ``H`` and ``I``, positive.
    blocks : int
        Number of blocks (:data:`LSTM_BLOCKS` or :data:`RNN_BLOCKS`), positive.

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        If an argument is not a positive integer.
    """
    hidden = check_size(hidden_size, "hidden_size")
    inputs = check_size(input_size, "input_size")
    return check_size(blocks, "blocks") * hidden * (hidden + inputs)


def fastest_forward_and_backward(
    cell: LSTMCell | RNNCell, xs: np.ndarray, repeats: int
) -> tuple[float, float]:
    """Wall time of ``cell.run(xs)`` and of ``run`` followed by ``backward``, fastest of ``repeats``.

    Each repeat times the forward pass and then the backward pass of that same run, so one
    set of runs gives both figures. One warm-up run comes first; BLAS uses one thread.

    Parameters
    ----------
    cell : LSTMCell or RNNCell
    xs : numpy.ndarray, shape (T, N, input_size)
    repeats : int
        Timed runs after the warm-up run.

    Returns
    -------
    forward, forward_backward : float
        Seconds for the whole sequence (divide by ``T`` for a step).
    """
    output_gradient = np.ones((xs.shape[0], xs.shape[1], cell.hidden_size))
    forward = forward_backward = np.inf
    with one_blas_thread():
        cell.backward(cell.run(xs), output_gradient)
        for _ in range(repeats):
            start = time.perf_counter()
            trace = cell.run(xs)
            middle = time.perf_counter()
            cell.backward(trace, output_gradient)
            end = time.perf_counter()
            forward, forward_backward = min(forward, middle - start), min(forward_backward, end - start)
    return float(forward), float(forward_backward)


def fastest_recurrent_product(
    hidden_size: int, input_size: int, batch_size: int, blocks: int, repeats: int, seed: int = 0
) -> float:
    """Wall time of one step's recurrent matrix product alone, ``h_{t-1} W_h^T``, fastest of ``repeats``.

    The product has the shapes and the memory layout the cells' ``run`` uses: ``h`` of shape
    ``(batch_size, H)`` times the ``H`` columns of the stacked ``(blocks H, H + I)`` weight
    matrix that act on ``h``, transposed, into a preallocated output. Each repeat times 20
    products and keeps their mean; one BLAS thread.

    Parameters
    ----------
    hidden_size, input_size, batch_size : int
        ``H``, ``I`` and the number of sequences in the batch, positive.
    blocks : int
        :data:`LSTM_BLOCKS` (4) or :data:`RNN_BLOCKS` (1).
    repeats : int
        Timed repeats after one warm-up product.
    seed : int, default 0
        Seed of the random weights and states.

    Returns
    -------
    float
        Seconds per product.

    Raises
    ------
    TypeError, ValueError
        If an argument is not a positive integer.
    """
    hidden = check_size(hidden_size, "hidden_size")
    inputs = check_size(input_size, "input_size")
    batch = check_size(batch_size, "batch_size")
    blocks = check_size(blocks, "blocks")
    repeats = check_size(repeats, "repeats")
    rng = np.random.default_rng(check_seed(seed))
    weights = rng.normal(size=(blocks * hidden, hidden + inputs))
    recurrent_transposed = weights[:, :hidden].T            # as in LSTMCell.run and RNNCell.run
    state = rng.normal(size=(batch, hidden))
    out = np.empty((batch, blocks * hidden))
    products = 20
    best = np.inf
    with one_blas_thread():
        np.matmul(state, recurrent_transposed, out=out)
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(products):
                np.matmul(state, recurrent_transposed, out=out)
            best = min(best, (time.perf_counter() - start) / products)
    return float(best)


@dataclass(frozen=True)
class CostResult:
    """Result of :func:`computational_cost` (every array has one entry per hidden size).

    Attributes
    ----------
    hidden_sizes : numpy.ndarray of int, shape (n,)
    input_size, batch_size, sequence_length, repeats : int
        The settings of the timing runs.
    lstm_parameters, rnn_parameters : numpy.ndarray of int, shape (n,)
        ``num_parameters`` of real cells.
    lstm_formula, rnn_formula : numpy.ndarray of int, shape (n,)
        ``4(H(H+I)+H)`` and ``H(H+I)+H``.
    lstm_multiply_adds, rnn_multiply_adds : numpy.ndarray of int, shape (n,)
        Multiply-adds of one step's matrix products for one sequence.
    lstm_forward, rnn_forward : numpy.ndarray of float, shape (n,)
        Seconds per time step of ``run`` on a batch of ``batch_size`` sequences.
    lstm_forward_backward, rnn_forward_backward : numpy.ndarray of float, shape (n,)
        Seconds per time step of ``run`` followed by ``backward``.
    lstm_product, rnn_product : numpy.ndarray of float, shape (n,)
        Seconds of one step's recurrent matrix product alone (:func:`fastest_recurrent_product`).
    """

    hidden_sizes: np.ndarray
    input_size: int
    batch_size: int
    sequence_length: int
    repeats: int
    lstm_parameters: np.ndarray
    rnn_parameters: np.ndarray
    lstm_formula: np.ndarray
    rnn_formula: np.ndarray
    lstm_multiply_adds: np.ndarray
    rnn_multiply_adds: np.ndarray
    lstm_forward: np.ndarray
    rnn_forward: np.ndarray
    lstm_forward_backward: np.ndarray
    rnn_forward_backward: np.ndarray
    lstm_product: np.ndarray
    rnn_product: np.ndarray

    @property
    def parameter_ratio(self) -> np.ndarray:
        """LSTM parameters divided by RNN parameters, shape (n,) (tends to 4 from below)."""
        return self.lstm_parameters / self.rnn_parameters

    @property
    def forward_time_ratio(self) -> np.ndarray:
        """Measured LSTM forward time per step divided by the RNN's, shape (n,)."""
        return self.lstm_forward / self.rnn_forward

    @property
    def forward_backward_time_ratio(self) -> np.ndarray:
        """Measured LSTM forward+backward time per step divided by the RNN's, shape (n,)."""
        return self.lstm_forward_backward / self.rnn_forward_backward

    @property
    def product_time_ratio(self) -> np.ndarray:
        """LSTM recurrent product time over the RNN's, shape (n,) (4 times the multiply-adds)."""
        return self.lstm_product / self.rnn_product

    @property
    def lstm_rest(self) -> np.ndarray:
        """LSTM forward time per step minus its recurrent product: everything else, shape (n,).

        The input's share of the pre-activations (computed for all steps at once), the
        activations, the element-wise products and sums, and NumPy's fixed cost per call.
        Never below 0 (two separately timed minima can cross by a little).
        """
        return np.maximum(self.lstm_forward - self.lstm_product, 0.0)

    @property
    def rnn_rest(self) -> np.ndarray:
        """RNN forward time per step minus its recurrent product, shape (n,)."""
        return np.maximum(self.rnn_forward - self.rnn_product, 0.0)

    @property
    def rest_time_ratio(self) -> np.ndarray:
        """LSTM over RNN time of everything in a forward step but the recurrent product, shape (n,)."""
        return self.lstm_rest / np.maximum(self.rnn_rest, 1e-12)

    @property
    def lstm_product_share(self) -> np.ndarray:
        """Fraction of the LSTM's forward step spent in the recurrent product, shape (n,)."""
        return np.minimum(self.lstm_product / self.lstm_forward, 1.0)

    @property
    def lstm_recurrent_bytes(self) -> np.ndarray:
        """Memory of the LSTM's recurrent weights ``W_h`` (float64), shape (n,); the RNN's is a quarter."""
        return LSTM_BLOCKS * self.hidden_sizes**2 * 8

    @property
    def lstm_forward_per_sequence(self) -> np.ndarray:
        """Seconds of LSTM forward work per time step and per sequence of the batch, shape (n,)."""
        return self.lstm_forward / self.batch_size

    @property
    def rnn_forward_per_sequence(self) -> np.ndarray:
        """Seconds of RNN forward work per time step and per sequence of the batch, shape (n,)."""
        return self.rnn_forward / self.batch_size

    def table(self) -> str:
        """The result as fixed-width text tables (one row per hidden size): counts and times, then
        the forward step split into the recurrent product and the rest."""
        lines = [
            f"{'H':>5} {'LSTM params':>12} {'RNN params':>11} {'ratio':>6} "
            f"{'LSTM fwd µs':>12} {'RNN fwd µs':>11} {'LSTM f+b µs':>12} {'RNN f+b µs':>11}"
        ]
        for index, hidden in enumerate(self.hidden_sizes):
            lines.append(
                f"{hidden:>5d} {self.lstm_parameters[index]:>12d} {self.rnn_parameters[index]:>11d} "
                f"{self.parameter_ratio[index]:>6.3f} "
                f"{1e6 * self.lstm_forward[index]:>12.1f} {1e6 * self.rnn_forward[index]:>11.1f} "
                f"{1e6 * self.lstm_forward_backward[index]:>12.1f} "
                f"{1e6 * self.rnn_forward_backward[index]:>11.1f}"
            )
        lines += [
            "",
            "forward step, LSTM / RNN: all of it, the recurrent product alone, and the rest",
            f"{'H':>5} {'step':>6} {'product':>8} {'rest':>6} {'LSTM product µs':>16} {'RNN product µs':>15} "
            f"{'product share (LSTM)':>21}",
        ]
        for index, hidden in enumerate(self.hidden_sizes):
            lines.append(
                f"{hidden:>5d} {self.forward_time_ratio[index]:>6.1f} {self.product_time_ratio[index]:>8.1f} "
                f"{self.rest_time_ratio[index]:>6.1f} {1e6 * self.lstm_product[index]:>16.1f} "
                f"{1e6 * self.rnn_product[index]:>15.1f} {self.lstm_product_share[index]:>21.0%}"
            )
        return "\n".join(lines)


def computational_cost(
    hidden_sizes: Sequence[int] = (4, 16, 64, 128, 256, 512),
    input_size: int = 8,
    batch_size: int = 16,
    sequence_length: int = 20,
    repeats: int = 3,
    seed: int = 0,
) -> CostResult:
    """Count parameters and time one step of an LSTM and a plain RNN of the same size.

    For each hidden size ``H`` an :class:`~lstm.cell.LSTMCell` and an :class:`~lstm.rnn.RNNCell`
    with the same ``H`` and input size are built; their ``num_parameters`` are compared with the
    formulas, and ``run`` (forward) and ``run`` + ``backward`` (forward and backward) are timed on
    the same random batch. Times are per time step, the fastest of ``repeats`` runs.

    Parameters
    ----------
    hidden_sizes : sequence of int, default (4, 16, 64, 128, 256, 512)
        Strictly increasing positive hidden sizes (one is enough for a single measurement).
    input_size : int, default 8
        Features per time step.
    batch_size : int, default 16
        Sequences processed together.
    sequence_length : int, default 20
        Time steps per timed run.
    repeats : int, default 3
        Timed runs per measurement (after one warm-up run); the minimum is kept.
    seed : int, default 0
        Seed of the cells' weights and of the random inputs.

    Returns
    -------
    CostResult

    Raises
    ------
    TypeError, ValueError
        If an argument is not of the documented kind or range.
    """
    sizes = check_sizes(hidden_sizes, "hidden_sizes", minimum_count=1)
    input_size = check_size(input_size, "input_size")
    batch_size = check_size(batch_size, "batch_size")
    sequence_length = check_size(sequence_length, "sequence_length")
    repeats = check_size(repeats, "repeats")
    seed = check_seed(seed)
    rng = np.random.default_rng(seed)
    xs = rng.normal(size=(sequence_length, batch_size, input_size))

    columns: dict[str, list] = {
        key: []
        for key in (
            "lstm_parameters",
            "rnn_parameters",
            "lstm_forward",
            "rnn_forward",
            "lstm_forward_backward",
            "rnn_forward_backward",
            "lstm_product",
            "rnn_product",
        )
    }
    for hidden in sizes:
        hidden = int(hidden)
        for name, cell in (
            ("lstm", LSTMCell(input_size=input_size, hidden_size=hidden, seed=seed)),
            ("rnn", RNNCell(input_size, hidden, seed=seed)),
        ):
            columns[f"{name}_parameters"].append(cell.num_parameters)
            forward, forward_backward = fastest_forward_and_backward(cell, xs, repeats)
            columns[f"{name}_forward"].append(forward / sequence_length)
            columns[f"{name}_forward_backward"].append(forward_backward / sequence_length)
        for name, blocks in (("lstm", LSTM_BLOCKS), ("rnn", RNN_BLOCKS)):
            columns[f"{name}_product"].append(
                fastest_recurrent_product(hidden, input_size, batch_size, blocks, repeats, seed))

    return CostResult(
        hidden_sizes=sizes,
        input_size=input_size,
        batch_size=batch_size,
        sequence_length=sequence_length,
        repeats=repeats,
        lstm_parameters=np.array(columns["lstm_parameters"], dtype=np.int64),
        rnn_parameters=np.array(columns["rnn_parameters"], dtype=np.int64),
        lstm_formula=np.array([parameter_formula(int(h), input_size, LSTM_BLOCKS) for h in sizes]),
        rnn_formula=np.array([parameter_formula(int(h), input_size, RNN_BLOCKS) for h in sizes]),
        lstm_multiply_adds=np.array(
            [multiply_adds_per_step(int(h), input_size, LSTM_BLOCKS) for h in sizes]),
        rnn_multiply_adds=np.array(
            [multiply_adds_per_step(int(h), input_size, RNN_BLOCKS) for h in sizes]),
        lstm_forward=np.array(columns["lstm_forward"]),
        rnn_forward=np.array(columns["rnn_forward"]),
        lstm_forward_backward=np.array(columns["lstm_forward_backward"]),
        rnn_forward_backward=np.array(columns["rnn_forward_backward"]),
        lstm_product=np.array(columns["lstm_product"]),
        rnn_product=np.array(columns["rnn_product"]),
    )


@book_styled
def plot_computational_cost(result: CostResult, size: str = "laptop") -> Figure:
    """Two panels: parameters against hidden size, and measured time per step.

    Parameters
    ----------
    result : CostResult
        From :func:`computational_cost`.
    size : {"laptop", "projector"}, default "laptop"
        Figure and font size (bigger for a classroom projector).

    Returns
    -------
    matplotlib.figure.Figure
        A new figure (object-oriented API, not registered with pyplot).

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    TypeError
        If ``result`` is not a :class:`CostResult`.
    """
    if not isinstance(result, CostResult):
        raise TypeError(f"result must be a CostResult; got {type(result).__name__}")
    figure, (parameter_axes, time_axes) = figure_with_axes(2, size)
    sizes = result.hidden_sizes
    parameter_axes.loglog(sizes, result.lstm_parameters, "o-", color=LSTM_COLOUR, label="LSTM")
    parameter_axes.loglog(sizes, result.rnn_parameters, "s-", color=RNN_COLOUR, label="plain RNN")
    ratios = result.parameter_ratio
    parameter_axes.text(
        0.97, 0.05,
        f"LSTM / RNN = {ratios.min():.2f}" + ("" if np.ptp(ratios) == 0 else f" to {ratios.max():.2f}")
        + "\nat every size",
        transform=parameter_axes.transAxes, ha="right", va="bottom",
    )
    parameter_axes.set_xlabel("hidden size H")
    parameter_axes.set_ylabel("number of parameters")
    parameter_axes.set_title("Parameters")
    parameter_axes.legend(loc="upper left")

    micro = 1e6
    time_axes.loglog(sizes, micro * result.lstm_forward_backward, "o-", color=LSTM_COLOUR,
                     label="LSTM forward + backward")
    time_axes.loglog(sizes, micro * result.lstm_forward, "o--", color=LSTM_COLOUR,
                     label="LSTM forward")
    time_axes.loglog(sizes, micro * result.rnn_forward_backward, "s-", color=RNN_COLOUR,
                     label="RNN forward + backward")
    time_axes.loglog(sizes, micro * result.rnn_forward, "s--", color=RNN_COLOUR,
                     label="RNN forward")
    time_axes.set_xlabel("hidden size H")
    time_axes.set_ylabel("time per step (µs)")
    time_axes.set_title(f"Time per step (batch of {result.batch_size})")
    time_axes.legend(loc="upper left", fontsize="small")
    return figure
