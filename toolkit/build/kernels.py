"""One warm kernel per build worker, with a clean namespace for every notebook.

Starting a kernel and importing ipywidgets, pydantic and the toolkit into it
costs about a second per module. A worker keeps one kernel and, before each
notebook, resets its user namespace (IPython's ``%reset -f``): no variable of
one module can leak into the next, while imported modules and the loaded
curriculum stay warm. A kernel that died is replaced; the kernel is shut
down when the worker process exits.
"""

from __future__ import annotations

from multiprocessing.util import Finalize
from pathlib import Path
from typing import IO, Any

_state: dict[str, Any] = {}

RESET = "get_ipython().reset(new_session=False)"


def warm_kernel(log: Path) -> Any:
    """This worker's kernel manager, started if needed, its namespace just reset."""
    from jupyter_client.manager import KernelManager

    manager = _state.get("manager")
    if manager is None or not manager.is_alive():
        log.parent.mkdir(parents=True, exist_ok=True)
        stream: IO[bytes] = log.open("ab")  # kernel start-up notices go here, not to the terminal
        manager = KernelManager(kernel_name="python3")
        manager.start_kernel(stdout=stream, stderr=stream)
        _state.update(manager=manager, stream=stream)
        Finalize(manager, _shutdown, args=(manager, stream), exitpriority=10)
    else:
        _reset(manager)
    return manager


def _reset(manager: Any) -> None:
    client = manager.blocking_client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        client.execute_interactive(RESET, timeout=60, output_hook=lambda message: None)
    finally:
        client.stop_channels()


def _shutdown(manager: Any, stream: IO[bytes]) -> None:
    if manager.is_alive():
        manager.shutdown_kernel(now=True)
    stream.close()
