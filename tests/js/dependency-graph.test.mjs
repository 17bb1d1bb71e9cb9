// The dependency explorer's graphs (web/dependency-graph.mjs) against lstm/experiments/disadvantages.py.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  EXPLORER_MAX_LENGTH, attentionDependencies, dependencyExplorer, graphCoordinates, longestDependencyChain,
  recurrentDependencies,
} from "../../web/dependency-graph.mjs";
import { assertClose, loadFixture } from "./helpers.mjs";

const fixture = loadFixture("dependency-graph.json");

describe("dependency explorer equals the Python one for every length", () => {
  test("the same longest length", () => assert.equal(EXPLORER_MAX_LENGTH, fixture.maxLength));
  for (const expected of fixture.lengths) {
    test(`T = ${expected.length}`, () => {
      const values = dependencyExplorer(expected.length);
      assert.deepEqual(values.lstmDependencies, expected.lstmDependencies);
      assert.deepEqual(values.attentionDependencies, expected.attentionDependencies);
      assert.equal(values.lstmChain, expected.lstmChain);
      assert.equal(values.attentionChain, expected.attentionChain);
      assertClose(values.lstmEdges, expected.lstmEdges, "lstmEdges");
      assertClose(values.attentionEdges, expected.attentionEdges, "attentionEdges");
    });
  }
});

describe("longest dependency chain", () => {
  test("other graphs, as in Python", () => {
    for (const { dependencies, chain } of fixture.chains) assert.equal(longestDependencyChain(dependencies), chain);
  });
  test("hand-worked: a recurrent layer of T steps is a chain of T, attention of 1", () => {
    assert.equal(longestDependencyChain(recurrentDependencies(7)), 7);
    assert.equal(longestDependencyChain(attentionDependencies(7)), 1);
    assert.equal(longestDependencyChain({ h1: ["x1"], h2: ["h1", "x2"], y: ["x1", "x2"] }), 2);
  });
  test("a cycle, and bad input, get clear errors", () => {
    assert.throws(() => longestDependencyChain({ a: ["b"], b: ["a"] }), { name: "RangeError", message: /cycle through "a"/ });
    assert.throws(() => longestDependencyChain({ a: "b" }), { name: "TypeError", message: /dependencies\["a"\] must be an array/ });
    assert.throws(() => recurrentDependencies(0), { name: "RangeError", message: /sequenceLength must be a positive integer; got 0/ });
    assert.throws(() => dependencyExplorer(13), { name: "RangeError", message: /length must be from 1 to 12; got 13/ });
  });
  test("an empty graph has coordinates [NaN]", () => {
    assert.ok(Number.isNaN(graphCoordinates({}).xs[0]));
  });
});
