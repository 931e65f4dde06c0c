import type { Metadata } from "next";
import Link from "next/link";
import { RegisterGatewayForm } from "@/components/admin/register-gateway-form";
import { PageTitle } from "@/components/layout/app-shell";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { FilterInput } from "@/components/ui/filters";
import { Pager } from "@/components/ui/pager";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { countOf, formatDateTime } from "@/components/format";
import { serverApi } from "@/server/api/request-context";
import { hasControlCharacters } from "@/server/domain/text";

export const metadata: Metadata = { title: "Gateways" };

const PAGE_SIZE = 50;

export default async function GatewaysPage({ searchParams }: { searchParams: Promise<{ q?: string; page?: string }> }) {
  const params = await searchParams;
  // A search the form could not have written (control characters) is no search, not a refused page.
  const search = typeof params.q === "string" && !hasControlCharacters(params.q) ? params.q.slice(0, 100) : "";
  const page = Math.max(1, Math.min(10_000, Number.parseInt(params.page ?? "1", 10) || 1));
  const api = await serverApi("staff", "/admin/gateways");
  const [{ rows, total }, buildings] = await Promise.all([
    api.fleet.gateways({ search, page, pageSize: PAGE_SIZE }),
    api.fleet.buildingOptions(),
  ]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const pageHref = (p: number) => `/admin/gateways?${new URLSearchParams({ ...(search ? { q: search } : {}), page: String(p) })}`;
  return (
    <>
      <PageTitle title="Gateways" subtitle={countOf(total, "gateway")} />
      <Card className="mb-6">
        <CardHeader title="Register a gateway" description="A gateway drives the radiators of one building or one flat." />
        <CardContent>
          <RegisterGatewayForm buildings={buildings} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader
          title="All gateways"
          actions={
            <form role="search" className="flex gap-2" action="/admin/gateways">
              <FilterInput id="q" name="q" label="Search gateways" size="sm" defaultValue={search} placeholder="Serial, building or site" />
              <button type="submit" className={buttonClasses("secondary", "sm")}>
                Search
              </button>
            </form>
          }
        />
        <Table caption="Gateways">
          <THead>
            <tr>
              <Th>Serial</Th>
              <Th>Where</Th>
              <Th numeric>Radiators</Th>
              <Th>Credential</Th>
              <Th>Last contact</Th>
            </tr>
          </THead>
          <TBody>
            {rows.map((g) => (
              <Tr key={g.id}>
                <Td>
                  <Link href={`/admin/gateways/${g.id}`} className="font-mono text-brand-700 underline">
                    {g.serial}
                  </Link>
                </Td>
                <Td>
                  {g.siteName} — {g.buildingName}
                  {g.dwellingLabel && <span className="text-stone-600"> · flat {g.dwellingLabel}</span>}
                </Td>
                <Td numeric>{g.radiatorCount}</Td>
                <Td>{g.activeCredentialCount > 0 ? <Badge tone="success">active</Badge> : <Badge>none</Badge>}</Td>
                <Td>{g.lastSeenAt ? formatDateTime(g.lastSeenAt) : "never"}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
        <Pager label="Pages" page={page} pages={pages} href={pageHref} />
      </Card>
    </>
  );
}
