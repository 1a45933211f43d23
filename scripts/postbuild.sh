#!/usr/bin/env bash
# After `observable build`: accessibility fixes to the page shell, the CSP hash include for nginx (taken after
# those fixes), and .gz files for gzip_static.
#   scripts/postbuild.sh [DIST=dist] [OUT=build/nginx]
# Called at the end of scripts/build.sh; the Dockerfile copies OUT/csp-hashes.conf into the image.
set -euo pipefail
cd "$(dirname "$0")/.."
dist="${1:-dist}"
out="${2:-build/nginx}"
npx tsx scripts/accessible-html.ts "$dist"
npx tsx scripts/csp.ts "$dist" "$out"
npx tsx scripts/precompress.ts "$dist"
