#!/usr/bin/env bash
# `npm test`: sets up whatever is missing, then runs every check and test the project has.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

# The fix for a defect of the PostgreSQL client (tools/patch-postgres.mjs), also on a node_modules installed
# before it existed; npm install applies it by itself (postinstall).
node tools/patch-postgres.mjs

step "lint"
npm run --silent lint

step "typecheck"
npm run --silent typecheck

step "build"
npm run --silent build

# The PostgreSQL store's tests need a server (test/helpers/postgres-db.ts); say plainly whether they run.
step "PostgreSQL for the store's tests"
postgres_url="${TEST_POSTGRES_URL:-postgres://root@127.0.0.1:5432/test}"
if node --input-type=module -e "import postgres from 'postgres'; const sql = postgres(process.argv[1], { max: 1, connect_timeout: 3, onnotice() {} }); try { await sql\`SELECT 1\`; } finally { await sql.end({ timeout: 1 }); }" "$postgres_url" 2>/dev/null; then
  postgres_tests="ran against $postgres_url"
  echo "PostgreSQL tests: they run, against $postgres_url"
elif [ "${REQUIRE_POSTGRES:-}" = 1 ]; then
  echo "PostgreSQL tests: REQUIRE_POSTGRES=1, but no PostgreSQL answers at $postgres_url" >&2
  exit 1
else
  postgres_tests="SKIPPED (no PostgreSQL at $postgres_url)"
  echo "PostgreSQL tests: SKIPPED, no server answers at $postgres_url (REQUIRE_POSTGRES=1 makes that a failure)"
fi

step "unit and integration tests"
npm run --silent test:unit

# The same suite on Node 24, the LTS that users now install; everything else runs on the machine's Node.
step "unit and integration tests on Node 24"
npm run --silent test:unit:node24

if compgen -G "e2e/*.spec.ts" >/dev/null; then
  step "browser for end-to-end tests"
  bash tools/ensure-chromium.sh
  step "end-to-end tests (Playwright, Debian chromium)"
  npm run --silent test:e2e
fi

step "all tests passed (PostgreSQL tests: $postgres_tests)"
