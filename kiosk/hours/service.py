"""Service hours for the screens: is a helper on duty, is this window open, when does it open
next, and what a citizen can do right now.

Where the hours come from:
- the staff at this terminal (helpers, 帮办代办): the configuration's ``[service_hours]``;
- the center: the catalog's ``center.schedule``, else ``[service_hours]``;
- a department: its ``schedule`` in the catalog, else the center's;
- a window: its ``schedule``, else its department's;
- an item: its first window, else its department.
Days come from the working-day table (kiosk/workdays): holidays close, 调休 Saturdays open.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiosk.clock import Clock, system_clock
from kiosk.i18n import tr
from kiosk.workdays import WorkCalendar

from . import status as st
from .schedule import Schedule, ScheduleError

log = logging.getLogger(__name__)

HALL = "hall"
ZONE_24H = "24h"


@dataclass(frozen=True)
class Channel:
    """One way to get an item done, as a citizen reads it."""

    kind: str  # window | online | mobile | here | notice | zone | phone
    text: str
    url: str = ""


@dataclass(frozen=True)
class HelpAnswer:
    """What the call button may promise now."""

    on_duty: bool
    state: st.OpenState
    hotline: str
    center_phone: str
    #: 明天 8:30 (empty while on duty or when unknown)
    back_at: str = ""


@dataclass
class ServiceTimes:
    calendar: WorkCalendar
    staff: Schedule = field(default_factory=Schedule)
    center: Schedule | None = None
    departments: dict[str, Schedule] = field(default_factory=dict)
    windows: dict[str, Schedule] = field(default_factory=dict)
    #: window number → its department's code, for windows without their own schedule
    window_departments: dict[str, str] = field(default_factory=dict)
    zone: str = HALL
    hotline: str = "12345"
    center_phone: str = ""
    clock: Clock = system_clock

    # --- building -------------------------------------------------------------------------

    @classmethod
    def from_config(cls, config, calendar: WorkCalendar, clock: Clock = system_clock, **catalog: Any) -> ServiceTimes:
        hours = config.service_hours
        staff = Schedule(hours.weekdays, hours.periods, hours.seasons, hours.closed)
        return cls(calendar=calendar, staff=staff, zone=config.terminal.zone, hotline=hours.hotline, clock=clock, **catalog)

    @staticmethod
    def catalog_part(session) -> dict[str, Any]:
        """The schedules the catalog holds (keyword arguments for from_config)."""
        from sqlalchemy import select

        from kiosk.catalog.models import Center, Department, Window

        center = session.scalars(select(Center)).first()
        part: dict[str, Any] = {
            "center": _schedule(center.schedule, "center") if center is not None else None,
            "center_phone": center.phone if center is not None else "",
            "departments": {},
            "windows": {},
            "window_departments": {},
        }
        for dept in session.scalars(select(Department)):
            if dept.schedule:
                part["departments"][dept.code] = _schedule(dept.schedule, f"department {dept.code}")
        for window in session.scalars(select(Window)):
            part["window_departments"][window.number] = window.department.code
            if window.schedule:
                part["windows"][window.number] = _schedule(window.schedule, f"window {window.number}")
        part["departments"] = {k: v for k, v in part["departments"].items() if v is not None}
        part["windows"] = {k: v for k, v in part["windows"].items() if v is not None}
        return part

    # --- questions ------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock()

    def center_schedule(self) -> Schedule:
        return self.center or self.staff

    def schedule_of(self, *, window: str | None = None, department: str | None = None) -> Schedule:
        if window and window in self.windows:
            return self.windows[window]
        if window and not department:
            department = self.window_departments.get(window)
        if department and department in self.departments:
            return self.departments[department]
        return self.center_schedule()

    def staff_state(self, now: datetime | None = None) -> st.OpenState:
        return st.state(self.staff, now or self.now(), self.calendar)

    def helper_on_duty(self, now: datetime | None = None) -> bool:
        return self.staff_state(now).open

    def help_answer(self, now: datetime | None = None) -> HelpAnswer:
        state = self.staff_state(now)
        back = st.when_text(state.next_open, state.now) if (not state.open and state.next_open) else ""
        return HelpAnswer(state.open, state, self.hotline, self.center_phone, back)

    def center_state(self, now: datetime | None = None) -> st.OpenState:
        return st.state(self.center_schedule(), now or self.now(), self.calendar)

    def window_state(self, number: str, now: datetime | None = None) -> st.OpenState:
        return st.state(self.schedule_of(window=number), now or self.now(), self.calendar)

    def item_state(self, item, now: datetime | None = None) -> st.OpenState | None:
        """The item's window (or department) now; None for an item handled outside the center."""
        if not item.in_center:
            return None
        windows = list(item.windows)
        number = windows[0].number if windows else None
        schedule = self.schedule_of(window=number, department=item.department.code)
        return st.state(schedule, now or self.now(), self.calendar)

    def item_line(self, item, now: datetime | None = None) -> str:
        """One line for the item page: 窗口正在办理（今天 17:30 下班） / 窗口今天已下班，明天 8:30 开始办理."""
        state = self.item_state(item, now)
        if state is None:
            return ""
        if state.open:
            return tr("窗口正在办理（{until} 停止受理）").format(until=st.when_text(state.closes_at, state.now))
        reason = st.closed_reason_text(state)
        following = st.next_open_text(state)
        if following:
            return tr("窗口{reason}，{following}").format(reason=reason, following=following)
        return tr("窗口{reason}").format(reason=reason)

    def available_now(self, item, now: datetime | None = None) -> list[Channel]:
        """What the citizen can do for this item right now, best first."""
        state = self.item_state(item, now)
        channels: list[Channel] = []
        windows = list(item.windows)
        if state is not None and state.open:
            where = windows[0].number if windows else item.department.name
            channels.append(Channel("window", tr("现在就可以到{where}窗口办理").format(where=where)))
        if item.online_supported and item.online_mobile_url:
            channels.append(Channel("mobile", tr("手机扫码办理（掌上办，全天可用）"), item.online_mobile_url))
        if item.online_supported and item.online_pc_url:
            channels.append(Channel("online", tr("电脑上网办理（网上办，全天可用）"), item.online_pc_url))
        if item.self_service:
            channel = self._self_service_channel(item, now)
            if channel is not None:
                channels.append(channel)
        if state is not None and not state.open:
            channels.append(Channel("notice", tr("在本机打印材料清单，备齐后到窗口一次办好")))
        return channels

    def _self_service_channel(self, item, now: datetime | None) -> Channel | None:
        """The machine that does the item, when it can be used now: machines in the 24-hour
        zone at any hour, the others while the center is open."""
        from kiosk.catalog.present import bring_text, self_service_point, self_service_where

        point = self_service_point(item)
        where = self_service_where(item)
        if not where:
            return None
        if not point["all_hours"] and not self.center_state(now).open:
            return None
        bring = bring_text(item)
        if bring:
            return Channel("here", tr("到{where}自助办理，{bring}").format(where=where, bring=bring))
        return Channel("here", tr("到{where}自助办理").format(where=where))

    def zone_services(self, now: datetime | None = None) -> list[Channel]:
        """What this terminal offers at any hour (the 24-hour zone's night list)."""
        return [
            Channel("here", tr("查办事指南、打印材料清单（一次性告知单）")),
            Channel("here", tr("查询办件进度，打印进度单")),
            Channel("here", tr("投诉建议、服务评价")),
            Channel("phone", tr("政务服务热线 {hotline}（全天）").format(hotline=self.hotline)),
        ]


def _schedule(data: dict[str, Any] | None, where: str) -> Schedule | None:
    if not data:
        return None
    try:
        return Schedule.from_dict(data)
    except ScheduleError as exc:  # the import validates; a hand-edited database might not be
        log.warning("ignoring the unreadable schedule of %s: %s", where, exc)
        return None
