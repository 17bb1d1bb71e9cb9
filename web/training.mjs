/**
 * Training a small LSTM in the browser: the read-out, the losses, gradient clipping, Adam and
 * the training step of `lstm` (`lstm/models.py`, `lstm/losses.py`, `lstm/optimisers.py`,
 * `training_step` of `lstm/training.py`), and the three tasks of chapter 7's training explorer
 * (`lstm/tasks.py`: `DelayedRecall`, `AddingProblem`, `RememberForever`).
 *
 * The forward and backward passes through time are `runPacked` and `backwardPacked` of
 * `lstm-cell.mjs`. {@link trainingStep} is one update exactly as `lstm.training.training_step`
 * makes it: forward, loss, backward, clip the global norm, one Adam step. Tested equal to
 * `lstm` to 1e-9 over 50 steps (parameters and losses) by `tests/js/training.test.mjs`, from
 * initial weights and batches that `tools/make_js_fixtures.py` writes with `lstm`.
 *
 * The page draws its own batches and initial weights ({@link createRandom}, a small seeded
 * generator; NumPy's generators are not ported) by the same rules as `lstm`: the tasks as in
 * `lstm/tasks.py`, the weights uniform in ±1/√H as `LSTMCell` (PyTorch's rule, two biases
 * summed) and `Readout` (bias 0). So a page run and a kernel run of the same settings are two
 * draws of the same experiment, not the same numbers.
 *
 * Shapes: a batch is time-major and flat, `x` of `(T, N, input)`; a model is
 * `{cell: LSTMParameters, readout: {W: (O, H), b: (O)}}` with nested arrays.
 *
 * @module training
 */

import { backwardPacked, runPacked } from "./lstm-cell.mjs";

// ------------------------------------------------------------------------- random numbers

/**
 * A seeded generator of uniform numbers in [0, 1) ("mulberry32", 32-bit state). Only the page
 * uses it, for its batches and initial weights.
 *
 * @param {number} seed  An integer.
 * @returns {{uniform: () => number, integer: (count: number) => number}} `integer(k)` is uniform
 *   in 0 … k − 1.
 */
export function createRandom(seed) {
  if (!Number.isInteger(seed)) throw new TypeError(`seed must be an integer; got ${seed}`);
  let state = (seed ^ 0x9e3779b9) | 0;
  function uniform() {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return { uniform, integer: (count) => Math.floor(uniform() * count) };
}

// ------------------------------------------------------------------------- tasks

/**
 * @typedef {Object} Batch
 * @property {number} steps  T.
 * @property {number} batch  N.
 * @property {number} inputSize
 * @property {Float64Array} x  `(T, N, input)`, flat.
 * @property {Int32Array|null} labels  Class labels: `(N)` (one per sequence) or `(T, N)` (one per
 *   step); null for regression.
 * @property {Float64Array|null} targets  `(N)` values (regression, one output); else null.
 */

/**
 * @typedef {Object} Task
 * @property {string} key  `"delayed_recall"`, `"adding_problem"` or `"remember_forever"`.
 * @property {number} steps  T.
 * @property {number} inputSize
 * @property {number} outputSize
 * @property {"classification"|"regression"} objective
 * @property {"last"|"every"} outputAt
 * @property {number} tolerance  Accuracy criterion of a regression output.
 * @property {(count: number, random: ReturnType<typeof createRandom>) => Batch} sample
 */

/**
 * One of the explorer's tasks, with the rules of `lstm/tasks.py`:
 *
 * - `"delayed_recall"` (`DelayedRecall(delay = T − 2)`, no noise): a symbol one-hot at step 0
 *   with the store marker (channel K), zeros, the recall cue (channel K + 1) at the last step;
 *   the label is the symbol, read at the last step.
 * - `"adding_problem"` (`AddingProblem(T)`): values uniform in [0, 1) on channel 0, markers on
 *   channel 1 at one step of each half (⌊u · half⌋ and half + ⌊u · (T − half)⌋); the target is
 *   the sum of the two marked values, read at the last step (squared error).
 * - `"remember_forever"` (`RememberForever(T)`): the symbol one-hot at step 0, zeros after; the
 *   label is the symbol at every step.
 *
 * @param {string} key
 * @param {number} length  T (at least 2; delayed recall at least 2 as well: delay ≥ 0).
 * @param {number} numSymbols  K.
 * @param {number} addingCriterion  The adding problem's accuracy criterion (`AddingProblem.criterion`).
 * @returns {Task}
 * @throws {RangeError} On an unknown task or a length below 2.
 */
export function makeTask(key, length, numSymbols, addingCriterion = 0.08) {
  if (!Number.isInteger(length) || length < 2) throw new RangeError(`length must be an integer >= 2; got ${length}`);
  const T = length;
  const K = numSymbols;
  if (key === "delayed_recall") {
    return { key, steps: T, inputSize: K + 2, outputSize: K, objective: "classification", outputAt: "last", tolerance: 0.04,
      sample(count, random) {
        const x = new Float64Array(T * count * (K + 2));
        const labels = new Int32Array(count);
        for (let n = 0; n < count; n += 1) labels[n] = random.integer(K);
        for (let n = 0; n < count; n += 1) {
          x[n * (K + 2) + labels[n]] = 1;                           // the symbol, step 0
          x[n * (K + 2) + K] = 1;                                   // store marker
          x[((T - 1) * count + n) * (K + 2) + K + 1] = 1;           // recall cue, last step
        }
        return { steps: T, batch: count, inputSize: K + 2, x, labels, targets: null };
      } };
  }
  if (key === "adding_problem") {
    return { key, steps: T, inputSize: 2, outputSize: 1, objective: "regression", outputAt: "last", tolerance: addingCriterion,
      sample(count, random) {
        const values = new Float64Array(T * count);
        for (let k = 0; k < T * count; k += 1) values[k] = random.uniform();
        const half = Math.floor(T / 2);
        const first = Array.from({ length: count }, () => Math.floor(random.uniform() * half));
        const second = Array.from({ length: count }, () => half + Math.floor(random.uniform() * (T - half)));
        const x = new Float64Array(T * count * 2);
        const targets = new Float64Array(count);
        for (let n = 0; n < count; n += 1) {
          for (let t = 0; t < T; t += 1) x[(t * count + n) * 2] = values[t * count + n];
          x[(first[n] * count + n) * 2 + 1] = 1;
          x[(second[n] * count + n) * 2 + 1] = 1;
          targets[n] = values[first[n] * count + n] + values[second[n] * count + n];
        }
        return { steps: T, batch: count, inputSize: 2, x, labels: null, targets };
      } };
  }
  if (key === "remember_forever") {
    return { key, steps: T, inputSize: K, outputSize: K, objective: "classification", outputAt: "every", tolerance: 0.04,
      sample(count, random) {
        const x = new Float64Array(T * count * K);
        const labels = new Int32Array(T * count);
        for (let n = 0; n < count; n += 1) {
          const symbol = random.integer(K);
          x[n * K + symbol] = 1;
          for (let t = 0; t < T; t += 1) labels[t * count + n] = symbol;
        }
        return { steps: T, batch: count, inputSize: K, x, labels, targets: null };
      } };
  }
  throw new RangeError(`task must be one of delayed_recall, adding_problem, remember_forever; got ${key}`);
}

// ------------------------------------------------------------------------- the model

/** The cell's parameter names in the order of `LSTMCell.parameters` (and of Adam's flat vectors). */
const CELL_NAMES = Object.freeze(["W_f", "W_i", "W_c", "W_o", "b_f", "b_i", "b_c", "b_o"]);
const PYTORCH_ORDER = Object.freeze(["i", "f", "c", "o"]);

/**
 * A new model with the initialisation rule of `LSTMCell` and `Readout`: every weight and both of
 * PyTorch's biases uniform in (−1/√H, 1/√H), our bias per gate the sum of the two; then every
 * forget-gate bias set to `forgetBias`. The read-out's weights are uniform in the same range,
 * its bias 0.
 *
 * @param {Task} task
 * @param {number} units  H.
 * @param {number} forgetBias
 * @param {ReturnType<typeof createRandom>} random
 * @returns {{cell: Object, readout: {W: number[][], b: number[]}}}
 */
export function initialModel(task, units, forgetBias, random) {
  const H = units;
  const I = task.inputSize;
  const bound = 1 / Math.sqrt(H);
  const draw = (rows, columns) => Array.from({ length: rows }, () =>
    Array.from({ length: columns }, () => -bound + 2 * bound * random.uniform()));
  const weightIh = draw(4 * H, I);
  const weightHh = draw(4 * H, H);
  const [biasIh] = draw(1, 4 * H);
  const [biasHh] = draw(1, 4 * H);
  const cell = {};
  PYTORCH_ORDER.forEach((letter, block) => {
    const rows = Array.from({ length: H }, (_, unit) => block * H + unit);
    cell[`W_${letter}`] = rows.map((row) => [...weightHh[row], ...weightIh[row]]);
    cell[`b_${letter}`] = rows.map((row) => biasIh[row] + biasHh[row]);
  });
  cell.b_f = cell.b_f.map(() => forgetBias);
  const ordered = Object.fromEntries(CELL_NAMES.map((name) => [name, cell[name]]));
  return { cell: ordered, readout: { W: draw(task.outputSize, H), b: new Array(task.outputSize).fill(0) } };
}

/**
 * The model's parameters by `SequenceModel.parameters`' names (`"cell.W_f"` … `"readout.b"`),
 * the live arrays.
 *
 * @param {{cell: Object, readout: Object}} model
 * @returns {Array<[string, number[]|number[][]]>}
 */
export function namedParameters(model) {
  return [...CELL_NAMES.map((name) => [`cell.${name}`, model.cell[name]]),
    ["readout.W", model.readout.W], ["readout.b", model.readout.b]];
}

/**
 * Forward pass (`SequenceModel.forward`): the cell over the batch, then the read-out of the
 * last step's hidden state (`outputAt = "last"`) or of every step's.
 *
 * @returns {{trace: Object, hidden: Float64Array, rows: number, outputs: Float64Array}} `hidden`
 *   `(rows, H)` and `outputs` `(rows, O)`, flat; rows = N or T·N.
 */
export function forward(model, task, batch) {
  const trace = runPacked(model.cell, batch.x, { steps: batch.steps, batch: batch.batch });
  const H = model.cell.b_f.length;
  const O = model.readout.b.length;
  const hidden = task.outputAt === "last"
    ? trace.h.subarray((batch.steps - 1) * batch.batch * H, batch.steps * batch.batch * H)
    : trace.h;
  const rows = hidden.length / H;
  const outputs = new Float64Array(rows * O);
  const { W, b } = model.readout;
  for (let row = 0; row < rows; row += 1) {
    for (let k = 0; k < O; k += 1) {                     // y = W h + b
      let total = 0;
      for (let unit = 0; unit < H; unit += 1) total += hidden[row * H + unit] * W[k][unit];
      outputs[row * O + k] = total + b[k];
    }
  }
  return { trace, hidden, rows, outputs };
}

/**
 * The loss and its gradient for the outputs (`ModelBase.loss`): the mean softmax cross-entropy
 * over every item (`softmax_cross_entropy`: ln Σ e^{z − max} − (z_y − max), gradient
 * (softmax − onehot) / items), or the mean squared error (`squared_error`: gradient 2 (ŷ − y) / n).
 *
 * @param {Float64Array} outputs  `(rows, O)`.
 * @param {Task} task
 * @param {Batch} batch
 * @returns {{loss: number, doutputs: Float64Array}}
 */
export function loss(outputs, task, batch) {
  const O = task.outputSize;
  const rows = outputs.length / O;
  const doutputs = new Float64Array(outputs.length);
  let total = 0;
  if (task.objective === "regression") {
    for (let row = 0; row < rows; row += 1) {
      const difference = outputs[row] - batch.targets[row];
      total += difference * difference;
      doutputs[row] = (2 * difference) / rows;
    }
    return { loss: total / rows, doutputs };
  }
  const weight = 1 / rows;
  for (let row = 0; row < rows; row += 1) {
    let largest = -Infinity;
    for (let k = 0; k < O; k += 1) largest = Math.max(largest, outputs[row * O + k]);
    let normaliser = 0;
    for (let k = 0; k < O; k += 1) {
      const exponential = Math.exp(outputs[row * O + k] - largest);
      doutputs[row * O + k] = exponential;
      normaliser += exponential;
    }
    const label = batch.labels[row];
    total += Math.log(normaliser) - (outputs[row * O + label] - largest);
    for (let k = 0; k < O; k += 1) {
      const probability = doutputs[row * O + k] / normaliser;
      doutputs[row * O + k] = (k === label ? probability - 1.0 : probability) * weight;
    }
  }
  return { loss: total / rows, doutputs };
}

/**
 * Backward pass (`SequenceModel.backward_parts`): the read-out's gradients, then BPTT through the
 * cell from the gradient reaching the hidden states it read.
 *
 * @returns {{grads: Map<string, number[]|number[][]>, dc: Float64Array}} Gradients by the names
 *   of {@link namedParameters}; `dc` `(T, N, H)`: the gradient reaching every c_t.
 */
export function backward(model, forwardPass, doutputs, batch) {
  const { trace, hidden, rows } = forwardPass;
  const H = model.cell.b_f.length;
  const { W } = model.readout;
  const O = W.length;
  const dW = Array.from({ length: O }, () => new Array(H).fill(0));
  const db = new Array(O).fill(0);
  const dh = new Float64Array(batch.steps * batch.batch * H);
  const offset = rows === batch.batch ? (batch.steps - 1) * batch.batch * H : 0;   // last step, or every step
  for (let row = 0; row < rows; row += 1) {
    for (let k = 0; k < O; k += 1) {
      const gradient = doutputs[row * O + k];
      db[k] += gradient;
      for (let unit = 0; unit < H; unit += 1) {
        dW[k][unit] += gradient * hidden[row * H + unit];                 // dL/dW = Σ δ hᵀ
        dh[offset + row * H + unit] += gradient * W[k][unit];           // dL/dh = Wᵀ δ
      }
    }
  }
  const cell = backwardPacked(model.cell, trace, dh, { inputGradient: false });
  const grads = new Map(CELL_NAMES.map((name) => [`cell.${name}`, cell[name]]));
  grads.set("readout.W", dW);
  grads.set("readout.b", db);
  return { grads, dc: cell.dc };
}

// ------------------------------------------------------------------------- optimisation

/** Call `visit(value, row, column)` for every number of a nested (1-D or 2-D) array, row-major. */
function eachNumber(array, visit) {
  if (Array.isArray(array[0])) {
    array.forEach((row, r) => row.forEach((value, c) => visit(value, r, c)));
  } else {
    array.forEach((value, c) => visit(value, null, c));
  }
}

/**
 * Euclidean norm of all gradients together (`global_norm`).
 *
 * @param {Map<string, number[]|number[][]>} grads
 * @returns {number}
 */
export function globalNorm(grads) {
  let total = 0;
  for (const gradient of grads.values()) {
    let part = 0;
    eachNumber(gradient, (value) => { part += value * value; });
    total += part;
  }
  return Math.sqrt(total);
}

/**
 * Scale the gradients (in place) by min(1, maxNorm / norm) (`clip_by_global_norm`).
 *
 * @param {Map<string, number[]|number[][]>} grads
 * @param {number|null} maxNorm  null: no clipping.
 * @returns {number} The norm before clipping.
 */
export function clipByGlobalNorm(grads, maxNorm) {
  const norm = globalNorm(grads);
  if (maxNorm !== null && norm > maxNorm) {
    const scale = maxNorm / norm;
    for (const gradient of grads.values()) {
      eachNumber(gradient, (value, r, c) => {
        if (r === null) gradient[c] = value * scale;
        else gradient[r][c] = value * scale;
      });
    }
  }
  return norm;
}

/**
 * Adam (`lstm.optimisers.Adam`, β₁ = 0.9, β₂ = 0.999, ε = 1e-8), updating the model's arrays in
 * place, with the arithmetic of `Adam.step` in its order: m ← β₁m + (1 − β₁)g,
 * v ← β₂v + ((1 − β₂)g)g, θ ← θ − (m / (1 − β₁ᵗ)) · η / (√(v / (1 − β₂ᵗ)) + ε).
 *
 * @param {Array<[string, number[]|number[][]]>} parameters  {@link namedParameters}.
 * @param {number} lr  Learning rate; the returned object's `lr` may be changed between steps.
 * @returns {{lr: number, stepCount: number, step: (grads: Map) => void}}
 */
export function createAdam(parameters, lr) {
  const beta1 = 0.9;
  const beta2 = 0.999;
  const eps = 1e-8;
  const moments = new Map(parameters.map(([name, array]) => {
    let size = 0;
    eachNumber(array, () => { size += 1; });
    return [name, { first: new Float64Array(size), second: new Float64Array(size) }];
  }));
  const adam = {
    lr,
    stepCount: 0,
    step(grads) {
      adam.stepCount += 1;
      const correction1 = 1.0 - beta1 ** adam.stepCount;
      const correction2 = 1.0 - beta2 ** adam.stepCount;
      for (const [name, array] of parameters) {
        const { first, second } = moments.get(name);
        const gradient = grads.get(name);
        let k = 0;
        eachNumber(array, (value, r, c) => {
          const g = r === null ? gradient[c] : gradient[r][c];
          first[k] = first[k] * beta1 + g * (1.0 - beta1);
          second[k] = second[k] * beta2 + (g * (1.0 - beta2)) * g;
          const denominator = Math.sqrt(second[k] / correction2) + eps;
          const update = ((first[k] / correction1) * adam.lr) / denominator;
          if (r === null) array[c] = value - update;
          else array[r][c] = value - update;
          k += 1;
        });
      }
    },
  };
  return adam;
}

/**
 * One update, as `lstm.training.training_step`: forward, loss, backward, clipping, Adam.
 *
 * @param {{cell: Object, readout: Object}} model  Updated in place.
 * @param {Task} task
 * @param {Batch} batch
 * @param {ReturnType<typeof createAdam>} adam  Built on `namedParameters(model)`.
 * @param {number|null} clip
 * @returns {{loss: number, gradNorm: number, clipped: boolean}|null} null if the loss or the
 *   gradient was not finite (nothing is updated).
 */
export function trainingStep(model, task, batch, adam, clip) {
  const pass = forward(model, task, batch);
  const { loss: value, doutputs } = loss(pass.outputs, task, batch);
  if (!Number.isFinite(value) || !doutputs.every(Number.isFinite)) return null;
  const { grads } = backward(model, pass, doutputs, batch);
  const norm = clipByGlobalNorm(grads, clip);
  if (!Number.isFinite(norm)) return null;
  adam.step(grads);
  return { loss: value, gradNorm: norm, clipped: clip !== null && norm > clip };
}

/**
 * Score a batch without updating (`TrainingRun.evaluate` of `lstm/explorers/training.py`): the
 * loss, the accuracy (classification: the largest output is the label; regression: within the
 * task's tolerance), the first sequence's gates and cell state, and the norm of the gradient
 * reaching each c_t (over units, mean over the batch), divided by its largest value.
 *
 * @returns {{loss: number, accuracy: number, first: Object<string, number[][]>, reach: number[]}}
 *   `first.f`, `.i`, `.cTilde`, `.o`, `.c`: `(T, H)`.
 */
export function evaluate(model, task, batch) {
  const pass = forward(model, task, batch);
  const { loss: value, doutputs } = loss(pass.outputs, task, batch);
  const { dc } = backward(model, pass, doutputs, batch);
  const O = task.outputSize;
  let correct = 0;
  for (let row = 0; row < pass.rows; row += 1) {
    if (task.objective === "regression") {
      correct += Math.abs(pass.outputs[row] - batch.targets[row]) < task.tolerance ? 1 : 0;
    } else {
      let best = 0;
      for (let k = 1; k < O; k += 1) if (pass.outputs[row * O + k] > pass.outputs[row * O + best]) best = k;
      correct += best === batch.labels[row] ? 1 : 0;
    }
  }
  const H = model.cell.b_f.length;
  const { steps, batch: N } = batch;
  const norms = [];
  for (let t = 0; t < steps; t += 1) {
    let total = 0;
    for (let n = 0; n < N; n += 1) {
      let squares = 0;
      for (let unit = 0; unit < H; unit += 1) squares += dc[(t * N + n) * H + unit] ** 2;
      total += Math.sqrt(squares);
    }
    norms.push(total / N);
  }
  const largest = Math.max(...norms);
  const reach = norms.map((norm) => (largest > 0 && Number.isFinite(largest) ? norm / largest : 0));
  const first = {};
  for (const name of ["f", "i", "cTilde", "o", "c"]) {
    first[name] = Array.from({ length: steps }, (_, t) => Array.from(pass.trace[name].subarray(t * N * H, t * N * H + H)));
  }
  return { loss: value, accuracy: correct / pass.rows, first, reach };
}
