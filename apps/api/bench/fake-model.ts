// A model server that answers every task instantly with a valid reply, for the HTTP benchmark.
// It prints its base URL on the first line of stdout.
import { startFakeOpenAi, type RecordedRequest } from '../src/test/fake-openai-server.js';

const replies: Record<string, unknown> = {
  turn_reframe: {
    reframes: [
      { text: 'One rough meeting does not decide every meeting that follows.', technique: 'evidence_check' },
      { text: 'Even if it goes badly, you have handled hard days before and will again.', technique: 'decatastrophize' },
      { text: 'A friend in your place would get kindness from you; you can offer yourself the same.', technique: 'compassionate_reframe' },
    ],
    microAction: { text: 'Write down one thing that went fine today.', minutes: 3 },
    traps: ['overgeneralization'],
  },
  mirror_detectFragments: {
    fragments: [
      { quote: 'I always ruin everything', trap: 'overgeneralization', confidence: 0.8, explanation: 'This might be a broad rule drawn from one day.' },
    ],
  },
};

const server = await startFakeOpenAi({
  fallback: (request: RecordedRequest) => {
    const name = request.body.response_format?.json_schema?.name ?? '';
    const reply = replies[name];
    if (!reply) return { kind: 'error', status: 400, message: `no bench reply for ${name}` };
    // Tiny usage keeps the benchmark user inside their daily token budget.
    return { kind: 'reply', content: JSON.stringify(reply), usage: { prompt_tokens: 1, completion_tokens: 1 } };
  },
});
// The recorded request list would grow for the whole run; the benchmark does not read it.
setInterval(() => server.requests.splice(0), 1000).unref();
console.log(server.baseUrl);
