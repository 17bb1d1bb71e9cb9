// The gradient-flow explorer's numbers (web/gradient-flow.mjs) against lstm's gradient_flow.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { gradientFlow, relativeNorms, relativeNormsPacked, softmax, softmaxCrossEntropyGradient } from "../../web/gradient-flow.mjs";
import { backwardPacked, flatten, runPacked } from "../../web/lstm-cell.mjs";
import { rnnBackward, rnnRun } from "../../web/rnn-cell.mjs";
import { assertClose, loadFixture } from "./helpers.mjs";

const { setup, cases } = loadFixture("gradient-flow.json");

/**
 * 1e-12, except for the plain RNN with recurrent weights × 6. There most units saturate
 * (|h| ≈ 1), and the slope 1 − h² that carries the gradient back is computed from h with
 * cancellation: a last-bit difference between V8's Math.tanh and NumPy's tanh (they differ in
 * the last bit for about a quarter of all inputs) becomes a relative difference of
 * ulp / (1 − h²) in the slope. Measured: 6e-9 at worst; both answers are equally right.
 * The same setting's LSTM values agree to 1e-12.
 */
function rtolFor(settings, name) {
  return name === "rnnHidden" && settings.recurrentScale >= 6 ? 1e-8 : 1e-12;
}

describe("gradient flow at initialisation equals gradient_flow()", () => {
  for (const { settings, expected } of cases) {
    test(`forget bias ${settings.forgetBias}, recurrent scale ${settings.recurrentScale}`, () => {
      const flow = gradientFlow(setup, settings);
      assert.deepEqual(flow.distances, expected.distances);
      // Relative only: the plotted values go down to 1e-30 and below.
      for (const name of ["rnnHidden", "lstmCell", "lstmHidden"]) {
        assertClose(flow[name], expected[name], name, { rtol: rtolFor(settings, name), atol: 0 });
      }
    });
  }
  test("bad settings are refused", () => {
    assert.throws(() => gradientFlow(setup, { forgetBias: Number.NaN, recurrentScale: 1 }), { name: "TypeError", message: /forgetBias/ });
    assert.throws(() => gradientFlow(setup, { forgetBias: 1, recurrentScale: -1 }), { name: "RangeError", message: /recurrentScale/ });
  });
});

describe("loss and norms, hand-worked", () => {
  test("softmax of [0, ln 3] is [1/4, 3/4]; the gradient for label 1 is [0.25, -0.25]", () => {
    assertClose(softmax([0, Math.log(3)]), [0.25, 0.75], "softmax");
    assertClose(softmaxCrossEntropyGradient([[0, Math.log(3)]], [1]), [[0.25, -0.25]], "gradient");
    assertClose(softmax([1000, 0]), [1, 0], "no overflow");
  });
  test("relativeNorms: norm over units, mean over the batch, reversed, over distance 0", () => {
    // step 0: rows of norm 5 and 1 (mean 3); step 1: rows of norm 2 and 4 (mean 3) -> [1, 1]
    assertClose(relativeNorms([[[3, 4], [1, 0]], [[0, 2], [4, 0]]]), [1, 1], "equal");
    assertClose(relativeNorms([[[6, 8]], [[0, 5]]]), [1, 2], "reversed");
  });
});

describe("the flat-array path equals the nested one", () => {
  test("relativeNormsPacked equals relativeNorms", () => {
    const nested = [[[3, 4], [1, 0]], [[0, 2], [4, 1e-200]], [[1e-30, 0], [0, 0]]];
    assert.deepEqual(relativeNormsPacked(Float64Array.from(nested.flat(2)), 3, 2, 2), relativeNorms(nested));
  });
});

/**
 * The gradient flow from the general, separately tested cells (`rnnRun`/`rnnBackward`,
 * `runPacked`/`backwardPacked`) with the weights scaled and the loss on the last step:
 * what `gradientFlow` computes on its prepared flat arrays.
 */
function generalGradientFlow(setup, { forgetBias, recurrentScale }) {
  const scaleRecurrent = (W) => W.map((row) => row.map((weight, column) => (column < W.length ? weight * recurrentScale : weight)));
  const steps = setup.xs.length;
  const batch = setup.xs[0].length;
  const H = setup.lstm.b_f.length;
  const lastStepGradient = (hLast) => {
    const logits = hLast.map((h) => setup.readout.W.map((weights, k) =>
      weights.reduce((sum, weight, unit) => sum + h[unit] * weight, 0) + setup.readout.b[k]));
    return softmaxCrossEntropyGradient(logits, setup.labels).map((row) => hLast[0].map((_, unit) =>
      row.reduce((sum, value, k) => sum + value * setup.readout.W[k][unit], 0)));
  };
  const rnn = { W: scaleRecurrent(setup.rnn.W), b: setup.rnn.b };
  const rnnTrace = rnnRun(rnn, setup.xs);
  const rnnDh = rnnTrace.h.map((rows) => rows.map((row) => row.map(() => 0)));
  rnnDh[steps - 1] = lastStepGradient(rnnTrace.h[steps - 1]);
  const rnnGradients = rnnBackward(rnn, rnnTrace, rnnDh, { parameterGradients: false });
  const lstm = { ...setup.lstm, b_f: setup.lstm.b_f.map(() => forgetBias) };
  for (const letter of ["f", "i", "c", "o"]) lstm[`W_${letter}`] = scaleRecurrent(setup.lstm[`W_${letter}`]);
  const lstmTrace = runPacked(lstm, flatten(setup.xs), { steps, batch });
  const hLast = Array.from({ length: batch }, (_, row) => Array.from(lstmTrace.hLast.subarray(row * H, (row + 1) * H)));
  const lstmDh = new Float64Array(steps * batch * H);
  lstmDh.set(flatten(lastStepGradient(hLast)), (steps - 1) * batch * H);
  const lstmGradients = backwardPacked(lstm, lstmTrace, lstmDh, { parameterGradients: false });
  return {
    distances: Array.from({ length: steps }, (_, d) => d),
    rnnHidden: relativeNorms(rnnGradients.dh),
    lstmCell: relativeNormsPacked(lstmGradients.dc, steps, batch, H),
    lstmHidden: relativeNormsPacked(lstmGradients.dh, steps, batch, H),
  };
}

describe("the prepared flat-array kernel is bit for bit the general cells", () => {
  const settingsList = [...cases.map((item) => item.settings),
    { forgetBias: 2.75, recurrentScale: 0 }, { forgetBias: -1.25, recurrentScale: 4.75 }];
  for (const settings of settingsList) {
    test(`forget bias ${settings.forgetBias}, recurrent scale ${settings.recurrentScale}`, () => {
      assert.deepEqual(gradientFlow(setup, settings), generalGradientFlow(setup, settings));
    });
  }
  test("the plain RNN's cached result is not shared with the caller", () => {
    const settings = { forgetBias: 1, recurrentScale: 1 };
    gradientFlow(setup, settings).rnnHidden[3] = -1;
    assert.deepEqual(gradientFlow(setup, settings), generalGradientFlow(setup, settings));
  });
});
