"""Time every experiment of the chapter "Disadvantages of LSTMs" as the chapter runs it.

Usage::

    python benchmarks/bench_disadvantages.py            # every experiment, default settings
    python benchmarks/bench_disadvantages.py --figures  # also save the figures to /tmp for a look

Prints one line per experiment (wall time -- the limit of the book is 20 s each -- and CPU
time, which shows the cost without the waiting when other programs share the cores) and the
total (the chapter's limit is 90 s). Prints the result tables too, so the numbers quoted in the
chapter can be checked against a fresh run.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from lstm.experiments.ablation import ablation_study, plot_ablation
from lstm.experiments.attention import attention_versus_lstm, plot_attention_versus_lstm
from lstm.experiments.cost import computational_cost, plot_computational_cost
from lstm.experiments.hyperparameters import hyperparameter_sweep, plot_hyperparameter_sweep
from lstm.experiments.long_sequences import long_sequences, plot_long_sequences
from lstm.experiments.parallelism import parallelisation, plot_parallelisation

# (experiment, plotting helper); called with their defaults, exactly as the chapter does
EXPERIMENTS = (
    (computational_cost, plot_computational_cost),
    (ablation_study, plot_ablation),
    (long_sequences, plot_long_sequences),
    (parallelisation, plot_parallelisation),
    (hyperparameter_sweep, plot_hyperparameter_sweep),
    (attention_versus_lstm, plot_attention_versus_lstm),
)

LIMIT_EACH_SECONDS = 20.0
LIMIT_CHAPTER_SECONDS = 90.0


def main() -> None:
    """Run every experiment, print its time and table; optionally save the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", action="store_true", help="save PNGs to /tmp")
    arguments = parser.parse_args()
    os.environ.setdefault("LSTM_BOOK_STATIC", "1")  # no progress bars in a terminal log
    total = total_cpu = 0.0
    print(f"CPU cores: {os.cpu_count()}, load average: {os.getloadavg()}")
    for experiment, plot in EXPERIMENTS:
        start, start_cpu = time.perf_counter(), time.process_time()
        result = experiment()
        figure = plot(result)
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - start_cpu
        total += seconds
        total_cpu += cpu_seconds
        flag = "" if seconds <= LIMIT_EACH_SECONDS else f"  OVER the {LIMIT_EACH_SECONDS:.0f} s limit"
        print(f"\n== {experiment.__name__}: {seconds:.1f} s wall, {cpu_seconds:.1f} s CPU "
              f"(with its figure){flag}")
        print(result.table())
        if arguments.figures:
            path = Path("/tmp") / f"disadvantages-{experiment.__name__}.png"
            figure.savefig(path)
            print(f"figure saved to {path}")
    flag = "" if total <= LIMIT_CHAPTER_SECONDS else f"  OVER the {LIMIT_CHAPTER_SECONDS:.0f} s limit"
    print(f"\ntotal: {total:.1f} s wall, {total_cpu:.1f} s CPU{flag}")
    print(f"load average now: {os.getloadavg()}")


if __name__ == "__main__":
    main()
