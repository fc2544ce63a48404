import type { TechniqueId } from '@kalei/contracts/ai-tasks';

/** How each reframing technique is named on screen. */
export const techniqueLabels: Record<TechniqueId, string> = {
  evidence_check: 'Checking the evidence',
  decatastrophize: 'Right-sizing it',
  compassionate_reframe: 'Self-compassion',
  perspective_shift: 'A wider view',
  balanced_thinking: 'Balanced thinking',
  growth_mindset: 'Room to grow',
  impermanence: 'This will pass',
  reattribution: 'Sharing the cause fairly',
};
