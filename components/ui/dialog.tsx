"use client";

import { useRef, type ReactNode } from "react";
import { buttonClasses } from "./button";
import { cn } from "./cn";

/**
 * A modal dialog on the native <dialog> element: focus is trapped and Escape closes it
 * without any script of ours.
 */
export function Dialog({
  trigger,
  title,
  children,
  triggerClassName,
  closeLabel = "Close",
}: {
  trigger: ReactNode;
  title: string;
  children: ReactNode;
  triggerClassName?: string;
  /** The close button's words, in the page's language. */
  closeLabel?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = `dialog-${title.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <>
      <button type="button" className={triggerClassName ?? buttonClasses("secondary", "sm")} onClick={() => ref.current?.showModal()}>
        {trigger}
      </button>
      <dialog
        ref={ref}
        aria-labelledby={titleId}
        className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg border border-stone-200 p-0 shadow-xl backdrop:bg-stone-900/40"
        onClick={(e) => {
          if (e.target === ref.current) ref.current?.close(); // click on the backdrop
        }}
      >
        <div className="flex items-center justify-between border-b border-stone-200 px-4 py-3">
          <h2 id={titleId} className="text-base font-semibold">
            {title}
          </h2>
          <button type="button" className={cn(buttonClasses("ghost", "sm"))} onClick={() => ref.current?.close()}>
            {closeLabel}
          </button>
        </div>
        <div className="p-4">{children}</div>
      </dialog>
    </>
  );
}
