import { useTranslation } from "react-i18next";
import { Bar, BarChart, LabelList, ResponsiveContainer, XAxis, YAxis } from "recharts";
import { client } from "../lib/client";
import { useFormat } from "../lib/format";
import { useResult } from "../lib/useResult";
import { ErrorMessage, Loading } from "../widgets/ErrorMessage";
import { useYear, YearPicker } from "../widgets/YearPicker";

/** Seed 004's Advantage Calculator: hours × the organization's hourly rate, and the other benefits. */
export function AdvantageScreen() {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const { year, years, setYear } = useYear(0);
  const advantage = useResult(() => client.advantage(year), `advantage:${year}`);

  const head = (
    <div className="title-row">
      <h1>{t("advantage.title")}</h1>
      <YearPicker year={year} years={years} onChange={setYear} />
    </div>
  );
  if (advantage.state.status === "loading")
    return (
      <div className="stack">
        {head}
        <Loading />
      </div>
    );
  if (advantage.state.status === "error")
    return (
      <div className="stack">
        {head}
        <ErrorMessage error={advantage.state.error} onRetry={advantage.reload} />
      </div>
    );

  const a = advantage.state.data;
  const label = (key: string, fallback: string) =>
    i18n.exists(`advantage.category.${key}`) ? t(`advantage.category.${key}`) : fallback;
  const breakdown = a.advantageBreakdown.map((item) => ({ ...item, name: label(item.key, item.label) }));

  return (
    <div className="stack">
      {head}
      {a.totalActivities === 0 && <p className="muted">{t("advantage.empty", { year })}</p>}
      <section className="card hero" data-testid="advantage-value-card">
        <p className="muted">{t("advantage.estimated", { year })}</p>
        {a.estimatedMonetaryValue !== null && a.hourlyRate !== null ? (
          <>
            <p className="hero-value" data-testid="advantage-value">
              {format.money(a.estimatedMonetaryValue, a.currency)}
            </p>
            <p data-testid="advantage-formula">
              {t("advantage.formula", {
                hours: format.number(a.totalHours, 2),
                rate: format.rate(a.hourlyRate, a.currency),
              })}
            </p>
            {a.rateSource && (
              <p className="muted small">{t("advantage.rateSource", { source: a.rateSource })}</p>
            )}
          </>
        ) : (
          <p className="empty">{t("advantage.noRate", { year })}</p>
        )}
      </section>

      <div className="totals light">
        <div className="stat">
          <span className="stat-value">{format.number(a.totalActivities, 0)}</span>
          <span className="stat-label">{t("advantage.activities")}</span>
        </div>
        <div className="stat">
          <span className="stat-value">{format.number(a.totalHours, 1)}</span>
          <span className="stat-label">{t("advantage.hours")}</span>
        </div>
        <div className="stat">
          <span className="stat-value">{format.number(a.contactsHelped ?? 0, 0)}</span>
          <span className="stat-label">{t("advantage.contacts")}</span>
        </div>
        <div className="stat">
          <span className="stat-value" data-testid="impact-score">
            {a.socialImpactScore === null ? "–" : format.number(a.socialImpactScore, 1)}
          </span>
          <span className="stat-label">{t("advantage.impact")}</span>
        </div>
      </div>

      <section className="card">
        <h2>{t("advantage.breakdown")}</h2>
        {breakdown.length === 0 ? (
          <p className="muted">{t("advantage.noBreakdown", { year })}</p>
        ) : (
          <>
            <div className="chart" data-testid="advantage-chart">
              <ResponsiveContainer width="100%" height={56 * breakdown.length + 16}>
                <BarChart
                  data={breakdown}
                  layout="vertical"
                  margin={{ top: 4, right: 80, left: 4, bottom: 4 }}
                >
                  <XAxis type="number" hide />
                  <YAxis
                    type="category"
                    dataKey="name"
                    width={130}
                    tick={{ fontSize: 12 }}
                    tickLine={false}
                    axisLine={false}
                  />
                  <Bar dataKey="value" fill="#2a9d8f" radius={[0, 6, 6, 0]} isAnimationActive={false}>
                    <LabelList
                      dataKey="value"
                      position="right"
                      formatter={(value: unknown) => format.money(Number(value), a.currency)}
                      style={{ fontSize: 12, fill: "#1d3557" }}
                    />
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
            </div>
            <ul className="list">
              {breakdown.map((item) => (
                <li key={item.key}>
                  <span>{item.name}</span>
                  <span className="muted small">
                    {format.number(item.quantity, 2)} × {format.rate(item.rate, a.currency)}{" "}
                    {t(`advantage.basis.${item.basis}`, { defaultValue: item.basis })} ={" "}
                    {format.money(item.value, a.currency)}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}
