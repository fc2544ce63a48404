import { CrisisScreen } from '../screens/safety/CrisisScreen';

export default CrisisScreen;
