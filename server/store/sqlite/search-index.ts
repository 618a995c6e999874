// Feeds the full-text index of payloads (events_text, migrations 6 and 8; a webhook's rowid there is -seq,
// so that newest first is the index's own order) from the log, when a search needs it:
// the webhooks stored since the last search are added in a few large transactions just before it runs,
// so a search always sees every stored webhook. Indexing in the webhook's own commit costs about 30 µs
// per webhook (FTS5 writes a segment per transaction, and roomwatch commits every event-loop turn: half
// again the rest of that commit); in batches it costs about 3 µs, and nothing on the ingest path.
import type { Db } from './database.js';

/** Log entries (by seq) looked at per transaction: a few ms each, so webhooks are committed between them. */
const CHUNK = 5000;
/** Characters of a payload indexed: the work per webhook stays bounded whatever its size. */
const INDEXED_CHARACTERS = 65_536;
/** Every webhook up to this seq is in the index (or was pruned); kept in `meta`. */
const INDEXED_THROUGH = 'search_indexed_through';

export class SearchIndex {
  private readonly selectIndexedThrough;
  private readonly selectLatest;
  private readonly index;
  private readonly markIndexed;
  /** Catch-ups run one after the other: each one reaches the newest webhook when it starts. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly db: Db) {
    this.selectIndexedThrough = db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE key = ?');
    this.selectLatest = db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM events');
    // A JSON payload is indexed by its text values, decoded (a name written "Daily\nStand\u00e9" in the
    // JSON is found as Daily Standé): not its keys, nor its numbers, which are times, counts and sizes
    // (every timestamp a word of its own would make a search for "179" match them all); any other
    // payload as its text. The body is a BLOB (SQLite would read a BLOB as JSONB), hence the cast.
    this.index = db.prepare<[number, number, number]>(
      `INSERT INTO events_text (rowid, body)
       SELECT -seq, CASE WHEN json_valid(text) THEN (SELECT group_concat(atom, ' ') FROM json_tree(text) WHERE type = 'text') ELSE text END
       FROM (SELECT seq, substr(CAST(body AS TEXT), 1, ?) AS text FROM events WHERE seq > ? AND seq <= ? AND kind = 'webhook')
       -- Ascending rowids (-seq) in a transaction: FTS5 starts a new segment at each rowid lower than the last.
       ORDER BY seq DESC`,
    );
    this.markIndexed = db.prepare<[string, number]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  /** Adds every webhook stored since the last call; resolves when the index holds them all. */
  catchUp(): Promise<void> {
    this.queue = this.queue.then(() => this.run());
    return this.queue;
  }

  private async run(): Promise<void> {
    const latest = this.selectLatest.get()?.seq ?? 0;
    for (;;) {
      const through = this.selectIndexedThrough.get(INDEXED_THROUGH)?.value ?? 0;
      if (through >= latest) return;
      const upTo = Math.min(latest, through + CHUNK);
      this.db.transaction(() => {
        this.index.run(INDEXED_CHARACTERS, through, upTo);
        this.markIndexed.run(INDEXED_THROUGH, upTo);
      })();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
