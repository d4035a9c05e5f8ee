import type { LaurelError, LaurelResult } from "@laurel/client";
import { useCallback, useEffect, useState } from "react";

export type Loaded<T> =
  { status: "loading" } | { status: "error"; error: LaurelError } | { status: "ready"; data: T };

/** Loads a client call when its dependencies change; `reload` fetches again without a blank screen. */
export function useResult<T>(load: () => Promise<LaurelResult<T>>, deps: unknown[]) {
  const [state, setState] = useState<Loaded<T>>({ status: "loading" });
  const run = useCallback(load, deps);

  const reload = useCallback(async () => {
    const result = await run();
    setState(result.ok ? { status: "ready", data: result.data } : { status: "error", error: result.error });
  }, [run]);

  useEffect(() => {
    let current = true;
    setState({ status: "loading" });
    void run().then((result) => {
      if (!current) return;
      setState(result.ok ? { status: "ready", data: result.data } : { status: "error", error: result.error });
    });
    return () => {
      current = false;
    };
  }, [run]);

  return { state, reload };
}
