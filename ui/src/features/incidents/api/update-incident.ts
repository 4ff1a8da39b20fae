import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Incident, IncidentStatus } from '../types';

export const updateIncident = (id: number, body: { status: IncidentStatus; note?: string }) =>
  api.patch<Incident>(`/incidents/${id}`, body);

export const useUpdateIncident = (id: number) => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { status: IncidentStatus; note?: string }) => updateIncident(id, body),
    onSettled: () => qc.invalidateQueries({ queryKey: ['incidents'] }),
  });
};
