"""The domain view: pairing, trust values, distrust-after as NSS reads it, selectors, the real newest file."""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pytest
from conftest import PROJECT_ROOT, corpus_file
from cryptography import x509

from certdata_tool.errors import CertdataError, ChangeError
from certdata_tool.model.roots import (
    DistrustAfter,
    DistrustPurpose,
    Root,
    RootSet,
    Trust,
    TrustField,
    TrustLevel,
    read_roots,
    roots,
)
from certdata_tool.model.selectors import (
    Selector,
    did_you_mean,
    nearest_labels,
    normalize_fingerprint,
    parse_selector,
    pick,
    select,
)
from certdata_tool.moments import decode_utctime, encode_utctime
from certdata_tool.syntax.nssfile import parse

SAMPLES = PROJECT_ROOT / "samples"
NEWEST = "certdata-2024-06-13-469e60ef4.txt"
JUNE_30_2024 = datetime(2024, 6, 30, tzinfo=UTC)

TD, MVT, NT = TrustLevel.TRUSTED_DELEGATOR, TrustLevel.MUST_VERIFY_TRUST, TrustLevel.NOT_TRUSTED

# What samples/make_samples.py promises, in file order: label, PEM file, websites, email.
SAMPLE_ROOTS = [
    ("Example Root CA 1", "example-root-ca-1", TD, TD),
    ("Example Email Root", "example-email-root", MVT, TD),
    ("Example Distrusted After Root", "example-distrusted-after-root", TD, TD),
    ("Example Legacy Root", "example-legacy-root", TD, MVT),
    ("Exemple Autorité Racine Ünïcode", "exemple-autorite-racine-unicode", TD, TD),
    ("Example Websites Root 2", "example-websites-root-2", TD, MVT),
]


def sample_text() -> str:
    return (SAMPLES / "certdata.txt").read_text(encoding="utf-8")


def pem_der(slug: str) -> bytes:
    certificate = x509.load_pem_x509_certificate((SAMPLES / "roots" / f"{slug}.pem").read_bytes())
    from cryptography.hazmat.primitives.serialization import Encoding

    return certificate.public_bytes(Encoding.DER)


def blocks() -> list[str]:
    """The sample split at its empty lines: header + root list, then cert, trust, cert, trust, ..."""
    text = sample_text()
    first = text.index('\n\n#\n# Certificate "')  # the header has empty lines of its own
    return [text[:first], *text[first + 2 :].split("\n\n")]


def join(parts: list[str]) -> str:
    return "\n\n".join(parts)


def read(text: str) -> RootSet:
    return read_roots(parse(text))


def by_label(root_set: RootSet, label: str) -> Root:
    (root,) = [root for root in root_set.roots if root.label == label]
    return root


# -- the sample file ------------------------------------------------------------------------------


def test_sample_roots_pair_and_read() -> None:
    root_set = read(sample_text())
    assert root_set.distrust_entries == ()
    assert [root.label for root in root_set.roots] == [label for label, *_ in SAMPLE_ROOTS]
    for root, (label, slug, websites, email) in zip(root_set.roots, SAMPLE_ROOTS, strict=True):
        der = pem_der(slug)
        assert root.der == der, label
        assert root.sha256 == hashlib.sha256(der).hexdigest().upper()
        assert root.sha1 == hashlib.sha1(der).hexdigest().upper()
        assert root.trust == Trust(websites, email, MVT, step_up_approved=False), label
        assert root.mozilla_ca_policy is True
        assert root.problems == (), label
    # Objects: 0 is the root list, then certificate and trust alternate.
    assert [(r.certificate_index, r.trust_index) for r in root_set.roots] == [
        (1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 12)]
    assert roots(parse(sample_text())) == root_set.roots


def test_sample_distrust_after_and_fields() -> None:
    root_set = read(sample_text())
    dated = by_label(root_set, "Example Distrusted After Root")
    assert dated.distrust_after == DistrustAfter(JUNE_30_2024, JUNE_30_2024)
    assert dated.distrust_after.get(DistrustPurpose.SERVER) == JUNE_30_2024
    # Lacking both attributes is what Entrust G4 does: no date, nothing wrong.
    legacy = by_label(root_set, "Example Legacy Root")
    assert legacy.distrust_after == DistrustAfter() and legacy.problems == ()
    fields = legacy.facts()
    assert fields.subject == "CN=Example Legacy Root,OU=Legacy Services,O=Example Legacy Trust,C=US"
    assert fields.issuer == fields.subject
    assert fields.serial == "00C0FFEE15600D01"  # the INTEGER content, sign pad included
    assert fields.not_before == datetime(2015, 5, 27, 15, 51, 32, tzinfo=UTC)
    assert fields.not_after == datetime(2037, 12, 27, 16, 21, 32, tzinfo=UTC)
    assert by_label(root_set, "Example Root CA 1").facts().serial == "1001"
    assert by_label(root_set, "Exemple Autorité Racine Ünïcode").facts().not_after == datetime(
        2051, 3, 1, tzinfo=UTC)


def test_root_objects_are_reachable_from_the_root() -> None:
    store = parse(sample_text())
    root = read_roots(store).roots[0]
    assert root.certificate(store).object_class == "CKO_CERTIFICATE"
    trust_object = root.trust_object(store)
    assert trust_object is not None and trust_object.label == root.label
    assert root.line == root.certificate(store).line == 84


# -- pairing --------------------------------------------------------------------------------------


_HASHES = re.compile(
    r"CKA_CERT_SHA1_HASH MULTILINE_OCTAL\n.*?END\nCKA_CERT_MD5_HASH MULTILINE_OCTAL\n.*?END\n", re.S)


def test_trust_object_without_hash_pairs_by_issuer_and_serial() -> None:
    parts = blocks()
    parts[2], count = _HASHES.subn("", parts[2])  # trust of Example Root CA 1, as addbuiltin -D writes
    assert count == 1
    root_set = read(join(parts))
    root = by_label(root_set, "Example Root CA 1")
    assert (root.trust_index, root.trust.server_auth, root.problems) == (2, TD, ())
    assert root_set.distrust_entries == ()


def test_pairing_prefers_the_hash_over_position() -> None:
    parts = blocks()
    # Swap the two trust objects of the first two roots: each still finds its certificate.
    parts[2], parts[4] = parts[4], parts[2]
    root_set = read(join(parts))
    assert by_label(root_set, "Example Root CA 1").trust_index == 4
    assert by_label(root_set, "Example Email Root").trust_index == 2
    assert by_label(root_set, "Example Email Root").trust.server_auth is MVT


def test_certificate_without_trust_object_has_a_problem() -> None:
    parts = blocks()
    text = join(parts[:-1]) + "\n"  # cut off before the last trust object
    root = by_label(read(text), "Example Websites Root 2")
    assert root.trust == Trust() and root.trust_index is None
    assert root.problems == ("no trust object: NSS gives this certificate no trust at all "
                             "(the file may be cut off, or the trust object was removed)",)


def test_trust_object_without_certificate_is_an_explicit_distrust_entry() -> None:
    parts = blocks()
    trust = parts[4].replace("CKT_NSS_TRUSTED_DELEGATOR", "CKT_NSS_NOT_TRUSTED")  # Example Email Root
    trust = trust.replace("CKT_NSS_MUST_VERIFY_TRUST", "CKT_NSS_NOT_TRUSTED")
    del parts[3:5]
    parts.insert(1, trust)  # a distrust record before the first root, without its certificate
    root_set = read(join(parts))
    assert [root.label for root in root_set.roots] == [label for label, *_ in SAMPLE_ROOTS if label !=
                                                       "Example Email Root"]
    (entry,) = root_set.distrust_entries
    der = pem_der("example-email-root")
    assert entry.label == "Example Email Root"
    assert entry.sha1 == hashlib.sha1(der).hexdigest().upper()
    assert entry.trust == Trust(NT, NT, NT, step_up_approved=False)
    assert (entry.trust_index, entry.problems) == (1, ())
    tbs = x509.load_der_x509_certificate(der)
    assert entry.issuer == tbs.issuer.public_bytes()
    assert entry.serial == b"\x02\x08" + tbs.serial_number.to_bytes(8, "big")


def test_orphan_trust_object_with_positive_trust_is_reported() -> None:
    parts = blocks()
    del parts[3]  # the certificate of Example Email Root
    (entry,) = read(join(parts)).distrust_entries
    assert entry.label == "Example Email Root"
    assert entry.problems == ("a trust object with positive trust matches no certificate in the file "
                              "(email_protection)",)


def test_unknown_trust_value_is_a_problem() -> None:
    parts = blocks()
    parts[2] = parts[2].replace("CKA_TRUST_CODE_SIGNING CK_TRUST CKT_NSS_MUST_VERIFY_TRUST",
                                "CKA_TRUST_CODE_SIGNING CK_TRUST CKT_NSS_SOMETIMES")
    root = by_label(read(join(parts)), "Example Root CA 1")
    assert root.trust == Trust(TD, TD, None, step_up_approved=False)
    assert root.problems == ("CKA_TRUST_CODE_SIGNING has the unknown value CKT_NSS_SOMETIMES",)


# -- distrust-after -------------------------------------------------------------------------------

_SERVER_DATE = ("# For Server Distrust After: Sun Jun 30 00:00:00 2024\n"
                "CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL\n"
                "\\062\\064\\060\\066\\063\\060\\060\\060\\060\\060\\060\\060\\132\nEND\n")


def test_distrust_after_on_the_trust_object_is_a_problem_and_not_used() -> None:
    parts = blocks()
    parts[2] = parts[2].replace("CKA_TRUST_SERVER_AUTH", _SERVER_DATE + "CKA_TRUST_SERVER_AUTH")
    root = by_label(read(join(parts)), "Example Root CA 1")
    assert root.distrust_after == DistrustAfter()
    line = join(parts).split("\n").index("CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL") + 1
    assert root.problems == (f"CKA_NSS_SERVER_DISTRUST_AFTER on the trust object (line {line}): "
                             "2024-06-30 00:00:00 UTC, ignored by NSS (it reads distrust-after from the "
                             "certificate object)",)
    assert root.trust_object_distrust_after == DistrustAfter(server=JUNE_30_2024)


def test_a_false_distrust_after_on_the_trust_object_is_no_problem() -> None:
    parts = blocks()
    parts[2] += "\nCKA_NSS_SERVER_DISTRUST_AFTER CK_BBOOL CK_FALSE"
    assert by_label(read(join(parts)), "Example Root CA 1").problems == ()


def test_only_one_distrust_attribute_gives_no_date() -> None:
    parts = blocks()
    email = re.compile(
        r"# For Email Distrust After: .*?\nCKA_NSS_EMAIL_DISTRUST_AFTER MULTILINE_OCTAL\n.*?END", re.S)
    parts[5], count = email.subn("", parts[5])
    assert count == 1
    root = by_label(read(join(parts)), "Example Distrusted After Root")
    assert root.distrust_after == DistrustAfter()
    assert root.problems == ("the distrust-after date is ignored by NSS: the certificate object lacks "
                             "CKA_NSS_EMAIL_DISTRUST_AFTER, and NSS reads a date only when both attributes "
                             "are present",)


def test_only_one_attribute_set_to_false_is_no_problem() -> None:
    parts = blocks()
    parts[1] = parts[1].replace("CKA_NSS_EMAIL_DISTRUST_AFTER CK_BBOOL CK_FALSE\n", "")
    root = by_label(read(join(parts)), "Example Root CA 1")
    assert (root.distrust_after, root.problems) == (DistrustAfter(), ())


@pytest.mark.parametrize(
    ("octal", "reason"),
    [
        ("\\062\\064\\060\\066\\063\\060\\060\\060\\060\\060\\060\\132",
         "b'24063000000Z' is not a 13-byte UTCTime YYMMDDHHMMSSZ"),
        ("\\062\\060\\062\\064\\060\\066\\063\\060\\060\\060\\060\\060\\060\\060\\132",
         "b'20240630000000Z' is not a 13-byte UTCTime YYMMDDHHMMSSZ"),
        ("\\062\\064\\061\\063\\063\\060\\060\\060\\060\\060\\060\\060\\132",
         "241330000000Z is not a valid date and time"),
    ],
)
def test_a_value_that_is_not_a_13_byte_utctime_is_a_problem(octal: str, reason: str) -> None:
    parts = blocks()
    server = re.compile(r"(CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL\n).*?\n")
    parts[5], count = server.subn(lambda match: match.group(1) + octal + "\n", parts[5])
    assert count == 1
    text = join(parts)
    root = by_label(read(text), "Example Distrusted After Root")
    line = text.split("\n").index("CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL") + 1
    assert root.problems == (f"CKA_NSS_SERVER_DISTRUST_AFTER (line {line}) is ignored by NSS: {reason}",)
    assert root.distrust_after.server is None
    assert root.distrust_after.email == JUNE_30_2024


def test_a_distrust_value_of_another_type_is_a_problem() -> None:
    parts = blocks()
    parts[1] = parts[1].replace("CKA_NSS_SERVER_DISTRUST_AFTER CK_BBOOL CK_FALSE",
                                "CKA_NSS_SERVER_DISTRUST_AFTER CK_BBOOL CK_TRUE")
    root = by_label(read(join(parts)), "Example Root CA 1")
    assert root.distrust_after == DistrustAfter()
    assert len(root.problems) == 1
    assert root.problems[0].endswith("is ignored by NSS: expected a 13-byte UTCTime or CK_BBOOL CK_FALSE, "
                                     "found CK_BBOOL CK_TRUE")


def test_utctime_codec() -> None:
    assert encode_utctime(JUNE_30_2024) == b"240630000000Z"
    assert encode_utctime(datetime(2024, 11, 30, 23, 59, 59, tzinfo=UTC)) == b"241130235959Z"
    # An aware time in another zone is converted to UTC.
    assert encode_utctime(datetime(2024, 7, 1, 2, 0, tzinfo=timezone(timedelta(hours=2)))) == b"240701000000Z"
    assert encode_utctime(datetime(1950, 1, 1, tzinfo=UTC)) == b"500101000000Z"
    assert encode_utctime(datetime(2049, 12, 31, 23, 59, 59, tzinfo=UTC)) == b"491231235959Z"
    for year in (1949, 2050):
        with pytest.raises(ValueError, match=f"{year} is outside 1950-2049"):
            encode_utctime(datetime(year, 6, 1, tzinfo=UTC))
    assert decode_utctime(b"500101000000Z") == datetime(1950, 1, 1, tzinfo=UTC)
    assert decode_utctime(b"491231235959Z") == datetime(2049, 12, 31, 23, 59, 59, tzinfo=UTC)
    for bad in (b"", b"240630000000", b"240630000000+", b"24063000000Z0", b"240230000000Z"):
        with pytest.raises(ValueError):
            decode_utctime(bad)


# -- enums ----------------------------------------------------------------------------------------


def test_trust_levels() -> None:
    constants = {level: level.constant for level in TrustLevel}
    assert constants == {
        TrustLevel.TRUSTED_DELEGATOR: "CKT_NSS_TRUSTED_DELEGATOR",
        TrustLevel.MUST_VERIFY_TRUST: "CKT_NSS_MUST_VERIFY_TRUST",
        TrustLevel.NOT_TRUSTED: "CKT_NSS_NOT_TRUSTED",
        TrustLevel.TRUSTED: "CKT_NSS_TRUSTED",
        TrustLevel.VALID_DELEGATOR: "CKT_NSS_VALID_DELEGATOR",
        TrustLevel.TRUST_UNKNOWN: "CKT_NSS_TRUST_UNKNOWN",
    }
    for level in TrustLevel:
        assert TrustLevel.from_name(level.value) is level
        assert TrustLevel.from_name(level.constant) is level
        assert TrustLevel.from_name(f" {level.value.upper()} ") is level
    for bad in ("", "trusted_delegators", "CKT_NSS_", "CKT_TRUSTED_DELEGATOR", "yes"):
        with pytest.raises(ValueError, match="unknown trust value"):
            TrustLevel.from_name(bad)


def test_trust_fields_and_purposes() -> None:
    assert [f.attribute for f in TrustField] == [
        "CKA_TRUST_SERVER_AUTH", "CKA_TRUST_EMAIL_PROTECTION", "CKA_TRUST_CODE_SIGNING"]
    trust = Trust(TD, MVT, NT, False)
    assert [trust.level(f) for f in TrustField] == [TD, MVT, NT]
    assert [(p.attribute, p.comment_prefix) for p in DistrustPurpose] == [
        ("CKA_NSS_SERVER_DISTRUST_AFTER", "# For Server Distrust After: "),
        ("CKA_NSS_EMAIL_DISTRUST_AFTER", "# For Email Distrust After: "),
    ]
    dates = DistrustAfter(server=JUNE_30_2024)
    assert (dates.get(DistrustPurpose.SERVER), dates.get(DistrustPurpose.EMAIL)) == (JUNE_30_2024, None)


# -- selectors ------------------------------------------------------------------------------------


def test_fingerprint_spellings() -> None:
    der = pem_der("example-websites-root-2")
    sha256 = hashlib.sha256(der).hexdigest()
    colons = ":".join(sha256[i : i + 2] for i in range(0, 64, 2))
    for spelling in (sha256, sha256.upper(), colons, colons.upper(), " ".join(colons.split(":")),
                     f"  {colons}\n"):
        assert normalize_fingerprint(spelling, digest_size=32, key="sha256") == sha256.upper()
    # A prefix of at least 8 digits is enough; fewer, or more than the digest has, is refused.
    assert normalize_fingerprint(colons[:23], digest_size=32, key="sha256") == sha256[:16].upper()
    assert normalize_fingerprint(sha256[:8], digest_size=32, key="sha256") == sha256[:8].upper()
    for bad in (sha256[:7], sha256 + "0"):
        with pytest.raises(ValueError, match="must be 64 hex digits, or a unique prefix of at least 8"):
            normalize_fingerprint(bad, digest_size=32, key="sha256")
    with pytest.raises(ValueError, match="sha1 must be 40 hex digits"):
        normalize_fingerprint("g" * 40, digest_size=20, key="sha1")


def test_command_line_selectors() -> None:
    der = pem_der("example-websites-root-2")
    sha256 = hashlib.sha256(der).hexdigest()
    sha1 = hashlib.sha1(der).hexdigest()
    colons = ":".join(sha256[i : i + 2] for i in range(0, 64, 2))
    assert parse_selector("label=Example Websites Root 2") == Selector(label="Example Websites Root 2")
    assert parse_selector("label=a=b") == Selector(label="a=b")
    assert parse_selector(f"sha256={colons}") == Selector(sha256=sha256.upper())
    assert parse_selector(f"SHA1={sha1}") == Selector(sha1=sha1.upper())
    root_set = read(sample_text())
    for text in ("label=Example Websites Root 2", f"sha256={colons}", f"sha1={sha1.upper()}",
                 f"sha256={' '.join(colons.split(':'))}"):
        (chosen,) = select(root_set.roots, parse_selector(text))
        assert chosen.label == "Example Websites Root 2", text
    for bad, message in (("Example", "bad selector 'Example'"), ("name=x", "bad selector 'name=x'"),
                         ("sha256=abcd", "bad selector: sha256 must be 64 hex digits")):
        with pytest.raises(CertdataError, match=re.escape(message)):
            parse_selector(bad)


def test_select_counts() -> None:
    parts = blocks()
    # A second certificate with the label of the first (labels were reused in NSS's history).
    parts[11] = parts[11].replace('CKA_LABEL UTF8 "Example Websites Root 2"',
                                  'CKA_LABEL UTF8 "Example Root CA 1"')
    root_set = read(join(parts))
    first, second = root_set.roots[0], root_set.roots[5]
    with pytest.raises(ChangeError) as caught:
        select(root_set.roots, Selector(label="Example Root CA 1"))
    assert caught.value.message == (
        f"label=Example Root CA 1 matches 2 roots, expected 1: Example Root CA 1 ({first.sha256[:16]}…); "
        f"Example Root CA 1 ({second.sha256[:16]}…)")
    assert select(root_set.roots, Selector(label="Example Root CA 1", count=2)) == (first, second)
    assert select(root_set.roots, Selector(label="Example Root CA 1", sha256=second.sha256)) == (second,)
    assert select(root_set.roots, Selector(label="Nope", count=0)) == ()
    with pytest.raises(ChangeError, match=r"^no root matches label=Nope$"):
        select(root_set.roots, Selector(label="Nope"))
    email = next(root for root in root_set.roots if root.label == "Example Email Root")
    with pytest.raises(ChangeError) as caught:
        select(root_set.roots, Selector(label="Example Email Root", sha1="00000000"))
    assert caught.value.message == ("no root matches label=Example Email Root, sha1=00000000 (the root "
                                    f'labelled "Example Email Root" has SHA-256 {email.sha256})')


@dataclass(frozen=True)
class Named:
    label: str
    sha256: str
    sha1: str


def test_prefix_selectors_and_suggestions() -> None:
    roots_ = (Named("Alpha Root CA", "ABCDEF01" + "1" * 56, "1" * 40),
              Named("Beta Root CA", "ABCDEF01" + "2" * 56, "2" * 40),
              Named("Gamma Root", "12345678" + "3" * 56, "ABCDEF01" + "3" * 32))
    assert select(roots_, Selector(sha256="12345678")) == (roots_[2],)
    assert select(roots_, Selector(sha1="ABCDEF01")) == (roots_[2],)  # SHA-1 is a separate key
    assert select(roots_, Selector(sha256="ABCDEF01", count=2)) == roots_[:2]
    with pytest.raises(ChangeError) as caught:
        select(roots_, Selector(sha256="abcdef01".upper()))
    assert caught.value.message == (
        f"sha256=ABCDEF01 is an ambiguous prefix: it matches 2 roots: Alpha Root CA ({roots_[0].sha256}); "
        f"Beta Root CA ({roots_[1].sha256}); give more digits")
    with pytest.raises(ChangeError) as caught:
        select(roots_, Selector(label="Alpah Root CA"))
    assert caught.value.message == 'no root matches label=Alpah Root CA (did you mean "Alpha Root CA"?)'
    # Case and spacing do not count; labels equally near are all named, at most three.
    assert nearest_labels("alpha  root ca", [r.label for r in roots_]) == ("Alpha Root CA",)
    assert nearest_labels("Root CA", [r.label for r in roots_]) == ("Beta Root CA", "Alpha Root CA")
    assert nearest_labels("Zzz", [r.label for r in roots_]) == ()
    assert did_you_mean(("A", "B", "C")) == ' (did you mean "A", "B" or "C"?)'
    assert pick(roots_, Selector(label="Gamma Root", count=5)) == (roots_[2],)  # show: any number


# -- the real newest revision, checked against an independent reading ------------------------------

_OBJECT_START = re.compile(r"^CKA_CLASS CK_OBJECT_CLASS (\w+)$", re.M)
_OCTAL_VALUE = re.compile(r"^CKA_VALUE MULTILINE_OCTAL\n(.*?)\nEND$", re.M | re.S)
_LABEL = re.compile(r'^CKA_LABEL UTF8 "([^"]*)"$', re.M)
_TRUST = re.compile(r"^CKA_TRUST_(SERVER_AUTH|EMAIL_PROTECTION|CODE_SIGNING) CK_TRUST CKT_NSS_(\w+)$", re.M)


def _independent_roots(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """(label, SHA-256, trust) per certificate, pairing each with the trust object right after it."""
    starts = [(match.start(), match.group(1)) for match in _OBJECT_START.finditer(text)]
    ends = [start for start, _ in starts[1:]] + [len(text)]
    objects = [(kind, text[start:end]) for (start, kind), end in zip(starts, ends, strict=True)]
    found = []
    for (kind, body), (next_kind, next_body) in itertools.pairwise(objects):
        if kind != "CKO_CERTIFICATE":
            continue
        assert next_kind == "CKO_NSS_TRUST"
        octal = _OCTAL_VALUE.search(body)
        label = _LABEL.search(body)
        assert octal is not None and label is not None
        der = bytes(int(digits, 8) for digits in re.findall(r"\\([0-7]{3})", octal.group(1)))
        trust = {usage.lower(): value.lower() for usage, value in _TRUST.findall(next_body)}
        found.append((label.group(1), hashlib.sha256(der).hexdigest().upper(), trust))
    return found


@pytest.mark.corpus
def test_newest_revision_against_an_independent_reading() -> None:
    data = corpus_file(NEWEST)
    text = data.decode("utf-8")
    root_set = read_roots(parse(data))
    expected_count = len(re.findall(r"^CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE$", text, re.M))
    assert expected_count == 172
    assert len(root_set.roots) == expected_count
    assert root_set.distrust_entries == ()
    independent = _independent_roots(text)
    assert len(independent) == 172
    for root, (label, sha256, trust) in zip(root_set.roots, independent, strict=True):
        assert (root.label, root.sha256) == (label, sha256)
        assert {f.value: root.trust.level(f).value for f in TrustField} == trust, label  # type: ignore[union-attr]
        assert root.trust.step_up_approved is False
        assert root.problems == (), label
    assert len({root.sha256 for root in root_set.roots}) == 172


@pytest.mark.corpus
def test_newest_revision_distrust_after() -> None:
    root_set = read_roots(parse(corpus_file(NEWEST)))
    globaltrust = by_label(root_set, "GLOBALTRUST 2020")
    assert globaltrust.distrust_after == DistrustAfter(JUNE_30_2024, JUNE_30_2024)
    entrust_g4 = by_label(root_set, "Entrust Root Certification Authority - G4")
    assert entrust_g4.distrust_after == DistrustAfter() and entrust_g4.problems == ()
    # Every dated root in this revision uses the midnight convention (FORMAT.md §7).
    dated = [root for root in root_set.roots if root.distrust_after != DistrustAfter()]
    for root in dated:
        for moment in (root.distrust_after.server, root.distrust_after.email):
            assert moment is None or moment.time() == datetime.min.time(), root.label
    assert len(dated) == len(re.findall(r"^# For Server Distrust After: ",
                                        corpus_file(NEWEST).decode(), re.M))
