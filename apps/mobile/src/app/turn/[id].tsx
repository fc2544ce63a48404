import { TurnDetailScreen } from '../../screens/turn/TurnDetailScreen';

export default TurnDetailScreen;
