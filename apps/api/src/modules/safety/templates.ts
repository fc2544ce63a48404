import type { SafetyCategory } from '@kalei/contracts/ai-tasks';
import type { CrisisResource, CrisisResponse } from '@kalei/contracts/safety';
import type { DirectoryResource, ResolvedCrisisResources } from './resources.js';

/**
 * Fixed crisis response templates. These strings are written and reviewed by people and are never
 * produced or edited by a model. Change `TEMPLATE_VERSION` with any wording change so the app and
 * the safety events can tell which text a person saw.
 */
export const TEMPLATE_VERSION = 'crisis-en-2025.1';

/** Most urgent first: the first category present decides the wording. */
const URGENCY_ORDER: readonly SafetyCategory[] = ['medical_emergency', 'danger_abuse', 'harm_to_others', 'suicidal_ideation', 'self_harm'];

interface Template {
  urgency: CrisisResponse['urgency'];
  title: string;
  /** `{emergency}` is replaced by the region's emergency number or "your local emergency number". */
  message: string;
  steps: readonly string[];
}

const EN: Readonly<Record<SafetyCategory, Template>> = {
  suicidal_ideation: {
    urgency: 'support',
    title: "You don't have to carry this alone",
    message:
      "It sounds like you're in a lot of pain right now, and you may be thinking about ending your life. We're not going to try to reframe this. Please reach out to someone who can be with you in it: the people below are trained to listen, and you can contact them right now.",
    steps: [
      'Call or text one of the lines below. You can say as little or as much as you want.',
      'If you feel you might act on these thoughts, call {emergency} now, or go to the nearest emergency department.',
      'If you can, put distance between yourself and anything you could use to hurt yourself, and let someone you trust know how you are feeling.',
    ],
  },
  self_harm: {
    urgency: 'support',
    title: 'You deserve care right now',
    message:
      "It sounds like you may be hurting yourself, or feeling the urge to. That is a sign of how much you're holding, not a failing. You deserve support, not judgement, and the people below can talk with you right now.",
    steps: [
      'Call or text one of the lines below.',
      'If you are injured or bleeding, or you have taken something, call {emergency} now.',
      'If you can, move away from anything you could hurt yourself with, and stay near other people for a while.',
    ],
  },
  harm_to_others: {
    urgency: 'emergency',
    title: "Let's keep everyone safe",
    message:
      "It sounds like you're having thoughts of hurting someone. Telling someone is a strong step, and these thoughts can be talked through with a trained person. Please reach out now, before acting on anything.",
    steps: [
      'If you feel you might act on these thoughts, call {emergency} now.',
      'Put distance between yourself and the person, and between yourself and anything you could use to hurt someone.',
      'Call or text one of the lines below to talk it through.',
    ],
  },
  danger_abuse: {
    urgency: 'emergency',
    title: 'Your safety comes first',
    message:
      "It sounds like you may not be safe. What is happening is not your fault, and you don't have to handle it alone.",
    steps: [
      'If you are in danger right now, call {emergency}. If you cannot speak, stay on the line if it is safe to.',
      'If it is safe, go to a place where other people are around, or to someone you trust.',
      'When you can, contact one of the services below. If someone may check your phone, consider how you reach out.',
    ],
  },
  medical_emergency: {
    urgency: 'emergency',
    title: 'Please get medical help now',
    message:
      "This sounds like it could be a medical emergency. Please don't wait to see whether it gets better.",
    steps: [
      'Call {emergency} now, or ask someone near you to call for you.',
      "If you have taken pills or anything else, tell them what it was and how much, and keep the packaging if you can.",
      'Stay where someone can reach you, and unlock the door if you are alone.',
    ],
  },
};

const TEMPLATES: Readonly<Record<string, Readonly<Record<SafetyCategory, Template>>>> = { en: EN };

/** The language the templates exist in for a locale; English until reviewed translations are added. */
function templateLanguage(locale: string | null | undefined): string {
  const language = (locale ?? 'en').split(/[-_]/)[0]?.toLowerCase() ?? 'en';
  return TEMPLATES[language] ? language : 'en';
}

function toContract(resource: DirectoryResource): CrisisResource {
  return {
    name: resource.name,
    ...(resource.phone ? { phone: resource.phone } : {}),
    ...(resource.text ? { text: { number: resource.text.number, ...(resource.text.keyword ? { keyword: resource.text.keyword } : {}) } } : {}),
    ...(resource.url ? { url: resource.url } : {}),
    ...(resource.hours ? { hours: resource.hours } : {}),
    ...(resource.languages ? { languages: [...resource.languages] } : {}),
  };
}

/** The most urgent category present, or ideation when stage 2 confirmed a crisis without naming one. */
export function primaryCategory(categories: readonly SafetyCategory[]): SafetyCategory {
  return URGENCY_ORDER.find((c) => categories.includes(c)) ?? 'suicidal_ideation';
}

/** Builds the fixed crisis response for the categories found, with the region's resources. */
export function buildCrisisResponse(input: {
  categories: readonly SafetyCategory[];
  resources: ResolvedCrisisResources;
  locale: string | null | undefined;
}): CrisisResponse {
  const { resources } = input;
  const primary = primaryCategory(input.categories);
  const language = templateLanguage(input.locale);
  const template = (TEMPLATES[language] ?? EN)[primary];
  const emergencyNumber = resources.emergency.numbers[0]?.number ?? 'your local emergency number';
  const fill = (s: string) => s.replaceAll('{emergency}', emergencyNumber);

  // Services for the primary category (a domestic-abuse line for danger) come first; the rest keep
  // the table's order.
  const ordered = [
    ...resources.resources.filter((r) => r.topics?.includes(primary)),
    ...resources.resources.filter((r) => !r.topics),
    ...resources.resources.filter((r) => r.topics && !r.topics.includes(primary)),
  ];

  const categories = input.categories.length > 0 ? [...new Set(input.categories)] : [primary];
  return {
    kind: 'crisis',
    categories,
    primaryCategory: primary,
    urgency: template.urgency,
    title: template.title,
    message: fill(template.message),
    steps: template.steps.map(fill),
    emergency: { numbers: resources.emergency.numbers.map((n) => ({ ...n })), guidance: resources.emergency.guidance },
    resources: ordered.map(toContract),
    international: resources.international.map(toContract),
    region: { country: resources.country, source: resources.source },
    locale: language,
    templateVersion: TEMPLATE_VERSION,
  };
}
