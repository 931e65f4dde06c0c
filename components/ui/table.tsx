import type { HTMLAttributes, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cn } from "./cn";

/**
 * A table that scrolls sideways on narrow screens instead of overflowing the page. A wide one
 * (`scrollable`) is a named region in the tab order, so keyboards can scroll it too.
 */
export function Table({
  caption,
  scrollable,
  className,
  children,
  ...props
}: HTMLAttributes<HTMLTableElement> & { caption?: string; scrollable?: boolean }) {
  return (
    <div className="overflow-x-auto" {...(scrollable && { role: "region", tabIndex: 0, "aria-label": caption })}>
      <table className={cn("w-full border-collapse text-left text-sm", className)} {...props}>
        {caption && <caption className="sr-only">{caption}</caption>}
        {children}
      </table>
    </div>
  );
}

export function THead(props: HTMLAttributes<HTMLTableSectionElement>) {
  return <thead className="border-b border-stone-200 bg-stone-50 text-stone-700" {...props} />;
}

export function TBody(props: HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody className="divide-y divide-stone-100" {...props} />;
}

export function Tr({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cn("hover:bg-stone-50", className)} {...props} />;
}

export function Th({ className, numeric, ...props }: ThHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return <th scope="col" className={cn("px-3 py-2 font-medium", numeric && "text-right", className)} {...props} />;
}

export function Td({ className, numeric, ...props }: TdHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return <td className={cn("px-3 py-2", numeric && "whitespace-nowrap text-right tabular-nums", className)} {...props} />;
}
