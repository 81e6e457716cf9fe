import type { AgencyLevel } from '@motcua/contracts';

/**
 * DEMO DATA: a clearly labelled demo Khánh Hòa province. Codes follow the QCVN 102:2016 shape
 * but are not the official ones. The tree holds both models: the three-level one (province,
 * district, commune) until 30/06/2025 and the two-level one (province, commune) after, and the
 * 2025 department mergers (Information and Communications into Science and Technology, ...).
 */
export interface DemoAgency {
  code: string;
  name: string;
  nameEn: string;
  shortName: string;
  level: AgencyLevel;
  parent: string | null;
  validFrom: string;
  validTo?: string;
  successor?: string;
  address?: string;
  phone?: string;
}

const P = '000.00.00.H56';
const LONG_AGO = '2008-01-01';
const MERGE_END = '2025-02-28';
const MERGE_START = '2025-03-01';
const TWO_LEVEL_START = '2025-07-01';
const DISTRICT_END = '2025-06-30';

const dept = (n: string, name: string, nameEn: string, shortName: string, extra: Partial<DemoAgency> = {}): DemoAgency => ({
  code: `000.00.${n}.H56`, name: `${name} (demo)`, nameEn: `${nameEn} (demo)`, shortName, level: 'department', parent: P,
  validFrom: LONG_AGO, address: 'Nha Trang, Khánh Hòa', ...extra,
});

export const DEMO_AGENCIES: DemoAgency[] = [
  { code: P, name: 'Ủy ban nhân dân tỉnh Khánh Hòa (demo)', nameEn: "Khánh Hòa Provincial People's Committee (demo)", shortName: 'UBND', level: 'province', parent: null, validFrom: '1989-07-01', address: '01 Trần Phú, Nha Trang, Khánh Hòa', phone: '0258 3822 000' },
  dept('01', 'Văn phòng Ủy ban nhân dân tỉnh', "Office of the Provincial People's Committee", 'VPUBND'),
  dept('02', 'Sở Nội vụ', 'Department of Home Affairs', 'SNV'),
  dept('03', 'Sở Tư pháp', 'Department of Justice', 'STP'),
  dept('04', 'Sở Tài chính', 'Department of Finance', 'STC'),
  dept('05', 'Sở Kế hoạch và Đầu tư', 'Department of Planning and Investment', 'SKHĐT', { validTo: MERGE_END, successor: '000.00.04.H56' }),
  dept('06', 'Sở Công Thương', 'Department of Industry and Trade', 'SCT'),
  dept('07', 'Sở Nông nghiệp và Môi trường', 'Department of Agriculture and Environment', 'SNNMT', { validFrom: MERGE_START }),
  dept('08', 'Sở Nông nghiệp và Phát triển nông thôn', 'Department of Agriculture and Rural Development', 'SNNPTNT', { validTo: MERGE_END, successor: '000.00.07.H56' }),
  dept('09', 'Sở Tài nguyên và Môi trường', 'Department of Natural Resources and Environment', 'STNMT', { validTo: MERGE_END, successor: '000.00.07.H56' }),
  dept('10', 'Sở Xây dựng', 'Department of Construction', 'SXD'),
  dept('11', 'Sở Giao thông vận tải', 'Department of Transport', 'SGTVT', { validTo: MERGE_END, successor: '000.00.10.H56' }),
  dept('12', 'Sở Khoa học và Công nghệ', 'Department of Science and Technology', 'SKHCN', { phone: '0258 3822 111' }),
  dept('13', 'Sở Thông tin và Truyền thông', 'Department of Information and Communications', 'STTTT', { validTo: MERGE_END, successor: '000.00.12.H56', phone: '0258 3822 222' }),
  dept('14', 'Sở Giáo dục và Đào tạo', 'Department of Education and Training', 'SGDĐT'),
  dept('15', 'Sở Y tế', 'Department of Health', 'SYT'),
  dept('16', 'Sở Văn hóa, Thể thao và Du lịch', 'Department of Culture, Sports and Tourism', 'SVHTTDL'),
  dept('17', 'Sở Lao động - Thương binh và Xã hội', 'Department of Labour, Invalids and Social Affairs', 'SLĐTBXH', { validTo: MERGE_END, successor: '000.00.02.H56' }),
  dept('18', 'Sở Dân tộc và Tôn giáo', 'Department of Ethnic Minorities and Religion', 'SDTTG', { validFrom: MERGE_START }),
  dept('19', 'Thanh tra tỉnh', 'Provincial Inspectorate', 'TTr'),
  dept('20', 'Trung tâm Phục vụ hành chính công tỉnh', 'Provincial Public Administration Service Centre', 'TTPVHCC'),
  dept('21', 'Sở Ngoại vụ', 'Department of Foreign Affairs', 'SNgV'),
  dept('22', 'Ban Quản lý Khu kinh tế Vân Phong', 'Vân Phong Economic Zone Authority', 'BQLKKT'),
];

// Three-level model (until 30/06/2025): districts with some of their communes.
const districts: [string, string, string, string][] = [
  ['31', 'Thành phố Nha Trang', 'Nha Trang City', 'NT'],
  ['32', 'Thành phố Cam Ranh', 'Cam Ranh City', 'CR'],
  ['33', 'Thị xã Ninh Hòa', 'Ninh Hòa Town', 'NH'],
  ['34', 'Huyện Diên Khánh', 'Diên Khánh District', 'DK'],
];
for (const [n, name, nameEn, shortName] of districts) {
  DEMO_AGENCIES.push({ code: `000.00.${n}.H56`, name: `Ủy ban nhân dân ${name} (demo)`, nameEn: `${nameEn} People's Committee (demo)`, shortName: `UBND ${shortName}`, level: 'district', parent: P, validFrom: LONG_AGO, validTo: DISTRICT_END });
}

// Two-level model (from 01/07/2025): communes and wards directly under the province.
const communes: [string, string, string][] = [
  ['01', 'Phường Nha Trang', 'Nha Trang Ward'],
  ['02', 'Phường Bắc Nha Trang', 'Bắc Nha Trang Ward'],
  ['03', 'Phường Tây Nha Trang', 'Tây Nha Trang Ward'],
  ['04', 'Phường Nam Nha Trang', 'Nam Nha Trang Ward'],
  ['05', 'Phường Bắc Cam Ranh', 'Bắc Cam Ranh Ward'],
  ['06', 'Phường Cam Ranh', 'Cam Ranh Ward'],
  ['07', 'Phường Cam Linh', 'Cam Linh Ward'],
  ['08', 'Phường Ba Ngòi', 'Ba Ngòi Ward'],
  ['09', 'Phường Ninh Hòa', 'Ninh Hòa Ward'],
  ['10', 'Phường Đông Ninh Hòa', 'Đông Ninh Hòa Ward'],
  ['11', 'Phường Hòa Thắng', 'Hòa Thắng Ward'],
  ['12', 'Xã Diên Khánh', 'Diên Khánh Commune'],
  ['13', 'Xã Diên Lạc', 'Diên Lạc Commune'],
  ['14', 'Xã Diên Điền', 'Diên Điền Commune'],
  ['15', 'Xã Suối Hiệp', 'Suối Hiệp Commune'],
  ['16', 'Xã Cam Lâm', 'Cam Lâm Commune'],
  ['17', 'Xã Vạn Ninh', 'Vạn Ninh Commune'],
  ['18', 'Xã Khánh Vĩnh', 'Khánh Vĩnh Commune'],
  ['19', 'Xã Khánh Sơn', 'Khánh Sơn Commune'],
  ['20', 'Phường Phan Rang', 'Phan Rang Ward'],
  ['21', 'Phường Đông Hải', 'Đông Hải Ward'],
  ['22', 'Xã Ninh Phước', 'Ninh Phước Commune'],
  ['23', 'Xã Vĩnh Hải', 'Vĩnh Hải Commune'],
  ['24', 'Đặc khu Trường Sa', 'Trường Sa Special Zone'],
];
for (const [n, name, nameEn] of communes) {
  DEMO_AGENCIES.push({ code: `000.01.${n}.H56`, name: `Ủy ban nhân dân ${name} (demo)`, nameEn: `${nameEn} People's Committee (demo)`, shortName: 'UBND', level: 'commune', parent: P, validFrom: TWO_LEVEL_START });
}

// A few pre-2025 communes under their districts, with the ward that took over their work.
const oldCommunes: [string, string, string, string, string][] = [
  ['01', 'Phường Lộc Thọ', 'Lộc Thọ Ward', '31', '01'],
  ['02', 'Phường Vĩnh Hải', 'Vĩnh Hải Ward', '31', '02'],
  ['03', 'Phường Cam Lộc', 'Cam Lộc Ward', '32', '06'],
  ['04', 'Phường Ninh Hiệp', 'Ninh Hiệp Ward', '33', '09'],
  ['05', 'Xã Diên An', 'Diên An Commune', '34', '12'],
];
for (const [n, name, nameEn, district, successor] of oldCommunes) {
  DEMO_AGENCIES.push({ code: `000.02.${n}.H56`, name: `Ủy ban nhân dân ${name} (demo)`, nameEn: `${nameEn} People's Committee (demo)`, shortName: 'UBND', level: 'commune', parent: `000.00.${district}.H56`, validFrom: LONG_AGO, validTo: DISTRICT_END, successor: `000.01.${successor}.H56` });
}
