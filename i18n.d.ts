import type { Messages } from "@/messages";
import type { Locale } from "@/server/i18n/locales";

// Typed translations: a key that is not in the English messages fails typecheck.
declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
