// Webhook bodies for property tests: real-looking JSON, JSON nested far deeper than any platform sends,
// and bytes that are not JSON at all (or not even UTF-8). Every generator yields raw bytes, as a body
// arrives on the wire.
import fc from 'fast-check';

/** Nested past this, JSON.stringify of the parsed body overflows the stack (about 5 000 levels on Node 20). */
export const OVERFLOW_DEPTH = 6000;

const utf8 = (text: string) => Buffer.from(text);

/** Any JSON text, strings with any code point (lone surrogates included, as escapes or raw). */
export const jsonBody = (maxDepth = 4): fc.Arbitrary<Buffer> =>
  fc.oneof(fc.json({ maxDepth }), fc.json({ maxDepth, stringUnit: 'binary' })).map(utf8);

/** A JSON object, for platforms that expect one; `extra` fields are merged in last. */
export const jsonObject = (extra: Record<string, unknown> = {}): fc.Arbitrary<Record<string, unknown>> =>
  fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }).map((fields) => ({ ...fields, ...extra }));

/** Arrays and objects nested `depth` levels, in a random pattern of both, around a random leaf. */
export const nestedBody = (maxDepth: number, minDepth = 1): fc.Arbitrary<Buffer> =>
  fc
    .record({
      depth: fc.integer({ min: minDepth, max: maxDepth }),
      pattern: fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
      leaf: fc.json({ maxDepth: 1 }),
      spaced: fc.boolean(),
    })
    .map(({ depth, pattern, leaf, spaced }) => {
      const opens: string[] = [];
      const closes: string[] = [];
      for (let i = 0; i < depth; i++) {
        const array = pattern[i % pattern.length]!;
        opens.push(array ? '[' : spaced ? '{ "k" : ' : '{"k":');
        closes.push(array ? ']' : '}');
      }
      return utf8(opens.join(spaced ? ' ' : '') + leaf + closes.reverse().join(spaced ? '\n' : ''));
    });

/** Bodies that are not JSON, or JSON with something odd about it. */
export const oddBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ unit: 'binary', maxLength: 200 }).map(utf8),
  // Truncated, or with bytes appended.
  fc.tuple(fc.json({ maxDepth: 3 }), fc.nat(), fc.string({ maxLength: 4 })).map(([json, cut, tail]) => utf8(json.slice(0, cut % (json.length + 1)) + tail)),
  fc.json({ maxDepth: 2 }).map((json) => utf8(`\ufeff${json}`)),
  // Invalid UTF-8 inside a JSON string.
  fc.uint8Array({ minLength: 1, maxLength: 8 }).map((bytes) => Buffer.concat([utf8('{"event":"'), Buffer.from(bytes.map((b) => b | 0x80)), utf8('"}')])),
  fc.constantFrom(
    '',
    ' ',
    '\r\n',
    'null',
    '"just a string"',
    '1e400',
    '-0',
    '123456789012345678901234567890',
    '{"__proto__":{"polluted":true},"constructor":{"prototype":null}}',
    '{"event":"a\\u2028b\\r\\n","data":"\\u0000"}',
    '{"a":1,"a":2}',
    ']]]]{{{{',
    '[[[[[[[[',
    '{"unterminated": "\\',
  ).map(utf8),
);

/** Any body: realistic, deep (up to `maxDepth`), or odd. */
export const anyBody = (maxDepth = 1200): fc.Arbitrary<Buffer> =>
  fc.oneof({ weight: 3, arbitrary: jsonBody() }, { weight: 2, arbitrary: nestedBody(maxDepth) }, { weight: 3, arbitrary: oddBody });

/**
 * Nested past OVERFLOW_DEPTH inside an object. A top-level array that deep is a LiveSwitch batch whose
 * elements LiveSwitch re-encodes: intake's nesting limit (the i7-ingest part of the fix) refuses it before
 * any adapter runs, so properties that bypass intake, or run without that limit, use this shape instead.
 */
export const deepObjectBody: fc.Arbitrary<Buffer> = nestedBody(OVERFLOW_DEPTH * 2, OVERFLOW_DEPTH).map((deep) =>
  Buffer.concat([utf8('{"deep":'), deep, utf8('}')]),
);
