import { useState } from "react";
import { useNotify } from "react-admin";

/**
 * One call beyond CRUD started from a button (replay, rotate, test event): `busy` while it runs, its
 * error in a notification, its result to `onDone`.
 */
export function useAction<A extends unknown[], T>(
  action: (...args: A) => Promise<T>,
  onDone: (result: T) => void,
) {
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const run = async (...args: A) => {
    setBusy(true);
    try {
      onDone(await action(...args));
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: "error" });
    } finally {
      setBusy(false);
    }
  };
  return { busy, run: (...args: A) => void run(...args) };
}
