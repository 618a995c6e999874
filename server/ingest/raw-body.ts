// Reads a request body into one Buffer, within three bounds: its size (a declared Content-Length is
// refused at once, otherwise when the bytes pass it), the memory all bodies hold together (the request's
// claim on the shared budget), and time (a body that stalls is cut off).
import type { IncomingMessage } from 'node:http';
import { RejectReason, WebhookRejection } from './rejection.js';
import type { BodyClaim } from './body-budget.js';

export class RequestAborted extends Error {
  override name = 'RequestAborted';
}

export interface BodyBounds {
  maxBytes: number;
  /** Grown to the declared length up front, or as bytes arrive; the caller releases it. */
  claim: BodyClaim;
  /** From now; the headers were read before. */
  timeoutMs: number;
}

export function readBody(req: IncomingMessage, { maxBytes, claim, timeoutMs }: BodyBounds): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) return Promise.reject(new WebhookRejection(RejectReason.TooLarge, `${declared} bytes`));
  if (declared > 0 && !claim.cover(declared)) return Promise.reject(new WebhookRejection(RejectReason.Busy));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const refuse = (rejection: WebhookRejection) => {
      cleanUp();
      req.pause();
      reject(rejection);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return refuse(new WebhookRejection(RejectReason.TooLarge, `more than ${maxBytes} bytes`));
      if (!claim.cover(size)) return refuse(new WebhookRejection(RejectReason.Busy));
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanUp();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onAbort = () => {
      cleanUp();
      reject(new RequestAborted('the client went away before the body was complete'));
    };
    const timer = setTimeout(() => refuse(new WebhookRejection(RejectReason.RequestTimeout, `not complete after ${timeoutMs} ms`)), timeoutMs);
    const cleanUp = () => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAbort);
      req.off('error', onAbort);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAbort);
    req.on('error', onAbort);
  });
}
