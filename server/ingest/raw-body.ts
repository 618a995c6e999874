// Reads a request body into one Buffer, refusing it as soon as it is known to be over the limit
// (a declared Content-Length at once, otherwise when the bytes pass it).
import type { IncomingMessage } from 'node:http';
import { RejectReason, WebhookRejection } from './rejection.js';

export class RequestAborted extends Error {
  override name = 'RequestAborted';
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(new WebhookRejection(RejectReason.TooLarge, `${declared} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanUp();
        req.pause();
        reject(new WebhookRejection(RejectReason.TooLarge, `more than ${limit} bytes`));
        return;
      }
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
    const cleanUp = () => {
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
