/**
 * Input checks shared by the cells (the JavaScript side of `lstm/_checks.py`).
 *
 * Every check throws a `TypeError` (not an array of numbers) or a `RangeError`
 * (numbers of the wrong shape, or not finite) whose message names the argument,
 * says what was expected and what was given, for example
 * `x has shape (3, 5); expected (batch, 4) to match inputSize=4`.
 * Nothing is broadcast and no NaN or infinity gets into the maths.
 *
 * Arrays are plain nested JavaScript arrays of numbers: a vector is `number[]`,
 * a matrix `number[][]`, a batched sequence `number[][][]`.
 *
 * @module checks
 */

/**
 * The shape of a nested array, e.g. `[3, 5]` for three rows of five numbers.
 *
 * @param {unknown} value
 * @param {string} name  The argument's name, for error messages.
 * @returns {number[]} The shape (`[]` for a number).
 * @throws {TypeError} If `value` holds something other than numbers.
 * @throws {RangeError} If the array is ragged or holds NaN or an infinity.
 */
export function shapeOf(value, name) {
  return shapeAt(value, name, []);
}

/**
 * {@link shapeOf} for the element at `path` of the argument `name` (the name of the element,
 * e.g. `x[1]`, is only written when there is an error to report).
 *
 * @param {unknown} value
 * @param {string} name
 * @param {number[]} path  Indices from the argument down to `value`.
 * @returns {number[]}
 */
function shapeAt(value, name, path) {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new RangeError(`${elementName(name, path)} must contain only finite numbers; got ${value}`);
    }
    return [];
  }
  if (!Array.isArray(value)) {
    const kind = value === null ? "null" : typeof value;
    throw new TypeError(`${elementName(name, path)} must be an array of real numbers; got ${kind}`);
  }
  if (value.length === 0) return [0];
  if (typeof value[0] === "number") {      // a vector: the common case, checked in one loop
    for (let index = 0; index < value.length; index += 1) {
      const item = value[index];
      if (typeof item !== "number" || !Number.isFinite(item)) {
        path.push(index);
        shapeAt(item, name, path);        // throws the right error
        path.pop();
      }
    }
    return [value.length];
  }
  path.push(0);
  const inner = shapeAt(value[0], name, path);
  for (let index = 1; index < value.length; index += 1) {
    path[path.length - 1] = index;
    const other = shapeAt(value[index], name, path);
    if (other.length !== inner.length || other.some((size, axis) => size !== inner[axis])) {
      path.pop();
      throw new RangeError(
        `${elementName(name, path)} must be a rectangular array of numbers; row ${index} has shape ` +
          `${formatShape(other)}, row 0 has ${formatShape(inner)}`,
      );
    }
  }
  path.pop();
  return [value.length, ...inner];
}

/**
 * The name of an element, e.g. `xs[2][0]`.
 *
 * @param {string} name
 * @param {number[]} path
 * @returns {string}
 */
function elementName(name, path) {
  return name + path.map((index) => `[${index}]`).join("");
}

/**
 * A shape written like NumPy's, e.g. `(3, 5)` or `(4,)`.
 *
 * @param {number[]} shape
 * @returns {string}
 */
export function formatShape(shape) {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/**
 * Throw unless `value` has exactly the shape `expected`.
 *
 * @param {unknown} value
 * @param {string} name
 * @param {number[]} expected
 * @param {string} described  The expected shape in words, e.g. `"(2, 3) to match hiddenSize=2"`.
 * @returns {number[]} The shape.
 * @throws {TypeError|RangeError}
 */
export function checkShape(value, name, expected, described) {
  const shape = shapeOf(value, name);
  if (shape.length !== expected.length || shape.some((size, axis) => size !== expected[axis])) {
    throw new RangeError(`${name} has shape ${formatShape(shape)}; expected ${described}`);
  }
  return shape;
}

/**
 * A positive whole number, or throw naming `name`.
 *
 * @param {unknown} value
 * @param {string} name
 * @returns {number}
 */
export function checkSize(value, name) {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be a positive integer; got ${String(value)} (${typeof value})`);
  }
  if (value < 1) throw new RangeError(`${name} must be a positive integer; got ${value}`);
  return value;
}

/**
 * A new `rows` × `columns` matrix of zeros.
 *
 * @param {number} rows
 * @param {number} columns
 * @returns {number[][]}
 */
export function zeros(rows, columns) {
  return Array.from({ length: rows }, () => new Array(columns).fill(0));
}

/**
 * Check the inputs of one step: `x` `(input)` or `(batch, input)` and each state `(hidden)` or
 * `(batch, hidden)` (zeros if missing). Everything is returned with a batch axis.
 *
 * @param {unknown} x
 * @param {Object<string, unknown>} states  State name to value (or undefined/null).
 * @param {number} inputSize
 * @param {number} hiddenSize
 * @returns {{x: number[][], states: number[][][], batched: boolean}}
 */
export function checkStepInputs(x, states, inputSize, hiddenSize) {
  const shape = shapeOf(x, "x");
  let batched;
  if (shape.length === 1 && shape[0] === inputSize) batched = false;
  else if (shape.length === 2 && shape[1] === inputSize && shape[0] > 0) batched = true;
  else {
    throw new RangeError(
      `x has shape ${formatShape(shape)}; expected (${inputSize},) or (batch, ${inputSize}) ` +
        `to match inputSize=${inputSize}`,
    );
  }
  const rows = batched ? x : [x];
  const checked = Object.entries(states).map(([name, value]) => {
    if (value === undefined || value === null) return zeros(rows.length, hiddenSize);
    if (batched) {
      checkShape(value, name, [rows.length, hiddenSize],
        `(batch, hidden) = (${rows.length}, ${hiddenSize}) to match x`);
      return value;
    }
    checkShape(value, name, [hiddenSize], `(${hiddenSize},) like x, which is unbatched`);
    return [value];
  });
  return { x: rows, states: checked, batched };
}

/**
 * Check the inputs of a run: `xs` `(T, input)` or `(T, batch, input)`, initial states and
 * `lengths` (whole numbers from 1 to T, one per row; batched `xs` only). Returned with a
 * batch axis.
 *
 * @param {unknown} xs
 * @param {Object<string, unknown>} states
 * @param {unknown} lengths
 * @param {number} inputSize
 * @param {number} hiddenSize
 * @returns {{xs: number[][][], states: number[][][], lengths: number[]|null, batched: boolean}}
 */
export function checkRunInputs(xs, states, lengths, inputSize, hiddenSize) {
  const shape = shapeOf(xs, "xs");
  let batched;
  if (shape.length === 2 && shape[1] === inputSize) batched = false;
  else if (shape.length === 3 && shape[2] === inputSize) batched = true;
  else {
    throw new RangeError(
      `xs has shape ${formatShape(shape)}; expected (T, ${inputSize}) or (T, batch, ` +
        `${inputSize}) to match inputSize=${inputSize}`,
    );
  }
  if (shape[0] === 0) throw new RangeError("xs has 0 time steps; expected at least one");
  if (batched && shape[1] === 0) throw new RangeError("xs has a batch of 0 rows; expected at least one");
  const steps = shape[0];
  const batch = batched ? shape[1] : 1;
  const withBatch = batched ? xs : xs.map((x) => [x]);
  const checked = Object.entries(states).map(([name, value]) => {
    if (value === undefined || value === null) return zeros(batch, hiddenSize);
    if (batched) {
      checkShape(value, name, [batch, hiddenSize],
        `(batch, hidden) = (${batch}, ${hiddenSize}) to match xs`);
      return value;
    }
    checkShape(value, name, [hiddenSize], `(${hiddenSize},) like xs, which is unbatched`);
    return [value];
  });
  let checkedLengths = null;
  if (lengths !== undefined && lengths !== null) {
    if (!batched) {
      throw new RangeError(
        "lengths was given but xs is unbatched (T, input); lengths needs xs of shape (T, batch, input)",
      );
    }
    checkShape(lengths, "lengths", [batch], `(${batch},), one length per row of xs`);
    lengths.forEach((length, row) => {
      if (!Number.isInteger(length) || length < 1 || length > steps) {
        throw new RangeError(
          `lengths must be whole numbers from 1 to ${steps} (the number of steps); got ` +
            `${length} at index ${row}`,
        );
      }
    });
    checkedLengths = lengths.slice();
  }
  return { xs: withBatch, states: checked, lengths: checkedLengths, batched };
}
