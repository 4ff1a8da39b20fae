import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export const quarantineTest = (id: string, body: { reason: string; signature?: string | null }) =>
  api.post<unknown>(`/tests/${encodeURIComponent(id)}/quarantine`, body);

export const releaseTest = (id: string) => api.delete<unknown>(`/tests/${encodeURIComponent(id)}/quarantine`);

export const useQuarantine = (id: string) => {
  const qc = useQueryClient();
  const onSettled = () => qc.invalidateQueries({ queryKey: ['tests'] });
  return {
    add: useMutation({ mutationFn: (b: { reason: string; signature?: string | null }) => quarantineTest(id, b), onSettled }),
    lift: useMutation({ mutationFn: () => releaseTest(id), onSettled }),
  };
};
