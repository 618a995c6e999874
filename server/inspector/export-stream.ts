// Writes every entry of a filter to a response as a download, a listing page at a time (keyset, as the page does),
// waiting for the client to take each chunk, and stopping at a bound: a last line then says how to
// fetch the rest. Between pages the event loop runs, so webhooks keep being taken meanwhile.
import type { ServerResponse } from 'node:http';
import type { Store } from '../store/store.js';
import { MAX_LIMIT, type ListingFilter } from './listing-query.js';
import { CONTENT_TYPES, exportHeader, exportLine, truncationLine, type ExportFormat } from './export-format.js';
import { cursorOf } from './types.js';

/** Entries in one export at most: more than the listing holds in refusals, a tenth of the default retention. */
export const EXPORT_MAX_ENTRIES = 10_000;
/** Bytes in one export at most (bodies may be up to MAX_WEBHOOK_BYTES each): the entry that crosses it is the last. */
export const EXPORT_MAX_BYTES = 64 * 1024 * 1024;

export interface ExportBounds {
  maxEntries: number;
  maxBytes: number;
}

export async function streamExport(
  res: ServerResponse,
  store: Pick<Store, 'listEventsWithBodies'>,
  format: ExportFormat,
  filter: ListingFilter,
  { maxEntries, maxBytes }: ExportBounds = { maxEntries: EXPORT_MAX_ENTRIES, maxBytes: EXPORT_MAX_BYTES },
): Promise<void> {
  let written = 0;
  let bytes = 0;
  let before = filter.before;
  // The first page before anything is written: a bad filter (a name shared by too many rooms) is still a 400.
  let page = await store.listEventsWithBodies({ ...filter, before, limit: Math.min(MAX_LIMIT, maxEntries) });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  res.setHeader('content-type', CONTENT_TYPES[format]);
  res.setHeader('content-disposition', `attachment; filename="roomwatch-events-${stamp}.${format}"`);
  res.setHeader('cache-control', 'no-store');
  try {
    if (!(await write(res, exportHeader(format)))) return;
    for (;;) {
      for (const [index, entry] of page.entries.entries()) {
        const line = exportLine(format, entry);
        if (!(await write(res, line))) return;
        written += 1;
        bytes += Buffer.byteLength(line);
        const more = index < page.entries.length - 1 || page.next !== null;
        if (more && (written >= maxEntries || bytes >= maxBytes)) {
          const reason = written >= maxEntries ? `an export holds at most ${maxEntries} entries` : `an export holds at most ${maxBytes} bytes`;
          await write(res, truncationLine(format, reason, cursorOf(entry)));
          res.end();
          return;
        }
      }
      if (page.next === null) break;
      before = parseCursor(page.next);
      page = await store.listEventsWithBodies({ ...filter, before, limit: Math.min(MAX_LIMIT, maxEntries - written) });
    }
    res.end();
  } catch (error) {
    // The status line is out: the client can only be told by a cut connection (an incomplete download).
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

/** Writes a chunk and waits while the client's buffer is full; false when the client went away. */
async function write(res: ServerResponse, chunk: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (chunk === '' || res.write(chunk)) return true;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
  return !res.destroyed;
}

function parseCursor(next: string): ListingFilter['before'] {
  const [at, table, id] = next.split(':');
  return { at: Number(at), table: table as 'w' | 'r', id: Number(id) };
}
