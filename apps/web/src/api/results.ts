import { useQuery } from '@tanstack/react-query';
import type { ApiError, DossierDetail, ResultTemplateInput, ResultTemplateState } from '@motcua/contracts';
import { api, API_BASE, ApiRequestError } from './client';

/**
 * Result templates (`/api/v1/admin/procedures/:id/result-template`): the document a leader's
 * approval generates and signs when no official attached a result. Admins keep the template
 * (placeholders checked by the server, versions kept) and preview it as a PDF; the officials of
 * a dossier download what approval would generate now.
 */
export const resultTemplateKey = (procedureId: string) => ['admin', 'result-template', procedureId] as const;
const resultTemplateUrl = (procedureId: string) => `/admin/procedures/${encodeURIComponent(procedureId)}/result-template`;

export function useResultTemplate(procedureId: string) {
  return useQuery({
    queryKey: resultTemplateKey(procedureId),
    queryFn: () => api.get<ResultTemplateState>(resultTemplateUrl(procedureId), undefined, { cache: 'no-store' }),
  });
}

export function saveResultTemplate(procedureId: string, body: ResultTemplateInput): Promise<ResultTemplateState> {
  return api.put<ResultTemplateState>(resultTemplateUrl(procedureId), body);
}

export function removeResultTemplate(procedureId: string): Promise<ResultTemplateState> {
  return api.delete<ResultTemplateState>(resultTemplateUrl(procedureId));
}

async function failure(response: Response): Promise<ApiRequestError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const isApiError = typeof body === 'object' && body !== null && 'error' in body;
  return new ApiRequestError(response.status, isApiError ? (body as ApiError) : null);
}

/**
 * The template filled with a made-up dossier, as a PDF (nothing is saved). The answer is a file,
 * not JSON, so this one does not go through `api`; `csrfToken` is the session's (from `useMe`).
 */
export async function previewResultTemplate(procedureId: string, body: ResultTemplateInput, csrfToken: string | undefined): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${resultTemplateUrl(procedureId)}/preview`, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { accept: 'application/pdf, application/json', 'content-type': 'application/json', ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiRequestError(0, null);
  }
  if (!response.ok) throw await failure(response);
  return response.blob();
}

/** Where the officials of a dossier download the result its procedure's template would generate now. */
export function resultPreviewUrl(dossierId: string): string {
  return `${API_BASE}/dossiers/${encodeURIComponent(dossierId)}/result-preview.pdf`;
}

/** While a dossier is being processed, its result may still be generated from a template. */
export const RESULT_PREVIEW_STATUSES: readonly DossierDetail['status'][] = ['processing', 'waiting_supplement'];

/**
 * Whether the dossier's procedure has a result template: a HEAD of the preview answers 200 when
 * it has one and 404 when results are uploaded by the officials. `undefined` while unknown (or
 * when the dossier is not being processed: nothing would be generated any more).
 */
export function useResultPreviewAvailable(d: DossierDetail | undefined): boolean | undefined {
  const enabled = !!d && RESULT_PREVIEW_STATUSES.includes(d.status);
  const query = useQuery({
    queryKey: ['result-preview', d?.id, d?.procedure.id],
    enabled,
    staleTime: 60_000,
    retry: false,
    queryFn: async () => {
      let response: Response;
      try {
        response = await fetch(resultPreviewUrl(d!.id), { method: 'HEAD', credentials: 'same-origin', cache: 'no-store' });
      } catch {
        throw new ApiRequestError(0, null);
      }
      if (response.status === 404) return false;
      if (!response.ok) throw new ApiRequestError(response.status, null);
      return true;
    },
  });
  return enabled ? query.data : undefined;
}
