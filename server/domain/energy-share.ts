/**
 * An instance's energy as people are shown it. The ledger meters each radiator and splits its
 * energy by core-seconds into whole Wh per attempt and hour, so one line can read 0 Wh and
 * another 2 Wh for the same work; summed per instance that rounding misleads, summed per task it
 * is exact. An instance is therefore shown its share of the task's metered energy by CPU time:
 * taskEnergyWh × instanceCoreSeconds / taskCoreSeconds.
 */
export function energyShareWh(instanceCoreSeconds: number, task: { coreSeconds: number; energyWh: number }): number {
  if (task.coreSeconds <= 0 || instanceCoreSeconds <= 0 || task.energyWh <= 0) return 0;
  return (task.energyWh * Math.min(instanceCoreSeconds, task.coreSeconds)) / task.coreSeconds;
}

const oneDecimal = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });

/** A share of energy to a resolution that says what it is: "< 0.1 Wh", "0.7 Wh", "12 Wh", "10.4 kWh". */
export function formatEnergyShareWh(energyWh: number): string {
  if (!Number.isFinite(energyWh) || energyWh <= 0) return "0 Wh";
  if (energyWh < 0.05) return "< 0.1 Wh";
  if (energyWh < 9.95) return `${oneDecimal.format(energyWh)} Wh`;
  if (energyWh < 10_000) return `${whole.format(energyWh)} Wh`;
  return `${oneDecimal.format(energyWh / 1000)} kWh`;
}

/** What the shown figure is, for a hint beside it. */
export const ENERGY_SHARE_HINT =
  "An instance's energy is its share of the task's metered energy by CPU time (core-seconds); the task's total is what the radiators' meters measured.";
