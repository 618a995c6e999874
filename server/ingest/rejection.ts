// Why a webhook was refused. Every refusal carries one of these; only `busy` is a 5xx, because it says
// "not now" rather than "not this": every platform retries it.

export const RejectReason = {
  MissingHeader: 'missing_header',
  MalformedTimestamp: 'malformed_timestamp',
  MalformedSignature: 'malformed_signature',
  StaleTimestamp: 'stale_timestamp',
  FutureTimestamp: 'future_timestamp',
  SignatureMismatch: 'signature_mismatch',
  TimestampMismatch: 'timestamp_mismatch',
  HeaderMismatch: 'header_mismatch',
  BadCredentials: 'bad_credentials',
  InvalidToken: 'invalid_token',
  ExpiredToken: 'expired_token',
  BodyHashMismatch: 'body_hash_mismatch',
  TooLarge: 'too_large',
  TooDeep: 'too_deep',
  BadJson: 'bad_json',
  RequestTimeout: 'request_timeout',
  Busy: 'busy',
} as const;

export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

/** HTTP status and a short human explanation for each reason. */
export const REJECTIONS: Record<RejectReason, { status: number; message: string }> = {
  missing_header: { status: 401, message: 'a required authentication header is missing' },
  malformed_timestamp: { status: 401, message: 'the timestamp header is not a decimal millisecond time' },
  malformed_signature: { status: 401, message: 'the signature header does not have the signature format' },
  stale_timestamp: { status: 401, message: 'the timestamp is older than the accepted window' },
  future_timestamp: { status: 401, message: 'the timestamp is further in the future than the accepted window' },
  signature_mismatch: { status: 401, message: 'the signature does not match the body with any configured key' },
  timestamp_mismatch: { status: 401, message: 'the body creationDate differs from the timestamp header' },
  header_mismatch: { status: 401, message: 'a configured authentication header has another value' },
  bad_credentials: { status: 401, message: 'the HTTP Basic credentials are not the configured ones' },
  invalid_token: { status: 401, message: 'the Authorization token is not one signed with the configured key and secret' },
  expired_token: { status: 401, message: 'the Authorization token has expired' },
  body_hash_mismatch: { status: 401, message: 'the body is not the one the token was signed for (sha256 claim)' },
  too_large: { status: 413, message: 'the body is larger than the configured limit' },
  too_deep: { status: 400, message: 'the body nests JSON arrays and objects deeper than any platform does' },
  bad_json: { status: 400, message: 'the body is not a JSON object' },
  request_timeout: { status: 408, message: 'the request body did not arrive in time' },
  busy: { status: 503, message: 'too many webhook bodies are being received at once; retry later' },
};

/** Thrown by stages that refuse a request; the error handler turns it into the status above. */
export class WebhookRejection extends Error {
  override name = 'WebhookRejection';
  constructor(
    readonly reason: RejectReason,
    readonly detail?: string,
  ) {
    super(detail ? `${REJECTIONS[reason].message}: ${detail}` : REJECTIONS[reason].message);
  }
}
