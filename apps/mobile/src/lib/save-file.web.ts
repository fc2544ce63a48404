import type { SaveFile } from './save-file.types';

/** Web: a download of the file, through a temporary object URL. */
export const saveFile: SaveFile = async ({ name, mimeType, text }) => {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return 'saved';
};
