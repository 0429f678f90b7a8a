"""isolation.PidNamespaces: as root, the zygote's next child is PID 1 of a namespace of its own, and the one after
that too (a new one), while the zygote itself stays where it was."""

import os

import pytest

from verinotes_worker.isolation import PidNamespaces

pytestmark = pytest.mark.skipif(os.getuid() != 0, reason="a new PID namespace without a user namespace needs root")


def pid_in_child():
    """The pid a forked child sees for itself (as its exit code: 1 for PID 1, 2 for any other)."""
    pid = os.fork()
    if pid == 0:
        os._exit(1 if os.getpid() == 1 else 2)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def ns_of_child():
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.write(w, os.readlink("/proc/self/ns/pid").encode())
        os._exit(0)
    os.close(w)
    link = os.read(r, 100).decode()
    os.close(r)
    os.waitpid(pid, 0)
    return link


def test_each_child_made_after_enter_new_is_pid_1_of_a_new_namespace_and_leave_takes_it_back():
    mine = os.readlink("/proc/self/ns/pid")
    ns = PidNamespaces({"mode": "root"})
    assert ns.own is not None
    seen = set()
    for _ in range(2):
        ns.enter_new()
        assert pid_in_child() == 1
        ns.leave()
        assert pid_in_child() == 2  # back: an ordinary child
        ns.enter_new()
        seen.add(ns_of_child())
        ns.leave()
    assert len(seen) == 2 and mine not in seen  # a new namespace each time, never this process's own
    assert os.readlink("/proc/self/ns/pid") == mine
    assert ns_of_child() == mine
    os.close(ns.own)


def test_not_used_outside_root_mode():
    assert PidNamespaces({"mode": "user"}).own is None
