"""Tests of the unrolled figure (lstm/unrolled.py) and of its committed static SVG."""

from __future__ import annotations

import itertools
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from lstm.cell import LSTMCell
from lstm.diagram import UNROLLED, static_diagram_names, static_diagram_svg
from lstm.drawing import format_value
from lstm.style import GATE_COLOURS, apply_book_style
from lstm.unrolled import (
    MAX_STEPS,
    STEP_VALUE_NAMES,
    UNROLLED_IMAGE,
    UnrolledDiagram,
    describe,
    draw_unrolled,
    example_cell,
    example_inputs,
    example_trace,
    unrolled_svg,
)

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "images"
MINUS = "\N{MINUS SIGN}"


def artist_count(figure: Figure) -> int:
    """Number of artists anywhere in the figure (including invisible ones)."""
    return len(figure.findobj())


def shown_texts(diagram: UnrolledDiagram) -> list[Text]:
    """Every visible, non-empty text artist of the diagram."""
    return [text for text in diagram.ax.texts if text.get_visible() and text.get_text()]


# ---------------------------------------------------------------------------------------------
# The chapter's example
# ---------------------------------------------------------------------------------------------
def test_example_is_chapter_six_worked_by_hand() -> None:
    trace = example_trace()
    assert trace.x.shape == (4, 1) and example_inputs()[:, 0].tolist() == [1.0, 1.0, 0.0, -1.0]
    # step 1: z_f = 2*1 - 1 = 1, z_i = 1, z_c = -1.5 + 0.5 = -1, z_o = 1 + 1 = 2
    assert trace.f[0, 0] == pytest.approx(1 / (1 + np.exp(-1.0)), abs=1e-12)
    assert trace.c_tilde[0, 0] == pytest.approx(np.tanh(-1.0), abs=1e-12)
    assert trace.c[0, 0] == pytest.approx(-0.5568, abs=1e-4)
    assert trace.h[0, 0] == pytest.approx(-0.4453, abs=1e-4)
    # step 2: z_f = 0.5 * h_1 + 2 - 1 = 0.7773 (h_1 = -0.44531)
    assert trace.f[1, 0] == pytest.approx(0.6851, abs=1e-4)
    assert trace.c[1, 0] == pytest.approx(-1.0356, abs=1e-3)
    assert example_cell().num_parameters == 12


# ---------------------------------------------------------------------------------------------
# Values on the wires
# ---------------------------------------------------------------------------------------------
def test_show_values_writes_the_numbers_of_the_trace() -> None:
    trace = example_trace()
    diagram = UnrolledDiagram(steps=4)
    diagram.show_values(trace)
    for name in STEP_VALUE_NAMES:
        texts = diagram.value_texts[name]
        assert len(texts) == 4, name
        for t, text in enumerate(texts):
            assert text.get_visible()
            assert text.get_text() == format_value(getattr(trace, name)[t, 0]), (name, t)
    assert diagram.initial_texts["c0"].get_text() == "0.00"
    assert diagram.initial_texts["h0"].get_text() == "0.00"
    # the chapter's hand-worked numbers, as the reader sees them
    assert [text.get_text() for text in diagram.value_texts["c"][:2]] == [f"{MINUS}0.56", f"{MINUS}1.04"]
    assert diagram.value_texts["h"][0].get_text() == f"{MINUS}0.45"
    assert diagram.value_texts["f"][1].get_text() == "0.69"
    assert diagram.value_texts["x"][3].get_text() == f"{MINUS}1.00"
    assert not diagram.note.get_visible()


def test_initial_states_come_from_the_trace() -> None:
    trace = example_cell().run(example_inputs(), h0=[0.25], c0=[-2.0])
    diagram = UnrolledDiagram()
    diagram.show_values(trace)
    assert diagram.initial_texts["h0"].get_text() == "0.25"
    assert diagram.initial_texts["c0"].get_text() == f"{MINUS}2.00"
    assert diagram.value_texts["c"][0].get_text() == format_value(trace.c[0, 0])


def test_show_values_updates_in_place() -> None:
    cell = example_cell()
    diagram = UnrolledDiagram(steps=3)
    count, texts = artist_count(diagram.figure), list(diagram.ax.texts)
    first = cell.run(np.array([[1.0], [0.0], [0.0]]))
    diagram.show_values(first)
    assert artist_count(diagram.figure) == count and list(diagram.ax.texts) == texts
    second = cell.run(np.array([[-2.0], [0.5], [1.0]]))
    diagram.show_values(second)
    assert artist_count(diagram.figure) == count and list(diagram.ax.texts) == texts
    assert diagram.value_texts["x"][0].get_text() == f"{MINUS}2.00"
    assert diagram.value_texts["h"][2].get_text() == format_value(second.h[2, 0])
    diagram.clear_values()
    assert artist_count(diagram.figure) == count
    every_value = [text for name in STEP_VALUE_NAMES for text in diagram.value_texts[name]]
    every_value += list(diagram.initial_texts.values())
    assert all(not text.get_visible() and text.get_text() == "" for text in every_value)


def test_a_bigger_cell_shows_its_first_unit_with_a_note() -> None:
    cell = LSTMCell(input_size=2, hidden_size=3, seed=4)
    trace = cell.run(np.array([[0.5, -1.0], [1.0, 0.0]]))
    diagram = UnrolledDiagram(steps=2)
    diagram.show_values(trace)
    assert diagram.value_texts["c"][1].get_text() == format_value(trace.c[1, 0])
    assert diagram.value_texts["x"][0].get_text() == format_value(trace.x[0, 0])
    assert diagram.note.get_visible()
    assert "1 of 3" in diagram.note.get_text() and "1 of 2" in diagram.note.get_text()


def test_draw_unrolled_draws_one_copy_per_step() -> None:
    cell = example_cell()
    for steps in (1, 3, MAX_STEPS):
        trace = cell.run(np.ones((steps, 1)))
        figure = draw_unrolled(trace)
        strings = {text.get_text() for text in figure.axes[0].texts}
        assert {f"$x_{t}$" for t in range(1, steps + 1)} <= strings
        assert f"$x_{steps + 1}$" not in strings
        assert format_value(trace.c[-1, 0]) in strings
    assert isinstance(draw_unrolled(), Figure)  # no trace: four empty copies


def test_projector_size_is_bigger() -> None:
    laptop, projector = UnrolledDiagram(), UnrolledDiagram(size="projector")
    assert projector.figure.get_size_inches()[0] > laptop.figure.get_size_inches()[0]
    assert projector.value_texts["c"][0].get_fontsize() > laptop.value_texts["c"][0].get_fontsize()
    assert max(text.get_fontsize() for text in projector.ax.texts) >= 18


@pytest.mark.parametrize("size", ["laptop", "projector"])
@pytest.mark.parametrize("steps", [1, 4, MAX_STEPS])
def test_no_two_texts_overlap(size: str, steps: int) -> None:
    """Every label and every number (with its white box) stands free and inside the figure."""
    cell = LSTMCell(input_size=1, hidden_size=2, seed=3)
    diagram = UnrolledDiagram(steps, size=size)
    diagram.show_values(cell.run(np.linspace(-1.5, 1.5, steps)[:, None]))
    for text in diagram.value_texts["x"]:  # the widest numbers the diagram writes
        text.set_text(f"{MINUS}0.00")
    diagram.figure.canvas.draw()
    renderer = diagram.figure.canvas.get_renderer()
    boxes = []
    for text in shown_texts(diagram):
        patch = text.get_bbox_patch()
        extent = (patch if patch is not None else text).get_window_extent(renderer)
        boxes.append((text.get_text(), extent))
    figure_box = diagram.figure.bbox
    for label, extent in boxes:
        assert figure_box.x0 <= extent.x0 and extent.x1 <= figure_box.x1, label
        assert figure_box.y0 <= extent.y0 and extent.y1 <= figure_box.y1, label
    pairs = itertools.combinations(boxes, 2)
    overlaps = [(a, b) for (a, box_a), (b, box_b) in pairs if box_a.overlaps(box_b)]
    assert not overlaps, overlaps
    assert len(boxes) > 10 * steps


def test_colours_are_the_books_palette() -> None:
    diagram = UnrolledDiagram(steps=2)
    edges = [tuple(patch.get_edgecolor()) for patch in diagram.ax.patches]
    for part in ("forget", "input", "candidate", "output"):
        assert edges.count(mpl.colors.to_rgba(GATE_COLOURS[part])) == 2, part  # one box per copy
    belt = mpl.colors.to_rgba(GATE_COLOURS["cell"])
    assert edges.count(belt) >= 5  # the belt: in, and three pieces per copy


def test_repr_png_is_a_png() -> None:
    assert UnrolledDiagram(steps=2)._repr_png_().startswith(b"\x89PNG")


# ---------------------------------------------------------------------------------------------
# Alt text
# ---------------------------------------------------------------------------------------------
def test_describe_mentions_the_steps_and_the_numbers() -> None:
    plain = describe(4)
    assert "4 time steps" in plain and "steps 1 to 4" in plain
    for symbol in ("c_0", "c_4", "x_t", "h_t", "f_t", "i_t", "c̃_t", "o_t"):
        assert symbol in plain
    assert "Step 1" not in plain
    diagram = UnrolledDiagram()
    assert diagram.describe() == plain
    diagram.show_values(example_trace())
    described = diagram.describe()
    for t in range(1, 5):
        assert f"Step {t}:" in described
    assert "c_1 = minus 0.56" in described and "f_3 = 0.21" in described
    assert MINUS not in described  # read aloud as "minus"
    diagram.clear_values()
    assert diagram.describe() == plain
    assert "1 time step:" in describe(1) and "one copy" in describe(1)


@pytest.mark.parametrize("bad", [0, MAX_STEPS + 1, 2.0, True])
def test_describe_rejects_bad_steps(bad: object) -> None:
    with pytest.raises(ValueError, match="steps"):
        describe(bad)  # type: ignore[arg-type]


def test_describe_rejects_values_of_another_length() -> None:
    values = {name: np.zeros(3) for name in ("h_prev", "c_prev", *STEP_VALUE_NAMES)}
    with pytest.raises(ValueError, match="4 steps"):
        describe(4, values)


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [0, -1, MAX_STEPS + 1])
def test_steps_out_of_range_are_rejected(bad: int) -> None:
    with pytest.raises(ValueError, match=rf"steps must be from 1 to {MAX_STEPS}; got {bad}"):
        UnrolledDiagram(bad)


@pytest.mark.parametrize("bad", ["4", 4.0, None, True])
def test_steps_that_are_not_an_int_are_rejected(bad: object) -> None:
    with pytest.raises(TypeError, match="steps must be an int"):
        UnrolledDiagram(bad)  # type: ignore[arg-type]


def test_unknown_size_and_bad_axes_are_rejected() -> None:
    with pytest.raises(ValueError, match="size"):
        UnrolledDiagram(size="poster")
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        UnrolledDiagram(ax="axes")  # type: ignore[arg-type]


def test_a_trace_of_another_length_is_rejected() -> None:
    diagram = UnrolledDiagram(steps=3)
    with pytest.raises(ValueError, match=r"trace must have 3 time steps.*got 4"):
        diagram.show_values(example_trace())
    assert all(not text.get_visible() for text in diagram.value_texts["c"])  # nothing half-written


def test_a_batched_trace_is_rejected() -> None:
    trace = example_cell().run(np.ones((4, 2, 1)))
    with pytest.raises(ValueError, match=r"trace\.\w+ must be a non-empty 2-D array; got shape \(4, 2, 1\)"):
        UnrolledDiagram().show_values(trace)
    with pytest.raises(ValueError, match=r"trace\.x must have shape \(time, input\)"):
        draw_unrolled(trace)


def test_a_single_step_is_rejected() -> None:
    step = example_cell().step(np.array([1.0]))
    with pytest.raises(ValueError, match=r"must be a non-empty 2-D array; got shape \(1,\)"):
        UnrolledDiagram(steps=1).show_values(step)


def test_something_that_is_not_a_trace_is_rejected() -> None:
    with pytest.raises(TypeError, match=r"trace must be the result of LSTMCell\.run"):
        UnrolledDiagram().show_values({"x": np.ones((4, 1))})
    with pytest.raises(TypeError, match=r"trace must be the result of LSTMCell\.run"):
        draw_unrolled([[1.0]])


def test_a_trace_with_a_non_finite_value_is_rejected() -> None:
    trace = example_trace()
    trace.c[2, 0] = np.nan
    with pytest.raises(ValueError, match=r"trace\.c\[:, 0\] must be finite; got nan"):
        UnrolledDiagram().show_values(trace)


# ---------------------------------------------------------------------------------------------
# The static image
# ---------------------------------------------------------------------------------------------
def test_static_svg_is_listed_and_current() -> None:
    assert static_diagram_names()[UNROLLED] == UNROLLED_IMAGE == "lstm-unrolled.svg"
    committed = (IMAGES / UNROLLED_IMAGE).read_bytes()
    assert static_diagram_svg(UNROLLED) == committed, "run `python tools/make_images.py`"
    assert b"<dc:date>" not in committed


def test_static_svg_does_not_depend_on_the_active_style() -> None:
    with mpl.rc_context():
        apply_book_style("projector")
        mpl.rcParams["font.size"] = 30
        mpl.rcParams["lines.linewidth"] = 7
        mpl.rcParams["font.family"] = "serif"
        mpl.rcParams["svg.fonttype"] = "none"
        styled = unrolled_svg()
    assert styled == (IMAGES / UNROLLED_IMAGE).read_bytes()
