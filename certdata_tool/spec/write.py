"""Writing version-1 change specs: the one YAML writer (quoting, dates) and the spec that adds a root."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..model.blocks import label_problem
from ..model.roots import DistrustPurpose, TrustField, TrustLevel
from ..x509.certificate import name_values
from ..x509.checks import pem_lines
from ..x509.der import certificate_parts
from ..x509.nss_text import info_lines

if TYPE_CHECKING:
    from ..model.selectors import Selector
    from .load import Change

__all__ = ["BUG_PLACEHOLDER", "add_spec_yaml", "changes_yaml", "suggest_label", "yaml_comment", "yaml_date",
           "yaml_quoted"]

_CN = "2.5.4.3"
_O = "2.5.4.10"
_OU = "2.5.4.11"
_SPACES = re.compile(r"\s+")
_NOT_IN_LABEL = re.compile(r'["\\\x00-\x1f\x7f-\x9f]')


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
    """`2024-11-30T23:59:59Z`, midnight included (`2024-06-30T00:00:00Z`): a bare date reads as the
    start of its day, which a reader easily takes for the whole day; `null` for none. A naive
    moment is taken as UTC."""
    if moment is None:
        return "null"
    moment = moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return f"{moment.year:04d}-" + moment.strftime("%m-%dT%H:%M:%SZ")


def yaml_comment(text: str) -> str:
    """A label on a `#` comment line: printable as it is, escaped (without quotes) otherwise."""
    plain = all(yaml_quoted(character) in (f'"{character}"', '"\\""', '"\\\\"') for character in text)
    return text if plain else yaml_quoted(text)[1:-1]


def suggest_label(der: bytes) -> str:
    """A label for a new root: its subject's CN (else OU, else O), made safe for CKA_LABEL.

    Without a CN, the OU names the CA (`certSIGN ROOT CA`) where the O names the company; NSS's
    own labels for such roots follow the OU. ValueError when the subject has none of them.
    """
    subject = certificate_parts(der).subject
    for oid in (_CN, _OU, _O):
        for value in reversed(name_values(subject, oid)):  # the most specific one comes last in DER
            label = _SPACES.sub(" ", _NOT_IN_LABEL.sub(" ", value)).strip()
            if label and label_problem(label) is None:
                return label
    raise ValueError("the certificate's subject has no CN, O or OU to take a label from; give one")


def _bug_value(bug: str | int) -> str:
    text = str(bug).strip()
    if text.isascii() and text.isdigit() and int(text) > 0:
        return str(int(text))
    if text.startswith(("https://", "http://")) and " " not in text:
        return yaml_quoted(text)
    raise ValueError(f"bug must be a Mozilla bug number or a URL, not {text!r}")


def _certificate_lines(der: bytes, certificate_ref: str | None) -> list[str]:
    if certificate_ref is not None:
        return [f"      certificate: {yaml_quoted(certificate_ref)}"]
    return ["      certificate: |", *(f"        {line}" for line in pem_lines(der))]


def add_spec_yaml(
    der: bytes,
    *,
    certificate_ref: str | None,
    label: str | None,
    trust: Mapping[str, TrustLevel],
    distrust_after: Mapping[str, datetime | None] | None = None,
    title: str | None = None,
    bug: str | int | None = None,
) -> str:
    """The YAML text of a spec with one `add` change for `der`, read from `certificate_ref`
    (relative to the spec's folder), or carried in the spec as PEM text when it is None.

    `trust` maps server_auth / email_protection / code_signing to a level (missing ones are
    must_verify_trust); `distrust_after` maps server / email to an instant or None. A label of
    None takes the subject's CN (or OU, or O). ValueError for an unusable label or an unknown key.
    """
    if label is None:
        label = suggest_label(der)
    problem = label_problem(label)
    if problem is not None:
        raise ValueError(problem)
    fields = {field.value: field for field in TrustField}
    unknown = sorted(set(trust) - set(fields))
    if unknown:
        raise ValueError(f"unknown trust field {unknown[0]!r} (expected one of {', '.join(fields)})")
    purposes = {purpose.value: purpose for purpose in DistrustPurpose}
    if distrust_after is not None:
        unknown = sorted(set(distrust_after) - set(purposes))
        if unknown:
            raise ValueError(f"unknown distrust-after purpose {unknown[0]!r} (expected server or email)")

    info = info_lines(der)
    subject = info[2].removeprefix("# Subject: ")
    sha256 = info[5].removeprefix("# Fingerprint (SHA-256): ")
    lines = [
        "# certdata-tool change spec: add one root to certdata.txt.",
        f"# Subject: {subject}",
        f"# SHA-256: {sha256}",
        f"# Valid from {info[3].removeprefix('# Not Valid Before: ')} "
        f"to {info[4].removeprefix('# Not Valid After : ')} (UTC)",
        "version: 1",
        f"title: {yaml_quoted(title if title is not None else f'Add {label}')}",
    ]
    if bug is not None:
        lines.append(f"bug: {_bug_value(bug)}")
    lines += [
        "changes:",
        "  - add:",
        *_certificate_lines(der, certificate_ref),
        f"      label: {yaml_quoted(label)}",
        "      trust:",
    ]
    for name, field in fields.items():
        level = trust.get(name, TrustLevel.MUST_VERIFY_TRUST)
        lines.append(f"        {field.value}: {level.value}")
    if distrust_after is not None:
        lines.append("      distrust_after:")
        for name in purposes:
            lines.append(f"        {name}: {yaml_date(distrust_after.get(name))}")
    return "\n".join(lines) + "\n"


def _selector_yaml(selector: Selector) -> str:
    given = (("label", selector.label), ("sha256", selector.sha256), ("sha1", selector.sha1))
    keys = [f"{key}: {yaml_quoted(value)}" for key, value in given if value is not None]
    if selector.count != 1:
        keys.append(f"count: {selector.count}")
    return "{" + ", ".join(keys) + "}"


def _change_lines(change: Change) -> list[str]:
    """One entry of `changes:` as the loader reads it back to the same Change value."""
    from .load import AddChange

    if isinstance(change, AddChange):
        lines = ["  - add:"]
        lines += _certificate_lines(change.der, change.certificate_ref)
        lines.append(f"      label: {yaml_quoted(change.label)}")
        lines.append("      trust:")
        lines += [f"        {field.value}: {change.trust.get(field, TrustLevel.MUST_VERIFY_TRUST).value}"
                  for field in TrustField]
        if any(change.distrust_after.get(purpose) is not None for purpose in DistrustPurpose):
            lines.append("      distrust_after:")
            lines += [f"        {purpose.value}: {yaml_date(change.distrust_after.get(purpose))}"
                      for purpose in DistrustPurpose]
        if change.step_up_approved:
            lines.append("      step_up_approved: true")
        if change.after is not None:
            lines.append(f"      after: {_selector_yaml(change.after)}")
        return lines
    lines = [f"  - select: {_selector_yaml(change.selector)}"]
    if change.remove:
        return [*lines, "    remove: true"]
    if change.trust or change.step_up_approved is not None:
        lines.append("    trust:")
        lines += [f"      {field.value}: {level.value}" for field in TrustField
                  if (level := (change.trust or {}).get(field)) is not None]
        if change.step_up_approved is not None:
            lines.append(f"      step_up_approved: {'true' if change.step_up_approved else 'false'}")
    if change.mozilla_ca_policy is not None:
        lines.append(f"    mozilla_ca_policy: {'true' if change.mozilla_ca_policy else 'false'}")
    if change.distrust_after:
        lines.append("    distrust_after:")
        lines += [f"      {purpose.value}: {yaml_date(change.distrust_after[purpose])}"
                  for purpose in DistrustPurpose if purpose in change.distrust_after]
    if change.rename is not None:
        lines.append(f"    rename: {yaml_quoted(change.rename)}")
    return lines


# Where a spec has no bug yet: a comment, so the spec loads as written (bug is optional), that
# fails loudly if uncommented unfilled ("expected a Mozilla bug number or a URL").
BUG_PLACEHOLDER = "# bug: NNNNNNN    # the Mozilla bug number: fill it in and remove the first #"


def changes_yaml(changes: Sequence[tuple[Sequence[str], Change]], *, header: Sequence[str] = (),
                 title: str | None = None, bug: str | int | None = None,
                 bug_placeholder: bool = False) -> str:
    """The YAML text of a version-1 spec holding `changes`, each after its comment lines.

    `header` lines are comments above `version:`. Without a `bug`, `bug_placeholder` writes
    BUG_PLACEHOLDER where it goes. Loading the text gives the same changes back (an added root's
    certificate as inline PEM unless it has a `certificate_ref`).
    """
    lines = [f"# {yaml_comment(line)}" if line else "#" for line in header]
    lines.append("version: 1")
    if title is not None:
        lines.append(f"title: {yaml_quoted(title)}")
    if bug is not None:
        lines.append(f"bug: {_bug_value(bug)}")
    elif bug_placeholder:
        lines.append(BUG_PLACEHOLDER)
    lines.append("changes:")
    for comments, change in changes:
        lines += [f"  # {yaml_comment(comment)}" for comment in comments]
        lines += _change_lines(change)
    return "\n".join(lines) + "\n"
