import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { CertificateWarningList, SigningCertificate, SigningCertificateList, TrustAnchorList } from '@motcua/contracts';
import { api, upload } from './client';

/**
 * Agency signing certificates (`/api/v1/signing/*`): the certificates of the agencies an admin
 * manages, what to act on (missing, expiring within 30 days, expired, untrusted), the trust
 * anchors, upload of a PKCS#12 and retirement. No answer ever carries a private key.
 */
export const CERTIFICATES_KEY = ['signing', 'certificates'] as const;
export const CERTIFICATE_WARNINGS_KEY = ['signing', 'warnings'] as const;
export const TRUST_ANCHORS_KEY = ['signing', 'trust-anchors'] as const;

export type CertificateStatusFilter = 'all' | 'active' | 'retired';
export type CertificateQuery = { agencyId?: string; status: CertificateStatusFilter; limit: number; offset: number };

export function useCertificates(query: CertificateQuery) {
  return useQuery({
    queryKey: [...CERTIFICATES_KEY, query],
    queryFn: () => api.get<SigningCertificateList>('/signing/certificates', query, { cache: 'no-store' }),
    placeholderData: keepPreviousData,
  });
}

export function useCertificateWarnings() {
  return useQuery({
    queryKey: CERTIFICATE_WARNINGS_KEY,
    queryFn: () => api.get<CertificateWarningList>('/signing/warnings', undefined, { cache: 'no-store' }),
  });
}

export function useTrustAnchors() {
  return useQuery({
    queryKey: TRUST_ANCHORS_KEY,
    queryFn: () => api.get<TrustAnchorList>('/signing/trust-anchors'),
    staleTime: 5 * 60_000,
  });
}

/**
 * Uploads an agency's PKCS#12 (.p12/.pfx) with its password; it becomes the agency's active
 * certificate (the previous one is retired). The password goes first: the server reads it
 * before the file.
 */
export function uploadCertificate(agencyId: string, file: File, password: string): Promise<SigningCertificate> {
  return upload<SigningCertificate>('POST', `/signing/agencies/${encodeURIComponent(agencyId)}/certificates`, { password }, file);
}

export function retireCertificate(id: string): Promise<SigningCertificate> {
  return api.post<SigningCertificate>(`/signing/certificates/${encodeURIComponent(id)}/retire`);
}
