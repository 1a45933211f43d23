#!/usr/bin/env bash
# Every benchmark (numbers, never pass/fail; the test suite has no timing thresholds):
#   npm run bench
# 0. build times: cold, nothing changed, after a page, component or label edit (scripts/bench-build.ts),
# 1. the Retention page's slider arithmetic in Node (scripts/bench-profit.ts),
# 2. one what-if update of the customer page in Node: TreeSHAP, and its agreement with ONNX (scripts/bench-whatif.ts),
# 2b. "What would keep this customer?" over every high-risk Telco customer (scripts/bench-counterfactual.ts),
# 3. the Retention page in Chromium on the built site dist/ (scripts/bench-retention-browser.ts), if it exists,
# 4. the pipeline, cold, per stage (time, peak memory) at 20,000 and 1,000,000 customers (scripts/bench-pipeline.ts;
#    BENCH_PIPELINE_SIZES=20000,1000000,10000000 adds ten million, about half an hour more).
# Larger food-delivery bases in the browser: build them elsewhere (OUTPUT_DIR=… FOOD_N=… scripts/build.sh) and pass
# each folder to scripts/bench-retention-browser.ts (docs/profit.md, "Scale in the browser").
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
if [ -f scripts/bench-retention-browser.ts ] && [ -f dist/index.html ]; then
  say "Retention page in Chromium (dist/)"
  npx tsx scripts/bench-retention-browser.ts --dist dist
  say "engagement dashboard in Chromium (dist/)"
  npx tsx scripts/bench-engagement-browser.ts --dist dist
else
  say "skipping the browser benchmark: no built site in dist/ (npm run build)"
fi
say "pipeline per stage, cold (sizes ${BENCH_PIPELINE_SIZES:-20000,1000000})"
npx tsx scripts/bench-pipeline.ts --sizes "${BENCH_PIPELINE_SIZES:-20000,1000000}"
