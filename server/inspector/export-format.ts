// How GET /api/events/export writes entries: JSON Lines (one entry per line, the body as text) or CSV
// (one row per entry). Pure: an entry and its body in, a line out.
import type { ExportedEntry } from './types.js';

export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

export const CSV_COLUMNS = ['received', 'kind', 'seq', 'source', 'type', 'room', 'outcome', 'repeats', 'reason', 'hint', 'body'] as const;

/** The first line of a file: CSV's column names; nothing for JSON Lines. */
export function exportHeader(format: ExportFormat): string {
  return format === 'csv' ? csvRow([...CSV_COLUMNS]) : '';
}

export function exportLine(format: ExportFormat, entry: ExportedEntry): string {
  if (format === 'jsonl') return `${JSON.stringify(entry)}\n`;
  const webhook = entry.kind === 'refusal' ? undefined : entry;
  return csvRow([
    new Date(entry.at).toISOString(),
    entry.kind,
    String(entry.kind === 'refusal' ? entry.id : entry.seq),
    entry.source,
    webhook?.type ?? '',
    webhook?.roomId ?? '',
    entry.outcome,
    entry.kind === 'event' ? String(entry.repeats) : '',
    entry.kind === 'refusal' ? entry.reason : '',
    entry.kind === 'refusal' ? (entry.hint ?? '') : '',
    entry.body ?? '',
  ]);
}

/** The last line when the export stopped at its bound: how to fetch the rest. */
export function truncationLine(format: ExportFormat, message: string, next: string): string {
  if (format === 'jsonl') return `${JSON.stringify({ truncated: message, next })}\n`;
  return csvRow(['', 'truncated', '', '', '', '', '', '', '', `${message}; continue with before=${next}`, '']);
}

/** One CSV record (RFC 4180): every cell quoted, so commas, quotes and line breaks in a body stay inside it. */
export function csvRow(cells: string[]): string {
  return `${cells.map((cell) => `"${inertCell(cell).replace(/"/g, '""')}"`).join(',')}\r\n`;
}

/**
 * A cell that a spreadsheet would run as a formula (it starts with = + - @, or a tab or carriage return
 * before one) gets a leading apostrophe: shown as text, never evaluated. Payloads and room ids come
 * from outside.
 */
export function inertCell(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
