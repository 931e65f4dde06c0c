import { BlockList, isIP } from "node:net";

/**
 * Which address a request comes from, for sign-in throttling. Only the connection's other end (the
 * peer) is known for sure; X-Forwarded-For is believed only as far as it was written by proxies we
 * trust. Each proxy appends the address it received the request from, so the chain is read from
 * the right: past our own trusted proxies, the first address is the client's; whatever lies left of
 * it was sent by the client and may be anything.
 */

export type TrustedProxies = { readonly list: BlockList; readonly count: number };

/** An address in one spelling: trimmed, without a port, IPv4-mapped IPv6 as IPv4, IPv6 lower case; null if not an IP. */
export function normalizeAddress(raw: string): string | null {
  let address = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":"));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) address = mapped[1]!;
  const family = isIP(address);
  if (family === 4) return address;
  if (family === 6) return address.toLowerCase();
  return null;
}

/** Parses a comma-separated list of IP addresses and CIDR ranges (HEARTH_TRUSTED_PROXIES); throws on a bad entry. */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const list = new BlockList();
  let count = 0;
  for (const entry of (value ?? "").split(",").map((e) => e.trim()).filter(Boolean)) {
    const [addressPart, prefixPart, ...rest] = entry.split("/");
    const address = normalizeAddress(addressPart!);
    const family = address ? isIP(address) : 0;
    const prefix = prefixPart === undefined ? null : Number(prefixPart);
    const maxPrefix = family === 4 ? 32 : 128;
    if (!address || rest.length > 0 || (prefix !== null && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= maxPrefix))) {
      throw new Error(`HEARTH_TRUSTED_PROXIES: "${entry}" is not an IP address or a CIDR range (e.g. 10.0.0.1 or 10.0.0.0/8).`);
    }
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === null) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
    count += 1;
  }
  return { list, count };
}

function isTrusted(address: string, trusted: TrustedProxies): boolean {
  const family = isIP(address);
  return trusted.count > 0 && family !== 0 && trusted.list.check(address, family === 4 ? "ipv4" : "ipv6");
}

/**
 * The client's address: the peer, unless it is a trusted proxy; then, walking X-Forwarded-For from
 * the right, the first address that is not a trusted proxy. An entry that is not an address ends
 * the walk at the trusted hop that passed it on; so does a chain made only of trusted proxies.
 */
export function clientAddress(input: { forwardedFor: string | null; peerAddress: string; trustedProxies: TrustedProxies }): string {
  let client = normalizeAddress(input.peerAddress) ?? input.peerAddress;
  if (!isTrusted(client, input.trustedProxies)) return client;
  const hops = (input.forwardedFor ?? "").split(",").reverse();
  for (const hop of hops) {
    const address = normalizeAddress(hop);
    if (!address) break;
    client = address;
    if (!isTrusted(address, input.trustedProxies)) break;
  }
  return client;
}
