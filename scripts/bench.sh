#!/usr/bin/env bash
# Every benchmark (numbers, never pass/fail; the test suite has no timing thresholds):
#   npm run bench
# 0. build times: cold, nothing changed, after a page, component or label edit (scripts/bench-build.ts),
# 1. the Retention page's slider arithmetic in Node (scripts/bench-profit.ts),
# 2. one what-if update of the customer page in Node: TreeSHAP, and its agreement with ONNX (scripts/bench-whatif.ts),
# 2b. "What would keep this customer?" over every high-risk Telco customer (scripts/bench-counterfactual.ts),
# 3. every page in Chromium at 20,000, 1,000,000 and 10,000,000 food-delivery customers (scripts/bench-scale.ts:
#    it builds each site — the production build at 20,000, scripts/bench-scale-site.ts above — and measures cold loads,
#    bytes, and input → frame; BENCH_SCALE_SIZES=20000,1000000 leaves out ten million; tables in
#    test-results/bench-scale/, method and results in docs/scale.md),
# 4. the pipeline, cold, per stage (time, peak memory) at 20,000 and 1,000,000 customers (scripts/bench-pipeline.ts;
#    BENCH_PIPELINE_SIZES=20000,1000000,10000000 adds ten million, about half an hour more).
# One built site alone: scripts/bench-pages.ts, scripts/bench-retention-browser.ts, scripts/bench-engagement-browser.ts
# (each with --dist DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
say() { printf '\033[1m[bench]\033[0m %s\n' "$*" >&2; }
say "build times (cold, unchanged, after edits)"
npx tsx scripts/bench-build.ts
say "profit arithmetic (Node)"
npx tsx scripts/bench-profit.ts
say "what-if update (Node)"
npx tsx scripts/bench-whatif.ts
say "counterfactual search over the high-risk Telco customers (Node, the trees in TypeScript as the page scores)"
npx tsx scripts/bench-counterfactual.ts
say "pages in Chromium at each base size (sizes ${BENCH_SCALE_SIZES:-20000,1000000,10000000})"
npx tsx scripts/bench-scale.ts
say "pipeline per stage, cold (sizes ${BENCH_PIPELINE_SIZES:-20000,1000000})"
npx tsx scripts/bench-pipeline.ts --sizes "${BENCH_PIPELINE_SIZES:-20000,1000000}"
