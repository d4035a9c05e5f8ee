import type { Award } from "@laurel/client";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { BadgeIcon } from "./BadgeIcon";
import { RichText } from "./RichText";

/**
 * Badges just unlocked, with their points and rewards, shown at once: by an activity logged here, or by
 * an award arriving live (the game server's event). One dialog for both (session/UnlocksProvider.tsx).
 */
export function UnlockDialog({ awards, onClose }: { awards: Award[]; onClose: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="unlock"
      onClose={onClose}
      data-testid="unlock-dialog"
      aria-labelledby="unlock-title"
    >
      <h2 id="unlock-title">{t("unlock.title")}</h2>
      <ul>
        {awards.map((award) => (
          <li key={award.id} className="unlocked">
            <span className="unlock-icon">
              <BadgeIcon badge={award.achievement} size={48} />
            </span>
            <strong className="name">{award.achievement.name}</strong>
            <RichText html={award.achievement.description} className="muted" />
            {award.pointsAwarded > 0 && (
              <span className="pill earned">{t("unlock.points", { count: award.pointsAwarded })}</span>
            )}
            {award.rewards.length > 0 && (
              <div className="rewards">
                <span className="small muted">{t("unlock.rewards")}</span>
                <ul>
                  {award.rewards.map((reward) => (
                    <li key={reward.consumableId}>
                      {t("unlock.reward", { name: reward.name, quantity: reward.quantity })}
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </li>
        ))}
      </ul>
      <div className="actions">
        <Link to="/" className="button secondary" onClick={onClose}>
          {t("unlock.seeBadges")}
        </Link>
        <button type="button" onClick={() => ref.current?.close()}>
          {t("unlock.close")}
        </button>
      </div>
    </dialog>
  );
}
