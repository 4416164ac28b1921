"""Debian's `/usr/share/ca-certificates/mozilla/`: one bare PEM `NAME.crt` per root, named and chosen
by label as certdata2pem.py does."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ...model.roots import TrustLevel
from ..folder import DirectoryExport
from ..pem import pem_block
from ..policy import Decision, Selection, Verdict, expired, select_roots
from . import ProfileDefaults, ProfileSource, written_label

if TYPE_CHECKING:
    from ...model.roots import RootSet
    from ...syntax.nssfile import CertdataFile
    from ..exclusions import Exclusion
    from ..policy import ExportPolicy

# Debian keeps expired roots and does not act on distrust-after dates; no date is needed.
DEFAULTS = ProfileDefaults()

SUFFIX = ".crt"
_NAME_CHARACTERS = str.maketrans({"/": "_", " ": "_", ",": "_", "(": "=", ")": "="})


def file_stem(written: str) -> str:
    """The label without its quotes; `/`, space and `,` become `_`, `(` and `)` become `=`; nothing else
    changes (so a leading space becomes a leading `_`)."""
    return written[1:-1].translate(_NAME_CHARACTERS)


def select(store: CertdataFile, root_set: RootSet, policy: ExportPolicy,
           exclusions: Iterable[Exclusion]) -> Selection:
    """certdata2pem.py decides trust by label: a label counts when a trust object carrying it (and not
    excluded) is trusted, and then every certificate with that label is written."""
    selection = select_roots(root_set, policy, exclusions, one_copy_each=False)
    objects = store.objects
    trusted_by: dict[str, int] = {}  # label -> line of the trust object that makes it count
    for decision in selection.decisions:
        if decision.verdict is Verdict.KEPT and decision.root is not None:
            index = decision.root.trust_index
            if index is not None:  # a kept root has its trust object
                trusted_by.setdefault(objects[index].label or "", objects[index].line)
        elif decision.entry is not None and decision.excluded_by is None and any(
                decision.entry.trust.level(p.trust_field) is TrustLevel.TRUSTED_DELEGATOR
                for p in policy.purposes):
            trusted_by.setdefault(decision.label, decision.line)
    decisions = [_by_label(decision, trusted_by, policy) for decision in selection.decisions]
    return selection._replace(decisions=tuple(_one_file_each(store, decisions)))


def _by_label(decision: Decision, trusted_by: dict[str, int], policy: ExportPolicy) -> Decision:
    root = decision.root
    if root is None or decision.excluded_by is not None or not root.der:
        return decision
    line = trusted_by.get(root.label)
    if decision.verdict is Verdict.KEPT:
        if line is not None:
            return decision
        return decision._replace(verdict=Verdict.DROPPED, purposes=(), dated=(), reasons=(
            *decision.reasons, "certdata2pem.py writes certificates by label, and no trusted trust "
            f"object carries the label {root.label!r}"))
    own = [p for p in policy.purposes if root.trust.level(p.trust_field) is TrustLevel.TRUSTED_DELEGATOR]
    if line is None or own:
        return decision  # not trusted by label, or left out by the policy for its own dates
    expiry = expired(root, policy)
    if expiry is not None:
        return decision._replace(reasons=(*decision.reasons, expiry))
    return decision._replace(verdict=Verdict.KEPT, purposes=policy.purposes, reasons=(
        *decision.reasons, "written anyway: certdata2pem.py trusts by label, and the trust object "
        f"at line {line} carries this label and is trusted"))


def _one_file_each(store: CertdataFile, decisions: list[Decision]) -> list[Decision]:
    """A second root with a name gets `_2`; a third gets `_2` too and so replaces the second's file,
    as certdata2pem.py does: the replaced root is reported as dropped."""
    owner: dict[str, int] = {}  # file name -> position in `decisions`
    for position, decision in enumerate(decisions):
        if decision.verdict is not Verdict.KEPT or decision.root is None:
            continue
        stem = file_stem(written_label(store, decision.root.certificate_index))
        name = stem + SUFFIX
        if name in owner:
            name = f"{stem}_2{SUFFIX}"
        earlier = owner.get(name)
        if earlier is not None:
            replaced = decisions[earlier]
            decisions[earlier] = replaced._replace(verdict=Verdict.DROPPED, purposes=(), dated=(), reasons=(
                *replaced.reasons, f"its file {name} is written again for the root at line "
                f"{decision.line}, as certdata2pem.py does"))
        owner[name] = position
    return decisions


def file_names(store: CertdataFile, selection: Selection) -> dict[int, str]:
    """Line of each written root -> its file name."""
    names: dict[int, str] = {}
    used: set[str] = set()
    for decision in selection.kept:
        assert decision.root is not None
        stem = file_stem(written_label(store, decision.root.certificate_index))
        name = stem + SUFFIX if stem + SUFFIX not in used else f"{stem}_2{SUFFIX}"
        used.add(name)
        names[decision.line] = name
    return names


def render(store: CertdataFile, selection: Selection, source: ProfileSource) -> DirectoryExport:
    names = file_names(store, selection)
    files = []
    for decision in selection.kept:
        assert decision.root is not None
        files.append((names[decision.line], pem_block("CERTIFICATE", decision.root.der).encode("ascii")))
    files.sort(key=lambda item: item[0].encode("utf-8"))
    # Nothing but the certificates: no hash links, no index. A folder holding only `.crt` files is
    # replaced whole.
    return DirectoryExport(files=tuple(files), links=(), manifest=None, replaceable_suffix=SUFFIX)
