import { WelcomeScreen } from '../screens/onboarding/WelcomeScreen';

export default WelcomeScreen;
