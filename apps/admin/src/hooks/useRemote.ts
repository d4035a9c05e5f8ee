import { useCallback, useEffect, useState } from "react";

export type Remote<T> = { data?: T; error?: Error; isPending: boolean; refetch: () => void };

/**
 * One request that is not react-admin CRUD (progress, standing, dashboard statistics), with refetch.
 * @tanstack/react-query is react-admin's, not a dependency of this app, so this small hook stands in.
 */
export function useRemote<T>(load: (() => Promise<T>) | undefined, key: string): Remote<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; isPending: boolean }>({ isPending: !!load });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!load) return;
    let live = true;
    setState((s) => ({ ...s, isPending: true }));
    load().then(
      (data) => live && setState({ data, isPending: false }),
      (error: Error) => live && setState({ error, isPending: false }),
    );
    return () => {
      live = false;
    };
    // `key` names what is loaded; `load` is a new function on every render.
  }, [key, version]);
  const refetch = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, refetch };
}
