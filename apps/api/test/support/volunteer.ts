import { makeTenant, makeUser } from "./factories.js";
import type { TestApi } from "./server.js";
import { signInPlayer } from "./engine.js";

/** A volunteer organisation in Oslo with activity types, a coordinator and a signed-in peer mentor. */
export async function volunteerTenant(api: TestApi) {
  const tenant = await makeTenant(api, { timeZone: "Europe/Oslo", modules: ["achievements-gamification"] });
  const types: Record<string, string> = {};
  for (const slug of ["home_visit", "phone_call"]) {
    const made = await api.ok(
      `mutation($s: String!) { createActivityType(slug: $s, name: $s) { id } }`,
      { s: slug },
      tenant.admin.token,
    );
    types[slug] = made.createActivityType.id;
  }
  const mentor = await makeUser(api.database.db, {
    organizationId: tenant.organization.id,
    role: "peer_mentor",
    password: false,
  });
  const token = await signInPlayer(api, mentor.email);
  return {
    ...tenant,
    types,
    mentor,
    token,
    log(fields: { type?: string; minutes?: number; at?: string; contact?: string }) {
      return api.gql(
        `mutation($t: ID!, $m: Int!, $at: DateTimeISO, $c: String) {
          logActivity(activityTypeId: $t, durationMinutes: $m, occurredAt: $at, contactRef: $c) {
            activity { id occurredAt durationMinutes } awards { achievement { key } rewards { name } } } }`,
        { t: types[fields.type ?? "home_visit"], m: fields.minutes ?? 60, at: fields.at, c: fields.contact },
        token,
      );
    },
    badge(achievementKey: string) {
      return api
        .ok(`{ myBadges { key state progress rules { metricKey value target remaining } } }`, {}, token)
        .then((d) => d.myBadges.find((b: { key: string }) => b.key === achievementKey));
    },
    async achievement(fields: Record<string, unknown>) {
      return api.ok(
        `mutation($key: String!, $name: String!, $t: TriggerType!, $th: Int, $md: JSONObject, $rep: Boolean, $rp: RepeatPeriod) {
          createAchievement(key: $key, name: $name, description: "d", category: activity, triggerType: $t, triggerThreshold: $th,
            triggerMetadata: $md, isRepeatable: $rep, repeatPeriod: $rp) { id triggerMetricId } }`,
        fields,
        tenant.admin.token,
      );
    },
  };
}
