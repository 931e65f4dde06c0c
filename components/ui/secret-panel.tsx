"use client";

import { useState, type ReactNode } from "react";
import { Button } from "./button";

/**
 * A secret shown this once (an API key, a gateway credential: the platform keeps only its hash),
 * with a copy button that says when it copied. `children` add a line under it.
 */
export function SecretPanel({
  secret,
  warning,
  copyLabel,
  testId,
  children,
}: {
  secret: string;
  /** Why to copy it now, e.g. "Copy this key now: it will not be shown again." */
  warning: string;
  copyLabel: string;
  testId: string;
  children?: ReactNode;
}) {
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <div role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
      <p className="font-medium text-amber-950">{warning}</p>
      <code data-testid={testId} className="mt-2 block break-all rounded bg-white p-2 font-mono text-stone-900 ring-1 ring-amber-200">
        {secret}
      </code>
      <div className="mt-2 flex items-center gap-3">
        <Button
          variant="secondary"
          size="sm"
          onClick={() =>
            navigator.clipboard
              ?.writeText(secret)
              .then(() => setCopied(secret))
              .catch(() => setCopied(null))
          }
        >
          {copyLabel}
        </Button>
        <span aria-live="polite" className="text-green-800">
          {copied === secret ? "Copied." : ""}
        </span>
      </div>
      {children && <p className="mt-2 text-stone-700">{children}</p>}
    </div>
  );
}
