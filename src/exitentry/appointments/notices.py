"""The messages a booking sends (``messaging``): booked, cancelled, moved, the reminder the day before, the
hall's withdrawal of its time (a change of its day, or its counter closed), and its time standing again
when the change that took it is withdrawn.

Each goes to the account that booked (a withdrawal also to the applicant's own account, ``withdrawals``),
in its language, keyed by the booking's reference and the event, so none is sent twice:
``booking:<reference>:booked``, ``:cancelled`` (also when its case no longer needs a visit, ``moot``),
``:moved`` (the old reference), ``:reminder:<day>``, ``:withdrawn`` (``:withdrawn:again-<n>`` the n-th
time, ``Booking.withdrawn_count``), ``:restored:<change>`` when a withdrawn change of its day gave its time
back, and ``:restored:again-<n>`` when something else did (its counter turned on again, ``reopened``;
``Booking.restored_count``) (``withdrawals``). Each names the hall and its
address, the time in Beijing, the reference, and the link to the booking's page.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from exitentry.appointments.models import Booking
from exitentry.law import halls as law_halls
from exitentry.law.calendar import BEIJING
from exitentry.law.catalog import catalog
from exitentry.law.text import Text
from exitentry.messaging import services as messaging

_SUBJECTS = {
    "booked": Text("Appointment booked: {when} at {hall}", "预约成功：{when}，{hall}"),
    "cancelled": Text("Appointment cancelled: {when} at {hall}", "预约已取消：{when}，{hall}"),
    "moved": Text("Appointment moved to {when} at {hall}", "预约已改至{when}，{hall}"),
    "reminder": Text(
        "Reminder: your appointment tomorrow, {when} at {hall}", "提醒：您明天的预约，{when}，{hall}"
    ),
    "case_closed": Text("Appointment cancelled: {when} at {hall}", "预约已取消：{when}，{hall}"),
    "case_decided": Text("Appointment cancelled: {when} at {hall}", "预约已取消：{when}，{hall}"),
    "withdrawn": Text(
        "The hall has closed your appointment's time: {when} at {hall}; choose another",
        "大厅已取消您预约的时段：{when}，{hall}，请另选时间",
    ),
    "counter_closed": Text(
        "The counter of your appointment is closed: {when} at {hall}; choose another time",
        "您预约的窗口已停止办公：{when}，{hall}，请另选时间",
    ),
    "restored": Text("Your appointment stands again: {when} at {hall}", "您预约的时段已恢复：{when}，{hall}"),
    "reopened": Text("Your appointment stands again: {when} at {hall}", "您预约的时段已恢复：{when}，{hall}"),
}
_OPENINGS = {
    "booked": Text("Your appointment is booked.", "您的预约已成功。"),
    "cancelled": Text("Your appointment has been cancelled.", "您的预约已取消。"),
    "moved": Text(
        "Your appointment {old} has been moved; the new one is below. {changed}",
        "您的预约{old}已改约，新的预约如下。{changed}",
    ),
    "reminder": Text(
        "A reminder of your appointment tomorrow. Please bring the materials of your application.",
        "提醒您明天的预约，请携带申请材料按时前往。",
    ),
    "case_closed": Text(
        "Your appointment has been cancelled: your application is now “{state}” and no longer needs a visit "
        "to the hall.",
        "您的预约已取消：您的申请目前为“{state}”，无需再前往大厅。",
    ),
    "case_decided": Text(
        "Your appointment has been cancelled: it was for handing in your materials, and your application is "
        "now “{state}”. Your next visit is to collect the permit at the hall once it is ready for pick-up: "
        "your application's page says where, when and what to bring.",
        "您的预约已取消：该预约用于递交材料，您的申请目前为“{state}”。证件可领取后，请前往大厅领取；"
        "领取地点、办公时间和须携带的材料见申请页面。",
    ),
    "withdrawn": Text(
        "The hall has closed the time of your appointment ({reason}). Do not go to the hall then: choose "
        f"another time on your booking's page ({law_halls.MOVED_WHATEVER_THE_CUTOFF.en}).",
        "大厅已取消您预约的时段（{reason}）。请勿在该时间前往大厅，请在预约页面另选时间"
        f"（{law_halls.MOVED_WHATEVER_THE_CUTOFF.zh}）。",
    ),
    "counter_closed": Text(
        "{reason}. Do not go to the hall at that time: your booking's page lists the times still offered.\n"
        "Source: {cite}.",
        "{reason}。请勿在该时间前往大厅，预约页面列有仍可预约的时段。\n依据：{cite}。",
    ),
    "restored": Text(
        "The hall has withdrawn the change of that day that had closed the time of your appointment "
        "({reason}; withdrawn: {withdrawn}). Your appointment stands as booked: go to the hall at that time "
        "with the reference below; you need not choose another time.",
        "大厅已撤回当天取消您预约时段的调整（{reason}；撤回原因：{withdrawn}），您的预约恢复有效。"
        "请按原预约时间携带下列预约号前往大厅，无需另选时间。",
    ),
    "reopened": Text(
        "{reason}. Your appointment stands as booked: go to the hall at that time with the reference below; "
        "you need not choose another time.\nSource: {cite}.",
        "{reason}，您的预约恢复有效。请按原预约时间携带下列预约号前往大厅，无需另选时间。\n依据：{cite}。",
    ),
}
REFERENCE_CHANGED = Text(
    "The reference changed from {old} to {new}: a confirmation printed before no longer works at check-in;"
    " show the new reference or print the new confirmation.",
    "预约号已由{old}改为{new}：此前打印的确认单不再有效，签到时请出示新的预约号或打印新的确认单。",
)
_DETAILS = Text(
    "Reference: {reference}\nWhen: {when} (Beijing time)\nWhere: {hall}, counter {counter}\n"
    "Address: {address}\n\nYour booking: {link}",
    "预约号：{reference}\n时间：{when}（北京时间）\n地点：{hall}，{counter}号窗口\n"
    "地址：{address}\n\n查看预约：{link}",
)


def link(booking: Booking) -> Text:
    """The booking's page, in each language (``/en/my/bookings/<reference>/``, ``/zh-hans/…``)."""

    def url(language: str) -> str:
        with translation.override(language):
            return settings.EXITENTRY_SITE_URL + reverse(
                "web:my_booking_confirmation", args=[booking.reference]
            )

    return Text(url("en"), url("zh-hans"))


def notify(booking: Booking, event: str, *, key: str | None = None, to=None, **values: object):
    """Record the ``event`` message of ``booking`` (``booked``, ``cancelled``, ``moved``, ``reminder``,
    ``withdrawn``, ``counter_closed``, ``restored``, ``reopened``, ``case_closed``, ``case_decided``) for the account that
    booked, or for ``to``."""
    slot = booking.slot
    hall = catalog().halls[slot.hall_id]
    starts, ends = slot.starts_at.astimezone(BEIJING), slot.ends_at.astimezone(BEIJING)
    day, times = law_halls.dated(starts.date()), f"{starts:%H:%M}–{ends:%H:%M}"  # as the pages give it
    when = Text(f"{day.en} {times}", day.zh + times)  # no space after the Chinese date's closing bracket
    subject = _SUBJECTS[event].format(when=when, hall=hall.name)
    body = Text(
        _OPENINGS[event].format(**values).en + "\n\n" + _DETAILS.en,
        _OPENINGS[event].format(**values).zh + "\n\n" + _DETAILS.zh,
    ).format(
        reference=booking.reference,
        when=when,
        hall=hall.name,
        counter=slot.counter.number,
        address=hall.address,
        link=link(booking),
    )
    return messaging.send(
        key or f"booking:{booking.reference}:{event}",
        to or booking.booked_by,
        subject,
        body,
        person_id=booking.person_id,
    )


def booked(booking: Booking):
    return notify(booking, "booked")


def cancelled(booking: Booking):
    return notify(booking, "cancelled")


def reference_changed(old: Booking, new: Booking) -> Text:
    """What a move tells: the booking's reference changed, so the old printed confirmation no longer works."""
    return REFERENCE_CHANGED.format(old=old.reference, new=new.reference)


def moved(old: Booking, new: Booking):
    changed = reference_changed(old, new)
    return notify(new, "moved", key=f"booking:{old.reference}:moved", old=old.reference, changed=changed)


def reminder(booking: Booking):
    return notify(booking, "reminder", key=f"booking:{booking.reference}:reminder:{booking.slot.day}")
