import type { ReactNode } from 'react';

/**
 * A wide table scrolls sideways inside this region on small screens. The region is focusable
 * and named so that keyboard users can scroll it too (WCAG 2.1.1).
 */
export function ScrollRegion({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  return (
    <div className="scroll-region" role="region" aria-label={label} tabIndex={0}>
      <div style={{ minWidth }}>{children}</div>
    </div>
  );
}
