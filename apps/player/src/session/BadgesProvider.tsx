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

/** The signed-in user's badges and points, shared by the Badges screen, the widget and the log form. */
export function BadgesProvider({ children }: { children: ReactNode }) {
  const [badges, setBadges] = useState<Badge[] | null>(null);
  const [standing, setStanding] = useState<Standing | null>(null);
  const [error, setError] = useState<LaurelError | null>(null);

  const reload = useCallback(async () => {
    const [catalog, points] = await Promise.all([client.badges(), client.standing()]);
    if (catalog.ok) setBadges(catalog.data);
    if (points.ok) setStanding(points.data);
    setError(!catalog.ok ? catalog.error : !points.ok ? points.error : null);
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const value = useMemo(() => ({ badges, standing, error, reload }), [badges, standing, error, reload]);
  return <BadgesContext.Provider value={value}>{children}</BadgesContext.Provider>;
}

export function useBadges(): Badges {
  const value = useContext(BadgesContext);
  if (!value) throw new Error("useBadges outside BadgesProvider");
  return value;
}
