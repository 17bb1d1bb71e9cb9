/**
 * The numbers behind each explorer of `lstm/explorers.py`, computed in the browser.
 *
 * One function per explorer takes the values of its controls (named as in the Python
 * explorer's `controls`, written in camelCase) and returns what its figure shows, computed
 * with the JavaScript cell exactly as the Python explorer computes it with `LSTMCell` /
 * `RNNCell`. Drawing is not done here. Tested equal to the Python explorers by
 * `tests/js/explorer-math.test.mjs`.
 *
 * | function              | Python                          | chapter |
 * |-----------------------|---------------------------------|---------|
 * | {@link memoryExplorer}   | `MemoryExplorer._compute`    | 1       |
 * | {@link diagramExplorer}  | `DiagramExplorer._compute`   | 2       |
 * | {@link stepExplorer}     | `StepExplorer._compute`      | 3-5     |
 * | {@link sequenceExplorer} | `SequenceExplorer._compute`  | 6       |
 *
 * The sequence explorer needs numbers NumPy's random generator makes (two noise sequences
 * and the fixed recurrent weights of `LSTMCell(1, 3, seed=6)`); they are given as data
 * ({@link SequenceExplorerData}), written by Python, rather than re-implementing PCG64.
 *
 * @module explorer-math
 */

import { run, step } from "./lstm-cell.mjs";
import { rnnRun } from "./rnn-cell.mjs";

/** The four parts of the cell that have weights, in the book's order. */
export const GATES = Object.freeze(["forget", "input", "candidate", "output"]);

/** Subscript (parameter letter) of each gate, as `lstm.plots.GATE_SUBSCRIPTS`. */
export const GATE_SUBSCRIPTS = Object.freeze({ forget: "f", input: "i", candidate: "c", output: "o" });

/** Field of a step holding each gate's value, as `lstm.plots.GATE_ATTRIBUTES` (camelCase). */
export const GATE_ATTRIBUTES = Object.freeze({ forget: "f", input: "i", candidate: "cTilde", output: "o" });

/** Field holding each gate's pre-activation. */
export const GATE_PREACTIVATIONS = Object.freeze({ forget: "zF", input: "zI", candidate: "zC", output: "zO" });

/**
 * `(weight on h_{t-1}, weight on x_t, bias)` of each gate in the one-unit explorers
 * (`lstm.explorers.DEFAULT_GATE_PARAMETERS`).
 */
export const DEFAULT_GATE_PARAMETERS = Object.freeze({
  forget: Object.freeze([0.5, 2.0, -1.0]),
  input: Object.freeze([0.0, 1.0, 0.0]),
  candidate: Object.freeze([1.0, -1.5, 0.5]),
  output: Object.freeze([0.0, 1.0, 1.0]),
});

/**
 * The one-input, one-unit cell of the step and diagram explorers
 * (`lstm.explorers.lstm_cell_from_gate_parameters`).
 *
 * @param {Object<string, number[]>} gateParameters  Gate name to `[weightH, weightX, bias]`.
 * @returns {import("./lstm-cell.mjs").LSTMParameters} `W_gate = [[weightH, weightX]]`, `b_gate = [bias]`.
 */
export function lstmParametersFromGateParameters(gateParameters) {
  const parameters = {};
  for (const gate of GATES) {
    const [weightH, weightX, bias] = gateParameters[gate];
    const letter = GATE_SUBSCRIPTS[gate];
    parameters[`W_${letter}`] = [[weightH, weightX]];
    parameters[`b_${letter}`] = [bias];
  }
  return parameters;
}

/**
 * Throw a RangeError unless `value` is a number in `[low, high]` (and whole, if asked).
 *
 * @param {string} name
 * @param {unknown} value
 * @param {number} low
 * @param {number} high
 * @param {boolean} [whole]
 * @returns {number}
 */
function checkControl(name, value, low, high, whole = false) {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`${name} must be a real number; got ${String(value)} (${typeof value})`);
  }
  if (whole && !Number.isInteger(value)) {
    throw new RangeError(`${name} must be a whole number from ${low} to ${high}; got ${value}`);
  }
  if (!(value >= low && value <= high)) throw new RangeError(`${name} must be from ${low} to ${high}; got ${value}`);
  return value;
}

// ----------------------------------------------------------------- chapter 1: memory

/** Fixed parameters of the memory explorer's LSTM (all but `b_f`), as `MemoryExplorer.LSTM_PARAMETERS`. */
export const MEMORY_LSTM_PARAMETERS = Object.freeze({
  W_f: [[0.0, 0.0]], W_i: [[0.0, 0.0]], b_i: [6.0], W_c: [[0.0, 1.0]], b_c: [0.0],
  W_o: [[0.0, 0.0]], b_o: [6.0],
});

/**
 * Fraction of the first step's value still present at the last step (`lstm.plots.memory_kept`).
 *
 * @param {number[]} values  A state over time, `(T)`.
 * @returns {number} `values[T-1] / values[0]`, or 0 if the first value is 0.
 */
export function memoryKept(values) {
  return values[0] === 0 ? 0 : values[values.length - 1] / values[0];
}

/**
 * Chapter 1: a pulse of 1 at t = 1, then silence, through a plain RNN
 * (`h_t = tanh(w h_{t-1} + x_t)`) and an LSTM that keeps `σ(b_f)` of its memory per step.
 *
 * @param {{rnnWeight: number, forgetBias: number, steps: number}} controls
 *   `rnnWeight` in [0, 1], `forgetBias` in [-2, 8], `steps` a whole number in [5, 100].
 * @returns {{xs: number[][], rnnHidden: number[], lstmCell: number[], lstmHidden: number[],
 *   finalForgetGate: number, rnnKept: number, lstmKept: number}} The curves `(T)` and the
 *   numbers of the alt text.
 * @throws {TypeError|RangeError} If a control is out of its slider's range.
 */
export function memoryExplorer({ rnnWeight, forgetBias, steps }) {
  checkControl("rnnWeight", rnnWeight, 0, 1);
  checkControl("forgetBias", forgetBias, -2, 8);
  checkControl("steps", steps, 5, 100, true);
  const xs = Array.from({ length: steps }, (_, t) => [t === 0 ? 1.0 : 0.0]);
  const rnnTrace = rnnRun({ W: [[rnnWeight, 1.0]], b: [0.0] }, xs);
  const lstmTrace = run({ ...structuredClone(MEMORY_LSTM_PARAMETERS), b_f: [forgetBias] }, xs);
  const rnnHidden = rnnTrace.h.map((h) => h[0]);
  const lstmCell = lstmTrace.c.map((c) => c[0]);
  return {
    xs,
    rnnHidden,
    lstmCell,
    lstmHidden: lstmTrace.h.map((h) => h[0]),
    finalForgetGate: lstmTrace.f[steps - 1][0],
    rnnKept: memoryKept(rnnHidden),
    lstmKept: memoryKept(lstmCell),
  };
}

// ----------------------------------------------------------------- chapter 2: diagram

/**
 * Chapter 2: one step of the one-unit cell with {@link DEFAULT_GATE_PARAMETERS}, whose values
 * the diagram writes on its wires.
 *
 * @param {{x: number, hPrev: number, cPrev: number}} controls  Ranges [-3, 3], [-1, 1], [-3, 3].
 * @returns {import("./lstm-cell.mjs").LSTMStep} Unbatched, every field `(1)` (`hx` `(2)`).
 */
export function diagramExplorer({ x, hPrev, cPrev }) {
  checkControl("x", x, -3, 3);
  checkControl("hPrev", hPrev, -1, 1);
  checkControl("cPrev", cPrev, -3, 3);
  return step(lstmParametersFromGateParameters(DEFAULT_GATE_PARAMETERS), [x], [hPrev], [cPrev]);
}

// ----------------------------------------------------------------- chapters 3-5: one gate

/**
 * The six numbers of the cell-step bar chart (`lstm.plots.cell_step_values`):
 * `[c_{t-1}, f_t c_{t-1}, i_t c̃_t, c_t, tanh(c_t), h_t]` of one unit.
 *
 * @param {import("./lstm-cell.mjs").LSTMStep} values  An unbatched step.
 * @param {number} [unit]
 * @returns {number[]} (6)
 */
export function cellStepValues(values, unit = 0) {
  return [
    values.cPrev[unit],
    values.f[unit] * values.cPrev[unit],
    values.i[unit] * values.cTilde[unit],
    values.c[unit],
    values.tanhC[unit],
    values.h[unit],
  ];
}

/**
 * Chapters 3-5: one step of the one-unit cell, with one gate's weights and bias on sliders
 * and the other gates at {@link DEFAULT_GATE_PARAMETERS}.
 *
 * @param {"forget"|"input"|"candidate"|"output"} gate
 * @param {{x: number, hPrev: number, cPrev: number, weightH: number, weightX: number, bias: number}} controls
 *   Ranges: x [-3, 3], hPrev [-1, 1], cPrev [-3, 3], weights and bias [-6, 6].
 * @returns {{step: import("./lstm-cell.mjs").LSTMStep, z: number, gateValue: number, cellStepValues: number[]}}
 *   The step, the gate's pre-activation and value (the point on its activation curve), and the bars.
 * @throws {RangeError} If `gate` is unknown or a control is out of range.
 */
export function stepExplorer(gate, { x, hPrev, cPrev, weightH, weightX, bias }) {
  if (!GATES.includes(gate)) throw new RangeError(`gate must be one of ${GATES.join(", ")}; got ${gate}`);
  checkControl("x", x, -3, 3);
  checkControl("hPrev", hPrev, -1, 1);
  checkControl("cPrev", cPrev, -3, 3);
  for (const [name, value] of Object.entries({ weightH, weightX, bias })) checkControl(name, value, -6, 6);
  const gateParameters = { ...DEFAULT_GATE_PARAMETERS, [gate]: [weightH, weightX, bias] };
  const values = step(lstmParametersFromGateParameters(gateParameters), [x], [hPrev], [cPrev]);
  return {
    step: values,
    z: values[GATE_PREACTIVATIONS[gate]][0],
    gateValue: values[GATE_ATTRIBUTES[gate]][0],
    cellStepValues: cellStepValues(values),
  };
}

// ----------------------------------------------------------------- chapter 6: a sequence

/** Input presets of the sequence explorer (`lstm.explorers.INPUT_PRESETS`). */
export const INPUT_PRESETS = Object.freeze(["step", "pulse", "sine", "noise"]);

/** Starting value of every control of the sequence explorer (`_SEQUENCE_DEFAULTS`, camelCase). */
export const SEQUENCE_DEFAULTS = Object.freeze({
  preset: "pulse", amplitude: 1.0, onset: 5, period: 12, noise: 0.0, c0: 0.0, recurrentScale: 0.5,
  forgetSelfWeight: 0.0, forgetBias: 2.0, forgetScale: 0.0, inputBias: -3.0, inputScale: 6.0, candidateBias: 0.0,
  candidateScale: 2.0, outputBias: 1.0, outputScale: 0.0,
});

/**
 * Range of every numeric control of the sequence explorer: `[min, max, step, whole]`, as its
 * sliders in `SequenceExplorer._make_controls`.
 */
export const SEQUENCE_CONTROL_RANGES = Object.freeze({
  amplitude: [-2, 2, 0.05, false], onset: [1, 40, 1, true], period: [2, 40, 1, true],
  noise: [0, 1, 0.05, false], c0: [-2, 2, 0.05, false], recurrentScale: [0, 2, 0.05, false],
  forgetSelfWeight: [-16, 16, 0.1, false],
  ...Object.fromEntries(GATES.flatMap((gate) => [
    [`${gate}Bias`, [-8, 8, 0.1, false]], [`${gate}Scale`, [-16, 16, 0.1, false]],
  ])),
});

/**
 * @typedef {Object} SequenceExplorerData
 * Fixed numbers of `SequenceExplorer`, written by Python (NumPy's seeded generators).
 * @property {number} steps  T = 40.
 * @property {number} hiddenSize  3.
 * @property {number[]} unitBiasOffsets  `[-1, 0, 1]`, added to the sigmoid gates' biases.
 * @property {number[]} presetNoise  (T): the "noise" preset's sequence.
 * @property {number[]} addedNoise  (T): the sequence the "noise level" control scales.
 * @property {Object<string, number[][]>} recurrent  Gate name to its `(3, 3)` weights on h_{t-1}.
 */

/**
 * Check the sequence explorer's controls (every one present, each in its slider's range).
 *
 * @param {Object} controls
 * @returns {Object} The same controls.
 */
function checkSequenceControls(controls) {
  const missing = Object.keys(SEQUENCE_DEFAULTS).filter((name) => !(name in controls));
  if (missing.length) throw new TypeError(`controls must set every control; missing ${missing.join(", ")}`);
  if (!INPUT_PRESETS.includes(controls.preset)) {
    throw new RangeError(`preset must be one of ${INPUT_PRESETS.join(", ")}; got ${controls.preset}`);
  }
  for (const [name, [low, high, , whole]] of Object.entries(SEQUENCE_CONTROL_RANGES)) {
    checkControl(name, controls[name], low, high, whole);
  }
  return controls;
}

/**
 * The input sequence x_t, t = 1..T, for the controls (`SequenceExplorer.inputs`).
 *
 * @param {Object} controls  Every control of {@link SEQUENCE_DEFAULTS}.
 * @param {SequenceExplorerData} data
 * @returns {number[][]} (T, 1)
 */
export function sequenceInputs(controls, data) {
  const { preset, amplitude, onset, period, noise } = checkSequenceControls(controls);
  return Array.from({ length: data.steps }, (_, index) => {
    const t = index + 1;
    let shape;
    if (preset === "step") shape = t >= onset ? amplitude : 0.0;
    else if (preset === "pulse") shape = t === onset ? amplitude : 0.0;
    else if (preset === "sine") shape = amplitude * Math.sin((2.0 * Math.PI * (t - 1)) / period);
    else shape = amplitude * data.presetNoise[index];
    return [shape + noise * data.addedNoise[index]];
  });
}

/**
 * The three-unit cell for the controls (`SequenceExplorer.build_cell`): for each gate
 * `W = [recurrentScale · recurrent, gateScale]`, `b = gateBias (+ unitBiasOffsets for the
 * sigmoid gates)`.
 *
 * @param {Object} controls
 * @param {SequenceExplorerData} data
 * @returns {import("./lstm-cell.mjs").LSTMParameters}
 */
export function sequenceParameters(controls, data) {
  checkSequenceControls(controls);
  const parameters = {};
  for (const gate of GATES) {
    const letter = GATE_SUBSCRIPTS[gate];
    parameters[`W_${letter}`] = data.recurrent[gate].map((row, unit) => [
      ...row.map((weight, column) => controls.recurrentScale * weight +
        (gate === "forget" && column === unit ? controls.forgetSelfWeight : 0)),
      controls[`${gate}Scale`],
    ]);
    parameters[`b_${letter}`] = data.unitBiasOffsets.map((offset) =>
      (gate === "candidate" ? controls[`${gate}Bias`] : controls[`${gate}Bias`] + offset));
  }
  return parameters;
}

/**
 * Range of the cell-state axis (`SequenceExplorer._cell_limits`): ±(1.15 · max |c|, at least
 * 1.1), rounded up to a multiple of 0.5 so the axis does not jitter.
 *
 * @param {number[][]} c  (T, hidden) cell states.
 * @returns {[number, number]}
 */
export function sequenceCellLimits(c) {
  const largest = Math.max(...c.flat().map(Math.abs));
  const nice = Math.ceil(Math.max(1.1, 1.15 * largest) * 2.0) / 2.0;
  return [-nice, nice];
}

/**
 * Chapter 6: the three-unit cell over the 40-step input (`SequenceExplorer._compute`).
 *
 * @param {Object} controls  Every control of {@link SEQUENCE_DEFAULTS}.
 * @param {SequenceExplorerData} data
 * @returns {{xs: number[][], parameters: Object, trace: import("./lstm-cell.mjs").LSTMTrace,
 *   cellLimits: [number, number], gateMeans: Object<string, number>}} The input `(T, 1)`, the
 *   run from h_0 = 0 and c_0 = c0 in every unit, the cell-state axis range, and each gate's
 *   mean over time and units (the alt text's numbers).
 * @throws {TypeError|RangeError} If a control is missing or out of range.
 */
export function sequenceExplorer(controls, data) {
  const xs = sequenceInputs(controls, data);
  const parameters = sequenceParameters(controls, data);
  const trace = run(parameters, xs, { c0: new Array(data.hiddenSize).fill(controls.c0) });
  const gateMeans = {};
  for (const gate of GATES) {
    const values = trace[GATE_ATTRIBUTES[gate]].flat();
    gateMeans[gate] = values.reduce((sum, value) => sum + value, 0) / values.length;
  }
  return { xs, parameters, trace, cellLimits: sequenceCellLimits(trace.c), gateMeans };
}

/**
 * The teacher scenarios of the sequence explorer (`lstm.explorers.SCENARIOS`): a description
 * and the value of every control.
 */
export const SEQUENCE_SCENARIOS = Object.freeze({
  "remember forever": {
    description: "A pulse at t = 5 opens the input gate (input weight 16, bias -8); the forget gate " +
      "stays at 1 (bias 8). The cell state keeps the pulse to the end of the sequence.",
    values: {
      ...SEQUENCE_DEFAULTS, preset: "pulse", onset: 5, recurrentScale: 0.0, forgetBias: 8.0, forgetScale: 0.0,
      inputBias: -8.0, inputScale: 16.0, candidateBias: 0.0, candidateScale: 2.0, outputBias: 2.0, outputScale: 0.0,
    },
  },
  "overwrite at every step": {
    description: "The forget gate is shut (bias -8) and the input gate wide open (bias 8): the cell " +
      "state is just tanh(2 x_t), a copy of the current input with no memory.",
    values: {
      ...SEQUENCE_DEFAULTS, preset: "sine", period: 12, recurrentScale: 0.0, forgetBias: -8.0, forgetScale: 0.0,
      inputBias: 8.0, inputScale: 0.0, candidateBias: 0.0, candidateScale: 2.0, outputBias: 2.0, outputScale: 0.0,
    },
  },
  "forget on a signal": {
    description: "The cell starts with c_0 = 1 and keeps it (forget bias 6) until the input steps up " +
      "to 1 at t = 20: the forget weight -12 then drives f_t to 0 and the memory is wiped.",
    values: {
      ...SEQUENCE_DEFAULTS, preset: "step", onset: 20, c0: 1.0, recurrentScale: 0.0, forgetBias: 6.0,
      forgetScale: -12.0, inputBias: -8.0, inputScale: 0.0, candidateBias: 0.0, candidateScale: 0.0,
      outputBias: 2.0, outputScale: 0.0,
    },
  },
  "leaky memory": {
    description: "The pulse is written in as in 'remember forever', but the forget bias is 1: each " +
      "step keeps only 50-90 % of the cell state, so the memory fades within a few steps.",
    values: {
      ...SEQUENCE_DEFAULTS, preset: "pulse", onset: 5, recurrentScale: 0.0, forgetBias: 1.0, forgetScale: 0.0,
      inputBias: -6.0, inputScale: 12.0, candidateBias: 0.0, candidateScale: 2.0, outputBias: 2.0, outputScale: 0.0,
    },
  },
  "add up the input": {
    description: "The forget gate stays at 1 and the input gate half open, so from t = 5 the cell " +
      "state grows by about the same amount at every step: it counts how long the input " +
      "has been on.",
    values: {
      ...SEQUENCE_DEFAULTS, preset: "step", onset: 5, amplitude: 0.2, recurrentScale: 0.0, forgetBias: 8.0,
      forgetScale: 0.0, inputBias: 0.0, inputScale: 0.0, candidateBias: 0.0, candidateScale: 1.0,
      outputBias: 2.0, outputScale: 0.0,
    },
  },
  "hold while strong": {
    description: "Recurrence at work: each unit's forget gate reads its own h_{t-1} (weight 16, bias -7.5). The pulse at t = 5 makes h_t large, and a large h_t holds the forget gate open, so the memory keeps itself; once h_t has leaked below about 0.45 the gate shuts within a step or two and the memory is gone. Unit 1 lets go first, unit 3 last. Set 'W_f on own h_{t-1}' to 0 and the pulse is forgotten at once.",
    values: {
      ...SEQUENCE_DEFAULTS, preset: "pulse", onset: 5, recurrentScale: 0.0, forgetSelfWeight: 16.0,
      forgetBias: -7.5, forgetScale: 0.0, inputBias: -8.0, inputScale: 16.0, candidateBias: 0.0,
      candidateScale: 2.0, outputBias: 2.0, outputScale: 0.0,
    },
  },
});
