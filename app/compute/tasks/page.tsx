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
import { FilterDisclosure } from "@/components/ui/filter-disclosure";
import { FilterInput, FilterSelect } from "@/components/ui/filters";
import { Pager } from "@/components/ui/pager";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatDateTime, formatInteger } from "@/components/format";
import { serverApi, viewerZone } from "@/server/api/request-context";
import { hasControlCharacters } from "@/server/domain/text";

export const metadata: Metadata = { title: "Tasks" };

const PAGE_SIZE = 25;
const JOBS_PAGE_SIZE = 10;

type Params = { state?: string; tag?: string; profile?: string; from?: string; to?: string; q?: string; page?: string; jobs?: string };

// A filter the form could not have written (control characters) is no filter, not a refused page.
const one = (v: unknown, max = 100) => (typeof v === "string" && !hasControlCharacters(v) ? v.trim().slice(0, max) : "");
const pageOf = (v: unknown) => Math.max(1, Math.min(100_000, Number.parseInt(one(v), 10) || 1));

export default async function TasksPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  // The days of the filter are the viewer's, as are the times the page shows.
  const timeZone = await viewerZone();
  const filters = {
    state: ((TASK_STATES as readonly string[]).includes(one(params.state)) ? one(params.state) : "") as TaskState | "",
    tag: one(params.tag),
    profile: one(params.profile),
    from: startOfDayIn(one(params.from), timeZone) ? one(params.from) : "",
    to: startOfDayIn(one(params.to), timeZone) ? one(params.to) : "",
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
      createdFrom: filters.from ? (startOfDayIn(filters.from, timeZone) ?? undefined) : undefined,
      createdTo: filters.to ? (endOfDayIn(filters.to, timeZone) ?? undefined) : undefined,
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
  return (
    <>
      <PageTitle title="Tasks" subtitle={`${formatInteger(total)} ${activeFilters.length ? "matching" : "in all"} · newest first`} />
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <Link href="/compute/tasks/new" className={buttonClasses("primary")}>
          Submit a task
        </Link>
        <AutoRefresh active={anyActive} intervalMs={5000} timeZone={timeZone} />
      </div>
      <Card className="mb-6">
        <FilterDisclosure activeCount={activeFilters.length}>
          {/* Keyed by the filters, so that "Clear" and the back button reset what the fields show. */}
          <form key={JSON.stringify(filters)} role="search" aria-label="Filter tasks" action="/compute/tasks" className="grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-6">
            <FilterInput id="q" name="q" label="Search" defaultValue={filters.q} placeholder="Name, short name or id" className="lg:col-span-2" />
            <FilterSelect
              id="state"
              name="state"
              label="State"
              defaultValue={filters.state}
              options={[{ value: "", label: "Any state" }, ...TASK_STATES.map((s) => ({ value: s, label: TASK_STATE_LABELS[s] }))]}
            />
            <FilterSelect
              id="profile"
              name="profile"
              label="Profile"
              defaultValue={filters.profile}
              options={[{ value: "", label: "Any profile" }, ...profiles.map((p) => ({ value: p.name, label: p.name }))]}
            />
            <FilterInput id="tag" name="tag" label="Tag" defaultValue={filters.tag} className="lg:col-span-2" />
            <FilterInput id="from" name="from" label="Submitted from" type="date" defaultValue={filters.from} />
            <FilterInput id="to" name="to" label="Submitted until" type="date" defaultValue={filters.to} />
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
        </FilterDisclosure>
      </Card>
      <Card>
        <TaskTable tasks={tasks} caption="Tasks" timeZone={timeZone} />
        <Pager label="Pages of tasks" page={page} pages={pages} href={(p) => href({ page: p })} />
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
                  <Link href={`/compute/jobs/${j.id}`} className="font-medium text-brand-800 underline">
                    {j.name}
                  </Link>
                  <span className="block font-mono text-xs text-stone-600">{j.shortname ?? j.id.slice(0, 8)}</span>
                </Td>
                <Td>
                  <Badge tone={j.state === "Completed" ? "success" : j.state === "Active" ? "info" : "neutral"}>{j.state}</Badge>
                </Td>
                <Td numeric>{j.taskIds.length}</Td>
                <Td>{j.useDependencies ? "used" : "—"}</Td>
                <Td className="whitespace-nowrap">{formatDateTime(j.createdAt, timeZone)}</Td>
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
          <Pager
            label="Pages of jobs"
            page={jobsPage}
            pages={jobPages}
            href={(p) => href({ jobs: p })}
            previousLabel="Previous jobs"
            nextLabel="Next jobs"
          />
        )}
      </Card>
    </>
  );
}
