import type { Badge } from "@laurel/client";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { badgeRemaining, byCategory } from "../lib/badges";
import { useFormat } from "../lib/format";
import { useBadges } from "../session/BadgesProvider";
import { BadgeIcon } from "../widgets/BadgeIcon";
import { BadgeWidget } from "../widgets/BadgeWidget";
import { Icon } from "../widgets/Icon";
import { ErrorMessage, Loading } from "../widgets/ErrorMessage";
import { ProgressRing } from "../widgets/ProgressRing";

/**
 * Seed 000's BadgesScreen: the catalog by category, earned, in progress and locked badges. Hidden badges
 * not yet earned are not in the catalog (seed 001): only how many are left to discover.
 */
export function BadgesScreen() {
  const { t } = useTranslation();
  const { badges, standing, error, reload } = useBadges();
  const hidden = standing?.hiddenRemaining ?? 0;

  if (error && !badges) return <ErrorMessage error={error} onRetry={() => void reload()} />;
  if (!badges) return <Loading />;

  return (
    <div className="stack">
      <BadgeWidget />
      <h1>{t("badges.title")}</h1>
      {badges.length === 0 ? (
        <div className="empty">
          <p className="big">{t("badges.empty")}</p>
          <p className="muted">{t("badges.emptyHint")}</p>
        </div>
      ) : (
        byCategory(badges).map((group) => (
          <section key={group.category} aria-labelledby={`category-${group.category}`}>
            <h2 id={`category-${group.category}`}>{t(`category.${group.category}`)}</h2>
            <ul className="badge-grid">
              {group.badges.map((badge) => (
                <li key={badge.achievementId}>
                  <BadgeCard badge={badge} />
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
      {hidden > 0 && (
        <p className="hidden-left" data-testid="hidden-remaining">
          <Icon name="question" size={20} color="#7c8a94" />
          <span>{t("badges.hiddenRemaining", { count: hidden })}</span>
        </p>
      )}
    </div>
  );
}

export function BadgeCard({ badge }: { badge: Badge }) {
  const { t } = useTranslation();
  const format = useFormat();
  const earned = badge.state === "EARNED";
  const left = badgeRemaining(badge, t);
  const percent = format.percent(badge.progress / 100);
  return (
    <Link
      to={`/badges/${badge.achievementId}`}
      className={`badge-card ${badge.state.toLowerCase()}`}
      data-testid="badge-card"
      data-state={badge.state}
      data-key={badge.key ?? ""}
    >
      <ProgressRing progress={earned ? 100 : badge.progress} label={t("badges.progressLabel", { percent })}>
        <BadgeIcon badge={badge} size={26} />
      </ProgressRing>
      <div className="badge-text">
        <span className="name">{badge.name}</span>
        {earned ? (
          <span className="earned-on">
            {badge.timesEarned > 1
              ? t("badges.timesEarned", { count: badge.timesEarned })
              : t("badges.earnedOn", { date: format.date(badge.earnedAt!) })}
          </span>
        ) : (
          <>
            <span className="progress-line">
              <span className="percent" data-testid="badge-progress">
                {percent}
              </span>
              {left.length > 0 && <span className="left"> · {left.join(", ")}</span>}
            </span>
          </>
        )}
        <span className="muted small">{t("badges.rarity", { share: format.percent(badge.rarity) })}</span>
      </div>
    </Link>
  );
}
