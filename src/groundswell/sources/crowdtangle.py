"""CrowdTangle CSV exports (Historical Data and saved-search downloads), Facebook and Instagram.

CrowdTangle closed in August 2024, but most Facebook research archives of 2017–2024 are its CSV exports, and
their columns changed over the years. Accepted variants (column names as the exports wrote them):

* **2017–2020 export** (the "old format" 4CAT and CooRnet read): ``Page Name`` or ``Group Name``,
  ``User Name``, ``Facebook Id``, ``Likes at Posting``, ``Created`` (``2017-10-15 16:21:00 EDT``), ``Type``,
  ``Likes``, ``Comments``, ``Shares``, ``Love``, ``Wow``, ``Haha``, ``Sad``, ``Angry``, ``Thankful``, ``URL``,
  ``Message``, ``Link``, … ``Total Interactions``.
* **2020–2024 export**: ``Page Name``, ``User Name``, ``Facebook Id``, ``Page Category``,
  ``Page Admin Top Country``, ``Page Description``, ``Page Created``, ``Likes at Posting``,
  ``Followers at Posting``, ``Post Created`` (same wall-time-plus-zone form), ``Post Created Date``,
  ``Post Created Time``, ``Type``, ``Total Interactions``, the reactions including ``Care``, ``URL``,
  ``Message``, … ``Overperforming Score (weighted …)``. Group exports say ``Group Name`` (and may add
  ``Members at Posting``).
* **Instagram export**: ``Account``, ``User Name``, ``Followers at Posting``, ``Post Created`` (or ``Created``),
  ``Type``, ``Likes``, ``Comments``, ``Views``, ``URL``, ``Link``, ``Photo``, ``Title``, ``Description``: the
  posts get platform ``instagram``.

(Column lists as read in the CrowdTangle glossary and in the import code of 4CAT and of the CooRnet / phoenix
projects, which name the same columns for the same export years.)

Mapping: CrowdTangle exports posts, not comments: every row is an ``original`` post by the Page (a group post's
member author is not in the export, so it has none). The post id is ``<Facebook Id>_<post number from
URL>``, CrowdTangle's own ``platformId`` form. ``like_count`` is the sum of all reactions (Like, Love, Wow,
Haha, Sad, Angry, Care, Thankful), ``repost_count`` the shares, ``reply_count`` the comments. Times are wall
times in the dashboard's zone with its abbreviation; unknown or ambiguous zones are rejected, not guessed.
"""

from __future__ import annotations

import re

from groundswell.schema import Columns
from groundswell.sources.clock import wall_time_utc
from groundswell.sources.csv_base import CsvReader, int_or_none

REACTIONS = ("Likes", "Love", "Wow", "Haha", "Sad", "Angry", "Care", "Thankful")
_TIME_COLUMNS = ("Post Created", "Created")
_NUMBER_IN_PATH = re.compile(r"/(\d{5,})(?=/?(?:\?|$))")


def _count(value: str | None) -> int | None:
    """CrowdTangle writes counts with thousands separators ("1,204") in some exports."""
    if value is None:
        return None
    return int_or_none(value.replace(",", ""))


def post_number(url: str) -> str | None:
    """The post's own number in a Facebook / Instagram post URL, or the shortcode of an Instagram ``/p/`` URL."""
    u = url.strip().rstrip("/")
    if "/p/" in u or "/reel/" in u:
        return u.rsplit("/", 1)[-1] or None
    m = _NUMBER_IN_PATH.search(u)
    if m:
        return m.group(1)
    m = re.search(r"[?&](?:story_fbid|fbid|v)=(\d+)", u)
    return m.group(1) if m else None


class CrowdTangleReader(CsvReader):
    name = "crowdtangle"
    platform = "facebook"
    description = "CrowdTangle CSV exports (Facebook pages/groups 2017–2024 variants, Instagram accounts)"

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        if head.lstrip()[:1] in (b"{", b"["):
            return False
        cols = set(cls.header_of(head))
        has_time = any(c in cols for c in _TIME_COLUMNS)
        facebook = "Facebook Id" in cols and "User Name" in cols
        instagram = "Account" in cols and "Followers at Posting" in cols and "Photo" in cols
        return has_time and "URL" in cols and (facebook or instagram)

    def row_to_post(self, row: dict[str, str], cols: Columns, source: str, line_no: int) -> None:
        instagram = "Facebook Id" not in row
        when = next((row[c] for c in _TIME_COLUMNS if row.get(c)), None)
        if when is None:
            raise ValueError("no Post Created / Created time")
        created = wall_time_utc(when)
        url = row.get("URL", "").strip()
        number = post_number(url) if url else None
        if number is None:
            raise ValueError(f"no post id in URL {url!r}")
        account_id = row.get("Facebook Id", "").strip()
        post_id = f"{account_id}_{number}" if account_id and not instagram else number
        group = "Group Name" in row
        community = row.get("Group Name") or row.get("Page Name") or row.get("Account") or None
        handle = row.get("User Name") or None
        reactions = [_count(row.get(c)) for c in REACTIONS if c in row]
        known = [r for r in reactions if r is not None]
        followers = _count(row.get("Followers at Posting")) or _count(row.get("Likes at Posting"))
        if group:
            author = None  # the export names the group, not the member who posted
        elif account_id:
            author = account_id
        else:
            author = "@" + handle.lower() if handle else None
        links = [u for u in (row.get("Final Link") or row.get("Link") or "",) if u]
        cols.add(
            platform="instagram" if instagram else "facebook",
            post_id=post_id,
            created_at=created,
            text=row.get("Message") if not instagram else row.get("Description"),
            kind="original",
            community=community,
            urls=links,
            like_count=sum(known) if known else None,
            repost_count=_count(row.get("Shares")),
            reply_count=_count(row.get("Comments")),
            author_followers=followers,
            is_reference=False,
            source_file=source,
            source_line=line_no,
            raw_author=author,
            author_handle=handle if not group else None,
        )
