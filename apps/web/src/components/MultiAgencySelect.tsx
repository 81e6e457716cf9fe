import { useEffect, useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { agencyName, useAgencies } from '../api/agencies';

/**
 * Pick several agencies by searching the public list (a controlled Form.Item child: value =
 * agency ids). `known` gives labels for ids that are not among the search results.
 */
export function MultiAgencySelect({
  id,
  value,
  onChange,
  known = {},
  'aria-describedby': describedBy,
  'aria-invalid': ariaInvalid,
  'aria-required': ariaRequired,
}: {
  id?: string;
  value?: string[];
  onChange?: (value: string[]) => void;
  known?: Record<string, string>;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean | 'true' | 'false';
  'aria-required'?: boolean | 'true' | 'false';
}) {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  const [labels, setLabels] = useState<Record<string, string>>(known);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const results = useAgencies({ q: debounced, limit: 30, offset: 0 });
  const found = (results.data?.items ?? []).map((a) => ({ value: a.id, label: `${agencyName(a, i18n.language)} (${a.code})` }));
  useEffect(() => {
    if (found.length) setLabels((l) => ({ ...l, ...Object.fromEntries(found.map((o) => [o.value, o.label])) }));
  }, [results.data]);
  const selected = (value ?? []).filter((v) => !found.some((o) => o.value === v)).map((v) => ({ value: v, label: labels[v] ?? known[v] ?? v }));
  return (
    <Select<string[]>
      id={id}
      mode="multiple"
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={value ?? []}
      onChange={(v) => onChange?.(v)}
      options={[...selected, ...found]}
      loading={results.isFetching}
      placeholder={t('agencySelect.placeholder')}
      notFoundContent={t('agencySelect.none')}
      aria-describedby={describedBy}
      aria-invalid={ariaInvalid}
      aria-required={ariaRequired}
      style={{ width: '100%' }}
    />
  );
}
