"""Execute report notebooks with Papermill in warm kernels.

Papermill normally starts a new kernel per notebook: seconds of start-up plus the
imports and data loading of ``datalk``, repeated for each of ~250 reports. Here each
worker process keeps one kernel alive and runs report after report in it through
Papermill (parameter injection, error capture and cell metadata stay Papermill's):
the ``datalk-warm`` engine passes the worker's kernel manager to Papermill's
notebook client, which then leaves the kernel running, and clears the user
namespace (``%reset -f``) before each notebook. Imported modules, the territory
table and the profile lookups stay warm, so the second and later reports in a
kernel cost only their own rendering.

A kernel that dies or times out is replaced; a failing cell fails only its report.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import re
import shutil
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat

from datalk.reports import render
from datalk.reports.colophon import colophon_html
from datalk.reports.plan import ReportJob

log = logging.getLogger(__name__)
ENGINE = "datalk-warm"
CELL_TIMEOUT = int(os.environ.get("DATALK_REPORT_CELL_TIMEOUT", "900"))
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: Forget the previous report's variables (what ``%reset -f`` does, without its full gc.collect()
#: over the warm caches on every report; cyclic garbage is still collected by the normal GC).
RESET = (
    "[get_ipython().user_ns.pop(k) for k in list(get_ipython().user_ns)"
    " if not k.startswith('_') and k not in get_ipython().user_ns_hidden]"
)
WARM_UP = "import datalk.app.report, datalk.reports.profile\nfrom datalk import sources\nsources.geography()"


@dataclass
class Outcome:
    """What happened to one report."""

    job_id: str
    ok: bool
    html: str | None = None  # path relative to the output directory
    pdf: str | None = None
    seconds: float = 0.0
    pdf_seconds: float = 0.0
    error: str | None = None
    detail: str | None = None  # the failing cell's traceback (plain text)
    warnings: list[str] = field(default_factory=list)
    worker: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _engine_class():
    """Papermill's nbclient engine, subclassed to reuse one kernel (imports are lazy: spawn workers)."""
    from jupyter_client.manager import AsyncKernelManager
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine

    class WarmClient(PapermillNotebookClient):
        def papermill_execute_cells(self):
            # a fresh namespace per report; modules and library caches stay loaded
            self.wait_for_reply(self.kc.execute(RESET, silent=True, store_history=False))
            super().papermill_execute_cells()

    class WarmEngine(NBClientEngine):
        km = None
        sockets: Path | None = None
        kernel_cwd: str | None = None

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=120,
            execution_timeout=None,
            **kwargs,
        ):
            if cls.km is None or not cls.km.has_kernel:
                # IPC sockets in a private directory: no TCP ports, no "unencrypted TCP" warning
                cls.sockets = Path(tempfile.mkdtemp(prefix="datalk-kernel-"))
                cls.km = AsyncKernelManager(
                    kernel_name=kernel_name, transport="ipc", ip=str(cls.sockets / "k")
                )
            client = WarmClient(
                nb_man,
                km=cls.km,
                timeout=execution_timeout or CELL_TIMEOUT,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=log,
                resources={"metadata": {"path": cls.kernel_cwd}},
            )
            try:
                return client.execute()
            finally:
                atexit.unregister(client._cleanup_kernel)  # the worker shuts the kernel down itself
                if client.kc is not None:
                    client.kc.stop_channels()

        @classmethod
        def shutdown(cls) -> None:
            if cls.km is not None and cls.km.has_kernel:
                from jupyter_core.utils import run_sync

                with contextlib.suppress(Exception):  # already gone
                    run_sync(cls.km.shutdown_kernel)(now=True)
            cls.km = None
            if cls.sockets is not None:
                shutil.rmtree(cls.sockets, ignore_errors=True)
                cls.sockets = None

    return WarmEngine


_WORKER: dict = {}


def init_worker(notebooks_dir: str, env: dict[str, str], warm: bool = True) -> None:
    """Process-pool initializer: environment, the warm engine and (optionally) a warmed kernel."""
    os.environ.update(env)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    logging.basicConfig(level=logging.ERROR)
    for noisy in ("papermill", "traitlets", "nbclient"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    from papermill.engines import papermill_engines

    engine = _engine_class()
    engine.kernel_cwd = notebooks_dir
    papermill_engines.register(ENGINE, engine)
    _WORKER.update(engine=engine, notebooks=Path(notebooks_dir), pid=os.getpid())
    atexit.register(engine.shutdown)
    if warm:
        _warm_up()


def _warm_up() -> None:
    import papermill as pm

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(WARM_UP)]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    try:
        pm.execute_notebook(
            notebook, None, engine_name=ENGINE, progress_bar=False, kernel_name="python3"
        )
    except Exception as exc:  # the real reports will report the problem
        log.warning("warm-up failed: %s", exc)


def run_job(job: ReportJob, out_dir: str, built_at: str, keep_notebook: bool = False) -> Outcome:
    """Execute one report and write its HTML; never raises (the outcome carries the reason)."""
    started = time.perf_counter()
    outcome = Outcome(job.id, ok=False, worker=os.getpid())
    try:
        executed = _execute(job, outcome)
        if executed is not None:
            target = Path(out_dir) / f"{job.path}.html"
            meta = {
                "title": job.title,
                "language": job.parameters.get("language", "cs"),
                "report_id": job.id,
                "version": _version(),
                "colophon": colophon_html(
                    job.title,
                    list(job.sources),
                    datetime.fromisoformat(built_at),
                    job.binder,
                    job.id,
                ),
            }
            _write(target, render.to_html(executed, meta))
            outcome.ok, outcome.html = True, f"{job.path}.html"
            if keep_notebook:
                _write(Path(out_dir) / "notebooks" / f"{job.id}.ipynb", nbformat.writes(executed))
    except Exception as exc:  # rendering bugs: this report fails, the build goes on
        outcome.ok = False
        outcome.error = f"{type(exc).__name__}: {exc}"
        log.debug("%s", traceback.format_exc())
    outcome.seconds = round(time.perf_counter() - started, 3)
    return outcome


def _execute(job: ReportJob, outcome: Outcome):
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    notebook = _WORKER["notebooks"] / f"{job.notebook}.ipynb"
    if not notebook.exists():
        outcome.error = f"notebook notebooks/{job.notebook}.ipynb neexistuje"
        return None
    engine = _WORKER["engine"]
    try:
        executed = pm.execute_notebook(
            str(notebook),
            None,
            parameters=job.parameters,
            engine_name=ENGINE,
            progress_bar=False,
            kernel_name="python3",
        )
    except PapermillExecutionError as exc:
        outcome.error = f"{exc.ename}: {_short(exc.evalue)} (buňka {exc.cell_index + 1} notebooku {job.notebook})"
        outcome.detail = _ANSI.sub("", "\n".join(exc.traceback or []))[-4000:]
        return None
    except (DeadKernelError, CellTimeoutError, TimeoutError, RuntimeError) as exc:
        engine.shutdown()  # a dead or stuck kernel is replaced for the next report
        outcome.error = f"{type(exc).__name__}: {_short(str(exc))} (jádro restartováno)"
        return None
    outcome.warnings = _stderr(executed)
    return executed


def _stderr(notebook) -> list[str]:
    lines = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                lines.extend(x for x in output.get("text", "").splitlines() if x.strip())
    return [_short(x) for x in dict.fromkeys(lines)][:10]


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "…"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _version() -> str:
    from datalk import __version__

    return __version__
