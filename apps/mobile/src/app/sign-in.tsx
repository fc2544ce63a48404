import { SignInScreen } from '../screens/auth/SignInScreen';

export default SignInScreen;
