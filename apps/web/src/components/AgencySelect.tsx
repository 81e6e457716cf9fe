import { useEffect, useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { agencyName, useAgencies, useAgency } from '../api/agencies';

/**
 * Pick an agency by searching the public list. Works as a controlled Form.Item child
 * (value = agency id). The current value's label is fetched when it is not in the results.
 */
export function AgencySelect({
  id,
  value,
  onChange,
  excludeId,
  includeDissolved = false,
  allowClear = true,
  'aria-describedby': describedBy,
  'aria-labelledby': labelledBy,
  'aria-invalid': ariaInvalid,
  'aria-required': ariaRequired,
}: {
  id?: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
  excludeId?: string;
  includeDissolved?: boolean;
  allowClear?: boolean;
  'aria-describedby'?: string;
  'aria-labelledby'?: string;
  'aria-invalid'?: boolean | 'true' | 'false';
  'aria-required'?: boolean | 'true' | 'false';
}) {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const results = useAgencies({ q: debounced, includeDissolved, limit: 20, offset: 0 });
  const current = useAgency(value);

  const options = (results.data?.items ?? [])
    .filter((a) => a.id !== excludeId)
    .map((a) => ({ value: a.id, label: `${agencyName(a, i18n.language)} (${a.code})` }));
  if (value && current.data && !options.some((o) => o.value === value)) {
    options.unshift({ value, label: `${agencyName(current.data, i18n.language)} (${current.data.code})` });
  }

  return (
    <Select<string>
      id={id}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      onClear={() => onChange?.(null)}
      allowClear={allowClear}
      options={options}
      loading={results.isFetching}
      placeholder={t('agencySelect.placeholder')}
      notFoundContent={t('agencySelect.none')}
      aria-describedby={describedBy}
      aria-labelledby={labelledBy}
      aria-invalid={ariaInvalid}
      aria-required={ariaRequired}
      style={{ width: '100%' }}
    />
  );
}
