import type { AchievementCategory } from "@laurel/client";

// Drawn, not emoji: phones and kiosks without an emoji font would show empty boxes.
const PATHS = {
  medal:
    "M7 2h10l-3 6h-4L7 2zm5 7a6.5 6.5 0 1 1 0 13 6.5 6.5 0 0 1 0-13zm0 2.8 1.2 2.5 2.7.4-2 1.9.5 2.7-2.4-1.3-2.4 1.3.5-2.7-2-1.9 2.7-.4L12 11.8z",
  plus: "M11 4h2v7h7v2h-7v7h-2v-7H4v-2h7V4z",
  gift: "M4 10h16v3H4v-3zm1 4h6v7H5v-7zm8 0h6v7h-6v-7zM11 10h2v11h-2V10zm1-1c-2-3-6-4-6-1.5S10 9 12 9zm0 0c2-3 6-4 6-1.5S14 9 12 9z",
  coin: "M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18zm0 2a7 7 0 1 0 0 14 7 7 0 0 0 0-14zm-1 2h2v1.2c1.3.3 2.2 1.1 2.3 2.3h-2c-.1-.5-.6-.8-1.3-.8-.8 0-1.3.3-1.3.8s.4.7 1.6 1c1.9.4 3.1 1 3.1 2.6 0 1.2-.9 2.1-2.4 2.4V18h-2v-1.5c-1.5-.3-2.5-1.2-2.6-2.5h2c.1.6.7 1 1.6 1 .9 0 1.4-.3 1.4-.9 0-.5-.4-.7-1.7-1-1.8-.4-3-1-3-2.5 0-1.1.9-2 2.3-2.3V7z",
  question:
    "M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18zm-.1 12.5a1.2 1.2 0 1 0 0 2.4 1.2 1.2 0 0 0 0-2.4zM12 6c-2 0-3.5 1.2-3.6 3h2c.1-.7.7-1.1 1.6-1.1s1.5.5 1.5 1.2c0 .6-.3.9-1.2 1.5-1 .6-1.4 1.3-1.3 2.4v.5h2v-.4c0-.6.2-.9 1.1-1.5 1-.6 1.6-1.4 1.6-2.6C15.7 7.2 14.2 6 12 6z",
  leaf: "M20 4C9 4 4 9 4 16c0 1.4.3 2.7.8 4l1.8-.8C6.2 18.2 6 17.1 6 16c0-.6 0-1.2.1-1.7C9 11 13 9 16 8c-3.5 2-6.5 4.5-8.7 8.3C8.5 18.5 10.6 20 13 20c5 0 7-5 7-16z",
};
export type IconName = keyof typeof PATHS;

export function Icon({
  name,
  size = 22,
  color = "currentColor",
}: {
  name: IconName;
  size?: number;
  color?: string;
}) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" fill={color}>
      <path d={PATHS[name]} fillRule="evenodd" />
    </svg>
  );
}

const CATEGORY_COLOR: Record<AchievementCategory, string> = {
  activity: "#2a9d8f",
  annual: "#e76f51",
  competition: "#e9a800",
  events: "#457b9d",
  milestone: "#c08a00",
  social: "#8e5cc4",
  special: "#d1495b",
  streak: "#f4732a",
  trading: "#2b8a3e",
};

export function categoryColor(category: AchievementCategory): string {
  return CATEGORY_COLOR[category] ?? "#2a9d8f";
}
