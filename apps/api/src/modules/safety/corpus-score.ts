import type { SafetyCategory } from '@kalei/contracts/ai-tasks';
import type { Stage1Result } from './fns.js';


export interface CorpusRow {
  text: string;
  crisis: boolean;
  category?: SafetyCategory;
  note?: string;
}

export interface CategoryScore {
  total: number;
  detected: number;
  /** Detected with this category among the result's categories. */
  categoryMatched: number;
  recall: number;
}

export interface CorpusScore {
  total: number;
  positives: number;
  negatives: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  recall: number;
  falsePositiveRate: number;
  precision: number;
  /** Positives flagged at 'crisis' outright (not left to stage 2). */
  crisisLevelRecall: number;
  perCategory: Partial<Record<SafetyCategory, CategoryScore>>;
  /** Row indices, so a failing test can show which rows; the score itself carries no text. */
  missedRows: number[];
  falseAlarmRows: number[];
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 10000) / 10000);

/** Scores a labelled corpus: a row counts as flagged when the level is not 'none' (ambiguous goes on to stage 2). */
export function scoreCorpus(rows: readonly CorpusRow[], assess: (text: string) => Pick<Stage1Result, 'level' | 'categories'>): CorpusScore {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  let crisisLevel = 0;
  const perCategory: Partial<Record<SafetyCategory, CategoryScore>> = {};
  const missedRows: number[] = [];
  const falseAlarmRows: number[] = [];

  rows.forEach((row, index) => {
    const result = assess(row.text);
    const flagged = result.level !== 'none';
    if (row.crisis) {
      if (flagged) tp++;
      else {
        fn++;
        missedRows.push(index);
      }
      if (result.level === 'crisis') crisisLevel++;
      if (row.category) {
        const c = (perCategory[row.category] ??= { total: 0, detected: 0, categoryMatched: 0, recall: 0 });
        c.total++;
        if (flagged) c.detected++;
        if (flagged && result.categories.includes(row.category)) c.categoryMatched++;
      }
    } else if (flagged) {
      fp++;
      falseAlarmRows.push(index);
    } else tn++;
  });
  for (const c of Object.values(perCategory)) c.recall = ratio(c.detected, c.total);

  return {
    total: rows.length,
    positives: tp + fn,
    negatives: fp + tn,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    trueNegatives: tn,
    recall: ratio(tp, tp + fn),
    falsePositiveRate: ratio(fp, fp + tn),
    precision: ratio(tp, tp + fp),
    crisisLevelRecall: ratio(crisisLevel, tp + fn),
    perCategory,
    missedRows,
    falseAlarmRows,
  };
}
