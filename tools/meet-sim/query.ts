// Small readers for query strings and the 3.8 field-selection headers (`X-Fields`, `X-ExtraFields`, §2.8).
import type { Request } from 'express';

export function queryString(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** A comma list from the query and (optionally) a header, merged and deduplicated. */
export function commaList(req: Request, queryName: string, headerName?: string): string[] | undefined {
  const items = [queryString(req, queryName), headerName ? req.get(headerName) : undefined]
    .filter((value): value is string => value !== undefined)
    .flatMap((value) => value.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items.length > 0 ? [...new Set(items)] : undefined;
}
