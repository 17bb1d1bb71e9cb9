"""Time the LSTM cell's forward and forward+backward passes, and compare with PyTorch.

Run:  python benchmarks/bench_lstm.py
With PyTorch installed (``pip install -r benchmarks/requirements.txt``) it also
times ``torch.nn.LSTM`` in float64 on one thread, in the same run, prints the
ratio ours / PyTorch (below 1.0 means we are faster), and checks that both
compute the same hidden states.
"""

from __future__ import annotations

import time

import numpy as np

from lstm import LSTMCell

SIZES = [  # (name, T, batch, input, hidden)
    ("book: 1 unit", 20, None, 1, 1),
    ("book: sequence explorer", 60, None, 1, 4),
    ("book: experiments", 50, 32, 2, 16),
    ("issue size", 100, 32, 16, 64),
]


def best_seconds(function, repeats: int = 7) -> float:
    """The fastest of several runs (the least disturbed by other work)."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def ours(steps, batch, input_size, hidden):
    cell = LSTMCell(input_size, hidden, seed=0)
    shape = (steps, input_size) if batch is None else (steps, batch, input_size)
    xs = np.random.default_rng(0).normal(size=shape)
    dh = np.ones(shape[:-1] + (hidden,))
    forward = best_seconds(lambda: cell.run(xs))
    both = best_seconds(lambda: cell.backward(cell.run(xs), dh))
    return cell, xs, forward, both


def pytorch(cell, xs):
    import torch

    torch.set_num_threads(1)
    layer = torch.nn.LSTM(cell.input_size, cell.hidden_size, dtype=torch.float64)
    arrays = cell.to_pytorch()
    with torch.no_grad():
        for name, value in arrays.items():
            getattr(layer, f"{name}_l0").copy_(torch.from_numpy(value))
    inputs = torch.from_numpy(xs if xs.ndim == 3 else xs[:, None, :])

    def forward():
        with torch.no_grad():
            return layer(inputs)

    def both():
        leaf = inputs.clone().requires_grad_(True)
        output, _ = layer(leaf)
        output.sum().backward()

    difference = float(np.abs(forward()[0].numpy().reshape(cell.run(xs).h.shape)
                              - cell.run(xs).h).max())
    return best_seconds(forward), best_seconds(both), difference


def main() -> None:
    try:
        import torch  # noqa: F401
        have_torch = True
    except ImportError:
        have_torch = False
    header = f"{'case':<26}{'T':>5}{'batch':>6}{'in':>4}{'hidden':>7}{'fwd ms':>9}{'fwd+bwd ms':>12}"
    if have_torch:
        header += f"{'torch fwd':>11}{'torch f+b':>11}{'ratio fwd':>10}{'ratio f+b':>10}{'max |dh|':>10}"
    print(header)
    for name, steps, batch, input_size, hidden in SIZES:
        cell, xs, forward, both = ours(steps, batch, input_size, hidden)
        line = (f"{name:<26}{steps:>5}{batch or '-':>6}{input_size:>4}{hidden:>7}"
                f"{1e3 * forward:>9.2f}{1e3 * both:>12.2f}")
        if have_torch:
            torch_forward, torch_both, difference = pytorch(cell, xs)
            line += (f"{1e3 * torch_forward:>11.2f}{1e3 * torch_both:>11.2f}"
                     f"{forward / torch_forward:>10.2f}{both / torch_both:>10.2f}{difference:>10.1e}")
        print(line)
    if not have_torch:
        print("(PyTorch not installed: pip install -r benchmarks/requirements.txt for the comparison)")


if __name__ == "__main__":
    main()
