"use client";

import { useFormatter, useTranslations } from "next-intl";
import { CartesianGrid, ComposedChart, Line, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { HistoryRange } from "@/server/domain/history-period";
import type { HeatBand, TemperatureRow } from "@/server/domain/history-view";
import { HISTORY_COLOURS } from "./history-colours";
import { formatFigure, formatPeriod, formatTick } from "./history-format";

const AXIS = { fontSize: 12, fill: "#57534e" } as const;

type SeriesKey = "roomTempC" | "targetTempC" | "outdoorTempC";

type Props = {
  range: HistoryRange;
  startMs: number;
  endMs: number;
  rows: TemperatureRow[];
  bands: HeatBand[];
  ticks: number[];
  /** Tick instant → label of the period it starts. */
  tickLabels: Record<number, string>;
};

/**
 * Room temperature, target (stepped: it changes at a period's boundary) and outdoor temperature
 * over a range, with the periods the radiator heated shaded. The same figures are in a table
 * below it (the text alternative); this is the picture.
 */
export function RoomTemperatureChart({ range, startMs, endMs, rows, bands, ticks, tickLabels }: Props) {
  const format = useFormatter();
  const t = useTranslations("history.chart");
  // A period with readings between two without draws no line at all: it gets a dot.
  const lonelyDot = (key: SeriesKey) =>
    function LonelyDot({ index, cx, cy }: { index: number; cx?: number; cy?: number }) {
      const isolated = rows[index]?.[key] != null && rows[index - 1]?.[key] == null && rows[index + 1]?.[key] == null;
      if (!isolated || cx === undefined || cy === undefined) return null;
      return <circle key={`${key}-${index}`} cx={cx} cy={cy} r={3} fill={HISTORY_COLOURS[key]} />;
    };
  const line = (key: SeriesKey) => ({
    yAxisId: "temp",
    dataKey: key,
    name: t(key),
    stroke: HISTORY_COLOURS[key],
    dot: lonelyDot(key),
    isAnimationActive: false,
  });
  return (
    <div className="h-64 w-full sm:h-80">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} title={t("title")}>
          <CartesianGrid stroke="#e7e5e4" vertical={false} yAxisId="temp" />
          {bands.map((b) => (
            <ReferenceArea
              key={b.x1}
              x1={b.x1}
              x2={b.x2}
              yAxisId="temp"
              fill={HISTORY_COLOURS.heat}
              fillOpacity={b.opacity}
              strokeOpacity={0}
              ifOverflow="hidden"
            />
          ))}
          <XAxis
            dataKey="x"
            type="number"
            domain={[startMs, endMs]}
            allowDataOverflow
            ticks={ticks}
            tickFormatter={(x: number) => (tickLabels[x] ? formatTick(format, range, tickLabels[x]) : "")}
            tick={AXIS}
            minTickGap={12}
            tickLine={false}
          />
          <YAxis
            yAxisId="temp"
            width={40}
            tick={AXIS}
            tickLine={false}
            axisLine={false}
            allowDecimals={false}
            domain={["auto", "auto"]}
            tickFormatter={(v: number) => `${format.number(v)}°`}
          />
          <Tooltip content={({ active, payload }) => <TemperatureTooltip active={active} row={payload?.[0]?.payload} />} isAnimationActive={false} />
          <Line {...line("outdoorTempC")} strokeWidth={2} strokeDasharray="2 3" />
          <Line {...line("targetTempC")} type="step" strokeWidth={2} strokeDasharray="6 3" />
          <Line {...line("roomTempC")} type="monotone" strokeWidth={2.5} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

function TemperatureTooltip({ active, row }: { active: boolean; row?: TemperatureRow }) {
  const format = useFormatter();
  const t = useTranslations("history.chart");
  const units = useTranslations("common.units");
  if (!active || !row?.label) return null;
  const temp = (value: number | null) => (value === null ? t("noValue") : units("tempC", { value }));
  return (
    <div className="rounded-md border border-stone-300 bg-white p-2 text-xs text-stone-900 shadow">
      <p className="mb-1 font-medium">{formatPeriod(format, row.label)}</p>
      <dl className="grid grid-cols-[auto_auto] gap-x-3">
        <dt>{t("roomTempC")}</dt>
        <dd className="text-right tabular-nums">{temp(row.roomTempC)}</dd>
        <dt>{t("targetTempC")}</dt>
        <dd className="text-right tabular-nums">{temp(row.targetTempC)}</dd>
        <dt>{t("outdoorTempC")}</dt>
        <dd className="text-right tabular-nums">{temp(row.outdoorTempC)}</dd>
        <dt>{t("heating")}</dt>
        <dd className="text-right tabular-nums">
          {row.heatingShare === null ? formatFigure(format, null) : format.number(row.heatingShare, { style: "percent" })}
        </dd>
      </dl>
    </div>
  );
}
