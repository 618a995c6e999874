// Sign-in for the dashboard when DASHBOARD_PASSWORD is set: a small login page, an HttpOnly SameSite
// cookie, and a gate in front of the page, /api/* and /events. Webhook routes stay open (they are
// verified by signature) and so does /healthz.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { IncomingMessage } from 'node:http';
import { SESSION_COOKIE, SESSION_TTL_MS, Sessions, readCookie } from './session.js';
import { loginPage } from './login-page.js';

// Matched on the raw path: app.ts refuses dot segments and encoded slashes first (auth/request-path.ts),
// so the path matched here is the path that gets served.
const OPEN_PATHS = [/^\/webhook(\/|$)/, /^\/livekit\/webhook$/, /^\/healthz$/, /^\/login$/, /^\/logout$/, /^\/vendor\//, /^\/favicon\.ico$/];
const MAX_FAILURES = 10;
const FAILURE_WINDOW_MS = 5 * 60_000;

export interface DashboardAuth {
  /** Login and logout routes. */
  routes: Router;
  /** Lets a request through when it is signed in or needs no sign-in. */
  gate: (req: Request, res: Response, next: NextFunction) => void;
  /** Whether a request carries a valid session (for the plain routes outside express). */
  isSignedIn: (req: IncomingMessage) => boolean;
}

export function dashboardAuth(password: string, { now: clock = Date.now }: { now?: () => number } = {}): DashboardAuth {
  const sessions = new Sessions(password);
  const failures = new Map<string, { count: number; since: number }>();
  const routes = express.Router();

  routes.get('/login', (req, res) => {
    res.type('html').send(loginPage(req.query.failed === '1' ? 'That password is not right.' : undefined));
  });

  routes.post('/login', express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
    const ip = req.ip ?? 'unknown';
    const now = clock();
    const record = failures.get(ip);
    if (record && now - record.since < FAILURE_WINDOW_MS && record.count >= MAX_FAILURES) {
      res.status(429).set('Retry-After', String(Math.ceil((record.since + FAILURE_WINDOW_MS - now) / 1000)));
      res.type('html').send(loginPage('Too many wrong passwords; wait a few minutes and try again.'));
      return;
    }
    const candidate = typeof req.body?.password === 'string' ? req.body.password : '';
    if (!sessions.passwordMatches(candidate)) {
      const fresh = !record || now - record.since >= FAILURE_WINDOW_MS;
      failures.set(ip, { count: fresh ? 1 : record.count + 1, since: fresh ? now : record.since });
      res.redirect(303, '/login?failed=1');
      return;
    }
    failures.delete(ip);
    res.cookie(SESSION_COOKIE, sessions.issue(now), {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      maxAge: SESSION_TTL_MS,
      path: '/',
    });
    res.redirect(303, '/');
  });

  routes.post('/logout', (_req, res) => {
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  });

  const isSignedIn = (req: IncomingMessage) => sessions.isValid(readCookie(req.headers.cookie, SESSION_COOKIE), clock());
  const gate = (req: Request, res: Response, next: NextFunction) => {
    if (OPEN_PATHS.some((path) => path.test(req.path))) return next();
    if (isSignedIn(req)) return next();
    if (req.path.startsWith('/api/') || req.path === '/events') {
      res.status(401).json({ error: 'unauthenticated', message: 'sign in first: /login' });
      return;
    }
    res.redirect(303, '/login');
  };

  return { routes, gate, isSignedIn };
}
