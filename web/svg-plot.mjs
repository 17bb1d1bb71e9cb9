/**
 * Line plots drawn as SVG in the book's style, updated in place, for the live explorers.
 *
 * The look follows `lstm/style.py`: the Okabe–Ito colours (one fixed colour per part of the
 * cell), a light grid under the data, no top or right axis line, bold titles, 2.2-unit lines.
 * Each plot is an `<svg role="img">` with a `<title>` (the plot's title) and an `aria-label`
 * (its accessible name, repeated in `<desc>`) that the caller's `describe` function rewrites
 * from the data at every update, so the alt text always says what the figure shows.
 *
 * {@link createLinePlot} builds the elements once; `update` only changes attributes of the
 * existing elements (the paths' `d`, tick positions and labels, the alt text). Every line also
 * carries its numbers in `data-y` (JSON), so tests can compare what is drawn with `lstm`.
 *
 * The module needs no browser: it only calls `ownerDocument.createElementNS`, `setAttribute`,
 * `appendChild` and `textContent`, so node's tests drive it with a tiny virtual document.
 *
 * @module svg-plot
 */

import { COLOUR_MAPS } from "./colour-maps.mjs";

const SVG_NAMESPACE = "http://www.w3.org/2000/svg";

/** Most ticks on a value axis (their elements are made once and reused). */
const MAX_VALUE_TICKS = 7;

/** The eight Okabe–Ito colours by name (`lstm.style.OKABE_ITO`). */
export const OKABE_ITO = Object.freeze({
  black: "#000000", orange: "#E69F00", skyBlue: "#56B4E9", bluishGreen: "#009E73",
  yellow: "#F0E442", blue: "#0072B2", vermillion: "#D55E00", reddishPurple: "#CC79A7",
});

/** One fixed colour per part of the cell (`lstm.style.GATE_COLOURS`). */
export const GATE_COLOURS = Object.freeze({
  forget: OKABE_ITO.vermillion, input: OKABE_ITO.blue, candidate: OKABE_ITO.bluishGreen,
  output: OKABE_ITO.reddishPurple, cell: OKABE_ITO.orange, hidden: OKABE_ITO.black,
  inputX: OKABE_ITO.skyBlue, rnn: OKABE_ITO.skyBlue, lstm: OKABE_ITO.orange,
});

/** Line colours in order (`lstm.style.COLOUR_CYCLE`: yellow last, it is faint on white). */
export const COLOUR_CYCLE = Object.freeze([
  OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.bluishGreen, OKABE_ITO.reddishPurple,
  OKABE_ITO.orange, OKABE_ITO.skyBlue, OKABE_ITO.black, OKABE_ITO.yellow,
]);

/** Font sizes (px), line width and grid of the laptop size (`lstm.style.book_rc_params`; grid colour: matplotlib's). */
export const BOOK_STYLE = Object.freeze({
  fontSize: 12, titleSize: 13.2, tickSize: 10.8, legendSize: 10.8, lineWidth: 2.2,
  gridColour: "#b0b0b0", gridOpacity: 0.35, fontFamily: "DejaVu Sans, Verdana, sans-serif",
});

/**
 * A linear map from `domain` to `range` (e.g. data values to pixels).
 *
 * @param {[number, number]} domain  Data limits (distinct numbers).
 * @param {[number, number]} range  Pixel positions of the two limits.
 * @returns {(value: number) => number}
 * @throws {RangeError} If the domain has no width.
 */
export function linearScale([low, high], [start, end]) {
  if (!(Number.isFinite(low) && Number.isFinite(high)) || low === high) {
    throw new RangeError(`domain must be two different finite numbers; got [${low}, ${high}]`);
  }
  const slope = (end - start) / (high - low);
  return (value) => start + (value - low) * slope;
}

/**
 * Round ticks: multiples of 1, 2 or 5 × 10^k inside `[low, high]`, at most `maxCount` of them.
 *
 * @param {number} low
 * @param {number} high
 * @param {number} [maxCount]
 * @param {boolean} [integer]  Whole numbers only (time steps): the spacing is at least 1, as
 *   matplotlib's `MaxNLocator(integer=True)` that `lstm.style.integer_ticks` sets.
 * @returns {{values: number[], step: number}} Tick values (increasing) and their spacing.
 */
export function niceTicks(low, high, maxCount = 6, integer = false) {
  const count = (step) => Math.floor(high / step + 1e-9) - Math.ceil(low / step - 1e-9) + 1;
  const rough = 10 ** Math.floor(Math.log10((high - low) / Math.max(1, maxCount)));
  const power = integer ? Math.max(1, rough) : rough;
  const step = [1, 2, 5, 10, 20, 50].map((factor) => factor * power).find((candidate) => count(candidate) <= maxCount);
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const values = [];
  for (let k = Math.ceil(low / step - 1e-9); k * step <= high + 1e-9 * step; k += 1) {
    values.push(Number((k * step).toFixed(decimals)) + 0);   // + 0 turns -0 into 0
  }
  return { values, step };
}

/**
 * A tick label: as many decimals as the spacing needs, and a true minus sign.
 *
 * @param {number} value
 * @param {number} step  Spacing of the ticks.
 * @returns {string}
 */
export function formatTick(value, step) {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return value.toFixed(decimals).replace("-", "−");
}

/**
 * The SVG path of a line through the points (xs[k], ys[k]); a missing value (NaN or null)
 * breaks the line. Coordinates are rounded to 0.01 px.
 *
 * @param {number[]} xs
 * @param {(number|null)[]} ys
 * @param {(value: number) => number} xScale
 * @param {(value: number) => number} yScale
 * @returns {string} E.g. `"M10.00,20.00L30.00,40.00"`; `""` if no point is drawn.
 */
export function pathData(xs, ys, xScale, yScale) {
  let d = "";
  let drawing = false;
  for (let k = 0; k < xs.length; k += 1) {
    const y = ys[k];
    if (y === null || !Number.isFinite(y) || !Number.isFinite(xs[k])) {
      drawing = false;
      continue;
    }
    d += `${drawing ? "L" : "M"}${xScale(xs[k]).toFixed(2)},${yScale(y).toFixed(2)}`;
    drawing = true;
  }
  return d;
}

/**
 * A new SVG element with attributes, appended to `parent`.
 *
 * @param {Element} parent
 * @param {string} tag
 * @param {Object<string, string|number>} [attributes]
 * @returns {Element}
 */
function addElement(parent, tag, attributes = {}) {
  const element = parent.ownerDocument.createElementNS(SVG_NAMESPACE, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  parent.appendChild(element);
  return element;
}

/**
 * @typedef {Object} SeriesStyle
 * @property {string} label  Legend text.
 * @property {string} [colour]  Default: the colour cycle.
 * @property {string} [dash]  SVG `stroke-dasharray`, e.g. `"6 3"`.
 * @property {boolean|"dot"|"open-square"} [markers]  A mark at every point: a dot (`true` or
 *   `"dot"`), or an open square (`"open-square"`, larger, so that a dot on the same point stays
 *   visible inside it, as matplotlib's `marker="s", markerfacecolor="none"`).
 */

/**
 * @typedef {Object} LinePlotData
 * @property {number[]} x  Positions on the horizontal axis, `(n)`.
 * @property {(number|null)[][]} ys  One array of `n` values per series.
 * @property {[number, number]} [yLimits]  New value-axis limits (redraws the ticks).
 */

/**
 * Build a line plot in `svg` (an empty `<svg>` element) and return its updater.
 *
 * @param {Element} svg
 * @param {Object} options
 * @param {string} options.id  Prefix of the element ids (unique in the page).
 * @param {string} options.title  Title above the axes (also the SVG `<title>`).
 * @param {string} options.xLabel  Horizontal-axis label.
 * @param {string} options.yLabel  Value-axis label.
 * @param {[number, number]} options.xLimits
 * @param {[number, number]} options.yLimits
 * @param {SeriesStyle[]} options.series
 * @param {(data: LinePlotData) => string} options.describe  Alt text for the current data.
 * @param {number} [options.width]  ViewBox width (default 480).
 * @param {number} [options.height]  ViewBox height (default 220).
 * @param {boolean} [options.legend]  Show the legend above the axes (default: several series).
 * @param {boolean} [options.zeroLine]  A thin black line at 0 (default true).
 * @param {boolean} [options.integerX]  Whole-number ticks on the horizontal axis (time steps;
 *   default false).
 * @returns {{update: (data: LinePlotData) => void, paths: Element[], svg: Element}}
 */
export function createLinePlot(svg, options) {
  const {
    id, title, xLabel, yLabel, xLimits, series, describe,
    width = 480, height = 220, zeroLine = true, integerX = false,
  } = options;
  const legend = options.legend ?? series.length > 1;
  const margin = { top: legend ? 44 : 28, right: 12, bottom: 40, left: 56 };
  const left = margin.left;
  const right = width - margin.right;
  const top = margin.top;
  const bottom = height - margin.bottom;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");   // its accessible name is the aria-label, set from the data
  svg.setAttribute("font-family", BOOK_STYLE.fontFamily);
  svg.setAttribute("font-size", BOOK_STYLE.fontSize);
  const titleElement = addElement(svg, "title", { id: `${id}-title` });
  titleElement.textContent = title;
  const descElement = addElement(svg, "desc", { id: `${id}-desc` });

  const xScale = linearScale(xLimits, [left, right]);
  let yLimits = options.yLimits;
  let yScale = linearScale(yLimits, [bottom, top]);

  // Drawn once: frame, labels, title, legend, x ticks.
  const grid = addElement(svg, "g", { class: "grid", stroke: BOOK_STYLE.gridColour, "stroke-opacity": BOOK_STYLE.gridOpacity,
    "stroke-width": 0.8 });
  addElement(svg, "line", { class: "x-axis", x1: left, x2: right, y1: bottom, y2: bottom, stroke: OKABE_ITO.black });
  addElement(svg, "line", { class: "y-axis", x1: left, x2: left, y1: top, y2: bottom, stroke: OKABE_ITO.black });
  const heading = addElement(svg, "text", { class: "plot-title", x: (left + right) / 2, y: legend ? 14 : 16,
    "text-anchor": "middle", "font-weight": "bold", "font-size": BOOK_STYLE.titleSize });
  heading.textContent = title;
  const xLabelElement = addElement(svg, "text", { class: "x-label", x: (left + right) / 2, y: height - 6,
    "text-anchor": "middle" });
  xLabelElement.textContent = xLabel;
  const yLabelElement = addElement(svg, "text", { class: "y-label", x: 0, y: 0, "text-anchor": "middle",
    transform: `translate(14 ${(top + bottom) / 2}) rotate(-90)` });
  yLabelElement.textContent = yLabel;
  const xTicks = addElement(svg, "g", { class: "x-ticks", "font-size": BOOK_STYLE.tickSize, "text-anchor": "middle" });
  const xTickValues = niceTicks(xLimits[0], xLimits[1], 8, integerX);
  for (const value of xTickValues.values) {
    const x = xScale(value).toFixed(2);
    addElement(grid, "line", { x1: x, x2: x, y1: top, y2: bottom });
    addElement(xTicks, "line", { x1: x, x2: x, y1: bottom, y2: bottom + 4, stroke: OKABE_ITO.black });
    addElement(xTicks, "text", { x, y: bottom + 16 }).textContent = formatTick(value, xTickValues.step);
  }
  const yGrid = addElement(grid, "g", { class: "y-grid" });
  const yTicks = addElement(svg, "g", { class: "y-ticks", "font-size": BOOK_STYLE.tickSize, "text-anchor": "end" });
  const zero = zeroLine ? addElement(svg, "line", { class: "zero-line", x1: left, x2: right, stroke: OKABE_ITO.black,
    "stroke-width": 0.8 }) : null;

  const clip = addElement(addElement(svg, "defs"), "clipPath", { id: `${id}-axes-area` });
  addElement(clip, "rect", { x: left, y: top, width: right - left, height: bottom - top });
  const lines = addElement(svg, "g", { class: "lines", fill: "none", "stroke-width": BOOK_STYLE.lineWidth,
    "stroke-linejoin": "round", "clip-path": `url(#${id}-axes-area)` });
  const paths = series.map((style, index) => {
    const colour = style.colour ?? COLOUR_CYCLE[index % COLOUR_CYCLE.length];
    const attributes = { class: "line", stroke: colour, "data-label": style.label };
    if (style.dash) attributes["stroke-dasharray"] = style.dash;
    if (style.markers) {
      const shape = style.markers === "open-square" ? "open-square" : "dot";
      attributes["data-marker"] = shape;
      attributes["marker-start"] = `url(#${id}-dot-${index})`;
      attributes["marker-mid"] = `url(#${id}-dot-${index})`;
      attributes["marker-end"] = `url(#${id}-dot-${index})`;
      const definitions = addElement(svg, "defs");
      if (shape === "dot") {
        const marker = addElement(definitions, "marker", { id: `${id}-dot-${index}`, viewBox: "0 0 4 4", refX: 2,
          refY: 2, markerWidth: 4, markerHeight: 4 });
        addElement(marker, "circle", { cx: 2, cy: 2, r: 1.2, fill: colour, stroke: "none" });
      } else {   // an 8-unit box around a 6-unit square: about 10 px with the book's line width
        const marker = addElement(definitions, "marker", { id: `${id}-dot-${index}`, viewBox: "0 0 8 8", refX: 4,
          refY: 4, markerWidth: 6, markerHeight: 6 });
        addElement(marker, "rect", { x: 1, y: 1, width: 6, height: 6, fill: "none", stroke: colour,
          "stroke-width": 0.9, "stroke-dasharray": "none" });
      }
    }
    return addElement(lines, "path", attributes);
  });
  if (legend) {
    const entries = addElement(svg, "g", { class: "legend", "font-size": BOOK_STYLE.legendSize });
    let x = left;
    series.forEach((style, index) => {
      const colour = style.colour ?? COLOUR_CYCLE[index % COLOUR_CYCLE.length];
      const entry = { x1: x, x2: x + 22, y1: 30, y2: 30, stroke: colour, "stroke-width": BOOK_STYLE.lineWidth };
      if (style.dash) entry["stroke-dasharray"] = style.dash;
      addElement(entries, "line", entry);
      addElement(entries, "text", { x: x + 27, y: 34 }).textContent = style.label;
      x += 40 + 6.5 * style.label.length;
    });
  }

  /** Ticks and grid of the value axis, reusing their elements. */
  function drawYAxis() {
    const ticks = niceTicks(yLimits[0], yLimits[1], MAX_VALUE_TICKS);
    while (yTicks.childNodes.length < 2 * MAX_VALUE_TICKS) {   // made once, then reused
      addElement(yTicks, "line", { stroke: OKABE_ITO.black });
      addElement(yTicks, "text", {});
      addElement(yGrid, "line", {});
    }
    for (let k = 0; k < yTicks.childNodes.length / 2; k += 1) {
      const tick = yTicks.childNodes[2 * k];
      const label = yTicks.childNodes[2 * k + 1];
      const gridLine = yGrid.childNodes[k];
      if (k >= ticks.values.length) {
        for (const element of [tick, label, gridLine]) element.setAttribute("visibility", "hidden");
        continue;
      }
      const y = yScale(ticks.values[k]).toFixed(2);
      for (const element of [tick, label, gridLine]) element.setAttribute("visibility", "visible");
      setAll(tick, { x1: left - 4, x2: left, y1: y, y2: y });
      setAll(gridLine, { x1: left, x2: right, y1: y, y2: y });
      setAll(label, { x: left - 7, y: Number(y) + 4 });
      label.textContent = formatTick(ticks.values[k], ticks.step);
    }
    if (zero) {
      const y = yScale(0).toFixed(2);
      setAll(zero, { y1: y, y2: y, visibility: yLimits[0] < 0 && yLimits[1] > 0 ? "visible" : "hidden" });
    }
    svg.setAttribute("data-y-limits", JSON.stringify(yLimits));
  }
  drawYAxis();

  /**
   * Redraw with new data: the paths' `d` and `data-y`, the value axis if its limits changed,
   * and the alt text.
   *
   * @param {LinePlotData} data
   */
  function update(data) {
    if (data.ys.length !== series.length) {
      throw new RangeError(`ys must hold one array per series (${series.length}); got ${data.ys.length}`);
    }
    if (data.yLimits && (data.yLimits[0] !== yLimits[0] || data.yLimits[1] !== yLimits[1])) {
      yLimits = data.yLimits;
      yScale = linearScale(yLimits, [bottom, top]);
      drawYAxis();
    }
    data.ys.forEach((values, index) => {
      if (values.length !== data.x.length) {
        throw new RangeError(`ys[${index}] has ${values.length} values; expected ${data.x.length} like x`);
      }
      paths[index].setAttribute("d", pathData(data.x, values, xScale, yScale));   // clipped to the axes
      paths[index].setAttribute("data-y", JSON.stringify(values));
    });
    const text = describe(data);
    svg.setAttribute("aria-label", text);
    descElement.textContent = text;
  }

  return { update, paths, svg };
}

/**
 * Set several attributes.
 *
 * @param {Element} element
 * @param {Object<string, string|number>} attributes
 */
function setAll(element, attributes) {
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
}

// ------------------------------------------------------------------------- heat maps

/**
 * The colour of `value` in a colour map over `[low, high]`, as matplotlib picks it
 * (`Colormap.__call__` after `Normalize(low, high)`): entry ⌊(value − low) / (high − low) · 256⌋,
 * the top value in the last entry, values outside the range in the end entries.
 *
 * @param {string} name  A key of `COLOUR_MAPS` (`"cividis"`, `"PuOr"`).
 * @param {number} value
 * @param {[number, number]} limits
 * @returns {string} `"#rrggbb"`.
 * @throws {RangeError} If the colour map is unknown.
 */
export function colourFor(name, value, [low, high]) {
  const table = COLOUR_MAPS[name];
  if (!table) throw new RangeError(`colour map must be one of ${Object.keys(COLOUR_MAPS).join(", ")}; got ${name}`);
  let index = ((value - low) / (high - low)) * table.length;
  if (index === table.length) index = table.length - 1;
  if (index < 0) return table[0];
  if (index >= table.length) return table[table.length - 1];
  return table[Math.trunc(index)];
}

/**
 * Build a heat map of values over time and units in `svg` (like `lstm.plots.plot_gate_heatmaps`
 * for one gate: time across, units up, a colour bar on the right) and return its updater. The
 * cells are made once; `update` changes their `fill` and `data-value`, and the alt text.
 *
 * @param {Element} svg  An empty `<svg>`.
 * @param {Object} options
 * @param {string} options.id  Prefix of the element ids.
 * @param {string} options.title  Title (left-aligned, as the book's heat maps).
 * @param {number} options.steps  Number of time steps (columns).
 * @param {number} options.units  Number of units (rows; unit 1 at the bottom).
 * @param {string} options.colourMap  `"cividis"` (gates, [0, 1]) or `"PuOr"` (signed, [-1, 1]).
 * @param {[number, number]} options.limits  Value range of the colour map.
 * @param {number[]} options.colourBarTicks  E.g. `[0, 0.5, 1]`.
 * @param {(values: number[][]) => string} options.describe  Alt text for the current values.
 * @param {string} [options.xLabel]  Default "time step t".
 * @param {number} [options.width]  ViewBox width (default 480).
 * @param {number} [options.height]  ViewBox height (default 120).
 * @returns {{update: (values: number[][]) => void, cells: Element[][], svg: Element}} `values` and
 *   `cells` are `(steps, units)`, as a trace's gate values.
 */
export function createHeatmap(svg, options) {
  const {
    id, title, steps, units, colourMap, limits, colourBarTicks, describe,
    xLabel = "time step t", width = 480, height = 120,
  } = options;
  const margin = { top: 22, right: 62, bottom: 34, left: 56 };
  const left = margin.left;
  const right = width - margin.right;
  const top = margin.top;
  const bottom = height - margin.bottom;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("font-family", BOOK_STYLE.fontFamily);
  svg.setAttribute("font-size", BOOK_STYLE.fontSize);
  addElement(svg, "title", { id: `${id}-title` }).textContent = title;
  const descElement = addElement(svg, "desc", { id: `${id}-desc` });
  const x = linearScale([0.5, steps + 0.5], [left, right]);
  const y = linearScale([-0.5, units - 0.5], [bottom, top]);
  const cellWidth = (right - left) / steps;
  const cellHeight = (bottom - top) / units;
  const grid = addElement(svg, "g", { class: "cells", "shape-rendering": "crispEdges" });
  const cells = Array.from({ length: steps }, (_, t) => Array.from({ length: units }, (_, unit) =>
    addElement(grid, "rect", {
      x: (x(t + 0.5)).toFixed(2), y: (y(unit + 0.5)).toFixed(2),
      width: cellWidth.toFixed(2), height: cellHeight.toFixed(2),
    })));
  addElement(svg, "text", { class: "plot-title", x: left, y: 15, "font-weight": "bold",
    "font-size": BOOK_STYLE.titleSize }).textContent = title;
  addElement(svg, "text", { class: "x-label", x: (left + right) / 2, y: height - 4, "text-anchor": "middle" })
    .textContent = xLabel;
  addElement(svg, "text", { class: "y-label", x: 0, y: 0, "text-anchor": "middle",
    transform: `translate(14 ${(top + bottom) / 2}) rotate(-90)` }).textContent = "unit";
  const xTicks = addElement(svg, "g", { class: "x-ticks", "font-size": BOOK_STYLE.tickSize, "text-anchor": "middle" });
  const ticks = niceTicks(0.5, steps + 0.5, 8, true);   // time steps: whole numbers
  for (const value of ticks.values) {
    const position = x(value).toFixed(2);
    addElement(xTicks, "line", { x1: position, x2: position, y1: bottom, y2: bottom + 4, stroke: OKABE_ITO.black });
    addElement(xTicks, "text", { x: position, y: bottom + 15 }).textContent = formatTick(value, ticks.step);
  }
  const yTicks = addElement(svg, "g", { class: "y-ticks", "font-size": BOOK_STYLE.tickSize, "text-anchor": "end" });
  for (let unit = 0; unit < units; unit += 1) {
    addElement(yTicks, "text", { x: left - 6, y: (y(unit) + 4).toFixed(2) }).textContent = String(unit + 1);
  }
  // colour bar: 64 bands of the colour map, with ticks
  const bar = addElement(svg, "g", { class: "colour-bar", "shape-rendering": "crispEdges" });
  const barLeft = right + 10;
  const barScale = linearScale(limits, [bottom, top]);
  const bands = 64;
  for (let band = 0; band < bands; band += 1) {
    const value = limits[0] + ((band + 0.5) / bands) * (limits[1] - limits[0]);
    const upper = limits[0] + ((band + 1) / bands) * (limits[1] - limits[0]);
    const lower = limits[0] + (band / bands) * (limits[1] - limits[0]);
    addElement(bar, "rect", { x: barLeft, y: barScale(upper).toFixed(2), width: 10,
      height: (barScale(lower) - barScale(upper)).toFixed(2), fill: colourFor(colourMap, value, limits) });
  }
  for (const value of colourBarTicks) {
    const position = barScale(value).toFixed(2);
    addElement(bar, "line", { x1: barLeft + 10, x2: barLeft + 14, y1: position, y2: position, stroke: OKABE_ITO.black });
    addElement(bar, "text", { x: barLeft + 17, y: Number(position) + 4, "font-size": BOOK_STYLE.tickSize })
      .textContent = formatTick(value, 0.5);
  }

  /**
   * Recolour the cells for new values and rewrite the alt text.
   *
   * @param {number[][]} values  `(steps, units)`.
   */
  function update(values) {
    if (values.length !== steps || values.some((row) => row.length !== units)) {
      throw new RangeError(`values must have shape (${steps}, ${units}) (steps, units)`);
    }
    for (let t = 0; t < steps; t += 1) {
      for (let unit = 0; unit < units; unit += 1) {
        const cell = cells[t][unit];
        cell.setAttribute("fill", colourFor(colourMap, values[t][unit], limits));
        cell.setAttribute("data-value", String(values[t][unit]));
      }
    }
    const text = describe(values);
    svg.setAttribute("aria-label", text);
    descElement.textContent = text;
  }

  return { update, cells, svg };
}
