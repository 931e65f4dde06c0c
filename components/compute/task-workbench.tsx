"use client";

import { createContext, useContext, useState, type ReactNode } from "react";

/** What the instance grid and the log tail share on a task's page: whose log to show. */
type Workbench = {
  logInstance: number | null;
  setLogInstance: (instanceNumber: number | null) => void;
  /** Shows an instance's log and brings the log into view. */
  showLogOf: (instanceNumber: number | null) => void;
};

const WorkbenchContext = createContext<Workbench>({ logInstance: null, setLogInstance: () => {}, showLogOf: () => {} });

export function TaskWorkbench({ children }: { children: ReactNode }) {
  const [logInstance, setLogInstance] = useState<number | null>(null);
  const showLogOf = (instanceNumber: number | null) => {
    setLogInstance(instanceNumber);
    document.getElementById("logs")?.scrollIntoView({ behavior: "smooth", block: "start" });
    document.getElementById("log-output")?.focus({ preventScroll: true });
  };
  return <WorkbenchContext.Provider value={{ logInstance, setLogInstance, showLogOf }}>{children}</WorkbenchContext.Provider>;
}

export const useWorkbench = () => useContext(WorkbenchContext);
