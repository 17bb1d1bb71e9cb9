/**
 * Shared helpers of the JavaScript tests: reading the fixtures written by
 * `tools/make_js_fixtures.py` and comparing nested arrays of numbers.
 *
 * @module helpers
 */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

/**
 * A fixture file of `tests/js/fixtures/`, parsed.
 *
 * @param {string} name  File name, e.g. `"lstm-cell.json"`.
 * @returns {Object}
 */
export function loadFixture(name) {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
}

/**
 * Assert that `actual` equals `expected` to the tolerance, element by element, like
 * `numpy.isclose`: |actual − expected| ≤ atol + rtol·|expected|. Both must have the same
 * nesting, lengths and object keys; non-numbers (booleans, strings, null) must be equal. A `null` in the
 * fixture stands for NaN (JSON has no NaN).
 *
 * @param {unknown} actual
 * @param {unknown} expected
 * @param {string} where  Name of the value, for the message (e.g. `"trace.c"`).
 * @param {{rtol?: number, atol?: number}} [tolerance]  Defaults 1e-12 and 1e-12.
 */
export function assertClose(actual, expected, where, { rtol = 1e-12, atol = 1e-12 } = {}) {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${where}: length`);
    expected.forEach((item, index) => assertClose(actual[index], item, `${where}[${index}]`, { rtol, atol }));
    return;
  }
  if (expected !== null && typeof expected === "object") {
    assert.ok(actual !== null && typeof actual === "object", `${where}: expected an object, got ${JSON.stringify(actual)}`);
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${where}: keys`);
    for (const [key, item] of Object.entries(expected)) assertClose(actual[key], item, `${where}.${key}`, { rtol, atol });
    return;
  }
  if (expected === null && typeof actual === "number") {
    assert.ok(Number.isNaN(actual), `${where}: expected NaN (null in the fixture), got ${actual}`);
    return;
  }
  if (typeof expected !== "number") {
    assert.deepEqual(actual, expected, where);
    return;
  }
  assert.equal(typeof actual, "number", `${where}: expected a number, got ${JSON.stringify(actual)}`);
  const error = Math.abs(actual - expected);
  assert.ok(
    actual === expected || error <= atol + rtol * Math.abs(expected),
    `${where}: got ${actual}, expected ${expected} (difference ${error})`,
  );
}
