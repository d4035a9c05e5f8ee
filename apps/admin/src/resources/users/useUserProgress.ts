import { useRemote } from "../../hooks/useRemote";
import { useLaurelDataProvider } from "../../hooks/useLaurelDataProvider";

/** A user's progress on every badge of their organization, and their points and reward ledger. */
export function useUserProgress(userId: string | undefined) {
  const dataProvider = useLaurelDataProvider();
  const progress = useRemote(
    userId ? () => dataProvider.userProgress(userId) : undefined,
    `progress:${userId}`,
  );
  const standing = useRemote(
    userId ? () => dataProvider.userStanding(userId) : undefined,
    `standing:${userId}`,
  );
  return { progress, standing };
}
