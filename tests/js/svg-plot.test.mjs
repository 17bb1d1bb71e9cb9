// web/svg-plot.mjs: scales, ticks, path data computed from the data, alt text, in-place updates.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  COLOUR_CYCLE, GATE_COLOURS, OKABE_ITO, colourFor, createHeatmap, createLinePlot, formatTick, linearScale,
  niceTicks, pathData,
} from "../../web/svg-plot.mjs";
import { loadFixture } from "./helpers.mjs";
import { VirtualDocument } from "./virtual-dom.mjs";

describe("scales and ticks", () => {
  test("linearScale maps the domain onto the range (an SVG value axis points down)", () => {
    const y = linearScale([-1, 1], [180, 44]);
    assert.equal(y(-1), 180);
    assert.equal(y(1), 44);
    assert.equal(y(0), 112);
    assert.throws(() => linearScale([2, 2], [0, 1]), { name: "RangeError", message: /two different finite numbers/ });
  });
  test("niceTicks: multiples of 1, 2 or 5 × 10^k inside the limits", () => {
    assert.deepEqual(niceTicks(-1.05, 1.05).values, [-1, -0.5, 0, 0.5, 1]);
    assert.deepEqual(niceTicks(0.5, 40.5, 8).values, [5, 10, 15, 20, 25, 30, 35, 40]);
    assert.deepEqual(niceTicks(-3.2, 3.2).values, [-2, 0, 2]);
    assert.deepEqual(niceTicks(0, 0.3, 4), { values: [0, 0.1, 0.2, 0.3], step: 0.1 });   // no 0.30000000000000004
  });
  test("niceTicks: whole numbers only for time steps (integer), whatever the range", () => {
    assert.deepEqual(niceTicks(0.5, 2.5, 8).values, [0.5, 1, 1.5, 2, 2.5]);   // the default: half steps
    assert.deepEqual(niceTicks(0.5, 2.5, 8, true), { values: [1, 2], step: 1 });
    for (const steps of [2, 3, 4, 7, 10, 23, 40, 61]) {
      for (const low of [0, 0.5, 1]) {
        const { values } = niceTicks(low, steps + 0.5, 8, true);
        assert.ok(values.length >= 1 && values.length <= 8, `${steps} steps: ${values}`);
        assert.ok(values.every(Number.isInteger), `${steps} steps from ${low}: ${values}`);
      }
    }
  });
  test("formatTick: the spacing's decimals and a true minus sign", () => {
    assert.equal(formatTick(-0.5, 0.5), "−0.5");
    assert.equal(formatTick(10, 5), "10");
    assert.equal(formatTick(0.25, 0.05), "0.25");
  });
  test("pathData: one segment per run of values; a gap (null or NaN) breaks the line", () => {
    const identity = (value) => value;
    assert.equal(pathData([1, 2, 3], [4, 5, 6], identity, identity), "M1.00,4.00L2.00,5.00L3.00,6.00");
    assert.equal(pathData([1, 2, 3, 4], [4, null, 6, Number.NaN], identity, identity), "M1.00,4.00M3.00,6.00");
    assert.equal(pathData([1], [null], identity, identity), "");
  });
  test("the book's palette (lstm/style.py)", () => {
    assert.equal(OKABE_ITO.vermillion, "#D55E00");
    assert.equal(GATE_COLOURS.forget, OKABE_ITO.vermillion);
    assert.equal(GATE_COLOURS.cell, OKABE_ITO.orange);
    assert.equal(COLOUR_CYCLE.at(-1), OKABE_ITO.yellow);
  });
});

/** A three-series plot over t = 1..4 in a virtual document. */
function makePlot() {
  const document = new VirtualDocument();
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  const plot = createLinePlot(svg, {
    id: "cell", title: "Cell state c_t", xLabel: "time step t", yLabel: "c_t",
    xLimits: [0.5, 4.5], yLimits: [-1, 1],
    series: [{ label: "unit 1", colour: GATE_COLOURS.input }, { label: "unit 2", colour: GATE_COLOURS.forget },
      { label: "unit 3", dash: "6 3" }],
    describe: (data) => `Cell state of 3 units over ${data.x.length} steps; last values ${data.ys.map((ys) => ys.at(-1)).join(", ")}.`,
  });
  return { document, svg, plot };
}

describe("createLinePlot", () => {
  test("marks: a dot, or a larger open square around it, as matplotlib's 'o' and open 's'", () => {
    const document = new VirtualDocument();
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    const plot = createLinePlot(svg, {
      id: "gates", title: "Gates", xLabel: "time step t", yLabel: "gate value", xLimits: [1, 30], yLimits: [0, 1],
      integerX: true, describe: () => "",
      series: [{ label: "LSTM", markers: "dot" }, { label: "GRU", dash: "7 3", markers: "open-square" },
        { label: "old form", markers: true }, { label: "none" }],
    });
    assert.deepEqual(plot.paths.map((path) => path.getAttribute("data-marker")), ["dot", "open-square", "dot", null]);
    const markers = svg.findAll((element) => element.tagName === "marker");
    assert.deepEqual(markers.map((marker) => marker.childNodes[0].tagName), ["circle", "rect", "circle"]);
    const [dot, square] = markers;
    const size = (marker) => Number(marker.getAttribute("markerWidth")) / Number(marker.getAttribute("viewBox").split(" ")[2]);
    const dotDiameter = 2 * Number(dot.childNodes[0].getAttribute("r")) * size(dot);
    const squareSide = Number(square.childNodes[0].getAttribute("width")) * size(square);
    assert.ok(squareSide > 1.8 * dotDiameter, `square ${squareSide} around dot ${dotDiameter}`);
    assert.equal(square.childNodes[0].getAttribute("fill"), "none");   // open: the dot inside shows
    assert.ok(svg.byClass("x-ticks")[0].findAll((e) => e.tagName === "text").every((e) => /^\d+$/.test(e.textContent)));
  });
  test("an accessible image: role, title, alt text that follows the data", () => {
    const { svg, plot } = makePlot();
    assert.equal(svg.getAttribute("role"), "img");
    assert.equal(svg.findAll((element) => element.tagName === "title")[0].textContent, "Cell state c_t");
    plot.update({ x: [1, 2, 3, 4], ys: [[0, 0.5, 1, 0.5], [0, 0, 0, 0.25], [1, 1, 1, 1]] });
    assert.equal(svg.getAttribute("aria-label"), "Cell state of 3 units over 4 steps; last values 0.5, 0.25, 1.");
    plot.update({ x: [1, 2, 3, 4], ys: [[0, 0, 0, -0.5], [0, 0, 0, 0], [1, 1, 1, 0]] });
    assert.equal(svg.getAttribute("aria-label"), "Cell state of 3 units over 4 steps; last values -0.5, 0, 0.");
    assert.equal(svg.findAll((element) => element.tagName === "desc")[0].textContent, svg.getAttribute("aria-label"));
  });

  test("labelled axes, legend in the series' colours", () => {
    const { svg } = makePlot();
    assert.equal(svg.byClass("x-label")[0].textContent, "time step t");
    assert.equal(svg.byClass("y-label")[0].textContent, "c_t");
    assert.equal(svg.byClass("plot-title")[0].textContent, "Cell state c_t");
    const legend = svg.byClass("legend")[0];
    assert.deepEqual(legend.findAll((e) => e.tagName === "text").map((e) => e.textContent), ["unit 1", "unit 2", "unit 3"]);
    assert.deepEqual(legend.findAll((e) => e.tagName === "line").map((e) => e.getAttribute("stroke")),
      [GATE_COLOURS.input, GATE_COLOURS.forget, COLOUR_CYCLE[2]]);
    assert.deepEqual(svg.byClass("x-ticks")[0].findAll((e) => e.tagName === "text").map((e) => e.textContent),
      ["1", "2", "3", "4"]);
    const shown = (e) => e.tagName === "text" && e.getAttribute("visibility") === "visible";
    assert.deepEqual(svg.byClass("y-ticks")[0].findAll(shown).map((e) => e.textContent),
      ["−1.0", "−0.5", "0.0", "0.5", "1.0"]);
  });

  test("each path's d is computed from the data: viewBox 480 × 220, axes from (56, 44) to (468, 180)", () => {
    const { plot } = makePlot();
    plot.update({ x: [1, 2, 3, 4], ys: [[0, 1, -1, 0.5], [0, 0, 0, 0], [1, null, 1, 1]] });
    // x = 1 -> 56 + 0.5 · 412 / 4 = 107.5; y = 0 -> 112, y = 1 -> 44, y = -1 -> 180, y = 0.5 -> 78
    assert.equal(plot.paths[0].getAttribute("d"), "M107.50,112.00L210.50,44.00L313.50,180.00L416.50,78.00");
    assert.equal(plot.paths[2].getAttribute("d"), "M107.50,44.00M313.50,44.00L416.50,44.00");
    assert.deepEqual(JSON.parse(plot.paths[0].getAttribute("data-y")), [0, 1, -1, 0.5]);
    assert.equal(plot.paths[2].getAttribute("stroke-dasharray"), "6 3");
  });

  test("updates change attributes in place: no new elements, even when the value axis re-ranges", () => {
    const { document, svg, plot } = makePlot();
    const created = document.created;
    const firstPath = plot.paths[0];
    plot.update({ x: [1, 2, 3, 4], ys: [[0, 1, 0, 1], [0, 0, 0, 0], [1, 1, 1, 1]] });
    plot.update({ x: [1, 2, 3, 4], ys: [[0, 3, 0, 1], [0, 0, 0, 0], [1, 1, 1, 1]], yLimits: [-3.5, 3.5] });
    assert.equal(document.created, created);
    assert.equal(plot.paths[0], firstPath);
    assert.deepEqual(JSON.parse(svg.getAttribute("data-y-limits")), [-3.5, 3.5]);
    const labels = svg.byClass("y-ticks")[0].findAll((e) => e.tagName === "text" && e.getAttribute("visibility") === "visible");
    assert.deepEqual(labels.map((e) => e.textContent), ["−3", "−2", "−1", "0", "1", "2", "3"]);
    // y = 3 of [-3.5, 3.5] -> 180 − 6.5 / 7 · 136 = 53.71
    assert.equal(plot.paths[0].getAttribute("d").split("L")[1], "210.50,53.71");
  });

  test("data of the wrong size is refused", () => {
    const { plot } = makePlot();
    assert.throws(() => plot.update({ x: [1, 2], ys: [[0, 1], [0, 1]] }), { name: "RangeError", message: /one array per series \(3\); got 2/ });
    assert.throws(() => plot.update({ x: [1, 2], ys: [[0, 1], [0], [0, 1]] }), { name: "RangeError", message: /ys\[1\] has 1 values; expected 2/ });
  });
});

describe("heat maps", () => {
  const { cases } = loadFixture("colours.json");
  for (const { colourMap, limits, values, colours } of cases) {
    test(`colourFor picks matplotlib's colour (${colourMap} on [${limits}]) for ${values.length} values`, () => {
      assert.deepEqual(values.map((value) => colourFor(colourMap, value, limits)), colours);
    });
  }
  test("an unknown colour map is refused", () => {
    assert.throws(() => colourFor("jet", 0, [0, 1]), { name: "RangeError", message: /colour map must be one of cividis, PuOr; got jet/ });
  });

  test("createHeatmap: one cell per step and unit, recoloured in place, alt text from the values", () => {
    const document = new VirtualDocument();
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    const heatmap = createHeatmap(svg, {
      id: "forget", title: "Forget gate f_t", steps: 4, units: 2, colourMap: "cividis", limits: [0, 1],
      colourBarTicks: [0, 0.5, 1], describe: (values) => `mean ${values.flat().reduce((a, b) => a + b) / 8}`,
    });
    assert.equal(svg.getAttribute("role"), "img");
    const created = document.created;
    heatmap.update([[0, 1], [0.5, 0.5], [1, 0], [0.25, 0.75]]);
    assert.equal(heatmap.cells[0][1].getAttribute("fill"), colourFor("cividis", 1, [0, 1]));
    assert.equal(heatmap.cells[0][1].getAttribute("fill"), "#fee838");
    assert.equal(heatmap.cells[3][0].getAttribute("data-value"), "0.25");
    assert.equal(svg.getAttribute("aria-label"), "mean 0.5");
    heatmap.update([[1, 1], [1, 1], [1, 1], [1, 1]]);
    assert.equal(svg.getAttribute("aria-label"), "mean 1");
    assert.equal(document.created, created);
    // unit 1 is the bottom row: its cells sit below unit 2's
    assert.ok(Number(heatmap.cells[0][0].getAttribute("y")) > Number(heatmap.cells[0][1].getAttribute("y")));
    assert.deepEqual(svg.byClass("colour-bar")[0].findAll((e) => e.tagName === "text").map((e) => e.textContent),
      ["0.0", "0.5", "1.0"]);
    assert.throws(() => heatmap.update([[0, 1]]), { name: "RangeError", message: /values must have shape \(4, 2\)/ });
  });
});
