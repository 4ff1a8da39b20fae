import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Run } from '../types';

export const cancelRun = (id: number) => api.post<Run>(`/runs/${id}/cancel`);

export const useCancelRun = (id: number) => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: () => cancelRun(id), onSettled: () => qc.invalidateQueries({ queryKey: ['runs'] }) });
};
