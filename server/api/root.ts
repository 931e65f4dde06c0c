import { accountRouter } from "./routers/account";
import { computeRouter } from "./routers/compute";
import { fleetRouter } from "./routers/fleet";
import { heatingRouter } from "./routers/heating";
import { historyRouter } from "./routers/history";
import { homeRouter } from "./routers/home";
import { portfolioRouter } from "./routers/portfolio";
import { statementsRouter } from "./routers/statements";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  home: homeRouter,
  heating: heatingRouter,
  history: historyRouter,
  statements: statementsRouter,
  portfolio: portfolioRouter,
  fleet: fleetRouter,
  compute: computeRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
