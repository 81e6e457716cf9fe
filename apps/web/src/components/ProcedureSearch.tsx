import { useId, useState } from 'react';
import { Button, Input, Space } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';

/** The big search box: a real form, so Enter and the button both submit. */
export function ProcedureSearch({ initial = '', size = 'large' }: { initial?: string; size?: 'large' | 'middle' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [q, setQ] = useState(initial);
  const id = useId();
  return (
    <form
      role="search"
      aria-label={t('home.searchLabel')}
      className="procedure-search"
      onSubmit={(e) => {
        e.preventDefault();
        const query = q.trim();
        void navigate(query ? `/procedures?q=${encodeURIComponent(query)}` : '/procedures');
      }}
    >
      <label htmlFor={id} className="procedure-search-label">
        {t('home.searchLabel')}
      </label>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          id={id}
          name="q"
          size={size}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder={t('home.searchPlaceholder')}
          autoComplete="off"
        />
        <Button type="primary" htmlType="submit" size={size} icon={<SearchOutlined aria-hidden />}>
          {t('common.search')}
        </Button>
      </Space.Compact>
    </form>
  );
}
