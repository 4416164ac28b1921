"""Output files: symbolic links stay links, devices and FIFOs are written into, never replaced."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from certdata_tool.cli.files import write_bytes


def test_a_symbolic_link_keeps_pointing_at_the_file_it_names(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_bytes(b"old\n")
    link = tmp_path / "link.txt"
    link.symlink_to("real.txt")
    write_bytes(str(link), b"new\n")
    assert link.is_symlink() and os.readlink(link) == "real.txt"
    assert real.read_bytes() == b"new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real.txt"]


def test_dev_null_stays_a_device() -> None:
    write_bytes("/dev/null", b"gone\n")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_fifo_gets_the_data_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_bytes(str(fifo), b"through the pipe\n")
    reader.join(timeout=10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_binary_truststore_is_not_written_to_a_terminal(tmp_path: Path) -> None:
    import pty
    import subprocess
    import sys

    sample = Path(__file__).resolve().parent.parent / "samples" / "certdata.txt"
    leader, follower = pty.openpty()
    try:
        result = subprocess.run([sys.executable, "-m", "certdata_tool", "export", str(sample), "-o", "-",
                                 "--format", "java"], stdout=follower, stderr=subprocess.PIPE, timeout=60,
                                check=False)
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 2
    assert result.stderr.decode().startswith("certdata-tool: error: --format java writes a binary PKCS#12")
