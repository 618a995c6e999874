#!/usr/bin/env bash
# `npm test`: sets up whatever is missing, then runs every check and test the project has.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

step "lint"
npm run --silent lint

step "typecheck"
npm run --silent typecheck

step "build"
npm run --silent build

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

step "all tests passed"
