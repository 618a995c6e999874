// Simulated senders of OpenVidu 2.x, LiveKit (OpenVidu 3), LiveSwitch and EnableX webhooks, each
// delivering the way its platform does (see each file). No server: they only post to a receiver.
import type { PlatformCredentials } from '../platforms/deliver.js';
import { webhookUrl } from '../platforms/deliver.js';
import { EnableXSimulator, type EnableXSimulatorOptions } from './enablex.js';
import { LiveKitSimulator, type LiveKitSimulatorOptions } from './livekit.js';
import { LiveSwitchSimulator, type LiveSwitchSimulatorOptions } from './liveswitch.js';
import { OpenViduSimulator, type OpenViduSimulatorOptions } from './openvidu.js';

export { EnableXSimulator, LiveKitSimulator, LiveSwitchSimulator, OpenViduSimulator };
export type { EnableXSimulatorOptions, LiveKitSimulatorOptions, LiveSwitchSimulatorOptions, OpenViduSimulatorOptions };
export type { SimAttempt } from './delivery-log.js';

export interface PlatformSimulators {
  /** One simulator per platform whose credentials were given. */
  openvidu?: OpenViduSimulator;
  livekit?: LiveKitSimulator;
  liveswitch?: LiveSwitchSimulator;
  enablex?: EnableXSimulator;
  /** Resolves when every simulator has sent (or given up on) everything so far. */
  idle(): Promise<void>;
  stop(): void;
}

export interface PlatformSimulatorTuning {
  openvidu?: Partial<OpenViduSimulatorOptions>;
  livekit?: Partial<LiveKitSimulatorOptions>;
  liveswitch?: Partial<LiveSwitchSimulatorOptions>;
  enablex?: Partial<EnableXSimulatorOptions>;
}

/**
 * A simulator for each platform configured in `credentials` (roomwatch's own `config.sources`), posting
 * to that platform's path on the roomwatch at `roomwatchUrl`.
 */
export function createPlatformSimulators(credentials: PlatformCredentials, roomwatchUrl: string, tuning: PlatformSimulatorTuning = {}): PlatformSimulators {
  const { openvidu, livekit, liveswitch, enablex } = credentials;
  const simulators = {
    ...(openvidu && {
      openvidu: new OpenViduSimulator({ webhookUrl: webhookUrl(roomwatchUrl, 'openvidu'), headers: openvidu.headers, ...tuning.openvidu }),
    }),
    ...(livekit && { livekit: new LiveKitSimulator({ webhookUrl: webhookUrl(roomwatchUrl, 'livekit'), ...livekit, ...tuning.livekit }) }),
    ...(liveswitch && {
      liveswitch: new LiveSwitchSimulator({ webhookUrl: webhookUrl(roomwatchUrl, 'liveswitch'), sharedSecret: liveswitch.sharedSecret, ...tuning.liveswitch }),
    }),
    ...(enablex && { enablex: new EnableXSimulator({ webhookUrl: webhookUrl(roomwatchUrl, 'enablex'), credentials: enablex, ...tuning.enablex }) }),
  };
  const all = () => [simulators.openvidu, simulators.livekit, simulators.liveswitch, simulators.enablex].filter((sim) => sim !== undefined);
  return {
    ...simulators,
    idle: async () => {
      await Promise.all(all().map((sim) => sim.idle()));
    },
    stop: () => {
      for (const sim of all()) sim.stop();
    },
  };
}
