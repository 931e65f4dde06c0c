export * from "./tenancy";
export * from "./fleet";
export * from "./compute";
export * from "./device";
export * from "./customer";
export * from "./heating";
export * from "./weather";
export * from "./refunds";
