import type { ReactNode } from 'react';
import { KeyboardAvoidingView, Platform, RefreshControl, ScrollView, View } from 'react-native';
import { SafeAreaView, type Edge } from 'react-native-safe-area-context';
import { maxContentWidth, useTheme, type Palette } from '../theme/tokens';
import { OfflineBanner } from './OfflineBanner';

export interface ScreenProps {
  children: ReactNode;
  /** Pull to refresh, when the screen shows server data. */
  onRefresh?: () => void;
  refreshing?: boolean;
  /** Safe-area edges to pad; screens under a header skip the top. */
  edges?: Edge[];
  scroll?: boolean;
  footer?: ReactNode;
  testID?: string;
  background?: keyof Palette;
}

/** Every screen's frame: background, safe area, keyboard avoidance, reading width, offline banner. */
export function Screen({ children, onRefresh, refreshing = false, edges = ['bottom', 'left', 'right'], scroll = true, footer, testID, background = 'background' }: ScreenProps) {
  const { colors, space } = useTheme();
  const content = <View style={{ width: '100%', maxWidth: maxContentWidth, alignSelf: 'center', padding: space.lg, paddingBottom: space.xxxl }}>{children}</View>;
  return (
    <SafeAreaView edges={edges} style={{ flex: 1, backgroundColor: colors[background] }} testID={testID}>
      <OfflineBanner />
      <KeyboardAvoidingView behavior={Platform.OS === 'ios' ? 'padding' : undefined} style={{ flex: 1 }}>
        {scroll ? (
          <ScrollView
            keyboardShouldPersistTaps="handled"
            contentContainerStyle={{ flexGrow: 1 }}
            refreshControl={onRefresh ? <RefreshControl refreshing={refreshing} onRefresh={onRefresh} tintColor={colors.primary} /> : undefined}
          >
            {content}
          </ScrollView>
        ) : (
          <View style={{ flex: 1 }}>{content}</View>
        )}
        {footer}
      </KeyboardAvoidingView>
    </SafeAreaView>
  );
}
