"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { serverApi } from "@/server/api/request-context";
import { formRefusal, submittedValues, type FormState } from "./form-state";

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
    return { ...formRefusal(error), values: submittedValues(form) };
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
    return { ...formRefusal(error), values: submittedValues(form) };
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
    return { error: null, secret: token };
  } catch (error) {
    return formRefusal(error);
  }
}

export async function revokeCredentialAction(form: FormData) {
  const gatewayId = text(form, "gatewayId");
  const api = await serverApi("staff", `/admin/gateways/${gatewayId}`);
  await api.fleet.revokeCredential({ credentialId: text(form, "credentialId") });
  revalidatePath(`/admin/gateways/${gatewayId}`);
}
