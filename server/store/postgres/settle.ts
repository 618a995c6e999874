// postgres.js 3.4.9 can leave a query on a connection the server ended without ever settling it
// (porsager/postgres#1208). Whatever waits on PostgreSQL for an answer to a caller (a commit, the readiness
// probe) waits at most so long, and then fails the way a closed connection does: a transient failure.

/** The promise's outcome, or a CONNECTION_CLOSED failure once `ms` have passed without one. */
export function settleWithin<T>(promise: Promise<T>, ms: number, what = 'PostgreSQL'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} did not answer within ${ms} ms`), { code: 'CONNECTION_CLOSED' })), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
