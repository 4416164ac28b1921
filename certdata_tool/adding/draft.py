"""The spec that adds a bug's roots: one `add` per CA certificate in the files given, for review."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from ..errors import CertdataError
from ..model.blocks import label_problem
from ..model.roots import DistrustPurpose, TrustField, TrustLevel
from ..printable import printable
from ..spec.changes import AddChange
from ..spec.write import changes_yaml, suggest_label
from ..x509.certificate import certificate_facts
from ..x509.checks import certificate_warnings, certificates_from_bytes
from ..x509.nss_text import info_lines

__all__ = ["DEFAULT_TRUST", "TRUST_WORDS", "AddDraft", "CertificateFile", "NewRoot", "draft_add_spec",
           "trust_item"]

# `--trust server,email,code-signing`: the purposes a new root is trusted for (as a CA).
TRUST_WORDS = {"server": TrustField.SERVER_AUTH, "email": TrustField.EMAIL_PROTECTION,
               "code-signing": TrustField.CODE_SIGNING}
# Most roots Mozilla adds are for websites; the others say so in the bug.
DEFAULT_TRUST: Mapping[TrustField, TrustLevel] = {TrustField.SERVER_AUTH: TrustLevel.TRUSTED_DELEGATOR}


@dataclass(frozen=True, slots=True)
class CertificateFile:
    """One input: a certificate, a PEM bundle or DER, with how the spec may name it."""

    name: str  # as messages show it
    data: bytes
    # The spec's `certificate:` line for a file of one certificate (relative to the spec's
    # folder); None writes the certificate inline. A bundle's certificates are always inline: a
    # file name cannot pick one certificate of several.
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class NewRoot:
    """A root the spec adds."""

    name: str  # `bundle.pem (certificate 2 of 3)`, or the file's name
    der: bytes
    label: str
    sha256: str


@dataclass(frozen=True, slots=True)
class AddDraft:
    """`spec add`'s result: the spec's text, the roots it adds and what a maintainer should know."""

    text: str
    roots: tuple[NewRoot, ...]
    warnings: tuple[str, ...]  # `NAME: message`: odd certificates, duplicates; none stops the spec


def trust_item(text: str) -> tuple[TrustField, TrustLevel]:
    """One item of `--trust`: a purpose (`server`, `email`, `code-signing`: trusted as a CA) or
    `USAGE=VALUE` for any other level; ValueError saying what is expected otherwise."""
    fields = {**TRUST_WORDS, **{field.value: field for field in TrustField}}
    key, sep, value = text.partition("=")
    field = fields.get(key.strip())
    if field is None:
        raise ValueError("expected server, email or code-signing (or USAGE=VALUE with USAGE one of "
                         f"{', '.join(field.value for field in TrustField)})")
    return field, TrustLevel.from_name(value) if sep else TrustLevel.TRUSTED_DELEGATOR


def draft_add_spec(files: Sequence[CertificateFile], *, label: str | None = None,
                   trust: Mapping[TrustField, TrustLevel] | None = None,
                   distrust_after: Mapping[DistrustPurpose, datetime | None] | None = None,
                   title: str | None = None, bug: str | int | None = None,
                   at: datetime | None = None) -> AddDraft:
    """A version-1 spec adding every certificate in `files`, in order, each once.

    A label of None takes each subject's CN (else OU, else O); a label names one root only. `trust`
    None is DEFAULT_TRUST; the usages it leaves out are must_verify_trust. Without `title` the
    spec's is `Add LABEL and LABEL`; without `bug` a placeholder comment stands where it goes, so
    the spec loads as written. `at` is when the certificates' validity is judged (warnings only;
    None: not judged). CertdataError for what is not a certificate, a certificate that is not a
    CA, or an unusable label or bug.
    """
    certificates = [found for file in files for found in _certificates(file)]
    if label is not None and len(certificates) != 1:
        raise CertdataError(f"one label given for {len(certificates)} certificates: a label names one root",
                            hint="without a label each root takes its subject's CN (else OU, else O)")
    trust = DEFAULT_TRUST if trust is None else trust
    roots: list[NewRoot] = []
    changes: list[tuple[list[str], AddChange]] = []
    warnings: list[str] = []
    for name, der, reference in certificates:
        _refuse_unless_ca(name, der)
        sha256 = certificate_facts(der).sha256
        first = next((root for root in roots if root.sha256 == sha256), None)
        if first is not None:
            warnings.append(f"{name}: the same certificate as {first.name}; the spec adds it once")
            continue
        root = NewRoot(name, der, _label(name, der, label), sha256)
        roots.append(root)
        changes.append((_comments(root), _change(root, reference, trust, distrust_after, len(changes))))
        warnings += [f"{name}: {problem}" for problem in certificate_warnings(der, at)]
    labels = [root.label for root in roots]
    # apply warns about a label another root uses; two new roots sharing one are caught here first.
    warnings += [f'the label "{printable(repeated)}" is taken by more than one certificate; give each root '
                 "its own label in the spec"
                 for repeated, count in sorted(Counter(labels).items()) if count > 1]
    header = [f"certdata-tool change spec: add {_count(len(roots))} to certdata.txt.",
              "Check the title and the trust before review." if bug is not None
              else "Check the title and the trust; fill in the bug before review."]
    try:
        text = changes_yaml(changes, header=header, title=title if title is not None else _title(labels),
                            bug=bug, bug_placeholder=True)
    except ValueError as error:
        raise CertdataError(str(error)) from None
    return AddDraft(text, tuple(roots), tuple(warnings))


def _certificates(file: CertificateFile) -> list[tuple[str, bytes, str | None]]:
    try:
        found = certificates_from_bytes(file.data, file.name)
    except ValueError as error:
        raise CertdataError(str(error)) from None
    reference = file.reference if len(found) == 1 else None
    return [(name, der, reference) for name, der in found]


def _refuse_unless_ca(name: str, der: bytes) -> None:
    """NSS's roots are CA certificates: a leaf or a v1 certificate here is a mistake in the bug's files."""
    facts = certificate_facts(der)
    if facts.ca:
        return
    why = ("it has no basicConstraints extension" if facts.ca is None
           else "its basicConstraints says cA is false")
    subject = f" ({printable(facts.subject)})" if facts.subject else ""
    raise CertdataError(f"not a CA certificate{subject}: {why}; a root must be a CA", source=name)


def _label(name: str, der: bytes, label: str | None) -> str:
    try:
        chosen = suggest_label(der) if label is None else label
    except ValueError as error:
        raise CertdataError(str(error), source=name) from None
    problem = label_problem(chosen)
    if problem is not None:
        raise CertdataError(problem, source=name)
    return chosen


def _change(root: NewRoot, reference: str | None, trust: Mapping[TrustField, TrustLevel],
            distrust_after: Mapping[DistrustPurpose, datetime | None] | None, index: int) -> AddChange:
    levels = {field: trust.get(field, TrustLevel.MUST_VERIFY_TRUST) for field in TrustField}
    dates = {purpose: (distrust_after or {}).get(purpose) for purpose in DistrustPurpose}
    return AddChange(root.der, root.label, levels, dates, certificate_ref=reference, path=f"changes[{index}]")


def _comments(root: NewRoot) -> list[str]:
    """What a reviewer compares with the bug and CCADB, above the root's `add`."""
    info = info_lines(root.der)
    return [
        root.label,
        info[2].removeprefix("# "),
        f"SHA-256: {info[5].removeprefix('# Fingerprint (SHA-256): ')}",
        f"Valid from {info[3].removeprefix('# Not Valid Before: ')} "
        f"to {info[4].removeprefix('# Not Valid After : ')} (UTC)",
    ]


def _title(labels: list[str]) -> str:
    """`Add A`, `Add A and B`, `Add A, B and C`."""
    if len(labels) <= 2:
        return "Add " + " and ".join(labels)
    return "Add " + ", ".join(labels[:-1]) + " and " + labels[-1]


def _count(number: int) -> str:
    return "one root" if number == 1 else f"{number} roots"
