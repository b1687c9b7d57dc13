"""Local wall time and the real instant behind it, across daylight saving changes.

Every row keeps the local wall time people read (the journal's `timestamp`, naive ISO
text, and the workbook's cells: Excel has no time zones) and, beside it, the offset from
UTC in force when it was made (the journal's `utc_offset`, seconds east of UTC). Wall
time was kept rather than replaced by UTC so that a day's or a month's rows stay one
range of the time index (people count days and months on the wall clock) and a row reads
the same in the file as on the sheet. Wall time alone repeats an hour each autumn and
skips one each spring, so whatever measures time between rows (the cooldown, in/out
pairing, hours) subtracts instants, wall time minus offset, never wall times.

The zone is the system's local time (on Linux the TZ environment variable, then
/etc/localtime), or the zone given to use_zone: the hook tests use to live a night of
Europe/Berlin on any machine.

A wall time given without an offset is read in the zone. One the autumn change repeats is
ambiguous: it is taken as the first pass (summer time), except where a caller knows
better (`not_after`: a frame time just read from the clock during the second pass is the
second pass). One the spring change skips never came from a clock; it takes the offset
before the change, as zoneinfo does.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo

_zone: tzinfo | None = None


def use_zone(zone: tzinfo | None) -> None:
    """Read and make local times in `zone` (a zoneinfo.ZoneInfo), or in the system's local
    time again with None."""
    global _zone
    _zone = zone


def fixed(moment: datetime) -> datetime:
    """Aware `moment` with a fixed offset in place of its zone.

    Python subtracts two times of one zone object as wall times (an hour off across a
    change), and times of fixed offsets as instants; so every aware time used here is
    turned into one with its fixed offset.
    """
    offset = moment.utcoffset()
    assert offset is not None, "only aware times have an offset"
    return moment.replace(tzinfo=timezone(offset), fold=0)


def now() -> datetime:
    """The current local time to the second, aware (its UTC offset fixed)."""
    utc = datetime.now(timezone.utc).replace(microsecond=0)
    return fixed(utc.astimezone(_zone) if _zone is not None else utc.astimezone())


def reading(wall: datetime, fold: int) -> datetime:
    """Naive `wall` in the zone, as its first (fold 0) or second (fold 1) pass: the two
    differ only for a wall time the autumn change repeats."""
    if _zone is None:
        return fixed(wall.replace(fold=fold).astimezone())
    return fixed(wall.replace(fold=fold, tzinfo=_zone))


def aware(wall: datetime, not_after: datetime | None = None) -> datetime:
    """`wall` with its UTC offset: an aware time is kept (its offset fixed); a naive one is
    local wall time, read in the zone.

    A repeated wall time is the first pass, or with `not_after` the latest pass not later
    than it (a time read from the clock moments ago cannot lie in the future).
    """
    if wall.tzinfo is not None:
        return fixed(wall)
    first, second = reading(wall, 0), reading(wall, 1)
    if not_after is not None and second != first and second <= not_after:
        return second
    return first


def offset_seconds(moment: datetime) -> int:
    """The UTC offset of aware `moment` in whole seconds east of UTC, as files store it."""
    offset = moment.utcoffset()
    assert offset is not None, "only aware times have an offset"
    return int(offset.total_seconds())


def offset_at(wall: datetime) -> timedelta:
    """The UTC offset of naive local `wall` (the first pass when it is repeated)."""
    offset = aware(wall).utcoffset()
    assert offset is not None
    return offset
