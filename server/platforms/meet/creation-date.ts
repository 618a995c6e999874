// Meet signs `X-Timestamp + "." + body`, and the body's creationDate must be that same timestamp
// (../shared/protocols/openvidu-meet.md §1.4). To sign a stored body again at another time, its
// creationDate is replaced in the raw text, every other byte kept.

/**
 * `json` with the number of its top-level `key` replaced by `value`, every other byte unchanged; undefined
 * when the top-level object has no such key with a number. Keys nested deeper (a room's own
 * `creationDate` in `data`) are left alone; a key given twice is replaced twice (JSON.parse keeps the last).
 */
export function replaceTopLevelNumber(json: string, key: string, value: number): string | undefined {
  const numbers: { start: number; length: number }[] = [];
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const char = json[i];
    if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') depth--;
    else if (char === '"') {
      const end = stringEnd(json, i);
      if (end === -1) break;
      if (depth === 1 && decodedString(json.slice(i, end + 1)) === key) {
        const rest = /^\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(json.slice(end + 1, end + 64));
        if (rest) numbers.push({ start: end + 1 + rest[0].length - rest[1]!.length, length: rest[1]!.length });
      }
      i = end;
    }
  }
  if (numbers.length === 0) return undefined;
  let out = json;
  for (const { start, length } of numbers.reverse()) out = out.slice(0, start) + String(value) + out.slice(start + length);
  return out;
}

/** Index of the quote that closes the string opening at `start`, or -1. */
function stringEnd(json: string, start: number): number {
  for (let i = start + 1; i < json.length; i++) {
    if (json[i] === '\\') i++;
    else if (json[i] === '"') return i;
  }
  return -1;
}

function decodedString(literal: string): string | undefined {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
}
