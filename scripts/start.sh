#!/usr/bin/env bash
# Set up, build the data, and serve the app locally with live reload (http://127.0.0.1:${PORT:-3000}); the audit
# trail goes to ${AUDIT_DIR:-logs/audit-dev}.
# Pages, components and src/lib reload on save; after a pipeline change, run `npm run pipeline` and the pages that
# attach a changed artifact reload.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
source scripts/env.sh
npx tsx scripts/prime-framework.ts
npx tsx scripts/pipeline.ts
# Framework's preview server behind a small proxy that also runs the audit service, as nginx does in production
# (scripts/dev-server.ts): pages post their audit events to /api/audit there too.
exec npx tsx scripts/dev-server.ts
