"""One warm kernel per build worker, with a clean namespace for every notebook.

Starting a kernel and importing ipywidgets, pydantic and the toolkit into it
costs about a second per module. A worker keeps one kernel and, before each
notebook, resets its user namespace (IPython's ``%reset -f``): no variable of
one module can leak into the next, while imported modules and the loaded
curriculum stay warm. A kernel that died is replaced; the kernel is shut
down when the worker process exits.

The manager is asynchronous on purpose: with a synchronous KernelManager,
nbclient's client blocks its event loop while it waits for output, so its
execution timeout never fires and a hung cell holds the worker forever
(measured with nbclient 0.11). Sync callers here go through ``run_sync``.
"""

from __future__ import annotations

from multiprocessing.util import Finalize
from pathlib import Path
from typing import IO, Any

from jupyter_core.utils import run_sync

_state: dict[str, Any] = {}

RESET = "get_ipython().reset(new_session=False)"


def warm_kernel(log: Path, kernel_name: str) -> Any:
    """This worker's kernel manager for ``kernel_name`` (the notebook's kernelspec),
    started if needed, its namespace just reset."""
    from jupyter_client.manager import AsyncKernelManager

    manager = _state.get("manager")
    if manager is not None and manager.kernel_name != kernel_name:
        discard_kernel()
        manager = None
    if manager is None or not run_sync(manager.is_alive)():
        log.parent.mkdir(parents=True, exist_ok=True)
        stream: IO[bytes] = log.open("ab")  # kernel start-up notices go here, not to the terminal
        manager = AsyncKernelManager(kernel_name=kernel_name)
        run_sync(manager.start_kernel)(stdout=stream, stderr=stream)
        _state.update(manager=manager, stream=stream)
        Finalize(manager, _shutdown, args=(manager, stream), exitpriority=10)
    else:
        _reset(manager)
    return manager


def discard_kernel() -> None:
    """Shut this worker's kernel down now (it may still be running a cell that timed out);
    the next notebook starts a fresh one."""
    manager, stream = _state.pop("manager", None), _state.pop("stream", None)
    if manager is not None:
        _shutdown(manager, stream)


def _reset(manager: Any) -> None:
    client = manager.blocking_client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        client.execute_interactive(RESET, timeout=60, output_hook=lambda message: None)
    finally:
        client.stop_channels()


def _shutdown(manager: Any, stream: IO[bytes] | None) -> None:
    if manager.has_kernel:
        run_sync(manager.shutdown_kernel)(now=True)
    if stream is not None:
        stream.close()
