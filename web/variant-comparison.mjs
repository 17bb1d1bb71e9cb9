/**
 * Chapter 10's comparison in JavaScript: the LSTM, the coupled LSTM and the GRU on the same
 * pulses (a port of `lstm/variant_comparison.py`, tested equal to it by
 * `tests/js/variants.test.mjs`).
 *
 * The three one-unit cells share one "keep" bias: the LSTM's forget bias `b_f`, the coupled
 * LSTM's `b_f` and the GRU's update bias `b_z`. With no input all three keep σ(keep) of their
 * memory per step; at a pulse the LSTM keeps its old memory and adds the new one, while the GRU
 * and the coupled LSTM forget exactly what they write.
 *
 * @module variant-comparison
 */

import { run } from "./lstm-cell.mjs";
import { gruRun } from "./gru-cell.mjs";
import { variantRun } from "./lstm-variants.mjs";

/** Steps of the comparison (`STEPS`). */
export const STEPS = 30;
/** 0-based positions of the two pulses (`FIRST_PULSE`, `SECOND_PULSE`). */
export const FIRST_PULSE = 3;
export const SECOND_PULSE = 14;
/** Weight of x_t on the write gates, and their bias without input (`WRITE_WEIGHT`, `WRITE_BIAS`). */
export const WRITE_WEIGHT = 8.0;
export const WRITE_BIAS = -4.0;
/** Weight of x_t in the candidate (`CANDIDATE_WEIGHT`). */
export const CANDIDATE_WEIGHT = 2.0;
/** The LSTM's output-gate bias (`OUTPUT_BIAS`). */
export const OUTPUT_BIAS = 2.0;
/** Value limits of the state panel; the drawn lines are clipped to them (`STATE_LIMITS`). */
export const STATE_LIMITS = Object.freeze([-0.1, 2.05]);

function checkReal(name, value, low, high) {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`${name} must be a real number; got ${String(value)} (${typeof value})`);
  }
  if (!(value >= low && value <= high)) throw new RangeError(`${name} must lie between ${low} and ${high}; got ${value}`);
  return value;
}

/**
 * The input sequence: a pulse of 1 at step 4 and one of `secondPulse` at step 15 (`pulse_inputs`).
 *
 * @param {number} [secondPulse]  Between 0 and 1 (default 0.5).
 * @param {number} [steps]  An integer above 14 (default 30).
 * @returns {number[][]} `(steps, 1)`.
 * @throws {TypeError|RangeError}
 */
export function pulseInputs(secondPulse = 0.5, steps = STEPS) {
  checkReal("secondPulse", secondPulse, 0.0, 1.0);
  if (!Number.isInteger(steps) || steps <= SECOND_PULSE) {
    throw new RangeError(`steps must be an integer above ${SECOND_PULSE}; got ${steps}`);
  }
  const xs = Array.from({ length: steps }, () => [0.0]);
  xs[FIRST_PULSE][0] = 1.0;
  xs[SECOND_PULSE][0] = secondPulse;
  return xs;
}

/**
 * The one-unit LSTM, coupled LSTM and GRU that play the same roles (`variant_cells`); every
 * weight on h_{t-1} is 0.
 *
 * @param {number} [keepBias]  From -2 to 8 (default 3).
 * @returns {{lstm: Object, coupled: Object, gru: Object}} Parameter objects of the three cells.
 * @throws {TypeError|RangeError}
 */
export function variantCells(keepBias = 3.0) {
  const keep = checkReal("keepBias", keepBias, -2.0, 8.0);
  return {
    lstm: {
      W_f: [[0.0, 0.0]], b_f: [keep], W_i: [[0.0, WRITE_WEIGHT]], b_i: [WRITE_BIAS],
      W_c: [[0.0, CANDIDATE_WEIGHT]], b_c: [0.0], W_o: [[0.0, 0.0]], b_o: [OUTPUT_BIAS],
    },
    coupled: {
      W_f: [[0.0, -WRITE_WEIGHT]], b_f: [keep], W_c: [[0.0, CANDIDATE_WEIGHT]], b_c: [0.0],
      W_o: [[0.0, 0.0]], b_o: [OUTPUT_BIAS],
    },
    gru: {
      W_r: [[0.0, 0.0]], b_r: [0.0], W_z: [[0.0, -WRITE_WEIGHT]], b_z: [keep],
      W_n: [[0.0, CANDIDATE_WEIGHT]], b_n: [0.0], b_hn: [0.0],
    },
  };
}

/**
 * The three cells run on the pulses (`compare_variants`).
 *
 * @param {number} [keepBias]
 * @param {number} [secondPulse]
 * @param {number} [steps]
 * @returns {{xs: number[][], keepBias: number, secondPulse: number, lstm: Object, coupled: Object, gru: Object}}
 *   The traces of `lstm-cell.mjs`'s `run`, `lstm-variants.mjs`'s `variantRun("coupled", ...)` and `gruRun`.
 */
export function compareVariants(keepBias = 3.0, secondPulse = 0.5, steps = STEPS) {
  const xs = pulseInputs(secondPulse, steps);
  const cells = variantCells(keepBias);
  return {
    xs, keepBias, secondPulse, lstm: run(cells.lstm, xs), coupled: variantRun("coupled", cells.coupled, xs),
    gru: gruRun(cells.gru, xs),
  };
}

/**
 * The memory of each cell after `step` (1-based): the LSTMs' c_t, the GRU's h_t (`memory_after`).
 *
 * @param {Object} result  From {@link compareVariants}.
 * @param {number} step
 * @returns {{"LSTM c": number, "coupled LSTM c": number, "GRU h": number}}
 */
export function memoryAfter(result, step) {
  const index = step - 1;
  return { "LSTM c": result.lstm.c[index][0], "coupled LSTM c": result.coupled.c[index][0],
    "GRU h": result.gru.h[index][0] };
}

/**
 * The left panel's series: line name -> values over time (`gate_lines`).
 *
 * @param {Object} result
 * @returns {{lstmF: number[], lstmI: number[], gruZ: number[], gruWrite: number[]}} (`lstm_f`, ...)
 */
export function gateLines(result) {
  const first = (rows) => rows.map((row) => row[0]);
  return { lstmF: first(result.lstm.f), lstmI: first(result.lstm.i), gruZ: first(result.gru.z),
    gruWrite: result.gru.z.map((row) => 1.0 - row[0]) };
}

/**
 * The right panel's series: line name -> values over time (`state_lines`).
 *
 * @param {Object} result
 * @returns {{lstmC: number[], lstmH: number[], gruH: number[]}} (`lstm_c`, ...)
 */
export function stateLines(result) {
  const first = (rows) => rows.map((row) => row[0]);
  return { lstmC: first(result.lstm.c), lstmH: first(result.lstm.h), gruH: first(result.gru.h) };
}

/**
 * The explorer's alt text for a comparison, as `VariantExplorer.describe()` writes it
 * (Python's `:.1f`, `:.0%` and `:.2f` formats).
 *
 * @param {Object} result  From {@link compareVariants}.
 * @returns {string}
 */
export function describeComparison(result) {
  const before = memoryAfter(result, SECOND_PULSE);
  const after = memoryAfter(result, SECOND_PULSE + 1);
  const kept = `${(result.lstm.f[0][0] * 100).toFixed(0)}%`;
  return `Keep bias ${result.keepBias.toFixed(1)}: with no input both cells keep ${kept} of their memory per ` +
    `step. Just before the second pulse (height ${result.secondPulse.toFixed(2)}) the LSTM's cell state is ` +
    `${before["LSTM c"].toFixed(2)} and the GRU's state ${before["GRU h"].toFixed(2)}; after it they are ` +
    `${after["LSTM c"].toFixed(2)} (the LSTM adds) and ${after["GRU h"].toFixed(2)} (the GRU moves its state ` +
    "towards the new candidate).";
}
