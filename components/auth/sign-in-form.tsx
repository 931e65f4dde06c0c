"use client";

import { useActionState } from "react";
import { signInAction, type SignInState } from "@/server/auth/actions";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

const initialState: SignInState = { error: null, email: "" };

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState(signInAction, initialState);
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="next" value={next} />
      <Input
        id="email"
        name="email"
        type="email"
        label="E-mail"
        autoComplete="username"
        required
        defaultValue={state.email}
        key={state.email}
      />
      <Input id="password" name="password" type="password" label="Password" autoComplete="current-password" required />
      <div role="alert" aria-live="polite" className="min-h-5 text-sm text-red-700">
        {state.error}
      </div>
      <Button type="submit" size="lg" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
