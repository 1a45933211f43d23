#!/usr/bin/env bash
# Production build: the static site in dist/. Needs no network once set up (see tests: unshare -n).
#   scripts/build.sh            – set up, then build
#   scripts/build.sh --no-setup – build only (used inside a network namespace with no network)
# Environment: OUTPUT_DIR (default dist) and NGINX_OUT (default build/nginx, the CSP hash include) let a build
# write elsewhere without touching the main site (tests/browser/no-key-in-dist.test.ts); the pipeline options
# (FOOD_N, SEED, CV_REPEATS, TELCO_CSV, LLM_*) are read by scripts/pipeline.ts.
# The site and its CSP include are built beside the previous ones and swapped in at the end: a failed build leaves
# the previous dist/ as it was.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1m[build]\033[0m %s\n' "$*" >&2; }
[ "${1:-}" = "--no-setup" ] || bash scripts/setup.sh build
source scripts/env.sh
out="${OUTPUT_DIR:-dist}"
nginx_out="${NGINX_OUT:-build/nginx}"
next="$out.next-$$"
nginx_next="$nginx_out.next-$$"
trap 'rm -rf "$next" "$nginx_next"' EXIT

say "priming Framework's npm cache and assets from node_modules"
npx tsx scripts/prime-framework.ts
say "running the data pipeline into src/data/ (training reused from .cache/models/ while its inputs hold)"
npx tsx scripts/pipeline.ts
say "building the site"
OUTPUT_DIR="$next" npx observable build
say "post-build: CSP hashes for NGINX and precompressed assets"
bash scripts/postbuild.sh "$next" "$nginx_next"
# Swap in the new site and include together, then drop the old ones.
rm -rf "$out.old-$$" "$nginx_out.old-$$"
[ -e "$out" ] && mv "$out" "$out.old-$$"
[ -e "$nginx_out" ] && mv "$nginx_out" "$nginx_out.old-$$"
mkdir -p "$(dirname "$nginx_out")"
mv "$next" "$out"
mv "$nginx_next" "$nginx_out"
rm -rf "$out.old-$$" "$nginx_out.old-$$"
say "built $out/ and $nginx_out/"
