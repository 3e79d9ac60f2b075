"""The console on the real center (`kiosk center serve`, console under /console) with a
terminal that syncs (its own process, its own SQLite file, enrolled with a one-time code):
what the terminal pushes shows in the console, what the console publishes reaches the
terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from console_support import ADMIN, HELPER, HELPER2, MAINTAINER, PHONE, REPO, seed_staff, serve, sign_in, stop

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def center(tmp_path_factory):
    """`python -m cli center serve` on a fresh schema, the test staff with console passwords, and
    one enrolled terminal T-01 (its folder and configuration)."""
    from center.db import CenterDatabase
    from center.service import CenterService
    from fleet_support import free_port, new_schema
    from kiosk.db import Database
    from kiosk.fleet.credential import Credential, save_credential

    schema, drop = new_schema(os.environ["KIOSK_TEST_POSTGRES_URL"])
    work = tmp_path_factory.mktemp("center")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    process = serve([sys.executable, "-m", "cli", "center", "serve", "--host", "127.0.0.1", "--port", str(port),
                     "--db", schema.url], base_url + "/console/login", work / "center.log", KIOSK_DATA_DIR=str(work / "data"))
    database = Database(schema.url)
    seed_staff(database)
    service = CenterService(CenterDatabase(schema.url))
    folder = work / "T-01"
    folder.mkdir()
    (folder / "kiosk.toml").write_text(
        f'[terminal]\nid = "T-01"\nname = "一号机（大厅）"\n\n[center]\nurl = "{base_url}"\n', encoding="utf-8")
    token = service.enroll("T-01", service.make_code("T-01", name="一号机（大厅）", by="test"))
    save_credential(folder / "data", Credential(base_url, "T-01", token, datetime.now().isoformat()))
    try:
        yield {"url": base_url + "/console", "service": service, "terminal": folder}
    finally:
        stop(process)
        service.database.dispose()
        database.dispose()
        drop()


def terminal(center, action: str, *args: str) -> dict:
    from fleet_support import child_env

    folder = center["terminal"]
    done = subprocess.run([sys.executable, str(HERE / "terminal_actions.py"), action, *args], capture_output=True, text=True,
                          timeout=120, cwd=str(REPO),
                          env=child_env(KIOSK_CONFIG=str(folder / "kiosk.toml"), KIOSK_DATA_DIR=str(folder / "data")))
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_terminals_call_is_taken_in_the_console_and_leaves_the_other_browser(center, open_page):
    first = sign_in(open_page(PHONE), center["url"], HELPER)
    second = sign_in(open_page(PHONE), center["url"], HELPER2)
    number = terminal(center, "call")["number"]
    card = f"article[data-call='{number}']"
    first.wait_for_selector(card, timeout=8000)
    second.wait_for_selector(card, timeout=8000)
    assert "一号机（大厅）" in first.inner_text(card)
    first.click(f"{card} button:has-text('接单')")
    assert f"已接单：呼叫号 {number}" in first.inner_text(".flash")
    second.wait_for_selector(f"{card} .badge:has-text('已接单')", timeout=8000)
    assert second.locator(f"{card} button:has-text('接单')").count() == 0
    # the center decided the take: the terminal's own copy follows it (docs/fleet.md)
    with center["service"].database.session() as session:
        row = session.execute(text("SELECT status, taken_by, taken_via FROM center_help_call")).one()
        indexed = session.execute(text("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_console_center_record_updated_at'")).scalar()
    assert tuple(row) == ("taken", HELPER[0], "console")
    assert indexed == 1  # the console's refresh reads only what changed
    first.click(f"{card} summary")
    first.check(f"{card} input[value=register]")
    first.click(f"{card} button:has-text('结束')")
    assert "已结束并记入台账" in first.inner_text(".flash")
    second.wait_for_selector(card, state="detached", timeout=8000)
    # the terminal that raised it follows the console's close (docs/fleet.md)
    assert terminal(center, "pull")["calls"] == [{"number": number, "status": "closed", "taken_by": HELPER[0]}]
    first.goto(center["url"] + "/proxies")
    ledger = first.inner_text("main")
    assert "帮注册" in ledger and "T-01" in ledger and "张帮办" in ledger


def test_a_terminals_fault_is_resolved_and_its_complaint_forwarded_and_answered(center, open_page):
    terminal(center, "fault")
    number = terminal(center, "complaint")["number"]
    page = sign_in(open_page(), center["url"], MAINTAINER)
    page.goto(center["url"] + "/terminals")
    assert "一号机（大厅）" in page.inner_text("main") and "在线" in page.inner_text("main")
    page.goto(center["url"] + "/faults")
    row = page.locator("tr", has_text="T-01").first
    assert "缺纸" in row.inner_text() or "纸" in row.inner_text()
    row.locator("summary").click()
    row.locator("input[name=note]").fill("已装纸")
    row.locator("button:has-text('标为已解决')").click()
    assert "已解决" in page.inner_text(".flash")
    page.goto(center["url"] + "/faults?status=resolved")
    assert "已装纸" in page.inner_text("main")
    # the terminal whose printer it is pulls the console's resolution: its own record follows
    [fault] = terminal(center, "pull")["faults"]
    assert (fault["status"], fault["note"], fault["resolved_by"]) == ("resolved", "已装纸", MAINTAINER[0])
    # a terminal that went silent: the center's own fault is on the board too
    from center.service import CenterService

    later = CenterService(center["service"].database, clock=lambda: datetime.now(UTC) + timedelta(minutes=5))
    assert "T-01" in later.check_silent()
    page.goto(center["url"] + "/faults")
    assert "终端失联" in page.inner_text("main") and "T-01 超过 90 秒没有心跳" in page.inner_text("main")
    terminal(center, "heartbeat")  # the next heartbeat ends it
    page.goto(center["url"] + "/faults")
    assert "终端失联" not in page.inner_text("main")

    page = sign_in(open_page(), center["url"], ADMIN)
    page.goto(center["url"] + "/feedback")
    card = page.locator(f"#case-{number}")
    assert "137****1234" in card.inner_text()
    card.locator("summary").click()
    card.locator("input[name=to]").fill("大厅管理办公室")
    card.locator("button:has-text('转办')").click()
    card = page.locator(f"#case-{number}")
    card.locator("summary").click()
    card.locator("textarea[name=text]").fill("已对该工作人员批评教育。")
    card.locator("button:has-text('答复并办结')").click()
    assert "已答复" in page.inner_text(".flash")
    # the center owns these transitions: a later push from the terminal does not undo them
    terminal(center, "heartbeat")
    page.goto(center["url"] + "/feedback?status=answered")
    assert "已对该工作人员批评教育" in page.inner_text(f"#case-{number}")
    with center["service"].database.session() as session:
        actions = [r[0] for r in session.execute(text("SELECT action FROM console_transition ORDER BY id"))]
    assert actions == ["resolve", "forward", "answer"]


def test_a_published_catalog_reaches_the_terminal(center, open_page, tmp_path):
    good = json.loads((REPO / "tests" / "catalog" / "small_catalog.json").read_text(encoding="utf-8"))
    bad = json.loads(json.dumps(good))
    bad["items"][0]["code"] = ""
    (tmp_path / "bad.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "good.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    page = sign_in(open_page(), center["url"], ADMIN)
    page.goto(center["url"] + "/catalog")
    panel = "#panel-catalog"
    page.set_input_files(f"{panel} input[type=file]", str(tmp_path / "bad.json"))
    page.click(f"{panel} button:has-text('上传并校验')")
    assert "items[0].code" in page.inner_text(f"{panel} .error")
    page.set_input_files(f"{panel} input[type=file]", str(tmp_path / "good.json"))
    page.click(f"{panel} button:has-text('上传并校验')")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click(f"{panel} button:has-text('发布到各终端')")
    assert "第 1 版" in page.inner_text(".flash")
    pulled = terminal(center, "pull")
    assert ["catalog", 1] in pulled["applied"]
    assert pulled["items"] == sorted(item["code"] for item in good["items"])


def test_staff_and_ab_changed_in_the_console_are_published_to_terminals(center, open_page):
    page = sign_in(open_page(), center["url"], ADMIN)
    page.goto(center["url"] + "/staff")
    page.click("summary:has-text('添加工作人员')")
    form = page.locator("form[action$='/staff/add']")
    form.locator("input[name=staff_id]").fill("3003")
    form.locator("input[name=name]").fill("孙志愿")
    form.locator("input[name=pin]").fill("274951")
    form.locator("input[value=helper]").check()
    form.locator("button:has-text('添加')").click()
    assert "已添加 孙志愿（3003）" in page.inner_text(".flash")
    form = page.locator("form[action$='/staff/assign']")
    form.locator("input[name=terminal]").fill("T-01")
    form.locator("select[name=a]").select_option("2001")
    form.locator("select[name=b]").select_option("1001")
    form.locator("button:has-text('保存')").click()
    assert "终端 T-01 的 A/B 岗已更新" in page.inner_text(".flash")
    assert "孙志愿" in page.inner_text("main")
    pulled = terminal(center, "pull")
    assert any(kind == "staff" for kind, _version in pulled["applied"])
    document = json.loads(center["service"].snapshot("staff").document)
    assert document["format"] == "kiosk-staff/1"
    new = next(s for s in document["staff"] if s["id"] == "3003")
    assert new["roles"] == ["helper"] and new["pin_hash"].startswith("scrypt$") and "274951" not in json.dumps(document)
    assert [(t["terminal"], t["a"], t["b"]) for t in document["assignments"]] == [("T-01", "2001", "1001")]
    assert "password" not in json.dumps(document)


def test_pin_absence_and_a_post_changed_in_the_console_take_effect_on_the_terminal(center, open_page):
    """No publish step: each change on 人员与AB岗 is a new staff snapshot, and the terminal's next
    pull applies it to its own sign-in and to who its faults go to; then a fault reassigned in
    the console follows on the terminal."""
    admin_id, maintainer_id = ADMIN[0], MAINTAINER[0]
    page = sign_in(open_page(), center["url"], ADMIN)
    page.goto(center["url"] + "/staff")
    form = page.locator("form[action$='/staff/assign']")
    form.locator("input[name=terminal]").fill("T-01")
    form.locator("select[name=a]").select_option(maintainer_id)
    form.locator("select[name=b]").select_option(admin_id)
    form.locator("button:has-text('保存')").click()
    assert "终端 T-01 的 A/B 岗已更新" in page.inner_text(".flash")
    row = page.locator("tr", has_text=MAINTAINER[1]).first
    row.locator("summary").click()
    row.locator("input[name=pin]").fill("605188")
    row.locator("button:has-text('重置 PIN')").click()
    assert f"{maintainer_id} 的终端 PIN 已重置" in page.inner_text(".flash")
    before = terminal(center, "pull")
    assert any(kind == "staff" for kind, _version in before["applied"])
    signed = terminal(center, "signin", maintainer_id, "605188")
    assert signed["ok"] is True  # the new PIN signs in on the terminal
    assert terminal(center, "signin", maintainer_id, MAINTAINER[3])["ok"] is False  # the old one no longer
    assert signed["responders"][:2] == [["A", maintainer_id], ["B", admin_id]]

    today = datetime.now().date()
    form = page.locator("form[action$='/staff/absence']")
    form.locator("select[name=staff_id]").select_option(maintainer_id)
    form.locator("input[name=first]").fill(today.isoformat())
    form.locator("input[name=last]").fill((today + timedelta(days=1)).isoformat())
    form.locator("input[name=reason]").fill("年休假")
    form.locator("button:has-text('登记请假')").click()
    assert f"已登记 {maintainer_id} 的请假" in page.inner_text(".flash")
    pulled = terminal(center, "pull")
    assert any(kind == "staff" for kind, _version in pulled["applied"]), pulled["refused"]
    assert terminal(center, "signin", admin_id, ADMIN[3])["responders"][0] == ["B", admin_id]
    # the absent A's fault goes to B on the terminal itself
    terminal(center, "fault")
    fault = terminal(center, "pull")["faults"][-1]
    assert (fault["status"], fault["assigned_to"]) == ("open", admin_id)

    # reassigned in the console (to the maintainer, back from leave early): the terminal follows
    page = sign_in(open_page(), center["url"], MAINTAINER)
    page.goto(center["url"] + "/faults")
    row = page.locator("tr", has_text="T-01").filter(has_text="待处理").first
    row.locator("summary").click()
    row.locator("select[name=staff_id]").select_option(maintainer_id)
    row.locator("button:has-text('改派')").click()
    assert "已改派给 " + MAINTAINER[1] in page.inner_text(".flash")
    fault = terminal(center, "pull")["faults"][-1]
    assert (fault["status"], fault["assigned_to"]) == ("open", maintainer_id)
