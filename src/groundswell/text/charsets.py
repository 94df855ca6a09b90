"""Character classes shared by the entity patterns, written once so the extractors cannot drift apart.

These follow Twitter's published twitter-text rules (the conformance suite in
``shared/data/twitter-text-conformance/extract.yml`` is the arbiter). They are regex *fragments* for the
``regex`` package: it knows Unicode properties (``\\p{L}``, ``\\p{M}``, ``\\p{Nd}``) of a current Unicode
version, which is why hashtags in Sinhala, Tibetan or Miao (astral plane) come out right where ports that
hard-code 2013-era tables fail.

All offsets in this package are Python ``str`` indices, i.e. Unicode *code points*: the convention of
Twitter's API entities and of the reference (Ruby) implementation. Java and JavaScript count UTF-16 code
units instead and convert; every with-indices case of the suite is in the BMP, where the two agree.
"""

from __future__ import annotations

#: Hash signs: ASCII and full-width.
HASH_SIGNS = "#＃"
#: At signs: ASCII and full-width.
AT_SIGNS = "@＠"

#: Characters allowed inside a hashtag besides letters, marks and digits: underscore, the zero-width
#: (non-)joiners that Persian, Arabic and Sinhala need inside words, and script punctuation that is part of
#: words (Hebrew geresh/maqaf, Japanese wave dash and long vowel marks, Tibetan tsheg, Catalan middle dot).
HASHTAG_SPECIAL = (
    "_"
    "\u200c\u200d"  # ZWNJ, ZWJ
    "\ua67e"  # Cyrillic kavyka
    "\u05be\u05f3\u05f4"  # Hebrew maqaf, geresh, gershayim
    "\uff5e\u301c"  # full-width tilde, wave dash
    "\u309b\u309c\u30a0\u30fb"  # kana voiced marks, double hyphen, katakana middle dot
    "\u3003"  # ditto mark
    "\u0f0b\u0f0c"  # Tibetan tsheg, tsheg bstar
    "\u00b7"  # middle dot
)

#: Letters and marks: a hashtag must contain at least one.
HASHTAG_ALPHA = r"\p{L}\p{M}"
#: Everything a hashtag may be made of (class body, no brackets).
HASHTAG_ALNUM = r"\p{L}\p{M}\p{Nd}" + HASHTAG_SPECIAL

#: Latin letters with diacritics (Latin-1, Extended A/B, some IPA, Hawaiian okina, combining marks,
#: Latin Extended Additional). A mention followed by one of these is not a mention (``@aliceìnheiro``).
LATIN_ACCENTS = (
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f"
    "\u0253\u0254\u0256\u0257\u0259\u025b\u0263\u0268\u026f\u0272\u0289\u028b"
    "\u02bb\u0300-\u036f\u1e00-\u1eff"
)
CYRILLIC = "\u0400-\u04ff"

#: Bidirectional formatting characters: RTL tweets wrap URLs and cashtags in them.
DIRECTIONAL = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
#: Byte-order marks and non-characters: nothing valid touches them.
INVALID = "\ufffe\ufeff\uffff"
#: Twitter's notion of white space (class body).
SPACES = "\t-\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: ASCII punctuation (class body, escaped for use inside [...]).
ASCII_PUNCT = r"""!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~"""
