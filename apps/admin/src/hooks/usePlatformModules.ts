import { useLaurelDataProvider } from "./useLaurelDataProvider";
import { useRemote } from "./useRemote";

/** A readable name for a module id: achievements-gamification -> Achievements gamification. */
const label = (id: string) => id.charAt(0).toUpperCase() + id.slice(1).replace(/-/g, " ");

/**
 * The modules the installation offers (the API's LAUREL_MODULES) as choices, plus any the record
 * already holds that the installation no longer offers, so a form never silently drops one.
 */
export function useModuleChoices(current: readonly string[] = []) {
  const dataProvider = useLaurelDataProvider();
  const { data, isPending } = useRemote(() => dataProvider.platformModules(), "platformModules");
  const ids = [...new Set([...(data ?? []), ...current])];
  return {
    choices: ids.map((id) => ({
      id,
      name: data && !data.includes(id) ? `${label(id)} (no longer offered)` : label(id),
    })),
    isPending,
  };
}
