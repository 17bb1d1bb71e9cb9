/**
 * The gated recurrent unit (GRU) in JavaScript, in PyTorch's form, for chapter 10's explorer.
 *
 * A port of `lstm/gru.py` (`GRUCell.step` and `run`), tested equal to it to 1e-12 by
 * `tests/js/variants.test.mjs` on fixtures that `tools/make_js_fixtures.py` writes.
 *
 * One step, with `[h_{t-1}, x_t]` the previous hidden state followed by the input:
 *
 *     r_t = σ(W_r [h_{t-1}, x_t] + b_r)                             reset gate
 *     z_t = σ(W_z [h_{t-1}, x_t] + b_z)                             update gate
 *     n_t = tanh(W_n^x x_t + b_n + r_t ⊙ (W_n^h h_{t-1} + b_hn))     candidate
 *     h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}                         new hidden state
 *
 * The reset gate acts inside, on `W_n^h h_{t-1} + b_hn` (PyTorch, cuDNN), not on `h_{t-1}`
 * before the product (Cho et al. 2014). `W_n^h` is the first `hidden` columns of `W_n`, `W_n^x`
 * the rest.
 *
 * Parameters: `{W_r, W_z, W_n, b_r, b_z, b_n, b_hn}`, weights `(hidden, hidden + input)` and
 * biases `(hidden)`, as `GRUCell.from_arrays` takes them. Every value a step computes is
 * returned under the Python name in camelCase (`hPrev`, `zR`, `zZ`, `nX`, `nH`, `zN`).
 *
 * The arithmetic follows NumPy's order in `lstm/gru.py`: `step` sums `W [h_{t-1}, x_t]` then
 * adds the bias; `run` adds the input's share and the bias first, then the recurrent share.
 *
 * @module gru-cell
 */

import { checkRunInputs, checkShape, checkStepInputs, formatShape, shapeOf } from "./checks.mjs";
import { sigmoid, tanh } from "./lstm-cell.mjs";

/** Parameter names, as `GRUCell.PARAMETER_NAMES`. */
export const GRU_PARAMETER_NAMES = Object.freeze(["W_r", "W_z", "W_n", "b_r", "b_z", "b_n", "b_hn"]);

/** Per-step values of a trace, in the order of the equations (as `GRUStep`'s fields). */
export const GRU_STEP_FIELDS = Object.freeze(["x", "hPrev", "hx", "zR", "zZ", "nX", "nH", "zN", "r", "z", "n", "h"]);

// Fields that carry their value on padding steps (the others are 0 there).
const CARRIED = new Set(["x", "hPrev", "hx"]);

/**
 * Check a GRU parameter object and return its sizes.
 *
 * @param {Object} parameters  `W_r`, `W_z`, `W_n` `(hidden, hidden + input)`; `b_r`, `b_z`, `b_n`, `b_hn` `(hidden)`.
 * @returns {{hiddenSize: number, inputSize: number}}
 * @throws {TypeError} If `parameters` is not an object holding every parameter.
 * @throws {RangeError} If a shape does not fit, or the weights have no input columns.
 */
export function gruSizes(parameters) {
  if (parameters === null || typeof parameters !== "object") {
    throw new TypeError(`parameters must be an object with ${GRU_PARAMETER_NAMES.join(", ")}; got ${parameters}`);
  }
  const missing = GRU_PARAMETER_NAMES.filter((name) => !(name in parameters));
  if (missing.length) {
    throw new TypeError(`parameters must hold ${GRU_PARAMETER_NAMES.join(", ")}; missing ${missing.join(", ")}`);
  }
  const shape = shapeOf(parameters.W_r, "W_r");
  if (shape.length !== 2 || shape[0] === 0 || shape[1] <= shape[0]) {
    throw new RangeError(
      `W_r has shape ${formatShape(shape)}; expected (hidden, hidden + input) with hidden >= 1 and input >= 1`,
    );
  }
  const [hiddenSize, concatenated] = shape;
  for (const name of GRU_PARAMETER_NAMES) {
    if (name.startsWith("W")) checkShape(parameters[name], name, shape, `${formatShape(shape)} like W_r`);
    else checkShape(parameters[name], name, [hiddenSize], `(${hiddenSize},) to match hidden=${hiddenSize}`);
  }
  return { hiddenSize, inputSize: concatenated - hiddenSize };
}

/** Σ_k weights[offset + k] · v[k] for k < length, left to right. */
function dot(weights, v, offset, length) {
  let total = 0;
  for (let k = 0; k < length; k += 1) total += weights[offset + k] * v[k];
  return total;
}

/**
 * The equations for one row on checked inputs. `fromRun`: sum in `run`'s order.
 *
 * @param {Object} p  The parameters.
 * @param {number[]} x  (input)
 * @param {number[]} hPrev  (hidden)
 * @param {boolean} fromRun
 * @returns {Object<string, number[]>} The fields of a step for this row.
 */
function stepRow(p, x, hPrev, fromRun) {
  const H = hPrev.length;
  const I = x.length;
  const hx = [...hPrev, ...x];                                          // [h_{t-1}, x_t]
  const gate = (W, b, unit) => (fromRun
    ? (dot(W[unit], x, H, I) + b[unit]) + dot(W[unit], hPrev, 0, H)    // (W^x x + b) + W^h h
    : dot(W[unit], hx, 0, H + I) + b[unit]);                            // W [h, x] + b
  const zR = hPrev.map((_, unit) => gate(p.W_r, p.b_r, unit));
  const zZ = hPrev.map((_, unit) => gate(p.W_z, p.b_z, unit));
  const nX = hPrev.map((_, unit) => dot(p.W_n[unit], x, H, I) + p.b_n[unit]);       // W_n^x x_t + b_n
  const nH = hPrev.map((_, unit) => dot(p.W_n[unit], hPrev, 0, H) + p.b_hn[unit]);  // W_n^h h_{t-1} + b_hn
  const r = zR.map(sigmoid);                                            // r_t = σ(z_r)
  const z = zZ.map(sigmoid);                                            // z_t = σ(z_z)
  const zN = nX.map((value, unit) => value + r[unit] * nH[unit]);       // the reset acts on n_h
  const n = zN.map(tanh);                                               // n_t = tanh(z_n)
  const h = n.map((value, unit) => (1.0 - z[unit]) * value + z[unit] * hPrev[unit]);
  return { x: x.slice(), hPrev: hPrev.slice(), hx, zR, zZ, nX, nH, zN, r, z, n, h };
}

/**
 * One step of the GRU (`GRUCell.step`).
 *
 * @param {Object} parameters
 * @param {number[]|number[][]} x  x_t, `(input)` or `(batch, input)`.
 * @param {number[]|number[][]} [hPrev]  h_{t-1}, `(hidden)` or `(batch, hidden)`; zeros if omitted.
 * @returns {Object<string, number[]|number[][]>} Every field of {@link GRU_STEP_FIELDS}.
 * @throws {TypeError|RangeError} On a wrong shape or a value that is not a finite number.
 */
export function gruStep(parameters, x, hPrev) {
  const { hiddenSize, inputSize } = gruSizes(parameters);
  const checked = checkStepInputs(x, { hPrev }, inputSize, hiddenSize);
  const rows = checked.x.map((xRow, row) => stepRow(parameters, xRow, checked.states[0][row], false));
  return Object.fromEntries(GRU_STEP_FIELDS.map((name) =>
    [name, checked.batched ? rows.map((values) => values[name]) : rows[0][name]]));
}

/**
 * Run the GRU over a sequence, keeping every intermediate value (`GRUCell.run`). Past a row's
 * length its gates, candidate, pre-activations and `h` are 0 and `hPrev` carries its state.
 *
 * @param {Object} parameters
 * @param {number[][]|number[][][]} xs  `(T, input)` or `(T, batch, input)`.
 * @param {Object} [options]
 * @param {number[]|number[][]} [options.h0]  Zeros if omitted.
 * @param {number[]} [options.lengths]  `(batch)`, batched `xs` only.
 * @returns {Object} The per-step fields `(T, [batch,] ...)`, `h0`, `hLast`, `lengths`, `mask`, `batched`.
 * @throws {TypeError|RangeError} On a wrong shape, a non-finite value, or lengths out of range.
 */
export function gruRun(parameters, xs, { h0, lengths } = {}) {
  const { hiddenSize, inputSize } = gruSizes(parameters);
  const checked = checkRunInputs(xs, { h0 }, lengths, inputSize, hiddenSize);
  const steps = checked.xs.length;
  const mask = checked.lengths === null ? null
    : Array.from({ length: steps }, (_, t) => checked.lengths.map((length) => t < length));
  const stacked = Object.fromEntries(GRU_STEP_FIELDS.map((name) => [name, []]));
  const h0Rows = checked.states[0].map((row) => row.slice());
  let hState = h0Rows;
  for (let t = 0; t < steps; t += 1) {
    const rows = checked.xs[t].map((x, row) => {
      const values = stepRow(parameters, x, hState[row], true);
      if (mask !== null && !mask[t][row]) {                 // padding: output nothing
        for (const name of GRU_STEP_FIELDS) {
          if (!CARRIED.has(name)) values[name] = new Array(hiddenSize).fill(0);
        }
      }
      return values;
    });
    hState = rows.map((values, row) => (mask !== null && !mask[t][row] ? hState[row] : values.h));
    for (const name of GRU_STEP_FIELDS) stacked[name].push(rows.map((values) => values[name]));
  }
  const squeeze = (rows) => (checked.batched ? rows : rows[0]);
  const trace = Object.fromEntries(GRU_STEP_FIELDS.map((name) =>
    [name, checked.batched ? stacked[name] : stacked[name].map((rows) => rows[0])]));
  return {
    ...trace, h0: squeeze(h0Rows), hLast: squeeze(hState.map((row) => row.slice())),
    lengths: checked.lengths, mask, batched: checked.batched,
  };
}
