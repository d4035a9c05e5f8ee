import type { LaurelError, LaurelResult } from "@laurel/client";
import { useCallback, useEffect, useEffectEvent, useState } from "react";

export type Loaded<T> =
  { status: "loading" } | { status: "error"; error: LaurelError } | { status: "ready"; data: T };

/**
 * Loads a client call, and again whenever `key` (what is loaded, e.g. `advantage:${year}`) changes; `load` may be a
 * new function on every render, the latest one is called. `reload` fetches again without a blank screen.
 */
export function useResult<T>(load: () => Promise<LaurelResult<T>>, key: string) {
  const [loaded, setLoaded] = useState<{ key: string; state: Loaded<T> } | null>(null);
  const [version, setVersion] = useState(0);
  const loadLatest = useEffectEvent(load);

  useEffect(() => {
    let current = true;
    // The client returns failures as values (LaurelResult), so this promise does not reject.
    void loadLatest().then((result) => {
      if (!current) return;
      setLoaded({
        key,
        state: result.ok ? { status: "ready", data: result.data } : { status: "error", error: result.error },
      });
    });
    return () => {
      current = false;
    };
  }, [key, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  // A new key shows "loading" at once; a reload keeps what is shown until its answer arrives.
  const state: Loaded<T> = loaded?.key === key ? loaded.state : { status: "loading" };
  return { state, reload };
}
