import { SpectrumScreen } from '../../screens/spectrum/SpectrumScreen';

export default SpectrumScreen;
