import type { SpectrumKind } from '@kalei/contracts/spectrum';

/** Query keys of Spectrum reports; apart from spectrum.ts so the turn and Mirror deletes can mark them stale without an import cycle. */
export const spectrumKeys = {
  all: ['spectrum'] as const,
  report: (kind: SpectrumKind, period: string | undefined) => [...spectrumKeys.all, kind, period ?? 'current'] as const,
};
