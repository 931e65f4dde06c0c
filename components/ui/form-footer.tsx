import { Button } from "./button";
import { cn } from "./cn";

/** A form's submit button, with progress while it runs and the form's error announced beside it. */
export function FormFooter({
  label,
  pendingLabel,
  pending,
  error,
  className,
}: {
  label: string;
  pendingLabel: string;
  pending: boolean;
  error: string | null;
  className?: string;
}) {
  return (
    <div className={cn("flex items-center gap-3", className)}>
      <Button type="submit" disabled={pending}>
        {pending ? pendingLabel : label}
      </Button>
      <p role="status" className="text-sm text-red-700">
        {error}
      </p>
    </div>
  );
}
