import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateCol = ColumnType<string, string, string>;

export interface AgenciesTable {
  id: Generated<string>;
  code: string;
  name: string;
  nameEn: string | null;
  shortName: string;
  level: string;
  parentId: string | null;
  address: string | null;
  phone: string | null;
  validFrom: DateCol;
  validTo: ColumnType<string | null, string | null | undefined, string | null>;
  successorId: string | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface UsersTable {
  id: Generated<string>;
  kind: 'citizen' | 'official';
  fullName: string;
  email: string | null;
  phone: string | null;
  passwordHash: string;
  mustChangePassword: Generated<boolean>;
  totpSecretEnc: string | null;
  totpEnrolledAt: Date | null;
  totpLastStep: ColumnType<string | null, string | null | undefined, string | null>;
  dateOfBirth: string | null;
  personalIdEnc: string | null;
  personalIdMasked: string | null;
  address: string | null;
  disabledAt: Date | null;
  lockedUntil: Date | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface OfficialRolesTable {
  userId: string;
  agencyId: string;
  role: string;
  createdAt: Generated<Date>;
}

export interface SessionsTable {
  idHash: Buffer;
  userId: string;
  csrfToken: string;
  createdAt: Generated<Date>;
  lastSeenAt: Timestamp;
  expiresAt: Timestamp;
  revokedAt: Date | null;
  ip: string | null;
  userAgent: string | null;
}

export interface LoginChallengesTable {
  id: Generated<string>;
  userId: string;
  kind: 'totp' | 'totp_enrol';
  pendingSecretEnc: string | null;
  createdAt: Generated<Date>;
  expiresAt: Timestamp;
  consumedAt: Date | null;
  failures: Generated<number>;
}

export interface LoginAttemptsTable {
  id: Generated<string>;
  userId: string | null;
  ip: string;
  succeeded: boolean;
  at: Generated<Date>;
}

export interface AuditLogTable {
  seq: Generated<string>;
  at: Timestamp;
  actorId: string | null;
  actorName: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  ip: string | null;
  requestId: string | null;
  details: ColumnType<Record<string, unknown>, string, never>;
  prevHash: string;
  hash: string;
}

export interface CalendarOverridesTable {
  id: Generated<string>;
  date: string;
  kind: 'day_off' | 'working_day' | 'remove';
  nameVi: string | null;
  nameEn: string | null;
  note: string | null;
  createdBy: string | null;
  createdAt: Generated<Date>;
}

export interface Database {
  agencies: AgenciesTable;
  users: UsersTable;
  officialRoles: OfficialRolesTable;
  sessions: SessionsTable;
  loginChallenges: LoginChallengesTable;
  loginAttempts: LoginAttemptsTable;
  auditLog: AuditLogTable;
  calendarOverrides: CalendarOverridesTable;
}
