// Reading fields out of a webhook payload we only know as `unknown` JSON: each reader answers
// undefined for a missing or wrong-typed value instead of throwing, so a payload we do not
// understand projects nothing (it is stored anyway). The one copy of these readers: platform
// checks (platforms/*/verify.ts) and projections (platforms/*/project.ts) both use it.

export type JsonObject = Record<string, unknown>;

/** The parsed body, or undefined when it is not JSON. Intake has bounded its size and depth first. */
export function parseJson(body: Buffer | string): unknown {
  try {
    return JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `value[key]`, or undefined. */
export function objectAt(value: unknown, key: string): JsonObject | undefined {
  const child = isObject(value) ? value[key] : undefined;
  return isObject(child) ? child : undefined;
}

/** A non-empty string. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A string, or a number written as an id (EnableX may send `conf_num` either way). */
export function idText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return text(value);
}

/** A finite number, or a decimal string of one (protobuf JSON writes 64-bit integers as strings). */
export function finiteNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

/** Like finiteNumber, but only ≥ 0: sizes and durations (LiveKit has sent negative durations, egress#809). */
export function nonNegative(value: unknown): number | undefined {
  const number = finiteNumber(value);
  return number !== undefined && number >= 0 ? number : undefined;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return allowed.includes(value as T) ? (value as T) : undefined;
}
