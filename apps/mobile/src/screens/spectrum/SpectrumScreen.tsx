import type { SpectrumKind, SpectrumReport } from '@kalei/contracts/spectrum';
import { trapInfo } from '@kalei/contracts/taxonomy';
import { useRouter } from 'expo-router';
import { useState } from 'react';
import { Pressable, useWindowDimensions, View } from 'react-native';
import { ApiError } from '../../api/errors';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Chip } from '../../components/Chip';
import { Screen } from '../../components/Screen';
import { LoadingState, QueryError } from '../../components/StateViews';
import { Text } from '../../components/Text';
import { techniqueLabels } from '../../lib/techniques';
import { useSpectrumReport } from '../../state/queries/spectrum';
import { maxContentWidth, useTheme } from '../../theme/tokens';
import { changeText, periodName, periodTitle, shiftPeriod } from './fns';
import { MoodChart, TrapsChart, WeekdayChart } from './SpectrumCharts';

const oneDecimal = (n: number) => Math.round(n * 10) / 10;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Spectrum: this week or month at a glance against the one before, with the written insight. */
export function SpectrumScreen() {
  const { space } = useTheme();
  const [kind, setKind] = useState<SpectrumKind>('weekly');
  // undefined: the running period.
  const [period, setPeriod] = useState<string | undefined>(undefined);
  const report = useSpectrumReport(kind, period);
  const choose = (next: SpectrumKind) => {
    setKind(next);
    setPeriod(undefined);
  };
  const planRequired = report.error instanceof ApiError && report.error.code === 'plan_required';

  return (
    <Screen onRefresh={() => void report.refetch()} refreshing={report.isRefetching} testID="spectrum">
      <Text variant="title">Spectrum</Text>
      <Text color="textMuted" style={{ marginTop: space.xs, marginBottom: space.md }}>
        Your patterns over time: what came up, how often, and what helped.
      </Text>
      {planRequired ? (
        <SpectrumPreview />
      ) : (
        <>
          <View style={{ flexDirection: 'row' }} accessibilityLabel="Period length">
            <Chip label="Week" selected={kind === 'weekly'} onPress={() => choose('weekly')} testID="spectrum-weekly" />
            <Chip label="Month" selected={kind === 'monthly'} onPress={() => choose('monthly')} testID="spectrum-monthly" />
          </View>
          {report.isPending ? (
            <LoadingState />
          ) : report.error ? (
            <QueryError error={report.error} feature="Spectrum" onRetry={() => void report.refetch()} />
          ) : (
            <SpectrumReportView report={report.data} onPeriod={setPeriod} />
          )}
        </>
      )}
    </Screen>
  );
}

function SpectrumReportView({ report, onPeriod }: { report: SpectrumReport; onPeriod: (period: string | undefined) => void }) {
  const router = useRouter();
  const { space } = useTheme();
  const { width } = useWindowDimensions();
  const chartWidth = Math.min(width, maxContentWidth) - 2 * space.lg - 2 * space.lg;
  const { kind, figures } = report;
  const unit = kind === 'weekly' ? 'week' : 'month';
  const title = periodTitle(kind, report.period);
  const later = shiftPeriod(kind, report.period.start, 1);
  return (
    <View testID="spectrum-report">
      <View style={{ flexDirection: 'row', alignItems: 'center', justifyContent: 'space-between', marginBottom: space.sm }}>
        <Button
          label="Earlier"
          variant="ghost"
          size="small"
          accessibilityLabel={`Earlier ${unit}`}
          onPress={() => onPeriod(shiftPeriod(kind, report.period.start, -1))}
          testID="spectrum-earlier"
        />
        <Text variant="heading" accessibilityRole="header" testID="spectrum-period">
          {title}
        </Text>
        {report.period.complete ? (
          <Button label="Later" variant="ghost" size="small" accessibilityLabel={`Later ${unit}`} onPress={() => onPeriod(later)} testID="spectrum-later" />
        ) : (
          <View style={{ width: 72 }} />
        )}
      </View>

      <Narrative report={report} />

      <Card testID="spectrum-figures">
        <Text variant="bodyStrong">At a glance</Text>
        <Figure label="Turns" value={figures.turns} kind={kind} testID="spectrum-figure-turns" />
        <Figure label="Mirror sessions" value={figures.mirrorSessions} kind={kind} testID="spectrum-figure-sessions" />
        <Figure label="Thinking traps noticed" value={figures.trapTotal} kind={kind} testID="spectrum-figure-traps" />
        <Figure label="Lens actions done" value={figures.lens.actionsCompleted} kind={kind} testID="spectrum-figure-actions" />
        <Figure label="Check-ins" value={figures.lens.checkins} kind={kind} testID="spectrum-figure-checkins" />
        {figures.mood.averageBefore.current !== null ? (
          <Text variant="small" color="textMuted" style={{ marginTop: space.sm }}>
            Average mood before a turn: {oneDecimal(figures.mood.averageBefore.current)} of 10
            {figures.mood.averageBefore.previous !== null ? ` (last ${unit} ${oneDecimal(figures.mood.averageBefore.previous)})` : ''}
          </Text>
        ) : null}
      </Card>

      <Card>
        <TrapsChart figures={figures} kind={kind} width={chartWidth} />
        {figures.traps.some((t) => t.current > 0) ? (
          <View style={{ marginTop: space.md }}>
            <Text variant="small" color="textMuted" style={{ marginBottom: space.xs }}>
              See the turns and sessions behind a trap:
            </Text>
            <View style={{ flexDirection: 'row', flexWrap: 'wrap' }}>
              {figures.traps
                .filter((t) => t.current > 0)
                .map((t) => (
                  <Chip
                    key={t.trap}
                    label={`${trapInfo[t.trap].name} · ${t.current}`}
                    selected={false}
                    onPress={() => router.push({ pathname: '/gallery', params: { trap: t.trap } })}
                    testID={`spectrum-trap-${t.trap}`}
                  />
                ))}
            </View>
          </View>
        ) : null}
        <MoodChart figures={figures} width={chartWidth} />
        <WeekdayChart figures={figures} width={chartWidth} />
      </Card>

      {figures.helpfulTechniques.some((t) => t.current > 0) ? (
        <Card>
          <Text variant="bodyStrong">Reframes you found helpful</Text>
          {figures.helpfulTechniques
            .filter((t) => t.current > 0)
            .map((t) => (
              <Text key={t.technique} style={{ marginTop: space.xs }}>
                {techniqueLabels[t.technique]}: {t.current}
              </Text>
            ))}
        </Card>
      ) : null}

      {report.history.length > 0 ? (
        <Card testID="spectrum-history">
          <Text variant="bodyStrong">Earlier {unit}s</Text>
          {report.history.map((item) => (
            <Pressable
              key={item.start}
              accessibilityRole="button"
              accessibilityHint={`Shows that ${unit}`}
              onPress={() => onPeriod(periodName(kind, item.start))}
              style={{ paddingVertical: space.sm, minHeight: 44, justifyContent: 'center' }}
            >
              <Text>
                {periodTitle(kind, { ...item, timezone: report.period.timezone, complete: true })} · {plural(item.turns, 'turn', 'turns')} · {plural(item.mirrorSessions, 'session', 'sessions')}
                {item.topTrap ? ` · mostly ${trapInfo[item.topTrap].name.toLowerCase()}` : ''}
              </Text>
            </Pressable>
          ))}
        </Card>
      ) : null}
    </View>
  );
}

function Figure({ label, value, kind, testID }: { label: string; value: { current: number; previous: number }; kind: SpectrumKind; testID: string }) {
  const { space } = useTheme();
  return (
    <View style={{ flexDirection: 'row', justifyContent: 'space-between', alignItems: 'baseline', marginTop: space.sm, flexWrap: 'wrap' }} testID={testID}>
      <Text>
        {label}: <Text variant="bodyStrong">{value.current}</Text>
      </Text>
      <Text variant="small" color="textMuted">
        {changeText(value.current, value.previous, kind)}
      </Text>
    </View>
  );
}

/** The written insight: ready, being written, paused, or waiting for the period to end; a hard period points to help. */
function Narrative({ report }: { report: SpectrumReport }) {
  const router = useRouter();
  const { space } = useTheme();
  const { narrative } = report;
  const unit = report.kind === 'weekly' ? 'week' : 'month';
  if (narrative.status === 'ready') {
    return (
      <Card tone={narrative.gentle ? 'accent' : 'primary'} testID="spectrum-narrative">
        <Text variant="heading">{narrative.headline}</Text>
        {narrative.insights.map((insight) => (
          <Text key={insight} style={{ marginTop: space.sm }}>
            {insight}
          </Text>
        ))}
        {narrative.gentle ? <Button label="Get help now" onPress={() => router.push('/help')} style={{ marginTop: space.md, alignSelf: 'flex-start' }} testID="spectrum-get-help" /> : null}
      </Card>
    );
  }
  const message = {
    not_available: `Your written insight arrives when this ${unit} ends.`,
    pending: `Your insight for this ${unit} is being written. Pull down to refresh in a little while.`,
    paused: 'Written insights are paused for now. Your figures are up to date; the words will follow.',
  }[narrative.status];
  return (
    <Card tone="raised" testID="spectrum-narrative-waiting">
      <Text color="textMuted">{message}</Text>
      {narrative.gentle ? <Button label="Get help now" variant="secondary" onPress={() => router.push('/help')} style={{ marginTop: space.md, alignSelf: 'flex-start' }} /> : null}
    </Card>
  );
}

/** What a free plan would get, said plainly, with the way to upgrade (no made-up figures). */
function SpectrumPreview() {
  const router = useRouter();
  const { space } = useTheme();
  return (
    <Card tone="primary" testID="spectrum-preview">
      <Text variant="heading">Spectrum is part of Prism</Text>
      <Text style={{ marginTop: space.sm }}>With Prism or Prism+ you get, every week and every month:</Text>
      {[
        'which thinking traps came up, and how that changed from the week before',
        'your mood before a turn, day by day',
        'when in the week hard thoughts tend to come',
        'the reframes and Lens actions that helped',
        'a short written insight, made from counts only, never from what you wrote',
      ].map((line) => (
        <Text key={line} style={{ marginTop: space.xs }}>
          • {line}
        </Text>
      ))}
      <Button label="See plans" onPress={() => router.push('/paywall')} style={{ marginTop: space.md, alignSelf: 'flex-start' }} testID="spectrum-see-plans" />
    </Card>
  );
}
