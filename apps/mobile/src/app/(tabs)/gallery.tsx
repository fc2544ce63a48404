import { GalleryScreen } from '../../screens/gallery/GalleryScreen';

export default GalleryScreen;
