"""Edit ▸ New Sample, Delete Samples, Add Measurement, Delete Measurements of one window.

Each makes an undoable command, has the controller perform it, tells a refusal through the error
route and then selects what the person will want to work on next.
"""

from __future__ import annotations

from app.domain.sample_edits import SampleFields, next_free_code
from app.ui.document_controller import DocumentController
from app.ui.undo import DeleteSamples, NewSample
from app.ui.widgets.sample_detail import SampleDetail
from app.ui.widgets.samples_panel import SamplesPanel

#: The name a new sample starts with (selected, so typing replaces it).
NEW_SAMPLE_NAME = "New sample"


class SampleActions:
    def __init__(
        self, controller: DocumentController, samples: SamplesPanel, detail: SampleDetail
    ) -> None:
        self._controller = controller
        self._samples = samples
        self._detail = detail

    def new_sample(self) -> None:
        c = self._controller
        connection = c.connection
        if connection is None or c.read_only:
            return
        fields = SampleFields(code=next_free_code(connection), name=NEW_SAMPLE_NAME)
        command = NewSample(c, fields)
        error = c.perform(command)
        if error is not None:
            c.show_error(error)
            return
        if command.sample_id is not None:
            self._samples.select(command.sample_id)
            editor = self._detail.editors["name"]
            editor.setFocus()
            if hasattr(editor, "selectAll"):
                editor.selectAll()

    def delete_samples(self) -> None:
        c = self._controller
        ids = tuple(self._samples.selected_ids())
        if not ids or c.read_only:
            return
        model = self._samples.model
        row = model.row_of(ids[0]) or 0
        error = c.perform(DeleteSamples(c, ids))
        if error is not None:
            c.show_error(error)
            return
        self._samples.select_row(min(row, model.rowCount() - 1))

    def add_measurement(self) -> None:
        """A new row like the one above it (same quantity and unit), its value being typed."""
        self._detail.measurements_grid.start_new_row()

    def delete_measurements(self) -> None:
        self._detail.measurements_grid.delete_selected()
