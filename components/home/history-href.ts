import type { HistoryRange } from "@/server/domain/history-period";

/** A page of a room's history: the range and anchor live in the URL, so back, reload and sharing keep the view. */
export function historyHref(roomId: string, range: HistoryRange, anchor?: string): string {
  const query = new URLSearchParams({ range, ...(anchor ? { anchor } : {}) });
  return `/home/rooms/${roomId}/history?${query}`;
}
