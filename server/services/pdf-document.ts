import PDFDocument from "pdfkit";

/** The layout every PDF the product makes shares: A4, its margins and its three colours. */
export const MARGIN = 48;
export const PAGE_WIDTH = 595.28; // A4
export const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
export const INK = "#1c1917";
export const MUTED = "#57534e";
export const RULE = "#d6d3d1";

/**
 * The standard PDF fonts speak WinAnsi: Latin-1 plus a few signs (€, typographic quotes, dashes,
 * the bullets of a masked IBAN). The narrow no-break space that French number formats use becomes
 * a no-break space; anything else outside becomes "?" rather than garbage.
 */
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
export function pdfText(text: string): string {
  let out = "";
  for (const char of text.replace(/[\u202f\u2009\u2007]/g, "\u00a0")) {
    const code = char.codePointAt(0)!;
    out += (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char) ? char : "?";
  }
  return out;
}

export type PdfColumn = { title: string; width: number; align: "left" | "right" };

/**
 * An A4 document written into memory, with the helpers the statements, invoices and reports share:
 * text made safe for the standard fonts, a rule, table rows that break to a new page, a footer on
 * every page, and `finish` for the bytes.
 */
export function openPdf(info: { lang: string; title: string; author: string; subject: string }) {
  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    lang: info.lang,
    displayTitle: true,
    bufferPages: true,
    info: { Title: pdfText(info.title), Author: pdfText(info.author), Subject: pdfText(info.subject) },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  const write = (text: string, options: PDFKit.Mixins.TextOptions = {}) => doc.text(pdfText(text), options);
  const rule = () => {
    doc.moveDown(0.4);
    doc.moveTo(MARGIN, doc.y).lineTo(PAGE_WIDTH - MARGIN, doc.y).strokeColor(RULE).lineWidth(0.7).stroke();
    doc.moveDown(0.6);
  };
  /** A row writer for `columns`: each row as tall as its tallest cell, on a new page when it would not fit. */
  const tableRow =
    (columns: readonly PdfColumn[]) =>
    (cells: string[], font: "Helvetica" | "Helvetica-Bold", color = INK) => {
      doc.font(font).fontSize(8).fillColor(color);
      const height = Math.max(...cells.map((cell, i) => doc.heightOfString(pdfText(cell), { width: columns[i]!.width - 4 }))) + 4;
      if (doc.y + height > doc.page.height - MARGIN - 24) doc.addPage();
      const y = doc.y;
      let x = MARGIN;
      cells.forEach((cell, i) => {
        doc.text(pdfText(cell), x + 2, y + 2, { width: columns[i]!.width - 4, align: columns[i]!.align });
        x += columns[i]!.width;
      });
      doc.x = MARGIN;
      doc.y = y + height;
      doc.moveTo(MARGIN, doc.y).lineTo(PAGE_WIDTH - MARGIN, doc.y).strokeColor(RULE).lineWidth(0.4).stroke();
    };
  /** On every page: `text` on the left, the page's place on the right. */
  const footer = (text: string, pageOf: (page: number, pages: number) => string) => {
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const bottom = doc.page.height - MARGIN;
      doc.page.margins.bottom = 0;
      doc.font("Helvetica").fontSize(7).fillColor(MUTED);
      doc.text(pdfText(text), MARGIN, bottom - 4, { width: CONTENT_WIDTH * 0.8 });
      doc.text(pdfText(pageOf(i + 1, range.count)), MARGIN, bottom - 4, { width: CONTENT_WIDTH, align: "right" });
    }
  };
  const finish = () => {
    doc.end();
    return ended;
  };
  return { doc, write, rule, tableRow, footer, finish };
}
