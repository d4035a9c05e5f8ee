import type { LaurelError, LaurelResult, Viewer } from "@laurel/client";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { client } from "../lib/client";
import { languageFor, setLanguage } from "../i18n";

type Session = {
  /** Undefined while the stored token is checked; null when nobody is signed in. */
  viewer: Viewer | null | undefined;
  signIn(email: string, code: string): Promise<LaurelResult<Viewer>>;
  signOut(): void;
  /** Ends every session of this user, on every device, and this one. */
  signOutEverywhere(): Promise<void>;
  /** Turns this person's emails about badges and Wrapped off (true) or on (false). */
  setEmailOptOut(optOut: boolean): Promise<void>;
  can(permission: string): boolean;
  error: LaurelError | null;
};

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [viewer, setViewer] = useState<Viewer | null | undefined>(client.token ? undefined : null);
  const [error, setError] = useState<LaurelError | null>(null);

  const adopt = useCallback((me: Viewer) => {
    setViewer(me);
    void setLanguage(languageFor(me.locale ?? me.organization?.locale), false);
  }, []);

  useEffect(() => {
    if (!client.token) return;
    void client.me().then((result) => {
      if (result.ok) adopt(result.data);
      else {
        // An expired or revoked token: back to sign-in. Anything else is shown, not hidden.
        if (result.error.code === "UNAUTHENTICATED") client.signOut();
        else setError(result.error);
        setViewer(null);
      }
    });
  }, [adopt]);

  const session = useMemo<Session>(
    () => ({
      viewer,
      error,
      async signIn(email, code) {
        const result = await client.signInWithCode(email, code);
        if (!result.ok) return result;
        adopt(result.data.user);
        return { ok: true, data: result.data.user };
      },
      signOut() {
        client.signOut();
        setViewer(null);
      },
      async signOutEverywhere() {
        const result = await client.signOutEverywhere();
        // Refused (the session had already ended) or not, this device is signed out.
        if (!result.ok && result.error.code !== "UNAUTHENTICATED") {
          setError(result.error);
          return;
        }
        client.signOut();
        setViewer(null);
      },
      async setEmailOptOut(optOut) {
        // Shown at once; put back if the server refuses.
        setViewer((v) => (v ? { ...v, emailOptOut: optOut } : v));
        const result = await client.updateMyEmailPreferences(optOut);
        if (result.ok) setViewer(result.data);
        else {
          setViewer((v) => (v ? { ...v, emailOptOut: !optOut } : v));
          setError(result.error);
        }
      },
      can: (permission) => viewer?.role.permissions.includes(permission) ?? false,
    }),
    [viewer, error, adopt],
  );

  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}
