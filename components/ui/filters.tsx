import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { cn } from "./cn";

/**
 * The fields of a list's filter form (a GET form whose fields land in the URL). "md" fields carry
 * their label above them, `className` going to the pair; "sm" fields, for a filter in a card's
 * header, have a label for screen readers only, `className` going to the field.
 */
type FilterFieldProps = { id: string; label: string; size?: "md" | "sm"; className?: string };

const FIELD = "rounded-md border border-stone-300 bg-white px-2";
const SIZES = { md: "h-10 text-base sm:text-sm", sm: "h-8 text-sm" } as const;

function Labelled({ id, label, size, className, children }: Omit<FilterFieldProps, "size"> & { size: "md" | "sm"; children: ReactNode }) {
  if (size === "sm") {
    return (
      <>
        <label htmlFor={id} className="sr-only">
          {label}
        </label>
        {children}
      </>
    );
  }
  return (
    <div className={cn("flex flex-col gap-1", className)}>
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      {children}
    </div>
  );
}

export function FilterInput({
  id,
  label,
  size = "md",
  className,
  ...props
}: FilterFieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "size" | "className">) {
  return (
    <Labelled id={id} label={label} size={size} className={className}>
      <input id={id} className={cn(FIELD, SIZES[size], size === "sm" && className)} {...props} />
    </Labelled>
  );
}

export function FilterSelect({
  id,
  label,
  size = "md",
  className,
  options,
  ...props
}: FilterFieldProps &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, "id" | "size" | "className"> & {
    options: ReadonlyArray<{ value: string; label: string }>;
  }) {
  return (
    <Labelled id={id} label={label} size={size} className={className}>
      <select id={id} className={cn(FIELD, SIZES[size], size === "sm" && className)} {...props}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Labelled>
  );
}
