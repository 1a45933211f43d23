/**
 * Would another site be allowed to embed the views? The answer the Embed page gives a report writer, from the policy
 * the server actually sends: the views' Content-Security-Policy `frame-ancestors` lists 'self' and the EMBED_ORIGINS
 * allow-list (nginx/templates/retention-lab/embed-origins.conf.template; scripts/dev-server.ts does the same), and the
 * same list decides who may import the modules (CORS). Pure: the page fetches the header and passes it in.
 */

/** An origin as EMBED_ORIGINS accepts it (nginx/docker-entrypoint.d/15-check-embed-origins.sh uses the same rule). */
export const ORIGIN = /^https?:\/\/[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$/;

export interface FramePolicy {
  /** the site itself may frame the views */
  self: boolean;
  /** the exact origins on the allow-list */
  origins: string[];
  /** no frame-ancestors at all: any site may frame the views (a server without the policy, e.g. a plain file host) */
  open: boolean;
}

/** The frame-ancestors policy of a Content-Security-Policy header value (null or "" = no header). */
export function framePolicy(csp: string | null): FramePolicy {
  const directive = (csp ?? "")
    .split(";")
    .map((d) => d.trim().split(/\s+/))
    .find(([name]) => name?.toLowerCase() === "frame-ancestors");
  if (!directive) return { self: true, origins: [], open: true };
  const sources = directive.slice(1);
  return {
    self: sources.includes("'self'"),
    origins: sources.filter((s) => ORIGIN.test(s)),
    open: sources.includes("*"),
  };
}

/** The origin a report writer typed ("https://reports.example.com/q3/report.html" → "https://reports.example.com"). */
export function parseOrigin(input: string): { origin: string } | { error: string } {
  const text = input.trim();
  if (!text) return { error: "Type the address of the page your report is on, e.g. https://reports.example.com." };
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return { error: `"${text}" is not a web address (expected e.g. https://reports.example.com).` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return { error: `"${text}" is a ${url.protocol} address: reports must be served over http or https.` };
  if (!ORIGIN.test(url.origin)) return { error: `"${url.origin}" is not an origin EMBED_ORIGINS can hold.` };
  return { origin: url.origin };
}

export interface OriginAnswer {
  allowed: boolean;
  /** one sentence for the report writer */
  message: string;
  /** what to ask the operator for, when not allowed: the new EMBED_ORIGINS value */
  ask?: string;
}

/** The answer for `input` under `policy`, on the site at `siteOrigin`. */
export function checkOrigin(input: string, policy: FramePolicy, siteOrigin: string): OriginAnswer {
  const parsed = parseOrigin(input);
  if ("error" in parsed) return { allowed: false, message: parsed.error };
  const { origin } = parsed;
  if (origin === siteOrigin)
    return { allowed: true, message: `${origin} is this site: its own pages can always embed the views.` };
  if (policy.open)
    return {
      allowed: true,
      message: `This server sends no frame-ancestors policy, so ${origin} can frame the views; importing the modules from another origin still needs the server to allow it (CORS).`,
    };
  if (policy.origins.includes(origin))
    return {
      allowed: true,
      message: `Yes: ${origin} is on this site's allow-list; a report there can frame the views and import the modules.`,
    };
  const next = [...policy.origins, origin].join(" ");
  return {
    allowed: false,
    message: `No: ${origin} is not on this site's allow-list (${policy.origins.length ? policy.origins.join(", ") : "empty: only the site itself"}). A frame there stays blank and a module import fails.`,
    ask: `EMBED_ORIGINS="${next}"`,
  };
}
