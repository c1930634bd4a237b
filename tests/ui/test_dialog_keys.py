"""Enter inside a dialog (issue 14): it never closes the dialog from a note or a multi-line
field, and nothing typed is lost. Typed with QTest keys, as a person would."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPlainTextEdit, QTextEdit, QWidget
from pytestqt.qtbot import QtBot

from rca_desk.model import ActionStatus
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.incident.action_editor import ActionEditor
from rca_desk.ui.incident.export_options import ExportOptionsDialog
from rca_desk.ui.incident.incident_tab import IncidentTab
from rca_desk.ui.workspace.main_window import MainWindow
from rca_desk.ui.workspace.new_incident import NewIncidentDialog
from tests.conftest import TODAY
from tests.ui.conftest import stored

S = ActionStatus

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

CHECKPOINT = "Release checkpoint: data-migration sign-off in the release checklist"


def click_into(qtbot: QtBot, widget: QWidget) -> None:
    """Put the caret in ``widget`` with a click, as a person does."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    assert widget.hasFocus()


def shown(qtbot: QtBot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    if isinstance(dialog, ActionEditor):
        dialog.confirm_discard = lambda: True  # type: ignore[method-assign]
    dialog.show()
    qtbot.waitExposed(dialog)
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    return dialog


def type_early_reason(qtbot: QtBot, editor: ActionEditor) -> None:
    """The reason the model wants when the check is before its day (it is, on the real
    clock, for the sample's dates)."""
    if editor.early_note.isVisibleTo(editor):
        click_into(qtbot, editor.early_note)
        qtbot.keyClicks(editor.early_note, "the audit was moved forward")


def implemented(document: IncidentDocument) -> str:
    return next(a.uid for a in document.incident.actions if a.status == S.IMPLEMENTED)


def test_enter_in_the_status_note_records_the_change_and_keeps_the_dialog_open(
    qtbot: QtBot, document: IncidentDocument
) -> None:
    uid = implemented(document)
    editor = ActionEditor(document, uid=uid, today=lambda: TODAY)
    shown(qtbot, editor)
    editor.next_status.setCurrentIndex(editor.next_status.findData(S.VERIFIED_EFFECTIVE.value))
    click_into(qtbot, editor.measured_edit)
    qtbot.keyClick(editor.measured_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.measured_edit, "0 data-loss incidents in 2 releases")
    type_early_reason(qtbot, editor)
    click_into(qtbot, editor.status_note)
    qtbot.keyClicks(editor.status_note, "Two releases with sign-off (release log)")
    qtbot.keyClick(editor.status_note, Qt.Key.Key_Return)

    assert editor.isVisible()
    assert editor.error_text() == ""
    seen = stored(document).action(uid)
    assert seen.status == S.VERIFIED_EFFECTIVE
    assert seen.history[-1].note.startswith("Two releases with sign-off (release log)")
    assert editor.status_label.text().startswith("Current status: verified effective")


def test_enter_in_the_note_when_refused_keeps_the_note_and_the_dialog(
    qtbot: QtBot, document: IncidentDocument
) -> None:
    uid = implemented(document)
    editor = ActionEditor(document, uid=uid, today=lambda: TODAY)
    shown(qtbot, editor)
    editor.next_status.setCurrentIndex(editor.next_status.findData(S.VERIFIED_EFFECTIVE.value))
    click_into(qtbot, editor.measured_edit)
    qtbot.keyClick(editor.measured_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor.measured_edit, Qt.Key.Key_Delete)
    click_into(qtbot, editor.status_note)
    qtbot.keyClicks(editor.status_note, "The evidence, typed at length")
    qtbot.keyClick(editor.status_note, Qt.Key.Key_Enter)  # the keypad's Enter

    assert editor.isVisible()
    assert "without its measured result" in editor.error_text()
    assert editor.status_note.text() == "The evidence, typed at length"
    assert stored(document).action(uid).status == S.IMPLEMENTED


def test_save_with_a_note_not_yet_recorded_says_so_instead_of_closing(
    qtbot: QtBot, document: IncidentDocument
) -> None:
    editor = ActionEditor(document, uid=implemented(document), today=lambda: TODAY)
    shown(qtbot, editor)
    click_into(qtbot, editor.status_note)
    qtbot.keyClicks(editor.status_note, "Checked on the March release")
    click_into(qtbot, editor.owner)
    qtbot.keyClick(editor.owner, Qt.Key.Key_Return)  # Enter in a line: the dialog's Save

    assert editor.isVisible()
    assert editor.error_text().startswith("The note is not recorded yet: press Mark ")
    assert editor.status_note.text() == "Checked on the March release"


def _new_action_editor(document: IncidentDocument) -> QDialog:
    return ActionEditor(document, root_causes=["tech-1"], today=lambda: TODAY)


def _existing_action_editor(document: IncidentDocument) -> QDialog:
    return ActionEditor(document, uid=document.incident.actions[0].uid, today=lambda: TODAY)


DIALOGS: dict[str, Callable[[IncidentDocument], QDialog]] = {
    "new action": _new_action_editor,
    "existing action": _existing_action_editor,
    "new incident": lambda _document: NewIncidentDialog(),
    "export options": lambda _document: ExportOptionsDialog(None),
}


@pytest.mark.parametrize("make", DIALOGS.values(), ids=DIALOGS.keys())
def test_enter_in_any_multi_line_field_of_a_dialog_adds_a_line(
    qtbot: QtBot, document: IncidentDocument, make: Callable[[IncidentDocument], QDialog]
) -> None:
    """The audit: every QPlainTextEdit and QTextEdit of every dialog in rca_desk/ui."""
    dialog = shown(qtbot, make(document))
    boxes = [
        box
        for box in dialog.findChildren(QPlainTextEdit) + dialog.findChildren(QTextEdit)
        if box.isVisibleTo(dialog) and box.isEnabled()
    ]
    for box in boxes:
        click_into(qtbot, box)
        qtbot.keyClick(box, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        before = box.toPlainText()
        qtbot.keyClicks(box, "first line")
        qtbot.keyClick(box, Qt.Key.Key_Return)
        qtbot.keyClick(box, Qt.Key.Key_Enter)
        qtbot.keyClicks(box, "second")
        assert dialog.isVisible(), box
        if not box.isReadOnly():
            assert box.toPlainText() == before + "first line\n\nsecond"
    assert dialog.isVisible()


def test_a_refusal_in_the_status_bar_goes_once_an_edit_works(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The stale error of the workshop: it stayed under a change that had worked."""
    window.show()
    window.files.add_sample()
    window.open_incident_action.trigger()
    view = window.tabs.currentWidget()
    assert isinstance(view, IncidentTab)
    view.views.setCurrentWidget(view.actions_panel)
    uid = next(a.uid for a in view.document.incident.actions if a.title == CHECKPOINT)
    editor = view.actions_panel.edit_action(uid)
    editor.confirm_discard = lambda: True  # type: ignore[method-assign]
    qtbot.waitExposed(editor)
    with qtbot.waitActive(editor):
        editor.activateWindow()
    editor.next_status.setCurrentIndex(editor.next_status.findData(S.VERIFIED_EFFECTIVE.value))
    qtbot.mouseClick(editor.change_button, Qt.MouseButton.LeftButton)
    refusal = window.statusBar().currentMessage()
    assert "needs a note" in refusal

    click_into(qtbot, editor.measured_edit)
    qtbot.keyClicks(editor.measured_edit, "0 data-loss incidents in 2 releases")
    type_early_reason(qtbot, editor)
    click_into(qtbot, editor.status_note)
    qtbot.keyClicks(editor.status_note, "Two releases with sign-off")
    qtbot.keyClick(editor.status_note, Qt.Key.Key_Return)

    assert editor.isVisible()
    assert view.document.incident.action(uid).status == S.VERIFIED_EFFECTIVE
    assert window.statusBar().currentMessage() == f"1 incident in {window.workspace.location}"
