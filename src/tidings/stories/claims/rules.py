"""Verb cues over a dependency parse: which verb uses report a statement, whose, and where its content lies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tidings.stories.claims import lexicon as lx
from tidings.stories.claims import types as k
from tidings.stories.claims.spans import noun_phrase, subtree_range, trim_tokens

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_RELATIVE = frozenset({"which", "who", "that", "whom"})
_SUBJECTS = frozenset({"nsubj", "csubj"})
# Words a parse may give as the subject that cannot be resolved to anyone ("that calls for …").
_CIRCUMSTANCE_MARKS = frozenset({"as", "while", "when", "after", "before", "since", "because", "although", "though"})
# Prepositions that continue a prepositional content when the parse hangs them on the cue verb.
_CONTENT_PREPS = frozenset({"to", "from", "in", "for", "over", "among", "of", "on", "against", "about", "with"})
_NOT_SPEAKERS = frozenset({"that", "this", "these", "those", "what", "which", "there", "who"})


@dataclass(frozen=True, slots=True)
class Found:
    """A cue found in one parsed line; token ranges are [start, end) in that line's doc."""

    cue: tuple[int, int]
    content: tuple[int, int] | None  # None: read beside the reporting clause (extract._bare_verb_content)
    speaker: Token | None  # head of the speaker's noun phrase (maybe a pronoun)
    speaker_range: tuple[int, int] | None  # an explicit range, when not the head's noun phrase
    kind: str
    attributed: bool
    cue_inside: bool = False  # the content is the whole clause, the cue within it ("X is said to …")


def verb_cue(verb: Token) -> Found | None:
    """The statement `verb` introduces, or None when this use of it is not a cue."""
    lemma = cue_lemma(verb)
    kind = lx.VERB_KINDS.get(lemma)
    if kind is None or not verb.tag_.startswith("VB") or verb.dep_ in {"xcomp", "amod", "compound"}:
        return None
    if lemma == "assume" and verb.tag_ == "VBG":
        return None  # "Assuming that Citigroup is right, …": the writer's condition
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return None  # "a note written on a napkin", "the figures reported last week": a participle, no speech act
    deps = {child.dep_ for child in verb.children}
    if verb.tag_ == "VB" and verb.dep_ in {"ccomp", "advcl"} and not deps & {"aux", "auxpass", "nsubjpass"}:
        return None  # "helped the US claim a win": a bare infinitive after help/let/make is an act, not a saying
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    if deps & {"nsubjpass", "auxpass"} and agent is None:
        return passive_hedge(verb, lemma, kind)
    content = complement_range(verb, lemma)
    if content is None and lemma not in lx.QUOTE_VERBS:
        return None
    speaker = _agent_head(agent) if agent is not None else find_speaker(verb)
    if speaker is None and lemma in lx.EVIDENCE_VERBS:  # "Footage shared online shows …" parsed without a subject
        speaker = next((t for t in verb.sent if t.i < verb.i and _lemma(t) in lx.EVIDENCE_NOUNS), None)
    if lemma == "show" and (speaker is None or _lemma(speaker) not in lx.EVIDENCE_NOUNS):
        return None
    if speaker is not None and speaker.lower_ in {"i", "we", "you"}:
        speaker = None  # the quotation's own words; the speaker may be named beside it
    speaker_range = None
    if speaker is None and lemma in lx.QUOTE_VERBS:
        speaker_range = _between_quote_and_verb(verb) or _after_verb(verb)
        if speaker_range is not None:
            words = verb.doc[speaker_range[0] : speaker_range[1]]
            speaker = next((t for t in words if t.head.i < words.start or t.head.i >= words.end), words[-1])
            if speaker.pos_ not in {"NOUN", "PROPN"}:
                speaker = next(t for t in reversed(words) if t.pos_ in {"NOUN", "PROPN"})
    if speaker is None or speaker.lower_ in _NOT_SPEAKERS:
        return None  # a cue with nobody saying it is a misparse more often than a statement
    if "prt" in deps and lemma in {"report", "add", "tell"}:
        return None  # "report back to the council", "add up", "tell apart"
    if lemma == "deny" and ("dative" in deps or sum(c.dep_ == "dobj" for c in verb.children) > 1):
        return None  # "denied Elvis a number one": withheld, not a denial
    if lemma in lx.DENIAL_VERBS and not denies_a_statement(verb, lemma):
        return None  # "rejected a pay offer": turned down, nothing said to be untrue
    kind = _adjusted_kind(verb, lemma, kind)
    if is_anonymous(speaker):
        return Found((verb.i, verb.i + 1), content, None, None, kind, False)
    return Found((verb.i, verb.i + 1), content, speaker, speaker_range, kind, True)


def denies_a_statement(verb: Token, lemma: str) -> bool:
    """Whether a denial verb denies that something is true: a clause or quotation ("denied that …"), or a noun
    object that is a statement ("the allegations", "claims that …"), not an offer, bill or plan turned down."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if not objects or any(c.dep_ == "ccomp" for c in verb.children):
        return True  # "denied that …", '"…," he denied'
    target = objects[0]
    if target.lower_ in _RELATIVE and verb.dep_ == "relcl":
        target = verb.head  # "the charges, which he denies"
    noun = _lemma(target)
    if target.tag_ == "VBG" or _states_a_clause(target):
        return True  # "denied neglecting the defences", "rejected the idea that …"
    if noun in lx.NOT_DENIED_OBJECTS or target.lower_ in lx.NOT_DENIED_OBJECTS:
        return False
    if lemma in lx.DENIAL_NEEDS_STATEMENT:
        return noun in lx.STATEMENT_OBJECTS or target.lower_ in lx.STATEMENT_OBJECTS
    return True


def _states_a_clause(noun: Token) -> bool:
    """ "claims that it had polluted the river": a noun with a "that" clause of its own (not a relative one)."""
    for child in noun.children:
        if child.dep_ in {"acl", "ccomp", "relcl"} and child.i > noun.i:
            marks = [c for c in child.children if c.dep_ == "mark" and c.lower_ == "that"]
            subject = any(c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ != "that" for c in child.children)
            if marks or (child.left_edge.lower_ == "that" and subject):
                return True
    return False


def _after_verb(verb: Token) -> tuple[int, int] | None:
    """ "…," added the two-time award winner / "Also, said Mr Flynn, …": the noun phrase after an inverted verb."""
    doc = verb.doc
    if verb.i == 0 or doc[verb.i - 1].text not in {",", '"', "\u201d", "\u2019"}:
        return None
    end = verb.i + 1
    stops = {",", ".", ";", ":", "!", "?", '"', "\u201c"}  # '…," said X, "with …': the quotation goes on
    while end < verb.sent.end and not (doc[end].is_punct and doc[end].text in stops):
        end += 1
    words = doc[verb.i + 1 : end]
    if not 0 < len(words) <= 12 or any(t.pos_ in {"VERB", "AUX"} for t in words):
        return None
    if not any(t.pos_ in {"NOUN", "PROPN"} for t in words):
        return None
    return verb.i + 1, end


def _between_quote_and_verb(verb: Token) -> tuple[int, int] | None:
    """ "…," the foreign minister of Tuvalo, Sione Leota, said: the words between the quotation and the verb."""
    doc = verb.doc
    i = verb.i - 1
    while i >= verb.sent.start and doc[i].text not in {'"', "\u201d", "\u2019"}:
        i -= 1
    if i < verb.sent.start or verb.i - i > 14:
        return None
    start, end = i + 1, verb.i
    while start < end and doc[start].is_punct:
        start += 1
    while end > start and doc[end - 1].is_punct:
        end -= 1
    words = doc[start:end]
    if not any(t.pos_ in {"NOUN", "PROPN"} for t in words) or any(t.pos_ in {"VERB", "AUX"} for t in words):
        return None
    return start, end


def passive_hedge(verb: Token, lemma: str, kind: str) -> Found | None:
    """ "It is alleged that …", "X is said to …", "Council accused of …": a statement nobody is named for."""
    if lemma not in lx.PASSIVE_HEDGES and lemma != "accuse":
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    clause = [c for c in verb.children if c.dep_ == "ccomp"]
    if subject is None or subject.lower_ == "it":
        if not clause:
            return None
        content = subtree_range(clause)
    else:
        rest = [c for c in verb.children if c.dep_ in {"xcomp", "ccomp"} or (c.dep_ == "prep" and c.lower_ == "of")]
        if not rest:
            return None
        content = (subject.left_edge.i, max(t.right_edge.i for t in rest) + 1)
        return Found((verb.i, verb.i + 1), content, None, None, kind, False, cue_inside=True)
    return Found((verb.i, verb.i + 1), content, None, None, kind, False)


def complement_range(verb: Token, lemma: str) -> tuple[int, int] | None:
    """Token range of what `verb` reports, or None when it has no complement that carries a statement."""
    children = list(verb.children)
    by_dep: dict[str, list[Token]] = {}
    for child in children:
        by_dep.setdefault(child.dep_, []).append(child)
    objects = [c for c in by_dep.get("dobj", []) if _lemma(c) not in lx.NOT_CONTENT_OBJECTS]
    clauses = by_dep.get("ccomp", []) + by_dep.get("xcomp", [])
    if lemma in lx.CLAUSE_ONLY:  # a finite clause: "found that …", not "find themselves the target"
        clauses = [c for c in by_dep.get("ccomp", []) if c.pos_ in {"VERB", "AUX"}]
    preps = {c.lower_: c for c in by_dep.get("prep", [])}
    if any(_lemma(c) in lx.NOT_STATEMENTS for c in by_dep.get("xcomp", [])):
        return None
    if lemma == "call":
        return _call_range(verb, objects, by_dep.get("oprd", []), preps, clauses)
    if lemma == "put":
        if objects and _lemma(objects[0]) in lx.FIGURE_OBJECTS and "at" in preps:
            return objects[0].left_edge.i, preps["at"].right_edge.i + 1
        return None
    told = _that_clause_misparsed(objects)
    if told is not None:
        return told
    if objects and objects[0].lower_ in _RELATIVE and verb.dep_ == "relcl" and verb.head.pos_ in {"NOUN", "PROPN"}:
        return noun_phrase(verb.head)  # "charges, which he denies": the charges
    if lemma in lx.NEEDS_AS and objects and "as" in preps:
        return objects[0].left_edge.i, preps["as"].right_edge.i + 1
    for word in lx.PREP_CONTENT.get(lemma, ()):
        if word in preps and (target := _prep_object(preps[word])) is not None and not _is_time(target):
            ends = [_attached_end(verb, target)] + [c.right_edge.i for c in clauses if c.i > target.i]
            return target.left_edge.i, max(ends) + 1
    if lemma == "point" and not any(c.dep_ == "prt" for c in children):
        return None  # "pointed to X" is read above, "pointed out that …" below; "England … points play …" is no cue
    if lemma == "agree":
        return subtree_range(clauses) if clauses else None
    if clauses:
        if lemma == "remind":
            return subtree_range(by_dep.get("ccomp", clauses))
        if lx.VERB_KINDS[lemma] == k.CALL_TO_ACTION:
            return _to_the_end(verb, objects + clauses)
        if (
            lemma in lx.NEEDS_OBJECT_AND_CLAUSE
            or _object_then_infinitive(lemma, objects, clauses)
            or _subject_parsed_as_object(verb, objects, clauses)
        ):
            return subtree_range(objects + clauses)
        return subtree_range(clauses)
    if objects and lemma in lx.OBJECT_CUES:
        if lemma == "threaten" and _lemma(objects[0]) not in lx.THREAT_OBJECTS:
            return None  # "fighting threatens the prisoner exchange": endangers, says nothing
        if lx.VERB_KINDS[lemma] == k.CALL_TO_ACTION:
            return _to_the_end(verb, objects)
        extra = [c for c in children if c.i > objects[0].i and c.dep_ in {"oprd"}]
        extra += [p for word, p in preps.items() if word in {"of", "for", "as"} and p.i > objects[0].i]
        extra += [c for c in by_dep.get("advcl", []) if c.i > objects[0].i and _condition(c)]
        return subtree_range(objects + extra)
    return None


def _object_then_infinitive(lemma: str, objects: list[Token], clauses: list[Token]) -> bool:
    """ "promises more teachers to ease the reform", "wanted the council to act": the object belongs to the
    content."""
    return (
        (lemma in lx.OBJECT_CUES or lx.VERB_KINDS[lemma] == k.WARNING)  # "warned jurors not to …"
        and bool(objects)
        and all(c.dep_ == "xcomp" and c.i > objects[0].i for c in clauses)
        and any(t.dep_ == "aux" and t.lower_ == "to" for c in clauses for t in c.children)
    )


def _subject_parsed_as_object(verb: Token, objects: list[Token], clauses: list[Token]) -> bool:
    """ "said e-mails directing people to the site started …" parsed with "e-mails" the verb's object and a clause
    with no subject: the object is the clause's subject."""
    clause = clauses[0]
    return (
        len(clauses) == 1
        and clause.dep_ == "ccomp"
        and clause.tag_.startswith("VB")
        and not any(c.dep_ in {"nsubj", "nsubjpass", "csubj", "expl"} for c in clause.children)
        and bool(objects)
        and all(verb.i < o.i < clause.i for o in objects)
        and verb.lemma_.lower() != "tell"
    )


def _to_the_end(verb: Token, first: list[Token]) -> tuple[int, int]:
    """A request runs from its addressee to the end of the verb's phrase ("urged anyone with evidence to …")."""
    start, end = subtree_range(first)
    rest = [
        c.right_edge.i + 1
        for c in verb.children
        if c.i > start and c.dep_ not in {"conj", "cc", "punct"} and c.lower_ != "according" and not _circumstance(c)
    ]
    return start, max([end, *rest])


def _circumstance(clause: Token) -> bool:
    """ "… as the shortage spreads", "… while talks continue": a clause of time or reason, the writer's, not the
    request's."""
    if clause.dep_ == "prep":
        return clause.lower_ in _CIRCUMSTANCE_MARKS | {"amid", "during", "despite"}  # "demands answers as …"
    return clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _CIRCUMSTANCE_MARKS for c in clause.children)


def _that_clause_misparsed(objects: list[Token]) -> tuple[int, int] | None:
    """ "told the paper that families deserved …" parsed as a relative clause on "paper": the clause is the content."""
    for obj in objects[:1]:
        for child in obj.children:
            first = child.left_edge
            if (
                child.dep_ == "relcl"
                and first.lower_ == "that"
                and first.dep_ != "nsubj"
                and any(c.dep_ == "nsubj" and c.lower_ != "that" for c in child.children)
            ):
                return first.i + 1, child.right_edge.i + 1
    return None


def _condition(clause: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in clause.children)


def _is_time(token: Token) -> bool:
    return token.ent_type_ in {"DATE", "TIME"}


def _call_range(
    verb: Token, objects: list[Token], oprd: list[Token], preps: dict[str, Token], clauses: list[Token]
) -> tuple[int, int] | None:
    for word in ("for", "on", "upon"):
        if word in preps and (target := _prep_object(preps[word])) is not None and not _is_time(target):
            ends = [_attached_end(verb, target)] + [c.right_edge.i for c in clauses if c.i > target.i]
            return target.left_edge.i, max(ends) + 1
    for clause in verb.children:  # "called for GPs to be able to …", parsed with "for" as the clause's mark
        mark = next((c for c in clause.children if c.dep_ == "mark" and c.lower_ == "for"), None)
        if clause.dep_ == "advcl" and mark is not None and mark.i == verb.i + 1:
            return mark.i + 1, clause.right_edge.i + 1
    if "as" in preps or any(c.dep_ == "prep" and c.lower_ == "as" for t in objects + oprd for c in t.children):
        return None  # "called a whistleblower as their first witness": summoned
    if oprd:
        if objects and objects[0].lower_ not in _RELATIVE:
            return objects[0].left_edge.i, oprd[-1].right_edge.i + 1
        # "which he called a disaster"; with no object at all, "called the motion" was parsed so: convened
        return subtree_range(oprd) if objects else None
    if objects and clauses:  # "called the cuts a hard blow", parsed with a clause for the predicate
        return subtree_range(objects + clauses)
    if objects and any(c.dep_ == "appos" for c in objects[0].children):  # "called the plan "a disaster""
        return subtree_range(objects[:1])
    return None


def _attached_end(verb: Token, target: Token) -> int:
    """Last token of a prepositional content ("warned of X"), taking in the phrases the parse hung on the verb right
    after it ("warned of a threat | to wildlife | from the delays"), but not a date ("called for calm on Monday")
    nor anything after a comma."""
    end = target.right_edge.i
    for child in verb.children:
        if child.i != end + 1 or child.dep_ != "prep" or child.lower_ not in _CONTENT_PREPS:
            continue
        target_of = _prep_object(child)
        if target_of is None or _is_time(target_of) or _lemma(target_of) in lx.REPORTING_MEDIA:
            break  # "called for calm on Monday", "called for an inquiry in a letter to the minister"
        end = child.right_edge.i
    return end


def _prep_object(prep: Token) -> Token | None:
    return next((c for c in prep.children if c.dep_ in {"pobj", "pcomp"}), None)


def _adjusted_kind(verb: Token, lemma: str, kind: str) -> str:
    if lemma == "call" and not any(
        (c.dep_ == "prep" and c.lower_ in {"for", "on", "upon"} and not _is_time(_prep_object(c) or c))
        or (c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children))
        for c in verb.children
    ):
        return k.CHARACTERIZATION
    if lemma == "hope" and any(c.dep_ == "xcomp" for c in verb.children):
        return k.INTENTION
    if any(c.dep_ == "neg" for c in verb.children) and kind in {k.REPORT, k.CONFIRMATION, k.CLAIM}:
        return k.DENIAL
    return kind


def find_speaker(verb: Token) -> Token | None:
    """Head of the noun phrase that says it: the subject, a relative clause's noun, or a governing verb's subject."""
    seen = 0
    while seen < 8:
        seen += 1
        subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
        # two subjects is a misparse ("…Dawson" said Guscott): the one nearer the verb says it
        subject = min(subjects, key=lambda c: abs(c.i - verb.i)) if subjects else None
        if subject is not None:
            if subject.lower_ in _RELATIVE and verb.dep_ == "relcl":
                return verb.head
            return subject
        if verb.dep_ == "conj" or (verb.dep_ in {"advcl", "acl", "xcomp"} and verb.tag_ == "VBG"):
            verb = verb.head
            if (
                verb.dep_ in {"ccomp", "xcomp"}
                and _lemma(verb.head) in lx.VERB_KINDS
                and _lemma(verb) not in lx.VERB_KINDS
            ):
                verb = verb.head  # "said prices rose and warned …": the second cue is the speaker's too
            continue
        if verb.dep_ == "relcl":
            return verb.head
        return None
    return None


def _agent_head(agent: Token) -> Token | None:
    return next((c for c in agent.children if c.dep_ == "pobj"), None)


def is_anonymous(head: Token) -> bool:
    """Images, footage, unnamed reports: a source that names nobody, unless someone owns it."""
    if _lemma(head) not in lx.ANONYMOUS_SOURCES:
        return False
    for child in head.children:
        if child.dep_ == "poss" or (child.dep_ == "prep" and child.lower_ in {"by", "from"}):
            return False
        if child.dep_ == "compound" and child.pos_ == "PROPN":  # "the Gartner report" names its owner
            return False
        if child.dep_ == "acl" and any(t.dep_ == "agent" for t in child.subtree):
            return False
    return True


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def cue_lemma(token: Token) -> str:
    """The cue verb `token` is a form of, trusting the surface form when the lemmatizer gives a non-cue."""
    lemma = token.lemma_.lower()
    return lemma if lemma in lx.VERB_KINDS else lx.FORM_LEMMAS.get(token.lower_, lemma)


def unparsed_cue(token: Token) -> Found | None:
    """ "Rebels led by HTS claim to …" when the parser made the sentence one noun phrase (its root is a noun):
    the words before a cue word are the speaker and the words after it the content."""
    sentence = token.sent
    root = sentence.root
    if root.pos_ not in {"NOUN", "PROPN"} or token.i <= sentence.start or token.i >= sentence.end - 2:
        return None
    word = token.lower_
    lemma = lx.FORM_LEMMAS.get(word)
    if token.ent_type_ or (token.text[:1].isupper() and not _title_case(sentence)):
        return None  # "Thousands of trees planted in Wexley Point": part of a name, not a verb
    if (
        lemma is None
        or word.endswith("ing")
        or token.dep_ in {"ROOT", "ccomp", "conj", "advcl", "relcl", "parataxis", "xcomp"}
    ):
        return None
    if lemma in lx.EVIDENCE_VERBS and root.lemma_.lower() not in lx.EVIDENCE_NOUNS:
        return None
    if any(t.tag_ in {"VBZ", "VBP", "VBD"} and t.dep_ in {"ROOT", "ccomp"} for t in sentence if t.i < token.i):
        return None
    speaker = None if is_anonymous(root) else root
    span = trim_tokens(token.doc, sentence.start, token.i)  # "But Labour's spokesman, Ruth Pellow, accused …"
    return Found(
        (token.i, token.i + 1), (token.i + 1, sentence.end), speaker, span, lx.VERB_KINDS[lemma], speaker is not None
    )


def _title_case(sentence: Span) -> bool:
    """ "Rebels Led By HTS Claim To Have Entered …": most words capitalised, as some outlets write headlines."""
    words = [t for t in sentence if t.is_alpha and len(t.text) > 3]
    return len(words) >= 3 and sum(t.text[0].isupper() for t in words) > 0.7 * len(words)
