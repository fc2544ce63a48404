import { NotFoundScreen } from '../screens/not-found/NotFoundScreen';

// expo-router adds a developer sitemap at /_sitemap unless the app defines one: people get the Kalei page instead.
export default NotFoundScreen;
