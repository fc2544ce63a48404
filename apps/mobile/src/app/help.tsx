import { HelpScreen } from '../screens/safety/HelpScreen';

export default HelpScreen;
