#!/usr/bin/env bash
# Playwright cannot download its own browser here, so the end-to-end tests use Debian's chromium.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$browser" ]; then
  echo "using $browser ($("$browser" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi
if [ "$browser" != /usr/bin/chromium ]; then
  echo "CHROMIUM_PATH=$browser is not an executable file" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "chromium is missing and installing it needs root: run 'apt-get install -y chromium' as root, or set CHROMIUM_PATH" >&2
    exit 1
  fi
fi
echo "installing Debian's chromium (apt-get install -y chromium)…"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 || {
  $sudo apt-get update -qq
  $sudo apt-get install -y --no-install-recommends chromium
}
echo "installed: $(/usr/bin/chromium --version)"
