import {
  Checkin,
  CheckinList,
  CompleteActionResponse,
  DailyAffirmation,
  GoalList,
  LensAction,
  LensGoal,
  type CreateActionRequest,
  type CreateCheckinRequest,
  type CreateGoalRequest,
} from '@kalei/contracts/lens';
import { CrisisResponse } from '@kalei/contracts/safety';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { useApi } from '../../auth/AuthProvider';
import { newId } from '../../lib/id';

/** Query keys of Lens. */
export const lensKeys = {
  all: ['lens'] as const,
  goals: () => [...lensKeys.all, 'goals'] as const,
  checkins: () => [...lensKeys.all, 'checkins'] as const,
  affirmation: () => [...lensKeys.all, 'affirmation'] as const,
};

/** Lens writes are private writing and pass the safety gate: the answer may be a crisis response. */
const orCrisis = <S extends z.ZodType>(schema: S) => z.union([CrisisResponse, schema]);

/** GET /v1/lens/goals: goals, actions, streaks and today's date. */
export function useGoals() {
  const api = useApi();
  return useQuery({ queryKey: lensKeys.goals(), queryFn: ({ signal }) => api.request('/v1/lens/goals', { schema: GoalList, signal }) });
}

/** POST /v1/lens/goals. */
export function useCreateGoal() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateGoalRequest) => api.request('/v1/lens/goals', { method: 'POST', body, schema: orCrisis(LensGoal), idempotencyKey: newId() }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: lensKeys.goals() }),
  });
}

/** POST /v1/lens/goals/:id/actions. */
export function useCreateAction() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ goalId, ...body }: { goalId: string } & Partial<CreateActionRequest> & { title: string }) =>
      api.request(`/v1/lens/goals/${encodeURIComponent(goalId)}/actions`, { method: 'POST', body, schema: orCrisis(LensAction), idempotencyKey: newId() }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: lensKeys.goals() }),
  });
}

/** POST /v1/lens/actions/:id/complete. */
export function useCompleteAction() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (actionId: string) =>
      api.request(`/v1/lens/actions/${encodeURIComponent(actionId)}/complete`, { method: 'POST', schema: CompleteActionResponse, idempotencyKey: newId() }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: lensKeys.goals() }),
  });
}

/** GET /v1/lens/checkins (recent first). */
export function useCheckins() {
  const api = useApi();
  return useQuery({ queryKey: lensKeys.checkins(), queryFn: ({ signal }) => api.request('/v1/lens/checkins?limit=7', { schema: CheckinList, signal }) });
}

/** POST /v1/lens/checkins: today's mood and note. */
export function useCheckin() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCheckinRequest) => api.request('/v1/lens/checkins', { method: 'POST', body, schema: orCrisis(Checkin), idempotencyKey: newId() }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: lensKeys.checkins() }),
  });
}

/** GET /v1/lens/affirmation/today. */
export function useAffirmation() {
  const api = useApi();
  return useQuery({
    queryKey: lensKeys.affirmation(),
    queryFn: ({ signal }) => api.request('/v1/lens/affirmation/today', { schema: DailyAffirmation, signal }),
    staleTime: 30 * 60_000,
  });
}
