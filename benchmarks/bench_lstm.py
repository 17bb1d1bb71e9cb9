"""Time the cells' forward, forward+backward and training step, and compare with PyTorch.

Run:  python benchmarks/bench_lstm.py
With PyTorch installed (``pip install -r benchmarks/requirements.txt``) it also times
``torch.nn.LSTM`` in float64 on one thread, in the same run, prints the ratio ours / PyTorch
(below 1.0 means we are faster), and checks that both compute the same hidden states.

Like :func:`lstm.training.train`, the script first asks the C library to keep freed memory for
reuse (:func:`lstm._memory.keep_freed_memory`; PyTorch gets the same setting, since it is one
for the whole process).  Both sides run on one thread (the BLAS and PyTorch thread pools are
set to 1 before NumPy is imported): at the book's sizes a second thread only adds waiting,
and on a shared machine a busy-waiting BLAS thread can make a small product a hundred times
slower.  Times are CPU seconds of this process (``time.process_time``), the best of several
repeats, so that other programs on the machine disturb them less than wall-clock times; ours
and PyTorch's are measured alternately.

Printed tables:

1. LSTM forward and forward+backward at the book's sizes and the issue's size.
2. One training step (forward, loss, backward, gradient clipping, Adam) of a model with a
   linear read-out of the last hidden state and a squared-error loss, ours vs PyTorch.
3. The plain RNN's training step per sequence against the LSTM's at H = 8 (adding-problem
   size), ours and PyTorch's.

Goals (issue 12): forward+backward <= 0.8 x PyTorch at the book sizes, <= 1.0 x at the issue
size; forward <= 1.0 x at the book sizes; the RNN's training step <= 0.35 x the LSTM's.
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import time  # noqa: E402

import numpy as np  # noqa: E402

from lstm import LSTMCell, RNNCell  # noqa: E402
from lstm._memory import keep_freed_memory  # noqa: E402
from lstm.models import SequenceModel  # noqa: E402
from lstm.optimisers import Adam, clip_by_global_norm  # noqa: E402

SIZES = [  # (name, T, batch, input, hidden)
    ("book: 1 unit", 20, None, 1, 1),
    ("book: sequence explorer", 60, None, 1, 4),
    ("book: experiments", 50, 32, 2, 16),
    ("issue size", 100, 32, 16, 64),
]
RNN_VS_LSTM = ("adding problem, H=8", 100, 64, 2, 8)


def best_seconds(function, repeats: int = 5, min_seconds: float = 0.05) -> float:
    """CPU seconds of one call: the fastest of ``repeats`` batches of calls (each >= min_seconds)."""
    function()
    start = time.process_time()
    function()
    once = max(time.process_time() - start, 1e-6)
    number = max(1, int(min_seconds / once))
    times = []
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(number):
            function()
        times.append((time.process_time() - start) / number)
    return min(times)


def alternate(functions: dict[str, object], rounds: int = 3) -> dict[str, float]:
    """Best CPU seconds of each function, measured in turns (so a busy spell hits all of them)."""
    best = {name: float("inf") for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            best[name] = min(best[name], best_seconds(function, repeats=2))
    return best


def inputs(steps, batch, input_size, hidden):
    shape = (steps, input_size) if batch is None else (steps, batch, input_size)
    xs = np.random.default_rng(0).normal(size=shape)
    return xs, np.ones(shape[:-1] + (hidden,))


# ------------------------------------------------------------------ ours
def our_passes(cell, xs, dh):
    """Closures running the forward pass, and the forward and backward passes."""
    return {"fwd": lambda: cell.run(xs), "both": lambda: cell.backward(cell.run(xs), dh)}


def our_training_step(cell, xs, targets):
    """A closure making one training step of ``cell`` with a read-out, MSE and Adam."""
    model = SequenceModel(cell, 1, objective="regression", seed=0)
    optimiser = Adam(model.parameters, lr=1e-3)
    from lstm.data import SequenceData

    batch = SequenceData(xs if xs.ndim == 3 else xs[:, None, :], targets)

    def step():
        cache = model.forward(batch.xs)
        _, doutputs = model.loss(cache.outputs, batch)
        grads, _ = clip_by_global_norm(model.backward(cache, doutputs), 1.0)
        optimiser.step(grads)

    return step


# ------------------------------------------------------------------ PyTorch
def torch_layer(cell):
    import torch

    kind = torch.nn.LSTM if isinstance(cell, LSTMCell) else torch.nn.RNN
    layer = kind(cell.input_size, cell.hidden_size, dtype=torch.float64)
    arrays = cell.to_pytorch()
    with torch.no_grad():
        for name, value in arrays.items():
            getattr(layer, f"{name}_l0").copy_(torch.from_numpy(value))
    return layer


def torch_passes(cell, xs):
    import torch

    layer = torch_layer(cell)
    tensor = torch.from_numpy(xs if xs.ndim == 3 else xs[:, None, :])

    def forward():
        with torch.no_grad():
            return layer(tensor)

    def both():
        leaf = tensor.clone().requires_grad_(True)
        output, _ = layer(leaf)
        output.sum().backward()

    difference = float(np.abs(forward()[0].numpy().reshape(cell.run(xs).h.shape) - cell.run(xs).h).max())
    return forward, both, difference


def torch_training_step(cell, xs, targets):
    import torch

    layer = torch_layer(cell)
    readout = torch.nn.Linear(cell.hidden_size, 1, dtype=torch.float64)
    parameters = list(layer.parameters()) + list(readout.parameters())
    optimiser = torch.optim.Adam(parameters, lr=1e-3)
    tensor = torch.from_numpy(xs if xs.ndim == 3 else xs[:, None, :])
    wanted = torch.from_numpy(targets)

    def step():
        optimiser.zero_grad()
        output, _ = layer(tensor)
        loss = torch.nn.functional.mse_loss(readout(output[-1]), wanted)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        optimiser.step()

    return step


def main() -> None:
    try:
        import torch

        torch.set_num_threads(1)
        have_torch = True
    except ImportError:
        have_torch = False
    # As train() does: freed arrays stay in the process for the next call (see lstm._memory).
    kept = keep_freed_memory()
    print("float64, one thread, CPU seconds (best of repeats); the machine may be shared: "
          "compare ratios, measured in the same run")
    print("freed memory kept for reuse as in train() (lstm._memory): "
          f"{'yes' if kept else 'not applicable'}\n")

    print("1. LSTM forward and forward+backward (ms per sequence batch)")
    header = f"{'case':<26}{'T':>5}{'batch':>6}{'in':>4}{'hidden':>7}{'fwd':>9}{'fwd+bwd':>9}"
    if have_torch:
        header += f"{'torch fwd':>11}{'torch f+b':>11}{'ratio fwd':>10}{'ratio f+b':>10}{'max |dh|':>10}"
    print(header)
    for name, steps, batch, input_size, hidden in SIZES:
        cell = LSTMCell(input_size, hidden, seed=0)
        xs, dh = inputs(steps, batch, input_size, hidden)
        functions = our_passes(cell, xs, dh)
        if have_torch:
            torch_forward, torch_both, difference = torch_passes(cell, xs)
            functions.update({"torch fwd": torch_forward, "torch both": torch_both})
        times = alternate(functions)
        line = (f"{name:<26}{steps:>5}{batch or '-':>6}{input_size:>4}{hidden:>7}"
                f"{1e3 * times['fwd']:>9.2f}{1e3 * times['both']:>9.2f}")
        if have_torch:
            line += (f"{1e3 * times['torch fwd']:>11.2f}{1e3 * times['torch both']:>11.2f}"
                     f"{times['fwd'] / times['torch fwd']:>10.2f}"
                     f"{times['both'] / times['torch both']:>10.2f}{difference:>10.1e}")
        print(line, flush=True)

    print("\n2. One training step: forward, MSE of a read-out of the last state, backward, "
          "clipping, Adam (ms)")
    header = f"{'case':<26}{'T':>5}{'batch':>6}{'in':>4}{'hidden':>7}{'ours':>9}"
    if have_torch:
        header += f"{'torch':>9}{'ratio':>8}"
    print(header)
    for name, steps, batch, input_size, hidden in SIZES:
        xs, _ = inputs(steps, batch, input_size, hidden)
        targets = np.random.default_rng(1).normal(size=(batch or 1, 1))
        functions = {"ours": our_training_step(LSTMCell(input_size, hidden, seed=0), xs, targets)}
        if have_torch:
            functions["torch"] = torch_training_step(LSTMCell(input_size, hidden, seed=0), xs, targets)
        times = alternate(functions)
        line = f"{name:<26}{steps:>5}{batch or '-':>6}{input_size:>4}{hidden:>7}{1e3 * times['ours']:>9.2f}"
        if have_torch:
            line += f"{1e3 * times['torch']:>9.2f}{times['ours'] / times['torch']:>8.2f}"
        print(line, flush=True)

    name, steps, batch, input_size, hidden = RNN_VS_LSTM
    print(f"\n3. Training step per sequence, RNN vs LSTM ({name}: T={steps}, batch {batch}, "
          f"input {input_size}); goal RNN/LSTM <= 0.35")
    xs, _ = inputs(steps, batch, input_size, hidden)
    targets = np.random.default_rng(1).normal(size=(batch, 1))
    functions = {
        "ours RNN": our_training_step(RNNCell(input_size, hidden, seed=0), xs, targets),
        "ours LSTM": our_training_step(LSTMCell(input_size, hidden, seed=0), xs, targets),
    }
    if have_torch:
        functions["torch RNN"] = torch_training_step(RNNCell(input_size, hidden, seed=0), xs, targets)
        functions["torch LSTM"] = torch_training_step(LSTMCell(input_size, hidden, seed=0), xs, targets)
    times = alternate(functions)
    for who in ("ours", "torch") if have_torch else ("ours",):
        rnn, lstm = times[f"{who} RNN"] / batch, times[f"{who} LSTM"] / batch
        print(f"  {who:<6} RNN {1e6 * rnn:8.1f} us/sequence   LSTM {1e6 * lstm:8.1f} us/sequence   "
              f"RNN/LSTM {rnn / lstm:5.2f}")
    if not have_torch:
        print("(PyTorch not installed: pip install -r benchmarks/requirements.txt for the comparison)")


if __name__ == "__main__":
    main()
