"""Time every experiment of the chapter "Advantages of LSTMs" as the chapter runs it.

Run:  /work/venv/bin/python benchmarks/bench_advantages.py [--seed N] [--only NAME ...]

Prints each experiment's wall time (with its default settings, the ones the chapter uses),
its summary numbers, and the total.  The chapter's budget is 20 s per experiment and 90 s
for the whole chapter on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("LSTM_BOOK_STATIC", "1")  # no progress bars in the timings

from lstm.experiments.adding_problem import adding_problem_comparison
from lstm.experiments.long_term_dependencies import long_term_dependencies, open_up_lstm
from lstm.experiments.noise import noise_robustness
from lstm.experiments.real_data import real_data_forecast
from lstm.experiments.vanishing_gradient import exploding_gradients, vanishing_gradients
from lstm.experiments.variable_length import train_short_test_long, variable_length_equivalence
from lstm.explorers import gradient_flow_explorer


def experiments(seed: int) -> dict[str, Callable[[], Any]]:
    """The chapter's experiment calls, by name."""
    return {
        "vanishing_gradients": lambda: vanishing_gradients(seed=seed),
        "exploding_gradients": lambda: exploding_gradients(seed=seed),
        "gradient_flow_explorer": lambda: gradient_flow_explorer(),
        "long_term_dependencies": lambda: long_term_dependencies(seed=seed),
        "adding_problem_comparison": lambda: adding_problem_comparison(seed=seed),
        "variable_length_equivalence": lambda: variable_length_equivalence(seed=seed),
        "train_short_test_long": lambda: train_short_test_long(seed=seed),
        "noise_robustness": lambda: noise_robustness(seed=seed),
        "real_data_forecast_eeg": lambda: real_data_forecast("eeg", seed=seed),
        "real_data_forecast_goog": lambda: real_data_forecast("goog", seed=seed),
    }


def main() -> None:
    """Run the experiments and print their times and numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="*", default=None, help="experiment names to run")
    arguments = parser.parse_args()
    total = 0.0
    for name, run in experiments(arguments.seed).items():
        if arguments.only and name not in arguments.only:
            continue
        start = time.perf_counter()
        result = run()
        seconds = time.perf_counter() - start
        total += seconds
        print(f"== {name}: {seconds:.2f} s")
        if hasattr(result, "summary"):
            print(result.summary())
        if name == "long_term_dependencies":
            opened = open_up_lstm(result.lstm_model, int(result.delays[-1]))
            print(opened.summary())
        print(flush=True)
    print(f"total: {total:.2f} s")


if __name__ == "__main__":
    main()
