"""Time the GRU cell's forward and forward+backward passes, and compare with PyTorch's nn.GRU.

Run:  python benchmarks/bench_gru.py
With PyTorch installed (``pip install -r benchmarks/requirements.txt``) it also
loads the same weights into ``torch.nn.GRU`` (float64, one thread) with
``GRUCell.to_pytorch``, and prints, from the same run,

- the largest difference between the two hidden-state sequences,
- the largest relative difference between our BPTT gradients and autograd's, for
  every PyTorch parameter, the inputs and the initial state (our ``b_r`` is the sum of
  PyTorch's two r biases, so both receive its gradient; the same for ``b_z``),
- the time ratio ours / PyTorch (below 1.0 means we are faster).

The tests never need PyTorch: they check the same equations written out in NumPy.
"""

from __future__ import annotations

import time

import numpy as np

from lstm import GRUCell

SIZES = [  # (name, T, batch, input, hidden)
    ("1 unit", 20, 1, 1, 1),
    ("small batch", 50, 32, 2, 16),
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


def problem(steps: int, batch: int, input_size: int, hidden: int):
    rng = np.random.default_rng(0)
    cell = GRUCell(input_size, hidden, seed=0)   # PyTorch's initialisation: every bias non-zero
    xs = rng.normal(size=(steps, batch, input_size))
    h0 = rng.normal(size=(batch, hidden)) * 0.5
    weights = rng.normal(size=(steps, batch, hidden))   # the loss: sum(weights * h)
    return cell, xs, h0, weights


def our_gradients_in_pytorch_layout(cell: GRUCell, xs, h0, weights) -> dict[str, np.ndarray]:
    grads = cell.backward(cell.run(xs, h0), weights)
    H = cell.hidden_size
    blocks = [grads.W_r, grads.W_z, grads.W_n]
    return {
        "weight_ih": np.concatenate([w[:, H:] for w in blocks]),
        "weight_hh": np.concatenate([w[:, :H] for w in blocks]),
        "bias_ih": np.concatenate([grads.b_r, grads.b_z, grads.b_n]),
        "bias_hh": np.concatenate([grads.b_r, grads.b_z, grads.b_hn]),
        "input": grads.dx,
        "h0": grads.dh0,
    }


def relative_difference(ours: np.ndarray, theirs: np.ndarray) -> float:
    scale = max(np.abs(ours).max(), np.abs(theirs).max(), 1e-12)
    return float(np.abs(ours - theirs).max() / scale)


def compare_with_pytorch(cell: GRUCell, xs, h0, weights):
    import torch

    torch.set_num_threads(1)
    layer = torch.nn.GRU(cell.input_size, cell.hidden_size, dtype=torch.float64)
    with torch.no_grad():
        for name, value in cell.to_pytorch().items():
            getattr(layer, f"{name}_l0").copy_(torch.from_numpy(value))
    inputs, initial = torch.from_numpy(xs), torch.from_numpy(h0[None])
    loss_weights = torch.from_numpy(weights)

    def forward():
        with torch.no_grad():
            return layer(inputs, initial)

    def both():
        leaf_x, leaf_h = inputs.clone().requires_grad_(True), initial.clone().requires_grad_(True)
        layer.zero_grad()
        output, _ = layer(leaf_x, leaf_h)
        (output * loss_weights).sum().backward()
        return leaf_x.grad, leaf_h.grad

    state_difference = float(np.abs(forward()[0].numpy() - cell.run(xs, h0).h).max())
    dx, dh0 = both()
    theirs = {name: getattr(layer, f"{name}_l0").grad.numpy()
              for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
    theirs["input"], theirs["h0"] = dx.numpy(), dh0.numpy()[0]
    ours = our_gradients_in_pytorch_layout(cell, xs, h0, weights)
    gradient_difference = max(relative_difference(ours[name], theirs[name]) for name in theirs)
    return best_seconds(forward), best_seconds(both), state_difference, gradient_difference


def time_ours(cell: GRUCell, xs, h0, weights) -> tuple[float, float]:
    """Seconds of one forward pass and of one forward plus backward pass."""
    forward = best_seconds(lambda: cell.run(xs, h0))
    both = best_seconds(lambda: cell.backward(cell.run(xs, h0), weights))
    return forward, both


def main() -> None:
    try:
        import torch  # noqa: F401
        have_torch = True
    except ImportError:
        have_torch = False
    header = f"{'case':<14}{'T':>5}{'batch':>6}{'in':>4}{'hidden':>7}{'fwd ms':>9}{'fwd+bwd ms':>12}"
    if have_torch:
        header += (f"{'torch fwd':>11}{'torch f+b':>11}{'ratio fwd':>10}{'ratio f+b':>10}"
                   f"{'max |dh|':>10}{'grad rel':>10}")
    print(header)
    for name, steps, batch, input_size, hidden in SIZES:
        cell, xs, h0, weights = problem(steps, batch, input_size, hidden)
        forward, both = time_ours(cell, xs, h0, weights)
        line = (f"{name:<14}{steps:>5}{batch:>6}{input_size:>4}{hidden:>7}"
                f"{forward * 1e3:>9.2f}{both * 1e3:>12.2f}")
        if have_torch:
            torch_forward, torch_both, state_difference, gradient_difference = compare_with_pytorch(
                cell, xs, h0, weights)
            line += (f"{torch_forward * 1e3:>11.2f}{torch_both * 1e3:>11.2f}"
                     f"{forward / torch_forward:>10.2f}{both / torch_both:>10.2f}"
                     f"{state_difference:>10.1e}{gradient_difference:>10.1e}")
        print(line)
    if not have_torch:
        print("(PyTorch not installed: no comparison; see benchmarks/requirements.txt)")


if __name__ == "__main__":
    main()
