// How deeply a raw body nests JSON arrays and objects, read from the bytes before anything parses or
// re-serializes them: a body nested thousands of levels deep is cheap to send and overflows the stack of
// every recursive reader after JSON.parse (JSON.stringify, the projection, the stream).

/**
 * Far above any platform's real payloads: the deepest known ones (a Meet room's `data.config.…`, a
 * LiveKit `egressInfo` with its file results) nest under 10 levels (../shared/protocols/).
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * True when `body` opens more than `max` arrays or objects inside one another. One pass over the bytes;
 * brackets inside strings (escapes included) do not count. UTF-8 never uses these ASCII bytes inside a
 * multi-byte character, so bytes and decoded text agree. Not a validator: for text that is not JSON the
 * answer only matters in that JSON.parse will refuse it anyway.
 */
export function nestsDeeperThan(body: Uint8Array, max: number): boolean {
  let depth = 0;
  const length = body.length;
  for (let i = 0; i < length; i++) {
    const byte = body[i];
    if (byte === QUOTE) {
      // Skip the string: a backslash escapes the byte after it, whatever it is.
      for (i++; i < length; i++) {
        const inString = body[i];
        if (inString === BACKSLASH) i++;
        else if (inString === QUOTE) break;
      }
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if ((byte === CLOSE_BRACE || byte === CLOSE_BRACKET) && depth > 0) {
      depth--;
    }
  }
  return false;
}
