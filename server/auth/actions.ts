"use server";

import { eq } from "drizzle-orm";
import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { getDb } from "@/server/db/client";
import { users } from "@/server/db/schema";
import { normalizeEmail } from "./authenticate";
import { signIn, signOut, TooManyAttempts } from "./index";
import { isLocalPath } from "./paths";
import { HOME_PATH_BY_ROLE } from "./roles";

export type SignInState = { error: string | null; email: string };

const GENERIC_FAILURE = "E-mail or password is incorrect.";
const THROTTLED = "Too many failed attempts. Wait a few minutes, then try again.";

/** Where to go after signing in: the requested page if it belongs to the user's audience. */
function destination(role: keyof typeof HOME_PATH_BY_ROLE, next: string | null) {
  const home = HOME_PATH_BY_ROLE[role];
  if (next && isLocalPath(next) && (next === home || next.startsWith(`${home}/`) || next.startsWith(`${home}?`))) return next;
  return home;
}

export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "");
  const password = String(form.get("password") ?? "");
  if (!email.trim() || !password) return { error: "Enter your e-mail and your password.", email };
  try {
    await signIn("credentials", { email, password, redirect: false });
  } catch (error) {
    if (error instanceof AuthError) {
      const throttled = error instanceof TooManyAttempts || (error as { code?: string }).code === "too_many_attempts";
      return { error: throttled ? THROTTLED : GENERIC_FAILURE, email };
    }
    throw error;
  }
  const [user] = await getDb()
    .select({ role: users.role })
    .from(users)
    .where(eq(users.email, normalizeEmail(email)));
  if (!user) return { error: GENERIC_FAILURE, email };
  const next = form.get("next");
  redirect(destination(user.role, typeof next === "string" ? next : null));
}

export async function signOutAction() {
  await signOut({ redirectTo: "/signin" });
}
