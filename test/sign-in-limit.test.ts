import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { SIGN_IN_RULES, SignInLimit } from '../server/auth/sign-in-limit.js';
import { startTestServer, makeDataDir } from './helpers/server.js';
import { startServerProcess } from './helpers/process.js';
import { signInRequest } from './helpers/raw-http.js';

const PASSWORD = 'correct horse battery';
const MINUTE = 60_000;

describe('the sign-in limit, by itself', () => {
  test('an address gets 10 tries per 5 minutes; others are not affected; the window ends', () => {
    const limit = new SignInLimit();
    for (let i = 0; i < 10; i++) {
      assert.equal(limit.waitMs('198.51.100.1', i), 0, `try ${i + 1}`);
      limit.recordFailure('198.51.100.1', i);
    }
    assert.equal(limit.waitMs('198.51.100.1', 10), 5 * MINUTE - 10);
    assert.equal(limit.waitMs('198.51.100.2', 10), 0);
    assert.equal(limit.waitMs('198.51.100.1', 5 * MINUTE), 0);
  });

  test('100 failures over all addresses pause sign-in for everyone until their window ends, and say so once', () => {
    const limit = new SignInLimit();
    const paused: number[] = [];
    for (let i = 0; i < 100; i++) if (limit.recordFailure(`2001:db8::${i.toString(16)}`, 1000 + i).pausedForEveryone) paused.push(i);
    assert.deepEqual(paused, [99]);
    assert.equal(limit.waitMs('192.0.2.77', 2000), 5 * MINUTE - 1000);
    assert.equal(limit.waitMs('192.0.2.77', 1000 + 5 * MINUTE), 0);
  });

  test('a right password clears its address, not the overall count', () => {
    const limit = new SignInLimit({ ...SIGN_IN_RULES, perAddress: 2, overall: 3 });
    limit.recordFailure('a', 0);
    limit.recordFailure('a', 0);
    limit.recordSuccess('a');
    assert.equal(limit.waitMs('a', 1), 0);
    limit.recordFailure('b', 1);
    assert.ok(limit.waitMs('a', 2) > 0);
  });

  test('expired addresses are forgotten, and no more than maxAddresses are ever remembered', () => {
    // One failure limits an address here, so waitMs shows whether it is still remembered.
    const limit = new SignInLimit({ ...SIGN_IN_RULES, perAddress: 1, overall: Number.MAX_SAFE_INTEGER, maxAddresses: 50 });
    for (let i = 0; i < 40; i++) limit.recordFailure(`10.0.0.${i}`, 0);
    assert.equal(limit.trackedAddresses, 40);
    limit.recordFailure('10.0.1.1', 5 * MINUTE);
    assert.equal(limit.trackedAddresses, 1);
    for (let i = 0; i < 1000; i++) limit.recordFailure(`10.1.${i >> 8}.${i & 255}`, 5 * MINUTE + 1);
    assert.equal(limit.trackedAddresses, 50);
    // The oldest are forgotten first; the newest are still limited.
    assert.equal(limit.waitMs('10.1.0.0', 5 * MINUTE + 2), 0);
    assert.ok(limit.waitMs('10.1.3.231', 5 * MINUTE + 2) > 0);
  });
});

describe('sign-in over HTTP', () => {
  test('rotating X-Forwarded-For through a trusted proxy (default: loopback) cannot guess fast: after 100 failures everyone gets 429', async () => {
    const server = await startTestServer({ DASHBOARD_PASSWORD: PASSWORD });
    try {
      for (let i = 0; i < 100; i++) {
        const response = await signInRequest(server.url, `guess-${i}`, { headers: { 'x-forwarded-for': `203.0.113.${i}` } });
        assert.equal(response.status, 303, `guess ${i + 1}`);
      }
      const next = await signInRequest(server.url, 'guess-100', { headers: { 'x-forwarded-for': '198.51.100.9' } });
      assert.equal(next.status, 429);
      assert.ok(Number(next.headers['retry-after']) > 0);
      assert.match(next.body, /Too many wrong passwords/);
      // Not even the right password is checked while paused: the answer must not tell a guesser it was right.
      assert.equal((await signInRequest(server.url, PASSWORD, { headers: { 'x-forwarded-for': '198.51.100.10' } })).status, 429);
    } finally {
      await server.dispose();
    }
  });

  test('TRUST_PROXY=none: X-Forwarded-For is ignored, so rotating it still counts against the one real address', async () => {
    const server = await startTestServer({ DASHBOARD_PASSWORD: PASSWORD, TRUST_PROXY: 'none' });
    try {
      const statuses = [];
      for (let i = 0; i < 11; i++) statuses.push((await signInRequest(server.url, `guess-${i}`, { headers: { 'x-forwarded-for': `203.0.113.${i}` } })).status);
      assert.deepEqual(statuses, [...Array<number>(10).fill(303), 429]);
    } finally {
      await server.dispose();
    }
  });

  test('TRUST_PROXY names the proxy: its users get a bucket each; X-Forwarded-For from any other peer is ignored', async () => {
    // 127.0.0.2 plays a reverse proxy on another machine; the test itself connects from 127.0.0.1.
    const server = await startTestServer({ DASHBOARD_PASSWORD: PASSWORD, TRUST_PROXY: '127.0.0.2' });
    try {
      const viaProxy = (password: string, user: string) => signInRequest(server.url, password, { localAddress: '127.0.0.2', headers: { 'x-forwarded-for': user } });
      for (let i = 0; i < 10; i++) assert.equal((await viaProxy(`guess-${i}`, '192.0.2.1')).status, 303);
      assert.equal((await viaProxy('guess-10', '192.0.2.1')).status, 429, 'the guessing user is limited');
      assert.equal((await viaProxy(PASSWORD, '192.0.2.2')).status, 303, 'another user behind the same proxy is not');

      const direct = [];
      for (let i = 0; i < 11; i++) direct.push((await signInRequest(server.url, `guess-${i}`, { headers: { 'x-forwarded-for': `198.51.100.${i}` } })).status);
      assert.deepEqual(direct, [...Array<number>(10).fill(303), 429], 'a peer that is not the proxy is counted as itself');
    } finally {
      await server.dispose();
    }
  });

  test('a failed sign-in is logged with the caller’s address, never with what was typed', async () => {
    const dataDir = makeDataDir();
    try {
      const server = await startServerProcess({ DATA_DIR: dataDir, DASHBOARD_PASSWORD: PASSWORD });
      const typed = 'my-secret-guess-xyz';
      assert.equal((await signInRequest(server.url, typed, { headers: { 'x-forwarded-for': '203.0.113.77' } })).status, 303);
      server.child.kill('SIGTERM');
      await server.exited;
      const lines = server.output().split('\n').filter((line) => line.includes('wrong dashboard password'));
      assert.equal(lines.length, 1, server.output());
      assert.match(lines[0]!, /"ip":"203\.0\.113\.77"/);
      assert.doesNotMatch(server.output(), new RegExp(typed));
      assert.doesNotMatch(server.output(), new RegExp(PASSWORD));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
