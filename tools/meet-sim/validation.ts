// Request validation the way Meet does it: zod, and a 422 whose `details` list each issue's path and
// message (../../../shared/protocols/openvidu-meet.md §4.1). Unknown keys are stripped, as in Meet.
import type { z } from 'zod';
import { unprocessable } from './errors.js';

export function parseOr422<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw unprocessable(
    result.error.issues.map((issue) => ({ field: issue.path.map(String).join('.'), message: issue.message })),
  );
}
