import { MirrorSessionScreen } from '../../screens/mirror/MirrorSessionScreen';

export default MirrorSessionScreen;
