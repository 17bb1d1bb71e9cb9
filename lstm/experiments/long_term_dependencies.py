"""Claim 2 of "Advantages of LSTMs": long-term dependencies (section #sec-adv-long-term).

- :func:`long_term_dependencies` -> :class:`LongTermResult`, drawn by
  :func:`plot_long_term_dependencies`: delayed-recall accuracy against the delay, plain RNN
  against LSTM with the same training budget.
- :func:`open_up_lstm` -> :class:`OpenedLSTM`, drawn by :func:`plot_open_lstm` (subsection
  "Opening up the trained LSTM"): the gates and cell state of the trained LSTM on
  delayed-recall examples, and the unit that stores the symbol and holds it.

The adding problem of the same section is in :mod:`lstm.experiments.adding_problem`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lstm._checks import check_integer
from lstm.cell import LSTMCell
from lstm.experiments.common import (
    BASELINE_COLOUR,
    DELAYED_RECALL_BUDGET,
    LSTM_COLOUR,
    RNN_COLOUR,
    check_increasing,
    scaled_figure,
    train_recall_pairs,
)
from lstm.gradient_flow import NUM_SYMBOLS
from lstm.style import GATE_COLOURS, OKABE_ITO, book_style
from lstm.tasks import delayed_recall
from lstm.training import SequenceModel, one_blas_thread

__all__ = [
    "LongTermResult",
    "OpenedLSTM",
    "long_term_dependencies",
    "open_up_lstm",
    "plot_long_term_dependencies",
    "plot_open_lstm",
]


@dataclass(frozen=True)
class LongTermResult:
    """Delayed-recall accuracy against delay, RNN vs LSTM, same training budget.

    Attributes
    ----------
    delays : numpy.ndarray of int
    rnn_accuracy, lstm_accuracy : numpy.ndarray
        Test accuracy at each delay (500 fresh sequences).
    chance : float
    noise : float
    lstm_model : SequenceModel
        The LSTM trained at the longest delay (to open up).
    settings : dict
        Hidden size, steps, batch size, learning rate, forget bias, parameter counts.
    seconds : float
    """

    delays: np.ndarray
    rnn_accuracy: np.ndarray
    lstm_accuracy: np.ndarray
    chance: float
    noise: float
    lstm_model: SequenceModel
    settings: dict[str, Any]
    seconds: float

    def summary(self) -> str:
        """Table of accuracies."""
        lines = ["delay   RNN    LSTM"]
        for delay, rnn, lstm in zip(self.delays, self.rnn_accuracy, self.lstm_accuracy, strict=True):
            lines.append(f"{delay:5d}  {rnn:5.0%}  {lstm:5.0%}")
        lines.append(
            f"(chance {self.chance:.0%}; parameters RNN {self.settings['rnn_parameters']}, "
            f"LSTM {self.settings['lstm_parameters']})"
        )
        return "\n".join(lines)


@one_blas_thread()
def long_term_dependencies(
    delays: Sequence[int] = (2, 5, 10, 20),
    noise: float = DELAYED_RECALL_BUDGET["noise"],
    hidden_size: int = int(DELAYED_RECALL_BUDGET["hidden_size"]),
    steps: int = int(DELAYED_RECALL_BUDGET["steps"]),
    batch_size: int = int(DELAYED_RECALL_BUDGET["batch_size"]),
    lr: float = DELAYED_RECALL_BUDGET["lr"],
    forget_bias: float = DELAYED_RECALL_BUDGET["forget_bias"],
    seed: int = 0,
    progress: bool = True,
) -> LongTermResult:
    """Train an RNN and an LSTM on delayed recall at each delay; test accuracy.

    Same hidden size, steps, batch size, learning rate and seed for both models.  The LSTM's
    forget-gate bias starts at ``forget_bias`` (a common initialisation, Gers et al. 2000;
    Jozefowicz et al. 2015). The defaults are the delayed-recall budget shared with chapter 8
    (:data:`lstm.experiments.common.DELAYED_RECALL_BUDGET`: 8 units, 400 steps of 64
    sequences, learning rate 0.02, forget bias 3, noise 1). The models are trained by
    :func:`lstm.experiments.common.train_recall_pairs`, so a setting this process has
    trained already (in :func:`lstm.experiments.noise.noise_robustness`, say) is reused.

    Parameters
    ----------
    delays : sequence of int
        Increasing delays to try.
    noise : float, default 1.0
        Distractor noise during the delay.
    hidden_size, steps, batch_size : int
    lr, forget_bias : float
    seed : int
    progress : bool

    Returns
    -------
    LongTermResult

    Raises
    ------
    ValueError
        If an argument is out of range.
    """
    start = time.perf_counter()
    delays = tuple(int(d) for d in check_increasing("delays", delays, minimum=0))
    pairs = train_recall_pairs(
        [(delay, noise) for delay in delays],
        hidden_size=hidden_size,
        steps=steps,
        batch_size=batch_size,
        lr=lr,
        forget_bias=forget_bias,
        seed=seed,
        progress=progress,
    )
    return LongTermResult(
        delays=np.array(delays),
        rnn_accuracy=np.array([pair.rnn_accuracy for pair in pairs]),
        lstm_accuracy=np.array([pair.lstm_accuracy for pair in pairs]),
        chance=1.0 / NUM_SYMBOLS,
        noise=noise,
        lstm_model=pairs[-1].lstm_model,
        settings={
            "hidden_size": hidden_size,
            "steps": steps,
            "batch_size": batch_size,
            "lr": lr,
            "forget_bias": forget_bias,
            "rnn_parameters": pairs[-1].rnn_model.num_parameters,
            "lstm_parameters": pairs[-1].lstm_model.num_parameters,
        },
        seconds=time.perf_counter() - start,
    )


def plot_long_term_dependencies(result: LongTermResult, size: str = "laptop") -> Any:
    """Accuracy against delay for both models, with the chance level.

    Returns
    -------
    lstm.plots.BookFigure
    """
    figure = scaled_figure(size, 7.5, 4.6)
    with book_style(size):
        axes = figure.add_subplot(1, 1, 1)
        axes.plot(result.delays, result.rnn_accuracy, "o-", color=RNN_COLOUR, label="plain RNN")
        axes.plot(result.delays, result.lstm_accuracy, "s-", color=LSTM_COLOUR, label="LSTM")
        axes.axhline(result.chance, color=BASELINE_COLOUR, linestyle=":", label="chance")
        axes.set_xlabel("delay (distractor steps between symbol and recall)")
        axes.set_ylabel("test accuracy")
        axes.set_ylim(0, 1.05)
        axes.set_title(f"Delayed recall, distractor noise {result.noise:g}")
        axes.legend(loc="center right")
        figure.tight_layout()
    return figure


@dataclass(frozen=True)
class OpenedLSTM:
    """The gates and cell state of a trained LSTM on delayed-recall examples.

    For every hidden unit we measure how well its final cell state separates the symbols
    (share of variance explained by the symbol), its mean forget gate over the delay, and its
    mean input gate at the symbol step and over the delay.  The *memory unit* shown is the one
    that best matches "store the symbol, then hold it": the largest product
    ``separation * forget_during_delay * (1 - input_during_delay)``.  All units' numbers are
    kept, so nothing is hidden by that choice.

    Attributes
    ----------
    delay : int
    accuracy : float
        The model's accuracy on these sequences.
    symbols : numpy.ndarray of int, shape (N,)
        The symbol of each example sequence.
    memory_unit : int
    cell_state : numpy.ndarray, shape (T, N)
        The memory unit's :math:`c_t` for each example.
    forget_gate, input_gate : numpy.ndarray, shape (T, N)
        The memory unit's :math:`f_t` and :math:`i_t`.
    unit_separation, unit_forget_during_delay, unit_input_at_symbol, unit_input_during_delay :
        numpy.ndarray, shape (H,)
        The four measurements for every unit.
    """

    delay: int
    accuracy: float
    symbols: np.ndarray
    memory_unit: int
    cell_state: np.ndarray
    forget_gate: np.ndarray
    input_gate: np.ndarray
    unit_separation: np.ndarray
    unit_forget_during_delay: np.ndarray
    unit_input_at_symbol: np.ndarray
    unit_input_during_delay: np.ndarray

    @property
    def forget_during_delay(self) -> float:
        """Memory unit's mean forget gate over the delay."""
        return float(self.unit_forget_during_delay[self.memory_unit])

    @property
    def input_at_symbol(self) -> float:
        """Memory unit's mean input gate at the symbol step."""
        return float(self.unit_input_at_symbol[self.memory_unit])

    @property
    def input_during_delay(self) -> float:
        """Memory unit's mean input gate over the delay."""
        return float(self.unit_input_during_delay[self.memory_unit])

    @property
    def separation(self) -> float:
        """Share of the variance of the memory unit's final cell state explained by the symbol."""
        return float(self.unit_separation[self.memory_unit])

    def table(self) -> str:
        """One line per unit: separation, forget gate over the delay, input gates."""
        lines = ["unit  separation  f (delay)  i (symbol)  i (delay)"]
        for unit in range(self.unit_separation.size):
            marker = "  <- memory unit" if unit == self.memory_unit else ""
            lines.append(
                f"{unit:4d}  {self.unit_separation[unit]:10.2f}  "
                f"{self.unit_forget_during_delay[unit]:9.3f}  "
                f"{self.unit_input_at_symbol[unit]:10.2f}  "
                f"{self.unit_input_during_delay[unit]:9.2f}{marker}"
            )
        return "\n".join(lines)

    def final_cell_by_symbol(self) -> np.ndarray:
        """Median final cell state of the memory unit for each symbol, shape (symbols,)."""
        return np.array([np.median(self.cell_state[-1, self.symbols == s]) for s in range(NUM_SYMBOLS)])

    def summary(self) -> str:
        """The numbers behind the chapter's sentence."""
        first = np.array([np.median(self.cell_state[0, self.symbols == s]) for s in range(NUM_SYMBOLS)])
        return (
            f"memory unit {self.memory_unit}, median cell state by symbol: after the first step "
            f"{np.array2string(first, precision=2)}, at the end "
            f"{np.array2string(self.final_cell_by_symbol(), precision=2)}\n"
            f"accuracy {self.accuracy:.0%} at delay {self.delay}; memory unit "
            f"{self.memory_unit}: forget gate over the delay {self.forget_during_delay:.3f}; "
            f"input gate at the symbol {self.input_at_symbol:.2f}, during the delay "
            f"{self.input_during_delay:.2f}; the symbol explains {self.separation:.0%} of the "
            f"variance of its final cell state"
        )


def _explained_variance(values: np.ndarray, groups: np.ndarray) -> float:
    total = values.var()
    if total == 0:
        return 0.0
    within = sum(values[groups == g].var() * np.mean(groups == g) for g in np.unique(groups))
    return float(1.0 - within / total)


def open_up_lstm(
    model: SequenceModel, delay: int, noise: float = 1.0, num_examples: int = 200, seed: int = 7
) -> OpenedLSTM:
    """Look inside a trained delayed-recall LSTM: which unit remembers, and how its gates act.

    Parameters
    ----------
    model : SequenceModel
        An LSTM model trained on delayed recall (e.g. ``long_term_dependencies(...).lstm_model``).
    delay : int
        Delay of the sequences to run.
    noise : float, default 1.0
    num_examples : int, default 200
    seed : int, default 7

    Returns
    -------
    OpenedLSTM

    Raises
    ------
    ValueError
        If ``model`` is not an LSTM model or ``delay`` is not a positive integer.
    """
    if not isinstance(model, SequenceModel) or not isinstance(model.cell, LSTMCell):
        raise ValueError(f"model must be a SequenceModel with an LSTMCell; got {model!r}")
    delay = check_integer(delay, "delay", minimum=1)
    data = delayed_recall(num_examples, delay, NUM_SYMBOLS, noise=noise, seed=seed)
    trace = model.run_cell(data.xs)
    final_cell = trace.c[-1]  # (N, H)
    separation = np.array(
        [_explained_variance(final_cell[:, unit], data.targets) for unit in range(final_cell.shape[1])]
    )
    delay_steps = slice(1, delay + 1)
    forget = trace.f[delay_steps].mean(axis=(0, 1))
    input_symbol = trace.i[0].mean(axis=0)
    input_delay = trace.i[delay_steps].mean(axis=(0, 1))
    unit = int(np.argmax(separation * forget * (1.0 - input_delay)))
    return OpenedLSTM(
        delay=delay,
        accuracy=model.accuracy(data),
        symbols=data.targets,
        memory_unit=unit,
        cell_state=trace.c[:, :, unit],
        forget_gate=trace.f[:, :, unit],
        input_gate=trace.i[:, :, unit],
        unit_separation=separation,
        unit_forget_during_delay=forget,
        unit_input_at_symbol=input_symbol,
        unit_input_during_delay=input_delay,
    )


def plot_open_lstm(opened: OpenedLSTM, size: str = "laptop") -> Any:
    """Cell state of the memory unit by symbol; its forget and input gates.

    Lines are medians over the example sequences (per symbol on the left), bands span the
    10th to 90th percentile.

    Returns
    -------
    lstm.plots.BookFigure
    """
    figure = scaled_figure(size, 11.0, 4.6)
    steps = np.arange(1, opened.cell_state.shape[0] + 1)
    colours = [OKABE_ITO[name] for name in ("blue", "vermillion", "bluish_green", "orange")]
    styles = ["-", "--", "-.", ":"]
    with book_style(size):
        left = figure.add_subplot(1, 2, 1)
        right = figure.add_subplot(1, 2, 2)
        for symbol in range(NUM_SYMBOLS):
            values = opened.cell_state[:, opened.symbols == symbol]
            low, middle, high = np.percentile(values, [10, 50, 90], axis=1)
            left.plot(
                steps,
                middle,
                color=colours[symbol],
                linestyle=styles[symbol],
                label=f"symbol {symbol}",
            )
            left.fill_between(steps, low, high, color=colours[symbol], alpha=0.2, linewidth=0)
        left.set_xlabel("time step")
        left.set_ylabel(f"cell state $c_t$ of unit {opened.memory_unit}")
        left.set_title("The memory unit's cell state, by symbol")
        left.legend(loc="best", ncols=2)
        for gate, values, colour in (
            ("forget gate $f_t$", opened.forget_gate, GATE_COLOURS["forget"]),
            ("input gate $i_t$", opened.input_gate, GATE_COLOURS["input"]),
        ):
            middle = np.median(values, axis=1)
            low, high = np.percentile(values, [10, 90], axis=1)
            right.plot(steps, middle, color=colour, label=f"{gate} (median)")
            right.fill_between(steps, low, high, color=colour, alpha=0.25, linewidth=0)
        right.set_ylim(-0.02, 1.02)
        right.set_xlabel("time step")
        right.set_ylabel("gate value (10-90% band)")
        right.set_title(f"Gates of unit {opened.memory_unit}")
        right.legend(loc="center right")
        figure.tight_layout()
    return figure
