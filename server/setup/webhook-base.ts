// Where the webhook URLs the setup panel shows start: PUBLIC_URL when it is set, else the address the
// page was opened with. That address is the request's Host, which the dashboard's host check has already
// accepted (allowed-hosts.ts), never X-Forwarded-Host, which a rebound page may set itself; the scheme
// follows X-Forwarded-Proto only from a proxy TRUST_PROXY names (express's req.protocol).
import type { Request } from 'express';
import { ApiError } from '../api-error.js';
import type { SetupReport } from './types.js';

export type WebhookBase = Pick<SetupReport, 'baseUrl' | 'baseFrom' | 'baseNote'>;

/** A host name or IP literal and an optional port: nothing else may go into an address handed out. */
const HOST_AND_PORT = /^([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:\d{1,5})?$/i;
const LOOPBACK = /^(localhost|.*\.localhost|127(\.\d{1,3}){3}|\[::1\])$/;

export function webhookBase(publicUrl: string | undefined, req: Request): WebhookBase {
  if (publicUrl !== undefined) return { baseUrl: publicUrl, baseFrom: 'PUBLIC_URL', baseNote: null };
  const host = req.headers.host ?? '';
  // A Host header with anything but a name and a port in it (ALLOWED_HOSTS=* lets any through) is not an address to hand out.
  const origin = HOST_AND_PORT.test(host) && URL.canParse(`${req.protocol}://${host}`) ? new URL(`${req.protocol}://${host}`) : undefined;
  if (!origin) {
    throw new ApiError(400, 'bad_host', 'the Host header of this request is not a host name and port; set PUBLIC_URL to the address platforms reach roomwatch at');
  }
  return {
    baseUrl: origin.origin,
    baseFrom: 'request',
    baseNote: LOOPBACK.test(origin.hostname)
      ? `${origin.hostname} is this machine itself: a platform elsewhere (or in a container) cannot post to it. Give it an address it reaches roomwatch at (Docker: host.docker.internal), and set PUBLIC_URL to that address so this page shows it.`
      : null,
  };
}
