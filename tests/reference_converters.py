"""Independent models of the distributors' converters, for checking `export --profile` against them.

Written from the behaviour PROFILES.md describes and the converters' documented logic, line by line on
the certdata text, sharing nothing with certdata_tool (no reader, no model, no writer): what curl's
mk-ca-bundle.pl prints after its header, and which files Debian's certdata2pem.py writes.
"""

from __future__ import annotations

import base64
import re
import textwrap
from datetime import UTC, datetime

_OCTAL = re.compile(r"\\([0-3][0-7][0-7])")


def _octal_bytes(lines: list[str]) -> bytes:
    return bytes(int(m.group(1), 8) for line in lines for m in _OCTAL.finditer(line))


def mk_ca_bundle_body(text: str, at: datetime, purpose: str = "SERVER_AUTH") -> str:
    """What mk-ca-bundle.pl writes after its `##` header (the blank line closing the header excluded):
    for each `# Certificate` block still valid at `at` whose `# Trust for` block grants `purpose`
    CKT_NSS_TRUSTED_DELEGATOR, a blank line, the label, `=` per character and the PEM at 76 columns."""
    lines = text.splitlines()
    out: list[str] = []
    index = 0
    in_cert = in_trust = False
    label = ""
    value = b""
    valid = False
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.strip():
            in_cert = in_trust = False
            continue
        heading = re.match(r'^# Certificate "(.*)"', line)
        if heading:
            in_cert, in_trust, valid, label, value = True, False, False, "", b""
            continue
        if re.match(r'^# Trust for (?:Certificate )?"(.*)"', line):
            in_trust = True
            continue
        if not in_cert and not in_trust:
            continue
        if line.startswith("#"):
            expiry = re.match(r"^# Not Valid After : (.*)", line)
            if in_cert and expiry:
                end = datetime.strptime(expiry.group(1), "%a %b %d %H:%M:%S %Y").replace(tzinfo=UTC)
                valid = end >= at
            continue
        if not valid:
            continue
        if in_cert:
            found = re.match(r'^CKA_LABEL UTF8 "(.*)"', line)
            if found:
                label = found.group(1)
            elif line.startswith("CKA_VALUE MULTILINE_OCTAL"):
                body = []
                while not lines[index].startswith("END"):
                    body.append(lines[index])
                    index += 1
                value = _octal_bytes(body)
            continue
        if line.startswith("CKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST"):
            levels: dict[str, str] = {}
            while index < len(lines) and lines[index].strip():
                grant = re.match(r"^CKA_TRUST_([A-Z_]+)\s+CK_TRUST\s+CKT_NSS_([A-Z_]+)\s*$", lines[index])
                if grant:
                    levels[grant.group(1)] = grant.group(2)
                index += 1
            in_trust = False
            if levels.get(purpose) == "TRUSTED_DELEGATOR":
                encoded = base64.b64encode(value).decode("ascii")
                pem = "".join(encoded[i : i + 76] + "\n" for i in range(0, len(encoded), 76))
                out.append(f"\n{label}\n{'=' * len(label)}\n-----BEGIN CERTIFICATE-----\n{pem}"
                           "-----END CERTIFICATE-----\n")
    return "".join(out)


def objects(text: str) -> list[dict[str, object]]:
    """The objects after BEGINDATA as certdata2pem.py reads them: attribute -> the rest of the line
    after the type (a UTF8 value keeps its quotes), or the bytes of a MULTILINE_OCTAL value."""
    objects: list[dict[str, object]] = []
    current: dict[str, object] = {}
    lines = iter(text.splitlines())
    started = False
    for line in lines:
        if not started:
            started = line.startswith("BEGINDATA")
            continue
        if line.startswith("#"):
            continue
        if not line.strip():
            if current:
                objects.append(current)
                current = {}
            continue
        name, kind, *rest = line.strip().split(" ", 2)
        if kind == "MULTILINE_OCTAL":
            body = []
            for octal_line in lines:
                if octal_line.startswith("END"):
                    break
                body.append(octal_line)
            current[name] = _octal_bytes(body)
        else:
            current[name] = rest[0] if rest else None
    if current:
        objects.append(current)
    return objects


def certdata2pem(text: str, blacklist: str = "") -> dict[str, str]:
    """The files certdata2pem.py writes into an empty folder: name -> content."""
    found = objects(text)
    excluded = []
    for raw in blacklist.splitlines():
        entry = raw.strip()
        if entry and not entry.startswith("#"):
            excluded.append(entry.split("#", 1)[0].strip())
    trusted: set[object] = set()
    for obj in found:
        if obj.get("CKA_CLASS") == "CKO_NSS_TRUST" and obj.get("CKA_LABEL") not in excluded \
                and obj.get("CKA_TRUST_SERVER_AUTH") == "CKT_NSS_TRUSTED_DELEGATOR":
            trusted.add(obj["CKA_LABEL"])
    files: dict[str, str] = {}
    for obj in found:
        if obj.get("CKA_CLASS") != "CKO_CERTIFICATE" or obj.get("CKA_LABEL") not in trusted:
            continue
        label = str(obj["CKA_LABEL"])[1:-1]
        for old, new in (("/", "_"), (" ", "_"), ("(", "="), (")", "="), (",", "_")):
            label = label.replace(old, new)
        name = f"{label}.crt"
        if name in files:
            name = f"{label}_2.crt"
        value = obj["CKA_VALUE"]
        assert isinstance(value, bytes)
        encoded = base64.b64encode(value).decode("ascii")
        files[name] = ("-----BEGIN CERTIFICATE-----\n" + "\n".join(textwrap.wrap(encoded, 64))
                       + "\n-----END CERTIFICATE-----\n")
    return files
