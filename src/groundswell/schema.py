"""The one normalized post schema every reader produces and every query reads.

A post from any platform (a tweet, a Facebook post or comment, a Reddit submission or comment, a Mastodon
status, a Bluesky post) becomes one row of ``POST_SCHEMA``. Readers fill the *source* fields; the enrich
stages fill the *derived* fields (``hashtags_norm``, ``movements``, ``participation`` …). Keeping both in one
schema from the start means the store never needs a migration when an enrich stage lands: the column is
already there, null until something fills it.

Field documentation lives in ``FIELDS`` (name → why it exists / how it is filled) so the schema, the docs
page and the tests read one source.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

PLATFORMS = ("twitter", "facebook", "reddit", "mastodon", "bluesky", "instagram", "other")
KINDS = ("original", "reply", "repost", "quote", "comment")

_str = pa.string()
_int = pa.int64()
_strs = pa.list_(pa.string())

# name, type, doc
_FIELDS: list[tuple[str, pa.DataType, str]] = [
    ("platform", _str, "Platform the post lives on: one of PLATFORMS. Part of the key."),
    ("post_id", _str, "The platform's own id, as text (19-digit snowflakes overflow doubles and Excel)."),
    ("created_at", pa.timestamp("us", tz="UTC"), "Creation time in UTC. Readers convert every source clock."),
    ("author_id", _str, "Stable pseudonym of the author (keyed hash of platform + account id); never a raw id."),
    (
        "author_alias",
        _str,
        "Keyed pseudonym of the author's handle when author_id is keyed on an account id, so that forgetting by handle finds them.",
    ),
    ("author_handle", _str, "Raw handle, only when the store allows it (public figures, explicit opt-in); else null."),
    (
        "text",
        _str,
        "Post text as the platform shows it (HTML converted to text; mentions of private accounts pseudonymized).",
    ),
    ("lang", _str, "Language code (BCP-47 primary subtag) from the platform, or detected; 'und' when unknown."),
    ("kind", _str, "original / reply / repost / quote / comment (a comment is a reply on a comment-thread platform)."),
    ("parent_id", _str, "Post this one replies to or comments on (reply / comment)."),
    ("parent_author_id", _str, "Pseudonym of the author replied to, when the parent post itself is unknown."),
    ("root_id", _str, "Conversation / thread root (Twitter conversation_id, Reddit link_id, Bluesky reply root)."),
    ("repost_of", _str, "Post id this one reposts (retweet, reblog, share)."),
    ("quote_of", _str, "Post id this one quotes (quote tweet, Bluesky record embed)."),
    ("community", _str, "Where it was posted inside the platform: subreddit, Facebook page/group, Mastodon instance."),
    ("hashtags", _strs, "Hashtags as written (without '#'), in order of appearance."),
    (
        "hashtags_norm",
        _strs,
        "Hashtags normalized for counting: NFKC then casefold; '#MeToo' and '#ＭｅＴｏｏ' → 'metoo'.",
    ),
    ("mentions", _strs, "Pseudonyms of the accounts mentioned."),
    ("urls", _strs, "Links, expanded where the data carries the expansion."),
    ("like_count", _int, "Likes / favourites / reactions at collection time."),
    ("repost_count", _int, "Reposts / retweets / shares / reblogs at collection time."),
    ("reply_count", _int, "Replies / comments at collection time."),
    ("quote_count", _int, "Quotes at collection time."),
    ("author_followers", _int, "Author's follower count at collection time (for reach; never displayed per person)."),
    ("country", _str, "ISO 3166-1 alpha-2 country code of the post's place, when the data has one."),
    ("place", _str, "Place name (city / region) when the data has one."),
    ("lon", pa.float64(), "Longitude of a point geotag."),
    ("lat", pa.float64(), "Latitude of a point geotag."),
    (
        "is_reference",
        pa.bool_(),
        "True when the post came only as a referenced object (twarc2 includes.tweets), not as a match of the collection.",
    ),
    ("movements", _strs, "Movements the post belongs to (enrich: movement matching)."),
    (
        "participation",
        _str,
        "Participation class (enrich: acknowledgement, disclosure, support, commentary, opposition, unrelated).",
    ),
    ("participation_p", pa.float32(), "Classifier probability of that class."),
    ("disclosure_act", _str, "For disclosures: act (codebook)."),
    ("disclosure_setting", _str, "For disclosures: setting (codebook)."),
    ("disclosure_age", _str, "For disclosures: age (codebook)."),
    ("disclosure_perpetrator", _str, "For disclosures: perpetrator (codebook)."),
    ("source_file", _str, "File (or stream) the record was read from: provenance for audits and forget."),
    ("source_line", _int, "1-based line (or record number for non-line formats) in that file."),
    (
        "author_key",
        _int,
        "author_id as a 64-bit integer (enrich; privacy/author_key.py), so counting distinct authors is cheap: "
        "the first 16 hex digits of the pseudonym (or of the MD5 of any other id) as a signed int64; null when "
        "author_id is. Distinct counts over it are exact unless two authors collide; at 10M authors the chance of "
        "any collision is ~3e-6. Last, so stores made before it gain it as their last column.",
    ),
]

POST_SCHEMA = pa.schema([pa.field(n, t) for n, t, _ in _FIELDS])
FIELDS: dict[str, str] = {n: doc for n, _, doc in _FIELDS}
KEY = ("platform", "post_id")

# Raw author identity travels from reader to the pseudonymize stage in these columns and is dropped there;
# they never reach the store.
RAW_SCHEMA = POST_SCHEMA.append(pa.field("raw_author", _str)).append(pa.field("raw_parent_author", _str))


class Columns:
    """Column-wise accumulator for a batch of posts.

    Readers append one value per field per post; building Arrow arrays from Python lists column by column
    is several times faster than from a list of dicts, which matters at tens of thousands of posts a second.
    """

    __slots__ = ("cols", "n")

    def __init__(self) -> None:
        self.cols: dict[str, list[Any]] = {f.name: [] for f in RAW_SCHEMA}
        self.n = 0

    def add(self, **values: Any) -> None:
        for name, col in self.cols.items():
            col.append(values.get(name))
        self.n += 1

    def to_batch(self) -> pa.RecordBatch:
        return pa.RecordBatch.from_pydict(self.cols, schema=RAW_SCHEMA)


def columns_batch(cols: dict[str, Any], n: int) -> pa.RecordBatch:
    """A ``RAW_SCHEMA`` batch from whole columns (lists or arrays); columns not given are null."""
    arrays = []
    for f in RAW_SCHEMA:
        v = cols.get(f.name)
        if v is None:
            arrays.append(pa.nulls(n, f.type))
        elif isinstance(v, pa.Array):
            arrays.append(v)
        else:
            arrays.append(pa.array(v, f.type))
    return pa.RecordBatch.from_arrays(arrays, schema=RAW_SCHEMA)


def empty_batch(schema: pa.Schema = POST_SCHEMA) -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist([], schema=schema)
