"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { HistoryRange } from "@/server/domain/history-period";
import type { EnergyBar } from "@/server/domain/history-view";
import { HISTORY_COLOURS } from "./history-colours";
import { formatBarTick, formatPeriod } from "./history-format";

const AXIS = { fontSize: 12, fill: "#57534e" } as const;

/** The room's energy in kWh: a bar an hour, a day or a month (see energyBars). */
export function EnergyBarsChart({ range, bars, title }: { range: HistoryRange; bars: EnergyBar[]; title: string }) {
  const format = useFormatter();
  const units = useTranslations("common.units");
  return (
    <div className="h-40 w-full sm:h-48">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={bars} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} title={title}>
          <CartesianGrid stroke="#e7e5e4" vertical={false} />
          <XAxis
            dataKey="key"
            tick={AXIS}
            tickLine={false}
            minTickGap={8}
            interval="preserveStartEnd"
            tickFormatter={(key: string) => formatBarTick(format, range, key)}
          />
          <YAxis
            width={52}
            tick={AXIS}
            tickLine={false}
            axisLine={false}
            tickFormatter={(kWh: number) => format.number(kWh, { maximumFractionDigits: 3 })}
          />
          <Tooltip
            cursor={{ fill: "#f5f5f4" }}
            isAnimationActive={false}
            content={({ active, payload }) => {
              const bar = payload?.[0]?.payload as EnergyBar | undefined;
              if (!active || !bar) return null;
              return (
                <div className="rounded-md border border-stone-300 bg-white p-2 text-xs text-stone-900 shadow">
                  <p className="font-medium">{formatPeriod(format, bar.key)}</p>
                  <p className="tabular-nums">{units("kwh", { value: bar.energyWh / 1000 })}</p>
                </div>
              );
            }}
          />
          <Bar dataKey={(b: EnergyBar) => b.energyWh / 1000} fill={HISTORY_COLOURS.energy} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
