"use client";

import { useActionState, useId } from "react";
import { createApiKeyAction, revokeApiKeyAction } from "@/server/actions/compute";
import type { FormState } from "@/server/actions/form-state";
import { Button, buttonClasses } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormFooter } from "@/components/ui/form-footer";
import { Input } from "@/components/ui/input";
import { SecretPanel } from "@/components/ui/secret-panel";

/** Creates a named API key and shows it this once, with a copy button; the platform keeps only its hash. */
export function CreateApiKey() {
  const [state, action, pending] = useActionState<FormState, FormData>(createApiKeyAction, { error: null });
  const id = useId();
  return (
    <div className="flex flex-col gap-4">
      <form action={action} className="flex flex-wrap items-end gap-3">
        <Input
          id={`${id}-name`}
          name="keyName"
          label="Key name"
          hint="Where it will be used, e.g. render-farm CI."
          required
          maxLength={100}
          autoComplete="off"
          error={state.fieldErrors?.keyName}
          className="min-w-64 flex-1"
        />
        <FormFooter label="Create key" pendingLabel="Creating…" pending={pending} error={state.error} />
      </form>
      {state.secret && (
        <SecretPanel
          secret={state.secret}
          warning="Copy this key now: it will not be shown again. Anyone holding it can submit and cancel work for your organization."
          copyLabel="Copy key"
          testId="new-api-key"
        >
          Use it as <code className="font-mono">Authorization: &lt;key&gt;</code> with the REST API.
        </SecretPanel>
      )}
    </div>
  );
}

/** Revokes a key after a confirmation in a dialog. */
export function RevokeApiKey({ id, name, prefix }: { id: string; name: string; prefix: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(revokeApiKeyAction, { error: null });
  return (
    <Dialog
      title={`Revoke the key "${name}"?`}
      trigger={
        <>
          Revoke<span className="sr-only"> the key {name}</span>
        </>
      }
      triggerClassName={buttonClasses("danger", "sm")}
    >
      <form action={action} className="flex flex-col gap-4">
        <input type="hidden" name="id" value={id} />
        <p className="text-sm">
          Programs using <code className="font-mono">{prefix}</code> will be refused from now on. This cannot be undone; create a new key to replace it.
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" variant="danger" disabled={pending}>
            {pending ? "Revoking…" : "Revoke key"}
          </Button>
          <p role="status" className="text-sm text-red-700">
            {state.error}
          </p>
        </div>
      </form>
    </Dialog>
  );
}
