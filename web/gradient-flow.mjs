/**
 * How much of the loss gradient reaches each earlier step, at initialisation: the numbers of
 * `gradient_flow_explorer` (`lstm/experiments/advantages.py`, `gradient_flow`), in the browser.
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

import { backwardPacked, flatten, runPacked } from "./lstm-cell.mjs";
import { rnnBackward, rnnRun } from "./rnn-cell.mjs";

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
 * Multiply the columns acting on h_{t-1} (the first H) of a weight matrix by `scale`.
 *
 * @param {number[][]} W  (H, H + input)
 * @param {number} scale
 * @returns {number[][]} A new matrix.
 */
function scaleRecurrent(W, scale) {
  const hidden = W.length;
  return W.map((row) => row.map((weight, column) => (column < hidden ? weight * scale : weight)));
}

/**
 * The gradient reaching the last hidden state: read-out, softmax cross-entropy, read-out back.
 *
 * @param {number[][]} hLast  (N, H)
 * @param {{W: number[][], b: number[]}} readout
 * @param {number[]} labels
 * @returns {number[][]} (N, H)
 */
function lastStepGradient(hLast, readout, labels) {
  const logits = hLast.map((h) => readout.W.map((weights, k) =>
    weights.reduce((sum, weight, unit) => sum + h[unit] * weight, 0) + readout.b[k]));
  const dlogits = softmaxCrossEntropyGradient(logits, labels);
  return dlogits.map((row) => hLast[0].map((_, unit) =>
    row.reduce((sum, value, k) => sum + value * readout.W[k][unit], 0)));
}

/**
 * The relative gradient norms at every distance from the loss, for both cells
 * (`gradient_flow(forget_bias=..., recurrent_scale=...)`).
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
  const steps = setup.xs.length;
  const rnn = { W: scaleRecurrent(setup.rnn.W, recurrentScale), b: setup.rnn.b };
  const lstm = { ...setup.lstm, b_f: setup.lstm.b_f.map(() => forgetBias) };
  for (const letter of ["f", "i", "c", "o"]) lstm[`W_${letter}`] = scaleRecurrent(setup.lstm[`W_${letter}`], recurrentScale);

  const rnnTrace = rnnRun(rnn, setup.xs);
  const rnnDh = rnnTrace.h.map((rows) => rows.map((row) => row.map(() => 0)));
  rnnDh[steps - 1] = lastStepGradient(rnnTrace.h[steps - 1], setup.readout, setup.labels);
  const rnnGradients = rnnBackward(rnn, rnnTrace, rnnDh, { parameterGradients: false });

  // The LSTM on flat arrays (runPacked / backwardPacked), its larger batch being the slow part.
  const batch = setup.xs[0].length;
  const H = setup.lstm.b_f.length;
  const lstmTrace = runPacked(lstm, flatten(setup.xs), { steps, batch });
  const hLast = Array.from({ length: batch }, (_, row) =>
    Array.from({ length: H }, (_, unit) => lstmTrace.hLast[row * H + unit]));
  const lstmDh = new Float64Array(steps * batch * H);
  lstmDh.set(flatten(lastStepGradient(hLast, setup.readout, setup.labels)), (steps - 1) * batch * H);
  const lstmGradients = backwardPacked(lstm, lstmTrace, lstmDh, { parameterGradients: false });
  return {
    distances: Array.from({ length: steps }, (_, d) => d),
    rnnHidden: relativeNorms(rnnGradients.dh),
    lstmCell: relativeNormsPacked(lstmGradients.dc, steps, batch, H),
    lstmHidden: relativeNormsPacked(lstmGradients.dh, steps, batch, H),
  };
}
