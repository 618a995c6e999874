// The one internal route a webhook receiver meets: "test webhook URL" (../../../shared/protocols/openvidu-meet.md
// §1.7, §1.8). No auth at 3.4; one signed testEvent, one attempt, sent even when webhooks are disabled.
import express, { Router } from 'express';
import { z } from 'zod';
import { requireJsonBody } from './auth.js';
import type { SimContext } from './context.js';
import { apiPathNotFound, meetErrorHandler, missingApiKey } from './errors.js';
import { parseOr422 } from './validation.js';

const testBodySchema = z.object({
  url: z.string().refine((value) => {
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'URL must be a valid http or https URL'),
});

export function internalApi(ctx: SimContext): Router {
  const internal = Router();
  internal.use(requireJsonBody, express.json());

  internal.post('/config/webhooks/test', async (req, res) => {
    const { url } = parseOr422(testBodySchema, req.body ?? {});
    const result = await ctx.webhooks.sendTestEvent(url);
    if (result.ok) {
      res.json({ message: 'Webhook URL is valid' });
    } else {
      res.status(400).json({ error: 'Webhook Error', message: `Webhook URL '${url}' is invalid: ${result.reason}` });
    }
  });

  // §1.7: reading or changing the webhook config needs an admin session; the API key is refused.
  // The simulator has no admin login: use PUT /_sim/webhook instead.
  internal.all('/config/webhooks', () => {
    throw missingApiKey();
  });

  internal.use(apiPathNotFound);
  internal.use(meetErrorHandler);
  return internal;
}
