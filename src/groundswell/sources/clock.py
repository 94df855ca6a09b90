"""Timestamps as the platforms write them, to aware UTC datetimes.

Every reader converts its source's clock here so ``created_at`` is always timezone-aware UTC: a naive
timestamp is only accepted where the format documents it as UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone


def iso_utc(text: str) -> datetime:
    """ISO 8601 (``2017-10-15T20:21:00.000Z``, ``+0000`` or ``+00:00`` offsets) → aware UTC.

    A timestamp without an offset is taken as UTC: only call this for fields documented as UTC.
    Raises ValueError for anything else.
    """
    s = text.strip()
    if len(s) > 5 and s[-5] in "+-" and s[-4:].isdigit() and s[-3] != ":":
        s = s[:-2] + ":" + s[-2:]  # +0000 → +00:00 (Facebook's offset style)
    dt = datetime.fromisoformat(s)
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def epoch_utc(value: int | float | str) -> datetime:
    """Epoch seconds (int, float or numeric string) → aware UTC."""
    return datetime.fromtimestamp(float(value), tz=UTC)


# Time zone abbreviations CrowdTangle wrote after local wall times ("2017-10-15 16:21:00 EDT"): the
# dashboard's zone setting decided which. Only unambiguous ones are listed; anything else is rejected
# rather than guessed (IST is India, Ireland or Israel; CST is US Central or China).
TZ_ABBREVIATIONS: dict[str, timezone] = {
    name: timezone(timedelta(hours=hours), name)
    for name, hours in {
        "UTC": 0,
        "GMT": 0,
        "Z": 0,
        "BST": 1,
        "WET": 0,
        "WEST": 1,
        "CET": 1,
        "CEST": 2,
        "EET": 2,
        "EEST": 3,
        "MSK": 3,
        "EST": -5,
        "EDT": -4,
        "CDT": -5,
        "MST": -7,
        "MDT": -6,
        "PST": -8,
        "PDT": -7,
        "AKST": -9,
        "AKDT": -8,
        "HST": -10,
        "JST": 9,
        "KST": 9,
        "AEST": 10,
        "AEDT": 11,
        "ACST": 9.5,
        "ACDT": 10.5,
        "AWST": 8,
        "NZST": 12,
        "NZDT": 13,
    }.items()
}


def wall_time_utc(text: str) -> datetime:
    """``2017-10-15 16:21:00 EDT`` (or ``… +0200``, or ISO) → aware UTC. Raises ValueError when unknown."""
    s = text.strip()
    head, _, zone = s.rpartition(" ")
    if head and zone in TZ_ABBREVIATIONS:
        return datetime.fromisoformat(head).replace(tzinfo=TZ_ABBREVIATIONS[zone]).astimezone(UTC)
    if head and zone[:1] in "+-" and zone[1:].replace(":", "").isdigit():
        return iso_utc(head.replace(" ", "T") + zone)
    if head and zone.isalpha():
        raise ValueError(f"unknown or ambiguous time zone {zone!r} in {text!r}")
    dt = datetime.fromisoformat(s)
    if dt.tzinfo is None:
        raise ValueError(f"no time zone in {text!r}: local wall time cannot be placed in UTC")
    return dt.astimezone(UTC)
