// web/live-explorer.mjs: the alt texts format numbers exactly as Python's f-strings do
// (the page's alt text is compared with the Python explorer's describe() in Chromium).
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { RENDERERS, fixed, pyExp, pyG } from "../../web/live-explorer.mjs";

describe("number formats of the alt texts", () => {
  test("fixed is format_number: two decimals and a true minus sign", () => {
    assert.equal(fixed(-0.5), "−0.50");
    assert.equal(fixed(1.234, 3), "1.234");
    assert.equal(fixed(2), "2.00");
  });
  test("pyExp is Python's .1e: a two-digit exponent", () => {
    assert.equal(pyExp(2.2e-14), "2.2e-14");
    assert.equal(pyExp(1.7e-5), "1.7e-05");
    assert.equal(pyExp(1), "1.0e+00");
    assert.equal(pyExp(123456), "1.2e+05");
  });
  test("pyG is Python's :g for slider values", () => {
    assert.equal(pyG(2), "2");
    assert.equal(pyG(-3), "-3");
    assert.equal(pyG(0.05), "0.05");
    assert.equal(pyG(-0.1), "-0.1");
    assert.equal(pyG(1.7000000000000002), "1.7");
  });
});

test("one renderer per explorer the book shows live", () => {
  assert.deepEqual(Object.keys(RENDERERS).sort(),
    ["dependency-chain", "diagram", "gradient-flow", "memory", "sequence", "step", "training", "variants"]);
});
