export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar.This scalar is serialized to a string in ISO 8601 format and parsed from a string in ISO 8601 format. */
  DateTimeISO: { input: string; output: string; }
  /** The `JSONObject` scalar type represents JSON objects as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSONObject: { input: Record<string, unknown>; output: Record<string, unknown>; }
};

/** An achievement (badge): seed 000's fields and seed 001's hidden, expiry, rules and rewards */
export type Achievement = {
  __typename?: 'Achievement';
  category: AchievementCategory;
  createdAt: Scalars['DateTimeISO']['output'];
  /** HTML from a small allowed set (p, br, strong, em, u, s, code, pre, blockquote, ul, ol, li, a href, h1-h6, span, mark, hr), as the admin panel's editor writes it, or plain text. Sanitize before rendering (e.g. DOMPurify with that list); never insert it as HTML unsanitized. */
  description: Scalars['String']['output'];
  expiresAt?: Maybe<Scalars['DateTimeISO']['output']>;
  iconUrl?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  isActive: Scalars['Boolean']['output'];
  isHidden: Scalars['Boolean']['output'];
  /** Platform-wide: read-only to organization admins */
  isPlatform: Scalars['Boolean']['output'];
  isRepeatable: Scalars['Boolean']['output'];
  /** Stable machine key, e.g. first_win */
  key: Scalars['String']['output'];
  name: Scalars['String']['output'];
  /** NULL: platform-wide, changed by Global Administrators only */
  organizationId?: Maybe<Scalars['ID']['output']>;
  points: Scalars['Int']['output'];
  repeatPeriod?: Maybe<RepeatPeriod>;
  requiresModule?: Maybe<Scalars['String']['output']>;
  rewards: Array<AchievementReward>;
  ruleIds: Array<Scalars['ID']['output']>;
  rules: Array<AchievementRule>;
  sortOrder: Scalars['Int']['output'];
  /** e.g. {"activity_type": "home_visit", "period": "calendar_year"} */
  triggerMetadata?: Maybe<Scalars['JSONObject']['output']>;
  /** For count-based triggers: the metric the threshold applies to */
  triggerMetricId?: Maybe<Scalars['ID']['output']>;
  triggerThreshold?: Maybe<Scalars['Int']['output']>;
  triggerType: TriggerType;
  updatedAt: Scalars['DateTimeISO']['output'];
  /** Rules of severity warning this achievement breaks (never blocking) */
  warnings: Array<ValidationIssue>;
};

/** Groups badges on the badges screen */
export type AchievementCategory =
  | 'activity'
  | 'annual'
  | 'competition'
  | 'events'
  | 'milestone'
  | 'social'
  | 'special'
  | 'streak'
  | 'trading';

/** How many times an achievement was earned */
export type AchievementCount = {
  __typename?: 'AchievementCount';
  achievementId: Scalars['ID']['output'];
  count: Scalars['Int']['output'];
  name: Scalars['String']['output'];
};

export type AchievementFilter = {
  category?: InputMaybe<AchievementCategory>;
  id?: InputMaybe<Scalars['ID']['input']>;
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  isActive?: InputMaybe<Scalars['Boolean']['input']>;
  isHidden?: InputMaybe<Scalars['Boolean']['input']>;
  isPlatform?: InputMaybe<Scalars['Boolean']['input']>;
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  q?: InputMaybe<Scalars['String']['input']>;
  triggerType?: InputMaybe<TriggerType>;
};

/** A reward an achievement grants, and how many */
export type AchievementReward = {
  __typename?: 'AchievementReward';
  consumableId: Scalars['ID']['output'];
  quantity: Scalars['Int']['output'];
};

export type AchievementRewardInput = {
  consumableId: Scalars['ID']['input'];
  /** Default 1 */
  quantity?: InputMaybe<Scalars['Int']['input']>;
};

/** One condition on one metric, with its weight (0-100) in an achievement's progress */
export type AchievementRule = {
  __typename?: 'AchievementRule';
  comparator: Comparator;
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  metric: Metric;
  metricId: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  organizationId?: Maybe<Scalars['ID']['output']>;
  target: Scalars['Float']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
  weight: Scalars['Int']['output'];
};

export type AchievementRuleFilter = {
  id?: InputMaybe<Scalars['ID']['input']>;
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  metricId?: InputMaybe<Scalars['ID']['input']>;
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  q?: InputMaybe<Scalars['String']['input']>;
};

/** What a peer mentor logged: a home visit, a call, an event ... */
export type Activity = {
  __typename?: 'Activity';
  activityType: ActivityType;
  activityTypeId: Scalars['ID']['output'];
  /** Pseudonymous reference to the contact helped */
  contactRef?: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['DateTimeISO']['output'];
  deletedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  durationMinutes: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  notes?: Maybe<Scalars['String']['output']>;
  occurredAt: Scalars['DateTimeISO']['output'];
  organizationId: Scalars['ID']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
  userId: Scalars['ID']['output'];
};

export type ActivityFilter = {
  activityTypeId?: InputMaybe<Scalars['ID']['input']>;
  /** Occurred at or after */
  from?: InputMaybe<Scalars['DateTimeISO']['input']>;
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Include deleted activities */
  includeDeleted?: InputMaybe<Scalars['Boolean']['input']>;
  /** Occurred before */
  to?: InputMaybe<Scalars['DateTimeISO']['input']>;
  userId?: InputMaybe<Scalars['ID']['input']>;
};

/** An activity logged or corrected, and the badges it unlocked */
export type ActivityResult = {
  __typename?: 'ActivityResult';
  activity: Activity;
  awards: Array<UserAchievement>;
  progress: Array<ProgressChange>;
};

/** A kind of activity peer mentors log: home visit, phone call, event ... */
export type ActivityType = {
  __typename?: 'ActivityType';
  createdAt: Scalars['DateTimeISO']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  isActive: Scalars['Boolean']['output'];
  name: Scalars['String']['output'];
  organizationId: Scalars['ID']['output'];
  slug: Scalars['String']['output'];
  sortOrder: Scalars['Int']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
};

export type ActivityTypeFilter = {
  id?: InputMaybe<Scalars['ID']['input']>;
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  isActive?: InputMaybe<Scalars['Boolean']['input']>;
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  q?: InputMaybe<Scalars['String']['input']>;
};

/** One benefit category of the advantage breakdown: quantity × rate */
export type AdvantageBreakdownItem = {
  __typename?: 'AdvantageBreakdownItem';
  /** hours, activities or contacts */
  basis: Scalars['String']['output'];
  key: Scalars['String']['output'];
  label: Scalars['String']['output'];
  quantity: Scalars['Float']['output'];
  rate: Scalars['Float']['output'];
  value: Scalars['Float']['output'];
};

/** Seed 004: the estimated value of a peer mentor's volunteer work in a year */
export type AdvantageCalculation = {
  __typename?: 'AdvantageCalculation';
  advantageBreakdown: Array<AdvantageBreakdownItem>;
  calculationDate: Scalars['DateTimeISO']['output'];
  calculationVersion: Scalars['String']['output'];
  contactsHelped?: Maybe<Scalars['Int']['output']>;
  currency: Scalars['String']['output'];
  /** Hours × the hourly rate; null when the organization set no rate */
  estimatedMonetaryValue?: Maybe<Scalars['Float']['output']>;
  hourlyRate?: Maybe<Scalars['Float']['output']>;
  id: Scalars['ID']['output'];
  organizationId: Scalars['ID']['output'];
  periodEnd: Scalars['DateTimeISO']['output'];
  periodStart: Scalars['DateTimeISO']['output'];
  /** Where the hourly rate comes from */
  rateSource?: Maybe<Scalars['String']['output']>;
  socialImpactScore?: Maybe<Scalars['Float']['output']>;
  totalActivities: Scalars['Int']['output'];
  totalHours: Scalars['Float']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
  userId: Scalars['ID']['output'];
  warnings: Array<ValidationIssue>;
  year: Scalars['Int']['output'];
};

export type AdvantageCalculationFilter = {
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  userId?: InputMaybe<Scalars['ID']['input']>;
};

/** An organization's advantage calculator parameters for one year, with their source */
export type AdvantageParameter = {
  __typename?: 'AdvantageParameter';
  benefitCategories: Array<BenefitCategory>;
  createdAt: Scalars['DateTimeISO']['output'];
  currency: Scalars['String']['output'];
  hourlyRate: Scalars['Float']['output'];
  id: Scalars['ID']['output'];
  organizationId: Scalars['ID']['output'];
  source: Scalars['String']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
  year: Scalars['Int']['output'];
};

export type AdvantageParameterFilter = {
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  year?: InputMaybe<Scalars['Int']['input']>;
};

/** Seed 002: a peer mentor's Wrapped for one calendar year */
export type AnnualSummary = {
  __typename?: 'AnnualSummary';
  badgesEarnedCount: Scalars['Int']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  generatedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** pending, processing, ready or failed */
  generationStatus: Scalars['String']['output'];
  highlightMoments: Array<HighlightMoment>;
  id: Scalars['ID']['output'];
  /** A year-to-date preview of the current year: never a full year */
  isPreview: Scalars['Boolean']['output'];
  /** 12 counts, January first */
  monthlyActivityCounts: Array<Scalars['Int']['output']>;
  /** 1-12 */
  mostActiveMonth?: Maybe<Scalars['Int']['output']>;
  organizationId: Scalars['ID']['output'];
  streakDays?: Maybe<Scalars['Int']['output']>;
  topActivityType?: Maybe<Scalars['String']['output']>;
  totalActivities: Scalars['Int']['output'];
  totalContactsReached: Scalars['Int']['output'];
  totalEventsAttended: Scalars['Int']['output'];
  totalHours: Scalars['Float']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
  userId: Scalars['ID']['output'];
  viewedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  warnings: Array<ValidationIssue>;
  year: Scalars['Int']['output'];
};

export type AnnualSummaryFilter = {
  generationStatus?: InputMaybe<Scalars['String']['input']>;
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  isPreview?: InputMaybe<Scalars['Boolean']['input']>;
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  userId?: InputMaybe<Scalars['ID']['input']>;
  year?: InputMaybe<Scalars['Int']['input']>;
};

/** A secret for a tenant's backend to report events. Only its hash is kept. */
export type ApiKey = {
  __typename?: 'ApiKey';
  createdAt: Scalars['DateTimeISO']['output'];
  expiresAt?: Maybe<Scalars['DateTimeISO']['output']>;
  id: Scalars['ID']['output'];
  lastUsedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  name: Scalars['String']['output'];
  organizationId: Scalars['ID']['output'];
  permissions: Array<Scalars['String']['output']>;
  /** The secret's first characters, to tell keys apart */
  prefix: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** The secret itself: returned once, by createApiKey, and never again */
  secret?: Maybe<Scalars['String']['output']>;
};

export type ApiKeyFilter = {
  /** Only keys that still work */
  active?: InputMaybe<Scalars['Boolean']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  q?: InputMaybe<Scalars['String']['input']>;
};

export type AttendanceResult = {
  __typename?: 'AttendanceResult';
  attendance: EventAttendance;
  awards: Array<UserAchievement>;
  /** True when it was recorded before: nothing was counted again */
  replayed: Scalars['Boolean']['output'];
};

/** A signed, expiring bearer token: send it as `Authorization: Bearer <token>` */
export type AuthPayload = {
  __typename?: 'AuthPayload';
  expiresAt: Scalars['DateTimeISO']['output'];
  token: Scalars['String']['output'];
  user: User;
};

/** Background work on history: an achievement backfill or a metric recompute */
export type BackfillRun = {
  __typename?: 'BackfillRun';
  achievementId?: Maybe<Scalars['ID']['output']>;
  awardedCount?: Maybe<Scalars['Int']['output']>;
  createdAt: Scalars['DateTimeISO']['output'];
  /** Counted only: nobody was awarded */
  dryRun: Scalars['Boolean']['output'];
  error?: Maybe<Scalars['String']['output']>;
  finishedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  id: Scalars['ID']['output'];
  /** achievement or metric */
  kind: Scalars['String']['output'];
  /** Users who qualify (achievement) or values computed (metric) */
  matchedCount?: Maybe<Scalars['Int']['output']>;
  metricId?: Maybe<Scalars['ID']['output']>;
  notifyUsers: Scalars['Boolean']['output'];
  organizationId?: Maybe<Scalars['ID']['output']>;
  startedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  status: BackfillStatus;
};

export type BackfillRunFilter = {
  achievementId?: InputMaybe<Scalars['ID']['input']>;
  status?: InputMaybe<Scalars['String']['input']>;
};

/** Where a background run is */
export type BackfillStatus =
  | 'done'
  | 'failed'
  | 'pending'
  | 'running';

/** A badge of the catalog as one user sees it */
export type Badge = {
  __typename?: 'Badge';
  achievementId: Scalars['ID']['output'];
  category: AchievementCategory;
  /** HTML from a small allowed set (p, br, strong, em, u, s, code, pre, blockquote, ul, ol, li, a href, h1-h6, span, mark, hr), as the admin panel's editor writes it, or plain text. Sanitize before rendering (e.g. DOMPurify with that list); never insert it as HTML unsanitized. */
  description: Scalars['String']['output'];
  /** When it was last earned */
  earnedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  expiresAt?: Maybe<Scalars['DateTimeISO']['output']>;
  iconUrl?: Maybe<Scalars['String']['output']>;
  /** @deprecated Always false: a hidden badge not yet earned is left out of the catalog; Standing.hiddenRemaining counts them */
  isMystery: Scalars['Boolean']['output'];
  isRepeatable: Scalars['Boolean']['output'];
  /** The achievement's key (never NULL since hidden badges not yet earned are left out) */
  key?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  periodKey: Scalars['String']['output'];
  points: Scalars['Int']['output'];
  /** 0-100 in the current period */
  progress: Scalars['Int']['output'];
  /** Share of the tenant's participants who earned it, 0-1 */
  rarity: Scalars['Float']['output'];
  repeatPeriod?: Maybe<RepeatPeriod>;
  rules: Array<BadgeRule>;
  sortOrder: Scalars['Int']['output'];
  state: BadgeState;
  /** How many times earned (repeatable badges: once per period) */
  timesEarned: Scalars['Int']['output'];
};

/** How far one rule of a badge is */
export type BadgeRule = {
  __typename?: 'BadgeRule';
  comparator: Comparator;
  holds: Scalars['Boolean']['output'];
  metricKey: Scalars['String']['output'];
  name: Scalars['String']['output'];
  /** What is left for gte and gt rules: "2 more" */
  remaining?: Maybe<Scalars['Float']['output']>;
  target: Scalars['Float']['output'];
  value: Scalars['Float']['output'];
  weight: Scalars['Int']['output'];
};

/** Where a user stands on a badge in its current period */
export type BadgeState =
  | 'EARNED'
  | 'IN_PROGRESS'
  | 'LOCKED';

/** A benefit category: rate per hour, per activity or per distinct contact */
export type BenefitCategory = {
  __typename?: 'BenefitCategory';
  /** hours, activities or contacts */
  basis: Scalars['String']['output'];
  key: Scalars['String']['output'];
  label: Scalars['String']['output'];
  rate: Scalars['Float']['output'];
};

export type BenefitCategoryInput = {
  basis: Scalars['String']['input'];
  key: Scalars['String']['input'];
  label: Scalars['String']['input'];
  rate: Scalars['Float']['input'];
};

/** gte (>=), gt (>), lte (<=), lt (<), eq (=), bool (true/false) */
export type Comparator =
  | 'bool'
  | 'eq'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte';

/** A reward item granted on completion, e.g. "50 XP Boost" */
export type Consumable = {
  __typename?: 'Consumable';
  createdAt: Scalars['DateTimeISO']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  organizationId?: Maybe<Scalars['ID']['output']>;
  type: ConsumableType;
  updatedAt: Scalars['DateTimeISO']['output'];
  value: Scalars['Float']['output'];
};

export type ConsumableFilter = {
  id?: InputMaybe<Scalars['ID']['input']>;
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  q?: InputMaybe<Scalars['String']['input']>;
  type?: InputMaybe<ConsumableType>;
};

/** The kind of reward */
export type ConsumableType =
  | 'boost'
  | 'currency'
  | 'exp'
  | 'item'
  | 'points';

/** The admin panel's dashboard: badges earned, and background work waiting */
export type DashboardStats = {
  __typename?: 'DashboardStats';
  /** Oldest week first, weeks with none included */
  badgesPerWeek: Array<WeeklyCount>;
  /** Active achievements earned least often (at most 5) */
  leastEarned: Array<AchievementCount>;
  /** Active achievements earned most often (at most 5) */
  mostEarned: Array<AchievementCount>;
  pendingBackfills: Scalars['Int']['output'];
  /** Annual summaries waiting to be made */
  pendingSummaries: Scalars['Int']['output'];
  runningBackfills: Scalars['Int']['output'];
};

/** PENDING: due at nextAttemptAt; DELIVERING: being posted; DELIVERED: the receiver answered 2xx; FAILED: every attempt failed (or 410 Gone) */
export type DeliveryStatus =
  | 'DELIVERED'
  | 'DELIVERING'
  | 'FAILED'
  | 'PENDING';

/** What an achievement.earned event tells, typed (the same as its `data`) */
export type EarnedAchievement = {
  __typename?: 'EarnedAchievement';
  achievement: EventAchievement;
  earnedAt: Scalars['DateTimeISO']['output'];
  /** The admin who granted it by hand, if one did */
  grantedById?: Maybe<Scalars['ID']['output']>;
  /** all for a one-off achievement, else the period it was earned for (2026, 2026-05 ...) */
  periodKey: Scalars['String']['output'];
  /** The event that completed it, if an event did */
  triggeringEventId?: Maybe<Scalars['ID']['output']>;
  userAchievementId: Scalars['ID']['output'];
};

/** Something that happened to a user: the input of every metric */
export type Event = {
  __typename?: 'Event';
  attributes: Scalars['JSONObject']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  idempotencyKey?: Maybe<Scalars['String']['output']>;
  occurredAt: Scalars['DateTimeISO']['output'];
  /** api_key, admin, activity, attendance or system */
  source: Scalars['String']['output'];
  type: Scalars['String']['output'];
  userId: Scalars['ID']['output'];
  value?: Maybe<Scalars['Float']['output']>;
};

/** An achievement as an event describes it, at the time of the event */
export type EventAchievement = {
  __typename?: 'EventAchievement';
  category: Scalars['String']['output'];
  /** A hidden achievement: only its holder (and admins) see it */
  hidden: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  key: Scalars['String']['output'];
  name: Scalars['String']['output'];
  points: Scalars['Int']['output'];
};

/** A user took part in an event */
export type EventAttendance = {
  __typename?: 'EventAttendance';
  attendedAt: Scalars['DateTimeISO']['output'];
  eventName: Scalars['String']['output'];
  eventRef: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  userId: Scalars['ID']['output'];
};

/** What an event did: the awards it completed and the progress it moved */
export type EventResult = {
  __typename?: 'EventResult';
  awards: Array<UserAchievement>;
  event: Event;
  progress: Array<ProgressChange>;
  /** True when the idempotency key was seen before: nothing was counted again */
  replayed: Scalars['Boolean']['output'];
};

export type Health = {
  __typename?: 'Health';
  /** pglite (embedded) or postgres */
  database: Scalars['String']['output'];
  /** How participants' sign-in codes are delivered: smtp, log (outside production, no mail transport) or unavailable (production without a mail transport: nobody can sign in with a code) */
  signInCodes: Scalars['String']['output'];
  /** ok, or degraded when the database does not answer */
  status: Scalars['String']['output'];
  version: Scalars['String']['output'];
};

/** A highlight of the year, for the Wrapped story */
export type HighlightMoment = {
  __typename?: 'HighlightMoment';
  /** YYYY-MM-DD, in the organization's zone */
  date: Scalars['String']['output'];
  description: Scalars['String']['output'];
  /** first_activity, badge_earned, milestone, busiest_day, longest_streak or year_to_date_preview */
  type: Scalars['String']['output'];
  value?: Maybe<Scalars['Float']['output']>;
};

/** A reward in a user's ledger */
export type LedgerEntry = {
  __typename?: 'LedgerEntry';
  consumableId?: Maybe<Scalars['ID']['output']>;
  createdAt: Scalars['DateTimeISO']['output'];
  description: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  quantity: Scalars['Int']['output'];
  type: Scalars['String']['output'];
  unitValue: Scalars['Float']['output'];
  userAchievementId?: Maybe<Scalars['ID']['output']>;
};

/** The count of a list, as react-admin's GraphQL adapter asks for it */
export type ListMetadata = {
  __typename?: 'ListMetadata';
  count: Scalars['Int']['output'];
};

/** A number per user derived from events; rules compare it with a target */
export type Metric = {
  __typename?: 'Metric';
  aggregation: MetricAggregation;
  createdAt: Scalars['DateTimeISO']['output'];
  description?: Maybe<Scalars['String']['output']>;
  /** For distinct: the attribute whose values are counted */
  distinctAttribute?: Maybe<Scalars['String']['output']>;
  /** Event types that feed it */
  eventTypes: Array<Scalars['String']['output']>;
  /** Attribute equalities an event must match, e.g. {"activity_type": "home_visit"} */
  filter: Scalars['JSONObject']['output'];
  id: Scalars['ID']['output'];
  isActive: Scalars['Boolean']['output'];
  key: Scalars['String']['output'];
  name: Scalars['String']['output'];
  /** NULL: shipped with Laurel, platform-wide */
  organizationId?: Maybe<Scalars['ID']['output']>;
  /** For streaks of events: event types that break the run */
  resetEventTypes: Array<Scalars['String']['output']>;
  streakUnit?: Maybe<StreakUnit>;
  updatedAt: Scalars['DateTimeISO']['output'];
  window: MetricWindow;
};

/** How a metric folds its events */
export type MetricAggregation =
  | 'boolean'
  | 'count'
  | 'current_streak'
  | 'distinct'
  | 'latest'
  | 'longest_streak'
  | 'max'
  | 'sum';

export type MetricFilter = {
  id?: InputMaybe<Scalars['ID']['input']>;
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  isActive?: InputMaybe<Scalars['Boolean']['input']>;
  /** Only the ones shipped with Laurel (or only not) */
  isBuiltIn?: InputMaybe<Scalars['Boolean']['input']>;
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  q?: InputMaybe<Scalars['String']['input']>;
};

/** The calendar window a metric counts in */
export type MetricWindow =
  | 'all_time'
  | 'calendar_month'
  | 'calendar_week'
  | 'calendar_year';

export type Mutation = {
  __typename?: 'Mutation';
  /** Records that a user took part in an event, once per event */
  attendEvent: AttendanceResult;
  /** Awards an achievement to the users who already qualify, in the background. With dryRun, only counts them, and answers at once. */
  backfillAchievement: BackfillRun;
  createAchievement: Achievement;
  createAchievementRule: AchievementRule;
  createActivityType: ActivityType;
  createAdvantageParameter: AdvantageParameter;
  createApiKey: ApiKey;
  createConsumable: Consumable;
  createMetric: Metric;
  createOrganization: Organization;
  createRole: Role;
  createUser: User;
  createWebhookEndpoint: WebhookEndpoint;
  /** Deletes and returns the row */
  deleteAchievement: Achievement;
  /** Deletes and returns the row */
  deleteAchievementRule: AchievementRule;
  /** Deletes an activity (kept for the record, counted nowhere) */
  deleteActivity: Activity;
  /** Deletes and returns the row */
  deleteActivityType: ActivityType;
  /** Deletes and returns the row */
  deleteAdvantageParameter: AdvantageParameter;
  /** Deletes and returns the row */
  deleteApiKey: ApiKey;
  /** Deletes and returns the row */
  deleteConsumable: Consumable;
  /** Deletes and returns the row */
  deleteMetric: Metric;
  /** Deletes and returns the row */
  deleteOrganization: Organization;
  /** Deletes and returns the row */
  deleteRole: Role;
  /** Deletes and returns the row */
  deleteUser: User;
  /** Deletes and returns the row */
  deleteWebhookEndpoint: WebhookEndpoint;
  /** Grants an achievement by hand, with its points, rewards and notification */
  grantAchievement: UserAchievement;
  /** Logs an activity; the result carries any badge it unlocked */
  logActivity: ActivityResult;
  /** Admins and coordinators sign in with email and password. TOO_MANY_ATTEMPTS (with retryAfterSeconds and a Retry-After header) while the throttle makes the caller wait */
  login: AuthPayload;
  /** Peer mentors and players sign in with email and a one-time code */
  loginWithCode: AuthPayload;
  markAnnualSummaryViewed: AnnualSummary;
  /** Marks your notifications read (these, or all); returns how many changed */
  markNotificationsRead: Scalars['Int']['output'];
  /** Reports an event for a user (a won match, a deposit). The same idempotency key twice counts once. */
  recordEvent: EventResult;
  /** Replays every FAILED delivery of the endpoint created since `since`; returns how many */
  replayWebhookDeliveries: Scalars['Int']['output'];
  /** Back to PENDING, due now, attempts counted afresh */
  replayWebhookDelivery: WebhookDelivery;
  /** Mails a participant a one-time sign-in code (valid 10 minutes, 5 guesses); true whether or not the email exists. TOO_MANY_ATTEMPTS (with retryAfterSeconds) when asked too often; NOT_CONFIGURED in production without a mail transport */
  requestSignInCode: Scalars['Boolean']['output'];
  /** Marks a summary pending; the scheduled job makes it again */
  requeueAnnualSummary: AnnualSummary;
  /** A new secret, shown once in this answer; the old one keeps signing beside it until previousSecretUntil */
  rotateWebhookEndpointSecret: WebhookEndpoint;
  /** Sends a "webhook.test" event to this endpoint only */
  sendTestWebhook: WebhookDelivery;
  /** Ends every session: each token given before stops working. Without userId, the signed-in user's own; with it (manage:users), another user's of the tenant */
  signOutEverywhere: Scalars['Boolean']['output'];
  updateAchievement: Achievement;
  updateAchievementRule: AchievementRule;
  /** Corrects an activity: metrics, Wrapped and the calculator follow */
  updateActivity: ActivityResult;
  updateActivityType: ActivityType;
  updateAdvantageParameter: AdvantageParameter;
  updateApiKey: ApiKey;
  updateConsumable: Consumable;
  updateMetric: Metric;
  /** The signed-in person's emails about awards and Wrapped: emailOptOut true turns them off, false on again (when the organization sends them) */
  updateMyEmailPreferences: User;
  updateOrganization: Organization;
  updateRole: Role;
  updateUser: User;
  updateWebhookEndpoint: WebhookEndpoint;
};


export type MutationAttendEventArgs = {
  attendedAt?: InputMaybe<Scalars['DateTimeISO']['input']>;
  eventName: Scalars['String']['input'];
  eventRef: Scalars['String']['input'];
  userId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationBackfillAchievementArgs = {
  dryRun?: Scalars['Boolean']['input'];
  id: Scalars['ID']['input'];
  notifyUsers?: Scalars['Boolean']['input'];
};


export type MutationCreateAchievementArgs = {
  category: AchievementCategory;
  description: Scalars['String']['input'];
  expiresAt?: InputMaybe<Scalars['DateTimeISO']['input']>;
  iconUrl?: InputMaybe<Scalars['String']['input']>;
  isActive?: InputMaybe<Scalars['Boolean']['input']>;
  isHidden?: InputMaybe<Scalars['Boolean']['input']>;
  isRepeatable?: InputMaybe<Scalars['Boolean']['input']>;
  key: Scalars['String']['input'];
  name: Scalars['String']['input'];
  notifyOnBackfill?: InputMaybe<Scalars['Boolean']['input']>;
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  points?: InputMaybe<Scalars['Int']['input']>;
  repeatPeriod?: InputMaybe<RepeatPeriod>;
  requiresModule?: InputMaybe<Scalars['String']['input']>;
  rewards?: InputMaybe<Array<AchievementRewardInput>>;
  ruleIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  sortOrder?: InputMaybe<Scalars['Int']['input']>;
  triggerMetadata?: InputMaybe<Scalars['JSONObject']['input']>;
  triggerThreshold?: InputMaybe<Scalars['Int']['input']>;
  triggerType: TriggerType;
};


export type MutationCreateAchievementRuleArgs = {
  comparator: Comparator;
  metricId: Scalars['ID']['input'];
  name: Scalars['String']['input'];
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  target: Scalars['Float']['input'];
  weight: Scalars['Int']['input'];
};


export type MutationCreateActivityTypeArgs = {
  description?: InputMaybe<Scalars['String']['input']>;
  isActive?: InputMaybe<Scalars['Boolean']['input']>;
  name: Scalars['String']['input'];
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  slug: Scalars['String']['input'];
  sortOrder?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationCreateAdvantageParameterArgs = {
  benefitCategories?: InputMaybe<Array<BenefitCategoryInput>>;
  currency?: InputMaybe<Scalars['String']['input']>;
  hourlyRate: Scalars['Float']['input'];
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  source: Scalars['String']['input'];
  year: Scalars['Int']['input'];
};


export type MutationCreateApiKeyArgs = {
  expiresAt?: InputMaybe<Scalars['DateTimeISO']['input']>;
  name: Scalars['String']['input'];
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  permissions?: InputMaybe<Array<Scalars['String']['input']>>;
};


export type MutationCreateConsumableArgs = {
  description?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  type: ConsumableType;
  value: Scalars['Float']['input'];
};


export type MutationCreateMetricArgs = {
  aggregation: MetricAggregation;
  description?: InputMaybe<Scalars['String']['input']>;
  distinctAttribute?: InputMaybe<Scalars['String']['input']>;
  eventTypes: Array<Scalars['String']['input']>;
  filter?: InputMaybe<Scalars['JSONObject']['input']>;
  isActive?: InputMaybe<Scalars['Boolean']['input']>;
  key: Scalars['String']['input'];
  name: Scalars['String']['input'];
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  resetEventTypes?: InputMaybe<Array<Scalars['String']['input']>>;
  streakUnit?: InputMaybe<StreakUnit>;
  window?: InputMaybe<MetricWindow>;
};


export type MutationCreateOrganizationArgs = {
  currency?: InputMaybe<Scalars['String']['input']>;
  emailAwards?: InputMaybe<Scalars['Boolean']['input']>;
  emailSummaries?: InputMaybe<Scalars['Boolean']['input']>;
  locale?: InputMaybe<Scalars['String']['input']>;
  modules?: InputMaybe<Array<Scalars['String']['input']>>;
  name: Scalars['String']['input'];
  slug: Scalars['String']['input'];
  timeZone?: InputMaybe<Scalars['String']['input']>;
};


export type MutationCreateRoleArgs = {
  description?: InputMaybe<Scalars['String']['input']>;
  isParticipant?: InputMaybe<Scalars['Boolean']['input']>;
  key: Scalars['String']['input'];
  name: Scalars['String']['input'];
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  permissions: Array<Scalars['String']['input']>;
};


export type MutationCreateUserArgs = {
  displayName: Scalars['String']['input'];
  email: Scalars['String']['input'];
  isActive?: InputMaybe<Scalars['Boolean']['input']>;
  locale?: InputMaybe<Scalars['String']['input']>;
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  password?: InputMaybe<Scalars['String']['input']>;
  roleId: Scalars['ID']['input'];
};


export type MutationCreateWebhookEndpointArgs = {
  description?: InputMaybe<Scalars['String']['input']>;
  eventTypes: Array<Scalars['String']['input']>;
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  url: Scalars['String']['input'];
};


export type MutationDeleteAchievementArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteAchievementRuleArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteActivityArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteActivityTypeArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteAdvantageParameterArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteConsumableArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteMetricArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteOrganizationArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteRoleArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteUserArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteWebhookEndpointArgs = {
  id: Scalars['ID']['input'];
};


export type MutationGrantAchievementArgs = {
  achievementId: Scalars['ID']['input'];
  userId: Scalars['ID']['input'];
};


export type MutationLogActivityArgs = {
  activityTypeId: Scalars['ID']['input'];
  contactRef?: InputMaybe<Scalars['String']['input']>;
  durationMinutes: Scalars['Int']['input'];
  notes?: InputMaybe<Scalars['String']['input']>;
  occurredAt?: InputMaybe<Scalars['DateTimeISO']['input']>;
  userId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationLoginArgs = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};


export type MutationLoginWithCodeArgs = {
  code: Scalars['String']['input'];
  email: Scalars['String']['input'];
};


export type MutationMarkAnnualSummaryViewedArgs = {
  year: Scalars['Int']['input'];
};


export type MutationMarkNotificationsReadArgs = {
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
};


export type MutationRecordEventArgs = {
  attributes?: InputMaybe<Scalars['JSONObject']['input']>;
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  occurredAt?: InputMaybe<Scalars['DateTimeISO']['input']>;
  type: Scalars['String']['input'];
  userId: Scalars['ID']['input'];
  value?: InputMaybe<Scalars['Float']['input']>;
};


export type MutationReplayWebhookDeliveriesArgs = {
  endpointId: Scalars['ID']['input'];
  since: Scalars['DateTimeISO']['input'];
};


export type MutationReplayWebhookDeliveryArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRequestSignInCodeArgs = {
  email: Scalars['String']['input'];
};


export type MutationRequeueAnnualSummaryArgs = {
  userId: Scalars['ID']['input'];
  year: Scalars['Int']['input'];
};


export type MutationRotateWebhookEndpointSecretArgs = {
  id: Scalars['ID']['input'];
  overlapHours?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationSendTestWebhookArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSignOutEverywhereArgs = {
  userId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationUpdateAchievementArgs = {
  category?: InputMaybe<AchievementCategory>;
  description?: InputMaybe<Scalars['String']['input']>;
  expiresAt?: InputMaybe<Scalars['DateTimeISO']['input']>;
  iconUrl?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  isActive?: InputMaybe<Scalars['Boolean']['input']>;
  isHidden?: InputMaybe<Scalars['Boolean']['input']>;
  isRepeatable?: InputMaybe<Scalars['Boolean']['input']>;
  key?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  notifyOnBackfill?: InputMaybe<Scalars['Boolean']['input']>;
  points?: InputMaybe<Scalars['Int']['input']>;
  repeatPeriod?: InputMaybe<RepeatPeriod>;
  requiresModule?: InputMaybe<Scalars['String']['input']>;
  rewards?: InputMaybe<Array<AchievementRewardInput>>;
  ruleIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  sortOrder?: InputMaybe<Scalars['Int']['input']>;
  triggerMetadata?: InputMaybe<Scalars['JSONObject']['input']>;
  triggerThreshold?: InputMaybe<Scalars['Int']['input']>;
  triggerType?: InputMaybe<TriggerType>;
};


export type MutationUpdateAchievementRuleArgs = {
  comparator?: InputMaybe<Comparator>;
  id: Scalars['ID']['input'];
  metricId?: InputMaybe<Scalars['ID']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  target?: InputMaybe<Scalars['Float']['input']>;
  weight?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationUpdateActivityArgs = {
  activityTypeId?: InputMaybe<Scalars['ID']['input']>;
  contactRef?: InputMaybe<Scalars['String']['input']>;
  durationMinutes?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  notes?: InputMaybe<Scalars['String']['input']>;
  occurredAt?: InputMaybe<Scalars['DateTimeISO']['input']>;
};


export type MutationUpdateActivityTypeArgs = {
  description?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  isActive?: InputMaybe<Scalars['Boolean']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationUpdateAdvantageParameterArgs = {
  benefitCategories?: InputMaybe<Array<BenefitCategoryInput>>;
  currency?: InputMaybe<Scalars['String']['input']>;
  hourlyRate?: InputMaybe<Scalars['Float']['input']>;
  id: Scalars['ID']['input'];
  source?: InputMaybe<Scalars['String']['input']>;
};


export type MutationUpdateApiKeyArgs = {
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
};


export type MutationUpdateConsumableArgs = {
  description?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  type?: InputMaybe<ConsumableType>;
  value?: InputMaybe<Scalars['Float']['input']>;
};


export type MutationUpdateMetricArgs = {
  aggregation?: InputMaybe<MetricAggregation>;
  description?: InputMaybe<Scalars['String']['input']>;
  distinctAttribute?: InputMaybe<Scalars['String']['input']>;
  eventTypes?: InputMaybe<Array<Scalars['String']['input']>>;
  filter?: InputMaybe<Scalars['JSONObject']['input']>;
  id: Scalars['ID']['input'];
  isActive?: InputMaybe<Scalars['Boolean']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  resetEventTypes?: InputMaybe<Array<Scalars['String']['input']>>;
  streakUnit?: InputMaybe<StreakUnit>;
  window?: InputMaybe<MetricWindow>;
};


export type MutationUpdateMyEmailPreferencesArgs = {
  emailOptOut: Scalars['Boolean']['input'];
};


export type MutationUpdateOrganizationArgs = {
  currency?: InputMaybe<Scalars['String']['input']>;
  emailAwards?: InputMaybe<Scalars['Boolean']['input']>;
  emailSummaries?: InputMaybe<Scalars['Boolean']['input']>;
  id: Scalars['ID']['input'];
  locale?: InputMaybe<Scalars['String']['input']>;
  modules?: InputMaybe<Array<Scalars['String']['input']>>;
  name?: InputMaybe<Scalars['String']['input']>;
  notifyOnBackfill?: InputMaybe<Scalars['Boolean']['input']>;
  slug?: InputMaybe<Scalars['String']['input']>;
  timeZone?: InputMaybe<Scalars['String']['input']>;
};


export type MutationUpdateRoleArgs = {
  description?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  isParticipant?: InputMaybe<Scalars['Boolean']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  permissions?: InputMaybe<Array<Scalars['String']['input']>>;
};


export type MutationUpdateUserArgs = {
  displayName?: InputMaybe<Scalars['String']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  isActive?: InputMaybe<Scalars['Boolean']['input']>;
  locale?: InputMaybe<Scalars['String']['input']>;
  password?: InputMaybe<Scalars['String']['input']>;
  roleId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationUpdateWebhookEndpointArgs = {
  description?: InputMaybe<Scalars['String']['input']>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  eventTypes?: InputMaybe<Array<Scalars['String']['input']>>;
  id: Scalars['ID']['input'];
  url?: InputMaybe<Scalars['String']['input']>;
};

export type Notification = {
  __typename?: 'Notification';
  body: Scalars['String']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  data?: Maybe<Scalars['JSONObject']['output']>;
  id: Scalars['ID']['output'];
  readAt?: Maybe<Scalars['DateTimeISO']['output']>;
  title: Scalars['String']['output'];
  type: Scalars['String']['output'];
};

/** A tenant: a volunteer organisation or a game platform */
export type Organization = {
  __typename?: 'Organization';
  createdAt: Scalars['DateTimeISO']['output'];
  /** ISO 4217 currency code */
  currency: Scalars['String']['output'];
  /** Email members when they earn an achievement, in their language (each may opt out) */
  emailAwards: Scalars['Boolean']['output'];
  /** Email members when their Wrapped is ready, with a link to it (each may opt out) */
  emailSummaries: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  /** BCP 47 language of its members, e.g. nb or en */
  locale: Scalars['String']['output'];
  /** Enabled modules, e.g. achievements-gamification */
  modules: Array<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  slug: Scalars['String']['output'];
  /** IANA time zone; every day, month and year boundary is taken in it */
  timeZone: Scalars['String']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
};

export type OrganizationFilter = {
  id?: InputMaybe<Scalars['ID']['input']>;
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Organizations with this module on */
  module?: InputMaybe<Scalars['String']['input']>;
  /** Search in name and slug */
  q?: InputMaybe<Scalars['String']['input']>;
};

/** An event Laurel tells, live: the same id, type and payload as its webhook delivery and its NATS message (the event catalogue in the README). Sent once it committed; what the subscriber may not see is left out. */
export type OutboxEvent = {
  __typename?: 'OutboxEvent';
  /** achievement.earned: the award, as the unlock dialog shows it (achievement, points, rewards) */
  award?: Maybe<UserAchievement>;
  /** The payload as the catalogue documents it. progress.changed lists only the achievements the subscriber may see. */
  data: Scalars['JSONObject']['output'];
  /** achievement.earned: what was earned */
  earned?: Maybe<EarnedAchievement>;
  /** Stable: the webhook delivery's webhook-id and the NATS message id */
  id: Scalars['ID']['output'];
  /** achievement.earned: the notification written with the award, for the person it is for */
  notification?: Maybe<Notification>;
  occurredAt: Scalars['DateTimeISO']['output'];
  organizationId: Scalars['ID']['output'];
  /** achievement.earned, progress.changed, reward.granted, summary.ready or advantage.calculated */
  type: Scalars['String']['output'];
  /** The person it is about */
  userId?: Maybe<Scalars['ID']['output']>;
};

/** A change of progress caused by an event */
export type ProgressChange = {
  __typename?: 'ProgressChange';
  achievementId: Scalars['ID']['output'];
  completed: Scalars['Boolean']['output'];
  periodKey: Scalars['String']['output'];
  progress: Scalars['Int']['output'];
};

export type Query = {
  __typename?: 'Query';
  Achievement: Achievement;
  AchievementRule: AchievementRule;
  Activity: Activity;
  ActivityType: ActivityType;
  AdvantageCalculation: AdvantageCalculation;
  AdvantageParameter: AdvantageParameter;
  AnnualSummary: AnnualSummary;
  ApiKey: ApiKey;
  BackfillRun: BackfillRun;
  Consumable: Consumable;
  Metric: Metric;
  Organization: Organization;
  Role: Role;
  User: User;
  UserAchievement: UserAchievement;
  WebhookDelivery: WebhookDelivery;
  WebhookEndpoint: WebhookEndpoint;
  _allAchievementRulesMeta: ListMetadata;
  _allAchievementsMeta: ListMetadata;
  _allActivitiesMeta: ListMetadata;
  _allActivityTypesMeta: ListMetadata;
  _allAdvantageCalculationsMeta: ListMetadata;
  _allAdvantageParametersMeta: ListMetadata;
  _allAnnualSummariesMeta: ListMetadata;
  _allApiKeysMeta: ListMetadata;
  _allBackfillRunsMeta: ListMetadata;
  _allConsumablesMeta: ListMetadata;
  _allMetricsMeta: ListMetadata;
  _allOrganizationsMeta: ListMetadata;
  _allRolesMeta: ListMetadata;
  _allUserAchievementsMeta: ListMetadata;
  _allUsersMeta: ListMetadata;
  _allWebhookDeliveriesMeta: ListMetadata;
  _allWebhookEndpointsMeta: ListMetadata;
  allAchievementRules: Array<AchievementRule>;
  allAchievements: Array<Achievement>;
  allActivities: Array<Activity>;
  allActivityTypes: Array<ActivityType>;
  allAdvantageCalculations: Array<AdvantageCalculation>;
  allAdvantageParameters: Array<AdvantageParameter>;
  allAnnualSummaries: Array<AnnualSummary>;
  allApiKeys: Array<ApiKey>;
  allBackfillRuns: Array<BackfillRun>;
  allConsumables: Array<Consumable>;
  allMetrics: Array<Metric>;
  allOrganizations: Array<Organization>;
  allRoles: Array<Role>;
  allUserAchievements: Array<UserAchievement>;
  allUsers: Array<User>;
  allWebhookDeliveries: Array<WebhookDelivery>;
  allWebhookEndpoints: Array<WebhookEndpoint>;
  /** Badges earned per week, most and least earned achievements, and pending background work */
  dashboardStats: DashboardStats;
  /** Whether the API and its database answer; needs no sign-in */
  health: Health;
  /** The signed-in user */
  me: User;
  /** Your latest activities */
  myActivities: Array<Activity>;
  /** What your volunteer work in a year is worth, with its breakdown */
  myAdvantage: AdvantageCalculation;
  /** Your Wrapped for a year; the current year is a flagged year-to-date preview */
  myAnnualSummary: AnnualSummary;
  /** The badges you could earn or have earned, by category and sort order, with your progress; hidden ones once earned */
  myBadges: Array<Badge>;
  myNotifications: Array<Notification>;
  /** Your points, badges earned and reward ledger */
  myStanding: Standing;
  /** The modules this installation offers (LAUREL_MODULES): what an organization may have enabled and an achievement may require */
  platformModules: Array<Scalars['String']['output']>;
  /** A user's progress on every badge of their organization: hidden ones included for admins and coordinators, never for API keys */
  userProgress: Array<Badge>;
  userStanding: Standing;
  /** The outbox event types a webhook endpoint may receive */
  webhookEventTypes: Array<Scalars['String']['output']>;
};


export type QueryAchievementArgs = {
  id: Scalars['ID']['input'];
};


export type QueryAchievementRuleArgs = {
  id: Scalars['ID']['input'];
};


export type QueryActivityArgs = {
  id: Scalars['ID']['input'];
};


export type QueryActivityTypeArgs = {
  id: Scalars['ID']['input'];
};


export type QueryAdvantageCalculationArgs = {
  id: Scalars['ID']['input'];
};


export type QueryAdvantageParameterArgs = {
  id: Scalars['ID']['input'];
};


export type QueryAnnualSummaryArgs = {
  id: Scalars['ID']['input'];
};


export type QueryApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type QueryBackfillRunArgs = {
  id: Scalars['ID']['input'];
};


export type QueryConsumableArgs = {
  id: Scalars['ID']['input'];
};


export type QueryMetricArgs = {
  id: Scalars['ID']['input'];
};


export type QueryOrganizationArgs = {
  id: Scalars['ID']['input'];
};


export type QueryRoleArgs = {
  id: Scalars['ID']['input'];
};


export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};


export type QueryUserAchievementArgs = {
  id: Scalars['ID']['input'];
};


export type QueryWebhookDeliveryArgs = {
  id: Scalars['ID']['input'];
};


export type QueryWebhookEndpointArgs = {
  id: Scalars['ID']['input'];
};


export type Query_AllAchievementRulesMetaArgs = {
  filter?: InputMaybe<AchievementRuleFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type Query_AllAchievementsMetaArgs = {
  filter?: InputMaybe<AchievementFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type Query_AllActivitiesMetaArgs = {
  filter?: InputMaybe<ActivityFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type Query_AllActivityTypesMetaArgs = {
  filter?: InputMaybe<ActivityTypeFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type Query_AllAdvantageCalculationsMetaArgs = {
  filter?: InputMaybe<AdvantageCalculationFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type Query_AllAdvantageParametersMetaArgs = {
  filter?: InputMaybe<AdvantageParameterFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type Query_AllAnnualSummariesMetaArgs = {
  filter?: InputMaybe<AnnualSummaryFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type Query_AllApiKeysMetaArgs = {
  filter?: InputMaybe<ApiKeyFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type Query_AllBackfillRunsMetaArgs = {
  filter?: InputMaybe<BackfillRunFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type Query_AllConsumablesMetaArgs = {
  filter?: InputMaybe<ConsumableFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type Query_AllMetricsMetaArgs = {
  filter?: InputMaybe<MetricFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type Query_AllOrganizationsMetaArgs = {
  filter?: InputMaybe<OrganizationFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type Query_AllRolesMetaArgs = {
  filter?: InputMaybe<RoleFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type Query_AllUserAchievementsMetaArgs = {
  filter?: InputMaybe<UserAchievementFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type Query_AllUsersMetaArgs = {
  filter?: InputMaybe<UserFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type Query_AllWebhookDeliveriesMetaArgs = {
  filter?: InputMaybe<WebhookDeliveryFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type Query_AllWebhookEndpointsMetaArgs = {
  filter?: InputMaybe<WebhookEndpointFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAllAchievementRulesArgs = {
  filter?: InputMaybe<AchievementRuleFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAllAchievementsArgs = {
  filter?: InputMaybe<AchievementFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAllActivitiesArgs = {
  filter?: InputMaybe<ActivityFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAllActivityTypesArgs = {
  filter?: InputMaybe<ActivityTypeFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAllAdvantageCalculationsArgs = {
  filter?: InputMaybe<AdvantageCalculationFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAllAdvantageParametersArgs = {
  filter?: InputMaybe<AdvantageParameterFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAllAnnualSummariesArgs = {
  filter?: InputMaybe<AnnualSummaryFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAllApiKeysArgs = {
  filter?: InputMaybe<ApiKeyFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAllBackfillRunsArgs = {
  filter?: InputMaybe<BackfillRunFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAllConsumablesArgs = {
  filter?: InputMaybe<ConsumableFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAllMetricsArgs = {
  filter?: InputMaybe<MetricFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAllOrganizationsArgs = {
  filter?: InputMaybe<OrganizationFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAllRolesArgs = {
  filter?: InputMaybe<RoleFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAllUserAchievementsArgs = {
  filter?: InputMaybe<UserAchievementFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAllUsersArgs = {
  filter?: InputMaybe<UserFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAllWebhookDeliveriesArgs = {
  filter?: InputMaybe<WebhookDeliveryFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAllWebhookEndpointsArgs = {
  filter?: InputMaybe<WebhookEndpointFilter>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  sortField?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<Scalars['String']['input']>;
};


export type QueryDashboardStatsArgs = {
  weeks?: Scalars['Int']['input'];
};


export type QueryMyActivitiesArgs = {
  limit?: Scalars['Int']['input'];
};


export type QueryMyAdvantageArgs = {
  year: Scalars['Int']['input'];
};


export type QueryMyAnnualSummaryArgs = {
  year: Scalars['Int']['input'];
};


export type QueryMyNotificationsArgs = {
  limit?: Scalars['Int']['input'];
  unreadOnly?: Scalars['Boolean']['input'];
};


export type QueryUserProgressArgs = {
  userId: Scalars['ID']['input'];
};


export type QueryUserStandingArgs = {
  userId: Scalars['ID']['input'];
};

/** When a repeatable achievement can be earned again */
export type RepeatPeriod =
  | 'monthly'
  | 'weekly'
  | 'yearly';

/** A reward granted with an award */
export type RewardGrant = {
  __typename?: 'RewardGrant';
  consumableId: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  quantity: Scalars['Int']['output'];
  type: Scalars['String']['output'];
  unitValue: Scalars['Float']['output'];
};

/** A named set of permissions; built-in roles are platform-wide */
export type Role = {
  __typename?: 'Role';
  createdAt: Scalars['DateTimeISO']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  isBuiltIn: Scalars['Boolean']['output'];
  /** Holders are participants: they earn badges and get Wrapped */
  isParticipant: Scalars['Boolean']['output'];
  key: Scalars['String']['output'];
  name: Scalars['String']['output'];
  /** NULL: a platform-wide role */
  organizationId?: Maybe<Scalars['ID']['output']>;
  permissions: Array<Scalars['String']['output']>;
  updatedAt: Scalars['DateTimeISO']['output'];
};

export type RoleFilter = {
  id?: InputMaybe<Scalars['ID']['input']>;
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  isBuiltIn?: InputMaybe<Scalars['Boolean']['input']>;
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  q?: InputMaybe<Scalars['String']['input']>;
};

/** A user's standing: points and badges */
export type Standing = {
  __typename?: 'Standing';
  badgesEarned: Scalars['Int']['output'];
  /** Hidden badges the user can still earn: how many, never which (each shows in the catalog once earned) */
  hiddenRemaining: Scalars['Int']['output'];
  points: Scalars['Int']['output'];
  rewards: Array<LedgerEntry>;
};

/** What a streak counts: events in a row or days in a row */
export type StreakUnit =
  | 'days'
  | 'events';

export type Subscription = {
  __typename?: 'Subscription';
  /** Your own events as they happen: your awards (with the award and its notification), progress, rewards, Wrapped and calculations. Progress on a hidden badge you have not earned is left out. */
  myEvents: OutboxEvent;
  /** Every event of your organization as it happens (Global Administrators name one). API keys with read:events may follow it; they never see hidden achievements. */
  organizationEvents: OutboxEvent;
};


export type SubscriptionMyEventsArgs = {
  types?: InputMaybe<Array<Scalars['String']['input']>>;
};


export type SubscriptionOrganizationEventsArgs = {
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  types?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** What can unlock an achievement */
export type TriggerType =
  | 'activity_count'
  | 'annual_summary'
  | 'badges_earned'
  | 'contacts_reached'
  | 'events_attended'
  | 'hours_total'
  | 'manual'
  | 'points_total'
  | 'rules'
  | 'streak_days';

/** A person: an admin, a coordinator, a peer mentor or a player */
export type User = {
  __typename?: 'User';
  createdAt: Scalars['DateTimeISO']['output'];
  displayName: Scalars['String']['output'];
  email: Scalars['String']['output'];
  /** The person turned off emails about awards and Wrapped (the link in those emails, or updateMyEmailPreferences); sign-in codes still come */
  emailOptOut: Scalars['Boolean']['output'];
  /** True when the user signs in with a password */
  hasPassword: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  isActive: Scalars['Boolean']['output'];
  lastSignInAt?: Maybe<Scalars['DateTimeISO']['output']>;
  locale?: Maybe<Scalars['String']['output']>;
  organization?: Maybe<Organization>;
  /** NULL only for a Global Administrator of no organization */
  organizationId?: Maybe<Scalars['ID']['output']>;
  role: Role;
  roleId: Scalars['ID']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
};

/** A user's progress on an achievement in one period, and its award once completed */
export type UserAchievement = {
  __typename?: 'UserAchievement';
  achievement: Achievement;
  achievementId: Scalars['ID']['output'];
  completed: Scalars['Boolean']['output'];
  completedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  createdAt: Scalars['DateTimeISO']['output'];
  /** Who granted it by hand, for manual grants */
  grantedById?: Maybe<Scalars['ID']['output']>;
  id: Scalars['ID']['output'];
  organizationId: Scalars['ID']['output'];
  /** all, or the period of a repeatable achievement (2026, 2026-03, 2026-W09) */
  periodKey: Scalars['String']['output'];
  pointsAwarded: Scalars['Int']['output'];
  /** 0-100 */
  progress: Scalars['Int']['output'];
  rewards: Array<RewardGrant>;
  updatedAt: Scalars['DateTimeISO']['output'];
  user: User;
  userId: Scalars['ID']['output'];
};

export type UserAchievementFilter = {
  achievementId?: InputMaybe<Scalars['ID']['input']>;
  completed?: InputMaybe<Scalars['Boolean']['input']>;
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  userId?: InputMaybe<Scalars['ID']['input']>;
};

export type UserFilter = {
  id?: InputMaybe<Scalars['ID']['input']>;
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  isActive?: InputMaybe<Scalars['Boolean']['input']>;
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  /** Search in email and display name */
  q?: InputMaybe<Scalars['String']['input']>;
  roleId?: InputMaybe<Scalars['ID']['input']>;
};

/** A broken validation rule: the field, the seed's rule name and a message */
export type ValidationIssue = {
  __typename?: 'ValidationIssue';
  field: Scalars['String']['output'];
  message: Scalars['String']['output'];
  /** The rule's name, e.g. key_format or icon_url_format */
  rule: Scalars['String']['output'];
  /** error or warning */
  severity: Scalars['String']['output'];
};

/** One outbox event for one webhook endpoint: its attempts, and when the next is due */
export type WebhookDelivery = {
  __typename?: 'WebhookDelivery';
  attempts: Scalars['Int']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  deliveredAt?: Maybe<Scalars['DateTimeISO']['output']>;
  endpointId: Scalars['ID']['output'];
  eventType: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  lastAttemptAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** The receiver's last answer (its first KiB), or why there was none */
  lastResponse?: Maybe<Scalars['String']['output']>;
  /** The receiver's last HTTP status; null when it did not answer */
  lastStatusCode?: Maybe<Scalars['Int']['output']>;
  /** When it is tried next; null once delivered or failed */
  nextAttemptAt?: Maybe<Scalars['DateTimeISO']['output']>;
  organizationId: Scalars['ID']['output'];
  /** The event's id: the webhook-id header, the same on every attempt */
  outboxId: Scalars['ID']['output'];
  /** The body as sent: { id, type, organizationId, occurredAt, data } */
  payload: Scalars['JSONObject']['output'];
  status: DeliveryStatus;
};

export type WebhookDeliveryFilter = {
  endpointId?: InputMaybe<Scalars['ID']['input']>;
  eventType?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  status?: InputMaybe<DeliveryStatus>;
};

/** How an endpoint's deliveries stand */
export type WebhookDeliveryStats = {
  __typename?: 'WebhookDeliveryStats';
  delivered: Scalars['Int']['output'];
  failed: Scalars['Int']['output'];
  /** Waiting for an attempt, or being posted */
  pending: Scalars['Int']['output'];
};

/** A tenant's receiver of outbox events, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). Its `secret` and `deliveryStats` come from the resolver. */
export type WebhookEndpoint = {
  __typename?: 'WebhookEndpoint';
  createdAt: Scalars['DateTimeISO']['output'];
  deliveryStats: WebhookDeliveryStats;
  description: Scalars['String']['output'];
  /** Why it is disabled: admin, gone (it answered 410), failing (three days of failures); null while enabled */
  disabledReason?: Maybe<Scalars['String']['output']>;
  enabled: Scalars['Boolean']['output'];
  /** The outbox types it receives (webhookEventTypes) */
  eventTypes: Array<Scalars['String']['output']>;
  /** Since when every delivery has failed; null while healthy */
  failingSince?: Maybe<Scalars['DateTimeISO']['output']>;
  id: Scalars['ID']['output'];
  organizationId: Scalars['ID']['output'];
  /** Until when the secret before the last rotation still signs beside the new one */
  previousSecretUntil?: Maybe<Scalars['DateTimeISO']['output']>;
  /** The signing secret (whsec_...): only in the answer of createWebhookEndpoint and rotateWebhookEndpointSecret, null everywhere else */
  secret?: Maybe<Scalars['String']['output']>;
  updatedAt: Scalars['DateTimeISO']['output'];
  url: Scalars['String']['output'];
};

export type WebhookEndpointFilter = {
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  /** Part of the URL or description */
  q?: InputMaybe<Scalars['String']['input']>;
};

/** Badges earned in one week (weeks start on Monday, UTC) */
export type WeeklyCount = {
  __typename?: 'WeeklyCount';
  count: Scalars['Int']['output'];
  /** YYYY-MM-DD: the Monday the week starts on */
  weekStart: Scalars['String']['output'];
};
