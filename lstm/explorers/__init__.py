"""Interactive explorers: sliders that drive the LSTM cell and a figure redrawn in place.

An explorer is one matplotlib figure and a few named controls; moving a control
recomputes the numbers with the cell and redraws the figure.

Each chapter shows one or two explorers with a single call, the last expression of a cell::

    from lstm.explorers import step_explorer
    step_explorer("forget")

===============================  =============================================================================
function                       chapter  what the reader controls
===============================  =============================================================================
:func:`memory_explorer`        1        RNN recurrent weight, LSTM forget bias, length
:func:`diagram_explorer`       2        ``x_t``, ``h_{t-1}``, ``c_{t-1}``, highlighted part
:func:`step_explorer`          3-5      inputs and one gate's weights and bias
:func:`sequence_explorer`      6        input sequence, every gate's bias and input weight
:func:`gradient_flow_explorer`  7        LSTM's initial forget bias, recurrent weight scale
:func:`training_explorer`      7        task, length, units, initial forget bias, learning rate; play/step
:func:`dependency_explorer`    8        sequence length (dependency graphs of LSTM and attention)
:func:`variant_explorer`       9        bias shared by LSTM forget and GRU update gate, a pulse
===============================  =============================================================================

Live or static
--------------
In a running kernel each function returns an explorer object that displays as ipywidgets:
standard sliders and dropdowns (reachable with Tab, moved with the arrow keys, each with a
text description) beside one figure. Every slider move recomputes the numbers with
:class:`lstm.LSTMCell` / :class:`lstm.RNNCell` (nothing else computes them), updates the existing
matplotlib artists in place (``set_data``, ``set_height``, ``set_text``), redraws only those
artists over a cached picture of the rest of the figure (blitting on the Agg canvas; the whole
figure is redrawn only when an axis range changes), encodes the single figure as PNG and
replaces the ``value`` of an :class:`ipywidgets.Image`. No new figure is ever created, and no
ipympl is needed (plain ipywidgets; checked in JupyterLab 4). A slider move
takes about 10-15 ms of CPU time (``benchmarks/bench_explorers.py``).

When the environment variable ``LSTM_BOOK_STATIC`` is ``"1"`` (the book's page build and Quarto
renders set it) there is no kernel behind the page, so a slider would do nothing. Each function
then returns a self-contained live HTML widget instead (see :mod:`lstm.explorers.web_widget`):
the same controls, read from the explorer's ipywidgets, with figures computed in the browser by
the JavaScript port in ``web/``. A reader never sees a control that does nothing.

Every explorer object has

* ``figure``: its one :class:`matplotlib.figure.Figure` (the same object for its whole life);
* ``controls``: dict of control name to ipywidget (set ``.value`` to move a control);
* ``update()``: recompute with the cell and redraw the figure in place (called automatically
  whenever a control changes);
* ``widget``: the ipywidgets container to display (controls beside the figure, wrapping below
  it on narrow screens);
* ``describe()``: a text description of the current figure (alt text / screen-reader summary).

Modules (each imports only the ones above it)
---------------------------------------------
===============================  =============================================================================
:mod:`~lstm.explorers.frames`    the figure as PNG (:func:`fast_png`, :func:`png_bytes`), ``data:`` URLs
:mod:`~lstm.explorers.controls`  :func:`slider`, :func:`int_slider`, :func:`dropdown` (symbols in descriptions
                                 shown as math, read as words), :func:`check_control_value`
:mod:`~lstm.explorers.base`      :class:`Explorer`: figure, controls, blitting, PNG, layout, reset
:mod:`~lstm.explorers.static`    the static form: ``scrubber``, ``StaticExplorer``, :func:`static_mode`,
                                 :func:`live_or_static`
:mod:`~lstm.explorers.one_unit`  the one-unit cell of the diagram and step explorers
:mod:`~lstm.explorers.memory`    :class:`MemoryExplorer`, :func:`memory_explorer` (chapter 1)
:mod:`~lstm.explorers.diagram`   :class:`DiagramExplorer`, :func:`diagram_explorer` (chapter 2)
:mod:`~lstm.explorers.step`      :class:`StepExplorer`, :func:`step_explorer` (chapters 3-5)
:mod:`~lstm.explorers.sequence`  :class:`SequenceExplorer`, :func:`sequence_explorer` (chapter 6)
:mod:`~lstm.explorers.gradient_flow`  :class:`GradientFlowExplorer`, :func:`gradient_flow_explorer`
                                 (chapter 8, with :mod:`lstm.gradient_flow`)
:mod:`~lstm.explorers.training`  :class:`TrainingExplorer`, :func:`training_explorer` (chapter 7: an LSTM
                                 trained live with :func:`lstm.training.training_step`)
:mod:`~lstm.explorers.dependency_chain`  :class:`DependencyExplorer`, :func:`dependency_explorer`
                                 (chapter 9, with :mod:`lstm.dependencies`)
:mod:`~lstm.explorers.variants`  :class:`VariantExplorer`, :func:`variant_explorer` (chapter 10,
                                 with :mod:`lstm.variant_comparison`)
===============================  =============================================================================

This package re-exports the names chapters, experiments and tests use, so
``from lstm.explorers import step_explorer`` and ``from lstm.explorers import Explorer, slider``
work without knowing the modules.
"""

from __future__ import annotations

from lstm.explorers.base import Explorer
from lstm.explorers.controls import (
    check_control_value,
    dropdown,
    int_slider,
    slider,
)
from lstm.explorers.dependency_chain import (
    EXPLORER_MAX_LENGTH,
    DependencyExplorer,
    dependency_explorer,
)
from lstm.explorers.diagram import DiagramExplorer, diagram_explorer
from lstm.explorers.frames import data_url, fast_png, png_bytes
from lstm.explorers.gradient_flow import GradientFlowExplorer, gradient_flow_explorer
from lstm.explorers.memory import MemoryExplorer, memory_explorer
from lstm.explorers.one_unit import (
    DEFAULT_GATE_PARAMETERS,
    DEFAULT_STEP_INPUTS,
    lstm_cell_from_gate_parameters,
)
from lstm.explorers.sequence import INPUT_PRESETS, SCENARIOS, SequenceExplorer, sequence_explorer
from lstm.explorers.static import (
    STATIC_ENVIRONMENT_VARIABLE,
    StaticExplorer,
    live_or_static,
    scrubber,
    static_mode,
)
from lstm.explorers.step import StepExplorer, step_explorer
from lstm.explorers.training import TrainingExplorer, training_explorer
from lstm.explorers.variants import VariantExplorer, variant_explorer

__all__ = [
    "DEFAULT_GATE_PARAMETERS",
    "DEFAULT_STEP_INPUTS",
    "EXPLORER_MAX_LENGTH",
    "DependencyExplorer",
    "DiagramExplorer",
    "Explorer",
    "GradientFlowExplorer",
    "INPUT_PRESETS",
    "MemoryExplorer",
    "SCENARIOS",
    "STATIC_ENVIRONMENT_VARIABLE",
    "SequenceExplorer",
    "StaticExplorer",
    "StepExplorer",
    "TrainingExplorer",
    "VariantExplorer",
    "check_control_value",
    "data_url",
    "dependency_explorer",
    "diagram_explorer",
    "dropdown",
    "fast_png",
    "gradient_flow_explorer",
    "int_slider",
    "live_or_static",
    "lstm_cell_from_gate_parameters",
    "memory_explorer",
    "png_bytes",
    "scrubber",
    "sequence_explorer",
    "slider",
    "static_mode",
    "step_explorer",
    "training_explorer",
    "variant_explorer",
]
