// The gradient-flow explorer's numbers (web/gradient-flow.mjs) against lstm's gradient_flow.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { gradientFlow, relativeNorms, relativeNormsPacked, softmax, softmaxCrossEntropyGradient } from "../../web/gradient-flow.mjs";
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
