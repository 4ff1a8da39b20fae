import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Repo } from '../types';

export const createRepo = (body: { name: string; url: string }) => api.post<Repo>('/repos', body);

export const useCreateRepo = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: createRepo, onSuccess: () => qc.invalidateQueries({ queryKey: ['repos'] }) });
};
