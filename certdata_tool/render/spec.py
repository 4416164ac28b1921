"""`diff --format spec`: the version-1 change spec that `apply` turns OLD into NEW with, written by hand."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from ..diff import FIELDS, Diff, FieldChange, RootChange, signature
from ..errors import CertdataError
from ..model.blocks import label_problem, root_blocks
from ..model.roots import DistrustPurpose, Root, TrustField, TrustLevel
from ..spec.write import yaml_comment as _comment
from ..spec.write import yaml_date, yaml_quoted
from ..syntax.nssfile import CertdataFile, NssObject
from ..x509.checks import pem_lines

# The fields a spec can set (a value on the trust object is not one: NSS never reads it there).
SPEC_FIELDS = frozenset(field for field in FIELDS if not field.startswith("trust_object."))


def render_spec(diff: Diff, old: CertdataFile, new: CertdataFile) -> str:
    """A version-1 spec that turns OLD into NEW with `apply`; CertdataError for what it cannot express.

    Removals come first, then modifications, then additions in NEW's order. An added root carries
    its certificate as inline PEM, and `after:` (by SHA-256) when NEW has it before other roots.
    """
    if diff.distrust_entries_added or diff.distrust_entries_removed:
        raise CertdataError("cannot write a change spec for explicit distrust entries (trust objects "
                            "without a certificate): a spec selects roots only", source=new.source)
    occurrences = Counter(root.sha256 for root in diff.old_roots)
    lines = [
        "# Change spec written by `certdata-tool diff --format spec`:",
        "# `certdata-tool apply OLD THIS-FILE` turns the old certdata.txt into the new one.",
    ]
    changes = [_removal(root, occurrences) for root in diff.removed]
    changes.extend(_modification(change, occurrences, new) for change in diff.modified
                   if any(c.field in SPEC_FIELDS for c in change.changes))
    additions = [_addition(root, diff, new) for root in diff.added]
    changes.extend(lines for lines, _ in additions)
    if diff.formatting_changed or not all(as_printed for _, as_printed in additions):
        lines.append("# The files also differ in comments, blank lines or layout, which a spec does "
                     "not carry.")
    if not changes:
        lines.append("# The files have no root changes: there is nothing for a change spec to do.")
        return "\n".join(lines) + "\n"
    lines.extend(["version: 1", "changes:"])
    for change in changes:
        lines.extend(change)
    return "\n".join(lines) + "\n"


def _addition(root: Root, diff: Diff, new: CertdataFile) -> tuple[list[str], bool]:
    """The `add` entry for a root NEW has and OLD lacks, and whether NEW has its text exactly as
    `apply` writes it (else the spec gives the same objects with other comments or spacing)."""

    def refuse(why: str) -> CertdataError:
        return CertdataError(f"cannot write a change spec adding {root.label!r}: {why}", source=new.source,
                             line=root.line)

    problem = label_problem(root.label)
    if problem is not None:
        raise refuse(problem)
    if any(old.sha256 == root.sha256 for old in diff.old_roots):
        raise refuse("OLD already holds this certificate, and an add never writes it a second time")
    if root.trust_index != root.certificate_index + 1:
        raise refuse("its trust object does not follow its certificate object, as addbuiltin writes them")
    levels = {trust_field: root.trust.level(trust_field) for trust_field in TrustField}
    missing = [trust_field.value for trust_field, level in levels.items() if level is None]
    if missing:
        raise refuse(f"its trust object has no readable {', '.join(missing)}")
    certificate, trust = root.certificate(new), new.objects[root.trust_index]
    try:
        expected = root_blocks(
            root.der, root.label,
            server_auth=levels[TrustField.SERVER_AUTH] or TrustLevel.MUST_VERIFY_TRUST,
            email_protection=levels[TrustField.EMAIL_PROTECTION] or TrustLevel.MUST_VERIFY_TRUST,
            code_signing=levels[TrustField.CODE_SIGNING] or TrustLevel.MUST_VERIFY_TRUST,
            step_up_approved=bool(root.trust.step_up_approved),
            server_distrust_after=root.distrust_after.server,
            email_distrust_after=root.distrust_after.email,
            newline=new.newline,
        )
    except ValueError as error:
        raise refuse(str(error)) from None
    for made, found, kind in ((expected[0], certificate, "certificate"), (expected[1], trust, "trust")):
        if signature(made) != signature(found):
            raise refuse(f"its {kind} object is not what addbuiltin prints for it: it "
                         f"{_attribute_difference(made, found)}")
    as_printed = all(_text(made) == _text(found)
                     for made, found in ((expected[0], certificate), (expected[1], trust)))

    lines = [f"  # {_comment(root.label)}", "  - add:", "      certificate: |"]
    lines += [f"        {line}" for line in pem_lines(root.der)]
    lines.append(f"      label: {yaml_quoted(root.label)}")
    lines.append("      trust:")
    lines += [f"        {trust_field.value}: {level.value}" for trust_field, level in levels.items()
              if level is not None]
    dates = [(purpose.value, root.distrust_after.get(purpose)) for purpose in DistrustPurpose]
    if any(moment is not None for _, moment in dates):
        lines.append("      distrust_after:")
        lines += [f"        {name}: {yaml_date(moment)}" for name, moment in dates]
    if root.trust.step_up_approved:
        lines.append("      step_up_approved: true")
    anchor = _anchor(root, diff, new)
    if anchor is not None:
        lines += [f"      # after {_comment(anchor.label)}", f'      after: {{sha256: "{anchor.sha256}"}}']
    return lines, as_printed


def _anchor(root: Root, diff: Diff, new: CertdataFile) -> Root | None:
    """The root NEW has right before `root`, when a plain append would not put `root` where NEW has it."""
    added = {index for other in diff.added
             for index in (other.certificate_index, other.trust_index) if index is not None}
    end = root.trust_index if root.trust_index is not None else root.certificate_index
    if all(index in added for index in range(end + 1, len(new.objects))):
        return None  # only roots added after this one follow it: appending in order gives NEW
    before = root.certificate_index - 1
    for other in diff.new_roots:
        if before in (other.certificate_index, other.trust_index):
            return other
    raise CertdataError(f"cannot write a change spec adding {root.label!r}: it does not follow a root "
                        "(an add goes at the end or after a root)", source=new.source, line=root.line)


def _text(obj: NssObject) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return obj.preamble, tuple(entry.text for entry in obj.entries)


def _attribute_difference(made: NssObject, found: NssObject) -> str:
    """How an object differs from addbuiltin's, in attribute names."""
    made_names = [name for name, _, _ in signature(made)]
    found_names = [name for name, _, _ in signature(found)]
    extra = [name for name in found_names if name not in made_names]
    lacking = [name for name in made_names if name not in found_names]
    if extra or lacking:
        return "; ".join(part for part in (f"has {', '.join(extra)}" if extra else "",
                                           f"lacks {', '.join(lacking)}" if lacking else "") if part)
    if made_names != found_names:
        return "has its attributes in another order"
    values = [name for (name, *made_value), (_, *found_value)
              in zip(signature(made), signature(found), strict=True) if made_value != found_value]
    return f"has other values for {', '.join(values)}"


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


__all__ = ["render_spec"]
