import { useCallback, useEffect, useEffectEvent, useState } from "react";

export type Remote<T> = { data?: T; error?: Error; isPending: boolean; refetch: () => void };

/**
 * One request that is not react-admin CRUD (progress, standing, dashboard statistics), with refetch.
 * @tanstack/react-query is react-admin's, not a dependency of this app, so this small hook stands in.
 * `key` names what is loaded: the request runs again when it changes; `load` may be a new function on every render,
 * the latest one is called. Until a request settles, the previous data and error stay.
 */
export function useRemote<T>(load: (() => Promise<T>) | undefined, key: string): Remote<T> {
  const [settled, setSettled] = useState<{ request: string; data?: T; error?: Error } | null>(null);
  const [version, setVersion] = useState(0);
  const request = `${version}:${key}`;
  const loadLatest = useEffectEvent(() => load?.());

  useEffect(() => {
    const pending = loadLatest();
    if (!pending) return;
    let live = true;
    pending.then(
      (data) => live && setSettled({ request, data }),
      (error: Error) => live && setSettled({ request, error }),
    );
    return () => {
      live = false;
    };
  }, [request]);

  const refetch = useCallback(() => setVersion((v) => v + 1), []);
  return {
    data: settled?.data,
    error: settled?.error,
    isPending: !!load && settled?.request !== request,
    refetch,
  };
}
