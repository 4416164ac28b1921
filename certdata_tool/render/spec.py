"""`diff --format spec`: the version-1 change spec that `apply` turns OLD into NEW with, written by hand."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from ..diff import Diff, FieldChange, RootChange
from ..errors import CertdataError
from ..model import Root, TrustLevel
from ..nssfile import CertdataFile
from ..spec import label_problem

# Characters a YAML double-quoted scalar must escape: anything YAML does not accept raw (C0/C1
# controls, DEL, BOM, non-characters) and YAML 1.1's extra line breaks, which a reader would fold.
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_LINE_BREAKS = frozenset("\x85\u2028\u2029")


def yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar that safe_load reads back exactly; UTF-8 stays raw."""
    out = ['"']
    for character in text:
        code = ord(character)
        if character in _ESCAPES:
            out.append(_ESCAPES[character])
        elif (code < 0x20 or 0x7F <= code < 0xA0 or character in _LINE_BREAKS
              or 0xD800 <= code < 0xE000 or code in (0xFEFF, 0xFFFE, 0xFFFF)):
            out.append(f"\\u{code:04X}")
        else:
            out.append(character)
    out.append('"')
    return "".join(out)


def yaml_date(moment: datetime | None) -> str:
    """`2024-06-30` for midnight UTC, else `2024-11-30T23:59:59Z`; `null` for none."""
    if moment is None:
        return "null"
    moment = moment.astimezone(UTC)
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _comment(text: str) -> str:
    """A label on a `#` comment line: printable as it is, escaped (without quotes) otherwise."""
    plain = all(yaml_quoted(character) in (f'"{character}"', '"\\""', '"\\\\"') for character in text)
    return text if plain else yaml_quoted(text)[1:-1]


def render_spec(diff: Diff, old: CertdataFile, new: CertdataFile) -> str:
    """A version-1 spec that turns OLD into NEW with `apply`; CertdataError for what it cannot express."""
    if diff.added:
        labels = ", ".join(repr(root.label) for root in diff.added[:3])
        more = "" if len(diff.added) <= 3 else f" and {len(diff.added) - 3} more"
        raise CertdataError(
            f"cannot write a change spec for added roots yet: {len(diff.added)} added ({labels}{more})",
            source=new.source,
            hint="`add` changes are not supported yet; diff --format text lists what changed")
    if diff.distrust_entries_added or diff.distrust_entries_removed:
        raise CertdataError("cannot write a change spec for explicit distrust entries (trust objects "
                            "without a certificate): a spec selects roots only", source=new.source)
    occurrences = Counter(root.sha256 for root in diff.old_roots)
    lines = [
        "# Change spec written by `certdata-tool diff --format spec`:",
        "# `certdata-tool apply OLD THIS-FILE` turns the old certdata.txt into the new one.",
    ]
    if diff.formatting_changed:
        lines.append("# The files also differ in comments, blank lines or layout, which a spec does "
                     "not carry.")
    changes = [_removal(root, occurrences) for root in diff.removed]
    changes.extend(_modification(change, occurrences, new) for change in diff.modified if change.changes)
    if not changes:
        lines.append("# The files have no root changes: there is nothing for a change spec to do.")
        return "\n".join(lines) + "\n"
    lines.extend(["version: 1", "changes:"])
    for change in changes:
        lines.extend(change)
    return "\n".join(lines) + "\n"


def _select(root: Root, occurrences: Counter[str]) -> list[str]:
    count = occurrences[root.sha256]
    extra = f", count: {count}" if count > 1 else ""
    return [f"  # {_comment(root.label)}", f"  - select: {{sha256: \"{root.sha256}\"{extra}}}"]


def _removal(root: Root, occurrences: Counter[str]) -> list[str]:
    return [*_select(root, occurrences), "    remove: true"]


def _modification(change: RootChange, occurrences: Counter[str], new: CertdataFile) -> list[str]:
    by_field = {field_change.field: field_change for field_change in change.changes}
    lines = _select(change.old, occurrences)
    trust = [(name, by_field[f"trust.{name}"]) for name in
             ("server_auth", "email_protection", "code_signing", "step_up_approved")
             if f"trust.{name}" in by_field]
    if trust:
        lines.append("    trust:")
        for name, field_change in trust:
            lines.append(f"      {name}: {_trust_value(field_change, change, new)}")
    if "mozilla_ca_policy" in by_field:
        lines.append(f"    mozilla_ca_policy: {_bool(by_field['mozilla_ca_policy'].new)}")
    dates = [(name, by_field[f"distrust_after.{name}"]) for name in ("server", "email")
             if f"distrust_after.{name}" in by_field]
    if dates:
        lines.append("    distrust_after:")
        for name, field_change in dates:
            moment = field_change.new
            assert moment is None or isinstance(moment, datetime)
            lines.append(f"      {name}: {yaml_date(moment)}")
    if "label" in by_field:
        label = str(by_field["label"].new)
        problem = label_problem(label)
        if problem is not None:
            raise CertdataError(f"cannot write a change spec renaming {change.old.label!r}: {problem}",
                                source=new.source, line=change.new.line)
        lines.append(f"    rename: {yaml_quoted(label)}")
    return lines


def _trust_value(field_change: FieldChange, change: RootChange, new: CertdataFile) -> str:
    value = field_change.new
    if isinstance(value, TrustLevel):
        return value.value
    if isinstance(value, bool):
        return _bool(value)
    raise CertdataError(f"cannot write a change spec for {change.new.label!r}: its {field_change.field} "
                        "attribute was removed, which a spec cannot express", source=new.source,
                        line=change.new.line)


def _bool(value: object) -> str:
    return "true" if value else "false"


__all__ = ["render_spec", "yaml_date", "yaml_quoted"]
