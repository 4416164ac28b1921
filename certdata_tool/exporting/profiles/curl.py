"""curl's `ca-bundle.crt`: mk-ca-bundle.pl's `##` header, then each root's label, a `=` underline and
its PEM block with base64 at 76 columns."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ...moments import ctime
from ..pem import pem_block
from ..policy import DistrustAfterPolicy, select_roots
from . import ProfileDefaults, ProfileSource, written_label

if TYPE_CHECKING:
    from ...model.roots import RootSet
    from ...syntax.nssfile import CertdataFile
    from ..exclusions import Exclusion
    from ..policy import ExportPolicy, Selection

# Since 2024-11-12 mk-ca-bundle.pl ignores distrust-after dates; since 2021-09 it drops the roots that
# have expired when it runs (here: at --at, which is also the header's "as of" date).
DEFAULTS = ProfileDefaults(
    distrust_after=DistrustAfterPolicy.KEEP,
    drop_expired=True,
    at_required="curl's header dates the data (\"as of\") and expired roots are dropped at that date",
)

# Where mk-ca-bundle.pl fetches certdata.txt by default: the file's home in Mozilla's source tree. The
# `## SHA256:` line, not this URL, says which revision was converted.
SOURCE_URL = ("https://raw.githubusercontent.com/mozilla-firefox/firefox/refs/heads/release/"
              "security/nss/lib/ckfw/builtins/certdata.txt")

# curl's header text (as mk-ca-bundle.pl writes it since 2024-08); the converter line names us.
HEADER = """\
##
## Bundle of CA Root Certificates
##
## Certificate data from Mozilla as of: {date} GMT
##
## Find updated versions here: https://curl.se/docs/caextract.html
##
## This is a bundle of X.509 certificates of public Certificate Authorities
## (CA). These were automatically extracted from Mozilla's root certificates
## file (certdata.txt).  This file can be found in the mozilla source tree:
## {url}
##
## It contains the certificates in PEM format and therefore
## can be directly used with curl / libcurl / php_curl, or with
## an Apache+mod_ssl webserver for SSL client authentication.
## Just configure this file as the SSLCACertificateFile.
##
## Conversion done with certdata-tool version {version}.
## SHA256: {sha256}
##

"""

_COLUMNS = 76  # MIME::Base64's line length, which mk-ca-bundle.pl keeps


def select(store: CertdataFile, root_set: RootSet, policy: ExportPolicy,
           exclusions: Iterable[Exclusion]) -> Selection:
    return select_roots(root_set, policy, exclusions, one_copy_each=False)


def label_text(written: str) -> str:
    """What mk-ca-bundle.pl takes from `CKA_LABEL UTF8 "…"`: everything between the first and the last
    double quote (a leading space kept)."""
    first, last = written.find('"'), written.rfind('"')
    return written[first + 1 : last] if 0 <= first < last else written


def header(selection: Selection, source: ProfileSource) -> str:
    at = selection.policy.at
    assert at is not None  # the profile requires --at
    return HEADER.format(date=ctime(at), url=SOURCE_URL, version=source.tool_version,
                         sha256=source.sha256.lower())


def render(store: CertdataFile, selection: Selection, source: ProfileSource) -> bytes:
    parts = [header(selection, source)]
    for decision in selection.kept:
        root = decision.root
        assert root is not None
        label = label_text(written_label(store, root.certificate_index))
        # The underline is as long as the label in characters (code points), not bytes.
        parts.append(f"\n{label}\n{'=' * len(label)}\n{pem_block('CERTIFICATE', root.der, _COLUMNS)}")
    return "".join(parts).encode("utf-8")
