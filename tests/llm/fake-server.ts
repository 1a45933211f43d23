import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the fake server does with one request. */
export type Fault =
  | { type: "success"; content?: string; finishReason?: string; delayMs?: number }
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
  /** Chooses the fault for the n-th request (0-based). */
  behave(fault: Fault | ((n: number, hit: Hit) => Fault)): void;
  close(): Promise<void>;
}

/** A valid reply that differs per customer: it quotes the tenure from the prompt. */
export function defaultContent(hit: Hit): string {
  const user = hit.body.messages.find((m) => m.role === "user")?.content ?? "";
  const tenure = /tenure: (\d+)/.exec(user)?.[1] ?? "many";
  return `After ${tenure} months with us, you deserve a plan that fits; reply and our team will help.`;
}

/** A real OpenAI-compatible server on 127.0.0.1 (random port) speaking POST /v1/chat/completions. */
export async function startFakeServer(initial: Fault = { type: "success" }): Promise<FakeServer> {
  let choose: (n: number, hit: Hit) => Fault = () => initial;
  let inFlight = 0;
  const state = { hits: [] as Hit[], maxInFlight: 0 };
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
      respond(res, choose(n, hit), hit);
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

function respond(res: ServerResponse, fault: Fault, hit: Hit): void {
  const json = { "content-type": "application/json" };
  switch (fault.type) {
    case "success": {
      const body = completion(hit.body.model, fault.content ?? defaultContent(hit), fault.finishReason ?? "stop");
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
  }
}

function completion(model: string, content: string, finishReason: string): string {
  return JSON.stringify({
    id: "cmpl-test",
    object: "chat.completion",
    created: 0,
    model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: finishReason }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
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
