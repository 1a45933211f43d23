# Sourced by the scripts: the environment every job shares.
export OBSERVABLE_TELEMETRY_DISABLE=true
# The Telco CSV: TELCO_CSV if set, else the shared copy beside the project (development and CI).
if [ -z "${TELCO_CSV:-}" ] && [ -f ../shared/data/Telco-Customer-Churn.csv ]; then
  export TELCO_CSV="$(cd ../shared/data && pwd)/Telco-Customer-Churn.csv"
fi
