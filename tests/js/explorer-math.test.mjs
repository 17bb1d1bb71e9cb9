// The explorers' numbers (web/explorer-math.mjs) against lstm/explorers.py, to 1e-12.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  DEFAULT_GATE_PARAMETERS, GATES, INPUT_PRESETS, SEQUENCE_CONTROL_RANGES, SEQUENCE_DEFAULTS, SEQUENCE_SCENARIOS,
  diagramExplorer, memoryExplorer, memoryKept, sequenceCellLimits, sequenceExplorer, stepExplorer,
} from "../../web/explorer-math.mjs";
import { STEP_FIELDS } from "../../web/lstm-cell.mjs";
import { assertClose, loadFixture } from "./helpers.mjs";

const fixture = loadFixture("explorer-math.json");

describe("the constants are the Python explorers'", () => {
  test("gate parameters, presets, defaults, control ranges, scenarios", () => {
    assert.deepEqual(DEFAULT_GATE_PARAMETERS, fixture.defaultGateParameters);
    assert.deepEqual(INPUT_PRESETS, fixture.inputPresets);
    assert.deepEqual(SEQUENCE_DEFAULTS, fixture.sequenceDefaults);
    assert.deepEqual(SEQUENCE_CONTROL_RANGES, fixture.sequenceControlRanges);
    assert.deepEqual(SEQUENCE_SCENARIOS, fixture.scenarios);
  });
});

describe("memory explorer (chapter 1)", () => {
  fixture.memory.forEach(({ controls, expected }, index) => {
    test(`setting ${index}: ${JSON.stringify(controls)}`, () => {
      const values = memoryExplorer(controls);
      for (const [name, value] of Object.entries(expected)) assertClose(values[name], value, name);
    });
  });
  test("memoryKept: last over first, 0 when the first is 0", () => {
    assert.equal(memoryKept([2, 1, 0.5]), 0.25);
    assert.equal(memoryKept([0, 1]), 0);
  });
  test("a control outside its slider's range is refused", () => {
    assert.throws(() => memoryExplorer({ rnnWeight: 1.5, forgetBias: 0, steps: 10 }),
      { name: "RangeError", message: "rnnWeight must be from 0 to 1; got 1.5" });
    assert.throws(() => memoryExplorer({ rnnWeight: 0.5, forgetBias: 0, steps: 10.5 }),
      { name: "RangeError", message: /steps must be a whole number from 5 to 100/ });
  });
});

describe("diagram explorer (chapter 2)", () => {
  fixture.diagram.forEach(({ controls, step }, index) => {
    test(`setting ${index}: ${JSON.stringify(controls)}`, () => {
      const values = diagramExplorer(controls);
      for (const field of STEP_FIELDS) assertClose(values[field], step[field], field);
    });
  });
});

for (const gate of GATES) {
  describe(`step explorer, ${gate} (chapters 3-5)`, () => {
    fixture.step[gate].forEach(({ controls, expected }, index) => {
      test(`setting ${index}: ${JSON.stringify(controls)}`, () => {
        const values = stepExplorer(gate, controls);
        for (const field of STEP_FIELDS) assertClose(values.step[field], expected.step[field], `step.${field}`);
        for (const name of ["z", "gateValue", "cellStepValues"]) assertClose(values[name], expected[name], name);
      });
    });
  });
}

describe("sequence explorer (chapter 6)", () => {
  fixture.sequence.forEach(({ controls, expected }, index) => {
    test(`setting ${index}: ${controls.preset}, forget bias ${controls.forgetBias}`, () => {
      const values = sequenceExplorer(controls, fixture.sequenceData);
      assertClose(values.xs, expected.xs, "xs");
      for (const [field, value] of Object.entries(expected.trace)) assertClose(values.trace[field], value, `trace.${field}`);
      assert.deepEqual(values.cellLimits, expected.cellLimits);
      assertClose(values.gateMeans, expected.gateMeans, "gateMeans");
    });
  });
  test("every scenario is among the checked settings", () => {
    for (const { values } of Object.values(SEQUENCE_SCENARIOS)) {
      assert.ok(fixture.sequence.some(({ controls }) => JSON.stringify(controls) === JSON.stringify(values)));
    }
  });
  test("cell-state axis: at least ±1.1, rounded up to a multiple of 0.5", () => {
    assert.deepEqual(sequenceCellLimits([[0.1, -0.2]]), [-1.5, 1.5]);     // 1.1 -> 1.5
    assert.deepEqual(sequenceCellLimits([[2.0], [-0.5]]), [-2.5, 2.5]);   // 2.3 -> 2.5
  });
  test("bad controls are refused by name", () => {
    assert.throws(() => sequenceExplorer({ ...SEQUENCE_DEFAULTS, preset: "square" }, fixture.sequenceData),
      { name: "RangeError", message: "preset must be one of step, pulse, sine, noise; got square" });
    assert.throws(() => sequenceExplorer({ ...SEQUENCE_DEFAULTS, forgetBias: 9 }, fixture.sequenceData),
      { name: "RangeError", message: "forgetBias must be from -8 to 8; got 9" });
    const { noise: _unused, ...incomplete } = SEQUENCE_DEFAULTS;
    assert.throws(() => sequenceExplorer(incomplete, fixture.sequenceData), { name: "TypeError", message: /missing noise/ });
  });
});
