export { authRoutes } from './auth.routes.ts';
export { officialsRoutes } from './officials.routes.ts';
export { sessionPlugin } from './session-plugin.ts';
export { createSealer, type Sealer } from './secrets.ts';
export { hashPassword } from './passwords.ts';
export { totpCode, newTotpSecret } from './totp.ts';
