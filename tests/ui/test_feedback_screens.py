"""好差评 and 投诉建议 through the real widgets: the rating bar after a progress query or a print
(once per visit, never in the way), the poor-rating path with reasons and a callback phone,
the 评价建议 tile, complaints numbered with a receipt printed to the TCP emulator, the reset,
and the admin summary in maintainer mode."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from kiosk.feedback.models import Complaint, Rating
from maintenance_support import A, ADMIN, PINS, add_people
from ui.qt import QLabel, Qt

REVIEWING = ("YC2511170007", "5678")  # 食品经营许可（新办）


def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def texts(widget) -> str:
    from ui.qt import QApplication

    QApplication.processEvents()
    return "\n".join(w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget))


def ratings(services) -> list[Rating]:
    with services.database.session() as session:
        return list(session.scalars(select(Rating).order_by(Rating.id)))


def cases(services) -> list[Complaint]:
    with services.database.session() as session:
        return list(session.scalars(select(Complaint).order_by(Complaint.id)))


def sent(services, event):
    return [n for n in services.devices.notifier.sent if n.event == event]


def query_progress(qtbot, shell, settle, number=REVIEWING[0], verification=REVIEWING[1]):
    click(qtbot, shell.screens["home"].tiles["tile_progress"]) if shell.current[0] == "home" else shell.go("progress")
    settle(shell)
    screen = shell.screens["progress"]
    screen.select_field("number")
    click(qtbot, screen.keyboard.clear_key)
    for key in number.lower():
        click(qtbot, screen.keyboard.keys[key])
    screen.select_field("verify")
    for key in verification:
        click(qtbot, screen.keyboard.keys[key])
    click(qtbot, screen.query_button)
    settle(shell)
    assert screen.view is not None
    return screen


@pytest.fixture
def bar(shell):
    return shell.rating_offer.bar


def asking(bar) -> bool:
    """The bar shows the five levels (not just a thank-you)."""
    return bar.isVisible() and bar.levels_box.isVisible()


# --- the rating bar --------------------------------------------------------------------------------------


def test_after_a_progress_query_the_bar_asks_once_and_covers_neither_footer_nor_buttons(qtbot, shell, settle, services, bar):
    screen = query_progress(qtbot, shell, settle)
    assert bar.isVisible()
    assert "请您为本次服务评价" in bar.question.text()
    assert [b.text().split("\n")[1] for b in bar.level_buttons.values()] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    # 返回, 首页 and the result's own buttons stay uncovered and usable
    bar_bottom = bar.mapTo(shell, bar.rect().bottomLeft()).y()
    assert bar_bottom < shell.footer.mapTo(shell, shell.footer.rect().topLeft()).y()
    assert bar_bottom < screen.print_button.mapTo(shell, screen.print_button.rect().topLeft()).y()
    assert shell.home_button.isVisible() and shell.back_button.isVisible()

    click(qtbot, bar.level_buttons[4])
    settle(shell)
    assert "谢谢您的评价（满意）" in bar.thanks.text()
    [rating] = ratings(services)
    assert (rating.level, rating.source, rating.item_name, rating.terminal) == (4, "progress", "食品经营许可（新办）", "YC-HALL-01")
    assert rating.reasons == [] and rating.phone == ""

    click(qtbot, screen.again_button)  # another query in the same visit: not asked again
    query_progress(qtbot, shell, settle)
    assert not asking(bar)
    assert len(ratings(services)) == 1


def test_skipping_is_for_the_whole_visit_and_going_home_after_finishing_starts_a_new_one(qtbot, shell, settle, services, bar):
    screen = query_progress(qtbot, shell, settle)
    assert bar.isVisible() and bar.skip_button.isVisible()
    click(qtbot, bar.skip_button)
    assert not bar.isVisible()
    click(qtbot, screen.again_button)
    query_progress(qtbot, shell, settle)
    assert not bar.isVisible()  # skipped: not asked again in this visit
    click(qtbot, shell.home_button)  # finished and went home: the next person may come
    query_progress(qtbot, shell, settle)
    assert bar.isVisible()
    shell.reset_session()  # the inactivity reset ends the visit too, and hides the bar
    assert not bar.isVisible()
    query_progress(qtbot, shell, settle)
    assert bar.isVisible()
    assert ratings(services) == []


def test_home_works_while_the_bar_is_shown_and_the_bar_never_waits_for_the_next_person(qtbot, shell, settle, bar):
    query_progress(qtbot, shell, settle)
    assert bar.isVisible()
    click(qtbot, shell.home_button)
    assert shell.current[0] == "home"
    assert not bar.isVisible()


def test_the_bar_goes_away_by_itself_but_not_while_a_message_is_in_front(qtbot, shell, settle, bar, monkeypatch):
    import ui.rating

    monkeypatch.setattr(ui.rating, "AUTO_DISMISS_SECONDS", 2)
    query_progress(qtbot, shell, settle)
    offer = shell.rating_offer
    shell.overlays.show_message("printed", "打印完成", "请取走凭条。")
    offer._count()
    offer._count()
    assert offer.remaining == 2 and bar.isVisible()
    assert "2 秒后关闭" in bar.countdown.text()
    shell.overlays.close_all()
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=5000)


def test_a_printed_notice_offers_the_rating_with_its_item(qtbot, shell, settle, services, bar):
    shell.go("item", code="1141148100492981054010001")
    settle(shell)
    click(qtbot, shell.screens["item"].print_button)
    qtbot.waitUntil(lambda: shell.overlays.dialog_name() == "preview", timeout=5000)
    click(qtbot, shell.overlays.dialog.buttons["printButton"])
    qtbot.waitUntil(lambda: shell.overlays.dialog_name() == "printed", timeout=10000)
    assert bar.isVisible()
    click(qtbot, bar.level_buttons[5])
    settle(shell)
    [rating] = ratings(services)
    assert (rating.level, rating.source, rating.item_code) == (5, "print", "1141148100492981054010001")


def test_elder_mode_bar_buttons_are_large(qtbot, shell, settle, bar):
    shell.set_elder(True)
    query_progress(qtbot, shell, settle)
    for b in (*bar.level_buttons.values(), bar.skip_button):
        assert b.width() >= 90 and b.height() >= 90
    assert bar.geometry().right() <= shell.width()


# --- the poor rating --------------------------------------------------------------------------------------


def test_a_poor_rating_asks_why_and_for_an_optional_phone_shown_masked(qtbot, shell, settle, services, bar):
    query_progress(qtbot, shell, settle)
    click(qtbot, bar.level_buttons[1])
    settle(shell)
    screen = shell.screens["feedback"]
    assert shell.current_screen() is screen and screen.page == "reasons"
    assert "非常不满意" in screen.reasons_heading.text()
    [rating] = ratings(services)
    assert rating.level == 1  # recorded at the tap: leaving now would not lose it

    click(qtbot, screen.reason_rows["slow"])
    click(qtbot, screen.reason_rows["repeated_materials"])
    for digit in "1381234567":  # one digit short
        click(qtbot, screen.reasons_keypad.keys[digit])
    click(qtbot, screen.reasons_submit)
    settle(shell)
    assert screen.page == "reasons"
    assert "手机号码应为 11 位" in screen.reasons_message.text()

    click(qtbot, screen.reasons_keypad.keys["8"])
    click(qtbot, screen.reasons_submit)
    settle(shell)
    assert screen.page == "thanks"
    assert "138****5678" in screen.thanks_label.text() and "13812345678" not in texts(shell)
    [rating] = ratings(services)
    assert rating.reasons == ["slow", "repeated_materials"] and rating.phone == "13812345678"
    [note] = sent(services, "poor_rating")
    assert "138****5678" in note.text and "材料反复要求、多次跑腿" in note.text
    shell.back()  # 返回: back to the result the citizen came from
    assert shell.current[0] == "progress"


def test_a_poor_rating_left_without_reasons_still_reaches_the_center(qtbot, shell, settle, services, bar):
    query_progress(qtbot, shell, settle)
    click(qtbot, bar.level_buttons[2])
    settle(shell)
    assert shell.screens["feedback"].page == "reasons"
    click(qtbot, shell.home_button)
    settle(shell)
    [rating] = ratings(services)
    assert rating.details_at is not None and rating.reasons == []
    [note] = sent(services, "poor_rating")
    assert "不满意" in note.title and "未留回访电话" in note.text


def test_no_reasons_is_a_choice_too(qtbot, shell, settle, services):
    click(qtbot, shell.screens["home"].tiles["tile_feedback"])
    screen = shell.screens["feedback"]
    click(qtbot, screen.rate_entry)
    click(qtbot, screen.level_buttons[2])
    settle(shell)
    click(qtbot, screen.reasons_skip)
    settle(shell)
    assert screen.page == "thanks"
    assert [(r.level, r.source, r.reasons) for r in ratings(services)] == [(2, "tile", [])]


# --- the 评价建议 tile -----------------------------------------------------------------------------------


def test_rating_from_the_tile_once_per_visit(qtbot, shell, settle, services, bar):
    click(qtbot, shell.screens["home"].tiles["tile_feedback"])
    screen = shell.screens["feedback"]
    click(qtbot, screen.rate_entry)
    assert screen.page == "rate"
    assert [b.text().split()[-1] for b in screen.level_buttons.values()] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    click(qtbot, screen.level_buttons[5])
    settle(shell)
    assert screen.page == "thanks" and "非常满意" in screen.thanks_label.text()
    shell.back()
    assert screen.page == "choose"
    assert not screen.rate_entry.isVisible() and screen.rated_note.isVisible()
    query_progress(qtbot, shell, settle)
    assert not asking(bar)  # rated already in this visit
    assert [r.level for r in ratings(services)] == [5]


# --- complaints and suggestions ----------------------------------------------------------------------------


def tap(qtbot, shell, settle, screen, widget):
    """Scroll the form to ``widget`` (as a finger drags its scroll bar), then tap it."""
    screen.complaint_scroll.ensureWidgetVisible(widget, 0, 0)
    settle(shell)
    click(qtbot, widget)


def choose(qtbot, shell, settle, screen, kind, subject):
    """Tap 投诉/建议 and a subject; its phrases appear (laid out before the next tap)."""
    click(qtbot, screen.kind_buttons[kind])
    click(qtbot, screen.subject_buttons[subject])
    settle(shell)


def open_form(qtbot, shell):
    click(qtbot, shell.screens["home"].tiles["tile_feedback"]) if shell.current[0] == "home" else shell.go("feedback")
    screen = shell.screens["feedback"]
    click(qtbot, screen.complain_entry)
    assert screen.page == "complaint"
    return screen


def test_a_complaint_gets_a_number_and_a_receipt(qtbot, printing_shell, emulator, settle, services):
    shell = printing_shell
    screen = open_form(qtbot, shell)
    choose(qtbot, shell, settle, screen, "complaint", "attitude")
    assert [r.title_label.text().removeprefix("☐  ") for r in screen.phrase_rows][0] == "工作人员态度生硬"
    click(qtbot, screen.phrase_rows[0])
    click(qtbot, screen.phrase_rows[1])
    qtbot.keyClicks(screen.text_field, "A05")  # a helper's keyboard
    tap(qtbot, shell, settle, screen, screen.phone_keys_button)
    settle(shell)  # the number pad opens below the field, scrolled into view
    assert screen.phone_keypad.isVisible()
    for digit in "13812345678":
        click(qtbot, screen.phone_keypad.keys[digit])
    click(qtbot, screen.complaint_submit)
    settle(shell)
    qtbot.waitUntil(lambda: shell.overlays.dialog_name() == "printed", timeout=10000)

    today = f"{date.today():%Y%m%d}"
    assert screen.page == "done"
    assert screen.done_number.text() == f"编号：TS-{today}-001"
    assert "138****5678" in screen.done_text.text()
    [case] = cases(services)
    assert (case.kind, case.subject, case.text, case.phone) == ("complaint", "attitude", "工作人员态度生硬；问问题没人理；A05", "13812345678")
    [note] = sent(services, "complaint")
    assert f"TS-{today}-001" in note.title and "13812345678" not in note.text

    job = emulator.wait_for_jobs(1, timeout=5)[0]
    assert job.cut and not job.undecodable
    assert "投诉受理回执" in job.text
    assert f"TS-{today}-001" in job.text
    assert "工作人员态度生硬；问问题没人理；A05" in job.text
    assert "138****5678" in job.text and "13812345678" not in job.text

    shell.overlays.close_all()
    click(qtbot, screen.reprint_button)  # the receipt again (printed straight away)
    qtbot.waitUntil(lambda: shell.overlays.dialog_name() == "printed", timeout=10000)
    assert f"TS-{today}-001" in emulator.wait_for_jobs(2, timeout=5)[1].text

    shell.overlays.close_all()
    second = open_form(qtbot, shell)
    assert second.text_field.text() == "" and second.complaint_phone.text() == ""  # a fresh form
    choose(qtbot, shell, settle, second, "complaint", "hall")
    click(qtbot, second.phrase_rows[0])
    click(qtbot, second.complaint_submit)
    settle(shell)
    assert second.done_number.text() == f"编号：TS-{today}-002"
    shell.overlays.close_all()
    third = open_form(qtbot, shell)
    choose(qtbot, shell, settle, third, "suggestion", "terminal")
    click(qtbot, third.phrase_rows[1])
    click(qtbot, third.complaint_submit)
    settle(shell)
    assert third.done_number.text() == f"编号：JY-{today}-001"
    assert [c.text for c in cases(services)][2] == "建议字再大一些"
    qtbot.waitUntil(lambda: len(emulator.jobs) >= 4, timeout=10000)
    assert "建议受理回执" in emulator.jobs[3].text


def test_an_incomplete_complaint_is_explained_and_nothing_is_sent(qtbot, shell, settle, services):
    screen = open_form(qtbot, shell)
    click(qtbot, screen.complaint_submit)
    assert "请在②中选择" in screen.complaint_message.text()
    choose(qtbot, shell, settle, screen, "complaint", "quality")
    click(qtbot, screen.complaint_submit)
    assert "请点选一条常用语" in screen.complaint_message.text()
    click(qtbot, screen.phrase_rows[0])
    qtbot.keyClicks(screen.complaint_phone, "12345")
    click(qtbot, screen.complaint_submit)
    settle(shell)
    assert "手机号码应为 11 位" in screen.complaint_message.text()
    assert screen.page == "complaint" and cases(services) == []


def test_when_the_receipt_cannot_print_the_number_is_still_there_with_what_to_do(qtbot, printing_shell, emulator, settle):
    shell = printing_shell
    emulator.state.update(paper="out")
    screen = open_form(qtbot, shell)
    choose(qtbot, shell, settle, screen, "complaint", "terminal")
    click(qtbot, screen.phrase_rows[0])
    click(qtbot, screen.complaint_submit)
    settle(shell)
    qtbot.waitUntil(lambda: shell.overlays.dialog_name() == "printFailed", timeout=10000)
    assert screen.page == "done" and screen.done_number.text().startswith("编号：TS-")
    assert "请记下编号 TS-" in shell.overlays.dialog.text.text()


def test_nothing_of_the_citizen_stays_after_the_reset(qtbot, shell, settle):
    screen = open_form(qtbot, shell)
    choose(qtbot, shell, settle, screen, "complaint", "hall")
    click(qtbot, screen.phrase_rows[0])
    qtbot.keyClicks(screen.text_field, "abc")
    qtbot.keyClicks(screen.complaint_phone, "13812345678")
    shell.reset_session()
    settle(shell)
    assert screen.text_field.text() == "" and not screen.text_field.isUndoAvailable()
    assert screen.complaint_phone.text() == "" and not screen.complaint_phone.isUndoAvailable()
    assert screen.subject == "" and screen.phrase_rows == [] and screen.page == "choose"
    assert not any(b.isChecked() for b in screen.subject_buttons.values())


def test_screenshots_record_nothing_and_tell_the_center_nothing(screenshot_shell, services, tmp_path):
    from ui.screenshots import render
    from ui.screenshots.feedback import FEEDBACK_SCREENS

    shell = screenshot_shell

    for name in FEEDBACK_SCREENS:
        render(shell, name, tmp_path / f"{name}.png")
    shell.reset_session()
    shell.pools.wait()
    assert ratings(services) == [] and cases(services) == []
    assert [n for n in services.devices.notifier.sent if n.event in ("poor_rating", "complaint", "suggestion")] == []


# --- the admin summary -----------------------------------------------------------------------------------------


def sign_in(qtbot, shell, staff_id):
    shell.screens["maintainer"].open_pin_pad()
    pad = shell.overlays.dialog
    for digit in staff_id:
        click(qtbot, pad.keys[digit])
    click(qtbot, pad.buttons["signInButton"])
    for digit in PINS[staff_id]:
        click(qtbot, pad.keys[digit])
    click(qtbot, pad.buttons["signInButton"])


def test_the_admin_sees_the_summary_and_a_maintainer_does_not(qtbot, shell, settle, services):
    add_people(services.staff)
    for level in (5, 5, 4, 1):
        services.rate(level, source="tile")
    services.submit_feedback("complaint", "attitude", "工作人员态度生硬", phone="13812345678")
    sign_in(qtbot, shell, ADMIN)
    settle(shell)
    maintainer = shell.screens["maintainer"]
    assert shell.current_screen() is maintainer
    assert maintainer.tab_buttons["summary"].isVisible()
    click(qtbot, maintainer.tab_buttons["summary"])
    settle(shell)
    panel = maintainer.summary
    shown = texts(panel)
    assert "共 4 条，满意率 75.0%" in shown
    assert panel.findChild(QLabel, "summaryLevel_5").text() == "2"
    assert panel.findChild(QLabel, "summaryLevel_1").text() == "1"
    assert "未办结 1 条" in shown and "138****5678" in shown and "13812345678" not in shown
    assert services.staff.audit_entries(1)[0].action == "report.summary"
    click(qtbot, maintainer.exit_button)
    settle(shell)
    assert panel.summary is None and "138****5678" not in texts(panel)  # nothing stays

    sign_in(qtbot, shell, A)
    settle(shell)
    assert shell.current_screen() is maintainer
    assert not maintainer.tab_buttons["summary"].isVisible()
    with pytest.raises(Exception) as refused:
        services.admin_summary(maintainer.session, date.today(), date.today())
    assert "只有管理员" in str(refused.value)
