/**
 * The live explorers of the static pages: controls built from the Python explorer's own
 * ipywidgets (a JSON spec written by `lstm/explorers/web_widget.py`), figures drawn as SVG by
 * `svg-plot.mjs` and computed by `explorer-math.mjs`, `gradient-flow.mjs`,
 * `dependency-graph.mjs`, `variant-comparison.mjs` and `training.mjs`.
 *
 * {@link mountExplorer} builds one widget in its `<figure>`. One renderer per explorer
 * ({@link RENDERERS}) says what it computes and draws. Every drawn element whose numbers tests
 * compare with `lstm` carries `data-key` and `data-numbers` (JSON). Each renderer's `describe`
 * writes the same alt text as the Python explorer's `describe()`.
 *
 * The figure element gets `lstmWidget`: `values()`, `set(values)`, `redrawTimes` (ms of each
 * control move, from `performance.now()`: recomputing and redrawing, every renderer at every
 * move), and `dataset.state` is `"ready"` once the figure shows the controls' values.
 *
 * @module live-explorer
 */

import {
  GATES, GATE_ATTRIBUTES, GATE_SUBSCRIPTS, memoryExplorer, diagramExplorer,
  stepExplorer, sequenceExplorer,
} from "./explorer-math.mjs";
import { sigmoid, tanh } from "./lstm-cell.mjs";
import { gradientFlow } from "./gradient-flow.mjs";
import { dependencyExplorer, EXPLORER_MAX_LENGTH } from "./dependency-graph.mjs";
import { GATE_COLOURMAP, SIGNED_COLOURMAP } from "./colour-maps.mjs";
import { BOOK_STYLE, COLOUR_CYCLE, GATE_COLOURS, OKABE_ITO, createHeatmap, createLinePlot, linearScale } from "./svg-plot.mjs";
import { createAdam, createRandom, evaluate, initialModel, makeTask, namedParameters, trainingStep } from "./training.mjs";
import { FIRST_PULSE, SECOND_PULSE, STATE_LIMITS, STEPS, compareVariants, describeComparison, gateLines, stateLines } from "./variant-comparison.mjs";

const SVG = "http://www.w3.org/2000/svg";
const FOCUS_OUTLINE = "3px solid #0072b2";

/** Python's `f"{value:.{digits}f}"` with a true minus sign (`format_number` for digits = 2). */
export function fixed(value, digits = 2) {
  return value.toFixed(digits).replace("-", "−");
}

/** Python's `f"{value:.{digits}f}"` (ASCII minus). */
function pyFixed(value, digits) {
  return value.toFixed(digits);
}

/** Python's `f"{value:.1e}"`: two-digit exponent. */
export function pyExp(value, digits = 1) {
  return value.toExponential(digits).replace(/e([+-])(\d)$/, "e$10$2");
}

/** Python's `f"{value:.1%}"`. */
function pyPercent(value, digits = 1) {
  return `${(value * 100).toFixed(digits)}%`;
}

/** Python's `f"{value:g}"` for slider values (at most 6 significant digits). */
export function pyG(value) {
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(6)));
}

function svgElement(parent, tag, attributes = {}) {
  const element = parent.ownerDocument.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  parent.appendChild(element);
  return element;
}

/** Give an element the numbers tests compare with `lstm`. */
function mark(element, key, numbers) {
  element.setAttribute("data-key", key);
  element.setAttribute("data-numbers", JSON.stringify(numbers));
}

/** A white background (dark mode keeps figures readable) as the SVG's first child. */
function whiteBackground(svg) {
  svg.style.background = "#ffffff";
  const rect = svg.ownerDocument.createElementNS(SVG, "rect");
  for (const [name, value] of Object.entries({ x: 0, y: 0, width: "100%", height: "100%", fill: "#ffffff",
    class: "background" })) rect.setAttribute(name, String(value));
  svg.insertBefore(rect, svg.firstChild);
}

/** A new empty `<svg>` in `parent` (block, full width). */
function newSvg(parent, maxWidth = "100%") {
  const svg = svgElement(parent, "svg", {});
  svg.style.display = "block";
  svg.style.width = "100%";
  svg.style.maxWidth = maxWidth;
  svg.style.height = "auto";
  return svg;
}

function column(rows, unit) {
  return rows.map((row) => row[unit]);
}

/** Plot geometry of `createLinePlot` (its margins), for drawing extra marks on a plot. */
function plotScales(options) {
  const { width = 480, height = 220, xLimits, yLimits } = options;
  const legend = options.legend ?? options.series.length > 1;
  const top = legend ? 44 : 28;
  return {
    x: linearScale(xLimits, [56, width - 12]),
    y: linearScale(yLimits, [height - 40, top]),
  };
}

/**
 * A bar chart (one bar per label) updated in place.
 *
 * @returns {{update: (values: number[]) => void, bars: Element[]}}
 */
function createBarChart(svg, { id, title, labels, colours, limits, describe, width = 480, height = 220 }) {
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("font-family", BOOK_STYLE.fontFamily);
  svg.setAttribute("font-size", BOOK_STYLE.fontSize);
  svgElement(svg, "title", { id: `${id}-title` }).textContent = title;
  const desc = svgElement(svg, "desc", { id: `${id}-desc` });
  const left = 56;
  const right = width - 12;
  const top = 28;
  const bottom = height - 48;
  const y = linearScale(limits, [bottom, top]);
  svgElement(svg, "text", { x: (left + right) / 2, y: 16, "text-anchor": "middle", "font-weight": "bold",
    "font-size": BOOK_STYLE.titleSize }).textContent = title;
  svgElement(svg, "line", { x1: left, x2: left, y1: top, y2: bottom, stroke: OKABE_ITO.black });
  const ticks = svgElement(svg, "g", { "font-size": BOOK_STYLE.tickSize, "text-anchor": "end" });
  const step = (limits[1] - limits[0]) > 4 ? 1 : 0.5;
  for (let value = Math.ceil(limits[0] / step) * step; value <= limits[1] + 1e-9; value += step) {
    const position = y(value).toFixed(2);
    svgElement(ticks, "line", { x1: left, x2: right, y1: position, y2: position, stroke: BOOK_STYLE.gridColour,
      "stroke-opacity": BOOK_STYLE.gridOpacity });
    svgElement(ticks, "text", { x: left - 6, y: Number(position) + 4 }).textContent = fixed(value, step < 1 ? 1 : 0);
  }
  svgElement(svg, "line", { x1: left, x2: right, y1: y(0).toFixed(2), y2: y(0).toFixed(2), stroke: OKABE_ITO.black });
  const slot = (right - left) / labels.length;
  const bars = labels.map((label, index) => {
    const x = left + slot * index + slot * 0.15;
    const bar = svgElement(svg, "rect", { x: x.toFixed(2), width: (slot * 0.7).toFixed(2), fill: colours[index] });
    svgElement(svg, "text", { x: (x + slot * 0.35).toFixed(2), y: bottom + 16, "text-anchor": "middle",
      "font-size": BOOK_STYLE.tickSize }).textContent = label;
    bar.valueText = svgElement(svg, "text", { x: (x + slot * 0.35).toFixed(2), "text-anchor": "middle",
      "font-size": BOOK_STYLE.tickSize });
    return bar;
  });
  function update(values) {
    values.forEach((value, index) => {
      const clipped = Math.min(Math.max(value, limits[0]), limits[1]);
      const y0 = y(0);
      const y1 = y(clipped);
      bars[index].setAttribute("y", Math.min(y0, y1).toFixed(2));
      bars[index].setAttribute("height", Math.abs(y1 - y0).toFixed(2));
      bars[index].setAttribute("data-value", String(value));
      bars[index].valueText.setAttribute("y", (value >= 0 ? Math.min(y0, y1) - 4 : Math.max(y0, y1) + 13).toFixed(2));
      bars[index].valueText.textContent = fixed(value, 2);
    });
    const text = describe(values);
    svg.setAttribute("aria-label", text);
    desc.textContent = text;
  }
  return { update, bars, svg };
}

// ------------------------------------------------------------------------- renderers

/**
 * Chapter 1: a pulse through a plain RNN and an LSTM.
 */
function memoryRenderer(figures, data) {
  const row = figures.ownerDocument.createElement("div");
  row.style.cssText = "display:flex;flex-wrap:wrap;gap:0.5rem";
  figures.append(row);
  const rnnSvg = newSvg(row, "100%");
  const lstmSvg = newSvg(row, "100%");
  for (const svg of [rnnSvg, lstmSvg]) svg.style.flex = "1 1 20rem";
  let plots = null;
  let steps = null;
  function build(count) {
    for (const svg of [rnnSvg, lstmSvg]) svg.replaceChildren();
    const common = { xLabel: "time step t (pulse at t = 1)", yLabel: "state", xLimits: [0.5, count + 0.5],
      integerX: true, yLimits: [-0.05, 1.05], width: 420, height: 260, describe: () => "" };
    plots = {
      rnn: createLinePlot(rnnSvg, { ...common, id: `${data.id}-rnn`, title: "Plain RNN",
        series: [{ label: "RNN hₜ", colour: GATE_COLOURS.rnn }], legend: true }),
      lstm: createLinePlot(lstmSvg, { ...common, id: `${data.id}-lstm`, title: "LSTM",
        series: [{ label: "LSTM cₜ", colour: GATE_COLOURS.lstm }, { label: "LSTM hₜ", colour: GATE_COLOURS.hidden,
          dash: "6 3" }] }),
    };
    whiteBackground(rnnSvg);
    whiteBackground(lstmSvg);
    steps = count;
  }
  return {
    update(values) {
      const settings = { rnnWeight: values.rnn_weight, forgetBias: values.forget_bias, steps: values.steps };
      const result = memoryExplorer(settings);
      if (steps !== settings.steps) build(settings.steps);
      const t = Array.from({ length: settings.steps }, (_, k) => k + 1);
      plots.rnn.update({ x: t, ys: [result.rnnHidden] });
      plots.lstm.update({ x: t, ys: [result.lstmCell, result.lstmHidden] });
      mark(plots.rnn.paths[0], "rnn-h", result.rnnHidden);
      mark(plots.lstm.paths[0], "lstm-c", result.lstmCell);
      mark(plots.lstm.paths[1], "lstm-h", result.lstmHidden);
      const rnnH = result.rnnHidden;
      const lstmC = result.lstmCell;
      const T = settings.steps;
      const alt = `Line plots over ${T} time steps after a pulse of 1 at t = 1. Left, plain RNN with ` +
        `recurrent weight w = ${fixed(settings.rnnWeight)}: h_t starts at ${fixed(rnnH[0])} and is ` +
        `${pyFixed(rnnH[T - 1], 4)} at t = ${T}, keeping ${pyPercent(result.rnnKept)} of the pulse. Right, LSTM ` +
        `with forget bias b_f = ${fixed(settings.forgetBias)} (forget gate ${pyFixed(result.finalForgetGate, 3)}): ` +
        `c_t starts at ${fixed(lstmC[0])} and is ${pyFixed(lstmC[T - 1], 4)} at t = ${T}, keeping ` +
        `${pyPercent(result.lstmKept)}.`;
      for (const svg of [rnnSvg, lstmSvg]) svg.setAttribute("aria-label", alt);
      return alt;
    },
  };
}

/** The diagram's value slots (`CellDiagram.value_texts`), keyed as `lstm.diagram.VALUE_NAMES`. */
const DIAGRAM_FIELDS = {
  x: "x", h_prev: "hPrev", c_prev: "cPrev", f: "f", i: "i", c_tilde: "cTilde", o: "o", c: "c",
  tanh_c: "tanhC", h: "h",
};

/**
 * Chapter 2: the cell diagram (the book's static SVG, one per highlight) with the numbers of
 * one step written over its wires.
 */
function diagramRenderer(figures, data) {
  const document = figures.ownerDocument;
  const holder = document.createElement("div");
  holder.style.cssText = "position:relative;max-width:100%;background:#ffffff";
  figures.append(holder);
  const picture = document.createElement("div");
  holder.append(picture);
  const overlay = newSvg(holder);
  overlay.setAttribute("viewBox", data.viewBox);
  overlay.setAttribute("role", "img");
  overlay.style.cssText = "position:absolute;left:0;top:0;width:100%;height:100%";
  overlay.setAttribute("font-family", BOOK_STYLE.fontFamily);
  const labels = {};
  for (const [name, slot] of Object.entries(data.slots)) {
    labels[name] = svgElement(overlay, "text", {
      x: slot.x, y: slot.y, "text-anchor": slot.anchor, "dominant-baseline": slot.baseline,
      "font-size": slot.size, "font-weight": "bold", fill: "#1a1a1a", stroke: "#ffffff", "stroke-width": 4,
      "paint-order": "stroke", class: "diagram-value",
    });
  }
  let shown = null;
  return {
    update(values) {
      const highlight = values.highlight;
      const index = data.highlights.findIndex((name) => name === highlight);
      if (index !== shown) {
        picture.innerHTML = data.svgs[index];
        const svg = picture.querySelector("svg");
        svg.removeAttribute("width");
        svg.removeAttribute("height");
        svg.setAttribute("aria-hidden", "true");
        svg.style.cssText = "display:block;width:100%;height:auto;background:#ffffff";
        shown = index;
      }
      const step = diagramExplorer({ x: values.x, hPrev: values.h_prev, cPrev: values.c_prev });
      for (const [name, field] of Object.entries(DIAGRAM_FIELDS)) {
        labels[name].textContent = fixed(step[field][0]);
        mark(labels[name], name, [step[field][0]]);
      }
      const alt = `${data.descriptions[index]} Values for x_t = ${fixed(step.x[0])}, h_(t-1) = ` +
        `${fixed(step.hPrev[0])}, c_(t-1) = ${fixed(step.cPrev[0])}: f_t = ${pyFixed(step.f[0], 3)}, ` +
        `i_t = ${pyFixed(step.i[0], 3)}, candidate = ${pyFixed(step.cTilde[0], 3)}, c_t = ${pyFixed(step.c[0], 3)}, ` +
        `o_t = ${pyFixed(step.o[0], 3)}, h_t = ${pyFixed(step.h[0], 3)}.`;
      overlay.setAttribute("aria-label", alt);
      return alt;
    },
  };
}

/**
 * Chapters 3-5: one gate's activation curve with the current point, the four gate values and
 * how c_{t-1} becomes c_t and h_t.
 */
function stepRenderer(figures, data) {
  const gate = data.gate;
  const letter = GATE_SUBSCRIPTS[gate];
  const activation = gate === "candidate" ? tanh : sigmoid;
  const row = figures.ownerDocument.createElement("div");
  row.style.cssText = "display:flex;flex-wrap:wrap;gap:0.5rem";
  figures.append(row);
  const left = figures.ownerDocument.createElement("div");
  left.style.cssText = "flex:1 1 18rem";
  row.append(left);
  const curveSvg = newSvg(left);
  const gatesSvg = newSvg(left);
  const stepSvg = newSvg(row);
  stepSvg.style.flex = "1 1 20rem";
  const zs = Array.from({ length: 161 }, (_, k) => -8 + k * 0.1);
  const low = gate === "candidate" ? -1.05 : -0.05;
  const curveOptions = { id: `${data.id}-curve`, title: `${data.gateTitle} activation`,
    xLabel: `pre-activation of the ${data.gateLabel}`, yLabel: "value", xLimits: [-8, 8], yLimits: [low, 1.05],
    series: [{ label: "curve", colour: GATE_COLOURS[gate] }], legend: false, describe: () => "", height: 200 };
  const curve = createLinePlot(curveSvg, curveOptions);
  curve.update({ x: zs, ys: [zs.map(activation)] });
  const scales = plotScales(curveOptions);
  const point = svgElement(curveSvg, "circle", { r: 6, fill: GATE_COLOURS[gate], stroke: OKABE_ITO.black,
    "stroke-width": 1, class: "gate-point" });
  whiteBackground(curveSvg);
  const gateColours = GATES.map((name) => GATE_COLOURS[name]);
  const gateBars = createBarChart(gatesSvg, { id: `${data.id}-gates`, title: "Gate values", labels: ["fₜ", "iₜ", "c̃ₜ", "oₜ"],
    colours: gateColours, limits: [-1, 1], describe: () => "", height: 200 });
  whiteBackground(gatesSvg);
  const stepBars = createBarChart(stepSvg, { id: `${data.id}-step`, title: "From cₜ₋₁ to cₜ and hₜ",
    labels: ["cₜ₋₁", "fₜcₜ₋₁", "iₜc̃ₜ", "cₜ", "tanh cₜ", "hₜ"],
    colours: ["#999999", GATE_COLOURS.forget, GATE_COLOURS.input, GATE_COLOURS.cell, GATE_COLOURS.output, GATE_COLOURS.hidden],
    limits: [-4.5, 4.5], describe: () => "", height: 420 });
  whiteBackground(stepSvg);
  return {
    update(values) {
      const settings = { x: values.x, hPrev: values.h_prev, cPrev: values.c_prev, weightH: values.weight_h,
        weightX: values.weight_x, bias: values.bias };
      const result = stepExplorer(gate, settings);
      const s = result.step;
      point.setAttribute("cx", scales.x(Math.min(Math.max(result.z, -8), 8)).toFixed(2));
      point.setAttribute("cy", scales.y(result.gateValue).toFixed(2));
      mark(point, "curve-point", [result.z, result.gateValue]);
      const gates = [s.f[0], s.i[0], s.cTilde[0], s.o[0]];
      gateBars.update(gates);
      mark(gatesSvg, "gates", gates);
      stepBars.update(result.cellStepValues);
      mark(stepSvg, "cell-step", result.cellStepValues);
      const [, kept, added] = result.cellStepValues;
      const label = data.gateLabel;
      const alt = `${label.charAt(0).toUpperCase()}${label.slice(1)} with W_${letter} = ` +
        `(${fixed(settings.weightH)}, ${fixed(settings.weightX)}) and b_${letter} = ${fixed(settings.bias)}, ` +
        `for x_t = ${fixed(s.x[0])}, h_(t-1) = ${fixed(s.hPrev[0])}, c_(t-1) = ${fixed(s.cPrev[0])}: ` +
        `z_${letter} = ${pyFixed(result.z, 3)}, value ${pyFixed(result.gateValue, 3)}. Gates f = ${pyFixed(s.f[0], 3)}, ` +
        `i = ${pyFixed(s.i[0], 3)}, candidate = ${pyFixed(s.cTilde[0], 3)}, o = ${pyFixed(s.o[0], 3)}. The cell keeps ` +
        `${pyFixed(kept, 3)}, adds ${pyFixed(added, 3)}, so c_t = ${pyFixed(s.c[0], 3)}, tanh(c_t) = ` +
        `${pyFixed(s.tanhC[0], 3)} and h_t = ${pyFixed(s.h[0], 3)}.`;
      for (const svg of [curveSvg, gatesSvg, stepSvg]) svg.setAttribute("aria-label", alt);
      return alt;
    },
  };
}

/** Camel-case names of the sequence explorer's controls. */
function camel(name) {
  return name.replace(/_([a-z0-9])/g, (_, letter) => letter.toUpperCase());
}

/** Two columns of figures side by side in `figures` (one under the other on narrow screens). */
function twoColumns(figures) {
  const document = figures.ownerDocument;
  const row = document.createElement("div");
  row.style.cssText = "display:flex;flex-wrap:wrap;gap:0.5rem";
  figures.append(row);
  const columns = [document.createElement("div"), document.createElement("div")];
  for (const part of columns) part.style.cssText = "flex:1 1 18rem;max-width:40rem";
  row.append(...columns);
  return columns;
}

/**
 * Chapter 6: the three-unit cell over a 40-step input (as `web/demo/`).
 */
function sequenceRenderer(figures, data) {
  const document = figures.ownerDocument;
  const [leftColumn, rightColumn] = twoColumns(figures);
  const steps = Array.from({ length: data.steps }, (_, t) => t + 1);
  const common = { xLabel: "time step t", xLimits: [0.5, data.steps + 0.5], integerX: true, describe: () => "" };
  const unitColours = [GATE_COLOURS.input, GATE_COLOURS.forget, GATE_COLOURS.candidate];
  const units = [1, 2, 3].map((unit) => ({ label: `unit ${unit}`, colour: unitColours[unit - 1] }));
  const inputSvg = newSvg(leftColumn);
  const cellSvg = newSvg(leftColumn);
  const hiddenSvg = newSvg(leftColumn);
  const inputPlot = createLinePlot(inputSvg, { ...common, id: `${data.id}-input`, title: "Input xₜ", yLabel: "xₜ",
    yLimits: [-3.2, 3.2], height: 170, series: [{ label: "xₜ", colour: GATE_COLOURS.hidden, markers: true }] });
  const cellPlot = createLinePlot(cellSvg, { ...common, id: `${data.id}-cell`, title: "Cell state cₜ", yLabel: "cₜ",
    yLimits: [-1.5, 1.5], series: units });
  const hiddenPlot = createLinePlot(hiddenSvg, { ...common, id: `${data.id}-hidden`, title: "Hidden state hₜ",
    yLabel: "hₜ", yLimits: [-1.05, 1.05], series: units });
  const titles = { forget: "Forget gate fₜ", input: "Input gate iₜ", candidate: "Candidate c̃ₜ", output: "Output gate oₜ" };
  const heatmaps = Object.fromEntries(GATES.map((gate) => {
    const signed = gate === "candidate";
    const svg = newSvg(rightColumn);
    const heatmap = createHeatmap(svg, { id: `${data.id}-${gate}`, title: titles[gate], steps: data.steps,
      units: data.hiddenSize, colourMap: signed ? SIGNED_COLOURMAP : GATE_COLOURMAP, limits: signed ? [-1, 1] : [0, 1],
      colourBarTicks: signed ? [-1, 0, 1] : [0, 0.5, 1], describe: () => "" });
    whiteBackground(svg);
    return [gate, heatmap];
  }));
  for (const svg of [inputSvg, cellSvg, hiddenSvg]) whiteBackground(svg);
  return {
    update(values) {
      const settings = Object.fromEntries(Object.entries(values).map(([name, value]) => [camel(name), value]));
      const result = sequenceExplorer(settings, data);
      const x = column(result.xs, 0);
      inputPlot.update({ x: steps, ys: [x] });
      mark(inputPlot.paths[0], "x", x);
      const c = [0, 1, 2].map((unit) => column(result.trace.c, unit));
      const h = [0, 1, 2].map((unit) => column(result.trace.h, unit));
      cellPlot.update({ x: steps, ys: c, yLimits: result.cellLimits });
      hiddenPlot.update({ x: steps, ys: h });
      c.forEach((values_, unit) => mark(cellPlot.paths[unit], `c-unit-${unit + 1}`, values_));
      h.forEach((values_, unit) => mark(hiddenPlot.paths[unit], `h-unit-${unit + 1}`, values_));
      for (const gate of GATES) {
        const field = GATE_ATTRIBUTES[gate];
        heatmaps[gate].update(result.trace[field]);
        mark(heatmaps[gate].svg, gate, result.trace[field]);
      }
      const means = GATES.map((gate) => `${gate} ${pyFixed(result.gateMeans[gate], 2)}`).join(", ");
      const last = data.steps - 1;
      const finalC = result.trace.c[last].map((value) => pyFixed(value, 3)).join(", ");
      const finalH = result.trace.h[last].map((value) => pyFixed(value, 3)).join(", ");
      const alt = `Run of a ${data.hiddenSize}-unit LSTM over ${data.steps} steps of a ${values.preset} input ` +
        `(amplitude ${pyG(values.amplitude)}) with forget bias ${pyG(values.forget_bias)}, input bias ` +
        `${pyG(values.input_bias)}, candidate bias ${pyG(values.candidate_bias)}, output bias ${pyG(values.output_bias)}. ` +
        "Left: the input, the cell state c_t and the hidden state h_t of each unit over time; right: heat maps " +
        `of the gates over time and units (mean values: ${means}). At t = ${data.steps} the cell states are ` +
        `${finalC} and the hidden states ${finalH}.`;
      for (const svg of [inputSvg, cellSvg, hiddenSvg, ...GATES.map((gate) => heatmaps[gate].svg)]) {
        svg.setAttribute("aria-label", alt);
      }
      return alt;
    },
  };
}

/** Smallest value drawn on the gradient plot's log axis (`_draw_flow` floors at 1e-30, shows 1e-20 up). */
const GRADIENT_FLOOR = 1e-30;

/**
 * Chapter 8: the gradient reaching earlier steps at initialisation, recomputed at every move
 * (`gradientFlow` runs both cells forward and back over the batch in a few milliseconds).
 */
function gradientFlowRenderer(figures, data) {
  const svg = newSvg(figures, "44rem");
  const distances = Array.from({ length: data.setup.xs.length }, (_, d) => d);
  const options = { id: `${data.id}-flow`, title: "Gradient reaching earlier steps, at initialisation",
    integerX: true, xLabel: "distance from the loss (steps back in time)", yLabel: "log₁₀ gradient norm (relative)",
    xLimits: [0, distances.length - 1], yLimits: [-20, 3], width: 560, height: 320, describe: () => "",
    series: [
      { label: "plain RNN, hₜ", colour: GATE_COLOURS.rnn },
      { label: "LSTM, cₜ", colour: GATE_COLOURS.lstm },
      { label: "LSTM, hₜ", colour: GATE_COLOURS.hidden, dash: "6 3" },
    ] };
  const plot = createLinePlot(svg, options);
  whiteBackground(svg);
  function draw(settings, flow) {
    const logs = (values) => values.map((value) => Math.log10(Math.max(value, GRADIENT_FLOOR)));
    plot.update({ x: distances, ys: [logs(flow.rnnHidden), logs(flow.lstmCell), logs(flow.lstmHidden)] });
    mark(plot.paths[0], "rnn-hidden", flow.rnnHidden);
    mark(plot.paths[1], "lstm-cell", flow.lstmCell);
    mark(plot.paths[2], "lstm-hidden", flow.lstmHidden);
    const alt = "Log-scale line plot of the gradient norm reaching each earlier step, relative to the last step, " +
      `for forget bias ${pyFixed(settings.forgetBias, 2)} and recurrent scale ${pyFixed(settings.recurrentScale, 2)}. ` +
      `Fifty steps back: plain RNN ${pyExp(flow.rnnHidden[50])}, LSTM cell state ${pyExp(flow.lstmCell[50])}, ` +
      `LSTM hidden state ${pyExp(flow.lstmHidden[50])}.`;
    svg.setAttribute("aria-label", alt);
    return alt;
  }
  return {
    update(values) {
      const settings = { forgetBias: values.forget_bias, recurrentScale: values.recurrent_scale };
      return draw(settings, gradientFlow(data.setup, settings));
    },
  };
}

/**
 * Chapter 9: the dependency graphs of an LSTM and of self-attention for a sequence length.
 */
function dependencyRenderer(figures, data) {
  const svg = newSvg(figures, "46rem");
  const width = 640;
  const panel = 170;
  svg.setAttribute("viewBox", `0 0 ${width} ${2 * panel + 10}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("font-family", BOOK_STYLE.fontFamily);
  svg.setAttribute("font-size", BOOK_STYLE.fontSize);
  whiteBackground(svg);
  const x = linearScale([-0.6, EXPLORER_MAX_LENGTH + 0.6], [110, width - 10]);
  const panels = ["lstm", "attention"].map((name, index) => {
    const top = index * (panel + 10);
    const y = linearScale([-0.45, 1.45], [top + panel - 8, top + 30]);
    const title = svgElement(svg, "text", { x: (110 + width - 10) / 2, y: top + 16, "text-anchor": "middle",
      "font-weight": "bold", "font-size": BOOK_STYLE.titleSize });
    svgElement(svg, "text", { x: 100, y: y(0) + 4, "text-anchor": "end" }).textContent = "inputs x";
    svgElement(svg, "text", { x: 100, y: y(1) + 4, "text-anchor": "end" }).textContent =
      name === "lstm" ? "states h" : "outputs y";
    const edges = svgElement(svg, "path", { fill: "none", stroke: OKABE_ITO.black, "stroke-width": 0.8,
      "stroke-opacity": 0.35 });
    const chain = name === "lstm" ? svgElement(svg, "path", { fill: "none", stroke: OKABE_ITO.vermillion, "stroke-width": 3 }) : null;
    const nodes = svgElement(svg, "g", {});
    if (name === "lstm") {
      svgElement(svg, "rect", { x: x(0) - 4, y: y(1) - 4, width: 8, height: 8, fill: OKABE_ITO.black });
      svgElement(svg, "text", { x: x(0), y: y(1.32) + 4, "font-size": BOOK_STYLE.tickSize }).textContent = "start state h0";
    }
    return { name, y, title, edges, chain, nodes };
  });
  const path = (xs, ys, y) => {
    let d = "";
    let drawing = false;
    for (let k = 0; k < xs.length; k += 1) {
      if (!Number.isFinite(xs[k])) { drawing = false; continue; }
      d += `${drawing ? "L" : "M"}${x(xs[k]).toFixed(2)},${y(ys[k]).toFixed(2)}`;
      drawing = true;
    }
    return d;
  };
  return {
    update(values) {
      const result = dependencyExplorer(values.length);
      for (const part of panels) {
        const edges = part.name === "lstm" ? result.lstmEdges : result.attentionEdges;
        const chainLength = part.name === "lstm" ? result.lstmChain : result.attentionChain;
        part.edges.setAttribute("d", path(edges.xs, edges.ys, part.y));
        mark(part.edges, `${part.name}-edges`, [edges.xs.map((v) => (Number.isFinite(v) ? v : null)),
          edges.ys.map((v) => (Number.isFinite(v) ? v : null))]);
        mark(part.title, `${part.name}-chain`, [chainLength]);
        const layer = part.name === "lstm" ? "LSTM" : "self-attention";
        part.title.textContent = `${layer}, T = ${result.length}: longest chain ${chainLength} ${chainLength === 1 ? "step" : "steps"}`;
        if (part.chain) {
          part.chain.setAttribute("d", `M${x(0).toFixed(2)},${part.y(1).toFixed(2)}L${x(result.length).toFixed(2)},${part.y(1).toFixed(2)}`);
        }
        part.nodes.replaceChildren();
        for (let t = 1; t <= result.length; t += 1) {
          svgElement(part.nodes, "circle", { cx: x(t).toFixed(2), cy: part.y(0).toFixed(2), r: 6, fill: OKABE_ITO.skyBlue });
          svgElement(part.nodes, "rect", { x: (x(t) - 6).toFixed(2), y: (part.y(1) - 6).toFixed(2), width: 12, height: 12,
            fill: part.name === "lstm" ? GATE_COLOURS.lstm : data.attentionColour });
        }
      }
      const alt = `Two dependency graphs for a sequence of ${result.length} steps. Top, the LSTM: each state h_t ` +
        "is joined to its input x_t below it and to the previous state h_(t-1) on its left, so the states form " +
        `one chain of ${result.lstmChain} steps, drawn as a thick line. Bottom, self-attention: every output y_t ` +
        `is joined to all ${result.length} inputs, and the longest chain is ${result.attentionChain} step.`;
      svg.setAttribute("aria-label", alt);
      return alt;
    },
  };
}

/** The lines of chapter 10's two panels, as `_LINE_STYLES` of `lstm/variant_comparison.py`. */
const VARIANT_LINES = Object.freeze({
  gates: [
    // Dots on the LSTM's gates, open squares on the GRU's: where the two coincide (the write
    // spikes at the pulses, the keep gates between them) each dot sits inside its square.
    { key: "lstmF", label: "LSTM forget fₜ", colour: GATE_COLOURS.forget, markers: "dot" },
    { key: "lstmI", label: "LSTM input iₜ", colour: GATE_COLOURS.input, markers: "dot" },
    { key: "gruZ", label: "GRU update zₜ", colour: GATE_COLOURS.forget, dash: "7 3", markers: "open-square" },
    { key: "gruWrite", label: "GRU 1 − zₜ", colour: GATE_COLOURS.input, dash: "7 3", markers: "open-square" },
  ],
  states: [
    { key: "lstmC", label: "LSTM cell state cₜ", colour: GATE_COLOURS.cell },
    { key: "lstmH", label: "LSTM hidden state hₜ", colour: GATE_COLOURS.hidden },
    { key: "gruH", label: "GRU hidden state hₜ", colour: GATE_COLOURS.cell, dash: "7 3" },
  ],
});

/** `lstmF` -> `lstm-f` (the `data-key` of a line: `lstm_f` of `gate_lines`, with a hyphen). */
function dataKey(name) {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/**
 * A legend inside a line plot's axes, in a white box (matplotlib's "center right" or "upper right").
 *
 * @param {Element} svg
 * @param {Object} options  The plot's options (for its geometry).
 * @param {Object[]} entries  `{label, colour, dash}`.
 * @param {"center right"|"upper right"} place
 */
function insideLegend(svg, options, entries, place) {
  const { width = 480, height = 220 } = options;
  const right = width - 12 - 6;
  const top = 28;
  const bottom = height - 40;
  const rowHeight = 16;
  const boxWidth = 36 + 6.4 * Math.max(...entries.map((entry) => entry.label.length));
  const boxHeight = rowHeight * entries.length + 8;
  const boxTop = place === "upper right" ? top + 6 : (top + bottom - boxHeight) / 2;
  const group = svgElement(svg, "g", { class: "legend", "font-size": BOOK_STYLE.legendSize });
  svgElement(group, "rect", { x: right - boxWidth, y: boxTop, width: boxWidth, height: boxHeight, rx: 3,
    fill: "#ffffff", "fill-opacity": 0.8, stroke: "#cccccc" });
  entries.forEach((entry, index) => {
    const y = boxTop + 4 + rowHeight * (index + 0.5);
    const line = { x1: right - boxWidth + 6, x2: right - boxWidth + 28, y1: y, y2: y, stroke: entry.colour,
      "stroke-width": BOOK_STYLE.lineWidth };
    if (entry.dash) line["stroke-dasharray"] = entry.dash;
    svgElement(group, "line", line);
    svgElement(group, "text", { x: right - boxWidth + 33, y: y + 4 }).textContent = entry.label;
  });
}

/**
 * Chapter 10: the LSTM and the GRU on the same pulses (`lstm.variant_comparison.draw_variant_comparison`):
 * left the gates (keep and write), right the memories and the LSTM's output; dotted lines mark
 * the pulses, solid lines are the LSTM, dashed the GRU.
 */
function variantsRenderer(figures, data) {
  const row = figures.ownerDocument.createElement("div");
  row.style.cssText = "display:flex;flex-wrap:wrap;gap:0.5rem";
  figures.append(row);
  const t = Array.from({ length: STEPS }, (_, k) => k + 1);
  const panels = [
    { name: "gates", title: "Gates: keep and write", yLabel: "gate value", yLimits: [-0.05, 1.05], place: "center right" },
    { name: "states", title: "Memory and output", yLabel: "value", yLimits: [...STATE_LIMITS], place: "upper right" },
  ].map((panel) => {
    const svg = newSvg(row);
    svg.style.flex = "1 1 20rem";
    const options = { id: `${data.id}-${panel.name}`, title: panel.title, xLabel: "time step t", yLabel: panel.yLabel,
      xLimits: [1, STEPS], integerX: true, yLimits: panel.yLimits, width: 480, height: 300, legend: false, zeroLine: false,
      series: VARIANT_LINES[panel.name], describe: () => "" };
    const plot = createLinePlot(svg, options);
    const scales = plotScales(options);
    const lines = plot.paths[0].parentNode;
    for (const pulse of [FIRST_PULSE, SECOND_PULSE]) {
      const x = scales.x(pulse + 1).toFixed(2);
      const marker = svgElement(svg, "line", { class: "pulse", x1: x, x2: x, y1: scales.y(panel.yLimits[1]).toFixed(2),
        y2: scales.y(panel.yLimits[0]).toFixed(2), stroke: OKABE_ITO.skyBlue, "stroke-width": 1, "stroke-dasharray": "1.5 2.5" });
      svg.insertBefore(marker, lines);
    }
    insideLegend(svg, options, VARIANT_LINES[panel.name], panel.place);
    whiteBackground(svg);
    return { ...panel, svg, plot };
  });
  return {
    update(values) {
      const result = compareVariants(values.keep_bias, values.second_pulse);
      const series = { gates: gateLines(result), states: stateLines(result) };
      for (const panel of panels) {
        const lines = VARIANT_LINES[panel.name];
        const clip = (value) => Math.min(Math.max(value, STATE_LIMITS[0]), STATE_LIMITS[1]);   // as Python's _redraw
        panel.plot.update({ x: t, ys: lines.map((line) => series[panel.name][line.key].map(clip)) });
        lines.forEach((line, index) => mark(panel.plot.paths[index], dataKey(line.key), series[panel.name][line.key]));
      }
      const alt = describeComparison(result);
      for (const panel of panels) panel.svg.setAttribute("aria-label", alt);
      return alt;
    },
  };
}

/** Labels of the training explorer's tasks (`TASKS` of `lstm/explorers/training.py`). */
const TRAINING_TASKS = Object.freeze({
  delayed_recall: "delayed recall", adding_problem: "adding problem", remember_forever: "remember forever",
});

/** The training-step axis: 100 steps, doubled whenever training passes its end (`_step_span`). */
function stepSpan(steps) {
  let span = 100;
  while (steps > span) span *= 2;
  return span;
}

/** The cell-state axis: ±1.5, ±3, ±6, … (`cell_limits` of `lstm/explorers/training.py`). */
function cellLimits(rows) {
  let largest = 0;
  for (const row of rows) for (const value of row) largest = Math.max(largest, Math.abs(value));
  if (!Number.isFinite(largest)) largest = 1;
  let limit = 1.5;
  while (limit < 1.05 * largest && limit < 1e6) limit *= 2;
  return [-limit, limit];
}

/**
 * Chapter 7: a small LSTM trained live in the page (`web/training.mjs`, the step of
 * `lstm.training.training_step`). Play runs ticks of about {@link TICK_BUDGET_MS} ms of training
 * followed by one redraw; Pause stops after the current tick; Step trains one step; Reset starts
 * again with the next seed. The model's controls (task, length, units, forget bias) start again
 * when moved and are disabled while playing; the learning rate applies from the next step.
 *
 * The widget's `renderer.training` exposes `play()`, `pause()`, `step()`, `state()` and `ticks`
 * (`{steps, trainMs, drawMs, at}` of each tick) for tests and benchmarks.
 */
function trainingRenderer(figures, data, host) {
  const document = figures.ownerDocument;
  const [leftColumn, rightColumn] = twoColumns(figures);
  const svgs = {};
  for (const name of ["loss", "accuracy", "reach", "cell"]) svgs[name] = newSvg(leftColumn);
  for (const gate of GATES) svgs[gate] = newSvg(rightColumn);
  const evalRandomSeed = data.evalSeed;
  let seed = 0;
  let run = null;
  let playing = false;
  let timer = null;
  let plots = null;
  let built = null;
  let lastValues = null;
  const ticks = [];

  // Play, Pause, Step: a row of buttons above Reset.
  const buttons = host.make("div", "display:flex;gap:0.5rem;margin:0 0 0.6rem", { class: "lstm-training-buttons" });
  const button = (label, title, name) => {
    const element = host.make("button", "font-size:16px;padding:0.2rem 0.8rem", { type: "button", title, class: `lstm-${name}` });
    element.textContent = label;
    element.addEventListener("focus", () => { element.style.outline = FOCUS_OUTLINE; element.style.outlineOffset = "2px"; });
    element.addEventListener("blur", () => { element.style.outline = ""; });
    buttons.append(element);
    return element;
  };
  const playButton = button("▶ Play", "Train, redrawing as it goes", "play");
  const pauseButton = button("❚❚ Pause", "Pause the training", "pause");
  const stepButton = button("Step", "Train one step", "step");
  host.controlsBox.insertBefore(buttons, host.controlsBox.firstChild);
  host.resetButton.textContent = "Reset (new seed)";
  host.resetButton.title = "Start again from step 0 with a new seed (pauses)";

  function settingsOf(values) {
    return { task: values.task, length: values.length, units: values.units, forgetBias: values.forget_bias, seed };
  }
  function sameSettings(a, b) {
    return a.task === b.task && a.length === b.length && a.units === b.units && a.forgetBias === b.forgetBias && a.seed === b.seed;
  }
  function startRun(settings, lr) {
    const task = makeTask(settings.task, settings.length, data.numSymbols, data.addingCriterion);
    const random = createRandom(settings.seed);
    const model = initialModel(task, settings.units, settings.forgetBias, random);
    run = { settings, task, model, random, adam: createAdam(namedParameters(model), lr), losses: [],
      accuracySteps: [], accuracies: [], diverged: false,
      evalBatch: task.sample(data.evalSize, createRandom(evalRandomSeed)) };
  }
  function trainOne() {
    if (run.diverged) return false;
    const outcome = trainingStep(run.model, run.task, run.task.sample(data.batchSize, run.random), run.adam, data.clip);
    if (outcome === null) {
      run.diverged = true;
      return false;
    }
    run.losses.push(outcome.loss);
    return true;
  }

  function build(steps, units, span, task) {
    for (const svg of Object.values(svgs)) svg.replaceChildren();
    const common = { describe: () => "", height: 190 };
    const timeAxis = { xLabel: "time step t", xLimits: [0.5, steps + 0.5] };
    const top = task.objective === "regression" ? 1 : 3;
    plots = {
      loss: createLinePlot(svgs.loss, { ...common, id: `${data.id}-loss`, title: "Training loss", xLabel: "training step",
        yLabel: "log₁₀ loss", xLimits: [0, span], yLimits: [Math.log10(data.lossFloor), Math.log10(top)], zeroLine: false,
        series: [{ label: "training loss", colour: OKABE_ITO.blue }], legend: false }),
      accuracy: createLinePlot(svgs.accuracy, { ...common, id: `${data.id}-accuracy`, title: `Accuracy on ${data.evalSize} test sequences`,
        xLabel: "training step", yLabel: "accuracy", xLimits: [0, span], yLimits: [-0.03, 1.03], zeroLine: false,
        series: [{ label: "accuracy", colour: OKABE_ITO.bluishGreen, markers: true },
          { label: "chance", colour: OKABE_ITO.black, dash: "4 3" }] }),
      reach: createLinePlot(svgs.reach, { ...common, ...timeAxis, id: `${data.id}-reach`, title: "Gradient reaching cₜ (relative to its largest)",
        yLabel: "log₁₀ gradient norm", yLimits: [Math.log10(data.gradientFloor / 2), Math.log10(2)], zeroLine: false,
        series: [{ label: "gradient", colour: GATE_COLOURS.cell, markers: true }], legend: false }),
      cell: createLinePlot(svgs.cell, { ...common, ...timeAxis, id: `${data.id}-cell`, title: "Cell state cₜ of the first test sequence",
        yLabel: "cₜ", yLimits: [-1.5, 1.5], legend: false,
        series: Array.from({ length: units }, (_, unit) => ({ label: `unit ${unit + 1}`, colour: COLOUR_CYCLE[unit % COLOUR_CYCLE.length] })) }),
    };
    const titles = { forget: "Forget gate fₜ", input: "Input gate iₜ", candidate: "Candidate c̃ₜ", output: "Output gate oₜ" };
    for (const gate of GATES) {
      const signed = gate === "candidate";
      plots[gate] = createHeatmap(svgs[gate], { id: `${data.id}-${gate}`, title: titles[gate], steps, units, height: 150,
        colourMap: signed ? SIGNED_COLOURMAP : GATE_COLOURMAP, limits: signed ? [-1, 1] : [0, 1],
        colourBarTicks: signed ? [-1, 0, 1] : [0, 0.5, 1], describe: () => "" });
    }
    for (const svg of Object.values(svgs)) whiteBackground(svg);
    built = { steps, units, span, task: task.key };
  }

  function draw() {
    const scores = evaluate(run.model, run.task, run.evalBatch);
    const steps = run.losses.length;
    if (run.accuracySteps.at(-1) !== steps) {
      run.accuracySteps.push(steps);
      run.accuracies.push(scores.accuracy);
    }
    const { task } = run;
    const T = task.steps;
    const H = run.settings.units;
    const span = stepSpan(steps);
    if (!built || built.steps !== T || built.units !== H || built.span !== span || built.task !== task.key) build(T, H, span, task);
    const t = Array.from({ length: T }, (_, k) => k + 1);
    const logs = (values, floor) => values.map((value) => Math.log10(Math.max(value, floor)));
    plots.loss.update({ x: run.losses.map((_, k) => k + 1), ys: [logs(run.losses, data.lossFloor)] });
    mark(plots.loss.paths[0], "loss", run.losses);
    const chance = task.objective === "regression" ? 0 : 1 / data.numSymbols;
    plots.accuracy.update({ x: run.accuracySteps, ys: [run.accuracies, run.accuracySteps.map(() => chance)] });
    mark(plots.accuracy.paths[0], "accuracy", run.accuracies);
    plots.reach.update({ x: t, ys: [logs(scores.reach, data.gradientFloor)] });
    mark(plots.reach.paths[0], "reach", scores.reach);
    const c = Array.from({ length: H }, (_, unit) => column(scores.first.c, unit));
    plots.cell.update({ x: t, ys: c, yLimits: cellLimits(scores.first.c) });
    for (const gate of GATES) {
      const values = scores.first[GATE_ATTRIBUTES[gate]];
      plots[gate].update(values);
      mark(plots[gate].svg, gate, values);
    }
    mark(plots.loss.svg, "steps", [steps]);
    mark(plots.cell.svg, "shape", [T, H]);
    const alt = describeTraining(scores);
    for (const svg of Object.values(svgs)) svg.setAttribute("aria-label", alt);
    host.summary.textContent = alt;
    sync();
    return alt;
  }

  /** The alt text: `TrainingExplorer.describe` of `lstm/explorers/training.py`, word for word. */
  function describeTraining(scores) {
    const { settings, task } = run;
    const steps = run.losses.length;
    const progress = steps
      ? `After ${steps} training steps the training loss is ${pyFixed(run.losses[steps - 1], 3)} ` +
        `(it started at ${pyFixed(run.losses[0], 3)})`
      : "Before training (step 0)";
    const chance = task.objective === "regression" ? "" : `, chance ${pyFixed(1 / data.numSymbols, 2)}`;
    const mean = (rows) => rows.flat().reduce((sum, value) => sum + value, 0) / (rows.length * rows[0].length);
    const means = GATES.map((gate) => `${gate} ${pyFixed(mean(scores.first[GATE_ATTRIBUTES[gate]]), 2)}`).join(", ");
    const diverged = run.diverged ? " Training diverged; reset to start again." : "";
    return `Training a ${settings.units}-unit LSTM on ${TRAINING_TASKS[task.key]} with sequences of T = ${settings.length} ` +
      `steps (seed ${settings.seed}, learning rate ${pyG(run.adam.lr)}, initial forget bias ${fixed(settings.forgetBias)}). ` +
      `${progress}; accuracy on ${data.evalSize} test sequences ${pyFixed(scores.accuracy, 2)}${chance}. Heat maps of the ` +
      `first test sequence's gates over its ${task.steps} steps (mean values: ${means}). The gradient reaching the first ` +
      `step's cell state is ${pyExp(Math.max(scores.reach[0], 0))} of its largest value.${diverged}`;
  }

  /** Disable what does not apply now (`_sync_controls`), plus Play and Pause by state. */
  function sync() {
    const diverged = run !== null && run.diverged;
    for (const name of data.setupControls) {
      host.inputs[name].disabled = playing;
      host.inputs[name].closest("label").style.opacity = playing ? "0.5" : "";
    }
    playButton.disabled = playing || diverged;
    pauseButton.disabled = !playing;
    stepButton.disabled = playing || diverged;
  }

  function tick() {
    timer = null;
    if (!playing) return;
    const start = performance.now();
    let steps = 0;
    while (performance.now() - start < TICK_BUDGET_MS) {
      if (!trainOne()) break;
      steps += 1;
    }
    if (run.diverged) playing = false;
    const trained = performance.now();
    draw();
    const end = performance.now();
    ticks.push({ steps, trainMs: trained - start, drawMs: end - trained, at: end });
    if (playing) timer = setTimeout(tick, TICK_PAUSE_MS);
  }
  function play() {
    if (playing || run.diverged) return;
    playing = true;
    sync();
    timer = setTimeout(tick, 0);
  }
  function pause() {
    playing = false;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    sync();
  }
  function stepOnce() {
    if (playing) return;
    trainOne();
    draw();
  }
  playButton.addEventListener("click", play);
  pauseButton.addEventListener("click", pause);
  stepButton.addEventListener("click", stepOnce);

  return {
    update(values) {
      lastValues = values;
      const settings = settingsOf(values);
      if (run === null || !sameSettings(run.settings, settings)) startRun(settings, values.learning_rate);
      run.adam.lr = values.learning_rate;
      return draw();
    },
    reset() {
      pause();
      seed += 1;
      run = null;
    },
    training: {
      ticks, play, pause, step: stepOnce,
      state: () => ({ playing, seed, steps: run.losses.length, diverged: run.diverged, lr: run.adam.lr,
        settings: { ...run.settings }, values: lastValues }),
    },
  };
}

/** Milliseconds of training per tick of the training explorer (then one redraw). */
const TICK_BUDGET_MS = 25;
/** Milliseconds between two ticks, for the page's own events. */
const TICK_PAUSE_MS = 5;

/** One renderer per explorer, by the Python explorer's `name` (step explorers: `"step"`). */
export const RENDERERS = Object.freeze({
  memory: memoryRenderer, diagram: diagramRenderer, step: stepRenderer, sequence: sequenceRenderer,
  "gradient-flow": gradientFlowRenderer, "dependency-chain": dependencyRenderer,
  variants: variantsRenderer, training: trainingRenderer,
});

// ------------------------------------------------------------------------- controls

/** A control's value as text (`readout_format=".2f"` for float sliders, integers as they are). */
function readout(control, value) {
  return control.integer ? String(value).replace("-", "−") : fixed(value, 2);
}

/**
 * Build the live explorer in `root` (a `<figure>`): controls from `spec.controls`, the
 * renderer's figures, a live summary (the alt text), a scenario menu if the explorer has one,
 * and Reset.
 *
 * @param {Element} root
 * @param {Object} spec  Written by `lstm.explorers.web_widget.widget_spec`.
 * @param {Object} data  The explorer's fixed numbers.
 */
export function mountExplorer(root, spec, data) {
  const document = root.ownerDocument;
  const make = (tag, css = "", attributes = {}) => {
    const element = document.createElement(tag);
    if (css) element.style.cssText = css;
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    return element;
  };
  root.style.cssText = "margin:1rem 0;padding:0;max-width:100%;display:flex;flex-wrap:wrap;gap:0.6rem 1.2rem;" +
    "align-items:flex-start;font-size:16px;line-height:1.4";
  const controlsBox = make("div", "flex:0 1 22rem;max-width:100%;min-width:15rem", { class: "lstm-live-controls" });
  const figureBox = make("div", "flex:1 1 28rem;max-width:100%;min-width:min(100%,18rem)", { class: "lstm-live-figure" });
  const figures = make("div", "background:#ffffff;color:#1a1a1a;padding:0.2rem;border-radius:4px");
  const summary = make("p", "font-size:14px;margin:0.4rem 0 0", { class: "lstm-live-summary", "aria-live": "polite" });
  figureBox.append(figures, summary);
  root.prepend(controlsBox, figureBox);
  const inputs = {};
  const focusable = [];
  const controlBy = Object.fromEntries(spec.controls.map((control) => [control.name, control]));
  let scenarioMenu = null;
  let scenarioText = null;
  if (spec.scenarios) {
    const wrap = make("label", "display:grid;grid-template-columns:8.5rem 1fr;gap:0.3rem;align-items:center;margin:0.2rem 0");
    wrap.append(make("span"));
    wrap.firstChild.textContent = "scenario";
    scenarioMenu = make("select", "max-width:100%", { class: "lstm-scenario" });
    scenarioMenu.add(new Option("(choose a scenario)", ""));
    for (const name of Object.keys(spec.scenarios)) scenarioMenu.add(new Option(name, name));
    wrap.append(scenarioMenu);
    scenarioText = make("p", "font-style:italic;font-size:14px;margin:0.2rem 0 0.5rem", { class: "lstm-scenario-text" });
    controlsBox.append(wrap, scenarioText);
    focusable.push(scenarioMenu);
  }
  for (const [heading, names] of spec.groups) {
    const fieldset = make("fieldset", "border:1px solid #999;margin:0 0 0.6rem;padding:0.3rem 0.5rem");
    const legend = make("legend", "font-weight:bold;padding:0 0.2rem");
    legend.innerHTML = heading;
    fieldset.append(legend);
    for (const name of names) {
      const control = controlBy[name];
      const id = `${root.id}-${name}`;
      const label = make("label", "display:grid;grid-template-columns:8.5rem 1fr 3.6rem;gap:0.3rem;align-items:center;margin:0.15rem 0",
        { for: id, class: "lstm-control" });
      const text = make("span");
      text.innerHTML = control.label;
      if (control.tooltip) label.title = control.tooltip;
      label.append(text);
      let input;
      if (control.kind === "select") {
        input = make("select", "max-width:100%");
        control.options.forEach(([optionLabel], index) => input.add(new Option(optionLabel, String(index))));
        label.append(input, make("span"));
      } else {
        input = make("input", "width:100%;margin:0;accent-color:#0072b2", { type: "range", min: String(control.min),
          max: String(control.max), step: String(control.step) });
        const output = make("output", "text-align:right;font-variant-numeric:tabular-nums", { for: id });
        label.append(input, output);
        input.output = output;
      }
      input.id = id;
      input.name = name;
      inputs[name] = input;
      focusable.push(input);
      fieldset.append(label);
    }
    controlsBox.append(fieldset);
  }
  const reset = make("button", "font-size:16px;padding:0.2rem 1rem", { type: "button", class: "lstm-reset",
    title: "Put every control back to its starting value" });
  reset.textContent = "Reset";
  controlsBox.append(reset);
  focusable.push(reset);
  for (const element of focusable) {
    element.addEventListener("focus", () => { element.style.outline = FOCUS_OUTLINE; element.style.outlineOffset = "2px"; });
    element.addEventListener("blur", () => { element.style.outline = ""; });
  }

  function values() {
    return Object.fromEntries(spec.controls.map((control) => {
      const input = inputs[control.name];
      if (control.kind === "select") return [control.name, control.options[Number(input.value)][1]];
      return [control.name, Number(input.value)];
    }));
  }
  function show(settings) {
    for (const control of spec.controls) {
      const input = inputs[control.name];
      const value = settings[control.name];
      if (control.kind === "select") {
        input.value = String(control.options.findIndex(([, option]) => option === value));
      } else {
        input.value = String(value);
      }
    }
  }
  const widget = {
    redrawTimes: [],
    values,
    set(settings) {
      show({ ...values(), ...settings });
      redraw();
    },
  };
  // A renderer may add its own buttons and disable controls (the training explorer): it gets the
  // controls' box, the inputs by name, the Reset button and the live summary.
  const renderer = RENDERERS[spec.renderer](figures, { ...data, id: root.id },
    { controlsBox, inputs, resetButton: reset, summary, make });
  widget.renderer = renderer;
  function redraw() {
    const start = performance.now();
    const settings = values();
    for (const control of spec.controls) {
      const input = inputs[control.name];
      if (control.kind !== "select") {
        const text = readout(control, settings[control.name]);
        input.output.textContent = text;
        input.setAttribute("aria-valuetext", `${control.spoken} = ${text}`);
      }
      const presets = spec.presetControls[control.name];
      if (presets) {
        const on = presets.includes(settings.preset);
        input.disabled = !on;
        input.parentElement.style.opacity = on ? "" : "0.5";
      }
    }
    summary.textContent = renderer.update(settings);
    root.dataset.state = "ready";
    widget.redrawTimes.push(performance.now() - start);
  }
  controlsBox.addEventListener("input", (event) => {
    if (event.target !== scenarioMenu) redraw();
  });
  if (scenarioMenu) {
    scenarioMenu.addEventListener("change", () => {
      const scenario = spec.scenarios[scenarioMenu.value];
      scenarioText.textContent = scenario ? scenario.description : "";
      if (scenario) widget.set(scenario.values);
    });
  }
  reset.addEventListener("click", () => {
    if (renderer.reset) renderer.reset();
    if (scenarioMenu) {
      scenarioMenu.value = "";
      scenarioText.textContent = "";
    }
    widget.set(spec.defaults);
  });
  if (scenarioMenu && spec.scenario) {
    scenarioMenu.value = spec.scenario;
    scenarioText.textContent = spec.scenarios[spec.scenario].description;
  }
  show(spec.values);
  redraw();
  root.lstmWidget = widget;
  return widget;
}
