"""One name per root for formats that name their entries (directory files, Java aliases): never two
roots under one name, whatever their labels, and the same names for the same roots every time."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

# How many hex digits of a root's SHA-256 a name gets when its label alone would clash: 8 as a
# rule (a reader can match it to `show`), more only if two roots share those too, and the whole
# digest and a count for one certificate listed twice.
_WIDTHS = (0, 8, 16, 64)


def unique_names(wanted: Sequence[tuple[str, str]], decorate: Callable[[str, str], str], *,
                 fold: Callable[[str], str] = str.casefold, reserved: Iterable[str] = ()) -> tuple[str, ...]:
    """A distinct name for each (base name, SHA-256 hex) of `wanted`, in the same order.

    A base name is used as it is when no other entry (nor a `reserved` name) has it, compared by
    `fold` (case-insensitively by default, as macOS, Windows and the JDK compare names). All the
    entries whose names clash get `decorate(base, digits)`, with 8 digits of their SHA-256, or more
    while that still clashes. A name never depends on file order, except between two entries for
    one certificate (the second gets a count).
    """
    names: list[str | None] = [None] * len(wanted)
    taken = {fold(name) for name in reserved}
    pending = list(range(len(wanted)))
    for width in _WIDTHS:
        candidates = {index: wanted[index][0] if width == 0 else decorate(*_digits(wanted[index], width))
                      for index in pending}
        counts: dict[str, int] = {}
        for candidate in candidates.values():
            counts[fold(candidate)] = counts.get(fold(candidate), 0) + 1
        still = []
        for index, candidate in candidates.items():
            if counts[fold(candidate)] == 1 and fold(candidate) not in taken:
                names[index] = candidate
            else:
                still.append(index)
        taken.update(fold(names[index] or "") for index in pending if names[index] is not None)
        pending = still
        if not pending:
            break
    for count, index in enumerate(pending, start=2):  # the same certificate more than once
        base, sha256 = wanted[index]
        candidate = decorate(base, f"{sha256}-{count}")
        while fold(candidate) in taken:
            count += 1
            candidate = decorate(base, f"{sha256}-{count}")
        names[index] = candidate
        taken.add(fold(candidate))
    return tuple(name or "" for name in names)


def _digits(entry: tuple[str, str], width: int) -> tuple[str, str]:
    base, sha256 = entry
    return base, sha256[:width]
