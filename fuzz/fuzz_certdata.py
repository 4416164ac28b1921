"""Coverage-guided fuzzing with atheris (libFuzzer) for long local runs; not run in CI.

    pip install atheris                      # a wheel for CPython 3.11 on x86-64 Linux
    python fuzz/fuzz_certdata.py parse /tmp/fuzz-parse -max_total_time=3600 -timeout=10
    python fuzz/fuzz_certdata.py spec  /tmp/fuzz-spec  -max_total_time=3600 -timeout=10
    python fuzz/fuzz_certdata.py apply /tmp/fuzz-apply -max_total_time=3600 -timeout=10

TARGET is one of parse, spec, apply; the rest are libFuzzer's arguments (a corpus folder, then
options). An empty corpus folder is seeded with the project's sample file and specs. A crash is
saved by libFuzzer as ./crash-HASH (a hang as ./timeout-HASH): copy it into tests/data/fuzz/
under a name saying what it found, so tests/test_fuzz.py replays it in CI from then on.

The properties are those of tests/test_fuzz.py: any input is read, or rejected with the tool's
own error (a CertdataError with a file and line, one line long); anything else is a crash.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

with atheris.instrument_imports():
    import yaml

    import certdata_tool
    from certdata_tool.cli.files import spec_file_reader
    from certdata_tool.errors import CertdataError, ParseError, SpecError
    from certdata_tool.render.show import render_json
    from certdata_tool.syntax.nssfile import dump, parse

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = (PROJECT / "samples" / "certdata.txt").read_bytes()
SAMPLE_STORE = parse(SAMPLE)


def fuzz_parse(data: bytes) -> None:
    try:
        store = parse(data, source="fuzz.txt")
    except ParseError as error:
        if error.line is None or error.line < 1 or "\n" in str(error):
            raise AssertionError(f"ParseError without a proper location: {error!r}") from error
        return
    if dump(store).encode("utf-8") != data:
        raise AssertionError("dump(parse(data)) != data")
    render_json(certdata_tool.read_roots(store))


def _load_spec(text: str) -> object | None:
    try:
        return certdata_tool.load_spec(text, source="fuzz.yaml", base_dir=PROJECT / "samples",
                                       read_file=spec_file_reader(PROJECT / "samples"))
    except SpecError as error:
        if (error.line is None and "more than the limit" not in error.message) or "\n" in str(error):
            raise AssertionError(f"SpecError without a proper location: {error!r}") from error
        return None


def fuzz_spec(data: bytes) -> None:
    _load_spec(data.decode("utf-8", "replace"))


def fuzz_apply(data: bytes) -> None:
    spec = _load_spec(data.decode("utf-8", "replace"))
    if spec is None:
        return
    try:
        new = certdata_tool.apply(SAMPLE_STORE, spec)  # type: ignore[arg-type]
    except CertdataError as error:
        if error.line is None and error.source is None:
            raise AssertionError(f"CertdataError without a location: {error!r}") from error
        return
    text = dump(new)
    if dump(parse(text)) != text:
        raise AssertionError("the output of apply does not read back")


TARGETS = {"parse": fuzz_parse, "spec": fuzz_spec, "apply": fuzz_apply}


def seed(target: str, folder: Path) -> None:
    """Put the sample file (parse) or the project's specs (spec, apply) into an empty corpus folder."""
    if any(folder.iterdir()):
        return
    if target == "parse":
        (folder / "sample.txt").write_bytes(SAMPLE)
        return
    specs = sorted((PROJECT / "benchmarks").glob("*.yaml")) + sorted((PROJECT / "samples").glob("*.yaml"))
    specs += sorted((PROJECT / "tests").rglob("*.yaml"))[:50]
    for number, path in enumerate(specs):
        (folder / f"seed-{number}.yaml").write_bytes(path.read_bytes())
    (folder / "labels.yaml").write_text(yaml.safe_dump({"version": 1, "changes": [
        {"select": {"label": root.label}, "mozilla_ca_policy": False}
        for root in certdata_tool.roots(SAMPLE_STORE)]}))


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(TARGETS)}}} [CORPUS_FOLDER] [libFuzzer options]")
    target = sys.argv.pop(1)
    for argument in sys.argv[1:]:
        if not argument.startswith("-") and Path(argument).is_dir():
            seed(target, Path(argument))
    atheris.Setup(sys.argv, TARGETS[target])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
