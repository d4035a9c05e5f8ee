import { useNotify, useRedirect, useResourceContext } from "react-admin";
import type { Achievement } from "./choices";

/**
 * After a save: the record is saved whatever its warnings say; they show in a notification
 * ("Warning: ... (rule)") instead of the plain "saved" message.
 */
export function useSaveWarnings(action: "created" | "updated") {
  const notify = useNotify();
  const redirect = useRedirect();
  const resource = useResourceContext();
  return (record: Achievement) => {
    const warnings = record.warnings ?? [];
    if (warnings.length > 0) {
      notify(`Saved. ${warnings.map((w) => `Warning: ${w.message} (${w.rule})`).join(" ")}`, {
        type: "warning",
        autoHideDuration: 10_000,
      });
    } else {
      notify(`ra.notification.${action}`, { type: "info", messageArgs: { smart_count: 1 } });
    }
    redirect("list", resource);
  };
}
