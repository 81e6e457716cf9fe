import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError, LoginBody, LoginResult, Me, Profile, ProfileUpdate, SignupBody, TotpBody } from '@motcua/contracts';
import type { AppDeps } from '../../http/context.ts';
import { auditCtx, requireActor } from '../../http/context.ts';
import { AppError, conflict, fieldError, invalidCredentials, tooManyRequests, validationFailed, type FieldError } from '../../http/errors.ts';
import { writeAudit } from '../audit/index.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { findUserById, findUserByIdentifier, recentFailures, recordAttempt, roleGrants } from './users.repository.ts';
import { clearSessionCookie, createSession, revokeSession, setSessionCookie } from './sessions.ts';
import { newTotpSecret, otpauthUrl, verifyTotp } from './totp.ts';
import { checkPersonalId, maskPersonalId, normaliseEmail, normalisePhone, passwordProblems } from './validators.ts';

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 409: ApiError, 429: ApiError };
const CHALLENGE_MINUTES = 5;
const CHALLENGE_MAX_FAILURES = 5;

const accountLocked = () =>
  tooManyRequests('account_locked', {
    vi: 'Tài khoản tạm khóa do đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 1 giờ hoặc liên hệ tổng đài hỗ trợ.',
    en: 'This account is temporarily locked after too many failed sign-ins. Try again in an hour or call the support hotline.',
  }, 3600);

const addressBlocked = () =>
  tooManyRequests('too_many_attempts', {
    vi: 'Có quá nhiều lần đăng nhập sai từ địa chỉ của bạn. Vui lòng thử lại sau 1 giờ.',
    en: 'Too many failed sign-ins from your address. Please try again in an hour.',
  }, 3600);

const invalidCode = () =>
  new AppError(401, 'invalid_code', {
    vi: 'Mã xác thực không đúng hoặc đã hết hạn.',
    en: 'The verification code is wrong or has expired.',
  });

export function identifierOf(raw: string): { email?: string; phone?: string } {
  if (raw.includes('@')) {
    const email = normaliseEmail(raw);
    return email ? { email } : {};
  }
  const phone = normalisePhone(raw);
  return phone ? { phone } : {};
}

export function authRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config, sealer } = deps;

  async function meFor(userId: string, csrfToken: string): Promise<Me> {
    const u = await findUserById(db, userId);
    if (!u) throw invalidCredentials();
    return {
      id: u.id,
      kind: u.kind,
      fullName: u.fullName,
      email: u.email,
      phone: u.phone,
      roles: await roleGrants(db, u.id),
      csrfToken,
    };
  }

  /** New session id at every sign-in; the one the browser had (if any) is revoked. */
  async function signIn(req: FastifyRequest, reply: FastifyReply, userId: string): Promise<Me> {
    const created = await db.transaction().execute(async (tx) => {
      if (req.session) await revokeSession(tx, req.session.idHash);
      const s = await createSession(tx, config, userId, req);
      await recordAttempt(tx, userId, req.ip, true);
      const u = await tx.selectFrom('users').select(['fullName']).where('id', '=', userId).executeTakeFirstOrThrow();
      await writeAudit(tx, { ...auditCtx(req), actorId: userId, actorName: u.fullName }, { action: 'auth.login', objectType: 'user', objectId: userId });
      return s;
    });
    setSessionCookie(reply, config, created.id);
    return meFor(userId, created.csrfToken);
  }

  async function failLogin(req: FastifyRequest, userId: string | null, reason: string): Promise<never> {
    await db.transaction().execute(async (tx) => {
      await recordAttempt(tx, userId, req.ip, false);
      await writeAudit(tx, { ...auditCtx(req), actorId: null, actorName: null }, {
        action: 'auth.login_failed',
        objectType: userId ? 'user' : null,
        objectId: userId,
        details: { reason },
      });
    });
    throw reason === 'totp' ? invalidCode() : invalidCredentials();
  }

  async function checkThrottle(req: FastifyRequest, userId: string | null) {
    const f = await recentFailures(db, userId, req.ip);
    if (f.byIp >= config.LOGIN_MAX_FAILURES_PER_HOUR) throw addressBlocked();
    if (userId && f.byUser >= config.LOGIN_MAX_FAILURES_PER_HOUR) throw accountLocked();
  }

  r.post('/api/v1/auth/signup', {
    schema: { tags: ['identity'], summary: 'Citizen sign-up with phone or email', body: SignupBody, response: { 201: z.object({ me: Me }), ...errors } },
  }, async (req, reply) => {
    const b = req.body;
    const problems: FieldError[] = [];
    const phone = b.phone ? normalisePhone(b.phone) : null;
    const email = b.email ? normaliseEmail(b.email) : null;
    if (b.phone && !phone)
      problems.push({ path: 'body.phone', message: { vi: 'Số điện thoại di động không hợp lệ (10 số, bắt đầu 03, 05, 07, 08, 09).', en: 'Invalid mobile number (10 digits starting 03, 05, 07, 08 or 09).' } });
    if (b.email && !email) problems.push({ path: 'body.email', message: { vi: 'Email không hợp lệ.', en: 'Invalid email address.' } });
    if (!b.phone && !b.email)
      problems.push({ path: 'body.phone', message: { vi: 'Cần số điện thoại hoặc email.', en: 'A phone number or an email is required.' } });
    problems.push(...passwordProblems(b.password, 'body.password', [phone ?? '', email ?? '', b.fullName]));
    if (problems.length) throw validationFailed(problems);

    const passwordHash = await hashPassword(b.password);
    const exists = conflict('account_exists', {
      vi: 'Số điện thoại hoặc email này đã được đăng ký. Hãy đăng nhập hoặc dùng chức năng quên mật khẩu.',
      en: 'This phone number or email is already registered. Sign in instead.',
    });
    const userId = await db.transaction().execute(async (tx) => {
      const u = await tx
        .insertInto('users')
        .values({ kind: 'citizen', fullName: b.fullName, phone, email, passwordHash })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!u) throw exists;
      await writeAudit(tx, { ...auditCtx(req), actorId: u.id, actorName: b.fullName }, { action: 'user.signup', objectType: 'user', objectId: u.id });
      return u.id;
    });
    const me = await signIn(req, reply, userId);
    return reply.status(201).send({ me });
  });

  r.post('/api/v1/auth/login', {
    config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { tags: ['identity'], summary: 'Sign in (officials continue with TOTP)', body: LoginBody, response: { 200: LoginResult, ...errors } },
  }, async (req, reply) => {
    const by = identifierOf(req.body.identifier);
    const user = await findUserByIdentifier(db, by);
    await checkThrottle(req, user?.id ?? null);
    const ok = await verifyPassword(user?.passwordHash, req.body.password);
    if (!user || !ok) return failLogin(req, user?.id ?? null, 'password');
    if (user.disabledAt)
      throw new AppError(403, 'account_disabled', { vi: 'Tài khoản đã bị vô hiệu hóa.', en: 'This account has been disabled.' });
    if (user.kind === 'citizen') return { status: 'signed_in' as const, me: await signIn(req, reply, user.id) };

    const expiresAt = new Date(Date.now() + CHALLENGE_MINUTES * 60_000);
    if (user.totpEnrolledAt && user.totpSecretEnc) {
      const c = await db.insertInto('loginChallenges').values({ userId: user.id, kind: 'totp', expiresAt }).returning('id').executeTakeFirstOrThrow();
      return { status: 'totp_required' as const, challengeId: c.id };
    }
    const secret = newTotpSecret();
    const c = await db
      .insertInto('loginChallenges')
      .values({ userId: user.id, kind: 'totp_enrol', pendingSecretEnc: sealer.seal(secret), expiresAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    return {
      status: 'totp_enrolment_required' as const,
      challengeId: c.id,
      secret,
      otpauthUrl: otpauthUrl(secret, user.email ?? user.phone ?? user.id),
    };
  });

  async function completeTotp(req: FastifyRequest, body: TotpBody, reply: FastifyReply, kind: 'totp' | 'totp_enrol') {
    const { challengeId, code } = body;
    if (!/^[0-9a-f-]{36}$/i.test(challengeId)) throw invalidCode();
    const ch = await db
      .selectFrom('loginChallenges')
      .selectAll()
      .where('id', '=', challengeId)
      .where('kind', '=', kind)
      .where('consumedAt', 'is', null)
      .where('expiresAt', '>', new Date())
      .where('failures', '<', CHALLENGE_MAX_FAILURES)
      .executeTakeFirst();
    if (!ch) throw invalidCode();
    const user = await findUserById(db, ch.userId);
    if (!user || user.disabledAt) throw invalidCode();
    await checkThrottle(req, user.id);
    const secretEnc = kind === 'totp' ? user.totpSecretEnc : ch.pendingSecretEnc;
    if (!secretEnc) throw invalidCode();
    const lastStep = user.totpLastStep === null ? null : Number(user.totpLastStep);
    const step = verifyTotp(sealer.open(secretEnc), code, lastStep);
    if (step === null) {
      await db.updateTable('loginChallenges').set((eb) => ({ failures: eb('failures', '+', 1) })).where('id', '=', ch.id).execute();
      return failLogin(req, user.id, 'totp');
    }
    // Consume the challenge and the time step atomically: a code works once, even when replayed concurrently.
    const won = await db.transaction().execute(async (tx) => {
      const consumed = await tx.updateTable('loginChallenges').set({ consumedAt: new Date() })
        .where('id', '=', ch.id).where('consumedAt', 'is', null).returning('id').executeTakeFirst();
      if (!consumed) return false;
      const upd = await tx.updateTable('users')
        .set({
          totpLastStep: String(step),
          ...(kind === 'totp_enrol' ? { totpSecretEnc: secretEnc, totpEnrolledAt: new Date() } : {}),
        })
        .where('id', '=', user.id)
        .where((eb) => eb.or([eb('totpLastStep', 'is', null), eb('totpLastStep', '<', String(step))]))
        .returning('id')
        .executeTakeFirst();
      if (!upd) return false;
      if (kind === 'totp_enrol') await writeAudit(tx, { ...auditCtx(req), actorId: user.id, actorName: user.fullName }, { action: 'auth.totp_enrolled', objectType: 'user', objectId: user.id });
      return true;
    });
    if (!won) throw invalidCode();
    return { status: 'signed_in' as const, me: await signIn(req, reply, user.id) };
  }

  const signedIn = z.object({ status: z.literal('signed_in'), me: Me });
  r.post('/api/v1/auth/totp', {
    config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { tags: ['identity'], summary: 'Second step of an official sign-in', body: TotpBody, response: { 200: signedIn, ...errors } },
  }, (req, reply) => completeTotp(req, req.body, reply, 'totp'));
  r.post('/api/v1/auth/totp/enrol', {
    config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { tags: ['identity'], summary: 'Confirm TOTP enrolment with a first code', body: TotpBody, response: { 200: signedIn, ...errors } },
  }, (req, reply) => completeTotp(req, req.body, reply, 'totp_enrol'));

  r.post('/api/v1/auth/logout', { schema: { tags: ['identity'], summary: 'Sign out', response: { 204: z.null(), ...errors } } }, async (req, reply) => {
    if (req.session && req.actor) {
      const s = req.session;
      await db.transaction().execute(async (tx) => {
        await revokeSession(tx, s.idHash);
        await writeAudit(tx, auditCtx(req), { action: 'auth.logout', objectType: 'user', objectId: req.actor!.userId });
      });
    }
    clearSessionCookie(reply);
    return reply.status(204).send(null);
  });

  r.get('/api/v1/auth/me', { schema: { tags: ['identity'], summary: 'Who am I', response: { 200: Me, 401: ApiError } } }, async (req, reply) => {
    const actor = requireActor(req);
    const s = req.session!;
    reply.header('cache-control', 'no-store');
    // Everything was loaded with the session: one round trip per request.
    return { id: actor.userId, kind: actor.kind, fullName: actor.fullName, email: s.email, phone: s.phone, roles: s.grants, csrfToken: s.csrfToken };
  });

  r.post('/api/v1/auth/password', {
    schema: {
      tags: ['identity'], summary: 'Change my password',
      body: z.strictObject({ currentPassword: z.string().max(1024), newPassword: z.string().max(1024) }),
      response: { 204: z.null(), ...errors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const user = await findUserById(db, actor.userId);
    if (!user || !(await verifyPassword(user.passwordHash, req.body.currentPassword)))
      throw fieldError('body.currentPassword', 'Mật khẩu hiện tại không đúng.', 'The current password is wrong.');
    const problems = passwordProblems(req.body.newPassword, 'body.newPassword', [user.email ?? '', user.phone ?? '']);
    if (problems.length) throw validationFailed(problems);
    const passwordHash = await hashPassword(req.body.newPassword);
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('users').set({ passwordHash, mustChangePassword: false, updatedAt: new Date() }).where('id', '=', user.id).execute();
      // Other sessions die with the old password; this one stays.
      await tx.updateTable('sessions').set({ revokedAt: new Date() })
        .where('userId', '=', user.id).where('idHash', '!=', req.session!.idHash).where('revokedAt', 'is', null).execute();
      await writeAudit(tx, auditCtx(req), { action: 'auth.password_changed', objectType: 'user', objectId: user.id });
    });
    return reply.status(204).send(null);
  });

  async function profileOf(userId: string): Promise<Profile> {
    const u = await findUserById(db, userId);
    if (!u) throw invalidCredentials();
    return {
      fullName: u.fullName,
      email: u.email,
      phone: u.phone,
      dateOfBirth: u.dateOfBirth,
      personalIdMasked: u.personalIdMasked,
      address: u.address,
    };
  }

  r.get('/api/v1/me/profile', { schema: { tags: ['identity'], summary: 'My profile (ID number masked)', response: { 200: Profile, 401: ApiError } } }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return profileOf(requireActor(req).userId);
  });

  r.patch('/api/v1/me/profile', {
    schema: { tags: ['identity'], summary: 'Update my profile', body: ProfileUpdate, response: { 200: Profile, ...errors } },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const b = req.body;
    const current = await findUserById(db, actor.userId);
    if (!current) throw invalidCredentials();
    const dob = b.dateOfBirth === undefined ? current.dateOfBirth : b.dateOfBirth;
    if (dob) {
      const d = new Date(`${dob}T00:00:00Z`);
      if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== dob || d > new Date() || d.getUTCFullYear() < 1900)
        throw fieldError('body.dateOfBirth', 'Ngày sinh không hợp lệ.', 'Invalid date of birth.');
    }
    const set: Record<string, unknown> = { updatedAt: new Date() };
    if (b.fullName !== undefined) set.fullName = b.fullName;
    if (b.dateOfBirth !== undefined) set.dateOfBirth = b.dateOfBirth;
    if (b.address !== undefined) set.address = b.address;
    if (b.personalId !== undefined) {
      const id = b.personalId.replace(/\s/g, '');
      const check = checkPersonalId(id, dob);
      if (check === 'format') throw fieldError('body.personalId', 'Số định danh cá nhân gồm đúng 12 chữ số.', 'The personal ID number has exactly 12 digits.');
      if (check === 'province') throw fieldError('body.personalId', 'Mã tỉnh trong số định danh không hợp lệ.', 'The province code in the ID number is invalid.');
      if (check === 'birth') throw fieldError('body.personalId', 'Số định danh không khớp với năm sinh.', 'The ID number does not match the year of birth.');
      set.personalIdEnc = sealer.seal(id);
      set.personalIdMasked = maskPersonalId(id);
    }
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('users').set(set).where('id', '=', actor.userId).execute();
      await writeAudit(tx, auditCtx(req), {
        action: 'user.profile_updated', objectType: 'user', objectId: actor.userId,
        details: { fields: Object.keys(b) },
      });
    });
    reply.header('cache-control', 'no-store');
    return profileOf(actor.userId);
  });
}
