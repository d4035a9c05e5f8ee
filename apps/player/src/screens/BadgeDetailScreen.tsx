import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { ruleRemaining } from "../lib/badges";
import { useFormat } from "../lib/format";
import { useBadges } from "../session/BadgesProvider";
import { BadgeIcon } from "../widgets/BadgeIcon";
import { ErrorMessage, Loading } from "../widgets/ErrorMessage";
import { ProgressRing } from "../widgets/ProgressRing";
import { RichText } from "../widgets/RichText";

/** One badge: what it is for, how far along you are, rule by rule, and how rare it is. */
export function BadgeDetailScreen() {
  const { achievementId } = useParams();
  const { t } = useTranslation();
  const format = useFormat();
  const { badges, error, reload } = useBadges();

  if (error && !badges) return <ErrorMessage error={error} onRetry={() => void reload()} />;
  if (!badges) return <Loading />;
  const badge = badges.find((b) => b.achievementId === achievementId);
  const back = (
    <Link to="/" className="back">
      ← {t("badges.back")}
    </Link>
  );
  if (!badge)
    return (
      <div className="stack">
        {back}
        <p className="empty">{t("badges.notFound")}</p>
      </div>
    );

  const earned = badge.state === "EARNED";
  const percent = format.percent((earned ? 100 : badge.progress) / 100);
  const stateLabel = earned
    ? t("badges.earned")
    : badge.state === "IN_PROGRESS"
      ? t("badges.inProgress")
      : t("badges.locked");
  return (
    <article className="stack detail" data-testid="badge-detail">
      {back}
      <div className="detail-head">
        <ProgressRing
          progress={earned ? 100 : badge.progress}
          size={120}
          label={t("badges.progressLabel", { percent })}
        >
          <BadgeIcon badge={badge} size={52} />
        </ProgressRing>
        <div>
          <h1>{badge.name}</h1>
          <p className={`pill ${badge.state.toLowerCase()}`}>
            {stateLabel} · {percent}
          </p>
        </div>
      </div>
      <RichText html={badge.description} />
      <dl className="facts">
        {earned && (
          <div>
            <dt>{t("badges.earned")}</dt>
            <dd>
              {format.date(badge.earnedAt!)}
              {badge.timesEarned > 1 && ` (${t("badges.timesEarned", { count: badge.timesEarned })})`}
            </dd>
          </div>
        )}
        <div>
          <dt>{t("badges.pointsTitle")}</dt>
          <dd>{t("badges.points", { count: badge.points })}</dd>
        </div>
        <div>
          <dt>{t("badges.rarityTitle")}</dt>
          <dd>{t("badges.rarity", { share: format.percent(badge.rarity) })}</dd>
        </div>
        {badge.isRepeatable && badge.repeatPeriod && (
          <div>
            <dt>{t("badges.repeatTitle")}</dt>
            <dd>{t("badges.repeatable", { period: t(`badges.period.${badge.repeatPeriod}`) })}</dd>
          </div>
        )}
        {badge.expiresAt && (
          <div>
            <dt>{t("badges.expiresTitle")}</dt>
            <dd>{t("badges.expires", { date: format.date(badge.expiresAt) })}</dd>
          </div>
        )}
      </dl>
      {badge.rules.length > 0 && (
        <section>
          <h2>{t("badges.rules")}</h2>
          <ul className="rules">
            {badge.rules.map((rule) => {
              const left = ruleRemaining(rule, t);
              const share = rule.target > 0 ? Math.min(1, rule.value / rule.target) : rule.holds ? 1 : 0;
              return (
                <li key={`${rule.metricKey}-${rule.name}`} className={rule.holds ? "holds" : ""}>
                  <div className="rule-line">
                    <span>
                      {rule.holds ? "✓ " : ""}
                      {t("badges.ruleLine", {
                        name: rule.name,
                        value: format.number(rule.value, 2),
                        target: format.number(rule.target, 2),
                      })}
                    </span>
                    {left && <span className="muted small">{left}</span>}
                  </div>
                  <div className="bar" aria-hidden="true">
                    <span style={{ width: `${share * 100}%` }} />
                  </div>
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </article>
  );
}
