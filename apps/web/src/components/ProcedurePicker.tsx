import { useEffect, useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useProcedure, useProcedures } from '../api/catalog';

/** A published procedure, searched as one types (name and code); for antd Form.Item. */
export function ProcedurePicker({ id, value, onChange, placeholder }: { id?: string; value?: string; onChange?: (v: string) => void; placeholder?: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const results = useProcedures({ q: debounced || undefined, limit: 30, offset: 0 });
  const chosen = useProcedure(value);
  const options = (results.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.code})` }));
  if (value && chosen.data && !options.some((o) => o.value === value)) options.unshift({ value, label: `${chosen.data.name} (${chosen.data.code})` });
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      options={options}
      loading={results.isFetching}
      placeholder={placeholder}
      notFoundContent={t('procedures.empty')}
    />
  );
}
