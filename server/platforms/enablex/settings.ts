// EnableX authenticates its webhooks with HTTP Basic only, with the user and password set in its portal
// (../shared/protocols/providers.md §4).
import { bothOrNeither, nonEmpty, setting } from '../../settings.js';
import { platformSettings } from '../types.js';

export interface EnableXSettings {
  user: string;
  password: string;
}

export const enablexSettings = platformSettings({
  variables: {
    ENABLEX_WEBHOOK_USER: setting({ schema: nonEmpty, default: undefined, doc: 'EnableX HTTP Basic user (with ENABLEX_WEBHOOK_PASSWORD)' }),
    ENABLEX_WEBHOOK_PASSWORD: setting({ schema: nonEmpty, default: undefined, secret: true, doc: 'EnableX HTTP Basic password' }),
  },
  enabledBy: 'ENABLEX_WEBHOOK_USER and ENABLEX_WEBHOOK_PASSWORD',
  read: (values): EnableXSettings | undefined => {
    const pair = bothOrNeither(['ENABLEX_WEBHOOK_USER', 'ENABLEX_WEBHOOK_PASSWORD'], values.ENABLEX_WEBHOOK_USER, values.ENABLEX_WEBHOOK_PASSWORD);
    return pair && { user: pair[0], password: pair[1] };
  },
});
