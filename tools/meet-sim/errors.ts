// Meet's error bodies: `{error, message}` plus `details` for 422 (../../../shared/protocols/openvidu-meet.md §4.1).
// Everything the simulator refuses is a MeetError; one handler turns it into the response.
import type { ErrorRequestHandler, RequestHandler } from 'express';

export interface ErrorDetail {
  field: string;
  message: string;
}

export class MeetError extends Error {
  constructor(
    readonly error: string,
    message: string,
    readonly status: number,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = 'MeetError';
  }

  toBody(): { error: string; message: string; details?: ErrorDetail[] } {
    return this.details ? { error: this.error, message: this.message, details: this.details } : { error: this.error, message: this.message };
  }
}

export const missingApiKey = (): MeetError => new MeetError('Authentication Error', 'Unauthorized', 401);
export const invalidApiKey = (): MeetError => new MeetError('Authentication Error', 'Invalid API key', 401);
export const malformedBody = (): MeetError => new MeetError('Bad Request', 'Malformed body', 400);
export const unsupportedMediaType = (): MeetError =>
  new MeetError('Unsupported Media Type', 'Unsupported media type. Supported types: application/json', 415);
export const pathNotFound = (): MeetError => new MeetError('Path Not Found', 'API path not implemented', 404);
export const unprocessable = (details: ErrorDetail[]): MeetError =>
  new MeetError('Unprocessable Entity', 'Invalid request', 422, details);

export const roomNotFound = (roomId: string): MeetError => new MeetError('Room Error', `Room '${roomId}' does not exist`, 404);
export const roomClosed = (roomId: string): MeetError =>
  new MeetError('Room Error', `Room '${roomId}' is closed and cannot be joined`, 409);
/** Not a Meet message: Meet has no API-key route that ends a meeting (§4.5); used by the /_sim controls. */
export const noActiveMeeting = (roomId: string): MeetError =>
  new MeetError('Room Error', `Room '${roomId}' has no active meeting`, 409);
export const roomDeletionConflict = (code: string, message: string): MeetError => new MeetError(code, message, 409);

export const recordingNotFound = (recordingId: string): MeetError =>
  new MeetError('Recording Error', `Recording '${recordingId}' not found`, 404);
export const recordingNotStopped = (recordingId: string): MeetError =>
  new MeetError('Recording Error', `Recording '${recordingId}' is not stopped yet`, 409);
export const recordingAlreadyStopped = (recordingId: string): MeetError =>
  new MeetError('Recording Error', `Recording '${recordingId}' is already stopped`, 409);
export const recordingStillStarting = (recordingId: string): MeetError =>
  new MeetError('Recording Error', `Recording '${recordingId}' cannot be stopped while starting`, 409);
export const roomAlreadyRecording = (roomId: string): MeetError =>
  new MeetError('Recording Error', `Room '${roomId}' is already being recorded`, 409);
export const roomHasNoParticipants = (roomId: string): MeetError =>
  new MeetError('Recording Error', `Room '${roomId}' has no participants`, 409);
export const recordingDisabled = (roomId: string): MeetError =>
  new MeetError('Recording Error', `Recording is disabled for room '${roomId}'`, 403);
export const invalidRecordingSecret = (recordingId: string, secret: string): MeetError =>
  new MeetError('Recording Error', `Secret '${secret}' is not recognized for recording '${recordingId}'`, 400);
export const rangeNotSatisfiable = (recordingId: string, size: number): MeetError =>
  new MeetError('Recording Error', `Recording '${recordingId}' range not satisfiable. File size: ${size}`, 416);

/** Last middleware of a JSON router: MeetErrors keep their shape, body-parser failures become 400. */
export const meetErrorHandler: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  if (err instanceof MeetError) {
    res.status(err.status).json(err.toBody());
    return;
  }
  if (isBodyParserError(err)) {
    const refusal = err.type === 'entity.parse.failed' ? malformedBody() : new MeetError('Bad Request', err.message, err.status);
    res.status(refusal.status).json(refusal.toBody());
    return;
  }
  console.error('[meet-sim] unexpected error', err);
  res.status(500).json({ error: 'Internal Server Error', message: 'Unexpected error' });
};

/** The trailing catch-all of the API mounts (§4.1: unknown API path). */
export const apiPathNotFound: RequestHandler = (_req, res) => {
  res.status(404).json(pathNotFound().toBody());
};

function isBodyParserError(err: unknown): err is { type: string; status: number; message: string } {
  return typeof err === 'object' && err !== null && 'type' in err && 'status' in err && typeof err.status === 'number';
}
