"""New-root blocks: every root NSS added since June 2020 rebuilt byte for byte, goldens, file placement."""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from conftest import DATA_DIR, TESTS_DIR, corpus_file, corpus_revisions, require_corpus

from certdata_tool.model.blocks import insert_root, is_distrust, label_problem, root_blocks
from certdata_tool.model.roots import TrustLevel, read_roots
from certdata_tool.syntax.nssfile import NssObject, dump, parse
from certdata_tool.x509.checks import certificate_from_bytes
from certdata_tool.x509.der import certificate_parts
from certdata_tool.x509.nss_text import info_lines

CERTS_DIR = DATA_DIR / "certs"
GOLDEN_DIR = TESTS_DIR / "cases" / "blocks"
UPDATE_GOLDEN = os.environ.get("CERTDATA_UPDATE_GOLDEN") == "1"

TD = TrustLevel.TRUSTED_DELEGATOR
MVT = TrustLevel.MUST_VERIFY_TRUST
NT = TrustLevel.NOT_TRUSTED


# --------------------------------------------------------------------------------------------------
# A test-local certdata reader, independent of certdata_tool.syntax.nssfile, to get the expected text

_OCTAL_TEXT = re.compile(rb"(?:\\[0-3][0-7][0-7]|\n)+")


@dataclass
class _Object:
    text: list[str] = field(default_factory=list)  # preamble and body lines, terminators kept
    values: dict[str, str | bytes] = field(default_factory=dict)  # octal values still as text

    def octal(self, name: str) -> bytes:
        value = self.values[name]
        assert isinstance(value, bytes)
        assert _OCTAL_TEXT.fullmatch(value), name
        decoded: bytes = codecs.escape_decode(value.replace(b"\n", b""))[0]
        return decoded


def _read_objects(text: str) -> list[_Object]:
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == "BEGINDATA") + 1
    objects: list[_Object] = []
    pending: list[str] = []
    index = start
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        index += 1
        if not stripped or stripped.startswith("#"):
            pending.append(line)
            continue
        name, kind, *rest = stripped.split(" ", 2)
        if name == "CKA_CLASS":
            objects.append(_Object(text=pending))
        else:
            objects[-1].text += pending
        pending = []
        current = objects[-1]
        current.text.append(line)
        if kind == "MULTILINE_OCTAL":
            body = []
            while lines[index].strip() != "END":
                body.append(lines[index])
                index += 1
            current.text += [*body, lines[index]]
            index += 1
            current.values[name] = "".join(body).encode("ascii")
        else:
            current.values[name] = rest[0].strip('"') if kind == "UTF8" else rest[0]
    return objects


def _utctime(value: str | bytes) -> datetime | None:
    """A distrust-after value: None for CK_FALSE, else the instant of its 13-byte UTCTime."""
    if isinstance(value, str):  # CK_BBOOL CK_FALSE
        return None
    assert len(value) == 13 and value.endswith(b"Z"), value
    year = int(value[:2])
    full = (1900 if year >= 50 else 2000) + year
    return datetime.strptime(f"{full}{value[2:12].decode()}", "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def _distrust_after(obj: _Object, name: str) -> datetime | None:
    value = obj.values[name]
    return _utctime(obj.octal(name) if isinstance(value, bytes) else value)


@dataclass(frozen=True)
class _AddedRoot:
    commit: str
    der: bytes
    label: str
    expected: str  # the file's own text of the certificate and trust objects
    blocks_text: str  # what root_blocks made of (DER, label, trust, dates) read from the file


def _index_rows() -> list[dict[str, str]]:
    folder = require_corpus()
    with (folder / "index.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _since_june_2020() -> list[tuple[str, str, str]]:
    """(commit, file, parent file) for every revision since 2020-06-01, in history order."""
    rows = [row for row in _index_rows() if row["date"] >= "2020-06-01"]
    return [(row["short"], f"{row['date']}_{row['short']}.txt", row["parent_file"]) for row in rows]


def _added_roots() -> list[_AddedRoot]:
    texts = dict(corpus_revisions())
    found: list[_AddedRoot] = []
    objects: list[_Object] = []
    read = ""
    for commit, name, parent in _since_june_2020():
        # History order: each revision's parent is the one read just before it.
        parent_objects = objects if read == parent else _read_objects(texts[parent].decode("utf-8"))
        before = {hashlib.sha256(obj.octal("CKA_VALUE")).digest()
                  for obj in parent_objects if obj.values["CKA_CLASS"] == "CKO_CERTIFICATE"}
        objects, read = _read_objects(texts[name].decode("utf-8")), name
        for position, obj in enumerate(objects):
            if obj.values["CKA_CLASS"] != "CKO_CERTIFICATE":
                continue
            der = obj.octal("CKA_VALUE")
            if hashlib.sha256(der).digest() in before:
                continue
            trust = objects[position + 1]  # NSS writes the trust object right after its certificate
            assert trust.octal("CKA_CERT_SHA1_HASH") == hashlib.sha1(der).digest()
            label = str(obj.values["CKA_LABEL"])
            cert_object, trust_object = root_blocks(
                der,
                label,
                server_auth=TrustLevel.from_name(str(trust.values["CKA_TRUST_SERVER_AUTH"])),
                email_protection=TrustLevel.from_name(str(trust.values["CKA_TRUST_EMAIL_PROTECTION"])),
                code_signing=TrustLevel.from_name(str(trust.values["CKA_TRUST_CODE_SIGNING"])),
                step_up_approved=trust.values["CKA_TRUST_STEP_UP_APPROVED"] == "CK_TRUE",
                server_distrust_after=_distrust_after(obj, "CKA_NSS_SERVER_DISTRUST_AFTER"),
                email_distrust_after=_distrust_after(obj, "CKA_NSS_EMAIL_DISTRUST_AFTER"),
            )
            found.append(_AddedRoot(commit, der, label, "".join(obj.text + trust.text),
                                    cert_object.text() + trust_object.text()))
    return found


def _show_difference(expected: str, actual: str) -> str:
    return "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        "expected", "generated"))


# 037bef7bd (2024-05-30) left the file without a final newline (FORMAT.md §12 Q8), so the last
# line of its new trust object lacks the "\n" addbuiltin prints.
NO_FINAL_NEWLINE = "037bef7bd"


@pytest.mark.corpus
def test_every_root_added_since_june_2020_is_rebuilt_byte_for_byte() -> None:
    added = _added_roots()
    commits = {root.commit for root in added}
    # 75 roots in 43 commits, from 573c77e70 (Microsoft non-EV roots) to 037bef7bd.
    assert (len(added), len(commits)) == (75, 43)
    mismatches = []
    for root in added:
        expected = root.expected + ("\n" if root.commit == NO_FINAL_NEWLINE else "")
        if root.blocks_text != expected:
            mismatches.append(f"{root.commit} {root.label}\n"
                              f"{_show_difference(expected, root.blocks_text)}")
    assert not mismatches, "\n".join(mismatches)
    assert [root.commit for root in added if not root.expected.endswith("\n")] == [NO_FINAL_NEWLINE]


@pytest.mark.corpus
def test_every_certificate_object_with_a_distrust_date_is_rebuilt_byte_for_byte() -> None:
    """Since f8cfc9242 (2022-02-08) all comment headers are addbuiltin's; the dated ones too."""
    distinct: dict[str, str] = {}  # certificate object text -> where it was first seen
    for name, data in corpus_revisions():
        if name < "2022-02-08":
            continue
        objects = _read_objects(data.decode("utf-8"))
        for position, obj in enumerate(objects):
            if obj.values["CKA_CLASS"] != "CKO_CERTIFICATE" or "".join(obj.text) in distinct:
                continue
            dates = [_distrust_after(obj, attribute) if attribute in obj.values else None
                     for attribute in ("CKA_NSS_SERVER_DISTRUST_AFTER", "CKA_NSS_EMAIL_DISTRUST_AFTER")]
            if dates == [None, None]:
                continue
            trust, label = objects[position + 1], obj.values["CKA_LABEL"]
            assert isinstance(label, str)
            cert_object, _ = root_blocks(
                obj.octal("CKA_VALUE"), label,
                server_auth=TrustLevel.from_name(str(trust.values["CKA_TRUST_SERVER_AUTH"])),
                email_protection=TrustLevel.from_name(str(trust.values["CKA_TRUST_EMAIL_PROTECTION"])),
                code_signing=TrustLevel.from_name(str(trust.values["CKA_TRUST_CODE_SIGNING"])),
                server_distrust_after=dates[0], email_distrust_after=dates[1],
            )
            expected = "".join(obj.text)
            assert cert_object.text() == expected, f"{name}\n{_show_difference(expected, cert_object.text())}"
            distinct[expected] = f"{name} {label}"
    # 7 roots of f8cfc9242 (Symantec, Verisign, Camerfirma, EC-ACC), 3 TrustCor roots of 79ef8de78
    # (server and email dates) and GLOBALTRUST 2020 of 469e60ef4.
    assert len(distinct) == 11
    assert "2024-06-13_469e60ef4.txt GLOBALTRUST 2020" in distinct.values()


# Commits since June 2020 that add roots and also change something else in the file:
# 641e7cc85 removed the trailing space of header line 1 (FORMAT.md §12 Q9) and 037bef7bd left
# the file without a final newline (Q8). No commit of this range has an incidental blank-line
# edit (Q5 lists 884de6f5e, 1bed253af and 40e8d5773, all outside it).
INCIDENTAL = {
    "641e7cc85": lambda text: text.replace("# \n", "#\n", 1),
    NO_FINAL_NEWLINE: lambda text: text.removesuffix("\n"),
}


@pytest.mark.corpus
def test_inserting_the_added_roots_reproduces_each_whole_file() -> None:
    """Parent file + removals + insert_root (at the end, or after the root before it) == the commit."""

    texts = dict(corpus_revisions())
    checked = []
    new = parse(b"BEGINDATA\n")
    for commit, name, parent in _since_june_2020():
        # History order: each revision's parent is the one parsed just before it.
        old = new if new.source == parent else parse(texts[parent], source=parent)
        new = parse(texts[name], source=name)
        old_roots, new_roots = read_roots(old).roots, read_roots(new).roots
        kept = {root.sha256 for root in new_roots}
        known = {root.sha256 for root in old_roots}
        added = [root for root in new_roots if root.sha256 not in known]
        if not added:
            continue
        # The "Replace ... root certificate" commits remove the old root in the same commit.
        gone = {index for root in old_roots if root.sha256 not in kept
                for index in (root.certificate_index, root.trust_index)}
        store = old._replace(objects=tuple(obj for i, obj in enumerate(old.objects) if i not in gone))
        for root in added:
            position = new_roots.index(root)
            previous = new_roots[position - 1].sha256
            after = next(r.trust_index for r in read_roots(store).roots if r.sha256 == previous)
            if after == len(store.objects) - 1:
                after = None  # plain append: also exercises the end-of-file handling
            cert, trust = root_blocks(
                root.der, root.label,
                server_auth=root.trust.server_auth or MVT,
                email_protection=root.trust.email_protection or MVT,
                code_signing=root.trust.code_signing or MVT,
                step_up_approved=bool(root.trust.step_up_approved),
                server_distrust_after=root.distrust_after.server,
                email_distrust_after=root.distrust_after.email,
                newline=store.newline,
            )
            store = insert_root(store, cert, trust, after)
        expected = texts[name].decode("utf-8")
        actual = INCIDENTAL.get(commit, lambda text: text)(dump(store))
        assert actual == expected, f"{commit}\n{_show_difference(expected, actual)[:3000]}"
        checked.append(commit)
    assert len(checked) == 43
    # Five of them replaced a root in place; the 2021-12-13 batch landed before earlier additions.
    assert {"6af18c89a", "5588d743b", "f3ed9e14d", "137aad86b", "22ff479db", "05bfbc37c"} <= set(checked)


@pytest.mark.corpus
def test_info_lines_equal_the_newest_revisions_own_comments() -> None:
    objects = _read_objects(corpus_file("certdata-2024-06-13-469e60ef4.txt").decode("utf-8"))
    certificates = [obj for obj in objects if obj.values["CKA_CLASS"] == "CKO_CERTIFICATE"]
    assert len(certificates) == 172
    for obj in certificates:
        own = [line.rstrip("\n") for line in obj.text[4:11]]
        generated = list(info_lines(obj.octal("CKA_VALUE")))
        if obj.values["CKA_LABEL"] == "Explicitly Distrust DigiNotar Root CA":
            # f8cfc9242 skipped this entry: it kept its pre-2014 MD5 line (FORMAT.md §6.5).
            assert own[5].startswith("# Fingerprint (MD5): ")
            own[5] = generated[5]
        assert generated == own, obj.values["CKA_LABEL"]


# --------------------------------------------------------------------------------------------------
# Golden cases on self-made certificates (tests/data/certs/make_certs.py)


@dataclass(frozen=True)
class _Case:
    certificate: str
    label: str
    server_auth: TrustLevel = TD
    email_protection: TrustLevel = MVT
    code_signing: TrustLevel = MVT
    server_distrust_after: datetime | None = None
    email_distrust_after: datetime | None = None


GOLDEN_CASES = {
    "quoted-name": _Case("quoted-name", "Quote Root CA"),
    "non-ascii-name": _Case("non-ascii-name", "Főtanúsítvány Root CA", email_protection=TD),
    "short-serial-leading-zero": _Case("short-serial-leading-zero", "Short Serial CA"),
    "leading-zero-serial": _Case("leading-zero-serial", "Leading Zero Serial CA"),
    "long-serial": _Case("long-serial", "Long Serial CA"),
    "generalized-time": _Case("generalized-time", "GeneralizedTime Root CA"),
    "unknown-oid": _Case("unknown-oid", "Unknown OID Root CA"),
    "distrust": _Case("quoted-name", "Quote Root CA", NT, NT, NT),
    "distrust-after": _Case("unknown-oid", "Unknown OID Root CA", TD, TD, MVT,
                            server_distrust_after=datetime(2024, 11, 30, 23, 59, 59, tzinfo=UTC),
                            email_distrust_after=datetime(2024, 6, 30, tzinfo=UTC)),
}


def _der(name: str) -> bytes:
    path = CERTS_DIR / f"{name}.pem"
    return certificate_from_bytes(path.read_bytes(), str(path))


def _blocks(case: _Case, newline: str = "\n") -> str:
    cert, trust = root_blocks(
        _der(case.certificate), case.label,
        server_auth=case.server_auth, email_protection=case.email_protection,
        code_signing=case.code_signing, server_distrust_after=case.server_distrust_after,
        email_distrust_after=case.email_distrust_after, newline=newline)
    return cert.text() + trust.text()


def _check_golden(path: Path, actual: str) -> None:
    if UPDATE_GOLDEN:
        path.write_bytes(actual.encode("utf-8"))
    assert path.is_file(), f"missing golden {path}; run with CERTDATA_UPDATE_GOLDEN=1 and check it by hand"
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, f"{path.name} differs:\n{_show_difference(expected, actual)}"


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden_blocks(name: str) -> None:
    _check_golden(GOLDEN_DIR / f"{name}.txt", _blocks(GOLDEN_CASES[name]))


def test_golden_files_have_a_case_each() -> None:
    assert sorted(path.stem for path in GOLDEN_DIR.glob("*.txt")) == sorted(GOLDEN_CASES)


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden_blocks_hold_the_certificates_own_der_pieces(name: str) -> None:
    """Cross-check with asn1crypto: the octal values are the pieces of the certificate."""
    case = GOLDEN_CASES[name]
    der = _der(case.certificate)
    tbs = asn1_x509.Certificate.load(der)["tbs_certificate"]
    cert_object, trust_object = _read_objects("BEGINDATA\n" + _blocks(case))
    assert cert_object.octal("CKA_VALUE") == der
    assert cert_object.octal("CKA_SUBJECT") == tbs["subject"].dump()
    assert cert_object.octal("CKA_ISSUER") == trust_object.octal("CKA_ISSUER") == tbs["issuer"].dump()
    assert cert_object.octal("CKA_SERIAL_NUMBER") == trust_object.octal("CKA_SERIAL_NUMBER") \
        == tbs["serial_number"].dump()
    assert trust_object.octal("CKA_CERT_SHA1_HASH") == hashlib.sha1(der).digest()
    assert trust_object.octal("CKA_CERT_MD5_HASH") == hashlib.md5(der).digest()


def test_the_certificates_are_what_make_certs_writes() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_certs", CERTS_DIR / "make_certs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in module.CASES:
        assert module.certificate(name) == (CERTS_DIR / f"{name}.pem").read_bytes(), name


def test_crlf_file_gets_crlf_blocks() -> None:
    text = _blocks(GOLDEN_CASES["quoted-name"], newline="\r\n")
    assert text == (GOLDEN_DIR / "quoted-name.txt").read_text(encoding="utf-8").replace("\n", "\r\n")


# --------------------------------------------------------------------------------------------------
# Which attributes and headings appear


def _layout(server: TrustLevel, email: TrustLevel, code: TrustLevel) -> tuple[bool, str]:
    cert, trust = root_blocks(_der("long-serial"), "Long Serial CA", server_auth=server,
                              email_protection=email, code_signing=code)
    return cert.attribute("CKA_NSS_MOZILLA_CA_POLICY") is not None, trust.preamble[1]


@pytest.mark.parametrize(
    ("levels", "policy", "heading"),
    [
        ((TD, MVT, MVT), True, '# Trust for "Long Serial CA"\n'),
        ((MVT, MVT, TrustLevel.VALID_DELEGATOR), True, '# Trust for "Long Serial CA"\n'),
        # CKT_NSS_TRUSTED (P) is a trusted peer, not a CA: addbuiltin's hasPositiveTrust() is false.
        ((TrustLevel.TRUSTED, MVT, MVT), False, '# Trust for "Long Serial CA"\n'),
        ((MVT, MVT, MVT), False, '# Trust for "Long Serial CA"\n'),
        ((NT, NT, NT), False, '# Distrust "Long Serial CA"\n'),
        # The usages' flags OR-ed together are only CERTDB_TERMINAL_RECORD: still "Distrust".
        ((NT, MVT, MVT), False, '# Distrust "Long Serial CA"\n'),
        ((NT, TD, NT), True, '# Trust for "Long Serial CA"\n'),
        ((NT, TrustLevel.TRUSTED, NT), False, '# Trust for "Long Serial CA"\n'),
    ],
)
def test_policy_line_and_trust_heading(levels: tuple[TrustLevel, TrustLevel, TrustLevel], policy: bool,
                                       heading: str) -> None:
    assert _layout(*levels) == (policy, heading)
    assert is_distrust(*levels) == heading.startswith("# Distrust")


def test_step_up_approved_is_written() -> None:
    _, trust = root_blocks(_der("long-serial"), "L", server_auth=TD, email_protection=MVT,
                           code_signing=MVT, step_up_approved=True)
    step_up = trust.attribute("CKA_TRUST_STEP_UP_APPROVED")
    assert step_up is not None and step_up.text == "CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_TRUE\n"


def test_objects_are_new() -> None:
    cert, trust = root_blocks(_der("long-serial"), "L", server_auth=TD, email_protection=MVT,
                              code_signing=MVT)
    assert cert.line == trust.line == 0
    assert all(entry.line == 0 for entry in (*cert.entries, *trust.entries))


def test_distrust_date_outside_utctime_is_refused() -> None:
    with pytest.raises(ValueError, match="2050"):
        root_blocks(_der("long-serial"), "L", server_auth=TD, email_protection=MVT, code_signing=MVT,
                    server_distrust_after=datetime(2050, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("label", "problem"),
    [
        ("", "empty"),
        (" Lead", "leading or trailing whitespace"),
        ("Trail ", "leading or trailing whitespace"),
        ("Trail\u00a0", "leading or trailing whitespace"),
        ('Say "hi"', "contains '\"', which a CKA_LABEL cannot hold"),
        ("Back\\slash", "contains '\\\\', which a CKA_LABEL cannot hold"),
        ("Tab\tinside", "control character U+0009"),
        ("Bell\x07", "control character U+0007"),
        ("C1\x85inside", "control character U+0085"),
        ("Del\x7f", "control character U+007F"),
    ],
)
def test_label_problems(label: str, problem: str) -> None:
    found = label_problem(label)
    assert found is not None and problem in found
    with pytest.raises(ValueError, match=re.escape(problem)):
        root_blocks(_der("long-serial"), label, server_auth=TD, email_protection=MVT, code_signing=MVT)


@pytest.mark.parametrize("label", ["NetLock Arany (Class Gold) Főtanúsítvány", "A # B", "x", "$@ ok"])
def test_good_labels(label: str) -> None:
    assert label_problem(label) is None


def _tlv(tag: int, content: bytes) -> bytes:
    length = len(content)
    if length < 0x80:
        return bytes([tag, length]) + content
    size = (length.bit_length() + 7) // 8
    return bytes([tag, 0x80 | size]) + length.to_bytes(size, "big") + content


def test_certificate_parts_keep_odd_encodings() -> None:
    """A long-form length where short form would do is kept as it is in CKA_VALUE."""
    der = _der("long-serial")
    certificate = asn1_x509.Certificate.load(der)
    tbs = certificate["tbs_certificate"]
    serial = tbs["serial_number"].dump()
    odd_serial = b"\x02\x81" + serial[1:]  # 0x81 0x14: the length 20 in long form
    odd_tbs = _tlv(0x30, tbs.contents.replace(serial, odd_serial, 1))
    odd = _tlv(0x30, odd_tbs + certificate["signature_algorithm"].dump()
               + certificate["signature_value"].dump())
    parts = certificate_parts(odd)
    assert parts.serial == odd_serial
    assert (parts.issuer, parts.subject) == (tbs["issuer"].dump(), tbs["subject"].dump())


@pytest.mark.parametrize("data", [b"", b"\x30", b"\x30\x80\x00\x00", b"\x31\x00", b"\x30\x03\x02\x01\x01",
                                  b"\x30\x00trailing"])
def test_certificate_parts_refuse_what_is_not_a_certificate(data: bytes) -> None:
    with pytest.raises(ValueError):
        certificate_parts(data)


# --------------------------------------------------------------------------------------------------
# Placement in a file


def _store_text(body: str) -> str:
    return ("# header\nBEGINDATA\nCKA_CLASS CK_OBJECT_CLASS CKO_NSS_BUILTIN_ROOT_LIST\n"
            'CKA_LABEL UTF8 "Mozilla Builtin Roots"\n' + body)


def _new_root(newline: str = "\n") -> tuple[str, NssObject, NssObject]:
    case = GOLDEN_CASES["long-serial"]
    cert, trust = root_blocks(_der(case.certificate), case.label, server_auth=TD, email_protection=MVT,
                              code_signing=MVT, newline=newline)
    return cert.text() + trust.text(), cert, trust


@pytest.mark.parametrize(
    ("ending", "kept"),
    [
        ("CKA_TOKEN CK_BBOOL CK_TRUE\n", "CKA_TOKEN CK_BBOOL CK_TRUE\n"),
        ("CKA_TOKEN CK_BBOOL CK_TRUE", "CKA_TOKEN CK_BBOOL CK_TRUE\n"),  # no final newline
        ("CKA_TOKEN CK_BBOOL CK_TRUE\n\n", "CKA_TOKEN CK_BBOOL CK_TRUE\n"),  # empty last line
        ("CKA_TOKEN CK_BBOOL CK_TRUE\n\n  \n\n", "CKA_TOKEN CK_BBOOL CK_TRUE\n"),
        ("CKA_TOKEN CK_BBOOL CK_TRUE\n\n# the end\n", "CKA_TOKEN CK_BBOOL CK_TRUE\n\n# the end\n"),
        ("CKA_TOKEN CK_BBOOL CK_TRUE\n# the end", "CKA_TOKEN CK_BBOOL CK_TRUE\n# the end\n"),
        ("CKA_TOKEN CK_BBOOL CK_TRUE\n# the end\n\n", "CKA_TOKEN CK_BBOOL CK_TRUE\n# the end\n"),
    ],
)
def test_append_is_separated_by_one_empty_line(ending: str, kept: str) -> None:
    store = parse(_store_text(ending))
    blocks, cert, trust = _new_root()
    result = insert_root(store, cert, trust)
    assert dump(result) == _store_text(kept) + blocks
    assert dump(result).endswith("CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE\n")
    assert dump(parse(dump(result))) == dump(result)


def test_append_to_a_crlf_file_without_final_newline() -> None:
    text = _store_text("CKA_TOKEN CK_BBOOL CK_TRUE").replace("\n", "\r\n")
    store = parse(text)
    blocks, cert, trust = _new_root(store.newline)
    assert dump(insert_root(store, cert, trust)) == text + "\r\n" + blocks


def test_insert_after_an_object_in_the_middle() -> None:
    first = ("\n# A\nCKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE\n"
             "\n# A trust\nCKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST\n")
    last = ("\n# B\nCKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE\n"
            "\n# B trust\nCKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST\n\n")
    store = parse(_store_text(first + last))
    blocks, cert, trust = _new_root()
    result = insert_root(store, cert, trust, 2)
    # Nothing else moves: the trailing empty line of the file stays, as the insert is not at the end.
    assert dump(result) == _store_text(first + blocks + last)
    lines = [obj.line for obj in store.objects]
    assert [obj.line for obj in result.objects] == [*lines[:3], 0, 0, *lines[3:]]


def test_insert_after_the_last_object_is_an_append() -> None:
    store = parse(_store_text("\n# A\nCKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE\n\n"))
    blocks, cert, trust = _new_root()
    result = insert_root(store, cert, trust, 1)
    assert dump(result) == _store_text("\n# A\nCKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE\n") + blocks


@pytest.mark.parametrize("index", [-1, 2, 99])
def test_insert_after_a_missing_object(index: int) -> None:
    store = parse(_store_text("\n# A\nCKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE\n"))
    _, cert, trust = _new_root()
    with pytest.raises(IndexError):
        insert_root(store, cert, trust, index)


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["certdata-2024-05-30-bb4242fc1.txt", "certdata-2024-06-13-469e60ef4.txt"])
def test_append_after_nss_files_with_an_empty_last_line(name: str) -> None:
    """bb4242fc1 and 469e60ef4 end in an empty line; NSS's next commit (1103314ca) removed it."""
    text = corpus_file(name).decode("utf-8")
    assert text.endswith("CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE\n\n")
    blocks, cert, trust = _new_root()
    result = dump(insert_root(parse(text), cert, trust))
    assert result == text[:-1] + blocks


def test_reader_reads_what_it_should() -> None:
    """The test-local reader itself: object text and values of a tiny file."""
    objects = _read_objects(_store_text(
        "\n# c\nCKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE\n"
        "CKA_V MULTILINE_OCTAL\n\\001\\377\nEND\n"
        "# For Server Distrust After: Sat Nov 30 23:59:59 2024\n"
        "CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL\n"
        "\\062\\064\\061\\061\\063\\060\\062\\063\\065\\071\\065\\071\\132\nEND\n"
        "CKA_NSS_EMAIL_DISTRUST_AFTER CK_BBOOL CK_FALSE\n"))
    assert objects[1].text == [
        "\n", "# c\n", "CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE\n",
        "CKA_V MULTILINE_OCTAL\n", "\\001\\377\n", "END\n",
        "# For Server Distrust After: Sat Nov 30 23:59:59 2024\n",
        "CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL\n",
        "\\062\\064\\061\\061\\063\\060\\062\\063\\065\\071\\065\\071\\132\n", "END\n",
        "CKA_NSS_EMAIL_DISTRUST_AFTER CK_BBOOL CK_FALSE\n"]
    assert objects[1].octal("CKA_V") == b"\x01\xff"
    assert _distrust_after(objects[1], "CKA_NSS_SERVER_DISTRUST_AFTER") == datetime(
        2024, 11, 30, 23, 59, 59, tzinfo=UTC)
    assert _distrust_after(objects[1], "CKA_NSS_EMAIL_DISTRUST_AFTER") is None
    assert _utctime(b"491231235959Z") == datetime(2049, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert _utctime(b"500101000000Z") == datetime(1950, 1, 1, tzinfo=UTC)
