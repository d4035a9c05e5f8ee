import type { AnnualSummary } from "@laurel/client";
import { type ReactNode, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Bar, BarChart, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { client } from "../lib/client";
import { useFormat } from "../lib/format";
import { useResult } from "../lib/useResult";
import { ErrorMessage, Loading } from "../widgets/ErrorMessage";
import { useYear, YearPicker } from "../widgets/YearPicker";

/** Seed 002's Wrapped: a story of slides for one year; this year's is a labelled year-to-date preview. */
export function WrappedScreen() {
  const { t } = useTranslation();
  const { year, years, setYear } = useYear(1);
  const summary = useResult(() => client.annualSummary(year), `annualSummary:${year}`);
  const types = useResult(() => client.activityTypes(), "activityTypes");

  const ready = summary.state.status === "ready" ? summary.state.data : null;
  useEffect(() => {
    // Seed 002's viewed_at: the first time the story is opened.
    if (ready && !ready.viewedAt && ready.generationStatus === "ready")
      void client.markAnnualSummaryViewed(ready.year);
  }, [ready]);

  const typeName = (slug: string | null) =>
    (types.state.status === "ready" && types.state.data.find((type) => type.slug === slug)?.name) ||
    slug ||
    "";

  return (
    <div className="stack">
      <div className="title-row">
        <h1>{t("wrapped.title")}</h1>
        <YearPicker year={year} years={years} onChange={setYear} />
      </div>
      {summary.state.status === "loading" && <Loading />}
      {summary.state.status === "error" && (
        <ErrorMessage error={summary.state.error} onRetry={summary.reload} />
      )}
      {ready && <Story key={ready.year} summary={ready} typeName={typeName} />}
    </div>
  );
}

function Story({ summary, typeName }: { summary: AnnualSummary; typeName: (slug: string | null) => string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [index, setIndex] = useState(0);
  const year = summary.year;

  const preview = summary.isPreview && (
    <p className="preview-banner" data-testid="wrapped-preview">
      <strong>{t("wrapped.preview")}</strong> {t("wrapped.previewNote", { year })}
    </p>
  );
  if (summary.generationStatus !== "ready" && !summary.isPreview)
    return <p className="empty">{t("wrapped.pending", { year })}</p>;
  if (summary.totalActivities === 0)
    return (
      <>
        {preview}
        <p className="empty">{t("wrapped.empty", { year })}</p>
      </>
    );

  const months = summary.monthlyActivityCounts.map((count, i) => ({
    month: format.month(i + 1, "short"),
    count,
    n: i + 1,
  }));
  const slides: { id: string; title: string; body: ReactNode }[] = [
    {
      id: "intro",
      title: t("wrapped.intro", { year }),
      body: <p className="lead">{t("wrapped.introText")}</p>,
    },
    {
      id: "totals",
      title: t("wrapped.totalsTitle"),
      body: (
        <div className="totals" data-testid="wrapped-totals">
          <Stat
            testId="total-activities"
            value={format.number(summary.totalActivities, 0)}
            label={t("wrapped.activities")}
          />
          <Stat
            testId="total-hours"
            value={format.number(summary.totalHours, 1)}
            label={t("wrapped.hours")}
          />
          <Stat
            testId="total-contacts"
            value={format.number(summary.totalContactsReached, 0)}
            label={t("wrapped.contacts")}
          />
          <Stat
            testId="total-events"
            value={format.number(summary.totalEventsAttended, 0)}
            label={t("wrapped.events")}
          />
        </div>
      ),
    },
    {
      id: "months",
      title: t("wrapped.monthsTitle"),
      body: (
        <>
          <div className="chart" data-testid="wrapped-chart">
            <ResponsiveContainer width="100%" height={220}>
              <BarChart data={months} margin={{ top: 8, right: 4, left: -24, bottom: 0 }}>
                <XAxis dataKey="month" tick={{ fill: "#fff", fontSize: 11 }} interval={0} tickLine={false} />
                <YAxis
                  allowDecimals={false}
                  tick={{ fill: "#fff", fontSize: 11 }}
                  axisLine={false}
                  tickLine={false}
                />
                <Tooltip cursor={{ fill: "rgba(255,255,255,0.1)" }} contentStyle={{ color: "#222" }} />
                <Bar dataKey="count" radius={[4, 4, 0, 0]} isAnimationActive={false}>
                  {months.map((m) => (
                    <Cell
                      key={m.n}
                      fill={m.n === summary.mostActiveMonth ? "#ffd166" : "rgba(255,255,255,0.75)"}
                    />
                  ))}
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </div>
          {summary.mostActiveMonth && (
            <p className="lead">
              {t("wrapped.mostActiveMonth", { month: format.month(summary.mostActiveMonth) })}
            </p>
          )}
        </>
      ),
    },
    {
      id: "favourite",
      title: t("wrapped.favouriteTitle"),
      body: (
        <>
          {summary.topActivityType && (
            <p className="lead">
              {t("wrapped.topActivityType", { type: typeName(summary.topActivityType) })}
            </p>
          )}
          {summary.streakDays !== null && (
            <p className="lead">{t("wrapped.streak", { count: summary.streakDays })}</p>
          )}
        </>
      ),
    },
    {
      id: "badges",
      title: t("wrapped.badgesTitle"),
      body: (
        <p className="lead">
          {summary.badgesEarnedCount > 0
            ? t("wrapped.badgesEarned", { count: summary.badgesEarnedCount })
            : t("wrapped.noBadges")}
        </p>
      ),
    },
    {
      id: "highlights",
      title: t("wrapped.highlightsTitle"),
      body:
        summary.highlightMoments.length === 0 ? (
          <p>{t("wrapped.noHighlights")}</p>
        ) : (
          <ul className="highlights">
            {summary.highlightMoments.map((moment) => (
              <li key={`${moment.type}-${moment.date}`}>
                <span className="small">{format.day(moment.date)}</span>
                <span>{moment.description}</span>
              </li>
            ))}
          </ul>
        ),
    },
    { id: "thanks", title: t("wrapped.thanksTitle"), body: <p className="lead">{t("wrapped.thanks")}</p> },
  ];
  const slide = slides[Math.min(index, slides.length - 1)]!;

  return (
    <>
      {preview}
      <section
        className={`story slide-${slide.id}`}
        data-testid="wrapped-story"
        data-slide={slide.id}
        aria-roledescription="slides"
      >
        <div className="story-progress" aria-hidden="true">
          {slides.map((s, i) => (
            <span key={s.id} className={i <= index ? "done" : ""} />
          ))}
        </div>
        <p className="small story-count">
          {summary.isPreview ? `${t("wrapped.preview")} · ` : ""}
          {t("wrapped.slide", { n: index + 1, total: slides.length })}
        </p>
        <h2>{slide.title}</h2>
        <div className="story-body">{slide.body}</div>
        <div className="story-nav">
          <button type="button" className="ghost" disabled={index === 0} onClick={() => setIndex(index - 1)}>
            ← {t("wrapped.previous")}
          </button>
          <button
            type="button"
            className="ghost"
            disabled={index === slides.length - 1}
            onClick={() => setIndex(index + 1)}
          >
            {t("wrapped.next")} →
          </button>
        </div>
      </section>
    </>
  );
}

function Stat({ value, label, testId }: { value: string; label: string; testId: string }) {
  return (
    <div className="stat">
      <span className="stat-value" data-testid={testId}>
        {value}
      </span>
      <span className="stat-label">{label}</span>
    </div>
  );
}
