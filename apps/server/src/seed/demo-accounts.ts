import type { OfficialRole } from '@motcua/contracts';

/**
 * DEMO DATA ONLY. These accounts exist only in the demo province; their passwords and TOTP
 * secrets are public (printed at start and listed in the README). Never seed them in production.
 */
export const DEMO_CITIZEN = {
  fullName: 'Nguyễn Văn An (demo)',
  phone: '0912345678',
  email: 'congdan@demo.motcua.vn',
  password: 'congdan-demo-2026',
} as const;

export interface DemoOfficial {
  email: string;
  fullName: string;
  password: string;
  role: OfficialRole;
  /** Code of the agency the role is held in. */
  agencyCode: string;
  /** Base32 TOTP secret, pre-enrolled. */
  totpSecret: string;
}

const PASSWORD = 'canbo-demo-2026';
const DEPT = '000.00.12.H56'; // Sở Khoa học và Công nghệ (demo)
const PROVINCE = '000.00.00.H56';

export const DEMO_OFFICIALS: DemoOfficial[] = [
  { email: 'motcua@demo.motcua.vn', fullName: 'Trần Thị Bình (demo)', role: 'reception_officer', agencyCode: DEPT, totpSecret: 'JBSWY3DPEHPK3PXPMOTCUA2A', password: PASSWORD },
  { email: 'chuyenvien@demo.motcua.vn', fullName: 'Lê Văn Cường (demo)', role: 'specialist', agencyCode: DEPT, totpSecret: 'JBSWY3DPEHPK3PXPMOTCUA3B', password: PASSWORD },
  { email: 'truongphong@demo.motcua.vn', fullName: 'Phạm Thị Dung (demo)', role: 'division_head', agencyCode: DEPT, totpSecret: 'JBSWY3DPEHPK3PXPMOTCUA4C', password: PASSWORD },
  { email: 'lanhdao@demo.motcua.vn', fullName: 'Hoàng Văn Em (demo)', role: 'agency_leader', agencyCode: DEPT, totpSecret: 'JBSWY3DPEHPK3PXPMOTCUA5D', password: PASSWORD },
  { email: 'quantri@demo.motcua.vn', fullName: 'Vũ Thị Giang (demo)', role: 'agency_admin', agencyCode: DEPT, totpSecret: 'JBSWY3DPEHPK3PXPMOTCUA6E', password: PASSWORD },
  { email: 'quantritinh@demo.motcua.vn', fullName: 'Đặng Văn Hùng (demo)', role: 'province_admin', agencyCode: PROVINCE, totpSecret: 'JBSWY3DPEHPK3PXPMOTCUA7F', password: PASSWORD },
  { email: 'hotro@demo.motcua.vn', fullName: 'Bùi Thị Lan (demo)', role: 'support_agent', agencyCode: DEPT, totpSecret: 'JBSWY3DPEHPK3PXPMOTCUB2G', password: PASSWORD },
  { email: 'kiemtoan@demo.motcua.vn', fullName: 'Đỗ Văn Minh (demo)', role: 'auditor', agencyCode: PROVINCE, totpSecret: 'JBSWY3DPEHPK3PXPMOTCUB3H', password: PASSWORD },
];
