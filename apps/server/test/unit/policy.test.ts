import { describe, expect, it } from 'vitest';
import { OfficialRole } from '@motcua/contracts';
import { ACTIONS, can, type Action, type Actor } from '../../src/modules/policy/index.ts';

const official = (role: OfficialRole, agencyId = 'dept'): Actor => ({ userId: 'u', kind: 'official', fullName: 'x', roles: [{ role, agencyId }] });
const chain = ['division', 'dept', 'province'];

describe('policy', () => {
  for (const action of Object.keys(ACTIONS) as Action[]) {
    const allowed: readonly string[] = ACTIONS[action];
    it(`${action}: every role not listed is refused, citizens and anonymous too`, () => {
      for (const role of OfficialRole.options) {
        expect(can(official(role), action, chain)).toBe(allowed.includes(role));
      }
      expect(can({ userId: 'c', kind: 'citizen', fullName: 'c', roles: [] }, action, chain)).toBe(false);
      expect(can(null, action, chain)).toBe(false);
    });
    it(`${action}: a role in another agency's tree does not reach this one`, () => {
      for (const role of allowed) expect(can(official(role as OfficialRole, 'other-dept'), action, chain)).toBe(false);
    });
  }
  it('a role held higher in the tree covers the agencies below', () => {
    expect(can(official('province_admin', 'province'), 'agency.update', chain)).toBe(true);
    expect(can(official('agency_admin', 'division'), 'agency.update', ['dept', 'province'])).toBe(false);
  });
});
