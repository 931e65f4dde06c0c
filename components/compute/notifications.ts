import type { NotificationKind } from "@/server/services/notifications";

/** How the notifications page labels each kind. */
export const NOTIFICATION_KINDS: Readonly<Record<NotificationKind, { label: string; tone: "success" | "danger" | "neutral" | "warning" }>> = {
  task_succeeded: { label: "Succeeded", tone: "success" },
  task_failed: { label: "Failed", tone: "danger" },
  task_cancelled: { label: "Cancelled", tone: "neutral" },
  budget_reached: { label: "Budget reached", tone: "warning" },
};

/** Where a notification leads: its task's page, the billing page for a budget notice, else nowhere. */
export function notificationHref(n: { kind: NotificationKind; taskId: string | null }): string | null {
  if (n.kind === "budget_reached") return "/compute/account/billing";
  return n.taskId ? `/compute/tasks/${n.taskId}` : null;
}
