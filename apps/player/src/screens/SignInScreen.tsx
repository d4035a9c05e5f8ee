import type { LaurelError } from "@laurel/client";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { client } from "../lib/client";
import { useSession } from "../session/SessionProvider";
import { ErrorMessage } from "../widgets/ErrorMessage";
import { Icon } from "../widgets/Icon";
import { LanguageSwitch } from "../widgets/LanguageSwitch";

/** Email first, then the one-time code it was sent. */
export function SignInScreen() {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const [email, setEmail] = useState("");
  const [code, setCode] = useState("");
  const [step, setStep] = useState<"email" | "code">("email");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<LaurelError | null>(null);

  async function sendCode(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await client.requestSignInCode(email.trim());
    setBusy(false);
    if (result.ok) setStep("code");
    else setError(result.error);
  }

  async function submitCode(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await signIn(email.trim(), code.trim());
    setBusy(false);
    if (!result.ok) setError(result.error);
  }

  return (
    <main className="sign-in">
      <div className="card form">
        <div className="title-row">
          <h1 className="with-icon">
            <Icon name="leaf" size={28} color="#2a9d8f" /> {t("signIn.title")}
          </h1>
          <LanguageSwitch />
        </div>
        {step === "email" ? (
          <form onSubmit={(e) => void sendCode(e)} className="stack">
            <p className="muted">{t("signIn.intro")}</p>
            <label>
              {t("signIn.email")}
              <input
                name="email"
                type="email"
                autoComplete="email"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </label>
            {error && <ErrorMessage error={error} />}
            <button type="submit" disabled={busy || !email.trim()}>
              {t("signIn.sendCode")}
            </button>
          </form>
        ) : (
          <form onSubmit={(e) => void submitCode(e)} className="stack">
            <p className="muted">{t("signIn.sent", { email })}</p>
            <label>
              {t("signIn.code")}
              <input
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                required
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
            </label>
            {error && <ErrorMessage error={error} />}
            <button type="submit" disabled={busy || !code.trim()}>
              {t("signIn.submit")}
            </button>
            <button
              type="button"
              className="ghost"
              onClick={() => {
                setStep("email");
                setCode("");
                setError(null);
              }}
            >
              {t("signIn.otherEmail")}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
