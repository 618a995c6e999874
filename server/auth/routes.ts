// Sign-in for the dashboard when DASHBOARD_PASSWORD is set: a small login page, an HttpOnly SameSite
// cookie, and a gate in front of the page, /api/* and /events. Webhook routes stay open (they are
// verified by signature) and so does /healthz.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../logger.js';
import { SESSION_COOKIE, SESSION_TTL_MS, Sessions, readCookie } from './session.js';
import { LOGIN_SCRIPT, loginPage } from './login-page.js';
import { safeNextPath } from './next-path.js';
import { SignInLimit } from './sign-in-limit.js';
import { WEBHOOK_PATHS } from '../platforms/index.js';

// Matched on the raw path: app.ts refuses dot segments and encoded slashes first (auth/request-path.ts),
// so the path matched here is the path that gets served. Every platform's webhook paths are open (the
// registry's, some of which are not under /webhook), and so is anything under /webhook (its JSON 404).
const OPEN_PATHS = [/^\/webhook(\/|$)/, /^\/healthz$/, /^\/login$/, /^\/logout$/, /^\/vendor\//, /^\/favicon\.ico$/];
/** What the login page loads besides Bootstrap: its own script and the dashboard's stylesheet (its focus ring). */
const LOGIN_ASSETS = [/^\/login\.js$/, /^\/styles\.css$/];
const isOpen = (path: string) =>
  WEBHOOK_PATHS.includes(path) || OPEN_PATHS.some((open) => open.test(path)) || LOGIN_ASSETS.some((asset) => asset.test(path));

export interface DashboardAuth {
  /** Login and logout routes. */
  routes: Router;
  /** Lets a request through when it is signed in or needs no sign-in. */
  gate: (req: Request, res: Response, next: NextFunction) => void;
  /** Whether a request carries a valid session (for the plain routes outside express). */
  isSignedIn: (req: IncomingMessage) => boolean;
}

export interface DashboardAuthOptions {
  now?: () => number;
  /** Where failed sign-ins are reported (address only, never what was typed). */
  log?: Logger;
}

export function dashboardAuth(password: string, { now: clock = Date.now, log }: DashboardAuthOptions = {}): DashboardAuth {
  const sessions = new Sessions(password);
  const limit = new SignInLimit();
  const routes = express.Router();

  routes.get('/login', (req, res) => {
    const next = req.query.next === undefined ? '' : safeNextPath(req.query.next);
    res.type('html').send(loginPage({ error: req.query.failed === '1' ? 'That password is not right.' : undefined, next }));
  });
  routes.get('/login.js', (_req, res) => {
    res.type('text/javascript').send(LOGIN_SCRIPT);
  });

  routes.post('/login', express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
    // req.ip follows TRUST_PROXY (app.ts): X-Forwarded-For counts only from the proxies it names.
    const ip = req.ip ?? 'unknown';
    const now = clock();
    const next = safeNextPath(req.body?.next || '/');
    // While limited, the password is not even checked: a limited caller learns nothing from the answer.
    const waitMs = limit.waitMs(ip, now);
    if (waitMs > 0) {
      res.status(429).set('Retry-After', String(Math.ceil(waitMs / 1000)));
      res.type('html').send(loginPage({ error: 'Too many wrong passwords; wait a few minutes and try again.', next }));
      return;
    }
    const candidate = typeof req.body?.password === 'string' ? req.body.password : '';
    if (!sessions.passwordMatches(candidate)) {
      const { pausedForEveryone } = limit.recordFailure(ip, now);
      log?.warn({ ip }, 'wrong dashboard password');
      if (pausedForEveryone) {
        const seconds = Math.ceil(limit.waitMs(ip, now) / 1000);
        log?.warn(`too many wrong dashboard passwords from all addresses together: sign-in is paused for everyone for ${seconds} s; sessions already open keep working`);
      }
      res.redirect(303, next === '/' ? '/login?failed=1' : `/login?${new URLSearchParams({ failed: '1', next }).toString()}`);
      return;
    }
    limit.recordSuccess(ip);
    res.cookie(SESSION_COOKIE, sessions.issue(now), {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      maxAge: SESSION_TTL_MS,
      path: '/',
    });
    res.redirect(303, next);
  });

  routes.post('/logout', (_req, res) => {
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  });

  const isSignedIn = (req: IncomingMessage) => sessions.isValid(readCookie(req.headers.cookie, SESSION_COOKIE), clock());
  const gate = (req: Request, res: Response, next: NextFunction) => {
    if (isOpen(req.path)) return next();
    if (isSignedIn(req)) return next();
    if (req.path.startsWith('/api/') || req.path === '/events') {
      res.status(401).json({ error: 'unauthenticated', message: 'sign in first: /login' });
      return;
    }
    res.redirect(303, '/login');
  };

  return { routes, gate, isSignedIn };
}
