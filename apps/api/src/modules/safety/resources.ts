import type { CrisisRegionSource, CrisisResource, EmergencyGuidance } from '@kalei/contracts/safety';
import type { SafetyCategory } from '@kalei/contracts/ai-tasks';

/**
 * Crisis resources as data: one entry per ISO 3166-1 alpha-2 country, plus an international
 * fallback. Edit this table, not the code, to add or correct a number.
 *
 * Every entry records where its numbers come from. No number here has been re-checked against its
 * source by the team yet (this table was compiled without web access), so every `checkedOn` is null
 * and `status` is 'needs-confirmation': a person must call or open each source and fill in the date
 * before launch (docs/safety.md lists what to check).
 */

export interface Verification {
  /** The organisation's own page that publishes the number. */
  source: string;
  /** ISO date (YYYY-MM-DD) a person last confirmed the number at the source; null until someone has. */
  checkedOn: string | null;
  status: 'confirmed' | 'needs-confirmation';
  note?: string;
}

export interface DirectoryResource extends CrisisResource {
  /** Categories this service is for first; absent means a general crisis line for every category. */
  topics?: readonly SafetyCategory[];
  verified: Verification;
}

export interface EmergencyNumber {
  number: string;
  label: string;
}

export interface CountryEntry {
  name: string;
  /** Most general number first: it is the one the templates name in their text. */
  emergency: readonly EmergencyNumber[];
  emergencyVerified: Verification;
  resources: readonly DirectoryResource[];
}

const unconfirmed = (source: string, note?: string): Verification => ({
  source,
  checkedOn: null,
  status: 'needs-confirmation',
  ...(note ? { note } : {}),
});

export const CRISIS_DIRECTORY: Readonly<Record<string, CountryEntry>> = {
  US: {
    name: 'United States',
    emergency: [{ number: '911', label: 'Emergency services' }],
    emergencyVerified: unconfirmed('https://www.911.gov/'),
    resources: [
      {
        name: '988 Suicide & Crisis Lifeline',
        phone: '988',
        text: { number: '988' },
        url: 'https://988lifeline.org/',
        hours: '24/7',
        languages: ['en', 'es'],
        verified: unconfirmed('https://988lifeline.org/'),
      },
      {
        name: 'Crisis Text Line',
        text: { number: '741741', keyword: 'HOME' },
        url: 'https://www.crisistextline.org/',
        hours: '24/7',
        languages: ['en'],
        verified: unconfirmed('https://www.crisistextline.org/'),
      },
      {
        name: 'National Domestic Violence Hotline',
        phone: '1-800-799-7233',
        text: { number: '88788', keyword: 'START' },
        url: 'https://www.thehotline.org/',
        hours: '24/7',
        languages: ['en', 'es'],
        topics: ['danger_abuse'],
        verified: unconfirmed('https://www.thehotline.org/'),
      },
    ],
  },
  CA: {
    name: 'Canada',
    emergency: [{ number: '911', label: 'Emergency services' }],
    emergencyVerified: unconfirmed('https://www.canada.ca/'),
    resources: [
      {
        name: '9-8-8 Suicide Crisis Helpline',
        phone: '988',
        text: { number: '988' },
        url: 'https://988.ca/',
        hours: '24/7',
        languages: ['en', 'fr'],
        verified: unconfirmed('https://988.ca/'),
      },
      {
        name: 'Kids Help Phone',
        phone: '1-800-668-6868',
        text: { number: '686868', keyword: 'CONNECT' },
        url: 'https://kidshelpphone.ca/',
        hours: '24/7',
        languages: ['en', 'fr'],
        verified: unconfirmed('https://kidshelpphone.ca/', 'For young people; keyword and short code to confirm.'),
      },
    ],
  },
  GB: {
    name: 'United Kingdom',
    emergency: [
      { number: '999', label: 'Emergency services' },
      { number: '112', label: 'Emergency services (also works)' },
    ],
    emergencyVerified: unconfirmed('https://www.nhs.uk/nhs-services/urgent-and-emergency-care-services/when-to-call-999/'),
    resources: [
      {
        name: 'Samaritans',
        phone: '116 123',
        url: 'https://www.samaritans.org/',
        hours: '24/7',
        languages: ['en'],
        verified: unconfirmed('https://www.samaritans.org/'),
      },
      {
        name: 'Shout',
        text: { number: '85258', keyword: 'SHOUT' },
        url: 'https://giveusashout.org/',
        hours: '24/7',
        languages: ['en'],
        verified: unconfirmed('https://giveusashout.org/'),
      },
      {
        name: 'National Domestic Abuse Helpline (Refuge)',
        phone: '0808 2000 247',
        url: 'https://www.nationaldahelpline.org.uk/',
        hours: '24/7',
        languages: ['en'],
        topics: ['danger_abuse'],
        verified: unconfirmed('https://www.nationaldahelpline.org.uk/', 'Covers England; Scotland, Wales and Northern Ireland run their own lines.'),
      },
    ],
  },
  IE: {
    name: 'Ireland',
    emergency: [
      { number: '112', label: 'Emergency services' },
      { number: '999', label: 'Emergency services (also works)' },
    ],
    emergencyVerified: unconfirmed('https://www.gov.ie/'),
    resources: [
      {
        name: 'Samaritans Ireland',
        phone: '116 123',
        url: 'https://www.samaritans.org/ireland/',
        hours: '24/7',
        languages: ['en'],
        verified: unconfirmed('https://www.samaritans.org/ireland/'),
      },
      {
        name: 'Text About It (50808)',
        text: { number: '50808', keyword: 'HELLO' },
        url: 'https://text50808.ie/',
        hours: '24/7',
        languages: ['en'],
        verified: unconfirmed('https://text50808.ie/', 'Keyword (HELLO) to confirm.'),
      },
      {
        name: 'Pieta',
        phone: '1800 247 247',
        text: { number: '51444', keyword: 'HELP' },
        url: 'https://www.pieta.ie/',
        hours: '24/7',
        languages: ['en'],
        verified: unconfirmed('https://www.pieta.ie/'),
      },
    ],
  },
  AU: {
    name: 'Australia',
    emergency: [{ number: '000', label: 'Emergency services' }],
    emergencyVerified: unconfirmed('https://www.triplezero.gov.au/'),
    resources: [
      {
        name: 'Lifeline',
        phone: '13 11 14',
        text: { number: '0477 13 11 14' },
        url: 'https://www.lifeline.org.au/',
        hours: '24/7',
        languages: ['en'],
        verified: unconfirmed('https://www.lifeline.org.au/', 'Text number and text hours to confirm.'),
      },
      {
        name: 'Suicide Call Back Service',
        phone: '1300 659 467',
        url: 'https://www.suicidecallbackservice.org.au/',
        hours: '24/7',
        languages: ['en'],
        verified: unconfirmed('https://www.suicidecallbackservice.org.au/'),
      },
      {
        name: '1800RESPECT',
        phone: '1800 737 732',
        url: 'https://www.1800respect.org.au/',
        hours: '24/7',
        languages: ['en'],
        topics: ['danger_abuse'],
        verified: unconfirmed('https://www.1800respect.org.au/'),
      },
    ],
  },
  NZ: {
    name: 'New Zealand',
    emergency: [{ number: '111', label: 'Emergency services' }],
    emergencyVerified: unconfirmed('https://www.police.govt.nz/'),
    resources: [
      {
        name: '1737 Need to talk?',
        phone: '1737',
        text: { number: '1737' },
        url: 'https://1737.org.nz/',
        hours: '24/7',
        languages: ['en'],
        verified: unconfirmed('https://1737.org.nz/'),
      },
      {
        name: 'Lifeline Aotearoa',
        phone: '0800 543 354',
        text: { number: '4357' },
        url: 'https://www.lifeline.org.nz/',
        hours: '24/7',
        languages: ['en'],
        verified: unconfirmed('https://www.lifeline.org.nz/'),
      },
    ],
  },
  DE: {
    name: 'Germany',
    emergency: [
      { number: '112', label: 'Rettungsdienst / Feuerwehr (ambulance, fire)' },
      { number: '110', label: 'Polizei (police)' },
    ],
    emergencyVerified: unconfirmed('https://www.bundesregierung.de/'),
    resources: [
      {
        name: 'TelefonSeelsorge',
        phone: '0800 111 0 111',
        url: 'https://www.telefonseelsorge.de/',
        hours: '24/7',
        languages: ['de'],
        verified: unconfirmed('https://www.telefonseelsorge.de/'),
      },
      {
        name: 'TelefonSeelsorge (second line)',
        phone: '0800 111 0 222',
        url: 'https://www.telefonseelsorge.de/',
        hours: '24/7',
        languages: ['de'],
        verified: unconfirmed('https://www.telefonseelsorge.de/'),
      },
    ],
  },
  FR: {
    name: 'France',
    emergency: [
      { number: '112', label: 'Urgences (emergency)' },
      { number: '15', label: 'SAMU (medical emergency)' },
    ],
    emergencyVerified: unconfirmed('https://www.service-public.fr/'),
    resources: [
      {
        name: '3114 – Numéro national de prévention du suicide',
        phone: '3114',
        url: 'https://3114.fr/',
        hours: '24/7',
        languages: ['fr'],
        verified: unconfirmed('https://3114.fr/'),
      },
      {
        name: 'SOS Amitié',
        phone: '09 72 39 40 50',
        url: 'https://www.sos-amitie.com/',
        hours: '24/7',
        languages: ['fr'],
        verified: unconfirmed('https://www.sos-amitie.com/'),
      },
    ],
  },
  ES: {
    name: 'Spain',
    emergency: [{ number: '112', label: 'Emergencias (emergency)' }],
    emergencyVerified: unconfirmed('https://www.112.es/'),
    resources: [
      {
        name: '024 – Línea de atención a la conducta suicida',
        phone: '024',
        url: 'https://www.sanidad.gob.es/linea024/',
        hours: '24/7',
        languages: ['es'],
        verified: unconfirmed('https://www.sanidad.gob.es/linea024/', 'URL path to confirm on the Ministry of Health site.'),
      },
      {
        name: 'Teléfono de la Esperanza',
        phone: '717 003 717',
        url: 'https://telefonodelaesperanza.org/',
        hours: '24/7',
        languages: ['es'],
        verified: unconfirmed('https://telefonodelaesperanza.org/'),
      },
    ],
  },
  NL: {
    name: 'Netherlands',
    emergency: [{ number: '112', label: 'Alarmnummer (emergency)' }],
    emergencyVerified: unconfirmed('https://www.rijksoverheid.nl/'),
    resources: [
      {
        name: '113 Zelfmoordpreventie',
        phone: '113',
        url: 'https://www.113.nl/',
        hours: '24/7',
        languages: ['nl'],
        verified: unconfirmed('https://www.113.nl/'),
      },
      {
        name: '113 Zelfmoordpreventie (free number)',
        phone: '0800-0113',
        url: 'https://www.113.nl/',
        hours: '24/7',
        languages: ['nl'],
        verified: unconfirmed('https://www.113.nl/'),
      },
    ],
  },
  IN: {
    name: 'India',
    emergency: [{ number: '112', label: 'Emergency Response Support System' }],
    emergencyVerified: unconfirmed('https://112.gov.in/'),
    resources: [
      {
        name: 'Tele-MANAS',
        phone: '14416',
        url: 'https://telemanas.mohfw.gov.in/',
        hours: '24/7',
        languages: ['hi', 'en'],
        verified: unconfirmed('https://telemanas.mohfw.gov.in/', 'Also reachable on 1-800-891-4416; languages list to confirm (many regional languages).'),
      },
    ],
  },
  JP: {
    name: 'Japan',
    emergency: [
      { number: '119', label: '救急・消防 (ambulance, fire)' },
      { number: '110', label: '警察 (police)' },
    ],
    emergencyVerified: unconfirmed('https://www.fdma.go.jp/'),
    resources: [
      {
        name: 'TELL Lifeline',
        phone: '03-5774-0992',
        url: 'https://telljp.com/lifeline/',
        languages: ['en'],
        verified: unconfirmed('https://telljp.com/lifeline/', 'Not 24/7: hours to confirm and fill in.'),
      },
      {
        name: 'Inochi no Denwa (いのちの電話)',
        phone: '0570-783-556',
        url: 'https://www.inochinodenwa.org/',
        languages: ['ja'],
        verified: unconfirmed('https://www.inochinodenwa.org/', 'Navi-dial number; hours and the free-dial alternative to confirm.'),
      },
    ],
  },
  KR: {
    name: 'South Korea',
    emergency: [
      { number: '119', label: '구급 (ambulance, fire)' },
      { number: '112', label: '경찰 (police)' },
    ],
    emergencyVerified: unconfirmed('https://www.nfa.go.kr/'),
    resources: [
      {
        name: '자살예방상담전화 (Suicide prevention line) 109',
        phone: '109',
        url: 'https://www.mohw.go.kr/',
        hours: '24/7',
        languages: ['ko'],
        verified: unconfirmed('https://www.mohw.go.kr/', 'Unified 109 line; exact service page to confirm.'),
      },
    ],
  },
  BR: {
    name: 'Brazil',
    emergency: [
      { number: '192', label: 'SAMU (ambulance)' },
      { number: '190', label: 'Polícia (police)' },
    ],
    emergencyVerified: unconfirmed('https://www.gov.br/saude/'),
    resources: [
      {
        name: 'CVV – Centro de Valorização da Vida',
        phone: '188',
        url: 'https://cvv.org.br/',
        hours: '24/7',
        languages: ['pt'],
        verified: unconfirmed('https://cvv.org.br/'),
      },
    ],
  },
  MX: {
    name: 'Mexico',
    emergency: [{ number: '911', label: 'Emergencias (emergency)' }],
    emergencyVerified: unconfirmed('https://www.gob.mx/'),
    resources: [
      {
        name: 'Línea de la Vida',
        phone: '800 911 2000',
        url: 'https://www.gob.mx/salud/conadic/',
        hours: '24/7',
        languages: ['es'],
        verified: unconfirmed('https://www.gob.mx/salud/conadic/', 'Service page URL to confirm.'),
      },
    ],
  },
  ZA: {
    name: 'South Africa',
    emergency: [
      { number: '10111', label: 'Police' },
      { number: '112', label: 'Emergency from a mobile phone' },
      { number: '10177', label: 'Ambulance' },
    ],
    emergencyVerified: unconfirmed('https://www.gov.za/'),
    resources: [
      {
        name: 'SADAG Suicide Crisis Helpline',
        phone: '0800 567 567',
        url: 'https://www.sadag.org/',
        hours: '24/7',
        languages: ['en'],
        verified: unconfirmed('https://www.sadag.org/', 'SMS line and hours to confirm.'),
      },
    ],
  },
  SG: {
    name: 'Singapore',
    emergency: [
      { number: '995', label: 'Ambulance, fire' },
      { number: '999', label: 'Police' },
    ],
    emergencyVerified: unconfirmed('https://www.scdf.gov.sg/'),
    resources: [
      {
        name: 'Samaritans of Singapore (SOS)',
        phone: '1767',
        url: 'https://www.sos.org.sg/',
        hours: '24/7',
        languages: ['en'],
        verified: unconfirmed('https://www.sos.org.sg/', 'CareText (WhatsApp 9151 1767) to confirm before adding.'),
      },
    ],
  },
};

/** Shown with every crisis response; alone when the region is unknown. */
export const INTERNATIONAL_RESOURCES: readonly DirectoryResource[] = [
  {
    name: 'Find A Helpline (free, confidential helplines in many countries)',
    url: 'https://findahelpline.com/',
    languages: ['en'],
    verified: unconfirmed('https://findahelpline.com/'),
  },
  {
    name: 'IASP crisis centre directory',
    url: 'https://www.iasp.info/crisis-centres-helplines/',
    languages: ['en'],
    verified: unconfirmed('https://www.iasp.info/crisis-centres-helplines/'),
  },
  {
    name: 'Befrienders Worldwide',
    url: 'https://befrienders.org/',
    languages: ['en'],
    verified: unconfirmed('https://befrienders.org/'),
  },
];

export interface ResolvedCrisisResources {
  /** The country the resources are for; null when none could be resolved. */
  country: string | null;
  source: CrisisRegionSource;
  emergency: EmergencyGuidance;
  resources: DirectoryResource[];
  international: DirectoryResource[];
}

const COUNTRY_CODE = /^[A-Za-z]{2}$/;

function normaliseCountry(value: string | null | undefined): string | null {
  if (!value) return null;
  const code = value.trim().toUpperCase();
  // UK is not an ISO code but is what people and some stores send for GB.
  const iso = code === 'UK' ? 'GB' : code;
  return COUNTRY_CODE.test(iso) && CRISIS_DIRECTORY[iso] ? iso : null;
}

/** The region subtag of a BCP 47 locale (`en-GB` and `en_GB` give GB; `es-419` and `en` give null). */
export function regionOfLocale(locale: string | null | undefined): string | null {
  if (!locale) return null;
  for (const part of locale.replace(/_/g, '-').split('-').slice(1)) {
    if (/^[A-Za-z]{2}$/.test(part)) return part.toUpperCase();
  }
  return null;
}

function emergencyGuidance(entry: CountryEntry | null): EmergencyGuidance {
  if (!entry) {
    return {
      numbers: [],
      guidance: 'If you are in immediate danger or need medical help now, call your local emergency number.',
    };
  }
  const first = entry.emergency[0];
  return {
    numbers: entry.emergency.map(({ number, label }) => ({ number, label })),
    guidance: first
      ? `If you are in immediate danger or need medical help now, call ${first.number}.`
      : 'If you are in immediate danger or need medical help now, call your local emergency number.',
  };
}

/**
 * Picks crisis resources: the profile's country first, then the locale's region (`en-GB` gives GB),
 * then the international directories. Emergency guidance is always present.
 */
export function resolveCrisisResources(input: { country?: string | null; locale?: string | null }): ResolvedCrisisResources {
  const fromProfile = normaliseCountry(input.country);
  const fromLocale = fromProfile ? null : normaliseCountry(regionOfLocale(input.locale));
  const country = fromProfile ?? fromLocale;
  const entry = country ? (CRISIS_DIRECTORY[country] ?? null) : null;
  return {
    country,
    source: fromProfile ? 'profile' : fromLocale ? 'locale' : 'international',
    emergency: emergencyGuidance(entry),
    resources: entry ? [...entry.resources] : [],
    international: [...INTERNATIONAL_RESOURCES],
  };
}
