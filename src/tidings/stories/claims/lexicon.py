"""Words that introduce a statement, and what each needs around it to count as one."""

from __future__ import annotations

import re

from tidings.stories.claims import types as k

# Verb lemma -> kind. Whether a verb use is a cue is decided by its complements (rules.py).
VERB_KINDS: dict[str, str] = {
    **dict.fromkeys(
        "say tell state report announce add note explain write post tweet reveal disclose stress emphasise "
        "emphasize remark comment reply respond recall mention testify find show indicate estimate predict "
        "forecast cite point declare assure inform reiterate observe put".split(),
        k.REPORT,
    ),
    **dict.fromkeys("claim insist argue assert maintain contend suggest boast question".split(), k.CLAIM),
    **dict.fromkeys("confirm acknowledge admit concede verify".split(), k.CONFIRMATION),
    **dict.fromkeys("deny reject dispute refute dismiss contest rebut".split(), k.DENIAL),
    **dict.fromkeys("accuse blame allege complain".split(), k.ACCUSATION),
    **dict.fromkeys(
        "urge demand ask appeal order advise remind press request recommend implore".split(), k.CALL_TO_ACTION
    ),
    **dict.fromkeys("warn threaten caution".split(), k.WARNING),
    **dict.fromkeys("promise vow pledge guarantee".split(), k.PROMISE),
    **dict.fromkeys("believe think fear expect suspect doubt assume worry feel hope".split(), k.BELIEF),
    **dict.fromkeys("want plan intend aim seek".split(), k.INTENTION),
    **dict.fromkeys("describe frame label brand term dub characterise characterize".split(), k.CHARACTERIZATION),
    "call": k.CALL_TO_ACTION,
    "agree": k.AGREEMENT,
}

# Cues that are acts of saying (not of finding, thinking or wanting): a second one joined to a first speaker's
# content ("said X and urged Y") is that speaker's next statement, not part of X.
SPEECH_ACTS = frozenset(VERB_KINDS) - frozenset("find show indicate estimate point put cite agree".split())

# Verbs of thinking that report a thought only through a clause ("feel that …", not "feel hard done by").
CLAUSE_ONLY = frozenset("believe think feel fear suspect doubt assume worry find".split())

# Denial verbs and their objects. A denial denies that something is true: "denied that …", "denied the
# allegations", "rejected claims that …". "Rejected a pay offer", "dismissed the manager", "contested the seat"
# turn down or act on something that is not a statement: no cue at all (an act, as "agreed a fee").
# With a noun object, "reject", "dismiss" and "contest" deny only one of STATEMENT_OBJECTS (or a noun with a
# "that" clause: "the idea that …"); "deny", "dispute", "refute" and "rebut" deny any object but NOT_DENIED_OBJECTS.
DENIAL_VERBS = frozenset("deny reject dispute refute dismiss contest rebut".split())
DENIAL_NEEDS_STATEMENT = frozenset("reject dismiss contest".split())
STATEMENT_OBJECTS = frozenset(
    "claim allegation accusation charge suggestion assertion report account version story rumour rumor "
    "speculation criticism critique notion idea premise characterisation characterization description "
    "portrayal depiction interpretation finding conclusion figure figures statistic estimate assessment analysis "
    "comparison label narrative theory argument contention statement comment remark view suspicion concern fear "
    "link involvement responsibility wrongdoing guilt existence truth".split()
)
NOT_DENIED_OBJECTS = frozenset(
    "offer bid proposal plan bill motion deal agreement request application appeal demand call invitation "
    "entry access bail permission visa candidate nomination amendment budget settlement terms contract draft "
    "resolution treaty ultimatum compromise merger takeover package".split()
)
# Verbs that count with a noun object alone ("announced the capture", "denied all charges").
OBJECT_CUES = frozenset(
    "report announce state confirm acknowledge admit deny reject dispute refute dismiss contest rebut note reveal "
    "disclose estimate predict forecast cite claim demand urge accuse blame promise pledge vow threaten show "
    "question guarantee want describe".split()
)
# Verbs whose object needs a second complement: "described X as Y", "urged X to Y" is also fine without.
NEEDS_AS = frozenset("describe frame characterise characterize".split())
NEEDS_OBJECT_AND_CLAUSE = frozenset("order advise ask remind press request implore label brand term dub".split())
# Prepositional complements that carry the content: "called for X", "warned of X", "agreed on X".
PREP_CONTENT: dict[str, frozenset[str]] = {
    "call": frozenset({"for", "on", "upon"}),
    "appeal": frozenset({"for"}),
    "agree": frozenset({"on", "upon"}),
    "point": frozenset({"to"}),
    "warn": frozenset({"of", "about", "against"}),
    "hope": frozenset({"for"}),
    "complain": frozenset({"about", "of"}),
    "tell": frozenset({"about"}),
}
# What a speaker "threatens" when the verb is a warning ("threatened a general strike", "threatened legal action");
# with another object it means "endangers" ("Fighting threatens the prisoner exchange").
THREAT_OBJECTS = frozenset(
    "strike strikes action sanction sanctions boycott walkout resignation retaliation reprisal reprisals veto "
    "lawsuit suit measure measures penalty penalties fine fines tariff tariffs ban protest protests war attack "
    "attacks response consequence consequences closure closures cut cuts expulsion legal".split()
)
# Where a statement was made, not what it says: "called for an inquiry in a letter to the minister".
REPORTING_MEDIA = frozenset(
    "statement letter interview speech post tweet message note briefing conference hearing debate address session "
    "meeting broadcast programme program podcast column article op-ed editorial video radio television".split()
)
# Objects that make a cue verb mean something else ("the attack claimed 30 lives").
NOT_CONTENT_OBJECTS = frozenset(
    "life lives title seat spot place medal prize crown trophy record lead point points draw".split()
)
# Verbs that introduce a quotation even with no complement in the parse ("…," he said).
QUOTE_VERBS = frozenset(
    "say tell add write explain insist argue claim warn note state declare reply respond recall stress "
    "admit concede confirm continue post tweet report announce believe think estimate predict suggest fear "
    "reveal complain allege acknowledge".split()
)

# Objects a speaker "puts at" a figure ("Organisers put the number at 100,000").
FIGURE_OBJECTS = frozenset("number figure toll total cost count estimate turnout crowd".split())
# "…, underscoring Moscow's support": a participle of these after a comma is the writer's gloss, not content.
GLOSS_VERBS = frozenset(
    "underscore highlight mark signal reflect illustrate reignite deepen fuel intensify emphasise emphasize "
    "underline".split()
)
# "asked not to be named", "did not want to comment": a complement about speaking, not a statement.
NOT_STATEMENTS = frozenset("name identify quote comment speak talk elaborate discuss".split())

# Passive forms that report a statement nobody is named for: "it is alleged that", "X is said to".
PASSIVE_HEDGES = frozenset("allege say report believe fear think understand rumour rumor claim suspect".split())
HEDGE_ADVERBS = frozenset("reportedly allegedly purportedly supposedly reputedly".split())

# Nouns that carry a statement when they have content ("the claim by X that …", "accusations of …").
NOUN_KINDS: dict[str, str] = {
    **dict.fromkeys("claim assertion suggestion insistence".split(), k.CLAIM),
    **dict.fromkeys("accusation allegation charge".split(), k.ACCUSATION),
    "denial": k.DENIAL,
    "warning": k.WARNING,
    **dict.fromkeys("promise pledge vow".split(), k.PROMISE),
    **dict.fromkeys("call appeal".split(), k.CALL_TO_ACTION),  # not "demand": "demand for cars" is economics
    "belief": k.BELIEF,
    "report": k.REPORT,
    "announcement": k.REPORT,
}
NOUN_PREP_CONTENT: dict[str, frozenset[str]] = {
    "accusation": frozenset({"of"}),
    "allegation": frozenset({"of"}),
    "charge": frozenset({"of"}),
    "call": frozenset({"for"}),
    "demand": frozenset({"for"}),
    "appeal": frozenset({"for"}),
}
# Noun cues that are statements even with nobody named ("accusations of interference"); the others ("demand
# for oil", "a charge of 790m euros", "calls for") count only with a speaker ("the union's demand for …").
NOUNS_WITHOUT_SPEAKER = frozenset("claim assertion accusation allegation denial".split())

# Sources that name nobody: a statement resting on them is unattributed unless someone owns them.
ANONYMOUS_SOURCES = frozenset(
    "image video footage photo photograph picture clip post rumour rumor report reports".split()
)
# Subjects a "show"/"suggest"/"indicate" statement can have.
EVIDENCE_NOUNS = ANONYMOUS_SOURCES | frozenset(
    "data figure figures record document filing survey poll study research analysis statistic map".split()
)
EVIDENCE_VERBS = frozenset("show indicate suggest reveal".split())

PERSON_WORDS = frozenset(
    "man woman spokesman spokeswoman spokesperson minister president director official lawyer governor leader "
    "worker teacher nurse executive chairman chairwoman chair secretary mayor envoy ambassador chief founder "
    "researcher scientist expert doctor professor judge manager agent analyst economist resident witness victim "
    "mother father husband wife commander general officer negotiator spokesmen candidate senator prosecutor "
    "commuter farmer player coach source".split()
)


def _inflections(lemma: str) -> set[str]:
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    third = lemma + ("es" if lemma.endswith(("s", "sh", "ch")) else "s")
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return {lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    return {lemma, third, stem + "ed", stem + "ing"}


# Regular forms of every cue verb, for when the lemmatizer slips ("hopes" -> "hop").
_IRREGULAR = {
    "said": "say",
    "says": "say",
    "told": "tell",
    "wrote": "write",
    "written": "write",
    "thought": "think",
    "felt": "feel",
    "found": "find",
    "sought": "seek",
    "shown": "show",
    "put": "put",
    "putting": "put",
}
FORM_LEMMAS: dict[str, str] = {form: lemma for lemma in VERB_KINDS for form in _inflections(lemma)} | _IRREGULAR
# Titles and role words that tell a person's gender, for "he"/"she" ("Mrs Ash … he said" is someone else).
FEMALE_WORDS = frozenset(
    "mrs ms miss lady dame queen princess duchess baroness sister mother grandmother wife daughter actress "
    "spokeswoman chairwoman businesswoman congresswoman councilwoman policewoman sportswoman frontwoman "
    "headmistress waitress".split()
)
MALE_WORDS = frozenset(
    "mr sir lord king prince duke baron brother father grandfather husband son actor spokesman chairman "
    "businessman congressman councilman policeman sportsman frontman headmaster".split()
)
ORGANISATION_WORDS = frozenset(
    "ministry party union bank agency office council group association company authority department army force "
    "forces police court commission committee government club league federation institute university trust "
    "service services museum hospital airline rail water motors".split()
)

# A share of people is a survey finding, not a speaker: "35 per cent of people over 75 said …", "two in five
# respondents told …", "half of those surveyed said …", "more than a third of older people say …", "nearly a quarter
# said …", "only 34% said …" (whose span may keep only "only 34"). A count of people stays one ("Two witnesses said").
_NUMBER_WORD = r"(?:\d[\d.,]*|one|two|three|four|five|six|seven|eight|nine|ten)"
STATISTIC_SUBJECT = re.compile(
    r"(?:(?:about|around|some|nearly|almost|roughly|approximately|more|fewer|less|than|over|under|just|only|"
    r"exactly|at|least|most|up|to)\s+)*"
    rf"(?:\d[\d.,]*\s*(?:%|per\s*cent\b|percent\b)|{_NUMBER_WORD}\s+(?:in|out\s+of)\s+{_NUMBER_WORD}\b"
    r"|(?:(?:a|one|two|three|four|\d+)\s+)?(?:half|halves|thirds?|quarters?|fifths?|tenths?)(?:\s+of\b|\s*[-(]|\s*$)"
    r"|(?:the\s+|a\s+)?(?:majority|minority)(?:\s+of\b|\s*$)|\d[\d.,]*$)",
    re.IGNORECASE,
)
