/**
 * The audit client: pages record decision-relevant actions with POST /api/audit, which the audit service
 * validates against the schema (src/lib/audit-schema.ts) and stores before it answers (docs/deploy.md).
 *
 *   import {audit} from "./lib/audit.js";
 *   audit("customer_opened", {customer: "7590-VHVEG"});
 *
 * Fire and forget for the page: never awaited, never throws, a no-op outside a browser (the build imports
 * src/lib/ too). Not fire and forget for the record: an event stays queued (in memory and in localStorage, so
 * a navigation does not lose it) until the server answers 2xx. A refusal (400, 413, 422: the event can never
 * be stored) drops it and counts it; no answer, 401, 408, 429 or 5xx (storage failed) keeps it and retries with
 * back-off, also from the next page load. The queue is bounded; overflow drops the oldest and counts it.
 */
import { AUDIT_MAX_BODY, AUDIT_PAGE, AUDIT_SCHEMA, checkAuditEvent, type AuditDetail } from "./audit-schema.js";

export type { AuditDetail } from "./audit-schema.js";

/** Where events go: absolute, because pages live at several depths (/, /telco/customer). */
export const AUDIT_ENDPOINT = "/api/audit";

/** The recorded events (the schema's keys). */
export const AUDIT_EVENTS = Object.keys(AUDIT_SCHEMA);

/** Queue bound (events), retry back-off bounds (ms) and the localStorage key of the queue. */
export const AUDIT_QUEUE = { max: 200, firstRetry: 2_000, maxRetry: 60_000, storageKey: "retention-lab.audit-queue" };

/** What the client did with events so far (for tests and the console). */
export const auditStats = { sent: 0, refused: 0, overflow: 0, retries: 0 };

/** An ID for an event, kept across retries so the server and readers can drop a repeated delivery. */
function eventId(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c && typeof c.randomUUID === "function") return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}-${Math.random().toString(36).slice(2, 12)}`;
}

/**
 * The request body for an event, or null when the schema refuses it (the reason goes to the console as a
 * warning: a wiring mistake on a page, not a user's fault). Pure apart from the generated ID.
 */
export function auditBody(event: string, detail: AuditDetail = {}, page = "", id = eventId()): string | null {
  // An odd URL (percent-encoded, very deep) must not cost the event: record it without the page instead.
  const checked = checkAuditEvent({ id, event, page: AUDIT_PAGE.test(page) ? page : "", detail });
  // `in`, not `!checked.ok`: the pages' type check runs without strictNullChecks, where that does not narrow.
  if ("error" in checked) {
    if (typeof console !== "undefined") console.warn(`audit: not recorded: ${checked.error}`);
    return null;
  }
  const body = JSON.stringify(checked.event);
  return new TextEncoder().encode(body).length <= AUDIT_MAX_BODY ? body : null;
}

let queue: string[] | null = null;
let flushing = false;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let backoff = AUDIT_QUEUE.firstRetry;

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // storage disabled (privacy settings): the queue lives in memory only
  }
}

/** The queue, loaded from localStorage on first use (events a previous page could not deliver). */
function pending(): string[] {
  if (queue) return queue;
  try {
    const saved = JSON.parse(storage()?.getItem(AUDIT_QUEUE.storageKey) ?? "[]");
    queue = Array.isArray(saved) ? saved.filter((b): b is string => typeof b === "string") : [];
  } catch {
    queue = [];
  }
  return queue;
}

function save(): void {
  try {
    const s = storage();
    if (!s) return;
    if (pending().length) s.setItem(AUDIT_QUEUE.storageKey, JSON.stringify(pending()));
    else s.removeItem(AUDIT_QUEUE.storageKey);
  } catch {
    // quota exceeded: the memory queue still holds the events
  }
}

/** Statuses after which the same event may be stored later; any other non-2xx answer is a final refusal. */
const RETRY = new Set([401, 408, 429]);

/** Send queued events oldest first, one at a time; stop at the first one that must wait, and retry later. */
export async function flushAudit(): Promise<void> {
  if (flushing || typeof fetch !== "function") return;
  flushing = true;
  try {
    const q = pending();
    while (q.length) {
      let status = 0;
      try {
        const res = await fetch(AUDIT_ENDPOINT, {
          method: "POST",
          body: q[0],
          keepalive: true,
          credentials: "same-origin",
          // An expired sign-in answers with a redirect to the sign-in page: that is "not stored, try later", never
          // a success (following it could end on a 200 HTML page).
          redirect: "manual",
        });
        status = res.status;
      } catch {
        status = 0; // offline, or the page is going away: keep the event
      }
      if (status === 0 || status >= 500 || RETRY.has(status)) {
        auditStats.retries += 1;
        clearTimeout(retryTimer);
        retryTimer = setTimeout(() => void flushAudit(), backoff);
        backoff = Math.min(backoff * 2, AUDIT_QUEUE.maxRetry);
        break;
      }
      q.shift();
      if (status >= 200 && status < 300) auditStats.sent += 1;
      else auditStats.refused += 1;
      backoff = AUDIT_QUEUE.firstRetry;
      save();
    }
  } finally {
    flushing = false;
  }
}

/** Record `event` (a key of AUDIT_SCHEMA) with its details. Never throws, never blocks, never awaited. */
export function audit(event: string, detail?: AuditDetail): void {
  try {
    if (typeof window === "undefined") return;
    const body = auditBody(event, detail, window.location?.pathname ?? "");
    if (body === null) return;
    const q = pending();
    q.push(body);
    while (q.length > AUDIT_QUEUE.max) {
      q.shift();
      auditStats.overflow += 1;
    }
    save();
    void flushAudit().catch(() => {});
  } catch {
    // Recording usage must never break a page.
  }
}

// Events an earlier page could not deliver are sent as soon as this module loads in a browser, not only at the
// page's first audit() call.
if (typeof window !== "undefined" && typeof setTimeout === "function")
  setTimeout(() => void flushAudit().catch(() => {}), 0);

/** Forget the queue and counters (tests). */
export function resetAudit(): void {
  queue = [];
  flushing = false;
  clearTimeout(retryTimer);
  backoff = AUDIT_QUEUE.firstRetry;
  Object.assign(auditStats, { sent: 0, refused: 0, overflow: 0, retries: 0 });
  save();
}
