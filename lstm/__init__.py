"""The LSTM cell, computed step by step — the helper package of the book *Understanding the LSTM cell*.

The maths lives in :mod:`lstm.activations`, :mod:`lstm.cell` (the LSTM),
:mod:`lstm.rnn` (the plain RNN it is compared with), :mod:`lstm.gru` (the GRU) and
:mod:`lstm.variants` (peephole and coupled-gate LSTMs).  Plots, explorers,
training and the book's experiments build on them in their own modules.

>>> import numpy as np
>>> from lstm import LSTMCell
>>> cell = LSTMCell(input_size=1, hidden_size=2, seed=0, forget_bias=1.0)
>>> trace = cell.run(np.ones((5, 1)))          # five steps of the input 1.0
>>> trace.c.shape                              # the cell state at every step
(5, 2)
"""

from lstm.activations import sigmoid, tanh
from lstm.cell import LSTMCell, LSTMGradients, LSTMStep, LSTMTrace
from lstm.gru import GRUCell, GRUGradients, GRUStep, GRUTrace
from lstm.rnn import RNNCell, RNNGradients, RNNStep, RNNTrace
from lstm.variants import (
    CoupledLSTMCell,
    LSTMVariantGradients,
    LSTMVariantStep,
    LSTMVariantTrace,
    PeepholeLSTMCell,
)

__all__ = [
    "CoupledLSTMCell",
    "GRUCell",
    "GRUGradients",
    "GRUStep",
    "GRUTrace",
    "LSTMCell",
    "LSTMGradients",
    "LSTMStep",
    "LSTMTrace",
    "LSTMVariantGradients",
    "LSTMVariantStep",
    "LSTMVariantTrace",
    "PeepholeLSTMCell",
    "RNNCell",
    "RNNGradients",
    "RNNStep",
    "RNNTrace",
    "sigmoid",
    "tanh",
]
__version__ = "0.1.0"
