// After signing in, the browser goes back to the address that was asked for (the login form carries it as
// `next`), and only ever to a path on this site: `next` can never send anyone elsewhere.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { safeNextPath } from '../server/auth/next-path.js';
import { ensurePageBuilt } from './helpers/built-page.js';
import { rawRequest } from './helpers/raw-http.js';
import { startTestServer, type TestServer } from './helpers/server.js';

ensurePageBuilt();

const PASSWORD = 'correct horse battery';

/** Ways out of the site that a crafted link could put in `next`. */
const ESCAPES = [
  '//evil.example/',
  '///evil.example/',
  'https://evil.example/',
  'http:evil.example',
  'javascript:alert(1)',
  '/\\evil.example',
  '\\\\evil.example',
  '/\t/evil.example',
  ' //evil.example',
  '/\r\nLocation: https://evil.example/',
  'evil.example',
  '',
  `/${'a'.repeat(3000)}`,
];

test('a path on this site is kept as it is, fragment and query included', () => {
  for (const path of ['/', '/#/events?outcome=refused&source=meet', '/#/rooms?status=active_meeting', '/index.html#/events/12', '/#/events?room=a%20b']) {
    assert.equal(safeNextPath(path), path);
  }
});

test('anything that could leave the site becomes the dashboard’s root', () => {
  for (const value of [...ESCAPES, undefined, 42, ['/#/events']]) assert.equal(safeNextPath(value), '/', JSON.stringify(value));
  // Going back to the login or the logout would be a loop.
  assert.equal(safeNextPath('/login?next=/'), '/');
  assert.equal(safeNextPath('/logout'), '/');
});

describe('signing in with a `next` address', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ DASHBOARD_PASSWORD: PASSWORD });
  });
  after(() => server.dispose());

  const signIn = (fields: Record<string, string>) =>
    rawRequest(server.url, '/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });

  test('the right password returns to `next`, fragment included', async () => {
    const answer = await signIn({ password: PASSWORD, next: '/#/events?outcome=refused' });
    assert.equal(answer.status, 303);
    assert.equal(answer.headers.location, '/#/events?outcome=refused');
    assert.match(String(answer.headers['set-cookie']), /^roomwatch_session=/);
  });

  test('a wrong password keeps `next` for the next try; without `next` it is the plain login page again', async () => {
    const wrong = await signIn({ password: 'not it', next: '/#/events?outcome=refused' });
    assert.equal(wrong.status, 303);
    assert.equal(wrong.headers.location, `/login?failed=1&next=${encodeURIComponent('/#/events?outcome=refused')}`);
    const form = await rawRequest(server.url, wrong.headers.location!);
    assert.equal(form.status, 200);
    assert.match(form.body, /That password is not right/);
    assert.match(form.body, /<input id="next" name="next" type="hidden" value="\/#\/events\?outcome=refused">/);
    assert.equal((await signIn({ password: 'not it' })).headers.location, '/login?failed=1');
  });

  test('no `next` can send a signed-in person to another site', async () => {
    for (const next of ESCAPES) {
      const answer = await signIn({ password: PASSWORD, next });
      assert.equal(answer.status, 303, next);
      assert.equal(answer.headers.location, '/', JSON.stringify(next));
    }
  });

  test('the login page holds `next` as text, escaped, and loads its script from this site without a session', async () => {
    const page = await rawRequest(server.url, `/login?next=${encodeURIComponent('/#/events?type="><script>alert(1)</script>')}`);
    assert.equal(page.status, 200);
    assert.ok(!page.body.includes('"><script>'), 'the value cannot end the attribute');
    assert.match(page.body, /value="\/#\/events\?type=%22%3E%3Cscript%3Ealert\(1\)%3C\/script%3E"/);
    const both = await rawRequest(server.url, `/login?next=${encodeURIComponent("/#/events?type=a&room=b'")}`);
    assert.match(both.body, /value="\/#\/events\?type=a&#38;room=b&#39;"/);
    assert.match(page.body, /<script src="\/login\.js" defer><\/script>/);
    const escaped = await rawRequest(server.url, `/login?next=${encodeURIComponent('//evil.example/')}`);
    assert.match(escaped.body, /<input id="next" name="next" type="hidden" value="\/">/);

    const script = await rawRequest(server.url, '/login.js');
    assert.equal(script.status, 200);
    assert.match(String(script.headers['content-type']), /^text\/javascript/);
    assert.match(script.body, /location\.hash/);
    assert.equal((await rawRequest(server.url, '/styles.css')).status, 200, 'the focus ring’s stylesheet');
    // Nothing else opened up.
    assert.equal((await rawRequest(server.url, '/app.js')).status, 303);
  });
});
