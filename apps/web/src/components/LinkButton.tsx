import type { ReactNode } from 'react';
import { Button, type ButtonProps } from 'antd';
import { useNavigate } from 'react-router';

/**
 * A link that looks like a button (antd's styles), navigating inside the app without a reload;
 * it stays a real link, so it can be opened in a new tab.
 */
export function LinkButton({ to, children, ...rest }: { to: string; children: ReactNode } & Omit<ButtonProps, 'href' | 'onClick'>) {
  const navigate = useNavigate();
  return (
    <Button
      {...rest}
      href={to}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) return;
        e.preventDefault();
        void navigate(to);
      }}
    >
      {children}
    </Button>
  );
}
