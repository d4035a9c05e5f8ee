import type { Badge, LaurelError, Standing } from "@laurel/client";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { client } from "../lib/client";

type Badges = {
  badges: Badge[] | null;
  standing: Standing | null;
  error: LaurelError | null;
  /** Fetches the catalog and standing again, e.g. after an activity unlocked a badge. */
  reload(): Promise<void>;
};

const BadgesContext = createContext<Badges | null>(null);

type Loaded = Pick<Badges, "badges" | "standing" | "error">;

/** Fetches the catalog and the standing; the update it returns keeps what was shown of a part that failed. */
async function fetchBadges(): Promise<(previous: Loaded) => Loaded> {
  const [catalog, points] = await Promise.all([client.badges(), client.standing()]);
  return (previous) => ({
    badges: catalog.ok ? catalog.data : previous.badges,
    standing: points.ok ? points.data : previous.standing,
    error: !catalog.ok ? catalog.error : !points.ok ? points.error : null,
  });
}

/** The signed-in user's badges and points, shared by the Badges screen, the widget and the log form. */
export function BadgesProvider({ children }: { children: ReactNode }) {
  const [loaded, setLoaded] = useState<Loaded>({ badges: null, standing: null, error: null });

  const reload = useCallback(async () => setLoaded(await fetchBadges()), []);

  useEffect(() => {
    let live = true;
    // The client returns failures as values (LaurelResult), so this promise does not reject.
    void fetchBadges().then((update) => live && setLoaded(update));
    return () => {
      live = false;
    };
  }, []);

  const value = useMemo(() => ({ ...loaded, reload }), [loaded, reload]);
  return <BadgesContext.Provider value={value}>{children}</BadgesContext.Provider>;
}

export function useBadges(): Badges {
  const value = useContext(BadgesContext);
  if (!value) throw new Error("useBadges outside BadgesProvider");
  return value;
}
