// EnableX authenticates its webhooks with HTTP Basic only, with the user and password set in its portal
// (../shared/protocols/providers.md §4). Its Server API, which roomwatch reads to name rooms and list who
// took part in a session, takes the project's APP_ID and APP_KEY as HTTP Basic (EnableX's Server API docs).
import { bothOrNeither, ConfigError, httpUrl, nonEmpty, setting } from '../../settings.js';
import { platformSettings } from '../types.js';

export interface EnableXApiSettings {
  appId: string;
  appKey: string;
  /** The API host, e.g. https://api.enablex.io (routes are under /video/v2). */
  url: string;
}

export interface EnableXSettings {
  user: string;
  password: string;
  /** The Server API; undefined: rooms keep their hex ids and sessions list nobody (webhooks only). */
  api?: EnableXApiSettings;
}

export const enablexSettings = platformSettings({
  variables: {
    ENABLEX_WEBHOOK_USER: setting({ schema: nonEmpty, default: undefined, doc: 'EnableX HTTP Basic user (with ENABLEX_WEBHOOK_PASSWORD)' }),
    ENABLEX_WEBHOOK_PASSWORD: setting({ schema: nonEmpty, default: undefined, secret: true, doc: 'EnableX HTTP Basic password' }),
    ENABLEX_APP_ID: setting({ schema: nonEmpty, default: undefined, doc: "EnableX Server API: the project's APP_ID (with ENABLEX_APP_KEY)" }),
    ENABLEX_APP_KEY: setting({ schema: nonEmpty, default: undefined, secret: true, doc: "EnableX Server API: the project's APP_KEY" }),
    ENABLEX_API_URL: setting({ schema: httpUrl, default: 'https://api.enablex.io', doc: 'EnableX Server API host (routes under /video/v2)' }),
  },
  enabledBy: 'ENABLEX_WEBHOOK_USER and ENABLEX_WEBHOOK_PASSWORD',
  read: (values): EnableXSettings | undefined => {
    const webhook = bothOrNeither(['ENABLEX_WEBHOOK_USER', 'ENABLEX_WEBHOOK_PASSWORD'], values.ENABLEX_WEBHOOK_USER, values.ENABLEX_WEBHOOK_PASSWORD);
    const api = bothOrNeither(['ENABLEX_APP_ID', 'ENABLEX_APP_KEY'], values.ENABLEX_APP_ID, values.ENABLEX_APP_KEY);
    if (!webhook) {
      // EnableX is on when its webhooks are: the API completes what they say.
      if (api) throw new ConfigError('ENABLEX_APP_ID and ENABLEX_APP_KEY need ENABLEX_WEBHOOK_USER and ENABLEX_WEBHOOK_PASSWORD (the HTTP Basic user and password of the webhook in the EnableX portal): set those too');
      return undefined;
    }
    return { user: webhook[0], password: webhook[1], ...(api && { api: { appId: api[0], appKey: api[1], url: values.ENABLEX_API_URL! } }) };
  },
});
