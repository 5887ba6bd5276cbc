/**
 * The compiled encoders' per-shape holders: a holder's function compiles its shape on the first call and replaces
 * itself, so shapes that refer to each other (or to themselves) are compiled lazily, each once. And the constants
 * a compiled function's source names.
 */
import type { ServiceModel, Shape } from "./types.js";

export interface Holder<F extends (...args: any[]) => void> {
  fn: F;
}

export function holderFor<F extends (...args: any[]) => void>(
  holders: WeakMap<Shape, Holder<F>>,
  model: ServiceModel,
  shape: Shape,
  compile: (model: ServiceModel, shape: Shape) => F,
): Holder<F> {
  let h = holders.get(shape);
  if (!h) {
    const hh: Holder<F> = {
      fn: ((...args: Parameters<F>) => {
        hh.fn = compile(model, shape);
        hh.fn(...args);
      }) as F,
    };
    holders.set(shape, hh);
    h = hh;
  }
  return h;
}

/** The constants a compiled function's source names k0, k1, ...: ref(v) adds one, prelude() declares them all from K. */
export function constants(): { values: unknown[]; ref: (v: unknown) => string; prelude: () => string } {
  const values: unknown[] = [];
  return {
    values,
    ref: (v) => {
      values.push(v);
      return `k${values.length - 1}`;
    },
    prelude: () => values.map((_, i) => `const k${i} = K[${i}];`).join(" "),
  };
}

/** A string as a JavaScript literal in generated source. */
export const lit = (s: string) => JSON.stringify(s);
