"""Experiments behind the chapter "Disadvantages of LSTMs" (one function per claim).

Every experiment is a function that runs a small, seeded computation and returns a frozen
result object holding plain NumPy arrays; each has a plotting helper that draws the result on
an object-oriented matplotlib figure (colour-blind-safe Okabe-Ito colours, labelled axes).

==============================  ==================================  ===========================
claim of the article            experiment                          plot
==============================  ==================================  ===========================
1. computational cost           :func:`computational_cost`          :func:`plot_computational_cost`
2. complex architecture         :func:`ablation_study`              :func:`plot_ablation`
3. very long sequences          :func:`long_sequences`              :func:`plot_long_sequences`
4. limited parallelisation      :func:`parallelisation`             :func:`plot_parallelisation`
5. hyperparameter tuning        :func:`hyperparameter_sweep`        :func:`plot_hyperparameter_sweep`
6. outshone by Transformers     :func:`attention_versus_lstm`       :func:`plot_attention_versus_lstm`
==============================  ==================================  ===========================

:func:`dependency_explorer` draws the dependency graphs of an LSTM and of self-attention for a
sequence length chosen with a slider (an HTML scrubber on static pages). :class:`LatestRecall`
is the task of the ablation, the long-sequence test and the sweep ("name the symbol stored most
recently"); :mod:`lstm.tasks` has no task in which the memory must be replaced.

Wall-clock times are measured with :func:`time.perf_counter` and reported as the *minimum* over a
few repeats (the least disturbed run), because the machine may be busy with other work.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from matplotlib.figure import Figure
from threadpoolctl import threadpool_limits

from lstm._checks import check_size
from lstm.attention import SelfAttentionModel
from lstm.cell import LSTMCell
from lstm.plots import new_figure
from lstm.rnn import RNNCell
from lstm.style import OKABE_ITO, SIZES, book_style
from lstm.style import check_size as check_style_size
from lstm.tasks import DelayedRecall
from lstm.training import SequenceData, SequenceModel, progress_enabled, train

__all__ = [
    "ABLATION_VARIANTS",
    "AblationResult",
    "AttentionComparisonResult",
    "CostResult",
    "LatestRecall",
    "LongSequenceResult",
    "ParallelisationResult",
    "SweepResult",
    "ablation_study",
    "attention_dependencies",
    "attention_versus_lstm",
    "computational_cost",
    "dependency_explorer",
    "hyperparameter_sweep",
    "long_sequences",
    "longest_dependency_chain",
    "lstm_multiply_adds_per_step",
    "lstm_parameter_formula",
    "parallelisation",
    "plot_ablation",
    "plot_attention_versus_lstm",
    "plot_computational_cost",
    "plot_hyperparameter_sweep",
    "plot_long_sequences",
    "plot_parallelisation",
    "recurrent_dependencies",
    "rnn_multiply_adds_per_step",
    "rnn_parameter_formula",
]

LSTM_COLOUR = OKABE_ITO["orange"]
RNN_COLOUR = OKABE_ITO["sky_blue"]
ATTENTION_COLOUR = OKABE_ITO["bluish_green"]


# --------------------------------------------------------------------------------------------
# small shared helpers
# --------------------------------------------------------------------------------------------
def _check_sizes(values: Sequence[int], name: str) -> np.ndarray:
    """Return a strictly increasing sequence of positive integers as an int array, or raise."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence | np.ndarray):
        raise TypeError(f"{name} must be a sequence of positive integers; got {values!r}")
    if len(values) < 2:
        raise ValueError(f"{name} must hold at least 2 values; got {list(values)!r}")
    checked = [check_size(value, f"{name}[{index}]") for index, value in enumerate(values)]
    if any(later <= earlier for earlier, later in zip(checked, checked[1:], strict=False)):
        raise ValueError(f"{name} must be strictly increasing; got {checked}")
    return np.array(checked, dtype=np.int64)


def _check_seed(seed: object, name: str = "seed") -> int:
    """Return ``seed`` as a non-negative int, or raise naming the argument."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"{name} must be a non-negative integer; got {seed!r}")
    if seed < 0:
        raise ValueError(f"{name} must be a non-negative integer; got {seed}")
    return int(seed)


def _minimum_seconds(function: Callable[[], object], repeats: int) -> float:
    """Run ``function`` once to warm up, then ``repeats`` times; return the fastest wall time.

    The runs use a single BLAS thread, so a measurement compares amounts of work rather than
    how the operating system happened to share the cores with other programs at that moment.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        function()
        best = np.inf
        for _ in range(repeats):
            start = time.perf_counter()
            function()
            best = min(best, time.perf_counter() - start)
    return float(best)


def _new_figure(
    ncols: int, size: str, width: float = 11.0, height: float = 4.6
) -> tuple[Figure, list]:
    """A new book-style figure (no pyplot; shows itself as a PNG) with ``ncols`` side-by-side axes.

    ``width`` and ``height`` are the laptop size in inches; the projector size scales them up.
    """
    scale = check_style_size(size)["figsize"][0] / SIZES["laptop"]["figsize"][0]
    figure = new_figure(size, figsize=(width * scale, height * scale), layout="constrained")
    axes = [figure.add_subplot(1, ncols, column + 1) for column in range(ncols)]
    return figure, axes


def _book_styled(plot: Callable) -> Callable:
    """Run a plotting helper inside the book style of its ``size`` argument (fonts, colours)."""

    @functools.wraps(plot)
    def styled(result: object, size: str = "laptop") -> Figure:
        check_style_size(size)
        with book_style(size):
            return plot(result, size)

    return styled


# --------------------------------------------------------------------------------------------
# 1. computational cost
# --------------------------------------------------------------------------------------------
def lstm_parameter_formula(hidden_size: int, input_size: int) -> int:
    """Number of parameters of an LSTM cell: ``4 * (H * (H + I) + H)``.

    Four blocks (forget, input, candidate, output), each a weight matrix of shape
    ``(H, H + I)`` acting on ``[h_prev, x]`` plus a bias of length ``H``.

    Parameters
    ----------
    hidden_size : int
        ``H``, positive.
    input_size : int
        ``I``, positive.

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive integer.
    """
    hidden = check_size(hidden_size, "hidden_size")
    inputs = check_size(input_size, "input_size")
    return 4 * (hidden * (hidden + inputs) + hidden)


def rnn_parameter_formula(hidden_size: int, input_size: int) -> int:
    """Number of parameters of a plain RNN cell: ``H * (H + I) + H`` (one block).

    Parameters
    ----------
    hidden_size : int
        ``H``, positive.
    input_size : int
        ``I``, positive.

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive integer.
    """
    hidden = check_size(hidden_size, "hidden_size")
    inputs = check_size(input_size, "input_size")
    return hidden * (hidden + inputs) + hidden


def lstm_multiply_adds_per_step(hidden_size: int, input_size: int) -> int:
    """Multiply-adds of the four matrix-vector products of one LSTM step (one sequence).

    Each of the four blocks multiplies an ``(H, H + I)`` matrix by ``[h_prev, x]``:
    ``4 * H * (H + I)``. The element-wise work (sigmoids, tanh, products) is ``O(H)`` and
    is left out, so this is the part that dominates for large ``H``.

    Parameters
    ----------
    hidden_size, input_size : int
        ``H`` and ``I``, positive.

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive integer.
    """
    hidden = check_size(hidden_size, "hidden_size")
    inputs = check_size(input_size, "input_size")
    return 4 * hidden * (hidden + inputs)


def rnn_multiply_adds_per_step(hidden_size: int, input_size: int) -> int:
    """Multiply-adds of the one matrix-vector product of a plain RNN step: ``H * (H + I)``.

    Parameters
    ----------
    hidden_size, input_size : int
        ``H`` and ``I``, positive.

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive integer.
    """
    hidden = check_size(hidden_size, "hidden_size")
    inputs = check_size(input_size, "input_size")
    return hidden * (hidden + inputs)


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

    def table(self) -> str:
        """The result as a fixed-width text table (one row per hidden size)."""
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
        return "\n".join(lines)


def computational_cost(
    hidden_sizes: Sequence[int] = (4, 16, 64, 128, 256, 512),
    input_size: int = 8,
    batch_size: int = 16,
    sequence_length: int = 40,
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
        Strictly increasing positive hidden sizes.
    input_size : int, default 8
        Features per time step.
    batch_size : int, default 16
        Sequences processed together.
    sequence_length : int, default 40
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
    sizes = _check_sizes(hidden_sizes, "hidden_sizes")
    input_size = check_size(input_size, "input_size")
    batch_size = check_size(batch_size, "batch_size")
    sequence_length = check_size(sequence_length, "sequence_length")
    repeats = check_size(repeats, "repeats")
    seed = _check_seed(seed)
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
        )
    }
    for hidden in sizes:
        hidden = int(hidden)
        lstm_cell = LSTMCell(input_size=input_size, hidden_size=hidden, seed=seed)
        rnn_cell = RNNCell(input_size, hidden, seed=seed)
        columns["lstm_parameters"].append(lstm_cell.num_parameters)
        columns["rnn_parameters"].append(rnn_cell.num_parameters)
        output_gradient = np.ones((sequence_length, batch_size, hidden))
        for name, cell in (("lstm", lstm_cell), ("rnn", rnn_cell)):

            def forward(cell=cell):
                return cell.run(xs)

            def forward_backward(cell=cell, output_gradient=output_gradient):
                return cell.backward(cell.run(xs), output_gradient)

            columns[f"{name}_forward"].append(_minimum_seconds(forward, repeats) / sequence_length)
            columns[f"{name}_forward_backward"].append(
                _minimum_seconds(forward_backward, repeats) / sequence_length
            )

    return CostResult(
        hidden_sizes=sizes,
        input_size=input_size,
        batch_size=batch_size,
        sequence_length=sequence_length,
        repeats=repeats,
        lstm_parameters=np.array(columns["lstm_parameters"], dtype=np.int64),
        rnn_parameters=np.array(columns["rnn_parameters"], dtype=np.int64),
        lstm_formula=np.array([lstm_parameter_formula(int(h), input_size) for h in sizes]),
        rnn_formula=np.array([rnn_parameter_formula(int(h), input_size) for h in sizes]),
        lstm_multiply_adds=np.array([lstm_multiply_adds_per_step(int(h), input_size) for h in sizes]),
        rnn_multiply_adds=np.array([rnn_multiply_adds_per_step(int(h), input_size) for h in sizes]),
        lstm_forward=np.array(columns["lstm_forward"]),
        rnn_forward=np.array(columns["rnn_forward"]),
        lstm_forward_backward=np.array(columns["lstm_forward_backward"]),
        rnn_forward_backward=np.array(columns["rnn_forward_backward"]),
    )


@_book_styled
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
    figure, (parameter_axes, time_axes) = _new_figure(2, size)
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


# --------------------------------------------------------------------------------------------
# 4. limited parallelisation
# --------------------------------------------------------------------------------------------
def longest_dependency_chain(dependencies: Mapping[str, Sequence[str]]) -> int:
    """Length of the longest chain of operations that must run one after another.

    ``dependencies`` maps each computed quantity to the quantities it needs. Names that are
    never keys (the inputs) are available at the start and count 0; each computed quantity
    counts 1, so the answer is the number of rounds an ideal parallel machine (unlimited cores)
    needs: in each round it computes everything whose needs are ready.

    Parameters
    ----------
    dependencies : mapping of str to sequence of str
        ``{"h1": ["h0", "x1"], "h2": ["h1", "x2"]}`` means h1 needs h0 and x1, and so on.

    Returns
    -------
    int
        The longest chain (0 for an empty mapping).

    Raises
    ------
    TypeError
        If ``dependencies`` is not a mapping of names to sequences of names.
    ValueError
        If the dependencies contain a cycle.

    Examples
    --------
    >>> longest_dependency_chain({"h1": ["x1"], "h2": ["h1", "x2"], "y": ["x1", "x2"]})
    2
    """
    if not isinstance(dependencies, Mapping):
        raise TypeError(f"dependencies must be a mapping; got {type(dependencies).__name__}")
    for name, needs in dependencies.items():
        if isinstance(needs, (str, bytes)) or not isinstance(needs, Sequence):
            raise TypeError(
                f"dependencies[{name!r}] must be a sequence of names; got {needs!r}"
            )
    depth: dict[str, int] = {}
    in_progress: set[str] = set()
    for root in dependencies:
        if root in depth:
            continue
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            name, children_done = stack.pop()
            if name in depth:
                continue
            if name not in dependencies:
                depth[name] = 0
                continue
            if children_done:
                in_progress.discard(name)
                depth[name] = 1 + max((depth[need] for need in dependencies[name]), default=0)
                continue
            if name in in_progress:
                raise ValueError(f"dependencies contain a cycle through {name!r}")
            in_progress.add(name)
            stack.append((name, True))
            for need in dependencies[name]:
                if need in in_progress:
                    raise ValueError(f"dependencies contain a cycle through {need!r}")
                if need not in depth:
                    stack.append((need, False))
    return max((depth[name] for name in dependencies), default=0)


def recurrent_dependencies(sequence_length: int) -> dict[str, list[str]]:
    """Dependencies of a recurrent layer: state ``h{t}`` needs ``h{t-1}`` and input ``x{t}``.

    Parameters
    ----------
    sequence_length : int
        ``T``, positive.

    Returns
    -------
    dict
        ``{"h1": ["h0", "x1"], ..., "hT": ["h{T-1}", "xT"]}`` (``h0`` is the given start state).
    """
    length = check_size(sequence_length, "sequence_length")
    return {f"h{t}": [f"h{t - 1}", f"x{t}"] for t in range(1, length + 1)}


def attention_dependencies(sequence_length: int) -> dict[str, list[str]]:
    """Dependencies of a self-attention layer: every output ``y{t}`` needs all inputs.

    Parameters
    ----------
    sequence_length : int
        ``T``, positive.

    Returns
    -------
    dict
        ``{"y1": ["x1", ..., "xT"], ..., "yT": ["x1", ..., "xT"]}``.
    """
    length = check_size(sequence_length, "sequence_length")
    inputs = [f"x{t}" for t in range(1, length + 1)]
    return {f"y{t}": inputs for t in range(1, length + 1)}


@dataclass(frozen=True)
class ParallelisationResult:
    """Result of :func:`parallelisation` (arrays have one entry per sequence length).

    Attributes
    ----------
    sequence_lengths : numpy.ndarray of int, shape (n,)
    model_size : int
        Hidden size of the LSTM and width of the attention layer.
    repeats : int
    lstm_chain, attention_chain : numpy.ndarray of int, shape (n,)
        Longest chain of operations that must wait for each other
        (:func:`longest_dependency_chain`).
    lstm_seconds, attention_seconds : numpy.ndarray of float, shape (n,)
        Wall time of one forward pass over one sequence (fastest of ``repeats``).
    lstm_multiply_adds, attention_multiply_adds : numpy.ndarray of int, shape (n,)
        Total multiply-adds of the matrix products of that forward pass.
    """

    sequence_lengths: np.ndarray
    model_size: int
    repeats: int
    lstm_chain: np.ndarray
    attention_chain: np.ndarray
    lstm_seconds: np.ndarray
    attention_seconds: np.ndarray
    lstm_multiply_adds: np.ndarray
    attention_multiply_adds: np.ndarray

    @property
    def speedup(self) -> np.ndarray:
        """LSTM wall time divided by attention wall time, shape (n,)."""
        return self.lstm_seconds / self.attention_seconds

    def table(self) -> str:
        """The result as a fixed-width text table (one row per sequence length)."""
        lines = [
            f"{'T':>6} {'LSTM chain':>10} {'attn chain':>10} {'LSTM ms':>9} {'attn ms':>9} "
            f"{'LSTM Mmadd':>10} {'attn Mmadd':>10}"
        ]
        for index, length in enumerate(self.sequence_lengths):
            lines.append(
                f"{length:>6d} {self.lstm_chain[index]:>10d} {self.attention_chain[index]:>10d} "
                f"{1e3 * self.lstm_seconds[index]:>9.2f} {1e3 * self.attention_seconds[index]:>9.2f} "
                f"{self.lstm_multiply_adds[index] / 1e6:>10.2f} "
                f"{self.attention_multiply_adds[index] / 1e6:>10.2f}"
            )
        return "\n".join(lines)


def parallelisation(
    sequence_lengths: Sequence[int] = (16, 32, 64, 128, 256, 512, 1024, 2048),
    model_size: int = 32,
    input_size: int = 8,
    repeats: int = 3,
    seed: int = 0,
) -> ParallelisationResult:
    """An LSTM's sequential steps against one self-attention layer, as the sequence grows.

    For each length ``T`` one random sequence is pushed through an LSTM with a read-out
    (:class:`~lstm.training.SequenceModel`, ``hidden_size = model_size``) and through the
    single-head :class:`~lstm.attention.SelfAttentionModel` of width ``model_size``; both
    forward passes are timed (fastest of ``repeats``, one BLAS thread). The dependency chains
    come from :func:`longest_dependency_chain` on :func:`recurrent_dependencies` and
    :func:`attention_dependencies`.

    Parameters
    ----------
    sequence_lengths : sequence of int, default (16, 32, ..., 2048)
        Strictly increasing lengths ``T``.
    model_size : int, default 32
        LSTM hidden size and attention width ``d``.
    input_size : int, default 8
        Features per step.
    repeats : int, default 3
        Timed runs per measurement (after a warm-up run).
    seed : int, default 0
        Seed of the weights and the random inputs.

    Returns
    -------
    ParallelisationResult

    Raises
    ------
    TypeError, ValueError
        If an argument is not of the documented kind or range.
    """
    lengths = _check_sizes(sequence_lengths, "sequence_lengths")
    model_size = check_size(model_size, "model_size")
    input_size = check_size(input_size, "input_size")
    repeats = check_size(repeats, "repeats")
    seed = _check_seed(seed)
    rng = np.random.default_rng(seed)
    lstm_model = SequenceModel(LSTMCell(input_size, model_size, seed=seed), 2, seed=seed)
    attention_model = SelfAttentionModel(input_size, model_size, 2, seed=seed)

    lstm_seconds, attention_seconds, lstm_chain, attention_chain = [], [], [], []
    lstm_work, attention_work = [], []
    for length in lengths:
        length = int(length)
        xs = rng.normal(size=(length, 1, input_size))
        lstm_seconds.append(_minimum_seconds(lambda xs=xs: lstm_model.forward(xs), repeats))
        attention_seconds.append(
            _minimum_seconds(lambda xs=xs: attention_model.forward(xs), repeats)
        )
        lstm_chain.append(longest_dependency_chain(recurrent_dependencies(length)))
        attention_chain.append(longest_dependency_chain(attention_dependencies(length)))
        lstm_work.append(length * lstm_multiply_adds_per_step(model_size, input_size))
        # embedding (T d I), queries/keys/values (3 T d d), scores (T T d), mixing (T T d)
        attention_work.append(
            length * model_size * input_size
            + 3 * length * model_size * model_size
            + 2 * length * length * model_size
        )
    return ParallelisationResult(
        sequence_lengths=lengths,
        model_size=model_size,
        repeats=repeats,
        lstm_chain=np.array(lstm_chain, dtype=np.int64),
        attention_chain=np.array(attention_chain, dtype=np.int64),
        lstm_seconds=np.array(lstm_seconds),
        attention_seconds=np.array(attention_seconds),
        lstm_multiply_adds=np.array(lstm_work, dtype=np.int64),
        attention_multiply_adds=np.array(attention_work, dtype=np.int64),
    )


@_book_styled
def plot_parallelisation(result: ParallelisationResult, size: str = "laptop") -> Figure:
    """Three panels against sequence length: dependency chain, total work, measured wall time.

    Parameters
    ----------
    result : ParallelisationResult
        From :func:`parallelisation`.
    size : {"laptop", "projector"}, default "laptop"
        Figure and font size (bigger for a classroom projector).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    TypeError
        If ``result`` is not a :class:`ParallelisationResult`.
    """
    if not isinstance(result, ParallelisationResult):
        raise TypeError(f"result must be a ParallelisationResult; got {type(result).__name__}")
    figure, (chain_axes, work_axes, time_axes) = _new_figure(3, size, width=13.0)
    lengths = result.sequence_lengths
    chain_axes.loglog(lengths, result.lstm_chain, "o-", color=LSTM_COLOUR, label="LSTM")
    chain_axes.loglog(lengths, result.attention_chain, "^-", color=ATTENTION_COLOUR,
                      label="self-attention")
    chain_axes.set_xlabel("sequence length T")
    chain_axes.set_ylabel("steps that must run one after another")
    chain_axes.set_title("Dependency chain")
    chain_axes.legend(loc="upper left")

    work_axes.loglog(lengths, result.lstm_multiply_adds, "o-", color=LSTM_COLOUR, label="LSTM")
    work_axes.loglog(lengths, result.attention_multiply_adds, "^-", color=ATTENTION_COLOUR,
                     label="self-attention")
    work_axes.set_xlabel("sequence length T")
    work_axes.set_ylabel("multiply-adds in total")
    work_axes.set_title("Total work")
    work_axes.legend(loc="upper left")

    milli = 1e3
    time_axes.loglog(lengths, milli * result.lstm_seconds, "o-", color=LSTM_COLOUR, label="LSTM")
    time_axes.loglog(lengths, milli * result.attention_seconds, "^-", color=ATTENTION_COLOUR,
                     label="self-attention")
    time_axes.set_xlabel("sequence length T")
    time_axes.set_ylabel("forward pass, one sequence (ms)")
    time_axes.set_title("Wall time (one core)")
    time_axes.legend(loc="upper left")
    return figure


# --------------------------------------------------------------------------------------------
# A task whose memory must be replaced: "name the most recently stored symbol"
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LatestRecall:
    """Name the symbol stored *most recently*: the memory must be held, and also replaced.

    Each sequence of ``length`` steps holds between 1 and ``max_stores`` *store* events at
    random steps (never the last); at a store event the input shows a symbol (one-hot) and
    the store marker. Every other step before the last carries Gaussian distractor noise of
    standard deviation ``noise`` on the symbol channels. At the last step the recall cue is 1
    and the target is the symbol of the latest store event. Unlike a single delayed recall,
    an earlier symbol must be thrown away when a new one arrives, which is what the forget
    gate was introduced for (Gers, Schmidhuber & Cummins, 2000). :mod:`lstm.tasks` has no such
    task, so it lives here; it has the same ``sample(n, rng)`` interface as those tasks.

    Input channels (``input_size = num_symbols + 2``): ``0 .. num_symbols-1`` symbol or noise,
    ``num_symbols`` store marker, ``num_symbols + 1`` recall cue.

    Parameters
    ----------
    length : int
        Steps per sequence (at least ``max_stores + 1``).
    num_symbols : int, default 4
        Number of symbols (chance accuracy ``1 / num_symbols``).
    max_stores : int, default 3
        Largest number of store events in one sequence.
    noise : float, default 0.5
        Standard deviation of the distractor noise.

    Raises
    ------
    TypeError, ValueError
        If an argument is not of the documented kind or range.
    """

    length: int
    num_symbols: int = 4
    max_stores: int = 3
    noise: float = 0.5

    def __post_init__(self) -> None:
        check_size(self.length, "length")
        check_size(self.num_symbols, "num_symbols")
        check_size(self.max_stores, "max_stores")
        if self.num_symbols < 2:
            raise ValueError(f"num_symbols must be at least 2; got {self.num_symbols}")
        if self.length < self.max_stores + 1:
            raise ValueError(
                f"length must be at least max_stores + 1 = {self.max_stores + 1}; got {self.length}"
            )
        if isinstance(self.noise, bool) or not isinstance(self.noise, int | float):
            raise TypeError(f"noise must be a non-negative number; got {self.noise!r}")
        if not np.isfinite(self.noise) or self.noise < 0:
            raise ValueError(f"noise must be a non-negative finite number; got {self.noise}")

    @property
    def input_size(self) -> int:
        """Number of input channels, ``num_symbols + 2``."""
        return self.num_symbols + 2

    @property
    def chance(self) -> float:
        """Accuracy of guessing, ``1 / num_symbols``."""
        return 1.0 / self.num_symbols

    def sample(self, num_examples: int, rng: np.random.Generator) -> SequenceData:
        """Draw ``num_examples`` sequences with ``rng``.

        Parameters
        ----------
        num_examples : int
            Number of sequences ``N``.
        rng : numpy.random.Generator

        Returns
        -------
        lstm.training.SequenceData
            ``xs`` of shape ``(length, N, num_symbols + 2)``, ``targets`` of shape ``(N,)``.
        """
        count = check_size(num_examples, "num_examples")
        steps, symbols_count = self.length, self.num_symbols
        xs = np.zeros((steps, count, symbols_count + 2))
        if self.noise > 0:
            xs[: steps - 1, :, :symbols_count] = rng.normal(
                0.0, self.noise, size=(steps - 1, count, symbols_count)
            )
        stores = rng.integers(1, self.max_stores + 1, size=count)
        # a random order of the steps 0..T-2 for every sequence; its first `stores` are stores
        order = np.argsort(rng.random((steps - 1, count)), axis=0)
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.arange(steps - 1)[:, None], axis=0)
        is_store = rank < stores[None, :]
        symbols = rng.integers(0, symbols_count, size=(steps - 1, count))
        store_t, store_n = np.nonzero(is_store)
        xs[store_t, store_n, :symbols_count] = 0.0
        xs[store_t, store_n, symbols[store_t, store_n]] = 1.0
        xs[store_t, store_n, symbols_count] = 1.0
        latest = (steps - 2) - np.argmax(is_store[::-1], axis=0)
        targets = symbols[latest, np.arange(count)]
        xs[steps - 1, :, symbols_count + 1] = 1.0
        info = {"task": "latest_recall", "length": steps, "max_stores": self.max_stores,
                "noise": self.noise, "num_symbols": symbols_count}
        return SequenceData(xs, targets.astype(np.int64), None, info)


def _progress(total: int, progress: bool, description: str) -> Any:
    """A progress bar over whole training runs (tqdm; a widget in notebooks), or None.

    Shown only if asked for, not on static pages (``LSTM_BOOK_STATIC=1``), and only when the
    experiment runs longer than a second.
    """
    if not progress_enabled(progress):
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=description, delay=1.0, leave=False, mininterval=0.2)


def _train_lstm(
    task: LatestRecall,
    *,
    hidden_size: int,
    seed: int,
    steps: int,
    lr: float,
    batch_size: int,
    forget_bias: float | None = 1.0,
    ablate: Sequence[str] = (),
) -> tuple[SequenceModel, Any]:
    """Train an LSTM with a softmax read-out on ``task``; return (model, history)."""
    cell = LSTMCell(task.input_size, hidden_size, seed=seed, forget_bias=forget_bias,
                    ablate=tuple(ablate))
    model = SequenceModel(cell, task.num_symbols, seed=seed)
    history = train(model, task, steps=steps, lr=lr, batch_size=batch_size, seed=seed,
                    progress=False)
    return model, history


def _check_seeds(seeds: Sequence[int]) -> tuple[int, ...]:
    """Return distinct non-negative integer seeds as a tuple, or raise."""
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Sequence | np.ndarray):
        raise TypeError(f"seeds must be a sequence of non-negative integers; got {seeds!r}")
    checked = tuple(_check_seed(seed, f"seeds[{index}]") for index, seed in enumerate(seeds))
    if not checked or len(set(checked)) != len(checked):
        raise ValueError(f"seeds must be a non-empty sequence of distinct integers; got {checked}")
    return checked


def _check_learning_rate(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating):
        raise TypeError(f"{name} must be a positive number; got {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number; got {value}")
    return float(value)


# --------------------------------------------------------------------------------------------
# 2. complex architecture: an ablation study
# --------------------------------------------------------------------------------------------
#: The variants of the ablation: (name shown, parts removed via ``LSTMCell(ablate=...)``).
ABLATION_VARIANTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("full LSTM", ()),
    ("no forget gate", ("forget_gate",)),
    ("no input gate", ("input_gate",)),
    ("no output gate", ("output_gate",)),
    ("no candidate tanh", ("candidate_tanh",)),
    ("no output tanh", ("output_tanh",)),
)


@dataclass(frozen=True)
class AblationResult:
    """Result of :func:`ablation_study`.

    Attributes
    ----------
    variants : tuple of str
        Names of the variants, ``"full LSTM"`` first.
    removed : tuple of tuple of str
        The ``ablate=`` parts of each variant.
    seeds : tuple of int
    test_losses, test_accuracies : numpy.ndarray, shape (variants, seeds)
        Cross-entropy and accuracy on a held-out test set after training.
    largest_cell_state : numpy.ndarray, shape (variants, seeds)
        Largest ``|c_t|`` seen on the test set (how far the memory strays from [-1, 1]).
    chance : float
        Accuracy of guessing.
    task : LatestRecall
    steps, hidden_size : int
    seconds : float
        Wall time of the whole study.
    """

    variants: tuple[str, ...]
    removed: tuple[tuple[str, ...], ...]
    seeds: tuple[int, ...]
    test_losses: np.ndarray
    test_accuracies: np.ndarray
    largest_cell_state: np.ndarray
    chance: float
    task: LatestRecall
    steps: int
    hidden_size: int
    seconds: float

    @property
    def mean_losses(self) -> np.ndarray:
        """Mean test loss of each variant over the seeds, shape (variants,)."""
        return self.test_losses.mean(axis=1)

    @property
    def ranking(self) -> tuple[str, ...]:
        """Variant names from the most harmful removal (highest mean loss) to the least."""
        order = np.argsort(-self.mean_losses, kind="stable")
        return tuple(self.variants[index] for index in order)

    def loss_of(self, variant: str) -> np.ndarray:
        """Test losses of one variant over the seeds, shape (seeds,).

        Raises
        ------
        ValueError
            If ``variant`` is not one of :attr:`variants`.
        """
        if variant not in self.variants:
            raise ValueError(f"variant must be one of {list(self.variants)}; got {variant!r}")
        return self.test_losses[self.variants.index(variant)]

    def table(self) -> str:
        """A text table: mean test loss, accuracy and largest |c| of each variant."""
        lines = [f"{'variant':<18} {'test loss':>9} {'accuracy':>9} {'max |c|':>8}"]
        for index, name in enumerate(self.variants):
            lines.append(
                f"{name:<18} {self.test_losses[index].mean():>9.3f} "
                f"{self.test_accuracies[index].mean():>9.3f} "
                f"{self.largest_cell_state[index].mean():>8.2f}"
            )
        return "\n".join(lines)


def ablation_study(
    seeds: Sequence[int] = (0, 1, 2),
    length: int = 20,
    noise: float = 0.8,
    hidden_size: int = 8,
    steps: int = 120,
    lr: float = 0.03,
    batch_size: int = 64,
    test_size: int = 500,
    progress: bool = True,
) -> AblationResult:
    """Train the full LSTM and five variants with one part removed; score them on new data.

    Every variant of :data:`ABLATION_VARIANTS` is trained on :class:`LatestRecall` (noisy
    distractors, 1 to 3 symbols to store, the latest one to name) with the same budget, the
    same seeds and a forget bias of 1, then scored on the same held-out test set.

    Parameters
    ----------
    seeds : sequence of int, default (0, 1, 2)
        One training run per seed and variant (the seed sets the weights and the batches).
    length : int, default 20
        Steps per sequence.
    noise : float, default 0.8
        Distractor noise.
    hidden_size : int, default 8
    steps : int, default 120
        Adam updates per run.
    lr : float, default 0.03
    batch_size : int, default 64
    test_size : int, default 500
        Held-out sequences (drawn with a seed no training run uses).
    progress : bool, default True
        Show a progress bar if the study takes longer than a second.

    Returns
    -------
    AblationResult

    Raises
    ------
    TypeError, ValueError
        If an argument is not of the documented kind or range.
    """
    seeds = _check_seeds(seeds)
    task = LatestRecall(length, noise=noise)
    hidden_size = check_size(hidden_size, "hidden_size")
    steps = check_size(steps, "steps")
    lr = _check_learning_rate(lr, "lr")
    batch_size = check_size(batch_size, "batch_size")
    test = task.sample(check_size(test_size, "test_size"), np.random.default_rng(10_000 + length))
    shape = (len(ABLATION_VARIANTS), len(seeds))
    losses, accuracies, largest = np.empty(shape), np.empty(shape), np.empty(shape)
    bar = _progress(shape[0] * shape[1], progress, "ablation")
    start = time.perf_counter()
    try:
        for row, (_, removed) in enumerate(ABLATION_VARIANTS):
            for column, seed in enumerate(seeds):
                model, _ = _train_lstm(task, hidden_size=hidden_size, seed=seed, steps=steps,
                                       lr=lr, batch_size=batch_size, ablate=removed)
                losses[row, column] = model.evaluate(test)
                accuracies[row, column] = model.accuracy(test)
                largest[row, column] = float(np.abs(model.run_cell(test.xs).c).max())
                if bar is not None:
                    bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return AblationResult(
        variants=tuple(name for name, _ in ABLATION_VARIANTS),
        removed=tuple(removed for _, removed in ABLATION_VARIANTS),
        seeds=seeds,
        test_losses=losses,
        test_accuracies=accuracies,
        largest_cell_state=largest,
        chance=task.chance,
        task=task,
        steps=steps,
        hidden_size=hidden_size,
        seconds=time.perf_counter() - start,
    )


@_book_styled
def plot_ablation(result: AblationResult, size: str = "laptop") -> Figure:
    """Test loss of each variant (bars: mean over seeds; dots: each seed), log scale.

    Parameters
    ----------
    result : AblationResult
        From :func:`ablation_study`.
    size : {"laptop", "projector"}, default "laptop"
        Figure and font size (bigger for a classroom projector).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    TypeError
        If ``result`` is not an :class:`AblationResult`.
    """
    if not isinstance(result, AblationResult):
        raise TypeError(f"result must be an AblationResult; got {type(result).__name__}")
    figure, (axes,) = _new_figure(1, size, width=10.0, height=4.8)
    positions = np.arange(len(result.variants))
    colours = [OKABE_ITO["black"]] + [OKABE_ITO["blue"]] * (len(result.variants) - 1)
    axes.barh(positions, result.mean_losses, color=colours, alpha=0.75, height=0.6,
              label="mean over seeds")
    for column in range(len(result.seeds)):
        axes.plot(result.test_losses[:, column], positions, "o", color=OKABE_ITO["vermillion"],
                  markersize=6, label="one seed" if column == 0 else None)
    axes.axvline(np.log(1.0 / result.chance), color=OKABE_ITO["black"], linestyle=":",
                 label="guessing")
    axes.set_xscale("log")
    axes.set_yticks(positions, result.variants)
    axes.invert_yaxis()
    axes.set_xlabel("test loss (cross-entropy, log scale; lower is better)")
    axes.set_title(f"Ablation: which part matters? (same budget, {len(result.seeds)} seeds)")
    axes.legend(loc="lower right", fontsize="small")
    return figure


# --------------------------------------------------------------------------------------------
# 3. very long sequences
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LongSequenceResult:
    """Result of :func:`long_sequences`.

    Attributes
    ----------
    train_length : int
        Length of the training sequences.
    test_lengths : numpy.ndarray of int, shape (n,)
    seeds : tuple of int
    accuracies : numpy.ndarray, shape (seeds, n)
        Test accuracy of each trained model at each test length.
    seconds_per_sequence : numpy.ndarray, shape (n,)
        Forward time per sequence at each length (fastest of a few runs, one BLAS thread).
    chance : float
    seconds : float
        Wall time of the whole experiment.
    """

    train_length: int
    test_lengths: np.ndarray
    seeds: tuple[int, ...]
    accuracies: np.ndarray
    seconds_per_sequence: np.ndarray
    chance: float
    seconds: float

    @property
    def mean_accuracies(self) -> np.ndarray:
        """Mean over the seeds, shape (n,)."""
        return self.accuracies.mean(axis=0)

    def table(self) -> str:
        """A text table: mean accuracy and time per sequence at each test length."""
        lines = [f"{'T':>6} {'accuracy':>9} {'ms/sequence':>12}"]
        for index, length in enumerate(self.test_lengths):
            lines.append(f"{length:>6d} {self.mean_accuracies[index]:>9.3f} "
                         f"{1e3 * self.seconds_per_sequence[index]:>12.3f}")
        return "\n".join(lines)


def long_sequences(
    test_lengths: Sequence[int] = (20, 50, 100, 200, 500, 1000),
    train_length: int = 20,
    seeds: Sequence[int] = (0, 1, 2),
    noise: float = 0.5,
    hidden_size: int = 8,
    steps: int = 200,
    lr: float = 0.03,
    batch_size: int = 64,
    test_size: int = 200,
    progress: bool = True,
) -> LongSequenceResult:
    """Train on short sequences, then test on sequences far longer than any seen in training.

    An LSTM is trained on :class:`LatestRecall` sequences of ``train_length`` steps, then
    scored on fresh sequences of each length in ``test_lengths`` (same task, so the symbol to
    name may lie much further back). The forward time per sequence at each length is measured
    too.

    Parameters
    ----------
    test_lengths : sequence of int, default (20, 50, 100, 200, 500, 1000)
        Strictly increasing test lengths.
    train_length : int, default 20
    seeds : sequence of int, default (0, 1, 2)
        One trained model per seed.
    noise : float, default 0.5
    hidden_size : int, default 8
    steps : int, default 200
    lr : float, default 0.03
    batch_size : int, default 64
    test_size : int, default 200
        Test sequences per length.
    progress : bool, default True

    Returns
    -------
    LongSequenceResult

    Raises
    ------
    TypeError, ValueError
        If an argument is not of the documented kind or range.
    """
    lengths = _check_sizes(test_lengths, "test_lengths")
    seeds = _check_seeds(seeds)
    train_task = LatestRecall(train_length, noise=noise)
    hidden_size = check_size(hidden_size, "hidden_size")
    test_size = check_size(test_size, "test_size")
    tests = [
        LatestRecall(int(length), noise=noise).sample(test_size, np.random.default_rng(20_000 + int(length)))
        for length in lengths
    ]
    accuracies = np.empty((len(seeds), len(lengths)))
    bar = _progress(len(seeds) + 1, progress, "long sequences")
    start = time.perf_counter()
    try:
        model = None
        for row, seed in enumerate(seeds):
            model, _ = _train_lstm(train_task, hidden_size=hidden_size, seed=seed,
                                   steps=check_size(steps, "steps"),
                                   lr=_check_learning_rate(lr, "lr"),
                                   batch_size=check_size(batch_size, "batch_size"))
            accuracies[row] = [model.accuracy(test) for test in tests]
            if bar is not None:
                bar.update(1)
        seconds_per_sequence = np.array([
            _minimum_seconds(lambda test=test: model.forward(test.xs), repeats=3) / test_size
            for test in tests
        ])
        if bar is not None:
            bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return LongSequenceResult(
        train_length=train_task.length,
        test_lengths=lengths,
        seeds=seeds,
        accuracies=accuracies,
        seconds_per_sequence=seconds_per_sequence,
        chance=train_task.chance,
        seconds=time.perf_counter() - start,
    )


@_book_styled
def plot_long_sequences(result: LongSequenceResult, size: str = "laptop") -> Figure:
    """Two panels against test length: accuracy (each seed and mean) and time per sequence.

    Parameters
    ----------
    result : LongSequenceResult
        From :func:`long_sequences`.
    size : {"laptop", "projector"}, default "laptop"
        Figure and font size (bigger for a classroom projector).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    TypeError
        If ``result`` is not a :class:`LongSequenceResult`.
    """
    if not isinstance(result, LongSequenceResult):
        raise TypeError(f"result must be a LongSequenceResult; got {type(result).__name__}")
    figure, (accuracy_axes, time_axes) = _new_figure(2, size)
    lengths = result.test_lengths
    for row in range(len(result.seeds)):
        accuracy_axes.semilogx(lengths, result.accuracies[row], "-", color=LSTM_COLOUR,
                               alpha=0.35, linewidth=1.2,
                               label="one seed" if row == 0 else None)
    accuracy_axes.semilogx(lengths, result.mean_accuracies, "o-", color=LSTM_COLOUR,
                           label="mean over seeds")
    accuracy_axes.axhline(result.chance, color=OKABE_ITO["black"], linestyle=":",
                          label="guessing")
    accuracy_axes.axvline(result.train_length, color=OKABE_ITO["reddish_purple"],
                          linestyle="--", label="training length")
    accuracy_axes.set_ylim(0.0, 1.05)
    accuracy_axes.set_xlabel("test sequence length T")
    accuracy_axes.set_ylabel("test accuracy")
    accuracy_axes.set_title("Accuracy beyond the training length")
    accuracy_axes.legend(loc="upper right", fontsize="small")

    time_axes.loglog(lengths, 1e3 * result.seconds_per_sequence, "o-", color=LSTM_COLOUR)
    time_axes.set_xlabel("sequence length T")
    time_axes.set_ylabel("forward time per sequence (ms)")
    time_axes.set_title("Time grows with T")
    return figure


# --------------------------------------------------------------------------------------------
# 5. hyperparameter tuning
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SweepResult:
    """Result of :func:`hyperparameter_sweep`.

    Attributes
    ----------
    learning_rates : numpy.ndarray, shape (n_lr,)
    hidden_sizes : numpy.ndarray of int, shape (n_h,)
    seeds : tuple of int
    test_losses : numpy.ndarray, shape (n_h, n_lr, seeds)
        Held-out cross-entropy after training; NaN where training diverged.
    good_loss : float
        A cell is "good" when its mean test loss is at most this.
    guessing_loss : float
        Cross-entropy of guessing, ``ln(num_symbols)``.
    steps : int
        Adam updates per run.
    seconds : float
        Wall time of the sweep.
    """

    learning_rates: np.ndarray
    hidden_sizes: np.ndarray
    seeds: tuple[int, ...]
    test_losses: np.ndarray
    good_loss: float
    guessing_loss: float
    steps: int
    seconds: float

    @property
    def mean_losses(self) -> np.ndarray:
        """Mean test loss over the seeds, shape (n_h, n_lr) (NaN if any seed diverged)."""
        return self.test_losses.mean(axis=2)

    @property
    def good(self) -> np.ndarray:
        """Boolean (n_h, n_lr): mean test loss at most :attr:`good_loss` (diverged: False)."""
        with np.errstate(invalid="ignore"):
            return np.nan_to_num(self.mean_losses, nan=np.inf) <= self.good_loss

    @property
    def good_fraction(self) -> float:
        """Fraction of the grid's cells that are good."""
        return float(self.good.mean())

    @property
    def best(self) -> tuple[int, float, float]:
        """``(hidden_size, learning_rate, mean test loss)`` of the best cell."""
        losses = np.nan_to_num(self.mean_losses, nan=np.inf)
        row, column = np.unravel_index(np.argmin(losses), losses.shape)
        return (int(self.hidden_sizes[row]), float(self.learning_rates[column]),
                float(losses[row, column]))

    def table(self) -> str:
        """The grid of mean test losses as text (rows: hidden size, columns: learning rate)."""
        header = "H \\ lr " + " ".join(f"{rate:>7g}" for rate in self.learning_rates)
        lines = [header]
        for row, hidden in enumerate(self.hidden_sizes):
            cells = " ".join(
                "   div." if np.isnan(value) else f"{value:>7.3f}"
                for value in self.mean_losses[row]
            )
            lines.append(f"{hidden:>6d} {cells}")
        return "\n".join(lines)


def hyperparameter_sweep(
    learning_rates: Sequence[float] = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0),
    hidden_sizes: Sequence[int] = (2, 4, 8, 16),
    seeds: Sequence[int] = (0, 1, 2),
    length: int = 10,
    noise: float = 0.5,
    steps: int = 80,
    batch_size: int = 32,
    good_fraction_of_guessing: float = 0.1,
    test_size: int = 300,
    progress: bool = True,
) -> SweepResult:
    """Train an LSTM for every (hidden size, learning rate) pair and a few seeds.

    Every run gets the same small budget (``steps`` Adam updates on :class:`LatestRecall`)
    and is scored on one held-out test set. A cell of the grid counts as *good* when its
    mean test loss is at most ``good_fraction_of_guessing`` times the loss of guessing.

    Parameters
    ----------
    learning_rates : sequence of float, default 0.001 ... 1.0
        Strictly increasing positive learning rates.
    hidden_sizes : sequence of int, default (2, 4, 8, 16)
    seeds : sequence of int, default (0, 1, 2)
    length : int, default 10
    noise : float, default 0.5
    steps : int, default 80
    batch_size : int, default 32
    good_fraction_of_guessing : float, default 0.1
        Threshold of a good cell, as a fraction of ``ln(num_symbols)``; in (0, 1).
    test_size : int, default 300
    progress : bool, default True

    Returns
    -------
    SweepResult

    Raises
    ------
    TypeError, ValueError
        If an argument is not of the documented kind or range.
    """
    if isinstance(learning_rates, (str, bytes)) or not isinstance(learning_rates,
                                                                     Sequence | np.ndarray):
        raise TypeError(f"learning_rates must be a sequence of numbers; got {learning_rates!r}")
    rates = np.array([_check_learning_rate(rate, f"learning_rates[{index}]")
                      for index, rate in enumerate(learning_rates)])
    if rates.size < 2 or np.any(np.diff(rates) <= 0):
        raise ValueError(f"learning_rates must hold 2 or more increasing values; got {rates}")
    sizes = _check_sizes(hidden_sizes, "hidden_sizes")
    seeds = _check_seeds(seeds)
    steps = check_size(steps, "steps")
    batch_size = check_size(batch_size, "batch_size")
    threshold = _check_learning_rate(good_fraction_of_guessing, "good_fraction_of_guessing")
    if threshold >= 1:
        raise ValueError(f"good_fraction_of_guessing must lie in (0, 1); got {threshold}")
    task = LatestRecall(length, noise=noise)
    test = task.sample(check_size(test_size, "test_size"), np.random.default_rng(30_000 + length))
    losses = np.empty((sizes.size, rates.size, len(seeds)))
    bar = _progress(losses.size, progress, "sweep")
    start = time.perf_counter()
    try:
        for row, hidden in enumerate(sizes):
            for column, rate in enumerate(rates):
                for index, seed in enumerate(seeds):
                    model, history = _train_lstm(task, hidden_size=int(hidden), seed=seed,
                                                 steps=steps, lr=float(rate),
                                                 batch_size=batch_size)
                    with np.errstate(all="ignore"):
                        loss = model.evaluate(test) if history.diverged_at is None else np.nan
                    losses[row, column, index] = loss if np.isfinite(loss) else np.nan
                    if bar is not None:
                        bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    guessing = float(np.log(task.num_symbols))
    return SweepResult(
        learning_rates=rates,
        hidden_sizes=sizes,
        seeds=seeds,
        test_losses=losses,
        good_loss=threshold * guessing,
        guessing_loss=guessing,
        steps=steps,
        seconds=time.perf_counter() - start,
    )


@_book_styled
def plot_hyperparameter_sweep(result: SweepResult, size: str = "laptop") -> Figure:
    """Heat map of the mean test loss over (hidden size, learning rate); good cells outlined.

    Parameters
    ----------
    result : SweepResult
        From :func:`hyperparameter_sweep`.
    size : {"laptop", "projector"}, default "laptop"
        Figure and font size (bigger for a classroom projector).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    TypeError
        If ``result`` is not a :class:`SweepResult`.
    """
    if not isinstance(result, SweepResult):
        raise TypeError(f"result must be a SweepResult; got {type(result).__name__}")
    from matplotlib import colormaps
    from matplotlib.colors import LogNorm
    from matplotlib.patches import Rectangle

    figure, (axes,) = _new_figure(1, size, width=10.0, height=4.8)
    losses = result.mean_losses
    finite = losses[np.isfinite(losses)]
    low = max(float(finite.min()) if finite.size else 1e-3, 1e-3)
    high = max(float(finite.max()) if finite.size else 1.0, result.guessing_loss)
    colour_map = colormaps["cividis_r"].with_extremes(bad=OKABE_ITO["black"])
    image = axes.imshow(np.ma.masked_invalid(losses), cmap=colour_map, aspect="auto",
                        norm=LogNorm(vmin=low, vmax=high))
    colourbar = figure.colorbar(image, ax=axes)
    colourbar.set_label("test loss (log scale)")
    for row in range(losses.shape[0]):
        for column in range(losses.shape[1]):
            value = losses[row, column]
            text = "div." if not np.isfinite(value) else f"{value:.2f}"
            shade = "white" if not np.isfinite(value) or value > np.sqrt(low * high) else "black"
            axes.text(column, row, text, ha="center", va="center", color=shade, fontsize="small")
            if result.good[row, column]:
                axes.add_patch(Rectangle((column - 0.5, row - 0.5), 1, 1, fill=False,
                                         edgecolor=OKABE_ITO["vermillion"], linewidth=3))
    axes.set_xticks(range(result.learning_rates.size),
                    [f"{rate:g}" for rate in result.learning_rates])
    axes.set_yticks(range(result.hidden_sizes.size), [str(h) for h in result.hidden_sizes])
    axes.set_xlabel("learning rate")
    axes.set_ylabel("hidden size H")
    axes.grid(False)
    axes.set_title(f"Test loss after {result.steps} steps (outlined: loss ≤ {result.good_loss:.2f})")
    return figure


# --------------------------------------------------------------------------------------------
# 6. outshone by Transformers
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AttentionComparisonResult:
    """Result of :func:`attention_versus_lstm`.

    Attributes
    ----------
    delays : numpy.ndarray of int, shape (n,)
    seeds : tuple of int
    lstm_accuracies, attention_accuracies : numpy.ndarray, shape (n, seeds)
        Test accuracy after the same training budget.
    lstm_parameters, attention_parameters : int
        Trainable numbers of each model.
    chance : float
    steps : int
    seconds : float
    """

    delays: np.ndarray
    seeds: tuple[int, ...]
    lstm_accuracies: np.ndarray
    attention_accuracies: np.ndarray
    lstm_parameters: int
    attention_parameters: int
    chance: float
    steps: int
    seconds: float

    def table(self) -> str:
        """A text table: mean accuracy of each model at each delay."""
        lines = [f"{'delay':>6} {'LSTM':>6} {'attention':>10}"]
        for index, delay in enumerate(self.delays):
            lines.append(f"{delay:>6d} {self.lstm_accuracies[index].mean():>6.3f} "
                         f"{self.attention_accuracies[index].mean():>10.3f}")
        return "\n".join(lines)


def attention_versus_lstm(
    delays: Sequence[int] = (4, 8, 16, 32),
    seeds: Sequence[int] = (0, 1),
    model_size: int = 16,
    noise: float = 1.0,
    steps: int = 200,
    lr: float = 0.03,
    batch_size: int = 32,
    forget_bias: float = 2.0,
    test_size: int = 300,
    progress: bool = True,
) -> AttentionComparisonResult:
    """Delayed recall at growing delays: an LSTM and a self-attention model, same trainer.

    Both models (hidden size / width ``model_size``, softmax read-out at the last step) are
    trained by :func:`lstm.training.train` with the same steps, learning rate, batch size and
    seeds on :class:`lstm.tasks.DelayedRecall` (a symbol at the first step, ``delay`` noisy
    distractors, then the recall cue), and scored on the same held-out test set per delay.
    The LSTM's defaults follow its set-up in the chapter on advantages (noise 1, forget bias 2,
    learning rate 0.03), with batches of 32 to keep the run short.

    Parameters
    ----------
    delays : sequence of int, default (4, 8, 16, 32)
        Strictly increasing delays.
    seeds : sequence of int, default (0, 1)
    model_size : int, default 16
    noise : float, default 1.0
    steps : int, default 200
    lr : float, default 0.03
    batch_size : int, default 32
    forget_bias : float, default 2.0
        Initial forget-gate bias of the LSTM.
    test_size : int, default 300
    progress : bool, default True

    Returns
    -------
    AttentionComparisonResult

    Raises
    ------
    TypeError, ValueError
        If an argument is not of the documented kind or range.
    """
    delay_values = _check_sizes(delays, "delays")
    seeds = _check_seeds(seeds)
    model_size = check_size(model_size, "model_size")
    steps = check_size(steps, "steps")
    lr = _check_learning_rate(lr, "lr")
    batch_size = check_size(batch_size, "batch_size")
    test_size = check_size(test_size, "test_size")
    lstm_accuracies = np.empty((delay_values.size, len(seeds)))
    attention_accuracies = np.empty_like(lstm_accuracies)
    bar = _progress(2 * lstm_accuracies.size, progress, "attention vs LSTM")
    start = time.perf_counter()
    lstm_parameters = attention_parameters = 0
    try:
        for row, delay in enumerate(delay_values):
            task = DelayedRecall(delay=int(delay), noise=noise)
            test = task.sample(test_size, np.random.default_rng(40_000 + int(delay)))
            for column, seed in enumerate(seeds):
                lstm_model = SequenceModel(
                    LSTMCell(task.input_size, model_size, seed=seed, forget_bias=forget_bias),
                    task.num_symbols, seed=seed)
                attention_model = SelfAttentionModel(task.input_size, model_size,
                                                     task.num_symbols, seed=seed)
                for model, scores in ((lstm_model, lstm_accuracies),
                                      (attention_model, attention_accuracies)):
                    train(model, task, steps=steps, lr=lr, batch_size=batch_size, seed=seed,
                          progress=False)
                    scores[row, column] = model.accuracy(test)
                    if bar is not None:
                        bar.update(1)
                lstm_parameters = lstm_model.num_parameters
                attention_parameters = attention_model.num_parameters
    finally:
        if bar is not None:
            bar.close()
    return AttentionComparisonResult(
        delays=delay_values,
        seeds=seeds,
        lstm_accuracies=lstm_accuracies,
        attention_accuracies=attention_accuracies,
        lstm_parameters=lstm_parameters,
        attention_parameters=attention_parameters,
        chance=1.0 / DelayedRecall(delay=1).num_symbols,
        steps=steps,
        seconds=time.perf_counter() - start,
    )


@_book_styled
def plot_attention_versus_lstm(result: AttentionComparisonResult, size: str = "laptop") -> Figure:
    """Test accuracy against delay for both models (each seed faint, mean bold).

    Parameters
    ----------
    result : AttentionComparisonResult
        From :func:`attention_versus_lstm`.
    size : {"laptop", "projector"}, default "laptop"
        Figure and font size (bigger for a classroom projector).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    TypeError
        If ``result`` is not an :class:`AttentionComparisonResult`.
    """
    if not isinstance(result, AttentionComparisonResult):
        raise TypeError(
            f"result must be an AttentionComparisonResult; got {type(result).__name__}"
        )
    figure, (axes,) = _new_figure(1, size, width=10.0, height=4.8)
    delays = result.delays
    for scores, colour, marker, name in (
        (result.lstm_accuracies, LSTM_COLOUR, "o", "LSTM"),
        (result.attention_accuracies, ATTENTION_COLOUR, "^", "self-attention"),
    ):
        for column in range(scores.shape[1]):
            axes.semilogx(delays, scores[:, column], "-", color=colour, alpha=0.35,
                          linewidth=1.2)
        axes.semilogx(delays, scores.mean(axis=1), marker + "-", color=colour,
                      label=f"{name} (mean of {scores.shape[1]} seeds)")
    axes.axhline(result.chance, color=OKABE_ITO["black"], linestyle=":", label="guessing")
    axes.set_xticks(delays, [str(delay) for delay in delays])
    axes.minorticks_off()
    axes.set_ylim(0.0, 1.05)
    axes.set_xlabel("delay (distractor steps between symbol and recall cue)")
    axes.set_ylabel("test accuracy")
    axes.set_title(f"Delayed recall, same trainer and budget ({result.steps} steps)")
    axes.legend(loc="center left", fontsize="small")
    return figure


# --------------------------------------------------------------------------------------------
# explorer: the dependency graphs of both layers for a chosen sequence length
# --------------------------------------------------------------------------------------------
#: Longest sequence the dependency explorer draws (more nodes would not be readable).
EXPLORER_MAX_LENGTH = 12


def _graph_coordinates(dependencies: Mapping[str, Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Edges of a dependency graph as one polyline (NaN between segments), for drawing.

    Inputs ``x{t}`` sit at height 0 and computed nodes (``h{t}``, ``y{t}``) at height 1, both
    at horizontal position ``t``; the start state ``h0`` sits at position 0, height 1.
    """
    xs: list[float] = []
    ys: list[float] = []
    for node, needs in dependencies.items():
        node_position = float(node[1:])
        for need in needs:
            need_position = float(need[1:])
            need_height = 0.0 if need.startswith("x") else 1.0
            xs += [need_position, node_position, np.nan]
            ys += [need_height, 1.0, np.nan]
    if not xs:
        return np.array([np.nan]), np.array([np.nan])
    return np.array(xs), np.array(ys)


def _dependency_explorer_class() -> type:
    """Build the explorer class lazily (ipywidgets is imported only when it is used)."""
    import ipywidgets as widgets

    from lstm.explorers import Explorer, _int_slider

    class DependencyExplorer(Explorer):
        """Slider for the sequence length T -> the dependency graphs of an LSTM and attention."""

        name = "dependency-chain"
        static_parameter = "length"
        static_caption = (
            "Moving the slider changes the sequence length T. The LSTM's states form one chain "
            "of T steps (highlighted); every output of the attention layer depends on all "
            "inputs directly, so its longest chain stays 1."
        )
        figsize: ClassVar[dict[str, tuple[float, float]]] = {
            "laptop": (9.0, 4.2),
            "projector": (12.0, 5.6),
        }

        def _make_controls(self) -> dict[str, widgets.Widget]:
            return {
                "length": _int_slider("sequence length T", 6, 1, EXPLORER_MAX_LENGTH,
                                      "Number of time steps drawn"),
            }

        def _build_figure(self) -> None:
            self.lstm_axes, self.attention_axes = self.figure.subplots(2, 1)
            self.artists: dict[str, Any] = {}
            for key, axes, top in (("lstm", self.lstm_axes, "h"),
                                   ("attention", self.attention_axes, "y")):
                axes.set_xlim(-0.6, EXPLORER_MAX_LENGTH + 0.6)
                axes.set_ylim(-0.45, 1.45)
                axes.set_yticks([0, 1], ["inputs x", "states h" if top == "h" else "outputs y"])
                axes.set_xticks([])
                axes.grid(False)
                for side in ("left", "bottom"):
                    axes.spines[side].set_visible(False)
                (self.artists[f"{key}_edges"],) = axes.plot(
                    [], [], "-", color=OKABE_ITO["black"], linewidth=0.8, alpha=0.35)
                (self.artists[f"{key}_inputs"],) = axes.plot(
                    [], [], "o", color=OKABE_ITO["sky_blue"], markersize=10)
                (self.artists[f"{key}_outputs"],) = axes.plot(
                    [], [], "s", color=LSTM_COLOUR if key == "lstm" else ATTENTION_COLOUR,
                    markersize=10)
                self.artists[f"{key}_title"] = axes.set_title(" ")
            (self.artists["lstm_chain"],) = self.lstm_axes.plot(
                [], [], "-", color=OKABE_ITO["vermillion"], linewidth=3.0)
            self.lstm_axes.plot([0], [1], "s", color=OKABE_ITO["black"], markersize=7, zorder=5)
            self.lstm_axes.annotate("start state h0", (0, 1), xytext=(0, 1.32), ha="left",
                                    va="center", fontsize="small")
            self._compute()
            self.figure.tight_layout()

        def _dynamic_artists(self) -> list[Any]:
            # drawn in this order: edges and the chain below the nodes
            order = ("lstm_edges", "lstm_chain", "attention_edges", "lstm_inputs",
                     "lstm_outputs", "attention_inputs", "attention_outputs", "lstm_title",
                     "attention_title")
            return [self.artists[name] for name in order]

        def _compute(self) -> None:
            self.length = int(self.controls["length"].value)
            self.lstm_dependencies = recurrent_dependencies(self.length)
            self.attention_dependencies = attention_dependencies(self.length)
            self.lstm_chain = longest_dependency_chain(self.lstm_dependencies)
            self.attention_chain = longest_dependency_chain(self.attention_dependencies)

        def _redraw(self) -> None:
            positions = np.arange(1, self.length + 1)
            for key, dependencies, chain in (
                ("lstm", self.lstm_dependencies, self.lstm_chain),
                ("attention", self.attention_dependencies, self.attention_chain),
            ):
                self.artists[f"{key}_edges"].set_data(
                    *_graph_coordinates(dependencies))
                self.artists[f"{key}_inputs"].set_data(positions, np.zeros(self.length))
                self.artists[f"{key}_outputs"].set_data(positions, np.ones(self.length))
                layer = "LSTM" if key == "lstm" else "self-attention"
                steps = "step" if chain == 1 else "steps"
                self.artists[f"{key}_title"].set_text(
                    f"{layer}, T = {self.length}: longest chain {chain} {steps}")
            self.artists["lstm_chain"].set_data(np.arange(0, self.length + 1),
                                                np.ones(self.length + 1))

        def describe(self) -> str:
            return (
                f"Two dependency graphs for a sequence of {self.length} steps. Top, the LSTM: "
                f"each state h_t is joined to its input x_t below it and to the previous state "
                f"h_(t-1) on its left, so the states form one chain of {self.lstm_chain} steps, "
                f"drawn as a thick line. Bottom, self-attention: every output y_t is joined to "
                f"all {self.length} inputs, and the longest chain is "
                f"{self.attention_chain} step."
            )

    return DependencyExplorer


def dependency_explorer(size: str = "laptop") -> Any:
    """Slider for the sequence length; the dependency graphs of an LSTM and attention redrawn.

    Live ipywidgets in a kernel; with ``LSTM_BOOK_STATIC=1`` an HTML scrubber over the
    sequence length (see :mod:`lstm.static`).

    Parameters
    ----------
    size : {"laptop", "projector"}, default "laptop"

    Returns
    -------
    lstm.explorers.Explorer or lstm.static.StaticExplorer

    Raises
    ------
    ValueError
        If ``size`` is unknown.
    """
    check_style_size(size)
    from lstm.static import scrubber, static_mode

    explorer = _dependency_explorer_class()(size)
    if static_mode():
        return scrubber(explorer, count=EXPLORER_MAX_LENGTH)
    return explorer
