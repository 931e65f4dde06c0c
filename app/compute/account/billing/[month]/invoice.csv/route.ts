import { invoiceDownload } from "../invoice-download";

/** A month's invoice as CSV, for the signed-in customer's own organization; 404 otherwise. */
export function GET(_request: Request, { params }: { params: Promise<{ month: string }> }) {
  return invoiceDownload(params, "csv");
}
