import type { TrapId } from '@kalei/contracts/taxonomy';

/** Whose behaviour the matched words are about, which changes how the explanation reads. */
export type Person = 'self' | 'other';

/** One lexical or pattern rule: when `pattern` matches inside a clause, that clause may carry `trap`. */
export interface Cue {
  /** Stable id, reported by the tuning bench. */
  id: string;
  trap: TrapId;
  pattern: RegExp;
  /**
   * The cue's vote, in [MIN_CONFIDENCE, 0.8]. Started from the cue's smoothed precision on the
   * PatternReframe train split (bench/quality.ts --cues), then tuned there by coordinate ascent on
   * macro-F1 (--tune). Several cues on one clause combine as a damped noisy-OR, and `calibration`
   * turns the result into a probability.
   */
  weight: number;
  person: Person;
  /** A negator in the three words before the match ("don't always", "not everyone") cancels it. */
  negatable?: boolean;
  /** The grammatical subject before the match must be someone other than the writer ("they think I'm"). */
  otherSubject?: boolean;
  /** Fires only when this also matches the sentence (and the one before it, with `contextBefore`). */
  context?: RegExp;
  contextBefore?: boolean;
  /** Fires only when the sentence, outside the match, says something negative: "I always have coffee" is a habit. */
  needsNegative?: boolean;
  /** Stays quiet when the sentence is positive and nothing in it is negative: "he thinks I'm doing great". */
  notPositive?: boolean;
  /** Whose rule or label it is depends on the subject: "I should" is about me, "people should" about others. */
  personFromSubject?: boolean;
}

/** A pattern that vetoes one trap in the clause it matches ("we should grab lunch" is a plan, not a rule). */
export interface Blocker {
  traps: readonly TrapId[];
  pattern: RegExp;
}

// Building blocks shared by the rules below. `{NAME}` in a rule source is replaced by these.
const blocks: Record<string, string> = {
  // The writer describing themself.
  IAM: String.raw`(?:i'm|im|i am|i was|i've been|i have been|i'll always be|i will always be|i'll be|i will be|i must be|i guess i'm|i guess i am|i feel like|i'm just|i am just|i'm such|i am such|i'm really|i am really|i'm probably|i am probably|i'm definitely|i'm obviously|i'll never be anything but|i'm nothing but|i am nothing but)`,
  // Optional articles and intensifiers between "I'm" and the label.
  INT: String.raw`(?:(?:such|a|an|the|so|really|just|total|totally|complete|completely|absolute|absolutely|utter|utterly|real|huge|big|massive|pathetic|stupid|useless|worthless|hopeless|very|truly|kind of|sort of|kinda|basically|literally|officially|biggest|worst|most|such an?|too|to|pretty|quite|extremely|incredibly|super|fat|old|lazy|ugly|terribly|horribly|awfully|hopelessly|seriously|hugely|deeply|just so|so very)\s+){0,6}`,
  NEGNOUN: String.raw`(?:loser|failure|fail|idiot|moron|fool|joke|fraud|mess|disaster|disappointment|burden|freak|weirdo|nerd|geek|dork|coward|jerk|monster|wreck|screw-?up|nobody|waste(?: of space| of air| of time)?|embarrassment|pushover|slob|pig|klutz|hypocrite|liar|quitter|bum|creep|reject|outcast|loner|basket case|laughing ?stock|let-?down|bad person|terrible person|horrible person|awful person|bad \w+|terrible \w+|horrible \w+|awful \w+|lousy \w+|useless \w+|pathetic \w+|idiot|dummy|imbecile|sloth|couch potato|klutz|lost cause|psycho|addict|alcoholic|drunk|glutton|train ?wreck|no-?good|good-?for-?nothing|sucker|chump|wimp|baby|crybaby|brat|karen|snob|nut ?job|nutcase|failure of a \w+|psychopath|sociopath|hater|animal hater|mediocre \w+|negligent \w+|incapable \w+|loser like me|disgrace|charity case|impostor|imposter|has-?been|nobody special)`,
  NEGADJ: String.raw`(?:stupid|dumb|useless|worthless|pathetic|lazy|ugly|fat|boring|weak|hopeless|incompetent|unlovable|disgusting|weird|gross|hideous|annoying|inadequate|dull|broken|defective|selfish|horrible|terrible|awful|lame|clumsy|unattractive|unlikeable|unlikable|helpless|inferior|insane|crazy|dense|slow|ignorant|irresponsible|careless|unreliable|naive|gullible|spineless|pitiful|cursed|doomed|unworthy|damaged|toxic|a mess|trash|garbage|rubbish|awkward|uncool|unlucky|a loser|a failure|a joke|not good enough|not smart enough|not enough|never enough|too \w+ to|bad at everything|bad at \w+|terrible at \w+|horrible at \w+|awful at \w+|no good|good for nothing|unemployable|unfit|out of shape|hopeless at \w+|mediocre|negligent|incapable|incomplete|clueless|unhealthy|uninteresting|unproductive|unlovable|insecure|pathetic|talentless|spineless|brainless|undesirable|unwanted|unattractive|a nobody|average at best)`,
  // Bad outcomes a prediction can name ("will be moldy", "is going to get worse").
  BAD: String.raw`(?:bad|badly|terrible|terribly|awful|horrible|boring|disgusting|moldy|gross|broken|dangerous|ugly|rude|mean|worse|worst|sick|ill|hurt|lost|late|wrong|difficult|hard|impossible|expensive|crowded|packed|empty|lonely|sad|upset|angry|mad|disappointed|disappointing|embarrass\w*|awkward|uncomfortable|miserable|ruined|stuck|fired|rejected|dumped|ignored|hated|mocked|laughed at|a victim|victim|poor|broke|bankrupt|unhealthy|weak|fat|alone|lame|a disaster|a failure|a waste|useless|pointless|fail\w*|lose|losing|hate|reject|laugh at|ruin|mess up|screw up|struggle|suffer|regret|resent|judge|cheat|steal|burn down|crash|die|kill|injur\w*)`,
  NEGV: String.raw`(?:not|no|never|nothing|nobody|none|cannot|can't|won't|don't|doesn't|didn't|isn't|wasn't|hate\w*|dislike\w*|bad|badly|worse|worst|terribl\w*|horribl\w*|awful|fail\w*|loser|lose|losing|lost|mess\w*|screw\w*|ruin\w*|wrong|mistakes?|stupid|dumb|idiot\w*|ugly|fat|boring|bored|annoy\w*|lonely|alone|sad|upset|angry|mad|cry\w*|cried|hurt\w*|pain\w*|sick|ill|tired|exhaust\w*|stress\w*|anxious|anxiety|worr\w*|scared|afraid|fear\w*|panic\w*|embarrass\w*|ashamed|shame|guilt\w*|awkward|weird|reject\w*|ignor\w*|abandon\w*|leave me|left me|judg\w*|laugh\w* at|mock\w*|against|problems?|trouble|disaster\w*|nightmare|miserabl\w*|depress\w*|useless|worthless|pointless|hopeless|helpless|weak|poor|broke|debt|fired|dump\w*|cheat\w*|lie|lies|liar|die|dies|dying|dead|death|kill\w*|crash\w*|sucks?|sucked|hard|difficult|impossible|late|forgot|forget|miss|missed|disappoint\w*|struggl\w*|suffer\w*|regret\w*|blame\w*|fault|crap|shit\w*|damn|disgust\w*|gross|nasty|mean|rude|unfair|harm\w*|danger\w*|attack\w*|injur\w*|break|broken|destroy\w*|unhealthy|unhappy|jerk|nerd|geek|freak|loser|burden|fraud|mess|waste\w*|poorly|denied|rotten|throw up|vomit\w*|chase[sd]?|accidents?|allergic|immune|blood pressure|disease|cancer|virus|fall|fell|hit by|bit|bite|stab\w*|snakes?|bears?|lightning|run away|criticiz\w*|criticism|make fun|made fun|crime|expensive|cold|noisy|crowded|overcooked|overdone|garbage|irrelevant|dead end|labeled|predator|sore|freeze|turned down|soured|lacks?|doubt|forced|quit|wont|cant|dont|nothing|worthless|insecure|sucks|stink\w*|annoying|losers?|failures?|lazy|useless|replaced|bloody|worst|ruins|unable|never|no one|nobody)`,
  POSV: String.raw`(?:happy|happi\w*|love|loved|loves|loving|lovely|like|liked|enjoy\w*|fun|great|good|amazing|wonderful|beautiful|proud|grateful|thankful|excited|glad|nice|kind|calm|relaxed|better|best|awesome|fantastic|brilliant|sweet|friendly|funny|smart|talented|laugh|smil\w*|delight\w*|perfect|success\w*|helpful|supportive|cheerful|peaceful|fine|okay|ok|cool|clever|gifted|special|brave|strong|capable)`,
  FUT: String.raw`(?:will|'ll|wo?n't|is going to|are going to|am going to|'m going to|'re going to|going to|gonna|is gonna|are gonna|would|'d)`,
};

function rx(source: string): RegExp {
  const expanded = source.replace(/\{([A-Z]+)\}/g, (_, name: string) => {
    const block = blocks[name];
    if (block === undefined) throw new Error(`unknown lexicon block ${name}`);
    return block;
  });
  return new RegExp(expanded, 'gi');
}

function cue(
  id: string,
  trap: TrapId,
  weight: number,
  source: string,
  options: Partial<
    Pick<Cue, 'person' | 'negatable' | 'otherSubject' | 'context' | 'contextBefore' | 'needsNegative' | 'notPositive' | 'personFromSubject'>
  > = {},
): Cue {
  return { id, trap, weight, pattern: rx(source), person: options.person ?? 'self', ...options };
}

const oneEvent = rx(
  String.raw`\b(?:one|once|a single|first time|one time|this time|today|yesterday|last (?:night|week|time|game|year|month)|this morning|tonight|just (?:now|got|had|failed|missed|lost))\b`,
);

// A prediction, possibility or fear: "he died" is a fact, "he will die" or "I'm afraid he dies" is a catastrophe.
const foreseen = rx(
  String.raw`\b(?:will|'ll|won't|going to|gonna|might|may|could|would|'d|probably|what if|afraid|scared|worried|fear|terrified|sure|certain|bound to|eventually|one day|someday|soon|if|likely|maybe|about to|must|bet|imagine|never|forever|wonder|chances are)\b`,
);

/** The rules, grouped by trap. Weights come from the train split; edit them only with the tuning bench. */
export const cues: readonly Cue[] = [
  // ---- all-or-nothing
  cue('aon_total', 'all_or_nothing', 0.5, String.raw`\b(?:complete(?:ly)?|total(?:ly)?|entire(?:ly)?|utter(?:ly)?|absolute(?:ly)?|100 ?%|perfect(?:ly|ion)?|flawless(?:ly)?)\b(?!\s+(?:{NEGNOUN}|{NEGADJ})\b)`, { negatable: true, needsNegative: true }),
  cue('aon_ruined', 'all_or_nothing', 0.4, String.raw`\b(?:is|was|are|were|be|been|got|get|completely|totally|now|all)\s+(?:\w+\s+)?(?:ruined|wasted|pointless|meaningless|worthless|useless|spoiled|destroyed|a waste|a failure|a bust|a disaster|a total loss|for nothing|over(?=\s*(?:[.!?,;]|$|now\b|for me\b)))\b`, { negatable: true }),
  cue('aon_no_point', 'all_or_nothing', 0.8, String.raw`\b(?:no point|pointless|not worth (?:it|doing|trying)|why (?:even )?bother|might as well|may as well|(?:should|may|might) just (?:quit|give up|stop|sell|drop)|give up (?:on|entirely|completely)|nothing (?:at all|is (?:good|right|working))|all for nothing)\b`),
  cue('aon_never_again', 'all_or_nothing', 0.6, String.raw`\b(?:never|can't|cannot|can not|won't|wont|will not)\b(?:\s+\w+){0,5}?\s+(?:again|anymore|any more)\b`),
  cue('aon_only', 'all_or_nothing', 0.5, String.raw`\b(?:the only (?:friends?|thing|one|person|way|option|chance|reason|people)|only (?:friends?|people) i|either\b[^.!?]{1,40}\bor\b|all or nothing|black and white|nothing but|either way)`, { needsNegative: true }),
  cue('aon_whole_ruined', 'all_or_nothing', 0.3, String.raw`\b(?:whole|entire|all|the)\s+(?:day|night|week|weekend|trip|vacation|holiday|evening|party|game|thing|show|concert|meal|life|year|season|date|experience|performance|project|career|time|event|wedding|relationship)\s+(?:is|was|has been|will be|are|were)\s+(?:ruined|wasted|a waste|terrible|awful|bad|horrible|over|a disaster|a failure|pointless|meaningless|destroyed|spoiled)\b`),
  cue('aon_failure_thing', 'all_or_nothing', 0.35, String.raw`\b(?:it|this|that|the \w+|my \w+|business|day|year|project|party|event)\s+(?:is|was|will be)\s+(?:a\s+)?(?:complete\s+|total\s+|huge\s+)?(?:failure|flop|bust|disaster)\b`),
  cue('aon_perfect_or', 'all_or_nothing', 0.45, String.raw`\b(?:if (?:it's|it is|i'm|i am|i can't|i cannot|i don't|i'm not|it isn't|it's not)\b[^.!?]{0,40}\b(?:perfect|the best|best|first|win)|anything less than)\b`),
  cue('aon_flip', 'all_or_nothing', 0.5, String.raw`\b(?:no longer (?:going to|gonna|will|want)|(?:going to|gonna|will|should|have to|need to) (?:just )?(?:give (?:it|them|up)|get rid of|quit|stop (?:\w+ing )?(?:entirely|completely|altogether|for good)|throw (?:it|them) (?:away|out))|threw (?:it|them) (?:away|out|in the (?:garbage|trash|bin))|now i (?:hate|can't stand)|from start to finish|(?:the|my) (?:day|night|week|weekend|trip|evening|season|year) is (?:lost|over|ruined|wasted|done)|(?:entire|whole) \w+ (?:was|is|got) (?:cancel+ed|lost|ruined|wasted|pointless)|(?:is|was) (?:a )?(?:total|complete) (?:loss|waste)|either\b[^.!?]{1,60}\bor\b)`),
  cue('aon_at_all', 'all_or_nothing', 0.4, String.raw`\b(?:at all|nothing right|anything right|every single|never ever|no one ever|nothing ever)\b`, { needsNegative: true }),
  cue('aon_never_be_able', 'all_or_nothing', 0.35, String.raw`\b(?:never be able to|will never|'ll never|never going to|never gonna|can never)\b`),

  // ---- overgeneralization
  cue('og_always', 'overgeneralization', 0.3, String.raw`\b(?:always|every ?time|all the time|constantly|every single time|each time|whenever)\b`, { negatable: true, needsNegative: true }),
  cue('og_never', 'overgeneralization', 0.5, String.raw`\b(?:(?:will|'ll|going to|gonna|can|could|'d|would|am|'m|is|are)\s+(?:probably\s+|just\s+|ever\s+)?never|never\s+(?:ever\s+)?(?:be able|going to|gonna|get|gets|find|be|have|has|make|win|learn|succeed|do anything|works?|goes|go right|change|improve|stop|understand|listen|listens|help|helps|care|cares|happen|happens|seem|seems|come|amount|again|once))\b`),
  cue('og_everyone', 'overgeneralization', 0.35, String.raw`\b(?:everyone|everybody|nobody|no one|noone|no-one|all (?:of )?(?:the |my )?(?:people|men|women|guys|girls|kids|teachers|bosses|doctors|friends|of them|others))\b`, { negatable: true, needsNegative: true }),
  cue('og_single_event', 'overgeneralization', 0.6, String.raw`\b(?:never|always|every ?time|again|ever|anymore|any more|nothing|nobody|no one|everyone|everybody)\b`, { context: oneEvent, contextBefore: true, needsNegative: true }),
  cue('og_nobody', 'overgeneralization', 0.5, String.raw`\b(?:nobody|no one|noone|no-one|nothing)\s+(?:(?:on|in|at|of|from) (?:the |my |this )?\w+\s+|\w+\s+)?(?:ever|really|even|actually)?\s*(?:listens|cares|understands|likes|loves|wants|helps|calls|texts|invites|asks|notices|remembers|gets me|works|goes right|changes|goes my way|turns out)\b`),
  cue('og_stereotype', 'overgeneralization', 0.3, String.raw`\b(?:all|most|every) (?:\w+ )?(?:people|men|women|guys|girls|kids|children|teens|teenagers|bosses|teachers|doctors|lawyers|drivers|cops|politicians|americans|dogs|cats|\w+ers|\w+ists)\s+(?:are|is|hate|think|do|will|can't|don't|never|always)\b|\b(?:people|men|women|guys|girls|kids) (?:are all|always|never|all)\b`, { needsNegative: true }),
  cue('og_repeat', 'overgeneralization', 0.6, String.raw`\b(?:keep|keeps|kept) (?:on )?(?:failing|messing|getting|losing|screwing|happening|making|doing|breaking)\b|\bagain and again\b|\bover and over\b|\bthis always happens\b|\bstory of my life\b|\bas usual\b|\b(?:for|in) the rest of (?:my|his|her|their|our) (?:life|lives|days)\b|\bmy (?:whole|entire) life\b|\bfor ever\b|\bforever\b`, { needsNegative: true }),
  // Hand-set (PatternReframe rarely words it so): one's own doing stretched over everything.
  cue('og_ruin_all', 'overgeneralization', 0.6, String.raw`\b(?:i|i'll|i will|i just|i always|i keep)\s+(?:always\s+|just\s+|keep\s+)?(?:ruin(?:ing)?|mess(?:ing)? up|screw(?:ing)? up|wreck(?:ing)?|spoil(?:ing)?|break(?:ing)?|destroy(?:ing)?)\s+(?:everything|it all|every \w+|all of it)\b`),
  cue('og_any', 'overgeneralization', 0.4, String.raw`\b(?:anyone|anybody|anything|everyone|everybody|everything)\s+(?:\w+\s+){0,2}(?:would|will|ever)\b`, { needsNegative: true }),

  // ---- mental filter
  cue('mf_pos_but_neg', 'mental_filter', 0.5, String.raw`\b(?:love|loves|loved|like|likes|liked|enjoy|enjoys|enjoyed|great|nice|good|fun|amazing|wonderful|beautiful|awesome|proud|happy|cute|lovely|supportive|best|favou?rite|excellent|fantastic|won|success\w*|well|rich|healthy|gorgeous|delicious|successful)\b[^.!?]{0,100}?\b(?:but|though|although|however|except|yet|only)\b[^.!?]{0,100}?\b(?:hate|hated|ruin\w*|awful|terrible|horrible|bad|worst|sucks?|sucked|annoy\w*|boring|ugly|wrong|mistake|problem|disappoint\w*|miserable|nightmare|meaningless|waste|hurt|destroy\w*|pain|rain\w*|spoil\w*|stuck|tired|exhaust\w*|stress\w*|never|can't|cannot|too (?:much|many|far|expensive|hot|cold|long|loud|big|small)|so (?:much|many|far|expensive)|doesn't|don't|didn't|isn't|wasn't|no)\b`),
  cue('mf_turn', 'mental_filter', 0.45, String.raw`\b(?:{POSV}|well|paid well|good money|profit\w*|compliment\w*|gorgeous|record)\b[^.!?]{0,120}?\b(?:but|though|however|although|even though|yet)\b[^.!?]{0,120}?\b{NEGV}\b`),
  cue('mf_concession', 'mental_filter', 0.8, String.raw`(?:^|[.!?]\s*|,\s*)(?:sure|yes|yeah|granted|of course|admittedly|ok|okay|true|yea),?\s[^.!?]{0,160}?\b(?:but|though|however|yet)\b`),
  cue('mf_until', 'mental_filter', 0.3, String.raw`\b(?:was|is|were) (?:so |really |very )?(?:fun|great|nice|good|amazing|perfect|wonderful|enjoyable|lovely) until\b|\b(?:all|the only thing) (?:they|he|she|it|i) (?:ever )?(?:do|does|did)\b|\bbut (?:now|then) (?:i'm|i am|it's|it is|they're|he's|she's)\b`),
  cue('mf_all_i_think', 'mental_filter', 0.3, String.raw`\b(?:all i (?:can )?(?:think|remember|see|notice|focus|hear)|the only thing i (?:can )?(?:think|remember|see|notice|hear)|can't stop thinking about|keep thinking about|keep replaying|can't get (?:it|that|over)|dwell\w*|can't let (?:it|go)|(?:one|a single|that one|just one|one little)\b[^.!?]{0,40}\b(?:ruined|spoiled|wrecked|destroyed|tainted))\b`),
  cue('mf_hate_how', 'mental_filter', 0.45, String.raw`\bi (?:hate|can't stand|dislike) (?:how|that|the way|when|it when)\b`),
  cue('mf_ruins_it', 'mental_filter', 0.6, String.raw`\b(?:ruins?|ruined|spoils?|spoiled|takes? away from|overshadow\w*)\s+(?:it|the whole|everything|the (?:day|trip|experience|fun|mood|moment|night|party)|my (?:day|trip|experience|fun|mood|night))\b`, { otherSubject: true }),

  // ---- discounting the positive
  cue('dp_anyone_can', 'disqualifying_positive', 0.6, String.raw`\b(?:any(?:one|body)(?: else)?|every(?:one|body)(?: else)?|any (?:idiot|fool|monkey|kid|child|person|moron)|a (?:monkey|child|kid|toddler|trained monkey|five year old)|most people|lots of people|plenty of people|millions of people|thousands of people|other people|a lot of people|any average \w+|others|anyone who \w+|anybody who \w+)\s+(?:\w+\s+){0,5}?(?:can|could|would|will|does|do|has|have|is able|gets?|did|knows how)\s+(?:do|make|get|have|be|win|learn|pass|manage|handle|achieve|cook|bake|plan|it|this|that|so|the same|better)\b`, { negatable: true }),
  cue('dp_luck', 'disqualifying_positive', 0.55, String.raw`\b(?:just|only|pure|dumb|sheer|beginner's|got|was|by|a|it's|it was|been|just been|^luck) (?:luck|lucky|chance|a fluke|accident|coincidence)\b|(?:^|[.!?]\s*)luck\b|\bflukes?\b|\bluckily\b|\bgot lucky\b`),
  cue('dp_doesnt_count', 'disqualifying_positive', 0.65, String.raw`\b(?:doesn't|does not|doesnt|didn't|did not|don't|dont|won't|wouldn't) (?:really |even |actually )?(?:count|matter|mean (?:anything|much|a thing|that|i'm)|make (?:a|any) difference|prove anything)\b|\b(?:no|not a|not that big of a|not a big) big deal\b|\bnothing special\b|\bwho cares\b|\bso what\b|\bnot (?:that|very|really|even) (?:special|impressive|hard|difficult|big|great|good|important)\b|\bwasn't (?:that |very |even |really )?(?:hard|difficult|special|impressive|a big deal)\b|\bit's nothing\b|\bdoesn't mean (?:anything|much)\b`),
  cue('dp_being_nice', 'disqualifying_positive', 0.55, String.raw`\b(?:just|only) (?:being|trying to be) (?:nice|polite|kind|friendly)\b|\b(?:just|only) saying (?:that|it)\b|\bto make me feel better\b|\bout of pity\b|\b(?:feel|felt|feels) sorry for me\b|\bhad to say (?:that|it)\b|\bsays? that to everyone\b|\b(?:they|he|she) (?:didn't|don't|doesn't) (?:really )?mean it\b|\bto be nice\b`),
  cue('dp_only_because', 'disqualifying_positive', 0.7, String.raw`\bonly because\b|\bonly (?:got|won|passed|did (?:it|well)|made it)\b|\b(?:it|that) was (?:easy|nothing)\b|\bbut (?:it|that)(?:'s| is| was) (?:only|just|nothing|because|easy|not a)\b|\bbut (?:they|he|she|it) (?:only|just)\b|\bwas (?:only|just) because\b`),
  cue('dp_but_still', 'disqualifying_positive', 0.35, String.raw`\b(?:but|yet) (?:i'm |i am |i )?still (?:\w+ )?(?:a |not |can't |don't |haven't |feel |am |suck|fail|bad|terrible|useless|worthless|nothing)`),
  cue('dp_but_others_better', 'disqualifying_positive', 0.65, String.raw`\b(?:but|since|because)\b[^.!?]{0,50}\b(?:can|could|did|does|is|are|has|have)\b[^.!?]{0,30}\b(?:better|faster|more|longer|quicker|bigger|further|smarter)\b`),
  cue('dp_anyone_could_have', 'disqualifying_positive', 0.5, String.raw`\b(?:wasn't|isn't|not) (?:really )?(?:my|because of my|due to my) (?:doing|skill|talent|effort|hard work)\b|\b(?:wasn't|isn't) a big deal\b|\bthere'?s (?:a|one) (?:every|each)\b|\b(?:happens|happen) (?:to )?(?:every|all)\b`),
  cue('dp_so_did', 'disqualifying_positive', 0.6, String.raw`\bbut so (?:did|does|do|have|has|is|are|can|could|were|was)\b|\b(?:any|every) (?:other )?\w+ (?:would|could|can|will) (?:do|have done|get|make|win|be)\b|\bthere (?:weren't|wasn't|aren't|isn't) (?:many|much|a lot of|any|enough) (?:other )?\w+|\b(?:is|was|are|were|'s) (?:a|one) \w+ (?:every|each) (?:year|day|week|time|season)\b|\bdon't think i did (?:even )?(?:half |that |very )?(?:as )?(?:good|well)\b|\bnot (?:a )?(?:real|true|proper)\b`),
  cue('dp_just_a', 'disqualifying_positive', 0.65, String.raw`\b(?:i'm|i am|im) (?:just|only|merely) (?:a|an)\b|\bno (?:biggie|big thing)\b|\bbut (?:\w+ ){0,3}(?:was|is|were|it's) (?:so |really |pretty |probably |too )?(?:easy|simple|basic)\b|\b(?:was|is) probably easy\b|\bdidn't do anything (?:great|special|impressive|hard)\b|\b(?:others|anyone|people) could (?:do it )?(?:better|easily)\b|\b(?:just|only) because (?:they're|they are|he's|she's|it's|it was)\b|\bwhy do i even (?:get|deserve)\b|\bonly (?:hired|picked|chose|chosen|invited|accepted) me\b`),
  cue('dp_doesnt_matter', 'disqualifying_positive', 0.5, String.raw`\b(?:doesn't|does not|doesnt|don't|didn't) (?:really )?matter\b|\b(?:is|was|it's|that's) (?:a )?(?:waste of (?:time|money|effort)|meaningless|worthless|pointless) (?:since|because|if|when)\b`),

  // ---- mind reading
  cue('mr_think_me', 'mind_reading', 0.8, String.raw`\b(?:think|thinks|thought|believe|believes|consider|considers|assume|assumes|view|views|judge|judges|wonder|wonders|probably think|secretly think)\s+(?:that\s+)?(?:i|i'm|im|i've|i'd|me|my|i'll|i am)\b`, { otherSubject: true, person: 'other', notPositive: true }),
  cue('mr_feelings_me', 'mind_reading', 0.7, String.raw`\b(?:hates?|hated|dislikes?|(?:doesn't|does not|don't|do not|didn't|did not|doesnt|dont|never) (?:really |actually |even |truly )?(?:like|love|care about|want|respect|trust|believe|enjoy|approve of|notice|value|appreciate)|can't stand|cannot stand|resents?|judg(?:e|es|ed|ing)|laugh(?:s|ed|ing)? at|talk(?:s|ed|ing)? (?:about|behind)|look(?:s|ed|ing)? down on|avoid(?:s|ed|ing)?|ignor(?:e|es|ed|ing)|is (?:mad|angry|upset|annoyed|disappointed|bored|tired|sick|fed up|embarrassed|ashamed|disgusted|jealous|afraid|scared)(?: at| with| in| of| by)?|are (?:mad|angry|upset|annoyed|disappointed|bored|tired|sick|fed up|embarrassed|ashamed|disgusted|jealous|afraid|scared)(?: at| with| in| of| by)?|(?:is|are) (?:staring|looking|laughing|talking|gossiping) (?:at|about)|wants? (?:to )?(?:get rid of|leave|dump|break up with|fire|replace)|(?:is|are|got|get|'re|'s) (?:tired|sick|bored|disgusted|fed up) (?:of|with)|feels? sorry for|pit(?:y|ies)|mock(?:s|ed|ing)?|(?:does not|doesn't|don't|do not) want to (?:\w+ )?(?:\w+ )?with)\s+(?:me|my|myself)\b`, { otherSubject: true, person: 'other' }),
  cue('mr_dont_think_they', 'mind_reading', 0.3, String.raw`\b(?:don't|do not|dont) (?:think|believe|feel like) (?:that )?(?:he|she|they|people|anyone|anybody|my \w+|the \w+|his \w+|her \w+)\s+(?:\w+\s+)?(?:likes?|loves?|cares?|wants?|respects?|trusts?|enjoys?|appreciates?|understands?)\b|\bthink am\b|\b(?:i'm|i am) sure (?:it is|it's|that's|it was) because (?:he|she|they|people|my \w+)\b`),
  cue('mr_must_be', 'mind_reading', 0.3, String.raw`\b(?:must|probably|bet|surely|clearly|obviously|definitely)\s+(?:be\s+|are\s+|is\s+|feel\s+|feels\s+)?(?:really\s+|so\s+|very\s+)?(?:mad|angry|upset|disappointed|annoyed|bored|embarrassed|ashamed|disgusted|judging|sick of|tired of|jealous|laughing|talking|thinking|hate|hates|dislike|dislikes|regret|regrets|wish|wishes)\b`, { otherSubject: true, person: 'other', notPositive: true }),
  cue('mr_i_bet', 'mind_reading', 0.3, String.raw`\b(?:i bet|i'm sure|i am sure|i know|i can tell|i just know|i'm certain|i am certain|obviously|clearly|apparently|i guess|i assume|i suspect)\s+(?:that\s+)?(?:he|she|they|people|everyone|everybody|my \w+|the \w+|his \w+|her \w+|their \w+|others|someone|somebody)\s+(?:\w+\s+)?(?:think|thinks|thought|is|are|was|were|doesn't|don't|hate|hates|wants?|feels?|see|sees|view|judge|judges|must|probably|secretly|consider|considers|believe|believes|has|have|had|didn't|won't|will)\b`, { notPositive: true }),
  cue('mr_see_me_as', 'mind_reading', 0.3, String.raw`\b(?:see|sees|saw|look at|looks at|looking at|view|views|think of|thinks of|treat|treats|regard|regards|label|labels|call|calls)\s+me\s+(?:as|like)\b|\b(?:everyone|everybody|people|they)\s+(?:is|are)\s+(?:staring|looking|laughing|judging|whispering)\b`, { otherSubject: true, person: 'other', notPositive: true }),
  cue('mr_they_are_thinking', 'mind_reading', 0.55, String.raw`\b(?:is|are|was|were|must be|probably)\s+(?:secretly\s+)?(?:thinking|judging me|laughing at me|talking about me|mad at me|angry (?:at|with) me|upset with me|annoyed (?:by|with) me|disappointed in me)\b|\bsomething (?:is |was )?on (?:his|her|their) mind\b`, { otherSubject: true, person: 'other', notPositive: true }),
  cue('mr_reason_other', 'mind_reading', 0.45, String.raw`\b(?:because|since) (?:he|she|they|people|everyone|my \w+) (?:\w+ )?(?:thinks?|believes?|doesn't like|don't like|hates?|is mad|are mad|is upset|are upset|wants?|doesn't want|don't want|feels?)\b`, { notPositive: true }),
  cue('mr_nobody_likes', 'mind_reading', 0.3, String.raw`\b(?:nobody|no one|noone|none of (?:them|my \w+)|everyone|everybody|people)\s+(?:\w+\s+)?(?:likes?|loves?|cares? about|wants?|hates?|respects?|understands?|trusts?|notices?)\s+(?:me|my)\b`),

  // ---- fortune telling
  cue('ft_future_neg', 'fortune_telling', 0.5, String.raw`\b{FUT}\s+(?:\w+\s+){0,2}?(?:fail|lose(?! weight)|hate|reject|laugh|ruin|break|mess (?:up|it up)|screw (?:up|it up)|go (?:wrong|badly|poorly)|turn out (?:bad|badly|wrong|terrible|awful|poorly)|be (?:bad|terrible|awful|horrible|boring|a disaster|too \w+|miserable|embarrassing|embarrassed|awkward|late|wrong|rejected|disappointed|worse|ruined|over|sad|lonely|a failure|disappointing|uncomfortable|unhappy|stuck|left out|ignored|canceled|cancelled|closed|sold out|gone|empty|crowded|ugly)|embarrass|hurt|struggle|make fun|judge|resent|regret|suffer|look (?:stupid|dumb|bad|like an? \w+)|get (?:worse|rejected|dumped|caught|lost|ignored|laughed at|bored|tired|sick of)|run out|go (?:out of business|broke|under)|forget (?:our|my|me|about me)|have to (?:sell|give up|move|quit|drop|stop|get rid)|have (?:issues|problems|trouble|mental|high blood|a heart)|give me (?:a |an )?(?:\w+ )?(?:disease|cancer|problems|issues|pressure|heart)|be (?:hit|denied|turned down|laughed at|bullied|left behind|replaced|labeled|seen as)|throw up|run away|treat me|expect me|stab|get (?:in|into) (?:a|an) (?:\w+ )?(?:accident|crash|fight)|not (?:\w+ )?(?:be able|like|find|make it|pass|win|work|last|help|succeed|improve|understand|care|hire|accept|love|enjoy|sell)|never)\b`),
  cue('ft_wont', 'fortune_telling', 0.55, String.raw`\b(?:won't|wont|will not|isn't going to|aren't going to|am not going to|'m not going to|not gonna|not going to|never going to|never gonna)\s+(?:\w+\s+){0,2}?(?:be able|work|like|want|find|make it|pass|win|last|help|succeed|improve|change|ever|matter|understand|care|hire|accept|love|enjoy|sell|grow|learn|recover|heal|fit|afford|beat|reach|remember|catch|date|take (?:me|my|us)|treat|trust|respect|forgive|believe|let me|get (?:better|in|into|the|a|any|over|through|hired|picked|chosen|accepted)|be (?:good|happy|okay|ok|enough|any good|successful|able))\b`),
  cue('ft_certain', 'fortune_telling', 0.65, String.raw`\b(?:i just know|i know (?:it|i|they|he|she|that|this|we)\b[^.!?]{0,30}\b(?:will|won't|'ll|going to|gonna)|(?:i'm|i am) (?:sure|certain|positive|convinced) (?:that )?(?:it|i|they|he|she|this|we|my|the)\b[^.!?]{0,30}\b(?:will|won't|'ll|going to|gonna)|there's no way|there is no way|no way (?:i|it|they|he|she)|definitely (?:going to|gonna|will|won't)|(?:is|are|am|'m) bound to|doomed to|destined to|sure to|certain to|guaranteed to|probably (?:won't|will|going to|gonna|never|not going)|most likely (?:won't|will)|i doubt (?:i|it|they|he|she|that|we|my|the)|it's (?:only )?a matter of time|just a matter of time|sooner or later)\b`, { needsNegative: true }),
  cue('ft_future_bad', 'fortune_telling', 0.3, String.raw`\b{FUT}\s+(?:probably\s+|definitely\s+|surely\s+|just\s+|only\s+|eventually\s+|soon\s+)?(?:be|get|become|go|turn|end up|start|make)\b[^.!?,]{0,40}?\b{BAD}\b|\b(?:none|nobody|no one|nothing) (?:\w+ )?(?:of (?:the|them|my) (?:\w+ )?)?(?:will|is going to|are going to|'ll|gonna)\b|\bi (?:'ll )?bet\b[^.!?]{0,60}\b{BAD}\b`),
  cue('ft_what_if', 'fortune_telling', 0.8, String.raw`\bwhat if\b`),
  cue('ft_dont_think_will', 'fortune_telling', 0.55, String.raw`\b(?:don't|do not|dont) (?:think|believe|expect|see) (?:that )?(?:i'll|i will|i'm going to|i am going to|i can|i could|it'll|it will|they'll|they will|he'll|she'll|we'll|we will|\w+ will|\w+ can|i would|anyone will)\b`),
  cue('ft_eventually', 'fortune_telling', 0.5, String.raw`\b(?:eventually|one day|someday|some day|sooner or later|next time|in the future|at some point|soon|next (?:week|month|year|game|season))\b[^.!?]{0,60}?\b(?:will|'ll|going to|gonna|won't)\b|\b(?:will|'ll|going to|gonna|won't)\b[^.!?]{0,60}?\b(?:eventually|one day|someday|sooner or later|next time|in the future|at some point|soon|tomorrow|tonight|next (?:week|month|year|game|season))\b`, { needsNegative: true }),
  cue('ft_probably', 'fortune_telling', 0.35, String.raw`\b(?:will|'ll|going to|gonna)\s+probably\b|\bprobably\s+(?:will|going to|gonna|won't)\b|\bi (?:think|guess|assume|expect|predict|fear) (?:that )?(?:it|i|they|he|she|we|my|the|this)\b[^.!?]{0,30}\b(?:will|won't|'ll|going to|gonna)\b`, { needsNegative: true }),

  // ---- catastrophizing
  cue('cat_death', 'catastrophizing', 0.8, String.raw`\b(?:die|dies|died|dying|death|dead|deadly|kill(?:s|ed)? (?:me|him|her|them|us|myself|it)|drown(?:s|ed|ing)?|be killed|get killed|murder(?:ed)?|cancer|tumou?rs?|heart attack|stroke|fatal|eaten alive|eat (?:me|us)|end of the world|apocalypse|bleed(?:ing)? out|perish|kidnap\w*|abduct\w*|amputat\w*|brain damage\w*|(?:human |dead )?body|mauled|wheelchair|paraly[sz]\w*|crippled|murderer|covid|infection|stampede|run (?:me|him|her|us) over|extinct|killed)\b`, { context: foreseen }),
  cue('cat_disaster', 'catastrophizing', 0.35, String.raw`\b(?:disaster|disastrous|catastroph\w*|nightmare|tragedy|tragic|devastat\w*|horrif\w*|unbearable|intolerable|(?:can't|cannot|won't be able to) (?:bear|take|handle|stand|cope|survive|live with|deal with)|won't survive|never recover|never get over|ruin(?:s|ed)? (?:my|our|his|her|their|the)\s*(?:\w+\s+)?(?:life|lives|career|future|marriage|relationship|chances|reputation|family)?|life (?:is|will be) (?:over|ruined)|it's over|everything (?:is|will be|would be) (?:ruined|over|lost)|lose everything|lost everything|worst(?:-| )case|the worst thing|end up (?:alone|homeless|broke|on the street|in jail|in prison|in (?:the )?hospital|dead|sick|poor|miserable))\b`),
  cue('cat_severe', 'catastrophizing', 0.5, String.raw`\b(?:get(?:ting)? fired|be fired|fire me|fired|lose (?:my|his|her|their|our) (?:job|house|home|wife|husband|kids|children|friends|mind|license|life|business|everything)|go(?:ing)? bankrupt|bankruptcy|homeless|on the streets?|(?:die|be|grow old|end up|stay|forever) alone|alone forever|forever alone|never find (?:love|anyone|a partner|a husband|a wife|a girlfriend|a boyfriend|someone|a job)|break(?:s|ing)? up with me|break (?:off|up) the|dump(?:s|ed)? me|leave(?:s)? me|divorce|kick(?:ed)? (?:me |us )?out|arrested|jail|prison|sued|evicted|injur\w*|hurt (?:myself|me|him|her|them|themselves|himself|herself)|crash(?:es|ed|ing)?|fall (?:in|off|down|and)|break (?:my|his|her|their) (?:neck|legs?|arms?|bones?|back)|get (?:lost|stuck|attacked|mugged|robbed|sick|hurt|hit|bitten|eaten|kidnapped|shot|stabbed)|attack(?:ed)? (?:me|us)|poison(?:ed)?|explode|burn (?:down|the)|set (?:the|my) \w+ on fire|flood|earthquake|tornado|disease|infect\w*|contagious|allergic reaction|choke|starve|fall apart|collapse)\b`, { context: foreseen }),
  cue('cat_must_be', 'catastrophizing', 0.55, String.raw`\b(?:must|probably|might|may) (?:be|have been|have|got|get) (?:\w+ )?(?:ill|sick|dying|hurt|dead|in trouble|injured|kidnapped|abducted|killed|stolen|lost|cancer|arrested|in an accident|an accident|hit|run over|attacked|robbed|mugged)\b`),
  cue('cat_panic', 'catastrophizing', 0.5, String.raw`\b(?:panic\w*|freaking out|freak out|terrified|petrified|scared to death|worried sick|(?:so|really|very) (?:scared|afraid|worried) (?:that|of)|afraid (?:that )?(?:i|it|he|she|they|my)|scared (?:that )?(?:i|it|he|she|they|my)|fear (?:that|i|it))\b`),
  cue('cat_forever', 'catastrophizing', 0.4, String.raw`\b(?:the rest of my life|my whole life|forever|for the rest of|the end of|never (?:be|feel) (?:happy|okay|ok|normal|the same) again)\b`, { needsNegative: true }),

  // ---- emotional reasoning
  cue('er_feel_so', 'emotional_reasoning', 0.6, String.raw`\bi feel (?:like )?(?:a |an |so |really |very )?\w+(?: \w+)?,? (?:so|therefore|which means|that means|it means) (?:i|it|that|this|they|everyone) (?:must|am|is|'m|really|probably)\b|\b(?:because|since) i feel\b|\bi feel it\b|\bmy gut (?:says|tells)\b|\bfeels? (?:true|real)\b|\bif i feel\b`),
  cue('er_feel_like_fact', 'emotional_reasoning', 0.35, String.raw`\b(?:i feel like|it feels like|feels like|i feel as if|i feel as though)\s+(?:i'm|i am|i'll|i will|everyone|everybody|no one|nobody|nothing|everything|they|he|she|i can't|i'm going|it's|it will|i have no|i don't|i never|i should|i must|my|the world)\b`),
  cue('er_feel_stupid', 'emotional_reasoning', 0.35, String.raw`\bi (?:feel|felt) (?:so |really |very |like an? |like such an? )?(?:stupid|dumb|useless|worthless|guilty|ashamed|ugly|fat|inadequate|incompetent|unlovable|like a (?:failure|fraud|loser|burden|idiot))\b`),

  // ---- should statements
  cue('sh_should_have', 'should_statements', 0.5, String.raw`\b(?:should(?:n't|nt| not)? have|should've|shoulda|should of|could(?:n't)? have|could've)\b`, { personFromSubject: true }),
  cue('sh_should_be', 'should_statements', 0.55, String.raw`\bshould(?:n't| not|nt)?\s+(?:\w+\s+)?(?:be|know|always|never|have been|feel|look|get|win|make|do|already|love|like|want|care|respect|listen|understand|appreciate|give|pay|buy|treat|let|help|stop|keep|work|earn|own|allow|follow|accept|recognize|thank|notice|invite|call|support|ask|include|show|spend|play|go|leave|cook|clean|be able)\b`, { personFromSubject: true }),
  cue('sh_should', 'should_statements', 0.8, String.raw`\bshould(?:n't|nt)?\b`, { personFromSubject: true }),
  cue('sh_must', 'should_statements', 0.3, String.raw`\b(?:must(?:n't| not)? (?:always|never|be perfect|be better|be the best|get|do|win|have to|make|finish|keep|stop|never|not)|ought to|oughta|supposed to|(?:have|has|need|needs) to be (?:perfect|the best|better|more|good at|able to|thinner|stronger|smarter)|need to (?:be|do|get|stop|try|work) (?:better|more|harder|perfect)|have to (?:be|do|get) (?:perfect|better|more|the best|everything)|had better|by now|at my age)\b`, { personFromSubject: true }),
  cue('sh_deserve', 'should_statements', 0.45, String.raw`\b(?:deserve|deserves|entitled to|owe(?:s)? me|have the right to|it's only fair|it isn't fair|it's not fair|not fair|unfair)\b`, { personFromSubject: true }),

  // ---- labeling
  cue('lab_self_noun', 'labeling', 0.35, String.raw`\b{IAM}\s+{INT}(?:a |an |the )?{INT}{NEGNOUN}\b`),
  cue('lab_self_adj', 'labeling', 0.65, String.raw`\b(?:{IAM}|why am i|am i|why do i have to be|why must i be)\s+{INT}{NEGADJ}\b`),
  cue('lab_self_role', 'labeling', 0.75, String.raw`\b{IAM}\s+(?:a |an |the )?{INT}(?:bad|terrible|horrible|awful|lousy|poor|crappy|shitty|useless|worst|pathetic|incompetent|sorry excuse for an?|failure of an?|horrible excuse for an?|disgrace of an?|horrendous|hopeless|weak|lame|embarrassing)\s+(?:\w+\s+)?\w+`),
  cue('lab_self_not_good', 'labeling', 0.5, String.raw`\b{IAM}\s+(?:not|never|no)\s+(?:a |an )?(?:(?:very|really|that|so|even|at all|particularly|as)\s+)*(?:good|great|smart|talented|capable|pretty|attractive|likable|likeable|interesting|worthy|lovable|skilled|strong|fun|cool|competent|successful|normal)\b`),
  cue('lab_suck', 'labeling', 0.8, String.raw`\bi (?:suck|stink|am hopeless|'m hopeless|am the worst|'m the worst|am worthless|'m worthless)\b|\bi can't do anything right\b|\bi'm (?:such )?(?:trash|garbage|scum)\b|\b(?:i'm|i am) (?:a |an )?(?:\w+ )?(?:failure|loser|idiot) (?:at|as|of)\b`),
  cue('lab_have_no', 'labeling', 0.5, String.raw`\bi (?:have|got|'ve got) (?:no|zero) (?:discipline|talent|skills?|willpower|self-control|self control|business \w+|common sense|sense|brains?|personality|backbone|spine|charisma|social skills|friends|life|future|value|worth|ambition|drive|clue)\b|\bi can't (?:even )?(?:do|get|take care of) (?:anything|a single thing|the things i love)\b`),
  cue('lab_makes_me', 'labeling', 0.65, String.raw`\b(?:makes?|made|make) me (?:a |an |look like a |look like an |seem |look |such a |a total )?(?:{NEGNOUN}|{NEGADJ}|(?:boring|bad|terrible|lame|weird|stupid|lazy|awful) person)\b|\b(?:means|proves) (?:that )?i(?:'m| am)\b`),
  cue('lab_other', 'labeling', 0.3, String.raw`\b(?:he's|she's|they're|he is|she is|they are|he was|she was|they were|(?:my|the|that|this) \w+ (?:is|are|was|were))\s+{INT}(?:a |an )?{INT}(?:idiot|moron|jerk|loser|failure|fool|liar|selfish|lazy|stupid|useless|worthless|pathetic|narcissist|psycho|crazy|monster|evil|creep|hypocrite|incompetent|clueless|dumb|weirdo|freak|slob|brat|snob|karen|bum|dork|nerd|geek|ugly|annoying)\b`, { person: 'other' }),
  cue('lab_feel_like_a', 'labeling', 0.5, String.raw`\bi feel like (?:a|an|such a|the) {INT}{NEGNOUN}\b`),

  // ---- personalization
  cue('pers_my_fault', 'personalization', 0.75, String.raw`\b(?:(?:all |entirely |completely |totally |probably |partly |mostly )?my (?:own )?fault|because of me|due to me|thanks to me|(?:i'm|i am) (?:the )?(?:one )?to blame|blame myself|(?:i'm|i am) (?:totally |entirely )?responsible for|i caused|i ruined|i let (?:\w+ )?(?:\w+ )?down|i've let (?:\w+ )?down|i(?:'m| am) the reason|it's on me|my responsibility|i jinx\w*|i cursed|i'm a jinx|i am a jinx|i ruin everything|i mess everything up|i bring (?:bad luck|it on)|i'm bad luck|i am bad luck|(?:i'm|i am|i was) the (?:cause|root) of)\b`, { negatable: true }),
  cue('pers_not_enough', 'personalization', 0.3, String.raw`\b(?:i|we) (?:didn't|did not|don't|do not|never|wasn't|weren't) (?:\w+ ){0,5}?(?:enough|more often|well enough|hard enough)\b|\bif (?:only )?i (?:\w+ ){0,4}?(?:would|could) have\b|\b(?:because|since) we\b`),
  cue('pers_because_i', 'personalization', 0.6, String.raw`\b(?:it's|it is|it was|that's|that is|must be|probably|bet it's|bet it was|was|is|it's probably|this is|this was|maybe it's|maybe)\s+(?:all |just |only |probably |partly |mostly |entirely |definitely )?(?:because|due to|since) (?:of )?(?:i|me|my|i'm|im|i am|i was|i didn't|i did|i don't|i wasn't|i had)\b`),
  cue('pers_because_weak', 'personalization', 0.35, String.raw`\b(?:because|since|cause|cuz) (?:of )?(?:i|me|my|i'm|im|i am|i was|i didn't|i did|i don't|i wasn't|i had|i forgot|i wasn't)\b`),
  cue('pers_if_only', 'personalization', 0.8, String.raw`\bif (?:only )?i (?:had|hadn't|had not|was|wasn't|were|weren't|would have|could have|did|didn't|'d|would've|could've|was more|was a better|were a better|were more)\b|\bi (?:could|should|would|might)(?: have|'ve) (?:prevented|stopped|saved|helped|done something|done more|been there|been more|been a better|caught|warned)\b`),
  cue('pers_others_because_me', 'personalization', 0.4, String.raw`\b(?:left|is upset|got upset|got mad|is mad|is sad|cried|yelled|lost|failed|broke up|quit|didn't come|didn't call|didn't text|ignored me|cancelled|canceled|died|got hurt|got sick|was late|is late|is unhappy|are unhappy|was ruined|went wrong)\b[^.!?]{0,40}\b(?:because|since|cause|due to) (?:of )?(?:me|i|my|i'm|i am|i was)\b`),
  cue('pers_need_better', 'personalization', 0.45, String.raw`\bi (?:need|have|should|must|ought) to (?:take better care|be more careful|be a better|do better|try harder|pay more attention|watch (?:them|it|him|her) better)\b|\b(?:i'm|i am|i was) (?:a |an )?(?:bad|terrible|awful|horrible|lousy) (?:influence|luck|omen|example)\b|\bi (?:make|made) (?:\w+ )?(?:everyone|everything|people|them|him|her|it) (?:\w+ )?(?:worse|sad|unhappy|angry|upset|uncomfortable|miserable|fail)\b`),

  // ---- blaming
  cue('bl_their_fault', 'blaming', 0.6, String.raw`\b(?:(?:all |entirely |completely )?(?:his|her|their|your|its|the \w+'s|\w+'s) fault|blame (?:him|her|them|you|my \w+|the \w+)|because of (?:him|her|them|you)|(?:he|she|they|you|my \w+) (?:ruined|ruins|wrecked|destroyed|screwed up|messed up) (?:my|everything|it|our|the)|(?:he|she|they|you|my \w+) (?:always |never )?(?:makes?|made) me (?:feel|do|cry|angry|sad|miss|late|look|lose|quit|fail|so|this|unhappy|miserable|upset|mad))\b`, { person: 'other' }),
  cue('bl_if_they', 'blaming', 0.45, String.raw`\bif (?:only )?(?:he|she|they|you|my \w+|the \w+) (?:had|hadn't|would|wouldn't|did|didn't|were|weren't|was|wasn't|could|couldn't|cared|listened)\b`, { person: 'other' }),

  // ---- comparing
  cue('cmp_than_me', 'comparing', 0.5, String.raw`\b(?:\w+er|more \w+|better|worse|less \w+) than (?:me|i am|i'll ever be|i will ever be|i could ever|i ever|mine)\b|\bnot as (?:\w+ )?as (?:him|her|them|my \w+|everyone|others|other people|the others|\w+)\b|\b(?:everyone|everybody) else(?:'s)? (?:has|is|gets|seems|can|does)\b|\beveryone my age\b|\bpeople my age\b|\bcompar(?:ed|ing|e) (?:to|with|myself)\b|\bwhy can't i be (?:more )?like\b|\b(?:all|most) of my (?:friends|peers|classmates|siblings|coworkers|colleagues) (?:have|are|already)\b`),
];

/** Patterns that veto traps in a clause: plans and questions are not rigid rules, praise is not mind reading, "dying to go" is not a catastrophe. */
export const blockers: readonly Blocker[] = [
  { traps: ['overgeneralization', 'all_or_nothing', 'fortune_telling', 'catastrophizing'], pattern: rx(String.raw`\bnever (?:forget|forgot|thought|imagined|expected|knew|dreamed|dreamt|felt (?:so|this|more) (?:good|happy|alive|loved|calm|free|proud)|been (?:so|this|more) (?:happy|proud|grateful|excited))\b|\bcan't wait\b|\blooking forward\b`) },
  { traps: ['should_statements'], pattern: rx(String.raw`\b(?:we|you|u) should (?:go|get|try|grab|watch|have|meet|visit|check|make|order|call|see|play|eat|cook|plan|book|hang|catch up|do this|come)\b|\bmaybe (?:we|you) should\b|\bshould (?:i|we)\b|\bwhat should\b|\b(?:i|we) should (?:be able to|probably|be fine|be okay|be ok|arrive|get there|be there|be home|be back|finish|hear back)\b`) },
  { traps: ['mind_reading'], pattern: rx(String.raw`\b(?:think|thinks|thought|believe|believes|consider|considers|sees? me as|see me as)\s+(?:that\s+)?(?:i'm|i am|i was|me)\s+(?:so |really |very |a |an |pretty |quite )*(?:great|funny|smart|nice|amazing|good|kind|talented|beautiful|pretty|cool|awesome|wonderful|brilliant|sweet|lovely|helpful|hard-?working|reliable|strong|capable|fun|clever|gifted|special|brave|the best|doing (?:well|great|fine|ok|okay))\b`) },
  { traps: ['catastrophizing'], pattern: rx(String.raw`\b(?:dying to|to die for|dead tired|dead serious|deadline|killing it|killed it|crush(?:ed|ing)? it|i'd die for|die laughing|died laughing|nightmare before)\b`) },
  { traps: ['labeling'], pattern: rx(String.raw`\b(?:not that i'm|i'm not|i am not|i wasn't|i was not|not a|no longer a)\s+(?:a |an )?(?:loser|failure|idiot|stupid|useless|worthless)\b`) },
  { traps: ['labeling'], pattern: rx(String.raw`\bhopeless romantic\b|\b(?:such a|a total|a big|a huge) (?:nerd|geek|dork) (?:for|about)\b`) },
  // A label given as the cause of an outside event ("it's because I'm a bad parent") is read as personalization.
  { traps: ['labeling'], pattern: rx(String.raw`^(?:because|since|cause|cuz)\b|\b(?:it's|it is|it was|that's|must be|probably|bet it's|was|is) (?:all |just |only |probably )?(?:because|due to) (?:of )?(?:i|me|my|i'm|i am)\b`) },
  { traps: ['fortune_telling'], pattern: rx(String.raw`\b(?:will|'ll) (?:be|go) (?:fine|okay|ok|great|good|fun)\b|\bwon't (?:hurt|be a problem|be long|take long|matter much)\b|\bcan't wait\b`) },
];

/** Negative valence: what makes "always" or "everyone" part of a trap rather than a habit or a headcount. */
export const negativeValence = rx(String.raw`\b{NEGV}\b|n't\b`);

/** Positive valence, for telling "they think I'm great" from "they think I'm a joke". */
export const positiveValence = rx(String.raw`\b{POSV}\b`);

/**
 * Maps a combined cue score to a probability that the trap is the one a human annotator would name:
 * isotonic over score bins of the top fragment on the PatternReframe train split (bench/quality.ts --tune).
 * Points are [score, probability]; between them the map is linear, so a higher score always means a higher confidence.
 */
export const calibration: readonly (readonly [number, number])[] = [
  [0.43, 0.44],
  [0.6, 0.55],
  [0.7, 0.62],
  [0.78, 0.66],
  [0.82, 0.74],
  [0.86, 0.78],
];

/** Words that negate what follows them in the next few words. */
export const negator = /\b(?:not|no|never|hardly|barely|rarely|seldom|nor|without|cannot)\b|n't\b|\bnt\b/i;
