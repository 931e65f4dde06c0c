import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/server/db/client";
import { authenticate, endSession, sessionClaimOf } from "./authenticate";
import { parseTrustedProxies } from "./client-address";
import { clientAddressOf } from "./peer-address";

declare module "next-auth" {
  interface User {
    sessionId?: string;
  }
  interface Session {
    /** The sign-in this session began with (see user_sessions). */
    sessionId?: string;
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
          return { id, email, name, sessionId: result.sessionId };
        }
        throw result.reason === "throttled" ? new TooManyAttempts() : new InvalidCredentials();
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      // At sign-in only: the token keeps the session it began with; server/auth/session.ts checks it is open.
      if (user) token.sessionId = user.sessionId;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      session.sessionId = sessionClaimOf(token)?.sessionId;
      return session;
    },
  },
  events: {
    // Signing out ends this session at once: its token is refused from now on, even if kept.
    async signOut(message) {
      const claim = "token" in message && message.token ? sessionClaimOf(message.token) : null;
      if (claim) await endSession(getDb(), claim);
    },
  },
});
