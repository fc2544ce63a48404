import { LensScreen } from '../../screens/lens/LensScreen';

export default LensScreen;
