import { apiBase } from '@/lib/config';

// The server's Markdown rendering of the postmortem, offered as a download link.
export const postmortemMarkdownUrl = (id: number) => `${apiBase()}/incidents/${id}/postmortem`;
