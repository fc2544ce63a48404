/** Hands a file the app made to the person: a download on web, the share sheet on iOS and Android. */
export type SaveFile = (file: { name: string; mimeType: string; text: string }) => Promise<'saved' | 'shared' | 'dismissed'>;
