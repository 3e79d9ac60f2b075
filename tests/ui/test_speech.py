"""The terminal's voice in the shell: greeting, 朗读 on every screen, the item's key lines, the
progress answer, elder mode reading by itself, the farewell, and silence at once on reset."""

from __future__ import annotations

from ui.qt import Qt


class RecordingSpeaker:
    """Stands in for espeak-ng: records what would be said and when it was stopped."""

    enabled = True
    speaking = False

    def __init__(self):
        self.said: list[str] = []
        self.events: list[str] = []

    def say(self, text, language="zh_CN"):
        self.said.append(text)
        self.events.append("say")

    def stop(self):
        self.events.append("stop")

    def synthesize(self, text, path, language="zh_CN"):
        raise NotImplementedError


def recording(shell) -> RecordingSpeaker:
    speaker = RecordingSpeaker()
    shell.speech.speaker = speaker
    return speaker


def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_a_visit_is_greeted_and_seen_off(qtbot, shell, settle):
    speaker = recording(shell)
    assert shell.speech.button.isVisible()
    shell.go("search")
    assert len(speaker.said) == 1 and "欢迎来到" in speaker.said[0] and shell.center.name in speaker.said[0]
    shell.go("progress")
    assert len(speaker.said) == 1  # greeted once per visit; normal mode reads on request only
    shell.reset_session()
    assert speaker.events[-2:] == ["stop", "say"]  # what was being said stops, then the farewell
    assert "慢走" in speaker.said[-1]
    said = len(speaker.said)
    shell.reset_session()  # nobody here: no second farewell
    assert len(speaker.said) == said


def test_read_aloud_reads_the_screen_title(qtbot, shell, settle):
    speaker = recording(shell)
    shell.go("search")
    settle(shell)
    click(qtbot, shell.speech.button)
    assert "搜索事项" in speaker.said[-1]


def test_read_aloud_on_an_item_says_where_to_go_and_what_to_bring(qtbot, shell, settle):
    speaker = recording(shell)
    shell.go("item", code=_code_of(shell, "居民身份证补领"))
    settle(shell)
    click(qtbot, shell.speech.button)
    text = speaker.said[-1]
    assert text.startswith("居民身份证补领。")
    assert "号窗口" in text and "请带上：" in text and "办结" in text


def test_elder_mode_reads_each_screen_by_itself(qtbot, shell, settle):
    speaker = recording(shell)
    click(qtbot, shell.elder_button)
    assert "欢迎来到" in speaker.said[-1]
    code = _code_of(shell, "居民身份证补领")
    shell.go("item", code=code)
    settle(shell)
    assert speaker.said[-1].startswith("居民身份证补领。")  # the answer, not "正在打开…"


def test_elder_mode_doubles_the_time_outs(shell):
    normal = shell._idle_seconds()
    shell.set_elder(True)
    assert shell._idle_seconds() == (normal[0] * 2, normal[1] * 2)


def test_speech_off_hides_the_button(qtbot, services):
    from dataclasses import replace

    from support import make_shell

    services.config = replace(services.config, speech=replace(services.config.speech, enabled=False))
    for off in make_shell(qtbot, services, (1080, 1920)):
        assert not off.speech.enabled and not off.speech.button.isVisible()


def _code_of(shell, name: str) -> str:
    index = shell.services.catalog_index()
    return next(hit.code for hit in index.search(name) if hit.name == name)


def test_the_progress_answer_is_read_without_personal_data(qtbot, shell, settle):
    from ui.screenshots import PROGRESS_REVIEWING, _query_progress

    speaker = recording(shell)
    _query_progress(shell, *PROGRESS_REVIEWING)
    settle(shell)
    screen = shell.screens["progress"]
    assert screen.pages.currentWidget() is screen.result_page
    click(qtbot, shell.speech.button)
    text = speaker.said[-1]
    assert text.startswith("您查询的" + screen.view.item_name) and "当前状态" in text
    assert screen.view.number not in text and screen.view.applicant_name not in text



def test_elder_mode_pages_a_long_screen_with_buttons(qtbot, shell, settle):
    shell.go("item", code=_code_of(shell, "营业执照自助打印"))
    settle(shell)
    assert not shell.paging.next.isVisible()  # normal mode: a finger scrolls
    click(qtbot, shell.elder_button)
    settle(shell)
    shell.paging.update()
    area = shell.paging.area()
    assert area is not None and shell.paging.next.isVisible() and shell.paging.next.isEnabled()
    assert not shell.paging.previous.isEnabled()  # at the top
    bar = area.verticalScrollBar()
    click(qtbot, shell.paging.next)
    assert bar.value() > 0 and shell.paging.previous.isEnabled()
    while shell.paging.next.isEnabled():
        click(qtbot, shell.paging.next)
    assert bar.value() == bar.maximum()
    click(qtbot, shell.paging.previous)
    assert 0 < bar.value() < bar.maximum()
    for b in (shell.paging.previous, shell.paging.next, shell.speech.button):
        assert b.height() >= 90 and b.width() >= 90


def test_the_footer_takes_two_rows_in_elder_portrait_and_nothing_is_cut(qtbot, shell, settle):
    from ui.qt import QFontMetrics

    shell.go("item", code=_code_of(shell, "营业执照自助打印"))
    settle(shell)
    click(qtbot, shell.elder_button)
    settle(shell)
    qtbot.waitUntil(lambda: shell.paging.next.isVisible(), timeout=3000)  # looked at twice a second
    for b in (shell.back_button, shell.home_button, shell.paging.previous, shell.paging.next,
              shell.speech.button, shell.elder_button, shell.help_button):
        assert b.isVisible()
        assert QFontMetrics(b.font()).horizontalAdvance(b.text()) <= b.width(), b.text()
        assert b.geometry().right() <= shell.footer.width()


def test_elder_mode_shows_fewer_search_results(qtbot, shell, settle):
    from ui.screens.search import ELDER_RESULT_LIMIT, RESULT_LIMIT

    search = shell.go("search")
    settle(shell)
    search.field.setText("d")  # matches many items
    settle(shell)
    normal = len(search.hits)
    assert normal > ELDER_RESULT_LIMIT and normal <= RESULT_LIMIT
    shell.set_elder(True)
    settle(shell)
    search.update_results("d")
    assert len(search.hits) == ELDER_RESULT_LIMIT
