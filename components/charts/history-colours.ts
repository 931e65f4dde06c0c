/**
 * Colours of a room's history: each line at least 3:1 against white and against the darkest
 * heating band, and each drawn with its own dash, so colour is never the only difference.
 */
export const HISTORY_COLOURS = {
  roomTempC: "#1c1917",
  targetTempC: "#9a3412",
  outdoorTempC: "#075985",
  heat: "#f97316",
  energy: "#c2410c",
} as const;
