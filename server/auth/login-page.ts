// The sign-in page. Its variable text is one of our own fixed messages and the validated address to return
// to, both escaped. The browser never sends an address's #fragment, so a small script (no inline code: the
// CSP forbids it) adds the fragment the page was opened with to that address.
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface LoginPageOptions {
  error?: string | undefined;
  /** Where to go once signed in: a path on this site (auth/next-path.ts), '/' by default. */
  next?: string | undefined;
}

export function loginPage({ error, next = '' }: LoginPageOptions = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Sign in · roomwatch</title>
  <link rel="stylesheet" href="/vendor/bootstrap.min.css">
  <link rel="stylesheet" href="/styles.css">
  <script src="/login.js" defer></script>
</head>
<body class="bg-body-tertiary">
  <main class="container" style="max-width: 24rem; margin-top: 15vh">
    <h1 class="h4 mb-3">roomwatch</h1>
    <form method="post" action="/login" class="card card-body shadow-sm">
      <label for="password" class="form-label">Dashboard password</label>
      <input id="password" name="password" type="password" class="form-control mb-3" autocomplete="current-password" required autofocus>
      <input id="next" name="next" type="hidden" value="${escape(next)}">
      ${error ? `<div class="alert alert-danger py-2" role="alert">${escape(error)}</div>` : ''}
      <button type="submit" class="btn btn-primary">Sign in</button>
    </form>
  </main>
</body>
</html>`;
}

/** Served as /login.js. The dashboard lives at '/', where the sign-in gate sent the visitor from. */
export const LOGIN_SCRIPT = `// Keep the #fragment this page was opened with (the server never sees it) in the address to return to.
const next = document.getElementById('next');
if (next && location.hash.length > 1 && !next.value.includes('#')) next.value = (next.value || '/') + location.hash;
`;
