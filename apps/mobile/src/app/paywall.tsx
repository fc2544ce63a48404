import { PaywallScreen } from '../screens/paywall/PaywallScreen';

export default PaywallScreen;
