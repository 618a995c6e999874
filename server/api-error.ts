// The error every dashboard and inspector route throws for a request it refuses: the one error handler
// (http-errors.ts) answers it as `{ error: code, message, ...extra }` with its status.
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
