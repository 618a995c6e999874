// Browser tests that need rooms of several platforms: a stack that accepts every platform, and the
// platform simulators posting to it (quick to start and stop recordings), stopped after each test.
import { test as base } from './fixtures.js';
import { createPlatformSimulators, type PlatformSimulators } from '../tools/platform-sim/index.js';
import { settingsFromEnv } from '../tools/platforms/deliver.js';

export const PLATFORM_ENV = {
  OPENVIDU_WEBHOOK_HEADERS: JSON.stringify(['Authorization: Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU']),
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_API_SECRET: 'e2e-livekit-api-secret-for-roomwatch',
  LIVESWITCH_SHARED_SECRET: 'e2e-liveswitch-shared-secret',
  ENABLEX_WEBHOOK_USER: 'enablex-e2e',
  ENABLEX_WEBHOOK_PASSWORD: 'enablex-e2e-password',
};

/** Every platform's settings, as roomwatch reads them from PLATFORM_ENV (for the trigger's builders too). */
export const PLATFORM_SETTINGS = settingsFromEnv(PLATFORM_ENV);

/** Use with `test.use({ stackOptions: { env: PLATFORM_ENV } })`. */
export const test = base.extend<{ sims: PlatformSimulators }>({
  sims: async ({ stack }, use) => {
    const sims = createPlatformSimulators(PLATFORM_SETTINGS, stack.url, {
      openvidu: { readyAfterMs: 200 },
      livekit: { egressTiming: { startMs: 100, stopMs: 100 } },
      enablex: { filesStepMs: 100 },
    });
    await use(sims);
    sims.stop();
  },
});

export { expect } from './fixtures.js';
