# syntax=docker/dockerfile:1.7
# Retention Lab: build the static site, serve it with unprivileged nginx (docs/deploy.md).
#
#   docker build -t retention-lab .                                        # downloads the Telco CSV (sha256-checked)
#   docker build --secret id=telco_csv,src=path/to/Telco-Customer-Churn.csv -t retention-lab .
#   docker build --secret id=llm_env,src=.env ...                          # optional: LLM keys for fresh nudges
#
# Secrets are mounted for one RUN only: neither the CSV nor an API key ends up in a layer.

# ---------------------------------------------------------------------------------------------- build
FROM node:20-bookworm-slim AS build
# XGBoost's C library (the pipeline trains through it); curl to fetch the data set when not given.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libxgboost0 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV OBSERVABLE_TELEMETRY_DISABLE=true OMP_WAIT_POLICY=PASSIVE
# Dependencies first: this layer is reused until package.json or the lockfile changes.
# `npm ci` fails on optional platform packages some registries lack; `npm install` honours the lockfile.
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund --loglevel=error
COPY . .
ARG TELCO_CSV_URL=https://raw.githubusercontent.com/IBM/telco-customer-churn-on-icp4d/master/data/Telco-Customer-Churn.csv
ARG TELCO_CSV_SHA256=16320c9c1ec72448db59aa0a26a0b95401046bef5d02fd3aeb906448e3055e91
# The production build (README: npm run build), then the post-build step that writes build/nginx/csp-hashes.conf
# and the .gz files (scripts/build.sh runs it too; running it again is harmless).
RUN --mount=type=secret,id=telco_csv,required=false \
    --mount=type=secret,id=llm_env,target=/app/.env,required=false \
    set -eu; \
    if [ -s /run/secrets/telco_csv ]; then csv=/run/secrets/telco_csv; \
    else csv=/tmp/Telco-Customer-Churn.csv; curl -fsSL --retry 3 -o "$csv" "$TELCO_CSV_URL"; fi; \
    echo "$TELCO_CSV_SHA256  $csv" | sha256sum -c -; \
    TELCO_CSV="$csv" bash scripts/build.sh --no-setup; \
    bash scripts/postbuild.sh dist build/nginx; \
    test -s build/nginx/csp-hashes.conf

# -------------------------------------------------------------------------------------------- runtime
# Pin by digest in production (docker buildx imagetools inspect nginxinc/nginx-unprivileged:1.28.0-alpine).
FROM nginxinc/nginx-unprivileged:1.28.0-alpine AS runtime
# Defaults for the templates in /etc/nginx/templates (see nginx/templates/): who may embed the views,
# and which proxy may tell us the client address. Kubernetes and Compose override them.
ENV EMBED_ORIGINS="" \
    REAL_IP_FROM="127.0.0.1/32" \
    NGINX_ENVSUBST_OUTPUT_DIR=/tmp \
    NGINX_ENTRYPOINT_QUIET_LOGS=1
USER root
# Our main config replaces the image's; its default site is removed. logs/ under nginx's prefix
# (/etc/nginx) points at the audit log volume.
RUN rm -f /etc/nginx/conf.d/default.conf \
 && install -d -o 101 -g 0 -m 0775 /var/log/retention-lab \
 && ln -s /var/log/retention-lab /etc/nginx/logs
COPY nginx/nginx.conf /etc/nginx/nginx.conf
COPY nginx/http.d/ /etc/nginx/http.d/
COPY nginx/server.d/ /etc/nginx/server.d/
COPY nginx/templates/ /etc/nginx/templates/
# Runs before the image renders the templates: refuses to start on a malformed EMBED_ORIGINS.
COPY --chmod=0755 nginx/docker-entrypoint.d/15-check-embed-origins.sh /docker-entrypoint.d/
COPY --from=build /app/build/nginx/csp-hashes.conf /etc/nginx/generated/csp-hashes.conf
# Files are owned by root and read-only for nginx: a compromised worker cannot rewrite the site.
COPY --from=build /app/dist/ /usr/share/nginx/html/
USER 101
EXPOSE 8080
VOLUME ["/var/log/retention-lab"]
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD wget -q -O /dev/null http://127.0.0.1:8080/healthz || exit 1
# The image's entrypoint renders the templates, then runs this. SIGQUIT (the image's STOPSIGNAL) is graceful.
CMD ["nginx", "-g", "daemon off;"]
