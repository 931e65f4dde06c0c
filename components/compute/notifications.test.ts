import { describe, expect, it } from "vitest";
import { NOTIFICATION_KINDS, notificationHref } from "./notifications";

describe("notifications", () => {
  it("lead to their task, or to billing for a budget notice", () => {
    const taskId = "00000000-0000-4000-8000-000000000001";
    expect(notificationHref({ kind: "task_failed", taskId })).toBe(`/compute/tasks/${taskId}`);
    expect(notificationHref({ kind: "task_succeeded", taskId: null })).toBeNull();
    expect(notificationHref({ kind: "budget_reached", taskId: null })).toBe("/compute/account/billing");
    expect(NOTIFICATION_KINDS.budget_reached).toEqual({ label: "Budget reached", tone: "warning" });
  });
});
