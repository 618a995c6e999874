// The simulator's HTTP surface, top to bottom (../../../shared/protocols/openvidu-meet.md §4, §4.6):
import express from 'express';
import type { SimContext } from './context.js';
import { controlRoutes } from './control-routes.js';
import type { SimControls } from './controls.js';
import { internalApi } from './internal-api.js';
import { pageRoutes } from './pages.js';
import { restApi } from './rest.js';
import { serveWebComponent } from './webcomponent.js';

export interface SimUrls {
  apiUrl: string;
  webComponentUrl: string;
}

export function buildApp(ctx: SimContext, controls: SimControls, info: () => object, urls: () => SimUrls): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const base = ctx.basePath;

  // The public REST API (X-API-KEY) and the one internal route a receiver uses (webhook URL test).
  app.use(`${base}/api/v1`, restApi(ctx));
  app.use(`${base}/internal-api/v1`, internalApi(ctx));
  // The web component bundle.
  app.get(`${base}/v1/openvidu-meet.js`, serveWebComponent);
  // Simulator controls: no Meet counterpart.
  app.use('/_sim', controlRoutes(controls, info));
  // §1.7: LiveKit's own webhooks go to Meet at the root; the simulator has no LiveKit, it just nods.
  app.post('/livekit/webhook', (_req, res) => {
    res.status(200).end();
  });
  // Meeting, recording and home pages.
  app.use(base || '/', pageRoutes(ctx, urls));
  if (base) {
    app.get('/', (_req, res) => {
      res.redirect(`${base}/`);
    });
  }
  return app;
}
