// Everything the routers of one simulator instance share.
import type { Meetings } from './meetings.js';
import type { MeetVersion } from './model.js';
import type { Recorder } from './recorder.js';
import type { WireContext } from './shapes.js';
import type { MeetState } from './state.js';
import type { VersionProfile } from './versions.js';
import type { WebhookDispatcher } from './webhooks.js';

export interface SimContext {
  version: MeetVersion;
  profile: VersionProfile;
  /** '' or '/meet'-like, never with a trailing slash. */
  basePath: string;
  apiKey: string;
  now: () => number;
  state: MeetState;
  meetings: Meetings;
  recorder: Recorder;
  webhooks: WebhookDispatcher;
  /** Refuse (422) fields this version removed from request bodies, where Meet silently drops them. */
  refuseRemovedFields: boolean;
  /** Known once the server listens (port 0 picks one). */
  publicUrl: string;
}

export function wireContext(ctx: SimContext): WireContext {
  return { version: ctx.version, baseUrl: `${ctx.publicUrl}${ctx.basePath}` };
}
