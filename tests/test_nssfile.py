"""The lossless reader/writer: real corpus round trips, every layout NSS has used, malformed input."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import DATA_DIR, PROJECT_ROOT, TESTS_DIR, corpus_revisions
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from certdata_tool.errors import ParseError
from certdata_tool.syntax.nssfile import (
    Attribute,
    CertdataFile,
    Comment,
    decode_octal,
    dump,
    encode_octal,
    octal_attribute,
    parse,
    simple_attribute,
    utf8_attribute,
)

SAMPLE = PROJECT_ROOT / "samples" / "certdata.txt"
MALFORMED = DATA_DIR / "malformed"


def round_trip(text: str) -> CertdataFile:
    store = parse(text)
    assert dump(store) == text
    return store


def certdata(*body: str, header: str = "# a small certdata.txt\nBEGINDATA\n") -> str:
    """A file of `header` then the body lines, each ended with LF."""
    return header + "".join(line + "\n" for line in body)


TRUST_OBJECT = (
    "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST",
    'CKA_LABEL UTF8 "Example"',
    "CKA_TRUST_SERVER_AUTH CK_TRUST CKT_NSS_TRUSTED_DELEGATOR",
    "CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE",
)


# -- the real corpus ------------------------------------------------------------------------------


@pytest.mark.corpus
def test_every_corpus_revision_round_trips_byte_for_byte() -> None:
    revisions = corpus_revisions()
    assert len(revisions) == 137
    failed = []
    for name, data in revisions:
        text = data.decode("utf-8")
        try:
            if dump(parse(text, source=name)) != text:
                failed.append(f"{name}: dump(parse(text)) differs from the text")
        except ParseError as error:
            failed.append(f"{name}: {error}")
    assert not failed, "revisions that do not round-trip:\n" + "\n".join(failed)


def _revision(name: str) -> CertdataFile:
    data = dict(corpus_revisions())[name]
    return round_trip(data.decode("utf-8"))


@pytest.mark.corpus
def test_real_quirks_are_read_as_nss_reads_them() -> None:
    # Q10: the old CVS_ID line is header text, not an object.
    first = _revision("2013-02-28_bf65ba4ce.txt")
    assert first.header[4] == 'CVS_ID "@(#) $RCSfile$ $Revision$ $Date$"\n'
    assert first.header[-1] == "BEGINDATA\n"
    assert first.objects[0].object_class == "CKO_NSS_BUILTIN_ROOT_LIST"
    # §9: \x-escaped labels are decoded as certdata.perl evaluates them.
    labels = {obj.label for obj in first.objects}
    assert "AC Raíz Certicámara S.A." in labels
    assert "TÜBİTAK UEKAE Kök Sertifika Hizmet Sağlayıcısı - Sürüm 3" in labels  # noqa: RUF001
    # Q6: the stray quote after a label.
    stray = _revision("2014-02-19_a9e900681.txt")
    label = next(a for o in stray.objects for a in o.attributes() if a.line == 503)
    assert label.value == "Distrust a pb.com certificate that does not comply with the baseline requirements."
    assert label.trailing == '"'
    # Q8: no final newline, then an empty last line.
    no_newline = _revision("2024-05-30_037bef7bd.txt")
    assert no_newline.trailer == ()
    assert no_newline.objects[-1].entries[-1].text == "CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE"
    empty_last = _revision("2024-05-30_bb4242fc1.txt")
    assert empty_last.trailer == ("\n",)


# -- layouts real files have had, as small self-made texts ---------------------------------------


def test_sample_file_structure() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    store = round_trip(text)
    assert len(store.header) == 67 and store.header[-1] == "BEGINDATA\n"
    assert store.newline == "\n" and store.trailer == ()
    classes = [obj.object_class for obj in store.objects]
    assert classes == ["CKO_NSS_BUILTIN_ROOT_LIST"] + ["CKO_CERTIFICATE", "CKO_NSS_TRUST"] * 6
    assert store.objects[0].line == 68 and store.objects[0].preamble == ()
    certificate = store.objects[1]
    assert certificate.preamble[:4] == ("\n", "#\n", '# Certificate "Example Root CA 1"\n', "#\n")
    assert len(certificate.preamble) == 11 and len(store.objects[2].preamble) == 9
    assert certificate.preamble_line == 73 and certificate.line == 84


def test_crlf_line_endings() -> None:
    lf = SAMPLE.read_text(encoding="utf-8")
    crlf = lf.replace("\n", "\r\n")
    store = round_trip(crlf)
    assert store.newline == "\r\n"
    lf_store = parse(lf)
    assert [obj.line for obj in store.objects] == [obj.line for obj in lf_store.objects]
    for crlf_object, lf_object in zip(store.objects, lf_store.objects, strict=True):
        crlf_values = [(a.name, a.type, a.value, a.trailing) for a in crlf_object.attributes()]
        assert crlf_values == [(a.name, a.type, a.value, a.trailing) for a in lf_object.attributes()]
    # Mixed endings (a file partly edited on Windows) read the same values too.
    mixed = "".join(line + ("\r\n" if number % 3 else "\n")
                    for number, line in enumerate(lf.split("\n")[:-1]))
    mixed_store = round_trip(mixed)
    assert [a.value for o in mixed_store.objects for a in o.attributes()] == [
        a.value for o in lf_store.objects for a in o.attributes()]


def test_no_final_newline() -> None:
    text = certdata(*TRUST_OBJECT).removesuffix("\n")
    store = round_trip(text)
    last = store.objects[-1].entries[-1]
    assert isinstance(last, Attribute)
    assert (last.value, last.text) == ("CK_FALSE", "CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE")
    octal_last = round_trip(certdata("CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE",
                                     "CKA_VALUE MULTILINE_OCTAL", "\\001\\002", "END").removesuffix("\n"))
    assert octal_last.objects[0].entries[-1] == Attribute(
        "CKA_VALUE", "MULTILINE_OCTAL", b"\x01\x02", "CKA_VALUE MULTILINE_OCTAL\n\\001\\002\nEND", 4)


def test_empty_last_line_and_trailing_comments() -> None:
    store = round_trip(certdata(*TRUST_OBJECT, ""))
    assert store.trailer == ("\n",)
    store = round_trip(certdata(*TRUST_OBJECT, "", "# the end", "  "))
    assert store.trailer == ("\n", "# the end\n", "  \n")


def test_comments_inside_objects_are_kept_as_comments() -> None:
    text = certdata(
        "CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE",
        "CKA_NSS_MOZILLA_CA_POLICY CK_BBOOL CK_TRUE",
        "# For Server Distrust After: Sun Jun 30 00:00:00 2024",
        "CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL",
        "\\062\\064\\060\\066\\063\\060\\060\\060\\060\\060\\060\\060\\132",
        "END",
        "",
        "    # an indented comment",
        "CKA_NSS_EMAIL_DISTRUST_AFTER CK_BBOOL CK_FALSE",
    )
    entries = round_trip(text).objects[0].entries
    assert entries[2] == Comment("# For Server Distrust After: Sun Jun 30 00:00:00 2024\n", 5)
    distrust = entries[3]
    assert isinstance(distrust, Attribute) and distrust.octal == b"240630000000Z"
    assert entries[4:6] == (Comment("\n", 9), Comment("    # an indented comment\n", 10))
    assert isinstance(entries[6], Attribute) and entries[6].line == 11


def test_unknown_attributes_and_types_are_kept() -> None:
    text = certdata(
        "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_SOMETHING_NEW",
        "CKA_NSS_FUTURE_THING CK_FUTURE_TYPE CKX_SOME_VALUE",
        "CKA_EXPIRES CK_DATE 20301231",
        "CKA_NSS_BLOB MULTILINE_OCTAL",
        "\\377",
        "END",
    )
    obj = round_trip(text).objects[0]
    assert obj.object_class == "CKO_NSS_SOMETHING_NEW"
    values = [(a.name, a.type, a.value) for a in obj.attributes()]
    assert values[1:] == [
        ("CKA_NSS_FUTURE_THING", "CK_FUTURE_TYPE", "CKX_SOME_VALUE"),
        ("CKA_EXPIRES", "CK_DATE", "20301231"),
        ("CKA_NSS_BLOB", "MULTILINE_OCTAL", b"\xff"),
    ]


def test_values_are_split_on_any_whitespace_and_comments_dropped_as_certdata_perl_does() -> None:
    text = certdata(
        "CKA_CLASS\tCK_OBJECT_CLASS\tCKO_CERTIFICATE",
        "CKA_TOKEN CK_BBOOL\tCK_TRUE\t# comment after a tab",
        "CKA_PRIVATE CK_BBOOL CK_FALSE# comment without a space",
        "  CKA_MODIFIABLE   CK_BBOOL   CK_FALSE   ",
        "CKA_ID UTF8 \"0\" # comment after a string",
        "CKA_ODD CK_BBOOL CK_FALSE EXTRA",
    )
    attributes = list(round_trip(text).objects[0].attributes())
    assert [(a.name, a.value, a.trailing) for a in attributes] == [
        ("CKA_CLASS", "CKO_CERTIFICATE", ""),
        ("CKA_TOKEN", "CK_TRUE", ""),
        ("CKA_PRIVATE", "CK_FALSE", ""),
        ("CKA_MODIFIABLE", "CK_FALSE", ""),
        ("CKA_ID", "0", ""),
        ("CKA_ODD", "CK_FALSE", "EXTRA"),
    ]


@pytest.mark.parametrize(
    ("raw", "label"),
    [
        ("NetLock Arany (Class Gold) Főtanúsítvány", "NetLock Arany (Class Gold) Főtanúsítvány"),
        ("AC Ra\\xC3\\xADz Certic\\xC3\\xA1mara S.A.", "AC Raíz Certicámara S.A."),
        ("T\\xc3\\x9c\\x42\\xC4\\xB0TAK Sa\\xC4\\x9Flay\\xc4\\xb1\\x63\\xc4\\xb1s\\xc4\\xb1",
         "TÜBİTAK Sağlayıcısı"),  # noqa: RUF001
        ("# is safe inside quotes", "# is safe inside quotes"),
        ("octal \\101 and \\t tab", "octal A and \t tab"),
    ],
)
def test_utf8_and_escaped_labels(raw: str, label: str) -> None:
    text = certdata("CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE", f'CKA_LABEL UTF8 "{raw}"')
    obj = round_trip(text).objects[0]
    assert obj.label == label
    assert obj.entries[1].text == f'CKA_LABEL UTF8 "{raw}"\n'


def test_old_cvs_id_header_line() -> None:
    header = '#\n# header\n#\nCVS_ID "@(#) $RCSfile$ $Revision$ $Date$"\n\n#\nBEGINDATA\n'
    store = round_trip(certdata(*TRUST_OBJECT, header=header))
    assert store.header[3] == 'CVS_ID "@(#) $RCSfile$ $Revision$ $Date$"\n'
    assert len(store.header) == 7 and store.objects[0].line == 8


def test_double_blank_lines_stay_in_the_preamble() -> None:
    text = certdata(*TRUST_OBJECT, "", "", '# Trust for "Second"', *TRUST_OBJECT)
    second = round_trip(text).objects[1]
    assert second.preamble == ("\n", "\n", '# Trust for "Second"\n')
    assert (second.preamble_line, second.line) == (7, 10)


def test_stray_quote_after_a_label() -> None:
    text = certdata("CKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST",
                    'CKA_LABEL UTF8 "Distrust a pb.com certificate.""')
    label = round_trip(text).objects[0].attribute("CKA_LABEL")
    assert label is not None
    assert (label.value, label.trailing) == ("Distrust a pb.com certificate.", '"')


def test_cut_off_between_objects_still_parses() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    cut = text[: text.index('\n\n# Trust for "Example Websites Root 2"') + 1]
    store = round_trip(cut)
    assert store.objects[-1].object_class == "CKO_CERTIFICATE"
    assert store.objects[-1].label == "Example Websites Root 2"


def test_builders_write_nss_layout() -> None:
    data = bytes(range(20))
    attribute = octal_attribute("CKA_CERT_SHA1_HASH", data)
    assert attribute.text == (
        "CKA_CERT_SHA1_HASH MULTILINE_OCTAL\n"
        "\\000\\001\\002\\003\\004\\005\\006\\007\\010\\011\\012\\013\\014\\015\\016\\017\n"
        "\\020\\021\\022\\023\n"
        "END\n"
    )
    read_back = parse(certdata("CKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST") + attribute.text).objects[0]
    assert read_back.entries[1] == Attribute("CKA_CERT_SHA1_HASH", "MULTILINE_OCTAL", data, attribute.text, 4)
    token = simple_attribute("CKA_TOKEN", "CK_BBOOL", "CK_TRUE", "\r\n")
    assert token.text == "CKA_TOKEN CK_BBOOL CK_TRUE\r\n"
    assert utf8_attribute("CKA_LABEL", "Főtanúsítvány").text == 'CKA_LABEL UTF8 "Főtanúsítvány"\n'


# -- octal codec ----------------------------------------------------------------------------------


def test_octal_codec_examples() -> None:
    assert encode_octal(b"240630000000Z") == (
        "\\062\\064\\060\\066\\063\\060\\060\\060\\060\\060\\060\\060\\132\n")
    assert encode_octal(b"") == ""
    assert decode_octal("\\000\\377\\101") == b"\x00\xffA"
    assert decode_octal(b"\\060") == b"0"
    for bad in ("", "\\08 9", "\\089", "\\400", "\\777", "\\0a1", "\\60", "\\0601", "060\\", "\\060 ",
                "\\\\00", "\\06\\0", "\\\u0660\u0660\u0660"):
        with pytest.raises(ValueError):
            decode_octal(bad)


@given(st.binary(min_size=1, max_size=300))
def test_octal_codec_round_trips_any_bytes(data: bytes) -> None:
    body = encode_octal(data)
    lines = body.split("\n")
    assert lines[-1] == "" and all(len(line) <= 64 for line in lines)
    assert len(lines) - 1 == -(-len(data) // 16)
    assert decode_octal(body.replace("\n", "")) == data


@given(st.text(min_size=1, max_size=40))
def test_octal_decoder_rejects_what_is_not_octal_escapes(text: str) -> None:
    if re.fullmatch(r"(\\[0-3][0-7][0-7])+", text):
        assert len(decode_octal(text)) == len(text) // 4
    else:
        with pytest.raises(ValueError):
            decode_octal(text)


# Pieces of octal bodies: groups (some beyond \377), newlines, and stray backslashes and digits.
_OCTAL_PIECES = st.one_of(st.from_regex(r"\\[0-7][0-7][0-7]", fullmatch=True),
                          st.sampled_from(["\n", "\n", "\\", "0", "7", "\\0", "\\37"]))


@settings(max_examples=300)
@given(st.lists(_OCTAL_PIECES, min_size=1, max_size=30))
@example(["\\37", "\n", "7"])  # whole groups once joined, but a line that does not start one
@example(["\\400"])
def test_a_multiline_octal_body_reads_as_its_lines_say(pieces: list[str]) -> None:
    """The reader's quick way with octal bodies accepts what the codec does, line by line: whole
    `\\ooo` groups of at most \\377, each line starting one; anything else fails naming a line."""
    body = "".join(pieces).strip("\n") or "\\001"
    text = certdata("CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE", "CKA_VALUE MULTILINE_OCTAL", body, "END")
    lines = body.split("\n")
    valid = all(re.fullmatch(r"(\\[0-3][0-7][0-7])+", line) for line in lines)
    try:
        store = parse(text.encode("ascii"))
    except ParseError as error:
        assert not valid and error.line is not None and 4 <= error.line <= 4 + len(lines)
    else:
        value = store.objects[0].attribute("CKA_VALUE")
        assert valid and value is not None and value.value == decode_octal("".join(lines))


@given(st.lists(st.from_regex(r"\\[0-3][0-7][0-7]", fullmatch=True), min_size=1, max_size=20),
       st.integers(min_value=0, max_value=80), st.sampled_from(["8", "9", "a", " ", "\\", "4", "x"]))
def test_octal_decoder_rejects_a_corrupted_group(groups: list[str], where: int, junk: str) -> None:
    text = "".join(groups)
    where %= len(text)
    corrupted = text[:where] + junk + text[where + 1 :]
    if corrupted == text or re.fullmatch(r"(\\[0-3][0-7][0-7])+", corrupted):
        return
    with pytest.raises(ValueError):
        decode_octal(corrupted)


# -- generated files round-trip and read back what was written ------------------------------------


@dataclass(frozen=True)
class Expected:
    name: str
    type: str
    value: bytes | str


_NAME = st.from_regex(r"[A-Z][A-Z0-9_]{0,20}", fullmatch=True).filter(lambda name: name != "CLASS")
_TOKEN = st.from_regex(r"[A-Za-z0-9_.:+-]{1,20}", fullmatch=True)
_LABEL = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='"\\\u2028\u2029\x85'),
                 max_size=30)
_COMMENT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"),
                   max_size=30).map(lambda text: "#" + text)
_SPACE = st.sampled_from(["", " ", "  ", "\t"])


@st.composite
def _blank_or_comment(draw: st.DrawFn) -> str:
    return draw(_SPACE) + draw(st.sampled_from(["", draw(_COMMENT)]))


@st.composite
def _attribute(draw: st.DrawFn) -> tuple[list[str], Expected]:
    kind = draw(st.sampled_from(["simple", "utf8", "octal"]))
    name = "CKA_" + draw(_NAME)
    lead = draw(st.sampled_from(["", "", " ", "\t"]))
    tail = draw(st.sampled_from(["", "", " ", " " + draw(_COMMENT)]))
    if kind == "simple":
        type_, value = "CK_" + draw(_NAME), draw(_TOKEN)
        gap = draw(st.sampled_from([" ", "\t", "  "]))
        return [f"{lead}{name} {type_}{gap}{value}{tail}"], Expected(name, type_, value)
    if kind == "utf8":
        label = draw(_LABEL)
        return [f'{lead}{name} UTF8 "{label}"{tail}'], Expected(name, "UTF8", label)
    data = draw(st.binary(min_size=1, max_size=60))
    lines, start = [], 0
    while start < len(data):
        size = draw(st.integers(min_value=1, max_value=20))
        lines.append("".join(f"\\{byte:03o}" for byte in data[start : start + size]))
        start += size
    return [f"{lead}{name} MULTILINE_OCTAL{tail}", *lines, draw(st.sampled_from(["END", "END", " END "]))], \
        Expected(name, "MULTILINE_OCTAL", data)


@st.composite
def _certdata_text(draw: st.DrawFn) -> tuple[str, list[list[Expected]]]:
    lines = [draw(_blank_or_comment()) for _ in range(draw(st.integers(0, 3)))]
    lines.append(draw(st.sampled_from(["BEGINDATA", "BEGINDATA ", "  BEGINDATA"])))
    objects: list[list[Expected]] = []
    for _ in range(draw(st.integers(0, 4))):
        lines += draw(st.lists(_blank_or_comment(), max_size=3))
        object_class = "CKO_" + draw(_NAME)
        lines.append(f"CKA_CLASS CK_OBJECT_CLASS {object_class}")
        expected = [Expected("CKA_CLASS", "CK_OBJECT_CLASS", object_class)]
        for _ in range(draw(st.integers(0, 5))):
            lines += draw(st.lists(_blank_or_comment(), max_size=2))
            attribute_lines, value = draw(_attribute())
            lines += attribute_lines
            expected.append(value)
        objects.append(expected)
    lines += draw(st.lists(_blank_or_comment(), max_size=3))
    newline = draw(st.sampled_from(["\n", "\r\n", "mixed"]))
    endings = [draw(st.sampled_from(["\n", "\r\n"])) if newline == "mixed" else newline for _ in lines]
    text = "".join(line + ending for line, ending in zip(lines, endings, strict=True))
    if draw(st.booleans()):
        text = text.removesuffix(endings[-1])
    return text, objects


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_certdata_text())
def test_generated_files_round_trip_and_read_back(case: tuple[str, list[list[Expected]]]) -> None:
    text, objects = case
    store = round_trip(text)
    read = [[Expected(a.name, a.type, a.value) for a in obj.attributes()] for obj in store.objects]
    assert read == objects


def _read(source: str | bytes) -> CertdataFile | tuple[str, int | None]:
    """The file read, or its error's message and line."""
    try:
        return parse(source, source="x")
    except ParseError as error:
        return error.message, error.line


# Letters whose UTF-8 holds the bytes 0x85 (NEL) and 0xA0 (no-break space) that Latin-1 reads as
# spaces, others of two, three and four bytes, those two spaces themselves, and Unicode's spaces
# whose UTF-8 Latin-1 reads as letters (str.strip and `\s` take them for spaces).
_NOT_ASCII = st.text(st.sampled_from(["Å", "à", "ő", "€", "𝄞", "\x85", "\xa0", "é", "ü",
                                      "\u1680", "\u2003", "\u2028", "\u2029", "\u202f", "\u3000"]),
                     min_size=1, max_size=3)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_certdata_text(), st.integers(min_value=0), _NOT_ASCII)
def test_bytes_read_as_their_text_reads(case: tuple[str, list[list[Expected]]], where: int,
                                        letters: str) -> None:
    """The reader reads a file of bytes that are not all ASCII byte for byte: the result (or the
    error) is the one its decoded text gives, wherever the other letters stand."""
    text = case[0]
    at = where % (len(text) + 1)
    text = text[:at] + letters + text[at:]
    from_bytes, from_text = _read(text.encode("utf-8")), _read(text)
    assert from_bytes == from_text
    if isinstance(from_bytes, CertdataFile):
        assert isinstance(from_text, CertdataFile)
        assert (from_bytes.newline, from_bytes.undecodable) == (from_text.newline, from_text.undecodable)
        assert dump(from_bytes) == text


@pytest.mark.parametrize("space", ["\u1680", "\u2003", "\u2028", "\u3000", "\x85", "\xa0"])
@pytest.mark.parametrize("line", ["CKA_TOKEN CK_BBOOL CK_TRUE{}", "CKA_TOKEN CK_BBOOL {}",
                                  "CKA_TOKEN {} CK_TRUE", "CKA_TOKEN CK_BBOOL CK_TRUE {}# a comment"])
def test_unicode_spaces_in_a_value_read_the_same_from_bytes(line: str, space: str) -> None:
    text = certdata("CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE", line.format(space))
    assert _read(text.encode("utf-8")) == _read(text)


def test_a_comment_after_multiline_octal_is_read_from_bytes_as_text() -> None:
    text = certdata("CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE", "CKA_VALUE MULTILINE_OCTAL # Å été",
                    "\\001\\002", "END", 'CKA_LABEL UTF8 "Åre"')
    store = parse(text.encode("utf-8"))
    assert store == parse(text) and dump(store) == text
    value = store.objects[0].attribute("CKA_VALUE")
    assert value is not None and value.value == b"\x01\x02" and "Å été" in value.text


# -- malformed input: always a ParseError naming a line -------------------------------------------


# Each malformed file of tests/data/malformed with the line and message of its ParseError, as data:
# tests/cases/parse/malformed.tsv (file, line, message; tab-separated, no quoting).
with (TESTS_DIR / "cases" / "parse" / "malformed.tsv").open(encoding="utf-8", newline="") as _table:
    MALFORMED_CASES = [(row["file"], int(row["line"]), row["message"])
                       for row in csv.DictReader(_table, delimiter="\t", quoting=csv.QUOTE_NONE)]


@pytest.mark.parametrize(("file_name", "line", "message"), MALFORMED_CASES)
def test_malformed_input(file_name: str, line: int, message: str) -> None:
    data = (MALFORMED / file_name).read_bytes()
    with pytest.raises(ParseError) as caught:
        parse(data, source=file_name)
    error = caught.value
    assert (error.message, error.line, error.source) == (message, line, file_name)
    assert str(error) == f"{file_name}:{line}: {message}"
    # The same from text, where the text is text.
    if file_name != "not-utf8.txt":
        with pytest.raises(ParseError) as from_text:
            parse(data.decode("utf-8"), source=file_name)
        assert (from_text.value.message, from_text.value.line) == (message, line)


def test_every_malformed_file_has_a_case() -> None:
    assert {path.name for path in MALFORMED.iterdir()} == {case[0] for case in MALFORMED_CASES}


def _line_count(text: str) -> int:
    return max(1, len(text.split("\n")) - (1 if text.endswith("\n") else 0))


def _check_parse_or_error(text: str) -> None:
    try:
        store = parse(text, source="x")
    except ParseError as error:
        assert error.line is not None and 1 <= error.line <= _line_count(text), (error.line, str(error))
        assert "\n" not in str(error)
    else:
        assert dump(store) == text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_certdata_text(), st.integers(min_value=0), st.sampled_from(
    ["", "END", "\\0", "CKA_X", 'CKA_X UTF8 "', "CKA_X MULTILINE_OCTAL", "\\999", "garbage here", "\t", "#"]))
def test_damaged_files_parse_or_fail_with_a_line(case: tuple[str, list[list[Expected]]], where: int,
                                                 junk: str) -> None:
    text = case[0]
    lines = text.split("\n")
    index = where % len(lines)
    damaged = [*lines[:index], junk, *lines[index + 1 :]]  # one line replaced
    _check_parse_or_error("\n".join(damaged))
    _check_parse_or_error("\n".join([*lines[:index], *lines[index + 1 :]]))  # one line removed
    _check_parse_or_error(text[: where % (len(text) + 1)])  # cut off anywhere


@settings(deadline=None)
@given(st.text(max_size=200))
def test_any_text_parses_or_fails_with_a_line(text: str) -> None:
    _check_parse_or_error(text)
    _check_parse_or_error("BEGINDATA\n" + text)


@settings(deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_parse_or_fail_with_a_line(data: bytes) -> None:
    for candidate in (data, b"BEGINDATA\nCKA_CLASS CK_OBJECT_CLASS X\nCKA_LABEL UTF8 \"" + data + b'"\n'):
        try:
            parse(candidate)
        except ParseError as error:
            assert error.line is not None and error.line >= 1


def test_malformed_files_are_self_made() -> None:
    # Guard against real corpus data slipping into the repository.
    for path in MALFORMED.iterdir():
        assert Path(path).stat().st_size < 400, path
