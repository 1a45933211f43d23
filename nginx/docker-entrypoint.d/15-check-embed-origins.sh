#!/bin/sh
# Run by the nginx image's entrypoint before it renders the templates (20-envsubst-on-templates.sh), and by the
# test harness: refuse to start unless EMBED_ORIGINS is a space-separated list of exact origins. The value is
# written into a CSP header and a regular expression, so anything else (a quote, a semicolon, a path, a
# wildcard) is an error that names the offending entry.
set -euf  # -f: no pathname expansion of the words below (a "*" stays a "*")
for origin in ${EMBED_ORIGINS:-}; do
  if ! printf '%s\n' "$origin" | grep -Eq '^https?://[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$'; then
    echo "EMBED_ORIGINS: \"$origin\" is not an origin; expected scheme://host[:port] with scheme http or https, no path, no wildcard (e.g. https://wiki.example.com)" >&2
    exit 1
  fi
done
