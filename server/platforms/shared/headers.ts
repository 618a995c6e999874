// Reading request headers as Node hands them over (names lower-cased, values trimmed) and choosing
// which ones an event keeps: never a secret or a signature.

export type RequestHeaders = Record<string, string | string[] | undefined>;

/** First value of a header (Node lower-cases names and joins repeats with ", "). */
export function headerValue(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The listed headers that are present, for storing with the event. */
export function pickHeaders(headers: RequestHeaders, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = headerValue(headers, name);
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

/** The header names kept with an event; values of those in `masked` are replaced, never stored. */
export function keptHeaders(headers: RequestHeaders, plain: readonly string[], masked: readonly string[]): Record<string, string> {
  const kept = pickHeaders(headers, plain);
  for (const name of masked) if (headerValue(headers, name) !== undefined) kept[name] = '[masked]';
  return kept;
}
