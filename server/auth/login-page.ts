// The sign-in page. Its only variable text is one of our own fixed messages, escaped anyway.
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function loginPage(error?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Sign in · roomwatch</title>
  <link rel="stylesheet" href="/vendor/bootstrap.min.css">
</head>
<body class="bg-body-tertiary">
  <main class="container" style="max-width: 24rem; margin-top: 15vh">
    <h1 class="h4 mb-3">roomwatch</h1>
    <form method="post" action="/login" class="card card-body shadow-sm">
      <label for="password" class="form-label">Dashboard password</label>
      <input id="password" name="password" type="password" class="form-control mb-3" autocomplete="current-password" required autofocus>
      ${error ? `<div class="alert alert-danger py-2" role="alert">${escape(error)}</div>` : ''}
      <button type="submit" class="btn btn-primary">Sign in</button>
    </form>
  </main>
</body>
</html>`;
}
