"""The adding problem of Hochreiter & Schmidhuber (1997) at T = 100: LSTM, 1997 cell and RNN.

Run:  python benchmarks/adding_problem_1997.py [--length 100] [--seeds 0 1 2]
          [--forget-bias 3] [--input-bias -3|random] [--without-forget-gate]

The task is :class:`lstm.tasks.AddingProblem1997` (values in [-1, 1], lengths T to
T + T/10, the first mark among the first ten steps, the second in the first half, -1 markers
at the first and last steps, target 0.5 + (X1 + X2)/4).  The first mark lies 90 to 110
steps before the end, the second at least 50.

The recipe is :data:`lstm.milestones.ADDING_1997_RECIPE`: 8 hidden units, a linear read-out
of the last hidden state, squared error, Adam at 0.01 (constant), batches of 32 fresh
sequences, gradient clipping at 1, a budget of 256,000 training sequences (the paper's LSTM
needed 74,000 sequences at T = 100, trained online, one sequence at a time).  The book's
LSTM (forget gate included) starts with forget bias 3 and **input bias -3**:

* forget bias 3: sigma(3) = 0.95, the gates start nearly open (as in the book's delayed
  recall, chapter 8);
* input bias -3: sigma(-3) = 0.05, the cell writes little of each step's candidate until
  it has learnt when to write.  With the random initial input biases (sigma about 0.5) the
  memory fills with all the unmarked values, and in our runs the LSTM stayed on the plateau
  of answering about 0.5 (near 17% of the sequences within 0.04) far longer than the
  recipe needs to solve the task -- with forget bias 2, 3 or 5, 8 or 16 units, or a
  step-decayed learning rate (``--input-bias random`` shows it).  The pair b_i = -b_f is
  the "chrono" initialisation of Tallec & Ollivier (2018) with one value for all units.

``--without-forget-gate`` adds the cell of the 1997 paper, which had no forget gate
(``LSTMCell(..., ablate=("forget_gate",))``, default initialisation); the plain RNN (default
initialisation, same recipe otherwise) is always trained beside.
:func:`lstm.milestones.solve_adding_problem_1997` trains each model on fresh batches and
scores it every 3,200 training sequences on 1,000 fresh test sequences; the script prints,
for 50% and 90% of the test sequences within the paper's criterion abs(error) < 0.04, the
number of training sequences seen and the CPU seconds of training (scoring left out).
``--forget-bias`` and ``--input-bias`` try other initial biases for the LSTM.

CPU seconds depend on the machine and on its load (the sequence counts do not): say which
machine and whether it was shared when quoting them.
"""

from __future__ import annotations

import argparse
import dataclasses
import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

from lstm.milestones import ADDING_1997_RECIPE, MilestoneRun, solve_adding_problem_1997  # noqa: E402

RECIPE = ADDING_1997_RECIPE


def input_bias(text: str) -> float | None:
    """``--input-bias``: a number, or ``random`` for the cell's random initial ``b_i``."""
    return None if text == "random" else float(text)


def cells(run: MilestoneRun, threshold: float) -> str:
    """Sequences and CPU seconds to ``threshold``, right-aligned, or "not reached"."""
    milestone = run.milestones[threshold]
    if milestone is None:
        return f"{'not reached':>12}{'':>9}"
    return f"{milestone.sequences:>12,}{milestone.cpu_seconds:>9.1f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--length", type=int, default=100, help="minimal sequence length T")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--forget-bias", type=float, nargs="+", default=[RECIPE.forget_bias],
                        help=f"LSTM forget-gate biases to try (default {RECIPE.forget_bias:g})")
    parser.add_argument("--input-bias", type=input_bias, default=RECIPE.input_bias,
                        help=f"LSTM input-gate bias (default {RECIPE.input_bias:g}; "
                             "'random': the cell's random initial b_i)")
    parser.add_argument("--without-forget-gate", action="store_true",
                        help="also train the 1997 cell: an LSTM without forget gate (f = 1)")
    parser.add_argument("--progress", action="store_true")
    args = parser.parse_args(argv)
    print(f"Adding problem (Hochreiter & Schmidhuber 1997), T = {args.length}: hidden {RECIPE.hidden_size}, "
          f"Adam lr {RECIPE.lr:g}, batch {RECIPE.batch_size}, clip {RECIPE.clip:g}, "
          f"budget {RECIPE.max_sequences:,} sequences; criterion |error| < 0.04 on "
          f"{RECIPE.test_sequences} fresh sequences")
    input_label = "random" if args.input_bias is None else f"{args.input_bias:g}"
    models = [(f"LSTM, b_f {bias:g}, b_i {input_label}", "LSTM",
               dataclasses.replace(RECIPE, forget_bias=bias, input_bias=args.input_bias))
              for bias in args.forget_bias]
    if args.without_forget_gate:
        models.append(("LSTM without forget gate", "LSTM without forget gate", RECIPE))
    models.append(("RNN", "RNN", RECIPE))
    print(f"{'model':<28}{'seed':>5}{'50%: seqs':>12}{'CPU s':>9}{'90%: seqs':>12}{'CPU s':>9}{'best':>8}")
    for seed in args.seeds:
        for label, kind, recipe in models:
            run = solve_adding_problem_1997(kind, args.length, seed, recipe, progress=args.progress)
            best = float(run.eval_fractions.max()) if run.eval_fractions.size else 0.0
            print(f"{label:<28}{seed:>5}{cells(run, 0.5)}{cells(run, 0.9)}{best:>8.1%}", flush=True)


if __name__ == "__main__":
    main()
