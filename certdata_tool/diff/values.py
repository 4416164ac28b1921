"""What a comparison of two certdata files finds, as frozen values: root changes field by field,
attribute changes in words, and the lines that differ outside every changed root."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.roots import DistrustEntry, Root
from ..model.roots import field_value as root_field_value
from ..model.vocabulary import FIELD_ATTRIBUTES, ROOT_FIELDS, nss_name
from ..syntax.nssfile import Attribute, NssObject

# The fields a reviewer cares about, in the order every view lists them: a root's fields, then the
# values on the trust object, where NSS never reads them (shown so nobody takes one for a date).
FIELDS = (
    *ROOT_FIELDS,
    "trust_object.distrust_after.server",
    "trust_object.distrust_after.email",
)

# The attribute behind each field: (object, attribute name). A difference in one of these is
# already said by the field change and is not repeated among the attribute changes.
DIFF_FIELD_ATTRIBUTES = {
    **FIELD_ATTRIBUTES,
    ("trust", "CKA_NSS_SERVER_DISTRUST_AFTER"): "trust_object.distrust_after.server",
    ("trust", "CKA_NSS_EMAIL_DISTRUST_AFTER"): "trust_object.distrust_after.email",
}

# What NSS compiles from an attribute line: comments, spacing, octal line breaks and junk after
# the value (certdata.perl ignores extra fields) are not part of it.
Signature = tuple[str, str, bytes | str]


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of a root, old → new (str | bool | TrustLevel | datetime | None)."""

    field: str
    old: object
    new: object


@dataclass(frozen=True, slots=True)
class RootChange:
    """A root present in both files whose certificate or trust object differs."""

    old: Root
    new: Root
    changes: tuple[FieldChange, ...]  # in FIELDS order; empty when only other attributes differ
    # Object-level differences no FIELD captures, in words, such as
    # "certificate object: CKA_NSS_SERVER_DISTRUST_AFTER added (CK_BBOOL CK_FALSE)".
    attribute_changes: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.new.label

    @property
    def sha256(self) -> str:
        return self.new.sha256


@dataclass(frozen=True, slots=True)
class OutsideChange:
    """Lines that differ outside every changed root: OLD's lines [old_start, old_end) became NEW's
    [new_start, new_end) (0-based; an empty side is where the other side's lines go)."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int
    removed: tuple[str, ...]  # OLD's lines, terminators included
    added: tuple[str, ...]
    moved: str = ""  # the label of an object that only changed place (removed and added are empty)


@dataclass(frozen=True, slots=True)
class Diff:
    """What changed from OLD to NEW. Roots are identified by the SHA-256 of their certificate."""

    old_roots: tuple[Root, ...]
    new_roots: tuple[Root, ...]
    added: tuple[Root, ...]  # in NEW's order
    removed: tuple[Root, ...]  # in OLD's order
    modified: tuple[RootChange, ...]  # in NEW's order
    distrust_entries_added: tuple[DistrustEntry, ...]
    distrust_entries_removed: tuple[DistrustEntry, ...]
    # The texts differ in ways that change no root object: comments, blank lines, header text,
    # object order, spacing, or objects that are neither roots nor distrust entries.
    formatting_changed: bool
    # Where: the stretches of lines that differ outside the changed roots and entries, in file order.
    outside: tuple[OutsideChange, ...] = ()

    def __repr__(self) -> str:
        # Counts only: the roots' labels and hashes are one `for` away, their DER never belongs here.
        return (f"Diff(old_roots={len(self.old_roots)}, new_roots={len(self.new_roots)}, "
                f"added={len(self.added)}, removed={len(self.removed)}, modified={len(self.modified)}, "
                f"formatting_changed={self.formatting_changed})")

    @property
    def root_changes(self) -> bool:
        """Some root or explicit distrust entry was added, removed or modified."""
        return bool(self.added or self.removed or self.modified
                    or self.distrust_entries_added or self.distrust_entries_removed)

    @property
    def has_differences(self) -> bool:
        """Anything at all differs (root changes or formatting)."""
        return self.root_changes or self.formatting_changed

    @property
    def identical(self) -> bool:
        """The two texts are byte for byte the same (compare() guarantees it is `not has_differences`)."""
        return not self.has_differences


def field_value(root: Root, field: str) -> object:
    """The value of one of FIELDS for `root`."""
    group, _, name = field.partition(".")
    if group == "trust_object":
        return getattr(root.trust_object_distrust_after, name.removeprefix("distrust_after."))
    return root_field_value(root, field)


def signature(obj: NssObject) -> tuple[Signature, ...]:
    """The attributes of an object as NSS compiles them, in file order."""
    return tuple(attribute_signature(a) for a in obj.attributes())


def attribute_signature(attribute: Attribute) -> Signature:
    value = attribute.value
    if isinstance(value, str) and attribute.type != "UTF8":
        value = nss_name(value)  # CKT_NETSCAPE_VALID compiles to the value of CKT_NSS_NOT_TRUSTED
    return (attribute.name, attribute.type, value)
