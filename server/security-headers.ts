// Response headers that make an injected script inert even if a name slipped into HTML somewhere:
// scripts only from here and from the Meet server (its <openvidu-meet> web component), no inline code.
import type { NextFunction, Request, Response } from 'express';

export function securityHeaders(meetServerUrl: string | undefined) {
  const meet = meetServerUrl === undefined ? '' : ` ${new URL(meetServerUrl).origin}`;
  const policy = [
    "default-src 'self'",
    `script-src 'self'${meet}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    // Join links and playback pages are Meet pages on whatever host Meet gives them.
    'frame-src http: https:',
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return (_req: Request, res: Response, next: NextFunction) => {
    res.set({
      'Content-Security-Policy': policy,
      'X-Content-Type-Options': 'nosniff',
      // Join links carry secrets in their query: never send them on as a Referer.
      'Referrer-Policy': 'no-referrer',
    });
    next();
  };
}
