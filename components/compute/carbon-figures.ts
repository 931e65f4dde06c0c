/** Carbon figures as the labels write them (components/compute/carbon-label.tsx): already rounded by roundedFacts. */
const number = (digits: number) => new Intl.NumberFormat("en-GB", { maximumFractionDigits: digits });
export const formatGrams = (g: number) => `${number(2).format(g)} g`;
export const formatWh = (wh: number) => `${number(2).format(wh)} Wh`;
