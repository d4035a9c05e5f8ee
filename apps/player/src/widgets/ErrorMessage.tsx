import type { LaurelError } from "@laurel/client";
import { useTranslation } from "react-i18next";

/** A typed error as the user should see it: its message, and each broken field's message. */
export function ErrorMessage({
  error,
  onRetry,
  inlineFields = [],
}: {
  error: LaurelError;
  onRetry?: () => void;
  /** Fields whose messages the form already shows beside them. */
  inlineFields?: string[];
}) {
  const { t, i18n } = useTranslation();
  const message = i18n.exists(`errors.${error.code}`) ? t(`errors.${error.code}`) : error.message;
  // A validation failure lists its fields; the combined message would only repeat them.
  const issues = error.issues.filter((i) => i.message && !inlineFields.includes(i.field));
  return (
    <div className="error" role="alert" data-code={error.code}>
      <strong>{t("errors.title")}</strong>
      {error.issues.length === 0 && <p>{message}</p>}
      {issues.length > 0 && (
        <ul>
          {issues.map((issue) => (
            <li key={`${issue.field}-${issue.rule}`}>
              <code>{issue.field}</code>: {issue.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" className="secondary" onClick={onRetry}>
          {t("app.retry")}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="muted" aria-busy="true">
      {t("app.loading")}
    </p>
  );
}
