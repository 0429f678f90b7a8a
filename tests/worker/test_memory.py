"""isolation.session_memory: what the worker compares with a note's memory limit. Run against real processes:
a child that holds 64 MiB, and two that share it after a fork (counted once)."""

import os
import signal
import time

from verinotes_worker.isolation import proc_kb, session_memory

MIB = 1 << 20


def hold(n_mib, fork_twin=False):
    """A child that writes n_mib MiB of anonymous memory (and forks a twin that shares it), then waits."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        block = bytearray(n_mib * MIB)
        for i in range(0, len(block), 4096):
            block[i] = 1
        if fork_twin and os.fork() == 0:
            os.write(w, b"t")
            time.sleep(60)
            os._exit(0)
        os.write(w, b"h")
        time.sleep(60)
        os._exit(0)
    os.close(w)
    got = b""
    while len(got) < (2 if fork_twin else 1):
        got += os.read(r, 2)
    os.close(r)
    return pid


def all_but(*mine):
    """Every process on this machine but the test's children, as the worker excludes all that is not the
    session's (taken just before each count: the machine's other processes come and go)."""
    return {int(p) for p in os.listdir("/proc") if p.isdigit()} - set(mine)


def children_of(pid):
    with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
        return [int(p) for p in f.read().split()]


def stop(pid):
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def test_a_process_over_the_limit_is_over_it_whichever_way_it_is_counted():
    pid = hold(64)
    try:
        pss = session_memory(all_but(pid))
        assert 60 * MIB < pss < 80 * MIB
        assert 60 * MIB < session_memory(all_but(pid), 32 * MIB) < 80 * MIB  # over the cheap bound: the PSS decides
        within = session_memory(all_but(pid), 1 << 30)  # the cheap upper bound
        assert within >= pss - MIB
    finally:
        stop(pid)


def test_memory_shared_after_a_fork_is_counted_once_when_it_matters():
    pid = hold(64, fork_twin=True)
    twin = children_of(pid)
    try:
        assert len(twin) == 1
        mine = (pid, twin[0])
        # resident: both processes hold the 64 MiB (128 in all); proportional: 64 in all
        assert proc_kb(str(pid), "status", (b"RssAnon:",)) * 1024 > 60 * MIB
        assert proc_kb(str(twin[0]), "status", (b"RssAnon:",)) * 1024 > 60 * MIB
        assert session_memory(all_but(*mine), 100 * MIB) < 100 * MIB  # RSS 128 > 100: the PSS (64) is what counts
        assert session_memory(all_but(*mine), 200 * MIB) > 120 * MIB  # within the limit by RSS: that bound is returned
    finally:
        os.kill(twin[0], signal.SIGKILL)
        stop(pid)
