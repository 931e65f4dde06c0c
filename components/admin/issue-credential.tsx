"use client";

import { useActionState } from "react";
import { issueCredentialAction } from "@/server/actions/fleet";
import type { FormState } from "@/server/actions/form-state";
import { Button } from "@/components/ui/button";
import { SecretPanel } from "@/components/ui/secret-panel";

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
        <SecretPanel
          secret={state.secret}
          warning="Copy this credential into the gateway now: it will not be shown again."
          copyLabel="Copy"
          testId="gateway-token"
        />
      )}
    </div>
  );
}
