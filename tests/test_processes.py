"""Worker processes: results come back, a job's failure is reported, a dead worker is noticed even when
its pipe lives on in another process."""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from council_materials.processes import JobFailed, WorkerDied, can_fork, run_jobs

pytestmark = pytest.mark.skipif(not can_fork(), reason="workers are forked")


def test_every_result_comes_back() -> None:
    jobs = [lambda n=n: n * n for n in range(7)]
    assert sorted(run_jobs(jobs, [f"job {n}" for n in range(7)], 2)) == [n * n for n in range(7)]


def test_a_failing_job_is_reported() -> None:
    def fail() -> int:
        raise ValueError("broken")
    with pytest.raises(JobFailed, match="ValueError: broken"):
        list(run_jobs([lambda: 1, fail], ["one", "two"], 2))


def test_a_worker_that_dies_while_another_process_holds_its_pipe_is_noticed(tmp_path: Path) -> None:
    """The worker forks a process that outlives it (as a second build forking in another thread would
    inherit the pipe): its end of the pipe stays open, so only the check of the worker's exit finds it."""
    holder = tmp_path / "holder.pid"

    def die_leaving_a_holder() -> int:
        child = os.fork()
        if child == 0:
            time.sleep(30)
            os._exit(0)
        holder.write_text(str(child))
        os._exit(3)

    started = time.monotonic()
    try:
        with pytest.raises(WorkerDied, match="rendering the holder exited with status 3"):
            list(run_jobs([die_leaving_a_holder, lambda: time.sleep(0.2) or 1], ["the holder", "other"], 2))
        assert time.monotonic() - started < 10
    finally:
        if holder.exists():
            try:
                os.kill(int(holder.read_text()), signal.SIGKILL)
            except ProcessLookupError:
                pass
