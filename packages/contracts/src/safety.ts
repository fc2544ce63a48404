import { z } from 'zod';
import { SafetyCategory } from './ai-tasks.js';

/** One helpline or service the app can show: at least one way to reach it (phone, text or web). */
export const CrisisResource = z.object({
  name: z.string().min(1),
  /** Dialable as written for the user's region (spaces kept for readability). */
  phone: z.string().min(1).optional(),
  text: z
    .object({
      number: z.string().min(1),
      /** What to send as the first message, when the service asks for one (e.g. HOME). */
      keyword: z.string().min(1).optional(),
    })
    .optional(),
  url: z.url().optional(),
  hours: z.string().min(1).optional(),
  /** BCP 47 language tags the service answers in. */
  languages: z.array(z.string().min(2)).optional(),
});
export type CrisisResource = z.infer<typeof CrisisResource>;

/** Emergency services for the resolved region; always present, even when the region is unknown. */
export const EmergencyGuidance = z.object({
  /** Numbers to dial, most general first; empty when the region is unknown. */
  numbers: z.array(z.object({ number: z.string().min(1), label: z.string().min(1) })),
  /** A sentence the app shows as is, e.g. "If you are in immediate danger, call 911 now." */
  guidance: z.string().min(1),
});
export type EmergencyGuidance = z.infer<typeof EmergencyGuidance>;

/** Where the resources came from: the profile's country, the locale's region, or the international fallback. */
export const CrisisRegionSource = z.enum(['profile', 'locale', 'international']);
export type CrisisRegionSource = z.infer<typeof CrisisRegionSource>;

/**
 * What the API returns instead of an AI answer when the safety precheck escalates.
 * Every string is a fixed template chosen by category; none is written by a model.
 */
export const CrisisResponse = z.object({
  kind: z.literal('crisis'),
  categories: z.array(SafetyCategory),
  /** Decides the wording: the most urgent category present. */
  primaryCategory: SafetyCategory,
  /** 'emergency' asks the user to call emergency services now; 'support' leads with helplines. */
  urgency: z.enum(['emergency', 'support']),
  title: z.string().min(1),
  message: z.string().min(1),
  /** Short next steps, in order. */
  steps: z.array(z.string().min(1)).min(1),
  emergency: EmergencyGuidance,
  /** Helplines for the region, most relevant to the category first. */
  resources: z.array(CrisisResource),
  /** Worldwide directories, shown under the regional list (or alone when the region is unknown). */
  international: z.array(CrisisResource),
  region: z.object({ country: z.string().length(2).nullable(), source: CrisisRegionSource }),
  /** The language the template is written in (templates fall back to English). */
  locale: z.string().min(2),
  templateVersion: z.string().min(1),
});
export type CrisisResponse = z.infer<typeof CrisisResponse>;

/** Helplines for a region without any triggering message: the app's "Get help now" screen. */
export const RegionResources = CrisisResponse.pick({ emergency: true, resources: true, international: true, region: true }).meta({
  id: 'RegionResources',
});
export type RegionResources = z.infer<typeof RegionResources>;

export const RegionResourcesQuery = z.strictObject({
  /** ISO 3166-1 alpha-2; defaults to the signed-in user's profile country. */
  country: z.string().regex(/^[A-Za-z]{2}$/, 'a two-letter country code').optional(),
  /** BCP 47; its region is used when no country is known. */
  locale: z.string().min(2).max(35).optional(),
});
