/**
 * The plain recurrent cell h_t = tanh(W [h_{t-1}, x_t] + b), in JavaScript.
 *
 * A port of `lstm/rnn.py` (`RNNCell.step`, `run`, `backward`) for the explorers that put the
 * plain RNN beside the LSTM (chapter 1's memory explorer, the gradient-flow explorer), tested
 * equal to it by `tests/js/rnn-cell.test.mjs`.
 *
 * Parameters: `{W, b}` with `W` of shape `(hidden, hidden + input)` (hidden columns first) and
 * `b` of shape `(hidden)`, as `RNNCell.from_arrays` takes them.
 *
 * @module rnn-cell
 */

import { checkRunInputs, checkShape, checkStepInputs, formatShape, shapeOf, zeros } from "./checks.mjs";
import { tanh, tanhDerivativeFromOutput } from "./lstm-cell.mjs";

/** Per-step values of a trace (as `RNNStep`'s fields). */
export const RNN_STEP_FIELDS = Object.freeze(["x", "hPrev", "hx", "z", "h"]);

/**
 * @typedef {Object} RNNParameters
 * @property {number[][]} W  (hidden, hidden + input), acting on [h_{t-1}, x_t].
 * @property {number[]} b  (hidden).
 */

/**
 * Check the parameters and return their sizes.
 *
 * @param {RNNParameters} parameters
 * @returns {{hiddenSize: number, inputSize: number}}
 * @throws {TypeError|RangeError}
 */
export function rnnSizes(parameters) {
  if (parameters === null || typeof parameters !== "object" || !("W" in parameters) || !("b" in parameters)) {
    throw new TypeError(`parameters must be an object with W and b; got ${parameters}`);
  }
  const shape = shapeOf(parameters.W, "W");
  if (shape.length !== 2 || shape[0] === 0 || shape[1] <= shape[0]) {
    throw new RangeError(
      `W has shape ${formatShape(shape)}; expected (hidden, hidden + input) with hidden >= 1 and input >= 1`,
    );
  }
  checkShape(parameters.b, "b", [shape[0]], `(${shape[0]},) to match hidden=${shape[0]}`);
  return { hiddenSize: shape[0], inputSize: shape[1] - shape[0] };
}

/**
 * One row of a step: [h_{t-1}, x_t], z = W [h_{t-1}, x_t] + b, h = tanh(z).
 *
 * @param {RNNParameters} p
 * @param {number[]} x  (input)
 * @param {number[]} hPrev  (hidden)
 * @returns {{x: number[], hPrev: number[], hx: number[], z: number[], h: number[]}}
 */
function stepRow(p, x, hPrev) {
  const hx = [...hPrev, ...x];
  const z = p.W.map((weights, unit) => {
    let total = 0;
    for (let k = 0; k < hx.length; k += 1) total += weights[k] * hx[k];
    return total + p.b[unit];
  });
  return { x: x.slice(), hPrev: hPrev.slice(), hx, z, h: z.map(tanh) };
}

/**
 * One step (`RNNCell.step`).
 *
 * @param {RNNParameters} parameters
 * @param {number[]|number[][]} x  `(input)` or `(batch, input)`.
 * @param {number[]|number[][]} [hPrev]  `(hidden)` or `(batch, hidden)`; zeros if omitted.
 * @returns {{x, hPrev, hx, z, h}} Each `(hidden)` or `(batch, hidden)` (`hx`: hidden + input).
 * @throws {TypeError|RangeError}
 */
export function rnnStep(parameters, x, hPrev) {
  const { hiddenSize, inputSize } = rnnSizes(parameters);
  const checked = checkStepInputs(x, { hPrev }, inputSize, hiddenSize);
  const rows = checked.x.map((xRow, row) => stepRow(parameters, xRow, checked.states[0][row]));
  return Object.fromEntries(RNN_STEP_FIELDS.map((name) =>
    [name, checked.batched ? rows.map((values) => values[name]) : rows[0][name]]));
}

/**
 * Run over a sequence (`RNNCell.run`). Past a row's length, `z` and `h` are 0 and `hPrev`
 * carries the state.
 *
 * @param {RNNParameters} parameters
 * @param {number[][]|number[][][]} xs  `(T, input)` or `(T, batch, input)`.
 * @param {Object} [options]
 * @param {number[]|number[][]} [options.h0]  Zeros if omitted.
 * @param {number[]} [options.lengths]  `(batch)`, batched `xs` only.
 * @returns {{x, hPrev, hx, z, h, h0, hLast, lengths: number[]|null, mask: boolean[][]|null, batched: boolean}}
 *   Per-step fields `(T, [batch,] ...)`.
 * @throws {TypeError|RangeError}
 */
export function rnnRun(parameters, xs, { h0, lengths } = {}) {
  const { hiddenSize, inputSize } = rnnSizes(parameters);
  const checked = checkRunInputs(xs, { h0 }, lengths, inputSize, hiddenSize);
  const steps = checked.xs.length;
  const mask = checked.lengths === null ? null
    : Array.from({ length: steps }, (_, t) => checked.lengths.map((length) => t < length));
  const stacked = Object.fromEntries(RNN_STEP_FIELDS.map((name) => [name, []]));
  const h0Rows = checked.states[0].map((row) => row.slice());
  let hState = h0Rows;
  for (let t = 0; t < steps; t += 1) {
    const rows = checked.xs[t].map((x, row) => {
      const values = stepRow(parameters, x, hState[row]);
      if (mask !== null && !mask[t][row]) {
        values.z = new Array(hiddenSize).fill(0);
        values.h = new Array(hiddenSize).fill(0);
      }
      return values;
    });
    hState = rows.map((values, row) => (mask !== null && !mask[t][row] ? hState[row] : values.h));
    for (const name of RNN_STEP_FIELDS) stacked[name].push(rows.map((values) => values[name]));
  }
  const squeeze = (rows) => (checked.batched ? rows : rows[0]);
  const trace = Object.fromEntries(RNN_STEP_FIELDS.map((name) =>
    [name, checked.batched ? stacked[name] : stacked[name].map((rows) => rows[0])]));
  return {
    ...trace, h0: squeeze(h0Rows), hLast: squeeze(hState.map((row) => row.slice())),
    lengths: checked.lengths, mask, batched: checked.batched,
  };
}

/**
 * Backpropagation through time (`RNNCell.backward`).
 *
 * @param {RNNParameters} parameters
 * @param {Object} trace  From {@link rnnRun}.
 * @param {number[][]|number[][][]} dh  Gradient for every output h_t, the shape of `trace.h`.
 * @param {Object} [options]
 * @param {number[]|number[][]} [options.dhLast]  Gradient for the final state.
 * @param {boolean} [options.parameterGradients]  Default true; false skips `W`, `b` and `dx`
 *   (then null), for explorers that only want the gradient reaching each step.
 * @returns {{W: number[][], b: number[], dx, dh0, dh}} `dx` the shape of `xs`, `dh0` of `h0`,
 *   `dh` `(T, [batch,] hidden)`: the total gradient reaching h_t.
 * @throws {TypeError|RangeError}
 */
export function rnnBackward(parameters, trace, dh, { dhLast, parameterGradients = true } = {}) {
  const { hiddenSize: H, inputSize } = rnnSizes(parameters);
  if (trace === null || typeof trace !== "object" || !Array.isArray(trace.h) || !("batched" in trace)) {
    throw new TypeError("trace must be a trace from rnnRun()");
  }
  const steps = trace.h.length;
  const batch = trace.batched ? trace.h[0].length : 1;
  const hShape = trace.batched ? [steps, batch, H] : [steps, H];
  if (shapeOf(trace.x, "trace.x").at(-1) !== inputSize || shapeOf(trace.h, "trace.h").at(-1) !== H) {
    throw new RangeError(
      `trace has input size ${shapeOf(trace.x, "trace.x").at(-1)} and hidden size ` +
        `${shapeOf(trace.h, "trace.h").at(-1)}; expected ${inputSize} and ${H} to match these parameters`,
    );
  }
  checkShape(dh, "dh", hShape, `${formatShape(hShape)}, the shape of trace.h`);
  const withBatch = (value) => (trace.batched ? value : value.map((rows) => [rows]));
  const hx = withBatch(trace.hx);
  const h = withBatch(trace.h);
  const dhRows = withBatch(dh);
  let dhNext;
  if (dhLast === undefined || dhLast === null) dhNext = zeros(batch, H);
  else {
    const stateShape = trace.batched ? [batch, H] : [H];
    checkShape(dhLast, "dhLast", stateShape, `${formatShape(stateShape)}, the shape of trace.hLast`);
    dhNext = trace.batched ? dhLast.map((row) => row.slice()) : [dhLast.slice()];
  }
  const W = parameters.W;
  const dW = zeros(H, H + inputSize);
  const db = new Array(H).fill(0);
  const dx = new Array(steps);
  const dhReaching = new Array(steps);
  for (let t = steps - 1; t >= 0; t -= 1) {
    const dzRows = [];
    const dhTRows = [];
    for (let row = 0; row < batch; row += 1) {
      const real = trace.mask === null || trace.mask[t][row] ? 1 : 0;
      const dhT = dhRows[t][row].map((value, unit) =>
        (value + dhNext[row][unit]) * real + dhNext[row][unit] * (1 - real));
      dzRows.push(dhT.map((value, unit) => value * real * tanhDerivativeFromOutput(h[t][row][unit])));
      dhTRows.push(dhT);
    }
    for (let unit = 0; parameterGradients && unit < H; unit += 1) {   // dW += dz^T [h_{t-1}, x_t]; db += Σ dz
      for (let column = 0; column < H + inputSize; column += 1) {
        let total = 0;
        for (let row = 0; row < batch; row += 1) total += dzRows[row][unit] * hx[t][row][column];
        dW[unit][column] += total;
      }
      let total = 0;
      for (let row = 0; row < batch; row += 1) total += dzRows[row][unit];
      db[unit] += total;
    }
    const dHx = dzRows.map((dz) => Array.from({ length: H + inputSize }, (_, column) => {
      let total = 0;
      for (let unit = 0; unit < H; unit += 1) total += dz[unit] * W[unit][column];
      return total;
    }));
    dx[t] = dHx.map((row) => row.slice(H));
    dhNext = dHx.map((row, index) => {
      const real = trace.mask === null || trace.mask[t][index] ? 1 : 0;
      return row.slice(0, H).map((value, unit) => value + dhTRows[index][unit] * (1 - real));
    });
    dhReaching[t] = dhTRows;
  }
  const squeezeSteps = (value) => (trace.batched ? value : value.map((rows) => rows[0]));
  if (!parameterGradients) {
    return { W: null, b: null, dx: null, dh0: trace.batched ? dhNext : dhNext[0], dh: squeezeSteps(dhReaching) };
  }
  return {
    W: dW, b: db, dx: squeezeSteps(dx),
    dh0: trace.batched ? dhNext : dhNext[0], dh: squeezeSteps(dhReaching),
  };
}
