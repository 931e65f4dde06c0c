import { describe, expect, it } from "vitest";
import { attachmentDisposition, outputDownloadHeaders, servedContentType } from "./downloads";

describe("how an output file is served", () => {
  it("serves a short list of inert types as themselves, text as UTF-8", () => {
    expect(servedContentType("image/png")).toBe("image/png");
    expect(servedContentType("IMAGE/JPEG")).toBe("image/jpeg");
    expect(servedContentType("image/webp")).toBe("image/webp");
    expect(servedContentType("application/json")).toBe("application/json");
    expect(servedContentType("application/pdf")).toBe("application/pdf");
    expect(servedContentType("application/zip")).toBe("application/zip");
    expect(servedContentType("application/octet-stream")).toBe("application/octet-stream");
    expect(servedContentType("text/plain")).toBe("text/plain; charset=utf-8");
    expect(servedContentType("text/plain; charset=UTF-8")).toBe("text/plain; charset=utf-8");
    expect(servedContentType("text/csv;charset=utf-7")).toBe("text/csv; charset=utf-8");
  });

  it("serves anything a browser could run or render as a page as bytes", () => {
    for (const type of [
      "text/html",
      "text/html; charset=utf-8",
      "image/svg+xml",
      "application/javascript",
      "text/javascript",
      "application/xhtml+xml",
      "text/xml",
      "application/x-shockwave-flash",
      "multipart/x-mixed-replace; boundary=x",
      "",
      "not a type",
      "text/plain/html",
    ]) {
      expect(servedContentType(type), type).toBe("application/octet-stream");
    }
  });

  it("always as a download the browser does not sniff", () => {
    expect(outputDownloadHeaders({ name: "page.html", contentType: "text/html" })).toEqual({
      "Content-Type": "application/octet-stream",
      "Content-Disposition": 'attachment; filename="page.html"',
      "X-Content-Type-Options": "nosniff",
    });
    expect(outputDownloadHeaders({ name: "frame-0001.png", contentType: "image/png" })["Content-Type"]).toBe("image/png");
  });

  it("names the file safely, whatever its name", () => {
    expect(attachmentDisposition("result.txt")).toBe('attachment; filename="result.txt"');
    expect(attachmentDisposition('a"b\\c.txt')).toBe(`attachment; filename="a_b_c.txt"; filename*=UTF-8''a%22b%5Cc.txt`);
    expect(attachmentDisposition("résumé.pdf")).toBe(`attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`);
    expect(attachmentDisposition("a\r\nSet-Cookie: x")).not.toMatch(/[\r\n]/);
  });
});
