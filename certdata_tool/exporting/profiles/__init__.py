"""Distributor profiles: the exact files certifi, curl and Debian ship, each one module on top of the
export policy and the PEM writer (PROFILES.md in the design folder has every byte rule)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Protocol

from ..policy import ProfileDefaults

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ...model.roots import RootSet
    from ...syntax.nssfile import CertdataFile
    from ..exclusions import Exclusion
    from ..folder import DirectoryExport
    from ..policy import ExportPolicy, Selection


@dataclass(frozen=True, slots=True)
class ProfileSource:
    """What a profile may say about its input and the converter: never a timestamp of its own."""

    sha256: str  # of the certdata bytes read, hex (any case)
    tool_version: str  # certdata-tool's version, for curl's "Conversion done with" line


class _ProfileModule(Protocol):
    DEFAULTS: ProfileDefaults

    def select(self, store: CertdataFile, root_set: RootSet, policy: ExportPolicy,
               exclusions: Iterable[Exclusion]) -> Selection: ...

    def render(self, store: CertdataFile, selection: Selection,
               source: ProfileSource) -> bytes | DirectoryExport: ...


class Profile(Enum):
    """`--profile`: whose file to write."""

    CERTIFI = "certifi"  # certifi's cacert.pem
    CURL = "curl"  # curl's ca-bundle.crt, as mk-ca-bundle.pl writes it
    DEBIAN = "debian"  # Debian's /usr/share/ca-certificates/mozilla/ folder

    @property
    def module(self) -> _ProfileModule:
        # Imported on use: an export loads only the profile it writes.
        from importlib import import_module

        module: _ProfileModule = import_module(f".{self.value}", __name__)
        return module

    @property
    def defaults(self) -> ProfileDefaults:
        return self.module.DEFAULTS

    @property
    def is_directory(self) -> bool:
        return self is Profile.DEBIAN

    # What explain() asks of an output: none of these files can carry a date or a distrust.
    @property
    def carries_distrust_after(self) -> bool:
        return False

    @property
    def carries_distrust(self) -> bool:
        return False


def select(profile: Profile, store: CertdataFile, root_set: RootSet, policy: ExportPolicy,
           exclusions: Iterable[Exclusion] = ()) -> Selection:
    """The roots the profile writes, with every decision and its reasons."""
    return profile.module.select(store, root_set, policy, exclusions)


def render(profile: Profile, store: CertdataFile, selection: Selection,
           source: ProfileSource) -> bytes | DirectoryExport:
    """The profile's file (bytes) or folder."""
    return profile.module.render(store, selection, source)


def written_label(store: CertdataFile, certificate_index: int) -> str:
    """The certificate object's CKA_LABEL value as written in the file after `UTF8`, quotes included,
    outer whitespace removed: converters read the line, not the decoded string."""
    attribute = store.objects[certificate_index].attribute("CKA_LABEL")
    if attribute is None:
        return '""'
    line = attribute.text.split("\n", 1)[0].rstrip("\r")
    _, found, rest = line.partition("UTF8")
    return rest.strip() if found else '""'


__all__ = ["Profile", "ProfileDefaults", "ProfileSource", "render", "select", "written_label"]
