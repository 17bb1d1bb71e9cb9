"""The bridge to PyTorch and Keras: weights the frameworks wrote reproduce their outputs; the layout
figure shows the package's own translation."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pytest

from lstm import LSTMCell
from lstm.framework_layout import plot_framework_layout
from lstm.plots import new_figure

matplotlib.use("Agg")
DATA = Path(__file__).resolve().parent.parent / "data" / "framework-lstm.npz"


@pytest.fixture(scope="module")
def frameworks():
    return np.load(DATA)


def test_pytorch_weights_reproduce_pytorch_outputs(frameworks) -> None:
    cell = LSTMCell.from_pytorch(frameworks["torch_weight_ih"], frameworks["torch_weight_hh"],
                                 frameworks["torch_bias_ih"], frameworks["torch_bias_hh"])
    trace = cell.run(frameworks["x"])
    np.testing.assert_allclose(trace.h, frameworks["torch_output"], rtol=0, atol=1e-14)
    np.testing.assert_allclose(trace.h_last, frameworks["torch_h_n"], rtol=0, atol=1e-14)
    np.testing.assert_allclose(trace.c_last, frameworks["torch_c_n"], rtol=0, atol=1e-14)


def test_keras_weights_reproduce_keras_outputs(frameworks) -> None:
    cell = LSTMCell.from_keras(frameworks["keras_kernel"], frameworks["keras_recurrent_kernel"],
                               frameworks["keras_bias"])
    trace = cell.run(frameworks["x"])
    np.testing.assert_allclose(trace.h.transpose(1, 0, 2), frameworks["keras_output"], rtol=0, atol=1e-14)
    np.testing.assert_allclose(trace.c_last, frameworks["keras_c_n"], rtol=0, atol=1e-14)
    np.testing.assert_array_equal(cell.b_f, np.ones(4))  # Keras' unit_forget_bias default


def test_keras_to_pytorch_through_the_cell(frameworks) -> None:
    keras_cell = LSTMCell.from_keras(frameworks["keras_kernel"], frameworks["keras_recurrent_kernel"],
                                     frameworks["keras_bias"])
    again = LSTMCell.from_pytorch(**keras_cell.to_pytorch())
    outputs = again.run(frameworks["x"]).h.transpose(1, 0, 2)
    np.testing.assert_allclose(outputs, frameworks["keras_output"], rtol=0, atol=1e-14)


@pytest.mark.parametrize("framework, names", [("pytorch", ("weight_ih", "weight_hh")),
                                              ("keras", ("kernel", "recurrent_kernel"))])
def test_layout_figure_draws_the_framework_arrays(framework: str, names: tuple[str, str]) -> None:
    cell = LSTMCell(3, 4, seed=2)
    figure = new_figure()
    plot_framework_layout(figure, cell, framework=framework, gate="output")
    expected = cell.to_pytorch() if framework == "pytorch" else cell.to_keras()
    axes = [ax for ax in figure.axes if ax.images and ax.get_title()]
    assert [ax.get_title().split(":")[0] for ax in axes] == list(names)
    for ax, name in zip(axes, names, strict=True):
        np.testing.assert_array_equal(ax.images[0].get_array(), expected[name])
        outline = [patch for patch in ax.patches if patch.get_linewidth() > 3]
        assert len(outline) == 1
        corner = outline[0].get_xy()
        assert (corner[1] if framework == "pytorch" else corner[0]) == pytest.approx(3 * 4 - 0.5)


def test_layout_figure_rejects_unknown_names() -> None:
    cell = LSTMCell(1, 1)
    with pytest.raises(ValueError, match="framework must be one of"):
        plot_framework_layout(new_figure(), cell, framework="jax")
    with pytest.raises(ValueError, match="gate must be one of"):
        plot_framework_layout(new_figure(), cell, gate="reset")
    with pytest.raises(TypeError, match="cell must be an LSTMCell"):
        plot_framework_layout(new_figure(), "cell")
