import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { type Database, rowsOf } from "@laurel/db";
import { sql } from "drizzle-orm";
import type { Express, Request, RequestHandler } from "express";
import type { Logger } from "../logger.js";
import { mailLanguage } from "../mail.js";
import { OPT_OUT_PAGE } from "./mail-messages.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The links in people's emails: the player app, and each person's opt-out link. The opt-out token is the
 * user's id and an HMAC-SHA256 of it under a key derived from LAUREL_TOKEN_SECRET (its own key: a token
 * for one purpose is never valid for another). It does not expire: an old email's link still works.
 */
export class PeopleLinks {
  private readonly key: Buffer;

  constructor(
    secret: string,
    /** Where people reach this API, e.g. `https://laurel.example.org` (no trailing slash). */
    readonly publicUrl: string,
  ) {
    this.key = Buffer.from(hkdfSync("sha256", secret, "", "laurel email opt-out", 32));
  }

  /** The player app's address, ending in `/`. */
  get appUrl(): string {
    return `${this.publicUrl}/player/`;
  }

  token(userId: string): string {
    return `${userId}.${this.mac(userId)}`;
  }

  optOutUrl(userId: string): string {
    return `${this.publicUrl}/email/opt-out?token=${encodeURIComponent(this.token(userId))}`;
  }

  /** The user a token was made for, or null for anything this server did not sign. */
  verify(token: unknown): string | null {
    if (typeof token !== "string" || token.length > 200) return null;
    const [userId, mac, ...rest] = token.split(".");
    if (!userId || !mac || rest.length > 0 || !UUID.test(userId)) return null;
    const expected = Buffer.from(this.mac(userId.toLowerCase()));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected) ? userId.toLowerCase() : null;
  }

  private mac(userId: string): string {
    return createHmac("sha256", this.key).update(`opt-out:${userId}`).digest("base64url");
  }
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

const page = (language: "en" | "nb", title: string, message: string) =>
  `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>
`;

/** The person's own language, else their organization's; for a link that names nobody, the browser's. */
const browserLanguage = (req: Request) => mailLanguage(req.acceptsLanguages("en", "nb", "no", "nn") || null);

/**
 * `GET /email/opt-out?token=...`, the link in every email about awards and Wrapped: turns those emails off
 * for the person (users.email_opt_out) and says so in their language. `POST` does the same for mail
 * clients' one-click unsubscribe (RFC 8058, the `List-Unsubscribe-Post` header). A token this server
 * did not sign is refused (400) and changes nothing. Sign-in codes are not affected.
 */
export function mountOptOut(app: Express, deps: { db: Database; links: PeopleLinks; logger: Logger }): void {
  const handler: RequestHandler = async (req, res) => {
    res.set("cache-control", "no-store");
    const userId = deps.links.verify(req.query.token);
    if (!userId) {
      const language = browserLanguage(req);
      const words = OPT_OUT_PAGE[language];
      res
        .status(400)
        .type("html")
        .send(page(language, words.invalidTitle, words.invalid));
      return;
    }
    try {
      // email-opt-out: the person's emails about awards and Wrapped turned off; their language and tenant's name for the page.
      const [row] = await rowsOf<{
        locale: string | null;
        org_locale: string | null;
        org_name: string | null;
      }>(
        deps.db.execute(sql`
          update "users" u set email_opt_out = true, updated_at = now()
          where u.id = ${userId}::uuid
          returning u.locale,
            (select o.locale from "organizations" o where o.id = u.organization_id) as org_locale,
            (select o.name from "organizations" o where o.id = u.organization_id) as org_name`),
      );
      const language = row ? mailLanguage(row.locale, row.org_locale) : browserLanguage(req);
      const words = OPT_OUT_PAGE[language];
      res
        .status(200)
        .type("html")
        .send(page(language, words.title, words.done(row?.org_name ?? "Laurel")));
    } catch (error) {
      deps.logger.error("Email opt-out failed", { error: String(error) });
      res.status(500).type("text").send("Something went wrong; try again later.");
    }
  };
  app.get("/email/opt-out", handler);
  app.post("/email/opt-out", handler);
}
