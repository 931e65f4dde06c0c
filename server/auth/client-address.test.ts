import { describe, expect, it } from "vitest";
import { clientAddress, normalizeAddress, parseTrustedProxies } from "./client-address";

const none = parseTrustedProxies(undefined);
const proxies = parseTrustedProxies(" 10.0.0.0/8, 192.168.1.5 ,fd00::/8");
const from = (peerAddress: string, forwardedFor: string | null, trustedProxies = proxies) =>
  clientAddress({ peerAddress, forwardedFor, trustedProxies });

describe("clientAddress", () => {
  it("is the peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(from("203.0.113.9", null, none)).toBe("203.0.113.9");
    expect(from("203.0.113.9", "198.51.100.1", none)).toBe("203.0.113.9");
    expect(from("203.0.113.9", "198.51.100.1, 10.0.0.2", none)).toBe("203.0.113.9");
  });

  it("is the peer when the peer is not a trusted proxy", () => {
    expect(from("203.0.113.9", "198.51.100.1")).toBe("203.0.113.9");
  });

  it("is the address a trusted proxy received the request from", () => {
    expect(from("10.0.0.2", "198.51.100.1")).toBe("198.51.100.1");
  });

  it("ignores what the client wrote left of the address our proxy appended", () => {
    // The client sent "X-Forwarded-For: 1.2.3.4, 10.0.0.3"; our proxy appended the client's real address.
    expect(from("10.0.0.2", "1.2.3.4, 10.0.0.3, 198.51.100.1")).toBe("198.51.100.1");
  });

  it("walks back through a chain of trusted proxies", () => {
    expect(from("10.0.0.2", "198.51.100.1, 192.168.1.5, 10.9.9.9")).toBe("198.51.100.1");
    expect(from("fd00::2", "2001:db8::7, fd00::1")).toBe("2001:db8::7");
  });

  it("stops at an entry that is not an address, at the trusted hop that passed it on", () => {
    expect(from("10.0.0.2", "198.51.100.1, garbage, 10.0.0.3")).toBe("10.0.0.3");
    expect(from("10.0.0.2", "198.51.100.1,,10.0.0.3")).toBe("10.0.0.3");
    expect(from("10.0.0.2", null)).toBe("10.0.0.2");
    expect(from("10.0.0.2", "")).toBe("10.0.0.2");
  });

  it("is the leftmost proxy when every hop is trusted", () => {
    expect(from("10.0.0.2", "10.0.0.4, 10.0.0.3")).toBe("10.0.0.4");
  });

  it("reads IPv4-mapped IPv6 peers and ports as the plain address", () => {
    expect(from("::ffff:10.0.0.2", "198.51.100.1:51234")).toBe("198.51.100.1");
    expect(from("::ffff:203.0.113.9", null, none)).toBe("203.0.113.9");
    expect(from("10.0.0.2", "[2001:DB8::7]:443")).toBe("2001:db8::7");
  });

  it("keeps an unknown peer as is", () => {
    expect(from("unknown", "198.51.100.1")).toBe("unknown");
  });
});

describe("normalizeAddress", () => {
  it("refuses what is not an IP address", () => {
    expect(normalizeAddress("example.com")).toBeNull();
    expect(normalizeAddress("")).toBeNull();
    expect(normalizeAddress("1.2.3.4.5")).toBeNull();
  });
});

describe("parseTrustedProxies", () => {
  it("is empty by default", () => {
    expect(parseTrustedProxies(undefined).count).toBe(0);
    expect(parseTrustedProxies(" ").count).toBe(0);
  });

  it("refuses a bad entry with a message that names it", () => {
    expect(() => parseTrustedProxies("10.0.0.1, proxy.local")).toThrow(/"proxy\.local"/);
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/HEARTH_TRUSTED_PROXIES/);
    expect(() => parseTrustedProxies("10.0.0.0/8/1")).toThrow();
    expect(() => parseTrustedProxies("fd00::/129")).toThrow();
  });
});
