"""Claim 2 of "Advantages of LSTMs": long-term dependencies (section #sec-adv-long-term).

- :func:`long_term_dependencies` -> :class:`LongTermResult`, drawn by
  :func:`plot_long_term_dependencies`: delayed-recall accuracy of a plain RNN and an LSTM with
  the same training budget, one of each per seed (seeds 0-9).
- :func:`open_up_lstm` -> :class:`OpenedLSTM` (one trained model) and :func:`open_up_lstms` ->
  :class:`OpenedLSTMs` (one per seed), drawn by :func:`plot_open_lstm` (subsection "Opening up
  the trained LSTM"): the gates and cell states of the trained LSTMs, and how well each unit's
  cell state alone recalls the symbol.

The adding problem of the same section is in :mod:`lstm.experiments.adding_problem`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm._checks import check_integer, check_number
from lstm.cell import LSTMCell
from lstm.experiments.common import (
    AT_CHANCE,
    BASELINE_COLOUR,
    DEFAULT_SEEDS,
    DELAYED_RECALL_BUDGET,
    LEARNT,
    LSTM_COLOUR,
    RNN_COLOUR,
    check_increasing,
    check_seeds,
    scaled_figure,
    train_recall_pairs,
)
from lstm.gradient_flow import NUM_SYMBOLS
from lstm.style import GATE_COLOURS, OKABE_ITO, book_style, integer_ticks
from lstm.tasks import delayed_recall
from lstm.training import SequenceModel, one_blas_thread

__all__ = [
    "LongTermResult",
    "OpenedLSTM",
    "OpenedLSTMs",
    "long_term_dependencies",
    "open_up_lstm",
    "open_up_lstms",
    "plot_long_term_dependencies",
    "plot_open_lstm",
]


def _spread(values: np.ndarray) -> str:
    """``"100%"`` when all values print alike, else the median and range: ``"100% (74-100%)"``."""
    low, middle, high = (f"{value:.0%}" for value in (values.min(), np.median(values), values.max()))
    return middle if low == high else f"{middle} ({low}-{high})"


@dataclass(frozen=True)
class LongTermResult:
    """Delayed-recall accuracy per delay and seed, plain RNN against LSTM, same training budget.

    Attributes
    ----------
    delays : numpy.ndarray of int, shape (D,)
    seeds : tuple of int, length S
    rnn_accuracy, lstm_accuracy : numpy.ndarray, shape (D, S)
        Test accuracy at each delay (500 fresh sequences) for each seed.
    chance : float
    noise : float
    lstm_models : tuple of SequenceModel, length S
        The LSTMs trained at the longest delay (to open up), one per seed.
    settings : dict
        Hidden size, steps, batch size, learning rate, forget bias, perturbation, parameter counts.
    seconds : float
    """

    delays: np.ndarray
    seeds: tuple[int, ...]
    rnn_accuracy: np.ndarray
    lstm_accuracy: np.ndarray
    chance: float
    noise: float
    lstm_models: tuple[SequenceModel, ...]
    settings: dict[str, Any]
    seconds: float

    @property
    def lstm_learnt(self) -> np.ndarray:
        """Where the LSTM learnt the task (:data:`~lstm.experiments.common.LEARNT`), shape (D, S)."""
        return self.lstm_accuracy >= LEARNT

    @property
    def rnn_learnt(self) -> np.ndarray:
        """Seeds on which the RNN learnt the task, shape (D, S)."""
        return self.rnn_accuracy >= LEARNT

    @property
    def rnn_at_chance(self) -> np.ndarray:
        """Where the RNN stayed at chance (:data:`~lstm.experiments.common.AT_CHANCE`), shape (D, S)."""
        return self.rnn_accuracy <= AT_CHANCE

    def summary(self) -> str:
        """Median (and range) over the seeds of each model's accuracy, and on how many seeds it learnt."""
        count = len(self.seeds)
        lines = [
            f"noise {self.noise:g}, seeds {self.seeds[0]}-{self.seeds[-1]}: median accuracy (range); "
            f"seeds that learnt the task (>= {LEARNT:.0%})",
            "delay  RNN                    LSTM",
        ]
        for row, delay in enumerate(self.delays):
            rnn, lstm = self.rnn_accuracy[row], self.lstm_accuracy[row]
            lines.append(
                f"{delay:5d}  {_spread(rnn):14s} {int(self.rnn_learnt[row].sum()):2d}/{count}  "
                f"{_spread(lstm):14s} {int(self.lstm_learnt[row].sum()):2d}/{count}"
            )
        lines.append(
            f"(chance {self.chance:.0%}; parameters RNN {self.settings['rnn_parameters']}, "
            f"LSTM {self.settings['lstm_parameters']})"
        )
        return "\n".join(lines)


@one_blas_thread()
def long_term_dependencies(
    delays: Sequence[int] = (10,),
    noise: float = DELAYED_RECALL_BUDGET["noise"],
    hidden_size: int = int(DELAYED_RECALL_BUDGET["hidden_size"]),
    steps: int = int(DELAYED_RECALL_BUDGET["steps"]),
    batch_size: int = int(DELAYED_RECALL_BUDGET["batch_size"]),
    lr: float = DELAYED_RECALL_BUDGET["lr"],
    forget_bias: float = DELAYED_RECALL_BUDGET["forget_bias"],
    seeds: Sequence[int] = DEFAULT_SEEDS,
    perturbation: float = 0.0,
    progress: bool = True,
) -> LongTermResult:
    """Train an RNN and an LSTM per seed on delayed recall at each delay; test accuracy.

    Same hidden size, steps, batch size, learning rate and seed for both models of a seed.  The
    LSTM's forget-gate bias starts at ``forget_bias`` (a common initialisation, Gers et al.
    2000; Jozefowicz et al. 2015). The defaults are the delayed-recall budget shared with
    chapter 9 (:data:`lstm.experiments.common.DELAYED_RECALL_BUDGET`: 8 units, 400 steps of 64
    sequences, learning rate 0.02, forget bias 3, noise 1). The models are trained by
    :func:`lstm.experiments.common.train_recall_pairs` (all seeds of a model kind and delay in
    one :func:`lstm.stacked.train_many` call), so a setting this process has trained already
    (in :func:`lstm.experiments.noise.noise_robustness`, say) is reused.

    Parameters
    ----------
    delays : sequence of int, default (10,)
        Increasing delays to try.
    noise : float, default 1.0
        Distractor noise during the delay.
    hidden_size, steps, batch_size : int
    lr, forget_bias : float
    seeds : sequence of int, default 0-9
        One RNN and one LSTM per seed (cell, read-out and data order all from the seed).
    perturbation : float, default 0
        Relative change of the initial weights (:func:`lstm.stacked.train_many`; tests: 1e-12).
    progress : bool

    Returns
    -------
    LongTermResult

    Raises
    ------
    TypeError, ValueError
        If an argument is out of range.
    """
    start = time.perf_counter()
    delays = tuple(int(d) for d in check_increasing("delays", delays, minimum=0))
    seeds = check_seeds(seeds)
    runs = train_recall_pairs(
        [(delay, noise) for delay in delays],
        hidden_size=hidden_size,
        steps=steps,
        batch_size=batch_size,
        lr=lr,
        forget_bias=forget_bias,
        seeds=seeds,
        perturbation=perturbation,
        progress=progress,
    )
    return LongTermResult(
        delays=np.array(delays),
        seeds=seeds,
        rnn_accuracy=np.array([run.rnn_accuracy for run in runs]),
        lstm_accuracy=np.array([run.lstm_accuracy for run in runs]),
        chance=1.0 / NUM_SYMBOLS,
        noise=float(noise),
        lstm_models=runs[-1].lstm_models,
        settings={
            "hidden_size": hidden_size,
            "steps": steps,
            "batch_size": batch_size,
            "lr": lr,
            "forget_bias": forget_bias,
            "perturbation": perturbation,
            "rnn_parameters": runs[-1].rnn_models[0].num_parameters,
            "lstm_parameters": runs[-1].lstm_models[0].num_parameters,
        },
        seconds=time.perf_counter() - start,
    )


def plot_long_term_dependencies(results: Sequence[LongTermResult], size: str = "laptop") -> Any:
    """One dot per seed: each model's accuracy at each delay, for each result (noise level).

    Parameters
    ----------
    results : sequence of LongTermResult
        Drawn side by side (e.g. the noisy and the silent delay); each delay of each result is
        one group of two columns, RNN and LSTM, with a bar at the median.

    Returns
    -------
    lstm.plots.BookFigure
    """
    if isinstance(results, LongTermResult):
        results = [results]
    figure = scaled_figure(size, 7.5, 4.6)
    rng = np.random.default_rng(0)  # the horizontal jitter of the dots only
    with book_style(size):
        axes = figure.add_subplot(1, 1, 1)
        ticks, labels, position = [], [], 0.0
        for result in results:
            for row, delay in enumerate(result.delays):
                for offset, values, colour, marker, name in (
                    (-0.2, result.rnn_accuracy[row], RNN_COLOUR, "o", "plain RNN"),
                    (0.2, result.lstm_accuracy[row], LSTM_COLOUR, "s", "LSTM"),
                ):
                    x = position + offset + rng.uniform(-0.07, 0.07, size=values.size)
                    axes.plot(x, values, marker, color=colour, alpha=0.8, linestyle="none",
                              label=name if position == 0 else None)
                    axes.plot([position + offset - 0.13, position + offset + 0.13], [np.median(values)] * 2,
                              color=BASELINE_COLOUR, linewidth=2)
                ticks.append(position)
                labels.append(f"delay {delay}\nnoise {result.noise:g}")
                position += 1.0
        axes.axhline(results[0].chance, color=BASELINE_COLOUR, linestyle=":", label="chance")
        axes.set_xticks(ticks, labels)
        axes.set_xlim(-0.6, position - 0.4)
        axes.set_xlabel("setting (one dot per seed, bar at the median)")
        axes.set_ylabel("test accuracy")
        axes.set_ylim(0, 1.05)
        axes.set_title(f"Delayed recall, {len(results[0].seeds)} seeds per model")
        axes.legend(loc="center left")
        figure.tight_layout()
    return figure


@dataclass(frozen=True)
class OpenedLSTM:
    """The gates and cell states of one trained LSTM on fresh delayed-recall sequences.

    For every hidden unit we measure how well its cell state at the recall step *alone*
    recalls the symbol: the class means of that one number are fitted on ``N`` sequences and
    each of ``N`` other sequences is given the symbol of the nearest mean (``unit_recall``;
    25 % is chance, 100 % means the unit alone tells all four symbols apart). We also measure
    its mean forget gate over the delay and its mean input gate at the symbol step and over
    the delay. The unit shown in the figure (``unit``) is the one that recalls best alone
    (ties: the higher forget gate); all units' numbers are kept, so nothing is hidden by
    that choice.

    Attributes
    ----------
    delay : int
    noise : float
    accuracy : float
        The model's accuracy (its own read-out, all units) on the scored sequences.
    all_units_recall : float
        The nearest-mean recall from all units' cell states together.
    symbols : numpy.ndarray of int, shape (N,)
        The symbol of each scored sequence.
    unit : int
        The unit that recalls best alone.
    cell_state : numpy.ndarray, shape (T, N)
        That unit's :math:`c_t` for each scored sequence.
    forget_gate, input_gate : numpy.ndarray, shape (T, N)
        That unit's :math:`f_t` and :math:`i_t`.
    unit_recall, unit_forget_during_delay, unit_input_at_symbol, unit_input_during_delay :
        numpy.ndarray, shape (H,)
        The four measurements for every unit.
    """

    delay: int
    noise: float
    accuracy: float
    all_units_recall: float
    symbols: np.ndarray
    unit: int
    cell_state: np.ndarray
    forget_gate: np.ndarray
    input_gate: np.ndarray
    unit_recall: np.ndarray
    unit_forget_during_delay: np.ndarray
    unit_input_at_symbol: np.ndarray
    unit_input_during_delay: np.ndarray

    @property
    def recall(self) -> float:
        """How well the shown unit alone recalls the symbol."""
        return float(self.unit_recall[self.unit])

    @property
    def forget_during_delay(self) -> float:
        """The shown unit's mean forget gate over the delay."""
        return float(self.unit_forget_during_delay[self.unit])

    @property
    def input_at_symbol(self) -> float:
        """The shown unit's mean input gate at the symbol step."""
        return float(self.unit_input_at_symbol[self.unit])

    @property
    def input_during_delay(self) -> float:
        """The shown unit's mean input gate over the delay."""
        return float(self.unit_input_during_delay[self.unit])

    def units_recalling(self, threshold: float = 0.9) -> int:
        """How many units alone recall the symbol on at least ``threshold`` of the sequences."""
        return int((self.unit_recall >= threshold).sum())

    def table(self) -> str:
        """One line per unit: recall alone, forget gate over the delay, input gates."""
        lines = ["unit  recall alone  f (delay)  i (symbol)  i (delay)"]
        for unit in range(self.unit_recall.size):
            marker = "  <- shown" if unit == self.unit else ""
            lines.append(
                f"{unit:4d}  {self.unit_recall[unit]:12.0%}  "
                f"{self.unit_forget_during_delay[unit]:9.3f}  "
                f"{self.unit_input_at_symbol[unit]:10.2f}  "
                f"{self.unit_input_during_delay[unit]:9.2f}{marker}"
            )
        return "\n".join(lines)

    def cell_by_symbol(self, step: int) -> np.ndarray:
        """Median cell state of the shown unit at ``step`` for each symbol, shape (symbols,)."""
        return np.array([np.median(self.cell_state[step, self.symbols == s]) for s in range(NUM_SYMBOLS)])

    def spread_by_symbol(self, step: int) -> float:
        """How far apart the shown unit's per-symbol medians lie at ``step``: largest minus smallest."""
        values = self.cell_by_symbol(step)
        return float(values.max() - values.min())

    def summary(self) -> str:
        """The numbers behind the chapter's sentences for this model."""
        return (
            f"accuracy {self.accuracy:.0%} at delay {self.delay}; {self.units_recalling()} of the "
            f"{self.unit_recall.size} units alone recall the symbol on at least 90% of new sequences; "
            f"unit {self.unit} recalls {self.recall:.0%} alone, with its forget gate at "
            f"{self.forget_during_delay:.3f} over the delay and its input gate at "
            f"{self.input_at_symbol:.2f} at the symbol and {self.input_during_delay:.2f} during the delay; "
            f"its median cell state by symbol after the first step "
            f"{np.array2string(self.cell_by_symbol(0), precision=2)}, at the recall step "
            f"{np.array2string(self.cell_by_symbol(-1), precision=2)}"
        )


def _class_means(values: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Mean of ``values`` (N, K) for each symbol, shape (symbols, K)."""
    return np.array([values[labels == symbol].mean(axis=0) for symbol in range(NUM_SYMBOLS)])


def _nearest_mean_recall(
    fit: np.ndarray, fit_labels: np.ndarray, score: np.ndarray, labels: np.ndarray
) -> float:
    """Fraction of ``score`` (N, K) given its own symbol by the nearest class mean of ``fit``."""
    means = _class_means(fit, fit_labels)
    distances = ((score[:, None, :] - means[None, :, :]) ** 2).sum(axis=-1)
    return float(np.mean(distances.argmin(axis=1) == labels))


def open_up_lstm(
    model: SequenceModel, delay: int, noise: float = 1.0, num_examples: int = 400, seed: int = 7
) -> OpenedLSTM:
    """Look inside a trained delayed-recall LSTM: which units hold the symbol, and how the gates act.

    Parameters
    ----------
    model : SequenceModel
        An LSTM model trained on delayed recall (e.g. one of ``long_term_dependencies(...).lstm_models``).
    delay : int
        Delay of the sequences to run.
    noise : float, default 1.0
    num_examples : int, default 400
        Sequences to fit the class means on, and as many others (seed ``seed + 1``) to score.
    seed : int, default 7

    Returns
    -------
    OpenedLSTM

    Raises
    ------
    ValueError
        If ``model`` is not an LSTM model or an argument is out of range.
    """
    if not isinstance(model, SequenceModel) or not isinstance(model.cell, LSTMCell):
        raise ValueError(f"model must be a SequenceModel with an LSTMCell; got {model!r}")
    delay = check_integer(delay, "delay", minimum=1)
    noise = check_number(noise, "noise", minimum=0.0)
    num_examples = check_integer(num_examples, "num_examples", minimum=NUM_SYMBOLS * 10)
    fit = delayed_recall(num_examples, delay, NUM_SYMBOLS, noise=noise, seed=seed)
    data = delayed_recall(num_examples, delay, NUM_SYMBOLS, noise=noise, seed=seed + 1)
    fit_final = model.run_cell(fit.xs).c[-1]  # (N, H) at the recall step
    trace = model.run_cell(data.xs)
    final = trace.c[-1]
    recall = np.array([
        _nearest_mean_recall(fit_final[:, [unit]], fit.targets, final[:, [unit]], data.targets)
        for unit in range(final.shape[1])
    ])
    delay_steps = slice(1, delay + 1)
    forget = trace.f[delay_steps].mean(axis=(0, 1))
    input_symbol = trace.i[0].mean(axis=0)
    input_delay = trace.i[delay_steps].mean(axis=(0, 1))
    unit = int(np.lexsort((forget, recall))[-1])  # best recall; ties: the higher forget gate
    return OpenedLSTM(
        delay=delay,
        noise=noise,
        accuracy=model.accuracy(data),
        all_units_recall=_nearest_mean_recall(fit_final, fit.targets, final, data.targets),
        symbols=data.targets,
        unit=unit,
        cell_state=trace.c[:, :, unit],
        forget_gate=trace.f[:, :, unit],
        input_gate=trace.i[:, :, unit],
        unit_recall=recall,
        unit_forget_during_delay=forget,
        unit_input_at_symbol=input_symbol,
        unit_input_during_delay=input_delay,
    )


@dataclass(frozen=True)
class OpenedLSTMs:
    """:class:`OpenedLSTM` for the LSTM of every seed, and what they have in common.

    Attributes
    ----------
    seeds : tuple of int, length S
    opened : tuple of OpenedLSTM, length S
    """

    seeds: tuple[int, ...]
    opened: tuple[OpenedLSTM, ...]

    @property
    def learnt(self) -> np.ndarray:
        """Which seeds' LSTMs learnt the task (accuracy >= LEARNT), shape (S,)."""
        return np.array([one.accuracy >= LEARNT for one in self.opened])

    @property
    def example(self) -> OpenedLSTM:
        """The model the figure shows: the first seed's that learnt the task (else the first)."""
        learnt = np.flatnonzero(self.learnt)
        return self.opened[int(learnt[0]) if learnt.size else 0]

    @property
    def example_seed(self) -> int:
        """The seed of :attr:`example`."""
        return self.seeds[self.opened.index(self.example)]

    def units_recalling(self, threshold: float = 0.9) -> np.ndarray:
        """Per seed, how many units alone recall the symbol on at least ``threshold``, shape (S,)."""
        return np.array([one.units_recalling(threshold) for one in self.opened])

    @property
    def best_recall(self) -> np.ndarray:
        """Per seed, the recall of the best single unit, shape (S,)."""
        return np.array([one.recall for one in self.opened])

    def gate(self, name: str) -> np.ndarray:
        """One measurement for every seed and unit, shape (S, H).

        ``name`` is ``"forget_during_delay"``, ``"input_at_symbol"`` or ``"input_during_delay"``.
        """
        if name not in ("forget_during_delay", "input_at_symbol", "input_during_delay"):
            raise ValueError(f"name must be a gate measurement of OpenedLSTM; got {name!r}")
        return np.array([getattr(one, "unit_" + name) for one in self.opened])

    def summary(self) -> str:
        """One line per seed: accuracy, units recalling alone, the best unit, median gates over units."""
        lines = ["seed  accuracy  units >= 90% alone  best unit alone  median f (delay)  median i (delay)"]
        for seed, one in zip(self.seeds, self.opened, strict=True):
            lines.append(
                f"{seed:4d}  {one.accuracy:8.0%}  {one.units_recalling():18d}  {one.recall:15.0%}  "
                f"{np.median(one.unit_forget_during_delay):16.3f}  "
                f"{np.median(one.unit_input_during_delay):16.2f}"
            )
        return "\n".join(lines)


def open_up_lstms(
    models: Sequence[SequenceModel], seeds: Sequence[int], delay: int, noise: float = 1.0,
    num_examples: int = 400,
) -> OpenedLSTMs:
    """:func:`open_up_lstm` for one trained LSTM per seed (the same sequences for each).

    Raises
    ------
    ValueError
        If ``models`` and ``seeds`` differ in length, or as :func:`open_up_lstm`.
    """
    seeds = check_seeds(seeds)
    models = list(models)
    if len(models) != len(seeds):
        raise ValueError(f"models must hold one model per seed ({len(seeds)}); got {len(models)}")
    return OpenedLSTMs(
        seeds=seeds,
        opened=tuple(open_up_lstm(model, delay, noise, num_examples) for model in models),
    )


def plot_open_lstm(opened: OpenedLSTMs, size: str = "laptop") -> Any:
    """Left and middle: the example's best unit (cell state by symbol, gates); right: every unit, every seed.

    Lines on the left and in the middle are medians over the scored sequences (per symbol on the
    left), bands span the 10th to 90th percentile. On the right, each seed's units are sorted
    by how well they recall the symbol alone, one line per seed.

    Returns
    -------
    lstm.plots.BookFigure
    """
    example = opened.example
    figure = scaled_figure(size, 13.0, 4.4)
    steps = np.arange(1, example.cell_state.shape[0] + 1)
    colours = [OKABE_ITO[name] for name in ("blue", "vermillion", "bluish_green", "orange")]
    styles = ["-", "--", "-.", ":"]
    with book_style(size):
        left, middle, right = (figure.add_subplot(1, 3, column) for column in (1, 2, 3))
        for symbol in range(NUM_SYMBOLS):
            values = example.cell_state[:, example.symbols == symbol]
            low, median, high = np.percentile(values, [10, 50, 90], axis=1)
            left.plot(steps, median, color=colours[symbol], linestyle=styles[symbol],
                      label=f"symbol {symbol}")
            left.fill_between(steps, low, high, color=colours[symbol], alpha=0.2, linewidth=0)
        left.set_xlabel("time step")
        integer_ticks(left)
        left.set_ylabel(f"cell state $c_t$ of unit {example.unit}")
        left.set_title(f"Seed {opened.example_seed}: the unit that recalls best alone", fontsize="medium")
        left.legend(loc="best", ncols=2, fontsize="small")
        for gate, values, colour in (
            ("forget gate $f_t$", example.forget_gate, GATE_COLOURS["forget"]),
            ("input gate $i_t$", example.input_gate, GATE_COLOURS["input"]),
        ):
            low, median, high = np.percentile(values, [10, 50, 90], axis=1)
            middle.plot(steps, median, color=colour, label=f"{gate} (median)")
            middle.fill_between(steps, low, high, color=colour, alpha=0.25, linewidth=0)
        middle.set_ylim(-0.02, 1.02)
        middle.set_xlabel("time step")
        integer_ticks(middle)
        middle.set_ylabel("gate value (10-90% band)")
        middle.set_title(f"Gates of unit {example.unit}", fontsize="medium")
        middle.legend(loc="lower right", fontsize="small")
        ranks = np.arange(1, example.unit_recall.size + 1)
        for one, learnt in zip(opened.opened, opened.learnt, strict=True):
            right.plot(ranks, np.sort(one.unit_recall)[::-1], "o-" if learnt else "x--",
                       color=LSTM_COLOUR if learnt else BASELINE_COLOUR, alpha=0.7)
        right.plot([], [], "o-", color=LSTM_COLOUR, label="seed that learnt the task")
        right.plot([], [], "x--", color=BASELINE_COLOUR, label="seed that did not")
        right.axhline(1 / NUM_SYMBOLS, color=BASELINE_COLOUR, linestyle=":", label="chance")
        right.set_ylim(0, 1.05)
        right.set_xticks(ranks)
        right.set_xlabel("unit, from best to worst")
        right.set_ylabel("recall from this unit's $c_t$ alone")
        right.set_title(f"Every unit, {len(opened.seeds)} seeds", fontsize="medium")
        right.legend(loc="lower left", fontsize="small")
        figure.tight_layout()
    return figure
