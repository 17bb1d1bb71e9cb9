// The JavaScript plain RNN cell (web/rnn-cell.mjs) against lstm/rnn.py, to 1e-12.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { RNN_STEP_FIELDS, rnnBackward, rnnRun, rnnStep } from "../../web/rnn-cell.mjs";
import { assertClose, loadFixture } from "./helpers.mjs";

const cases = loadFixture("rnn-cell.json");

for (const [name, fixture] of Object.entries(cases)) {
  describe(`RNN cell: ${name}`, () => {
    const parameters = fixture.parameters;
    test("rnnStep() gives every intermediate of RNNCell.step", () => {
      const { x, hPrev } = fixture.step.inputs;
      const values = rnnStep(parameters, x, hPrev);
      assert.deepEqual(Object.keys(values), RNN_STEP_FIELDS);
      for (const field of RNN_STEP_FIELDS) assertClose(values[field], fixture.step.values[field], `step.${field}`);
    });
    test("rnnRun() gives every intermediate of RNNCell.run", () => {
      const { xs, h0, lengths } = fixture.run.inputs;
      const trace = rnnRun(parameters, xs, { h0, lengths });
      for (const [field, expected] of Object.entries(fixture.run.trace)) assertClose(trace[field], expected, `trace.${field}`);
    });
    test("rnnBackward() gives every gradient of RNNCell.backward", () => {
      const { xs, h0, lengths } = fixture.run.inputs;
      const { dh, dhLast } = fixture.backward.inputs;
      const gradients = rnnBackward(parameters, rnnRun(parameters, xs, { h0, lengths }), dh, { dhLast });
      for (const [field, expected] of Object.entries(fixture.backward.gradients)) {
        assertClose(gradients[field], expected, `gradients.${field}`);
      }
    });
  });
}

describe("RNN backward without parameter gradients", () => {
  test("the same dh and dh0; W, b and dx are null", () => {
    const fixture = cases["three units, batch with lengths"];
    const { xs, h0, lengths } = fixture.run.inputs;
    const { dh, dhLast } = fixture.backward.inputs;
    const gradients = rnnBackward(fixture.parameters, rnnRun(fixture.parameters, xs, { h0, lengths }), dh,
      { dhLast, parameterGradients: false });
    assertClose(gradients.dh, fixture.backward.gradients.dh, "dh");
    assertClose(gradients.dh0, fixture.backward.gradients.dh0, "dh0");
    assert.deepEqual([gradients.W, gradients.b, gradients.dx], [null, null, null]);
  });
});

describe("RNN gradients against finite differences (float64)", () => {
  const fixture = cases["three units, batch with lengths"];
  const { xs, h0, lengths } = fixture.run.inputs;
  const { dh, dhLast } = fixture.backward.inputs;
  const dotAll = (a, b) => (Array.isArray(a) ? a.reduce((sum, item, k) => sum + dotAll(item, b[k]), 0) : a * b);
  const loss = (parameters) => {
    const trace = rnnRun(parameters, xs, { h0, lengths });
    return dotAll(trace.h, dh) + dotAll(trace.hLast, dhLast);
  };
  const gradients = rnnBackward(fixture.parameters, rnnRun(fixture.parameters, xs, { h0, lengths }), dh, { dhLast });
  test("d loss / d W and d loss / d b", () => {
    const epsilon = 1e-6;
    for (const [name, index] of [["W", [0, 0]], ["W", [2, 4]], ["W", [1, 2]], ["b", [1]]]) {
      const shifted = (delta) => {
        const parameters = structuredClone(fixture.parameters);
        if (name === "W") parameters.W[index[0]][index[1]] += delta;
        else parameters.b[index[0]] += delta;
        return loss(parameters);
      };
      const numeric = (shifted(epsilon) - shifted(-epsilon)) / (2 * epsilon);
      const analytic = name === "W" ? gradients.W[index[0]][index[1]] : gradients.b[index[0]];
      assertClose(analytic, numeric, `${name}${JSON.stringify(index)}`, { rtol: 1e-6, atol: 1e-8 });
    }
  });
});

describe("RNN cell: bad input gets a clear error", () => {
  const parameters = cases["four units, batch of three"].parameters;
  test("wrong shapes name the argument", () => {
    assert.throws(() => rnnStep(parameters, [1]), { name: "RangeError", message: /x has shape \(1,\); expected \(2,\)/ });
    assert.throws(() => rnnRun(parameters, [[1, 2]], { h0: [0] }), { name: "RangeError", message: /h0 has shape \(1,\); expected \(4,\)/ });
    assert.throws(() => rnnStep({ W: [[1, 2]], b: [0, 0] }, [1]), { name: "RangeError", message: /b has shape \(2,\); expected \(1,\)/ });
  });
});
