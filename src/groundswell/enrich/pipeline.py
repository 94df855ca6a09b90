"""The enrich stage: raw reader batches in, store-ready batches out.

Each step is a pure function of an Arrow batch and an ``EnrichContext`` (plain data, picklable), so the same
code runs in ingest's worker processes and inside Spark's ``mapInArrow``. Order matters only where a step
reads what another wrote: entities are extracted from the text before pseudonymization rewrites the
mentions in it; classification reads the pseudonymized text, as every later reader of the store will.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from groundswell.enrich.movements import match_movements
from groundswell.movements.definition import Movement
from groundswell.privacy.author_key import author_keys
from groundswell.privacy.pseudonyms import MENTION as _MENTIONED
from groundswell.privacy.pseudonyms import PrivacySettings, Pseudonymizer, remembered
from groundswell.privacy.redact import redact
from groundswell.schema import POST_SCHEMA
from groundswell.text.batch import extract_entities, normalize_hashtags


@dataclass(frozen=True)
class EnrichContext:
    key: bytes
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    movements: tuple[Movement, ...] = ()  # movement definitions to match (empty: none); plain picklable data
    participation: bool = False  # run the participation classifier (opt-in: it is the slowest step)


def fill_entities(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Extract hashtags / mentions / URLs from text where the reader had none, and normalize hashtags."""
    cols = {name: batch.column(name) for name in batch.schema.names}
    missing = pc.is_null(cols["hashtags"])
    if pc.any(missing).as_py():
        extracted = extract_entities(cols["text"])
        for name in ("hashtags", "mentions", "urls"):
            if name == "mentions":
                # keys for the pseudonymizer: "@handle"
                vals = pa.array(
                    [None if m is None else ["@" + h.lower() for h in m] for m in extracted["mentions"].to_pylist()],
                    type=pa.list_(pa.string()),
                )
            else:
                vals = extracted[name]
            cols[name] = pc.if_else(pc.is_null(cols[name]), vals, cols[name])
    cols["hashtags_norm"] = normalize_hashtags(cols["hashtags"])
    return pa.RecordBatch.from_pydict(cols, schema=batch.schema)


def _map_accounts(platform: pa.Array, accounts: pa.Array, pseudo: Pseudonymizer) -> pa.Array:
    """Pseudonymize a string column, hashing each distinct (platform, account) once."""
    if accounts.null_count == len(accounts):
        return pa.nulls(len(accounts), pa.string())
    plats = pc.unique(platform).to_pylist()
    if len(plats) == 1:
        uniq = pc.unique(accounts)
        mapped = pa.array(pseudo.of_distinct(plats[0], uniq.to_pylist()), pa.string())
        return pc.take(mapped, pc.index_in(accounts, uniq))
    return pa.array(
        [pseudo(p, a) for p, a in zip(platform.to_pylist(), accounts.to_pylist(), strict=True)], pa.string()
    )


def pseudonymize(batch: pa.RecordBatch, ctx: EnrichContext, pseudo: Pseudonymizer | None = None) -> pa.RecordBatch:
    """Replace raw account identities by keyed pseudonyms and drop the raw columns."""
    pseudo = pseudo or Pseudonymizer(ctx.key)
    settings = ctx.privacy
    platform = batch.column("platform")
    cols = {name: batch.column(name) for name in POST_SCHEMA.names}
    cols["author_id"] = _map_accounts(platform, batch.column("raw_author"), pseudo)
    cols["author_key"] = author_keys(cols["author_id"])  # the integer the analytics count distinct
    cols["parent_author_id"] = _map_accounts(platform, batch.column("raw_parent_author"), pseudo)

    mentions = batch.column("mentions")
    flat = pc.list_flatten(mentions)
    parent_of = pc.list_parent_indices(mentions)
    mapped = _map_accounts(pc.take(platform, parent_of), flat, pseudo)
    cols["mentions"] = pa.ListArray.from_arrays(_offsets(mentions), mapped, mask=pc.is_null(mentions))

    handles = batch.column("author_handle")
    cols["author_handle"] = handles
    alias_keys = pc.if_else(
        pc.starts_with(pc.fill_null(batch.column("raw_author"), "@"), "@"),
        pa.nulls(len(handles), pa.string()),
        pc.binary_join_element_wise("@", pc.utf8_lower(handles), ""),
    )
    cols["author_alias"] = _map_accounts(platform, alias_keys, pseudo)
    if handles.null_count == len(handles) or _nobody_public(settings):
        cols["author_handle"] = pa.nulls(len(handles), pa.string())
    else:
        followers = batch.column("author_followers").to_pylist()
        keep = [h if h and settings.is_public(h, followers[i]) else None for i, h in enumerate(handles.to_pylist())]
        cols["author_handle"] = pa.array(keep, pa.string())

    cols["text"] = _rewrite(batch.column("text"), platform, pseudo, settings, _IDENTITY_HINT)
    cols["urls"] = _rewrite_lists(batch.column("urls"), platform, pseudo, settings)
    cols["text"], cols["urls"] = _own_handle(
        cols["text"], cols["urls"], handles, cols["author_id"], batch.column("author_followers"), settings
    )
    return pa.RecordBatch.from_pydict(cols, schema=POST_SCHEMA)


def _own_handle(
    text: pa.Array, urls: pa.Array, handles: pa.Array, authors: pa.Array, followers: pa.Array, settings: PrivacySettings
) -> tuple[pa.Array, pa.Array]:
    """An author's handle inside their own post (paper.li/alice, mixcloud.com/Alice/…) names them: replace it.

    Few posts hold their author's handle, so only the rows ``_may_name_author`` finds are read into Python,
    and only the values that change are written back.
    """
    if handles.null_count == len(handles):
        return text, urls
    hs = handles.to_pylist()
    rows = _may_name_author(text, urls, hs)
    if not rows:
        return text, urls
    check_public = not _nobody_public(settings)
    new_text: dict[int, str] = {}
    new_urls: dict[int, list[str]] = {}
    for i in rows:
        h = hs[i]
        low = h.lower()  # type: ignore[union-attr]
        t, u = text[i].as_py(), urls[i].as_py()
        in_text = bool(t) and low in t.lower()
        in_urls = bool(u) and any(low in x.lower() for x in u)
        if not (in_text or in_urls) or (check_public and settings.is_public(h, followers[i].as_py())):
            continue
        author = authors[i].as_py() or ""
        pat = re.compile(r"(?<![A-Za-z0-9_])" + re.escape(h) + r"(?![A-Za-z0-9_])", re.I)  # type: ignore[arg-type]
        if in_text:
            new_text[i] = pat.sub(author, t)
        if in_urls:
            new_urls[i] = [pat.sub(author, x) for x in u]
    if new_text:
        mask = np.zeros(len(text), dtype=bool)
        mask[list(new_text)] = True
        text = pc.replace_with_mask(text, pa.array(mask), pa.array(list(new_text.values()), text.type))
    if new_urls:
        urls = _replace_lists(urls, new_urls)
    return text, urls


def _replace_lists(lists: pa.Array, new: dict[int, list[str]]) -> pa.Array:
    """``lists`` with the rows in ``new`` replaced by lists of the same length (offsets stay as they are)."""
    offsets = _offsets(lists)
    offs = offsets.to_numpy(zero_copy_only=False)
    flat = pc.list_flatten(lists)
    mask = np.zeros(len(flat), dtype=bool)
    for i in new:
        mask[offs[i] : offs[i + 1]] = True
    values = pa.array([x for i in sorted(new) for x in new[i]], flat.type)
    return pa.ListArray.from_arrays(offsets, pc.replace_with_mask(flat, pa.array(mask), values), mask=pc.is_null(lists))


def _may_name_author(text: pa.Array, urls: pa.Array, hs: list[str | None]) -> list[int]:
    """Rows whose text or links may hold their author's handle (of 3 characters or more): a superset of the
    rows ``_own_handle`` changes, found without lowercasing every text in Python.

    Each post's text and links are joined and lowercased by Arrow. For an ASCII handle that is exact enough:
    Arrow lowercases character by character as ``str.lower`` does, except that U+0130 becomes "i" where
    Python writes "i" + U+0307, which can only add matches, never lose one. Non-ASCII handles are always
    candidates, and so is every row when a link list holds a null (the exact check decides).
    """
    valid = [i for i, h in enumerate(hs) if h and len(h) >= 3]
    if not valid or pc.list_flatten(urls).null_count:
        return valid
    links = pc.fill_null(pc.binary_join(urls, "\n"), "")
    lowered = pc.utf8_lower(pc.binary_join_element_wise(pc.fill_null(text, ""), links, "\n")).to_pylist()
    out = []
    for i in valid:
        low = hs[i].lower()  # type: ignore[union-attr]
        if not low.isascii() or low in lowered[i]:
            out.append(i)
    return out


def _nobody_public(settings: PrivacySettings) -> bool:
    """The default settings: no account keeps its handle, so nothing needs a per-row public-figure check."""
    return not settings.keep_handles and not settings.public_figures and settings.public_min_followers is None


# texts that may name an account: a mention sigil, or a link to a profile/status page
_IDENTITY_HINT = r"[@＠]|(?i:twitter\.com/|x\.com/|instagram\.com/|facebook\.com/|tiktok\.com/|bsky\.app/profile/)"
# texts that may hold an e-mail address or a phone number (a cheap C++ pre-filter for the Python redactor)
_CONTACT_HINT = r"[A-Za-z0-9._%+-]@[A-Za-z0-9-]+\.[A-Za-z]{2,}|\d[\d\s().\-]{7,}\d|[０-９]{3}|[٠-٩]{4}|[०-९]{4}"
_EMAIL_HINT = re.compile(r"[A-Za-z0-9._%+-]@[A-Za-z0-9-]+\.[A-Za-z]{2,}")
_WIDE_DIGITS = re.compile(r"[０-９٠-٩०-९]")
_DIGIT_RUN = re.compile(r"\d[\d\s().\-]{7,}\d")


def _may_hold_contact(text: str) -> bool:
    """Worth the full redactor: an e-mail shape, a run of 9-15 digits, or digits outside ASCII."""
    if _EMAIL_HINT.search(text) or (not text.isascii() and len(_WIDE_DIGITS.findall(text)) >= 7):
        return True
    return any(9 <= sum(c.isdigit() for c in m.group()) <= 15 for m in _DIGIT_RUN.finditer(text))


def _rewrite(
    text: pa.Array, platform: pa.Array, pseudo: Pseudonymizer, settings: PrivacySettings, hint: str
) -> pa.Array:
    """Mentions and profile links in ``text`` rewritten to pseudonyms (only rows the RE2 ``hint`` finds).

    Each distinct text of a platform is rewritten once: a retweet copies its original's text, so a batch of
    a movement holds the same few viral texts many times over.
    """
    hit = pc.fill_null(pc.match_substring_regex(text, hint), False)
    if not pc.any(hit).as_py():
        return text
    new = pc.filter(text, hit)
    hit_plat = pc.filter(platform, hit)
    for p in pc.unique(hit_plat).to_pylist():  # one platform per file: one pass, as a rule
        mine = pc.equal(hit_plat, p)
        texts = pc.filter(new, mine)
        uniq = pc.unique(texts)
        done = pa.array(pseudo.rewrite_distinct(p, settings, uniq.to_pylist()), text.type)
        new = pc.replace_with_mask(new, mine, pc.take(done, pc.index_in(texts, uniq)))
    return pc.replace_with_mask(text, hit, new)


def _rewrite_lists(lists: pa.Array, platform: pa.Array, pseudo: Pseudonymizer, settings: PrivacySettings) -> pa.Array:
    flat = pc.list_flatten(lists)
    if len(flat) == 0:
        return lists
    new = _rewrite(flat, pc.take(platform, pc.list_parent_indices(lists)), pseudo, settings, _IDENTITY_HINT)
    if new is flat:
        return lists
    return pa.ListArray.from_arrays(_offsets(lists), new, mask=pc.is_null(lists))


def redact_contacts(batch: pa.RecordBatch, ctx: EnrichContext) -> pa.RecordBatch:
    """E-mail addresses and phone numbers never reach the store: they identify people and add nothing to
    the measurement. Mentions were already pseudonymized, public figures' handles are kept."""
    text = batch.column("text")
    hit = pc.fill_null(pc.match_substring_regex(text, _CONTACT_HINT), False)
    if not pc.any(hit).as_py():
        return batch
    hit_text = pc.filter(text, hit)
    uniq = pc.unique(hit_text)  # reposts repeat their original's text: redact each distinct text once
    done = _redact_distinct(uniq.to_pylist(), ctx.privacy)
    new = pc.take(pa.array(done, text.type), pc.index_in(hit_text, uniq))
    return batch.set_column(batch.schema.get_field_index("text"), "text", pc.replace_with_mask(text, hit, new))


_redacted: dict[PrivacySettings, dict[str, str]] = {}


def _redact_distinct(texts: list[str], privacy: PrivacySettings) -> list[str]:
    """``redact`` of each text that may hold contact details (the rest as they are), remembered across batches
    as the mention rewrite is: reposts repeat texts."""
    keep = privacy.public_figures

    def one(t: str) -> str:
        if not _may_hold_contact(t):
            return t
        k = keep if not privacy.keep_handles else frozenset(m.lower() for m in _MENTIONED.findall(t))
        return redact(t, keep_mentions=k)

    return remembered(_redacted, privacy, texts, one)


def _offsets(lists: pa.Array) -> pa.Array:
    """Offsets of a list array, rebased to 0 (slices keep their parent's offsets)."""
    offs = lists.offsets
    return pc.subtract(offs, offs[0]) if offs[0].as_py() else offs


def enrich(batch: pa.RecordBatch, ctx: EnrichContext) -> pa.RecordBatch:
    """Every enrich step, in order. Input: ``RAW_SCHEMA`` batch; output: ``POST_SCHEMA`` batch."""
    batch = fill_entities(batch)
    batch = pseudonymize(batch, ctx, _pseudonymizer(ctx))
    batch = redact_contacts(batch, ctx)
    batch = match_movements(batch, ctx.movements)
    if ctx.participation:
        from groundswell.participation import enrich_participation  # loads the model only when asked

        batch = enrich_participation(batch)
    return batch


_cache: dict[bytes, Pseudonymizer] = {}


def _pseudonymizer(ctx: EnrichContext) -> Pseudonymizer:
    # one memo per key per process: worker processes see the same few prolific accounts again and again
    p = _cache.get(ctx.key)
    if p is None:
        p = _cache[ctx.key] = Pseudonymizer(ctx.key)
    return p
