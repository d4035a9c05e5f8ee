import { type Database, rowsOf } from "@laurel/db";
import { sql } from "drizzle-orm";

/** How long relayed outbox rows are kept: the window in which failed deliveries can still be replayed. */
export const OUTBOX_RETENTION_DAYS = 30;

/**
 * Deletes outbox rows written more than `days` ago and relayed, with their finished deliveries, a batch
 * at a time (a row the relay or a delivery still waits on stays). Returns how many went.
 */
export async function pruneOutbox(db: Database, now: Date, days = OUTBOX_RETENTION_DAYS): Promise<number> {
  const before = new Date(now.getTime() - days * 86_400_000);
  let total = 0;
  for (;;) {
    const gone = await rowsOf(
      db.execute(sql`
        delete from "outbox" o
        where o.id in (
          select id from "outbox"
          where created_at < ${before.toISOString()}::timestamptz
            and not exists (select from "outbox_pending" p where p.id = "outbox".id)
            and not exists (select from "webhook_deliveries" d
                            where d.outbox_id = "outbox".id and d.status in ('pending', 'delivering'))
            and not exists (select from "email_deliveries" d
                            where d.outbox_id = "outbox".id and d.status in ('pending', 'delivering'))
          limit 5000)
        returning 1`),
    );
    total += gone.length;
    if (gone.length < 5000) return total;
  }
}
