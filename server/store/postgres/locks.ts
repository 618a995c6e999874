// The advisory lock keys roomwatch takes on a shared database. Advisory locks are per database, so other
// applications on the same server are not affected; the keys only need to differ from each other and from
// whatever else uses this database. ("roomwatch" in ASCII makes the high bits.)
const BASE = 0x726f6f6d77_000;

/** Held by each append transaction through its commit: commit order is sequence order. */
export const APPEND_LOCK = BASE + 1;
/** Held while the schema is brought up to date. */
export const MIGRATION_LOCK = BASE + 2;
/** Held for as long as one instance leads (a session lock, released when its connection ends). */
export const LEADER_LOCK = BASE + 3;

/** The channel each commit NOTIFYs; its payload (the last seq) is only a hint, never trusted. */
export const LOG_CHANNEL = 'roomwatch_log';
