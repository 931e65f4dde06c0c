"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const AXIS = { fontSize: 12, fill: "#57534e" } as const;
export const CARBON_COLOURS = { footprint: "#44403c", avoided: "#15803d" } as const;

export type CarbonMonthBar = { month: string; label: string; footprintG: number; avoidedG: number };

const grams = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat("en-GB", { notation: "compact", maximumFractionDigits: 2 });

/**
 * Each month's footprint beside the emissions its work avoided, in gCO2e: two bars a month, never
 * one netted into the other. The page gives the same figures in its table (the text alternative).
 */
export function CarbonMonthsChart({ bars, title }: { bars: CarbonMonthBar[]; title: string }) {
  return (
    <div className="h-64 w-full sm:h-72">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={bars} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} title={title} barGap={2}>
          <CartesianGrid stroke="#e7e5e4" vertical={false} />
          <XAxis dataKey="label" tick={AXIS} tickLine={false} interval="preserveStartEnd" minTickGap={4} />
          <YAxis width={52} tick={AXIS} tickLine={false} axisLine={false} tickFormatter={(g: number) => `${compact.format(g)} g`} />
          <Tooltip
            cursor={{ fill: "#f5f5f4" }}
            isAnimationActive={false}
            content={({ active, payload }) => {
              const bar = payload?.[0]?.payload as CarbonMonthBar | undefined;
              if (!active || !bar) return null;
              return (
                <div className="rounded-md border border-stone-300 bg-white p-2 text-xs text-stone-900 shadow">
                  <p className="font-medium">{bar.month}</p>
                  <p className="tabular-nums">Footprint {grams.format(bar.footprintG)} gCO2e</p>
                  <p className="tabular-nums">Avoided {grams.format(bar.avoidedG)} gCO2e</p>
                </div>
              );
            }}
          />
          <Legend wrapperStyle={{ fontSize: 13, color: "#1c1917" }} itemSorter={null} />
          <Bar dataKey="footprintG" name="Carbon footprint" fill={CARBON_COLOURS.footprint} isAnimationActive={false} />
          <Bar dataKey="avoidedG" name="Avoided, reported apart" fill={CARBON_COLOURS.avoided} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
