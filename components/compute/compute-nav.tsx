"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

const ITEMS = [
  { href: "/compute", label: "Overview" },
  { href: "/compute/tasks", label: "Tasks" },
  { href: "/compute/tasks/new", label: "Submit a task" },
  { href: "/compute/carbon", label: "Carbon" },
  { href: "/compute/notifications", label: "Notifications" },
  { href: "/compute/account/billing", label: "Billing" },
  { href: "/compute/account", label: "Account & API keys" },
] as const;

/** The compute sections; wraps on phones; the current one is marked; unread notifications counted. */
export function ComputeNav({ unread }: { unread: number }) {
  const pathname = usePathname();
  const current = (href: string) =>
    href === "/compute" || href === "/compute/tasks"
      ? pathname === href || (href === "/compute/tasks" && /^\/compute\/tasks\/(?!new$)[^/]+/.test(pathname))
      : href === "/compute/account"
        ? pathname === href // its billing pages are their own section
        : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <nav aria-label="Compute" className="-mt-2 mb-6 border-b border-stone-200">
      <ul className="flex flex-wrap gap-x-1 gap-y-1 text-sm">
        {ITEMS.map((item) => {
          const active = current(item.href);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "-mb-px inline-flex min-h-10 items-center gap-1.5 border-b-2 px-3 py-2",
                  active ? "border-brand-700 font-medium text-brand-800" : "border-transparent text-stone-700 hover:border-stone-400",
                )}
              >
                {item.label}
                {item.href === "/compute/notifications" && unread > 0 && (
                  <span className="rounded-full bg-brand-700 px-1.5 py-0.5 text-xs font-semibold text-white" data-testid="unread-count">
                    {unread}
                    <span className="sr-only"> unread</span>
                  </span>
                )}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
