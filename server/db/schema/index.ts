export * from "./tenancy";
export * from "./fleet";
