import type { SafetyCategory } from '@kalei/contracts/ai-tasks';

/**
 * The stage-1 rule table and the phrase fragments its patterns are built from. Rules are written
 * against the normalised form (normalise.ts): no apostrophes ("dont", "im"), letters stretched three
 * or more times collapsed to one ("killll" -> "kil", which is why "kill" is `k+i+l+`).
 */

export type Level = 'crisis' | 'ambiguous';

/** The version of the rule table, recorded with every safety event: bump it with any rule change. */
export const STAGE1_VERSION = 'stage1@2026-12-07.3';

export interface Rule {
  id: string;
  category: SafetyCategory;
  level: Level;
  /**
   * Words one of which every match contains: a rule runs only on sentences that have one. A
   * trailing `$` means the whole word, otherwise a prefix; `@kill` and `@suic` are the fuzzy stems.
   */
  triggers: readonly string[];
  re: RegExp;
  /** Text right after the match that turns it into an idiom or an accident. */
  notAfter?: RegExp;
  /** Text right before the match (same clause) that turns it into an idiom or an accident. */
  notBefore?: RegExp;
  /** Context in the sentence that lowers a crisis match to ambiguous. */
  softIn?: RegExp;
  /** Something in the sentence that shows an everyday situation rather than a crisis. */
  notIn?: RegExp;
  /** Negation in the few words before the match cancels it (default true). */
  negatable?: boolean;
  /** The rule does not name its subject, so a third-person subject before it cancels it. */
  firstPersonOnly?: boolean;
  /** The sentence must contain a first-person word. */
  requireFirstPerson?: boolean;
  /** A media or reporting word anywhere in the sentence cancels it (generic mentions of a topic). */
  frameAnywhere?: boolean;
}

// ---- shared fragments (written against the normalised text) ----

const ADV = String.raw`(?:(?:really|just|honestly|literally|seriously|actually|kinda|kind\s*of|sort\s*of|sometimes|still|so|truly|genuinely|fucking|freaking|legit|lowkey|totally|only|simply|often|always|also|even|now|already|constantly|kept|keep|secretly|almost|badly|desperately)\s+)`;
const TO = String.raw`(?:to|2|ta)`;
const WANT_BARE = String.raw`(?:wa?n+a?t(?:ed|s)?|need|wish\s*(?:for\s*)?)`;
const WANT = String.raw`(?:wa?n+a?t(?:ed|ing|s)?\s*${TO}|wann?a|wnat\s*${TO})`;
const KILL = String.raw`k+i+l+(?:ing|in|ed|s)?`;
const MYSELF = String.raw`(?:m[yi]\s*(?:self|slef|sef|sefl|sel|selv)|meself|mself)\b`;
export const SUIC = String.raw`su[iaey]?[cs]{1,2}[iy]?d{1,2}`;
const SUICIDE = String.raw`${SUIC}(?:e|es|ed)?\b`;
const SUICIDAL = String.raw`${SUIC}(?:[aeiy]{0,2}l[ey]?)\b`;
const RELATION = String.raw`(?:husband|wife|partner|boyfriend|bf|girlfriend|gf|ex|fiance|fiancee|dad|daddy|father|stepdad|stepfather|mom|mum|mother|mommy|stepmom|stepmother|parents?|brother|sister|stepbrother|stepsister|uncle|aunt|grandpa|grandfather|grandma|grandmother|cousin|boss|manager|teacher|coach|roommate|flatmate|housemate|son|daughter|family|guardian|carer|caretaker|baby|kids?|children|child|neighbou?r|classmates?|coworkers?|co\s*workers?|colleagues?|newborn|infant|toddler|students?|pupils?|patients?)`;
const PERSON_OBJ = String.raw`(?:him|her|them|some\s*one|somebody|anyone|anybody|every\s*one|everybody|people|my\s*${RELATION}|the\s*(?:baby|kids?|children|child|teacher|boss|whole\s*(?:class|school|office))|(?:the|those|these)\s*(?:people|guys?|girls?|kids|students|bullies|men|women|others)|(?:a|that|this)\s*(?:guy|girl|man|woman|kid|person))\b`;
const ADULT_RELATION = String.raw`(?:husband|wife|partner|boyfriend|bf|girlfriend|gf|ex|fiance|fiancee|dad|daddy|father|stepdad|stepfather|mom|mum|mother|mommy|stepmom|stepmother|parents?|brother|sister|stepbrother|stepsister|uncle|aunt|grandpa|grandfather|grandma|grandmother|cousin|boss|manager|teacher|coach|roommate|flatmate|housemate|son|daughter|family|guardian|carer|caretaker|neighbou?r|classmates?|coworkers?|co\s*workers?|colleagues?|pimp)`;
const PERSON_SUBJ = String.raw`(?:he|she|they|my\s*(?:step\s*)?${ADULT_RELATION}|some\s*one|somebody|a\s*(?:man|guy|stranger)|this\s*(?:man|guy))`;
const INTENT_STRONG = String.raw`(?:${WANT}|going\s*${TO}|gonna|gunna|plan(?:ning|ned)?\s*(?:${TO}|on)|about\s*${TO}|ready\s*${TO}|need\s*${TO}|urges?\s*${TO}|tempted\s*${TO}|feel\s*like|(?:thinking|thought|think|dreaming|fantasi[sz]ing)\s*(?:about|of)|considering|contemplating|(?:tried|try|trying|attempted)\s*${TO})`;
const MEDS = String.raw`(?:pills|tablets|meds|medications?|medicine|painkillers|pain\s*killers|sleeping\s*(?:pills|tablets)|tylenol|paracetamol|acetaminophen|ibuprofen|advil|aspirin|xanax|valium|insulin|antidepressants|anti\s*depressants|sertraline|zoloft|prozac|benzos|opioids|oxy|oxycodone|percocet|heroin|fentanyl|lithium|seroquel|ambien|codeine|tramadol)`;
const MEDS_WORDS = ['pills$', 'tablets$', 'meds$', 'medication$', 'medications$', 'medicine$', 'painkillers$', 'pain$', 'sleeping$', 'tylenol$', 'paracetamol$', 'acetaminophen$', 'ibuprofen$', 'advil$', 'aspirin$', 'xanax$', 'valium$', 'insulin$', 'antidepressants$', 'anti$', 'sertraline$', 'zoloft$', 'prozac$', 'benzos$', 'opioids$', 'oxy$', 'oxycodone$', 'percocet$', 'heroin$', 'fentanyl$', 'lithium$', 'seroquel$', 'ambien$', 'codeine$', 'tramadol$'];
const END = String.raw`(?=\s*(?:$|[.,!?;:\n)]))`;
const ACCIDENT_AFTER = String.raw`^\s*(?:(?:pretty\s*|really\s*|so\s*)?bad(?:ly)?\s*)?(?:\w+ing\b|in\s*(?:an?|the)\s*(?:accident|crash|fall|game|match|race)|at\s*(?:the\s*)?(?:gym|work|practice|game|beach|park)|on\s*(?:the|a|some|my|an)\b|by\s*accident|accidentally|while|when|during|playing|again\s*(?:at|on|while|when|playing)|trying)`;
const ACCIDENT_AFTER_STRICT = String.raw`^\s*(?:(?:skiing|surfing|running|climbing|skating|cycling|biking|playing|lifting|training|hiking|falling|tripping|slipping)\b|in\s*(?:an?|the)\s*(?:accident|crash|fall|game|match|race)|at\s*(?:the\s*)?(?:gym|practice|game)|by\s*accident|accidentally|off\b|out\b|short\b|some\s*slack|a\s*break|free\b|loose\b)`;
const ACCIDENT_BEFORE = String.raw`(?:clumsy|accidentally|accidently|fell\s*and|tripped\s*and|slipped\s*and|fall\s*and|crashed\s*and|will\s*probably|ll\s*probably|probably\s*will|one\s*day|some\s*day|someday|sure\s*to|bound\s*to|careful\s*not\s*to|afraid\s*(?:i\s*will|ill|i\s*might|of)|worried\s*(?:i\s*will|ill|i\s*might))\s*(?:\w+\s*){0,3}$`;

const r = (source: string) => new RegExp(source, 'g');

/**
 * The rule table. Order does not matter; ids are stable and appear in safety events, so rename
 * one only together with the dashboards that count it.
 */
export const RULES: readonly Rule[] = [
  // ---- suicidal ideation ----
  {
    id: 'si.kill_myself',
    triggers: ['@kill'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b${KILL}\s*${MYSELF}`),
    notAfter: /^\s*(?:laughing|with\s*laughter|trying|working|studying|training|over\s*(?:this|that|it|work|nothing|a)|to\s*(?:finish|get|make|meet|keep|pass|study|hit|please)|at\s*(?:the\s*)?(?:gym|work|practice|office)|for\s*(?:this|that|them|him|her|a\s*(?:job|grade|client))|on\s*(?:the|those|these|that|this)\s*(?:stairs|bike|ice|ladder|treadmill|hill)|in\s*the\s*(?:gym|kitchen)|(?:tripping|falling|slipping|skiing|skating|cycling|biking|climbing)\b)/,
    softIn: /\b(?:almost|nearly|practically)\s*(?:\w+\s*)?k+i+l/,
  },
  { id: 'si.kms', triggers: ['kms$'], category: 'suicidal_ideation', level: 'crisis', re: r(String.raw`(?<![\d.,]\s?)\bkms\b`) },
  {
    id: 'si.unalive',
    triggers: ['unaliv', 'un$'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\bun\s*-?\s*aliv(?:e|ing|ed)\s*(?:${MYSELF}|me\b)|\b(?:${INTENT_STRONG})\s*(?:just\s*)?un\s*-?\s*alive\b`),
  },
  {
    id: 'si.self_delete',
    triggers: ['self', 'sewer', 'commit'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\bself\s*-?\s*delet(?:e|ing|ion)\b|\bsewer\s*-?\s*slide\b|\bcommit\s*(?:die|toaster\s*bath)\b`),
    requireFirstPerson: true,
    frameAnywhere: true,
  },
  {
    id: 'si.want_die',
    triggers: ['die$', 'dye$', 'dead$', 'dying$'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\bi(?:m|d)?\s*${ADV}{0,3}(?:${WANT}|just\s*want\s*${TO}|need\s*${TO}|deserve\s*${TO}|(?:am\s*|m\s*)?ready\s*${TO}|would\s*(?:like|love|rather)\s*${TO}|feel\s*like|should\s*(?:just\s*)?|hope\s*(?:${TO}|i)|wish\s*(?:${TO}|i\s*(?:could|would|can|had))|could\s*just|might\s*as\s*well|pray\s*(?:${TO}|i))\s*(?:just\s*)?(?:die|dye|be\s*dead|dying|drop\s*dead)\b`),
    notAfter: /^\s*(?:my|her|his|the|it|a|this|that|their|your)\s*(?:hair|shirt|clothes|jeans|beard|eyebrows)|^\s*(?:on\s*(?:this|that)\s*hill|of\s*(?:old\s*age|natural\s*causes|embarrassment|shame|cringe)|peacefully\s*(?:at|when|in\s*my\s*sleep\s*at)|when\s*im\s*(?:old|\d+)|happy|laughing|than)/,
  },
  {
    id: 'si.want_die_any_subject',
    triggers: ['die$', 'dead$', 'exist', 'living$', 'alive$', '@kill', 'life$', 'world$'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b${WANT}\s*(?:just\s*)?(?:die|be\s*dead|stop\s*existing|not\s*exist|cease\s*${TO}\s*exist|stop\s*living|not\s*be\s*alive)\b|\b(?:should|deserve\s*${TO}|ought\s*${TO}|might\s*as\s*well)\s*(?:just\s*)?(?:die|be\s*dead|kill\s*${MYSELF})|\bwant\s*out\s*of\s*(?:this\s*)?(?:life|existence|world)\b`),
    notAfter: /^\s*(?:my|her|his|the|it|a|this|that|their|your)\s*(?:hair|shirt|clothes|jeans|beard|eyebrows)|^\s*(?:on\s*(?:this|that)\s*hill|of\s*(?:old\s*age|natural\s*causes|embarrassment|shame|cringe)|peacefully\s*(?:at|when|in\s*my\s*sleep\s*at)|when\s*im\s*(?:old|\d+)|happy|laughing|than|for\s*(?:my|our|their|this|the)\b)/,
    firstPersonOnly: true,
    requireFirstPerson: true,
  },
  {
    id: 'si.easier_if_dead',
    triggers: ['easier$', 'better$', 'simpler$', 'happier$', 'lighter$'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:easier|better|simpler|happier|lighter)\s*(?:for\s*(?:every\s*one|everybody|them|all\s*of\s*them|my\s*\w+)\s*)?if\s*i\s*(?:was|were|just)?\s*(?:dead|gone|died|wasnt\s*(?:here|around|alive)|werent\s*(?:here|around|alive)|didnt\s*exist|never\s*existed|disappeared|killed\s*myself)\b|\bbetter\s*off\s*without\s*(?:their|his|her)\s*(?:mom|mum|mother|dad|father|wife|husband|parent|sister|brother)\b`),
    notAfter: /^\s*(?:at|on|in|for|during)\s*(?:the|this|that|a|their|our)?\s*(?:party|event|meeting|game|trip|team|project|dinner|concert|wedding|match|class|group|show|office|outing)/,
    requireFirstPerson: true,
  },
  {
    id: 'si.death_only_way',
    triggers: ['way$', 'death$', 'dying$', '@suic'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:only|no)\s*way\s*out\s*(?:is|but|except|other\s*than)\s*(?:${TO}\s*)?(?:death|dying|die|suicide|ending\s*it|killing\s*myself)|\b(?:death|dying|suicide)\s*(?:is|seems|feels\s*like)\s*(?:like\s*)?(?:the|my)\s*only\s*(?:way\s*out|answer|option|escape|solution)`),
    frameAnywhere: true,
  },
  {
    id: 'si.indirect_exit',
    triggers: ['how$', 'time$', 'ready$', 'hate', 'hating$', 'out$', 'tallest$', 'highest$', 'nearest$', 'closest$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\b(?:plan(?:ning|ned)?|figur(?:e|ed|ing)\s*out|know|decided)\s*(?:out\s*)?(?:exactly\s*)?how\s*(?:i\s*(?:will|ll|would|d|am\s*going\s*${TO}|m\s*going\s*${TO})|${TO})\s*do\s*it\b|\btime\s*for\s*me\s*${TO}\s*(?:go|leave|die)\s*(?:for\s*good|forever|permanently)?|\bready\s*${TO}\s*go\s*(?:for\s*good|forever|permanently)|\b(?:hate|hating)\s*(?:being\s*alive|living|existing|my\s*existence)\b|\bi\s*(?:just\s*)?want\s*out${END}|\bwant\s*out\s*of\s*(?:it\s*all|every\s*thing)|\b(?:looked|looking|look|searched|searching|googled|googling)\s*(?:up\s*)?(?:for\s*)?(?:the\s*)?(?:tallest|highest|nearest|closest)\s*(?:bridge|building|cliff|parking\s*garage|roof|tower)`),
    requireFirstPerson: true,
    notAfter: /^\s*(?:in\s*the\s*(?:city|area|world)\s*(?:for|to\s*(?:visit|see|photograph)))/,
  },
  {
    id: 'si.take_them_all',
    triggers: [...MEDS_WORDS],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b${MEDS}\b[^.!?\n]{0,60}\b(?:(?:${INTENT_STRONG}|will|ll)\s*(?:just\s*)?(?:take|swallow|down)|(?:im|i\s*am|i\s*m)\s*(?:taking|swallowing))\s*(?:them|it|those|these)\s*all\b|\b(?:im|i\s*am|i\s*m)\s*(?:taking|swallowing)\s*all\s*(?:of\s*)?(?:my|the|these|those)\s*${MEDS}\s*(?:now|tonight|right\s*now)\b`),
    requireFirstPerson: true,
  },
  {
    id: 'si.wish_killed',
    triggers: ['wish', 'hope', 'pray'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:wish|hope|pray)\s*(?:that\s*)?(?:a\s*(?:car|bus|truck|train)|some\s*thing|some\s*one|somebody|the\s*plane|a\s*stray\s*bullet|lightning)\s*(?:would|will|could)?\s*(?:just\s*)?(?:hit|hits|kill|kills|run\s*me\s*over|runs\s*me\s*over|take\s*me\s*out)\s*(?:me)?\b|\bwish\s*i\s*(?:would|could)\s*(?:just\s*)?(?:get\s*(?:hit|run\s*over|killed|cancer\s*and\s*die)|be\s*killed)\b`),
    requireFirstPerson: true,
    notAfter: /^\s*(?:with\s*(?:an?\s*)?(?:idea|inspiration|clue|snowball))/,
  },
  {
    id: 'si.means_ready',
    triggers: [...MEDS_WORDS, 'rope$', 'noose$', 'gun$', 'razor', 'blade'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:the|my|a|some)\s*(?:pills|tablets|rope|noose|gun|razors?|blades?)\s*(?:are|is)?\s*(?:all\s*)?(?:lined\s*up|counted\s*out|laid\s*out|ready\s*(?:to\s*go|for\s*tonight)|in\s*front\s*of\s*me|next\s*to\s*me|by\s*my\s*bed|on\s*my\s*(?:desk|bed|nightstand))`),
    requireFirstPerson: true,
  },
  {
    id: 'si.jump_thoughts',
    triggers: ['jumping$', 'falling$', 'stepping$', 'throwing$'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:think(?:ing)?|thought|dream(?:ing)?)\s*(?:about|of)\s*(?:jumping|falling|stepping\s*off|throwing\s*myself)\b(?=[^.!?\n]*\b(?:bridge|roof|building|balcony|ledge|cliff|window|tracks|train|edge|platform)\b)|\b(?:bridge|roof|rooftop|balcony|ledge|cliff|window|tracks|platform)\b[^.!?\n]{0,50}\b(?:think(?:ing)?|thought)\s*(?:about|of)\s*(?:jumping|falling|stepping\s*off|throwing\s*myself)`),
    firstPersonOnly: true,
    requireFirstPerson: true,
  },
  {
    id: 'si.end_it_generic',
    triggers: ['end$', 'ending$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\b(?:end|ending)\s*(?:it|things|everything|mine|my\s*story)\b(?!\s*(?:with|between|on\s*(?:a\s*)?(?:good|high)|early|the\b|and\s*move|there|off|by|at\s*(?:\d|the|work)))`),
    notIn: /\b(?:relationship|boyfriend|girlfriend|bf|gf|him|her|husband|wife|partner|contract|subscription|call|meeting|job|lease|membership|friendship|project|game|season|marriage|conversation|argument|fight|story|book|movie|chapter|show|series|episode|essay|speech|presentation|day|trip|shift|streak)\b/,
    firstPersonOnly: true,
    requireFirstPerson: true,
  },
  {
    id: 'si.death_welcome',
    triggers: ['exist', 'here$', 'dead$', 'die$', 'wake$', 'dying$', 'death$', 'end$', 'alive$', 'around$', 'living$', 'need$', 'needs$', 'want$', 'wants$', 'life$', 'goodbye$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\b(?:peaceful|nice|easier|better|a\s*relief|so\s*good)\s*(?:it\s*(?:would|will)\s*be\s*)?(?:${TO}\s*)?(?:just\s*)?(?:not\s*exist|not\s*be\s*here|be\s*dead|die|stop\s*existing|not\s*wake\s*up|never\s*wake\s*up)\b|\b(?:look(?:ing)?\s*forward\s*${TO}|ready\s*for|cant\s*wait\s*(?:${TO}|for))\s*(?:dying|death|being\s*dead|the\s*end|my\s*death|it\s*all\s*to\s*end)\b|\bnot\s*(?:scared|afraid)\s*(?:of|to)\s*(?:dying|die|death)\s*(?:anymore|any\s*more)|\b(?:cant|can\s*not|cannot|dont)\s*see\s*(?:myself|me)\s*(?:being\s*)?(?:alive|here|around|living)\b|\b(?:the\s*world|no\s*one|nobody|every\s*one|my\s*family)\s*(?:doesnt|does\s*not|would\s*not|wouldnt|will\s*not|wont)?\s*(?:need|needs|want|wants)\s*me\s*(?:in\s*it|alive|${TO}\s*(?:exist|be\s*alive|live)|on\s*this\s*earth|here\s*anymore)\b|\b(?:had|have|ive\s*had)\s*enough\s*of\s*(?:living|life|being\s*alive|existing|this\s*life)\b|\b(?:letters?|notes?|messages?|videos?)\b[^.!?\n]{0,40}\bsay\s*goodbye\b|\bsay(?:ing)?\s*goodbye\s*(?:to\s*(?:every\s*one|everybody|my\s*family|the\s*world)|forever|for\s*good|one\s*last\s*time|before\s*i\s*go)\b`),
    notAfter: /^\s*(?:in\s*(?:this|that|the)\s*(?:job|town|city|place)|here\s*(?:in|at)|at\s*(?:this|that|the)\s*(?:job|company))/,
    requireFirstPerson: true,
  },
  {
    id: 'si.feel_like_dying',
    triggers: ['dying$'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\bfeel(?:ing|s)?\s*like\s*(?:just\s*)?dying\b`),
    notAfter: /^\s*(?:of\s*(?:laughter|embarrassment)|laughing|lol)/,
    firstPersonOnly: true,
  },
  {
    id: 'si.wish_dead',
    triggers: ['dead$', 'die$', '@kill'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\bi\s*${ADV}{0,3}wish(?:ed)?\s*(?:that\s*)?(?:i\s*(?:was|were|had\s*been|could\s*be|would\s*be)|${TO}\s*be)\s*dead\b|\bi\s*${ADV}{0,3}(?:hope|pray)\s*(?:that\s*)?i\s*(?:die|drop\s*dead|get\s*killed)\b`),
    notAfter: /^\s*(?:of\s*(?:old\s*age|natural\s*causes)|peacefully\s*at|when\s*im\s*(?:old|\d+)|before\s*(?:my|the)\s*(?:kids|children|pets?|dogs?|cats?))/,
  },
  {
    id: 'si.never_born',
    triggers: ['born$', 'exist', 'alive$', 'here$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\bwish\s*(?:that\s*)?i\s*(?:had\s*)?(?:never\s*(?:been\s*)?(?:born|existed)|wasnt\s*(?:born|alive|here)|werent\s*(?:born|alive|here)|was\s*not\s*(?:born|alive)|didnt\s*exist|could\s*(?:stop\s*existing|not\s*exist|just\s*stop\s*existing|cease\s*to\s*exist))\b|\bid\s*never\s*been\s*born\b`),
    firstPersonOnly: true,
  },
  {
    id: 'si.end_life',
    triggers: ['life$'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:end(?:ing|ed)?|take|taking|took)\s*(?:my|my\s*own)\s*life\b`),
    notAfter: /^\s*(?:back|in\s*(?:a|my|new|the)|to\s*the\s*next|seriously|for\s*granted|into\s*my|more\s*seriously|one\s*day\s*at)/,
  },
  {
    id: 'si.end_it_all',
    triggers: ['end'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\bend(?:ing|ed)?\s*it\s*all\b|\bend\s*(?:my|it)\s*(?:suffering|pain)\s*(?:for\s*good|forever|permanently)`),
    firstPersonOnly: true,
  },
  {
    id: 'si.end_it_soon',
    triggers: ['end$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\b(?:${INTENT_STRONG})\s*(?:just\s*)?end\s*(?:it|everything|things|my\s*suffering)\b(?:\s*(?:tonight|today|now|for\s*good|soon|forever))?`),
    notAfter: /^\s*(?:with|between|on\s*good|and\s*move|early|the\s*(?:call|meeting|relationship|project|subscription|lease|contract))/,
    firstPersonOnly: true,
  },
  {
    id: 'si.better_off_without_me',
    triggers: ['better$'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:every\s*(?:one|body)|the\s*world|they|theyd|my\s*(?:family|kids|children|friends|parents)|people|every\s*thing|all\s*of\s*(?:them|you)|you\s*all|yall)\s*(?:would|will|d)?\s*(?:all\s*)?(?:be|are)?\s*(?:so\s*much\s*|much\s*|so\s*|all\s*)?better\s*(?:off\s*)?(?:without\s*me|if\s*i\s*(?:was|were|wasnt|werent|died|disappeared|didnt\s*exist|never\s*existed|killed\s*myself|was\s*gone|was\s*dead|left\s*(?:this\s*world|for\s*good)))\b`),
    notAfter: /^\s*(?:at|on|in|for|during)\s*(?:the|this|that|a|their|our)?\s*(?:party|event|meeting|game|trip|team|project|dinner|concert|wedding|match|class|group|show|office|outing)/,
  },
  {
    id: 'si.better_off_without_me_other',
    triggers: ['better$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\bbetter\s*off\s*(?:without\s*me|if\s*i\s*(?:died|was\s*dead|were\s*dead|wasnt\s*(?:here|alive|around)|didnt\s*exist|never\s*existed))\b`),
    notAfter: /^\s*(?:at|on|in|for|during)\s*(?:the|this|that|a|their|our)?\s*(?:party|event|meeting|game|trip|team|project|dinner|concert|wedding|match|class|group|show|office|outing)/,
  },
  {
    id: 'si.better_off_dead',
    triggers: ['dead$'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:i|im|id|i\s*am|i\s*would|i\s*will|ill)\s*${ADV}{0,2}(?:be\s*)?(?:so\s*much\s*|much\s*)?better\s*off\s*dead\b`),
  },
  {
    id: 'si.no_reason_to_live',
    triggers: ['reason', 'point', 'purpose', 'live$', 'worth$', 'rather$', 'sooner$'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:no|nothing|not\s*(?:a|any|one))\s*(?:single\s*|real\s*|good\s*)?(?:reason|point|purpose)s?\s*(?:left\s*)?(?:for\s*me\s*)?(?:${TO}|in|for)\s*(?:live|living|be\s*alive|being\s*alive|go\s*on|going\s*on|keep\s*(?:going|living)|stay\s*alive|staying\s*alive|exist|existing|be\s*here|being\s*here|wake\s*up|waking\s*up)\b|\bnothing\s*(?:left\s*)?${TO}\s*live\s*for\b|\b(?:lost|lose|losing|no|have\s*no)\s*(?:the|my|all)?\s*will\s*${TO}\s*live\b|\blife\s*(?:is|isnt|s)?\s*(?:not\s*)?worth\s*living\b|\b(?:life|living)\s*(?:is|s)?\s*not\s*worth\s*it\b|\b(?:dont|cant|do\s*not|can\s*not|cannot)\s*see\s*(?:the|any|a)\s*(?:point|reason)\s*(?:in|of|to|for)\s*(?:being\s*alive|living|life|live|going\s*on|existing|staying\s*alive)\b|\b(?:rather|sooner)\s*(?:be\s*dead|die)\s*than\s*(?:keep|go\s*on|continue|live|feel|be\s*(?:like\s*this|alone|in\s*pain)|spend\s*another|wake\s*up)`),
    notAfter: /^\s*(?:in|at|near|with\s*(?:my|a|the)|there|here|on\s*campus|alone|together)\b/,
    notBefore: /(?:neighbou?rhood|town|city|house|place|apartment|country|area|street|island)\s*(?:\w+\s*){0,4}$/,
  },
  {
    id: 'si.dont_want_to_live',
    triggers: ['live$', 'alive$', 'exist', 'living$', 'life$', 'here$', 'earth$', 'wake$', 'care$'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:dont|do\s*not|no\s*longer|never|dont\s*even|do\s*not\s*even)\s*${ADV}{0,2}(?:${WANT}|wish\s*${TO}|feel\s*like|care\s*${TO})\s*(?:live|be\s*alive|exist|existing|living|do\s*(?:life|this\s*life|living)|be\s*here\s*(?:anymore|any\s*more|any\s*longer|on\s*(?:this|the)\s*earth|at\s*all)|be\s*on\s*(?:this|the)\s*earth|keep\s*(?:living|existing)|go\s*on\s*living|wake\s*up\s*(?:anymore|ever\s*again|again|tomorrow|in\s*the\s*morning))\b|\bdont\s*care\s*(?:if|whether)\s*i\s*(?:live|die|wake\s*up|make\s*it)\b`),
    notAfter: /^\s*(?:in|at|with|near|here|there|on\s*(?:campus|my\s*own)|alone|together|abroad|far|so\s*far|close|without\s*(?:my|a|wifi|internet|coffee)|through\s*(?:this|that)\s*(?:again|winter|summer))\b/,
    softIn: /\blike\s*this\b/,
  },
  {
    id: 'si.not_be_here',
    triggers: ['here$', 'alive$', 'live$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    notIn: /\b(?:party|meeting|class|lecture|school|office|event|wedding|store|shop|queue|dinner|concert|gym|airport|traffic|mall|church|practice|interview|date|family\s*reunion)\b/,
    re: r(String.raw`\bdont\s*${ADV}{0,2}(?:${WANT})\s*be\s*(?:here|alive)\b${END}|\bi\s*(?:dont|do\s*not)\s*(?:${WANT})\s*live\s*like\s*this\b`),
  },
  {
    id: 'si.suicidal_state',
    triggers: ['@suic'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:im|i\s*am|i\s*feel|feel|feels|feeling|felt|been|being|get|getting|got|become|becoming|became|so|very|really|extremely|kinda|kind\s*of|pretty|literally|actively|passively|super|me|go|gone|went|was|am|again|still|suddenly|slightly|a\s*bit|lowkey|highly|severely|chronically)\s*${SUICIDAL}`),
    firstPersonOnly: true,
  },
  {
    id: 'si.suicidal_thoughts',
    triggers: ['@suic'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:having|have|had|get|getting|got|experiencing|with|my|dealing\s*with|keep\s*having|struggling\s*with|struggle\s*with|battling|fighting|these|those|constant|intrusive|serious|dark|the)\s*(?:(?:these|some|those|constant|intrusive|serious|dark|really|more|strong|passive|active)\s*)*(?:${SUICIDAL}|${SUICIDE})\s*(?:thoughts?|ideation|feelings?|urges?|tendencies|impulses?|ideas?)`),
    firstPersonOnly: true,
    requireFirstPerson: true,
  },
  {
    id: 'si.thinking_suicide',
    triggers: ['@suic', '@kill', 'ending$', 'life$', 'die$', 'end$'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:think(?:ing|s)?|thought|thoughts|considering|considered|contemplat(?:e|ing|ed)|obsessing|fantasi[sz]ing|dream(?:ing)?|research(?:ing|ed)?|googl(?:ing|ed)|look(?:ing|ed)\s*up|plan(?:ning|ned)?)\s*(?:a\s*lot\s*|seriously\s*|constantly\s*)?(?:about|of|on)?\s*(?:${SUICIDE}|${KILL}\s*${MYSELF}|ending\s*(?:it\s*all|my\s*life|it|things|everything)|taking\s*my\s*(?:own\s*)?life|(?:how\s*${TO}|ways\s*${TO})\s*(?:die|end\s*it|kill\s*myself))`),
    firstPersonOnly: true,
    requireFirstPerson: true,
    frameAnywhere: true,
    notAfter: /^\s*(?:rates?|prevention|awareness|statistics|squad|bomb|in\s*(?:the|teens|men|women|young))/,
  },
  {
    id: 'si.suicide_plan',
    triggers: ['@suic', 'goodbye$', 'farewell$', 'final$', 'death$', 'exit$', 'funeral$'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:my|a)\s*(?:${SUICIDE}|goodbye|farewell|final)\s*(?:note|letter|plan|method|pact|video|message)s?\b|\bplan(?:ning|ned)?\s*(?:out\s*)?my\s*(?:${SUICIDE}|death|exit|funeral)\b|\b(?:wrote|writing|write|written|left|leaving)\s*(?:a|my|the)\s*(?:${SUICIDE}|goodbye|farewell|final)\s*(?:note|letter)s?\b`),
    firstPersonOnly: true,
    requireFirstPerson: true,
    frameAnywhere: true,
  },
  {
    id: 'si.commit_suicide',
    triggers: ['@suic'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\bi\s+(?:(?:will|would|might|could|should|may|must|am|m|want|wanna|going|gonna|to|just|really|probably|try|tried|plan|planning|have|had|almost|nearly|about|considered|consider|thought|think|of|attempted|attempt|d|ll|nearly|seriously|then|finally)\s+){0,4}(?:commit(?:ted)?|attempt(?:ed)?|do|complete|completed)\s*${SUICIDE}|\b(?:${INTENT_STRONG})\s*(?:commit|attempt)\s*${SUICIDE}`),
    notAfter: /^\s*(?:prevention|awareness|research|hotline|work|training|outreach)/,
  },
  {
    id: 'si.method_seek',
    triggers: ['@kill', 'die$', '@suic', 'end$', 'overdose$', 'od$', 'hang$', 'slit$', 'painless$', 'mg$', 'milligrams$', 'lethal$', 'fatal$', ...MEDS_WORDS],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:how\s*(?:${TO}|do\s*(?:i|you)|can\s*i|should\s*i|would\s*i|could\s*i)|best\s*(?:way|ways|method)s?\s*${TO}|easiest\s*ways?\s*${TO}|painless\s*(?:way|ways|method)s?\s*${TO}|quick(?:est)?\s*ways?\s*${TO}|surest\s*way\s*${TO})\s*(?:${KILL}\s*${MYSELF}|die\b|commit\s*${SUICIDE}|end\s*(?:it|my\s*life)|overdose|od\b|hang\s*${MYSELF}|slit\s*my\s*wrists?)|\bpainless\s*(?:ways?|methods?|death|suicide)\b|\bhow\s*many\s*(?:pills|tablets|mg|milligrams)\s*(?:of\s*\w+\s*)?(?:does\s*it\s*take\s*|would\s*it\s*take\s*|do\s*i\s*need\s*)?${TO}\s*(?:die|kill|overdose|od|end\s*it|not\s*wake\s*up)|\blethal\s*dose\b|\bfatal\s*dose\b`),
    notAfter: /^\s*(?:in\s*(?:minecraft|the\s*game|game|elden|dark\s*souls|fortnite|roblox))/,
  },
  {
    id: 'si.method_self',
    triggers: ['hang', 'shoot', 'drown', 'slit', 'slic', 'slash', 'cut', 'noose$', 'gas', 'poison', 'starv', 'gun$', 'bullet$'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\bhang(?:ing|ed)?\s*${MYSELF}|\bshoot(?:ing)?\s*${MYSELF}(?!\s*in\s*the\s*foot)|\bdrown(?:ing)?\s*${MYSELF}(?!\s*in\b)|\b(?:slit|slitting|slice|slicing|slash|slashing|cut|cutting)\s*my\s*(?:wrists?|throat)\b|\b(?:tie|tied|tying|made|make|bought|have|got)\s*(?:a|the|my)\s*noose\b|\b(?:gas|poison|poisoning|gassing)\s*${MYSELF}|\bstarv(?:e|ing)\s*${MYSELF}\s*${TO}\s*death|\bput\s*a\s*(?:gun|bullet)\s*(?:to|in)\s*my\s*(?:head|mouth)`),
    notBefore: /(?:afraid|scared|careful|worried)\s*(?:\w+\s*){0,3}$/,
  },
  {
    id: 'si.method_intent',
    triggers: ['jump', 'step$', 'stepping$', 'walk$', 'throw', 'drive', 'driving$', 'crash', 'swerve$', 'stab$', 'purpose$', ...MEDS_WORDS],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:${INTENT_STRONG})\s*(?:just\s*)?(?:jump(?:ing)?\s*(?:off|from)\s*(?:a|the|this|that|my|our)\s*(?:bridge|building|roof|rooftop|balcony|cliff|tower|overpass|ledge|window|parking\s*garage)|(?:jump|step|walk|throw\s*myself)(?:ing)?\s*in\s*front\s*of\s*(?:a|the)\s*(?:train|bus|truck|car|subway|tube)|(?:drive|crash|driving|crashing)\s*(?:my\s*car\s*)?(?:into|off)\s*(?:a|the)\s*(?:tree|wall|bridge|cliff|river|lake|oncoming\s*traffic|traffic|pole)|(?:tak(?:e|ing)|swallow(?:ing)?|down(?:ing)?|overdos(?:e|ing)\s*on)\s*(?:all|every\s*one|a\s*(?:whole\s*)?bottle|the\s*whole\s*bottle|a\s*bunch|a\s*handful)\s*(?:of\s*)?(?:my|the|these|those)?\s*${MEDS}|stab\s*${MYSELF}|throw\s*${MYSELF}\s*(?:off|under|in\s*front)|(?:crash|drive|swerve)\b[^.!?\n]{0,30}\bon\s*purpose)`),
    firstPersonOnly: true,
  },
  {
    id: 'si.never_wake',
    triggers: ['wake$', 'sleep$', 'asleep$', 'make$'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:go\s*${TO}\s*sleep|fall\s*asleep|sleep|close\s*my\s*eyes)\s*(?:and|&)\s*(?:never|not)\s*wake\s*(?:up|again)\b|\b(?:hope|wish|pray)\s*(?:that\s*)?i\s*(?:d|would|could)?\s*(?:dont|never|do\s*not|wont|will\s*not|didnt)\s*wake\s*(?:up|again)\b|\b(?:hope|wish|pray)\s*(?:that\s*)?i\s*(?:dont|do\s*not|wont)\s*make\s*it\s*(?:through|to)\b|\bsleep\s*forever\b`),
    firstPersonOnly: true,
  },
  {
    id: 'si.tired_of_living',
    triggers: ['living$', 'alive$', 'existing$', 'life$', 'here$', 'going$'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:tired|sick|exhausted|weary)\s*of\s*(?:living|being\s*alive|existing|life\s*itself|being\s*here)\b|\b(?:tired|sick|exhausted|weary)\s*of\s*(?:fighting|trying|struggling)\s*(?:${TO}\s*)?(?:stay|keep|be)\s*(?:alive|living|going)\b`),
    notAfter: /^\s*(?:in|with|at|here|there|like\s*(?:a|this\s*(?:apartment|house))|paycheck|under|on\s*(?:campus|my\s*own)|near|out\s*of|alone|off)/,
    firstPersonOnly: true,
  },
  {
    id: 'si.done_with_life',
    triggers: ['life$', 'living$', 'existing$', 'alive$', 'all$', 'every'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\b(?:done|finished)\s*(?:with\s*)?(?:life|living|existing|being\s*alive|it\s*all)\b|\b(?:tired|sick)\s*of\s*(?:life|this\s*life)\b|\bgiv(?:e|ing)\s*up\s*on\s*(?:life|living)\b|\bdone\s*with\s*every\s*thing\s*(?:and\s*every\s*one|for\s*good|forever)`),
    firstPersonOnly: true,
  },
  {
    id: 'si.cant_go_on',
    triggers: ['cant$', 'cannot$', 'can$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\bi\s*${ADV}{0,2}(?:cant|can\s*not|cannot|dont\s*think\s*i\s*can|just\s*cant)\s*(?:go\s*on|keep\s*going|carry\s*on|keep\s*living|live\s*like\s*this|survive\s*(?:this|another))(?=\s*(?:$|[.,!?;:\n]|anymore|any\s*more|any\s*longer|like\s*this|much\s*longer|living|without|i\b|and\b|but\b|with\s*(?:this|life)))|\bi\s*${ADV}{0,2}(?:cant|can\s*not|cannot|just\s*cant)\s*(?:do\s*(?:this|it)|take\s*(?:it|this|this\s*pain|the\s*pain)|handle\s*(?:it|this|life|anything)|cope|bear\s*(?:it|this))\s*(?:anymore|any\s*more|any\s*longer|much\s*longer)`),
  },
  {
    id: 'si.disappear',
    triggers: ['disappear$', 'vanish$', 'fade$', 'existing$', 'exist$', 'here$', 'gone$', 'nothing$', 'evaporate$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\b(?:i|id)\s*${ADV}{0,3}(?:${WANT}|wish\s*(?:i\s*could|${TO})|would\s*(?:like|love)\s*${TO}|feel\s*like|need\s*${TO}|could)\s*(?:just\s*)?(?:disappear|vanish|fade\s*away|stop\s*existing|not\s*exist|cease\s*${TO}\s*exist|not\s*be\s*here|be\s*gone|be\s*nothing|evaporate)\b`),
    notAfter: /^\s*(?:for\s*(?:a|the|an|some|one|two|few)|into\s*(?:a|my|the|bed|work)|to\s*(?:a|my|the|bed)|on\s*(?:a|vacation|holiday)|from\s*(?:social|this\s*party|the\s*party|work)|under\s*(?:the|a|my)|from\s*(?:this|the|that)\s*(?:\w+\s*)?(?:meeting|call|party|conversation|room|class|date|dinner|event|situation|moment|chat|group))/,
  },
  {
    id: 'si.whats_the_point',
    triggers: ['point$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\bwhat\s*(?:s|is)\s*(?:even\s*)?the\s*point\s*(?:of|in)\s*(?:any\s*thing|every\s*thing|it\s*all|any\s*of\s*(?:this|it)|life|living|going\s*on|being\s*alive|existing|me|my\s*life|waking\s*up|trying\s*anymore|even\s*trying\s*anymore)\b|\bwhat\s*(?:s|is)\s*(?:even\s*)?the\s*point\s*(?:anymore|any\s*more)\b|\b(?:there\s*is|theres|there\s*s)\s*no\s*point\s*(?:in|to)\s*(?:any\s*thing|every\s*thing|any\s*of\s*(?:this|it)|trying\s*anymore)\b`),
    frameAnywhere: true,
  },
  {
    id: 'si.burden',
    triggers: ['burden$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\b(?:im|i\s*am|i\s*feel\s*like\s*(?:im|i\s*am)?|im\s*just|i\s*m)\s*${ADV}{0,2}(?:just\s*)?(?:a|such\s*a|nothing\s*but\s*a)\s*burden\s*(?:to|on|for)\s*(?:every\s*one|everybody|my\s*(?:family|kids|parents|friends|partner)|them|all|people|the\s*world)`),
  },
  {
    id: 'si.goodbye',
    triggers: ['goodbye', 'away$', 'around$', 'here$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\bthis\s*is\s*(?:my\s*)?(?:final\s*)?goodbye\b|\bsaying\s*(?:my\s*)?goodbyes?\s*${TO}\s*every\s*(?:one|body)|\bgoodbye\s*(?:forever|cruel\s*world|world)\b|\bgiv(?:e|ing|en)\s*away\s*(?:all\s*)?(?:of\s*)?(?:my|all\s*my)\s*(?:stuff|things|belongings|possessions|pets?)\b|\bwont\s*be\s*(?:around|here)\s*(?:much\s*longer|for\s*much\s*longer|tomorrow|after\s*tonight)|\b(?:dont|do\s*not)\s*think\s*(?:ill|i\s*will|i\s*ll)\s*be\s*(?:around|here|alive)\s*(?:much\s*longer|for\s*long|much\s*more|next\s*(?:year|week|month)|by\s*\w+)`),
    firstPersonOnly: true,
  },
  // ---- implicit ideation: the ambiguous band, decided by stage 2 ----
  {
    id: 'si.no_way_forward',
    triggers: ['see$', 'way$', 'future$', 'hope$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\b(?:dont|do\s*not|cant|cannot|can\s*not|no\s*longer|never)\s*(?:even\s*)?see\s*(?:a|any|the)\s*(?:way\s*(?:forward|out|through|past\s*this)|future(?:\s*for\s*(?:me|myself))?|point(?:\s*(?:in|of)\s*(?:any\s*thing|living|going\s*on|life))?|light\s*at\s*the\s*end|end\s*to\s*(?:this|it))(?=\s*(?:$|[.,!?;:\n]|anymore|any\s*more|for\s*me|at\s*all|of\s*(?:this|it|here)|in\s*(?:my\s*)?life|and\b|but\b|i\b))|\b(?:there\s*is|theres|there\s*s|i\s*have|ive\s*got|i\s*see)\s*no\s*(?:way\s*(?:forward|out)|future\s*for\s*me|hope\s*(?:left|for\s*me|anymore))\b`),
    requireFirstPerson: true,
  },
  {
    id: 'si.better_off_others',
    triggers: ['better$', 'happier$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\b(?:every\s*one|everybody|people|they|theyd|they\s*d|my\s*(?:family|kids|children|parents|friends|partner|wife|husband|mom|mum|dad)|the\s*world)\s*(?:would|will|d)?\s*(?:all\s*)?(?:honestly\s*|really\s*|just\s*)?be\s*(?:so\s*much\s*|much\s*|a\s*lot\s*|far\s*)?(?:better|happier)\s*off(?=\s*(?:$|[.,!?;:\n]|anyway|honestly|without|if\s*i\b|if\s*im\b|and\b|i\b))`),
    notAfter: /^\s*(?:without\s*(?:it|this|that|them|him|her|the|social|sugar|phones?))/,
  },
  {
    id: 'si.cant_keep_doing',
    triggers: ['cant$', 'cannot$', 'can$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\bi\s*${ADV}{0,2}(?:cant|cannot|can\s*not)\s*(?:keep\s*(?:doing\s*this|living\s*like\s*this|going\s*like\s*this|pretending|fighting)|do\s*this\s*(?:any\s*longer|much\s*longer|for\s*much\s*longer)|go\s*on\s*like\s*this|live\s*with\s*(?:this|myself)\s*(?:anymore|any\s*more|any\s*longer))(?=\s*(?:$|[.,!?;:\n]|anymore|any\s*more|any\s*longer|every\s*day|and\b|but\b|i\b))`),
  },
  {
    id: 'si.final_acts',
    triggers: ['wrote$', 'writing$', 'written$', 'write$', 'left$', 'leaving$', 'last$', 'tonight$', 'mind$', 'decided$', 'end$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\b(?:wrote|writing|written|write|left|leaving)\s*(?:a\s*|my\s*|the\s*)?(?:goodbye|farewell|final|last)\s*(?:letters?|notes?|messages?|texts?)\b|\blast\s*time\s*(?:you|any\s*one|anybody)\s*(?:ll|will|are\s*going\s*${TO})\s*(?:ever\s*)?hear\s*from\s*me\b|\b(?:ive|i\s*have|i\s*ve)\s*(?:made\s*up\s*my\s*mind|decided)\b[^.!?\n]{0,30}\b(?:tonight|tomorrow|this\s*(?:is|will\s*be)\s*(?:it|the\s*end))\b|\btonight\s*(?:is|s)\s*the\s*night\b|\bthis\s*is\s*(?:the\s*)?end\s*(?:of\s*the\s*road\s*)?for\s*me\b`),
    firstPersonOnly: true,
  },
  {
    id: 'si.method_research',
    triggers: ['looked$', 'looking$', 'look$', 'searched$', 'searching$', 'googled$', 'googling$', 'researched$', 'researching$', 'read$', 'reading$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\b(?:looked|looking|look|searched|searching|googled|googling|researched|researching|read|reading)\s*(?:up\s*)?(?:on\s*|about\s*)?(?:how\s*many\s*(?:${MEDS}|of\s*(?:my|these|those)\s*${MEDS})\s*(?:it\s*would\s*take|would\s*(?:kill|be\s*enough)|to\s*(?:die|take|overdose)|are\s*(?:lethal|fatal|enough))|(?:ways|methods|how)\s*${TO}\s*(?:die|end\s*it|end\s*my\s*life|do\s*it\s*painlessly|not\s*wake\s*up|go\s*painlessly)|painless\s*(?:ways|methods)|(?:the\s*)?(?:lethal|fatal)\s*dose)`),
    requireFirstPerson: true,
    frameAnywhere: true,
  },
  {
    id: 'si.given_up',
    triggers: ['given$', 'matter$', 'done$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\b(?:ive|i\s*have|i\s*ve)\s*(?:just\s*|completely\s*|totally\s*)?given\s*up\s*(?:on\s*(?:every\s*thing|life|myself|living|it\s*all))?${END}|\b(?:soon|after\s*tonight|after\s*today|tomorrow)\s*(?:it|none\s*of\s*(?:this|it))\s*(?:wont|will\s*not)\s*matter\s*(?:anymore|any\s*more)?\b|\bim\s*(?:just\s*)?(?:so\s*)?done\s*with\s*(?:every\s*thing|it\s*all)${END}`),
    firstPersonOnly: true,
  },
  {
    id: 'si.want_it_to_end',
    triggers: ['end$', 'over$', 'stop$'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\bi\s*${ADV}{0,3}${WANT_BARE}\s*(?:it\s*all|my\s*life|life|every\s*thing)\s*${TO}\s*(?:end|be\s*over|stop)\b|\bi\s*${ADV}{0,3}(?:${WANT}|need)\s*(?:${TO}\s*)?end\s*(?:it\s*all|my\s*life|every\s*thing)\b`),
  },
  {
    id: 'si.want_pain_to_stop',
    triggers: ['end$', 'stop$', 'over$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\bi\s*${ADV}{0,3}${WANT_BARE}\s*(?:it|the\s*pain|this|every\s*thing|all\s*of\s*(?:this|it))\s*${TO}\s*(?:end|stop|be\s*over)\s*(?:forever|for\s*good|permanently)?${END}`),
  },
  {
    id: 'si.death_thoughts',
    triggers: ['death$', 'dying$', 'dead$', 'here$', 'alive$', 'wake$'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\b(?:thinking|think|thought|fantasi[sz]ing|dreaming)\s*(?:about|of)\s*(?:death|dying|being\s*dead|not\s*being\s*(?:here|alive)|not\s*waking\s*up|my\s*own\s*death)\s*(?:a\s*lot|all\s*the\s*time|constantly|every\s*(?:day|night)|lately|more\s*and\s*more|so\s*much|too\s*much|again)\b|\b(?:death|dying)\s*(?:sounds|seems|feels)\s*(?:like\s*a\s*relief|peaceful|better|nice|good)`),
    requireFirstPerson: true,
    frameAnywhere: true,
  },
  {
    id: 'si.nobody_would_care',
    triggers: ['care$', 'notice$', 'miss$', 'cry$', 'funeral$'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:no\s*one|nobody|noone|no\s*body|not\s*a\s*single\s*(?:person|soul)|who)\s*(?:would|will|is\s*going\s*${TO}|gonna|d)\s*(?:even\s*)?(?:care|notice|miss\s*me|cry|come\s*${TO}\s*my\s*funeral)\s*(?:if|when)\s*(?:i\s*(?:am|was|were|m)?|im)\s*(?:dead|gone|not\s*here|die|died|disappear(?:ed)?|killed\s*myself|wasnt\s*(?:here|around|alive)|werent\s*(?:here|around)|ended\s*it|left\s*(?:this|for\s*good))\b`),
  },
  {
    id: 'si.suicide_mention',
    triggers: ['@suic'],
    category: 'suicidal_ideation',
    level: 'ambiguous',
    re: r(String.raw`\b${SUICIDE}|\b${SUICIDAL}`),
    firstPersonOnly: true,
    requireFirstPerson: true,
    frameAnywhere: true,
    notBefore: /(?:\b(?:his|her|their|its|by|to|of|from|after|about|against|on|the)\s*)$/,
    notAfter: /^\s*(?:rates?|prevention|awareness|statistics|squad|bomb(?:er|ing)?|of\s*(?:a|my|his|her)|in\s*(?:the\s*)?(?:news|teens|men|women)|survivors?|loss|risk\s*factors)/,
  },
  {
    id: 'si.other_language',
    triggers: ['morir', 'matar', 'suicid', 'vivir', 'morrer', 'mourir', 'tuer$', 'sterben$', 'leben$', 'umbringen$', 'bringe$', 'dood$', 'zelfmoord$', 'morire$', 'ammazz'],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:quiero\s*morir(?:me)?|me\s*quiero\s*(?:matar|morir)|quiero\s*matarme|voy\s*a\s*matarme|me\s*voy\s*a\s*matar|suicidarme|no\s*quiero\s*(?:seguir\s*)?vivir|quero\s*morrer|vou\s*me\s*matar|quero\s*me\s*matar|me\s*suicidar|nao\s*quero\s*mais\s*viver|je\s*veux\s*mourir|je\s*vais\s*me\s*(?:tuer|suicider)|envie\s*de\s*mourir|me\s*suicider|ich\s*will\s*(?:nicht\s*mehr\s*leben|sterben)|ich\s*bringe\s*mich\s*um|mich\s*umbringen|will\s*mich\s*umbringen|ik\s*wil\s*dood|zelfmoord\s*plegen|voglio\s*morire|ammazzarmi)\b`),
  },

  // ---- self-harm ----
  {
    id: 'sh.cut_myself',
    triggers: ['cut', 'slit', 'slash', 'slic', 'carv', 'dug$', 'dig'],
    category: 'self_harm',
    level: 'crisis',
    re: r(String.raw`\b(?:cut|cuts|cutting|cuttin|slit|slitting|slash|slashed|slashing|slice|slicing|sliced|carve|carving|carved|dug|dig|digging)\s*(?:into\s*)?(?:${MYSELF}|my\s*(?:arms?|wrists?|legs?|thighs?|skin|stomach|belly|body|hips?|forearms?))`),
    notAfter: new RegExp(String.raw`${ACCIDENT_AFTER.slice(0, -1)}|shaving|cooking|chopping|slicing|opening|off|short|out|some\s*slack|a\s*(?:slice|piece|break)|free|loose|with\s*(?:a|the)\s*(?:knife|razor|scissors|paper|glass|can)\s*(?:while|when|by)|on\s*(?:a|the|some|broken))`),
    notBefore: new RegExp(ACCIDENT_BEFORE),
  },
  {
    id: 'sh.cutting_again',
    triggers: ['cut', 'razor', 'blade', 'scar', 'wound', 'burns$', 'self', 'hurting$', 'burning$'],
    category: 'self_harm',
    level: 'crisis',
    re: r(String.raw`\b(?:i\s*${ADV}{0,1}|started|start|starting|been|keep|kept|still|began|begun|back\s*${TO}|return\s*${TO}|relapsed?\s*(?:on|into|and|with)?|urges?\s*${TO}|${WANT}|need\s*${TO}|going\s*${TO}|gonna|stop|quit|the\s*urge\s*${TO}|months\s*(?:clean|free)\s*(?:from|of))\s*cut(?:ting)?\b(?=\s*(?:$|[.,!?;\n]|again|and\s*(?:i|it|now|the)|but|is\b|was\b|feels\b|gets\b|keeps\b|has\b|last\s*night|yesterday|today|tonight|this\s*(?:morning|week|evening)|too\s*deep|deep\b|until|till|lately|recently|every|at\s*night|when|since|for\s*(?:months|weeks|years|a\s*while)|to\s*(?:cope|feel|relieve|release|deal|numb|punish)|so\b|because|bc|cause|badly|deeper|more))|\bcutting\s*(?:is|was)\s*(?:the\s*only|my\s*only|how\s*i\s*cope|what\s*(?:helps|keeps))|\bcutting\s*(?:helps|is\s*helping)\s*me\b|\bcut\s*(?:too\s*deep|deeper\s*than)|\b(?:fresh|new|bleeding|open)\s*(?:cuts|scars|wounds|burns)\s*on\s*my\s*(?:arms?|wrists?|legs?|thighs?|stomach|hips?)|\b(?:cuts|scars|wounds)\s*on\s*my\s*(?:arms?|wrists?|legs?|thighs?)\s*(?:are|is)\s*(?:fresh|new|open|bleeding)|\b(?:razors?|razor\s*blades?|blades?|cutting|self\s*-?\s*harm|hurting\s*myself|burning\s*myself)\b[^.!?\n]{0,20}\b(?:only\s*thing|only\s*way)\s*(?:that\s*)?(?:calms?|helps?|works?|makes?\s*me\s*feel|stops?)`),
  },
  {
    id: 'sh.self_harm_active',
    triggers: ['self', 'sh$'],
    category: 'self_harm',
    level: 'crisis',
    re: r(String.raw`\bi\s*${ADV}{0,2}(?:self\s*-?\s*harm(?:ed)?|sh)\b|\b(?:been|started|start|keep|kept|still|urges?\s*${TO}|${WANT}|going\s*${TO}|relapsed?\s*(?:on|into|with)?|back\s*${TO}|thinking\s*(?:about|of)|thought\s*(?:about|of)|struggl(?:e|ing)\s*with|dealing\s*with|my)\s*(?:self\s*-?\s*harm(?:ing)?|sh)\b`),
    firstPersonOnly: true,
    frameAnywhere: true,
  },
  {
    id: 'sh.self_harm_mention',
    triggers: ['self'],
    category: 'self_harm',
    level: 'ambiguous',
    re: r(String.raw`\bself\s*-?\s*harm(?:ing|ed|s)?\b|\bself\s*-?\s*injur(?:y|ing|e)\b`),
    firstPersonOnly: true,
    requireFirstPerson: true,
    frameAnywhere: true,
    notAfter: /^\s*(?:awareness|prevention|statistics|rates?|scars?\s*(?:from|are)\s*(?:years|long)|support\s*group|groups?\b|services?|charity|clinic|team|training|resources?|research|nurse|workers?|ward|unit|policy|policies|volunteer)/,
  },
  {
    id: 'sh.burn_myself',
    triggers: ['burn'],
    category: 'self_harm',
    level: 'crisis',
    re: r(String.raw`\bburn(?:ing|ed|t|s)?\s*${MYSELF}`),
    notAfter: new RegExp(String.raw`${ACCIDENT_AFTER.slice(0, -1)}|out|on\s*(?:the|a|my|hot)|with\s*(?:hot|the|boiling|steam|coffee|tea|oil|water)|cooking|baking|making|ironing|in\s*the\s*sun)`),
    notBefore: new RegExp(ACCIDENT_BEFORE),
  },
  {
    id: 'sh.intent_hurt_self',
    triggers: ['hurt', 'harm', 'injur', 'punish', 'hit', 'punch', 'beat', 'burn', 'cut', 'starv', 'mutilat', 'scratch', 'slap', 'bite$', 'blade', 'razor'],
    category: 'self_harm',
    level: 'crisis',
    re: r(String.raw`\b(?:${INTENT_STRONG})\s*(?:just\s*)?(?:hurt|harm|injure|punish|hit|punch|beat|burn|cut|starve|mutilate|scratch)\s*${MYSELF}|\b(?:been|keep|kept|started|start|still|always|cant\s*stop)\s*(?:hurting|harming|injuring|hitting|punching|burning|cutting|mutilating)\s*${MYSELF}|\bi\s*${ADV}{0,2}(?:hit|punch|slap|cut|burn|hurt|harm|scratch|bite|starve)\s*${MYSELF}\s*(?:[a-z]+\s*){0,4}(?:when(?:ever)?\s*i\s*(?:mess|fail|get|feel|am|m|screw|make|do|cant)|every\s*(?:time|day|night)|after\s*(?:every|each)|to\s*(?:feel|cope|punish|numb|release))|\b(?:${WANT}|need\s*${TO}|crave|craving|miss)\s*(?:feel(?:ing)?\s*)?(?:the\s*)?(?:blade|razor)s?\b|\b(?:hurt|harm|hit|punch|burn|cut|hurting|harming|hitting|burning|cutting)\s*${MYSELF}\s*(?:on\s*purpose|deliberately|intentionally|to\s*(?:feel|cope|punish|numb|release))`),
    notAfter: new RegExp(ACCIDENT_AFTER_STRICT),
    firstPersonOnly: true,
  },
  {
    id: 'sh.hurt_self',
    triggers: ['hurt', 'harm'],
    category: 'self_harm',
    level: 'ambiguous',
    re: r(String.raw`\b(?:hurt|hurting|harm|harming)\s*${MYSELF}`),
    notAfter: new RegExp(String.raw`${ACCIDENT_AFTER.slice(0, -1)}|badly\s*(?:in|at|on|when|while)|physically\s*(?:at|in|on))`),
    notBefore: new RegExp(ACCIDENT_BEFORE),
    firstPersonOnly: true,
  },
  {
    id: 'sh.bleed_on_purpose',
    triggers: ['bleed', 'bled$', 'bruis', 'burn', 'purpose$'],
    category: 'self_harm',
    level: 'crisis',
    requireFirstPerson: true,
    re: r(String.raw`\b(?:hit|bang|punch|scratch|pick|bite|bit|dig|dug|pull|slam)(?:s|ed|ing|ting|ming)?\b[^.!?\n]{0,40}\b(?:until|till|til)\s*(?:it|they|i|my\s*\w+)\s*(?:bleeds?|bled|bleeding|bruises?|bruised)\b|\bburn(?:s|ed|ing|t)?\s*(?:my\s*(?:skin|arms?|wrists?|legs?|thighs?|hands?|stomach)|${MYSELF})\s*with\s*(?:a\s*|an\s*)?(?:lighter|cigarettes?|matche?s?|spoon|knife|candle|hot\s*(?:spoon|knife|metal|coin|wire|iron))|\b(?:make|made|making|makes)\s*${MYSELF}\s*bleed\b|\b(?:bang|hit|punch|slam)(?:s|ed|ing|ming)?\s*my\s*(?:head|fists?|hands?|arms?|face)\b[^.!?\n]{0,30}\bon\s*purpose`),
  },
  {
    id: 'si.overdose_intent',
    triggers: ['overdose$', 'od$', ...MEDS_WORDS],
    category: 'suicidal_ideation',
    level: 'crisis',
    re: r(String.raw`\b(?:${INTENT_STRONG})\s*(?:just\s*)?(?:overdose|od)\b|\b(?:stockpil(?:e|ing|ed)|sav(?:e|ing|ed)\s*up|hoard(?:ing|ed)?|collect(?:ing|ed)?)\s*(?:my\s*|some\s*|all\s*my\s*)?(?:pills|meds|tablets|medication|sleeping\s*pills)\b`),
    firstPersonOnly: true,
    requireFirstPerson: true,
  },
  {
    id: 'sh.starving_myself',
    triggers: ['starving$', 'purging$', 'vomit$', 'sick$', 'throw$'],
    category: 'self_harm',
    level: 'ambiguous',
    re: r(String.raw`\b(?:been|keep|started|still|im|am)\s*(?:starving|purging)\s*${MYSELF}|\bmake\s*${MYSELF}\s*(?:throw\s*up|vomit|sick)\s*(?:after|every)`),
    notAfter: /^\s*(?:all\s*day|for\s*(?:dinner|the|tonight|lunch)|until|till|before)/,
  },

  // ---- harm to others ----
  {
    id: 'ho.intent_strong',
    triggers: ['@kill', 'murder', 'hurt', 'harm', 'stab', 'shoot', 'strangl', 'chok', 'poison', 'beat$', 'attack', 'drown', 'smother', 'run$'],
    category: 'harm_to_others',
    level: 'crisis',
    re: r(String.raw`\b(?:i\s*${ADV}{0,2}|im\s*${ADV}{0,2}|i\s*am\s*${ADV}{0,2})(?:${WANT}|going\s*${TO}|gonna|plan(?:ning|ned)?\s*(?:${TO}|on)|about\s*${TO}|ready\s*${TO}|need\s*${TO}|hav(?:e|ing)\s*(?:urges|thoughts|fantasies|an\s*urge)\s*(?:${TO}|of|about)|keep\s*thinking\s*(?:about|of)|fantasi[sz]e\s*about|feel\s*like|have\s*${TO}|swear\s*i\s*will|will\s*(?:actually|really))\s*(?:really\s*|actually\s*|finally\s*)?(?:kill|killing|murder|murdering|hurt|hurting|harm|harming|stab|stabbing|shoot|shooting|strangle|strangling|choke|choking|poison|poisoning|beat\s*up|attack|attacking|drown|drowning|smother|smothering|run\s*over)\s*${PERSON_OBJ}`),
    notAfter: /^\s*(?:(?:s|s\s*feelings|feelings)\b|with\s*(?:kindness|love|questions|compliments|food))/,
    softIn: /\b(?:if|when|unless)\s*(?:he|she|they|it|you|my|the)\b|\bfor\s*\w+ing\b|\b(?:lol|lmao|haha|jk)\b/,
  },
  {
    id: 'ho.intent_weak',
    triggers: ['@kill', 'murder$', 'strangle$', 'stab$', 'shoot$', 'choke$', 'hurt$'],
    category: 'harm_to_others',
    level: 'ambiguous',
    re: r(String.raw`\b(?:i\s*${ADV}{0,2}(?:could|will|ll|might|would)|id|ill|i\s*d|i\s*ll)\s*(?:literally\s*|actually\s*|really\s*)?(?:kill|murder|strangle|stab|shoot|choke|hurt)\s*(?:him|her|them|some\s*one|somebody|my\s*${RELATION})\b`),
    notAfter: /^\s*(?:with\s*(?:kindness|love|questions)|for\s*(?:a|some|that|this)\s*(?:burger|pizza|coffee|drink|beer|nap|snack))/,
  },
  {
    id: 'ho.thoughts',
    triggers: ['@kill', 'hurt', 'harm', 'stab', 'shoot', 'strangl', 'drown', 'smother', 'poison', 'attack', 'beat', 'shake$'],
    category: 'harm_to_others',
    level: 'crisis',
    re: r(String.raw`\b(?:imagine|imagining|picture|picturing|visuali[sz]e|visuali[sz]ing|fantasi[sz]e|fantasi[sz]ing|dream|dreaming|think|thinking|thought)\s*(?:about|of)?\s*(?:killing|hurting|harming|stabbing|shooting|strangling|drowning|smothering|poisoning|attacking|beating\s*up)\s*${PERSON_OBJ}|\burges?\s*${TO}\s*(?:kill|hurt|harm|stab|shoot|strangle|drown|smother|poison|attack)\s*${PERSON_OBJ}|\b(?:thoughts?|urges?|fantasies|images?|visions?|impulses?)\s*(?:of|about)\s*(?:killing|hurting|harming|stabbing|shooting|strangling|drowning|smothering|poisoning|attacking)\s*${PERSON_OBJ}|\b(?:afraid|scared|terrified|worried)\s*(?:that\s*)?i\s*(?:will|might|could|ll|am\s*going\s*${TO}|m\s*going\s*${TO}|would)\s*(?:snap\s*and\s*)?(?:hurt|harm|kill|shake|drown|smother)\s*${PERSON_OBJ}`),
    requireFirstPerson: true,
    frameAnywhere: true,
  },
  {
    id: 'ho.mass_violence',
    triggers: ['shoot$', 'bomb$', 'blow$', 'burn$', 'attack$', 'gun$', 'rifle$', 'knife$', 'weapon$'],
    category: 'harm_to_others',
    level: 'crisis',
    re: r(String.raw`\b(?:${INTENT_STRONG}|i\s*will|ill)\s*(?:just\s*)?(?:shoot\s*up|bomb|blow\s*up|burn\s*down|attack)\s*(?:the|my|a|our|this|that)\s*(?:school|class|office|workplace|work|mall|church|mosque|synagogue|temple|building|campus|concert|party|house|store)\b|\b(?:bring|take|bringing|taking)\s*(?:a|my|the|dads)\s*(?:gun|rifle|knife|weapon|bomb)\s*${TO}\s*(?:school|class|work|the\s*office|campus|church)\b|\b(?:bought|got|get|getting|buying|buy|grab|find)\s*a\s*(?:gun|rifle|weapon|knife)\s*(?:${TO}|so\s*i\s*can|and)\s*(?:kill|shoot|hurt|stab|use\s*(?:it\s*)?on)\b`),
    requireFirstPerson: true,
    frameAnywhere: true,
  },

  // ---- danger and abuse ----
  {
    id: 'da.person_hurts_me',
    triggers: ['hit', 'beat', 'kick', 'chok', 'strangl', 'slap', 'punch', 'rap', 'molest', 'abus', 'assault', 'whip', 'smack', 'touch', 'burn', 'push', 'shove', 'throw', 'threw$'],
    category: 'danger_abuse',
    level: 'crisis',
    re: r(String.raw`\b${PERSON_SUBJ}\s*${ADV}{0,2}(?:(?:has|have|had|would|will|used\s*${TO}|keeps|kept|started|starts)\s*)?(?:\w+\s*me\s*and\s*)?(?:touch(?:es|ed)?\s*me\s*(?:inappropriately|down\s*there|where|when|at\s*night|in\s*my\s*sleep)|(?:hits?|hitting|beats?|beating|beaten|kicks?|kicked|kicking|chokes?|choked|choking|strangles?|strangled|strangling|slaps?|slapped|slapping|punch(?:es|ed)?|punching|rapes?|raped|raping|molest(?:s|ed|ing)?|abuses?|abused|abusing|assault(?:s|ed|ing)?|whips?|whipped|smack(?:s|ed)?|smacking|beat\s*up|beats\s*up|beating\s*up)\s*(?:me\b|us\b|my\s*\w+\s*and\s*me\b|me\s*and\s*my\b)|burn(?:s|ed|t)?\s*me\s*with|(?:pushe[ds]|shove[ds]?|throws?|threw)\s*me\s*(?:down|against|into\s*(?:a|the)\s*(?:wall|door|table)|off|across))`),
    notAfter: /^\s*(?:up\b|back\b|at\b|off\b|out\b|in\s*(?:chess|games?|the\s*(?:race|game|match))|to\s*(?:it|the)|by\s*\d|with\s*(?:the|a|an|some|this|that|his|her)\s*(?:\w+\s*)?(?:pillow|snowball|ball|balloon|water\s*balloon|nerf|toy|towel|paper|news|facts|truth|idea|question|joke|bill|story|line|request|reality|deadline|compliment|offer)|on\b)/,
  },
  {
    id: 'da.being_abused',
    triggers: ['abused$', 'beaten$', 'raped$', 'molested$', 'sexually$', 'assaulted$', 'trafficked$', 'strangled$', 'choked$', 'groomed$', 'hit$', 'hurt$'],
    category: 'danger_abuse',
    level: 'crisis',
    re: r(String.raw`\b(?:im|i\s*am|i\s*was|i\s*have\s*been|ive\s*been|i\s*get|i\s*keep\s*getting|im\s*getting|being|been|getting|got)\s*${ADV}{0,2}(?:being\s*)?(?:abused|beaten\s*(?:up|by)|raped|molested|sexually\s*(?:assaulted|abused)|assaulted|trafficked|strangled|choked\s*by|groomed|hit\s*by\s*my|beaten\s*at\s*home|hurt\s*by\s*(?:my\s*${RELATION}|him|her))\b`),
    firstPersonOnly: true,
    frameAnywhere: true,
    notAfter: /^\s*(?:on\b|in\s*(?:the\s*)?(?:game|match|chess))/,
  },
  {
    id: 'da.threatened',
    triggers: ['threaten', 'tried$', 'trying$', 'wants$', 'said$', 'says$'],
    category: 'danger_abuse',
    level: 'crisis',
    re: r(String.raw`\b${PERSON_SUBJ}\s*${ADV}{0,2}(?:threatened|threatens|is\s*threatening|said\s*(?:he|she|they)\s*(?:would|will|d|ll|is\s*going\s*${TO}|was\s*going\s*${TO})|says\s*(?:he|she|they)\s*(?:will|ll|is\s*going\s*${TO}|s\s*going\s*${TO})|tried\s*${TO}|is\s*trying\s*${TO}|s\s*trying\s*${TO}|wants\s*${TO})\s*(?:${TO}\s*)?(?:kill|hurt|stab|shoot|strangle|choke|rape|beat|drown|burn)\s*me\b`),
    notAfter: /^\s*(?:for\s*(?:being|coming|forgetting|breaking|this|that|it)|when\s*(?:he|she|they)\s*(?:finds?|see)|if\s*(?:i|im)\s*(?:late|fail|forget|don))/,
  },
  {
    id: 'da.reported_threat',
    triggers: ['said$', 'says$', 'told$', 'threaten', 'warned$', 'texted$', 'swore$'],
    category: 'danger_abuse',
    level: 'crisis',
    re: r(String.raw`\b(?:said|says|told\s*me|threatened|threatens|warned\s*me|texted|swore)\b[^.!?\n]{0,40}\b(?:hell|he\s*will|shell|she\s*will|theyll|they\s*will|hed|he\s*would|shed|she\s*would|theyd|they\s*would|(?:he|she|they)\s*(?:is|are|s|was|were)?\s*(?:going\s*${TO}|gonna))\s*(?:actually\s*|really\s*)?(?:kill|hurt|beat|rape|stab|shoot|find)\s*me\b`),
    notAfter: /^\s*(?:if\s*(?:i\s*(?:am|m)?\s*(?:late|fail|forget|break|miss|lose|dont|do\s*not)|im\s*late|they\s*find)|for\s*\w+ing|when\s*(?:he|she|they)\s*(?:finds?|sees?|hears?))/,
  },
  {
    id: 'da.will_kill_me',
    triggers: ['@kill', 'hurt$', 'beat$', 'rape$', 'strangle$'],
    category: 'danger_abuse',
    level: 'ambiguous',
    notIn: /\b(?:one\s*day|some\s*day|someday|probably|afraid|worried|bet|might)\b/,
    re: r(String.raw`\b(?:hell|he\s*will|shell|she\s*will|hed|he\s*would|shed|she\s*would)\s*(?:actually\s*|really\s*|literally\s*)?(?:kill|hurt|beat|rape|strangle)\s*me\b`),
    notAfter: /^\s*(?:if\s*(?:i\s*(?:am|m)?\s*(?:late|fail|forget|break|miss|lose|dont|do\s*not)|im\s*late|(?:he|she)\s*(?:finds?|sees?|hears?))|for\s*\w+ing|when\s*(?:he|she)\s*(?:finds?|sees?|hears?))/,
  },
  {
    id: 'da.intruder',
    triggers: ['broke$', 'breaking$', 'broken$', 'break$', 'hiding$', 'hurt$', 'hit$', 'beaten$', 'abused$', 'attacked$'],
    category: 'danger_abuse',
    level: 'crisis',
    re: r(String.raw`\b(?:some\s*one|somebody|a\s*(?:man|guy|stranger)|people|an?\s*(?:intruder|burglar))\s*(?:is|s|just|has|are)?\s*(?:broke|breaking|broken|trying\s*${TO}\s*break|tried\s*${TO}\s*break)\s*in(?:to)?\s*(?:my|our|the)\s*(?:house|home|apartment|flat|room|place)\b|\bim\s*hiding\s*from\s*(?:him|her|them|my\s*${RELATION}|some\s*one|somebody)\b|\b(?:being|been|getting|get|am)\s*(?:physically\s*)?(?:hurt|hit|beaten|abused|attacked)\s*(?:at\s*home|by\s*(?:my|him|her|them|some\s*one|somebody)|every\s*(?:day|night))`),
    firstPersonOnly: true,
    requireFirstPerson: true,
  },
  {
    id: 'da.held_or_forced',
    triggers: ['scared$', 'afraid$', 'fear', 'terrified$', 'held$', 'kidnapped$', 'trapped$', 'forced$', 'forces$', 'forcing$', 'sex$', 'assaulted$'],
    category: 'danger_abuse',
    level: 'crisis',
    re: r(String.raw`\b(?:scared|afraid|fear(?:ing)?|terrified|fearful)\s*for\s*my\s*(?:life|safety)\b|\bheld\s*(?:me\s*)?against\s*my\s*will\b|\b(?:i\s*(?:have\s*)?been|ive\s*been|i\s*was|im\s*being|i\s*got)\s*kidnapped\b|\btrapped\s*in\s*(?:his|her|their|the|a|my)\s*(?:house|home|room|car|basement|apartment)\b|\bforc(?:ed|es|ing)\s*me\s*(?:${TO}\s*)?(?:have\s*sex|into\s*(?:sex|bed|having\s*sex)|${TO}\s*(?:do|perform)\s*(?:sexual|things))|\bmade\s*me\s*have\s*sex\b|\b(?:sexually\s*)?assaulted\s*me\b`),
  },
  {
    id: 'da.not_safe',
    triggers: ['safe$', 'unsafe$', 'danger$'],
    category: 'danger_abuse',
    level: 'crisis',
    re: r(String.raw`\b(?:(?:dont|do\s*not|never|dont\s*ever)\s*feel\s*(?:very\s*|really\s*)?safe|(?:not|isnt|is\s*not|never|no\s*longer)\s*(?:very\s*|really\s*)?safe|unsafe|in\s*danger)\s*(?:at\s*home|in\s*my\s*(?:own\s*)?(?:home|house|room|bed|family|marriage|relationship)|with\s*(?:him|her|them|my\s*${RELATION})|around\s*(?:him|her|them|my\s*${RELATION})|living\s*with\s*(?:him|her|them|my\s*${RELATION}))\b|\b(?:my\s*life\s*is|im|i\s*am|i\s*think\s*im)\s*in\s*danger\b`),
    negatable: false,
    firstPersonOnly: true,
  },
  {
    id: 'da.feel_unsafe',
    triggers: ['safe$'],
    category: 'danger_abuse',
    level: 'ambiguous',
    re: r(String.raw`\b(?:i|im)\s*(?:dont|do\s*not|never)\s*feel\s*safe\b(?:\s*(?:anymore|any\s*more|here))?${END}|\bim\s*not\s*safe\b(?:\s*(?:anymore|any\s*more|here))?${END}|\b(?:i|im)\s*(?:dont|do\s*not|never)\s*feel\s*safe\s*(?:anymore|any\s*more)`),
    negatable: false,
  },
  {
    id: 'da.afraid_of_person',
    triggers: ['afraid$', 'scared$', 'terrified$', 'frightened$'],
    category: 'danger_abuse',
    level: 'crisis',
    re: r(String.raw`\b(?:afraid|scared|terrified|frightened)\s*(?:that\s*)?(?:he|she|they|my\s*${RELATION})\s*(?:will|might|is\s*going\s*${TO}|s\s*going\s*${TO}|gonna|could|would|is\s*gonna)\s*(?:actually\s*|really\s*)?(?:kill|hurt|hit|beat|rape|strangle|choke)\s*me\b`),
    firstPersonOnly: true,
  },
  {
    id: 'da.scared_at_home',
    triggers: ['afraid$', 'scared$', 'terrified$', 'frightened$'],
    category: 'danger_abuse',
    level: 'ambiguous',
    re: r(String.raw`\b(?:afraid|scared|terrified|frightened)\s*(?:${TO}\s*go\s*home|of\s*going\s*home|of\s*my\s*(?:husband|wife|partner|boyfriend|girlfriend|dad|father|stepdad|mom|mother|stepmom|parents|ex)|to\s*be\s*(?:home|alone\s*with\s*(?:him|her)))\b`),
    firstPersonOnly: true,
    notAfter: /^\s*(?:s\s*reaction|s\s*opinion|finding\s*out|being\s*disappointed|knowing)/,
  },
  {
    id: 'da.confined',
    triggers: ['locked$', 'locks$', 'lock$', 'keeps$', 'kept$', 'let$'],
    category: 'danger_abuse',
    level: 'crisis',
    re: r(String.raw`\b${PERSON_SUBJ}\s*${ADV}{0,2}(?:locked|locks|lock|keeps|kept|has\s*locked)\s*me\s*(?:in|inside|up)\b(?!\s*(?:the\s*)?(?:game|chat))|\b${PERSON_SUBJ}\s*(?:wont|doesnt|will\s*not|does\s*not)\s*let\s*me\s*(?:leave|escape|call\s*(?:anyone|for\s*help|the\s*police))\b(?!\s*(?:the\s*)?(?:game|chat|early|work|class))`),
  },
  {
    id: 'da.followed',
    triggers: ['following$', 'stalking$'],
    category: 'danger_abuse',
    level: 'ambiguous',
    re: r(String.raw`\b(?:some\s*one|somebody|a\s*(?:man|guy|car|stranger|van)|he|she|my\s*ex)\s*(?:is|s|has\s*been|keeps|kept)?\s*(?:following|stalking)\s*me\b`),
    notAfter: /^\s*(?:on\b|back\b|around\s*on|online|in\s*(?:the\s*)?(?:game|app))/,
  },

  // ---- medical emergency ----
  {
    id: 'me.took_too_many',
    triggers: [...MEDS_WORDS, 'pain$'],
    category: 'medical_emergency',
    level: 'crisis',
    re: r(String.raw`\b(?:took|taken|take|swallowed|downed|ate|had|popped|taking)\s*(?:way\s*)?(?:too\s*many|too\s*much|a\s*(?:whole|full|entire)\s*(?:bottle|box|pack|packet|strip|sheet)\s*of|the\s*(?:whole|entire)\s*(?:bottle|box|pack|packet)\s*of|a\s*(?:bunch|handful|lot|ton)\s*of|like\s*\d+|\d{2,}|(?:twenty|thirty|forty|fifty|a\s*hundred))\s*(?:of\s*)?(?:my\s*|the\s*|these\s*|those\s*|her\s*|his\s*)?(?:\w+\s*)?(?:pills|tablets|meds|medications?|medicine|painkillers|pain\s*killers|sleeping\s*pills|tylenol|paracetamol|acetaminophen|ibuprofen|advil|aspirin|xanax|insulin|antidepressants|benzos|opioids|oxy|oxycodone|percocet|heroin|fentanyl|lithium|sleeping\s*tablets)\b|\b(?:took|swallowed|downed|taken)\s*all\s*(?:of\s*)?(?:my|the|these|those|her|his)\s*(?:\w+\s*)?(?:pills|tablets|meds|medication|painkillers|sleeping\s*pills)\s*(?:at\s*once|in\s*one\s*go|together)\b`),
    notBefore: /(?:afraid|scared|worried|careful|never|dont|not|will\s*probably|ll\s*probably|one\s*day)\s*(?:\w+\s*){0,3}$/,
  },
  {
    id: 'me.overdosed',
    triggers: ['overdosed$', 'overdosing$', 'oded$', 'od$', 'odd$', 'overdose$'],
    category: 'medical_emergency',
    level: 'crisis',
    re: r(String.raw`\b(?:i|i\s*think\s*i|i\s*might\s*have|i\s*may\s*have|i\s*just|just|ive|i\s*have|im|i\s*am|i\s*think\s*im|think\s*i|(?:he|she|they|my\s*${RELATION}|my\s*friend|some\s*one|somebody)\s*(?:is|s|just|has|might\s*have|may\s*have|think\s*(?:he|she)\s*(?:has|is|s)))\s*${ADV}{0,2}(?:overdosed|overdosing|oded|od\s*ed|od\s*ing)\b|\bi\s*(?:think\s*i\s*|just\s*|might\s*have\s*)?odd\b|\b(?:i\s*think\s*)?(?:he|she|my\s*friend|my\s*${RELATION})\s*(?:is|s)\s*having\s*an\s*overdose\b|\bi\s*(?:just\s*)?(?:had|took)\s*an\s*overdose\b|\b(?:he|she|they|my\s*friend|my\s*${RELATION}|some\s*one|somebody)\s*(?:just\s*)?overdosed\b(?=\s*(?:and|,)?\s*(?:is|s|isnt|wont|cant|not|im|i\s*dont|what|help|right\s*now|$|[.!?]))`),
    notAfter: /^\s*(?:on\s*(?:coffee|caffeine|sugar|chocolate|netflix|tv|anime|memes|content)|last\s*year|years\s*ago)/,
  },
  {
    id: 'me.cant_breathe_urgent',
    triggers: ['breath'],
    category: 'medical_emergency',
    level: 'crisis',
    re: r(String.raw`\b(?:cant|can\s*not|cannot|struggling\s*${TO}|unable\s*${TO}|having\s*(?:trouble|a\s*hard\s*time))\s*(?:${TO}\s*)?breath(?:e|ing)?\b(?=[^.!?\n]{0,60}\b(?:chest|throat|lips|blue|chok|swell|allerg|help|ambulance|numb|arm|faint|pass(?:ing)?\s*out|right\s*now|bleed))|\b(?:chest|throat|allerg[a-z]*|swelling|choking)\b[^.!?\n]{0,60}\b(?:cant|can\s*not|cannot)\s*breath(?:e|ing)?\b`),
  },
  {
    id: 'me.cant_breathe',
    triggers: ['breath'],
    category: 'medical_emergency',
    level: 'ambiguous',
    notIn: /\b(?:joke|jokes|funny|laugh\w*|hilarious|lol|lmao|haha\w*)\b|😂|🤣/u,
    re: r(String.raw`\b(?:i|im|i\s*am)\s*${ADV}{0,2}(?:cant|can\s*not|cannot|couldnt|struggling\s*${TO}|unable\s*${TO}|having\s*(?:trouble|a\s*hard\s*time))\s*(?:${TO}\s*)?breath(?:e|ing)?\b`),
    notAfter: /^\s*(?:through\s*my\s*nose|from\s*laughing|laughing|lol|lmao|haha|because\s*(?:of\s*)?(?:my\s*)?(?:cold|nose|the\s*(?:cold|smoke|heat|humidity|pollen))|in\s*(?:this|these|that)\s*(?:heat|humidity|city|office|outfit|jeans|dress|mask|town|place|house|room|job|relationship|meeting)|with\s*(?:this|all\s*this|these|that)\s*(?:heat|mask|work|pressure|workload|cold)|when\s*i\s*(?:run|laugh))/,
  },
  {
    id: 'me.not_breathing',
    triggers: ['breath', 'wake$', 'waking$', 'respond', 'unresponsive$', 'unconscious$', 'limp$', 'blue$', 'passed$', 'collapsed$', 'fainted$', 'come$'],
    category: 'medical_emergency',
    level: 'crisis',
    re: r(String.raw`\b(?:${PERSON_SUBJ}|my\s*friend|the\s*baby|baby)\s*(?:isnt|is\s*not|s\s*not|not|stopped|has\s*stopped|wont\s*start)\s*breathing\b|\b(?:${PERSON_SUBJ}|my\s*friend|the\s*baby|baby)\s*(?:wont|will\s*not|cant|doesnt|isnt|is\s*not)\s*(?:wake\s*up|waking\s*up|respond(?:ing)?|come\s*(?:to|round|around)(?=\s*(?:$|[.,!?;:\n)]|and\b|yet\b)))|\b(?:${PERSON_SUBJ}|my\s*friend|the\s*baby|baby)\s*(?:is|s|went|has\s*gone|just\s*went)\s*(?:unresponsive|unconscious|limp|turning\s*blue|blue)\b|\b(?:passed\s*out|collapsed|fainted)\s*and\s*(?:wont|isnt|cant|is\s*not|will\s*not)\s*(?:wake|breath|respond)`),
    notAfter: /^\s*(?:early|in\s*the\s*morning|on\s*time|for\s*(?:school|work|class))/,
    notBefore: /(?:probably|never\s*going\s*to|will\s*probably|one\s*day|afraid|worried|scared)\s*(?:\w+\s*){0,3}$/,
  },
  {
    id: 'me.chest_pain',
    triggers: ['chest$'],
    category: 'medical_emergency',
    level: 'crisis',
    re: r(String.raw`\b(?:have|having|got|ive\s*got|experiencing|feel|feeling|with|sudden|suddenly)\s*(?:a\s*|some\s*|really\s*|very\s*)?(?:(?:bad|severe|sharp|crushing|stabbing|intense|sudden|strong|tight|awful|terrible|horrible)\s*)*chest\s*pains?\b|\b(?:crushing|sharp|severe|stabbing|intense|sudden|tight|heavy)\s*(?:pain|pressure)\s*in\s*my\s*chest\b|\bchest\s*pains?\b(?=[^.!?\n]{0,60}\b(?:arm|jaw|numb|sweat|breath|dizzy|faint|nause|spreading|tingl))|\bpain\s*(?:in\s*my\s*chest\s*(?:and|spreading|going)|(?:spreading|going|shooting)\s*(?:down|into)\s*my\s*(?:left\s*)?(?:arm|jaw))`),
    notAfter: /^\s*(?:last\s*(?:year|month|week|summer|winter)|years\s*ago|a\s*(?:year|while)\s*ago|in\s*\d{4}|as\s*a\s*(?:kid|child|teen))/,
    notBefore: /(?:used\s*to|last\s*(?:year|month)|years\s*ago|when\s*i\s*was|afraid|worried|one\s*day|probably)\s*(?:\w+\s*){0,3}$/,
  },
  {
    id: 'me.chest_tight',
    triggers: ['chest$'],
    category: 'medical_emergency',
    level: 'ambiguous',
    notIn: /\b(?:cough\w*|flu|cold|workout|gym|push\s*ups?|bench\s*press\w*|heartbreak|breakup|broken\s*heart|crying)\b/,
    re: r(String.raw`\bmy\s*chest\s*(?:hurts|is\s*(?:hurting|really\s*tight|so\s*tight|tight|pounding)|feels\s*(?:tight|heavy|like\s*(?:its|it\s*is)\s*(?:being\s*crushed|on\s*fire|going\s*${TO}\s*explode)))\b|\bchest\s*pain\b`),
    firstPersonOnly: true,
    frameAnywhere: true,
    notBefore: /(?:used\s*to|last\s*(?:year|month)|years\s*ago|when\s*i\s*was|afraid|worried|one\s*day|probably|after\s*(?:the|my)\s*(?:gym|workout|run))\s*(?:\w+\s*){0,3}$/,
  },
  {
    id: 'me.acute_event',
    triggers: ['heart$', 'stroke$', 'seizure$', 'fit$', 'anaphyla', 'allergic$', 'asthma$', 'diabetic$', 'throat$', 'ambulance$', '911$', '999$', '112$', '000$', '111$', '119$'],
    category: 'medical_emergency',
    level: 'crisis',
    re: r(String.raw`\b(?:im|i\s*am|i\s*think\s*im|i\s*think\s*i\s*am|i\s*feel\s*like\s*im|i\s*might\s*be|i\s*may\s*be|(?:he|she|my\s*${RELATION}|my\s*friend|some\s*one)\s*(?:is|s|might\s*be|may\s*be|think\s*(?:he|she)\s*(?:is|s)))\s*(?:currently\s*|literally\s*|actually\s*)?having\s*(?:a|an)\s*(?:heart\s*attack|stroke|seizure|fit|anaphylactic\s*(?:shock|reaction)|severe\s*allergic\s*reaction|allergic\s*reaction|asthma\s*attack|diabetic\s*(?:emergency|coma))\b|\banaphyla(?:xis|ctic)\b|\b(?:my\s*)?throat\s*(?:is\s*)?(?:closing|swelling|closing\s*up|tightening)\b|\bi\s*(?:think\s*)?(?:i\s*)?(?:need|needs)\s*(?:an\s*)?ambulance\b|\b(?:i|we)\s*(?:need|should)\s*(?:${TO}\s*)?call\s*(?:911|999|112|000|111|119|an\s*ambulance)\b`),
    notAfter: /^\s*(?:when\s*(?:i|she|he)\s*(?:saw|see|sees|heard|opened|got)|at\s*the\s*(?:price|bill|thought))/,
  },
  {
    id: 'me.bleeding',
    triggers: ['bleeding$', 'blood$', 'bleed$'],
    category: 'medical_emergency',
    level: 'crisis',
    re: r(String.raw`\b(?:bleeding|blood)\s*(?:a\s*lot|heavily|badly|everywhere|so\s*much|really\s*bad|wont\s*stop|will\s*not\s*stop|isnt\s*stopping|is\s*not\s*stopping|not\s*stopping|keeps\s*(?:coming|pouring)|is\s*everywhere)\b|\b(?:cant|cannot|can\s*not|wont|will\s*not|doesnt|isnt)\s*stop\s*(?:the\s*)?bleeding\b|\b(?:lost|losing)\s*(?:a\s*lot\s*of|so\s*much|too\s*much)\s*blood\b`),
    notBefore: /(?:used\s*to|years\s*ago|afraid|worried|one\s*day|probably)\s*(?:\w+\s*){0,3}$/,
    frameAnywhere: true,
  },
  {
    id: 'me.ingested',
    triggers: ['bleach$', 'antifreeze$', 'drain$', 'poison$', 'detergent$', 'laundry$', 'pesticide$', 'weed$', 'button$', 'battery$', 'batteries$', 'lighter$', 'gasoline$', 'petrol$', 'cleaning$'],
    category: 'medical_emergency',
    level: 'crisis',
    re: r(String.raw`\b(?:i|he|she|my\s*${RELATION}|the\s*baby|baby|my\s*friend|some\s*one|toddler)\s*${ADV}{0,2}(?:drank|swallowed|ate|ingested|drunk)\s*(?:some\s*|an?\s*(?:bottle|cup|glass)\s*of\s*|an?\s*)?(?:bleach|antifreeze|drain\s*cleaner|poison|rat\s*poison|detergent|laundry\s*pods?|pesticide|weed\s*killer|button\s*batter(?:y|ies)|batter(?:y|ies)|lighter\s*fluid|gasoline|petrol|cleaning\s*(?:fluid|products?))\b`),
  },
];
