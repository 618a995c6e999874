// Who may open GET /events. It is a plain node:http route (outside express and its middleware), so the
// host and sign-in rules the page and /api get from app.ts are applied here, in the same order.
import type { IncomingMessage } from 'node:http';
import type { AllowedHosts } from '../allowed-hosts.js';
import type { DashboardAuth } from './routes.js';

export interface StreamRefusal {
  status: number;
  body: { error: string; message: string };
}

const SIGN_IN_FIRST: StreamRefusal = { status: 401, body: { error: 'unauthenticated', message: 'sign in first: /login' } };

/** The refusal for a stream request, or undefined when it may open the stream. */
export function streamAdmission(hosts: AllowedHosts, auth: DashboardAuth | undefined): (req: IncomingMessage) => StreamRefusal | undefined {
  return (req) => hosts.refusal(req.headers.host) ?? (auth && !auth.isSignedIn(req) ? SIGN_IN_FIRST : undefined);
}
