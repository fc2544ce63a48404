import { NotFoundScreen } from '../screens/not-found/NotFoundScreen';

export default NotFoundScreen;
