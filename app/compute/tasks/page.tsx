import type { Metadata } from "next";
import Link from "next/link";
import { AutoRefresh } from "@/components/compute/auto-refresh";
import { endOfDayIn, startOfDayIn } from "@/components/compute/dates";
import { isActiveTaskState, TASK_STATE_LABELS } from "@/components/compute/format";
import { TaskTable } from "@/components/compute/task-table";
import { TASK_STATES, type TaskState } from "@/components/compute/types";
import { PageTitle } from "@/components/layout/app-shell";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatDateTime, formatInteger } from "@/components/format";
import { serverApi } from "@/server/api/request-context";

export const metadata: Metadata = { title: "Tasks" };

const PAGE_SIZE = 25;
const JOBS_PAGE_SIZE = 10;

type Params = { state?: string; tag?: string; profile?: string; from?: string; to?: string; q?: string; page?: string; jobs?: string };

const one = (v: unknown, max = 100) => (typeof v === "string" ? v.trim().slice(0, max) : "");
const pageOf = (v: unknown) => Math.max(1, Math.min(100_000, Number.parseInt(one(v), 10) || 1));

export default async function TasksPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const filters = {
    state: ((TASK_STATES as readonly string[]).includes(one(params.state)) ? one(params.state) : "") as TaskState | "",
    tag: one(params.tag),
    profile: one(params.profile),
    from: startOfDayIn(one(params.from)) ? one(params.from) : "",
    to: startOfDayIn(one(params.to)) ? one(params.to) : "",
    q: one(params.q),
  };
  const page = pageOf(params.page);
  const jobsPage = pageOf(params.jobs);
  const api = await serverApi("customer", "/compute/tasks");
  const [{ total, tasks }, profiles, jobs] = await Promise.all([
    api.compute.tasks({
      page,
      pageSize: PAGE_SIZE,
      state: filters.state || undefined,
      tag: filters.tag || undefined,
      profile: filters.profile || undefined,
      createdFrom: filters.from ? (startOfDayIn(filters.from) ?? undefined) : undefined,
      createdTo: filters.to ? (endOfDayIn(filters.to) ?? undefined) : undefined,
      search: filters.q || undefined,
    }),
    api.compute.profiles(),
    api.compute.jobs({ page: jobsPage, pageSize: JOBS_PAGE_SIZE }),
  ]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const jobPages = Math.max(1, Math.ceil(jobs.total / JOBS_PAGE_SIZE));
  const activeFilters = Object.entries(filters).filter(([, v]) => v !== "");
  const href = (changes: Record<string, string | number>) => {
    const query = new URLSearchParams(Object.fromEntries(activeFilters));
    const merged: Record<string, string | number> = { page, jobs: jobsPage, ...changes };
    for (const [k, v] of Object.entries(merged)) {
      if (v === "" || v === 1) query.delete(k);
      else query.set(k, String(v));
    }
    const s = query.toString();
    return s ? `/compute/tasks?${s}` : "/compute/tasks";
  };
  const anyActive = tasks.some((t) => isActiveTaskState(t.state));
  const fieldClass = "h-10 rounded-md border border-stone-300 bg-white px-2 text-base sm:text-sm";
  return (
    <>
      <PageTitle title="Tasks" subtitle={`${formatInteger(total)} ${activeFilters.length ? "matching" : "in all"} · newest first`} />
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <Link href="/compute/tasks/new" className={buttonClasses("primary")}>
          Submit a task
        </Link>
        <AutoRefresh active={anyActive} intervalMs={5000} />
      </div>
      <Card className="mb-6">
        {/* Keyed by the filters, so that "Clear" and the back button reset what the fields show. */}
        <form key={JSON.stringify(filters)} role="search" aria-label="Filter tasks" action="/compute/tasks" className="grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-6">
          <div className="flex flex-col gap-1 lg:col-span-2">
            <label htmlFor="q" className="text-sm font-medium">
              Search
            </label>
            <input id="q" name="q" defaultValue={filters.q} placeholder="Name, short name or id" className={fieldClass} />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="state" className="text-sm font-medium">
              State
            </label>
            <select id="state" name="state" defaultValue={filters.state} className={fieldClass}>
              <option value="">Any state</option>
              {TASK_STATES.map((s) => (
                <option key={s} value={s}>
                  {TASK_STATE_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="profile" className="text-sm font-medium">
              Profile
            </label>
            <select id="profile" name="profile" defaultValue={filters.profile} className={fieldClass}>
              <option value="">Any profile</option>
              {profiles.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-col gap-1 lg:col-span-2">
            <label htmlFor="tag" className="text-sm font-medium">
              Tag
            </label>
            <input id="tag" name="tag" defaultValue={filters.tag} className={fieldClass} />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="from" className="text-sm font-medium">
              Submitted from
            </label>
            <input id="from" name="from" type="date" defaultValue={filters.from} className={fieldClass} />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="to" className="text-sm font-medium">
              Submitted until
            </label>
            <input id="to" name="to" type="date" defaultValue={filters.to} className={fieldClass} />
          </div>
          <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-4">
            <button type="submit" className={buttonClasses("secondary")}>
              Apply filters
            </button>
            {activeFilters.length > 0 && (
              <Link href="/compute/tasks" className={buttonClasses("ghost")}>
                Clear
              </Link>
            )}
          </div>
        </form>
      </Card>
      <Card>
        <TaskTable tasks={tasks} caption="Tasks" />
        <nav aria-label="Pages of tasks" className="flex items-center justify-between border-t border-stone-200 px-4 py-3 text-sm">
          <span>
            Page {page} of {pages}
          </span>
          <span className="flex gap-2">
            {page > 1 && (
              <Link className={buttonClasses("secondary", "sm")} href={href({ page: page - 1 })}>
                Previous
              </Link>
            )}
            {page < pages && (
              <Link className={buttonClasses("secondary", "sm")} href={href({ page: page + 1 })}>
                Next
              </Link>
            )}
          </span>
        </nav>
      </Card>
      <Card className="mt-6">
        <CardHeader title="Jobs" description="Groups of tasks, optionally run in the order of their dependencies." />
        <Table caption="Jobs">
          <THead>
            <tr>
              <Th>Job</Th>
              <Th>State</Th>
              <Th numeric>Tasks</Th>
              <Th>Dependencies</Th>
              <Th>Created</Th>
            </tr>
          </THead>
          <TBody>
            {jobs.jobs.map((j) => (
              <Tr key={j.id}>
                <Td>
                  {j.name}
                  <span className="block font-mono text-xs text-stone-600">{j.shortname ?? j.id.slice(0, 8)}</span>
                </Td>
                <Td>
                  <Badge tone={j.state === "Completed" ? "success" : j.state === "Active" ? "info" : "neutral"}>{j.state}</Badge>
                </Td>
                <Td numeric>{j.taskIds.length}</Td>
                <Td>{j.useDependencies ? "used" : "—"}</Td>
                <Td className="whitespace-nowrap">{formatDateTime(j.createdAt)}</Td>
              </Tr>
            ))}
            {jobs.jobs.length === 0 && (
              <tr>
                <Td colSpan={5} className="py-6 text-center text-stone-600">
                  No jobs yet: create one when you submit a task.
                </Td>
              </tr>
            )}
          </TBody>
        </Table>
        {jobPages > 1 && (
          <nav aria-label="Pages of jobs" className="flex items-center justify-between border-t border-stone-200 px-4 py-3 text-sm">
            <span>
              Page {jobsPage} of {jobPages}
            </span>
            <span className="flex gap-2">
              {jobsPage > 1 && (
                <Link className={buttonClasses("secondary", "sm")} href={href({ jobs: jobsPage - 1 })}>
                  Previous jobs
                </Link>
              )}
              {jobsPage < jobPages && (
                <Link className={buttonClasses("secondary", "sm")} href={href({ jobs: jobsPage + 1 })}>
                  Next jobs
                </Link>
              )}
            </span>
          </nav>
        )}
      </Card>
    </>
  );
}
