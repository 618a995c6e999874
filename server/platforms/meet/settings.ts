// OpenVidu Meet's settings: where its REST API is, and its API key, which both authenticates REST calls
// and signs every webhook (../shared/protocols/openvidu-meet.md §1.9). Meet is always on: its key has
// the local deployment's default.
import { z } from 'zod';
import { httpUrl, keyList, setting } from '../../settings.js';
import { platformSettings } from '../types.js';

export interface MeetSettings {
  serverUrl: string;
  /** Accepted webhook signing keys, current one first (also the one used for REST calls). Meet signs with a single key (§1.9). */
  apiKeys: string[];
  /** REST API path; undefined means: find /api/v1 or /meet/api/v1 (3.6+) by asking. */
  apiPath: string | undefined;
  /** Accepted distance of X-Timestamp from the receive time, in both directions, in ms (MAX_WEBHOOK_AGE). */
  maxAgeMs: number;
}

export const meetSettings = platformSettings({
  variables: {
    OV_MEET_SERVER_URL: setting({ schema: httpUrl, default: 'http://localhost:9080', doc: 'the Meet server' }),
    OV_MEET_API_KEY: setting({
      schema: keyList,
      default: 'meet-api-key',
      secret: true,
      doc: "Meet's API key; several, comma-separated, during a rotation (the first is used for REST calls)",
    }),
    OV_MEET_API_PATH: setting({
      schema: z
        .string()
        .trim()
        .regex(/^\/[A-Za-z0-9/_.-]*$/, { message: 'must be a path such as /api/v1 or /meet/api/v1' })
        .transform((value) => value.replace(/\/+$/, '')),
      default: undefined,
      doc: 'where the REST API is under OV_MEET_SERVER_URL; unset: found by asking',
    }),
  },
  enabledBy: undefined,
  read: (values, core): MeetSettings => ({
    serverUrl: values.OV_MEET_SERVER_URL!,
    apiKeys: values.OV_MEET_API_KEY!,
    apiPath: values.OV_MEET_API_PATH,
    maxAgeMs: core.maxWebhookAgeMs,
  }),
});
