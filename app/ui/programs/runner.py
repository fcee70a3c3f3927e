"""Running an external program on a temporary export of some samples.

Export (worker thread) → start the program with ``QProcess`` (no shell: the command line is split
with ``shlex`` and the placeholders are substituted per argument, see ``app.domain.programs``) →
its stdout and stderr, merged, go to the output panel as they come → its exit status is reported →
the temporary document is removed unless the person ticked "Keep the exported document".
"""

from __future__ import annotations

import codecs
import logging
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, Signal

from app.document import DocumentError
from app.document.files import remove_database_file
from app.domain.export import ExportCancelled, ExportResult
from app.domain.filters import SampleFilter
from app.domain.programs import ExternalProgram, Invocation, invocation
from app.ui import crash, messages
from app.ui.document_controller import DocumentController
from app.ui.export.flow import run_export
from app.ui.programs.output_panel import OutputPanel

log = logging.getLogger(__name__)


class ProgramRun(QObject):
    """One run of one program; ``ended`` once the program ended and the export is cleaned up."""

    ended = Signal()
    #: The program ended and its export is still there: a listener may ``hold_export()`` (to
    #: bring results back from it) and ``release_export()`` later; otherwise it is cleaned up now.
    program_ended = Signal(object)

    def __init__(
        self,
        controller: DocumentController,
        panel: OutputPanel,
        program: ExternalProgram,
        sample_filter: SampleFilter,
        description: str,
    ) -> None:
        super().__init__(controller)
        self.controller = controller
        self.panel = panel
        self.program = program
        self.filter = sample_filter
        self.description = description
        self.export: ExportResult | None = None
        self.invocation: Invocation | None = None
        self.process: QProcess | None = None
        self.exit_code: int | None = None
        self.error: str | None = None
        self.finished = False
        self._held = False
        self._keep_once = False
        self._abandoned = False
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    # -- export ---------------------------------------------------------------------------------

    def start(self) -> bool:
        """Begin with the export; False when the window cannot export now (busy, no document)."""
        name = self.program.name
        started = run_export(
            self.controller,
            self.filter,
            None,
            label=messages.program_exporting(name, self.description),
            on_done=self._exported,
            on_error=self._export_failed,
        )
        if started is None:
            return False
        self.panel.begin(messages.program_exporting(name, self.description))
        self.panel.set_running(True)
        return True

    def _export_failed(self, error: BaseException) -> None:
        if isinstance(error, ExportCancelled):  # the person's choice, not a failure
            self._fail(error.message, "")
            self._end()
            return
        # A person's error is told in the output panel; a bug gets the crash box.
        crash.report(error, presenter=self.controller.presenter, then=self._end, inline=self._fail)

    # -- the program ----------------------------------------------------------------------------

    def _exported(self, result: ExportResult) -> None:
        self.export = result
        document = self.controller.document
        title = self.controller.title if document is not None else result.path.stem
        try:
            self.invocation = invocation(self.program, db=result.path, title=title)
        except DocumentError as error:
            self._fail(*messages.program_not_configured(self.program.name, error))
            self._cleanup()
            return
        process = QProcess(self)
        self.process = process
        process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        process.setProgram(self.invocation.program)
        process.setArguments(list(self.invocation.arguments))
        folder = self.invocation.working_folder
        if folder is None and document is not None and document.path is not None:
            folder = document.path.parent
        process.setWorkingDirectory(str(folder if folder is not None else Path.home()))
        process.readyReadStandardOutput.connect(self._read)
        process.errorOccurred.connect(self._process_error)
        process.finished.connect(self._process_finished)
        running = messages.program_running(self.program.name, result.samples)
        self.panel.set_status(running)
        self.panel.note(f"{running} ({result.path.name})")
        process.start()

    def _read(self) -> None:
        if self.process is not None:
            data = bytes(self.process.readAllStandardOutput().data())
            self.panel.append(self._decoder.decode(data))

    def _process_error(self, error: QProcess.ProcessError) -> None:
        if error is not QProcess.ProcessError.FailedToStart or self.process is None:
            return  # crashes and the like also end in ``finished``
        program = self.invocation.program if self.invocation is not None else ""
        detail = self.process.errorString()
        self._fail(*messages.program_not_started(self.program.name, program, detail))
        self._cleanup()

    def _process_finished(self, exit_code: int, exit_status: QProcess.ExitStatus) -> None:
        self._read()
        tail = self._decoder.decode(b"", final=True)
        if tail:
            self.panel.append(tail)
        if exit_status is QProcess.ExitStatus.NormalExit:
            self.exit_code = exit_code
            text = messages.program_finished(self.program.name, exit_code)
            self.panel.set_status(text, error=exit_code != 0)
        else:
            text = messages.program_crashed(self.program.name)
            self.error = text
            self.panel.set_status(text, error=True)
        self.panel.note(text)
        if self.export is not None and not self._abandoned:
            self.program_ended.emit(self)
        if not self._held:
            self._cleanup()

    def hold_export(self) -> None:
        """Keep the export until ``release_export`` (the program has ended; results may be in it)."""
        self._held = True

    def release_export(self, keep: bool = False) -> None:
        """Clean up as usual after ``hold_export``; ``keep`` keeps the export this once."""
        if self._held:
            self._held = False
            self._keep_once = keep
            self._cleanup()

    def stop(self) -> None:
        """Stop the program (the Stop button)."""
        if (
            self.process is not None
            and self.process.state() is not QProcess.ProcessState.NotRunning
        ):
            self.process.kill()

    def abandon(self) -> None:
        """The window is closing: stop the program now and clean up (nothing is offered)."""
        self._abandoned = True
        self._held = False
        if (
            self.process is not None
            and self.process.state() is not QProcess.ProcessState.NotRunning
        ):
            self.process.kill()
            self.process.waitForFinished(5000)
        self._cleanup()

    # -- ending ---------------------------------------------------------------------------------

    def _fail(self, message: str, next_step: str) -> None:
        self.error = f"{message} {next_step}".strip()
        self.panel.set_status(self.error, error=True)
        self.panel.note(self.error)

    def _cleanup(self) -> None:
        if self.finished:
            return
        self.finished = True
        if self.export is not None:
            path = self.export.path
            registry = self.controller.temporary_exports
            if self.panel.keep_check.isChecked() or self._keep_once:
                registry.keep(path)
                self.panel.note(messages.export_kept(path))
            else:
                try:
                    remove_database_file(path)
                except OSError:  # pragma: no cover - removed again when the window closes
                    log.exception("could not remove the temporary export %s", path)
                else:
                    registry.forget(path)
                    self.panel.note(messages.export_removed(path))
        self._end()

    def _end(self) -> None:
        self.finished = True
        self.panel.set_running(False)
        self.ended.emit()
