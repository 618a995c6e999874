import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './helpers/server.js';
import { startServerProcess } from './helpers/process.js';
import { makeDataDir } from './helpers/server.js';
import { meetingStarted, post } from './helpers/meet.js';
import { openSse } from './helpers/sse.js';
import { rmSync } from 'node:fs';
import { rawRequest, signInRequest } from './helpers/raw-http.js';
import { ensurePageBuilt } from './helpers/built-page.js';
import { unreachableUrl } from './helpers/unreachable.js';

// Some tests below ask for the page's own files, as `npm start` serves them.
ensurePageBuilt();

const PASSWORD = 'correct horse battery';

describe('with DASHBOARD_PASSWORD set', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ DASHBOARD_PASSWORD: PASSWORD });
  });
  after(() => server.dispose());

  const signIn = async (password: string) =>
    fetch(`${server.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ password }).toString(),
      redirect: 'manual',
    });

  test('anonymous requests to /api and /events are refused with 401', async () => {
    // /api/events/:seq carries a "copy as curl" that may hold a platform's credentials.
    assert.equal((await post(server.url, meetingStarted())).status, 200);
    for (const path of ['/api/rooms', '/api/state', '/api/events', '/api/events/1', '/events']) {
      const response = await fetch(`${server.url}${path}`);
      assert.equal(response.status, 401, path);
      assert.equal(((await response.json()) as { error: string }).error, 'unauthenticated');
    }
  });

  test('the page sends an anonymous visitor to the login page', async () => {
    for (const path of ['/', '/index.html', '/app.js']) {
      const response = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      assert.equal(response.status, 303, path);
      assert.equal(response.headers.get('location'), '/login');
    }
    const login = await fetch(`${server.url}/login`);
    assert.equal(login.status, 200);
    assert.match(await login.text(), /<input id="password" name="password" type="password"/);
  });

  test('a wrong password is refused; the right one gives an HttpOnly SameSite session that opens everything', async () => {
    const wrong = await signIn('guess');
    assert.equal(wrong.status, 303);
    assert.equal(wrong.headers.get('location'), '/login?failed=1');
    assert.equal(wrong.headers.get('set-cookie'), null);

    const right = await signIn(PASSWORD);
    assert.equal(right.status, 303);
    assert.equal(right.headers.get('location'), '/');
    const cookie = right.headers.get('set-cookie')!;
    assert.match(cookie, /^roomwatch_session=\d+\.[0-9a-f]{64};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const session = cookie.split(';')[0]!;

    assert.equal((await fetch(`${server.url}/api/rooms`, { headers: { cookie: session } })).status, 200);
    const sse = await openSse(`${server.url}/events`, { cookie: session });
    assert.equal(sse.status, 200);
    sse.close();
    // A forged or altered token is not a session.
    const forged = session.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    assert.equal((await fetch(`${server.url}/api/rooms`, { headers: { cookie: forged } })).status, 401);
  });

  test('webhooks and the health check stay open (they are verified by signature)', async () => {
    assert.equal((await post(server.url, meetingStarted())).status, 200);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  });

  test('too many wrong passwords from one address are slowed down', async () => {
    let last = 0;
    for (let i = 0; i < 12; i++) last = (await signIn(`wrong-${i}`)).status;
    assert.equal(last, 429);
  });
});

describe('without DASHBOARD_PASSWORD', () => {
  test('start-up warns, once, that the dashboard is open to anyone who can reach the port', async () => {
    const dataDir = makeDataDir();
    try {
      const server = await startServerProcess({ DATA_DIR: dataDir });
      server.child.kill('SIGTERM');
      await server.exited;
      const warnings = server.output().match(/DASHBOARD_PASSWORD is not set[^"]*ngrok[^"]*/g) ?? [];
      assert.equal(warnings.length, 1, server.output());
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('cross-site requests', () => {
  let open: TestServer;
  let listed: TestServer;
  before(async () => {
    open = await startTestServer();
    listed = await startTestServer({ CORS_ORIGINS: 'https://ops.example.com' });
  });
  after(async () => {
    await open.dispose();
    await listed.dispose();
  });

  test('no CORS headers unless CORS_ORIGINS lists the origin', async () => {
    const headers = { origin: 'https://evil.example' };
    assert.equal((await fetch(`${open.url}/api/rooms`, { headers })).headers.get('access-control-allow-origin'), null);
    assert.equal((await fetch(`${listed.url}/api/rooms`, { headers })).headers.get('access-control-allow-origin'), null);
    const allowed = await fetch(`${listed.url}/api/rooms`, { headers: { origin: 'https://ops.example.com' } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://ops.example.com');
  });

  test('a write sent by another site’s page is refused', async () => {
    const response = await fetch(`${open.url}/api/rooms/some-room`, { method: 'DELETE', headers: { origin: 'https://evil.example' } });
    assert.equal(response.status, 403);
    assert.equal(((await response.json()) as { error: string }).error, 'cross_site');
  });

  test('a POST from a foreign Origin to an allowed host is refused; the same POST from the page’s own origin is not', async () => {
    const { port } = new URL(open.url);
    const foreign = await rawRequest(open.url, '/api/reconcile', { method: 'POST', headers: { host: `localhost:${port}`, origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403);
    assert.equal((JSON.parse(foreign.body) as { error: string }).error, 'cross_site');
    const own = await rawRequest(open.url, '/api/reconcile', { method: 'POST', headers: { host: `localhost:${port}`, origin: `http://localhost:${port}` } });
    assert.equal(own.status, 202);
  });

  test('every dashboard response carries a script policy that makes injected markup inert', async () => {
    // Any express response shows the policy (the page's too, once built); /healthz needs no build.
    const response = await fetch(`${open.url}/healthz`);
    const policy = response.headers.get('content-security-policy')!;
    // Scripts from here and from the configured Meet server (the web component), nothing else.
    assert.ok(policy.includes(`script-src 'self' ${await unreachableUrl()};`), policy);
    assert.match(policy, /object-src 'none'/);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
  });
});

describe('a stray or malformed session cookie', () => {
  const MALFORMED = ['roomwatch_session=%', 'roomwatch_session=%E0%A4%A', 'roomwatch_session="', 'roomwatch_session=1.2; other=%zz'];
  let locked: TestServer;
  let open: TestServer;
  before(async () => {
    locked = await startTestServer({ DASHBOARD_PASSWORD: PASSWORD });
    open = await startTestServer();
  });
  after(async () => {
    await locked.dispose();
    await open.dispose();
  });

  test('with a password, it is simply "not signed in": the page, the API and the stream answer as for no cookie', async () => {
    for (const cookie of MALFORMED) {
      const headers = { cookie };
      for (const path of ['/', '/index.html', '/app.js']) {
        const response = await rawRequest(locked.url, path, { headers });
        assert.equal(response.status, 303, `${path} with ${cookie}`);
        assert.equal(response.headers.location, '/login');
      }
      for (const path of ['/api/state', '/api/rooms', '/api/events', '/events']) {
        const response = await rawRequest(locked.url, path, { headers });
        assert.equal(response.status, 401, `${path} with ${cookie}`);
        assert.equal((JSON.parse(response.body) as { error: string }).error, 'unauthenticated');
      }
      assert.equal((await rawRequest(locked.url, '/login', { headers })).status, 200, `/login with ${cookie}`);
    }
  });

  test('with a password, signing in again works despite it, and the new session opens everything', async () => {
    const login = await signInRequest(locked.url, PASSWORD, { headers: { cookie: 'roomwatch_session=%', 'x-forwarded-for': '203.0.113.50' } });
    assert.equal(login.status, 303);
    const session = String(login.headers['set-cookie']).split(';')[0]!;
    for (const path of ['/', '/api/state', '/events']) {
      assert.equal((await rawRequest(locked.url, path, { headers: { cookie: `other=%; ${session}` } })).status, 200, path);
    }
  });

  test('without a password, it changes nothing: the page, the API and the stream answer 200', async () => {
    for (const cookie of MALFORMED) {
      for (const path of ['/', '/app.js', '/api/state', '/api/events', '/events']) {
        assert.equal((await rawRequest(open.url, path, { headers: { cookie } })).status, 200, `${path} with ${cookie}`);
      }
    }
  });
});

describe('paths that static serving would resolve differently', () => {
  // Sent as-is: fetch would resolve the dot segments before sending.
  const TRICKS = ['/webhook/../app.js', '/vendor/..%2fapp.js', '/vendor/%2e%2e/index.html', '/vendor/.%2E/app.js', '/vendor/..%5capp.js', '/login/../app.js', '/healthz/%2e%2e/index.html'];
  let locked: TestServer;
  let open: TestServer;
  before(async () => {
    locked = await startTestServer({ DASHBOARD_PASSWORD: PASSWORD });
    open = await startTestServer();
  });
  after(async () => {
    await locked.dispose();
    await open.dispose();
  });

  test('with a password, none of them reaches a file past the sign-in: each is a 400 that says why', async () => {
    for (const path of TRICKS) {
      const response = await rawRequest(locked.url, path);
      assert.equal(response.status, 400, `${path} answered ${response.status}: ${response.body.slice(0, 80)}`);
      const body = JSON.parse(response.body) as { error: string; message: string };
      assert.equal(body.error, 'bad_path');
      assert.match(body.message, /dot segments|encoded slashes/);
    }
  });

  test('without a password they are refused the same way, and plain paths still serve the page', async () => {
    for (const path of TRICKS) assert.equal((await rawRequest(open.url, path)).status, 400, path);
    const app = await rawRequest(open.url, '/app.js');
    assert.equal(app.status, 200);
    assert.ok(app.body.length > 1000);
    // An encoded character that is not a separator is just that character.
    assert.equal((await rawRequest(open.url, '/app%2ejs')).status, 200);
  });
});

describe('sessions expire', () => {
  test('a session signed in 7 days ago is no longer accepted by the page, the API or the stream', async () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const server = await startTestServer({ DASHBOARD_PASSWORD: PASSWORD }, undefined, { now: () => clock });
    try {
      const login = await signInRequest(server.url, PASSWORD);
      assert.equal(login.status, 303);
      const headers = { cookie: String(login.headers['set-cookie']).split(';')[0]! };
      clock += 7 * 24 * 3600_000 - 1000;
      assert.equal((await rawRequest(server.url, '/api/state', { headers })).status, 200, 'still valid a second before it expires');
      assert.equal((await rawRequest(server.url, '/events', { headers })).status, 200);

      clock += 2000;
      const page = await rawRequest(server.url, '/', { headers });
      assert.equal(page.status, 303);
      assert.equal(page.headers.location, '/login');
      assert.equal((await rawRequest(server.url, '/api/state', { headers })).status, 401);
      assert.equal((await rawRequest(server.url, '/events', { headers })).status, 401);
    } finally {
      await server.dispose();
    }
  });
});
