#!/usr/bin/env bash
# Production build: the static site in dist/. Needs no network once set up (see tests: unshare -n).
#   scripts/build.sh            – set up, then build
#   scripts/build.sh --no-setup – build only (used inside a network namespace with no network)
# Environment: OUTPUT_DIR (default dist) and NGINX_OUT (default build/nginx, the CSP hash include) let a build
# write elsewhere without touching the main site (tests/browser/no-key-in-dist.test.ts); the pipeline options
# (FOOD_N, SEED, CV_REPEATS, TELCO_CSV, LLM_*) are read by scripts/pipeline.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1m[build]\033[0m %s\n' "$*" >&2; }
[ "${1:-}" = "--no-setup" ] || bash scripts/setup.sh build
source scripts/env.sh
export OUTPUT_DIR="${OUTPUT_DIR:-dist}"
nginx_out="${NGINX_OUT:-build/nginx}"

say "priming Framework's npm cache from node_modules"
npx tsx scripts/prime-framework.ts
say "running the data pipeline (content-addressed cache in .cache/pipeline)"
npx tsx scripts/pipeline.ts --cached
# Framework's loader cache only compares the loader file's mtime: clear it so the shims re-read the pipeline.
find src/.observablehq/cache -mindepth 1 -maxdepth 1 ! -name _npm -exec rm -rf {} +
say "building the site into $OUTPUT_DIR/"
rm -rf "$OUTPUT_DIR"
npx observable build
say "post-build: CSP hashes for NGINX ($nginx_out) and precompressed assets"
bash scripts/postbuild.sh "$OUTPUT_DIR" "$nginx_out"
