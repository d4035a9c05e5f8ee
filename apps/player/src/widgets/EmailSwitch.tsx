import { useTranslation } from "react-i18next";
import { useSession } from "../session/SessionProvider";

/**
 * The person's emails about badges and Wrapped, on or off; shown only when their organization sends
 * any. The same choice as the link at the end of those emails.
 */
export function EmailSwitch() {
  const { t } = useTranslation();
  const { viewer, setEmailOptOut } = useSession();
  const organization = viewer?.organization;
  if (!viewer || !(organization?.emailAwards || organization?.emailSummaries)) return null;
  return (
    <label className="email-switch small" title={t("app.emailsHint")}>
      <input
        type="checkbox"
        name="emails"
        checked={!viewer.emailOptOut}
        onChange={(e) => void setEmailOptOut(!e.target.checked)}
      />
      {t("app.emails")}
    </label>
  );
}
