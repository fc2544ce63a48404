import type { AiTaskInput, AiTaskName, AiTaskOutput } from '@kalei/contracts/ai-tasks';
import { estimateTokens } from '../fns.js';

/** The local rules engine as the gateway sees it (implemented in ../local/engine.ts). */
export interface LocalEngine {
  run<T extends AiTaskName>(task: T, input: AiTaskInput<T>): AiTaskOutput<T>;
  version: string;
}

export interface LocalReply<T extends AiTaskName> {
  output: AiTaskOutput<T>;
  /** No tokenizer runs locally: sizes are estimated from characters so usage stays comparable. */
  inputTokens: number;
  outputTokens: number;
}

/** The `model` value reported for local answers. */
export const LOCAL_MODEL = 'local';

/** The prompt version reported for local answers: the engine's own version. */
export function localPromptVersion(engine: LocalEngine): string {
  return `local@${engine.version}`;
}

/** Runs a task on the local engine and estimates its size; it costs nothing. */
export function runLocal<T extends AiTaskName>(engine: LocalEngine, task: T, input: AiTaskInput<T>): LocalReply<T> {
  const output = engine.run(task, input);
  return {
    output,
    inputTokens: estimateTokens(JSON.stringify(input)),
    outputTokens: estimateTokens(JSON.stringify(output)),
  };
}
