"""The JSON Schema (draft 2020-12) of the change-spec format, so editors can check and complete specs."""

from __future__ import annotations

import json
from typing import Any

from ..model.roots import TrustLevel
from ..model.selectors import MIN_PREFIX_DIGITS
from ..moments import UTCTIME_YEARS
from .load import DISTRUST_KEYS, SPEC_VERSION

SCHEMA_ID = "urn:certdata-tool:change-spec:1"

# What the loader accepts, as patterns an editor can check (the loader stays the authority: it also
# checks what a pattern cannot, such as a date that does not exist).
_YEAR = r"(?:19[5-9][0-9]|20[0-4][0-9])"  # moments.UTCTIME_YEARS as a pattern (a test holds them equal)
_TIME = r"T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"  # moments._MOMENT: a moment to the second, in UTC
_DATE = rf"^{_YEAR}-[0-9]{{2}}-[0-9]{{2}}(?:{_TIME})?$"
_LABEL_CHAR = r'[^"\\\u0000-\u001f\u007f-\u009f]'
_LABEL_EDGE = r'[^\s"\\\u0000-\u001f\u007f-\u009f]'
_LABEL = rf"^{_LABEL_EDGE}(?:{_LABEL_CHAR}*{_LABEL_EDGE})?$"


def _fingerprint(size: int) -> dict[str, Any]:
    return {
        "type": "string",
        "description": f"SHA-{256 if size == 32 else 1} of the DER certificate: hex, any case, "
                       "':' or spaces allowed; a unique prefix of at least 8 hex digits is enough",
        "pattern": rf"^[\s:]*(?:[0-9A-Fa-f][\s:]*){{{MIN_PREFIX_DIGITS},{size * 2}}}$",
    }


def spec_schema() -> dict[str, Any]:
    """The schema as a JSON-ready dict (stable key order)."""
    trust_values = [level.value for level in TrustLevel] + [level.constant for level in TrustLevel]
    date = {
        "description": "YYYY-MM-DD (00:00:00 UTC of that day) or YYYY-MM-DDTHH:MM:SSZ, "
                       f"{UTCTIME_YEARS[0]}-{UTCTIME_YEARS[1]}; null clears it",
        "anyOf": [{"type": "string", "pattern": _DATE}, {"type": "null"}],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "certdata-tool change spec, version 1",
        "description": "Changes to Mozilla NSS's certdata.txt, applied in order by `certdata-tool apply`.",
        "type": "object",
        "required": ["version", "changes"],
        "additionalProperties": False,
        "properties": {
            "version": {"description": "The spec format version.", "const": SPEC_VERSION},
            "title": {"description": "Shown in reports.", "type": "string"},
            "bug": {
                "description": "A Mozilla bug number or a URL.",
                "anyOf": [
                    {"type": "integer", "minimum": 1},
                    {"type": "string", "pattern": r"^(?:[0-9]+|https?://\S+)$"},
                ],
            },
            "changes": {
                "description": "Applied in order, each to the result of the ones before.",
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/change"},
            },
        },
        "$defs": {
            "change": {
                "description": "`select` and what to change on the roots it picks, or `add` a new root.",
                "type": "object",
                "if": {"required": ["add"]},
                "then": {"$ref": "#/$defs/add_change"},
                "else": {"$ref": "#/$defs/modify_change"},
            },
            "modify_change": {
                "description": "The roots `select` picks, and what to change on them.",
                "type": "object",
                "required": ["select"],
                "minProperties": 2,
                "additionalProperties": False,
                "properties": {
                    "select": {
                        "description": "The roots to change: one selector, or a list of them (the "
                                       "change applies to the roots of each; each must match its count).",
                        "anyOf": [
                            {"$ref": "#/$defs/selector"},
                            {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/selector"}},
                        ],
                    },
                    "distrust_after": {"$ref": "#/$defs/distrust_after"},
                    "trust": {"$ref": "#/$defs/trust"},
                    "mozilla_ca_policy": {
                        "description": "true writes CKA_NSS_MOZILLA_CA_POLICY CK_TRUE; false removes it.",
                        "type": "boolean",
                    },
                    "rename": {"$ref": "#/$defs/label"},
                    "remove": {
                        "description": "Removes both objects with their comment blocks; stands alone.",
                        "const": True,
                    },
                },
                "if": {"required": ["remove"]},
                "then": {"maxProperties": 2},
            },
            "add_change": {
                "description": "A new root; `add` stands alone in its entry.",
                "type": "object",
                "required": ["add"],
                "additionalProperties": False,
                "properties": {"add": {"$ref": "#/$defs/add"}},
            },
            "add": {
                "description": "A root appended (or placed after `after`) exactly as NSS's addbuiltin "
                               "prints it. Adding a certificate the file already holds with the same "
                               "values changes nothing.",
                "type": "object",
                "required": ["certificate", "label"],
                "additionalProperties": False,
                "properties": {
                    "certificate": {
                        "description": "A PEM or DER file, relative to the spec's folder, or the PEM "
                                       "text itself (-----BEGIN CERTIFICATE----- ...).",
                        "type": "string",
                        "minLength": 1,
                    },
                    "label": {"$ref": "#/$defs/label"},
                    "trust": {"$ref": "#/$defs/trust"},
                    "distrust_after": {"$ref": "#/$defs/distrust_after"},
                    "step_up_approved": {
                        "description": "CKA_TRUST_STEP_UP_APPROVED (default false).",
                        "type": "boolean",
                    },
                    "after": {
                        "description": "Insert right after this root instead of at the end of the file.",
                        "type": "object",
                        "additionalProperties": False,
                        "anyOf": [{"required": ["label"]}, {"required": ["sha256"]}, {"required": ["sha1"]}],
                        "properties": {
                            "label": {"description": "CKA_LABEL, exactly.", "type": "string", "minLength": 1},
                            "sha256": _fingerprint(32),
                            "sha1": _fingerprint(20),
                        },
                    },
                },
            },
            "trust": {
                "description": "Values of the root's CKO_NSS_TRUST object (for `add`, missing usages "
                               "are must_verify_trust).",
                "type": "object",
                "minProperties": 1,
                "additionalProperties": False,
                "properties": {
                    "server_auth": {"$ref": "#/$defs/trust_value"},
                    "email_protection": {"$ref": "#/$defs/trust_value"},
                    "code_signing": {"$ref": "#/$defs/trust_value"},
                    "step_up_approved": {"type": "boolean"},
                },
            },
            "distrust_after": {
                "description": "Written on the certificate object, where NSS reads it.",
                "type": "object",
                "minProperties": 1,
                "additionalProperties": False,
                "properties": {key: {"$ref": "#/$defs/date"} for key in DISTRUST_KEYS},
            },
            "selector": {
                "description": "All keys given must hold; count is how many roots must match (default 1).",
                "type": "object",
                "additionalProperties": False,
                "anyOf": [{"required": ["label"]}, {"required": ["sha256"]}, {"required": ["sha1"]}],
                "properties": {
                    "label": {"description": "CKA_LABEL, exactly.", "type": "string", "minLength": 1},
                    "sha256": _fingerprint(32),
                    "sha1": _fingerprint(20),
                    "count": {"type": "integer", "minimum": 1},
                },
            },
            "trust_value": {"description": "A CKT_NSS_* trust value.", "enum": trust_values},
            "date": date,
            "label": {
                "description": "A new CKA_LABEL: not empty, no whitespace at either end, no '\"', '\\' "
                               "or control characters.",
                "type": "string",
                "pattern": _LABEL,
            },
        },
    }


def render_schema() -> str:
    """The schema as indented JSON with a final newline."""
    return json.dumps(spec_schema(), indent=2, ensure_ascii=False) + "\n"


__all__ = ["SCHEMA_ID", "render_schema", "spec_schema"]
