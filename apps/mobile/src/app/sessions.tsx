import { SessionsScreen } from '../screens/profile/SessionsScreen';

export default SessionsScreen;
