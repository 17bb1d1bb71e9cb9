"""Time every experiment call of the chapter "Advantages of LSTMs", as the chapter makes it.

Run:  python benchmarks/bench_advantages.py [--seed N] [--only NAME ...] [--threads]

Prints, for each of the chapter's experiment calls in the chapter's order (the runs on seeds
N+1 and N+2 included, as the chapter runs them on seeds 1 and 2), its CPU seconds
(``time.process_time``, all threads of this process) and wall seconds, then the summary it prints
in the chapter, and the totals. The calls share what the chapter's kernel shares: a delayed-recall
setting trained by an earlier call is not trained again
(:func:`lstm.experiments.common.train_recall_pairs`), so ``--only`` can show a later call as
more expensive than it is in the chapter.

``--threads`` instead times three training runs (an RNN and an LSTM with the delayed-recall
budget at delays 10 and 20, and with the adding problem's settings) with OpenBLAS's default
number of threads and with one thread, in the same run: the evidence for
:func:`lstm.training.one_blas_thread`, which :func:`lstm.training.train` uses (for the
default-threads runs the script switches that limit off).

Goal (issue 12): the whole chapter executes in at most 10 s on a quiet machine
(``benchmarks/bench_book.py --only 07`` times it in a kernel). On a shared machine wall times
measure the load as much as the work: compare CPU seconds, and say whether the machine was quiet.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

os.environ.setdefault("LSTM_BOOK_STATIC", "1")  # no progress bars in the timings

from threadpoolctl import threadpool_info

from lstm import training
from lstm.experiments.adding_problem import adding_problem_comparison
from lstm.experiments.common import DELAYED_RECALL_BUDGET, new_lstm_cell
from lstm.experiments.long_term_dependencies import long_term_dependencies, open_up_lstms
from lstm.experiments.noise import noise_robustness
from lstm.experiments.real_data import real_data_forecast
from lstm.experiments.vanishing_gradient import (
    exploding_gradients,
    recurrent_scale_sweep,
    vanishing_gradients,
)
from lstm.experiments.variable_length import train_short_test_long, variable_length_equivalence
from lstm.explorers import gradient_flow_explorer
from lstm.gradient_flow import NUM_SYMBOLS
from lstm.rnn import RNNCell
from lstm.tasks import AddingProblem, DelayedRecall
from lstm.training import SequenceModel, train


def experiments(seed: int) -> dict[str, Callable[[], Any]]:
    """The chapter's experiment calls in its order, by name (``seed`` for seed 0)."""
    ten = tuple(range(seed, seed + 10))  # chapter 8 runs seeds 0-9
    return {
        "vanishing_gradients, 10 seeds": lambda: vanishing_gradients(forget_bias=1.0, train_delay=10,
                                                                     seeds=ten),
        "recurrent_scale_sweep, 10 seeds": lambda: recurrent_scale_sweep(seeds=ten),
        "exploding_gradients, 10 seeds": lambda: exploding_gradients(seeds=ten),
        "gradient_flow_explorer": lambda: gradient_flow_explorer(),
        "long_term_dependencies, noise 1 and 0": lambda: [
            long_term_dependencies(delays=(10,), noise=level, seeds=ten) for level in (1.0, 0.0)
        ],
        "open_up_lstms": lambda: open_up_lstms(
            long_term_dependencies(delays=(10,), seeds=ten).lstm_models, ten, delay=10, noise=1.0
        ),
        "adding_problem_comparison, 10 seeds": lambda: adding_problem_comparison(
            lengths=(10, 30), seeds=ten
        ),
        "variable_length_equivalence": lambda: variable_length_equivalence(seed=seed),
        "train_short_test_long, 10 seeds": lambda: train_short_test_long(noise=0.75, seeds=ten),
        "noise_robustness, 10 seeds": lambda: noise_robustness(noise_levels=(0.0, 1.0, 2.0), seeds=ten),
        "real_data_forecast eeg, 10 seeds": lambda: real_data_forecast("eeg", seeds=ten),
        "real_data_forecast goog, 10 seeds": lambda: real_data_forecast("goog", seeds=ten),
    }


def summary_of(result: Any) -> str | None:
    """What the chapter prints of ``result`` (the first one of a list of runs), if anything."""
    first = result[0] if isinstance(result, list) and result else result
    summary = getattr(first, "summary", None)
    if callable(summary):
        return summary()
    if isinstance(summary, str):  # an explorer's read-out is a string, not a method
        return summary
    return None


def time_experiments(seed: int, only: list[str] | None) -> None:
    """Run the chapter's calls (or those whose names start with one of ``only``); print times."""
    total_cpu = total_wall = 0.0
    for name, run in experiments(seed).items():
        if only and not name.startswith(tuple(only)):
            continue
        cpu, wall = time.process_time(), time.perf_counter()
        result = run()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        total_cpu, total_wall = total_cpu + cpu, total_wall + wall
        print(f"== {name}: CPU {cpu:.2f} s, wall {wall:.2f} s")
        summary = summary_of(result)
        if summary:
            print(summary)
        print(flush=True)
    print(f"total: CPU {total_cpu:.2f} s, wall {total_wall:.2f} s")


def delayed_recall_run(delay: int) -> None:
    """An RNN and an LSTM trained with the delayed-recall budget at ``delay``, noise 1."""
    budget = DELAYED_RECALL_BUDGET
    task = DelayedRecall(delay, NUM_SYMBOLS, noise=budget["noise"])
    hidden = int(budget["hidden_size"])
    for cell in (RNNCell(task.input_size, hidden, seed=0),
                 new_lstm_cell(task.input_size, hidden, 0, budget["forget_bias"])):
        train(SequenceModel(cell, NUM_SYMBOLS), task, steps=int(budget["steps"]), lr=budget["lr"],
              batch_size=int(budget["batch_size"]), seed=0, progress=False)


def adding_problem_run() -> None:
    """An RNN and an LSTM trained as the adding-problem comparison does, T = 30, 300 steps."""
    task = AddingProblem(30)
    for cell in (RNNCell(2, 8, seed=0), new_lstm_cell(2, 8, 0, 3.0)):
        train(SequenceModel(cell, 1, objective="regression"), task, steps=300, lr=0.03,
              batch_size=32, seed=0, progress=False)


@contextlib.contextmanager
def default_blas_threads() -> Iterator[None]:
    """Let :func:`lstm.training.train` run with BLAS's default threads (it limits them to one)."""
    limited = training.one_blas_thread
    training.one_blas_thread = contextlib.nullcontext
    try:
        yield
    finally:
        training.one_blas_thread = limited


def time_threads(repeats: int = 2) -> None:
    """Time two training runs with the default BLAS threads and with one, alternately."""
    pools = [(info["internal_api"], info["num_threads"]) for info in threadpool_info()]
    print(f"thread pools (library, threads): {pools}; OPENBLAS_NUM_THREADS="
          f"{os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')}")
    for case, run in (("delayed recall, delay 10", lambda: delayed_recall_run(10)),
                      ("delayed recall, delay 20", lambda: delayed_recall_run(20)),
                      ("adding problem, T = 30, 300 steps", adding_problem_run)):
        best: dict[str, tuple[float, float]] = {}
        for _ in range(repeats):
            for label, threads in (("default threads", default_blas_threads),
                                   ("one BLAS thread", contextlib.nullcontext)):
                cpu, wall = time.process_time(), time.perf_counter()
                with threads():
                    run()
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                previous = best.get(label, (float("inf"), float("inf")))
                best[label] = (min(previous[0], cpu), min(previous[1], wall))
        print(f"{case} (an RNN and an LSTM):")
        for label, (cpu, wall) in best.items():
            print(f"  {label:16s} CPU {cpu:6.2f} s  wall {wall:6.2f} s  (least of {repeats})")
        (default_cpu, default_wall), (one_cpu, one_wall) = best["default threads"], best["one BLAS thread"]
        print(f"  one thread / default: CPU {one_cpu / default_cpu:.2f}, wall {one_wall / default_wall:.2f}")


def main() -> None:
    """Run the experiments (or the thread comparison) and print their times and numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="the seed of the chapter's seed 0")
    parser.add_argument("--only", nargs="*", default=None, help="names (or their starts) to run")
    parser.add_argument("--threads", action="store_true",
                        help="compare BLAS threads on one training run instead")
    arguments = parser.parse_args()
    print(f"CPU cores available: {len(os.sched_getaffinity(0))}")
    if arguments.threads:
        time_threads()
    else:
        time_experiments(arguments.seed, arguments.only)


if __name__ == "__main__":
    main()
