/**
 * The live demo of chapter 6's sequence explorer: every control recomputes the cell with
 * `web/explorer-math.mjs` and updates the three SVG plots of `web/svg-plot.mjs` in place.
 *
 * For tests and benchmarks the page exposes `window.lstmDemo`: `ready` (a promise), `values()`
 * (the controls' values), `redrawTimes` (milliseconds of every redraw, measured with
 * `performance.now()`: recomputing and updating the SVG attributes).
 *
 * @module demo/sequence-explorer
 */

import {
  GATES, GATE_SUBSCRIPTS, INPUT_PRESETS, SEQUENCE_CONTROL_RANGES, SEQUENCE_DEFAULTS, SEQUENCE_SCENARIOS,
  sequenceExplorer,
} from "../explorer-math.mjs";
import { GATE_COLOURMAP, SIGNED_COLOURMAP } from "../colour-maps.mjs";
import { GATE_COLOURS, createHeatmap, createLinePlot } from "../svg-plot.mjs";

/**
 * Each control's label (HTML, the Python explorer's slider description) and its name in words
 * (for `aria-valuetext`).
 */
const LABELS = {
  preset: ["input", "input"], amplitude: ["amplitude", "amplitude"], onset: ["onset", "onset"],
  period: ["period", "period"], noise: ["noise level", "noise level"], c0: ["c<sub>0</sub>", "c 0"],
  recurrentScale: ["weights on h<sub>t−1</sub> ×", "scale of the weights on h t−1"],
  forgetSelfWeight: ["W<sub>f</sub> on own h<sub>t−1</sub>", "forget-gate weight on the unit's own h t−1"],
  ...Object.fromEntries(GATES.flatMap((gate) => {
    const letter = GATE_SUBSCRIPTS[gate];
    return [
      [`${gate}Bias`, [`b<sub>${letter}</sub> (${gate})`, `${gate} bias`]],
      [`${gate}Scale`, [`W<sub>${letter}</sub> on x<sub>t</sub>`, `${gate} weight on x t`]],
    ];
  })),
};

/** The control groups, as `SequenceExplorer._control_groups`. */
const GROUPS = [
  ["Input sequence", ["preset", "amplitude", "onset", "period", "noise"]],
  ["Memory", ["c0", "recurrentScale", "forgetSelfWeight"]],
  ["Gates: bias and weight on x<sub>t</sub>", GATES.flatMap((gate) => [`${gate}Bias`, `${gate}Scale`])],
];

/** A number with a true minus sign. */
function format(value, digits) {
  return value.toFixed(digits).replace("-", "−");
}

const UNIT_COLOURS = [GATE_COLOURS.input, GATE_COLOURS.forget, GATE_COLOURS.candidate];

/** Heat-map title and trace field of each gate (`lstm.plots.GATE_TITLES`, `GATE_ATTRIBUTES`). */
const GATE_HEATMAPS = {
  forget: ["Forget gate fₜ", "f"], input: ["Input gate iₜ", "i"], candidate: ["Candidate c̃ₜ", "cTilde"],
  output: ["Output gate oₜ", "o"],
};

async function main() {
  const response = await fetch(new URL("sequence-explorer-data.json", import.meta.url));
  const data = await response.json();
  const steps = Array.from({ length: data.steps }, (_, t) => t + 1);
  const form = document.getElementById("controls");
  const inputs = {};

  // ---- controls
  for (const [heading, names] of GROUPS) {
    const fieldset = document.createElement("fieldset");
    fieldset.innerHTML = `<legend>${heading}</legend>`;
    for (const name of names) {
      const label = document.createElement("label");
      label.className = "control";
      label.htmlFor = `control-${name}`;
      const text = document.createElement("span");
      text.innerHTML = LABELS[name][0];
      label.append(text);
      let input;
      if (name === "preset") {
        input = document.createElement("select");
        for (const preset of INPUT_PRESETS) input.add(new Option(preset, preset));
        label.append(input, document.createElement("span"));
      } else {
        const [low, high, step] = SEQUENCE_CONTROL_RANGES[name];
        input = Object.assign(document.createElement("input"), { type: "range", min: low, max: high, step });
        const output = document.createElement("output");
        output.htmlFor = input.id;
        label.append(input, output);
      }
      input.id = `control-${name}`;
      input.name = name;
      inputs[name] = input;
      fieldset.append(label);
    }
    form.append(fieldset);
  }
  const reset = Object.assign(document.createElement("button"), { type: "button", textContent: "Reset" });
  form.append(reset);
  const scenarioMenu = document.getElementById("scenario");
  for (const name of Object.keys(SEQUENCE_SCENARIOS)) scenarioMenu.add(new Option(name, name));

  // ---- plots
  const common = { xLabel: "time step t", xLimits: [0.5, data.steps + 0.5] };
  const inputPlot = createLinePlot(document.getElementById("input-plot"), {
    ...common, id: "input", title: "Input xₜ", yLabel: "xₜ", yLimits: [-3.2, 3.2], height: 170,
    series: [{ label: "xₜ", colour: GATE_COLOURS.hidden, markers: true }],
    describe: () => `Input xₜ over ${data.steps} steps: ${values().preset}, amplitude ${values().amplitude}.`,
  });
  const units = [1, 2, 3].map((unit) => ({ label: `unit ${unit}`, colour: UNIT_COLOURS[unit - 1] }));
  const describeStates = (name, field) => () => {
    const last = current.trace[field][data.steps - 1].map((value) => format(value, 3)).join(", ");
    return `${name} of each of the 3 units over ${data.steps} steps (forget bias ${values().forgetBias}); ` +
      `at t = ${data.steps}: ${last}.`;
  };
  const cellPlot = createLinePlot(document.getElementById("cell-plot"), {
    ...common, id: "cell", title: "Cell state cₜ", yLabel: "cₜ", yLimits: [-1.5, 1.5], series: units,
    describe: describeStates("Cell state cₜ", "c"),
  });
  const hiddenPlot = createLinePlot(document.getElementById("hidden-plot"), {
    ...common, id: "hidden", title: "Hidden state hₜ", yLabel: "hₜ", yLimits: [-1.05, 1.05], series: units,
    describe: describeStates("Hidden state hₜ", "h"),
  });

  const heatmaps = Object.fromEntries(Object.entries(GATE_HEATMAPS).map(([gate, [title, field]]) => {
    const signed = gate === "candidate";
    const heatmap = createHeatmap(document.getElementById(`${gate}-heatmap`), {
      id: `${gate}-heatmap`, title, steps: data.steps, units: data.hiddenSize,
      colourMap: signed ? SIGNED_COLOURMAP : GATE_COLOURMAP, limits: signed ? [-1, 1] : [0, 1],
      colourBarTicks: signed ? [-1, 0, 1] : [0, 0.5, 1],
      describe: (values) => {
        const mean = values.flat().reduce((sum, value) => sum + value, 0) / (data.steps * data.hiddenSize);
        return `Heat map of the ${gate === "candidate" ? "candidate" : `${gate} gate`} over ${data.steps} steps ` +
          `(across) and ${data.hiddenSize} units (up); mean value ${format(mean, 2)}.`;
      },
    });
    return [gate, { heatmap, field }];
  }));

  // ---- wiring
  function values() {
    return Object.fromEntries(Object.entries(inputs).map(([name, input]) =>
      [name, name === "preset" ? input.value : Number(input.value)]));
  }
  const redrawTimes = [];
  let current = null;
  function redraw() {
    const start = performance.now();
    const settings = values();
    current = sequenceExplorer(settings, data);
    const column = (rows, unit) => rows.map((row) => row[unit]);
    inputPlot.update({ x: steps, ys: [column(current.xs, 0)] });
    cellPlot.update({ x: steps, ys: [0, 1, 2].map((unit) => column(current.trace.c, unit)), yLimits: current.cellLimits });
    hiddenPlot.update({ x: steps, ys: [0, 1, 2].map((unit) => column(current.trace.h, unit)) });
    for (const { heatmap, field } of Object.values(heatmaps)) heatmap.update(current.trace[field]);
    for (const [name, input] of Object.entries(inputs)) {
      if (name === "preset") continue;
      const decimals = SEQUENCE_CONTROL_RANGES[name][3] ? 0 : 2;
      input.nextElementSibling.textContent = format(settings[name], decimals);
      input.setAttribute("aria-valuetext", `${LABELS[name][1]} = ${format(settings[name], decimals)}`);
    }
    // a control that does not apply to the chosen input is disabled (no dead control)
    const applies = { onset: ["step", "pulse"].includes(settings.preset), period: settings.preset === "sine" };
    for (const [name, on] of Object.entries(applies)) {
      inputs[name].disabled = !on;
      inputs[name].parentElement.classList.toggle("disabled", !on);
    }
    const elapsed = performance.now() - start;
    redrawTimes.push(elapsed);
    document.getElementById("timing").textContent = `Last redraw: ${elapsed.toFixed(1)} ms.`;
  }
  function setValues(settings) {
    for (const [name, value] of Object.entries(settings)) inputs[name].value = String(value);
    redraw();
  }
  form.addEventListener("input", (event) => {
    if (event.target === scenarioMenu) return;
    redraw();
  });
  scenarioMenu.addEventListener("change", () => {
    const scenario = SEQUENCE_SCENARIOS[scenarioMenu.value];
    document.getElementById("scenario-text").textContent = scenario ? scenario.description : "";
    if (scenario) setValues(scenario.values);
  });
  reset.addEventListener("click", () => {
    scenarioMenu.value = "";
    document.getElementById("scenario-text").textContent = "";
    setValues(SEQUENCE_DEFAULTS);
  });
  setValues(SEQUENCE_DEFAULTS);
  return { values, redrawTimes };
}

const ready = main();
window.lstmDemo = { ready };
ready.then((demo) => Object.assign(window.lstmDemo, demo));
