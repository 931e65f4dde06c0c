"use client";

import { useEffect, useRef, type ReactNode } from "react";

/** Where filters stay open: from the `sm` breakpoint up, they fit beside the list without pushing it away. */
const WIDE = "(min-width: 640px)";

/**
 * A list's filters, folded away on a phone so that the list is on the first screen: a "Filters"
 * disclosure, closed unless a filter is active. On wider screens it opens once the page runs.
 */
export function FilterDisclosure({ activeCount, children }: { activeCount: number; children: ReactNode }) {
  const ref = useRef<HTMLDetailsElement>(null);
  // Again when the filters change: clearing them ("Clear" navigates in place) closes the disclosure.
  useEffect(() => {
    if (ref.current && window.matchMedia(WIDE).matches) ref.current.open = true;
  }, [activeCount]);
  return (
    <details ref={ref} open={activeCount > 0 || undefined} data-testid="filters" className="group">
      <summary className="flex cursor-pointer items-center justify-between gap-2 px-4 py-3 text-sm font-medium sm:hidden">
        <span>
          Filters
          {activeCount > 0 && <span className="ml-1 font-normal text-stone-600">({activeCount} active)</span>}
        </span>
        <span aria-hidden="true" className="text-stone-500 group-open:rotate-180">
          ▾
        </span>
      </summary>
      {children}
    </details>
  );
}
