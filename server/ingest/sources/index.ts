// Which webhook paths exist, from the configuration: Meet always, each other platform only when its
// credentials are set (../shared/protocols/providers.md §0: one path per platform, never sniffing).
import type { Config } from '../../config.js';
import type { SourceAdapter } from './source.js';
import { meetSource } from './meet.js';
import { openviduSource } from './openvidu.js';
import { livekitSource } from './livekit.js';
import { liveswitchSource } from './liveswitch.js';
import { enablexSource } from './enablex.js';

export interface WebhookSource {
  adapter: SourceAdapter;
  paths: string[];
}

/** Every platform but Meet (always on) with its paths and what enables it, for routing and for the "not enabled" answer. */
export const PLATFORM_PATHS = {
  openvidu: {
    paths: ['/webhook/openvidu'],
    enabledBy: 'OPENVIDU_WEBHOOK_HEADERS',
    label: 'OpenVidu 2',
    authentication: 'the static headers of OPENVIDU_WEBHOOK_HEADERS',
  },
  livekit: {
    paths: ['/webhook/livekit', '/livekit/webhook'],
    enabledBy: 'LIVEKIT_API_KEY and LIVEKIT_API_SECRET',
    label: 'LiveKit / OpenVidu 3',
    authentication: 'a JWT in Authorization, signed with the API secret',
  },
  liveswitch: {
    paths: ['/webhook/liveswitch'],
    enabledBy: 'LIVESWITCH_SHARED_SECRET',
    label: 'LiveSwitch',
    authentication: "X-ApplicationSignature, an HMAC of the body with the application's shared secret",
  },
  enablex: {
    paths: ['/webhook/enablex'],
    enabledBy: 'ENABLEX_WEBHOOK_USER and ENABLEX_WEBHOOK_PASSWORD',
    label: 'EnableX',
    authentication: 'HTTP Basic authentication',
  },
} as const;

export const MEET_PATHS = {
  paths: ['/webhook', '/webhook/meet'],
  label: 'OpenVidu Meet',
  authentication: 'X-Timestamp and X-Signature, an HMAC of the body with OV_MEET_API_KEY',
} as const;

export function enabledSources(config: Config): WebhookSource[] {
  const { openvidu, livekit, liveswitch, enablex } = config.sources;
  const sources: WebhookSource[] = [
    { adapter: meetSource({ apiKeys: config.meet.apiKeys, maxAgeMs: config.webhook.maxAgeMs }), paths: [...MEET_PATHS.paths] },
  ];
  if (openvidu) sources.push({ adapter: openviduSource(openvidu), paths: [...PLATFORM_PATHS.openvidu.paths] });
  if (livekit) sources.push({ adapter: livekitSource(livekit), paths: [...PLATFORM_PATHS.livekit.paths] });
  if (liveswitch) sources.push({ adapter: liveswitchSource(liveswitch), paths: [...PLATFORM_PATHS.liveswitch.paths] });
  if (enablex) sources.push({ adapter: enablexSource(enablex), paths: [...PLATFORM_PATHS.enablex.paths] });
  return sources;
}
