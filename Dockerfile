# syntax=docker/dockerfile:1.7@sha256:a57df69d0ea827fb7266491f2813635de6f17269be881f696fbfdf2d83dda33e
# Retention Lab: build the static site, serve it with unprivileged nginx (docs/deploy.md); and the audit service
# that nginx passes POST /api/audit to (target `audit`, a second image run beside nginx in the pod).
#
# Every base image is pinned by digest, so a rebuild cannot pick up a different image under the same tag. The
# digests are the ones public Dockerfiles pin for these exact tags (found with a code search, 2026-12); refresh
# them with `docker buildx imagetools inspect <image>:<tag>` (Dependabot's docker ecosystem can do it):
#   docker/dockerfile:1.7                     sha256:a57df69d…  (frontend of this file)
#   node:24.18.0-bookworm-slim                sha256:6f7b03f7…  (build stages and the audit service; Node 24 LTS)
#   nginxinc/nginx-unprivileged:1.28.0-alpine sha256:c97ff0bf…  (the site)
#
#   docker build -t retention-lab .                                        # downloads the Telco CSV (sha256-checked)
#   docker build --target audit -t retention-lab-audit .                   # the audit service
#   docker build --secret id=telco_csv,src=path/to/Telco-Customer-Churn.csv -t retention-lab .
#   docker build --secret id=llm_env,src=.env ...                          # optional: LLM keys for fresh nudges
#
# Secrets are mounted for one RUN only: neither the CSV nor an API key ends up in a layer.

# ----------------------------------------------------------------------------------------------- deps
# Node 24 is the active LTS (Node 20 reached its end of life in April 2026).
FROM node:24.18.0-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d AS deps
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
# The SBOM of the npm packages the site ships (the production tree: what the pages' JavaScript is built from),
# CycloneDX, copied into the image. The workflow adds buildx's own SBOM attestation of each image's layers.
RUN mkdir -p build/sbom \
 && npm sbom --sbom-format cyclonedx --omit dev > build/sbom/npm-dependencies.cdx.json \
 && test -s build/sbom/npm-dependencies.cdx.json

# -------------------------------------------------------------------------------------- audit bundle
# The audit service and shipper as two self-contained ES modules (they import only Node and the schema).
FROM deps AS audit-build
COPY server/ server/
COPY src/lib/ src/lib/
RUN npx esbuild server/audit-service.ts server/audit-ship.ts --bundle --platform=node --format=esm \
      --target=node24 --outdir=build/audit --out-extension:.js=.mjs

# ---------------------------------------------------------------------------------------------- build
FROM deps AS build
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

# ---------------------------------------------------------------------------------------------- audit
# The audit service (server/audit-service.ts; docs/deploy.md, "The audit trail"). The same image runs the shipper
# (command: node /opt/audit/audit-ship.mjs). It writes only to AUDIT_DIR, a volume.
FROM node:24.18.0-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d AS audit
ENV NODE_ENV=production AUDIT_DIR=/var/log/retention-lab/audit AUDIT_HOST=127.0.0.1 AUDIT_PORT=8081
COPY --from=audit-build /app/build/audit/ /opt/audit/
RUN install -d -o 101 -g 0 -m 0775 /var/log/retention-lab
USER 101
VOLUME ["/var/log/retention-lab"]
# The same check as the Kubernetes readiness probe: the service's own health (a probe write), over bash's /dev/tcp.
HEALTHCHECK --interval=10s --timeout=3s --retries=2 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8081 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
CMD ["node", "/opt/audit/audit-service.mjs"]

# -------------------------------------------------------------------------------------------- runtime
# nginx 1.28 here; the tests run Debian's 1.22 with the same include files. The workflow checks this image's own
# nginx against the configuration before pushing it (`nginx -t` and a request to each kind of path).
FROM nginxinc/nginx-unprivileged:1.28.0-alpine@sha256:c97ff0bf7cbae369953c6da1232ec14ad9f971d66360c5698db0856a4cd657a0 AS runtime
# Defaults for the templates in /etc/nginx/templates (see nginx/templates/): who may embed the views, which proxy
# may tell us the client address and the signed-in user, and where the audit service listens (its container, on
# the pod's loopback). Kubernetes and Compose override them.
ENV EMBED_ORIGINS="" \
    REAL_IP_FROM="127.0.0.1/32" \
    AUDIT_UPSTREAM="127.0.0.1:8081" \
    NGINX_ENVSUBST_OUTPUT_DIR=/tmp \
    NGINX_ENTRYPOINT_QUIET_LOGS=1
USER root
# Our main config replaces the image's; its default site is removed.
RUN rm -f /etc/nginx/conf.d/default.conf
COPY nginx/nginx.conf /etc/nginx/nginx.conf
COPY nginx/http.d/ /etc/nginx/http.d/
COPY nginx/server.d/ /etc/nginx/server.d/
COPY nginx/templates/ /etc/nginx/templates/
# Runs before the image renders the templates: refuses to start on a malformed EMBED_ORIGINS.
COPY --chmod=0755 nginx/docker-entrypoint.d/15-check-embed-origins.sh /docker-entrypoint.d/
COPY --from=build /app/build/nginx/csp-hashes.conf /etc/nginx/generated/csp-hashes.conf
# The SBOM sits outside the web root: it is for scanners (`docker cp`, or read from the image), not for visitors.
COPY --from=deps /app/build/sbom/ /usr/share/retention-lab/sbom/
# Files are owned by root and read-only for nginx: a compromised worker cannot rewrite the site.
COPY --from=build /app/dist/ /usr/share/nginx/html/
USER 101
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD wget -q -O /dev/null http://127.0.0.1:8080/healthz || exit 1
# The image's entrypoint renders the templates, then runs this. SIGQUIT (the image's STOPSIGNAL) is graceful.
CMD ["nginx", "-g", "daemon off;"]
