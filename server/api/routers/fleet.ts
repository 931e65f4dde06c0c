import { z } from "zod";
import {
  fleetTotals,
  getGateway,
  issueCredential,
  listBuildingOptions,
  listGateways,
  listHardwareModels,
  listMeterAnomalies,
  listSites,
  registerGateway,
  registerRadiator,
  revokeCredential,
} from "@/server/services/fleet";
import { noControlCharacters } from "@/server/domain/text";
import { createTRPCRouter, staffProcedure } from "../trpc";

const serialSchema = z
  .string()
  .trim()
  .min(3, "A serial has at least 3 characters.")
  .max(64, "A serial has at most 64 characters.")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "Use letters, digits, dots, dashes and underscores.");

/** The operator's view of the whole fleet. */
export const fleetRouter = createTRPCRouter({
  totals: staffProcedure.query(({ ctx }) => fleetTotals(ctx.db)),

  sites: staffProcedure.query(({ ctx }) => listSites(ctx.db)),

  hardwareModels: staffProcedure.query(({ ctx }) => listHardwareModels(ctx.db)),

  /** Buildings with their site, for the form that places gateways. */
  buildingOptions: staffProcedure.query(({ ctx }) => listBuildingOptions(ctx.db)),

  gateways: staffProcedure
    .input(
      z.object({
        search: noControlCharacters(z.string().trim().max(100)).default(""),
        page: z.number().int().min(1).max(10_000).default(1),
        pageSize: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) => listGateways(ctx.db, input)),

  gateway: staffProcedure.input(z.object({ gatewayId: z.uuid() })).query(({ ctx, input }) => getGateway(ctx.db, input)),

  /** Open meter anomalies of a gateway's radiators: energy held apart from bills and refunds until resolved. */
  meterAnomalies: staffProcedure
    .input(
      z.object({
        gatewayId: z.uuid(),
        page: z.number().int().min(1).max(10_000).default(1),
        pageSize: z.number().int().min(1).max(200).default(20),
      }),
    )
    .query(({ ctx, input }) => listMeterAnomalies(ctx.db, input)),

  registerGateway: staffProcedure
    .input(
      z.object({
        buildingId: z.uuid("Choose a building."),
        dwellingLabel: noControlCharacters(z.string().trim().max(32, "A dwelling label has at most 32 characters.")).optional(),
        serial: serialSchema,
        firmwareVersion: noControlCharacters(z.string().trim().min(1, "Give the firmware version.").max(32, "A firmware version has at most 32 characters.")),
      }),
    )
    .mutation(({ ctx, input }) => registerGateway(ctx.db, input)),

  registerRadiator: staffProcedure
    .input(
      z.object({
        gatewayId: z.uuid("Choose a gateway."),
        roomId: z.uuid("Choose a room."),
        hardwareModelId: z.uuid("Choose a hardware model."),
        serial: serialSchema,
        installedOn: z.iso.date("Give the installation date as a date."),
      }),
    )
    .mutation(({ ctx, input }) => registerRadiator(ctx.db, input)),

  /** The token is in this answer only; the platform keeps its hash. */
  issueCredential: staffProcedure
    .input(z.object({ gatewayId: z.uuid() }))
    .mutation(({ ctx, input }) => issueCredential(ctx.db, { gatewayId: input.gatewayId, createdByUserId: ctx.user.id })),

  /** `revoked: false` when it was already revoked. */
  revokeCredential: staffProcedure
    .input(z.object({ credentialId: z.uuid() }))
    .mutation(({ ctx, input }) => revokeCredential(ctx.db, { credentialId: input.credentialId, now: new Date() })),
});
