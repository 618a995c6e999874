// Where signing in sends a person back to: the address they asked for (a bookmarked `#/events?…`, say),
// but only ever a path on this site. Anything that could leave it (`//evil.example`, `https:…`, a
// backslash that some browsers read as a slash, control characters) is replaced by the dashboard's root.

/** Long enough for any filter the dashboard puts in its address; a longer `next` is not ours. */
const MAX_LENGTH = 2048;
const HERE = 'http://roomwatch.invalid';

export function safeNextPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_LENGTH) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\') || hasControlCharacter(value)) return '/';
  let url: URL;
  try {
    url = new URL(value, HERE);
  } catch {
    return '/';
  }
  if (url.origin !== HERE || url.pathname === '/login' || url.pathname === '/logout') return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
