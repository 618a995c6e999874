// The verdict of a platform's check when it refuses: a typed reason, and a detail that names what
// failed (a header name, a claim), never a secret.
import type { RejectReason } from '../../ingest/rejection.js';
import type { Verdict } from '../types.js';

export const refuse = (reason: RejectReason, detail?: string): Verdict => ({ accepted: false, reason, detail });
