/**
 * How much of the loss gradient reaches each earlier step, at initialisation: the numbers of
 * `GradientFlowExplorer` (`lstm/explorers/gradient_flow.py`; `gradient_flow` of `lstm/gradient_flow.py`), in the browser.
 *
 * A plain RNN and an LSTM (16 units, the same seed) read a batch of 16 delayed-recall
 * sequences of 61 steps; a linear read-out of the last hidden state gives class scores and the
 * loss is their softmax cross-entropy. Backpropagation through time gives the gradient reaching
 * every step; we keep its norm over units, averaged over the batch, relative to the last step.
 * The two controls change the LSTM's forget-gate bias and scale both cells' recurrent weights.
 *
 * The sequences and the initial weights come from NumPy's seeded generators; they are given
 * as data ({@link GradientFlowSetup}) written by Python. Tested equal to `gradient_flow` by
 * `tests/js/gradient-flow.test.mjs`.
 *
 * @module gradient-flow
 */

import { flatten, lstmSizes, sigmoid, sigmoidDerivativeFromOutput, tanhDerivativeFromOutput } from "./lstm-cell.mjs";
import { rnnSizes } from "./rnn-cell.mjs";

/**
 * @typedef {Object} GradientFlowSetup
 * @property {number[][][]} xs  (T, N, input) delayed-recall inputs.
 * @property {number[]} labels  (N) the class to recall for each sequence.
 * @property {import("./rnn-cell.mjs").RNNParameters} rnn  `RNNCell(input, H, seed)` before scaling.
 * @property {import("./lstm-cell.mjs").LSTMParameters} lstm  `LSTMCell(input, H, seed)` before
 *   scaling (its `b_f` is replaced by the forget bias).
 * @property {{W: number[][], b: number[]}} readout  The read-out of both models, W `(classes, H)`.
 */

/**
 * Softmax of one row of class scores, without overflow (the largest score is subtracted first).
 *
 * @param {number[]} logits  (classes)
 * @returns {number[]} Probabilities (classes), summing to 1.
 */
export function softmax(logits) {
  const largest = Math.max(...logits);
  const exponentials = logits.map((value) => Math.exp(value - largest));
  const total = exponentials.reduce((sum, value) => sum + value, 0);
  return exponentials.map((value) => value / total);
}

/**
 * Gradient of the mean softmax cross-entropy for a batch (`lstm.training.softmax_cross_entropy`):
 * `(softmax(z) − onehot(label)) / N` per row.
 *
 * @param {number[][]} logits  (N, classes)
 * @param {number[]} labels  (N)
 * @returns {number[][]} (N, classes)
 */
export function softmaxCrossEntropyGradient(logits, labels) {
  const weight = 1 / logits.length;
  return logits.map((row, index) => softmax(row).map((p, k) => (k === labels[index] ? p - 1.0 : p) * weight));
}

/**
 * Norm of each row, averaged over the batch, reversed to distance order and divided by the
 * value at distance 0 (`advantages._relative_norms`).
 *
 * @param {number[][][]} perStep  (T, N, H) gradients reaching each step.
 * @returns {number[]} (T): entry d is the relative norm d steps before the end.
 */
export function relativeNorms(perStep) {
  const norms = perStep.map((rows) =>
    rows.reduce((sum, row) => sum + Math.sqrt(row.reduce((total, value) => total + value * value, 0)), 0) / rows.length);
  norms.reverse();
  return norms.map((value) => value / norms[0]);
}

/**
 * {@link relativeNorms} of a flat `(T, N, H)` array.
 *
 * @param {Float64Array} perStep
 * @param {number} steps
 * @param {number} batch
 * @param {number} hidden
 * @returns {number[]} (T)
 */
export function relativeNormsPacked(perStep, steps, batch, hidden) {
  const norms = [];
  for (let t = 0; t < steps; t += 1) {
    let total = 0;
    for (let row = 0; row < batch; row += 1) {
      let squares = 0;
      for (let unit = 0; unit < hidden; unit += 1) {
        const value = perStep[(t * batch + row) * hidden + unit];
        squares += value * value;
      }
      total += Math.sqrt(squares);
    }
    norms.push(total / batch);
  }
  norms.reverse();
  return norms.map((value) => value / norms[0]);
}

/**
 * The gradient reaching the last hidden state: read-out, softmax cross-entropy, read-out back.
 *
 * @param {Float64Array} hLast  (N, H), flat.
 * @param {{W: number[][], b: number[]}} readout
 * @param {number[]} labels  (N)
 * @returns {Float64Array} (N, H), flat.
 */
function lastStepGradient(hLast, readout, labels) {
  const batch = labels.length;
  const H = hLast.length / batch;
  const logits = Array.from({ length: batch }, (_, row) => readout.W.map((weights, k) => {
    let total = 0;
    for (let unit = 0; unit < H; unit += 1) total += hLast[row * H + unit] * weights[unit];
    return total + readout.b[k];
  }));
  const dlogits = softmaxCrossEntropyGradient(logits, labels);
  const gradient = new Float64Array(batch * H);
  for (let row = 0; row < batch; row += 1) {
    for (let unit = 0; unit < H; unit += 1) {
      let total = 0;
      for (let k = 0; k < dlogits[row].length; k += 1) total += dlogits[row][k] * readout.W[k][unit];
      gradient[row * H + unit] = total;
    }
  }
  return gradient;
}

/**
 * The setup as flat arrays, made once per setup object ({@link prepare}), with the buffers
 * every call reuses. The LSTM's input shares `W_x x_t`, which neither slider changes, are
 * computed here once.
 *
 * @typedef {Object} PreparedSetup
 * @property {number} steps  T.
 * @property {number} batch  N.
 * @property {number} hidden  H.
 * @property {number} inputs  Input size I.
 * @property {Float64Array} hx  (T, N, H + I): `[h_{t-1}, x_t]` of the plain RNN; the x part
 *   filled here, the h part by each call.
 * @property {Float64Array} rnnW  (H, H + I), unscaled.
 * @property {Float64Array} rnnBias  (H)
 * @property {Float64Array} lstmW  (4H, H + I): the gates' weights stacked in {@link GATE_ROWS}
 *   order, unscaled.
 * @property {Float64Array} lstmBias  (4H), in the same order (b_f replaced per call).
 * @property {Float64Array} lstmInputShare  (T, N, 4H): `W_x x_t` of each gate, summed as
 *   `runPacked` sums it.
 * @property {Object<string, Float64Array>} scratch  Buffers of each call.
 * @property {{scale: number, flow: number[]}|null} rnnFlow  The plain RNN's result for the last
 *   recurrent scale asked for (the forget bias does not change it), or null.
 */

/** Prepared setups, per setup object. */
const PREPARED = new WeakMap();

/**
 * Rows of {@link PreparedSetup}'s stacked LSTM weights, gate by gate: the order in which
 * `backwardPacked` sums the gates' shares of the gradient for h_{t-1} (f, i, o, c), so that
 * one pass over the rows sums them in that order.
 */
const GATE_ROWS = Object.freeze({ f: 0, i: 1, o: 2, c: 3 });

/**
 * `out[r] = Σ_k M[r][k] · v[k]` for every row r of a flat `(rows, length)` matrix, each sum
 * taken in order k = 0, 1, ... from 0 (as the ports' loops take it), four rows at a time so
 * that four independent sums are in flight.
 *
 * @param {Float64Array} M  (rows, length), flat.
 * @param {number} rows
 * @param {number} length
 * @param {Float64Array} v  Read from `vAt`, `length` numbers.
 * @param {number} vAt
 * @param {Float64Array} out  Written from `outAt`, `rows` numbers.
 * @param {number} outAt
 */
function multiplyRows(M, rows, length, v, vAt, out, outAt) {
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const first = r * length;
    let sum0 = 0;
    let sum1 = 0;
    let sum2 = 0;
    let sum3 = 0;
    for (let k = 0; k < length; k += 1) {
      const value = v[vAt + k];
      sum0 += M[first + k] * value;
      sum1 += M[first + length + k] * value;
      sum2 += M[first + 2 * length + k] * value;
      sum3 += M[first + 3 * length + k] * value;
    }
    out[outAt + r] = sum0;
    out[outAt + r + 1] = sum1;
    out[outAt + r + 2] = sum2;
    out[outAt + r + 3] = sum3;
  }
  for (; r < rows; r += 1) {
    let sum = 0;
    for (let k = 0; k < length; k += 1) sum += M[r * length + k] * v[vAt + k];
    out[outAt + r] = sum;
  }
}

/**
 * {@link PreparedSetup} of a setup, made on first use.
 *
 * @param {GradientFlowSetup} setup
 * @returns {PreparedSetup}
 * @throws {TypeError|RangeError} If the cells' parameters are not well formed.
 */
function prepare(setup) {
  let prepared = PREPARED.get(setup);
  if (prepared !== undefined) return prepared;
  lstmSizes(setup.lstm);
  const { hiddenSize: H, inputSize: I } = rnnSizes(setup.rnn);
  const steps = setup.xs.length;
  const batch = setup.xs[0].length;
  const rows = steps * batch;
  const x = flatten(setup.xs);
  const hx = new Float64Array(rows * (H + I));
  for (let k = 0; k < rows; k += 1) hx.set(x.subarray(k * I, (k + 1) * I), k * (H + I) + H);
  const lstmW = new Float64Array(4 * H * (H + I));
  const lstmBias = new Float64Array(4 * H);
  for (const [letter, gate] of Object.entries(GATE_ROWS)) {
    lstmW.set(flatten(setup.lstm[`W_${letter}`]), gate * H * (H + I));
    lstmBias.set(setup.lstm[`b_${letter}`], gate * H);
  }
  const lstmInputShare = new Float64Array(rows * 4 * H);
  for (let k = 0; k < rows; k += 1) {
    for (let gateUnit = 0; gateUnit < 4 * H; gateUnit += 1) {
      const first = gateUnit * (H + I) + H;
      let total = 0;
      for (let input = 0; input < I; input += 1) total += lstmW[first + input] * x[k * I + input];
      lstmInputShare[k * 4 * H + gateUnit] = total;
    }
  }
  const buffer = (length) => new Float64Array(length);
  const scratch = {
    rnnW: buffer(H * (H + I)), rnnRecurrent: buffer(H * H), rnnWT: buffer(H * H), h: buffer(rows * H),
    lstmW: buffer(4 * H * H), lstmWT: buffer(H * 4 * H), bias: buffer(4 * H),
    f: buffer(rows * H), i: buffer(rows * H), o: buffer(rows * H), cTilde: buffer(rows * H),
    cPrev: buffer(rows * H), tanhC: buffer(rows * H), dh: buffer(rows * H), dc: buffer(rows * H),
    state: buffer(batch * H), cellState: buffer(batch * H), z: buffer(4 * H), dz: buffer(4 * H),
  };
  prepared = {
    steps, batch, hidden: H, inputs: I, hx, rnnW: flatten(setup.rnn.W), rnnBias: Float64Array.from(setup.rnn.b),
    lstmW, lstmBias, lstmInputShare, scratch, rnnFlow: null,
  };
  PREPARED.set(setup, prepared);
  return prepared;
}

/**
 * The first H columns (those acting on h_{t-1}) of a flat `(rows, H + I)` weight matrix,
 * multiplied by `scale`, both as they are and transposed.
 *
 * @param {Float64Array} W  (rows, H + I), flat.
 * @param {number} rows
 * @param {number} H
 * @param {number} I
 * @param {number} scale
 * @param {Float64Array} recurrent  Written: (rows, H).
 * @param {Float64Array} transposed  Written: (H, rows).
 */
function scaleRecurrent(W, rows, H, I, scale, recurrent, transposed) {
  for (let row = 0; row < rows; row += 1) {
    for (let column = 0; column < H; column += 1) {
      const weight = W[row * (H + I) + column] * scale;
      recurrent[row * H + column] = weight;
      transposed[column * rows + row] = weight;
    }
  }
}

/**
 * The plain RNN's gradient reaching h_t at every step, relative to the last step: `rnnRun`
 * and `rnnBackward` (no parameter gradients) of `rnn-cell.mjs` on flat arrays, with the same
 * arithmetic in the same order.
 *
 * @param {PreparedSetup} prepared
 * @param {{W: number[][], b: number[]}} readout
 * @param {number[]} labels
 * @param {number} scale  Factor on the recurrent weights.
 * @returns {number[]} (T)
 */
function rnnFlow(prepared, readout, labels, scale) {
  const { steps, batch, hidden: H, inputs: I, hx, rnnBias, scratch } = prepared;
  const width = H + I;
  const W = scratch.rnnW;                       // scaleRecurrent of rnn-cell's explorer: [W_h · scale, W_x]
  W.set(prepared.rnnW);
  scaleRecurrent(prepared.rnnW, H, H, I, scale, scratch.rnnRecurrent, scratch.rnnWT);
  for (let unit = 0; unit < H; unit += 1) W.set(scratch.rnnRecurrent.subarray(unit * H, (unit + 1) * H), unit * width);
  const { h, z, dz, dh } = scratch;
  for (let t = 0; t < steps; t += 1) {
    for (let row = 0; row < batch; row += 1) {
      const k = t * batch + row;
      if (t === 0) hx.fill(0, k * width, k * width + H);                 // h_{-1} = 0
      else hx.set(h.subarray((k - batch) * H, (k - batch + 1) * H), k * width);
      multiplyRows(W, H, width, hx, k * width, z, 0);                     // W [h_{t-1}, x_t], in column order
      for (let unit = 0; unit < H; unit += 1) h[k * H + unit] = Math.tanh(z[unit] + rnnBias[unit]);
    }
  }
  const dhNext = lastStepGradient(h.subarray((steps - 1) * batch * H), readout, labels);
  for (let t = steps - 1; t >= 0; t -= 1) {
    for (let row = 0; row < batch; row += 1) {
      const at = (t * batch + row) * H;
      const state = row * H;
      for (let unit = 0; unit < H; unit += 1) {
        const dhUnit = dhNext[state + unit];                             // the loss looks at h_{T-1} only
        dh[at + unit] = dhUnit;
        dz[unit] = dhUnit * tanhDerivativeFromOutput(h[at + unit]);
      }
      multiplyRows(scratch.rnnWT, H, H, dz, 0, dhNext, state);           // dh_{t-1} = W_h^T dz
    }
  }
  return relativeNormsPacked(dh, steps, batch, H);
}

/**
 * The LSTM's gradients reaching c_t and h_t at every step, relative to the last step:
 * `runPacked` and `backwardPacked` (no parameter gradients) of `lstm-cell.mjs`, for sequences
 * of one length and a loss on the last step, with the same arithmetic in the same order.
 *
 * @param {PreparedSetup} prepared
 * @param {{W: number[][], b: number[]}} readout
 * @param {number[]} labels
 * @param {number} forgetBias
 * @param {number} scale  Factor on the recurrent weights.
 * @returns {{cell: number[], hidden: number[]}} Each (T).
 */
function lstmFlow(prepared, readout, labels, forgetBias, scale) {
  const { steps, batch, hidden: H, inputs: I, lstmInputShare, scratch } = prepared;
  const gates = 4 * H;
  const { bias, z, dz, f: forgetGate, i: inputGate, o: outputGate, cTilde, cPrev, tanhC } = scratch;
  bias.set(prepared.lstmBias);
  bias.fill(forgetBias, GATE_ROWS.f * H, (GATE_ROWS.f + 1) * H);
  scaleRecurrent(prepared.lstmW, gates, H, I, scale, scratch.lstmW, scratch.lstmWT);
  const hState = scratch.state.fill(0);
  const cState = scratch.cellState.fill(0);
  const [F, IN, O, C] = [GATE_ROWS.f * H, GATE_ROWS.i * H, GATE_ROWS.o * H, GATE_ROWS.c * H];
  for (let t = 0; t < steps; t += 1) {
    for (let row = 0; row < batch; row += 1) {
      const k0 = t * batch + row;
      const at = k0 * H;
      const state = row * H;
      const shareAt = k0 * gates;
      multiplyRows(scratch.lstmW, gates, H, hState, state, z, 0);        // W_h h_{t-1}
      for (let gateUnit = 0; gateUnit < gates; gateUnit += 1) {
        // As NumPy's run(): z = (W_x x_t + b) + W_h h_{t-1}, in that order.
        z[gateUnit] = (lstmInputShare[shareAt + gateUnit] + bias[gateUnit]) + z[gateUnit];
      }
      for (let unit = 0; unit < H; unit += 1) {
        const k = at + unit;
        const f = sigmoid(z[F + unit]);                                   // f_t = σ(z_f)
        const i = sigmoid(z[IN + unit]);                                  // i_t = σ(z_i)
        const o = sigmoid(z[O + unit]);                                   // o_t = σ(z_o)
        const candidate = Math.tanh(z[C + unit]);                         // c̃_t = tanh(z_c)
        const previous = cState[state + unit];
        const c = f * previous + i * candidate;                           // c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
        const squashed = Math.tanh(c);
        forgetGate[k] = f;
        inputGate[k] = i;
        outputGate[k] = o;
        cTilde[k] = candidate;
        cPrev[k] = previous;
        tanhC[k] = squashed;
        hState[state + unit] = o * squashed;                              // h_t = o_t ⊙ tanh(c_t)
        cState[state + unit] = c;
      }
    }
  }
  const { dh: dhReaching, dc: dcReaching } = scratch;
  const dhNext = lastStepGradient(hState, readout, labels);
  const dcNext = cState.fill(0);
  for (let t = steps - 1; t >= 0; t -= 1) {
    for (let row = 0; row < batch; row += 1) {
      const at = (t * batch + row) * H;
      const state = row * H;
      for (let unit = 0; unit < H; unit += 1) {
        const k = at + unit;
        const dhUnit = dhNext[state + unit];                              // the loss looks at h_{T-1} only
        const dOutputGate = dhUnit * tanhC[k];                            // h_t = o_t ⊙ tanh(c_t)
        const dcUnit = dcNext[state + unit] + dhUnit * outputGate[k] * tanhDerivativeFromOutput(tanhC[k]);
        dz[F + unit] = (dcUnit * cPrev[k]) * sigmoidDerivativeFromOutput(forgetGate[k]);   // c_t = f ⊙ c_{t-1} + i ⊙ c̃
        dz[IN + unit] = (dcUnit * cTilde[k]) * sigmoidDerivativeFromOutput(inputGate[k]);
        dz[O + unit] = dOutputGate * sigmoidDerivativeFromOutput(outputGate[k]);
        dz[C + unit] = (dcUnit * inputGate[k]) * tanhDerivativeFromOutput(cTilde[k]);
        dhReaching[k] = dhUnit;
        dcReaching[k] = dcUnit;
        dcNext[state + unit] = dcUnit * forgetGate[k];
      }
      // z = W [h_{t-1}, x_t] + b: the h_{t-1} part goes back one step (gates summed f, i, o, c)
      multiplyRows(scratch.lstmWT, H, gates, dz, 0, dhNext, state);
    }
  }
  return {
    cell: relativeNormsPacked(dcReaching, steps, batch, H),
    hidden: relativeNormsPacked(dhReaching, steps, batch, H),
  };
}

/**
 * The relative gradient norms at every distance from the loss, for both cells
 * (`gradient_flow(forget_bias=..., recurrent_scale=...)`).
 *
 * The arithmetic is that of `rnnRun`/`rnnBackward` and `runPacked`/`backwardPacked`, done on
 * flat arrays prepared once per setup, keeping only what the gradients reaching each step need
 * (a few milliseconds per call instead of tens); `tests/js/gradient-flow.test.mjs` checks that
 * the results are bit for bit those of the general functions, and equal to `lstm`'s.
 *
 * @param {GradientFlowSetup} setup
 * @param {{forgetBias: number, recurrentScale: number}} settings  The explorer's sliders
 *   (forget bias in [-2, 6], recurrent scale in [0.25, 6]).
 * @returns {{distances: number[], rnnHidden: number[], lstmCell: number[], lstmHidden: number[]}}
 *   Each `(T)`: plain RNN gradient reaching h, LSTM gradient reaching c and h, relative to the
 *   last step.
 * @throws {TypeError|RangeError} If a setting is not a finite number (or the recurrent scale is negative).
 */
export function gradientFlow(setup, { forgetBias, recurrentScale }) {
  if (typeof forgetBias !== "number" || !Number.isFinite(forgetBias)) {
    throw new TypeError(`forgetBias must be a finite number; got ${String(forgetBias)}`);
  }
  if (typeof recurrentScale !== "number" || !Number.isFinite(recurrentScale) || recurrentScale < 0) {
    throw new RangeError(`recurrentScale must be a finite number >= 0; got ${String(recurrentScale)}`);
  }
  const prepared = prepare(setup);
  if (prepared.rnnFlow === null || prepared.rnnFlow.scale !== recurrentScale) {   // a forget-bias move keeps it
    prepared.rnnFlow = { scale: recurrentScale, flow: rnnFlow(prepared, setup.readout, setup.labels, recurrentScale) };
  }
  const lstm = lstmFlow(prepared, setup.readout, setup.labels, forgetBias, recurrentScale);
  return {
    distances: Array.from({ length: prepared.steps }, (_, d) => d),
    rnnHidden: prepared.rnnFlow.flow.slice(),
    lstmCell: lstm.cell,
    lstmHidden: lstm.hidden,
  };
}
