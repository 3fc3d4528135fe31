"""Where the cleaning runs: in this process, in a local process pool, or on Ray.

Every executor does one thing: ``map(work, state, items)`` calls
``work(state, item)`` for each item and yields the results **in input
order**, so the change log and the listings of a parallel run are the ones
of a serial run, byte for byte. ``state`` (the cleaners) reaches each worker
once, when it starts, not with every item; ``work`` must be a module-level
function (it is pickled by name).

Work in flight is bounded: at most ``window`` items are submitted ahead of
the result being waited for, and the items are pulled from their iterator
only as room frees up, so a corpus is streamed through, never held, and
memory does not grow with it.

- :class:`Serial`: in this process (``--jobs 1``, or one item).
- :class:`ProcessPool`: ``--jobs N`` local processes
  (:class:`concurrent.futures.ProcessPoolExecutor`: a worker that dies makes
  the run fail with :class:`WorkerError` instead of hanging).
- :class:`RayExecutor`: ``--engine ray``, one actor per CPU of the Ray
  cluster (or ``--jobs`` of them); ``ray.init()`` joins the cluster that
  ``RAY_ADDRESS`` names, or starts a local one.

Interrupting a run (Ctrl-C) or losing a worker never leaves a half-written
file: every output is written to a temporary file and renamed
(:class:`cleaner.atomic.AtomicFile`), and the caller aborts its log.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

Work = Callable[[Any, Any], Any]

ENGINES = ("local", "ray")


class WorkerError(RuntimeError):
    """A worker process died (killed, out of memory, crashed) during a run."""


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class Executor:
    """Maps ``work(state, item)`` over items, results in input order."""

    workers = 1

    def map(self, work: Work, state: Any, items: Iterable[Any]) -> Iterator[Any]:
        raise NotImplementedError


class Serial(Executor):
    """Everything in this process, one item after the other."""

    def map(self, work: Work, state: Any, items: Iterable[Any]) -> Iterator[Any]:
        for item in items:
            yield work(state, item)


# The worker side of ProcessPool: what the initializer received, once per process.
_worker: tuple[Work, Any] | None = None


#: How often a worker checks that the process that started it is still there.
PARENT_CHECK_SECONDS = 0.5


def _exit_with_parent(parent: int) -> None:
    """End this worker once its parent is gone (killed with SIGKILL, say).

    Pool workers wait on a queue whose other end their siblings also hold, so
    a dead parent never gives them end-of-file: without this they would sleep
    forever. A file being written is left as its temporary file, as if the
    worker had been killed with the parent.
    """
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


#: Linux's prctl option that has the kernel signal a process when its parent dies.
PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """On Linux, have the kernel SIGKILL this worker the moment its parent dies.

    The polling thread (:func:`_exit_with_parent`) notices only within
    ``PARENT_CHECK_SECONDS``, time enough to finish the file in hand and put it
    in place after the run was killed. Elsewhere, or if prctl is not there, the
    thread alone does it.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _start_worker(work: Work, state: Any) -> None:
    global _worker
    _worker = (work, state)
    parent = os.getppid()
    _die_with_parent(parent)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    # Ctrl-C is the main process's to handle: it stops handing out work and
    # waits for the files being written to be finished, so none is cut short
    # (a worker interrupted mid-write would also be safe, but would leave its
    # temporary file behind when the pool then terminates it).
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _call(item: Any) -> Any:
    assert _worker is not None, "the pool's initializer did not run"
    work, state = _worker
    return work(state, item)


class ProcessPool(Executor):
    """``workers`` local processes; at most ``window`` items in flight (default 4 each)."""

    def __init__(self, workers: int, window: int | None = None) -> None:
        self.workers = max(1, workers)
        self.window = window or 4 * self.workers

    def map(self, work: Work, state: Any, items: Iterable[Any]) -> Iterator[Any]:
        # Imported here: multiprocessing is a tenth of the package's import time,
        # and a one-file run (a pre-commit hook) never starts a pool.
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        pool = ProcessPoolExecutor(self.workers, initializer=_start_worker, initargs=(work, state))
        pending: deque[Future] = deque()
        try:
            for item in items:
                try:
                    pending.append(pool.submit(_call, item))
                except BrokenProcessPool as exc:  # a worker died before this item was sent
                    raise _lost_worker() from exc
                if len(pending) >= self.window:
                    yield _result(pending.popleft())
            while pending:
                yield _result(pending.popleft())
        except BaseException:
            # Interrupted, a worker lost, or the consumer stopped early: drop what
            # has not started and let what is running finish its file (at most one
            # per worker), so every output is either whole or not there.
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)


def _result(future: Future) -> Any:
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise _lost_worker() from exc


def _lost_worker() -> WorkerError:
    return WorkerError(
        "a worker process died (killed, out of memory or crashed); "
        "nothing it was writing was left behind"
    )


class _RayWorker:
    """A Ray actor holding the state, built once (the cleaners compile on unpickling)."""

    def __init__(self, work: Work, state: Any) -> None:
        self.work = work
        self.state = state

    def run(self, item: Any) -> Any:
        return self.work(self.state, item)


class RayExecutor(Executor):
    """Ray actors, one per worker; ``workers=None``: one per CPU of the cluster.

    With ``RAY_ADDRESS`` set (or a runtime already started by the caller) the
    run joins that cluster; otherwise a local runtime is started with
    ``workers`` CPUs. Every node must see IN and OUT at the same paths (a
    shared file system): the actors read and write the files themselves. For
    data in object storage, use :func:`cleaner.integrations.ray.clean_dataset`.
    """

    def __init__(self, workers: int | None = None, window: int | None = None) -> None:
        self.requested = workers
        self.workers = workers or 1
        self.window = window

    def map(self, work: Work, state: Any, items: Iterable[Any]) -> Iterator[Any]:
        try:
            import ray
        except ImportError:
            raise WorkerError(
                "--engine ray needs Ray: pip install '.[ray]' in a clean-articles checkout"
            ) from None
        if not ray.is_initialized():
            if os.environ.get("RAY_ADDRESS"):
                ray.init(log_to_driver=False)
            else:
                ray.init(
                    num_cpus=self.requested or available_cores(),
                    include_dashboard=False,
                    log_to_driver=False,
                )
        workers = self.requested or max(1, int(ray.cluster_resources().get("CPU", 1)))
        self.workers = workers
        window = self.window or 4 * workers
        actor = ray.remote(num_cpus=1)(_RayWorker)
        shared = ray.put(state)
        actors = [actor.remote(work, shared) for _ in range(workers)]
        pending: deque = deque()
        try:
            for number, item in enumerate(items):
                pending.append(actors[number % workers].run.remote(item))
                if len(pending) >= window:
                    yield _ray_result(ray, pending.popleft())
            while pending:
                yield _ray_result(ray, pending.popleft())
        finally:
            for handle in actors:
                ray.kill(handle)


def _ray_result(ray: Any, ref: Any) -> Any:
    try:
        return ray.get(ref)
    except ray.exceptions.RayActorError as exc:
        raise WorkerError(f"a Ray worker died: {exc}") from exc


def executor(engine: str = "local", jobs: int | None = None, items: int | None = None) -> Executor:
    """The executor for ``--engine``/``--jobs``: serial when one worker (or one item) is enough.

    ``jobs=None`` means every available core (locally) or every CPU of the
    cluster (Ray). ``items``, when known, caps the local pool's size.
    """
    if engine == "ray":
        return RayExecutor(jobs)
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r}; expected one of {ENGINES}")
    workers = jobs or available_cores()
    if items is not None:
        workers = min(workers, items)
    return ProcessPool(workers) if workers > 1 else Serial()
