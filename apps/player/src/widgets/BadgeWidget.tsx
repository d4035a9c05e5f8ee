import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { latestEarned } from "../lib/badges";
import { useFormat } from "../lib/format";
import { useBadges } from "../session/BadgesProvider";
import { BadgeIcon } from "./BadgeIcon";

/** Seed 000's BadgeWidget: points, badges earned and the latest few. */
export function BadgeWidget() {
  const { t } = useTranslation();
  const format = useFormat();
  const { badges, standing } = useBadges();
  if (!badges || !standing) return null;
  const latest = latestEarned(badges, 3);
  return (
    <section className="widget" aria-label={t("widget.latest")} data-testid="badge-widget">
      <div className="widget-stats">
        <div>
          <span className="big" data-testid="points">
            {format.number(standing.points, 0)}
          </span>{" "}
          {t("widget.points")}
        </div>
        <div>{t("widget.badgesEarned", { count: standing.badgesEarned })}</div>
      </div>
      {latest.length === 0 ? (
        <p className="muted">{t("widget.none")}</p>
      ) : (
        <ul className="widget-latest">
          {latest.map((badge) => (
            <li key={badge.achievementId}>
              <Link to={`/badges/${badge.achievementId}`}>
                <BadgeIcon badge={badge} size={28} />
                <span>
                  <span className="name">{badge.name}</span>
                  <span className="muted small">{format.date(badge.earnedAt!)}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
