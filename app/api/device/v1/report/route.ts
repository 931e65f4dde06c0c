import { getDb } from "@/server/db/client";
import { handleDeviceRequest } from "@/server/device/http";

/** A gateway's report (docs/device-protocol.md); the logic is in server/device/. */
export function POST(request: Request) {
  return handleDeviceRequest(request, getDb());
}
