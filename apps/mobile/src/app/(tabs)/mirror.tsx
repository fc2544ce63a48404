import { MirrorHomeScreen } from '../../screens/mirror/MirrorHomeScreen';

export default MirrorHomeScreen;
