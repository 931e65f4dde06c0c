"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** Opens an instance of the grid by its number; `onGo` receives its index in `numbers`. */
export function GoToInstance({ numbers, onGo }: { numbers: number[]; onGo: (index: number) => void }) {
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | undefined>();
  const id = useId();
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const n = Number(value);
        const i = Number.isSafeInteger(n) ? numbers.indexOf(n) : -1;
        if (i < 0) setError(`This task has no instance ${value}.`);
        else {
          setError(undefined);
          onGo(i);
        }
      }}
    >
      <Input
        id={`${id}-go`}
        label="Instance number"
        inputMode="numeric"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        error={error}
        className="w-40"
      />
      <Button type="submit" variant="secondary">
        Show instance
      </Button>
    </form>
  );
}
