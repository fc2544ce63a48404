import { ProfileScreen } from '../../screens/profile/ProfileScreen';

export default ProfileScreen;
