"""Export a certdata.txt's roots in the formats distributions ship: a policy, then one writer per format."""

from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

from ..moments import iso
from ..printable import printable
from .policy import (
    GRACE_PERIOD,
    Decision,
    DistrustAfterPolicy,
    ExportPolicy,
    Purpose,
    Selection,
    Verdict,
    make_policy,
    select_roots,
)

if TYPE_CHECKING:
    from .folder import DirectoryExport
    from .profiles import Profile


class ExportFormat(Enum):
    PEM = "pem"
    OPENSSL = "openssl"
    P11_KIT = "p11-kit"
    DIRECTORY = "directory"
    JAVA = "java"

    @property
    def carries_distrust_after(self) -> bool:
        """Whether the format can hold a distrust-after date (only p11-kit's attributes can)."""
        return self is ExportFormat.P11_KIT

    @property
    def carries_distrust(self) -> bool:
        """Whether the format can say "never trust this certificate" (and so writes distrusted roots)."""
        return self in (ExportFormat.OPENSSL, ExportFormat.P11_KIT)

    @property
    def is_directory(self) -> bool:
        return self is ExportFormat.DIRECTORY


class Provenance(NamedTuple):
    """What a written file says about where it came from: never a timestamp."""

    source_sha256: str  # of the certdata bytes read, upper-case hex
    export_format: ExportFormat
    policy: ExportPolicy

    def options(self) -> str:
        return f"--format {self.export_format.value} {self.policy.options()}"


def header_lines(provenance: Provenance, selection: Selection) -> tuple[str, ...]:
    """Comment lines (without `# `) that open every format that has comments."""
    policy = provenance.policy
    fmt = provenance.export_format
    purposes = ", ".join(p.value for p in policy.purposes)
    lines = [
        "Trust anchors exported by certdata-tool from a Mozilla NSS certdata.txt",
        f"Source SHA-256: {provenance.source_sha256}",
        f"Options: {provenance.options()}",
        f"Selection: roots whose NSS trust is trusted_delegator for {purposes}",
        f"Distrust-after: {_policy_words(policy)}",
        f"Dates: {_date_words(fmt)}",
        f"At: {iso(policy.at)}" if policy.at is not None
        else "At: not given (no decision depends on the clock)",
        f"Expired roots: {'dropped' if policy.drop_expired else 'kept'}",
    ]
    count = f"Roots: {len(selection.kept)} trusted"
    if fmt.carries_distrust:
        written = [d for d in selection.distrusted if d.root is not None or fmt is ExportFormat.P11_KIT]
        count += f", {len(written)} distrusted"
    lines.append(count)
    return tuple(lines)


def _policy_words(policy: ExportPolicy) -> str:
    rule = policy.distrust_after
    if rule is DistrustAfterPolicy.KEEP:
        return "keep (roots stay: NSS still trusts certificates issued before the date)"
    if rule is DistrustAfterPolicy.DROP and policy.at is None:
        return "drop (a root is left out for every purpose that has a date; no --at)"
    if rule is DistrustAfterPolicy.DROP:
        return "drop (a root is left out for a purpose whose date has passed at --at)"
    return (f"grace (a root is left out for a purpose once --at is more than {GRACE_PERIOD.days} days "
            "past the date)")


def _date_words(fmt: ExportFormat) -> str:
    if fmt.carries_distrust_after:
        return "carried as nss-server-distrust-after and nss-email-distrust-after"
    return f"{fmt.value} cannot carry distrust-after dates; its readers do not enforce them"


def explain(selection: Selection, export_format: "ExportFormat | Profile") -> str:
    """One line per root and distrust entry: kept, dropped or distrusted, and why."""
    lines: list[str] = []
    for decision in selection.decisions:
        reasons = list(decision.reasons)
        if decision.dated:
            if export_format.carries_distrust_after:
                reasons.append("the distrust-after date is carried in the output")
            else:
                reasons.append(f"{export_format.value} cannot carry the distrust-after date")
        if decision.verdict is Verdict.DISTRUSTED:
            if export_format.carries_distrust and decision.root is not None:
                reasons.append("written as distrusted")
            elif export_format is ExportFormat.P11_KIT:
                reasons.append("written as distrusted by issuer and serial number")
            else:
                reasons.append("not written")
        lines.append(f"{decision.verdict.value:<10} {printable(decision.label)} (line {decision.line}): "
                     + "; ".join(reasons))
    kept = len(selection.kept)
    distrusted = len(selection.distrusted)
    dropped = len(selection.decisions) - kept - distrusted
    excluded = sum(1 for d in selection.decisions if d.excluded_by is not None)
    options = selection.policy.options()
    if not isinstance(export_format, ExportFormat):
        options = f"--profile {export_format.value} {options}"
    lines.append(f"summary: {kept} kept, {dropped} dropped"
                 + (f" ({excluded} excluded)" if excluded else "")
                 + f", {distrusted} distrusted ({options})")
    return "\n".join(lines) + "\n"


def render(selection: Selection, provenance: Provenance) -> bytes:
    """The bytes of a single-file format (every format but `directory`)."""
    fmt = provenance.export_format
    if fmt is ExportFormat.PEM:
        from . import pem

        return pem.render(selection, provenance)
    if fmt is ExportFormat.OPENSSL:
        from . import openssl

        return openssl.render(selection, provenance)
    if fmt is ExportFormat.P11_KIT:
        from . import p11kit

        return p11kit.render(selection, provenance)
    if fmt is ExportFormat.JAVA:
        from . import java

        return java.render(selection, provenance)
    raise ValueError(f"{fmt.value} is not a single-file format; use render_directory")


def render_directory(selection: Selection, provenance: Provenance) -> "DirectoryExport":
    """The files and hash links of the `directory` format."""
    from . import directory

    return directory.render(selection, provenance)


__all__ = [
    "Decision",
    "DistrustAfterPolicy",
    "ExportFormat",
    "ExportPolicy",
    "Provenance",
    "Purpose",
    "Selection",
    "Verdict",
    "explain",
    "header_lines",
    "make_policy",
    "render",
    "render_directory",
    "select_roots",
]
