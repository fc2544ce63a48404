import type { AiTaskInput, AiTaskName, AiTaskOutput } from '@kalei/contracts/ai-tasks';
import { composeAffirmation, composeFocus, composeNarrative, composeReflection } from './content.js';
import { detectFragments } from './detect.js';
import { composeFragmentReframe, composeTurn } from './reframe.js';

/** What the local engine may borrow from the rest of the API. */
export interface LocalEngineDeps {
  confirmSafety?: (text: string) => AiTaskOutput<'safety.confirm'>;
}

/** The engine's version, recorded by the API as the "model" of every answer it gives. */
export const LOCAL_ENGINE_VERSION = 'local-1.1.0';

type Handlers = { [T in AiTaskName]: (input: AiTaskInput<T>) => AiTaskOutput<T> };

/**
 * The deterministic, explainable engine that answers every AI task with rules and templates,
 * no model and no network: the zero-setup default and the fallback when models fail or budgets run out.
 */
export function createLocalEngine(deps: LocalEngineDeps = {}): {
  run<T extends AiTaskName>(task: T, input: AiTaskInput<T>): AiTaskOutput<T>;
  version: string;
} {
  const handlers: Handlers = {
    'turn.reframe': composeTurn,
    'mirror.detectFragments': ({ text }) => ({
      fragments: detectFragments(text).map(({ start, end, trap, confidence, explanation }) => ({
        start,
        end,
        trap,
        confidence,
        explanation,
      })),
    }),
    'mirror.reframeFragment': composeFragmentReframe,
    'mirror.reflect': composeReflection,
    'lens.affirmation': composeAffirmation,
    'lens.focus': composeFocus,
    'spectrum.narrative': composeNarrative,
    // Rules cannot tell an ambiguous text is safe, so without a confirmer the answer errs towards care.
    'safety.confirm': ({ text }) => deps.confirmSafety?.(text) ?? { crisis: true, category: null, confidence: 0.5 },
  };
  // V8 compiles each regular expression on first use (about 200 ms for the whole lexicon); pay that
  // at start-up rather than on a user's first request.
  detectFragments("Warm-up: I always think everyone hates me, but it was only luck and I'm such a failure.");
  return {
    version: LOCAL_ENGINE_VERSION,
    run<T extends AiTaskName>(task: T, input: AiTaskInput<T>): AiTaskOutput<T> {
      const handler = handlers[task] as ((input: AiTaskInput<T>) => AiTaskOutput<T>) | undefined;
      if (!handler) throw new Error(`the local engine has no handler for task ${String(task)}`);
      return handler(input);
    },
  };
}
