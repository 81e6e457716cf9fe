import { z } from 'zod';

export const AgencyLevel = z.enum(['province', 'department', 'district', 'commune', 'division']);
export type AgencyLevel = z.infer<typeof AgencyLevel>;

export const Agency = z.object({
  id: z.string(),
  /** QCVN 102:2016 electronic identifier code, e.g. `000.00.01.H56`. */
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  shortName: z.string(),
  level: AgencyLevel,
  parentId: z.string().nullable(),
  parentCode: z.string().nullable(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  /** First day the agency existed (YYYY-MM-DD). */
  validFrom: z.string(),
  /** Last day it existed, or null while it still exists. */
  validTo: z.string().nullable(),
  successorId: z.string().nullable(),
  successorCode: z.string().nullable(),
});
export type Agency = z.infer<typeof Agency>;

export const AgencyList = z.object({ items: z.array(Agency), total: z.number().int() });
export type AgencyList = z.infer<typeof AgencyList>;
