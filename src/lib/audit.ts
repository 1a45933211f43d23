/**
 * Usage audit beacons: pages report meaningful interactions to POST /api/audit, which nginx writes as one
 * JSON line to logs/usage.log (nginx/server.d/audit-endpoint.conf; what is logged: docs/deploy.md).
 *
 *   import {audit} from "./lib/audit.js";
 *   audit("customer_opened", {customer_id: "7590-VHVEG"});
 *
 * Fire and forget: never awaited, never throws, a no-op outside a browser (the build imports src/lib/ too).
 * Sizes are capped here so a beacon always fits the server's 2 KB body limit.
 */

/** Where beacons go: absolute, because pages live at several depths (/, /telco/customer). */
export const AUDIT_ENDPOINT = "/api/audit";

/** The interactions worth recording. Other names are sent too, if they match EVENT_NAME. */
export const AUDIT_EVENTS = [
  "page_view",
  "customer_opened",
  "whatif_run",
  "report_downloaded",
  "list_exported",
  "chart_downloaded",
] as const;

/** Caps, in characters: event name, number of detail fields, field name, string value; whole body in bytes. */
export const AUDIT_LIMITS = { event: 64, fields: 16, key: 64, value: 256, body: 1900 };

const EVENT_NAME = /^[a-z][a-z0-9_.-]*$/;

export type AuditDetail = Record<string, string | number>;

/**
 * The beacon body for an event, or null when the event name is invalid. Pure, so it can be tested in Node.
 * Non-finite numbers and values of other types (from untyped callers) are dropped; long strings are cut.
 */
export function auditBody(event: string, detail: AuditDetail = {}, page = ""): string | null {
  if (typeof event !== "string" || event.length > AUDIT_LIMITS.event || !EVENT_NAME.test(event)) return null;
  const fields: AuditDetail = {};
  let count = 0;
  for (const [key, value] of Object.entries(detail ?? {})) {
    if (count >= AUDIT_LIMITS.fields) break;
    const k = key.slice(0, AUDIT_LIMITS.key);
    if (typeof value === "number" && Number.isFinite(value)) fields[k] = value;
    else if (typeof value === "string") fields[k] = value.slice(0, AUDIT_LIMITS.value);
    else continue;
    count += 1;
  }
  const body = JSON.stringify({ event, page: String(page).slice(0, AUDIT_LIMITS.value), detail: fields });
  if (new TextEncoder().encode(body).length <= AUDIT_LIMITS.body) return body;
  // Multi-byte text can still overflow the byte cap: keep the event, say that detail was dropped.
  return JSON.stringify({ event, page: String(page).slice(0, AUDIT_LIMITS.value), detail: { truncated: 1 } });
}

/** Send a usage beacon for `event` (see AUDIT_EVENTS). Never throws, never blocks, never awaited. */
export function audit(event: string, detail?: AuditDetail): void {
  try {
    if (typeof window === "undefined" || typeof navigator === "undefined") return;
    const body = auditBody(event, detail, window.location?.pathname ?? "");
    if (body === null) return;
    // sendBeacon survives navigation (a download link, leaving the page) and a string goes as text/plain,
    // which needs no CORS preflight. It returns false when the browser's beacon queue is full.
    if (typeof navigator.sendBeacon === "function" && navigator.sendBeacon(AUDIT_ENDPOINT, body)) return;
    if (typeof fetch === "function") {
      fetch(AUDIT_ENDPOINT, { method: "POST", body, keepalive: true, credentials: "same-origin" }).catch(() => {});
    }
  } catch {
    // Usage logging must never break a page.
  }
}
