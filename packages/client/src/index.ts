import type {
  AllActivityTypesQuery,
  BadgeFieldsFragment,
  MyAdvantageQuery,
  MyNotificationsQuery,
  MyStandingQuery,
} from "./generated/graphql.js";

export {
  createLaurelClient,
  type LaurelClient,
  type LaurelClientOptions,
  type MyEvent,
  type OrganizationEvent,
} from "./client.js";
export { type LiveHandler, type LiveObserver } from "./live.js";
export { type LaurelError, type LaurelIssue, type LaurelResult, toLaurelError } from "./errors.js";
export type {
  AchievementCategory,
  ActivityFieldsFragment as Activity,
  AllActivityTypesQuery,
  AnnualSummaryFieldsFragment as AnnualSummary,
  AwardFieldsFragment as Award,
  BadgeFieldsFragment as Badge,
  BadgeState,
  Comparator,
  LogActivityMutation,
  LogActivityMutationVariables,
  MyAdvantageQuery,
  MyNotificationsQuery,
  MyStandingQuery,
  RecordEventMutationVariables,
  ViewerFragment as Viewer,
  WebhookDeliveryFieldsFragment as WebhookDelivery,
  WebhookEndpointFieldsFragment as WebhookEndpoint,
} from "./generated/graphql.js";
/** The generated documents, for `client.request(document, variables)`. */
export * as operations from "./generated/graphql.js";

export type ActivityType = AllActivityTypesQuery["allActivityTypes"][number];
export type Advantage = MyAdvantageQuery["myAdvantage"];
export type Standing = MyStandingQuery["myStanding"];
export type Notification = MyNotificationsQuery["myNotifications"][number];
export type BadgeRule = BadgeFieldsFragment["rules"][number];
