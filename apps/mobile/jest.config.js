/** jest-expo runs the component and hook tests; e2e/ is Chromium's, run by e2e/run.mjs. */
module.exports = {
  preset: 'jest-expo',
  testTimeout: 30000,
  roots: ['<rootDir>/src'],
  setupFiles: ['<rootDir>/jest.setup.js'],
  transformIgnorePatterns: [
    'node_modules/(?!((jest-)?react-native|@react-native(-community)?|expo(nent)?|@expo(nent)?/.*|@expo-google-fonts/.*|react-navigation|@react-navigation/.*|react-native-svg|gifted-charts-core|@tanstack/.*|zod))',
  ],
};
