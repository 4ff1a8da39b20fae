import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Run } from '../types';

export const retryRun = (id: number) => api.post<Run>(`/runs/${id}/retry`);

export const useRetryRun = (id: number) => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: () => retryRun(id), onSettled: () => qc.invalidateQueries({ queryKey: ['runs'] }) });
};
