// `name: secret` lines, the way LiveKit lists its keys (`LIVEKIT_KEYS`, its `key_file`: a YAML map of
// API key to secret) and the way roomwatch lists a secret per LiveSwitch application. Only that shape
// of YAML is read: one pair per line, `#` comments and blank lines ignored, a value optionally quoted.

export interface KeyPair {
  name: string;
  secret: string;
}

/** Thrown with the 1-based line number; the message never contains a secret. */
export class KeyPairError extends Error {
  override name = 'KeyPairError';
}

const PAIR = /^\s*("[^"]*"|'[^']*'|[^\s:#"'][^:]*?)\s*:\s+(.*?)\s*$/;

/** The pairs in the order given. A name listed twice keeps both secrets (a rotation), the first one first. */
export function parseKeyPairs(text: string): KeyPair[] {
  const pairs: KeyPair[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    const match = PAIR.exec(line);
    const secret = match ? unquote(stripComment(match[2]!)) : '';
    if (!match || secret === '') {
      throw new KeyPairError(`line ${index + 1} is not "name: secret"`);
    }
    pairs.push({ name: unquote(match[1]!), secret });
  });
  return pairs;
}

/** A `#` after whitespace starts a YAML comment, unless the value is quoted. */
function stripComment(value: string): string {
  if (value.startsWith('"') || value.startsWith("'")) return value;
  return value.replace(/\s+#.*$/, '');
}

function unquote(value: string): string {
  const quoted = /^"(.*)"$|^'(.*)'$/.exec(value);
  return quoted ? (quoted[1] ?? quoted[2]!) : value;
}
