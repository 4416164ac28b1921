"""One export from the options a user gives to the bytes written: a profile's defaults under the
explicit options, the exclusions, the selection, the writer."""

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from ..errors import ExportError
from ..model.roots import RootSet
from ..syntax.nssfile import CertdataFile
from . import ExportFormat, Provenance, explain, render, render_directory
from .policy import (
    DistrustAfterPolicy,
    ExportPolicy,
    ProfileDefaults,
    Purpose,
    Selection,
    choose,
    make_policy,
    select_roots,
)

if TYPE_CHECKING:  # loaded only for the options that use them
    from .exclusions import Exclusion
    from .folder import DirectoryExport
    from .profiles import Profile


class ExportOptions(NamedTuple):
    """What the user asked for; None (or empty) where an option was not given, so that a profile's
    default applies."""

    export_format: ExportFormat | None = None
    profile: "Profile | None" = None
    purposes: tuple[Purpose, ...] = ()
    distrust_after: DistrustAfterPolicy | None = None
    drop_expired: bool | None = None
    at: datetime | None = None
    exclusions: "tuple[Exclusion, ...]" = ()

    @classmethod
    def from_words(cls, *, export_format: str | None = None, profile: str | None = None,
                   purposes: Sequence[str] = (), distrust_after: str | None = None,
                   drop_expired: bool | None = None, at: datetime | None = None,
                   exclude: Sequence[str] = (),
                   exclude_files: Sequence[tuple[str, str]] = (),
                   exclude_given_as: str = "exclusion") -> "ExportOptions":
        """The options by the names the command line uses (`exclude_files`: (name, text) pairs;
        `exclude_given_as`: what messages call an entry of `exclude`); ExportError for an exclusion
        that cannot be read. `policy()` checks the combination."""
        exclusions: list[Exclusion] = []
        if exclude or exclude_files:  # the usual export has none, and does not load their module
            from .exclusions import parse_exclusion, read_exclusion_file

            exclusions.extend(parse_exclusion(text, given_as=exclude_given_as) for text in exclude)
            for name, text in exclude_files:
                exclusions.extend(read_exclusion_file(text, name))
        chosen = None
        if profile is not None:  # the profiles' module loads only for an export that names one
            from .profiles import Profile

            chosen = choose(Profile, profile, "profile")
        if isinstance(purposes, str):  # one purpose, not its letters
            purposes = (purposes,)
        return cls(
            export_format=None if export_format is None else choose(ExportFormat, export_format, "format"),
            profile=chosen,
            purposes=tuple(choose(Purpose, p, "purpose") for p in purposes),
            distrust_after=(None if distrust_after is None
                            else choose(DistrustAfterPolicy, distrust_after, "distrust-after policy")),
            drop_expired=drop_expired,
            at=at,
            exclusions=tuple(exclusions),
        )

    @property
    def defaults(self) -> ProfileDefaults:
        """The profile's defaults, or the tool's own without a profile."""
        return ProfileDefaults() if self.profile is None else self.profile.defaults

    @property
    def writes_folder(self) -> bool:
        if self.profile is not None:
            return self.profile.is_directory
        return self.export_format is ExportFormat.DIRECTORY

    @property
    def name(self) -> str:
        """The profile's or the format's name."""
        if self.profile is not None:
            return self.profile.value
        return (self.export_format or ExportFormat.PEM).value

    def policy(self) -> ExportPolicy:
        """The checked policy: explicit options first, then the profile's defaults, then the tool's."""
        defaults = self.defaults
        profile = self.profile
        if profile is not None:
            if self.export_format is not None:
                raise ExportError(f"the {profile.value} profile writes its own format; give a profile or a "
                                  "format, not both")
            if defaults.at_required is not None and self.at is None:
                raise ExportError(f"the {profile.value} profile needs the moment to judge at",
                                  hint=f"{defaults.at_required}; the tool never reads the clock by itself")
        return make_policy(
            purposes=self.purposes or defaults.purposes,
            distrust_after=defaults.distrust_after if self.distrust_after is None else self.distrust_after,
            drop_expired=defaults.drop_expired if self.drop_expired is None else self.drop_expired,
            at=self.at,
        )


class ExportResult(NamedTuple):
    """One export, computed: the file read, its roots, the decisions, and what to write (bytes for a
    file, a DirectoryExport for a folder)."""

    options: ExportOptions
    store: CertdataFile
    root_set: RootSet
    selection: Selection
    output: "bytes | DirectoryExport"

    @property
    def root_problems(self) -> bool:
        """Whether any root or distrust entry has a problem a reader must not miss."""
        return any(root.problems for root in self.root_set.roots) or any(
            entry.problems for entry in self.root_set.distrust_entries)

    def explanation(self) -> str:
        """`--explain`: every root, kept or not, and why (an exclusion names its entry)."""
        options = self.options
        return explain(self.selection, options.profile or options.export_format or ExportFormat.PEM)

    def warnings(self) -> tuple[str, ...]:
        """Exclusions that matched nothing (never an error: upstream may have removed the root), and an
        export with no root at all."""
        labels = [decision.label for decision in self.selection.decisions]
        found = [exclusion.unmatched_warning(labels) for exclusion in self.selection.unmatched_exclusions]
        if not self.selection.kept:
            purposes = ", ".join(p.value for p in self.selection.policy.purposes)
            found.append(f"{self.store.source}: no root is trusted for {purposes} under this policy")
        return tuple(found)


def export_store(store: CertdataFile, source_sha256: str, options: ExportOptions,
                 tool_version: str) -> ExportResult:
    """Export `store` (whose bytes hash to `source_sha256`, hex) as `options` ask; `tool_version` is
    what curl's header names as the converter's version."""
    from ..model.roots import read_roots

    policy = options.policy()
    root_set = read_roots(store)
    profile = options.profile
    output: bytes | DirectoryExport
    if profile is not None:
        from . import profiles
        from .profiles import ProfileSource

        selection = profiles.select(profile, store, root_set, policy, options.exclusions)
        output = profiles.render(profile, store, selection, ProfileSource(source_sha256, tool_version))
    else:
        fmt = options.export_format or ExportFormat.PEM
        selection = select_roots(root_set, policy, options.exclusions)
        provenance = Provenance(source_sha256.upper(), fmt, policy)
        output = (render_directory(selection, provenance) if fmt.is_directory
                  else render(selection, provenance))
    return ExportResult(options, store, root_set, selection, output)


def export_bundle(data: bytes, options: ExportOptions, tool_version: str, *,
                  source: str = "<certdata>") -> ExportResult:
    """Read a certdata file's bytes and export them as `options` ask."""
    import hashlib

    from ..syntax.nssfile import parse

    options.policy()  # a combination that cannot work fails before the file is read
    return export_store(parse(data, source=source), hashlib.sha256(data).hexdigest(), options, tool_version)
