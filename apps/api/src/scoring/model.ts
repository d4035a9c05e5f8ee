import { schema } from "@laurel/db";
import type { Catalog as KernelCatalog, Grant, ScoringTenant } from "@laurel/engine";

/** The scoring layer's types: the kernel's, on the API's rows. One of each. */

export type { AchievementRow, MetricRow } from "../lib/rows.js";
import type { AchievementRow } from "../lib/rows.js";
export type AwardRow = typeof schema.userAchievements.$inferSelect;
export type EventRow = typeof schema.events.$inferSelect;
export type EventSource = EventRow["source"];

/** An organization as scoring sees it: its id, zone and modules. */
export type Tenant = ScoringTenant;
/** A tenant's catalog at one version, on the API's achievement rows. */
export type Catalog = KernelCatalog<AchievementRow>;
/** An award as the API reports it: the row, its achievement, and the rewards it granted. */
export type Award = AwardRow & { achievement: AchievementRow; rewards: Grant[] };

export type { Grant, ProgressChange } from "@laurel/engine";
