import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export interface TriggeredRun {
  id: number;
  status: string;
  repo: string;
}

export const triggerRun = (body: { repo: string | number; ref?: string; scenario?: string }) => api.post<TriggeredRun>('/runs', body);

export const useTriggerRun = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: triggerRun,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['repos'] });
      void qc.invalidateQueries({ queryKey: ['runs'] });
    },
  });
};
