import { z } from "zod";
import { countryCode, requiredText as text } from "@/server/domain/text";
import { GRID_CSV_MAX_CHARS, MAX_INTENSITY_G_PER_KWH } from "@/server/domain/grid-intensity-csv";
import {
  addGridIntensityVersion,
  importGridIntensity,
  listGridIntensityImports,
  listGridIntensityVersions,
} from "@/server/services/grid-intensity";
import { createTRPCRouter, staffProcedure } from "../trpc";


/** The grid's carbon intensity by country, for the operator's staff: annual versions and hourly series from grid operators' files. */
export const gridIntensityRouter = createTRPCRouter({
  /** Every annual version, by country, newest first, with its source, who added it and whether it is in force today. */
  versions: staffProcedure.query(({ ctx }) => listGridIntensityVersions(ctx.db)),

  /** A new annual version; existing versions are never changed. */
  addVersion: staffProcedure
    .input(
      z.object({
        country: countryCode,
        effectiveFrom: z.iso.date("Give the first day the figure applies as a date."),
        intensityMgPerKWh: z
          .int("The intensity is a whole number of mg per kWh (g/kWh with up to three decimals).")
          .min(0, "The intensity is zero or more.")
          .max(MAX_INTENSITY_G_PER_KWH * 1000, `The intensity is at most ${MAX_INTENSITY_G_PER_KWH} g/kWh.`),
        source: text("source", 200),
      }),
    )
    .mutation(({ ctx, input }) => addGridIntensityVersion(ctx.db, { ...input, userId: ctx.user.id })),

  /** The imports of hourly series, newest first. */
  imports: staffProcedure
    .input(z.object({ page: z.number().int().min(1).max(10_000).default(1), pageSize: z.number().int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => listGridIntensityImports(ctx.db, input)),

  /** Loads an hourly series (RTE's éCO2mix export or hour_start,intensity_g_per_kwh); a file with a bad line is refused whole, naming its lines. */
  importHourly: staffProcedure
    .input(
      z.object({
        country: countryCode,
        source: text("source", 200),
        fileName: text("file name", 255),
        csv: z.string().max(GRID_CSV_MAX_CHARS, "The file is larger than 5 MB: load it a few months at a time."),
      }),
    )
    .mutation(({ ctx, input }) => importGridIntensity(ctx.db, { ...input, userId: ctx.user.id })),
});
