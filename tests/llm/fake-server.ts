import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the fake server does with one request. */
export type Fault =
  | { type: "success"; content?: string; finishReason?: string; delayMs?: number; model?: unknown; tokens?: number }
  // 200 with a valid completion whose content is `bytes` long, streamed in 64 KB chunks as the socket drains; with
  // `declareLength` the Content-Length header announces the size.
  | { type: "huge"; bytes: number; declareLength?: boolean }
  | { type: "drip"; everyMs: number } // sends headers, then one byte of the body every `everyMs` forever
  | { type: "status"; status: number; headers?: Record<string, string>; body?: string }
  | { type: "hang" } // never answers
  | { type: "hang-body" } // sends headers, then never finishes the body
  | { type: "malformed" } // 200 application/json that is not JSON
  | { type: "raw"; body: string }; // 200 application/json with this body

export interface Hit {
  headers: IncomingHttpHeaders;
  /** The request's query parameters (a gateway key passed in the base URL arrives here). */
  query: Record<string, string>;
  body: { model: string; messages: Array<{ role: string; content: string }>; [k: string]: unknown };
}

export interface FakeServer {
  /** Base URL to give the client, ending in /v1. */
  baseURL: string;
  hits: Hit[];
  maxInFlight: number;
  /** Body bytes the server managed to write, over all responses (a client that cuts a huge body keeps this low). */
  bytesSent: number;
  /** Chooses the fault for the n-th request (0-based). */
  behave(fault: Fault | ((n: number, hit: Hit) => Fault)): void;
  close(): Promise<void>;
}

/**
 * A valid reply that differs per customer: a nudge quotes the tenure from the prompt; an offer (its prompt asks for
 * the {amount} token) quotes the lifetime value's order of magnitude and leaves the amount to the token.
 */
export function defaultContent(hit: Hit): string {
  const system = hit.body.messages.find((m) => m.role === "system")?.content ?? "";
  const user = hit.body.messages.find((m) => m.role === "user")?.content ?? "";
  if (system.includes("{amount}")) return "We miss you! Here is {amount} off your next order this week.";
  const tenure = /with us for (\d+) months/.exec(user)?.[1] ?? "many";
  return `After ${tenure} months with us, you deserve a plan that fits; reply and our team will help.`;
}

/** A real OpenAI-compatible server on 127.0.0.1 (random port) speaking POST /v1/chat/completions. */
export async function startFakeServer(initial: Fault = { type: "success" }): Promise<FakeServer> {
  let choose: (n: number, hit: Hit) => Fault = () => initial;
  let inFlight = 0;
  const state = { hits: [] as Hit[], maxInFlight: 0, bytesSent: 0 };
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (req.method !== "POST" || url.pathname !== "/v1/chat/completions") {
        res.writeHead(404).end(JSON.stringify({ error: { message: `no route ${req.method} ${url.pathname}` } }));
        return;
      }
      const hit: Hit = { headers: req.headers, query: Object.fromEntries(url.searchParams), body: JSON.parse(raw) };
      const n = state.hits.length;
      state.hits.push(hit);
      inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      res.on("close", () => inFlight--);
      respond(res, choose(n, hit), hit, (bytes) => (state.bytesSent += bytes));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    get hits() {
      return state.hits;
    },
    get maxInFlight() {
      return state.maxInFlight;
    },
    get bytesSent() {
      return state.bytesSent;
    },
    behave(fault) {
      choose = typeof fault === "function" ? fault : () => fault;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections(); // hung requests included
        server.close(() => resolve());
      }),
  };
}

function respond(res: ServerResponse, fault: Fault, hit: Hit, sent: (bytes: number) => void): void {
  const json = { "content-type": "application/json" };
  switch (fault.type) {
    case "success": {
      const model = "model" in fault ? fault.model : hit.body.model;
      const body = completion(model, fault.content ?? defaultContent(hit), fault.finishReason ?? "stop", fault.tokens);
      const send = () => res.writeHead(200, json).end(body);
      if (fault.delayMs) setTimeout(send, fault.delayMs);
      else send();
      return;
    }
    case "status":
      res
        .writeHead(fault.status, { ...json, ...fault.headers })
        .end(fault.body ?? JSON.stringify({ error: { message: "fault" } }));
      return;
    case "hang":
      return;
    case "hang-body":
      res.writeHead(200, json);
      res.write('{"id": "cmpl-1", ');
      return;
    case "malformed":
      res.writeHead(200, json).end('{"id": "cmpl-1", "choices": [');
      return;
    case "raw":
      res.writeHead(200, json).end(fault.body);
      return;
    case "huge":
      streamHuge(res, fault.bytes, fault.declareLength ?? false, hit.body.model, sent);
      return;
    case "drip": {
      res.writeHead(200, json);
      const timer = setInterval(() => res.write(" "), fault.everyMs);
      res.on("close", () => clearInterval(timer));
      return;
    }
  }
}

/** A completion with `bytes` of content, written chunk by chunk only as fast as the client reads it. */
function streamHuge(
  res: ServerResponse,
  bytes: number,
  declareLength: boolean,
  model: string,
  sent: (n: number) => void,
) {
  const [head, tail] = completion(model, "\u0000", "stop").split('"\\u0000"');
  const prefix = Buffer.from(head + '"');
  const suffix = Buffer.from('"' + tail);
  const chunk = Buffer.alloc(64 * 1024, "1");
  res.writeHead(200, {
    "content-type": "application/json",
    ...(declareLength && { "content-length": String(prefix.length + bytes + suffix.length) }),
  });
  let left = bytes;
  let closed = false;
  res.on("close", () => (closed = true));
  const write = (buffer: Buffer) => {
    sent(buffer.length);
    return res.write(buffer);
  };
  const pump = () => {
    while (!closed && left > 0) {
      const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= part.length;
      if (!write(part)) return void res.once("drain", pump);
    }
    if (!closed) {
      sent(suffix.length);
      res.end(suffix);
    }
  };
  write(prefix);
  pump();
}

function completion(model: unknown, content: string, finishReason: string, tokens = 2): string {
  return JSON.stringify({
    id: "cmpl-test",
    object: "chat.completion",
    created: 0,
    model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: finishReason }],
    usage: { prompt_tokens: tokens - 1, completion_tokens: 1, total_tokens: tokens },
  });
}

/** A base URL nothing listens on: a port that was just bound, then released. */
export async function closedPortURL(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}
