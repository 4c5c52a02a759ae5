"""The notebook kernels of a run: the project's kernel spec, and kernels kept across notebooks.

Starting a kernel and importing the scientific stack costs about two seconds, more than many
notebooks take to run. Each worker of the runner therefore keeps one kernel for all its
notebooks and clears it between them: user variables, figures and matplotlib settings are
reset, only imported modules and cached reference tables stay. A kernel that died is replaced.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook
from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

# One kernel name per Python environment: a spec of another environment found earlier on the
# Jupyter path (JUPYTER_PATH, the user's folder) can never run this environment's notebooks.
KERNEL = "crm-diagnostic-" + hashlib.sha256(sys.prefix.encode()).hexdigest()[:10]

# Run in a kept kernel before each notebook; `%reset -f` also empties the output history,
# and collects the garbage. What survives it (modules, cached reference tables) stays for the
# kernel's life: frozen, the next collection passes it over and looks only at what the next
# notebook made (the whole heap took it about 0.35 s, before every notebook).
CLEAR = ("%reset -f\n"
         "from analysis.report.notebook import clear_session\n"
         "clear_session()\n"
         "del clear_session\n"
         "import gc\n"
         "gc.freeze()\n"
         "del gc")


def ensure_kernel() -> str:
    """The project's kernel, running this environment's Python, installed here if needed."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
            "--IPKernelApp.log_level=CRITICAL",  # no shutdown chatter in the run log
            # no input history written to IPython's SQLite file: a notebook run never reads
            # it back, and writing it cost each kernel a thread's work after every cell
            "--HistoryManager.enabled=False"]
    try:
        if KernelSpecManager().get_kernel_spec(KERNEL).argv == argv:
            return KERNEL
    except NoSuchKernel:
        pass
    folder = Path(sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL
    folder.mkdir(parents=True, exist_ok=True)
    spec = {"argv": argv, "display_name": "CRM diagnostic (Python 3)", "language": "python",
            "metadata": {"debugger": False}}
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return KERNEL


class QuietClient(AsyncKernelClient):
    """A client without the heartbeat channel. Whether the kernel lives is asked of its
    manager (the process), as clients made by a manager always do; and a heartbeat thread
    whose ping never leaves cannot be stopped, which once held a whole run at its end."""

    _ready = False

    def start_channels(self, shell: bool = True, iopub: bool = True, stdin: bool = True,
                       hb: bool = False, control: bool = True) -> None:
        super().start_channels(shell=shell, iopub=iopub, stdin=stdin, hb=False,
                               control=control)

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Wait once, for the kernel's first answer. Waiting ends by listening 0.2 s for
        more output; a kept client (`KeptKernel`) was asked again before every notebook and
        before each clearing, and its kernel, alive, answers as soon as asked."""
        if not self._ready:
            await super()._async_wait_for_ready(timeout)
            self._ready = True


class KeptKernel(AsyncKernelManager):
    """A kernel that outlives one notebook. Use it from one thread only.

    Pass it as `km` to papermill or nbclient: they start it on first use and leave it
    running. They all get one client, whose channels stay open from one notebook to the
    next: a new client's first message waited for its subscription to the kernel's output
    (0.2 s, twice a notebook: the clearing and the notebook). Each reply and output is
    matched to its request, so nothing left over from one notebook reaches the next.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(kernel_name=KERNEL, client_class=f"{__name__}.QuietClient",
                         **kwargs)
        self._client = None
        self._unstarted: list = []  # clients made before the kernel started: not kept

    def client(self, **kwargs):
        if not self.has_kernel:  # no kernel to connect to yet
            client = super().client(**kwargs)
            self._unstarted.append(client)
            return client
        if self._client is None:
            self._client = super().client(**kwargs)
        return self._client

    def ready(self) -> bool:
        """Ready for the next notebook: not started yet, or alive and cleared. False if it
        died or could not be cleared; then it is to be replaced."""
        if not self.has_kernel:
            return True
        try:
            if run_sync(self.is_alive)():
                self.clear()
                return True
        except Exception:  # noqa: BLE001 - any failure here means: replace the kernel
            pass
        return False

    def warm_up(self, code: str, cwd: str) -> None:
        """Start the kernel in the folder `cwd` (the notebooks') and run `code` in it
        (imports), before any notebook. A failure is left to the first notebook to meet and
        report: `ready` replaces a kernel that died, and clears one that lives."""
        try:
            NotebookClient(new_notebook(cells=[new_code_cell(code)]), km=self,
                           kernel_name=KERNEL, timeout=120,
                           resources={"metadata": {"path": cwd}}).execute()
        except Exception:  # noqa: BLE001 - see above
            pass
        finally:
            self.release()

    def clear(self) -> None:
        """Forget everything the last notebook left behind."""
        NotebookClient(new_notebook(cells=[new_code_cell(CLEAR)]), km=self,
                       kernel_name=KERNEL, timeout=60).execute()
        self.release()

    def release(self) -> None:
        """A notebook is done: its client stays open for the next (see the class); one
        made before the kernel started is closed."""
        for client in self._unstarted:
            client.stop_channels()
        self._unstarted.clear()

    def stop(self) -> None:
        """Stop the kernel at once: its notebooks are done and nothing in it is kept (a
        graceful shutdown waited seconds at the end of every run)."""
        self.release()
        if self._client is not None:
            self._client.stop_channels()
            self._client = None
        if self.has_kernel:
            run_sync(self.shutdown_kernel)(now=True)
        run_sync(self.cleanup_resources)()


class _SavedOnce(NotebookExecutionManager):
    """Writes the executed notebook once, when it completes, whether it failed or not.
    Papermill also writes it before and after every cell, to follow long runs: here a
    notebook takes seconds, and the writing cost the runner more than the cells did."""

    _complete = False

    def save(self, **kwargs) -> None:
        if self._complete:
            super().save(**kwargs)

    def notebook_complete(self, **kwargs) -> None:
        self._complete = True
        super().notebook_complete(**kwargs)


class Engine(NBClientEngine):
    """Papermill's nbclient engine, writing the executed notebook once (`_SavedOnce`), with a
    fixed id for the injected parameters cell (so a rebuilt page is the same bytes)."""

    @classmethod
    def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True,
                         log_output=False, autosave_cell_every=30, **kwargs):
        for cell in nb.cells:  # papermill draws a random id for the cell it injects
            if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
                cell["id"] = "injected-parameters"
        manager = _SavedOnce(nb, output_path=output_path, progress_bar=progress_bar,
                             log_output=log_output, autosave_cell_every=autosave_cell_every)
        manager.notebook_start()
        try:
            cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
        finally:
            manager.cleanup_pbar()
            manager.notebook_complete()
        return manager.nb


ENGINE = "crm-saved-once"
papermill_engines.register(ENGINE, Engine)
