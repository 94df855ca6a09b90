"""Meta Content Library CSV exports: Facebook posts and comments, CrowdTangle's successor.

Content Library downloads and API results saved as CSV use the API field names of Meta's data dictionary,
nested fields flattened with dots: ``id``, ``creation_time``, ``modified_time``, ``text``, ``lang``,
``content_type``, ``mcl_url``, ``post_owner.id`` / ``.name`` / ``.type`` / ``.username``, ``surface.id`` /
``.name`` / ``.type`` (where it was posted: a Page, group, event or profile), ``statistics.reaction_count``,
``statistics.comment_count``, ``statistics.share_count``, ``statistics.views`` and per-reaction counts
(``statistics.like_count``, ``love_count``, ``care_count``, ``haha_count``, ``wow_count``, ``sad_count``,
``angry_count``), ``shared_post_id``.

Comment exports (the posts' nested comments) carry the post they belong to in ``post_id`` and, for a reply
to a comment, the comment in ``parent_comment_id``; their owner is ``comment_owner.*`` or ``post_owner.*``.
A row is a comment exactly when it has a post id of its own parent post.

Ids are Meta Content Library ids (not Facebook's), stable within the Library, so references between posts
and comments of the Library join. ``creation_time`` is ISO 8601 with an offset (``2024-02-01T10:00:00+0000``);
without one it is UTC, as the API documents its times.
"""

from __future__ import annotations

from groundswell.schema import Columns
from groundswell.sources.clock import iso_utc
from groundswell.sources.csv_base import CsvReader, int_or_none

_REACTIONS = ("like", "love", "care", "haha", "wow", "sad", "angry")


def _first(row: dict[str, str], *names: str) -> str | None:
    for n in names:
        v = row.get(n)
        if v is not None and v.strip() != "":
            return v.strip()
    return None


class MetaContentLibraryReader(CsvReader):
    name = "meta-content-library"
    platform = "facebook"
    description = "Meta Content Library CSV (posts and comments; post_owner.*, statistics.*, creation_time)"

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        if head.lstrip()[:1] in (b"{", b"["):
            return False
        cols = set(cls.header_of(head))
        owner = any(c.startswith(("post_owner.", "comment_owner.")) for c in cols) or "mcl_url" in cols
        return "id" in cols and "creation_time" in cols and owner

    def row_to_post(self, row: dict[str, str], cols: Columns, source: str, line_no: int) -> None:
        post_id = _first(row, "id")
        if post_id is None:
            raise ValueError("no id")
        when = _first(row, "creation_time")
        if when is None:
            raise ValueError("no creation_time")
        created = iso_utc(when)
        on_post = _first(row, "post_id", "post.id")
        parent_comment = _first(row, "parent_comment_id", "parent_comment.id")
        shared = _first(row, "shared_post_id")
        if on_post:
            kind, parent = "comment", parent_comment or on_post
        elif shared:
            kind, parent = "repost", None
        else:
            kind, parent = "original", None
        owner_id = _first(row, "comment_owner.id", "post_owner.id")
        owner_handle = _first(row, "comment_owner.username", "post_owner.username")
        reaction_total = int_or_none(row.get("statistics.reaction_count"))
        if reaction_total is None:
            parts = [int_or_none(row.get(f"statistics.{r}_count")) for r in _REACTIONS]
            known = [p for p in parts if p is not None]
            reaction_total = sum(known) if known else None
        community = _first(row, "surface.name")
        if community is None and kind != "comment" and _first(row, "post_owner.type") in ("page", "group"):
            community = _first(row, "post_owner.name")  # never a person's name: profiles are not communities
        link = _first(row, "link_attachment.link")
        cols.add(
            platform="facebook",
            post_id=post_id,
            created_at=created,
            text=row.get("text"),
            lang=_first(row, "lang"),
            kind=kind,
            parent_id=parent,
            root_id=on_post,
            repost_of=shared,
            community=community,
            urls=[link] if link else [],
            like_count=reaction_total,
            repost_count=int_or_none(row.get("statistics.share_count")),
            reply_count=int_or_none(row.get("statistics.comment_count")),
            is_reference=False,
            source_file=source,
            source_line=line_no,
            raw_author=owner_id or (("@" + owner_handle.lower()) if owner_handle else None),
            author_handle=owner_handle,
        )
