// LiveKit's keys, as an operator has them (../shared/protocols/providers.md §2): LiveKit signs its
// webhooks with the key named in livekit.yaml's `webhook.api_key`, one of the server's `keys`. Those can
// be given here as LIVEKIT_API_KEY and LIVEKIT_API_SECRET, in LIVEKIT_KEYS (LiveKit server's own
// variable: "key: secret" lines), or in a keys file (LiveKit's `key_file`, the same lines). Listing
// several is how a key is rotated: a webhook is checked with the secret of the key its token names.
// LIVEKIT_URL, where LiveKit's server API answers, turns on reconciliation and the dashboard's actions.
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, bothOrNeither, nonEmpty, setting } from '../../settings.js';
import { KeyPairError, parseKeyPairs, type KeyPair } from '../shared/key-pairs.js';
import { platformSettings } from '../types.js';

export interface LiveKitKey {
  key: string;
  secret: string;
}

export interface LiveKitSettings {
  /** Every key roomwatch accepts, none twice; the first signs (trigger, "copy as curl") and calls the API. */
  keys: LiveKitKey[];
  /** LiveKit's server API, as http(s) (LIVEKIT_URL's ws/wss name the same host); undefined: webhooks only. */
  apiUrl?: string | undefined;
}

/** LiveKit's URL as its SDKs take it (ws:// and wss:// name the same host as http:// and https://), kept as http(s). */
const serverUrl = z
  .string()
  .trim()
  .refine((value) => /^(https?|wss?):\/\/[^/]/.test(value) && URL.canParse(value), { message: 'must be an http://, https://, ws:// or wss:// URL' })
  // The SDK calls <origin>/twirp/…: a path here would be silently dropped.
  .refine((value) => /^\/*$/.test(new URL(value).pathname) && !/[?#]/.test(value), { message: "must be LiveKit's address without a path (its API is under /twirp there)" })
  // The dashboard shows where roomwatch looks: no password in it (LiveKit authenticates with tokens).
  .refine((value) => new URL(value).username === '' && new URL(value).password === '', { message: 'must not carry a user name or password (LiveKit authenticates with the key)' })
  .transform((value) => value.replace(/^ws/, 'http').replace(/\/+$/, ''));

export const livekitSettings = platformSettings({
  variables: {
    LIVEKIT_API_KEY: setting({ schema: z.string().trim().min(1), default: undefined, doc: 'OpenVidu 3 / LiveKit: the API key (with LIVEKIT_API_SECRET); the one roomwatch signs and calls the API with' }),
    LIVEKIT_API_SECRET: setting({ schema: nonEmpty, default: undefined, secret: true, doc: "that key's secret" }),
    LIVEKIT_KEYS: setting({
      schema: z.string().transform(keyLines('LIVEKIT_KEYS')),
      default: undefined,
      secret: true,
      doc: 'more keys, as LiveKit server reads them: "key: secret" lines',
    }),
    LIVEKIT_KEY_FILE: setting({
      schema: z.string().trim().min(1),
      default: undefined,
      doc: "a keys file as LiveKit's key_file: \"key: secret\" lines, readable by its owner only",
    }),
    LIVEKIT_URL: setting({
      schema: serverUrl,
      default: undefined,
      // A refused value is not echoed: it may carry a password.
      secret: true,
      doc: "LiveKit's server (http, https, ws or wss, as LiveKit's SDKs take it): roomwatch reads its rooms and egresses there, and ends rooms and stops egresses, with the first key",
    }),
  },
  enabledBy: 'LIVEKIT_API_KEY and LIVEKIT_API_SECRET, LIVEKIT_KEYS or LIVEKIT_KEY_FILE',
  read: (values): LiveKitSettings | undefined => {
    const pair = bothOrNeither(['LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET'], values.LIVEKIT_API_KEY, values.LIVEKIT_API_SECRET);
    const pairs: KeyPair[] = [
      ...(pair ? [{ name: pair[0], secret: pair[1] }] : []),
      ...(values.LIVEKIT_KEYS ?? []),
      ...(values.LIVEKIT_KEY_FILE === undefined ? [] : readKeyFile(values.LIVEKIT_KEY_FILE)),
    ];
    if (pairs.length === 0) {
      if (values.LIVEKIT_URL !== undefined) throw new ConfigError('LIVEKIT_URL needs a key to call LiveKit with: set LIVEKIT_API_KEY and LIVEKIT_API_SECRET (or LIVEKIT_KEYS or LIVEKIT_KEY_FILE)');
      return undefined;
    }
    const keys: LiveKitKey[] = [];
    for (const { name, secret } of pairs) {
      const known = keys.find((entry) => entry.key === name);
      // LiveKit itself holds one secret per key (a map): two different ones cannot both be right.
      if (known && known.secret !== secret) throw new ConfigError(`LiveKit key ${name} is given twice with different secrets (LIVEKIT_API_KEY, LIVEKIT_KEYS, LIVEKIT_KEY_FILE): keep one`);
      if (!known) keys.push({ key: name, secret });
    }
    return values.LIVEKIT_URL === undefined ? { keys } : { keys, apiUrl: values.LIVEKIT_URL };
  },
});

function keyLines(variable: string) {
  return (text: string, ctx: z.RefinementCtx): KeyPair[] => {
    try {
      const pairs = parseKeyPairs(text);
      if (pairs.length === 0) ctx.addIssue({ code: 'custom', message: 'must hold at least one "key: secret" line' });
      return pairs;
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `must be "key: secret" lines, as LiveKit's own ${variable}: ${(error as Error).message}` });
      return z.NEVER;
    }
  };
}

/** LiveKit refuses a keys file others may read or write (its `key_file` check); so does roomwatch. */
function readKeyFile(path: string): KeyPair[] {
  let text: string;
  try {
    if ((statSync(path).mode & 0o007) !== 0) {
      throw new ConfigError(`LIVEKIT_KEY_FILE ${path} may be read by other users; chmod 600 it, as LiveKit requires of its key_file`);
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`LIVEKIT_KEY_FILE ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check the path`);
  }
  try {
    const pairs = parseKeyPairs(text);
    if (pairs.length === 0) throw new KeyPairError('it holds no "key: secret" line');
    return pairs;
  } catch (error) {
    throw new ConfigError(`LIVEKIT_KEY_FILE ${path}: ${(error as Error).message}; it must hold "key: secret" lines, as LiveKit's key_file`);
  }
}
