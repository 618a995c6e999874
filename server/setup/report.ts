// The setup panel's report: per platform of the catalog, what the operator has set, what the platform
// must be told, and whether deliveries arrive. Pure: the facts come in (routes.ts gathers them), the report
// goes out.
import type { ApiStatus, SourceId } from '../domain/rows.js';
import type { MeetingNow } from './active-meetings.js';
import { PLATFORMS } from '../platforms/index.js';
import type { LastRefusal, LastWebhook, PlatformSetup, SetupReport } from './types.js';
import type { WebhookBase } from './webhook-base.js';

/**
 * How long a meeting may run with no webhook from its platform since it began before the panel warns: a
 * delivery may be in flight or being retried for a while (Meet retries for about 10 s, OpenVidu at once).
 */
export const SILENCE_GRACE_MS = 2 * 60_000;

export interface SetupFacts {
  base: WebhookBase;
  /** The platforms whose webhooks are enabled. */
  enabled: ReadonlySet<SourceId>;
  /** The status of each platform API roomwatch uses. */
  apis: ReadonlyMap<SourceId, ApiStatus>;
  /** The rooms of a platform that show a meeting now. */
  meetingsOf(source: SourceId): readonly MeetingNow[];
  /** What each enabled platform last delivered, and last had refused. */
  lastWebhooks: ReadonlyMap<SourceId, LastWebhook>;
  lastRefusals: ReadonlyMap<SourceId, LastRefusal>;
  now: number;
}

export function setupReport({ base, enabled, apis, meetingsOf, lastWebhooks, lastRefusals, now }: SetupFacts): SetupReport {
  const platforms = PLATFORMS.map((platform): PlatformSetup => {
    const on = enabled.has(platform.id);
    const lastWebhook = on ? lastWebhooks.get(platform.id) : undefined;
    const meetings = meetingsOf(platform.id);
    const api = apis.get(platform.id);
    const [path, ...others] = platform.webhookPaths;
    return {
      id: platform.id,
      label: platform.label,
      enabled: on,
      enabledBy: platform.settings.enabledBy ?? null,
      webhookUrl: `${base.baseUrl}${path}`,
      otherWebhookUrls: others.map((other) => `${base.baseUrl}${other}`),
      authentication: platform.authentication,
      setupSteps: [...platform.setupSteps],
      lastWebhook: lastWebhook ?? null,
      lastRefusal: (on ? lastRefusals.get(platform.id) : undefined) ?? null,
      api: api ? { state: api.state, url: api.url, checkedAt: api.checkedAt, ...(api.error !== undefined && { error: api.error }) } : null,
      meetingsNow: meetings.length,
      silence: on ? silenceWarning(platform.label, meetings, lastWebhook?.at, now) : null,
    };
  });
  return { ...base, platforms };
}

/**
 * A platform announces each meeting it starts. When its rooms show meetings (found by its REST API) that
 * began a while ago, and no webhook from it has been received since they began, its webhooks are not
 * reaching roomwatch: wrong URL, unreachable address, or refused before they are read.
 */
export function silenceWarning(label: string, meetings: readonly Pick<MeetingNow, 'activeSince'>[], lastWebhookAt: number | undefined, now: number): string | null {
  const unannounced = meetings.filter(
    ({ activeSince }) => activeSince !== undefined && activeSince <= now - SILENCE_GRACE_MS && (lastWebhookAt === undefined || lastWebhookAt < activeSince),
  );
  if (unannounced.length === 0) return null;
  const rooms = unannounced.length === 1 ? `A room shows a meeting` : `${unannounced.length} rooms show meetings`;
  const since = lastWebhookAt === undefined ? `no webhook from ${label} has ever arrived` : `no webhook from ${label} has arrived since`;
  return `${rooms} that no webhook announced, and ${since}: check that ${label} posts to the webhook URL above, that it can reach that address, and the refusals below.`;
}
