// Indents JSON text for reading without parsing it: numbers, key order, escapes and duplicate keys stay
// exactly as received (JSON.parse + stringify would round big numbers and reorder integer-like keys).

/**
 * Lines deeper than this are indented as this deep. Real payloads nest fewer than 10 levels; without a
 * cap, a 10 KB body nested 5 000 deep would become a 50 MB string (each line indented by its depth).
 * With it, the output is at most (2 + MAX_INDENTED_DEPTH × indent) characters per input character.
 */
export const MAX_INDENTED_DEPTH = 20;

/** `text` re-indented with `indent` spaces; only whitespace outside strings changes. Linear in the output. */
export function prettyJson(text: string, indent = 2): string {
  const newlines: string[] = [];
  for (let depth = 0; depth <= MAX_INDENTED_DEPTH; depth++) newlines.push(`\n${' '.repeat(depth * indent)}`);
  const parts: string[] = [];
  let depth = 0;
  const newline = () => newlines[Math.min(depth, MAX_INDENTED_DEPTH)]!;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      parts.push(text.slice(i, end + 1));
      i = end;
    } else if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']';
      const next = nextSignificant(text, i + 1);
      if (text[next] === close) {
        // An empty object or array stays on one line.
        parts.push(char + close);
        i = next;
      } else {
        depth += 1;
        parts.push(char, newline());
      }
    } else if (char === '}' || char === ']') {
      depth = Math.max(0, depth - 1);
      parts.push(newline(), char);
    } else if (char === ',') {
      parts.push(',', newline());
    } else if (char === ':') {
      parts.push(': ');
    } else if (!isWhitespace(char)) {
      parts.push(char);
    }
  }
  return parts.join('');
}

function isWhitespace(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r';
}

function nextSignificant(text: string, from: number): number {
  let i = from;
  while (i < text.length && isWhitespace(text[i])) i++;
  return i;
}
