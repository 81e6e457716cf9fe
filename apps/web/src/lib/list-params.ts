/**
 * The URL query of a filtered, paginated list: every non-empty filter, and the page when it is
 * not the first. Filters left out of `next` keep their current value; any change returns to page
 * 1 unless `next.page` says otherwise.
 */
export function listParams(
  current: Record<string, string | boolean | undefined>,
  next: Record<string, string | boolean | number | undefined> & { page?: number },
): URLSearchParams {
  const { page, ...filters } = next;
  const merged = { ...current, ...filters };
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(merged)) {
    if (v === true) p.set(k, '1');
    else if (typeof v === 'string' && v) p.set(k, v);
  }
  if ((page ?? 1) > 1) p.set('page', String(page));
  return p;
}
