// LiveSwitch signs application and channel webhooks with the shared secret of the application that sends
// them, and the body's `applicationId` says which application that is (../shared/protocols/providers.md
// §3). LIVESWITCH_APPLICATION_SECRETS gives a secret per application ("applicationId: secret" lines; an
// application listed twice has both secrets accepted, for a rotation, the first one signing);
// LIVESWITCH_SHARED_SECRET is the secret of any application not listed there.
import { z } from 'zod';
import { nonEmpty, setting } from '../../settings.js';
import { parseKeyPairs } from '../shared/key-pairs.js';
import { platformSettings } from '../types.js';

export interface LiveSwitchSettings {
  /** Secrets by application id, the one LiveSwitch signs with now first. */
  applications: Map<string, string[]>;
  /** The secret of every other application (and of a body that names none); undefined = they are refused. */
  sharedSecret: string | undefined;
}

export const liveswitchSettings = platformSettings({
  variables: {
    LIVESWITCH_SHARED_SECRET: setting({ schema: nonEmpty, default: undefined, secret: true, doc: 'LiveSwitch: the shared secret of any application not listed below' }),
    LIVESWITCH_APPLICATION_SECRETS: setting({
      schema: z.string().transform((text, ctx) => {
        try {
          const pairs = parseKeyPairs(text);
          if (pairs.length > 0) return pairs;
          ctx.addIssue({ code: 'custom', message: 'must hold at least one "applicationId: secret" line' });
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: `must be "applicationId: shared secret" lines: ${(error as Error).message}` });
        }
        return z.NEVER;
      }),
      default: undefined,
      secret: true,
      doc: 'LiveSwitch: a shared secret per application, "applicationId: secret" lines',
    }),
  },
  enabledBy: 'LIVESWITCH_SHARED_SECRET or LIVESWITCH_APPLICATION_SECRETS',
  read: (values): LiveSwitchSettings | undefined => {
    if (values.LIVESWITCH_SHARED_SECRET === undefined && values.LIVESWITCH_APPLICATION_SECRETS === undefined) return undefined;
    const applications = new Map<string, string[]>();
    for (const { name, secret } of values.LIVESWITCH_APPLICATION_SECRETS ?? []) applications.set(name, [...(applications.get(name) ?? []), secret]);
    return { applications, sharedSecret: values.LIVESWITCH_SHARED_SECRET };
  },
});

/** The secrets that may have signed a body of this application, the signing one first. */
export function secretsFor({ applications, sharedSecret }: LiveSwitchSettings, applicationId: string | undefined): string[] {
  const own = applicationId === undefined ? undefined : applications.get(applicationId);
  return own ?? (sharedSecret === undefined ? [] : [sharedSecret]);
}
