import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "@/server/auth/demo-accounts";
import { getSessionUser } from "@/server/auth/session";
import { HOME_PATH_BY_ROLE } from "@/server/auth/roles";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const user = await getSessionUser();
  if (user) redirect(HOME_PATH_BY_ROLE[user.role]);
  const { next } = await searchParams;
  const demo = process.env.HEARTH_DEMO === "1";
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-6 px-4 py-10">
      <div>
        <p className="text-lg font-bold text-brand-700">Hearth</p>
        <h1 className="mt-2 text-2xl font-semibold">Sign in</h1>
      </div>
      <SignInForm next={typeof next === "string" ? next : ""} />
      {demo && (
        <Card>
          <CardHeader
            title="Demo accounts"
            description={
              <>
                Every account uses the password <code className="font-mono font-semibold">{DEMO_PASSWORD}</code>.
              </>
            }
          />
          <CardContent>
            <ul className="flex flex-col gap-2 text-sm">
              {DEMO_ACCOUNTS.map((a) => (
                <li key={a.email}>
                  <span className="font-mono">{a.email}</span>
                  <span className="block text-stone-600">{a.description}</span>
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>
      )}
    </main>
  );
}
