import type { Metadata } from "next";
import { AddRateForm, BudgetForm, GrantCreditsForm } from "@/components/admin/billing-forms";
import { PageTitle } from "@/components/layout/app-shell";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatDateTime } from "@/components/format";
import { serverApi, viewerZone } from "@/server/api/request-context";
import { formatEuros, rateInForce } from "@/server/domain/billing";

export const metadata: Metadata = { title: "Billing" };

export default async function AdminBillingPage() {
  const api = await serverApi("staff", "/admin/billing");
  const timeZone = await viewerZone();
  const [rates, accounts] = await Promise.all([api.billing.rateCard(), api.billing.accounts()]);
  const now = new Date();
  const inForce = new Set(["Flex", "OnDemand", "Reserved"].map((t) => rateInForce(rates, t as "Flex", now)?.id));
  const organizations = accounts.map((a) => ({ id: a.id, name: a.name }));
  return (
    <>
      <PageTitle title="Billing" subtitle="The rate card, and each customer's budget and prepaid credits. A rate is never changed: a new price is a new version, from a later day." />
      <Card className="mb-6">
        <CardHeader title="Customers" />
        <Table caption="Customers' billing" scrollable>
          <THead>
            <tr>
              <Th>Customer</Th>
              <Th numeric>This month</Th>
              <Th>Monthly budget</Th>
              <Th numeric>Prepaid credits</Th>
            </tr>
          </THead>
          <TBody>
            {accounts.map((a) => (
              <Tr key={a.id}>
                <Td>{a.name}</Td>
                <Td numeric>{formatEuros(a.monthChargedCents)}</Td>
                <Td>{a.budget ? `${formatEuros(a.budget.monthlyBudgetCents)}, ${a.budget.policy === "block" ? "refuses overruns" : "alerts only"}` : "none"}</Td>
                <Td numeric>{formatEuros(a.creditBalanceCents)}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>
      <div className="mb-6 grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="Set a budget" description="Judged at each submission: this month's charges plus the task's estimate." />
          <CardContent>
            <BudgetForm organizations={organizations} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader title="Grant credits" description="A new entry of the credits ledger; a correction is another entry." />
          <CardContent>
            <GrantCreditsForm organizations={organizations} />
          </CardContent>
        </Card>
      </div>
      <Card className="mb-6">
        <CardHeader title="Add a rate version" description="Charges are priced at the version in force when each attempt ends." />
        <CardContent>
          <AddRateForm />
        </CardContent>
      </Card>
      <Card>
        <CardHeader title="Rate card" />
        <Table caption="Rate card versions" scrollable>
          <THead>
            <tr>
              <Th>Scheduling</Th>
              <Th numeric>Per core-hour</Th>
              <Th>Effective from</Th>
              <Th>Label</Th>
              <Th>Status</Th>
            </tr>
          </THead>
          <TBody>
            {[...rates].reverse().map((r) => (
              <Tr key={r.id}>
                <Td>{r.schedulingType}</Td>
                <Td numeric>{formatEuros(r.rateCentsPerCoreHour)}</Td>
                <Td className="whitespace-nowrap">{formatDateTime(r.effectiveFrom, timeZone)}</Td>
                <Td>{r.label}</Td>
                <Td>
                  {inForce.has(r.id) ? (
                    <Badge tone="success">in force</Badge>
                  ) : r.effectiveFrom > now ? (
                    <Badge tone="neutral">coming</Badge>
                  ) : (
                    <Badge tone="neutral">replaced</Badge>
                  )}
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>
    </>
  );
}
