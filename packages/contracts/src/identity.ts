import { z } from 'zod';

/** Roles an official can hold in an agency. */
export const OfficialRole = z.enum([
  'reception_officer', // cán bộ một cửa
  'specialist', // chuyên viên
  'division_head', // trưởng phòng
  'agency_leader', // lãnh đạo cơ quan (người ký)
  'agency_admin', // quản trị cơ quan
  'province_admin', // quản trị tỉnh
  'support_agent', // hỗ trợ
  'auditor', // kiểm toán / thanh tra
]);
export type OfficialRole = z.infer<typeof OfficialRole>;

export const RoleGrant = z.object({
  role: OfficialRole,
  agencyId: z.string(),
  agencyCode: z.string(),
  agencyName: z.string(),
});
export type RoleGrant = z.infer<typeof RoleGrant>;

export const Me = z.object({
  id: z.string(),
  kind: z.enum(['citizen', 'official']),
  fullName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  roles: z.array(RoleGrant),
  /** Send back in the `x-csrf-token` header on every state-changing request. */
  csrfToken: z.string(),
});
export type Me = z.infer<typeof Me>;

export const SignupBody = z.strictObject({
  fullName: z.string().trim().min(1).max(200),
  /** Phone or email (at least one). */
  phone: z.string().trim().optional(),
  email: z.string().trim().optional(),
  password: z.string(),
});
export type SignupBody = z.infer<typeof SignupBody>;

export const LoginBody = z.strictObject({
  /** Phone number or email. */
  identifier: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const LoginResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('signed_in'), me: Me }),
  z.object({ status: z.literal('totp_required'), challengeId: z.string() }),
  z.object({
    status: z.literal('totp_enrolment_required'),
    challengeId: z.string(),
    secret: z.string(),
    otpauthUrl: z.string(),
  }),
]);
export type LoginResult = z.infer<typeof LoginResult>;

export const TotpBody = z.strictObject({ challengeId: z.string().min(1).max(200), code: z.string().regex(/^\d{6}$/) });
export type TotpBody = z.infer<typeof TotpBody>;

export const Profile = z.object({
  fullName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  /** Always masked, e.g. `0790******12`. */
  personalIdMasked: z.string().nullable(),
  address: z.string().nullable(),
});
export type Profile = z.infer<typeof Profile>;

export const ProfileUpdate = z.strictObject({
  fullName: z.string().trim().min(1).max(200).optional(),
  dateOfBirth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable().optional(),
  personalId: z.string().trim().optional(),
  address: z.string().trim().max(500).nullable().optional(),
});
export type ProfileUpdate = z.infer<typeof ProfileUpdate>;
