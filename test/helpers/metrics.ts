// Reads GET /metrics the way Prometheus does: the text exposition format, one sample per line.

export interface Scrape {
  status: number;
  contentType: string | null;
  text: string;
  /** The value of one sample, e.g. value('roomwatch_rooms', { platform: 'meet', status: 'open' }); undefined when absent. */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

export async function scrape(url: string, headers: Record<string, string> = {}): Promise<Scrape> {
  const response = await fetch(`${url}/metrics`, { headers });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text,
    value: (name, labels = {}) => {
      for (const line of text.split('\n')) {
        const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
        if (!match || match[1] !== name) continue;
        const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
        if (Object.keys(found).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => found[k] === v)) {
          return Number(match[3]);
        }
      }
      return undefined;
    },
  };
}
