"""Start-up of certdata-tool as paired ratios: each command against the import floor it cannot beat.

    python benchmarks/startup.py [--runs 21] [--file certdata.txt]

Each round runs the floor (a bare `python3 -c 'import typer'`, or `import typer, yaml,
cryptography.x509` for apply) and the command back to back, in alternating order, so both see the
same machine load; the ratio of the medians is what the targets in docs/benchmarks.md speak of.
The real files are read from $CERTDATA_CORPUS (or ../shared/nss-certdata): export reads the newest,
apply makes it from the one before (GLOBALTRUST 2020's distrust-after dates, bug 1901080), and its
output is checked against the newest byte for byte. Output goes to a temporary folder, which is
also the commands' working folder: `python -m` puts the working folder first on the path, so the
package measured is the one this interpreter imports (the one compiled here), not a checkout the
harness happens to be started in.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
REAL_FILE = "certdata-2024-06-13-469e60ef4.txt"
BEFORE_FILE = "certdata-2024-05-30-bb4242fc1.txt"  # REAL_FILE before the GLOBALTRUST 2020 change
FLOORS = {
    "typer": "import typer",
    "typer+yaml+cryptography": "import typer, yaml, cryptography.x509",
}
# (name, arguments after `python -m certdata_tool`, floor, target ratio)
CASES = (
    ("export", ["export", "{file}", "-o", "{work}/out.pem"], "typer", 1.45),
    ("apply", ["apply", "{before}", str(HERE / "globaltrust-2020.yaml"), "-o", "{work}/new.txt",
               "--report", "none"], "typer+yaml+cryptography", 1.3),
)


def _once(argv: Sequence[str], env: dict[str, str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return (time.perf_counter() - start) * 1000


def paired(floor: Sequence[str], command: Sequence[str], runs: int,
           env: dict[str, str], cwd: str) -> tuple[float, float]:
    """Medians (ms) of the floor and the command, run in pairs whose order alternates."""
    floor_times: list[float] = []
    command_times: list[float] = []
    for _ in range(2):  # warm the file cache and the .pyc files
        _once(floor, env, cwd)
        _once(command, env, cwd)
    for round_number in range(runs):
        pair = [(floor, floor_times), (command, command_times)]
        for argv, times in pair if round_number % 2 == 0 else reversed(pair):
            times.append(_once(argv, env, cwd))
    return statistics.median(floor_times), statistics.median(command_times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    corpus = Path(os.environ.get("CERTDATA_CORPUS", HERE.parent.parent / "shared" / "nss-certdata"))
    parser.add_argument("--file", type=Path, default=corpus / REAL_FILE)
    options = parser.parse_args(argv)
    before = corpus / BEFORE_FILE
    if not options.file.is_file() or not before.is_file():
        print(f"no certdata files at {corpus}; set CERTDATA_CORPUS (or give --file for export)",
              file=sys.stderr)
        return 2
    # Measure what users run: compiled modules. Any value of PYTHONDONTWRITEBYTECODE (even "0")
    # stops Python writing .pyc files, and a run that compiles its sources costs tens of ms more.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    import certdata_tool

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(certdata_tool.__file__).parent)],
                   env=env, check=False)
    failed = False
    print("| command | floor | floor ms | command ms | ratio | target |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as work:
        for name, args, floor_name, target in CASES:
            command = [sys.executable, "-m", "certdata_tool",
                       *(arg.format(file=options.file, before=before, work=work) for arg in args)]
            floor = [sys.executable, "-c", FLOORS[floor_name]]
            floor_ms, command_ms = paired(floor, command, options.runs, env, work)
            ratio = command_ms / floor_ms
            failed |= ratio > target
            print(f"| `{name}` | `{FLOORS[floor_name]}` | {floor_ms:.0f} | {command_ms:.0f} | "
                  f"{ratio:.2f}x | {'met' if ratio <= target else 'MISSED'} (<= {target}x) |")
        written = Path(work, "new.txt")
        if not written.is_file() or written.read_bytes() != (corpus / REAL_FILE).read_bytes():
            print(f"apply did not write {REAL_FILE} byte for byte", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
