"""files.py: program lookup, removing a session's folder, reading and writing files, quoting for bash."""

import os
import stat
import subprocess

from verinotes_worker.files import read_text, rmtree, shell_quote, which, write_text


def make_program(path, mode=0o755):
    path.write_text("#!/bin/sh\n")
    path.chmod(mode)
    return str(path)


# -- which --------------------------------------------------------------------------------------


def test_which_takes_the_first_executable_file_on_the_path(tmp_path):
    a, b, c = (tmp_path / n for n in "abc")
    for d in (a, b, c):
        d.mkdir()
    (a / "tool").mkdir()  # a folder of that name is not a program
    make_program(b / "tool", 0o644)  # nor is a file that is not executable
    found = make_program(c / "tool")
    make_program(c / "other")
    path = os.pathsep.join(str(d) for d in (tmp_path / "absent", a, b, c))
    assert which("tool", path) == found
    assert which("other", str(a)) is None
    assert which("nothing", path) is None


def test_which_reads_an_empty_entry_as_the_working_folder(tmp_path, monkeypatch):
    make_program(tmp_path / "here")
    monkeypatch.chdir(tmp_path)
    assert which("here", "/nonexistent" + os.pathsep) == "./here"
    assert which("here", "/nonexistent") is None


# -- rmtree -------------------------------------------------------------------------------------


def build_tree(root):
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "f.txt").write_text("x")
    (root / "top.txt").write_text("y")
    os.mkfifo(root / "fifo")


def test_rmtree_removes_a_tree(tmp_path):
    root = tmp_path / "session"
    build_tree(root)
    (root / "locked").mkdir()
    (root / "locked" / "inner").write_text("z")
    (root / "locked").chmod(0)  # unreadable: made readable to be emptied (root reads it anyway)
    rmtree(str(root))
    assert not root.exists()
    assert os.listdir(tmp_path) == []


def test_rmtree_removes_links_and_never_follows_them(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    root = tmp_path / "session"
    build_tree(root)
    (root / "a" / "to-outside").symlink_to(outside)  # a block replaced a folder by a link
    (root / "file-link").symlink_to(outside / "keep.txt")
    rmtree(str(root))
    assert not root.exists()
    assert (outside / "keep.txt").read_text() == "keep"


def test_rmtree_of_a_link_removes_only_the_link(tmp_path):
    target = tmp_path / "target"
    build_tree(target)
    link = tmp_path / "link"
    link.symlink_to(target)
    rmtree(str(link))
    assert not os.path.lexists(link)
    assert (target / "a" / "b" / "f.txt").read_text() == "x"


def test_rmtree_of_nothing_is_quiet(tmp_path):
    rmtree(str(tmp_path / "absent"))
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "absent")
    rmtree(str(dangling))
    assert os.listdir(tmp_path) == []


# -- write_text / read_text -------------------------------------------------------------------------


def test_write_text_writes_utf8_and_truncates(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"a much longer old content\n")
    write_text(str(path), "é✓\n")
    assert path.read_bytes() == "é✓\n".encode("utf-8")
    write_text(str(path), "")
    assert path.read_bytes() == b""


def test_write_text_makes_files_as_open_does(tmp_path):
    old = os.umask(0o027)
    try:
        write_text(str(tmp_path / "f"), "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "f").st_mode) == 0o640


def test_write_text_of_a_large_text(tmp_path):
    text = "0123456789abcdef" * (1 << 16)  # larger than a pipe's or a single write's chunk
    write_text(str(tmp_path / "big"), text)
    assert (tmp_path / "big").read_text() == text


def test_read_text(tmp_path):
    (tmp_path / "ok.txt").write_bytes("ü\r\nline\n".encode())
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00")
    assert read_text(str(tmp_path / "ok.txt")) == "ü\nline\n"  # universal newlines, as open() reads
    assert read_text(str(tmp_path / "bad.txt")) is None  # not UTF-8
    assert read_text(str(tmp_path / "absent")) is None
    assert read_text(str(tmp_path)) is None  # a folder


# -- shell_quote ----------------------------------------------------------------------------------

AWKWARD = [
    "",
    "plain",
    "two words",
    "it's",
    "''",
    "'\"'\"'",
    "$HOME ${PATH} $(id) `id` \\ \\n",
    "; | & && || > < * ? [a] {b,c} ~ # !",
    "new\nline\ttab",
    "-n",
    "ü ✓ 日本",
]


def test_shell_quote_round_trips_through_bash():
    # each quoted string is one word (NUL-separated below) that bash reads back unchanged
    script = "printf '%s\\0' " + " ".join(shell_quote(s) for s in AWKWARD)
    out = subprocess.run(["bash", "--noprofile", "--norc", "-c", script], capture_output=True, check=True, env={"PATH": os.defpath})
    assert out.stdout.decode("utf-8").split("\0")[:-1] == AWKWARD

