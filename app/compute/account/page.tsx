import type { Metadata } from "next";
import Link from "next/link";
import { CreateApiKey, RevokeApiKey } from "@/components/compute/api-keys";
import { PageTitle } from "@/components/layout/app-shell";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatDate, formatDateTime } from "@/components/format";
import { serverApi, viewerZone } from "@/server/api/request-context";

export const metadata: Metadata = { title: "Account and API keys" };

export default async function AccountPage() {
  const api = await serverApi("customer", "/compute/account");
  const timeZone = await viewerZone();
  const [{ organization, members }, keys] = await Promise.all([api.account.overview(), api.compute.apiKeys()]);
  return (
    <>
      <PageTitle title={organization.name} subtitle={`Compute customer since ${formatDate(organization.createdAt, timeZone)}`} />
      <Card>
        <CardHeader
          title="API keys"
          description="For the REST API and the SDK. A key acts for the whole organization; it is stored hashed and shown only when created."
        />
        <CardContent>
          <p className="mb-3 text-sm">
            <Link href="/compute/api" className="font-medium text-brand-700 underline">
              REST API reference
            </Link>
            <span className="text-stone-600">: every operation, its parameters and answers.</span>
          </p>
          <CreateApiKey />
        </CardContent>
        <Table caption="API keys">
          <THead>
            <tr>
              <Th>Name</Th>
              <Th>Key</Th>
              <Th>Created</Th>
              <Th>Last used</Th>
              <Th>State</Th>
            </tr>
          </THead>
          <TBody>
            {keys.map((k) => (
              <Tr key={k.id}>
                <Td>{k.name}</Td>
                <Td className="whitespace-nowrap font-mono">{k.displayPrefix}</Td>
                <Td className="whitespace-nowrap">{formatDateTime(k.createdAt, timeZone)}</Td>
                <Td className="whitespace-nowrap">{k.lastUsedAt ? formatDateTime(k.lastUsedAt, timeZone) : "never"}</Td>
                {/* Positioned, so that the screen-reader text in it stays inside the table's scroll area on phones. */}
                <Td className="relative">
                  {k.revokedAt ? (
                    <span className="flex flex-col">
                      <Badge>revoked</Badge>
                      <span className="text-xs text-stone-600">{formatDateTime(k.revokedAt, timeZone)}</span>
                    </span>
                  ) : (
                    <span className="flex items-center gap-2">
                      <Badge tone="success">active</Badge>
                      <RevokeApiKey id={k.id} name={k.name} prefix={k.displayPrefix} />
                    </span>
                  )}
                </Td>
              </Tr>
            ))}
            {keys.length === 0 && (
              <tr>
                <Td colSpan={5} className="py-6 text-center text-stone-600">
                  No keys yet.
                </Td>
              </tr>
            )}
          </TBody>
        </Table>
      </Card>
      <Card className="mt-6">
        <CardHeader title="Members" description="People who can submit and follow work for this organization." />
        <Table caption="Members of the organization">
          <THead>
            <tr>
              <Th>Name</Th>
              <Th>E-mail</Th>
              <Th>Role</Th>
            </tr>
          </THead>
          <TBody>
            {members.map((m) => (
              <Tr key={m.id}>
                <Td>{m.name}</Td>
                <Td className="break-all">{m.email}</Td>
                <Td>
                  <Badge>{m.role}</Badge>
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>
    </>
  );
}
