import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTrustedProxies } from "./client-address";
import { clientAddressOf, PEER_ADDRESS_HEADER, peerAddressOf, stampPeerAddresses } from "./peer-address";

/** Headers as a route handler gets them: copied from the Node request, as Next.js does. */
function headersOf(raw: Record<string, string | string[] | undefined>) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) if (typeof value === "string") headers.set(name, value);
  return headers;
}

const noProxy = parseTrustedProxies("");
const loopbackProxy = parseTrustedProxies("127.0.0.1");

type Seen = { peer: string | null; direct: string; behindProxy: string };

const server = createServer((req, res) => {
  const headers = headersOf(req.headers);
  const seen: Seen = {
    peer: peerAddressOf(headers),
    direct: clientAddressOf(headers, noProxy),
    behindProxy: clientAddressOf(headers, loopbackProxy),
  };
  res.end(JSON.stringify(seen));
});
beforeAll(() => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve)));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(headers: Record<string, string>) {
  const { port } = server.address() as AddressInfo;
  return new Promise<Seen>((resolve, reject) => {
    httpRequest({ host: "127.0.0.1", port, headers }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve(JSON.parse(body) as Seen));
    })
      .on("error", reject)
      .end();
  });
}

const forged = { "x-forwarded-for": "198.51.100.66", [PEER_ADDRESS_HEADER]: "198.51.100.66" };

describe("stampPeerAddresses and clientAddressOf", () => {
  it("trust nothing a client wrote before the stamp is installed", async () => {
    expect(await get(forged)).toEqual({ peer: null, direct: "unknown", behindProxy: "unknown" });
  });

  it("tell the socket's address, not the one a client chose, unless the socket is a trusted proxy", async () => {
    stampPeerAddresses();
    stampPeerAddresses(); // once per process, however often asked
    expect(await get(forged)).toEqual({ peer: "127.0.0.1", direct: "127.0.0.1", behindProxy: "198.51.100.66" });
    expect(await get({ "x-forwarded-for": "198.51.100.1, 203.0.113.5" })).toMatchObject({
      direct: "127.0.0.1",
      behindProxy: "203.0.113.5",
    });
    expect(await get({})).toEqual({ peer: "127.0.0.1", direct: "127.0.0.1", behindProxy: "127.0.0.1" });
  });
});
