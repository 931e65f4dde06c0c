import { elsewhereNotice } from "@/server/auth/paths";

/** On a landing page: why it is shown instead of the other audience's page that was asked for. */
export function ElsewhereNotice({ param }: { param: string | string[] | undefined }) {
  const notice = elsewhereNotice(param);
  if (!notice) return null;
  return (
    <p role="status" data-testid="elsewhere-notice" className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      {notice}
    </p>
  );
}
