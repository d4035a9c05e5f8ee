import { sql } from "drizzle-orm";
import { timestamp, uuid } from "drizzle-orm/pg-core";

/** Primary key: a random UUID made by the database, so rows inserted by raw SQL get one too. */
export const id = () => uuid("id").primaryKey().defaultRandom();

export const createdAt = () =>
  timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

/** Set by the database on insert; services set it on every update (`updatedAt: new Date()`). */
export const updatedAt = () =>
  timestamp("updated_at", { withTimezone: true, mode: "date" })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const emptyTextArray = sql`'{}'::text[]`;
export const emptyJsonObject = sql`'{}'::jsonb`;
