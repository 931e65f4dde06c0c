import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

export type TestHttpServer = { origin: string; close: () => Promise<void> };

/**
 * Serves a fetch-style handler (a route's `Request → Response`) over real HTTP on a free port,
 * so that tests speak to it as a client would: headers, streamed bodies, status codes.
 */
export async function serveHandler(handle: (request: Request) => Promise<Response>): Promise<TestHttpServer> {
  const server = createServer((req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
      duplex: "half",
    } as RequestInit);
    handle(request)
      .then(async (response) => {
        // A body refused before it was read leaves the connection unusable: close it.
        if (!req.complete) res.setHeader("Connection", "close");
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((err: unknown) => {
        res.writeHead(599);
        res.end(String(err));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
