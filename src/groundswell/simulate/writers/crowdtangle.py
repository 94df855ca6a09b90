"""Facebook posts as a CrowdTangle historical-data CSV export.

The columns are those of CrowdTangle's "Historical Data" download for Facebook (as documented in its help
centre and as tools that import it, e.g. 4CAT, expect them): ``Page Name, User Name, Facebook Id, Page
Category, Page Admin Top Country, Page Description, Page Created, Likes at Posting, Followers at Posting,
Post Created, Post Created Date, Post Created Time, Type, Total Interactions, Likes, Comments, Shares,
Love, Wow, Haha, Sad, Angry, Care, Video Share Status, Is Video Owner?, Post Views, Total Views, Total Views
For All Crossposts, Video Length, URL, Message, Link, Final Link, Image Text, Link Text, Description,
Sponsor Id, Sponsor Name, Sponsor Category, Overperforming Score (…)``.

``Post Created`` is ``YYYY-MM-DD HH:MM:SS`` followed by the dashboard's time-zone abbreviation; the
simulator's dashboard is set to UTC. ``URL`` is the post's permalink, ``https://www.facebook.com/<page
username>/posts/<post id>``: the post id is its last path segment.

CrowdTangle holds posts by public pages and groups, not comments, so a Facebook cascade is made of
*shares*: a post of ``Type`` "Link" whose ``Link`` is the permalink of the post it shares (and ``Link Text``
that post's message). The simulator's truth counts such a row as kind ``repost`` with that parent.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from groundswell.simulate.config import SimConfig
from groundswell.simulate.record import Post, iso_seconds
from groundswell.simulate.writers.base import Writer

OVERPERFORMING = (
    "Overperforming Score (weighted  \u2014  Likes 1x Shares 1x Comments 1x Love 1x Wow 1x Haha 1x Sad 1x "
    "Angry 1x Care 1x )"
)
COLUMNS = [
    "Page Name", "User Name", "Facebook Id", "Page Category", "Page Admin Top Country", "Page Description",
    "Page Created", "Likes at Posting", "Followers at Posting", "Post Created", "Post Created Date",
    "Post Created Time", "Type", "Total Interactions", "Likes", "Comments", "Shares", "Love", "Wow", "Haha",
    "Sad", "Angry", "Care", "Video Share Status", "Is Video Owner?", "Post Views", "Total Views",
    "Total Views For All Crossposts", "Video Length", "URL", "Message", "Link", "Final Link", "Image Text",
    "Link Text", "Description", "Sponsor Id", "Sponsor Name", "Sponsor Category", OVERPERFORMING,
]  # fmt: skip
_CATEGORIES = ("COMMUNITY", "NEWS_SITE", "NONPROFIT", "MEDIA_NEWS_COMPANY", "PUBLIC_FIGURE", "CAUSE", "BLOGGER")
_COUNTRIES = ("US", "US", "US", "GB", "CA", "IN", "FR", "ES", "AU", "DE")
_PAGE_KINDS = ("Voices", "Network", "Collective", "Daily", "Circle", "Project", "News", "Forum")


class CrowdTangleWriter(Writer):
    platform = "facebook"

    def __init__(self, out: Path, cfg: SimConfig) -> None:
        super().__init__(out, cfg)
        self.f = self.open(f"facebook/{cfg.movement}-crowdtangle.csv")
        self.buf = io.StringIO()
        self.csv = csv.writer(self.buf, lineterminator="\r\n")
        self.csv.writerow(COLUMNS)
        self._drain()

    def _drain(self) -> None:
        self.f.write(self.buf.getvalue().encode("utf-8"))
        self.buf.seek(0)
        self.buf.truncate()

    def write(self, post: Post) -> None:
        a = post.author
        page_name = f"{a.name.split()[0]} {a.name.split()[1]} {_PAGE_KINDS[a.rank % len(_PAGE_KINDS)]}"
        username = a.handle.replace("_", "")
        post.uri = f"https://www.facebook.com/{username}/posts/{post.post_id}"
        iso = post.iso_ms()
        day, clock = iso[:10], iso[11:19]
        reactions = _reactions(post)
        likes, love, wow, haha, sad, angry, care = reactions
        total = sum(reactions) + post.replies + post.reposts
        link = link_text = ""
        kind = "Status"
        if post.kind == "repost" and post.parent is not None:
            kind, link, link_text = "Link", post.parent.uri, post.parent.text[:100]
        row = [
            page_name,
            username,
            a.id,
            _CATEGORIES[a.rank % len(_CATEGORIES)],
            _COUNTRIES[(a.rank // 7) % len(_COUNTRIES)],
            "",
            iso_seconds(a.created_ms // 1000).replace("T", " "),
            a.followers,
            a.followers + a.followers // 10,
            f"{day} {clock} UTC",
            day,
            clock,
            kind,
            total,
            likes,
            post.replies,
            post.reposts,
            love,
            wow,
            haha,
            sad,
            angry,
            care,
            "",
            "-",
            0,
            0,
            0,
            "N/A",
            post.uri,
            post.text,
            link,
            "",
            "",
            link_text,
            "",
            "",
            "",
            "",
            f"{1.0 + (post.draw % 400) / 100:.2f}",
        ]
        self.csv.writerow(row)
        if self.buf.tell() > 1 << 16:
            self._drain()

    def close(self) -> None:
        self._drain()
        self.f.close()


def _reactions(post: Post) -> tuple[int, ...]:
    """Likes and emoji reactions: Sad and Love dominate under #MeToo disclosures; Care did not exist in 2017."""
    base = post.likes
    sad_share = 0.35 if post.cls in ("disclosure", "acknowledgement") else 0.05
    love_share = 0.2 if post.cls in ("support", "disclosure") else 0.05
    angry_share = 0.15 if post.cls in ("commentary", "opposition") else 0.03
    sad = int(base * sad_share)
    love = int(base * love_share)
    angry = int(base * angry_share)
    wow = int(base * 0.02)
    haha = int(base * (0.1 if post.cls == "opposition" else 0.005))
    likes = max(0, base - sad - love - angry - wow - haha)
    return likes, love, wow, haha, sad, angry, 0
