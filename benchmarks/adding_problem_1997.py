"""The adding problem of Hochreiter & Schmidhuber (1997) at T = 100: LSTM and plain RNN.

Run:  python benchmarks/adding_problem_1997.py [--length 100] [--seeds 0 1 2]
          [--forget-bias 2 5] [--without-forget-gate]

The task is :class:`lstm.tasks.AddingProblem1997` (values in [-1, 1], lengths T to
T + T/10, the first mark among the first ten steps, the second in the first half, -1 markers
at the first and last steps, target 0.5 + (X1 + X2)/4).  Both models have the book's
adding-problem settings: 8 hidden units, the LSTM's forget-gate bias 2 (as in
``lstm.experiments.advantages.adding_problem_comparison``), a linear read-out of the last
hidden state, squared error, Adam, gradient clipping at 1.

:func:`lstm.milestones.train_until` trains each model on fresh batches and scores it every
few updates on 1,000 fresh test sequences; the script prints, for 50% and 90% of the test
sequences within the paper's criterion |error| < 0.04, the number of training sequences
seen and the CPU seconds of training (scoring left out).  Budget: 256,000 sequences (the
paper's LSTM needed 74,000 sequences at T = 100, trained online, one sequence at a time).

``--forget-bias`` tries other initial forget-gate biases; ``--without-forget-gate`` adds the
cell of the 1997 paper, which had no forget gate (``LSTMCell(..., ablate=("forget_gate",))``).

CPU seconds depend on the machine and on its load (the sequence counts do not): say which
machine and whether it was shared when quoting them.
"""

from __future__ import annotations

import argparse
import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

from lstm import LSTMCell, RNNCell  # noqa: E402
from lstm.milestones import MilestoneRun, train_until  # noqa: E402
from lstm.models import SequenceModel  # noqa: E402
from lstm.tasks import AddingProblem1997, adding_problem_1997  # noqa: E402

HIDDEN_SIZE = 8
FORGET_BIAS = 2.0
BATCH_SIZE = 32
LEARNING_RATE = 0.01
BUDGET = 256_000
THRESHOLDS = (0.5, 0.9)
TEST_SEQUENCES = 1000


def make_cell(kind: str, forget_bias: float, seed: int) -> LSTMCell | RNNCell:
    """``"LSTM"`` (with ``forget_bias``), ``"LSTM without forget gate"`` (the 1997 cell) or ``"RNN"``."""
    if kind == "RNN":
        return RNNCell(2, HIDDEN_SIZE, seed=seed)
    if kind == "LSTM without forget gate":
        return LSTMCell(2, HIDDEN_SIZE, seed=seed, ablate=("forget_gate",))
    return LSTMCell(2, HIDDEN_SIZE, seed=seed, forget_bias=forget_bias)


def solve(kind: str, length: int, seed: int, forget_bias: float = FORGET_BIAS,
          progress: bool = False) -> MilestoneRun:
    """Train one model on the 1997 adding problem until 90% of the test sequences are solved."""
    task = AddingProblem1997(length)
    test = adding_problem_1997(TEST_SEQUENCES, length, seed=10_000 + seed)
    model = SequenceModel(make_cell(kind, forget_bias, seed), 1, objective="regression", seed=seed)
    return train_until(
        model, task, test, criterion=task.criterion, thresholds=THRESHOLDS,
        max_sequences=BUDGET, batch_size=BATCH_SIZE, lr=LEARNING_RATE, seed=seed,
        eval_every=3200 // BATCH_SIZE, progress=progress, description=f"{kind}, T={length}",
    )


def cells(run: MilestoneRun, threshold: float) -> str:
    milestone = run.milestones[threshold]
    if milestone is None:
        return f"{'not reached':>12}{'':>9}"
    return f"{milestone.sequences:>12,}{milestone.cpu_seconds:>9.1f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--length", type=int, default=100, help="minimal sequence length T")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--forget-bias", type=float, nargs="+", default=[FORGET_BIAS],
                        help="LSTM forget-gate biases to try (the book's adding problem uses 2)")
    parser.add_argument("--without-forget-gate", action="store_true",
                        help="also train the 1997 cell: an LSTM without forget gate (f = 1)")
    parser.add_argument("--progress", action="store_true")
    args = parser.parse_args(argv)
    print(f"Adding problem (Hochreiter & Schmidhuber 1997), T = {args.length}: hidden {HIDDEN_SIZE}, "
          f"Adam lr {LEARNING_RATE:g}, batch {BATCH_SIZE}, budget {BUDGET:,} sequences; "
          f"criterion |error| < 0.04 on {TEST_SEQUENCES} fresh sequences")
    models = [("LSTM", bias) for bias in args.forget_bias]
    if args.without_forget_gate:
        models.append(("LSTM without forget gate", 0.0))
    models.append(("RNN", 0.0))
    print(f"{'model':<28}{'seed':>5}{'50%: seqs':>12}{'CPU s':>9}{'90%: seqs':>12}{'CPU s':>9}{'best':>8}")
    for seed in args.seeds:
        for kind, bias in models:
            run = solve(kind, args.length, seed, bias, args.progress)
            best = float(run.eval_fractions.max()) if run.eval_fractions.size else 0.0
            label = f"LSTM, forget bias {bias:g}" if kind == "LSTM" else kind
            print(f"{label:<28}{seed:>5}{cells(run, 0.5)}{cells(run, 0.9)}{best:>8.1%}", flush=True)


if __name__ == "__main__":
    main()
