import { TurnScreen } from '../../screens/turn/TurnScreen';

export default TurnScreen;
