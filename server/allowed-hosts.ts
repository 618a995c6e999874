// Which Host names the dashboard, its API and the stream answer to: a defence against DNS rebinding, where
// a web page points its own name at 127.0.0.1 and then reads and drives the dashboard as same-origin.
// Vite's `server.allowedHosts` is the model: loopback names, `*.localhost` and any IP-address literal are
// always allowed (rebinding needs a DNS name the attacker controls), ALLOWED_HOSTS adds more.
// Only the Host header counts, never X-Forwarded-Host: a rebound page may set that one itself.
import { isIP } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from './logger.js';

const SHOWN_HOST_CHARS = 100;

export interface HostRefusal {
  status: 403;
  body: { error: 'host_not_allowed'; message: string };
}

export class AllowedHosts {
  private readonly anyHost: boolean;
  private readonly names: Set<string>;
  /** Suffixes such as `.example.com`; `withApex` when `example.com` itself is allowed too (`.domain`, not `*.domain`). */
  private readonly domains: { suffix: string; withApex: boolean }[];

  /**
   * `patterns` as config.dashboard.allowedHosts holds them: lower case `name`, `.domain`, `*.domain` or `*`;
   * `serverHost` is SERVER_HOST, allowed too when it is a DNS name.
   */
  constructor(patterns: readonly string[], serverHost: string | undefined) {
    this.anyHost = patterns.includes('*');
    this.names = new Set([...patterns.filter((p) => !p.startsWith('.') && !p.startsWith('*')), ...dnsName(serverHost)]);
    this.domains = patterns
      .filter((p) => p.startsWith('.') || p.startsWith('*.'))
      .map((p) => (p.startsWith('.') ? { suffix: p, withApex: true } : { suffix: p.slice(1), withApex: false }));
  }

  /** Whether a request's Host header names this dashboard. A request without one is refused. */
  allows(hostHeader: string | undefined): boolean {
    if (this.anyHost) return true;
    const hostname = hostnameOf(hostHeader);
    if (hostname === undefined) return false;
    if (hostname.startsWith('[')) return hostname.endsWith(']') && isIP(hostname.slice(1, -1)) === 6;
    if (isIP(hostname) === 4) return true;
    if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
    if (this.names.has(hostname)) return true;
    return this.domains.some(({ suffix, withApex }) => hostname.endsWith(suffix) || (withApex && hostname === suffix.slice(1)));
  }

  /** The 403 for a request whose host is not allowed, or undefined when it is. */
  refusal(hostHeader: string | undefined): HostRefusal | undefined {
    if (this.allows(hostHeader)) return undefined;
    const shown = JSON.stringify((hostnameOf(hostHeader) ?? '').slice(0, SHOWN_HOST_CHARS));
    return {
      status: 403,
      body: {
        error: 'host_not_allowed',
        message: `this roomwatch does not answer to the host ${shown}; if you reach it through that name on purpose (a tunnel such as ngrok, a reverse proxy), add it to ALLOWED_HOSTS and restart`,
      },
    };
  }

  /** Express middleware: JSON for /api, /events and /metrics, a short text page for the page (never HTML: the host is the caller's text). */
  refuseOthers() {
    return (req: Request, res: Response, next: NextFunction) => {
      const refusal = this.refusal(req.headers.host);
      if (!refusal) return next();
      if (req.path === '/api' || req.path.startsWith('/api/') || req.path === '/events' || req.path === '/metrics') {
        res.status(refusal.status).json(refusal.body);
        return;
      }
      res.status(refusal.status).type('text/plain').send(`Blocked request. ${capitalized(refusal.body.message)}.\n`);
    };
  }
}

/** Says once, at start-up, which hosts the dashboard answers to (and warns when the check is off). */
export function logAllowedHosts(log: Logger, patterns: readonly string[], serverHost: string | undefined): void {
  if (patterns.includes('*')) {
    log.warn('ALLOWED_HOSTS=*: the dashboard, /api and /events answer to any host name, so any web page can reach them through DNS rebinding; list the names you use instead');
    return;
  }
  const extra = [...patterns, ...dnsName(serverHost)];
  log.info(
    { allowedHosts: ['localhost', '*.localhost', 'IP addresses', ...extra] },
    `the dashboard, /api and /events answer to localhost, *.localhost and IP addresses${extra.length ? `, and ${extra.join(', ')}` : ''}; ALLOWED_HOSTS adds names (webhooks and /healthz answer to any host)`,
  );
}

/** SERVER_HOST, when it is a DNS name: binding to a name says the dashboard is reached by it (Vite does the same). */
function dnsName(serverHost: string | undefined): string[] {
  return serverHost && isIP(serverHost) === 0 ? [serverHost.toLowerCase()] : [];
}

/** The host name of a Host header, lower case, without its port (an IPv6 literal keeps its brackets). */
function hostnameOf(hostHeader: string | undefined): string | undefined {
  const host = hostHeader?.trim().toLowerCase();
  if (!host) return undefined;
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
