"use server";

import { TRPCError } from "@trpc/server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { ZodError } from "zod";
import { serverApi } from "@/server/api/request-context";
import { fieldErrorsOf } from "@/server/api/trpc";

export type FormState = { error: string | null; fieldErrors?: Record<string, string>; token?: string };

/** Turns a refused call into a message for the form; anything else is a real error. */
function refusal(error: unknown): FormState {
  if (error instanceof TRPCError) {
    const fieldErrors = error.cause instanceof ZodError ? fieldErrorsOf(error.cause) : undefined;
    return { error: fieldErrors ? "Check the highlighted fields." : error.message, fieldErrors };
  }
  throw error;
}

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

export async function registerGatewayAction(_: FormState, form: FormData): Promise<FormState> {
  const api = await serverApi("staff", "/admin/gateways");
  let gatewayId: string;
  try {
    const gateway = await api.fleet.registerGateway({
      buildingId: text(form, "buildingId"),
      dwellingLabel: text(form, "dwellingLabel") || undefined,
      serial: text(form, "serial"),
      firmwareVersion: text(form, "firmwareVersion"),
    });
    gatewayId = gateway.id;
  } catch (error) {
    return refusal(error);
  }
  redirect(`/admin/gateways/${gatewayId}`);
}

export async function registerRadiatorAction(_: FormState, form: FormData): Promise<FormState> {
  const gatewayId = text(form, "gatewayId");
  const api = await serverApi("staff", `/admin/gateways/${gatewayId}`);
  try {
    await api.fleet.registerRadiator({
      gatewayId,
      roomId: text(form, "roomId"),
      hardwareModelId: text(form, "hardwareModelId"),
      serial: text(form, "serial"),
      installedOn: text(form, "installedOn"),
    });
  } catch (error) {
    return refusal(error);
  }
  revalidatePath(`/admin/gateways/${gatewayId}`);
  return { error: null };
}

export async function issueCredentialAction(_: FormState, form: FormData): Promise<FormState> {
  const gatewayId = text(form, "gatewayId");
  const api = await serverApi("staff", `/admin/gateways/${gatewayId}`);
  try {
    const { token } = await api.fleet.issueCredential({ gatewayId });
    revalidatePath(`/admin/gateways/${gatewayId}`);
    return { error: null, token };
  } catch (error) {
    return refusal(error);
  }
}

export async function revokeCredentialAction(form: FormData) {
  const gatewayId = text(form, "gatewayId");
  const api = await serverApi("staff", `/admin/gateways/${gatewayId}`);
  await api.fleet.revokeCredential({ credentialId: text(form, "credentialId") });
  revalidatePath(`/admin/gateways/${gatewayId}`);
}
