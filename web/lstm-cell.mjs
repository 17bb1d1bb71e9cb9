/**
 * The LSTM cell in JavaScript, for the book's live explorers on a static page.
 *
 * A port of `lstm/activations.py` and `lstm/cell.py` (`LSTMCell.step`, `run`, `backward`),
 * tested equal to them to 1e-12 by `tests/js/lstm-cell.test.mjs` on fixtures that
 * `tools/make_js_fixtures.py` writes with the Python package.
 *
 * One step, with `[h_{t-1}, x_t]` the previous hidden state followed by the input:
 *
 *     f_t  = σ(W_f [h_{t-1}, x_t] + b_f)          forget gate
 *     c̃_t  = tanh(W_c [h_{t-1}, x_t] + b_c)       candidate memory
 *     i_t  = σ(W_i [h_{t-1}, x_t] + b_i)          input gate
 *     c_t  = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t            cell-state update
 *     o_t  = σ(W_o [h_{t-1}, x_t] + b_o)          output gate
 *     h_t  = o_t ⊙ tanh(c_t)                      hidden state
 *
 * The parameters are an object with the article's names, as `LSTMCell.from_arrays` takes them:
 * `W_f`, `W_i`, `W_c`, `W_o` of shape `(hidden, hidden + input)` and `b_f`, `b_i`, `b_c`, `b_o`
 * of shape `(hidden)`. Arrays are plain nested arrays of numbers. Every value a step computes
 * is returned under the Python name written in camelCase (`hPrev`, `cTilde`, `tanhC`, `zF`).
 *
 * The arithmetic is done in the order NumPy does it in `lstm/cell.py` (for instance `run`
 * adds the input's share and the bias before the recurrent share, `step` does not), so the
 * results agree to the last few bits. Ablations (`LSTMCell(ablate=...)`) are not ported: no
 * explorer uses them.
 *
 * @module lstm-cell
 */

import { checkRunInputs, checkShape, checkStepInputs, formatShape, shapeOf, zeros } from "./checks.mjs";

/** Gate letters in the order of the parameter names (`W_f`, `W_i`, `W_c`, `W_o`). */
export const GATE_LETTERS = Object.freeze(["f", "i", "c", "o"]);

/** Parameter names, as `LSTMCell.PARAMETER_NAMES`. */
export const PARAMETER_NAMES = Object.freeze(["W_f", "W_i", "W_c", "W_o", "b_f", "b_i", "b_c", "b_o"]);

// The order in which the gates' gradients are summed, as the rows of lstm/cell.py's stacked weights.
const STACKED_ORDER = Object.freeze(["f", "i", "o", "c"]);

/** Per-step values of a trace, in the order of the equations (as `LSTMStep`'s fields). */
export const STEP_FIELDS = Object.freeze([
  "x", "hPrev", "cPrev", "hx", "zF", "zI", "zC", "zO", "f", "i", "cTilde", "c", "o", "tanhC", "h",
]);

// ------------------------------------------------------------------------- activations

/**
 * Logistic sigmoid σ(z) = 1 / (1 + e^{-z}), exact and finite for every finite z.
 *
 * Only e^{-|z|}, which lies in (0, 1], is ever computed, as in `lstm/activations.py`:
 * σ(z) = 1 / (1 + e^{-z}) for z ≥ 0 and e^{z} / (1 + e^{z}) for z < 0. For z < -745 the
 * exponential underflows to 0, which is the correctly rounded answer.
 *
 * @param {number} z  A pre-activation.
 * @returns {number} σ(z) in [0, 1].
 */
export function sigmoid(z) {
  const expMinusAbs = Math.exp(-Math.abs(z));
  return (z >= 0 ? 1.0 : expMinusAbs) / (1.0 + expMinusAbs);
}

/**
 * Hyperbolic tangent, values in [-1, 1] (finite for every finite z, like `numpy.tanh`).
 *
 * @param {number} z
 * @returns {number}
 */
export function tanh(z) {
  return Math.tanh(z);
}

/**
 * Derivative of the sigmoid from its output: σ' = s (1 − s).
 *
 * @param {number} s  A value of `sigmoid(z)`.
 * @returns {number}
 */
export function sigmoidDerivativeFromOutput(s) {
  return s * (1.0 - s);
}

/**
 * Derivative of tanh from its output: tanh' = 1 − t².
 *
 * @param {number} t  A value of `tanh(z)`.
 * @returns {number}
 */
export function tanhDerivativeFromOutput(t) {
  return 1.0 - t * t;
}

// ------------------------------------------------------------------------- parameters

/**
 * @typedef {Object} LSTMParameters
 * @property {number[][]} W_f  Forget-gate weights, (hidden, hidden + input).
 * @property {number[][]} W_i  Input-gate weights, (hidden, hidden + input).
 * @property {number[][]} W_c  Candidate weights, (hidden, hidden + input).
 * @property {number[][]} W_o  Output-gate weights, (hidden, hidden + input).
 * @property {number[]} b_f  Forget-gate bias, (hidden).
 * @property {number[]} b_i  Input-gate bias, (hidden).
 * @property {number[]} b_c  Candidate bias, (hidden).
 * @property {number[]} b_o  Output-gate bias, (hidden).
 */

/**
 * Check a parameter object and return its sizes.
 *
 * @param {LSTMParameters} parameters
 * @returns {{hiddenSize: number, inputSize: number}}
 * @throws {TypeError} If `parameters` is not an object or a parameter is not an array of numbers.
 * @throws {RangeError} If a shape does not fit, or the weights have no input columns.
 */
export function lstmSizes(parameters) {
  if (parameters === null || typeof parameters !== "object") {
    throw new TypeError(`parameters must be an object with ${PARAMETER_NAMES.join(", ")}; got ${parameters}`);
  }
  const missing = PARAMETER_NAMES.filter((name) => !(name in parameters));
  if (missing.length) {
    throw new TypeError(`parameters must hold ${PARAMETER_NAMES.join(", ")}; missing ${missing.join(", ")}`);
  }
  const shape = shapeOf(parameters.W_f, "W_f");
  if (shape.length !== 2 || shape[0] === 0 || shape[1] <= shape[0]) {
    throw new RangeError(
      `W_f has shape ${formatShape(shape)}; expected (hidden, hidden + input) with hidden >= 1 and input >= 1`,
    );
  }
  const [hiddenSize, concatenated] = shape;
  for (const letter of GATE_LETTERS) {
    checkShape(parameters[`W_${letter}`], `W_${letter}`, shape, `${formatShape(shape)} like W_f`);
    checkShape(parameters[`b_${letter}`], `b_${letter}`, [hiddenSize],
      `(${hiddenSize},) to match hidden=${hiddenSize}`);
  }
  return { hiddenSize, inputSize: concatenated - hiddenSize };
}

// ------------------------------------------------------------------------- forward pass

/**
 * @typedef {Object} LSTMStep
 * Every value of one step, by the article's names. Each is `(hidden)` for an unbatched step
 * or `(batch, hidden)` for a batched one (`x` has `input` columns, `hx` `hidden + input`).
 * @property {number[]|number[][]} x  The input x_t.
 * @property {number[]|number[][]} hPrev  h_{t-1}.
 * @property {number[]|number[][]} cPrev  c_{t-1}.
 * @property {number[]|number[][]} hx  [h_{t-1}, x_t].
 * @property {number[]|number[][]} zF  Pre-activation of the forget gate.
 * @property {number[]|number[][]} zI  Pre-activation of the input gate.
 * @property {number[]|number[][]} zC  Pre-activation of the candidate.
 * @property {number[]|number[][]} zO  Pre-activation of the output gate.
 * @property {number[]|number[][]} f  Forget gate f_t.
 * @property {number[]|number[][]} i  Input gate i_t.
 * @property {number[]|number[][]} cTilde  Candidate memory c̃_t.
 * @property {number[]|number[][]} c  Cell state c_t.
 * @property {number[]|number[][]} o  Output gate o_t.
 * @property {number[]|number[][]} tanhC  tanh(c_t).
 * @property {number[]|number[][]} h  Hidden state h_t.
 */

/**
 * One step of the cell (`LSTMCell.step`).
 *
 * @param {LSTMParameters} parameters
 * @param {number[]|number[][]} x  x_t, `(input)` or `(batch, input)`.
 * @param {number[]|number[][]} [hPrev]  h_{t-1}, `(hidden)` or `(batch, hidden)`; zeros if omitted.
 * @param {number[]|number[][]} [cPrev]  c_{t-1}, like `hPrev`; zeros if omitted.
 * @returns {LSTMStep}
 * @throws {TypeError|RangeError} On a wrong shape or a value that is not a finite number.
 */
export function step(parameters, x, hPrev, cPrev) {
  const { hiddenSize, inputSize } = lstmSizes(parameters);
  const checked = checkStepInputs(x, { hPrev, cPrev }, inputSize, hiddenSize);
  const [hRows, cRows] = checked.states;
  const rows = checked.x.map((xRow, row) => stepRow(parameters, xRow, hRows[row], cRows[row]));
  const values = {};
  for (const name of STEP_FIELDS) {
    values[name] = checked.batched ? rows.map((row) => row[name]) : rows[0][name];
  }
  return values;
}

/**
 * The equations for one row (no batch axis), on checked inputs.
 *
 * @param {LSTMParameters} p
 * @param {number[]} x  (input)
 * @param {number[]} hPrev  (hidden)
 * @param {number[]} cPrev  (hidden)
 * @returns {Object<string, number[]>} The fields of {@link LSTMStep} for this row.
 */
function stepRow(p, x, hPrev, cPrev) {
  const hx = [...hPrev, ...x];                                   // [h_{t-1}, x_t]
  const zF = affine(p.W_f, hx, p.b_f);                           // W_f [h_{t-1}, x_t] + b_f
  const zC = affine(p.W_c, hx, p.b_c);
  const zI = affine(p.W_i, hx, p.b_i);
  const zO = affine(p.W_o, hx, p.b_o);
  const forgetGate = zF.map(sigmoid);                            // f_t = σ(z_f)
  const cTilde = zC.map(tanh);                                   // c̃_t = tanh(z_c)
  const inputGate = zI.map(sigmoid);                             // i_t = σ(z_i)
  const outputGate = zO.map(sigmoid);                            // o_t = σ(z_o)
  const c = cPrev.map((value, unit) => forgetGate[unit] * value + inputGate[unit] * cTilde[unit]);
  const tanhC = c.map(tanh);
  const h = tanhC.map((value, unit) => outputGate[unit] * value);  // h_t = o_t ⊙ tanh(c_t)
  return {
    x: x.slice(), hPrev: hPrev.slice(), cPrev: cPrev.slice(), hx, zF, zI, zC, zO,
    f: forgetGate, i: inputGate, cTilde, c, o: outputGate, tanhC, h,
  };
}

/**
 * W v + b for a matrix W `(rows, n)`, a vector v `(n)` and a bias b `(rows)`.
 *
 * @param {number[][]} W
 * @param {number[]} v
 * @param {number[]} b
 * @returns {number[]} (rows)
 */
function affine(W, v, b) {
  return W.map((weights, row) => dot(weights, v, 0, v.length) + b[row]);
}

/**
 * Σ_k weights[offset + k] · v[k] for k < length, summed left to right.
 *
 * @param {number[]} weights
 * @param {number[]} v
 * @param {number} offset  First column of `weights` to use.
 * @param {number} length
 * @returns {number}
 */
function dot(weights, v, offset, length) {
  let total = 0;
  for (let k = 0; k < length; k += 1) total += weights[offset + k] * v[k];
  return total;
}

/**
 * @typedef {Object} LSTMTrace
 * Every field of {@link LSTMStep} stacked over time: `(T, hidden)` unbatched or
 * `(T, batch, hidden)` batched. With `lengths`, a row's steps past its length are padding: its
 * `h`, gates, candidate, `tanhC` and pre-activations are 0 there, while `c`, `hPrev` and `cPrev`
 * carry its state unchanged.
 * @property {number[]|number[][]} h0  Initial hidden state.
 * @property {number[]|number[][]} c0  Initial cell state.
 * @property {number[]|number[][]} hLast  Final hidden state (each row after its last real step).
 * @property {number[]|number[][]} cLast  Final cell state.
 * @property {number[]|null} lengths  Length of each row, or null.
 * @property {boolean[][]|null} mask  `(T, batch)`, true where a step is real; null without lengths.
 * @property {boolean} batched  True when `xs` had a batch axis.
 */

/**
 * Run the cell over a whole sequence, keeping every intermediate value (`LSTMCell.run`).
 *
 * @param {LSTMParameters} parameters
 * @param {number[][]|number[][][]} xs  Inputs, time first: `(T, input)` or `(T, batch, input)`.
 * @param {Object} [options]
 * @param {number[]|number[][]} [options.h0]  `(hidden)` or `(batch, hidden)`; zeros if omitted.
 * @param {number[]|number[][]} [options.c0]  Like `h0`.
 * @param {number[]} [options.lengths]  `(batch)`: true length of each row (1 to T), batched only.
 * @returns {LSTMTrace}
 * @throws {TypeError|RangeError} On a wrong shape, a non-finite value, or lengths out of range.
 */
export function run(parameters, xs, { h0, c0, lengths } = {}) {
  const { hiddenSize: H, inputSize: I } = lstmSizes(parameters);
  const checked = checkRunInputs(xs, { h0, c0 }, lengths, I, H);
  const steps = checked.xs.length;
  const batch = checked.xs[0].length;
  const mask = checked.lengths === null ? null
    : Array.from({ length: steps }, (_, t) => checked.lengths.map((length) => t < length));
  const packed = runPacked(parameters, flatten(checked.xs), {
    steps, batch, h0: flatten(checked.states[0]), c0: flatten(checked.states[1]), mask,
  });
  const nest = (values, width) => nestSteps(values, steps, batch, width, checked.batched);
  const nestState = (values) => nestRows(values, batch, H, checked.batched);
  return {
    x: nest(packed.x, I), hPrev: nestHxPart(packed.hx, steps, batch, H, I, 0, H, checked.batched),
    cPrev: nest(packed.cPrev, H), hx: nest(packed.hx, H + I),
    zF: nest(packed.zF, H), zI: nest(packed.zI, H), zC: nest(packed.zC, H), zO: nest(packed.zO, H),
    f: nest(packed.f, H), i: nest(packed.i, H), cTilde: nest(packed.cTilde, H), c: nest(packed.c, H),
    o: nest(packed.o, H), tanhC: nest(packed.tanhC, H), h: nest(packed.h, H),
    h0: nestState(packed.h0), c0: nestState(packed.c0), hLast: nestState(packed.hLast),
    cLast: nestState(packed.cLast), lengths: checked.lengths, mask, batched: checked.batched,
  };
}

/**
 * @typedef {Object} PackedTrace
 * The values of {@link LSTMTrace} as flat Float64Arrays laid out `(T, batch, width)`:
 * `value[(t * batch + row) * width + k]` (width H, or I for `x`, H + I for `hx`); `h0`, `c0`,
 * `hLast`, `cLast` are `(batch, H)`.
 * @property {number} steps
 * @property {number} batch
 * @property {number} hiddenSize
 * @property {number} inputSize
 * @property {boolean[][]|null} mask  `(T, batch)`, true where a step is real, or null.
 */

/**
 * {@link run} on flat arrays, without the checks and without nesting the results: for
 * explorers that run large batches at every slider move (several times faster).
 *
 * @param {LSTMParameters} parameters  Checked with {@link lstmSizes}.
 * @param {Float64Array} x  `(T, batch, input)`, flat.
 * @param {Object} options
 * @param {number} options.steps  T.
 * @param {number} options.batch
 * @param {Float64Array} [options.h0]  `(batch, hidden)`, flat; zeros if omitted.
 * @param {Float64Array} [options.c0]  Like `h0`.
 * @param {boolean[][]|null} [options.mask]  `(T, batch)`, false on padding steps; null: none.
 * @returns {PackedTrace}
 * @throws {RangeError} If an array's length does not fit the sizes.
 */
export function runPacked(parameters, x, { steps, batch, h0, c0, mask = null }) {
  const { hiddenSize: H, inputSize: I } = lstmSizes(parameters);
  const rows = steps * batch;
  if (x.length !== rows * I) throw new RangeError(`x has ${x.length} numbers; expected T·batch·input = ${rows * I}`);
  for (const [name, state] of [["h0", h0], ["c0", c0]]) {
    if (state !== undefined && state.length !== batch * H) {
      throw new RangeError(`${name} has ${state.length} numbers; expected batch·hidden = ${batch * H}`);
    }
  }
  // One flat Float64Array per value: several times faster than nested arrays.
  const W = Object.fromEntries(GATE_LETTERS.map((letter) => [letter, flatten(parameters[`W_${letter}`])]));
  const b = Object.fromEntries(GATE_LETTERS.map((letter) => [letter, flatten(parameters[`b_${letter}`])]));
  const hx = new Float64Array(rows * (H + I));
  const z = Object.fromEntries(GATE_LETTERS.map((letter) => [letter, new Float64Array(rows * H)]));
  const [forgetGate, inputGate, cTilde, outputGate, cPrev, c, tanhC, h] =
    Array.from({ length: 8 }, () => new Float64Array(rows * H));
  const hState = h0 === undefined ? new Float64Array(batch * H) : Float64Array.from(h0);
  const cState = c0 === undefined ? new Float64Array(batch * H) : Float64Array.from(c0);
  const h0Flat = hState.slice();
  const c0Flat = cState.slice();
  for (let t = 0; t < steps; t += 1) {
    for (let row = 0; row < batch; row += 1) {
      const at = (t * batch + row) * H;          // first unit of this step and row
      const xAt = (t * batch + row) * I;
      const state = row * H;
      const real = mask === null || mask[t][row];
      for (let unit = 0; unit < H; unit += 1) {
        hx[(t * batch + row) * (H + I) + unit] = hState[state + unit];   // [h_{t-1}, x_t]
        cPrev[at + unit] = cState[state + unit];
      }
      for (let k = 0; k < I; k += 1) hx[(t * batch + row) * (H + I) + H + k] = x[xAt + k];
      if (!real) {                               // padding: carry the state, output nothing
        for (let unit = 0; unit < H; unit += 1) c[at + unit] = cState[state + unit];
        continue;
      }
      for (const letter of GATE_LETTERS) {
        const weights = W[letter];
        const bias = b[letter];
        const zGate = z[letter];
        for (let unit = 0; unit < H; unit += 1) {
          // As NumPy's run(): z = (W_x x_t + b) + W_h h_{t-1}, in that order.
          const first = unit * (H + I);
          let inputShare = 0;
          for (let k = 0; k < I; k += 1) inputShare += weights[first + H + k] * x[xAt + k];
          let recurrentShare = 0;
          for (let j = 0; j < H; j += 1) recurrentShare += weights[first + j] * hState[state + j];
          zGate[at + unit] = (inputShare + bias[unit]) + recurrentShare;
        }
      }
      for (let unit = 0; unit < H; unit += 1) {
        const k = at + unit;
        forgetGate[k] = sigmoid(z.f[k]);                                  // f_t = σ(z_f)
        inputGate[k] = sigmoid(z.i[k]);                                   // i_t = σ(z_i)
        outputGate[k] = sigmoid(z.o[k]);                                  // o_t = σ(z_o)
        cTilde[k] = tanh(z.c[k]);                                         // c̃_t = tanh(z_c)
        c[k] = forgetGate[k] * cPrev[k] + inputGate[k] * cTilde[k];       // c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
        tanhC[k] = tanh(c[k]);
        h[k] = outputGate[k] * tanhC[k];                                  // h_t = o_t ⊙ tanh(c_t)
        hState[state + unit] = h[k];
        cState[state + unit] = c[k];
      }
    }
  }
  return {
    steps, batch, hiddenSize: H, inputSize: I, mask,
    x: Float64Array.from(x), hx, cPrev, zF: z.f, zI: z.i, zC: z.c, zO: z.o,
    f: forgetGate, i: inputGate, cTilde, c, o: outputGate, tanhC, h,
    h0: h0Flat, c0: c0Flat, hLast: hState, cLast: cState,
  };
}

/**
 * A nested array of numbers (any depth) as one flat Float64Array, in row-major order.
 *
 * @param {number[]|number[][]|number[][][]} nested
 * @returns {Float64Array}
 */
export function flatten(nested) {
  // plain loops: Array.prototype.flat and Float64Array.from are much slower on large arrays
  if (!Array.isArray(nested[0])) {
    const flat = new Float64Array(nested.length);
    for (let k = 0; k < nested.length; k += 1) flat[k] = nested[k];
    return flat;
  }
  const parts = nested.map(flatten);
  const flat = new Float64Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    flat.set(part, offset);
    offset += part.length;
  }
  return flat;
}

/**
 * A flat `(T, batch, width)` buffer as nested arrays: `(T, batch, width)` if batched, else
 * `(T, width)`.
 *
 * @param {Float64Array} values
 * @param {number} steps
 * @param {number} batch
 * @param {number} width
 * @param {boolean} batched
 * @returns {number[][]|number[][][]}
 */
function nestSteps(values, steps, batch, width, batched) {
  return Array.from({ length: steps }, (_, t) => nestRows(values.subarray(t * batch * width, (t + 1) * batch * width),
    batch, width, batched));
}

/**
 * A flat `(batch, width)` buffer as `(batch, width)` nested arrays, or `(width)` if unbatched.
 *
 * @param {Float64Array} values
 * @param {number} batch
 * @param {number} width
 * @param {boolean} batched
 * @returns {number[]|number[][]}
 */
function nestRows(values, batch, width, batched) {
  const rows = new Array(batch);
  for (let row = 0; row < batch; row += 1) {
    const numbers = new Array(width);      // a plain loop: Array.from(typed array) is much slower
    for (let k = 0; k < width; k += 1) numbers[k] = values[row * width + k];
    rows[row] = numbers;
  }
  return batched ? rows : rows[0];
}

/**
 * Columns `[from, to)` of a flat `(T, batch, H + I)` buffer of `[h_{t-1}, x_t]`, nested.
 *
 * @param {Float64Array} hx
 * @param {number} steps
 * @param {number} batch
 * @param {number} H  Hidden size.
 * @param {number} I  Input size.
 * @param {number} from  First column.
 * @param {number} to  One past the last column.
 * @param {boolean} batched
 * @returns {number[][]|number[][][]} `(T, [batch,] to − from)`.
 */
function nestHxPart(hx, steps, batch, H, I, from, to, batched) {
  const part = new Float64Array(steps * batch * (to - from));
  for (let k = 0; k < steps * batch; k += 1) part.set(hx.subarray(k * (H + I) + from, k * (H + I) + to), k * (to - from));
  return nestSteps(part, steps, batch, to - from, batched);
}

// ------------------------------------------------------------------------- backward pass

/**
 * @typedef {Object} LSTMGradients
 * Gradients of a loss, from {@link backward} (as `LSTMGradients`).
 * @property {number[][]} W_f  (hidden, hidden + input), and likewise W_i, W_c, W_o.
 * @property {number[]} b_f  (hidden), and likewise b_i, b_c, b_o.
 * @property {number[][]|number[][][]} dx  Gradient for every input, the shape of `xs`.
 * @property {number[]|number[][]} dh0  Gradient for h0.
 * @property {number[]|number[][]} dc0  Gradient for c0.
 * @property {number[][]|number[][][]} dh  `(T, [batch,] hidden)`: total gradient reaching h_t.
 * @property {number[][]|number[][][]} dc  `(T, [batch,] hidden)`: total gradient reaching c_t.
 */

/**
 * Backpropagation through time for a trace from {@link run} (`LSTMCell.backward`).
 *
 * @param {LSTMParameters} parameters  The parameters the trace was computed with.
 * @param {LSTMTrace} trace
 * @param {number[][]|number[][][]} dh  Gradient of the loss for every output h_t, the shape of
 *   `trace.h` (zeros where the loss does not look).
 * @param {Object} [options]
 * @param {number[]|number[][]} [options.dhLast]  Gradient for the final hidden state, the shape
 *   of `trace.hLast`; zeros if omitted.
 * @param {number[]|number[][]} [options.dcLast]  Gradient for the final cell state.
 * @returns {LSTMGradients}
 * @throws {TypeError|RangeError} If the trace does not fit the parameters or a gradient has the
 *   wrong shape.
 */
export function backward(parameters, trace, dh, { dhLast, dcLast } = {}) {
  const { hiddenSize: H, inputSize: I } = lstmSizes(parameters);
  if (trace === null || typeof trace !== "object" || !Array.isArray(trace.h) || !("batched" in trace)) {
    throw new TypeError("trace must be a trace from run()");
  }
  const steps = trace.h.length;
  const batch = trace.batched ? trace.h[0].length : 1;
  const hShape = trace.batched ? [steps, batch, H] : [steps, H];
  const xSize = shapeOf(trace.x, "trace.x").at(-1);
  const hSize = shapeOf(trace.h, "trace.h").at(-1);
  if (xSize !== I || hSize !== H) {
    throw new RangeError(
      `trace has input size ${xSize} and hidden size ${hSize}; expected ${I} and ${H} to match these parameters`,
    );
  }
  checkShape(dh, "dh", hShape, `${formatShape(hShape)}, the shape of trace.h`);
  const stateShape = trace.batched ? [batch, H] : [H];
  const stateOrZeros = (value, name) => {
    if (value === undefined || value === null) return new Float64Array(batch * H);
    checkShape(value, name, stateShape, `${formatShape(stateShape)}, the shape of trace.hLast`);
    return flatten(value);
  };
  const packed = { steps, batch, hiddenSize: H, inputSize: I, mask: trace.mask };
  for (const name of ["f", "i", "o", "cTilde", "tanhC", "cPrev", "hx"]) packed[name] = flatten(trace[name]);
  const gradients = backwardPacked(parameters, packed, flatten(dh), {
    dhLast: stateOrZeros(dhLast, "dhLast"), dcLast: stateOrZeros(dcLast, "dcLast"),
  });
  return {
    ...Object.fromEntries(PARAMETER_NAMES.map((name) => [name, gradients[name]])),
    dx: nestSteps(gradients.dx, steps, batch, I, trace.batched),
    dh0: nestRows(gradients.dh0, batch, H, trace.batched),
    dc0: nestRows(gradients.dc0, batch, H, trace.batched),
    dh: nestSteps(gradients.dh, steps, batch, H, trace.batched),
    dc: nestSteps(gradients.dc, steps, batch, H, trace.batched),
  };
}

/**
 * {@link backward} on a {@link PackedTrace} from {@link runPacked}, without the checks and
 * without nesting the results.
 *
 * @param {LSTMParameters} parameters
 * @param {PackedTrace} trace  Needs `f`, `i`, `o`, `cTilde`, `tanhC`, `cPrev` (and `hx` for the
 *   parameter gradients).
 * @param {Float64Array} dh  `(T, batch, hidden)`, flat: gradient for every output h_t.
 * @param {Object} [options]
 * @param {Float64Array} [options.dhLast]  `(batch, hidden)`; zeros if omitted.
 * @param {Float64Array} [options.dcLast]  `(batch, hidden)`; zeros if omitted.
 * @param {boolean} [options.parameterGradients]  Default true; false skips the parameter and
 *   input gradients (then `W_f`... and `dx` are null) when only dh and dc are wanted.
 * @param {boolean} [options.inputGradient]  Default true; false skips `dx` (null), which
 *   training does not need (`input_gradient=False` of `backward_through_time`).
 * @returns {{W_f: number[][]|null, b_f: number[]|null, dx: Float64Array|null, dh0: Float64Array,
 *   dc0: Float64Array, dh: Float64Array, dc: Float64Array}} (and likewise W_i, W_c, W_o, b_i, b_c, b_o).
 * @throws {RangeError} If an array's length does not fit the sizes.
 */
export function backwardPacked(parameters, trace, dh, { dhLast, dcLast, parameterGradients = true, inputGradient = true } = {}) {
  const { hiddenSize: H, inputSize: I } = lstmSizes(parameters);
  const { steps, batch, f, i, o, cTilde, tanhC, cPrev, hx } = trace;
  const rows = steps * batch;
  if (dh.length !== rows * H) throw new RangeError(`dh has ${dh.length} numbers; expected T·batch·hidden = ${rows * H}`);
  const dhGiven = dh;
  const dhNext = dhLast === undefined ? new Float64Array(batch * H) : Float64Array.from(dhLast);
  const dcNext = dcLast === undefined ? new Float64Array(batch * H) : Float64Array.from(dcLast);
  const W = { f: flatten(parameters.W_f), i: flatten(parameters.W_i), o: flatten(parameters.W_o), c: flatten(parameters.W_c) };
  const dz = { f: new Float64Array(rows * H), i: new Float64Array(rows * H), o: new Float64Array(rows * H), c: new Float64Array(rows * H) };
  const dhReaching = new Float64Array(rows * H);
  const dcReaching = new Float64Array(rows * H);
  const dhPrev = new Float64Array(batch * H);
  const dcPrevious = new Float64Array(batch * H);
  for (let t = steps - 1; t >= 0; t -= 1) {
    for (let row = 0; row < batch; row += 1) {
      const real = trace.mask === null || trace.mask[t][row] ? 1 : 0;   // 0 for padding
      const at = (t * batch + row) * H;
      const state = row * H;
      for (let unit = 0; unit < H; unit += 1) {
        const k = at + unit;
        const dhNextUnit = dhNext[state + unit];
        // gradient reaching h_t: from its own output and from step t+1 (padding passes it on)
        const dhUnit = (dhGiven[k] + dhNextUnit) * real + dhNextUnit * (1 - real);
        const dhActive = dhUnit * real;
        const dOutputGate = dhActive * tanhC[k];                              // h_t = o_t ⊙ tanh(c_t)
        const dcUnit = dcNext[state + unit] + dhActive * o[k] * tanhDerivativeFromOutput(tanhC[k]);
        const dcActive = dcUnit * real;
        const dForgetGate = dcActive * cPrev[k];                             // c_t = f ⊙ c_{t-1} + i ⊙ c̃
        const dInputGate = dcActive * cTilde[k];
        const dCTilde = dcActive * i[k];
        dz.f[k] = dForgetGate * sigmoidDerivativeFromOutput(f[k]);          // through the squashing
        dz.i[k] = dInputGate * sigmoidDerivativeFromOutput(i[k]);           // functions:
        dz.o[k] = dOutputGate * sigmoidDerivativeFromOutput(o[k]);          // dz = d(activation) · activation'(z)
        dz.c[k] = dCTilde * tanhDerivativeFromOutput(cTilde[k]);
        dhReaching[k] = dhUnit;
        dcReaching[k] = dcUnit;
        dcPrevious[state + unit] = dcActive * f[k] + dcUnit * (1 - real);
      }
      // z = W [h_{t-1}, x_t] + b: the h_{t-1} part of the gradient goes back one step
      for (let column = 0; column < H; column += 1) dhPrev[state + column] = 0;
      for (const letter of STACKED_ORDER) {
        const dzGate = dz[letter];
        const weights = W[letter];
        for (let unit = 0; unit < H; unit += 1) {
          const gradient = dzGate[at + unit];
          const first = unit * (H + I);
          for (let column = 0; column < H; column += 1) dhPrev[state + column] += gradient * weights[first + column];
        }
      }
      for (let column = 0; column < H; column += 1) {
        dhPrev[state + column] += dhReaching[at + column] * (1 - real);
      }
    }
    dhNext.set(dhPrev);
    dcNext.set(dcPrevious);
  }
  const states = { dh0: dhNext, dc0: dcNext, dh: dhReaching, dc: dcReaching };
  if (!parameterGradients) {
    return { ...Object.fromEntries(PARAMETER_NAMES.map((name) => [name, null])), dx: null, ...states };
  }
  // parameter and input gradients, summed over every step and row
  const gradients = {};
  for (const letter of GATE_LETTERS) {
    const dW = new Float64Array(H * (H + I));
    const db = new Float64Array(H);
    const dzGate = dz[letter];
    for (let k = 0; k < rows; k += 1) {
      for (let unit = 0; unit < H; unit += 1) {
        const gradient = dzGate[k * H + unit];
        for (let column = 0; column < H + I; column += 1) dW[unit * (H + I) + column] += gradient * hx[k * (H + I) + column];
        db[unit] += gradient;
      }
    }
    gradients[`W_${letter}`] = nestRows(dW, H, H + I, true);
    gradients[`b_${letter}`] = Array.from(db);
  }
  if (!inputGradient) {
    return { ...Object.fromEntries(PARAMETER_NAMES.map((name) => [name, gradients[name]])), dx: null, ...states };
  }
  const dx = new Float64Array(rows * I);
  for (let k = 0; k < rows; k += 1) {
    for (const letter of STACKED_ORDER) {
      const dzGate = dz[letter];
      const weights = W[letter];
      for (let unit = 0; unit < H; unit += 1) {
        const gradient = dzGate[k * H + unit];
        for (let input = 0; input < I; input += 1) dx[k * I + input] += gradient * weights[unit * (H + I) + H + input];
      }
    }
  }
  return { ...Object.fromEntries(PARAMETER_NAMES.map((name) => [name, gradients[name]])), dx, ...states };
}
