"""Tests of the book style (lstm/style.py) and the plotting functions (lstm/plots.py).

Every plot is fed numbers computed by the real cell, and the test checks the drawn data
(line ydata, bar heights, image arrays, texts) against those numbers.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib._pylab_helpers import Gcf

from lstm.activations import sigmoid, tanh
from lstm.cell import LSTMCell
from lstm.plots import (
    GATES,
    BookFigure,
    cell_step_values,
    check_gate,
    memory_kept,
    new_figure,
    plot_cell_step,
    plot_gate_curve,
    plot_gate_heatmaps,
    plot_gate_values,
    plot_memory_comparison,
    plot_over_time,
)
from lstm.rnn import RNNCell
from lstm.style import (
    COLOUR_CYCLE,
    GATE_COLOURMAP,
    GATE_COLOURS,
    OKABE_ITO,
    SIGNED_COLOURMAP,
    SIZES,
    apply_book_style,
    book_rc_params,
    book_style,
    check_size,
    integer_ticks,
)


@pytest.fixture(autouse=True)
def restore_global_style():
    """Tests may call apply_book_style(); give every test the rcParams and printoptions it found."""
    printoptions = np.get_printoptions()
    with mpl.rc_context():
        yield
    np.set_printoptions(**printoptions)


def one_unit_cell() -> LSTMCell:
    return LSTMCell.from_arrays(
        W_f=[[0.5, 1.0]], b_f=[1.0], W_i=[[0.5, 2.0]], b_i=[0.0],
        W_c=[[0.5, 1.5]], b_c=[0.0], W_o=[[0.5, 1.0]], b_o=[0.5],
    )


# ---------------------------------------------------------------------------------------------
# Style
# ---------------------------------------------------------------------------------------------
def test_apply_book_style_sets_okabe_ito_cycle_fonts_grid_and_printoptions() -> None:
    apply_book_style()
    colours = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    assert [colour.upper() for colour in colours] == [colour.upper() for colour in COLOUR_CYCLE]
    assert set(colours) <= set(OKABE_ITO.values())
    assert mpl.rcParams["axes.grid"] is True
    assert mpl.rcParams["font.size"] >= 12
    assert np.get_printoptions()["precision"] == 4
    assert repr(np.array([1 / 3])) == "array([0.3333])"


def test_projector_style_is_bigger_than_laptop() -> None:
    laptop, projector = book_rc_params("laptop"), book_rc_params("projector")
    assert projector["font.size"] > laptop["font.size"]
    assert projector["figure.figsize"][0] > laptop["figure.figsize"][0]
    assert set(SIZES) == {"laptop", "projector"}


def test_book_style_is_temporary() -> None:
    before = mpl.rcParams["font.size"]
    with book_style("projector"):
        assert mpl.rcParams["font.size"] == book_rc_params("projector")["font.size"]
    assert mpl.rcParams["font.size"] == before


@pytest.mark.parametrize("bad", ["big", "Laptop", None, 3])
def test_unknown_size_names_the_argument(bad: object) -> None:
    with pytest.raises(ValueError, match=r"size must be one of \['laptop', 'projector'\]; got"):
        check_size(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="size"):
        apply_book_style(bad)  # type: ignore[arg-type]


def test_palette_and_colour_maps_are_colour_blind_safe_choices() -> None:
    for gate in (*GATES, "cell", "hidden"):
        assert GATE_COLOURS[gate] in OKABE_ITO.values()
    assert len({GATE_COLOURS[gate] for gate in (*GATES, "cell", "hidden")}) == 6
    assert GATE_COLOURMAP in {"viridis", "cividis"}
    assert SIGNED_COLOURMAP in mpl.colormaps


# ---------------------------------------------------------------------------------------------
# Figures without pyplot
# ---------------------------------------------------------------------------------------------
def test_new_figure_uses_no_pyplot_and_shows_as_png() -> None:
    managers_before = Gcf.get_num_fig_managers()
    figure = new_figure("projector")
    assert isinstance(figure, BookFigure)
    assert tuple(figure.get_size_inches()) == SIZES["projector"]["figsize"]
    assert Gcf.get_num_fig_managers() == managers_before
    figure.add_subplot().plot([1, 2], [3, 4])
    assert figure._repr_png_().startswith(b"\x89PNG\r\n\x1a\n")


def test_check_gate() -> None:
    assert check_gate("input") == "input"
    with pytest.raises(ValueError, match=r"gate must be one of .*'forget'.*; got 'forgt'"):
        check_gate("forgt")


# ---------------------------------------------------------------------------------------------
# Gate curve
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("activation", "function"), [("sigmoid", sigmoid), ("tanh", tanh)])
def test_gate_curve_draws_the_activation_and_marks_the_point(activation, function) -> None:
    ax = new_figure().add_subplot()
    artists = plot_gate_curve(ax, activation, z=1.5, gate="forget")
    z_grid = artists.curve.get_xdata()
    np.testing.assert_allclose(artists.curve.get_ydata(), function(z_grid))
    assert artists.point.get_xdata()[0] == 1.5
    assert artists.point.get_ydata()[0] == pytest.approx(float(function(1.5)))
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    step = one_unit_cell().step([0.7], h_prev=[0.2], c_prev=[0.1])
    artists.update(step.z_f[0], step.f[0])
    assert artists.point.get_xdata()[0] == step.z_f[0]
    assert artists.point.get_ydata()[0] == step.f[0]
    assert artists.readout.get_text() == f"{step.z_f[0]:.2f}\n{step.f[0]:.4f}"
    assert artists.readout_labels.get_text() == "$z_f$ =\n$f_t$ ="


def test_gate_curve_clamps_an_off_scale_point_to_the_edge_but_prints_the_exact_value() -> None:
    ax = new_figure().add_subplot()
    artists = plot_gate_curve(ax, "sigmoid", z_limits=(-8.0, 8.0))
    artists.update(25.0, 1.0)
    assert artists.point.get_xdata()[0] == 8.0
    assert artists.point.get_markerfacecolor() == "white"
    assert "25.00" in artists.readout.get_text()


def test_gate_curve_rejects_bad_arguments() -> None:
    ax = new_figure().add_subplot()
    with pytest.raises(ValueError, match=r"activation must be one of .*; got 'relu'"):
        plot_gate_curve(ax, "relu")
    with pytest.raises(ValueError, match="gate must be one of"):
        plot_gate_curve(ax, "sigmoid", gate="memory")
    with pytest.raises(ValueError, match="z_limits must be increasing"):
        plot_gate_curve(ax, "sigmoid", z_limits=(3.0, -3.0))


# ---------------------------------------------------------------------------------------------
# One step: bars
# ---------------------------------------------------------------------------------------------
def test_cell_step_bars_show_what_the_cell_computes() -> None:
    cell = one_unit_cell()
    step = cell.step([0.8], h_prev=[-0.3], c_prev=[1.2])
    ax = new_figure().add_subplot()
    artists = plot_cell_step(ax, step)
    expected = [
        step.c_prev[0], step.f[0] * step.c_prev[0], step.i[0] * step.c_tilde[0],
        step.c[0], step.tanh_c[0], step.h[0],
    ]
    np.testing.assert_allclose([bar.get_height() for bar in artists.bars], expected)
    np.testing.assert_allclose(cell_step_values(step), expected)
    assert [text.get_text() for text in artists.value_texts] == [f"{v:+.3f}" for v in expected]
    # the update reuses the same bars
    bars_before = list(artists.bars)
    other = cell.step([-2.0], h_prev=[0.5], c_prev=[-1.0])
    artists.update(other)
    assert list(artists.bars) == bars_before
    np.testing.assert_allclose([bar.get_height() for bar in artists.bars], cell_step_values(other))
    assert ax.get_ylabel() and ax.get_title()


def test_gate_value_bars_show_f_i_candidate_o() -> None:
    step = one_unit_cell().step([-0.4], h_prev=[0.9], c_prev=[0.0])
    artists = plot_gate_values(new_figure().add_subplot(), step)
    widths = [bar.get_width() for bar in artists.bars]
    np.testing.assert_allclose(widths, [step.f[0], step.i[0], step.c_tilde[0], step.o[0]])


# ---------------------------------------------------------------------------------------------
# Over time
# ---------------------------------------------------------------------------------------------
def test_gate_heatmaps_hold_the_trace_gates_and_update_in_place() -> None:
    cell = LSTMCell(1, 3, seed=2)
    trace = cell.run(np.linspace(-1, 1, 12)[:, None])
    figure = new_figure()
    axes = [figure.add_subplot(4, 1, row + 1) for row in range(4)]
    artists = plot_gate_heatmaps(axes, trace)
    for gate, attribute in zip(GATES, ("f", "i", "c_tilde", "o"), strict=True):
        np.testing.assert_array_equal(artists.images[gate].get_array(), getattr(trace, attribute).T)
    assert artists.images["candidate"].get_clim() == (-1.0, 1.0)
    assert artists.images["forget"].get_clim() == (0.0, 1.0)
    assert artists.images["forget"].get_cmap().name == GATE_COLOURMAP
    assert artists.images["candidate"].get_cmap().name == SIGNED_COLOURMAP
    assert axes[-1].get_xlabel() and all(ax.get_ylabel() == "unit" for ax in axes)
    images_before = dict(artists.images)
    other = cell.run(np.sin(np.arange(12))[:, None])
    artists.update(other)
    assert artists.images == images_before
    np.testing.assert_array_equal(artists.images["output"].get_array(), other.o.T)


def test_gate_heatmaps_need_four_axes() -> None:
    trace = LSTMCell(1, 2).run(np.zeros((3, 1)))
    with pytest.raises(ValueError, match="axes must hold 4 axes"):
        plot_gate_heatmaps([new_figure().add_subplot()], trace)


def test_plot_over_time_draws_one_line_per_unit() -> None:
    trace = LSTMCell(1, 2, seed=1).run(np.ones((6, 1)))
    ax = new_figure().add_subplot()
    artists = plot_over_time(ax, trace.c, symbol="$c_t$")
    assert len(artists.lines) == 2
    for unit, line in enumerate(artists.lines):
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 7))
        np.testing.assert_array_equal(line.get_ydata(), trace.c[:, unit])
    assert ax.get_xlabel() == "time step $t$" and ax.get_ylabel() == "$c_t$"
    assert ax.get_legend() is not None
    artists.update(trace.h)
    np.testing.assert_array_equal(artists.lines[1].get_ydata(), trace.h[:, 1])
    with pytest.raises(ValueError, match="values must have 2 columns"):
        artists.update(np.zeros((6, 3)))
    with pytest.raises(ValueError, match=r"values must have shape \(time, hidden\)"):
        plot_over_time(ax, np.zeros((2, 2, 2)), symbol="$h_t$")


def test_memory_comparison_draws_rnn_and_lstm_and_the_kept_fraction() -> None:
    xs = np.zeros((20, 1))
    xs[0] = 1.0
    rnn_trace = RNNCell.from_arrays(W=[[0.8, 1.0]], b=[0.0]).run(xs)
    lstm_trace = LSTMCell(1, 1, seed=0, forget_bias=3.0).run(xs)
    figure = new_figure()
    axes = figure.subplots(1, 2)
    artists = plot_memory_comparison(axes, rnn_trace.h[:, 0], lstm_trace.c[:, 0], lstm_trace.h[:, 0])
    np.testing.assert_array_equal(artists.rnn_line.get_ydata(), rnn_trace.h[:, 0])
    np.testing.assert_array_equal(artists.lstm_cell_line.get_ydata(), lstm_trace.c[:, 0])
    np.testing.assert_array_equal(artists.lstm_hidden_line.get_ydata(), lstm_trace.h[:, 0])
    kept = rnn_trace.h[-1, 0] / rnn_trace.h[0, 0]
    assert memory_kept(rnn_trace.h[:, 0]) == pytest.approx(kept)
    assert artists.rnn_text.get_text() == f"at t = 20: the state keeps {kept:.1%}"
    assert axes[0].get_xlim() == (0.5, 20.5)
    artists.update(rnn_trace.h[:5, 0], lstm_trace.c[:5, 0], lstm_trace.h[:5, 0])
    assert axes[1].get_xlim() == (0.5, 5.5)
    assert memory_kept([0.0, 1.0]) == 0.0
    with pytest.raises(ValueError, match="axes must hold 2 axes"):
        plot_memory_comparison(axes[:1], [1.0], [1.0], [1.0])


# ---------------------------------------------------------------- whole-number time steps
def _memory_comparison(steps: int):
    xs = np.zeros((steps, 1))
    xs[0] = 1.0
    figure = new_figure()
    axes = figure.subplots(1, 2)
    plot_memory_comparison(axes, RNNCell.from_arrays(W=[[0.8, 1.0]], b=[0.0]).run(xs).h[:, 0],
                           *(LSTMCell(1, 1, seed=0, forget_bias=3.0).run(xs).c[:, 0],) * 2)
    return figure


def _over_time_and_heatmaps(steps: int):
    trace = LSTMCell(1, 3, seed=1).run(np.linspace(-1, 1, steps)[:, None])
    figure = new_figure(figsize=(8, 10))
    axes = figure.subplots(5, 1)
    plot_over_time(axes[0], trace.c, symbol="$c_t$")
    plot_gate_heatmaps(list(axes[1:]), trace, xlabel_on="all")
    return figure


def _gradient_views(steps: int):
    from lstm.backprop import gradient_roads, plot_gradient_roads
    from lstm.gradient_flow import draw_gradient_flow, gradient_flow

    figure = new_figure(figsize=(9, 3.5))
    left, right = figure.subplots(1, 2)
    plot_gradient_roads(left, gradient_roads(LSTMCell(1, 2, seed=0), np.ones((steps, 1))))
    draw_gradient_flow(right, gradient_flow(num_steps=steps, hidden_size=2, batch_size=2))
    return figure


def _jacobian_decay(steps: int):
    from lstm.jacobians import jacobian_decay, plot_jacobian_decay

    figure = new_figure()
    plot_jacobian_decay(figure.add_subplot(), jacobian_decay(num_steps=steps, hidden_size=3))
    return figure


def _variant_comparison(steps: int):
    from lstm.variant_comparison import compare_variants, draw_variant_comparison

    figure = new_figure(figsize=(9, 3.5))
    draw_variant_comparison(*figure.subplots(1, 2), compare_variants(steps=max(steps, 16)))
    return figure


@pytest.mark.parametrize("steps", [4, 10, 23])
@pytest.mark.parametrize("draw", [_memory_comparison, _over_time_and_heatmaps, _gradient_views,
                                  _jacobian_decay, _variant_comparison])
def test_every_time_step_axis_has_whole_number_ticks(draw, steps, time_axis_problems) -> None:
    """Figure 1.1 had ticks at 2.5 and 7.5 over 10 steps; a time step is a whole number."""
    figure = draw(steps)
    assert time_axis_problems(figure) == []
    labels = [ax.get_xlabel() for ax in figure.axes if ax.get_xlabel()]
    assert labels, "the figure should have labelled time-step axes"


def test_the_time_axis_check_finds_half_steps(time_axis_problems) -> None:
    figure = new_figure()
    ax = figure.add_subplot()
    ax.plot(np.arange(1, 5), np.zeros(4))
    ax.set_xlim(0.5, 4.5)
    ax.set_xlabel("time step $t$")
    assert time_axis_problems(figure), "matplotlib's default ticks over 4 steps include 1.5"
    integer_ticks(ax)
    assert time_axis_problems(figure) == []
    with pytest.raises(ValueError, match='axis must be "x" or "y"'):
        integer_ticks(ax, "z")
