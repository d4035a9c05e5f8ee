import { useLaurelDataProvider } from "../hooks/useLaurelDataProvider";
import { useRemote } from "../hooks/useRemote";

/** The dashboard's statistics over the last twelve weeks, once the admin may read progress. */
export function useDashboardStats(enabled: boolean) {
  const dataProvider = useLaurelDataProvider();
  return useRemote(enabled ? () => dataProvider.dashboardStats(12) : undefined, `dashboard:${enabled}`);
}
