import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { PRIMARY } from '../lib/theme';

/**
 * ARIA tabs (WAI-ARIA APG, automatic activation) whose tab list wraps on a narrow screen, where
 * antd's Tabs hide overflowing tabs behind a button inside the tab list: buttons with arrow,
 * Home and End keys, and one focusable panel labelled by the selected tab.
 */
export function WrappingTabs<K extends string>({
  id,
  label,
  tabs,
  active,
  onChange,
  children,
}: {
  id: string;
  label: string;
  tabs: { key: K; label: string }[];
  active: K;
  onChange: (key: K) => void;
  children: ReactNode;
}) {
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const move = (e: KeyboardEvent, i: number) => {
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = tabs[(to + tabs.length) % tabs.length]!;
    onChange(next.key);
    refs.current.get(next.key)?.focus();
  };
  return (
    <>
      <div role="tablist" aria-label={label} style={{ display: 'flex', flexWrap: 'wrap', columnGap: 8, borderBottom: '1px solid #d9d9d9', marginBottom: 16 }}>
        {tabs.map((tab, i) => {
          const selected = tab.key === active;
          return (
            <button
              key={tab.key}
              ref={(el) => {
                if (el) refs.current.set(tab.key, el);
                else refs.current.delete(tab.key);
              }}
              type="button"
              role="tab"
              id={`${id}-tab-${tab.key}`}
              aria-selected={selected}
              aria-controls={`${id}-panel`}
              tabIndex={selected ? 0 : -1}
              onClick={() => onChange(tab.key)}
              onKeyDown={(e) => move(e, i)}
              style={{
                background: 'none',
                border: 0,
                borderBottom: `3px solid ${selected ? PRIMARY : 'transparent'}`,
                marginBottom: -1,
                padding: '10px 12px',
                font: 'inherit',
                fontSize: 15,
                fontWeight: selected ? 600 : 400,
                color: selected ? PRIMARY : 'rgb(0 0 0 / 88%)',
                cursor: 'pointer',
              }}
            >
              {tab.label}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${active}`} tabIndex={0}>
        {children}
      </div>
    </>
  );
}
