"""K = 10 models trained together (lstm.stacked.train_many) against ten separate train() runs.

Run:  python benchmarks/bench_stacked.py [--steps 100] [--repeats 2] [--models 10]

For each setting of the experiments -- delayed recall at delay 20 with the budget of chapters 8
and 8 (``lstm.experiments.common.DELAYED_RECALL_BUDGET``: noise 1, learning rate 0.02, forget
bias 3) and the adding problem at T = 30 (chapter 8: learning rate 0.01, forget bias 2), each
with 8 hidden units and batches of 64 and with 16 hidden units and batches of 32, for the LSTM
and the plain RNN -- it trains K models with seeds 0 .. K-1

* one after the other, each by ``train()`` (float64; what an experiment cost before), and
* together, by ``train_many``, in float64 and in float32,

and prints the CPU seconds (``time.process_time``, one BLAS thread as in training) and the
ratio together / separate.  The goal of issue 18 is a ratio of at most 0.4 for K = 10.  Every
step costs the same, so ``--steps`` (default 100, a quarter of the recall budget) only
shortens the benchmark; each time is the least of ``--repeats`` runs, the one least disturbed
by other programs.

It also prints what one ``np.exp`` and ``np.tanh`` cost per number in float64 and float32 on
this CPU, which is where float32 gains: NumPy vectorises the float32 functions with AVX2, the
float64 ones only with AVX-512.
"""

from __future__ import annotations

import argparse
import functools
import time
from collections.abc import Callable

import numpy as np

from lstm import LSTMCell, RNNCell
from lstm.experiments.common import DELAYED_RECALL_BUDGET
from lstm.models import SequenceModel
from lstm.stacked import train_many
from lstm.tasks import AddingProblem, DelayedRecall
from lstm.training import one_blas_thread, train

SIZES = ((8, 64), (16, 32))          # (hidden units, batch size)


def settings() -> list[tuple[str, object, Callable[[str, int, int], SequenceModel], float]]:
    """(name, task, build(cell, hidden, seed), learning rate) of each benchmarked task."""
    recall = DelayedRecall(20, 4, noise=float(DELAYED_RECALL_BUDGET["noise"]))
    adding = AddingProblem(30)

    def build_recall(cell: str, hidden: int, seed: int) -> SequenceModel:
        if cell == "LSTM":
            core = LSTMCell(recall.input_size, hidden, seed=seed,
                            forget_bias=float(DELAYED_RECALL_BUDGET["forget_bias"]))
        else:
            core = RNNCell(recall.input_size, hidden, seed=seed)
        return SequenceModel(core, recall.num_symbols, seed=seed)

    def build_adding(cell: str, hidden: int, seed: int) -> SequenceModel:
        if cell == "LSTM":
            core = LSTMCell(2, hidden, seed=seed, forget_bias=2.0)
        else:
            core = RNNCell(2, hidden, seed=seed)
        return SequenceModel(core, 1, objective="regression", seed=seed)

    return [("delayed recall, delay 20", recall, build_recall, float(DELAYED_RECALL_BUDGET["lr"])),
            ("adding problem, T = 30", adding, build_adding, 0.01)]


def separately(task, build, seeds, steps, lr, batch_size) -> None:
    """Train one model per seed, one after the other (float64)."""
    for seed in seeds:
        train(build(seed), task, steps=steps, lr=lr, batch_size=batch_size, seed=seed, progress=False)


def together(task, build, seeds, steps, lr, batch_size, dtype) -> None:
    """Train one model per seed, all together."""
    train_many([build(seed) for seed in seeds], task, seeds=seeds, steps=steps, lr=lr, batch_size=batch_size,
               progress=False, dtype=dtype)


def cpu_seconds(function: Callable[[], object], repeats: int) -> float:
    """The least CPU time of ``repeats`` calls."""
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return best


def per_number_seconds(function: Callable[..., object], dtype: type, size: int = 20480) -> float:
    values = np.random.default_rng(0).normal(size=size).astype(dtype)
    out = np.empty_like(values)
    loops = 200
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        for _ in range(loops):
            function(values, out=out)
        best = min(best, time.process_time() - start)
    return best / loops / size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--models", type=int, default=10)
    arguments = parser.parse_args()
    steps, repeats, count = arguments.steps, arguments.repeats, arguments.models
    seeds = list(range(count))
    simd = np.__config__.CONFIG.get("SIMD Extensions", {}).get("found", [])
    print(f"K = {count} models, {steps} steps each, least of {repeats} runs; CPU seconds, one BLAS thread")
    print(f"NumPy {np.__version__}, SIMD extensions found: {', '.join(simd) or 'none'}")
    with one_blas_thread():
        for name in ("exp", "tanh"):
            function = getattr(np, name)
            wide, narrow = (per_number_seconds(function, dtype) for dtype in (np.float64, np.float32))
            print(f"np.{name}: {1e9 * wide:.2f} ns per float64, {1e9 * narrow:.2f} ns per float32")
    print()
    header = (f"{'setting':<28} {'cell':<5} {'H':>3} {'batch':>5}  {'separate':>9}  "
              f"{'float64':>8} {'ratio':>6}  {'float32':>8} {'ratio':>6}")
    print(header)
    print("-" * len(header))
    ratios = {np.float64: [], np.float32: []}
    totals = {"separate": 0.0, np.float64: 0.0, np.float32: 0.0}
    for name, task, build, lr in settings():
        for cell in ("LSTM", "RNN"):
            for hidden, batch_size in SIZES:
                run = dict(task=task, build=functools.partial(build, cell, hidden), seeds=seeds, steps=steps,
                           lr=lr, batch_size=batch_size)
                alone = cpu_seconds(functools.partial(separately, **run), repeats)
                line = f"{name:<28} {cell:<5} {hidden:>3} {batch_size:>5}  {alone:>8.2f}s"
                totals["separate"] += alone
                for dtype in (np.float64, np.float32):
                    seconds = cpu_seconds(functools.partial(together, dtype=dtype, **run), repeats)
                    ratios[dtype].append(seconds / alone)
                    totals[dtype] += seconds
                    line += f"  {seconds:>7.2f}s {seconds / alone:>6.2f}"
                print(line, flush=True)
    print()
    for dtype in (np.float64, np.float32):
        values = np.array(ratios[dtype])
        print(f"together in {np.dtype(dtype).name}: ratio {values.min():.2f} to {values.max():.2f} "
              f"(median {np.median(values):.2f}); all settings {totals[dtype]:.1f}s against "
              f"{totals['separate']:.1f}s separately = {totals[dtype] / totals['separate']:.2f}; "
              f"goal at most 0.40, met in {int(np.sum(values <= 0.4))} of {values.size} settings")


if __name__ == "__main__":
    main()
