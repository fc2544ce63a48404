import { z } from 'zod';
import { TrapId } from './taxonomy.js';

/** Reframing techniques a reframe can name. */
export const techniqueIds = [
  'evidence_check',
  'decatastrophize',
  'compassionate_reframe',
  'perspective_shift',
  'balanced_thinking',
  'growth_mindset',
  'impermanence',
  'reattribution',
] as const;
export const TechniqueId = z.enum(techniqueIds);
export type TechniqueId = z.infer<typeof TechniqueId>;

export const safetyCategories = [
  'suicidal_ideation',
  'self_harm',
  'harm_to_others',
  'danger_abuse',
  'medical_emergency',
] as const;
export const SafetyCategory = z.enum(safetyCategories);
export type SafetyCategory = z.infer<typeof SafetyCategory>;

/** Which engine produced an AI answer: the local rules engine or a model deployment. */
export const EngineInfo = z.object({
  engine: z.enum(['local', 'model']),
  model: z.string(),
  promptVersion: z.string(),
});
export type EngineInfo = z.infer<typeof EngineInfo>;

// ---- task inputs and outputs (the AI gateway's interface; every provider returns these shapes) ----

export const TurnReframeInput = z.object({
  thought: z.string(),
  context: z.string().optional(),
  moodBefore: z.number().int().min(1).max(10).optional(),
  locale: z.string().optional(),
});
export type TurnReframeInput = z.infer<typeof TurnReframeInput>;

export const Reframe = z.object({
  text: z.string().min(1).max(600),
  technique: TechniqueId,
});
export type Reframe = z.infer<typeof Reframe>;

export const TurnReframeOutput = z.object({
  reframes: z.array(Reframe).length(3),
  microAction: z.object({
    text: z.string().min(1).max(300),
    minutes: z.number().int().min(1).max(60),
  }),
  traps: z.array(TrapId).max(4),
});
export type TurnReframeOutput = z.infer<typeof TurnReframeOutput>;

export const DetectFragmentsInput = z.object({ text: z.string() });
export type DetectFragmentsInput = z.infer<typeof DetectFragmentsInput>;

export const DetectedFragment = z.object({
  /** UTF-16 code unit offsets into the input text, end exclusive (JavaScript string indices). */
  start: z.number().int().min(0),
  end: z.number().int().min(1),
  trap: TrapId,
  confidence: z.number().min(0).max(1),
  explanation: z.string().min(1).max(300),
});
export type DetectedFragment = z.infer<typeof DetectedFragment>;

export const DetectFragmentsOutput = z.object({ fragments: z.array(DetectedFragment).max(20) });
export type DetectFragmentsOutput = z.infer<typeof DetectFragmentsOutput>;

export const ReframeFragmentInput = z.object({
  fragmentText: z.string(),
  trap: TrapId,
  context: z.string().optional(),
});
export type ReframeFragmentInput = z.infer<typeof ReframeFragmentInput>;

export const ReframeFragmentOutput = z.object({
  reframe: z.string().min(1).max(600),
  technique: TechniqueId,
});
export type ReframeFragmentOutput = z.infer<typeof ReframeFragmentOutput>;

export const ReflectInput = z.object({
  messages: z.array(z.string()).min(1),
  traps: z.array(TrapId),
});
export type ReflectInput = z.infer<typeof ReflectInput>;

export const ReflectOutput = z.object({
  reflection: z.string().min(1).max(1200),
  themes: z.array(TrapId).max(4),
});
export type ReflectOutput = z.infer<typeof ReflectOutput>;

export const LensContentInput = z.object({
  goals: z.array(z.string()).max(10),
  recentTraps: z.array(TrapId).max(13),
  localDate: z.string(),
});
export type LensContentInput = z.infer<typeof LensContentInput>;

export const AffirmationOutput = z.object({ affirmation: z.string().min(1).max(300) });
export type AffirmationOutput = z.infer<typeof AffirmationOutput>;

export const FocusOutput = z.object({ focus: z.string().min(1).max(300) });
export type FocusOutput = z.infer<typeof FocusOutput>;

export const SpectrumNarrativeInput = z.object({
  period: z.enum(['weekly', 'monthly']),
  trapCounts: z.partialRecord(TrapId, z.number().int().min(0)),
  turns: z.number().int().min(0),
  mirrorSessions: z.number().int().min(0),
  previousTrapCounts: z.partialRecord(TrapId, z.number().int().min(0)).optional(),
});
export type SpectrumNarrativeInput = z.infer<typeof SpectrumNarrativeInput>;

export const SpectrumNarrativeOutput = z.object({
  headline: z.string().min(1).max(200),
  insights: z.array(z.string().min(1).max(400)).min(1).max(5),
});
export type SpectrumNarrativeOutput = z.infer<typeof SpectrumNarrativeOutput>;

export const SafetyConfirmInput = z.object({ text: z.string() });
export type SafetyConfirmInput = z.infer<typeof SafetyConfirmInput>;

export const SafetyConfirmOutput = z.object({
  crisis: z.boolean(),
  category: SafetyCategory.nullable(),
  confidence: z.number().min(0).max(1),
});
export type SafetyConfirmOutput = z.infer<typeof SafetyConfirmOutput>;

/** Every gateway task with its input and output schema. The task name is the gateway's interface. */
export const aiTasks = {
  'turn.reframe': { input: TurnReframeInput, output: TurnReframeOutput },
  'mirror.detectFragments': { input: DetectFragmentsInput, output: DetectFragmentsOutput },
  'mirror.reframeFragment': { input: ReframeFragmentInput, output: ReframeFragmentOutput },
  'mirror.reflect': { input: ReflectInput, output: ReflectOutput },
  'lens.affirmation': { input: LensContentInput, output: AffirmationOutput },
  'lens.focus': { input: LensContentInput, output: FocusOutput },
  'spectrum.narrative': { input: SpectrumNarrativeInput, output: SpectrumNarrativeOutput },
  'safety.confirm': { input: SafetyConfirmInput, output: SafetyConfirmOutput },
} as const;
export type AiTaskName = keyof typeof aiTasks;
export type AiTaskInput<T extends AiTaskName> = z.infer<(typeof aiTasks)[T]['input']>;
export type AiTaskOutput<T extends AiTaskName> = z.infer<(typeof aiTasks)[T]['output']>;
