import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/server/db/client";
import { authenticate, endSessions, sessionClaimOf } from "./authenticate";
import { parseTrustedProxies } from "./client-address";
import { clientAddressOf } from "./peer-address";

declare module "next-auth" {
  interface User {
    sessionVersion?: number;
  }
  interface Session {
    /** The user's session version when this session began (see users.session_version). */
    sessionVersion?: number;
  }
}

export class InvalidCredentials extends CredentialsSignin {
  code = "invalid_credentials";
}
export class TooManyAttempts extends CredentialsSignin {
  code = "too_many_attempts";
}

const credentialsSchema = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
});

/** Proxies whose X-Forwarded-For is believed (none by default: the socket's address is the client's). */
const trustedProxies = parseTrustedProxies(process.env.HEARTH_TRUSTED_PROXIES);

export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  logger: {
    // A wrong password is an expected outcome, already answered to the user: not a server error.
    error(error) {
      if (error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin") return;
      console.error(error);
    },
  },
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/signin" },
  providers: [
    Credentials({
      credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new InvalidCredentials();
        const ipAddress = clientAddressOf(request.headers, trustedProxies);
        const result = await authenticate(getDb(), { ...parsed.data, ipAddress });
        if (result.ok) {
          const { id, email, name } = result.user;
          return { id, email, name, sessionVersion: result.sessionVersion };
        }
        throw result.reason === "throttled" ? new TooManyAttempts() : new InvalidCredentials();
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      // At sign-in only: the token keeps the version it began with; server/auth/session.ts compares.
      if (user) token.sessionVersion = user.sessionVersion;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      session.sessionVersion = sessionClaimOf(token)?.sessionVersion;
      return session;
    },
  },
  events: {
    // Signing out ends every session of the user, this one included, on every device.
    async signOut(message) {
      const claim = "token" in message && message.token ? sessionClaimOf(message.token) : null;
      if (claim) await endSessions(getDb(), claim);
    },
  },
});
