"""Wording a reviewer pushes back on: causes that blame a person, actions that ask for effort.

Why this exists: a cause written as "the operator forgot" ends the analysis where it
should start (what let the slip happen?), and an action titled "remind engineers to be
careful" changes nothing the next person will meet. Both read fine to the team that wrote
them, so the findings point them out.

How it decides, kept readable on purpose (issue 11): a word list with its inflections and
a few patterns, no model. Each cue is then checked against what the words around it say:

- a cue inside a compound ("mistake-proofing jig", "careless-handling claims") or inside
  double quotes ("the "Forgot password" page") is a name, not a judgement;
- a negation before it ("this was not operator error") takes it back;
- a system framing ("careless handling was made possible by the missing guard",
  "protection against human error", "typos are not caught before deploy") puts the cause
  in the system, which is what the finding asks for;
- verbs that a program can do as well as a person ("ignored", "forgot", "misread",
  "did not check", "skipped", "picked the wrong…") count only when their actor is not a
  system ("the parser ignored the checksum error") and no "because…" clause gives the
  condition behind them ("staff forgot the code because it changes weekly").

Weak actions are the same in reverse: wording that relies on people remembering or trying
harder (remind, tell, be careful, retrain, share lessons learned) is weak unless the title
also changes something in the system ("configure the scheduler to send reminder emails",
"retrain staff and add a hard stop") or the training is a model's ("retrain the anomaly
model"). The corpus in tests/data/wording measures both checks; its README has the
figures.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["blame_phrase", "blames_a_person", "weak_action", "weak_phrase"]

# Typographic apostrophes and quotes become ASCII, one character for one, so a match in
# the normalised text is at the same place in the text the user typed.
_ASCII = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"', "\u00a0": " "}
)

# Pattern shorthands: a space is any run of whitespace; <not> is "n't", " not" or
# " never", so "did<not> check" reads "didn't check", "did not check", "did never check";
# <w> is one word; <have> covers "should have" / "should've".
_MACROS = {
    "<not>": r"(?:n't|\s+not|\s+never)",
    "<w>": r"[\w'-]+",
    "<have>": r"(?:'ve|\s+have|\s+of)",
    "<dc>": r"double[\s-]?check",
    "<neg>": r"(?:\w+n't|not|never)",
}


# _rx and _words run once, at import, before mutmut can switch a mutant on: their mutants
# cannot be tested that way (as geometry._fast_frozen_init). The corpus tests cover them.
def _rx(*parts: str) -> re.Pattern[str]:  # pragma: no mutate block
    """One case-insensitive alternation from readable parts (see ``_MACROS``)."""
    alternatives = []
    for part in parts:
        for name, expansion in _MACROS.items():
            part = part.replace(name, expansion)
        alternatives.append(part.replace(" ", r"\s+"))
    # Not inside a word, and not joined by a hyphen to the word before or after: a cue in a
    # compound ("mistake-proofing", "careless-handling claims", "Auto-skipped") names a
    # thing.
    return re.compile(r"(?<![\w'-])(?:" + "|".join(alternatives) + r")(?![\w'-])", re.IGNORECASE)


# --- who did it -----------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:  # pragma: no mutate block
    return frozenset(text.split())


#: People an RCA text names as the actor. Plurals are found by dropping a final "s".
_PEOPLE = _words(
    """
    operator engineer technician tech nurse clerk agent analyst driver picker packer staff
    employee worker user admin administrator sysadmin developer dev dba sre pharmacist
    doctor surgeon secretary receptionist porter cook chef cashier accountant bookkeeper
    buyer planner dispatcher supervisor manager lead contractor courier storeman fitter
    mechanic welder loader inspector reviewer approver underwriter coordinator intern
    trainee starter temp team crew shift person people someone somebody he she they i we
    you customer client officer radiographer phlebotomist coder shunter handler
    cleaner owner on-call oncall colleague individual everyone everybody
    personnel member physician midwife carer caretaker receiver sender pilot
    """
)

#: Things that act in a cause text: when one of them is the actor, a verb such as
#: "ignored" or "forgot" describes a program or a machine, not a person's failing.
#: Suppliers and banks are here too: their slip is an outside cause, not a person's.
_THINGS = _words(
    """
    script job system tool parser service app application database db server scanner
    machine robot monitor monitoring pipeline code program software firmware api cron
    cache balancer check suite test sensor printer form screen page field dropdown
    template rule filter config configuration setting entry file feed queue backup client
    gateway library module function interface ui workflow erp wms mes crm pump device
    handheld terminal camera plc timer clock calendar spreadsheet macro router firewall
    proxy dns cluster node instance container kernel engine model classifier algorithm
    bot automation process sheet document label list policy procedure gitignore portal
    website site network alarm alert validation import export report query browser
    vendor supplier manufacturer carrier bank
    """
)


def _noun(word: str) -> str:
    word = word.lower().removesuffix("'s").removesuffix("'")
    if word not in _PEOPLE and word not in _THINGS and word.endswith("s"):
        return word[:-1]
    return word


def _a_person_acts(words: list[str]) -> bool | None:
    """Whether the actor the words name is a person (True), a thing (False) or unnamed.

    The first noun that names one decides, skipping possessives: in "The vendor's API
    silently ignored…" the actor is the API, in "The engineer's script…" the script; the
    object of the verb comes later and is never reached first. Of a run of nouns the last
    is the head: "the backup operator", "the site manager".
    """
    person: bool | None = None
    for word in words:
        noun = _noun(word)
        if noun not in _PEOPLE and noun not in _THINGS:
            if person is not None:
                break  # the run of nouns is over
            continue
        if not word.lower().endswith(("'s", "s'")):
            person = noun in _PEOPLE
    return person


_WORD = re.compile(r"[a-z][\w'-]*", re.IGNORECASE)
_CLAUSE_START = re.compile(
    r"[.;:!?()\u2013\u2014]|\s-\s|\b(?:but|because|so|when|while|although|though|whereas|since)\b",
    re.IGNORECASE,
)
_PHRASE_START = re.compile(_CLAUSE_START.pattern + r"|,", re.IGNORECASE)


def _clause_before(text: str, start: int, *, at_commas: bool = False) -> str:
    """The text from the start of the clause (or of the phrase, ``at_commas``) to ``start``."""
    starts = (_PHRASE_START if at_commas else _CLAUSE_START).finditer(text[:start])
    return text[max([0, *(m.end() for m in starts)]) : start]


_SENTENCE_END = re.compile(r"[.;!?]")


def _sentence_after(text: str, end: int) -> str:
    m = _SENTENCE_END.search(text, end)
    return text[end : m.start() if m else len(text)]


# --- blame ----------------------------------------------------------------------------

#: A person's failing named outright: these words blame whoever they are said of.
_FAILINGS = _rx(
    # "human error", "operator error", "the operator's mistake", "customer error"; not
    # the error code or message a customer or user sees
    r"(?:human|operator|user|staff|employee|engineer|technician|driver|clerk|agent|nurse"
    r"|customer|client|cashier|picker|packer|admin|personnel|worker|people)(?:'s|s'|s)?"
    r" (?:error|mistake|slip|failure|fault|negligence|carelessness)s?"
    r"(?! (?:code|message|log|page|rate|report|form|handling|screen|dialog|tolerance"
    r"|detection|state|condition)s?\b)",
    r"careless(?:ly|ness)?",
    r"negligen(?:t|tly|ce)",
    r"slopp(?:y|ily|iness)",
    r"laz(?:y|ily|iness)(?! ?-?load)",
    r"incompeten(?:t|tly|ce)",
    r"inattenti(?:on|ve|vely|veness)",
    r"reckless(?:ly|ness)?",
    r"complacen(?:t|cy|ce)",
    r"forgetful(?:ness)?",
    r"thoughtless(?:ly|ness)?",
    r"clums(?:y|ily|iness)",
    r"lack of (?:<w> )?(?:attention|care|concentration|focus|diligence|vigilance|ownership"
    r"|accountability|discipline|commitment|effort|thoroughness|professionalism"
    r"|judge?ment|common sense)",
    r"poor (?:attention|judge?ment|attitude|discipline|concentration|workmanship|effort"
    r"|decision-making)",
    r"(?:<neg>|failed to|failing to|failure to) (?:pay|paying|paid) (?:<w> )?attention",
    r"(?:was|were|is|are|am|been|being)<not> (?:<w> )?(?:careful|focused|focussed"
    r"|concentrating|vigilant|attentive|thorough|thinking|alert|diligent|listening)",
    r"<neg> (?:careful|thorough|vigilant|attentive) enough",
    r"(?:was|were|felt|got|is|are|been|being|became) (?:<w> )?(?:tired|exhausted"
    r"|fatigued|sleepy|drowsy|asleep|distracted|preoccupied|overconfident|daydreaming)",
    r"(?:fell|falling|dozed|dozing|nodded) (?:asleep|off)",
    r"asleep at",
    r"in (?:a|such a) (?:hurry|rush)",
    r"hast(?:y|ily)|in haste",
    r"cut(?:s|ting)? corners",
    r"(?:took|take|takes|taking) (?:a )?short-?cuts?",
    r"(?:did|do|does|could|can|ca|would|wo)(?:n't| not|not) (?:be )?bother(?:ed)?",
    r"(?:careless|silly|simple|honest|stupid|human|costly) (?:mistake|error|slip)s?",
    r"(?:mistake|error|slip|typo)s? (?:made )?(?:by|on the part of)",
    r"(?:his|her|their|my|our|your) (?:own )?(?:mistake|error|fault|slip|negligence"
    r"|carelessness|oversight|lapse)",
    r"(?:\w+)'s (?:fault|mistake|negligence|carelessness|oversight)"
    r"(?! (?:tolerance|code|light|log|finding|detection|indicator)s?\b)",
    r"fault of (?:the |a |an )?(?:<w> )?<w>",
    r"to blame",
    r"blame (?:lies|rests|falls) (?:with|on)",
    r"(?:was|were|is|are) at fault",
    r"should<have> known",
    r"typos?",
    r"fat-?finger(?:ed|ing|s)?",
    r"(?:momentary|memory|brief|mental) lapse|lapse (?:of|in) (?:concentration|attention"
    r"|judge?ment|memory|focus)",
    r"(?:an|simple|an honest|careless) oversight|oversight (?:by|on the part of|from)",
    r"had a bad day",
    r"out of (?:laziness|carelessness|frustration|habit|impatience)",
)

#: Acts a person or a program can do: blame only when the actor is not a system and no
#: "because…" clause names the condition behind them.
_SLIPS = _rx(
    r"forg[eo]t(?:s|ting)?(?! (?:password|pin|passcode|username)s?\b)",
    r"forget(?:s|ting)?(?! (?:password|pin|passcode|username)s?\b)",
    r"(?:have|has|had|was|were|is|are|been|be|being|got|get|gets)(?: <w>)? forgotten",
    r"forgotten (?:to|about)",
    r"ignor(?:e|es|ed|ing)",
    r"disregard(?:s|ed|ing)?",
    r"overlook(?:s|ed|ing)?",
    r"neglect(?:s|ed|ing)? (?:to|his|her|their|the)",
    r"skip(?:s|ped|ping)?",
    r"(?:did|does|do|had|has|have)<not> (?:bother|care|follow|read|check|<dc>|verify"
    r"|confirm|look|notice|listen|ask|escalate|test|review|reconcile|think|realise"
    r"|realize|report|inform|tell|update|log|record|lock|close|wear|wait|torque|tighten"
    r"|checked|<dc>ed|verified|confirmed|read|followed|tested|looked|noticed|asked"
    r"|escalated|reviewed|reconciled|thought|realised|realized)",
    r"not (?:reading|checking|<dc>ing|following|verifying|looking|listening|confirming)",
    r"never (?:checked|read|followed|verified|looked|confirmed|tested)",
    r"(?:failed|fails|failing|failure) to (?:<w>)",
    r"should<have> (?:checked|noticed|caught|seen|spotted|verified|asked|realised"
    r"|realized|read|followed|escalated|<dc>ed|looked|been|told|stopped|tested|reviewed"
    r"|confirmed|called|waited)",
    r"without (?:reading|checking|<dc>ing|looking|verifying|confirming|testing|asking"
    r"|thinking)",
    r"did nothing|took no action|bothered to",
    r"ma(?:de|ke|kes|king) (?:(?:a|an|the|some|several|two|another|his|her|their) )?"
    r"(?:<w> )?(?:mistake|error|slip|blunder)s?",
    r"(?:messed|screwed|mucked) up|botched|bungled|blundered|goofed",
    r"rush(?:ed|es|ing)|hurried",
    r"accidentally|inadvertently|unintentionally|by accident|by mistake|mistakenly"
    r"|in error",
    r"deliberately|intentionally|wilfully|willfully|knowingly|on purpose",
    r"(?:chose|choose|chooses|decided|decides) (?:not )?to (?:ignore|skip|bypass|override)",
    r"(?:non-?compliance with|violat(?:ed|ing|ions?|e|es)(?: of)?) (?:the |a |an |our )?"
    r"(?:<w> ){0,2}(?:procedures?|polic(?:y|ies)|sops?|rules?|protocols?|instructions?"
    r"|process(?:es)?|standards?|work instructions?)",
    r"mis-?(?:read|reads|reading|typed|types|typing|keyed|heard|judged|judges|understood"
    r"|understands|interpreted|placed|labell?ed|counted|applied|dialled|dialed|filed"
    r"|picked|routed|selected|calculated|entered|spelled|spelt)",
    r"(?:selected|select|selects|picked|pick|picks|grabbed|entered|keyed|typed|pressed"
    r"|clicked|chose|loaded|dropped|sent|booked|posted|gave|used|opened|ran|shipped"
    r"|assigned|approved|deleted|rebooted|restarted|pulled|scanned|labell?ed|ordered"
    r"|dispensed|administered|called|edited|pushed|applied|put|filed|took|fitted"
    r"|installed|connected|plugged|moved|packed|delivered|issued|charged|billed|closed"
    r"|removed|mounted|got) (?:(?:the|a|an|his|her|their|its) )?(?:<w> ){0,4}?wrong",
    r"missed",
)

# Slips that need a person named as the actor: "missed" is said of deadlines, windows
# and spikes as often as of people, and "failed to mount", "failed to post" of disks and
# payments; "failed to follow", "failed to check" are a person's duties.
_NEEDS_A_PERSON = re.compile(
    r"missed|(?:failed|fails|failing|failure)\s+to\s+(?!(?:follow|check|double[\s-]?check"
    r"|notice|verify|confirm|report|escalate|inform|tell|read|review|reconcile|record|log"
    r"|lock|close|update|communicate|ask|act|respond|wear|test|look|listen|comply"
    r"|adhere|observe|complete|sign|hand)\b)\w+",
    re.IGNORECASE,
)

_NEGATED = re.compile(
    r"(?:\bnot|n't|\bnever|\bno longer)\s+(?:(?:a|an|the|due to|caused by|because of"
    r"|simply|just|really|merely|about|down to)\s+)*$",
    re.IGNORECASE,
)
_DENIED = re.compile(
    r"\bno (?:evidence|sign|indication|suggestion)\b|\brather than\b|\binstead of\b"
    r"|\bruled out\b",
    re.IGNORECASE,
)
#: Before a cue: the system is what should catch or prevent the slip.
_GUARDED_BEFORE = re.compile(
    r"\b(?:against|prevents?|prevented|preventing|prevention of|tolerates?|tolerant of"
    r"|catch(?:es)?|detects?|reduces?|reducing|minimi[sz]es?|traps?|proof against"
    r"|risk of|chance of|likelihood of|possibility of|room for|invites?|invited"
    r"|designed out|(?:logged|recorded|classified|reported|coded|filed|written up"
    r"|dismissed|put down|blamed) as)\s+(?:[\w'-]+\s+){0,2}$",
    re.IGNORECASE,
)
#: After a cue: the sentence goes on to say the system allowed it or did not catch it.
_FRAMED_AFTER = re.compile(
    r"^\s*(?:[\w'-]+\s+){0,6}?(?:(?:was|were|is|are|been|being) (?:made (?:possible|likely"
    r"|easy)|enabled|allowed|permitted|invited|encouraged|induced|provoked) by"
    r"|(?:is|are|was|were|becomes?|became) (?:\w+ )?(?:likely|easy|easier|possible"
    r"|inevitable|predictable|expected|understandable|foreseeable)"
    r"|(?:is|are|was|were|go|goes|went|remain|remained|get|gets|got) (?:not|never)"
    r" (?:caught|detected|prevented|flagged|trapped|stopped|blocked|noticed)"
    r"|(?:go|goes|went|remain|remained|is|are|was|were) (?:undetected|unnoticed|uncaught))",
    re.IGNORECASE,
)
#: A reason clause: "because it changes weekly", "when the queue is over 50".
_REASON = re.compile(
    r"\b(?:because|since|due to|owing to|given that|as a result of|when|whenever)\b"
    r"(?!\s+(?:he|she|they|i|we|you|his|her)\b)",
    re.IGNORECASE,
)
_PASSIVE = re.compile(
    r"\b(?:was|were|is|are|been|be|being|got|gets|get)\s+(?:\w+ly\s+)?$", re.IGNORECASE
)
_MODAL_PASSIVE = re.compile(
    r"\b(?:can|could|may|might)(?:\s+not)?\s+(?:easily\s+)?(?:be|get)\s+$", re.IGNORECASE
)
_AGENT = re.compile(r"^\s+by\s+((?:[\w'-]+\s*){1,4})", re.IGNORECASE)


def _quoted(text: str, start: int) -> bool:
    """After an odd number of double quotes: a label or a name ("Human error" category)."""
    return text[:start].count('"') % 2 == 1


def _taken_back(text: str, start: int, end: int) -> bool:
    """Negated, quoted, or put in the system by the words around it."""
    before = _clause_before(text, start)
    return (
        _quoted(text, start)
        or _NEGATED.search(before) is not None
        or _DENIED.search(before) is not None
        or _GUARDED_BEFORE.search(before) is not None
        or _FRAMED_AFTER.search(_sentence_after(text, end)) is not None
    )


def _a_person_did_it(text: str, start: int, end: int, cue: str) -> bool:
    """For an act a system can do too: is its actor a person, or at least not a system?"""
    before = _clause_before(text, start)
    after = _sentence_after(text, end)
    if _REASON.search(after):
        return False
    if _PASSIVE.search(before):
        if _MODAL_PASSIVE.search(before):
            return False  # "could be skipped": the system allows it
        agent = _AGENT.match(after)
        if agent is None and cue.lower().endswith("wrong"):
            return False  # "was labelled the wrong way round": no one is named
        person = _a_person_acts(_WORD.findall(agent.group(1))) if agent else None
    else:
        person = _a_person_acts(_WORD.findall(_clause_before(text, start, at_commas=True)))
    if person is None:
        return _NEEDS_A_PERSON.fullmatch(cue) is None
    return person


def _said_of_a_thing(phrase: str) -> bool:
    """ "The system's fault", "fault of the pump": the words name a thing and no person."""
    nouns = {_noun(word) for word in _WORD.findall(phrase)}
    return bool(nouns & _THINGS) and not nouns & _PEOPLE


@lru_cache(maxsize=20_000)
def blame_phrase(text: str) -> str | None:
    """The words in ``text`` that blame a person ("didn't double-check"), or None.

    For a finding's message, so the team sees which words to rewrite. Cached: the views
    and the guidance ask about every cause after every edit.
    """
    plain = text.translate(_ASCII)
    for m in _FAILINGS.finditer(plain):
        if not _taken_back(plain, m.start(), m.end()) and not _said_of_a_thing(m.group(0)):
            return text[m.start() : m.end()]
    for m in _SLIPS.finditer(plain):
        if not _taken_back(plain, m.start(), m.end()) and _a_person_did_it(
            plain, m.start(), m.end(), m.group(0)
        ):
            return text[m.start() : m.end()]
    return None


def blames_a_person(text: str) -> bool:
    """True when ``text`` puts the cause in a person ("X forgot", "human error").

    A cause that blames stops the team asking what let the slip happen; near-misses such
    as "the forgotten cron job" or "careless handling was made possible by the missing
    guard" do not count (see the module docstring).
    """
    return blame_phrase(text) is not None


# --- weak actions ---------------------------------------------------------------------

#: Wording that asks people to remember, pay attention or try harder.
_WEAK = _rx(
    r"re-?remind(?:s|ed|ing|ers?)?|remind(?:s|ed|ing|ers?)?",
    r"re(?:-|\s)?train(?:s|ed|ing)?|train(?:s|ed|ing)?|refresher|re-?educat(?:e|ed|ing|ion)"
    r"|re-?sensiti[sz](?:e|ed|ing|ation)|re-?instruct(?:s|ed|ing)?",
    r"(?:course|e-?learning)s?",
    r"be (?:(?:more|extra|very|especially|particularly|even) )*(?:careful|vigilant"
    r"|attentive|alert|diligent|cautious|mindful|aware|thorough|focused|focussed)",
    r"(?:take|taking|takes) (?:(?:more|extra|greater|particular|special|better) )?care",
    r"(?:pay|paying) (?:(?:more|closer|greater|extra|particular|better|special) )?attention",
    r"stay (?:focused|focussed|alert|vigilant|attentive)",
    r"(?:more|extra) (?:careful|vigilant|attentive|care|diligent|cautious)",
    r"vigilan(?:ce|t)",
    r"<dc>(?:s|ed|ing)?",
    r"(?:take|taking) (?:their|your|his|her|more) time",
    r"careful(?:ly)?",
    r"re-?communicat(?:e|es|ed|ing|ion)|re-?circulat(?:e|es|ed|ing|ion)",
    r"re-?issu(?:e|es|ed|ing) (?:the )?(?:<w> )?(?:instruction|procedure|sop|policy"
    r"|guidance|memo|bulletin|rules?)",
    r"re-?brief(?:s|ed|ing)?|re-?iterat(?:e|es|ed|ing)",
    r"(?:re-?)?emphasi[sz](?:e|es|ed|ing) (?:to|the (?:importance|need|message|rules?))"
    r"|stress(?:es|ed|ing)? the (?:importance|need)|highlight(?:s|ed|ing)? the importance",
    r"reinforc(?:e|es|ed|ing) (?:the )?(?:<w> )?(?:importance|need|message|expectations?"
    r"|rules?|policy|procedure|training|awareness)",
    r"lessons? learn(?:ed|t)|(?:share|sharing|shared|cascade|cascading|cascaded"
    r"|disseminate|circulate) (?:the )?lessons?",
    r"memo(?! field)|newsletter|bulletin|huddle|stand-?up|team meeting|toolbox talk|safety talk"
    r"|briefing|(?:raise|raising|raised|increase|build|promote|create) (?:<w> )?awareness"
    r"|awareness (?:session|campaign|training|course|day|week|email)s?|posters?",
    r"re-?read(?:s|ing)?|re-sign(?:s|ed|ing)?",
    r"discuss(?:es|ed|ing)? (?:the )?(?:incident|error|event|issue|mistake)",
    r"review(?:s|ed|ing)? the (?:incident|error|event|mistake) with",
    r"counsel(?:s|led|ed|ling|ing)?|coach(?:es|ed|ing)?",
    r"circulat(?:e|es|ed|ing) (?:<w> ){0,4}again",
    r"(?:send|sends|sending|sent|email|emails|emailed|e-mail|issue|issued|post|posted"
    r"|put up|publish|published) (?:out )?(?:(?:a|an) )?(?:<w> )?(?:email|e-mail|memo"
    r"|message|note|reminder|notice|communication|sign|poster|bulletin)",
    r"communicat(?:e|es|ed|ing|ion)",
    r"(?:tell|tells|telling|told|ask|asks|asking|asked|instruct|instructs|instructed"
    r"|inform|informs|informed|advise|advises|advised|warn|warns|warned|encourage"
    r"|encourages|encouraged|urge|urged|caution|cautioned|talk to|speak to|email"
    r"|ensure|ensuring|make sure|making sure|brief|briefs|briefed|have)",
)

#: Cues that need a person as their object ("tell staff…", "ensure engineers…").
_TO_PEOPLE = re.compile(
    r"tell|tells|telling|told|ask|asks|asking|asked|instruct|instructs|instructed|inform"
    r"|informs|informed|advise|advises|advised|warn|warns|warned|encourage|encourages"
    r"|encouraged|urge|urged|caution|cautioned|talk\s+to|speak\s+to|email|ensure|ensuring"
    r"|make\s+sure|making\s+sure|brief|briefs|briefed|have|communicat\w*",
    re.IGNORECASE,
)
_OUTSIDERS = _words("customer client patient public caller visitor guest tenant")

#: Training of a model, not of people.
_MODEL = re.compile(
    r"\b(?:model|classifier|algorithm|detector|predictor|forecast\w*|recommender|ocr|ml"
    r"|neural|embeddings?)\b|\b(?:on|with) (?:(?:new|fresh|recent|more|the latest)\s+)"
    r"(?:\w+\s+)?data\b",
    re.IGNORECASE,
)

#: The title also changes the system, so it does not rest on effort alone.
_CHANGES_THE_SYSTEM = re.compile(
    r"\bautomat\w*|\bauto-|\bconfigur\w*|\bset up\b|\binstall\w*|\bfit(?:ted)?\b"
    r"|\bhard stop|\binterlock\w*|\bforcing function|\bblock\w*|\bprevent\w*"
    r"|\bcannot\b|\bcan't\b|\brefus\w*|\bvalidat\w*|\breplac\w*|\bremov\w*"
    r"|\bredesign\w*|\bre-?engineer\w*|\bbuil[dt] (?:a|an|the|it|in|into)\b"
    r"|\bimplement\w*|\bintroduc\w*"
    r"|\benforc\w*|\bdisabl\w*|\binstead of\b|\brather than\b"
    r"|\b(?:in|into|from|via|through|by|to) the (?:[\w'-]+\s+){0,3}?(?:system|tool|app"
    r"|portal|workflow|pipeline|erp|crm|wms|mes|cmms|handheld|template|software"
    r"|scheduler|screen)\b"
    r"|\bso (?:that )?(?:it|they|none|nobody|no one|no|the \w+) (?:can|cannot|can't"
    r"|will|is|are|must)\b"
    r"|\bonce (?:it|the \w+) is (?:installed|in place|live|fitted|deployed)"
    r"|\band (?:add|install|fit|build|automate|introduce|implement|change|replace"
    r"|enforce|block|configure|set up|remove|redesign)\b",
    re.IGNORECASE,
)


def _addresses_people(text: str, end: int) -> bool:
    """Whether the first five words after a "tell"/"ensure" cue name staff, not a thing.

    Telling customers is a service to them, not a plea for effort: it does not count.
    """
    for word in _WORD.findall(text, end)[:5]:
        noun = _noun(word)
        if noun in _OUTSIDERS:
            return False
        if noun in _PEOPLE:
            return True
        if noun in _THINGS:
            return False
    return False


@lru_cache(maxsize=20_000)
def weak_phrase(text: str) -> str | None:
    """The words in an action title that rest on people trying harder, or None.

    "Remind engineers to be careful" gives "Remind"; "Retrain the anomaly model" and
    "Retrain staff and add a hard stop" give None. Cached like ``blame_phrase``.
    """
    plain = text.translate(_ASCII)
    if _MODEL.search(plain) or _CHANGES_THE_SYSTEM.search(plain):
        return None
    for m in _WEAK.finditer(plain):
        if _quoted(plain, m.start()):
            continue
        if _TO_PEOPLE.fullmatch(m.group(0)) and not _addresses_people(plain, m.end()):
            continue
        return text[m.start() : m.end()]
    return None


def weak_action(text: str) -> bool:
    """True when an action title relies on people remembering or trying harder.

    Such an action ("remind", "be careful", "retrain" standing alone) is the weakest kind
    in the RCA² hierarchy: the next person meets the same system.
    """
    return weak_phrase(text) is not None
