import { Admin, Resource } from "react-admin";
import { Dashboard } from "./dashboard/Dashboard";
import { LaurelLayout } from "./layout/Layout";
import type { Permissions } from "./providers/authProvider";
import { authProvider } from "./providers/authProvider";
import { dataProvider } from "./providers/dataProvider";
import achievementRules from "./resources/achievementRules";
import achievements from "./resources/achievements";
import advantageParameters from "./resources/advantageParameters";
import annualSummaries from "./resources/annualSummaries";
import consumables from "./resources/consumables";
import metrics from "./resources/metrics";
import organizations from "./resources/organizations";
import roles from "./resources/roles";
import users from "./resources/users";
import webhookDeliveries from "./resources/webhookDeliveries";
import webhookEndpoints from "./resources/webhookEndpoints";

/** Only wiring: each resource shows where the signed-in admin holds its permission; the API checks again. */
export const App = () => (
  <Admin
    title="Laurel admin"
    dataProvider={dataProvider}
    authProvider={authProvider}
    dashboard={Dashboard}
    layout={LaurelLayout}
    disableTelemetry
    requireAuth
  >
    {(permissions: Permissions) => {
      const can = (p: string) => permissions.permissions.includes(p);
      const manages = (prefix: string) =>
        ["create", "update", "delete"].some((verb) => can(`${verb}:${prefix}`));
      return [
        <Resource key="AchievementRule" name="AchievementRule" {...achievementRules} />,
        <Resource key="Achievement" name="Achievement" {...achievements} />,
        <Resource key="Consumable" name="Consumable" {...consumables} />,
        manages("metrics") ? (
          <Resource key="Metric" name="Metric" {...metrics} />
        ) : (
          <Resource key="Metric" name="Metric" recordRepresentation={metrics.recordRepresentation} />
        ),
        can("read:progress") || can("manage:users") ? (
          <Resource key="User" name="User" {...users} />
        ) : (
          <Resource key="User" name="User" recordRepresentation="displayName" />
        ),
        can("manage:roles") ? (
          <Resource key="Role" name="Role" {...roles} />
        ) : (
          <Resource key="Role" name="Role" recordRepresentation="name" />
        ),
        permissions.isGlobalAdmin ? (
          <Resource key="Organization" name="Organization" {...organizations} />
        ) : (
          // Organization admins reach their own organization from "My organization".
          <Resource
            key="Organization"
            name="Organization"
            edit={can("manage:organization") ? organizations.edit : undefined}
            recordRepresentation="name"
          />
        ),
        can("manage:organization") && (
          <Resource key="AdvantageParameter" name="AdvantageParameter" {...advantageParameters} />
        ),
        can("read:progress") && <Resource key="AnnualSummary" name="AnnualSummary" {...annualSummaries} />,
        can("manage:webhooks") && (
          <Resource key="WebhookEndpoint" name="WebhookEndpoint" {...webhookEndpoints} />
        ),
        can("manage:webhooks") && (
          <Resource key="WebhookDelivery" name="WebhookDelivery" {...webhookDeliveries} />
        ),
      ];
    }}
  </Admin>
);
