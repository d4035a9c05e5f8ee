CREATE TABLE "catalog_version" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "catalog_version_one_row" CHECK ("catalog_version"."id" = 1)
);
--> statement-breakpoint
INSERT INTO "catalog_version" ("id", "version") VALUES (1, 0);
--> statement-breakpoint
-- Written by hand: drizzle-kit does not generate triggers. Any change to the catalog the intake caches
-- moves the version on, in the changing transaction, so it is seen exactly when the change is.
CREATE FUNCTION "bump_catalog_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "catalog_version" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "metric_definitions_catalog_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "metric_definitions"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalog_version"();
--> statement-breakpoint
CREATE TRIGGER "achievements_catalog_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "achievements"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalog_version"();
--> statement-breakpoint
CREATE TRIGGER "achievement_rules_catalog_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "achievement_rules"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalog_version"();
--> statement-breakpoint
CREATE TRIGGER "achievement_rule_links_catalog_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "achievement_rule_links"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalog_version"();
--> statement-breakpoint
CREATE TRIGGER "achievement_rewards_catalog_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "achievement_rewards"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalog_version"();
--> statement-breakpoint
CREATE TRIGGER "consumables_catalog_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "consumables"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalog_version"();
