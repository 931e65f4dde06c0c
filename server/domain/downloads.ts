/**
 * How an output file a gateway sent is served back, from the portal as from the REST API. Its
 * content type is the gateway's word: served as is, an HTML page, an SVG image or a script would
 * run as the platform's own origin. So only inert types are served as themselves (text as UTF-8),
 * everything else as bytes, always as an attachment the browser must not sniff.
 */

/** Types a browser shows without running anything of the file's; text ones get a charset. */
const SERVED_AS_THEMSELVES = new Set([
  "image/png",
  "image/jpeg",
  "image/webp",
  "text/plain",
  "text/csv",
  "application/json",
  "application/pdf",
  "application/zip",
  "application/octet-stream",
]);

const BYTES = "application/octet-stream";

/** The content type a stored output is served with. */
export function servedContentType(stored: string): string {
  const essence = stored.split(";", 1)[0]!.trim().toLowerCase();
  if (!SERVED_AS_THEMSELVES.has(essence)) return BYTES;
  // Outputs are written as UTF-8; another declared charset (UTF-7 above all) is not trusted.
  return essence.startsWith("text/") ? `${essence}; charset=utf-8` : essence;
}

/** `attachment; filename="…"`, with `filename*=UTF-8''…` when the name is not plain printable ASCII. */
export function attachmentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  if (ascii === name) return `attachment; filename="${name}"`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** The headers every download of an output file carries. */
export function outputDownloadHeaders(file: { name: string; contentType: string }): Record<string, string> {
  return {
    "Content-Type": servedContentType(file.contentType),
    "Content-Disposition": attachmentDisposition(file.name),
    "X-Content-Type-Options": "nosniff",
  };
}
