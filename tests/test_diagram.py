"""Tests of the LSTM cell diagram (lstm/diagram.py), its drawing primitives (lstm/drawing.py) and
of the committed static SVGs."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from lstm.cell import LSTMCell
from lstm.diagram import (
    PART_COLOURS,
    PARTS,
    VALUE_NAMES,
    CellDiagram,
    describe,
    draw_cell,
    format_value,
    save_static_diagrams,
    static_diagram_names,
    static_diagram_svg,
)
from lstm.drawing import SIZES as DRAWING_SIZES
from lstm.drawing import (
    DrawnElement,
    colour_element,
    deterministic_svg,
    draw_frame,
    draw_gate_box,
    draw_operation,
    first_entries,
)
from lstm.drawing import format_value as drawing_format_value
from lstm.style import apply_book_style

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "images"


def one_unit_cell() -> LSTMCell:
    """A 1-input, 1-unit cell with round numbers (the chapter's worked example)."""
    return LSTMCell.from_arrays(
        W_f=np.array([[0.5, 1.0]]),
        b_f=np.array([0.5]),
        W_i=np.array([[-0.5, 1.0]]),
        b_i=np.array([0.0]),
        W_c=np.array([[1.0, -1.0]]),
        b_c=np.array([0.25]),
        W_o=np.array([[1.0, 0.5]]),
        b_o=np.array([-0.5]),
    )


def artist_count(figure: Figure) -> int:
    """Number of artists anywhere in the figure (including invisible ones)."""
    return len(figure.findobj())


# ---------------------------------------------------------------------------------------------
# Static images: the drift test
# ---------------------------------------------------------------------------------------------
def test_static_svgs_match_the_code(tmp_path: Path) -> None:
    written = save_static_diagrams(tmp_path)
    assert [path.name for path in written] == list(static_diagram_names().values())
    stale = []
    for path in written:
        committed = IMAGES / path.name
        if not committed.exists() or committed.read_bytes() != path.read_bytes():
            stale.append(path.name)
    assert not stale, (
        f"images/ is out of date for {stale}: the diagram code draws something else now. "
        "Run `python tools/make_images.py` and commit the images."
    )


def test_static_svgs_do_not_depend_on_the_active_style() -> None:
    with mpl.rc_context():
        apply_book_style("projector")
        mpl.rcParams["font.size"] = 30
        mpl.rcParams["lines.linewidth"] = 7
        mpl.rcParams["font.family"] = "serif"
        mpl.rcParams["mathtext.fontset"] = "cm"
        mpl.rcParams["svg.fonttype"] = "none"
        styled = static_diagram_svg("forget")
    assert styled == (IMAGES / "lstm-cell-forget.svg").read_bytes()
    assert b"<dc:date>" not in styled  # no timestamp in the metadata


def test_static_svgs_differ_per_highlight() -> None:
    images = {name: (IMAGES / name).read_bytes() for name in static_diagram_names().values()}
    assert len(set(images.values())) == len(images)


def load_make_images() -> ModuleType:
    """Import tools/make_images.py (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_images", ROOT / "tools" / "make_images.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_images_check_flags_a_changed_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_images = load_make_images()
    for name in static_diagram_names().values():  # the committed images (current, see above)
        (tmp_path / name).write_bytes((IMAGES / name).read_bytes())
    (tmp_path / "lstm-cell-input.svg").write_bytes(b"<svg/>")
    (tmp_path / "lstm-cell.svg").unlink()
    assert make_images.main(["--check", "--folder", str(tmp_path)]) == 1
    report = capsys.readouterr().out
    assert "lstm-cell-input.svg (differs)" in report
    assert "lstm-cell.svg (missing)" in report
    assert "lstm-cell-forget.svg" not in report
    assert "tools/make_images.py" in report


# ---------------------------------------------------------------------------------------------
# Highlighting
# ---------------------------------------------------------------------------------------------
def wire_colours(diagram: CellDiagram) -> list[tuple[float, ...]]:
    """Edge colour of every wire and box, in drawing order."""
    return [tuple(patch.get_edgecolor()) for patch in diagram.ax.patches]


def test_set_highlight_recolours_the_same_artists() -> None:
    diagram = CellDiagram()
    figure, patches = diagram.figure, list(diagram.ax.patches)
    texts, count = list(diagram.ax.texts), artist_count(diagram.figure)
    plain = wire_colours(diagram)
    diagram.set_highlight("forget")
    assert diagram.figure is figure
    assert list(diagram.ax.patches) == patches and list(diagram.ax.texts) == texts
    assert artist_count(diagram.figure) == count
    forget = wire_colours(diagram)
    assert forget != plain
    accent = mpl.colors.to_rgba(PART_COLOURS["forget"])
    assert forget.count(accent) >= 4  # the f box, its feed, its output wire and the multiplication
    diagram.set_highlight("output")
    assert wire_colours(diagram) != forget
    assert mpl.colors.to_rgba(PART_COLOURS["output"]) in wire_colours(diagram)
    assert accent not in wire_colours(diagram)
    diagram.set_highlight(None)
    assert wire_colours(diagram) == plain
    assert diagram.highlight is None


@pytest.mark.parametrize("part", [None, *PARTS])
def test_every_highlight_draws(part: str | None) -> None:
    diagram = CellDiagram(highlight=part)
    diagram.figure.canvas.draw()
    assert diagram.highlight == part
    colours = set(wire_colours(diagram))
    if part is None:
        assert not any(mpl.colors.to_rgba(colour) in colours for colour in PART_COLOURS.values())
    else:
        assert mpl.colors.to_rgba(PART_COLOURS[part]) in colours


@pytest.mark.parametrize("bad", ["forgett", "cell", "", 3])
def test_unknown_part_is_rejected(bad: object) -> None:
    with pytest.raises(ValueError, match="highlight") as error:
        CellDiagram(highlight=bad)  # type: ignore[arg-type]
    assert "forget" in str(error.value) and repr(bad) in str(error.value)
    diagram = CellDiagram()
    with pytest.raises(ValueError, match="highlight must be None or one of"):
        diagram.set_highlight(bad)  # type: ignore[arg-type]
    assert diagram.highlight is None


def test_unknown_size_is_rejected() -> None:
    with pytest.raises(ValueError, match="size"):
        CellDiagram(size="poster")


# ---------------------------------------------------------------------------------------------
# Values on the wires
# ---------------------------------------------------------------------------------------------
def test_show_values_writes_the_numbers_of_a_real_step() -> None:
    cell = one_unit_cell()
    step = cell.step(np.array([1.0]), h_prev=np.array([0.5]), c_prev=np.array([-1.0]))
    diagram = CellDiagram()
    diagram.show_values(step)
    for name in VALUE_NAMES:
        text = diagram.value_texts[name]
        assert text.get_visible()
        assert text.get_text() == format_value(getattr(step, name)[0]), name
    # hand-checked numbers of this step: f = sigma(0.5*0.5 + 1*1 + 0.5) = sigma(1.75)
    assert diagram.value_texts["f"].get_text() == "0.85"
    assert diagram.value_texts["c_prev"].get_text() == "\N{MINUS SIGN}1.00"
    assert not diagram.note.get_visible()


def test_show_values_keeps_the_artist_count() -> None:
    cell = one_unit_cell()
    diagram = CellDiagram(highlight="input")
    count = artist_count(diagram.figure)
    first = cell.step(np.array([1.0]))
    diagram.show_values(first)
    assert artist_count(diagram.figure) == count
    second = cell.step(np.array([-2.0]), h_prev=first.h, c_prev=first.c)
    diagram.show_values(second)
    assert artist_count(diagram.figure) == count
    assert diagram.value_texts["x"].get_text() == "\N{MINUS SIGN}2.00"
    assert diagram.value_texts["c_prev"].get_text() == format_value(first.c[0])
    diagram.clear_values()
    assert artist_count(diagram.figure) == count
    assert all(
        not text.get_visible() and text.get_text() == "" for text in diagram.value_texts.values()
    )


def test_show_values_of_a_bigger_cell_shows_the_first_unit_with_a_note() -> None:
    cell = LSTMCell(input_size=3, hidden_size=4, seed=1)
    step = cell.step(np.array([0.3, -0.7, 1.1]))
    diagram = CellDiagram()
    diagram.show_values(step)
    assert diagram.value_texts["h"].get_text() == format_value(step.h[0])
    assert diagram.value_texts["x"].get_text() == format_value(step.x[0])
    assert diagram.note.get_visible()
    assert "1 of 4" in diagram.note.get_text() and "1 of 3" in diagram.note.get_text()


def test_show_values_rejects_a_batched_step() -> None:
    cell = LSTMCell(input_size=1, hidden_size=1, seed=0)
    step = cell.step(np.ones((2, 1)))
    with pytest.raises(ValueError, match=r"step\.x must be a non-empty 1-D array"):
        CellDiagram().show_values(step)


def test_show_values_rejects_something_that_is_not_a_step() -> None:
    with pytest.raises(TypeError, match="LSTMCell.step"):
        CellDiagram().show_values({"x": 1.0})


def test_format_value() -> None:
    assert format_value(0.7311) == "0.73"
    assert format_value(-0.004) == "0.00"
    assert format_value(-1.5) == "\N{MINUS SIGN}1.50"


# ---------------------------------------------------------------------------------------------
# Convenience functions and embedding
# ---------------------------------------------------------------------------------------------
def test_draw_cell_returns_a_figure_with_values() -> None:
    step = one_unit_cell().step(np.array([1.0]))
    figure = draw_cell(highlight="update", values=step, size="projector")
    assert isinstance(figure, Figure)
    texts = {text.get_text() for text in figure.findobj(lambda artist: hasattr(artist, "get_text"))}
    assert format_value(step.c[0]) in texts
    assert tuple(figure.get_size_inches()) == (12.0, 7.5)


def test_diagram_draws_into_a_given_axes() -> None:
    figure = Figure()
    ax = figure.add_subplot(1, 2, 2)
    diagram = CellDiagram(ax)
    assert diagram.figure is figure and diagram.ax is ax
    assert isinstance(diagram.ax, Axes) and not ax.axison
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        CellDiagram("axes")  # type: ignore[arg-type]


def test_projector_size_uses_bigger_text() -> None:
    laptop, projector = CellDiagram(), CellDiagram(size="projector")
    assert projector.value_texts["f"].get_fontsize() > laptop.value_texts["f"].get_fontsize()
    assert max(t.get_fontsize() for t in projector.ax.texts) >= 20


def test_repr_png_is_a_png() -> None:
    assert CellDiagram()._repr_png_().startswith(b"\x89PNG")


def test_describe_names_every_part_and_the_highlight() -> None:
    plain = describe()
    for symbol in ("c_{t-1}", "h_{t-1}", "x_t", "f_t", "i_t", "c̃_t", "o_t", "c_t", "h_t"):
        assert symbol in plain
    assert "Highlighted" not in plain
    assert "forget gate" in describe("forget") and "Highlighted" in describe("forget")
    assert len({describe(part) for part in PARTS}) == len(PARTS)
    with pytest.raises(ValueError, match="highlight"):
        describe("nope")


def test_static_diagram_svg_rejects_an_unknown_image() -> None:
    with pytest.raises(ValueError, match="highlight must be None or one of .*'unrolled'; got 'nope'"):
        static_diagram_svg("nope")
    assert "unrolled" in static_diagram_names()


# ---------------------------------------------------------------------------------------------
# Drawing primitives (lstm/drawing.py)
# ---------------------------------------------------------------------------------------------
def test_format_value_is_the_same_from_both_modules() -> None:
    assert format_value is drawing_format_value


def test_primitives_take_their_sizes() -> None:
    figure = Figure()
    ax = figure.add_subplot()
    sizes = DRAWING_SIZES["laptop"]
    box, text = draw_gate_box(ax, (1.0, 2.0), "tanh", sizes, width=3.0, height=0.5)
    assert (box.get_x(), box.get_y(), box.get_width(), box.get_height()) == (-0.5, 1.75, 3.0, 0.5)
    assert text.get_text() == "tanh" and text.get_position() == (1.0, 2.0)
    circle, *strokes = draw_operation(ax, (0.0, 0.0), "add", sizes, radius=0.5)
    assert circle.get_radius() == 0.5 and len(strokes) == 2
    assert [list(stroke.get_xdata()) for stroke in strokes] == [[-0.3, 0.3], [0.0, 0.0]]
    circle, dot = draw_operation(ax, (0.0, 0.0), "multiply", sizes, radius=0.5)
    assert dot.get_radius() == pytest.approx(0.14)
    frame = draw_frame(ax, (1.0, 1.0), 4.0, 2.0, sizes)
    assert frame.get_linestyle() == (0, (4, 3)) and frame.get_width() == 4.0
    with pytest.raises(ValueError, match="operation must be 'multiply' or 'add'; got 'divide'"):
        draw_operation(ax, (0.0, 0.0), "divide", sizes)


def test_colour_element_lights_mutes_and_rejects_unknown_states() -> None:
    figure = Figure()
    ax = figure.add_subplot()
    sizes = DRAWING_SIZES["laptop"]
    element = DrawnElement("box", list(draw_gate_box(ax, (0.0, 0.0), "x", sizes)), frozenset({"input"}))
    colour_element(element, "lit", "#0072B2", sizes)
    assert element.artists[0].get_edgecolor() == mpl.colors.to_rgba("#0072B2")
    assert element.artists[0].get_linewidth() == pytest.approx(sizes.line_width * 1.6)
    colour_element(element, "muted", "#0072B2", sizes)
    assert element.artists[0].get_linewidth() == pytest.approx(sizes.line_width)
    with pytest.raises(ValueError, match="state must be one of .*got 'glowing'"):
        colour_element(element, "glowing", "#0072B2", sizes)


def test_first_entries_reads_the_first_unit_and_names_bad_input() -> None:
    step = one_unit_cell().step(np.array([1.0]))
    values, widths = first_entries(step, ["x", "h"], argument="step", expected="a step", ndim=1)
    assert values["h"] == step.h[0] and widths == {"x": 1, "h": 1}
    trace = LSTMCell(input_size=2, hidden_size=3, seed=0).run(np.ones((5, 2)))
    values, widths = first_entries(trace, ["c", "x"], argument="trace", expected="a run", ndim=2)
    assert np.array_equal(values["c"], trace.c[:, 0]) and widths == {"c": 3, "x": 2}
    with pytest.raises(TypeError, match=r"step must be a step \(with attribute 'h'\); got dict"):
        first_entries({}, ["h"], argument="step", expected="a step", ndim=1)
    with pytest.raises(ValueError, match=r"trace\.c must be a non-empty 2-D array; got shape \(1,\)"):
        first_entries(step, ["c"], argument="trace", expected="a run", ndim=2)


def test_deterministic_svg_gives_the_same_bytes_twice() -> None:
    def draw() -> Figure:
        return CellDiagram(highlight="output").figure

    assert deterministic_svg(draw) == deterministic_svg(draw) == static_diagram_svg("output")
