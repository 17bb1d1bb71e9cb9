/**
 * Dependency graphs of a recurrent layer and of self-attention, and their longest chains: the
 * numbers of `dependency_explorer` (`lstm/experiments/disadvantages.py`), in the browser.
 *
 * A graph maps each computed quantity to the quantities it needs, e.g.
 * `{h1: ["h0", "x1"], h2: ["h1", "x2"]}`. Tested equal to the Python functions by
 * `tests/js/dependency-graph.test.mjs`.
 *
 * @module dependency-graph
 */

import { checkSize } from "./checks.mjs";

/** Longest sequence the dependency explorer draws (`EXPLORER_MAX_LENGTH`). */
export const EXPLORER_MAX_LENGTH = 12;

/**
 * A recurrent layer: state `h{t}` needs `h{t-1}` and input `x{t}` (`recurrent_dependencies`).
 *
 * @param {number} sequenceLength  T, a positive whole number.
 * @returns {Object<string, string[]>} `{h1: ["h0", "x1"], ..., hT: ["h{T-1}", "xT"]}`.
 */
export function recurrentDependencies(sequenceLength) {
  const length = checkSize(sequenceLength, "sequenceLength");
  const dependencies = {};
  for (let t = 1; t <= length; t += 1) dependencies[`h${t}`] = [`h${t - 1}`, `x${t}`];
  return dependencies;
}

/**
 * Self-attention: every output `y{t}` needs all inputs (`attention_dependencies`).
 *
 * @param {number} sequenceLength  T, a positive whole number.
 * @returns {Object<string, string[]>} `{y1: ["x1", ..., "xT"], ..., yT: [...]}`.
 */
export function attentionDependencies(sequenceLength) {
  const length = checkSize(sequenceLength, "sequenceLength");
  const inputs = Array.from({ length }, (_, index) => `x${index + 1}`);
  const dependencies = {};
  for (let t = 1; t <= length; t += 1) dependencies[`y${t}`] = inputs.slice();
  return dependencies;
}

/**
 * Length of the longest chain of operations that must run one after another
 * (`longest_dependency_chain`): names that are never keys (inputs) count 0, each computed
 * quantity 1 + the longest of its needs. The number of rounds an ideal parallel machine needs.
 *
 * @param {Object<string, string[]>} dependencies
 * @returns {number} The longest chain (0 for an empty graph).
 * @throws {TypeError} If `dependencies` is not an object of arrays of names.
 * @throws {RangeError} If the graph has a cycle.
 */
export function longestDependencyChain(dependencies) {
  if (dependencies === null || typeof dependencies !== "object" || Array.isArray(dependencies)) {
    throw new TypeError(`dependencies must be an object of name -> needed names; got ${JSON.stringify(dependencies)}`);
  }
  for (const [name, needs] of Object.entries(dependencies)) {
    if (!Array.isArray(needs)) {
      throw new TypeError(`dependencies[${JSON.stringify(name)}] must be an array of names; got ${JSON.stringify(needs)}`);
    }
  }
  const depth = new Map();
  const inProgress = new Set();
  const isComputed = (name) => Object.hasOwn(dependencies, name);
  for (const root of Object.keys(dependencies)) {
    if (depth.has(root)) continue;
    const stack = [[root, false]];
    while (stack.length) {
      const [name, childrenDone] = stack.pop();
      if (depth.has(name)) continue;
      if (!isComputed(name)) {
        depth.set(name, 0);
        continue;
      }
      if (childrenDone) {
        inProgress.delete(name);
        depth.set(name, 1 + Math.max(0, ...dependencies[name].map((need) => depth.get(need))));
        continue;
      }
      if (inProgress.has(name)) throw new RangeError(`dependencies contain a cycle through ${JSON.stringify(name)}`);
      inProgress.add(name);
      stack.push([name, true]);
      for (const need of dependencies[name]) {
        if (inProgress.has(need)) throw new RangeError(`dependencies contain a cycle through ${JSON.stringify(need)}`);
        if (!depth.has(need)) stack.push([need, false]);
      }
    }
  }
  return Math.max(0, ...Object.keys(dependencies).map((name) => depth.get(name)));
}

/**
 * The edges of a graph as one polyline, NaN between segments (`_graph_coordinates`): inputs
 * `x{t}` at height 0, computed nodes at height 1, both at horizontal position t (`h0` at 0).
 *
 * @param {Object<string, string[]>} dependencies
 * @returns {{xs: number[], ys: number[]}} Three entries per edge: start, end, NaN.
 */
export function graphCoordinates(dependencies) {
  const xs = [];
  const ys = [];
  for (const [node, needs] of Object.entries(dependencies)) {
    const nodePosition = Number(node.slice(1));
    for (const need of needs) {
      xs.push(Number(need.slice(1)), nodePosition, Number.NaN);
      ys.push(need.startsWith("x") ? 0.0 : 1.0, 1.0, Number.NaN);
    }
  }
  return xs.length ? { xs, ys } : { xs: [Number.NaN], ys: [Number.NaN] };
}

/**
 * Everything the dependency explorer shows for one sequence length (`DependencyExplorer._compute`).
 *
 * @param {number} length  T, from 1 to {@link EXPLORER_MAX_LENGTH}.
 * @returns {{length: number, lstmDependencies: Object, attentionDependencies: Object,
 *   lstmChain: number, attentionChain: number, lstmEdges: {xs: number[], ys: number[]},
 *   attentionEdges: {xs: number[], ys: number[]}}}
 * @throws {TypeError|RangeError} If `length` is not a whole number from 1 to 12.
 */
export function dependencyExplorer(length) {
  checkSize(length, "length");
  if (length > EXPLORER_MAX_LENGTH) {
    throw new RangeError(`length must be from 1 to ${EXPLORER_MAX_LENGTH}; got ${length}`);
  }
  const lstmDependencies = recurrentDependencies(length);
  const attention = attentionDependencies(length);
  return {
    length,
    lstmDependencies,
    attentionDependencies: attention,
    lstmChain: longestDependencyChain(lstmDependencies),
    attentionChain: longestDependencyChain(attention),
    lstmEdges: graphCoordinates(lstmDependencies),
    attentionEdges: graphCoordinates(attention),
  };
}
