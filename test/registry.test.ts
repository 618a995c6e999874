// The registry (server/platforms/index.ts) is the only list of platforms: every consumer's list is the
// registry's, in its order, and no other file names a platform but that platform's own files and the few
// lists that must (the catalog the browser reads, the registry itself, the tools' simulators).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { SETTING_NAMES } from '../server/config.js';
import { PLATFORM_CATALOG, SOURCE_IDS } from '../server/platforms/catalog.js';
import { PLATFORMS, WEBHOOK_PATHS } from '../server/platforms/index.js';
import { SOURCE_IDS as INSPECTOR_SOURCE_IDS } from '../server/inspector/types.js';
import { SOURCE_LABELS } from '../public/src/event-filter.js';
import { platform as pagePlatform } from '../public/src/platforms.js';
import { CATALOGUES } from '../tools/platforms/catalogue.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const REGISTRY_IDS = PLATFORMS.map((platform) => platform.id);

test('the catalog, the inspector, the page and the trigger list the registry\'s platforms, in its order', () => {
  assert.deepEqual(REGISTRY_IDS, ['meet', 'openvidu', 'livekit', 'liveswitch', 'enablex']);
  assert.deepEqual(SOURCE_IDS, REGISTRY_IDS);
  assert.deepEqual(INSPECTOR_SOURCE_IDS, REGISTRY_IDS);
  assert.deepEqual(Object.keys(SOURCE_LABELS), REGISTRY_IDS);
  assert.deepEqual(Object.keys(CATALOGUES), REGISTRY_IDS);
  for (const platform of PLATFORMS) {
    const entry = PLATFORM_CATALOG.find((candidate) => candidate.id === platform.id)!;
    // Each descriptor carries its catalog entry as it is: the browser's names are the server's.
    assert.deepEqual([platform.label, platform.tag, platform.webhookPaths, platform.actions], [entry.label, entry.tag, entry.webhookPaths, entry.actions]);
    assert.equal(SOURCE_LABELS[platform.id], platform.label);
    assert.deepEqual(pagePlatform(platform.id), { tag: platform.tag, name: platform.label });
  }
});

test("every platform's settings are roomwatch's settings, and no two platforms share a path or a setting", () => {
  const variables = PLATFORMS.flatMap((platform) => Object.keys(platform.settings.variables));
  assert.equal(new Set(variables).size, variables.length);
  for (const name of variables) assert.ok(SETTING_NAMES.includes(name), name);
  assert.equal(new Set(WEBHOOK_PATHS).size, WEBHOOK_PATHS.length);
});

describe('over HTTP, with every platform enabled and a password', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      DASHBOARD_PASSWORD: 'a dashboard password',
      OPENVIDU_WEBHOOK_HEADERS: '["X-Token: t"]',
      LIVEKIT_KEYS: 'devkey: a-livekit-secret-of-32-characters!',
      LIVESWITCH_SHARED_SECRET: 'ls',
      ENABLEX_WEBHOOK_USER: 'u',
      ENABLEX_WEBHOOK_PASSWORD: 'p',
    });
  });
  after(() => server.dispose());

  test("every registry path is its platform's webhook endpoint, open without a session, and the 404 lists them all", async () => {
    for (const platform of PLATFORMS) {
      for (const webhookPath of platform.webhookPaths) {
        const described = (await (await fetch(`${server.url}${webhookPath}`)).json()) as { platform: string; enabled: boolean };
        assert.deepEqual(described, { ...described, platform: platform.id, enabled: true }, webhookPath);
        // Posted without credentials: the platform's own refusal, never the sign-in gate.
        const posted = await fetch(`${server.url}${webhookPath}`, { method: 'POST', body: '{}', redirect: 'manual' });
        assert.equal(posted.status, 401, webhookPath);
        assert.equal(((await posted.json()) as { error: string }).error, 'missing_header', webhookPath);
      }
    }
    const unknown = (await (await fetch(`${server.url}/webhook/zoom`)).json()) as { message: string };
    for (const webhookPath of WEBHOOK_PATHS) assert.ok(unknown.message.includes(webhookPath), webhookPath);
  });
});

// ── No other list: a platform's id appears only where it must ────────────────────────────────────────

const ROOT = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const relative = path.join(dir, name);
    if (statSync(path.join(ROOT, relative)).isDirectory()) return sourceFiles(relative);
    return relative.endsWith('.ts') ? [relative] : [];
  });
}

/** Files that name every platform: the lists there must be. */
const LISTS = [
  'server/platforms/catalog.ts', // the browser's data: ids, labels, paths, actions
  'server/platforms/index.ts', // the registry: one line each
  'tools/platforms/catalogue.ts', // what the trigger can send of each
  'tools/platform-sim/index.ts', // which simulator each has
  'tools/platform-sim/activity.ts', // the demo's made-up activity per simulator
  'tools/demo.ts', // the demo's credentials
  'tools/trigger.ts', // its usage text
];

// Meet is the product's first platform: the page, /api/state and the log name it on purpose.
for (const id of SOURCE_IDS.filter((candidate) => candidate !== 'meet')) {
  test(`${id} is named only in its own folder, its simulator and the lists that must name it`, () => {
    // Its simulator may be several files, each named after it (the webhooks sent, the REST API served).
    const own = [`server/platforms/${id}/`, `tools/platforms/${id}.ts`, `tools/platform-sim/${id}.ts`, `tools/platform-sim/${id}-`];
    // Meet itself receives LiveKit's webhooks on /livekit/webhook, and so does its simulator.
    if (id === 'livekit') own.push('tools/meet-sim/app.ts');
    // The id as a word of code or a path segment: not inside "openvidu-meet" or "OpenVidu".
    const named = new RegExp(`(?<![\\w-])${id}(?![\\w-])`);
    const naming = ['server', 'public/src', 'tools', 'bench']
      .flatMap(sourceFiles)
      .filter((file) => named.test(readFileSync(path.join(ROOT, file), 'utf8')))
      .filter((file) => !own.some((prefix) => file.startsWith(prefix)) && !LISTS.includes(file));
    assert.deepEqual(naming, [], `${id} is also named in ${naming.join(', ')}: read the registry there`);
  });
}
