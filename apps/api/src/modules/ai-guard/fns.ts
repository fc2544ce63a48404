import type { AiTaskInput, AiTaskName } from '@kalei/contracts/ai-tasks';
import { costMicros, estimateTokens } from '../ai-gateway/fns.js';
import { promptFor } from '../ai-gateway/prompts.js';
import type { Routing } from '../ai-gateway/routing.js';

/** Output tokens assumed before a call, per task: the larger answers are reframes and reflections. */
const expectedOutputTokens: Record<AiTaskName, number> = {
  'turn.reframe': 700,
  'mirror.detectFragments': 500,
  'mirror.reframeFragment': 200,
  'mirror.reflect': 500,
  'lens.affirmation': 120,
  'lens.focus': 120,
  'spectrum.narrative': 500,
  'safety.confirm': 60,
};

/**
 * A pessimistic cost estimate for one call: the input and expected output priced at the dearest
 * deployment of the task's lane. The cost guard holds it against the cap while the call runs.
 */
export function estimateCallMicros<T extends AiTaskName>(routing: Routing, task: T, input: AiTaskInput<T>, lane = promptFor(task).lane): number {
  const inputTokens = estimateTokens(JSON.stringify(input)) + 400;
  const outputTokens = expectedOutputTokens[task];
  return Math.max(0, ...routing.lanes[lane].map((deployment) => costMicros(inputTokens, outputTokens, deployment.pricePerMillion)));
}
