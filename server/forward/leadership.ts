// Whether this instance is the one that forwards. One instance at a time delivers each target, so that
// order holds; with the SQLite store there is only one instance, and it always leads. A shared store
// (PostgreSQL) gives its leader lock here, and a new leader resumes from the cursors in the store.

export interface Leadership {
  isLeader(): boolean;
  /** Told when this instance becomes or stops being the leader; returns the unsubscribe function. */
  onChange(listener: (leading: boolean) => void): () => void;
}

/** The only instance: always the leader. */
export const SOLE_INSTANCE: Leadership = {
  isLeader: () => true,
  onChange: () => () => undefined,
};
