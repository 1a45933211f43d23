#!/usr/bin/env bash
# Installs what is missing for one job, and says what it is doing. Safe to run again.
#   scripts/setup.sh build   – XGBoost's C library and the npm packages (enough to build the site)
#   scripts/setup.sh test    – the above plus Chromium, NGINX, wrk and PostgreSQL for the browser, server and SQL tests
set -euo pipefail
cd "$(dirname "$0")/.."
job="${1:-build}"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

have_lib() { ldconfig -p 2>/dev/null | grep -q "$1" || [ -n "${XGBOOST_LIBRARY:-}" ]; }

missing=()
have_lib libxgboost.so.0 || missing+=(libxgboost0)
if [ "$job" = test ]; then
  command -v chromium >/dev/null || missing+=(chromium)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v unshare >/dev/null || missing+=(util-linux)
  # PostgreSQL's server binaries (the SQL export is checked against a throwaway cluster: tests/models/sql-engines.ts)
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    say "installing system packages: ${missing[*]} (apt-get)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "missing: ${missing[*]}. This is not a Debian/Ubuntu system; install the equivalents (see README.md):"
    say "  macOS: brew install xgboost nginx wrk chromium; then export XGBOOST_LIBRARY=\$(brew --prefix xgboost)/lib/libxgboost.dylib"
    exit 1
  fi
else
  say "system packages present for '$job'"
fi

# npm packages: install when node_modules is missing or older than the lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages from package-lock.json (npm install)"
  # `npm ci` fails on optional platform packages this registry lacks; `npm install` honours the lockfile.
  npm install --no-audit --no-fund --loglevel=error
else
  say "npm packages up to date"
fi
