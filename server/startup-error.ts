// An error that stops start-up with one line for the operator: what is wrong, with which setting and
// path, and what to do about it. main.ts prints its message as it is.
export class StartupError extends Error {
  override name = 'StartupError';
}
