/**
 * Fast, sufficient checks of decoded op values, compiled once from the op
 * schemas (`opSchema`, the contract) so that the format-2 decoder can skip a
 * zod parse for the ops it reads most: a zod object parse costs about as
 * much as reading the whole change.
 *
 * Invariants:
 * - SOUND, not complete: a compiled predicate returns true only for a value
 *   its zod schema accepts and outputs unchanged; false means "ask zod", which
 *   then decides and words the refusal. So the schemas stay the only rule,
 *   and a value this module cannot vouch for costs a zod parse, nothing more.
 * - Whitelist: only schema forms listed here compile (string with length,
 *   regex and refine checks; enum; boolean; safe-int number with bounds and
 *   refines; nullable; array with length bounds). Any other form — a
 *   transform, an optional key, a check kind not listed, a refine on the op
 *   object — compiles to null and that op type is always parsed by zod.
 * - Reads zod's definitions (`_zod.def`, zod 4's internals API) at module
 *   load only; the differential test (`changeCodec.differential.test.ts`)
 *   pins the result to the decoder that parsed everything with zod.
 */

/** A sufficient check: true only if the schema accepts `v` as is. */
type Check = (v: unknown) => boolean;

interface ZodDefLike {
  readonly type?: unknown;
  readonly checks?: readonly unknown[];
  readonly coerce?: unknown;
  readonly innerType?: unknown;
  readonly element?: unknown;
  readonly entries?: unknown;
  readonly shape?: unknown;
  readonly catchall?: unknown;
  readonly check?: unknown;
  readonly format?: unknown;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly value?: unknown;
  readonly inclusive?: unknown;
  readonly pattern?: unknown;
  readonly fn?: unknown;
}

/** The compiled checks of one op type. */
export interface OpCheck {
  /** The shape's keys, `t` included, in the schema's order: zod's output order. */
  readonly keys: readonly string[];
  /** One per key (`t`'s is null: the decoder found the type by it). */
  readonly checks: readonly (Check | null)[];
}

function defOf(schema: unknown): ZodDefLike | null {
  if (typeof schema !== "object" || schema === null) return null;
  const internals = (schema as { _zod?: { def?: unknown } })._zod;
  const def = internals?.def;
  return typeof def === "object" && def !== null ? (def as ZodDefLike) : null;
}

/** The definitions of a schema's checks, or null if one is not readable. */
function checkDefs(def: ZodDefLike): ZodDefLike[] | null {
  const out: ZodDefLike[] = [];
  for (const c of def.checks ?? []) {
    const d = defOf(c);
    if (!d) return null;
    out.push(d);
  }
  return out;
}

function isNumber(v: unknown): v is number {
  return typeof v === "number";
}

/** A refine: passes only on a literal `true` (zod passes any truthy result; a promise would make zod throw). */
function refineCheck(d: ZodDefLike): Check | null {
  const fn = d.fn;
  if (typeof fn !== "function") return null;
  return (v) => (fn as (x: unknown) => unknown)(v) === true;
}

function stringCheck(d: ZodDefLike): Check | null {
  const { minimum, maximum, pattern } = d;
  switch (d.check) {
    // zod counts code points; a code point is one or two UTF-16 units.
    case "min_length":
      return isNumber(minimum) ? (v) => Math.ceil((v as string).length / 2) >= minimum : null;
    case "max_length":
      return isNumber(maximum) ? (v) => (v as string).length <= maximum : null;
    case "string_format":
      if (d.format !== "regex" || !(pattern instanceof RegExp)) return null;
      return (v) => {
        pattern.lastIndex = 0; // as zod does before each test
        return pattern.test(v as string);
      };
    case "custom":
      return refineCheck(d);
    default:
      return null;
  }
}

function numberCheck(d: ZodDefLike): Check | null {
  const { value } = d;
  switch (d.check) {
    case "number_format":
      return d.format === "safeint" ? () => true : null; // the base check below is Number.isSafeInteger
    case "greater_than":
      if (!isNumber(value)) return null;
      return d.inclusive === true ? (v) => (v as number) >= value : (v) => (v as number) > value;
    case "less_than":
      if (!isNumber(value)) return null;
      return d.inclusive === true ? (v) => (v as number) <= value : (v) => (v as number) < value;
    case "custom":
      return refineCheck(d);
    default:
      return null;
  }
}

function lengthCheck(d: ZodDefLike): Check | null {
  const { minimum, maximum } = d;
  if (d.check === "min_length" && isNumber(minimum)) return (v) => (v as unknown[]).length >= minimum;
  if (d.check === "max_length" && isNumber(maximum)) return (v) => (v as unknown[]).length <= maximum;
  return null;
}

/** `base` and then every check compiled by `compile`, or null if one does not compile. */
function withChecks(def: ZodDefLike, base: Check, compile: (d: ZodDefLike) => Check | null): Check | null {
  const defs = checkDefs(def);
  if (!defs) return null;
  const checks: Check[] = [];
  for (const d of defs) {
    const c = compile(d);
    if (!c) return null;
    checks.push(c);
  }
  return (v) => {
    if (!base(v)) return false;
    for (const c of checks) if (!c(v)) return false;
    return true;
  };
}

/** The sufficient check of a field schema, or null if its form is not one this module knows. */
export function compileFieldCheck(schema: unknown): Check | null {
  const def = defOf(schema);
  if (!def || def.coerce === true) return null;
  switch (def.type) {
    case "string":
      return withChecks(def, (v) => typeof v === "string", stringCheck);
    case "number":
      return withChecks(def, (v) => Number.isSafeInteger(v), numberCheck);
    case "boolean":
      return (checkDefs(def) ?? [null]).length === 0 ? (v) => typeof v === "boolean" : null;
    case "enum": {
      if ((checkDefs(def) ?? [null]).length !== 0 || typeof def.entries !== "object" || def.entries === null) return null;
      const values = new Set(Object.values(def.entries).filter((x): x is string => typeof x === "string"));
      return (v) => typeof v === "string" && values.has(v);
    }
    case "nullable": {
      if ((checkDefs(def) ?? [null]).length !== 0) return null;
      const inner = compileFieldCheck(def.innerType);
      return inner ? (v) => v === null || inner(v) : null;
    }
    case "array": {
      const element = compileFieldCheck(def.element);
      if (!element) return null;
      return withChecks(def, (v) => Array.isArray(v) && v.every(element), lengthCheck);
    }
    default:
      return null;
  }
}

/** The compiled checks of an op type's strict object schema, or null if any part of it is not compilable. */
export function compileOpCheck(option: unknown): OpCheck | null {
  const def = defOf(option);
  if (!def || def.type !== "object" || (checkDefs(def) ?? [null]).length !== 0) return null;
  // Strict (catchall never): the decoder never builds unknown keys anyway.
  if (defOf(def.catchall)?.type !== "never") return null;
  const shape = def.shape;
  if (typeof shape !== "object" || shape === null) return null;
  const keys: string[] = [];
  const checks: (Check | null)[] = [];
  for (const [key, field] of Object.entries(shape)) {
    if (key === "__proto__") return null; // zod leaves it out of its output
    const check = key === "t" ? null : compileFieldCheck(field);
    if (key !== "t" && !check) return null;
    keys.push(key);
    checks.push(check);
  }
  return { keys, checks };
}
