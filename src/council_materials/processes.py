"""Run a build's jobs in forked worker processes, noticing a worker that dies and a parent that dies.

Input: jobs (functions returning a picklable result, set up before forking so nothing but their
index crosses a pipe), what each job makes (for messages), and how many processes to use. Output:
each job's result as soon as it is done, in the parent. Each worker has a pipe of its own: the
parent sends a job's index, the worker answers with the result or the failure; a worker that dies
without answering (killed by the out-of-memory killer, a segfault, ``os._exit`` in a plugin) closes
its pipe, so the parent notices at once and fails naming the part that worker was making
(``WorkerDied``), instead of waiting for ever. Workers ignore Ctrl-C (the parent stops them), die
with their parent (Linux ``PR_SET_PDEATHSIG``, else a thread watching ``os.getppid()``) and then run
``on_orphaned`` (the build removes its staging folder), without a traceback.
"""
from __future__ import annotations

import ctypes
import gc
import os
import signal
import sys
import threading
import time
from multiprocessing.connection import Connection, Pipe, wait
from typing import Callable, Generator, Sequence, TypeVar, cast

from .errors import CouncilError

__all__ = ["JobFailed", "WorkerDied", "run_jobs", "can_fork", "workers"]

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1


class JobFailed(Exception):
    """A job raised in a worker: ``ours`` says whether it was one of the tool's own errors."""

    def __init__(self, ours: bool, message: str) -> None:
        super().__init__(message)
        self.ours = ours


class WorkerDied(CouncilError):
    """A worker process ended without reporting; names what it was making and how it ended."""


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "darwin"


def workers() -> int:
    """Processes to work in: ``$COUNCIL_MATERIALS_WORKERS`` (0: in this process, for debugging and tests that
    spy on the layout), else one per core, at most 2."""
    wanted = os.environ.get("COUNCIL_MATERIALS_WORKERS", "")
    if wanted.isdigit():
        return int(wanted)
    return max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1))


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        hint = " (perhaps the machine ran out of memory)" if number == signal.SIGKILL else ""
        return f"was killed by {name}{hint}"
    if os.WIFEXITED(status):
        return f"exited with status {os.WEXITSTATUS(status)} (a plugin's code may have ended the process)"
    return "ended"


def _die_with(parent: int, on_orphaned: Callable[[], None]) -> None:
    """In a worker: leave quietly when the parent is gone (running ``on_orphaned`` first)."""
    def orphaned(*_: object) -> None:
        if os.getppid() != parent:
            try:
                on_orphaned()
            finally:
                os._exit(1)
        os._exit(1)  # stopped by the parent (it failed or was interrupted): nothing to report
    signal.signal(signal.SIGTERM, orphaned)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0
    except (OSError, AttributeError):
        armed = False
    if not armed:
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os.kill(os.getpid(), signal.SIGTERM)
        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # died before the signal was armed
        orphaned()


def _serve(conn: Connection, jobs: Sequence[Callable[[], T]], parent: int, on_orphaned: Callable[[], None]) -> None:
    """A worker's life: run the jobs the parent sends until it sends ``None`` or goes away."""
    _die_with(parent, on_orphaned)
    while True:
        try:
            index = conn.recv()
        except (EOFError, OSError):
            return
        if index is None:
            return
        try:
            answer: tuple[object, ...] = ("done", jobs[index]())
        except BaseException as exc:  # every failure is reported: a worker that raises would leave a hole
            ours = isinstance(exc, CouncilError)
            answer = ("failed", ours, str(exc) if ours else f"{type(exc).__name__}: {exc}")
        try:
            conn.send(answer)
        except Exception:  # the parent is gone, or the result cannot be pickled
            try:
                conn.send(("failed", False, "the result could not be sent to the main process"))
            except Exception:
                pass
            return


def _start(jobs: Sequence[Callable[[], T]], on_orphaned: Callable[[], None],
           siblings: Sequence[Connection] = ()) -> tuple[int, Connection]:
    parent = os.getpid()
    ours, theirs = Pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    # The worker's collector leaves what it inherits alone: its passes over the parent's heap would touch
    # (and so copy) every page of it; the parent collects as before.
    gc.freeze()
    pid = os.fork()
    if pid != 0:
        gc.unfreeze()
    if pid == 0:  # the worker
        ours.close()
        for sibling in siblings:  # the parent's ends of the other workers' pipes are not this worker's
            sibling.close()
        try:
            _serve(theirs, jobs, parent, on_orphaned)
        finally:
            os._exit(0)  # never the parent's exit handlers, buffers or tracebacks
    theirs.close()
    return pid, ours


def run_jobs(jobs: Sequence[Callable[[], T]], names: Sequence[str], count: int,
             on_orphaned: Callable[[], None] = lambda: None) -> Generator[T, None, None]:
    """Yield every job's result as it ends, running them in ``count`` forked processes (in this process
    when ``count`` is 0 or forking is not available). A job's exception is raised as ``JobFailed``; a
    worker that dies, as ``WorkerDied`` naming ``names[index]`` of the job it was running. On the way
    out (done, failed, interrupted) every worker is stopped and reaped."""
    if count < 1 or not can_fork():
        for job in jobs:
            yield job()
        return
    pending = list(range(len(jobs)))
    workers: dict[Connection, tuple[int, int | None]] = {}  # pipe -> (pid, job index or None when idle)
    try:
        for _ in range(min(count, len(jobs))):
            pid, conn = _start(jobs, on_orphaned, list(workers))
            workers[conn] = (pid, None)
        for conn, (pid, _) in list(workers.items()):
            first = pending.pop(0)
            conn.send(first)
            workers[conn] = (pid, first)
        while any(index is not None for _, index in workers.values()):
            busy = {c: index for c, (_, index) in workers.items() if index is not None}  # pipe -> its job
            ready = cast("list[Connection]", wait(list(busy), timeout=_POLL))  # some of the pipes it was given
            if not ready:  # no answer yet: is every busy worker still alive? (its pipe's end may live on in
                # another process forked meanwhile, e.g. by a second build in another thread, so that its
                # death closes nothing)
                for conn, index in busy.items():
                    pid = workers[conn][0]
                    done, status = os.waitpid(pid, os.WNOHANG)
                    if done and not conn.poll():
                        del workers[conn]
                        conn.close()
                        raise _died(names[index], status)
                continue
            for conn in ready:
                pid, index = workers[conn][0], busy[conn]
                try:
                    answer = conn.recv()
                except (EOFError, OSError):
                    try:
                        _, status = os.waitpid(pid, 0)
                    except ChildProcessError:  # reaped by the check above
                        status = 0
                    del workers[conn]
                    conn.close()
                    raise _died(names[index], status)
                if answer[0] == "failed":
                    raise JobFailed(bool(answer[1]), str(answer[2]))
                if pending:
                    following = pending.pop(0)
                    conn.send(following)
                    workers[conn] = (pid, following)
                else:
                    conn.send(None)
                    workers[conn] = (pid, None)
                yield answer[1]
    finally:
        _stop(workers)


_POLL = 0.5
"""Seconds between checks that the busy workers are alive, while none answers."""


def _died(name: str, status: int) -> WorkerDied:
    return WorkerDied(f"the worker process laying out and rendering {name} {_how(status)}; nothing was written, "
                      "the previous outputs are unchanged")


def _stop(workers: dict[Connection, tuple[int, int | None]]) -> None:
    """End every worker: idle ones were told to exit; busy ones (after a failure or an interruption) are
    killed, since what they make is thrown away."""
    for conn, (pid, index) in workers.items():
        if index is not None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        conn.close()
    for pid, _ in workers.values():
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
