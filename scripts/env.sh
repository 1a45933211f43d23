# Sourced by the scripts: the environment every job shares.
export OBSERVABLE_TELEMETRY_DISABLE=true
# OpenMP's busy-waiting made XGBoost training vary from 0.7 s to 44 s on 2-core machines.
export OMP_WAIT_POLICY=PASSIVE
# The Telco CSV: TELCO_CSV if set, else the shared copy beside the project (development and CI).
if [ -z "${TELCO_CSV:-}" ] && [ -f ../shared/data/Telco-Customer-Churn.csv ]; then
  export TELCO_CSV="$(cd ../shared/data && pwd)/Telco-Customer-Churn.csv"
fi
