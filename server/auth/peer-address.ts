import { randomBytes } from "node:crypto";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { clientAddress, type TrustedProxies } from "./client-address";

/**
 * The address of the connection's other end, for code that sees only a request's headers (route
 * handlers and server actions: Next.js gives them no socket). Next.js fills X-Forwarded-For from
 * the socket only when a request has none, so that header says whatever a client wants.
 *
 * Node announces every request to an HTTP server before any handler runs (the
 * `http.server.request.start` channel); there we write the socket's address into a header, replacing
 * any a client sent. The value starts with a secret drawn when this process starts, so a request
 * that did not go through the stamp (one taken before it was installed) cannot pass for one that did.
 */
export const PEER_ADDRESS_HEADER = "x-hearth-peer-address";

const globalForStamp = globalThis as unknown as { hearthPeerStamp?: string };

/** Installs the stamp in this process (once; instrumentation.ts calls it at start). */
export function stampPeerAddresses() {
  if (globalForStamp.hearthPeerStamp) return;
  const stamp = randomBytes(18).toString("base64url");
  globalForStamp.hearthPeerStamp = stamp;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    const address = socket.remoteAddress;
    if (address) request.headers[PEER_ADDRESS_HEADER] = `${stamp} ${address}`;
    else delete request.headers[PEER_ADDRESS_HEADER];
  });
}

/** The peer's address as stamped by this process, or null (no stamp, or one a client made up). */
export function peerAddressOf(headers: Headers): string | null {
  const stamp = globalForStamp.hearthPeerStamp;
  const value = headers.get(PEER_ADDRESS_HEADER);
  if (!stamp || !value?.startsWith(`${stamp} `)) return null;
  return value.slice(stamp.length + 1);
}

/** The client's address for a request's headers: the stamped peer, or past it, trusted proxies' X-Forwarded-For. */
export function clientAddressOf(headers: Headers, trustedProxies: TrustedProxies): string {
  return clientAddress({
    forwardedFor: headers.get("x-forwarded-for"),
    // Without a stamp nothing is known: such requests share one address (and its limit).
    peerAddress: peerAddressOf(headers) ?? "unknown",
    trustedProxies,
  });
}
