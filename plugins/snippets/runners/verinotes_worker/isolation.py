"""A session's isolation inside the worker's sandbox (snippets-spec.md §5): its namespaces, its user, its
memory, and killing what it started."""

import ctypes
import os
import resource
import signal


#: The folder of the worker and this package: sessions see an empty tmpfs there.
HARNESS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REC = 0x4000
MS_PRIVATE = 1 << 18
#: Where a session's folder is, in its own mount namespace: a fresh tmpfs on /tmp, of the session's disk size.
SESSION_TMP = "/tmp"
PR_SET_PDEATHSIG = 1
PR_SET_NAME = 15
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
CAP_LAST = 63
#: Session uids in root mode: one per worker (the node side picks a random slot, so that concurrent verifiers do
#: not share one), owned by no account, so that RLIMIT_NPROC counts one session's processes.
SESSION_UID_BASE = 1_900_000_000


#: The C library, loaded once in the worker and its functions looked up there, before any fork: each session's
#: init and session use them, and a lookup made in a forked child is made (and its pages copied) in every one.
_LIBC = ctypes.CDLL(None, use_errno=True)
for _name in ("capset", "mount", "prctl", "setns", "umount2", "unshare"):
    getattr(_LIBC, _name)


def libc():
    return _LIBC


def checked(rc, what):
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, "%s: %s" % (what, os.strerror(err)))


def name_process(name):
    """The name `ps` and `perf` show for this process (its role: vn-zygote, vn-init, vn-session…)."""
    libc().prctl(PR_SET_NAME, name.encode()[:15], 0, 0, 0)


def write_proc(path, text):
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def not_dumpable():
    """No ptrace, and no /proc/<pid>/{fd,environ,mem} of this process for anything without CAP_SYS_PTRACE."""
    checked(libc().prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "prctl(PR_SET_DUMPABLE)")


def enter_session_namespaces(iso, pid_ns=True):
    """In the zygote's child, before it forks the session: the next child is PID 1 of a new PID namespace, with
    its own IPC namespace (SysV memory dies with it) and mount namespace, in which a fresh tmpfs of the session's
    disk size replaces /tmp: nothing one session leaves there reaches the next, and the disk limit is its own.
    In `user` mode all this sits in a user namespace of its own, mapping only the worker's uid. pid_ns=False:
    this process is PID 1 of a new PID namespace already (see PidNamespaces)."""
    lib = libc()
    flags = (CLONE_NEWPID if pid_ns else 0) | CLONE_NEWNS | CLONE_NEWIPC
    if iso["mode"] == "root":
        checked(lib.unshare(flags), "unshare(CLONE_NEWNS|CLONE_NEWIPC%s)" % ("|CLONE_NEWPID" if pid_ns else ""))
    else:
        uid, gid = os.getuid(), os.getgid()
        # a process that is not dumpable has its /proc files owned by root: it could not write its own maps
        checked(lib.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), "prctl(PR_SET_DUMPABLE)")
        checked(lib.unshare(CLONE_NEWUSER | flags), "unshare(CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNS|CLONE_NEWIPC)")
        write_proc("/proc/self/setgroups", "deny")
        write_proc("/proc/self/uid_map", "%d %d 1" % (uid, uid))
        write_proc("/proc/self/gid_map", "%d %d 1" % (gid, gid))
        checked(lib.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "prctl(PR_SET_DUMPABLE)")
    checked(lib.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
    size = b"size=%d,mode=1777" % int(iso.get("diskBytes") or (256 << 20))
    checked(lib.mount(b"tmpfs", SESSION_TMP.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, size), "mount tmpfs " + SESSION_TMP)
    if iso["mode"] == "root":
        limit_ipc(int(iso.get("memoryBytes") or (1 << 30)))
    # the worker's own code (a folder of the checkout, bound into the sandbox to start the worker) is loaded
    # already: the session does not see it
    lib.mount(b"tmpfs", HARNESS_DIR.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"size=4k,mode=0755")
    work = os.path.join(SESSION_TMP, "verinotes-session")
    scratch = os.path.join(SESSION_TMP, "verinotes-harness")
    for d in (work, scratch):
        os.mkdir(d, 0o700)
        if iso["mode"] == "root":
            os.chown(d, int(iso["uid"]), int(iso["uid"]))
    return work, scratch


class PidNamespaces:
    """As root, the zygote's next child can be PID 1 of a new PID namespace itself: unshare(CLONE_NEWPID) only
    changes where the caller's children go, and setns to its own namespace takes that back, ready for the next
    one. Without it (a user namespace: setns back needs a capability the zygote does not have there), a child
    unshares and forks PID 1, and stays to watch it: one more process per session."""

    def __init__(self, iso):
        self.own = None
        if iso["mode"] == "root":
            self.own = os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC)
            if not self.works():
                os.close(self.own)
                self.own = None

    def works(self):
        """Tried in a child, so that a kernel that allows the unshare and refuses the setns back leaves this
        process as it was."""
        pid = os.fork()
        if pid == 0:
            try:
                self.enter_new()
                self.leave()
                os._exit(0)
            except BaseException:
                os._exit(1)
        return os.waitpid(pid, 0)[1] == 0

    def enter_new(self):
        """The next child forked is PID 1 of a new PID namespace."""
        checked(libc().unshare(CLONE_NEWPID), "unshare(CLONE_NEWPID)")

    def leave(self):
        """Children go to this process's own PID namespace again."""
        checked(libc().setns(self.own, CLONE_NEWPID), "setns(CLONE_NEWPID)")


def limit_ipc(memory_bytes):
    """SysV shared memory of the session's own IPC namespace capped at its memory limit: a segment left detached is
    in no process's memory, so the worker's count cannot see it. Where /proc/sys is mounted read-only, this mount
    namespace is the session's own, so that mount is taken away first (the session's user cannot write there)."""
    libc().umount2(b"/proc/sys", 2)  # MNT_DETACH; where /proc/sys is not a read-only mount of its own, nothing to do
    page = os.sysconf("SC_PAGE_SIZE")
    for name, value in (("shmmax", memory_bytes), ("shmall", memory_bytes // page), ("shmmni", 64), ("msgmnb", 1 << 20)):
        try:
            write_proc("/proc/sys/kernel/%s" % name, str(value))
        except OSError:
            pass


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def become_session_user(iso, nproc):
    """In the session (PID 1 of its namespace): an unprivileged user with no capabilities, no way to gain
    any (no_new_privs), its process count limited, and killed with its parent (the zygote, or the watcher)."""
    lib = libc()
    if iso["mode"] == "root":
        uid = int(iso["uid"])
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)  # from root to another uid: every capability goes
    else:
        for cap in range(CAP_LAST + 1):
            lib.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)  # EINVAL past the kernel's last capability
        data = (_CapData * 2)()
        checked(lib.capset(ctypes.byref(_CapHeader(0x20080522, 0)), data), "capset")
    checked(lib.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
    if nproc:
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    checked(lib.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")
    if iso["mode"] == "root":
        lib.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # its own /proc/self/fd, as any process has


def session_memory(exclude, limit=None):
    """Anonymous memory of every process in the sandbox but the worker's own (the session's, in its own PID
    namespace, are all visible here), each page shared after a fork counted once (proportional set size).
    With a `limit`, the resident sizes are summed first (counters the kernel keeps: cheap), and the PSS (a walk
    of every page table) is taken only when they exceed it: a process's PSS is never more than its RSS, so
    while the RSS sum is within the limit, so is the PSS; the sum returned then is that upper bound."""
    pids = [name for name in os.listdir("/proc") if name.isdigit() and int(name) not in exclude]
    seen = set()
    files = sum(memfd_bytes(pid, seen) for pid in pids)
    if limit is not None:
        rss = files + sum(proc_kb(pid, "status", (b"RssAnon:", b"RssShmem:")) for pid in pids) * 1024
        if rss <= limit:
            return rss
    return files + sum(proc_kb(pid, "smaps_rollup", (b"Pss_Anon:", b"Pss_Shmem:")) for pid in pids) * 1024


def proc_kb(pid, name, fields):
    """The sum of the kB `fields` of /proc/<pid>/<name> (0 for a process gone meanwhile)."""
    total = 0
    try:
        with open("/proc/%s/%s" % (pid, name), "rb") as f:
            for line in f:
                if line.startswith(fields):
                    total += int(line.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    return total


def memfd_bytes(pid, seen):
    """Memory held in memfds (written, not mapped: in no process's PSS), each file once."""
    total = 0
    try:
        fds = os.listdir("/proc/%s/fd" % pid)
    except OSError:
        return 0
    for fd in fds:
        path = "/proc/%s/fd/%s" % (pid, fd)
        try:
            if not os.readlink(path).startswith("/memfd:"):
                continue
            st = os.stat(path)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) not in seen:
            seen.add((st.st_dev, st.st_ino))
            total += st.st_blocks * 512
    return total



def proc_pgid(pid):
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            return int(f.read().rsplit(b")", 1)[1].split()[2])
    except (OSError, IndexError, ValueError):
        return None


def kill_tree(pids, pgids):
    """Kill a session: its init (with it, its whole PID namespace) and, unsandboxed, the groups it made."""
    for p in pids:
        if p:
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
    for g in pgids:
        try:
            os.killpg(g, signal.SIGKILL)
        except OSError:
            pass


# ------------------------------------------------------------------------------------------------
# the session child



def count_user_processes():
    uid = os.getuid()
    n = 0
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                if os.stat("/proc/" + p).st_uid == uid:
                    n += 1
            except OSError:
                pass
    return n
