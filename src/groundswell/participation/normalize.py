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

import re
import unicodedata

__all__ = ["cue_tokens", "normalize", "word_text"]

_SPACED = re.compile(r"([#@])\s+(?=\w)")
_PIC = re.compile(r"pic\.twitter\.com/\S*", re.I)
_TWEET = re.compile(r"https?://(?:mobile\.|www\.)?twitter\.com/\S*", re.I)
_URL = re.compile(
    r"https?://(?:www\.)?([\w.-]*)\S*|\b(?:www\.)?([\w-]+\.(?:com|ly|li|co|org|net|gl|gd|me|it|ws))/\S*", re.I
)
_MENTION = re.compile(r"@\w+")
_DATE = re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b|\b\d{1,2}:\d{2}(?::\d{2})?\b")
_LONGNUM = re.compile(r"\d{5,}")
_METOO = re.compile(r"#me_?too\b", re.I)
_SPACE = re.compile(r"\s+")
_DOMAIN_KEEP = re.compile(r"[^a-z]")


def _domain(m: re.Match[str]) -> str:
    host = (m.group(1) or m.group(2) or "").lower()
    parts = [p for p in host.split(".") if p]
    # "paper.li", "youtu.be", "nytimes.com": the registrable part says spam, video or news, not who.
    core = parts[-2] if len(parts) >= 2 else (parts[0] if parts else "")
    core = _DOMAIN_KEEP.sub("", core)[:20]
    return f" xurl xdom{core} " if core else " xurl "


def normalize(text: str | None) -> str:
    """Normalize one post: NFKC, repaired hashtags, placeholders for links/handles/dates, casefolded."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", text)
    t = _SPACED.sub(r"\1", t)
    t = _PIC.sub(" xpic ", t)
    t = _TWEET.sub(" xtweet ", t)
    t = _URL.sub(_domain, t)
    t = _MENTION.sub(" xuser ", t)
    t = _DATE.sub(" xdate ", t)
    t = _LONGNUM.sub(" xnum ", t)
    t = t.replace("…", " ")
    t = _METOO.sub(" xmetoo ", t)
    return _SPACE.sub(" ", t.casefold()).strip()


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts))


_AGE_WORDS = r"(?:years? old|yrs? old|y/?o|jahre|jaar|år|ans|años|anni|anos|lat)"
# Cue families. Patterns run on normalized (casefolded) text. Multilingual on purpose: English, Dutch,
# German, Swedish/Norwegian/Danish, French, Spanish, Italian, Portuguese cover most of the non-English posts.
CUES: dict[str, re.Pattern[str]] = {
    # an age, the single most common concrete detail of a disclosure
    "age": _rx(
        rf"\b\d{{1,2}}\s?{_AGE_WORDS}",
        r"\b(?:i was|i'm|im|when i was|at age|aged|age of|at|ich war|mit|ik was|toen ik|jag var|när jag var"
        r"|j'avais|à|tenía|cuando tenía|a los|avevo|a|eu tinha|aos)\s+(?:only |just |barely |nur |pas )?\d{1,2}\b",
        r"\b(?:\d{1,2}(?:th|st|nd|rd) grade|high school|middle school|elementary|college|kindergarten|little girl"
        r"|little boy|as a child|as a kid|as a teen|teenager|underage|minor)\b",
    ),
    # first person as the one something was done to
    "me_victim": _rx(
        r"\b(?:raped|molested|groped|assaulted|harassed|abused|touched|grabbed|kissed|followed|drugged|fondled"
        r"|flashed|catcalled|cornered|exposed himself|stalked|attacked|violated)\s+me\b",
        r"\b(?:i was|i got|i've been|i have been|been|got)\s+(?:\w+\s+)?(?:raped|molested|groped|assaulted"
        r"|harassed|abused|touched|grabbed|fondled|drugged|stalked|attacked|catcalled|flashed)\b",
        r"\b(?:hat mich|haben mich|wurde ich|bin ich|ik werd|ik ben|heeft mij|heeft me|m'a|m'ont|j'ai été"
        r"|me (?:tocó|violó|acosó|agredió)|mi ha|blev jag|jag blev|har blitt|ble jeg)\b",
        r"\bmy (?:rapist|abuser|attacker|harasser|assailant|molester)\b",
    ),
    # a perpetrator in relation to the author
    "my_person": _rx(
        r"\bmy (?:boss|manager|supervisor|uncle|father|dad|stepfather|stepdad|step-dad|brother|cousin|grandfather"
        r"|grandpa|teacher|professor|coach|ex|boyfriend|husband|date|neighbou?r|doctor|priest|pastor|babysitter"
        r"|sitter|friend's|best friend|coworker|co-worker|colleague|landlord|mentor|employer|tutor)\b",
        r"\b(?:mein|meine|mijn|min|mon|ma|mi|mio|meu)\s+(?:chef|onkel|oom|morbror|farbror|oncle|tío|zio|tio|vater"
        r"|vader|pappa|père|padre|pai|lehrer|leraar|lärare|prof|profesor|professore|baas|patron|jefe|capo"
        r"|ex|freund|vriend|copain|novio|nachbar|buurman|arzt|dokter|médecin)\b",
        r"\ba (?:man|guy|stranger|coworker|co-worker|customer|client|teacher|coach|doctor|boss|manager|priest)\b",
    ),
    "story": _rx(
        r"\b(?:when i was|i remember|the first time|the last time|years ago|one time|once,|at work|at school"
        r"|on the (?:bus|train|subway|street)|at a party|in college|in high school)\b",
        r"\b(?:als ich|toen ik|när jag|quand j'étais|cuando (?:era|tenía)|quando (?:ero|avevo|eu))\b",
    ),
    "support": _rx(
        r"\b(?:i believe you|we believe you|believe (?:women|survivors|her|them|victims)|you(?: are|'re) not alone"
        r"|not your fault|wasn't your fault|stand with|standing with|solidarity|so brave|your courage|the courage"
        r"|courageous|thank you for (?:sharing|speaking)|thanks for (?:sharing|speaking)|proud of|sending love"
        r"|hugs|support(?:ing)? (?:survivors|victims|women|you)|#ibelieve\w*|#howiwillchange|#yesallwomen"
        r"|#istandwith\w*|#youarenotalone|#notalone|#withyou|#metoomen|#mentoo)\b",
        r"\b(?:je te crois|je vous crois|ich glaube (?:dir|euch)|te creo|yo te creo|ti credo|ik geloof je"
        r"|jag tror på dig|jeg tror på deg|niet alleen|nicht allein|pas seule|no estás sola|inte ensam|ikke alene"
        r"|solidarität|solidariteit|solidarité|solidaridad|solidaritet|mod|courage|moed|mut)\b",
    ),
    "oppose": _rx(
        r"\b(?:witch ?hunts?|hexenjagd|heksenjacht|häxjakt|heksejakt|chasse aux sorcières|caza de brujas"
        r"|caccia alle streghe|hysteri\w*|hysteria|hype|false (?:accusations?|allegations?|claims?)|falsely"
        r"|liars?|lying|lies|feminazi\w*|snowflakes?|due process|innocent until|bandwagon|attention seek\w*"
        r"|for attention|get over it|ridiculous|lächerlich|belachelijk|ridicule|absurd|absurde|nonsense|onzin"
        r"|quatsch|unsinn|bullshit|crap|misandry|man-?hating|men are victims|gold ?digg\w*|publicity stunt"
        r"|#himtoo|#mgtow|#denoncetatruie|#misandrytoday|#notallmen)\b",
    ),
    "spam": _rx(
        r"\b(?:the latest|is out!?|follow ?back|follow4follow|#ifb|ifb|#followtrain|gain ?with|retweet if"
        r"|buy now|discount|free shipping|subscribe|check out my|my channel|new single|new episode|listen now)\b",
        r"\bxdom(?:paper|amzn|amazon|ebay|etsy)\b",
    ),
}

_TAG = re.compile(r"#\w+")
_WORD = re.compile(r"\w+")
_PLACEHOLDER = {"xuser", "xurl", "xtweet", "xpic", "xdate", "xnum", "xmetoo"}


def _bucket(v: int, edges: tuple[int, ...]) -> int:
    for i, e in enumerate(edges):
        if v <= e:
            return i
    return len(edges)


def cue_tokens(norm: str) -> list[str]:
    """Cue and shape tokens for one normalized post (``zz``-prefixed so they never collide with words)."""
    toks = [f"zz{name}" for name, rx in CUES.items() if rx.search(norm)]
    tags = _TAG.findall(norm)
    rest = _TAG.sub(" ", norm)
    words = [w for w in _WORD.findall(rest) if w not in _PLACEHOLDER and not w.startswith("xdom")]
    nw = len(words)
    toks.append(f"zzw{_bucket(nw, (0, 1, 2, 3, 5, 8, 12, 20, 30))}")
    toks.append(f"zzt{_bucket(len(tags), (0, 1, 2, 3, 5, 8))}")
    if nw == 0:
        toks.append("zzbare")
    if re.search(r"\b(?:i|me|my|mine|myself|ich|mich|mir|ik|mij|jag|mig|jeg|je|j'|moi|yo|me|io|eu)\b", rest):
        toks.append("zzfirst")
    if re.search(r"\b(?:you|your|you're|u|ur|du|dir|jij|je|jou|dig|tu|te|vous)\b", rest):
        toks.append("zzsecond")
    return toks


def word_text(norm: str) -> str:
    """The text the word features read: the normalized post plus its cue tokens."""
    return norm + " " + " ".join(cue_tokens(norm))
