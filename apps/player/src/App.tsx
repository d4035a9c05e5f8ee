import { useTranslation } from "react-i18next";
import { BrowserRouter, Navigate, NavLink, Outlet, Route, Routes } from "react-router-dom";
import { BadgeDetailScreen } from "./screens/BadgeDetailScreen";
import { AdvantageScreen } from "./screens/AdvantageScreen";
import { BadgesScreen } from "./screens/BadgesScreen";
import { LogActivityScreen } from "./screens/LogActivityScreen";
import { SignInScreen } from "./screens/SignInScreen";
import { WrappedScreen } from "./screens/WrappedScreen";
import { BadgesProvider } from "./session/BadgesProvider";
import { LiveEvents } from "./session/LiveEvents";
import { SessionProvider, useSession } from "./session/SessionProvider";
import { UnlocksProvider } from "./session/UnlocksProvider";
import { ErrorMessage, Loading } from "./widgets/ErrorMessage";
import { Icon } from "./widgets/Icon";
import { EmailSwitch } from "./widgets/EmailSwitch";
import { LanguageSwitch } from "./widgets/LanguageSwitch";

export function App() {
  return (
    <SessionProvider>
      <BrowserRouter basename="/player">
        <Gate />
      </BrowserRouter>
    </SessionProvider>
  );
}

/** Signed in: the app; otherwise the sign-in screen. */
function Gate() {
  const { viewer, error } = useSession();
  if (viewer === undefined) return <Loading />;
  if (viewer === null)
    return (
      <>
        {error && <ErrorMessage error={error} />}
        <SignInScreen />
      </>
    );
  // Wrapped and the calculator are the peer mentors' (seeds 002 and 004): those who log activities.
  const mentor = viewer.role.permissions.includes("log:activities");
  return (
    <BadgesProvider key={viewer.id}>
      <UnlocksProvider>
        <Routes>
          <Route element={<Layout mentor={mentor} />}>
            <Route index element={<BadgesScreen />} />
            <Route path="badges/:achievementId" element={<BadgeDetailScreen />} />
            {mentor && <Route path="log" element={<LogActivityScreen />} />}
            {mentor && <Route path="wrapped" element={<WrappedScreen />} />}
            {mentor && <Route path="advantage" element={<AdvantageScreen />} />}
            <Route path="*" element={<Navigate to="/" replace />} />
          </Route>
        </Routes>
      </UnlocksProvider>
    </BadgesProvider>
  );
}

function Layout({ mentor }: { mentor: boolean }) {
  const { t } = useTranslation();
  const { viewer, signOut, signOutEverywhere } = useSession();
  const tabs = [
    { to: "/", label: t("nav.badges"), icon: "medal" as const, end: true },
    ...(mentor
      ? [
          { to: "/log", label: t("nav.log"), icon: "plus" as const, end: false },
          { to: "/wrapped", label: t("nav.wrapped"), icon: "gift" as const, end: false },
          { to: "/advantage", label: t("nav.advantage"), icon: "coin" as const, end: false },
        ]
      : []),
  ];
  return (
    <div className="shell">
      <header className="top">
        <div className="brand">
          <Icon name="leaf" size={28} color="#2a9d8f" />
          <span>
            <strong>{viewer?.organization?.name ?? t("app.name")}</strong>
            <span className="muted small">{viewer?.displayName}</span>
          </span>
        </div>
        <div className="top-actions">
          <LanguageSwitch />
          <EmailSwitch />
          <button type="button" className="ghost small" onClick={signOut}>
            {t("app.signOut")}
          </button>
          <button
            type="button"
            className="ghost small"
            title={t("app.signOutEverywhereHint")}
            onClick={() => void signOutEverywhere()}
          >
            {t("app.signOutEverywhere")}
          </button>
        </div>
      </header>
      <LiveEvents />
      {tabs.length > 1 && (
        <nav className="tabs" aria-label="Laurel">
          {tabs.map((tab) => (
            <NavLink key={tab.to} to={tab.to} end={tab.end}>
              <Icon name={tab.icon} />
              <span>{tab.label}</span>
            </NavLink>
          ))}
        </nav>
      )}
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
