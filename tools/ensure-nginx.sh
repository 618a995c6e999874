#!/usr/bin/env bash
# The multi-instance tests put Debian's nginx in front of several roomwatch processes, as the README's
# "Running several instances" does. Installs it when missing, as tools/ensure-chromium.sh does chromium.
set -euo pipefail
nginx="${NGINX_PATH:-/usr/sbin/nginx}"
if [ -x "$nginx" ]; then
  echo "using $nginx ($("$nginx" -v 2>&1))"
  exit 0
fi
if [ "$nginx" != /usr/sbin/nginx ]; then
  echo "NGINX_PATH=$nginx is not an executable file" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "nginx is missing and installing it needs root: run 'apt-get install -y nginx' as root, or set NGINX_PATH" >&2
    exit 1
  fi
fi
echo "installing Debian's nginx (apt-get install -y nginx)…"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y --no-install-recommends nginx >/dev/null 2>&1 || {
  $sudo apt-get update -qq
  $sudo apt-get install -y --no-install-recommends nginx
}
# Debian's package may start its own server on port 80; the tests start theirs on free ports.
echo "installed: $(/usr/sbin/nginx -v 2>&1)"
