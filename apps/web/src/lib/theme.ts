import type { ThemeConfig } from 'antd';

/**
 * Colours chosen for WCAG AA contrast (4.5:1 for text on white): antd's defaults for links,
 * errors, descriptions and placeholders fall short of it.
 */
export const PRIMARY = '#0b4f9c';

const reducedMotion = typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

export const theme: ThemeConfig = {
  token: {
    // Honour the system setting: no sliding drawers or zooming dialogs for those who asked.
    motion: !reducedMotion,
    colorPrimary: PRIMARY,
    colorInfo: PRIMARY,
    colorLink: PRIMARY,
    // antd lightens links on hover below AA contrast; darken them instead.
    colorLinkHover: '#083a73',
    colorLinkActive: '#062f5e',
    colorError: '#b3261e',
    colorWarning: '#8a5300',
    colorSuccess: '#1e6b34',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
    fontFamily:
      "'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', Arial, 'Liberation Sans', sans-serif",
    borderRadius: 6,
  },
};
