import { z } from 'zod';
import { Me } from './auth.js';
import { Checkin, LensGoal } from './lens.js';
import { MirrorSession } from './mirror.js';
import { SpectrumExport } from './spectrum.js';
import { Turn } from './turns.js';

/** Everything Kalei holds that the user wrote or that was written for them, decrypted (GDPR art. 15/20). */
export const AccountExport = z.object({
  exportedAt: z.iso.datetime(),
  format: z.literal('kalei-export@1'),
  account: Me,
  turns: z.array(Turn),
  mirrorSessions: z.array(MirrorSession),
  lens: z.object({ goals: z.array(LensGoal), checkins: z.array(Checkin) }),
  /** Spectrum's stored weeks and months (figures and narratives) and the reset point. */
  spectrum: SpectrumExport,
});
export type AccountExport = z.infer<typeof AccountExport>;

/** Deleting the account is final: the body must say so. */
export const DeleteAccountRequest = z.strictObject({ confirm: z.literal('delete my account') });
