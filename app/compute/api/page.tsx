import type { Metadata } from "next";
import { ApiReference } from "@/components/compute/api-reference";

export const metadata: Metadata = { title: "REST API reference" };

export default function ApiReferencePage() {
  return <ApiReference />;
}
