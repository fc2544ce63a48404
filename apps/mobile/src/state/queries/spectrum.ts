import { DeleteWindowResponse, ExclusionResponse, ResetResponse, SpectrumReport, type ExclusionRequest, type SpectrumKind } from '@kalei/contracts/spectrum';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../auth/AuthProvider';
import { newId } from '../../lib/id';
import { galleryKeys } from './gallery';
import { mirrorKeys } from './mirror';
import { spectrumKeys } from './spectrum-keys';
import { turnKeys } from './turns';


/** GET /v1/spectrum/weekly|monthly: one period (the running one when `period` is undefined) with the one before. */
export function useSpectrumReport(kind: SpectrumKind, period: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: spectrumKeys.report(kind, period),
    queryFn: ({ signal }) => api.request(`/v1/spectrum/${kind}${period ? `?period=${encodeURIComponent(period)}` : ''}`, { schema: SpectrumReport, signal }),
    // A plan_required answer is an answer, not a failure to retry.
    retry: false,
  });
}

/** Everything a change to Spectrum's inputs makes stale: the reports and the lists showing the exclusion flag. */
function useInvalidateSpectrum() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: spectrumKeys.all });
    void queryClient.invalidateQueries({ queryKey: galleryKeys.all });
    void queryClient.invalidateQueries({ queryKey: turnKeys.all });
    void queryClient.invalidateQueries({ queryKey: mirrorKeys.all });
  };
}

/** POST /v1/spectrum/exclusions: leave a turn or Mirror session out of Spectrum, or count it again. */
export function useSetExclusion() {
  const api = useApi();
  const invalidate = useInvalidateSpectrum();
  return useMutation({
    mutationFn: (body: ExclusionRequest) => api.request('/v1/spectrum/exclusions', { method: 'POST', body, schema: ExclusionResponse, idempotencyKey: newId() }),
    onSuccess: invalidate,
  });
}

/** POST /v1/spectrum/reset with its confirmation: every derived row goes, and only new activity counts. */
export function useResetSpectrum() {
  const api = useApi();
  const invalidate = useInvalidateSpectrum();
  return useMutation({
    mutationFn: () => api.request('/v1/spectrum/reset', { method: 'POST', body: { confirm: 'reset spectrum' }, schema: ResetResponse, idempotencyKey: newId() }),
    onSuccess: invalidate,
  });
}

/** POST /v1/spectrum/delete-window: hard delete of everything written between two local dates. */
export function useDeleteSpectrumWindow() {
  const api = useApi();
  const invalidate = useInvalidateSpectrum();
  return useMutation({
    mutationFn: (window: { from: string; to: string }) =>
      api.request('/v1/spectrum/delete-window', { method: 'POST', body: { ...window, confirm: 'delete this window' }, schema: DeleteWindowResponse, idempotencyKey: newId() }),
    onSuccess: invalidate,
  });
}
