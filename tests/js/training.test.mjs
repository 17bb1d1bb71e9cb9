// Training in the browser (web/training.mjs) against lstm's training_step: 50 updates from the
// same initial weights and batches (tests/js/fixtures/training.json, written by lstm).
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  clipByGlobalNorm, createAdam, createRandom, globalNorm, initialModel, loss, makeTask, namedParameters, trainingStep,
} from "../../web/training.mjs";
import { assertClose, loadFixture } from "./helpers.mjs";

const { cases } = loadFixture("training.json");
const NUM_SYMBOLS = 4;

/** The fixture's named parameters as the JS model `{cell, readout}` (copies). */
function modelFrom(named) {
  const copy = (value) => JSON.parse(JSON.stringify(value));
  const cell = {};
  for (const name of ["W_f", "W_i", "W_c", "W_o", "b_f", "b_i", "b_c", "b_o"]) cell[name] = copy(named[`cell.${name}`]);
  return { cell, readout: { W: copy(named["readout.W"]), b: copy(named["readout.b"]) } };
}

/** A fixture batch as the JS batch (flat, time-major). */
function batchFrom(task, { xs, targets }) {
  const steps = xs.length;
  const batch = xs[0].length;
  const x = Float64Array.from(xs.flat(2));
  if (task.objective === "regression") return { steps, batch, inputSize: task.inputSize, x, labels: null, targets: Float64Array.from(targets) };
  return { steps, batch, inputSize: task.inputSize, x, labels: Int32Array.from(targets.flat()), targets: null };
}

/** Largest |js − python| / max(1, |python|) over every number of two named parameter sets. */
function largestError(model, expected) {
  let worst = 0;
  for (const [name, array] of namedParameters(model)) {
    const flat = [array].flat(2);
    [expected[name]].flat(2).forEach((value, k) => {
      worst = Math.max(worst, Math.abs(flat[k] - value) / Math.max(1, Math.abs(value)));
    });
  }
  return worst;
}

describe("the JS training trajectory equals lstm's training_step for 50 steps", () => {
  let worstOverall = 0;
  for (const testCase of cases) {
    test(`${testCase.task}, T = ${testCase.length}, H = ${testCase.units}, lr ${testCase.lr}`, () => {
      const task = makeTask(testCase.task, testCase.length, NUM_SYMBOLS);
      const model = modelFrom(testCase.initial);
      const adam = createAdam(namedParameters(model), testCase.lr);
      let worst = 0;
      let clippedSteps = 0;
      testCase.steps.forEach((expected, step) => {
        const outcome = trainingStep(model, task, batchFrom(task, testCase.batches[step]), adam, testCase.clip);
        assert.ok(outcome, `step ${step} diverged`);
        assertClose(outcome.loss, expected.loss, `step ${step} loss`, { rtol: 1e-9, atol: 1e-9 });
        assertClose(outcome.gradNorm, expected.gradNorm, `step ${step} gradient norm`, { rtol: 1e-9, atol: 1e-9 });
        assert.equal(outcome.clipped, expected.clipped, `step ${step} clipped`);
        clippedSteps += outcome.clipped ? 1 : 0;
        const error = largestError(model, expected.parameters);
        assert.ok(error <= 1e-9, `step ${step}: parameters differ by ${error}`);
        worst = Math.max(worst, error, Math.abs(outcome.loss - expected.loss));
      });
      worstOverall = Math.max(worstOverall, worst);
      console.log(`# ${testCase.task}: largest difference over 50 steps ${worst.toExponential(2)}; ${clippedSteps} steps clipped`);
    });
  }
  test("the cases exercise clipping and both kinds of loss", () => {
    assert.ok(cases.some((testCase) => testCase.steps.some((step) => step.clipped)));
    assert.ok(cases.some((testCase) => testCase.steps.some((step) => !step.clipped)));
    assert.deepEqual(new Set(cases.map((testCase) => testCase.task)), new Set(["delayed_recall", "adding_problem", "remember_forever"]));
    console.log(`# largest difference of all cases: ${worstOverall.toExponential(2)}`);
  });
});

describe("losses, clipping and Adam, hand-worked", () => {
  const classify = { objective: "classification", outputSize: 2 };
  test("cross-entropy of logits [0, ln 3] with label 1 is -ln(3/4); gradient [0.25, -0.25]", () => {
    const { loss: value, doutputs } = loss(Float64Array.from([0, Math.log(3)]), classify, { labels: [1] });
    assertClose(value, -Math.log(0.75), "loss", { rtol: 1e-14, atol: 1e-15 });
    assertClose(Array.from(doutputs), [0.25, -0.25], "gradient", { rtol: 1e-14, atol: 1e-15 });
  });
  test("squared error of [1, 2] against [0, 4] is 2.5; gradient [1, -2]", () => {
    const { loss: value, doutputs } = loss(Float64Array.from([1, 2]), { objective: "regression", outputSize: 1 },
      { targets: Float64Array.from([0, 4]) });
    assert.equal(value, 2.5);
    assert.deepEqual(Array.from(doutputs), [1, -2]);
  });
  test("clipping (3, 4) to norm 1 gives (0.6, 0.8) and returns 5", () => {
    const grads = new Map([["a", [3]], ["b", [[4]]]]);
    assert.equal(clipByGlobalNorm(grads, 1), 5);
    assertClose(grads.get("a"), [0.6], "a");
    assertClose(grads.get("b"), [[0.8]], "b");
    assert.equal(globalNorm(new Map([["a", [3]], ["b", [[4]]]])), 5);
  });
  test("Adam's first step: 1.0 with gradient 0.5 and lr 0.1 becomes 0.900000002", () => {
    const parameter = [1.0];
    const adam = createAdam([["p", parameter]], 0.1);
    adam.step(new Map([["p", [0.5]]]));
    assertClose(parameter, [1 - (0.1 * 0.5) / (0.5 + 1e-8)], "parameter", { rtol: 1e-15, atol: 0 });
  });
});

describe("the tasks follow lstm/tasks.py's rules", () => {
  const random = createRandom(5);
  test("delayed recall: symbol and store marker at step 0, recall cue at the last step, label the symbol", () => {
    const task = makeTask("delayed_recall", 7, NUM_SYMBOLS);
    const batch = task.sample(30, random);
    const width = NUM_SYMBOLS + 2;
    for (let n = 0; n < 30; n += 1) {
      const first = Array.from(batch.x.subarray(n * width, (n + 1) * width));
      assert.equal(first[batch.labels[n]], 1);
      assert.equal(first[NUM_SYMBOLS], 1);
      assert.equal(first.reduce((a, b) => a + b, 0), 2);
      const last = Array.from(batch.x.subarray((6 * 30 + n) * width, (6 * 30 + n + 1) * width));
      assert.deepEqual(last, [0, 0, 0, 0, 0, 1]);
      for (let t = 1; t < 6; t += 1) assert.ok(batch.x.subarray((t * 30 + n) * width, (t * 30 + n + 1) * width).every((v) => v === 0));
    }
  });
  test("adding problem: one mark in each half, target the sum of the marked values", () => {
    const task = makeTask("adding_problem", 9, NUM_SYMBOLS);
    const batch = task.sample(40, random);
    for (let n = 0; n < 40; n += 1) {
      const marked = [];
      let sum = 0;
      for (let t = 0; t < 9; t += 1) {
        const value = batch.x[(t * 40 + n) * 2];
        assert.ok(value >= 0 && value < 1);
        if (batch.x[(t * 40 + n) * 2 + 1] === 1) { marked.push(t); sum += value; }
      }
      assert.equal(marked.length, 2);
      assert.ok(marked[0] < 4 && marked[1] >= 4, `marks at ${marked}`);
      assert.equal(batch.targets[n], sum);
    }
  });
  test("remember forever: the symbol at step 0 only, its label at every step", () => {
    const task = makeTask("remember_forever", 5, NUM_SYMBOLS);
    const batch = task.sample(20, random);
    for (let n = 0; n < 20; n += 1) {
      const symbol = batch.labels[n];
      assert.equal(batch.x[n * NUM_SYMBOLS + symbol], 1);
      for (let t = 0; t < 5; t += 1) assert.equal(batch.labels[t * 20 + n], symbol);
      for (let t = 1; t < 5; t += 1) assert.ok(batch.x.subarray((t * 20 + n) * NUM_SYMBOLS, (t * 20 + n + 1) * NUM_SYMBOLS).every((v) => v === 0));
    }
  });
  test("initial weights: uniform within ±1/√H, forget bias set, read-out bias 0; same seed, same model", () => {
    const task = makeTask("delayed_recall", 6, NUM_SYMBOLS);
    const model = initialModel(task, 4, 1.5, createRandom(3));
    const again = initialModel(task, 4, 1.5, createRandom(3));
    assert.deepEqual(model, again);
    for (const name of ["W_f", "W_i", "W_c", "W_o"]) {
      assert.equal(model.cell[name].length, 4);
      for (const row of model.cell[name]) {
        assert.equal(row.length, 4 + NUM_SYMBOLS + 2);
        assert.ok(row.every((v) => Math.abs(v) < 0.5));
      }
    }
    assert.deepEqual(model.cell.b_f, [1.5, 1.5, 1.5, 1.5]);
    assert.ok(model.cell.b_i.every((v) => Math.abs(v) < 1));      // the sum of two biases
    assert.deepEqual(model.readout.b, [0, 0, 0, 0]);
    assert.notDeepEqual(initialModel(task, 4, 1.5, createRandom(4)), model);
  });
  test("bad arguments are refused", () => {
    assert.throws(() => makeTask("sorting", 5, 4), { name: "RangeError", message: /task must be one of/ });
    assert.throws(() => makeTask("adding_problem", 1, 4), { name: "RangeError", message: /length/ });
    assert.throws(() => createRandom(0.5), { name: "TypeError", message: /seed/ });
  });
});
