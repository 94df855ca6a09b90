"""Text normalization and cue words shared by training and inference.

Gold texts are raw scraper output ("# MeToo", "@ user", links glued to the word before them); texts in the
store are repaired ("#MeToo", "@user") and private handles are pseudonymized ("@u_3fk2…"). Both go through
``normalize`` so that the classifier sees the same thing at training and at inference time.

Normalization also removes everything that could let the model memorize *who* or *when* rather than *what*:
handles become ``xuser``, links become ``xurl`` plus a coarse domain token, numeric dates and times become
``xdate`` and long digit runs (ids, phone numbers) ``xnum``. Short numbers stay: "I was 12" is the
strongest disclosure signal there is.

``cue_tokens`` adds a handful of hand-written, multilingual cue families (first-person experience, ages,
solidarity, dismissal, spam). With only ~2,000 gold posts, most phrasings of "I believe you" or "witch hunt"
in Dutch or Swedish occur once or never; a cue token lets the rare phrasings share one weight.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Sequence

__all__ = ["cue_table", "normalize", "normalize_batch"]

# one literal-led pattern per sign: the engine jumps from "#" to "#", and the replacement is a plain string
_SPACED_TAG = re.compile(r"#\s+(?=\w)")
_SPACED_AT = re.compile(r"@\s+(?=\w)")
_PIC = re.compile(r"pic\.twitter\.com/[^\s\x00]*", re.I)
_TWEET = re.compile(r"https?://(?:mobile\.|www\.)?twitter\.com/[^\s\x00]*", re.I)
_URL = re.compile(r"https?://(?:www\.)?([\w.-]*)[^\s\x00]*", re.I)
_BARE_TLD = r"\.(?:com|ly|li|co|org|net|gl|gd|me|it|ws)/"
_BARE_HINT = re.compile(_BARE_TLD, re.I)
# a link without scheme ("nyti.ms/…", "paper.li/…"); tried at every word start, so it only runs on the
# few posts where _BARE_HINT (a literal-led pattern the regex engine scans for quickly) found a candidate
_BARE = re.compile(r"\b(?:www\.)?()([\w-]+" + _BARE_TLD[:-1] + r")/[^\s\x00]*", re.I)
_MENTION = re.compile(r"@\w+")
# dates (1–4 digits / 1–2 / 1–4) and times (h:mm[:ss]); "a digit not after a word character" is spelled as a
# digit plus a lookbehind so the regex engine can skip ahead to digits instead of trying every word boundary
_DATE = re.compile(r"\d(?<!\w\d)(?:\d{0,3}[/.-]\d{1,2}[/.-]\d{1,4}|\d?:\d{2}(?::\d{2})?)\b")
_LONGNUM = re.compile(r"\d{5,}")
_METOO = re.compile(r"#me_?too\b", re.I)
_DIGIT = re.compile(r"\d")
_DOMAIN_KEEP = re.compile(r"[^a-z]")


def _domain(m: re.Match[str]) -> str:
    # _URL has one group, _BARE two; an empty first group (``https://`` and nothing after) must not fall
    # through to a second group that _URL does not have
    host = next((g for g in m.groups() if g), "").lower()
    parts = [p for p in host.split(".") if p]
    # "paper.li", "youtu.be", "nytimes.com": the registrable part says spam, video or news, not who.
    core = parts[-2] if len(parts) >= 2 else (parts[0] if parts else "")
    core = _DOMAIN_KEEP.sub("", core)[:20]
    return f" xurl xdom{core} " if core else " xurl "


def _bare_links(t: str) -> str:
    """Replace scheme-less links, running the slow pattern only on the posts that may hold one."""
    posts = t.split("\x00")
    ends = list(itertools.accumulate(len(x) + 1 for x in posts))
    for i in sorted({bisect.bisect_right(ends, m.start()) for m in _BARE_HINT.finditer(t)}):
        posts[i] = _BARE.sub(_domain, posts[i])
    return "\x00".join(posts)


def normalize_batch(texts: Sequence[str | None]) -> list[str]:
    """Normalize many posts at once: NFKC, repaired hashtags, placeholders for links/handles/dates, casefolded.

    The posts are joined with NUL and every substitution runs once over the joined text: per-call overhead,
    not matching, is what costs with short posts. No pattern crosses a NUL, so posts never bleed into each
    other; ``normalize`` is this function on one post.
    """
    posts = [(x or "").replace("\x00", " ") for x in texts]
    t = "\x00".join([x if x.isascii() else unicodedata.normalize("NFKC", x) for x in posts])
    if "#" in t:
        t = _SPACED_TAG.sub("#", t)
    if "@" in t:
        t = _SPACED_AT.sub("@", t)
    if "pic.twitter" in t:
        t = _PIC.sub(" xpic ", t)
    if "twitter.com" in t:
        t = _TWEET.sub(" xtweet ", t)
    if "/" in t:
        t = _URL.sub(_domain, t)
        if _BARE_HINT.search(t):
            t = _bare_links(t)
    if "@" in t:
        t = _MENTION.sub(" xuser ", t)
    if _DIGIT.search(t):
        t = _DATE.sub(" xdate ", t)
        t = _LONGNUM.sub(" xnum ", t)
    t = t.replace("…", " ")
    if "#" in t:
        t = _METOO.sub(" xmetoo ", t)
    return [" ".join(x.split()) for x in t.casefold().split("\x00")]


def normalize(text: str | None) -> str:
    """Normalize one post (see ``normalize_batch``)."""
    return normalize_batch([text])[0]


def _words(*phrases: str) -> frozenset[str]:
    return frozenset(w for p in phrases for w in p.split())


def _phrases(*groups: str) -> frozenset[str]:
    return frozenset(p.strip() for g in groups for p in g.split("|") if p.strip())


_VICTIM_VERBS = [
    "raped",
    "molested",
    "groped",
    "assaulted",
    "harassed",
    "abused",
    "touched",
    "grabbed",
    "kissed",
    "followed",
    "drugged",
    "fondled",
    "flashed",
    "catcalled",
    "cornered",
    "stalked",
    "attacked",
    "violated",
]
_PEOPLE = [
    "boss",
    "manager",
    "supervisor",
    "uncle",
    "father",
    "dad",
    "stepfather",
    "stepdad",
    "brother",
    "cousin",
    "grandfather",
    "grandpa",
    "teacher",
    "professor",
    "coach",
    "ex",
    "boyfriend",
    "husband",
    "date",
    "neighbor",
    "neighbour",
    "doctor",
    "priest",
    "pastor",
    "babysitter",
    "sitter",
    "coworker",
    "colleague",
    "landlord",
    "mentor",
    "employer",
    "tutor",
]
_PEOPLE_OTHER = [
    "chef",
    "onkel",
    "oom",
    "morbror",
    "farbror",
    "oncle",
    "tío",
    "zio",
    "tio",
    "vater",
    "vader",
    "pappa",
    "père",
    "padre",
    "pai",
    "lehrer",
    "leraar",
    "lärare",
    "prof",
    "profesor",
    "professore",
    "baas",
    "patron",
    "jefe",
    "capo",
    "freund",
    "vriend",
    "copain",
    "novio",
    "nachbar",
    "buurman",
    "arzt",
    "dokter",
    "médecin",
]
_AGE_RX = re.compile(
    r"\b\d{1,2}\s?(?:years? old|yrs? old|y/?o|jahre|jaar|år|ans|años|anni|anos|lat)\b"
    r"|\b(?:i was|i'm|im|when i was|at age|aged|age of|at|ich war|mit|ik was|toen ik|jag var|när jag var"
    r"|j'avais|à|tenía|cuando tenía|a los|avevo|a|eu tinha|aos)\s+(?:only |just |barely |nur |pas )?\d{1,2}\b"
    r"|\b\d{1,2}(?:th|st|nd|rd) grade\b"
)

# Cue families: (single words, phrases of 2–3 words). Multilingual on purpose: English, Dutch, German,
# Swedish/Norwegian/Danish, French, Spanish, Italian and Portuguese cover most of the non-English posts.
CUES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # an age or life stage, the single most common concrete detail of a disclosure (numbers: _AGE_RX)
    "age": (
        _words("elementary college kindergarten teenager underage minor"),
        _phrases("high school|middle school|little girl|little boy|as a child|as a kid|as a teen"),
    ),
    # first person as the one something was done to
    "me_victim": (
        frozenset(),
        frozenset(
            [f"{v} me" for v in _VICTIM_VERBS]
            + [f"{a} {v}" for a in ("was", "been", "got") for v in _VICTIM_VERBS]
            + [f"my {w}" for w in ("rapist", "abuser", "attacker", "harasser", "assailant", "molester")]
        )
        | _phrases(
            "hat mich|haben mich|wurde ich|ik werd|heeft mij|heeft me|m'a|m'ont|j'ai été|me tocó|me violó"
            "|me acosó|mi ha|blev jag|jag blev|har blitt|ble jeg"
        ),
    ),
    # a perpetrator in relation to the author
    "my_person": (
        frozenset(),
        frozenset(
            [f"my {w}" for w in _PEOPLE]
            + [
                f"{d} {w}"
                for d in ("mein", "meine", "mijn", "min", "mon", "ma", "mi", "mio", "meu")
                for w in _PEOPLE_OTHER
            ]
            + [
                f"a {w}"
                for w in ("man", "guy", "stranger", "coworker", "customer", "client", "teacher", "coach", "doctor")
            ]
        ),
    ),
    "story": (
        frozenset(),
        _phrases(
            "when i was|i remember|the first time|the last time|years ago|one time|at work|at school|on the bus"
            "|on the train|on the subway|at a party|in college|in high school|als ich|toen ik|när jag"
            "|quand j'étais|cuando era|cuando tenía|quando ero|quando avevo"
        ),
    ),
    "support": (
        _words(
            "solidarity courageous hugs solidarität solidariteit solidarité solidaridad solidaritet courage moed mut "
            "#ibelieveyou #ibelievewomen #ibelieveher #ibelievesurvivors #howiwillchange #yesallwomen #youarenotalone "
            "#notalone #withyou #metoomen #mentoo"
        ),
        _phrases(
            "i believe you|we believe you|believe women|believe survivors|believe her|believe them|believe victims"
            "|not alone|not your fault|your fault|stand with|standing with|so brave|your courage|the courage"
            "|thank you for sharing|thanks for sharing|thank you for speaking|proud of|sending love"
            "|support survivors|support victims|supporting survivors|je te crois|je vous crois|ich glaube dir"
            "|te creo|ti credo|ik geloof je|jag tror på dig|jeg tror på deg|niet alleen|nicht allein|pas seule"
            "|no estás sola|inte ensam|ikke alene"
        ),
    ),
    "oppose": (
        _words(
            "witchhunt witchhunts hexenjagd heksenjacht häxjakt heksejakt hysteria hysterical hysterie hysteri hype "
            "falsely liar liars lying lies feminazi feminazis snowflake snowflakes bandwagon ridiculous lächerlich "
            "belachelijk ridicule absurd absurde nonsense onzin quatsch unsinn bullshit crap misandry manhating "
            "golddigger golddiggers #himtoo #mgtow #denoncetatruie #misandrytoday #notallmen"
        ),
        _phrases(
            "witch hunt|witch hunts|chasse aux sorcières|caza de brujas|caccia alle streghe|false accusations"
            "|false accusation|false allegations|false claims|due process|innocent until|attention seeking"
            "|for attention|get over it|men are victims|gold digger|publicity stunt|man hating"
        ),
    ),
    "spam": (
        _words(
            "followback follow4follow #ifb ifb #followtrain subscribe discount xdompaper xdomamzn xdomamazon xdomebay"
        ),
        _phrases(
            "the latest|is out|follow back|gain with|retweet if|buy now|free shipping|check out my|my channel|new single|new episode|listen now"
        ),
    ),
}

TOKEN = re.compile(r"#?[\w']+|\x00")
PLACEHOLDERS = frozenset({"xuser", "xurl", "xtweet", "xpic", "xdate", "xnum", "xmetoo"})
_FIRST = _words("i me my mine myself ich mich mir ik mij jag mig jeg je j' moi yo io eu")
_SECOND = _words("you your you're u ur du dir jij jou dig tu te vous")
AGE_RX = _AGE_RX
WORD_BUCKETS = (0, 1, 2, 3, 5, 8, 12, 20, 30)
TAG_BUCKETS = (0, 1, 2, 3, 5, 8)


def cue_table() -> tuple[list[str], dict[str, int]]:
    """(cue names, lookup from a 1–3-word string to the index of its cue family).

    Phrases longer than three words are cut to their last three ("thank you for sharing" → "you for
    sharing"); a string in two families keeps the first.
    """
    names = [*CUES, "first", "second"]
    table: dict[str, int] = {}
    fams = [(single | phrases) for single, phrases in CUES.values()] + [_FIRST, _SECOND]
    for i, strings in enumerate(fams):
        for st in sorted(strings):
            table.setdefault(" ".join(st.split()[-3:]), i)
    return names, table
