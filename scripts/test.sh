#!/usr/bin/env bash
# Every test: type check, lint and formatting (TypeScript and the JavaScript inside pages), unit tests, an offline
# production build, browser and server tests.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1m[test]\033[0m %s\n' "$*" >&2; }
bash scripts/setup.sh test
source scripts/env.sh
shopt -s globstar nullglob

say "type check (tsc --noEmit)"
npx tsc --noEmit
say "lint (biome)"
npx biome lint .
say "type check and lint of the JavaScript inside pages (scripts/check-pages.ts)"
npx tsx scripts/check-pages.ts
say "formatting (prettier --check)"
npx prettier --check . --log-level warn

say "the data pipeline (the model card's test compares docs/model-card.md with its artifacts)"
npx tsx scripts/pipeline.ts

say "unit tests"
unit=()
for f in tests/**/*.test.ts; do [[ "$f" == tests/browser/* ]] || unit+=("$f"); done
node --import tsx --test --test-reporter=spec "${unit[@]}"

say "production build with no network (unshare -n)"
if [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then
  unshare -n bash scripts/build.sh --no-setup
else
  say "unshare -n needs root: building with the network available (the offline proof runs in CI)"
  bash scripts/build.sh --no-setup
fi

say "browser and server tests against dist/"
node --import tsx --test --test-concurrency=1 --test-reporter=spec tests/browser/*.test.ts
