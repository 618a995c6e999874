// Platform times → epoch milliseconds, the one unit rows hold. Each platform counts differently
// (../shared/protocols/providers.md §6.1): OpenVidu 2 and LiveSwitch ms, LiveKit seconds and
// nanoseconds as strings, EnableX unknown.
import { finiteNumber } from './payload-fields.js';

/** A positive ms count (number or decimal string). */
export function msToMs(value: unknown): number | undefined {
  const ms = finiteNumber(value);
  return ms !== undefined && ms > 0 ? ms : undefined;
}

/** Unix seconds (LiveKit `createdAt`, `"1739900130"`) → ms. */
export function secondsToMs(value: unknown): number | undefined {
  const seconds = finiteNumber(value);
  return seconds !== undefined && seconds > 0 ? Math.round(seconds * 1000) : undefined;
}

/**
 * Nanoseconds (LiveKit egress `startedAt`, `"1731660518186023947"`) → whole ms. The string holds more
 * digits than a double keeps, so the division happens on a BigInt. Zero and negatives are "not set".
 */
export function nanosToMs(value: unknown): number | undefined {
  let nanos: bigint;
  if (typeof value === 'string' && /^\d+$/.test(value)) nanos = BigInt(value);
  else if (typeof value === 'number' && Number.isSafeInteger(value)) nanos = BigInt(value);
  else return undefined;
  return nanos > 0n ? Number(nanos / 1_000_000n) : undefined;
}

/** A nanosecond duration (LiveKit `FileInfo.duration`) → seconds, to the ms. */
export function nanosToSeconds(value: unknown): number | undefined {
  const ms = nanosToMs(value);
  return ms === undefined ? undefined : ms / 1000;
}

/** A unix time whose unit is not documented (EnableX `trans_date`): seconds below 1e12, else ms. */
export function secondsOrMsToMs(value: unknown): number | undefined {
  const number = finiteNumber(value);
  if (number === undefined || number <= 0) return undefined;
  return number < 1e12 ? Math.round(number * 1000) : number;
}
