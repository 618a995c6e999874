import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { AllowedHosts } from '../server/allowed-hosts.js';
import { loadConfig } from '../server/config.js';
import { startTestServer, makeDataDir, type TestServer } from './helpers/server.js';
import { startServerProcess } from './helpers/process.js';
import { meetingStarted } from './helpers/meet.js';
import { rawRequest } from './helpers/raw-http.js';

const PASSWORD = 'correct horse battery';

describe('which Host names the dashboard answers to', () => {
  const hostsFrom = (setting: string | undefined, serverHost?: string) =>
    new AllowedHosts(loadConfig({ ALLOWED_HOSTS: setting }).dashboard.allowedHosts, serverHost);

  const cases: [setting: string | undefined, host: string | undefined, allowed: boolean][] = [
    // Loopback names and any IP literal, always (rebinding needs a DNS name).
    [undefined, 'localhost:6080', true],
    [undefined, 'LOCALHOST', true],
    [undefined, 'app.localhost:6080', true],
    [undefined, '127.0.0.1:6080', true],
    [undefined, '192.168.1.20', true],
    [undefined, '[::1]:6080', true],
    [undefined, '[::ffff:127.0.0.1]', true],
    // Everything else is refused by default, including names that merely look like loopback.
    [undefined, 'evil.example:6080', false],
    [undefined, 'localhost.evil.example', false],
    [undefined, '127.0.0.1.nip.io', false],
    [undefined, 'localhost.', false],
    [undefined, '[not-an-address]', false],
    [undefined, '[::1', false],
    [undefined, '', false],
    [undefined, undefined, false],
    // A name; `.domain` = the domain and its subdomains; `*.domain` = subdomains only; `*` = any.
    ['roomwatch.example.com', 'roomwatch.example.com:443', true],
    ['roomwatch.example.com', 'RoomWatch.Example.com', true],
    ['roomwatch.example.com', 'example.com', false],
    ['roomwatch.example.com', 'x.roomwatch.example.com', false],
    ['.example.com', 'example.com', true],
    ['.example.com', 'a.b.example.com', true],
    ['.example.com', 'badexample.com', false],
    ['*.ngrok-free.app', 'abc123.ngrok-free.app', true],
    ['*.ngrok-free.app', 'ngrok-free.app', false],
    ['*.ngrok-free.app', 'abc123.ngrok-free.app.evil.example', false],
    ['a.example, *.ngrok-free.app', 'a.example', true],
    ['*', 'evil.example', true],
  ];
  for (const [setting, host, allowed] of cases) {
    test(`ALLOWED_HOSTS=${setting ?? '(unset)'}: Host ${JSON.stringify(host)} is ${allowed ? 'allowed' : 'refused'}`, () => {
      assert.equal(hostsFrom(setting).allows(host), allowed);
    });
  }

  test('SERVER_HOST, when it is a DNS name, is allowed too (an address adds nothing: every IP literal is)', () => {
    assert.equal(hostsFrom(undefined, 'roomwatch.lan').allows('roomwatch.lan:6080'), true);
    assert.equal(hostsFrom(undefined, '0.0.0.0').allows('evil.example'), false);
  });
});

describe('DNS rebinding: a foreign Host reaching a dashboard on localhost', () => {
  let open: TestServer;
  let locked: TestServer;
  let tunnelled: TestServer;
  before(async () => {
    open = await startTestServer();
    locked = await startTestServer({ DASHBOARD_PASSWORD: PASSWORD });
    tunnelled = await startTestServer({ ALLOWED_HOSTS: '*.ngrok-free.app' });
  });
  after(async () => {
    await open.dispose();
    await locked.dispose();
    await tunnelled.dispose();
  });

  // What a page on evil.example sees once its name points at 127.0.0.1: its own Host, its own Origin.
  const rebound = (server: TestServer, name = 'evil.example') => {
    const { port } = new URL(server.url);
    return { host: `${name}:${port}`, origin: `http://${name}:${port}` };
  };

  test('an open dashboard answers 403 on /api (reads and writes) and /events, in JSON that names ALLOWED_HOSTS', async () => {
    const headers = rebound(open);
    for (const [method, path] of [['POST', '/api/reconcile'], ['GET', '/api/state'], ['GET', '/api/rooms'], ['GET', '/events']] as const) {
      const response = await rawRequest(open.url, path, { method, headers });
      assert.equal(response.status, 403, `${method} ${path}`);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      const body = JSON.parse(response.body) as { error: string; message: string };
      assert.equal(body.error, 'host_not_allowed');
      assert.match(body.message, /"evil\.example".*ALLOWED_HOSTS/);
    }
  });

  test('the page, and the sign-in form, get a short text page that says which setting to change', async () => {
    for (const server of [open, locked]) {
      for (const [method, path] of [['GET', '/'], ['GET', '/app.js'], ['GET', '/login'], ['POST', '/login']] as const) {
        const response = await rawRequest(server.url, path, { method, headers: rebound(server) });
        assert.equal(response.status, 403, `${method} ${path}`);
        assert.match(String(response.headers['content-type']), /^text\/plain/);
        assert.equal(response.headers['x-content-type-options'], 'nosniff');
        assert.match(response.body, /^Blocked request\. This roomwatch does not answer to the host "evil\.example".*add it to ALLOWED_HOSTS/);
      }
    }
  });

  test('a rebound name cannot slip in through X-Forwarded-Host, even from a trusted (loopback) peer', async () => {
    const headers = { ...rebound(open), 'x-forwarded-host': 'localhost' };
    assert.equal((await rawRequest(open.url, '/api/state', { headers })).status, 403);
    assert.equal((await rawRequest(open.url, '/events', { headers })).status, 403);
  });

  test('loopback names and IP literals are answered as before', async () => {
    const { port } = new URL(open.url);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `dashboard.localhost:${port}`, `10.1.2.3:${port}`]) {
      assert.equal((await rawRequest(open.url, '/api/state', { headers: { host } })).status, 200, host);
      assert.equal((await rawRequest(open.url, '/events', { headers: { host } })).status, 200, host);
    }
  });

  test('webhooks and /healthz answer on any host', async () => {
    const { body, headers } = meetingStarted();
    const webhook = await rawRequest(open.url, '/webhook', { method: 'POST', headers: { ...headers, ...rebound(open) }, body });
    assert.equal(webhook.status, 200);
    assert.equal((await rawRequest(open.url, '/healthz', { headers: rebound(open) })).status, 200);
  });

  test('ALLOWED_HOSTS=*.ngrok-free.app opens the dashboard to a tunnel’s name, and to nothing else', async () => {
    assert.equal((await rawRequest(tunnelled.url, '/api/state', { headers: rebound(tunnelled, 'ab12-203-0-113-7.ngrok-free.app') })).status, 200);
    assert.equal((await rawRequest(tunnelled.url, '/events', { headers: rebound(tunnelled, 'ab12-203-0-113-7.ngrok-free.app') })).status, 200);
    assert.equal((await rawRequest(tunnelled.url, '/api/state', { headers: rebound(tunnelled) })).status, 403);
  });
});

describe('start-up', () => {
  test('says once which hosts the dashboard answers to', async () => {
    const dataDir = makeDataDir();
    try {
      const server = await startServerProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'info', ALLOWED_HOSTS: '*.ngrok-free.app' });
      server.child.kill('SIGTERM');
      await server.exited;
      const lines = server.output().match(/answer to localhost, \*\.localhost and IP addresses, and \*\.ngrok-free\.app/g) ?? [];
      assert.equal(lines.length, 1, server.output());
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
