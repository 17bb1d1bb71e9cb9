// Chapter 10's cells and comparison in JavaScript (web/gru-cell.mjs, web/lstm-variants.mjs,
// web/variant-comparison.mjs) against lstm/gru.py, lstm/variants.py and
// lstm/variant_comparison.py, to 1e-12. Fixtures: tools/make_js_fixtures.py.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { GRU_PARAMETER_NAMES, GRU_STEP_FIELDS, gruRun, gruStep } from "../../web/gru-cell.mjs";
import { run } from "../../web/lstm-cell.mjs";
import { VARIANT_STEP_FIELDS, variantRun, variantStep } from "../../web/lstm-variants.mjs";
import {
  CANDIDATE_WEIGHT, FIRST_PULSE, OUTPUT_BIAS, SECOND_PULSE, STATE_LIMITS, STEPS, WRITE_BIAS, WRITE_WEIGHT,
  compareVariants, describeComparison, gateLines, memoryAfter, pulseInputs, stateLines, variantCells,
} from "../../web/variant-comparison.mjs";
import { assertClose, loadFixture } from "./helpers.mjs";

const gruCases = loadFixture("gru-cell.json");
const variantCases = loadFixture("lstm-variants.json");
const comparison = loadFixture("variant-comparison.json");

for (const [name, fixture] of Object.entries(gruCases)) {
  describe(`GRU cell: ${name}`, () => {
    test("gruStep() gives every intermediate of GRUCell.step", () => {
      const { x, hPrev } = fixture.step.inputs;
      const values = gruStep(fixture.parameters, x, hPrev);
      assert.deepEqual(Object.keys(values), GRU_STEP_FIELDS);
      for (const field of GRU_STEP_FIELDS) assertClose(values[field], fixture.step.values[field], `step.${field}`);
    });
    test("gruRun() gives every intermediate of GRUCell.run", () => {
      const { xs, h0, lengths } = fixture.run.inputs;
      const trace = gruRun(fixture.parameters, xs, { h0, lengths });
      assert.deepEqual(Object.keys(trace).sort(), [...Object.keys(fixture.run.trace), "batched"].sort());
      for (const [field, expected] of Object.entries(fixture.run.trace)) assertClose(trace[field], expected, `trace.${field}`);
    });
  });
}

describe("GRU cell: hand-worked values", () => {
  // One unit, W_r = [0, 0], b_r = 0 (r = 1/2); W_z = [0, 0], b_z = ln 3 (z = 3/4);
  // W_n = [2, ln 2], b_n = 0, b_hn = 0; x = 1, h_{t-1} = 0: n = tanh(ln 2 + 1/2 · 0) = 0.6,
  // h = (1 − 3/4) · 0.6 + 3/4 · 0 = 0.15. With h_{t-1} = 0.5: n_h = 1, z_n = ln 2 + 0.5.
  const parameters = { W_r: [[0, 0]], b_r: [0], W_z: [[0, 0]], b_z: [Math.log(3)], W_n: [[2, Math.log(2)]],
    b_n: [0], b_hn: [0] };
  test("reset and update gates, candidate and new state", () => {
    const first = gruStep(parameters, [1], [0]);
    assertClose(first.r, [0.5], "r");
    assertClose(first.z, [0.75], "z");
    assertClose(first.n, [0.6], "n");
    assertClose(first.h, [0.15], "h");
    const second = gruStep(parameters, [1], [0.5]);
    assertClose(second.nH, [1], "n_h = W_n^h h_{t-1} + b_hn");
    assertClose(second.zN, [Math.log(2) + 0.5], "z_n = n_x + r n_h: the reset acts inside");
    assertClose(second.h, [0.25 * Math.tanh(Math.log(2) + 0.5) + 0.75 * 0.5], "h");
  });
  test("b_hn sits inside the reset: with r = 0 it does nothing", () => {
    const closed = { ...parameters, b_r: [-1000], b_hn: [5] };
    assertClose(gruStep(closed, [1], [0]).zN, [Math.log(2)], "z_n");
  });
});

describe("GRU cell: bad input gets a clear error", () => {
  const parameters = gruCases["four units, batch of three"].parameters;
  test("wrong shapes and missing parameters name the argument", () => {
    assert.throws(() => gruStep(parameters, [1]), { name: "RangeError", message: /x has shape \(1,\); expected \(2,\)/ });
    assert.throws(() => gruRun(parameters, [[1, 2]], { h0: [0] }), { name: "RangeError", message: /h0 has shape \(1,\); expected \(4,\)/ });
    const { b_hn: _, ...missing } = parameters;
    assert.throws(() => gruStep(missing, [1, 2]), { name: "TypeError", message: /missing b_hn/ });
    assert.throws(() => gruStep({ ...parameters, b_z: [0] }, [1, 2]), { name: "RangeError", message: /b_z has shape \(1,\); expected \(4,\)/ });
    assert.deepEqual(GRU_PARAMETER_NAMES, Object.keys(parameters));
  });
});

for (const [kind, cases] of Object.entries(variantCases)) {
  for (const [name, fixture] of Object.entries(cases)) {
    describe(`${kind} LSTM: ${name}`, () => {
      test("variantStep() gives every intermediate of step()", () => {
        const { x, hPrev, cPrev } = fixture.step.inputs;
        const values = variantStep(kind, fixture.parameters, x, hPrev, cPrev);
        assert.deepEqual(Object.keys(values), VARIANT_STEP_FIELDS[kind]);
        for (const field of VARIANT_STEP_FIELDS[kind]) assertClose(values[field], fixture.step.values[field], `step.${field}`);
      });
      test("variantRun() gives every intermediate of run()", () => {
        const { xs, h0, c0, lengths } = fixture.run.inputs;
        const trace = variantRun(kind, fixture.parameters, xs, { h0, c0, lengths });
        assert.deepEqual(Object.keys(trace).sort(), [...Object.keys(fixture.run.trace), "batched"].sort());
        for (const [field, expected] of Object.entries(fixture.run.trace)) assertClose(trace[field], expected, `trace.${field}`);
      });
    });
  }
}

describe("LSTM variants: hand-worked values", () => {
  test("coupled: i = 1 − f, and c_t is the average of c_{t-1} and c̃_t", () => {
    // z_f = ln 3: f = 3/4, i = 1/4; c̃ = tanh(ln 2) = 0.6; c = 3/4 · 2 + 1/4 · 0.6 = 1.65
    const parameters = { W_f: [[0, 0]], b_f: [Math.log(3)], W_c: [[0, 0]], b_c: [Math.log(2)], W_o: [[0, 0]], b_o: [0] };
    const values = variantStep("coupled", parameters, [1], [0], [2]);
    assertClose(values.f, [0.75], "f");
    assertClose(values.i, [0.25], "i");
    assertClose(values.c, [1.65], "c");
    assertClose(values.h, [0.5 * Math.tanh(1.65)], "h");
  });
  test("peephole: the forget and input gates see c_{t-1}, the output gate c_t", () => {
    // p_f = ln 3 / 2 with c_{t-1} = 2: z_f = ln 3, f = 3/4; p_i = 0: i = 1/2; c̃ = 0.6;
    // c = 1.5 + 0.3 = 1.8; p_o = 1: z_o = 1.8.
    const zero = [[0, 0]];
    const parameters = { W_f: zero, W_i: zero, W_c: zero, W_o: zero, b_f: [0], b_i: [0], b_c: [Math.log(2)], b_o: [0],
      p_f: [Math.log(3) / 2], p_i: [0], p_o: [1] };
    const values = variantStep("peephole", parameters, [1], [0], [2]);
    assertClose(values.f, [0.75], "f");
    assertClose(values.c, [1.8], "c");
    assertClose(values.zO, [1.8], "z_o");
  });
  test("zero peepholes compute the LSTM", () => {
    const fixture = variantCases.peephole["three units, batch with lengths"];
    const { p_f: _f, p_i: _i, p_o: _o, ...lstm } = fixture.parameters;
    const zeros = fixture.parameters.p_f.map(() => 0);
    const { xs, h0, c0, lengths } = fixture.run.inputs;
    const peephole = variantRun("peephole", { ...lstm, p_f: zeros, p_i: zeros, p_o: zeros }, xs, { h0, c0, lengths });
    assertClose(peephole.h, run(lstm, xs, { h0, c0, lengths }).h, "h");
  });
  test("bad input gets a clear error", () => {
    const parameters = variantCases.coupled["one unit, unbatched"].parameters;
    assert.throws(() => variantStep("plain", parameters, [1]), { name: "RangeError", message: /kind must be one of peephole, coupled; got plain/ });
    assert.throws(() => variantStep("peephole", parameters, [1]), { name: "TypeError", message: /missing W_i, b_i, p_f, p_i, p_o/ });
    assert.throws(() => variantRun("coupled", parameters, [[1, 2]]), { name: "RangeError", message: /xs has shape \(1, 2\); expected \(T, 1\)/ });
  });
});

describe("chapter 10's comparison equals lstm/variant_comparison.py", () => {
  test("the constants", () => {
    assert.deepEqual({ STEPS, FIRST_PULSE, SECOND_PULSE, WRITE_WEIGHT, WRITE_BIAS, CANDIDATE_WEIGHT, OUTPUT_BIAS,
      STATE_LIMITS: [...STATE_LIMITS] }, comparison.constants);
  });
  for (const fixture of comparison.cases) {
    const { keepBias, secondPulse } = fixture.controls;
    test(`keep bias ${keepBias}, second pulse ${secondPulse}: cells, traces, lines and alt text`, () => {
      assert.deepEqual(pulseInputs(secondPulse), fixture.xs);
      assert.deepEqual(variantCells(keepBias), fixture.cells);
      const result = compareVariants(keepBias, secondPulse);
      for (const cell of ["lstm", "coupled", "gru"]) {
        for (const [field, expected] of Object.entries(fixture[cell])) assertClose(result[cell][field], expected, `${cell}.${field}`);
      }
      assertClose(gateLines(result), fixture.gateLines, "gateLines");
      assertClose(stateLines(result), fixture.stateLines, "stateLines");
      assertClose(memoryAfter(result, SECOND_PULSE), fixture.memoryBefore, "memoryAfter(14)");
      assertClose(memoryAfter(result, SECOND_PULSE + 1), fixture.memoryAfter, "memoryAfter(15)");
      assert.equal(describeComparison(result), fixture.description);
    });
  }
  test("with no input every cell keeps σ(keep) of its memory per step", () => {
    const result = compareVariants(1.5, 0.0);
    const keep = 1 / (1 + Math.exp(-1.5));
    for (const t of [6, 10, 25]) {   // after the first pulse, no input: c_t = σ(keep) c_{t-1} (the write gates ≈ 0)
      assertClose(result.lstm.f[t][0], keep, "LSTM f");
      assertClose(result.gru.z[t][0], keep, "GRU z");
      assertClose(result.coupled.f[t][0], keep, "coupled f");
    }
  });
  test("bad settings get a clear error", () => {
    assert.throws(() => compareVariants(9, 0.5), { name: "RangeError", message: /keepBias must lie between -2 and 8; got 9/ });
    assert.throws(() => pulseInputs(1.5), { name: "RangeError", message: /secondPulse must lie between 0 and 1; got 1.5/ });
    assert.throws(() => pulseInputs("0.5"), { name: "TypeError", message: /secondPulse must be a real number/ });
    assert.throws(() => pulseInputs(0.5, 10), { name: "RangeError", message: /steps must be an integer above 14; got 10/ });
  });
});
