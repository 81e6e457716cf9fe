import dayjs from 'dayjs';

/** Dates are written dd/mm/yyyy in Vietnam; the API speaks ISO. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = dayjs(iso);
  return d.isValid() ? d.format('DD/MM/YYYY') : iso;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = dayjs(iso);
  return d.isValid() ? d.format('DD/MM/YYYY HH:mm:ss') : iso;
}

/** Dates with the time of day, without seconds: 25/08/2026 14:30. */
export function formatDateTimeShort(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = dayjs(iso);
  return d.isValid() ? d.format('DD/MM/YYYY HH:mm') : iso;
}

/** Money as written in Vietnam: 1.250.000 ₫ (whole đồng, dots between thousands). */
export function formatMoney(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(Math.round(amount))).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}${digits}\u00a0₫`;
}

/** File sizes in the units people know: 820 KB, 1,4 MB. */
export function formatBytes(bytes: number, lng = 'vi'): string {
  const dec = (n: number) => (lng === 'en' ? n.toFixed(1) : n.toFixed(1).replace('.', ','));
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${dec(bytes / (1024 * 1024))} MB`;
}
