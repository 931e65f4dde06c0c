import Link from "next/link";
import { buttonClasses } from "./button";

/** "Page 2 of 7" under a table paginated on the server, with links to the pages before and after. */
export function Pager({
  label,
  page,
  pages,
  href,
  previousLabel = "Previous",
  nextLabel = "Next",
  scroll,
}: {
  /** The navigation landmark's name, e.g. "Pages of tasks". */
  label: string;
  page: number;
  pages: number;
  href: (page: number) => string;
  previousLabel?: string;
  nextLabel?: string;
  /** False to keep the scroll position (links to an anchor lower on a long page). */
  scroll?: boolean;
}) {
  return (
    <nav aria-label={label} className="flex items-center justify-between border-t border-stone-200 px-4 py-3 text-sm">
      <span>
        Page {page} of {pages}
      </span>
      <span className="flex gap-2">
        {page > 1 && (
          <Link className={buttonClasses("secondary", "sm")} href={href(page - 1)} scroll={scroll}>
            {previousLabel}
          </Link>
        )}
        {page < pages && (
          <Link className={buttonClasses("secondary", "sm")} href={href(page + 1)} scroll={scroll}>
            {nextLabel}
          </Link>
        )}
      </span>
    </nav>
  );
}
