"""Time every experiment of the chapter "Disadvantages of LSTMs" as the chapter runs it.

Usage::

    python benchmarks/bench_disadvantages.py            # every experiment, default settings
    python benchmarks/bench_disadvantages.py --figures  # also save the figures to /tmp for a look

Prints one line per experiment: wall time, and CPU time (``time.process_time``), which shows
the cost without the waiting when other programs share the cores, with each experiment's share
of the total; then the total against issue 18's goal (chapter 9 executes in at most 20 kernel
CPU seconds with its runs on ten seeds; the experiments are most of it). For the comparison of
attention with the LSTM it also prints the CPU seconds of the LSTM runs and of the attention
runs: the LSTMs of one setting are trained together by ``lstm.stacked.train_many`` (batched),
the attention models one after another. Prints the result tables too, so the numbers the
chapter writes can be checked against a fresh run. The training experiments
limit BLAS to one thread themselves (``lstm.training.one_blas_thread``), so the
figures do not depend on ``OPENBLAS_NUM_THREADS``.
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

CHAPTER_GOAL_SECONDS = 20.0


def main() -> None:
    """Run every experiment, print its time and table; optionally save the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", action="store_true", help="save PNGs to /tmp")
    arguments = parser.parse_args()
    os.environ.setdefault("LSTM_BOOK_STATIC", "1")  # no progress bars in a terminal log
    print(f"CPU cores: {os.cpu_count()}, load average: {os.getloadavg()}")
    timings = []
    for experiment, plot in EXPERIMENTS:
        start, start_cpu = time.perf_counter(), time.process_time()
        result = experiment()
        figure = plot(result)
        timings.append((experiment.__name__, time.perf_counter() - start,
                        time.process_time() - start_cpu))
        print(f"\n== {experiment.__name__}: {timings[-1][1]:.1f} s wall, {timings[-1][2]:.1f} s CPU "
              f"(with its figure)")
        print(result.table())
        if experiment is attention_versus_lstm:
            print(f"training CPU seconds: LSTM {result.lstm_seconds.sum():.1f}, "
                  f"attention {result.attention_seconds.sum():.1f}")
        if arguments.figures:
            path = Path("/tmp") / f"disadvantages-{experiment.__name__}.png"
            figure.savefig(path)
            print(f"figure saved to {path}")
    total = sum(wall for _, wall, _ in timings)
    total_cpu = sum(cpu for _, _, cpu in timings)
    print("\nCPU seconds per experiment:")
    for name, _, cpu in timings:
        print(f"  {name:24s} {cpu:6.1f} s  ({cpu / total_cpu:4.0%})")
    verdict = "within" if total_cpu <= CHAPTER_GOAL_SECONDS else "OVER"
    print(f"total: {total:.1f} s wall, {total_cpu:.1f} s CPU ({verdict} the chapter's "
          f"{CHAPTER_GOAL_SECONDS:.0f} s goal)")
    print(f"load average now: {os.getloadavg()}")


if __name__ == "__main__":
    main()
