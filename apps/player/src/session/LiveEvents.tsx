import type { LaurelError } from "@laurel/client";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { client } from "../lib/client";
import { useBadges } from "./BadgesProvider";
import { useSession } from "./SessionProvider";
import { useUnlocks } from "./UnlocksProvider";

/** `reload`, at most one at a time: a burst of events costs two fetches, not one each. */
function useCoalesced(reload: () => Promise<void>): () => void {
  const state = useRef({ running: false, again: false });
  return useCallback(() => {
    const s = state.current;
    if (s.running) {
      s.again = true;
      return;
    }
    s.running = true;
    void (async () => {
      do {
        s.again = false;
        await reload();
      } while (s.again);
      s.running = false;
    })();
  }, [reload]);
}

/**
 * The signed-in user's live events (`myEvents`): an award shows the unlock dialog, also one that the
 * game server's event caused while the app is open; awards and progress refresh the badges. What was
 * sent while the connection was away is not replayed: after a reconnect the badges are read again.
 */
export function LiveEvents() {
  const { t } = useTranslation();
  const { reload } = useBadges();
  const { show } = useUnlocks();
  const { signOut } = useSession();
  const refresh = useCoalesced(reload);
  const [state, setState] = useState<"live" | "offline" | LaurelError>("live");
  const signOutRef = useRef(signOut);
  useEffect(() => {
    signOutRef.current = signOut;
  }, [signOut]);

  useEffect(() => {
    let connectedBefore = false;
    return client.subscribe.myEvents(
      {
        next(event) {
          if (event.award?.completed) show([event.award]);
          refresh();
        },
        connected() {
          setState("live");
          if (connectedBefore) refresh();
          connectedBefore = true;
        },
        closed: () => setState("offline"),
        error(error) {
          // The session ended (it expired, or was signed out everywhere): back to sign-in, as for a call.
          if (error.code === "UNAUTHENTICATED") signOutRef.current();
          else setState(error);
        },
      },
      { types: ["achievement.earned", "progress.changed"] },
    );
  }, [show, refresh]);

  if (state === "live") return null;
  return (
    <p className="live-status small" role="status" data-testid="live-status">
      {state === "offline" ? t("live.offline") : t("live.stopped", { message: state.message })}
    </p>
  );
}
