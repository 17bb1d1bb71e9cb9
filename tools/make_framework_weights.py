"""Write ``data/framework-lstm.npz``: an LSTM layer from PyTorch and one from Keras, with their outputs.

The chapter "From this book to PyTorch and Keras" loads these arrays with
``LSTMCell.from_pytorch`` / ``LSTMCell.from_keras`` and checks that our cell reproduces what the
frameworks computed. Only this tool needs the frameworks; the book and the tests need NumPy only.

Run once, after installing ``tools/requirements-frameworks.txt``::

    pip install -r tools/requirements-frameworks.txt
    python tools/make_framework_weights.py

Keras runs on its PyTorch backend (``KERAS_BACKEND=torch``), so one framework install serves both.
Everything is seeded; the file holds float64 arrays:

===========================  ====================================================================
``x``                        input sequence, shape (time=6, batch=2, input=3)
``torch_weight_ih`` ...      ``nn.LSTM(3, 4)`` layer-0 parameters (gate order i, f, g, o)
``torch_output``             its ``output``, shape (6, 2, 4); ``torch_h_n``, ``torch_c_n`` (2, 4)
``keras_kernel`` ...         ``keras.layers.LSTM(4)`` weights (gate order i, f, c, o)
``keras_output``             its outputs for ``x`` (batch first in Keras), shape (2, 6, 4);
                             ``keras_h_n``, ``keras_c_n`` (2, 4)
``versions``                 the framework versions that wrote the file
===========================  ====================================================================
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

# Keras 3 picks its backend when it is first imported: the PyTorch one, so no TensorFlow is needed.
os.environ.setdefault("KERAS_BACKEND", "torch")

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "framework-lstm.npz"
INPUT_SIZE, HIDDEN_SIZE, STEPS, BATCH = 3, 4, 6, 2


def pytorch_arrays(x: np.ndarray) -> dict[str, np.ndarray]:
    import torch

    torch.manual_seed(0)
    layer = torch.nn.LSTM(INPUT_SIZE, HIDDEN_SIZE).double()
    with torch.no_grad():
        output, (h_n, c_n) = layer(torch.from_numpy(x))
    arrays = {f"torch_{name.removesuffix('_l0')}": value.detach().numpy().copy()
              for name, value in layer.named_parameters()}
    arrays.update(torch_output=output.numpy(), torch_h_n=h_n[0].numpy(), torch_c_n=c_n[0].numpy())
    return arrays


def keras_arrays(x: np.ndarray) -> dict[str, np.ndarray]:
    import keras

    keras.utils.set_random_seed(1)
    keras.config.set_floatx("float64")
    layer = keras.layers.LSTM(HIDDEN_SIZE, return_sequences=True, return_state=True,
                              unit_forget_bias=True)
    batch_first = np.transpose(x, (1, 0, 2))
    output, h_n, c_n = layer(batch_first)
    kernel, recurrent_kernel, bias = (np.asarray(keras.ops.convert_to_numpy(w)) for w in layer.weights)
    return {
        "keras_kernel": kernel, "keras_recurrent_kernel": recurrent_kernel, "keras_bias": bias,
        "keras_output": np.asarray(keras.ops.convert_to_numpy(output)),
        "keras_h_n": np.asarray(keras.ops.convert_to_numpy(h_n)),
        "keras_c_n": np.asarray(keras.ops.convert_to_numpy(c_n)),
    }


def main() -> int:
    import keras
    import torch

    x = np.random.default_rng(0).standard_normal((STEPS, BATCH, INPUT_SIZE))
    arrays = {"x": x, **pytorch_arrays(x), **keras_arrays(x)}
    arrays = {name: np.asarray(value, dtype=np.float64) for name, value in arrays.items()}
    arrays["versions"] = np.array(f"torch {torch.__version__}, keras {keras.__version__}")
    OUT.parent.mkdir(exist_ok=True)
    np.savez(OUT, **arrays)
    print(f"wrote {OUT.relative_to(ROOT)}: " + ", ".join(f"{k} {v.shape}" for k, v in arrays.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
