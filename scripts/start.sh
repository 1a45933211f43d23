#!/usr/bin/env bash
# Set up, build the data, and serve the app locally with live reload (http://127.0.0.1:${PORT:-3000}).
# Pages, components and src/lib reload on save; after a pipeline change, run `npm run pipeline` and the pages that
# attach a changed artifact reload.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
source scripts/env.sh
npx tsx scripts/prime-framework.ts
npx tsx scripts/pipeline.ts
printf '\033[1m[start]\033[0m serving on http://127.0.0.1:%s\n' "${PORT:-3000}" >&2
exec npx observable preview --host 127.0.0.1 --port "${PORT:-3000}" --no-open
