// Simulated senders of OpenVidu 2.x, LiveKit (OpenVidu 3), LiveSwitch and EnableX webhooks, each
// delivering the way its platform does (see each file) through the one sender of ../delivery. No server:
// they only post to a receiver.
import type { PlatformSettingsById } from '../../server/platforms/index.js';
import { webhookUrl } from '../platforms/deliver.js';
import { EnableXSimulator, type EnableXSimulatorOptions } from './enablex.js';
import { LiveKitSimulator, type LiveKitSimulatorOptions } from './livekit.js';
import { LiveSwitchSimulator, type LiveSwitchSimulatorOptions } from './liveswitch.js';
import { OpenViduSimulator, type OpenViduSimulatorOptions } from './openvidu.js';

export { EnableXSimulator, LiveKitSimulator, LiveSwitchSimulator, OpenViduSimulator };
export type { EnableXSimulatorOptions, LiveKitSimulatorOptions, LiveSwitchSimulatorOptions, OpenViduSimulatorOptions };
export type { Attempt as SimAttempt } from '../delivery/attempt-log.js';

export interface PlatformSimulators {
  /** One simulator per platform whose settings were given. */
  openvidu?: OpenViduSimulator;
  livekit?: LiveKitSimulator;
  liveswitch?: LiveSwitchSimulator;
  enablex?: EnableXSimulator;
  /** Points every simulator at the roomwatch at this URL (when they were made before it started). */
  setRoomwatchUrl(roomwatchUrl: string): void;
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
 * A simulator for each platform enabled in `settings` (roomwatch's own `config.platforms`), signing with
 * those settings and posting to that platform's path on the roomwatch at `roomwatchUrl` (none yet: they
 * post nothing until `setRoomwatchUrl`).
 */
export function createPlatformSimulators(settings: PlatformSettingsById, roomwatchUrl: string | undefined, tuning: PlatformSimulatorTuning = {}): PlatformSimulators {
  const { openvidu, livekit, liveswitch, enablex } = settings;
  const url = (id: string) => (roomwatchUrl === undefined ? undefined : webhookUrl(roomwatchUrl, id));
  const simulators = {
    ...(openvidu && { openvidu: new OpenViduSimulator({ webhookUrl: url('openvidu'), settings: openvidu, ...tuning.openvidu }) }),
    ...(livekit && { livekit: new LiveKitSimulator({ webhookUrl: url('livekit'), settings: livekit, ...tuning.livekit }) }),
    ...(liveswitch && {
      // The application sending is one that has a secret here, when the settings name any.
      liveswitch: new LiveSwitchSimulator({ webhookUrl: url('liveswitch'), settings: liveswitch, applicationId: [...liveswitch.applications.keys()][0], ...tuning.liveswitch }),
    }),
    ...(enablex && { enablex: new EnableXSimulator({ webhookUrl: url('enablex'), settings: enablex, ...tuning.enablex }) }),
  };
  const all = () => [simulators.openvidu, simulators.livekit, simulators.liveswitch, simulators.enablex].filter((sim) => sim !== undefined);
  return {
    ...simulators,
    setRoomwatchUrl: (base) => {
      for (const [id, sim] of Object.entries(simulators)) sim.setWebhookUrl(webhookUrl(base, id));
    },
    idle: async () => {
      await Promise.all(all().map((sim) => sim.idle()));
    },
    stop: () => {
      for (const sim of all()) sim.stop();
    },
  };
}
