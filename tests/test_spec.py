"""Change specs: loading and validating version 1, the JSON Schema, and `diff --format spec`."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from certdata_tool.cli.files import spec_file_reader
from certdata_tool.errors import SpecError
from certdata_tool.model.blocks import label_problem
from certdata_tool.model.roots import DistrustPurpose, TrustField, TrustLevel
from certdata_tool.model.selectors import Selector
from certdata_tool.spec.load import ModifyChange, Spec, load_spec, parse_moment
from certdata_tool.spec.schema import render_schema, spec_schema
from certdata_tool.spec.write import yaml_date, yaml_quoted

PROJECT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((PROJECT / "samples").glob("*.yaml"))
SPECS = Path(__file__).resolve().parent / "data" / "specs"

GLOBALTRUST_SHA256 = "9A296A5182D1D451A2E37F439B74DAAFA267523329F90F9A0D2007C334E23C9A"
JUNE_30 = datetime(2024, 6, 30, tzinfo=UTC)


def modify(spec: Spec, index: int = 0) -> ModifyChange:
    """A change that must be a `select:` entry."""
    change = spec.changes[index]
    assert isinstance(change, ModifyChange)
    return change


def spec_error(text: str) -> SpecError:
    with pytest.raises(SpecError) as caught:
        load_spec(text, source="s.yaml")
    return caught.value


# -- valid specs ------------------------------------------------------------------------------


def test_contract_example_loads_with_every_value_and_line() -> None:
    spec = load_spec(
        (SPECS / "contract-example.yaml").read_text(encoding="utf-8"), source="example.yaml", base_dir=SPECS
    )
    assert spec.version == 1
    assert spec.title == "GLOBALTRUST 2020: set Distrust After for TLS and S/MIME"
    assert spec.bug == 1901080
    assert spec.source == "example.yaml"
    assert spec.base_dir == SPECS
    first, second, third = spec.changes
    assert first == ModifyChange(
        selector=Selector(label="GLOBALTRUST 2020", sha256=GLOBALTRUST_SHA256),
        distrust_after={DistrustPurpose.SERVER: JUNE_30, DistrustPurpose.EMAIL: JUNE_30},
        line=5,
        path="changes[0]",
        key_lines={"select": 5, "distrust_after": 6},
    )
    assert second == ModifyChange(
        selector=Selector(sha256="D573141C6B82C96DF32B8AF05E5730296A234C06A4EC58D34A578D68795BE719"),
        trust={
            TrustField.SERVER_AUTH: TrustLevel.MUST_VERIFY_TRUST,
            TrustField.EMAIL_PROTECTION: TrustLevel.TRUSTED_DELEGATOR,
            TrustField.CODE_SIGNING: TrustLevel.MUST_VERIFY_TRUST,
        },
        step_up_approved=False,
        mozilla_ca_policy=True,
        rename="New Label",
        line=9,
        path="changes[1]",
        key_lines={"select": 9, "trust": 10, "mozilla_ca_policy": 15, "rename": 16},
    )
    assert third == ModifyChange(
        selector=Selector(label="Old Root"),
        remove=True,
        line=17,
        path="changes[2]",
        key_lines={"select": 17, "remove": 18},
    )


def test_minimal_spec_has_no_title_or_bug() -> None:
    spec = load_spec("version: 1\nchanges:\n- select: {label: A}\n  remove: true\n")
    assert (spec.title, spec.bug, spec.source, spec.base_dir) == (None, None, "<spec>", None)
    assert spec.changes[0].line_of("remove") == 4
    assert spec.changes[0].line_of("trust") == 3  # keys not given fall back to the entry's line


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-06-30", JUNE_30),
        ('"2024-06-30"', JUNE_30),
        ("2024-06-30T00:00:00Z", JUNE_30),
        ("'2024-06-30T00:00:00Z'", JUNE_30),
        ("2024-11-30T23:59:59Z", datetime(2024, 11, 30, 23, 59, 59, tzinfo=UTC)),
        ("1950-01-01", datetime(1950, 1, 1, tzinfo=UTC)),
        ("2049-12-31T23:59:59Z", datetime(2049, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ("null", None),
        ("~", None),
        ("", None),
    ],
)
def test_distrust_after_values(value: str, expected: datetime | None) -> None:
    spec = load_spec(f"version: 1\nchanges:\n- select: {{label: A}}\n  distrust_after:\n    email: {value}\n")
    change = spec.changes[0]
    assert change.distrust_after == {DistrustPurpose.EMAIL: expected}
    moment = change.distrust_after[DistrustPurpose.EMAIL]
    assert moment is None or moment.tzinfo is not None


@pytest.mark.parametrize(
    "value", [level.value for level in TrustLevel] + [level.constant for level in TrustLevel]
)
def test_every_trust_value_and_constant_name(value: str) -> None:
    spec = load_spec(f"version: 1\nchanges:\n- select: {{label: A}}\n  trust: {{code_signing: {value}}}\n")
    assert spec.changes[0].trust == {TrustField.CODE_SIGNING: TrustLevel.from_name(value)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1901080", 1901080),
        ('"1901080"', 1901080),
        (
            "https://bugzilla.mozilla.org/show_bug.cgi?id=1901080",
            "https://bugzilla.mozilla.org/show_bug.cgi?id=1901080",
        ),
    ],
)
def test_bug_is_a_number_or_a_url(text: str, expected: int | str) -> None:
    assert (
        load_spec(f"version: 1\nbug: {text}\nchanges:\n- {{select: {{label: A}}, remove: true}}\n").bug
        == expected
    )


def test_fingerprints_are_normalised_and_count_kept() -> None:
    spec = load_spec(
        "version: 1\nchanges:\n- select:\n    sha1: "
        "'96:05:8c:2c:fa:7a:e3:62:78:aa:9d:32:52:e4:88:5e:2a:55:85:0c'\n"
        "    count: 2\n  mozilla_ca_policy: false\n"
    )
    assert modify(spec).selector == Selector(sha1="96058C2CFA7AE36278AA9D3252E4885E2A55850C", count=2)
    assert modify(spec).mozilla_ca_policy is False


def test_explicit_core_tags_are_fine() -> None:
    spec = load_spec("version: !!int 1\nchanges:\n- select: {label: !!str 2024}\n  rename: !!str 2025\n")
    assert modify(spec).selector.label == "2024"
    assert modify(spec).rename == "2025"


def test_utf8_labels_and_comments() -> None:
    spec = load_spec(
        'version: 1  # comment\nchanges:\n- select: {label: "Exemple Autorité Racine Ünïcode"}\n'
        '  rename: "NetLock Arany (Class Gold) Főtanúsítvány"\n'
    )
    assert modify(spec).rename == "NetLock Arany (Class Gold) Főtanúsítvány"


def test_samples_all_load() -> None:
    assert len(SAMPLES) >= 5
    for path in SAMPLES:
        spec = load_spec(
            path.read_text(encoding="utf-8"), source=path.name,
            base_dir=path.parent,
            read_file=spec_file_reader(path.parent))
        assert spec.changes, path


# -- invalid specs (the CLI test has the long table with exit codes) -------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "version: 1\nchanges:\n- select: {label: A}\n  distrust_after: {server: 2050-01-01}\n",
            "s.yaml:4: changes[0].distrust_after.server: 2050-01-01 is outside 1950-2049, which a UTCTime "
            "distrust-after value cannot express",
        ),
        (
            "version: 1\nchanges:\n- select: {label: A}\n  distrust_after: {server: 1949-12-31T23:59:59Z}\n",
            "s.yaml:4: changes[0].distrust_after.server: 1949-12-31T23:59:59Z is outside 1950-2049, "
            "which a "
            "UTCTime distrust-after value cannot express",
        ),
        (
            "version: 1\nchanges:\n- select: {label: A}\n  distrust_after: {server: "
            "2050-01-01T03:00:00+02:00}\n",
            "s.yaml:4: changes[0].distrust_after.server: '2050-01-01T03:00:00+02:00': expected 2024-06-30 "
            "or 2024-06-30T23:59:59Z (in UTC, to the second: 2050-01-01T01:00:00Z)",
        ),
        (
            "version: 1\nchanges:\n- select: {label: A}\n  distrust_after: {email: 2024-06-30 12:00:00}\n",
            "s.yaml:4: changes[0].distrust_after.email: '2024-06-30 12:00:00': expected 2024-06-30 or "
            "2024-06-30T23:59:59Z (a time needs its zone: 2024-06-30T12:00:00Z if it is UTC)",
        ),
        (
            "version: 1\nchanges:\n- select: {label: A}\n  distrust_after: {email: "
            "'2024-06-30T00:00:00.5Z'}\n",
            "s.yaml:4: changes[0].distrust_after.email: '2024-06-30T00:00:00.5Z': expected 2024-06-30 or "
            "2024-06-30T23:59:59Z (in UTC, to the second: 2024-06-30T00:00:00Z)",
        ),
        (
            "version: 1\nchanges:\n- select: {label: A}\n  distrust_after: {email: 2024-02-30}\n",
            "s.yaml:4: changes[0].distrust_after.email: '2024-02-30' is not a valid date: day is out of "
            "range for "
            "month",
        ),
        (
            "version: 1\nchanges:\n- select: {label: A}\n  distrust_after: {email: '20240630'}\n",
            "s.yaml:4: changes[0].distrust_after.email: '20240630': expected 2024-06-30 or "
            "2024-06-30T23:59:59Z",
        ),
        (
            "version: 1\nchanges:\n- select: {label: A}\n  distrust_after: {email: true}\n",
            "s.yaml:4: changes[0].distrust_after.email: expected 2024-06-30 or 2024-06-30T23:59:59Z (or "
            "null), found a boolean (true)",
        ),
        (
            "version: 1\nbug: 0\nchanges:\n- {select: {label: A}, remove: true}\n",
            "s.yaml:2: bug: expected a Mozilla bug number or a URL, found an integer (0)",
        ),
        (
            "version: 1\nbug: ftp://x\nchanges:\n- {select: {label: A}, remove: true}\n",
            "s.yaml:2: bug: expected a Mozilla bug number or a URL, found a string ('ftp://x')",
        ),
        (
            "version: 1\ntitle: [a]\nchanges:\n- {select: {label: A}, remove: true}\n",
            "s.yaml:2: title: expected a string, found a list",
        ),
        (
            "version: 1\nchanges:\n- {select: {label: A}, remove: true}\nchanges: []\n",
            "s.yaml:4: changes: duplicate key",
        ),
        (
            "version: 1\nchanges:\n- {select: {sha1: 1234}, remove: true}\n",
            "s.yaml:3: changes[0].select.sha1: expected a string (quote it), found an integer (1234)",
        ),
        (
            "version: 1\nchanges:\n- {select: {label: ''}, remove: true}\n",
            "s.yaml:3: changes[0].select.label: is empty",
        ),
        (
            "version: 1\nchanges:\n- {select: {label: A, count: 0}, remove: true}\n",
            "s.yaml:3: changes[0].select.count: expected the number of roots that must match (1 or more), "
            "found an "
            "integer (0)",
        ),
        (
            "version: 1\nchanges:\n- select: {label: A}\n  trust: {}\n",
            "s.yaml:4: changes[0].trust: is empty; give at least one of server_auth, email_protection, "
            "code_signing "
            "or step_up_approved",
        ),
        (
            "version: 1\nchanges:\n- select: {label: A}\n  trust: {step_up_approved: 'no'}\n",
            "s.yaml:4: changes[0].trust.step_up_approved: expected true or false, found a string ('no')",
        ),
        (
            "version: 1\nchanges:\n- select: {label: A}\n  distrust_after: {}\n",
            "s.yaml:4: changes[0].distrust_after: is empty; give server, email or both",
        ),
        (
            "version: 1\nchanges:\n- select: {label: A}\n  remove: false\n",
            "s.yaml:4: changes[0].remove: must be true (to keep the root, leave remove out), found a boolean "
            "(false)",
        ),
        (
            "version: 1\nchanges:\n- select: {label: A}\n  add: {label: B}\n",
            "s.yaml:3: changes[0].select: add stands alone in its entry; to change other roots, or the new "
            "one, write a separate - select: entry after it",
        ),
        (
            "version: 1\nchanges:\n- add: {label: B}\n",
            "s.yaml:3: changes[0].add: missing certificate; an add needs the certificate and the label of "
            "the "
            "new root (certificate: roots/new-root.pem)",
        ),
        (
            "version: 1\nchanges:\n- select: {label: A}\n  1: x\n",
            "s.yaml:4: changes[0]: keys must be names, found an integer (1)",
        ),
        (
            "version: 1\nchanges:\n- select: {label: A}\n  rename: 12\n",
            "s.yaml:4: changes[0].rename: expected the new label as a string, found an integer (12)",
        ),
        (
            'version: 1\nchanges:\n- select: {label: A}\n  rename: "A\\u0085B"\n',
            "s.yaml:4: changes[0].rename: the new label 'A\\x85B' contains the control character U+0085, "
            "which a "
            "CKA_LABEL cannot hold",
        ),
        ("", "s.yaml:1: empty spec: expected a mapping with version: 1 and changes"),
        ("# only a comment\n", "s.yaml:1: empty spec: expected a mapping with version: 1 and changes"),
        ("- a\n- b\n", "s.yaml:1: expected a mapping with version: 1 and changes, found a list"),
        (
            "version: 1\nchanges:\n- {select: {label: A}, remove: !!binary AAAA}\n",
            "s.yaml:3: the tag tag:yaml.org,2002:binary is not allowed in a change spec; write plain values",
        ),
        (
            "version: 1\nchanges:\n- {select: {label: A}, remove: !foo true}\n",
            "s.yaml:3: the tag !foo is not allowed in a change spec; write plain values",
        ),
        (
            "version: 1\nchanges:\n- {select: {label: A}, remove: true}\n...\n---\nversion: 1\n",
            "s.yaml:5: a change spec holds one YAML document; found a second one (remove the '---' line or "
            "split "
            "the file)",
        ),
        (
            'version: 1\nchanges:\n- select: {label: A}\n  trust: {server_auth: "unclosed}\n',
            "s.yaml:5: invalid YAML: found unexpected end of stream (while scanning a quoted scalar on line "
            "4)",
        ),
        (
            "version: 1\nchanges:\n- {select: {label: A}, rename: B\x07}\n",
            "s.yaml:3: invalid YAML: the character U+0007 is not allowed in a YAML file; write it as \\u0007 "
            "inside a double-quoted string",
        ),
        (
            "\x00",
            "s.yaml:1: invalid YAML: the character U+0000 is not allowed in a YAML file; write it as "
            "\\u0000 inside a double-quoted string",
        ),
        (
            "version: 1\n\tchanges: []\n",
            "s.yaml:2: invalid YAML: a tab in column 1: YAML does not allow tabs for indentation; indent "
            "with spaces",
        ),
    ],
)
def test_invalid_spec_messages(text: str, message: str) -> None:
    assert str(spec_error(text)) == message


def test_anchors_and_aliases_are_refused_before_expansion() -> None:
    # A "billion laughs" document: refused at the first anchor, without building anything.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 12)]
    error = spec_error("\n".join(lines) + "\n")
    assert str(error) == (
        "s.yaml:1: anchors and aliases (&name, *name) are not allowed in a change spec; write each value out"
    )
    assert str(spec_error("version: 1\nchanges:\n- {select: {label: A}, remove: *x}\n")).startswith(
        "s.yaml:3: "
    )  # an alias to an unknown anchor is still a clear one-line error


def test_merge_keys_are_unknown_keys() -> None:
    error = spec_error("version: 1\nchanges:\n- select: {label: A}\n  <<: {remove: true}\n")
    assert str(error) == (
        "s.yaml:4: changes[0].<<: unknown key; expected select, distrust_after, trust, "
        "mozilla_ca_policy, rename or remove"
    )


def test_a_spec_over_one_megabyte_is_refused_without_a_line() -> None:
    text = "version: 1\n" + "# padding\n" * 100_001
    error = spec_error(text)
    assert error.line is None
    assert str(error) == (
        f"s.yaml: the spec is {len(text)} bytes, more than the limit of 1000000 (1 MB); "
        "a change spec is a short text"
    )


def test_spec_error_is_a_certdata_error_with_source_and_line() -> None:
    error = spec_error("version: 2\nchanges: []\n")
    assert (error.source, error.line, error.message) == (
        "s.yaml",
        1,
        "version: unsupported version 2; this certdata-tool reads version 1",
    )


# -- labels and moments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "problem"),
    [
        ("Fine Label", None),
        ("Főtanúsítvány #1 $@", None),  # $ and @ are warnings of the engine, not errors
        ("", "the new label is empty"),
        (" X", "the new label ' X' has leading or trailing whitespace"),
        ("X\u00a0", "the new label 'X\\xa0' has leading or trailing whitespace"),
        ('A "B"', "the new label 'A \"B\"' contains '\"', which a CKA_LABEL cannot hold"),
        ("A\\B", "the new label 'A\\\\B' contains '\\\\', which a CKA_LABEL cannot hold"),
        (
            "A\tB",
            "the new label 'A\\tB' contains the control character U+0009, which a CKA_LABEL cannot hold",
        ),
        (
            "A\x7fB",
            "the new label 'A\\x7fB' contains the control character U+007F, which a CKA_LABEL cannot hold",
        ),
        (
            "A\u2028B",
            "the new label 'A\\u2028B' contains the control character U+2028, which a CKA_LABEL cannot hold",
        ),
    ],
)
def test_label_problem(label: str, problem: str | None) -> None:
    assert label_problem(label) == problem


def test_parse_moment_converts_offsets_to_utc() -> None:
    moment = parse_moment(datetime(2024, 7, 1, 1, 30, tzinfo=timezone(timedelta(hours=2))))
    assert moment == datetime(2024, 6, 30, 23, 30, tzinfo=UTC)
    assert moment.tzinfo is UTC


# -- the JSON Schema ---------------------------------------------------------------------------------


def _check(schema: dict[str, Any], value: Any, root: dict[str, Any], path: str = "") -> list[str]:
    """A small validator for the keywords spec_schema uses (the schema test must not need jsonschema)."""
    problems: list[str] = []
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return _check(target, value, root, path)
    types = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}
    kind = schema.get("type")
    if kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"{path}: not an integer"]
    elif kind is not None and not isinstance(value, types[kind]):
        return [f"{path}: not {kind}"]
    if "const" in schema and (value != schema["const"] or type(value) is not type(schema["const"])):
        problems.append(f"{path}: not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{path}: not in enum")
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        problems.append(f"{path}: does not match {schema['pattern']}")
    if "minimum" in schema and isinstance(value, int) and value < schema["minimum"]:
        problems.append(f"{path}: below minimum")
    if "minLength" in schema and isinstance(value, str) and len(value) < schema["minLength"]:
        problems.append(f"{path}: too short")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{path}: missing {key}")
        properties = schema.get("properties", {})
        for key, item in value.items():
            if key in properties:
                problems += _check(properties[key], item, root, f"{path}.{key}")
            elif schema.get("additionalProperties") is False:
                problems.append(f"{path}: unknown key {key}")
        if len(value) < schema.get("minProperties", 0):
            problems.append(f"{path}: too few keys")
        if len(value) > schema.get("maxProperties", len(value)):
            problems.append(f"{path}: too many keys")
        if "if" in schema:
            branch = "else" if _check(schema["if"], value, root, path) else "then"
            problems += _check(schema.get(branch, {}), value, root, path)
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            problems.append(f"{path}: too few items")
        for index, item in enumerate(value):
            problems += _check(schema.get("items", {}), item, root, f"{path}[{index}]")
    if "anyOf" in schema and all(_check(option, value, root, path) for option in schema["anyOf"]):
        problems.append(f"{path}: matches none of anyOf")
    return problems


def _as_json_document(text: str) -> Any:
    """What an editor's YAML 1.2 reader gives: dates stay strings, as JSON Schema sees them."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        if isinstance(value, datetime):
            return value.isoformat().replace("+00:00", "Z")
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return value

    return plain(yaml.safe_load(text))


def test_schema_is_json_and_draft_2020_12() -> None:
    schema = json.loads(render_schema())
    assert schema == spec_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert render_schema().endswith("}\n")
    assert set(schema["$defs"]["modify_change"]["properties"]) == {
        "select",
        "distrust_after",
        "trust",
        "mozilla_ca_policy",
        "rename",
        "remove",
    }
    assert set(schema["$defs"]["add_change"]["properties"]) == {"add"}
    assert set(schema["$defs"]["add"]["properties"]) == {
        "certificate",
        "label",
        "trust",
        "distrust_after",
        "step_up_approved",
        "after",
    }
    assert schema["$defs"]["add"]["required"] == ["certificate", "label"]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_samples_validate_against_the_schema(path: Path) -> None:
    schema = spec_schema()
    assert _check(schema, _as_json_document(path.read_text(encoding="utf-8")), schema) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("version: 2\nchanges: [{select: {label: A}, remove: true}]", ".version: not 1"),
        ("version: 1\nchanges: []", ".changes: too few items"),
        ("version: 1\nchanges: [{select: {label: A}}]", ".changes[0]: too few keys"),
        (
            "version: 1\nchanges: [{select: {label: A}, remove: true, rename: B}]",
            ".changes[0]: too many keys",
        ),
        ("version: 1\nchanges: [{select: {}, remove: true}]", ".changes[0].select: matches none of anyOf"),
        ("version: 1\nchanges: [{select: [], remove: true}]", ".changes[0].select: matches none of anyOf"),
        (
            "version: 1\nchanges: [{select: [{label: A}, {sha256: '1234567'}], remove: true}]",
            ".changes[0].select: matches none of anyOf",
        ),
        (
            "version: 1\nchanges: [{select: {sha1: 'AB'}, remove: true}]",
            ".changes[0].select: matches none of anyOf",
        ),
        (
            "version: 1\nchanges: [{select: {label: A}, trust: {server_auth: yes_please}}]",
            ".changes[0].trust.server_auth: not in enum",
        ),
        (
            "version: 1\nchanges: [{select: {label: A}, distrust_after: {server: '2050-01-01'}}]",
            ".changes[0].distrust_after.server: matches none of anyOf",
        ),
        ("version: 1\nchanges: [{select: {label: A}, rename: ' B'}]", ".changes[0].rename: does not match"),
        ("version: 1\nchanges: [{select: {label: A}, rename: 'B\"'}]", ".changes[0].rename: does not match"),
        (
            "version: 1\nchanges: [{select: {label: A}, remove: true, colour: red}]",
            ".changes[0]: unknown key colour",
        ),
        (
            "version: 1\nchanges: [{add: {certificate: a.pem, label: A}, select: {label: B}}]",
            ".changes[0]: unknown key select",
        ),
        ("version: 1\nchanges: [{add: {certificate: a.pem}}]", ".changes[0].add: missing label"),
        ("version: 1\nchanges: [{add: {label: A}}]", ".changes[0].add: missing certificate"),
        (
            "version: 1\nchanges: [{add: {certificate: '', label: A}}]",
            ".changes[0].add.certificate: too short",
        ),
        (
            "version: 1\nchanges: [{add: {certificate: a.pem, label: ' A'}}]",
            ".changes[0].add.label: does not match",
        ),
        (
            "version: 1\nchanges: [{add: {certificate: a.pem, label: A, trust: {server_auth: yes}}}]",
            ".changes[0].add.trust.server_auth: not in enum",
        ),
        (
            "version: 1\nchanges: [{add: {certificate: a.pem, label: A, after: {label: B, count: 2}}}]",
            ".changes[0].add.after: unknown key count",
        ),
        (
            "version: 1\nchanges: [{add: {certificate: a.pem, label: A, colour: red}}]",
            ".changes[0].add: unknown key colour",
        ),
    ],
)
def test_schema_refuses_what_the_loader_refuses(text: str, problem: str) -> None:
    schema = spec_schema()
    problems = _check(schema, _as_json_document(text), schema)
    assert any(found.startswith(problem) for found in problems), problems
    with pytest.raises(SpecError):
        load_spec(text)


LIST_SPEC = """\
version: 1
changes:
  - select:
      - {label: "A"}
      - {sha256: "12:34:56:78", count: 2}
      - {sha1: "ABCDEF0123"}
    distrust_after: {server: 2024-11-30T23:59:59Z}
"""


def test_a_list_of_selectors_loads_with_a_path_per_item() -> None:
    spec = load_spec(LIST_SPEC, source="l.yaml")
    (change,) = spec.changes
    assert isinstance(change, ModifyChange)
    assert change.selectors == (Selector(label="A"), Selector(sha256="12345678", count=2),
                                Selector(sha1="ABCDEF0123"))
    parts = change.one_per_selector()
    assert [(part.selector, part.where_selected(), part.line_of("select")) for part in parts] == [
        (Selector(label="A"), "changes[0].select[0]", 4),
        (Selector(sha256="12345678", count=2), "changes[0].select[1]", 5),
        (Selector(sha1="ABCDEF0123"), "changes[0].select[2]", 6),
    ]
    assert all(part.distrust_after == change.distrust_after for part in parts)
    with pytest.raises(SpecError) as caught:
        load_spec(LIST_SPEC.replace('{sha1: "ABCDEF0123"}', '{sha1: "ABC"}'), source="l.yaml")
    assert str(caught.value) == (
        "l.yaml:6: changes[0].select[2].sha1: sha1 must be 40 hex digits, or a unique prefix of at least "
        "8 (colons and spaces allowed), got 'ABC'")
    with pytest.raises(SpecError) as caught:
        load_spec("version: 1\nchanges:\n  - {select: [], remove: true}\n", source="e.yaml")
    assert str(caught.value) == ('e.yaml:3: changes[0].select: is an empty list; give one selector such as '
                                 '{label: "Some Root"} or a list of them')


def test_schema_takes_a_list_of_selectors_and_prefixes() -> None:
    schema = spec_schema()
    assert _check(schema, _as_json_document(LIST_SPEC), schema) == []
    jsonschema = pytest.importorskip("jsonschema")
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(_as_json_document(LIST_SPEC))) == []


def test_schema_is_valid_for_jsonschema_when_installed() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = spec_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in SAMPLES:
        assert list(validator.iter_errors(_as_json_document(path.read_text(encoding="utf-8")))) == []


# -- YAML text written by hand (diff --format spec) ----------------------------------------------------


@given(st.text())
def test_yaml_quoted_reads_back_exactly(text: str) -> None:
    assert yaml.safe_load(f"value: {yaml_quoted(text)}\n") == {"value": text}


def test_yaml_quoted_keeps_utf8_raw_and_escapes_controls() -> None:
    assert yaml_quoted('Főtanúsítvány "x" \\') == '"Főtanúsítvány \\"x\\" \\\\"'
    assert yaml_quoted("a\tb\nc\x85\u2028\x00") == '"a\\tb\\nc\\u0085\\u2028\\u0000"'


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (None, "null"),
        (JUNE_30, "2024-06-30T00:00:00Z"),  # never a bare date: it reads as the whole day
        (datetime(2024, 11, 30, 23, 59, 59, tzinfo=UTC), "2024-11-30T23:59:59Z"),
        (datetime(2024, 7, 1, 1, 0, tzinfo=timezone(timedelta(hours=1))), "2024-07-01T00:00:00Z"),
        (datetime(1999, 6, 30, 12, 30, 5, tzinfo=UTC), "1999-06-30T12:30:05Z"),
    ],
)
def test_yaml_date(moment: datetime | None, text: str) -> None:
    assert yaml_date(moment) == text
    if moment is not None:
        assert parse_moment(yaml.safe_load(text)) == moment


def test_spec_dataclasses_are_frozen() -> None:
    spec = load_spec("version: 1\nchanges:\n- {select: {label: A}, remove: true}\n")
    assert isinstance(spec, Spec)
    with pytest.raises(AttributeError):
        spec.title = "x"  # type: ignore[misc]


# -- diff --format spec ------------------------------------------------------------------------------


def _sample() -> str:
    return (PROJECT / "samples" / "certdata.txt").read_text(encoding="utf-8")


def test_render_spec_writes_every_kind_of_change_and_round_trips() -> None:
    from certdata_tool.applying.editor import apply
    from certdata_tool.diff import compare
    from certdata_tool.render.spec import render_spec
    from certdata_tool.syntax.nssfile import dump, parse

    old = parse(_sample(), source="old.txt")
    change = load_spec(
        "version: 1\nchanges:\n"
        "- select: {label: Example Root CA 1}\n  trust: {email_protection: not_trusted, step_up_approved: "
        "true}\n"
        "  distrust_after: {server: 2024-11-30T23:59:59Z}\n  mozilla_ca_policy: false\n"
        "- select: {label: Example Distrusted After Root}\n  distrust_after: {email: null}\n"
        "- select: {label: Example Email Root}\n  rename: 'Exemple Racine Courriel — Ünïcode'\n"
        "- select: {label: Example Legacy Root}\n  remove: true\n"
    )
    new = parse(dump(apply(old, change)), source="new.txt")
    text = render_spec(compare(old, new), old, new)
    assert text == (
        "# Change spec written by `certdata-tool diff --format spec`:\n"
        "# `certdata-tool apply OLD THIS-FILE` turns the old certdata.txt into the new one.\n"
        "version: 1\n"
        "changes:\n"
        "  # Example Legacy Root\n"
        '  - select: {sha256: "57BDE4FCA146E15A4DFC505B3D6AD0ECC08790B8CA541DE2BA13EC4E1674FF91"}\n'
        "    remove: true\n"
        "  # Example Root CA 1\n"
        '  - select: {sha256: "D573141C6B82C96DF32B8AF05E5730296A234C06A4EC58D34A578D68795BE719"}\n'
        "    trust:\n"
        "      email_protection: not_trusted\n"
        "      step_up_approved: true\n"
        "    mozilla_ca_policy: false\n"
        "    distrust_after:\n"
        "      server: 2024-11-30T23:59:59Z\n"
        "  # Example Email Root\n"
        '  - select: {sha256: "879522D877EEEA2EAED4F9131006C4E652A6F282AF878E07CAAAF2C826AC7BF3"}\n'
        '    rename: "Exemple Racine Courriel — Ünïcode"\n'
        "  # Example Distrusted After Root\n"
        '  - select: {sha256: "F14FA8AA77D73B4F7356194AB67B412313C641EC4E50B5D2B609CBE03121D855"}\n'
        "    distrust_after:\n"
        "      email: null\n"
    )
    assert dump(apply(old, load_spec(text))) == dump(new)


def _without(text: str, label: str) -> str:
    """`text` without the root `label` (its two objects and their comment blocks)."""
    start = text.index(f'\n#\n# Certificate "{label}"\n')
    end = text.find("\n\n#\n# Certificate", start + 1)
    return text[:start] + (text[end + 1 :] if end >= 0 else "")


def _inline_pem(slug: str) -> str:
    """A sample root's PEM file as an indented `certificate: |` block (written by the sample generator)."""
    pem = (PROJECT / "samples" / "roots" / f"{slug}.pem").read_text(encoding="ascii")
    return "      certificate: |\n" + "".join(f"        {line}\n" for line in pem.splitlines())


def _render(old_text: str, new_text: str) -> str:
    from certdata_tool.diff import compare
    from certdata_tool.render.spec import render_spec
    from certdata_tool.syntax.nssfile import parse

    old, new = parse(old_text, source="old.txt"), parse(new_text, source="new.txt")
    return render_spec(compare(old, new), old, new)


def _applied(old_text: str, spec_text: str) -> str:
    from certdata_tool.applying.editor import apply
    from certdata_tool.syntax.nssfile import dump, parse

    return dump(apply(parse(old_text), load_spec(spec_text)))


def test_render_spec_adds_a_root_at_the_end_with_its_certificate_inline() -> None:
    sample = _sample()
    old = _without(sample, "Example Websites Root 2")
    text = _render(old, sample)
    assert text == (
        "# Change spec written by `certdata-tool diff --format spec`:\n"
        "# `certdata-tool apply OLD THIS-FILE` turns the old certdata.txt into the new one.\n"
        "version: 1\n"
        "changes:\n"
        "  # Example Websites Root 2\n"
        "  - add:\n" + _inline_pem("example-websites-root-2") + '      label: "Example Websites Root 2"\n'
        "      trust:\n"
        "        server_auth: trusted_delegator\n"
        "        email_protection: must_verify_trust\n"
        "        code_signing: must_verify_trust\n"
    )
    assert _applied(old, text) == sample
    assert _applied(sample, text) == sample  # already added: nothing to do


def test_render_spec_places_a_root_after_the_one_before_it() -> None:
    sample = _sample()
    old = _without(_without(sample, "Example Email Root"), "Example Legacy Root")
    # NEW has the Email Root back in its place, after Root CA 1 (the Legacy Root, which an add
    # cannot give, stays out of both).
    new = _without(sample, "Example Legacy Root")
    text = _render(old, new)
    assert text == (
        "# Change spec written by `certdata-tool diff --format spec`:\n"
        "# `certdata-tool apply OLD THIS-FILE` turns the old certdata.txt into the new one.\n"
        "version: 1\n"
        "changes:\n"
        "  # Example Email Root\n"
        "  - add:\n" + _inline_pem("example-email-root") + '      label: "Example Email Root"\n'
        "      trust:\n"
        "        server_auth: must_verify_trust\n"
        "        email_protection: trusted_delegator\n"
        "        code_signing: must_verify_trust\n"
        "      # after Example Root CA 1\n"
        '      after: {sha256: "D573141C6B82C96DF32B8AF05E5730296A234C06A4EC58D34A578D68795BE719"}\n'
    )
    assert _applied(old, text) == new


def test_render_spec_mixes_removals_changes_and_additions_with_dates() -> None:
    sample = _sample()
    # OLD lacks the Distrusted After root (whose dates the add must carry) and Websites Root 2;
    # NEW lacks Example Root CA 1 and renames the Email Root.
    old = _without(_without(sample, "Example Distrusted After Root"), "Example Websites Root 2")
    new = _without(sample, "Example Root CA 1").replace('"Example Email Root"', '"Example Mail Root"')
    text = _render(old, new)
    assert (
        '  - select: {sha256: "D573141C6B82C96DF32B8AF05E5730296A234C06A4EC58D34A578D68795BE719"}\n'
        "    remove: true\n" in text
    )
    assert '    rename: "Example Mail Root"\n' in text
    assert (
        "        code_signing: must_verify_trust\n"
        "      distrust_after:\n"
        "        server: 2024-06-30T00:00:00Z\n"
        "        email: 2024-06-30T00:00:00Z\n"
        "      # after Example Mail Root\n"
        '      after: {sha256: "879522D877EEEA2EAED4F9131006C4E652A6F282AF878E07CAAAF2C826AC7BF3"}\n'
    ) in text
    assert text.index("remove: true") < text.index("rename:") < text.index("- add:")
    assert text.endswith(
        '      label: "Example Websites Root 2"\n'
        "      trust:\n"
        "        server_auth: trusted_delegator\n"
        "        email_protection: must_verify_trust\n"
        "        code_signing: must_verify_trust\n"
    )
    assert _applied(old, text) == new
    assert _applied(new, text) == new


def test_render_spec_refuses_what_it_cannot_express() -> None:
    from certdata_tool.diff import compare
    from certdata_tool.errors import CertdataError
    from certdata_tool.render.spec import render_spec
    from certdata_tool.syntax.nssfile import parse

    sample = _sample()
    # The sample's Legacy Root lacks both distrust-after attributes (as Entrust G4 in NSS):
    # not what addbuiltin prints, so an add cannot give it.
    with pytest.raises(CertdataError) as caught:
        _render(_without(sample, "Example Legacy Root"), sample)
    assert str(caught.value) == (
        "new.txt:400: cannot write a change spec adding 'Example Legacy Root': its certificate object is "
        "not what addbuiltin prints for it: it lacks CKA_NSS_SERVER_DISTRUST_AFTER, "
        "CKA_NSS_EMAIL_DISTRUST_AFTER"
    )
    with pytest.raises(CertdataError) as caught:
        _render(_without(sample, "Example Root CA 1"), sample)
    assert str(caught.value) == (
        "new.txt:84: cannot write a change spec adding 'Example Root CA 1': it does not follow a root "
        "(an add goes at the end or after a root)"
    )
    # Identical files: a comment, and no changes for apply to make.
    new = parse(sample)
    same = render_spec(compare(new, new), new, new)
    assert same.endswith("# The files have no root changes: there is nothing for a change spec to do.\n")
    assert "\nchanges:" not in same


def test_render_spec_notes_an_added_root_laid_out_otherwise() -> None:
    sample = _sample()
    old = _without(sample, "Example Websites Root 2")
    new = sample.replace(
        '\n# Trust for "Example Websites Root 2"', '\n\n# Trust for "Example Websites Root 2"'
    )
    text = _render(old, new)
    assert (
        "# The files also differ in comments, blank lines or layout, which a spec does not carry.\n" in text
    )
    assert _applied(old, text) == sample


def test_render_spec_notes_formatting_it_does_not_carry() -> None:
    from certdata_tool.diff import compare
    from certdata_tool.render.spec import render_spec
    from certdata_tool.syntax.nssfile import parse

    old = parse(_sample())
    new = parse(
        _sample()
        .replace('\n#\n# Certificate "Example Legacy Root"', '\n\n#\n# Certificate "Example Legacy Root"')
        .replace("CKT_NSS_TRUSTED_DELEGATOR", "CKT_NSS_NOT_TRUSTED", 1)
    )
    text = render_spec(compare(old, new), old, new)
    assert (
        "# The files also differ in comments, blank lines or layout, which a spec does not carry.\n" in text
    )
    assert "      server_auth: not_trusted\n" in text


def test_deep_nesting_is_refused_before_the_composer_recurses() -> None:
    text = "version: 1\nchanges: " + "[" * 1000 + "]" * 1000 + "\n"
    assert str(spec_error(text)) == (
        "s.yaml:2: the spec nests lists and mappings more than 20 levels deep; a change spec needs 4"
    )
