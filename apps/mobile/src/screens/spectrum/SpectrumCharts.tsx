import type { SpectrumKind, SpectrumReport } from '@kalei/contracts/spectrum';
import { View } from 'react-native';
import { BarChart, LineChart } from 'react-native-gifted-charts';
import { Text } from '../../components/Text';
import { useTheme, type Palette } from '../../theme/tokens';
import { axisLabel, chartTraps, describeMood, describeTraps, describeWeekdays, WEEKDAYS } from './fns';

type Figures = SpectrumReport['figures'];

/** The axes of a bar chart of counts: whole numbers in four steps, no animation (labels appear at once), no scrolling or tapping. */
const countAxes = (colors: Palette) =>
  ({
    noOfSections: 4,
    roundToDigits: 0,
    yAxisThickness: 0,
    xAxisColor: colors.border,
    yAxisTextStyle: { color: colors.textMuted, fontSize: 10 },
    rulesColor: colors.border,
    disableScroll: true,
    disablePress: true,
    animationDuration: 0,
  }) as const;

/** Bars need a whole-number axis: at least 4, rounded up to an even step. */
const axisMax = (values: number[]) => Math.max(4, Math.ceil(Math.max(0, ...values) / 4) * 4);

/**
 * A chart with its summary: screen readers get the words (the SVG is hidden from them), sighted
 * people get both, so nothing is only in the picture.
 */
function ChartFrame({ title, summary, testID, children }: { title: string; summary: string; testID: string; children: React.ReactNode }) {
  const { space } = useTheme();
  return (
    <View style={{ marginTop: space.lg }} testID={testID}>
      <Text variant="bodyStrong">{title}</Text>
      <View accessibilityElementsHidden importantForAccessibility="no-hide-descendants" aria-hidden style={{ marginTop: space.sm, overflow: 'hidden' }}>
        {children}
      </View>
      <Text variant="small" color="textMuted" style={{ marginTop: space.xs }} testID={`${testID}-summary`}>
        {summary}
      </Text>
    </View>
  );
}

/** Each trap's count this period beside the period before: grouped bars, most frequent first. */
export function TrapsChart({ figures, kind, width }: { figures: Figures; kind: SpectrumKind; width: number }) {
  const { colors } = useTheme();
  const traps = chartTraps(figures.traps);
  const group = Math.max(24, Math.floor((width - 48) / Math.max(traps.length, 1)));
  const barWidth = Math.max(8, Math.floor(group / 3));
  const data = traps.flatMap((t) => [
    { value: t.current, frontColor: colors.primary, spacing: 2, label: axisLabel(t.trap), labelWidth: group, labelTextStyle: { color: colors.textMuted, fontSize: 10 } },
    { value: t.previous, frontColor: colors.textMuted, spacing: group - 2 * barWidth - 2 },
  ]);
  const unit = kind === 'weekly' ? 'week' : 'month';
  return (
    <ChartFrame title="Thinking traps" summary={describeTraps(figures.traps, kind)} testID="spectrum-chart-traps">
      {traps.length === 0 ? null : (
        <>
          <BarChart
            data={data}
            width={width - 40}
            height={150}
            barWidth={barWidth}
            initialSpacing={8}
            maxValue={axisMax(traps.flatMap((t) => [t.current, t.previous]))}
            {...countAxes(colors)}
          />
          <Legend items={[{ color: colors.primary, label: `This ${unit}` }, { color: colors.textMuted, label: `Last ${unit}` }]} />
        </>
      )}
    </ChartFrame>
  );
}

/** Turns and Mirror sessions by local weekday: when hard thoughts come. */
export function WeekdayChart({ figures, width }: { figures: Figures; width: number }) {
  const { colors } = useTheme();
  const counts = figures.timing.byWeekday;
  const bar = Math.max(10, Math.floor((width - 80) / 7 / 1.6));
  const data = WEEKDAYS.map((day, i) => ({ value: counts[i] ?? 0, label: day, frontColor: colors.accent, labelTextStyle: { color: colors.textMuted, fontSize: 10 } }));
  return (
    <ChartFrame title="When hard thoughts came" summary={describeWeekdays(counts)} testID="spectrum-chart-weekdays">
      <BarChart
        data={data}
        width={width - 40}
        height={120}
        barWidth={bar}
        spacing={Math.floor(bar * 0.6)}
        initialSpacing={8}
        maxValue={axisMax(counts)}
        {...countAxes(colors)}
      />
    </ChartFrame>
  );
}

/** Mood before a turn, averaged per day, on the 1–10 scale. */
export function MoodChart({ figures, width }: { figures: Figures; width: number }) {
  const { colors } = useTheme();
  const trend = figures.mood.trend;
  const spacing = trend.length > 1 ? Math.floor((width - 80) / (trend.length - 1)) : 40;
  return (
    <ChartFrame title="Mood before a turn" summary={describeMood(trend)} testID="spectrum-chart-mood">
      {trend.length < 2 ? null : (
        <LineChart
          data={trend.map((p) => ({ value: p.average, label: p.date.slice(8) }))}
          width={width - 40}
          height={120}
          maxValue={10}
          noOfSections={5}
          spacing={spacing}
          initialSpacing={12}
          color={colors.primary}
          dataPointsColor={colors.primary}
          thickness={2}
          animateTogether
          yAxisThickness={0}
          xAxisColor={colors.border}
          yAxisTextStyle={{ color: colors.textMuted, fontSize: 10 }}
          xAxisLabelTextStyle={{ color: colors.textMuted, fontSize: 10 }}
          rulesColor={colors.border}
          disableScroll
        />
      )}
    </ChartFrame>
  );
}

function Legend({ items }: { items: { color: string; label: string }[] }) {
  const { space } = useTheme();
  return (
    <View style={{ flexDirection: 'row', gap: space.lg, marginTop: space.xs }}>
      {items.map((item) => (
        <View key={item.label} style={{ flexDirection: 'row', alignItems: 'center', gap: space.xs }}>
          <View style={{ width: 12, height: 12, borderRadius: 3, backgroundColor: item.color }} />
          <Text variant="small" color="textMuted">
            {item.label}
          </Text>
        </View>
      ))}
    </View>
  );
}
