// What GET /api/setup answers: per platform, whether it is on, where its webhooks go, what to set on its
// side, what it last delivered and refused, and whether its REST API answers. Declared once here; the
// browser imports these too. Pure types, no I/O.
import type { ApiStatus, SourceId } from '../domain/rows.js';

export interface SetupReport {
  /** Where every webhook URL below starts: PUBLIC_URL, or the address the page was opened with. */
  baseUrl: string;
  baseFrom: 'PUBLIC_URL' | 'request';
  /** Said when that address cannot be the one platforms use (it names this machine itself). */
  baseNote: string | null;
  /** Every platform of the catalog, in its order. */
  platforms: PlatformSetup[];
}

export interface PlatformSetup {
  id: SourceId;
  label: string;
  enabled: boolean;
  /** The settings that turn it on, in words; null when it is always on (Meet). */
  enabledBy: string | null;
  /** The URL to give the platform. */
  webhookUrl: string;
  /** The other paths it is accepted on too (the catalog's other webhookPaths). */
  otherWebhookUrls: string[];
  /** How its webhooks are authenticated, in words. */
  authentication: string;
  /** What to set on the platform's side, one step each. */
  setupSteps: string[];
  lastWebhook: LastWebhook | null;
  lastRefusal: LastRefusal | null;
  /** Its REST API's status; null when roomwatch uses none of this platform. */
  api: ApiStatus | null;
  /** Its rooms showing a meeting now. */
  meetingsNow: number;
  /** Said when its rooms show meetings no webhook announced, and it has been silent since. */
  silence: string | null;
}

export interface LastWebhook {
  /** Receive time, ms (roomwatch's clock). */
  at: number;
  seq: number;
  type: string;
}

export interface LastRefusal {
  at: number;
  reason: string;
  detail: string | null;
  /** What to check, and on which side. */
  hint: string | null;
  /** Receive time minus the platform's own send time, ms, when the request carried one. */
  skewMs: number | null;
}
