import type { Badge } from "@laurel/client";
import { categoryColor, Icon } from "./Icon";

/** The badge's own icon, or a medal in its category's colour; a question mark while it is a mystery. */
export function BadgeIcon({
  badge,
  size = 32,
}: {
  badge: Pick<Badge, "iconUrl" | "isMystery" | "category">;
  size?: number;
}) {
  if (badge.isMystery) return <Icon name="question" size={size} color="#7c8a94" />;
  if (badge.iconUrl)
    return <img src={badge.iconUrl} alt="" width={size} height={size} className="badge-img" />;
  return <Icon name="medal" size={size} color={categoryColor(badge.category)} />;
}
