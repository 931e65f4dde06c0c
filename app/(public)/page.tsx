import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { getSessionUser } from "@/server/auth/session";
import { HOME_PATH_BY_ROLE } from "@/server/auth/roles";

export default async function LandingPage() {
  const user = await getSessionUser();
  return (
    <main className="mx-auto flex min-h-dvh max-w-3xl flex-col justify-center gap-6 px-4 py-12">
      <p className="text-lg font-bold text-brand-700">Hearth</p>
      <h1 className="text-3xl font-semibold sm:text-4xl">Computers that heat homes.</h1>
      <p className="text-lg text-stone-700">
        Radiators with servers inside sit in social-housing flats. Compute customers pay to run their batch jobs
        on them; the heat warms the rooms, and residents get back the electricity the radiators used. Landlords
        watch their buildings, and the operator runs the fleet.
      </p>
      <div>
        {user ? (
          <Link href={HOME_PATH_BY_ROLE[user.role]} className={buttonClasses("primary", "lg")}>
            Continue as {user.name}
          </Link>
        ) : (
          <Link href="/signin" className={buttonClasses("primary", "lg")}>
            Sign in
          </Link>
        )}
      </div>
    </main>
  );
}
