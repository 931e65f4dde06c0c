import type { Metadata } from "next";
import { IssueCredential } from "@/components/admin/issue-credential";
import { RegisterRadiatorForm } from "@/components/admin/register-radiator-form";
import { PageTitle } from "@/components/layout/app-shell";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Pager } from "@/components/ui/pager";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { countOf, formatCalendarDay, formatDateTime, formatDuration, formatInteger, formatOneDecimal, formatPowerW } from "@/components/format";
import { orNotFound, serverApi } from "@/server/api/request-context";
import { revokeCredentialAction } from "@/server/actions/fleet";

export const metadata: Metadata = { title: "Gateway" };

const ANOMALY_PAGE_SIZE = 20;

const ANOMALY_REASONS: Record<string, string> = {
  exceeds_hardware_power: "more than the hardware can draw",
};

export default async function GatewayPage({
  params,
  searchParams,
}: {
  params: Promise<{ gatewayId: string }>;
  searchParams: Promise<{ anomalyPage?: string }>;
}) {
  const { gatewayId } = await params;
  const anomalyPage = Math.max(1, Math.min(10_000, Number.parseInt((await searchParams).anomalyPage ?? "1", 10) || 1));
  const api = await serverApi("staff", `/admin/gateways/${gatewayId}`);
  const detail = await orNotFound(api.fleet.gateway({ gatewayId }));
  const [models, anomalies] = await Promise.all([
    api.fleet.hardwareModels(),
    api.fleet.meterAnomalies({ gatewayId, page: anomalyPage, pageSize: ANOMALY_PAGE_SIZE }),
  ]);
  const anomalyPages = Math.max(1, Math.ceil(anomalies.total / ANOMALY_PAGE_SIZE));
  const anomalyHref = (p: number) => `/admin/gateways/${gatewayId}?anomalyPage=${p}`;
  const { gateway, radiators, credentials, roomOptions } = detail;
  return (
    <>
      <PageTitle
        back={{ href: "/admin/gateways", label: "All gateways" }}
        title={`Gateway ${gateway.serial}`}
        subtitle={`${gateway.siteName} — ${gateway.buildingName}${gateway.dwellingLabel ? `, flat ${gateway.dwellingLabel}` : ""} · firmware ${gateway.firmwareVersion} · last contact ${gateway.lastSeenAt ? formatDateTime(gateway.lastSeenAt) : "never"}`}
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader
            title="Credentials"
            description="The gateway signs its reports with one. Revoking takes effect at its next report."
          />
          <CardContent className="flex flex-col gap-4">
            <IssueCredential gatewayId={gateway.id} />
            <Table caption="Credentials of this gateway">
              <THead>
                <tr>
                  <Th>Key</Th>
                  <Th>Issued</Th>
                  <Th>Last used</Th>
                  <Th>State</Th>
                </tr>
              </THead>
              <TBody>
                {credentials.map((c) => (
                  <Tr key={c.id}>
                    <Td className="font-mono">hgw_{c.tokenPrefix}_…</Td>
                    <Td>{formatDateTime(c.createdAt)}</Td>
                    <Td>{c.lastUsedAt ? formatDateTime(c.lastUsedAt) : "never"}</Td>
                    <Td>
                      {c.revokedAt ? (
                        <Badge>revoked</Badge>
                      ) : (
                        <form action={revokeCredentialAction} className="flex items-center gap-2">
                          <Badge tone="success">active</Badge>
                          <input type="hidden" name="gatewayId" value={gateway.id} />
                          <input type="hidden" name="credentialId" value={c.id} />
                          <button type="submit" className={buttonClasses("danger", "sm")}>
                            Revoke<span className="sr-only"> hgw_{c.tokenPrefix}</span>
                          </button>
                        </form>
                      )}
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          </CardContent>
        </Card>
        <Card>
          <CardHeader title="Register a radiator" description="In a room that this gateway serves." />
          <CardContent>
            <RegisterRadiatorForm gatewayId={gateway.id} rooms={roomOptions} models={models} />
          </CardContent>
        </Card>
      </div>
      <Card className="mt-6">
        <CardHeader title="Radiators" description={`${countOf(radiators.length, "radiator")} on this gateway`} />
        <Table caption="Radiators of this gateway">
          <THead>
            <tr>
              <Th>Serial</Th>
              <Th>Room</Th>
              <Th>Model</Th>
              <Th>Installed</Th>
              <Th>Room (setpoint)</Th>
              <Th>Power</Th>
              <Th>Cores running</Th>
              <Th>Last reading</Th>
            </tr>
          </THead>
          <TBody>
            {radiators.map((r) => (
              <Tr key={r.id}>
                <Td className="whitespace-nowrap font-mono">{r.serial}</Td>
                <Td>{r.dwellingLabel ? `${r.dwellingLabel} — ${r.roomName}` : r.roomName}</Td>
                <Td>{r.model}</Td>
                <Td className="whitespace-nowrap">{formatCalendarDay(r.installedOn)}</Td>
                <Td className="whitespace-nowrap">
                  {r.roomTempC === null ? "—" : `${formatOneDecimal(r.roomTempC)} °C`}
                  {r.setpointC === null ? null : <span className="text-stone-600"> ({formatOneDecimal(r.setpointC)} °C)</span>}
                </Td>
                <Td className="whitespace-nowrap">{r.powerW === null ? "—" : formatPowerW(r.powerW)}</Td>
                <Td>
                  {r.coresActive === null ? (
                    "—"
                  ) : (
                    <>
                      <span className="whitespace-nowrap">
                        {r.coresActive} of {r.cores}
                      </span>{" "}
                      <span className="whitespace-nowrap text-stone-600">
                        wanted {r.coresWanted}, for work {r.coresAssigned}
                      </span>
                    </>
                  )}
                </Td>
                <Td className="whitespace-nowrap">{r.lastReadingAt ? formatDateTime(r.lastReadingAt) : "never"}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>
      <Card className="mt-6">
        <CardHeader
          title="Meter anomalies"
          description={
            anomalies.total === 0
              ? "None open: every counter delta of these radiators was within what their hardware can draw."
              : `${anomalies.total} open: counter deltas beyond what the hardware can draw, held out of bills and refunds.`
          }
        />
        {anomalies.total > 0 && (
          <>
            <Table caption="Open meter anomalies of this gateway's radiators">
              <THead>
                <tr>
                  <Th>Radiator</Th>
                  <Th>When</Th>
                  <Th numeric>Delta</Th>
                  <Th numeric>Plausible at most</Th>
                  <Th>Reason</Th>
                </tr>
              </THead>
              <TBody>
                {anomalies.rows.map((a) => (
                  <Tr key={a.id}>
                    <Td className="whitespace-nowrap font-mono">{a.radiatorSerial}</Td>
                    <Td className="whitespace-nowrap">
                      {formatDateTime(a.periodEnd)}{" "}
                      <span className="text-stone-600">(over {formatDuration((a.periodEnd.getTime() - a.periodStart.getTime()) / 1000)})</span>
                    </Td>
                    <Td numeric className="whitespace-nowrap">
                      {formatInteger(a.deltaWh)} Wh
                    </Td>
                    <Td numeric className="whitespace-nowrap">
                      {formatInteger(a.maxPlausibleWh)} Wh <span className="text-stone-600">({formatPowerW(a.maxPowerW)} max)</span>
                    </Td>
                    <Td>
                      <Badge tone="warning">{ANOMALY_REASONS[a.reason] ?? a.reason}</Badge>
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
            {anomalyPages > 1 && <Pager label="Pages of meter anomalies" page={anomalyPage} pages={anomalyPages} href={anomalyHref} />}
          </>
        )}
      </Card>
    </>
  );
}
