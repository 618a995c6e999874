// Ids and instants derived from a seed (usually a room name), so that separate `npm run trigger` runs
// about one room talk about the same room, session, participant and recording, as
// tools/meet-sim/samples.ts does for Meet.
import { createHash } from 'node:crypto';

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const HEX = '0123456789abcdef';
export const DIGITS = '0123456789';

/** `length` characters of `alphabet`, always the same for the same seed. */
export function derived(seed: string, alphabet: string, length: number): string {
  let out = '';
  for (let block = 0; out.length < length; block++) {
    const digest = createHash('sha256').update(`${block}:${seed}`).digest();
    for (const byte of digest) {
      if (out.length === length) break;
      out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

/** A whole number in [0, range), always the same for the same seed. */
export function derivedNumber(seed: string, range: number): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) % range;
}

const DAY_MS = 86_400_000;

/**
 * When the session of a room "started", for tools that build one event at a time: today 00:00 UTC plus
 * a per-room fraction of a second. Separate runs on the same day therefore name the same session
 * instance (OpenVidu's `uniqueSessionId` embeds it), and it is never in the future.
 */
export function pinnedSessionStart(seed: string, now: number): number {
  const start = Math.floor(now / DAY_MS) * DAY_MS + derivedNumber(`start:${seed}`, 1000);
  return start <= now ? start : start - DAY_MS;
}
