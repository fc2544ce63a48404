import { useColorScheme } from 'react-native';

/**
 * Kalei's design tokens, the one place colours, spacing, type and shape are defined.
 * Palettes are warm and low-contrast in the chrome, high-contrast in the text (every text colour
 * meets WCAG AA on its background in both schemes).
 */

export interface Palette {
  background: string;
  surface: string;
  surfaceRaised: string;
  border: string;
  text: string;
  textMuted: string;
  primary: string;
  onPrimary: string;
  primarySoft: string;
  accent: string;
  accentSoft: string;
  danger: string;
  dangerSoft: string;
  success: string;
  highlight: string;
  highlightBorder: string;
  crisisBackground: string;
  crisisSurface: string;
  crisisAction: string;
  onCrisisAction: string;
  focus: string;
}

export const palettes: Record<'light' | 'dark', Palette> = {
  light: {
    background: '#FBF7F2',
    surface: '#FFFFFF',
    surfaceRaised: '#F4EEE7',
    border: '#E4DAD0',
    text: '#2B2623',
    textMuted: '#645A52',
    primary: '#5B4B8A',
    onPrimary: '#FFFFFF',
    primarySoft: '#ECE7F6',
    accent: '#9A5B1E',
    accentSoft: '#FBEBD8',
    danger: '#A8323E',
    dangerSoft: '#FBE6E8',
    success: '#2F6B4F',
    highlight: '#FCE3B8',
    highlightBorder: '#D9962F',
    crisisBackground: '#F6EFEA',
    crisisSurface: '#FFFFFF',
    crisisAction: '#8E3B4B',
    onCrisisAction: '#FFFFFF',
    focus: '#2F6FD1',
  },
  dark: {
    background: '#171419',
    surface: '#221E25',
    surfaceRaised: '#2B2630',
    border: '#3C3542',
    text: '#F3EDE7',
    textMuted: '#BDB2AA',
    primary: '#BBA9F0',
    onPrimary: '#1E1730',
    primarySoft: '#2F2844',
    accent: '#F0B774',
    accentSoft: '#3A2C1E',
    danger: '#F2A0A8',
    dangerSoft: '#3C1F24',
    success: '#8FD3B0',
    highlight: '#5A4320',
    highlightBorder: '#E0A458',
    crisisBackground: '#1D171B',
    crisisSurface: '#2A2126',
    crisisAction: '#F0A9B6',
    onCrisisAction: '#2A1118',
    focus: '#8AB4FF',
  },
};

export const space = { xs: 4, sm: 8, md: 12, lg: 16, xl: 24, xxl: 32, xxxl: 48 } as const;
export const radius = { sm: 8, md: 12, lg: 18, pill: 999 } as const;

/** Type scale; sizes scale with the system font size (allowFontScaling stays on). */
export const type = {
  display: { fontSize: 30, lineHeight: 38, fontWeight: '700' },
  title: { fontSize: 22, lineHeight: 30, fontWeight: '700' },
  heading: { fontSize: 18, lineHeight: 26, fontWeight: '600' },
  body: { fontSize: 16, lineHeight: 24, fontWeight: '400' },
  bodyStrong: { fontSize: 16, lineHeight: 24, fontWeight: '600' },
  small: { fontSize: 14, lineHeight: 20, fontWeight: '400' },
  caption: { fontSize: 12, lineHeight: 16, fontWeight: '500' },
} as const;

/** Smallest touch target on every platform (WCAG 2.5.5, Apple HIG). */
export const minTouch = 44;
/** Reading width on wide screens (web, tablets). */
export const maxContentWidth = 640;

export interface Theme {
  scheme: 'light' | 'dark';
  colors: Palette;
  space: typeof space;
  radius: typeof radius;
  type: typeof type;
}

/** The theme for the system's colour scheme. */
export function useTheme(): Theme {
  const scheme = useColorScheme() === 'dark' ? 'dark' : 'light';
  return { scheme, colors: palettes[scheme], space, radius, type };
}
