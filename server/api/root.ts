import { accountRouter } from "./routers/account";
import { carbonRouter } from "./routers/carbon";
import { billingRouter } from "./routers/billing";
import { computeRouter } from "./routers/compute";
import { enrolmentRouter } from "./routers/enrolment";
import { fleetRouter } from "./routers/fleet";
import { gridIntensityRouter } from "./routers/grid-intensity";
import { heatingRouter } from "./routers/heating";
import { historyRouter } from "./routers/history";
import { homeRouter } from "./routers/home";
import { portfolioRouter } from "./routers/portfolio";
import { refundsRouter } from "./routers/refunds";
import { statementsRouter } from "./routers/statements";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  home: homeRouter,
  heating: heatingRouter,
  history: historyRouter,
  enrolment: enrolmentRouter,
  statements: statementsRouter,
  portfolio: portfolioRouter,
  fleet: fleetRouter,
  compute: computeRouter,
  carbon: carbonRouter,
  refunds: refundsRouter,
  gridIntensity: gridIntensityRouter,
  billing: billingRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
