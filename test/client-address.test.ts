// The caller's address as the plain node:http routes read it (the webhook refusal log), over real sockets.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { clientAddresses } from '../server/client-address.js';
import { loadConfig } from '../server/config.js';
import { rawRequest } from './helpers/raw-http.js';

describe('the client address follows TRUST_PROXY', () => {
  const servers: Record<string, { url: string; server: http.Server }> = {};
  const settings = { default: undefined, none: 'none', proxy: '127.0.0.2', list: 'loopback, 10.0.0.0/8' };

  before(async () => {
    for (const [name, setting] of Object.entries(settings)) {
      const addresses = clientAddresses(loadConfig({ TRUST_PROXY: setting }).trustProxy);
      const server = http.createServer((req, res) => res.end(addresses.of(req)));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers[name] = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    }
  });
  after(() => {
    for (const { server } of Object.values(servers)) server.close();
  });

  const seen = async (name: keyof typeof settings, from: string, forwardedFor?: string) =>
    (await rawRequest(servers[name]!.url, '/', { localAddress: from, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} })).body;

  test('by default (loopback), a local proxy such as ngrok names the caller; the nearest untrusted hop wins', async () => {
    assert.equal(await seen('default', '127.0.0.1', '203.0.113.5'), '203.0.113.5');
    assert.equal(await seen('default', '127.0.0.1', '198.51.100.1, 203.0.113.5'), '203.0.113.5');
    assert.equal(await seen('default', '127.0.0.1'), '127.0.0.1');
  });

  test('none: X-Forwarded-For is never believed', async () => {
    assert.equal(await seen('none', '127.0.0.1', '203.0.113.5'), '127.0.0.1');
  });

  test('an address: only that peer is believed', async () => {
    assert.equal(await seen('proxy', '127.0.0.2', '203.0.113.5'), '203.0.113.5');
    assert.equal(await seen('proxy', '127.0.0.1', '203.0.113.5'), '127.0.0.1');
  });

  test('a list: hops are believed while they are trusted (a forged first entry is not reached)', async () => {
    assert.equal(await seen('list', '127.0.0.1', '203.0.113.66, 198.51.100.7, 10.1.2.3'), '198.51.100.7');
  });
});
