/**
 * Two variants of the LSTM cell in JavaScript: peephole connections and coupled input–forget
 * gates, for chapter 10's explorer.
 *
 * A port of `lstm/variants.py` (`PeepholeLSTMCell` and `CoupledLSTMCell`: `step`, `run`),
 * tested equal to it to 1e-12 by `tests/js/variants.test.mjs`.
 *
 * Peephole LSTM (Gers & Schmidhuber 2000): the gates also see the cell state through one
 * weight per unit:
 *
 *     f_t = σ(W_f [h_{t-1}, x_t] + p_f ⊙ c_{t-1} + b_f)
 *     i_t = σ(W_i [h_{t-1}, x_t] + p_i ⊙ c_{t-1} + b_i)
 *     o_t = σ(W_o [h_{t-1}, x_t] + p_o ⊙ c_t + b_o)
 *
 * Coupled LSTM (CIFG): no input gate of its own, `i_t = 1 − f_t`, computed as `σ(−z_f)`:
 *
 *     c_t = f_t ⊙ c_{t-1} + (1 − f_t) ⊙ c̃_t
 *
 * Parameters by the article's names: peephole `W_f, W_i, W_c, W_o, b_f, b_i, b_c, b_o, p_f,
 * p_i, p_o`; coupled `W_f, W_c, W_o, b_f, b_c, b_o`. A step's values are named as in
 * `lstm-cell.mjs` (`zF`, `cTilde`, `tanhC`); the coupled cell has no `zI`.
 *
 * @module lstm-variants
 */

import { checkRunInputs, checkShape, checkStepInputs, formatShape, shapeOf } from "./checks.mjs";
import { sigmoid, tanh } from "./lstm-cell.mjs";

/** Parameter names of each variant (`PeepholeLSTMCell.PARAMETER_NAMES`, `CoupledLSTMCell.PARAMETER_NAMES`). */
export const VARIANT_PARAMETER_NAMES = Object.freeze({
  peephole: Object.freeze(["W_f", "W_i", "W_c", "W_o", "b_f", "b_i", "b_c", "b_o", "p_f", "p_i", "p_o"]),
  coupled: Object.freeze(["W_f", "W_c", "W_o", "b_f", "b_c", "b_o"]),
});

/** Per-step values of each variant's trace, in the order of the equations (`LSTMVariantStep`). */
export const VARIANT_STEP_FIELDS = Object.freeze({
  peephole: Object.freeze(["x", "hPrev", "cPrev", "hx", "zF", "zI", "zC", "zO", "f", "i", "cTilde", "c", "o", "tanhC", "h"]),
  coupled: Object.freeze(["x", "hPrev", "cPrev", "hx", "zF", "zC", "zO", "f", "i", "cTilde", "c", "o", "tanhC", "h"]),
});

// Fields that carry their value on padding steps (`_CARRIED` of lstm/variants.py).
const CARRIED = new Set(["x", "hPrev", "cPrev", "hx", "c"]);

function checkKind(kind) {
  if (!(kind in VARIANT_PARAMETER_NAMES)) {
    throw new RangeError(`kind must be one of ${Object.keys(VARIANT_PARAMETER_NAMES).join(", ")}; got ${kind}`);
  }
  return kind;
}

/**
 * Check a variant's parameter object and return its sizes.
 *
 * @param {"peephole"|"coupled"} kind
 * @param {Object} parameters
 * @returns {{hiddenSize: number, inputSize: number}}
 * @throws {TypeError} If `parameters` is not an object holding every parameter of the kind.
 * @throws {RangeError} If `kind` is unknown or a shape does not fit.
 */
export function variantSizes(kind, parameters) {
  const names = VARIANT_PARAMETER_NAMES[checkKind(kind)];
  if (parameters === null || typeof parameters !== "object") {
    throw new TypeError(`parameters must be an object with ${names.join(", ")}; got ${parameters}`);
  }
  const missing = names.filter((name) => !(name in parameters));
  if (missing.length) throw new TypeError(`parameters must hold ${names.join(", ")}; missing ${missing.join(", ")}`);
  const shape = shapeOf(parameters.W_f, "W_f");
  if (shape.length !== 2 || shape[0] === 0 || shape[1] <= shape[0]) {
    throw new RangeError(
      `W_f has shape ${formatShape(shape)}; expected (hidden, hidden + input) with hidden >= 1 and input >= 1`,
    );
  }
  const [hiddenSize, concatenated] = shape;
  for (const name of names) {
    if (name.startsWith("W")) checkShape(parameters[name], name, shape, `${formatShape(shape)} like W_f`);
    else checkShape(parameters[name], name, [hiddenSize], `(${hiddenSize},) to match hidden=${hiddenSize}`);
  }
  return { hiddenSize, inputSize: concatenated - hiddenSize };
}

/** W v + b, each row summed left to right. */
function affine(W, v, b) {
  return W.map((weights, row) => {
    let total = 0;
    for (let k = 0; k < v.length; k += 1) total += weights[k] * v[k];
    return total + b[row];
  });
}

/**
 * The equations for one row, on checked inputs (`_LSTMVariant._step`).
 *
 * @param {"peephole"|"coupled"} kind
 * @param {Object} p
 * @param {number[]} x
 * @param {number[]} hPrev
 * @param {number[]} cPrev
 * @returns {Object<string, number[]>}
 */
function stepRow(kind, p, x, hPrev, cPrev) {
  const peepholes = kind === "peephole";
  const hx = [...hPrev, ...x];                                           // [h_{t-1}, x_t]
  let zF = affine(p.W_f, hx, p.b_f);
  if (peepholes) zF = zF.map((value, unit) => value + p.p_f[unit] * cPrev[unit]);   // f sees c_{t-1}
  const f = zF.map(sigmoid);
  let zI = null;
  let i;
  if (kind === "coupled") {
    i = zF.map((value) => sigmoid(-value));                              // i_t = 1 − f_t, without rounding
  } else {
    zI = affine(p.W_i, hx, p.b_i).map((value, unit) => value + p.p_i[unit] * cPrev[unit]);  // i sees c_{t-1}
    i = zI.map(sigmoid);
  }
  const zC = affine(p.W_c, hx, p.b_c);
  const cTilde = zC.map(tanh);
  const c = cPrev.map((value, unit) => f[unit] * value + i[unit] * cTilde[unit]);  // c_t = f ⊙ c_{t-1} + i ⊙ c̃
  let zO = affine(p.W_o, hx, p.b_o);
  if (peepholes) zO = zO.map((value, unit) => value + p.p_o[unit] * c[unit]);      // o sees c_t
  const o = zO.map(sigmoid);
  const tanhC = c.map(tanh);
  const h = tanhC.map((value, unit) => o[unit] * value);                // h_t = o_t ⊙ tanh(c_t)
  const values = { x: x.slice(), hPrev: hPrev.slice(), cPrev: cPrev.slice(), hx, zF, zI, zC, zO, f, i, cTilde, c, o,
    tanhC, h };
  if (zI === null) delete values.zI;
  return values;
}

/**
 * One step of a variant cell (`PeepholeLSTMCell.step`, `CoupledLSTMCell.step`).
 *
 * @param {"peephole"|"coupled"} kind
 * @param {Object} parameters
 * @param {number[]|number[][]} x  `(input)` or `(batch, input)`.
 * @param {number[]|number[][]} [hPrev]  Zeros if omitted.
 * @param {number[]|number[][]} [cPrev]  Zeros if omitted.
 * @returns {Object<string, number[]|number[][]>} The fields of {@link VARIANT_STEP_FIELDS}`[kind]`.
 * @throws {TypeError|RangeError}
 */
export function variantStep(kind, parameters, x, hPrev, cPrev) {
  const { hiddenSize, inputSize } = variantSizes(kind, parameters);
  const checked = checkStepInputs(x, { hPrev, cPrev }, inputSize, hiddenSize);
  const [hRows, cRows] = checked.states;
  const rows = checked.x.map((xRow, row) => stepRow(kind, parameters, xRow, hRows[row], cRows[row]));
  return Object.fromEntries(VARIANT_STEP_FIELDS[kind].map((name) =>
    [name, checked.batched ? rows.map((values) => values[name]) : rows[0][name]]));
}

/**
 * Run a variant cell over a sequence (`run` of `lstm/variants.py`). Past a row's length its
 * outputs, gates, candidate and pre-activations are 0 while `c`, `hPrev` and `cPrev` carry its state.
 *
 * @param {"peephole"|"coupled"} kind
 * @param {Object} parameters
 * @param {number[][]|number[][][]} xs  `(T, input)` or `(T, batch, input)`.
 * @param {Object} [options]
 * @param {number[]|number[][]} [options.h0]
 * @param {number[]|number[][]} [options.c0]
 * @param {number[]} [options.lengths]  `(batch)`, batched `xs` only.
 * @returns {Object} Per-step fields, `h0`, `c0`, `hLast`, `cLast`, `lengths`, `mask`, `batched`.
 * @throws {TypeError|RangeError}
 */
export function variantRun(kind, parameters, xs, { h0, c0, lengths } = {}) {
  const { hiddenSize, inputSize } = variantSizes(kind, parameters);
  const checked = checkRunInputs(xs, { h0, c0 }, lengths, inputSize, hiddenSize);
  const fields = VARIANT_STEP_FIELDS[kind];
  const steps = checked.xs.length;
  const mask = checked.lengths === null ? null
    : Array.from({ length: steps }, (_, t) => checked.lengths.map((length) => t < length));
  const stacked = Object.fromEntries(fields.map((name) => [name, []]));
  const h0Rows = checked.states[0].map((row) => row.slice());
  const c0Rows = checked.states[1].map((row) => row.slice());
  let hState = h0Rows;
  let cState = c0Rows;
  for (let t = 0; t < steps; t += 1) {
    const rows = checked.xs[t].map((x, row) => {
      const values = stepRow(kind, parameters, x, hState[row], cState[row]);
      if (mask !== null && !mask[t][row]) {                  // padding: keep the state, output nothing
        values.c = cState[row].slice();
        for (const name of fields) if (!CARRIED.has(name)) values[name] = new Array(hiddenSize).fill(0);
      }
      return values;
    });
    hState = rows.map((values, row) => (mask !== null && !mask[t][row] ? hState[row] : values.h));
    cState = rows.map((values) => values.c);
    for (const name of fields) stacked[name].push(rows.map((values) => values[name]));
  }
  const squeeze = (rows) => (checked.batched ? rows : rows[0]);
  const trace = Object.fromEntries(fields.map((name) =>
    [name, checked.batched ? stacked[name] : stacked[name].map((rows) => rows[0])]));
  return {
    ...trace, h0: squeeze(h0Rows), c0: squeeze(c0Rows), hLast: squeeze(hState.map((row) => row.slice())),
    cLast: squeeze(cState.map((row) => row.slice())), lengths: checked.lengths, mask, batched: checked.batched,
  };
}
