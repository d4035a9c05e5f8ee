import type { Badge } from "@laurel/client";
import { categoryColor, Icon } from "./Icon";

/** The badge's own icon, or a medal in its category's colour. */
export function BadgeIcon({
  badge,
  size = 32,
}: {
  badge: Pick<Badge, "iconUrl" | "category">;
  size?: number;
}) {
  if (badge.iconUrl)
    return <img src={badge.iconUrl} alt="" width={size} height={size} className="badge-img" />;
  return <Icon name="medal" size={size} color={categoryColor(badge.category)} />;
}
