import { useId, useState } from 'react';
import { Button, Input, Space } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/** A labelled search box that submits on Enter or on its button. */
export function SearchForm({
  label,
  initial,
  placeholder,
  onSearch,
}: {
  label: string;
  initial: string;
  placeholder?: string;
  onSearch: (q: string) => void;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState(initial);
  const id = useId();
  return (
    <form
      role="search"
      aria-label={label}
      className="search-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(q.trim());
      }}
    >
      <label htmlFor={id} className="search-form-label">
        {label}
      </label>
      <Space.Compact style={{ width: '100%', maxWidth: 560 }}>
        <Input id={id} name="q" value={q} onChange={(e) => setQ(e.target.value)} placeholder={placeholder} allowClear />
        <Button type="primary" htmlType="submit" icon={<SearchOutlined aria-hidden />}>
          {t('common.search')}
        </Button>
      </Space.Compact>
    </form>
  );
}
