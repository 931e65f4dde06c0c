"use client";

import { useActionState } from "react";
import { issueCredentialAction } from "@/server/actions/fleet";
import type { FormState } from "@/server/actions/form-state";
import { Button } from "@/components/ui/button";

/** Issues a gateway credential and shows it this once; the platform keeps only its hash. */
export function IssueCredential({ gatewayId }: { gatewayId: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(issueCredentialAction, { error: null });
  return (
    <div className="flex flex-col gap-3">
      <form action={action}>
        <input type="hidden" name="gatewayId" value={gatewayId} />
        <Button type="submit" disabled={pending}>
          {pending ? "Issuing…" : "Issue a new credential"}
        </Button>
      </form>
      {state.error && (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      )}
      {state.secret && (
        <div role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
          <p className="font-medium text-amber-900">Copy this credential into the gateway now: it will not be shown again.</p>
          <code data-testid="gateway-token" className="mt-2 block break-all font-mono text-stone-900">
            {state.secret}
          </code>
          <Button variant="secondary" size="sm" className="mt-2" onClick={() => navigator.clipboard?.writeText(state.secret!)}>
            Copy
          </Button>
        </div>
      )}
    </div>
  );
}
