import Ionicons from '@expo/vector-icons/Ionicons';
import { Tabs } from 'expo-router';
import type { ComponentProps } from 'react';
import { useWindowDimensions } from 'react-native';
import { HelpButton, NARROW_WIDTH } from '../../components/HelpButton';
import { useTheme } from '../../theme/tokens';

type IconName = ComponentProps<typeof Ionicons>['name'];

const tabs: { name: string; title: string; icon: IconName; label: string }[] = [
  { name: 'index', title: 'Turn', icon: 'sync-outline', label: 'Turn: reframe a thought' },
  { name: 'mirror', title: 'Mirror', icon: 'book-outline', label: 'Mirror: journal' },
  { name: 'lens', title: 'Lens', icon: 'sunny-outline', label: 'Lens: goals and daily check-in' },
  { name: 'gallery', title: 'Gallery', icon: 'albums-outline', label: 'Gallery: your history' },
  { name: 'spectrum', title: 'Spectrum', icon: 'stats-chart-outline', label: 'Spectrum: your patterns over time' },
  { name: 'profile', title: 'Profile', icon: 'person-circle-outline', label: 'Profile and settings' },
];

export default function TabsLayout() {
  const { colors } = useTheme();
  // Six labels cut to "Mi…" help nobody: when narrow, icons only (each keeps its spoken label).
  const narrow = useWindowDimensions().width < NARROW_WIDTH;
  return (
    <Tabs
      screenOptions={{
        headerStyle: { backgroundColor: colors.background },
        headerTitleStyle: { color: colors.text },
        headerShadowVisible: false,
        headerRight: () => <HelpButton />,
        tabBarActiveTintColor: colors.primary,
        tabBarInactiveTintColor: colors.textMuted,
        tabBarShowLabel: !narrow,
        tabBarStyle: { backgroundColor: colors.surface, borderTopColor: colors.border },
        sceneStyle: { backgroundColor: colors.background },
      }}
    >
      {tabs.map((tab) => (
        <Tabs.Screen
          key={tab.name}
          name={tab.name}
          options={{
            title: tab.title,
            tabBarAccessibilityLabel: tab.label,
            tabBarButtonTestID: `tab-${tab.title.toLowerCase()}`,
            tabBarIcon: ({ color, size }) => <Ionicons name={tab.icon} color={color} size={size} />,
          }}
        />
      ))}
    </Tabs>
  );
}
