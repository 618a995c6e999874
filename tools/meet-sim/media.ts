// GET /recordings/{id}/media (../../../shared/protocols/openvidu-meet.md §4.5): a few bytes served as
// video/mp4, with `Range: bytes=start-end` → 206 + Content-Range, or 416 when it cannot be satisfied.
// The bytes are an `ftyp` box and padding: enough for a client to see an MP4, not a playable video.

const FILE_SIZE = 4096;

export function recordingMediaBytes(recordingId: string): Buffer {
  const bytes = Buffer.alloc(FILE_SIZE);
  bytes.writeUInt32BE(24, 0);
  bytes.write('ftypisom', 4, 'latin1');
  bytes.writeUInt32BE(0x200, 12);
  bytes.write('isomiso2', 16, 'latin1');
  bytes.writeUInt32BE(FILE_SIZE - 24, 24);
  bytes.write('free', 28, 'latin1');
  bytes.write(recordingId.slice(0, FILE_SIZE - 40), 32, 'utf8');
  return bytes;
}

export type ByteRange = { start: number; end: number } | 'unsatisfiable';

/** Parses a single `bytes=start-[end]` range against `size`; undefined means "send everything". */
export function parseByteRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (!match) return 'unsatisfiable';
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
