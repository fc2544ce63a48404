import { Share } from 'react-native';
import type { SaveFile } from './save-file.types';

/** Native: the system share sheet, so the person chooses where the file goes (Files, mail, a drive). */
export const saveFile: SaveFile = async ({ name, text }) => {
  const result = await Share.share({ title: name, message: text });
  return result.action === Share.dismissedAction ? 'dismissed' : 'shared';
};
