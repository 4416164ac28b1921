"""`show` output: the roots of a file as a table, JSON (certdata-tool/show/1) or Markdown."""

from __future__ import annotations

from typing import Any

from ..model.roots import DistrustEntry, Root, RootSet, Trust, TrustLevel
from ..moments import iso
from .common import markdown_cell, printable, to_json, trust_value

SCHEMA = "certdata-tool/show/1"


def trust_json(trust: Trust) -> dict[str, Any]:
    return {
        "server_auth": trust_value(trust.server_auth),
        "email_protection": trust_value(trust.email_protection),
        "code_signing": trust_value(trust.code_signing),
        "step_up_approved": trust.step_up_approved,
    }


def positions(file_roots: tuple[Root, ...]) -> dict[int, str | None]:
    """The label of the root before each root in its file (None for the first), by certificate object."""
    before: dict[int, str | None] = {}
    previous: str | None = None
    for root in file_roots:
        before[root.certificate_index] = previous
        previous = root.label
    return before


def root_json(root: Root, after: str | None) -> dict[str, Any]:
    """One root in the contract's shape (also used by diff for added and removed roots); `after` is
    the label of the root before it in its file (None: it is the first)."""
    facts = root.facts()
    return {
        "label": root.label,
        "sha256": root.sha256,
        "sha1": root.sha1,
        "subject_spki_sha256": facts.subject_spki_sha256 or None,
        "subject": facts.subject or None,
        "issuer": facts.issuer or None,
        "serial": facts.serial or None,
        "not_before": iso(facts.not_before),
        "not_after": iso(facts.not_after),
        "key": facts.key or None,
        "signature_algorithm": facts.signature_algorithm or None,
        "self_signed": facts.self_signed,
        "ca": facts.ca,
        "trust": trust_json(root.trust),
        "distrust_after": {
            "server": iso(root.distrust_after.server),
            "email": iso(root.distrust_after.email),
        },
        "mozilla_ca_policy": root.mozilla_ca_policy,
        "line": root.line,
        "position": {"after": after},
        "problems": list(root.problems),
    }


def distrust_entry_json(entry: DistrustEntry) -> dict[str, Any]:
    return {
        "label": entry.label,
        "sha1": entry.sha1,
        "issuer": entry.issuer.hex().upper(),
        "serial": entry.serial.hex().upper(),
        "trust": trust_json(entry.trust),
        "line": entry.line,
        "problems": list(entry.problems),
    }


def render_json(root_set: RootSet, file_roots: tuple[Root, ...] | None = None) -> str:
    """`root_set` as certdata-tool/show/1; `file_roots` (default: the set's roots) are all the roots
    of the file, in order, for each root's position."""
    before = positions(root_set.roots if file_roots is None else file_roots)
    return to_json({
        "schema": SCHEMA,
        "roots": [root_json(root, before.get(root.certificate_index)) for root in root_set.roots],
        "distrust_entries": [distrust_entry_json(entry) for entry in root_set.distrust_entries],
    })


# Short cell words for the table: what a root is trusted for at a glance.
_CELL = {
    None: "?",
    TrustLevel.TRUSTED_DELEGATOR: "yes",
    TrustLevel.MUST_VERIFY_TRUST: "-",
    TrustLevel.NOT_TRUSTED: "DISTRUST",
    TrustLevel.TRUSTED: "peer",
    TrustLevel.VALID_DELEGATOR: "valid",
    TrustLevel.TRUST_UNKNOWN: "unknown",
}


def _date_cell(root: Root, which: str) -> str:
    moment = getattr(root.distrust_after, which)
    return "-" if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")


def _rows(root_set: RootSet) -> list[list[str]]:
    rows = []
    for root in root_set.roots:
        rows.append([
            printable(root.label),
            root.sha256[:16],
            _CELL[root.trust.server_auth],
            _CELL[root.trust.email_protection],
            _CELL[root.trust.code_signing],
            _date_cell(root, "server"),
            _date_cell(root, "email"),
        ])
    return rows


_HEADINGS = ["Label", "SHA-256 (start)", "Websites", "Email", "Code", "Distrust TLS after",
             "Distrust S/MIME after"]


def summary(root_set: RootSet) -> str:
    roots = root_set.roots
    websites = sum(r.trust.server_auth is TrustLevel.TRUSTED_DELEGATOR for r in roots)
    email = sum(r.trust.email_protection is TrustLevel.TRUSTED_DELEGATOR for r in roots)
    dated = sum(r.distrust_after.server is not None or r.distrust_after.email is not None
                for r in roots)
    plural = "" if len(roots) == 1 else "s"
    text = (f"{len(roots)} root{plural}: {websites} trusted for websites, {email} for email, "
            f"{dated} with a distrust-after date")
    if root_set.distrust_entries:
        text += f"; {len(root_set.distrust_entries)} explicit distrust entries"
    return text


def render_table(root_set: RootSet) -> str:
    rows = _rows(root_set)
    widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(_HEADINGS)]

    def line(cells: list[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    out = [line(_HEADINGS), line(["-" * width for width in widths])]
    out.extend(line(row) for row in rows)
    for entry in root_set.distrust_entries:
        out.append(f"explicit distrust entry: {printable(entry.label)} (line {entry.line})")
    out.append("")
    out.append(summary(root_set))
    return "\n".join(out) + "\n"


def render_markdown(root_set: RootSet) -> str:
    out = [f"**{summary(root_set)}**", ""]
    out.append("| " + " | ".join([_HEADINGS[0], "SHA-256", *_HEADINGS[2:]]) + " |")
    out.append("|" + "---|" * len(_HEADINGS))
    for root, row in zip(root_set.roots, _rows(root_set), strict=True):
        cells = [markdown_cell(root.label), f"`{root.sha256}`", *row[2:]]
        out.append("| " + " | ".join(cells) + " |")
    if root_set.distrust_entries:
        out += ["", "Explicit distrust entries:", ""]
        out += [f"- {markdown_cell(e.label)} (line {e.line})" for e in root_set.distrust_entries]
    return "\n".join(out) + "\n"
