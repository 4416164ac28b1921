"""Benchmarks of certdata-tool: end-to-end command times and memory, library times, scaling.

Run from a checkout, with the interpreter of the venv where certdata-tool is installed:

    python benchmarks/run.py            # about a minute on 2 cores; prints Markdown tables
    python benchmarks/run.py --quick    # fewer runs, no 100x store: a smoke test
    python benchmarks/run.py --strict   # exit 1 when a target is not met

It reads the real NSS files from $CERTDATA_CORPUS or ../shared/nss-certdata and writes only to a
temporary folder. A command the installed tool does not have yet is listed as "not available".
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import lzma
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
OLD_FILE = "certdata-2024-05-30-bb4242fc1.txt"  # before the GLOBALTRUST 2020 change
NEW_FILE = "certdata-2024-06-13-469e60ef4.txt"  # after it
MB = 1024 * 1024

try:
    import certdata_tool  # noqa: F401
    _PYTHONPATH: str | None = None
except ImportError:  # a fresh clone that was not installed: run the checkout's code
    sys.path.insert(0, str(PROJECT))
    _PYTHONPATH = str(PROJECT)
sys.path.insert(0, str(PROJECT / "tests"))  # the store generator the tests use too


@dataclass(frozen=True)
class Target:
    limit: float  # ms for times; a ratio or MB as the row says
    issue: int

    def met(self, value: float) -> bool:
        return value < self.limit


@dataclass
class Row:
    name: str
    value: float | None  # median ms (or the row's unit)
    peak_mb: float | None = None
    targets: tuple[Target, ...] = ()
    note: str = ""
    unit: str = "ms"
    memory_limit_mb: float | None = None
    extra: dict[str, float] = field(default_factory=dict)

    def verdict(self) -> str:
        if self.value is None:
            return "not available"
        verdicts = []
        for target in self.targets:
            ok = target.met(self.value)
            which = f" (#{target.issue})" if len(self.targets) > 1 else ""
            verdicts.append(("ok" if ok else "NOT MET") + which)
        if self.memory_limit_mb is not None and self.peak_mb is not None:
            verdicts.append("memory ok" if self.peak_mb < self.memory_limit_mb else "memory NOT MET")
        return ", ".join(verdicts) or "-"

    def target_text(self) -> str:
        parts = [f"< {t.limit:,.0f} {self.unit} (#{t.issue})" for t in self.targets]
        if self.memory_limit_mb is not None:
            parts.append(f"peak < {self.memory_limit_mb:.0f} MB")
        return "; ".join(parts) or "-"


# ---------------------------------------------------------------- environment


def corpus_dir() -> Path:
    configured = os.environ.get("CERTDATA_CORPUS")
    return Path(configured) if configured else PROJECT.parent / "shared" / "nss-certdata"


def cli_argv() -> list[str]:
    """The installed console script beside this interpreter, else `python -m certdata_tool`."""
    script = Path(sys.executable).parent / "certdata-tool"
    if script.is_file() and os.access(script, os.X_OK) and _PYTHONPATH is None:
        return [str(script)]
    return [sys.executable, "-m", "certdata_tool"]


def child_environment(cache: Path) -> dict[str, str]:
    """As a user's shell, with compiled bytecode cached (in a temporary folder, never the repo)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a normal install runs from cached bytecode
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "100"
    if _PYTHONPATH:
        env["PYTHONPATH"] = _PYTHONPATH + os.pathsep + env.get("PYTHONPATH", "")
    return env


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": model,
        "nproc": str(os.cpu_count()),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "load": " ".join(f"{x:.2f}" for x in load),
    }


# ---------------------------------------------------------------- measuring processes


# The children are started from this small process, not from the runner: Linux carries a
# process's peak RSS (ru_maxrss) over exec, so a child of a big parent would report the parent's
# size. This spawner is smaller than any certdata-tool process, so wait4 reports the child's own.
_SPAWNER = """
import json, os, sys, time
job = json.loads(sys.argv[1])
results = []
for number in range(job["runs"] + 1):
    err_path = os.path.join(job["cwd"], "stderr-%d.txt" % number)
    actions = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
               (os.POSIX_SPAWN_OPEN, 2, err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)]
    os.chdir(job["cwd"])
    start = time.perf_counter()
    pid = os.posix_spawn(job["argv"][0], job["argv"], job["env"], file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    with open(err_path, "rb") as err:
        stderr = err.read().decode("utf-8", "replace")[-2000:]
    os.unlink(err_path)
    results.append([seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status), stderr])
print(json.dumps(results))
"""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_kb: int
    code: int
    stderr: str


def run_processes(argv: Sequence[str], env: dict[str, str], cwd: Path, runs: int) -> list[Run]:
    """`runs` + 1 runs of `argv` (the first is a warm-up): wall time, the child's own peak RSS
    (wait4's ru_maxrss) and exit code of each."""
    job = json.dumps({"argv": list(argv), "env": env, "cwd": str(cwd), "runs": runs})
    spawner_env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    output = subprocess.run([sys.executable, "-I", "-S", "-c", _SPAWNER, job], capture_output=True,
                            text=True, env=spawner_env, check=True).stdout
    return [Run(*item) for item in json.loads(output)]


def measure(argv: Sequence[str], env: dict[str, str], cwd: Path, runs: int,
            codes: frozenset[int] = frozenset({0})) -> tuple[float, float, str]:
    """Median ms and peak MB over `runs` runs after one warm-up; a note when an exit code is odd."""
    every = run_processes(argv, env, cwd, runs)
    results = every[1:]
    note = ""
    for result in every:
        if result.code not in codes or "Traceback" in result.stderr:
            last = result.stderr.strip().splitlines()[-1:] or [""]
            note = f"exit {result.code}: {last[0][:120]}"
            break
    median_ms = statistics.median(r.seconds for r in results) * 1000
    peak_mb = max(r.peak_kb for r in results) / 1024
    return median_ms, peak_mb, note


def available(cli: list[str], command: str, env: dict[str, str]) -> bool:
    probe = subprocess.run([*cli, command, "--help"], capture_output=True, env=env, check=False)
    return probe.returncode == 0


# ---------------------------------------------------------------- the benchmarks


def end_to_end(cli: list[str], env: dict[str, str], corpus: Path, work: Path, runs: int) -> list[Row]:
    old, new = corpus / OLD_FILE, corpus / NEW_FILE
    rows: list[Row] = []

    def row(name: str, args: list[str], targets: tuple[Target, ...], command: str | None,
            codes: frozenset[int] = frozenset({0}), note: str = "") -> None:
        if command is not None and not available(cli, command, env):
            rows.append(Row(name, None, targets=targets, note=f"`{command}` not in this build yet"))
            return
        median, peak, problem = measure([*cli, *args], env, work, runs, codes)
        rows.append(Row(name, median, peak, targets, problem or note))

    row("`--help`", ["--help"], (Target(150, 8),), None)
    row("`show` (real file)", ["show", str(new)], (Target(250, 2),), "show")
    row("`apply` GLOBALTRUST spec", ["apply", str(old), str(HERE / "globaltrust-2020.yaml"), "-o",
                                     str(work / "applied.txt")], (Target(150, 8), Target(200, 4)), "apply")
    applied = work / "applied.txt"
    if applied.is_file():  # NSS made exactly this change: the output must be the next revision
        same = applied.read_bytes() == new.read_bytes()
        rows[-1].note = rows[-1].note or ("output identical to " + NEW_FILE if same else
                                          "OUTPUT DIFFERS from " + NEW_FILE)
    add_args = ["apply", str(old), str(HERE / "add-root.yaml"), "-o", str(work / "added.txt"),
                "--report", "none"]
    if available(cli, "apply", env) and run_processes([*cli, *add_args], env, work, 0)[0].code != 0:
        rows.append(Row("`apply` add a root", None, targets=(Target(200, 4),),
                        note="`add` changes not supported by this build yet"))
    else:
        row("`apply` add a root", add_args, (Target(200, 4),), "apply")
    row("`diff` OLD NEW", ["diff", str(old), str(new)], (Target(500, 3),), "diff", frozenset({1}))
    row("`lint` (real file)", ["lint", str(new)], (Target(1000, 6),), "lint", frozenset({0, 1}))
    row("`export --format pem`", ["export", str(new), "--format", "pem", "-o", str(work / "roots.pem")],
        (Target(120, 8), Target(150, 7)), "export")
    if available(cli, "export", env):
        rows.extend(profiles_against_pem(cli, env, new, work, runs))
    row("`schema`", ["schema"], (), "schema")
    row("`spec add` (write an add spec)", ["spec", "add", str(PROJECT / "samples" / "roots" / "new-root.pem"),
                                           "-o", str(work / "add.yaml")], (), "spec")
    return rows


def profiles_against_pem(cli: list[str], env: dict[str, str], new: Path, work: Path, runs: int) -> list[Row]:
    """Issue 14: a distributor profile costs no more than the plain PEM export of the same file.

    The exports run in turn, round after round (2 x runs rounds after a warm-up round), so that a
    change in the machine's load hits them all alike; each row's target is the PEM export's median
    of the same rounds plus 5 %, the spread of repeated medians on a shared machine. Each run writes a
    new file or folder. The `directory` format is the plain export closest to Debian's folder (one
    file per root).
    """
    cases = {
        "pem": ["--format", "pem"],
        "profile certifi": ["--profile", "certifi", "--at", "2025-06-10"],
        "profile curl": ["--profile", "curl", "--at", "2025-06-10"],
        "profile debian": ["--profile", "debian"],
        "format directory": ["--format", "directory"],
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    peaks: dict[str, int] = dict.fromkeys(cases, 0)
    problems: dict[str, str] = {}
    for round_number in range(2 * runs + 1):
        for name, args in cases.items():
            # A new output each round, as a clean package build writes it (replacing a folder of 148
            # files would add their deletion to the folder exports).
            argv = [*cli, "export", str(new), *args, "-o",
                    str(work / f"interleaved-{name.split()[-1]}-{round_number}")]
            result = run_processes(argv, env, work, 0)[0]
            if result.code != 0 and name not in problems:
                last = (result.stderr.strip().splitlines() or [""])[-1]
                problems[name] = f"exit {result.code}: {last[:100]}"
            if round_number:
                times[name].append(result.seconds * 1000)
                peaks[name] = max(peaks[name], result.peak_kb)
    pem = statistics.median(times["pem"])
    rows = [Row("`export --format pem` (interleaved with the profiles)", pem, peaks["pem"] / 1024,
                note=problems.get("pem", ""))]
    for name in list(cases)[1:]:
        median = statistics.median(times[name])
        target = (Target(pem * 1.05, 14),) if name.startswith("profile") else ()
        note = problems.get(name) or f"{median / pem:.2f}x the pem export of the same rounds"
        if name == "profile debian":
            directory = statistics.median(times["format directory"])
            note += f", {median / directory:.2f}x the directory export"
        rows.append(Row(f"`export --{name}` (interleaved)", median, peaks[name] / 1024, target, note))
    return rows


def best_of(function: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def library(corpus: Path, runs: int) -> list[Row]:
    import certdata_tool
    from certdata_tool.syntax.nssfile import dump, parse

    data = (corpus / NEW_FILE).read_bytes()
    store = parse(data)
    rows = [
        Row("`parse` (real file, bytes in)", best_of(lambda: parse(data), runs * 4),
            targets=(Target(15, 8), Target(30, 2))),
        Row("`dump` (real file)", best_of(lambda: dump(store), runs * 4)),
        Row("`roots` (pair and read every root)", best_of(lambda: certdata_tool.roots(store), runs * 4)),
    ]
    try:
        import certdata_tool.diff
    except ImportError:
        rows.append(Row("`compare` all 136 consecutive corpus pairs", None, targets=(Target(10_000, 3),),
                        note="certdata_tool.diff not in this build yet"))
        return rows
    with lzma.open(corpus / "revisions.tar.xz") as raw, tarfile.open(fileobj=io.BytesIO(raw.read())) as tar:
        members = sorted((m for m in tar.getmembers() if m.isfile() and m.name.endswith(".txt")),
                         key=lambda m: m.name)
        texts = [tar.extractfile(m).read() for m in members]  # type: ignore[union-attr]

    def compare_all() -> None:
        stores = [parse(text) for text in texts]
        for before, after in itertools.pairwise(stores):
            certdata_tool.compare(before, after)

    rows.append(Row(f"`compare` all {len(texts) - 1} consecutive corpus pairs (parse included)",
                    best_of(compare_all, 1), targets=(Target(10_000, 3),)))
    return rows


# One parse in a fresh process: every size is measured the same way (memory fresh from the system,
# as for a real run of the tool), and the process's own peak RSS is that of one parse.
_PARSE_CHILD = """
import json, sys, time
from certdata_tool.syntax.nssfile import parse
data = open(sys.argv[1], "rb").read()
start = time.perf_counter()
store = parse(data)
seconds = time.perf_counter() - start
# VmHWM: this process's own peak RSS (ru_maxrss would include the parent's size, carried over exec).
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"ms": seconds * 1000, "peak_kb": peak_kb}))
"""


def scaling(corpus: Path, env: dict[str, str], work: Path, factors: Sequence[int]) -> list[Row]:
    from storegen import generate

    text = (corpus / OLD_FILE).read_text("utf-8")
    rows: list[Row] = []
    base_ms: float | None = None
    for factor in factors:
        path = work / f"store-{factor}x.txt"
        with open(path, "w", encoding="utf-8", newline="") as out:
            generate(text, factor, out.write)
        size_mb = path.stat().st_size / MB
        repeats = 9 if factor == 1 else 5 if factor <= 10 else 3
        command = [sys.executable, "-c", _PARSE_CHILD, str(path)]
        outputs = [subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
                   for _ in range(repeats)]
        measured = [json.loads(output) for output in outputs]
        ms = statistics.median(m["ms"] for m in measured)
        peak = max(m["peak_kb"] for m in measured) / 1024
        base_ms = ms if base_ms is None else base_ms
        ratio = ms / base_ms
        rows.append(Row(f"parse {factor}x ({size_mb:.0f} MB)", ms, peak,
                        note=f"time {ratio:.1f}x the 1x store; peak {peak / size_mb:.1f}x the input",
                        targets=(Target(1.1 * factor * base_ms, 8),) if factor > 1 else (),
                        memory_limit_mb=5 * size_mb + 40))
        path.unlink()
    return rows


# ---------------------------------------------------------------- output


def table(rows: Sequence[Row], memory: bool = True) -> str:
    head = "| what | median ms | peak MB | target | result | note |" if memory else \
        "| what | median ms | target | result | note |"
    lines = [head, "|" + " --- |" * (6 if memory else 5)]
    for row in rows:
        value = "-" if row.value is None else f"{row.value:,.1f}"
        cells = [row.name, value]
        if memory:
            cells.append("-" if row.peak_mb is None else f"{row.peak_mb:.1f}")
        cells += [row.target_text(), row.verdict(), row.note]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="runs per command after a warm-up (median)")
    parser.add_argument("--quick", action="store_true", help="3 runs, no 100x store")
    parser.add_argument("--no-scaling", action="store_true", help="skip the generated stores")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is not met")
    options = parser.parse_args(argv)
    runs = 3 if options.quick else options.runs
    corpus = corpus_dir()
    if not (corpus / NEW_FILE).is_file():
        print(f"benchmarks: real NSS files not found in {corpus} (set CERTDATA_CORPUS)", file=sys.stderr)
        return 2
    about = machine()
    with tempfile.TemporaryDirectory(prefix="certdata-bench-") as folder:
        work = Path(folder)
        env = child_environment(work / "pycache")
        cli = cli_argv()
        sections = [(f"End to end (one process per run, median of {runs} runs after a warm-up)",
                     end_to_end(cli, env, corpus, work, runs), True),
                    ("Library (in process)", library(corpus, runs), False)]
        if not options.no_scaling:
            factors = (1, 10) if options.quick else (1, 10, 100)
            sections.append(("Scaling: parse of generated stores (one parse per process; median of 9, 5 "
                             "and 3 processes)",
                             scaling(corpus, env, work, factors), True))
    about["load after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print("# certdata-tool benchmarks\n")
    print(f"- date: {about['date']}")
    print(f"- machine: {about['cpu']}, {about['nproc']} CPUs, {about['system']}")
    print(f"- Python {about['python']}; command: `{' '.join(Path(a).name for a in cli)}`")
    print(f"- load average before / after: {about['load']} / {about['load after']}")
    missed = []
    for title, rows, memory in sections:
        print(f"\n## {title}\n")
        print(table(rows, memory))
        missed += [row.name for row in rows if "NOT MET" in row.verdict()]
    print(f"\nTargets not met: {', '.join(missed) if missed else 'none'}")
    return 1 if options.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
