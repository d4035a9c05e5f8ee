import { useLaurelDataProvider } from "../../hooks/useLaurelDataProvider";
import { useRemote } from "../../hooks/useRemote";

/**
 * The event types an endpoint may take (the API's `webhookEventTypes`) as choices, plus any the endpoint
 * already holds that the API no longer offers, so a save never silently drops one.
 */
export function useWebhookEventTypes(current: readonly string[] = []) {
  const dataProvider = useLaurelDataProvider();
  const { data, error, isPending } = useRemote(() => dataProvider.webhookEventTypes(), "webhookEventTypes");
  const ids = [...new Set([...(data ?? []), ...current])];
  return {
    choices: ids.map((id) => ({ id, name: data && !data.includes(id) ? `${id} (no longer offered)` : id })),
    error,
    isPending,
  };
}
