// What /webhook* answers besides a POST to an enabled platform (those are plain routes in front of
// express): a GET says what the endpoint is and whether its platform is enabled (how one checks an ngrok
// tunnel in a browser), a POST to a disabled platform says how to enable it, another method is a 405 and
// an unknown path under /webhook a 404. Always JSON, never express's HTML pages.
import express, { type Router } from 'express';
import type { Config } from '../config.js';
import { PLATFORMS } from '../platforms/index.js';

interface Endpoint {
  platform: string;
  label: string;
  paths: readonly string[];
  authentication: string;
  /** The settings that enable it; undefined when it is always on (Meet). */
  enabledBy: string | undefined;
  enabled: boolean;
}

const ALLOW = 'GET, HEAD, POST';
const UNDER_WEBHOOK = /^\/webhook(\/|$)/i;

export function webhookPathRoutes(config: Config): Router {
  // Exact paths only: /webhook/ or /Webhook are not /webhook, and must not be told "POST is allowed" here.
  const router = express.Router({ strict: true, caseSensitive: true });
  const endpoints: Endpoint[] = PLATFORMS.map((platform) => ({
    platform: platform.id,
    label: platform.label,
    paths: platform.webhookPaths,
    authentication: platform.authentication,
    enabledBy: platform.settings.enabledBy,
    enabled: config.platforms[platform.id] !== undefined,
  }));
  const allPaths = endpoints.flatMap(({ paths }) => paths);

  for (const endpoint of endpoints) {
    const paths = [...endpoint.paths];
    router.get(paths, (req, res) => {
      res.json(describe(endpoint, req.path));
    });
    if (!endpoint.enabled) {
      router.post(paths, (_req, res) => {
        res.status(404).json({ error: 'source_not_enabled', message: `${endpoint.platform} webhooks are not enabled: set ${endpoint.enabledBy}` });
      });
    }
    router.all(paths, (req, res) => {
      res.set('Allow', ALLOW).status(405).json({ error: 'method_not_allowed', message: `${req.path} takes POST (webhooks) and GET (what this endpoint is), not ${req.method}` });
    });
  }
  // Whatever its case or trailing slash, a path that looks like a webhook path gets its answer in JSON.
  router.use((req, res, next) => {
    if (!UNDER_WEBHOOK.test(req.path)) return next();
    res.status(404).json({ error: 'not_found', message: `no webhook endpoint at ${req.path}; the endpoints are ${allPaths.join(', ')}` });
  });
  return router;
}

function describe(endpoint: Endpoint, path: string) {
  const { platform, label, authentication, enabled, enabledBy } = endpoint;
  return {
    endpoint: path,
    platform,
    label,
    enabled,
    accepts: `POST, authenticated with ${authentication}`,
    ...(enabled ? {} : { enableWith: enabledBy }),
    message: enabled
      ? `This is roomwatch's ${label} webhook endpoint. It takes POST requests authenticated with ${authentication}; give this URL to ${label} as its webhook URL.`
      : `This is roomwatch's ${label} webhook endpoint, but ${label} is not enabled here: set ${enabledBy} and restart roomwatch. It then takes POST requests authenticated with ${authentication}.`,
  };
}
