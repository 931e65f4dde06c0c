import type { Metadata } from "next";
import { PageTitle } from "@/components/layout/app-shell";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatDate } from "@/components/format";
import { serverApi } from "@/server/api/request-context";

export const metadata: Metadata = { title: "Compute" };

export default async function ComputePage() {
  const api = await serverApi("customer", "/compute");
  const { organization, members } = await api.account.overview();
  return (
    <>
      <PageTitle title={organization.name} subtitle={`Compute customer since ${formatDate(organization.createdAt)}`} />
      <Card>
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
