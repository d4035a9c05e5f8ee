import type { LaurelError } from "@laurel/client";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { client } from "../lib/client";
import { today, useFormat } from "../lib/format";
import { useResult } from "../lib/useResult";
import { useBadges } from "../session/BadgesProvider";
import { useSession } from "../session/SessionProvider";
import { useUnlocks } from "../session/UnlocksProvider";
import { ErrorMessage, Loading } from "../widgets/ErrorMessage";

/** The instant to log for a chosen day: now if it is today, otherwise noon of that day. */
function occurredAt(day: string, todayInZone: string): string {
  return day === todayInZone ? new Date().toISOString() : new Date(`${day}T12:00:00`).toISOString();
}

/** A peer mentor logs an activity; a badge it unlocks is shown at once, with its reward. */
export function LogActivityScreen() {
  const { t } = useTranslation();
  const format = useFormat();
  const { viewer, can } = useSession();
  const { reload: reloadBadges } = useBadges();
  const unlocks = useUnlocks();
  const zone = viewer?.organization?.timeZone;
  const types = useResult(() => client.activityTypes(), "activityTypes");
  const recent = useResult(() => client.activities(5), "recentActivities");

  const [typeId, setTypeId] = useState("");
  const [minutes, setMinutes] = useState("60");
  const [day, setDay] = useState(() => today(zone));
  const [contact, setContact] = useState("");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<LaurelError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  if (!can("log:activities")) return <p className="empty">{t("log.notAllowed")}</p>;
  if (types.state.status === "loading") return <Loading />;
  if (types.state.status === "error")
    return <ErrorMessage error={types.state.error} onRetry={types.reload} />;
  const activityTypes = types.state.data;
  if (activityTypes.length === 0) return <p className="empty">{t("log.noTypes")}</p>;
  const chosen = typeId || activityTypes[0]!.id;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setError(null);
    setSaved(null);
    const result = await client.logActivity({
      activityTypeId: chosen,
      durationMinutes: Number(minutes),
      occurredAt: occurredAt(day, today(zone)),
      contactRef: contact.trim() || null,
    });
    setSaving(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    const { activity } = result.data;
    setSaved(t("log.saved", { type: activity.activityType.name, minutes: activity.durationMinutes }));
    setContact("");
    unlocks.show(result.data.awards.filter((a) => a.completed));
    void reloadBadges();
    recent.reload();
  }

  const fieldError = (field: string) => error?.issues.find((i) => i.field === field)?.message;

  return (
    <div className="stack">
      <h1>{t("log.title")}</h1>
      <form className="card form" onSubmit={(e) => void submit(e)} noValidate>
        <label>
          {t("log.type")}
          <select name="activityType" value={chosen} onChange={(e) => setTypeId(e.target.value)}>
            {activityTypes.map((type) => (
              <option key={type.id} value={type.id}>
                {type.name}
              </option>
            ))}
          </select>
        </label>
        <div className="row">
          <label>
            {t("log.duration")}
            <input
              name="duration"
              type="number"
              inputMode="numeric"
              min={0}
              max={1440}
              step={5}
              value={minutes}
              onChange={(e) => setMinutes(e.target.value)}
              aria-invalid={Boolean(fieldError("durationMinutes"))}
            />
            {fieldError("durationMinutes") && (
              <span className="field-error">{fieldError("durationMinutes")}</span>
            )}
          </label>
          <label>
            {t("log.date")}
            <input
              name="date"
              type="date"
              value={day}
              max={today(zone)}
              onChange={(e) => setDay(e.target.value)}
            />
            {fieldError("occurredAt") && <span className="field-error">{fieldError("occurredAt")}</span>}
          </label>
        </div>
        <label>
          {t("log.contact")}
          <input
            name="contact"
            value={contact}
            onChange={(e) => setContact(e.target.value)}
            autoComplete="off"
          />
          <span className="muted small">{t("log.contactHint")}</span>
        </label>
        {error && <ErrorMessage error={error} inlineFields={["durationMinutes", "occurredAt"]} />}
        {saved && (
          <p className="success" role="status">
            {saved}
          </p>
        )}
        <button type="submit" disabled={saving}>
          {saving ? t("log.saving") : t("log.submit")}
        </button>
      </form>

      <section>
        <h2>{t("log.recent")}</h2>
        {recent.state.status === "ready" &&
          (recent.state.data.length === 0 ? (
            <p className="muted">{t("log.noActivities")}</p>
          ) : (
            <ul className="list">
              {recent.state.data.map((activity) => (
                <li key={activity.id}>
                  <span>{activity.activityType.name}</span>
                  <span className="muted small">
                    {format.date(activity.occurredAt)} ·{" "}
                    {t("log.minutes", { count: activity.durationMinutes })}
                  </span>
                </li>
              ))}
            </ul>
          ))}
        {recent.state.status === "error" && <ErrorMessage error={recent.state.error} />}
      </section>
    </div>
  );
}
