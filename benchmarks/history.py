"""Benchmark of `certdata-tool history` on a generated git repository shaped like NSS's.

    python benchmarks/history.py                 # 175 commits on the path, ~230 MB of text
    python benchmarks/history.py --commits 40    # a smaller one
    python benchmarks/history.py --keep DIR      # write the repository to DIR and keep it (or reuse it)

The repository is written with `git fast-import` (so it is packed, with deltas, as a clone is):
commits on the old path `security/nss/lib/ckfw/builtins/certdata.txt`, one commit that moves the
tree to `lib/ckfw/builtins/`, then commits on today's path. Every commit changes the store the way
NSS's history does (a root added from the generated copies of tests/storegen.py, a root removed,
websites trust turned off, a distrust-after date set, a label changed); nssckbi.h is bumped in
some of those commits and in separate commits; every fifth commit is tagged `NSS_3_N_RTM`; and
some 15,000 commits that change other files stand between them, as in NSS.

Each measured run is one whole process (spawn to exit, as /usr/bin/time measures it), output to
/dev/null; the table gives the median of the runs and the peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT / "tests"))  # the store generator the tests use
BASE_FILE = "certdata-2024-05-30-bb4242fc1.txt"
OLD_DIR = "security/nss/lib/ckfw/builtins"
NEW_DIR = "lib/ckfw/builtins"


def corpus_dir() -> Path:
    configured = os.environ.get("CERTDATA_CORPUS")
    return Path(configured) if configured else PROJECT.parent / "shared" / "nss-certdata"


def nssckbi(minor: int) -> bytes:
    return (f"/* nssckbi.h of a generated history */\n"
            f"#define NSS_BUILTINS_LIBRARY_VERSION_MAJOR 2\n"
            f"#define NSS_BUILTINS_LIBRARY_VERSION_MINOR {minor}\n"
            f'#define NSS_BUILTINS_LIBRARY_VERSION "2.{minor}"\n').encode()


class Store:
    """The store as header + root texts (certificate and trust object text of each root) + trailer."""

    def __init__(self, text: str) -> None:
        from storegen import copy_objects

        from certdata_tool.syntax.nssfile import parse

        store = parse(text)
        self.header = "".join(store.header)
        self.objects = [obj.text() for obj in store.objects]
        self.trailer = "".join(store.trailer)
        copies = [obj.text() for obj in copy_objects(store, 1)]
        # Certificates and their trust objects stand in pairs, in NSS's layout.
        self.pool = [(copies[i], copies[i + 1]) for i in range(0, len(copies) - 1, 2)
                     if "CKO_CERTIFICATE" in copies[i] and "CKO_NSS_TRUST" in copies[i + 1]]

    def text(self) -> str:
        return self.header + "".join(self.objects) + self.trailer

    def change(self, rng: random.Random, step: int) -> str:
        """One change of the kind NSS commits (it always changes the text); returns its subject."""
        kind = step % 5
        pairs = [i for i in range(len(self.objects) - 1)
                 if "CKO_CERTIFICATE" in self.objects[i] and "CKO_NSS_TRUST" in self.objects[i + 1]]
        trusted = [i for i in pairs if _SERVER_TRUSTED in self.objects[i + 1]]
        undated = [i for i in trusted if _NO_SERVER_DATE in self.objects[i]]
        if kind == 0 and self.pool:
            cert, trust = self.pool.pop(0)
            self.objects[len(self.objects):] = [cert, trust]
            return f"Bug {100000 + step} - Add a root to NSS"
        if kind == 1:
            index = rng.choice(pairs)
            label = _label(self.objects[index])
            del self.objects[index:index + 2]
            return f"Bug {100000 + step} - Remove {label}"
        if kind == 2 and trusted:
            index = rng.choice(trusted)
            self.objects[index + 1] = self.objects[index + 1].replace(_SERVER_TRUSTED, _SERVER_NOT_TRUSTED)
            return f"Bug {100000 + step} - Turn off websites trust for {_label(self.objects[index])}"
        if kind == 3 and undated:
            index = rng.choice(undated)
            octal = "".join(f"\\{byte:03o}" for byte in b"250630235959Z")
            self.objects[index] = self.objects[index].replace(
                _NO_SERVER_DATE, "# For Server Distrust After: Mon Jun 30 23:59:59 2025\n"
                f"CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL\n{octal}\nEND\n")
            return f"Bug {100000 + step} - Set Distrust After for {_label(self.objects[index])}"
        index = rng.choice(pairs)
        label = _label(self.objects[index])
        for offset in (0, 1):
            self.objects[index + offset] = self.objects[index + offset].replace(
                f'CKA_LABEL UTF8 "{label}"', f'CKA_LABEL UTF8 "{label} (step {step})"')
        return f"Bug {100000 + step} - Rename {label}"


_SERVER_TRUSTED = "CKA_TRUST_SERVER_AUTH CK_TRUST CKT_NSS_TRUSTED_DELEGATOR"
_SERVER_NOT_TRUSTED = "CKA_TRUST_SERVER_AUTH CK_TRUST CKT_NSS_MUST_VERIFY_TRUST"
_NO_SERVER_DATE = "CKA_NSS_SERVER_DISTRUST_AFTER CK_BBOOL CK_FALSE\n"


def _label(text: str) -> str:
    return text.split('CKA_LABEL UTF8 "', 1)[1].split('"', 1)[0]


def write_repository(folder: Path, commits_on_path: int, old_path_commits: int = 20,
                     other_commits: int = 15_000) -> dict[str, int]:
    """A repository of that shape, written by one `git fast-import`; returns what it holds."""
    source = corpus_dir() / BASE_FILE
    if not source.is_file():
        raise SystemExit(f"{source} not found: set CERTDATA_CORPUS to the folder of the real NSS files")
    base = source.read_text(encoding="utf-8")
    store = Store(base)
    rng = random.Random(20260101)
    subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=main", str(folder)], check=True)
    importer = subprocess.Popen(["git", "-C", str(folder), "fast-import", "--quiet"], stdin=subprocess.PIPE)
    assert importer.stdin is not None
    out = importer.stdin
    mark = 0
    moment = 1_500_000_000
    minor = 0
    release = 20
    total_bytes = 0
    directory = OLD_DIR
    on_path = 0

    def commit(subject: str, files: dict[str, bytes], deletes: tuple[str, ...] = ()) -> None:
        nonlocal mark, moment
        mark += 1
        moment += 86_400
        message = subject.encode()
        out.write(f"commit refs/heads/main\nmark :{mark}\n"
                  f"author NSS Developer <dev@example.org> {moment} +0000\n"
                  f"committer NSS Developer <dev@example.org> {moment} +0000\n"
                  f"data {len(message)}\n".encode() + message + b"\n")
        if mark > 1:
            out.write(f"from :{mark - 1}\n".encode())
        for name in deletes:
            out.write(f"D {name}\n".encode())
        for name, data in files.items():
            out.write(f"M 100644 inline {name}\ndata {len(data)}\n".encode() + data + b"\n")
        out.write(b"\n")

    def tag_every_fifth(step: int) -> None:
        nonlocal release
        if step % 5 == 4:
            release += 1
            out.write(f"reset refs/tags/NSS_3_{release}_RTM\nfrom :{mark}\n\n".encode())

    steps = old_path_commits + commits_on_path
    for step in range(steps):
        files: dict[str, bytes] = {}
        deletes: tuple[str, ...] = ()
        if step == old_path_commits:
            # The reorganisation of 2013: the tree moves, the text does not change.
            deletes = (f"{OLD_DIR}/certdata.txt", f"{OLD_DIR}/nssckbi.h")
            directory = NEW_DIR
            subject = "Bug 845556, reorganize NSS directory layout"
            files[f"{directory}/nssckbi.h"] = nssckbi(minor)
        else:
            subject = store.change(rng, step) if step else "Initial import"
            if step % 3 == 0 or step == 0:
                minor += 2
                files[f"{directory}/nssckbi.h"] = nssckbi(minor)
        data = store.text().encode("utf-8")
        files[f"{directory}/certdata.txt"] = data
        commit(subject, files, deletes)
        if directory == NEW_DIR:
            total_bytes += len(data)
            on_path += 1
        tag_every_fifth(step)
        for _ in range(other_commits // steps):
            # The rest of NSS: what `git log -- PATH` has to walk past.
            commit("Bug 300000 - work elsewhere in NSS", {"lib/ssl/work.c": f"/* {mark} */\n".encode()})
        if step % 4 == 1 and step > old_path_commits:
            minor += 2  # NSS often bumps the version in a commit of its own
            commit(f"Bug {200000 + step} - Bump the builtins version to 2.{minor}",
                   {f"{directory}/nssckbi.h": nssckbi(minor)})
    out.close()
    if importer.wait() != 0:
        raise SystemExit("git fast-import failed")
    return {"commits_on_path": on_path, "bytes_on_path": total_bytes,
            "commits": mark, "releases": release - 20}


def measure(command: list[str], runs: int) -> tuple[float, float]:
    """(median seconds, peak MB) of whole-process runs, output to /dev/null."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        with open(os.devnull, "wb") as sink:
            process = subprocess.Popen(command, stdout=sink, stderr=subprocess.PIPE)
            _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        assert process.stderr is not None
        error = process.stderr.read().decode()
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{error}")
    return statistics.median(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--commits", type=int, default=175, help="commits on today's path (175)")
    parser.add_argument("--other-commits", type=int, default=15_000,
                        help="commits that change other files (NSS has some 15,000 in all)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the repository here and keep it")
    options = parser.parse_args()
    tool = Path(sys.executable).with_name("certdata-tool")
    base = [str(tool)] if tool.exists() else [sys.executable, "-m", "certdata_tool"]
    with tempfile.TemporaryDirectory() as temporary:
        folder = options.keep or Path(temporary) / "nss.git"
        if folder.exists():
            print(f"repository: {folder} (kept from an earlier run)")
        else:
            started = time.perf_counter()
            shape = write_repository(folder, options.commits, other_commits=options.other_commits)
            print(f"repository: {folder} written in {time.perf_counter() - started:.1f} s: "
                  f"{shape['commits']} commits, {shape['commits_on_path']} on {NEW_DIR}/certdata.txt, "
                  f"about {shape['bytes_on_path'] / 1e6:.0f} MB of certdata text on that path, "
                  f"{shape['releases']} release tags")
        print()
        print("| command | median s | peak MB |")
        print("| --- | --- | --- |")
        for extra in ([], ["--releases"], ["--purpose", "server", "--purpose", "email"]):
            command = [*base, "history", str(folder), "--format", "json", *extra]
            seconds, peak = measure(command, options.runs)
            shown = " ".join(["history", "REPO", "--format", "json", *extra])
            print(f"| `{shown}` | {seconds:.2f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
