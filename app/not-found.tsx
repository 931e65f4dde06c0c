import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-4 px-4">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-stone-700">This page does not exist, or it is not yours to see.</p>
      <Link href="/" className="text-brand-700 underline">
        Back to Hearth
      </Link>
    </main>
  );
}
