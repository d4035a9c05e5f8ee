import type { Award } from "@laurel/client";
import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from "react";
import { UnlockDialog } from "../widgets/UnlockDialog";

type Unlocks = {
  /** Shows badges just unlocked; each award once, whether its own mutation or a live event told it first. */
  show(awards: Award[]): void;
};

const UnlocksContext = createContext<Unlocks | null>(null);

/** The one unlock dialog of the app: for an activity logged here, and for awards arriving live. */
export function UnlocksProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<Award[]>([]);
  const shown = useRef(new Set<string>());

  const show = useCallback((awards: Award[]) => {
    const fresh = awards.filter((award) => !shown.current.has(award.id));
    if (fresh.length === 0) return;
    for (const award of fresh) shown.current.add(award.id);
    setPending((current) => [...current, ...fresh]);
  }, []);

  const value = useMemo(() => ({ show }), [show]);
  return (
    <UnlocksContext.Provider value={value}>
      {children}
      {pending.length > 0 && <UnlockDialog awards={pending} onClose={() => setPending([])} />}
    </UnlocksContext.Provider>
  );
}

export function useUnlocks(): Unlocks {
  const value = useContext(UnlocksContext);
  if (!value) throw new Error("useUnlocks outside UnlocksProvider");
  return value;
}
