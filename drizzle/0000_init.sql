CREATE TYPE "public"."event_source" AS ENUM('api_key', 'admin', 'activity', 'attendance', 'system');--> statement-breakpoint
CREATE TYPE "public"."metric_aggregation" AS ENUM('count', 'sum', 'max', 'latest', 'distinct', 'current_streak', 'longest_streak', 'boolean');--> statement-breakpoint
CREATE TYPE "public"."metric_window" AS ENUM('all_time', 'calendar_year', 'calendar_month', 'calendar_week');--> statement-breakpoint
CREATE TYPE "public"."streak_unit" AS ENUM('events', 'days');--> statement-breakpoint
CREATE TYPE "public"."achievement_category" AS ENUM('milestone', 'activity', 'streak', 'social', 'events', 'annual', 'trading', 'competition', 'special');--> statement-breakpoint
CREATE TYPE "public"."backfill_kind" AS ENUM('achievement', 'metric');--> statement-breakpoint
CREATE TYPE "public"."backfill_status" AS ENUM('pending', 'running', 'done', 'failed');--> statement-breakpoint
CREATE TYPE "public"."comparator" AS ENUM('gte', 'gt', 'lte', 'lt', 'eq', 'bool');--> statement-breakpoint
CREATE TYPE "public"."consumable_type" AS ENUM('exp', 'points', 'item', 'currency', 'boost');--> statement-breakpoint
CREATE TYPE "public"."repeat_period" AS ENUM('weekly', 'monthly', 'yearly');--> statement-breakpoint
CREATE TYPE "public"."trigger_type" AS ENUM('activity_count', 'hours_total', 'contacts_reached', 'events_attended', 'streak_days', 'points_total', 'badges_earned', 'rules', 'manual', 'annual_summary');--> statement-breakpoint
CREATE TYPE "public"."generation_status" AS ENUM('pending', 'processing', 'ready', 'failed');--> statement-breakpoint
CREATE TABLE "activity_types" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_types_slug_format" CHECK ("activity_types"."slug" ~ '^[a-z][a-z0-9_]*$'),
	CONSTRAINT "activity_types_name_not_empty" CHECK (length(btrim("activity_types"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "advantage_parameters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"hourly_rate" numeric(12, 2) NOT NULL,
	"currency" text DEFAULT 'NOK' NOT NULL,
	"source" text NOT NULL,
	"benefit_categories" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "advantage_parameters_rate_non_negative" CHECK ("advantage_parameters"."hourly_rate" >= 0),
	CONSTRAINT "advantage_parameters_year_range" CHECK ("advantage_parameters"."year" between 2000 and 2100),
	CONSTRAINT "advantage_parameters_currency_format" CHECK ("advantage_parameters"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"modules" text[] DEFAULT '{}'::text[] NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"currency" text DEFAULT 'NOK' NOT NULL,
	"locale" text DEFAULT 'en' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organizations_slug_format" CHECK ("organizations"."slug" ~ '^[a-z0-9][a-z0-9-]*$'),
	CONSTRAINT "organizations_name_not_empty" CHECK (length(btrim("organizations"."name")) > 0),
	CONSTRAINT "organizations_currency_format" CHECK ("organizations"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"permissions" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_by_id" uuid,
	"last_used_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"expire" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "roles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"permissions" text[] DEFAULT '{}'::text[] NOT NULL,
	"is_participant" boolean DEFAULT false NOT NULL,
	"is_built_in" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "roles_org_key_key" UNIQUE NULLS NOT DISTINCT("organization_id","key"),
	CONSTRAINT "roles_key_format" CHECK ("roles"."key" ~ '^[a-z][a-z0-9_]*$'),
	CONSTRAINT "roles_name_not_empty" CHECK (length(btrim("roles"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "sign_in_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid,
	"role_id" uuid NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text,
	"locale" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"last_sign_in_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_id_org_key" UNIQUE("id","organization_id"),
	CONSTRAINT "users_email_format" CHECK ("users"."email" ~ '^[^@\s]+@[^@\s]+$'),
	CONSTRAINT "users_display_name_not_empty" CHECK (length(btrim("users"."display_name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "activities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"activity_type_id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"duration_minutes" integer NOT NULL,
	"contact_ref" text,
	"notes" text,
	"event_id" uuid,
	"created_by_id" uuid,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activities_duration_range" CHECK ("activities"."duration_minutes" between 0 and 1440)
);
--> statement-breakpoint
CREATE TABLE "event_attendances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"event_ref" text NOT NULL,
	"event_name" text NOT NULL,
	"attended_at" timestamp with time zone NOT NULL,
	"event_id" uuid,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"type" text NOT NULL,
	"value" numeric,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"idempotency_key" text,
	"payload_hash" text,
	"source" "event_source" NOT NULL,
	"retracted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metric_definitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"event_types" text[] NOT NULL,
	"aggregation" "metric_aggregation" NOT NULL,
	"distinct_attribute" text,
	"filter" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"window" "metric_window" DEFAULT 'all_time' NOT NULL,
	"streak_unit" "streak_unit",
	"reset_event_types" text[] DEFAULT '{}'::text[] NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metric_definitions_org_key_key" UNIQUE NULLS NOT DISTINCT("organization_id","key"),
	CONSTRAINT "metric_definitions_key_format" CHECK ("metric_definitions"."key" ~ '^[a-z][a-z0-9_]*$'),
	CONSTRAINT "metric_definitions_name_not_empty" CHECK (length(btrim("metric_definitions"."name")) > 0),
	CONSTRAINT "metric_definitions_event_types_not_empty" CHECK (cardinality("metric_definitions"."event_types") > 0),
	CONSTRAINT "metric_definitions_distinct_needs_attribute" CHECK (("metric_definitions"."aggregation" = 'distinct') = ("metric_definitions"."distinct_attribute" is not null)),
	CONSTRAINT "metric_definitions_streak_needs_unit" CHECK (("metric_definitions"."aggregation" in ('current_streak', 'longest_streak')) = ("metric_definitions"."streak_unit" is not null))
);
--> statement-breakpoint
CREATE TABLE "metric_distinct_members" (
	"user_id" uuid NOT NULL,
	"metric_id" uuid NOT NULL,
	"window_key" text NOT NULL,
	"member" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metric_distinct_members_pkey" PRIMARY KEY("user_id","metric_id","window_key","member")
);
--> statement-breakpoint
CREATE TABLE "metric_values" (
	"user_id" uuid NOT NULL,
	"metric_id" uuid NOT NULL,
	"window_key" text NOT NULL,
	"organization_id" uuid NOT NULL,
	"value" numeric DEFAULT 0 NOT NULL,
	"state" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metric_values_pkey" PRIMARY KEY("user_id","metric_id","window_key")
);
--> statement-breakpoint
CREATE TABLE "achievement_rewards" (
	"achievement_id" uuid NOT NULL,
	"consumable_id" uuid NOT NULL,
	"quantity" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "achievement_rewards_pkey" PRIMARY KEY("achievement_id","consumable_id"),
	CONSTRAINT "achievement_rewards_quantity_positive" CHECK ("achievement_rewards"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "achievement_rule_links" (
	"achievement_id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	CONSTRAINT "achievement_rule_links_pkey" PRIMARY KEY("achievement_id","rule_id")
);
--> statement-breakpoint
CREATE TABLE "achievement_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid,
	"name" text NOT NULL,
	"metric_id" uuid NOT NULL,
	"comparator" "comparator" NOT NULL,
	"target" numeric NOT NULL,
	"weight" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "achievement_rules_weight_range" CHECK ("achievement_rules"."weight" between 0 and 100),
	CONSTRAINT "achievement_rules_name_not_empty" CHECK (length(btrim("achievement_rules"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "achievements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"icon_url" text,
	"category" "achievement_category" NOT NULL,
	"trigger_type" "trigger_type" NOT NULL,
	"trigger_threshold" integer,
	"trigger_metadata" jsonb,
	"trigger_metric_id" uuid,
	"points" integer DEFAULT 0 NOT NULL,
	"is_repeatable" boolean DEFAULT false NOT NULL,
	"repeat_period" "repeat_period",
	"is_active" boolean DEFAULT true NOT NULL,
	"is_hidden" boolean DEFAULT false NOT NULL,
	"expires_at" timestamp with time zone,
	"requires_module" text,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idx_achievements_org_key" UNIQUE NULLS NOT DISTINCT("organization_id","key"),
	CONSTRAINT "achievements_key_format" CHECK ("achievements"."key" ~ '^[a-z][a-z0-9_]{0,63}$'),
	CONSTRAINT "achievements_name_not_empty" CHECK (length(btrim("achievements"."name")) > 0),
	CONSTRAINT "achievements_points_non_negative" CHECK ("achievements"."points" >= 0),
	CONSTRAINT "achievements_repeat_period_requires_repeatable" CHECK ("achievements"."repeat_period" is null or "achievements"."is_repeatable"),
	CONSTRAINT "achievements_threshold_required_for_count_triggers" CHECK ("achievements"."trigger_type" not in ('activity_count', 'hours_total', 'contacts_reached', 'events_attended', 'streak_days', 'points_total', 'badges_earned') or coalesce("achievements"."trigger_threshold", 0) > 0)
);
--> statement-breakpoint
CREATE TABLE "backfill_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "backfill_kind" DEFAULT 'achievement' NOT NULL,
	"achievement_id" uuid,
	"metric_id" uuid,
	"organization_id" uuid,
	"requested_by_id" uuid,
	"notify_users" boolean DEFAULT false NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"status" "backfill_status" DEFAULT 'pending' NOT NULL,
	"matched_count" integer,
	"awarded_count" integer,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "backfill_runs_target" CHECK (("backfill_runs"."kind" = 'achievement' and "backfill_runs"."achievement_id" is not null) or ("backfill_runs"."kind" = 'metric' and "backfill_runs"."metric_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "consumables" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid,
	"name" text NOT NULL,
	"type" "consumable_type" NOT NULL,
	"value" numeric NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consumables_name_not_empty" CHECK (length(btrim("consumables"."name")) > 0),
	CONSTRAINT "consumables_value_non_negative" CHECK ("consumables"."value" >= 0)
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"type" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"data" jsonb,
	"user_achievement_id" uuid,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reward_ledger" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"user_achievement_id" uuid,
	"consumable_id" uuid,
	"type" "consumable_type" NOT NULL,
	"quantity" integer NOT NULL,
	"unit_value" numeric NOT NULL,
	"description" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reward_ledger_quantity_positive" CHECK ("reward_ledger"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "user_achievements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"achievement_id" uuid NOT NULL,
	"period_key" text DEFAULT 'all' NOT NULL,
	"progress" smallint DEFAULT 0 NOT NULL,
	"completed_at" timestamp with time zone,
	"points_awarded" integer DEFAULT 0 NOT NULL,
	"triggering_event_id" uuid,
	"granted_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_achievements_progress_range" CHECK ("user_achievements"."progress" between 0 and 100),
	CONSTRAINT "user_achievements_points_non_negative" CHECK ("user_achievements"."points_awarded" >= 0),
	CONSTRAINT "user_achievements_completed_is_full" CHECK ("user_achievements"."completed_at" is null or "user_achievements"."progress" = 100)
);
--> statement-breakpoint
CREATE TABLE "annual_summaries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"total_activities" integer DEFAULT 0 NOT NULL,
	"total_hours" numeric(10, 2) DEFAULT 0 NOT NULL,
	"total_contacts_reached" integer DEFAULT 0 NOT NULL,
	"total_events_attended" integer DEFAULT 0 NOT NULL,
	"badges_earned_count" integer DEFAULT 0 NOT NULL,
	"top_activity_type" text,
	"most_active_month" integer,
	"streak_days" integer,
	"highlight_moments" jsonb,
	"monthly_activity_counts" jsonb,
	"generation_status" "generation_status" DEFAULT 'pending' NOT NULL,
	"is_preview" boolean DEFAULT false NOT NULL,
	"generated_at" timestamp with time zone,
	"viewed_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "annual_summaries_year_range_valid" CHECK ("annual_summaries"."year" between 2000 and 2100),
	CONSTRAINT "annual_summaries_non_negative_counts" CHECK ("annual_summaries"."total_activities" >= 0 and "annual_summaries"."total_hours" >= 0 and "annual_summaries"."total_contacts_reached" >= 0
        and "annual_summaries"."total_events_attended" >= 0 and "annual_summaries"."badges_earned_count" >= 0
        and coalesce("annual_summaries"."streak_days", 0) >= 0),
	CONSTRAINT "annual_summaries_monthly_counts_array_length" CHECK ("annual_summaries"."monthly_activity_counts" is null or (jsonb_typeof("annual_summaries"."monthly_activity_counts") = 'array'
        and jsonb_array_length("annual_summaries"."monthly_activity_counts") = 12)),
	CONSTRAINT "annual_summaries_most_active_month_range" CHECK ("annual_summaries"."most_active_month" is null or "annual_summaries"."most_active_month" between 1 and 12),
	CONSTRAINT "annual_summaries_highlight_moments_array" CHECK ("annual_summaries"."highlight_moments" is null or jsonb_typeof("annual_summaries"."highlight_moments") = 'array'),
	CONSTRAINT "annual_summaries_ready_not_preview" CHECK (not ("annual_summaries"."is_preview" and "annual_summaries"."generation_status" = 'ready'))
);
--> statement-breakpoint
CREATE TABLE "advantage_calculations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"calculation_date" timestamp with time zone NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"total_activities" integer DEFAULT 0 NOT NULL,
	"total_hours" numeric(10, 2) DEFAULT 0 NOT NULL,
	"estimated_monetary_value" numeric(14, 2),
	"social_impact_score" numeric(10, 2),
	"contacts_helped" integer,
	"advantage_breakdown" jsonb,
	"calculation_version" text NOT NULL,
	"organization_id" uuid NOT NULL,
	"hourly_rate" numeric(12, 2),
	"currency" text DEFAULT 'NOK' NOT NULL,
	"rate_source" text,
	"is_stale" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "advantage_calculations_period_start_before_end" CHECK ("advantage_calculations"."period_start" < "advantage_calculations"."period_end"),
	CONSTRAINT "advantage_calculations_non_negative_totals" CHECK ("advantage_calculations"."total_activities" >= 0 and "advantage_calculations"."total_hours" >= 0 and coalesce("advantage_calculations"."contacts_helped", 0) >= 0
        and coalesce("advantage_calculations"."estimated_monetary_value", 0) >= 0 and coalesce("advantage_calculations"."social_impact_score", 0) >= 0)
);
--> statement-breakpoint
ALTER TABLE "activity_types" ADD CONSTRAINT "activity_types_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advantage_parameters" ADD CONSTRAINT "advantage_parameters_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roles" ADD CONSTRAINT "roles_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_in_codes" ADD CONSTRAINT "sign_in_codes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_activity_type_id_activity_types_id_fk" FOREIGN KEY ("activity_type_id") REFERENCES "public"."activity_types"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_user_org_fk" FOREIGN KEY ("user_id","organization_id") REFERENCES "public"."users"("id","organization_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_attendances" ADD CONSTRAINT "event_attendances_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_attendances" ADD CONSTRAINT "event_attendances_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_attendances" ADD CONSTRAINT "event_attendances_user_org_fk" FOREIGN KEY ("user_id","organization_id") REFERENCES "public"."users"("id","organization_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_user_org_fk" FOREIGN KEY ("user_id","organization_id") REFERENCES "public"."users"("id","organization_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_definitions" ADD CONSTRAINT "metric_definitions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_distinct_members" ADD CONSTRAINT "metric_distinct_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_distinct_members" ADD CONSTRAINT "metric_distinct_members_metric_id_metric_definitions_id_fk" FOREIGN KEY ("metric_id") REFERENCES "public"."metric_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_values" ADD CONSTRAINT "metric_values_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_values" ADD CONSTRAINT "metric_values_metric_id_metric_definitions_id_fk" FOREIGN KEY ("metric_id") REFERENCES "public"."metric_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_values" ADD CONSTRAINT "metric_values_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "achievement_rewards" ADD CONSTRAINT "achievement_rewards_achievement_id_achievements_id_fk" FOREIGN KEY ("achievement_id") REFERENCES "public"."achievements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "achievement_rewards" ADD CONSTRAINT "achievement_rewards_consumable_id_consumables_id_fk" FOREIGN KEY ("consumable_id") REFERENCES "public"."consumables"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "achievement_rule_links" ADD CONSTRAINT "achievement_rule_links_achievement_id_achievements_id_fk" FOREIGN KEY ("achievement_id") REFERENCES "public"."achievements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "achievement_rule_links" ADD CONSTRAINT "achievement_rule_links_rule_id_achievement_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."achievement_rules"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "achievement_rules" ADD CONSTRAINT "achievement_rules_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "achievement_rules" ADD CONSTRAINT "achievement_rules_metric_id_metric_definitions_id_fk" FOREIGN KEY ("metric_id") REFERENCES "public"."metric_definitions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "achievements" ADD CONSTRAINT "achievements_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "achievements" ADD CONSTRAINT "achievements_trigger_metric_id_metric_definitions_id_fk" FOREIGN KEY ("trigger_metric_id") REFERENCES "public"."metric_definitions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backfill_runs" ADD CONSTRAINT "backfill_runs_achievement_id_achievements_id_fk" FOREIGN KEY ("achievement_id") REFERENCES "public"."achievements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backfill_runs" ADD CONSTRAINT "backfill_runs_metric_id_metric_definitions_id_fk" FOREIGN KEY ("metric_id") REFERENCES "public"."metric_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backfill_runs" ADD CONSTRAINT "backfill_runs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backfill_runs" ADD CONSTRAINT "backfill_runs_requested_by_id_users_id_fk" FOREIGN KEY ("requested_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consumables" ADD CONSTRAINT "consumables_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_achievement_id_user_achievements_id_fk" FOREIGN KEY ("user_achievement_id") REFERENCES "public"."user_achievements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_org_fk" FOREIGN KEY ("user_id","organization_id") REFERENCES "public"."users"("id","organization_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_ledger" ADD CONSTRAINT "reward_ledger_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_ledger" ADD CONSTRAINT "reward_ledger_user_achievement_id_user_achievements_id_fk" FOREIGN KEY ("user_achievement_id") REFERENCES "public"."user_achievements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_ledger" ADD CONSTRAINT "reward_ledger_consumable_id_consumables_id_fk" FOREIGN KEY ("consumable_id") REFERENCES "public"."consumables"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_ledger" ADD CONSTRAINT "reward_ledger_user_org_fk" FOREIGN KEY ("user_id","organization_id") REFERENCES "public"."users"("id","organization_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_achievements" ADD CONSTRAINT "user_achievements_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_achievements" ADD CONSTRAINT "user_achievements_achievement_id_achievements_id_fk" FOREIGN KEY ("achievement_id") REFERENCES "public"."achievements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_achievements" ADD CONSTRAINT "user_achievements_triggering_event_id_events_id_fk" FOREIGN KEY ("triggering_event_id") REFERENCES "public"."events"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_achievements" ADD CONSTRAINT "user_achievements_granted_by_id_users_id_fk" FOREIGN KEY ("granted_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_achievements" ADD CONSTRAINT "user_achievements_user_org_fk" FOREIGN KEY ("user_id","organization_id") REFERENCES "public"."users"("id","organization_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annual_summaries" ADD CONSTRAINT "annual_summaries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annual_summaries" ADD CONSTRAINT "annual_summaries_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annual_summaries" ADD CONSTRAINT "annual_summaries_user_org_fk" FOREIGN KEY ("user_id","organization_id") REFERENCES "public"."users"("id","organization_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advantage_calculations" ADD CONSTRAINT "advantage_calculations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advantage_calculations" ADD CONSTRAINT "advantage_calculations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advantage_calculations" ADD CONSTRAINT "advantage_calculations_user_org_fk" FOREIGN KEY ("user_id","organization_id") REFERENCES "public"."users"("id","organization_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "activity_types_org_slug_key" ON "activity_types" USING btree ("organization_id","slug");--> statement-breakpoint
CREATE INDEX "activity_types_org_sort_idx" ON "activity_types" USING btree ("organization_id","sort_order");--> statement-breakpoint
CREATE UNIQUE INDEX "advantage_parameters_org_year_key" ON "advantage_parameters" USING btree ("organization_id","year");--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_slug_key" ON "organizations" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_secret_hash_key" ON "api_keys" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "api_keys_org_idx" ON "api_keys" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "sign_in_codes_user_idx" ON "sign_in_codes" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "users_org_role_idx" ON "users" USING btree ("organization_id","role_id");--> statement-breakpoint
CREATE INDEX "activities_user_occurred_idx" ON "activities" USING btree ("user_id","occurred_at");--> statement-breakpoint
CREATE INDEX "activities_org_occurred_idx" ON "activities" USING btree ("organization_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "event_attendances_user_event_key" ON "event_attendances" USING btree ("user_id","event_ref");--> statement-breakpoint
CREATE INDEX "event_attendances_org_attended_idx" ON "event_attendances" USING btree ("organization_id","attended_at");--> statement-breakpoint
CREATE UNIQUE INDEX "events_org_idempotency_key" ON "events" USING btree ("organization_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "events_user_type_occurred_idx" ON "events" USING btree ("user_id","type","occurred_at");--> statement-breakpoint
CREATE INDEX "events_org_occurred_idx" ON "events" USING btree ("organization_id","occurred_at");--> statement-breakpoint
CREATE INDEX "metric_definitions_event_types_idx" ON "metric_definitions" USING gin ("event_types");--> statement-breakpoint
CREATE INDEX "metric_values_metric_window_value_idx" ON "metric_values" USING btree ("metric_id","window_key","value");--> statement-breakpoint
CREATE INDEX "achievement_rule_links_rule_idx" ON "achievement_rule_links" USING btree ("rule_id");--> statement-breakpoint
CREATE INDEX "achievement_rules_org_idx" ON "achievement_rules" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "achievement_rules_metric_idx" ON "achievement_rules" USING btree ("metric_id");--> statement-breakpoint
CREATE INDEX "idx_achievements_category" ON "achievements" USING btree ("category","sort_order");--> statement-breakpoint
CREATE INDEX "idx_achievements_trigger_type" ON "achievements" USING btree ("trigger_type","is_active");--> statement-breakpoint
CREATE INDEX "idx_achievements_org_active" ON "achievements" USING btree ("organization_id","is_active");--> statement-breakpoint
CREATE INDEX "achievements_trigger_metric_idx" ON "achievements" USING btree ("trigger_metric_id");--> statement-breakpoint
CREATE INDEX "backfill_runs_status_idx" ON "backfill_runs" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "backfill_runs_achievement_idx" ON "backfill_runs" USING btree ("achievement_id");--> statement-breakpoint
CREATE INDEX "consumables_org_idx" ON "consumables" USING btree ("organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_user_achievement_key" ON "notifications" USING btree ("user_achievement_id");--> statement-breakpoint
CREATE INDEX "notifications_user_created_idx" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "reward_ledger_award_consumable_key" ON "reward_ledger" USING btree ("user_achievement_id","consumable_id");--> statement-breakpoint
CREATE INDEX "reward_ledger_user_created_idx" ON "reward_ledger" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "user_achievements_user_achievement_period_key" ON "user_achievements" USING btree ("user_id","achievement_id","period_key");--> statement-breakpoint
CREATE INDEX "user_achievements_achievement_completed_idx" ON "user_achievements" USING btree ("achievement_id","completed_at");--> statement-breakpoint
CREATE INDEX "user_achievements_org_completed_idx" ON "user_achievements" USING btree ("organization_id","completed_at");--> statement-breakpoint
CREATE INDEX "user_achievements_event_idx" ON "user_achievements" USING btree ("triggering_event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "idx_annual_summaries_user_year" ON "annual_summaries" USING btree ("user_id","year");--> statement-breakpoint
CREATE INDEX "idx_annual_summaries_org_year" ON "annual_summaries" USING btree ("organization_id","year");--> statement-breakpoint
CREATE INDEX "idx_annual_summaries_status" ON "annual_summaries" USING btree ("generation_status");--> statement-breakpoint
CREATE INDEX "idx_advantage_calculations_user_id" ON "advantage_calculations" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "idx_advantage_calculations_user_period" ON "advantage_calculations" USING btree ("user_id","period_start","period_end");--> statement-breakpoint
CREATE INDEX "idx_advantage_calculations_calculation_date" ON "advantage_calculations" USING btree ("calculation_date");--> statement-breakpoint
CREATE INDEX "idx_advantage_calculations_organization_id" ON "advantage_calculations" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "advantage_calculations_stale_idx" ON "advantage_calculations" USING btree ("is_stale") WHERE "advantage_calculations"."is_stale";