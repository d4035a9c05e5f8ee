ALTER TABLE "events" DROP CONSTRAINT "events_organization_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_organization_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "reward_ledger" DROP CONSTRAINT "reward_ledger_organization_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "user_achievements" DROP CONSTRAINT "user_achievements_organization_id_organizations_id_fk";
--> statement-breakpoint
DROP INDEX "events_org_occurred_idx";--> statement-breakpoint
DROP INDEX "metric_values_metric_window_value_idx";--> statement-breakpoint
DROP INDEX "user_achievements_org_completed_idx";--> statement-breakpoint
DROP INDEX "user_achievements_event_idx";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "lock_version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "metric_values_metric_window_idx" ON "metric_values" USING btree ("metric_id","window_key");--> statement-breakpoint
CREATE INDEX "user_achievements_org_completed_idx" ON "user_achievements" USING btree ("organization_id","completed_at") WHERE "user_achievements"."completed_at" is not null;--> statement-breakpoint
CREATE INDEX "user_achievements_event_idx" ON "user_achievements" USING btree ("triggering_event_id") WHERE "user_achievements"."triggering_event_id" is not null;
--> statement-breakpoint
-- Written by hand (drizzle-kit models neither storage parameters nor functions). Room on each page for
-- the next version of its rows, so the updates every event makes (a user's lock version, their progress
-- rows, their metric cells) stay on the page and add no index entries (HOT updates).
ALTER TABLE "users" SET (fillfactor = 80);
--> statement-breakpoint
ALTER TABLE "user_achievements" SET (fillfactor = 60);
--> statement-breakpoint
ALTER TABLE "metric_values" SET (fillfactor = 70);
--> statement-breakpoint
-- The intake's one-statement write (intake-sql.ts) calls this to undo itself when what it wrote differs
-- from what it planned (SQLSTATE LA001); the intake then takes the event under the user's lock.
CREATE FUNCTION "laurel_assert"("ok" boolean, "message" text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION '%', message USING ERRCODE = 'LA001';
  END IF;
  RETURN true;
END
$$;
