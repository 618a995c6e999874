// The event detail's JSON indenter (public/src/json-pretty.ts): whatever text it gets, it never throws,
// changes nothing but whitespace outside strings, and its output stays within a fixed multiple of the input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as indenter from '../public/src/json-pretty.js';
import { anyBody, nestedBody } from './fuzz/bodies.js';
import { checkProperty } from './fuzz/run-property.js';

/** Most characters one input character can become: a newline, the capped indentation, and itself. */
const maxGrowth = (indent: number) => 2 + indenter.MAX_INDENTED_DEPTH * indent;
const { prettyJson } = indenter;

/** The text without JSON whitespace outside strings (a string runs from a quote to the next unescaped quote). */
function withoutWhitespaceOutsideStrings(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (inString) {
      out += char;
      if (char === '\\') out += text[++i] ?? '';
      else if (char === '"') inString = false;
    } else if (char === '"') {
      out += char;
      inString = true;
    } else if (!' \t\n\r'.includes(char)) {
      out += char;
    }
  }
  return out;
}

test('a body nested 5 000 deep is indented into a string of bounded size, not one quadratic in its depth', () => {
  const body = '['.repeat(5000) + ']'.repeat(5000); // 10 KB; uncapped indentation made it 50 MB
  const pretty = prettyJson(body);
  assert.ok(pretty.length < 1024 * 1024, `${pretty.length} characters`);
  assert.ok(pretty.length <= body.length * maxGrowth(2), `${pretty.length} characters`);
  assert.equal(withoutWhitespaceOutsideStrings(pretty), body);
  const lines = pretty.split('\n');
  assert.equal(Math.max(...lines.map((line) => line.length)), indenter.MAX_INDENTED_DEPTH * 2 + '[]'.length);
  assert.equal(lines[3], `${' '.repeat(6)}[`, 'shallow levels keep their own indentation');
});

test('the indenter never throws, only changes whitespace outside strings, and grows text by a bounded factor', async (t) => {
  const text = fc.oneof(
    anyBody(300).map((bytes) => bytes.toString('utf8')),
    nestedBody(3000).map((bytes) => bytes.toString('utf8')),
    fc.string({ unit: fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', 'a', '1'), maxLength: 200 }),
  );
  await checkProperty(
    t,
    fc.property(text, fc.integer({ min: 0, max: 8 }), (text, indent) => {
      const pretty = prettyJson(text, indent);
      assert.equal(withoutWhitespaceOutsideStrings(pretty), withoutWhitespaceOutsideStrings(text));
      assert.ok(pretty.length <= text.length * maxGrowth(indent), `${text.length} → ${pretty.length} characters`);
    }),
    { shortRuns: 300 },
  );
});

test('indenting valid JSON keeps its meaning', async (t) => {
  await checkProperty(
    t,
    fc.property(fc.json({ maxDepth: 6 }), (json) => {
      assert.deepEqual(JSON.parse(prettyJson(json)), JSON.parse(json));
    }),
    { shortRuns: 300 },
  );
});
