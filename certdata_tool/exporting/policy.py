"""Which roots an export writes, and why: purposes, the distrust-after policy, expiry, `--at`."""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from ..errors import CertdataError, ExportError
from ..model.roots import DistrustEntry, DistrustPurpose, Root, RootSet, TrustField, TrustLevel
from ..moments import human_date, iso

if TYPE_CHECKING:
    from .exclusions import Exclusion

_Word = TypeVar("_Word", bound=Enum)


def choose(kind: type[_Word], word: object, what: str,
           error: type[CertdataError] = ExportError) -> _Word:
    """`word`, a member of `kind` or its value as text (`"server"`), as the member; `error` naming
    the choices for anything else (a library caller's typo, as the command line's choices do)."""
    if isinstance(word, kind):
        return word
    try:
        return kind(word)
    except ValueError:
        choices = ", ".join(str(member.value) for member in kind)
        raise error(f"unknown {what} {word!r}: expected one of {choices}") from None


# The longest validity a publicly trusted TLS server certificate may have had since 2020-09-01
# (CA/Browser Forum Baseline Requirements): after the distrust-after date plus this, no leaf that
# NSS still accepts from the root can be valid any more.
GRACE_PERIOD = timedelta(days=398)


class Purpose(Enum):
    """What a root is exported for, with the NSS trust attribute behind it."""

    SERVER = "server"
    EMAIL = "email"
    CODE_SIGNING = "code-signing"

    @property
    def trust_field(self) -> TrustField:
        return _TRUST_FIELDS[self]

    @property
    def distrust_purpose(self) -> DistrustPurpose | None:
        """The purpose whose distrust-after date applies (NSS has none for code signing)."""
        return _DISTRUST_PURPOSES.get(self)

    @property
    def oid(self) -> str:
        """The extended key usage OID OpenSSL, p11-kit and Java use for this purpose."""
        return _OIDS[self]


_TRUST_FIELDS = {
    Purpose.SERVER: TrustField.SERVER_AUTH,
    Purpose.EMAIL: TrustField.EMAIL_PROTECTION,
    Purpose.CODE_SIGNING: TrustField.CODE_SIGNING,
}
_DISTRUST_PURPOSES = {Purpose.SERVER: DistrustPurpose.SERVER, Purpose.EMAIL: DistrustPurpose.EMAIL}
_OIDS = {
    Purpose.SERVER: "1.3.6.1.5.5.7.3.1",  # id-kp-serverAuth
    Purpose.EMAIL: "1.3.6.1.5.5.7.3.4",  # id-kp-emailProtection
    Purpose.CODE_SIGNING: "1.3.6.1.5.5.7.3.3",  # id-kp-codeSigning
}


class DistrustAfterPolicy(Enum):
    """What to do with a root that has a distrust-after date for an exported purpose."""

    KEEP = "keep"
    DROP = "drop"
    GRACE = "grace"


class ExportPolicy(NamedTuple):
    """The selection rules of one export. Build it with `make_policy`, which checks it."""

    purposes: tuple[Purpose, ...] = (Purpose.SERVER,)
    distrust_after: DistrustAfterPolicy = DistrustAfterPolicy.KEEP
    drop_expired: bool = False
    at: datetime | None = None

    def options(self) -> str:
        """The command-line options that give this policy, in a fixed order."""
        words = [f"--purpose {purpose.value}" for purpose in self.purposes]
        words.append(f"--distrust-after {self.distrust_after.value}")
        if self.drop_expired:
            words.append("--drop-expired")
        if self.at is not None:
            words.append(f"--at {iso(self.at)}")
        return " ".join(words)


class ProfileDefaults(NamedTuple):
    """The policy a distributor uses today (every value can be overridden by an explicit option);
    `ProfileDefaults()` is the tool's own. Here, not in profiles/, so that an export without a
    profile loads none of them."""

    purposes: tuple[Purpose, ...] = (Purpose.SERVER,)
    distrust_after: DistrustAfterPolicy = DistrustAfterPolicy.KEEP
    drop_expired: bool = False
    at_required: str | None = None  # why the profile needs the moment; None when it does not


def make_policy(purposes: Iterable[Purpose] = (Purpose.SERVER,),
                distrust_after: DistrustAfterPolicy = DistrustAfterPolicy.KEEP,
                drop_expired: bool = False, at: datetime | None = None) -> ExportPolicy:
    """A checked policy; purposes are de-duplicated and put in a fixed order (server, email, code signing)."""
    chosen = set(purposes)
    if not chosen:
        raise ExportError("no purpose: an export is for at least one purpose (server, email, code-signing)")
    if distrust_after is DistrustAfterPolicy.GRACE and at is None:
        raise ExportError("the grace policy needs the moment to judge at",
                          hint=f"grace keeps a root until that moment is more than {GRACE_PERIOD.days} "
                               "days past its distrust-after date; the tool never reads the clock by "
                               "itself")
    if drop_expired and at is None:
        raise ExportError("dropping expired roots needs the moment to judge expiry at",
                          hint="the tool never reads the clock by itself")
    if at is not None:
        at = at.astimezone(UTC)
    return ExportPolicy(tuple(p for p in Purpose if p in chosen), distrust_after, drop_expired, at)


class Verdict(Enum):
    KEPT = "kept"  # written as a trust anchor
    DROPPED = "dropped"  # not written
    DISTRUSTED = "distrusted"  # explicitly distrusted: never a trust anchor; formats that can say so do


class Decision(NamedTuple):
    """What happens to one root (or trust-only distrust entry), with the reasons in words."""

    label: str
    line: int
    verdict: Verdict
    purposes: tuple[Purpose, ...]  # purposes the root is written as trusted for
    rejected: tuple[Purpose, ...]  # to reject explicitly: NSS distrusts them, or the policy dropped them
    dated: tuple[Purpose, ...]  # kept purposes that have a distrust-after date
    reasons: tuple[str, ...]
    root: Root | None = None
    entry: DistrustEntry | None = None
    excluded_by: "Exclusion | None" = None  # the --exclude / --exclude-file entry that left it out


class Selection(NamedTuple):
    """Every root's decision, in file order, and the policy that made them."""

    policy: ExportPolicy
    decisions: tuple[Decision, ...]
    unmatched_exclusions: "tuple[Exclusion, ...]" = ()  # entries that matched nothing: warnings

    @property
    def kept(self) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if d.verdict is Verdict.KEPT)

    @property
    def distrusted(self) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if d.verdict is Verdict.DISTRUSTED)


def select_roots(root_set: RootSet, policy: ExportPolicy, exclusions: "Iterable[Exclusion]" = (), *,
                 one_copy_each: bool = True) -> Selection:
    """Decide, for every root and distrust entry of the file, whether and how it is exported.

    An excluded root (or distrust entry) is left out of every format, also as a distrust statement.
    `one_copy_each=False` writes a certificate as often as the file lists it, as distributors'
    converters do (they read certificate objects, not certificates).
    """
    excluded: dict[int, Exclusion] = {}
    unmatched: tuple[Exclusion, ...] = ()
    if exclusions:  # the usual export has none, and does not load their module
        from .exclusions import match_exclusions

        matched = match_exclusions(exclusions, root_set.roots, root_set.distrust_entries)
        excluded, unmatched = matched.by_line, matched.unmatched
    decisions = [_decide_root(root, policy) if root.line not in excluded
                 else _excluded(root.label, root.line, excluded[root.line], root=root)
                 for root in root_set.roots]
    decisions.extend(_decide_entry(entry, policy) if entry.line not in excluded
                     else _excluded(entry.label, entry.line, excluded[entry.line], entry=entry)
                     for entry in root_set.distrust_entries)
    decisions.sort(key=lambda d: d.line)
    return Selection(policy, tuple(_one_copy_each(decisions) if one_copy_each else decisions),
                     unmatched)


def _excluded(label: str, line: int, exclusion: "Exclusion", root: Root | None = None,
              entry: DistrustEntry | None = None) -> Decision:
    return Decision(label, line, Verdict.DROPPED, (), (), (), (f"excluded by {exclusion.describe()}",),
                    root=root, entry=entry, excluded_by=exclusion)


def not_after(root: Root) -> datetime | None:
    """The end of the root's validity; read from the DER directly (the common case, and cheap),
    else through the certificate reader, which copes with odd encodings."""
    from ..x509 import der  # only --drop-expired asks

    try:
        return der.validity_end(root.der)
    except ValueError:
        return root.facts().not_after


def expired(root: Root, policy: ExportPolicy) -> str | None:
    """Why `--drop-expired` leaves the root out at `--at`, or None when it does not."""
    if not policy.drop_expired or policy.at is None:
        return None
    end = not_after(root)
    if end is None or policy.at <= end:
        return None
    return f"expired {human_date(end)}, before --at {human_date(policy.at)} (--drop-expired)"


def _decide_root(root: Root, policy: ExportPolicy) -> Decision:
    if not root.der:
        return Decision(root.label, root.line, Verdict.DROPPED, (), (), (),
                        ("the certificate object has no CKA_VALUE",), root=root)
    trusted: list[Purpose] = []
    rejected: list[Purpose] = []
    dated: list[Purpose] = []
    reasons: list[str] = []
    distrusted = False
    for purpose in policy.purposes:
        level = root.trust.level(purpose.trust_field)
        if level is TrustLevel.TRUSTED_DELEGATOR:
            keep, reason = _distrust_after_rule(root, purpose, policy)
            reasons.append(reason)
            if keep:
                trusted.append(purpose)
                if _date(root, purpose) is not None:
                    dated.append(purpose)
            else:
                rejected.append(purpose)
        elif level is TrustLevel.NOT_TRUSTED:
            distrusted = True
            reasons.append(f"{purpose.value}: not_trusted (explicitly distrusted)")
        elif level is None:
            reasons.append(f"{purpose.value}: no trust value (not a trust anchor)")
        else:
            reasons.append(f"{purpose.value}: {level.value} (not a trust anchor)")
    # NSS's explicit distrust is repeated in every format that can say "reject", purpose by purpose.
    rejected.extend(p for p in Purpose
                    if root.trust.level(p.trust_field) is TrustLevel.NOT_TRUSTED and p not in rejected)
    rejected_in_order = tuple(p for p in Purpose if p in rejected)
    if trusted:
        expiry = expired(root, policy)
        if expiry is not None:
            reasons.append(expiry)
            trusted = []
    if trusted:
        verdict = Verdict.KEPT
    elif distrusted:
        verdict = Verdict.DISTRUSTED
    else:
        verdict = Verdict.DROPPED
    return Decision(root.label, root.line, verdict, tuple(trusted), rejected_in_order,
                    tuple(dated) if trusted else (), tuple(reasons), root=root)


def _date(root: Root, purpose: Purpose) -> datetime | None:
    distrust_purpose = purpose.distrust_purpose
    return None if distrust_purpose is None else root.distrust_after.get(distrust_purpose)


def _distrust_after_rule(root: Root, purpose: Purpose, policy: ExportPolicy) -> tuple[bool, str]:
    """Whether a root trusted for `purpose` stays trusted for it, and the reason in words."""
    head = f"{purpose.value}: trusted_delegator"
    date = _date(root, purpose)
    if date is None:
        return True, head
    when = f"distrust-after {human_date(date)}"
    at = policy.at
    if policy.distrust_after is DistrustAfterPolicy.KEEP:
        return True, f"{head}, {when}; kept (policy keep)"
    if policy.distrust_after is DistrustAfterPolicy.DROP:
        if at is None:
            return False, f"{head}, {when}; dropped (policy drop without --at)"
        if at > date:
            return False, f"{head}, {when}; passed at {human_date(at)}; dropped (policy drop)"
        return True, f"{head}, {when}; not passed at {human_date(at)}; kept (policy drop)"
    assert at is not None  # make_policy demands --at for grace
    limit = date + GRACE_PERIOD
    if at > limit:
        return False, (f"{head}, {when}; grace ended {human_date(limit)}, before {human_date(at)}; "
                       "dropped (policy grace)")
    return True, (f"{head}, {when}; grace until {human_date(limit)}, not over at {human_date(at)}; "
                  "kept (policy grace)")


def _decide_entry(entry: DistrustEntry, policy: ExportPolicy) -> Decision:
    distrusted = [p for p in policy.purposes if entry.trust.level(p.trust_field) is TrustLevel.NOT_TRUSTED]
    rejected = tuple(p for p in Purpose if entry.trust.level(p.trust_field) is TrustLevel.NOT_TRUSTED)
    if distrusted:
        words = ", ".join(p.value for p in distrusted)
        return Decision(entry.label, entry.line, Verdict.DISTRUSTED, (), rejected, (),
                        (f"{words}: not_trusted (explicit distrust by issuer and serial number, "
                         "no certificate in the file)",), entry=entry)
    return Decision(entry.label, entry.line, Verdict.DROPPED, (), rejected, (),
                    ("a trust object without a certificate is never a trust anchor",), entry=entry)


def _one_copy_each(decisions: list[Decision]) -> list[Decision]:
    """Write each certificate once; where one copy is distrusted, no copy is trusted."""
    distrusted_at: dict[str, int] = {}
    for decision in decisions:
        if decision.verdict is Verdict.DISTRUSTED and decision.root is not None:
            distrusted_at.setdefault(decision.root.sha256, decision.line)
    written_at: dict[str, int] = {}
    result: list[Decision] = []
    for decision in decisions:
        root = decision.root
        if root is None or decision.verdict is Verdict.DROPPED:
            result.append(decision)
            continue
        reason = None
        if decision.verdict is Verdict.KEPT and root.sha256 in distrusted_at:
            reason = f"the same certificate is explicitly distrusted at line {distrusted_at[root.sha256]}"
        elif root.sha256 in written_at:
            reason = f"the same certificate is already exported from line {written_at[root.sha256]}"
        if reason is None:
            written_at[root.sha256] = decision.line
            result.append(decision)
        else:
            result.append(decision._replace(verdict=Verdict.DROPPED, purposes=(), dated=(),
                                           reasons=(*decision.reasons, reason)))
    return result
