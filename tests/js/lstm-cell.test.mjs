// The JavaScript LSTM cell (web/lstm-cell.mjs) against the Python package, to 1e-12.
// Fixtures: tests/js/fixtures/*.json, written by tools/make_js_fixtures.py.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  PARAMETER_NAMES, STEP_FIELDS, backward, backwardPacked, flatten, run, runPacked, sigmoid,
  sigmoidDerivativeFromOutput, step, tanh, tanhDerivativeFromOutput,
} from "../../web/lstm-cell.mjs";
import { assertClose, loadFixture } from "./helpers.mjs";

const activations = loadFixture("activations.json");
const cases = loadFixture("lstm-cell.json");

describe("activations equal lstm/activations.py", () => {
  const functions = { sigmoid, tanh };
  for (const [name, fn] of Object.entries(functions)) {
    test(`${name} on ordinary and extreme inputs`, () => {
      const values = activations.z.map(fn);
      assertClose(values, activations[name], name);
      assert.ok(values.every(Number.isFinite), `${name} must stay finite`);
    });
  }
  test("derivatives from the outputs", () => {
    assertClose(activations.sigmoid.map(sigmoidDerivativeFromOutput),
      activations.sigmoidDerivativeFromOutput, "sigmoid'");
    assertClose(activations.tanh.map(tanhDerivativeFromOutput), activations.tanhDerivativeFromOutput, "tanh'");
  });
  test("hand-worked values", () => {
    assert.equal(sigmoid(0), 0.5);
    assertClose(sigmoid(Math.log(3)), 0.75, "σ(ln 3)");            // 1 / (1 + 1/3)
    assertClose(sigmoid(-Math.log(3)), 0.25, "σ(-ln 3)");
    assert.equal(sigmoid(-1000), 0);   // e^-1000 underflows: the correctly rounded answer
    assert.equal(sigmoid(1000), 1);
    assert.equal(sigmoid(-1e300), 0);
    assertClose(tanh(Math.log(2)), 0.6, "tanh(ln 2)");               // (4 − 1) / (4 + 1)
  });
});

for (const [name, fixture] of Object.entries(cases)) {
  describe(`LSTM cell: ${name}`, () => {
    const parameters = fixture.parameters;

    test("step() gives every intermediate of LSTMCell.step", () => {
      const { x, hPrev, cPrev } = fixture.step.inputs;
      const values = step(parameters, x, hPrev, cPrev);
      assert.deepEqual(Object.keys(values), STEP_FIELDS);
      for (const field of STEP_FIELDS) assertClose(values[field], fixture.step.values[field], `step.${field}`);
    });

    test("run() gives every intermediate of LSTMCell.run", () => {
      const { xs, h0, c0, lengths } = fixture.run.inputs;
      const trace = run(parameters, xs, { h0, c0, lengths });
      for (const [field, expected] of Object.entries(fixture.run.trace)) {
        assertClose(trace[field], expected, `trace.${field}`);
      }
    });

    test("backward() gives every gradient of LSTMCell.backward", () => {
      const { xs, h0, c0, lengths } = fixture.run.inputs;
      const { dh, dhLast, dcLast } = fixture.backward.inputs;
      const gradients = backward(parameters, run(parameters, xs, { h0, c0, lengths }), dh, { dhLast, dcLast });
      const expected = fixture.backward.gradients;
      assert.deepEqual(Object.keys(gradients), Object.keys(expected));
      for (const [field, value] of Object.entries(expected)) assertClose(gradients[field], value, `gradients.${field}`);
    });
  });
}

describe("LSTM gradients against finite differences (float64)", () => {
  // loss = Σ dh ⊙ h + dhLast · hLast + dcLast · cLast, whose gradients backward() computes
  const fixture = cases["three units, batch with lengths"];
  const { xs, h0, c0, lengths } = fixture.run.inputs;
  const { dh, dhLast, dcLast } = fixture.backward.inputs;
  const dotAll = (a, b) => (Array.isArray(a) ? a.reduce((sum, item, k) => sum + dotAll(item, b[k]), 0) : a * b);
  const loss = (parameters, inputs = xs) => {
    const trace = run(parameters, inputs, { h0, c0, lengths });
    return dotAll(trace.h, dh) + dotAll(trace.hLast, dhLast) + dotAll(trace.cLast, dcLast);
  };
  const gradients = backward(fixture.parameters, run(fixture.parameters, xs, { h0, c0, lengths }), dh,
    { dhLast, dcLast });
  const epsilon = 1e-6;
  const centralDifference = (perturb) => (loss(...perturb(epsilon)) - loss(...perturb(-epsilon))) / (2 * epsilon);
  for (const name of PARAMETER_NAMES) {
    test(`d loss / d ${name}`, () => {
      const flat = name.startsWith("W") ? [[0, 0], [1, 3], [2, 4]] : [[0], [2]];
      for (const index of flat) {
        const perturb = (delta) => {
          const parameters = structuredClone(fixture.parameters);
          if (index.length === 2) parameters[name][index[0]][index[1]] += delta;
          else parameters[name][index[0]] += delta;
          return [parameters];
        };
        const analytic = index.length === 2 ? gradients[name][index[0]][index[1]] : gradients[name][index[0]];
        assertClose(analytic, centralDifference(perturb), `${name}${JSON.stringify(index)}`, { rtol: 1e-6, atol: 1e-8 });
      }
    });
  }
  test("d loss / d xs", () => {
    for (const [t, row, k] of [[0, 0, 0], [2, 1, 1], [0, 2, 0], [5, 0, 1]]) {
      const perturb = (delta) => {
        const inputs = structuredClone(xs);
        inputs[t][row][k] += delta;
        return [fixture.parameters, inputs];
      };
      assertClose(gradients.dx[t][row][k], centralDifference(perturb), `dx[${t}][${row}][${k}]`,
        { rtol: 1e-6, atol: 1e-8 });
    }
    // a padding step (row 2 has length 1) does not reach the loss
    assert.equal(gradients.dx[3][2][0], 0);
  });
});

describe("LSTM cell: bad input gets a clear error", () => {
  const parameters = cases["four units, three inputs"].parameters;
  test("x of the wrong size names x, the expected and the given shape", () => {
    assert.throws(() => step(parameters, [1, 2]), {
      name: "RangeError", message: "x has shape (2,); expected (3,) or (batch, 3) to match inputSize=3",
    });
  });
  test("a state of the wrong shape", () => {
    assert.throws(() => step(parameters, [1, 2, 3], [0, 0]), { name: "RangeError", message: /hPrev has shape \(2,\); expected \(4,\)/ });
  });
  test("a NaN or an infinity is refused", () => {
    assert.throws(() => step(parameters, [1, Number.NaN, 3]), { name: "RangeError", message: /x\[1\] must contain only finite numbers; got NaN/ });
    assert.throws(() => run(parameters, [[1, 2, Infinity]]), { name: "RangeError", message: /finite/ });
  });
  test("not numbers", () => {
    assert.throws(() => step(parameters, "123"), { name: "TypeError", message: /x must be an array of real numbers; got string/ });
    assert.throws(() => step(null, [1, 2, 3]), { name: "TypeError", message: /parameters must be an object/ });
  });
  test("ragged arrays and missing parameters", () => {
    assert.throws(() => run(parameters, [[1, 2, 3], [1, 2]]), { name: "RangeError", message: /rectangular/ });
    const { W_o: _unused, ...incomplete } = parameters;
    assert.throws(() => step(incomplete, [1, 2, 3]), { name: "TypeError", message: /missing W_o/ });
  });
  test("lengths out of range or on an unbatched sequence", () => {
    assert.throws(() => run(parameters, [[[1, 2, 3]], [[1, 2, 3]]], { lengths: [3] }),
      { name: "RangeError", message: /lengths must be whole numbers from 1 to 2 .* got 3 at index 0/ });
    assert.throws(() => run(parameters, [[1, 2, 3]], { lengths: [1] }), { name: "RangeError", message: /unbatched/ });
  });
  test("a gradient of the wrong shape", () => {
    const trace = run(parameters, [[1, 2, 3], [0, 1, 0]]);
    assert.throws(() => backward(parameters, trace, [[0, 0, 0, 0]]), { name: "RangeError", message: /dh has shape \(1, 4\); expected \(2, 4\)/ });
    assert.throws(() => backward(parameters, { h: [] }, []), { name: "TypeError", message: /trace must be a trace from run/ });
  });
});

describe("the flat-array functions (runPacked, backwardPacked)", () => {
  const fixture = cases["three units, batch with lengths"];
  const { xs, h0, c0, lengths } = fixture.run.inputs;
  const { dh, dhLast, dcLast } = fixture.backward.inputs;
  const steps = xs.length;
  const batch = xs[0].length;
  const mask = Array.from({ length: steps }, (_, t) => lengths.map((length) => t < length));
  const packed = runPacked(fixture.parameters, flatten(xs), { steps, batch, h0: flatten(h0), c0: flatten(c0), mask });
  test("runPacked gives run()'s numbers, flat", () => {
    for (const field of ["hx", "f", "i", "cTilde", "o", "c", "tanhC", "h", "hLast", "cLast"]) {
      assertClose(Array.from(packed[field]), fixture.run.trace[field].flat(2), `packed.${field}`);
    }
  });
  test("backwardPacked without parameter gradients: the same dh, dc, dh0, dc0; no W, b, dx", () => {
    const gradients = backwardPacked(fixture.parameters, packed, flatten(dh),
      { dhLast: flatten(dhLast), dcLast: flatten(dcLast), parameterGradients: false });
    for (const field of ["dh", "dc", "dh0", "dc0"]) {
      assertClose(Array.from(gradients[field]), fixture.backward.gradients[field].flat(2), field);
    }
    for (const name of [...PARAMETER_NAMES, "dx"]) assert.equal(gradients[name], null);
  });
  test("lengths that do not fit are refused", () => {
    assert.throws(() => runPacked(fixture.parameters, new Float64Array(5), { steps, batch }),
      { name: "RangeError", message: /x has 5 numbers; expected T·batch·input = 48/ });
    assert.throws(() => backwardPacked(fixture.parameters, packed, new Float64Array(3)), { name: "RangeError", message: /dh has 3 numbers/ });
  });
});
