// The registry: every platform roomwatch knows, one line each, in the catalog's order. Routing, the
// sign-in gate, the inspector, the projection, reconciliation, the trigger, the simulators and the demo
// all read this list; none of them names a platform. Adding one is a folder and a line here (and its
// line in ./catalog.ts, which the browser reads: the type below fails until both agree).
import type { StoredEvent } from '../domain/events.js';
import type { HintTable } from '../ingest/hints.js';
import type { RequestHeaders } from './shared/headers.js';
import { SOURCE_IDS, type SourceId } from './catalog.js';
import type { ApiDeps, CoreSettings, CredentialHeader, Platform, PlatformApi, PlatformSettings, RedeliveryFacts, SignedDelivery, SignOptions, Verdict, WebhookRequest } from './types.js';
import { meet } from './meet/index.js';
import { openvidu } from './openvidu/index.js';
import { livekit } from './livekit/index.js';
import { liveswitch } from './liveswitch/index.js';
import { enablex } from './enablex/index.js';

const REGISTERED = {
  meet,
  openvidu,
  livekit,
  liveswitch,
  enablex,
} as const satisfies { [Id in SourceId]: { id: Id } };

type Registered = (typeof REGISTERED)[SourceId];
type SettingsOf<P> = P extends { settings: PlatformSettings<infer S> } ? S : never;

/** Each platform's typed settings, present when the platform is enabled. */
export type PlatformSettingsById = { [Id in SourceId]?: SettingsOf<(typeof REGISTERED)[Id]> };

/** Every platform, in the catalog's order. */
export const PLATFORMS: readonly Registered[] = SOURCE_IDS.map((id) => REGISTERED[id]);

export function platformById(id: string): Registered | undefined {
  return (REGISTERED as Record<string, Registered>)[id];
}

/** The platform whose webhooks are posted to this path. */
export function platformForPath(path: string): Registered | undefined {
  return PLATFORMS.find((platform) => (platform.webhookPaths as readonly string[]).includes(path));
}

/** Every webhook path of every platform, enabled or not. */
export const WEBHOOK_PATHS: readonly string[] = PLATFORMS.flatMap((platform) => platform.webhookPaths);

/** Reads every platform's settings from its variables' values (config.ts calls this). */
export function readPlatformSettings(values: Record<string, unknown>, core: CoreSettings): PlatformSettingsById {
  const settings: Record<string, unknown> = {};
  for (const platform of PLATFORMS) {
    const own = platform.settings.read(values, core);
    if (own !== undefined) settings[platform.id] = own;
  }
  return settings as PlatformSettingsById;
}

/**
 * A platform with its settings: what the parts of roomwatch that serve every platform alike (intake,
 * "copy as curl", reconciliation, the trigger and the simulators) hold, without knowing its settings' type.
 */
export interface EnabledPlatform {
  readonly platform: Registered;
  readonly id: SourceId;
  readonly label: string;
  readonly requiredHeaders: readonly string[];
  readonly hints: HintTable;
  sentAt(headers: RequestHeaders): number | undefined;
  verify(request: WebhookRequest): Verdict | Promise<Verdict>;
  sign(body: string, now: number, options?: SignOptions): Promise<SignedDelivery>;
  credentialHeaders(now: number): CredentialHeader[];
  redeliveryNotes(facts: Omit<RedeliveryFacts<unknown>, 'settings'>): string[];
  sessionEnded(event: StoredEvent): boolean;
  /** Undefined (or answers undefined) when the platform has no REST API roomwatch uses. */
  api: ((deps: ApiDeps) => PlatformApi | undefined) | undefined;
  warnings(): string[];
}

export function enable<S>(platform: Platform<S>, settings: S): EnabledPlatform {
  const api = platform.api;
  return {
    platform: platform as unknown as Registered,
    id: platform.id,
    label: platform.label,
    requiredHeaders: platform.requiredHeaders(settings),
    hints: platform.hints,
    sentAt: (headers) => platform.sentAt?.(headers),
    verify: (request) => platform.verify(settings, request),
    sign: async (body, now, options) => platform.sign(settings, body, now, options),
    credentialHeaders: (now) => platform.credentialHeaders(settings, now),
    redeliveryNotes: (facts) => platform.redeliveryNotes({ ...facts, settings }),
    sessionEnded: (event) => platform.sessionEnded?.(event) ?? false,
    api: api && ((deps) => api(settings, deps)),
    warnings: () => platform.warnings?.(settings) ?? [],
  };
}

/** The platforms whose settings are set, in the catalog's order (Meet is always among them). */
export function enabledPlatforms(settings: PlatformSettingsById): EnabledPlatform[] {
  return PLATFORMS.flatMap((platform) => {
    const own = settings[platform.id];
    return own === undefined ? [] : [enable(platform as Platform<unknown>, own)];
  });
}
