"""The law on the command line: procedures, centers, workdays, advise and cite.

Pure calls into ``exitentry.law``: no Django, no database, except that ``centers`` reads the supervisors'
closures and extra hours where a database is configured (``cli.hall_days``). Bad input ends with exit
status 2 and one line on stderr naming what is wrong (``CommandError``), never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from exitentry.cli import hall_days
from exitentry.cli.registry import CommandError, command, iso_date
from exitentry.law.advice import Advice, Answer, NotInForce, advise
from exitentry.law.calendar import (
    PROVISIONAL,
    ScheduleNotPublished,
    beijing_now,
    beijing_today,
    official_calendar,
)
from exitentry.law.catalog import UnknownProcedure, catalog
from exitentry.law.facts import FactError
from exitentry.law.halls import beijing, hall_state_as_dict, hours, opening_state, parse_instant
from exitentry.law.parameters import ParameterNotInForce
from exitentry.law.provisions import KINDS, what_cites
from exitentry.law.sources import Citation, UnknownSource, source
from exitentry.law.text import Text


@contextmanager
def _refusals() -> Iterator[None]:
    """The law core's refusals of bad input (facts, dates, procedures, calendar) as ``CommandError``."""
    try:
        yield
    except FactError as exc:
        raise CommandError(f"fact {exc}") from None
    except (
        UnknownProcedure,
        UnknownSource,
        NotInForce,
        ParameterNotInForce,
        ScheduleNotPublished,
        ValueError,
    ) as exc:
        raise CommandError(str(exc)) from None


def _lang_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang", choices=("en", "zh"), default="en", help="language of the output (default en)"
    )


def _json_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON (both languages) instead of a table")


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _cites(cites: Iterable[Citation]) -> str:
    return "; ".join(f"{c.source}: {c.section}" for c in cites)


_WORDS = {
    "id": Text("ID", "编号"),
    "title": Text("TITLE", "名称"),
    "address": Text("address", "地址"),
    "hours": Text("hours", "时间"),
    "now": Text("now", "当前"),
    "next": Text("Next opening", "下次开放"),
    "restriction": Text("restriction", "限制"),
    "choice": Text(
        "seeds disagree on {field}: chose {chosen} over {alternative}",
        "资料记载不一（{field}）：采用{chosen}，而非{alternative}",
    ),
    "provisional-short": Text("provisional", "暂定"),
    "working": Text("working day", "工作日"),
    "working days": Text("working days", "个工作日"),
    "rest": Text("rest day", "休息日"),
    "makeup": Text("make-up working day", "调休上班日"),
    "weekend": Text("weekend", "周末"),
    "advice": Text("{title}: advice on {on}", "{title}：{on}的办理指引"),
    "status": Text("status", "状态"),
    "fee": Text("fee", "费用"),
    "proxy": Text("proxy allowed", "可代办"),
    "missing": Text("Facts still needed", "尚需提供的信息"),
    "halls": Text("Where to apply", "办理地点"),
    "why": Text("why", "原因"),
    "source": Text("source", "依据"),
    "due": Text("due", "日期"),
    "from": Text("from", "起"),
    "not stated": Text("not stated in the sources; ask the hall", "资料未载明，请向受理大厅咨询"),
    "cited by": Text("{title}, {section}: cited by {n}", "{title}，{section}：引用{n}处"),
    "all sections": Text("every article and section", "全部条款"),
}
_STATUS = {
    "complete": Text("complete", "信息完整"),
    "needs-facts": Text("more facts needed", "尚需更多信息"),
    "ineligible": Text("not eligible", "不符合条件"),
}
_YES_NO = {True: Text("yes", "是"), False: Text("no", "否"), None: Text("not known yet", "尚不确定")}
_SECTION_TITLES = {
    "eligibility": Text("Eligibility", "申请条件"),
    "materials": Text("Materials", "申请材料"),
    "fees": Text("Fees", "收费"),
    "time_limits": Text("Time limits", "办理时限"),
    "submission": Text("Who submits", "申请方式"),
    "interview": Text("Interview", "面谈"),
    "health": Text("Health certificate", "体检证明"),
    "translation": Text("Translation", "翻译"),
    "obligations": Text("Obligations", "法定义务"),
    "notes": Text("Notes", "注意事项"),
}


def _provisional_note(first: date, last: date, lang: str) -> str:

    calendar = official_calendar()
    low, high = sorted((first, last))
    years = [y for y in range(low.year, high.year + 1) if not calendar.is_published(y)]
    said = Text(", ".join(map(str, years)), "、".join(f"{y}年" for y in years))
    return PROVISIONAL.format(years=said).get(lang)


# procedures


def _procedures_arguments(parser: argparse.ArgumentParser) -> None:
    _json_argument(parser)
    _lang_argument(parser)


@command("procedures", "list the procedures the rules cover", arguments=_procedures_arguments)
def procedures(args: argparse.Namespace) -> int:

    items = catalog().procedures_on(beijing_today())
    if args.json:
        _print_json([{"id": p.id, "title": p.title.as_dict(), "group": p.group} for p in items])
        return 0
    width = max(len(p.id) for p in items)
    print(f"{_WORDS['id'].get(args.lang):<{width}}  {_WORDS['title'].get(args.lang)}")
    for p in items:
        print(f"{p.id:<{width}}  {p.title.get(args.lang)}")
    return 0


# centers


def _centers_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--at", help="an instant with its time zone, e.g. 2026-11-23T09:30+08:00 (default now)"
    )
    _json_argument(parser)
    _lang_argument(parser)


@command(
    "centers",
    "the exit-entry halls: address, hours and whether open now, with the closures and extra hours the halls' "
    "supervisors set when a database is configured (EXITENTRY_DATABASE_URL or EXITENTRY_DATA_DIR), else by "
    "the published timetable only (the last line, or stderr with --json, says which)",
    arguments=_centers_arguments,
)
def centers(args: argparse.Namespace) -> int:

    halls = list(catalog().halls.values())
    with _refusals():  # an instant the calendar cannot reckon with too
        at = parse_instant(args.at) if args.at else beijing_now()
        by_hall = hall_days.day_changes([h.id for h in halls], beijing(at).date())
        said = hall_days.NOT_READ if by_hall is None else hall_days.READ
        changed = [(by_hall or {}).get(h.id, {}) for h in halls]
        if args.json:
            _print_json([hall_state_as_dict(h, at, c) for h, c in zip(halls, changed, strict=True)])
            print(said.get(args.lang), file=sys.stderr)
            return 0
        states = [opening_state(h, at, c) for h, c in zip(halls, changed, strict=True)]
    lang, w = args.lang, _WORDS
    for i, (hall, state) in enumerate(zip(halls, states, strict=True)):
        print(("\n" if i else "") + f"{hall.id}  {hall.name.get(lang)}")
        print(f"  {w['address'].get(lang)}: {hall.address.get(lang)}")
        print(f"  {w['hours'].get(lang)}: {hours(hall).get(lang)}")
        now = state.reason.get(lang)
        if state.next_opening is not None:
            now += f" {w['next'].get(lang)}: {state.next_opening:%Y-%m-%d %H:%M}"
        if state.provisional:
            now += f" ({_provisional_note(state.at.date(), (state.next_opening or state.at).date(), lang)})"
        print(f"  {w['now'].get(lang)} ({state.at:%Y-%m-%d %H:%M}): {now}")
        if hall.restriction is not None:
            print(f"  {w['restriction'].get(lang)}: {hall.restriction.get(lang)}")
        for c in hall.choices:
            line = w["choice"].format(field=c.field, chosen=c.chosen, alternative=c.alternative).get(lang)
            print(f"  {line} ({c.reason.get(lang)})")
    print(f"\n{said.get(lang)}")
    return 0


# workdays


def _workdays_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="the N-th working day after DATE (DATE itself not counted)")
    add.add_argument("start", type=iso_date, metavar="DATE")
    add.add_argument("days", type=int, metavar="N", help="working days (negative: before DATE)")
    between = sub.add_parser("between", help="working days after START up to and including END")
    between.add_argument("start", type=iso_date, metavar="START")
    between.add_argument("end", type=iso_date, metavar="END")
    is_ = sub.add_parser("is", help="whether DATE is a working day, and why")
    is_.add_argument("day", type=iso_date, metavar="DATE")
    for p in (add, between, is_):
        p.add_argument(
            "--exact", action="store_true", help="refuse a year whose holiday schedule is unpublished"
        )
        _lang_argument(p)


@command(
    "workdays",
    "working days on China's official calendar: add, between, is (Regulations Art. 36)",
    arguments=_workdays_arguments,
)
def workdays(args: argparse.Namespace) -> int:

    calendar, lang = official_calendar(), args.lang
    with _refusals():
        if args.action == "add":
            result = calendar.add_working_days(args.start, args.days, exact=args.exact)
            line, span = result.date.isoformat(), (args.start, result.date)
            provisional = result.provisional
        elif args.action == "between":
            counted = calendar.working_days_between(args.start, args.end, exact=args.exact)
            line, span, provisional = str(counted.days), (args.start, args.end), counted.provisional
        else:
            working = calendar.is_working_day(args.day, exact=args.exact)
            line, span = _day_description(args.day, working, lang), (args.day, args.day)
            provisional = not calendar.is_published(args.day.year)
    print(f"{line} ({_provisional_note(*span, lang)})" if provisional else line)
    return 0


def _day_description(day: date, working: bool, lang: str) -> str:

    calendar = official_calendar()
    schedule = calendar.schedule(day.year)
    holiday = calendar.holiday_on(day)
    why = ""
    if schedule is not None and day in schedule.makeup_working_days:
        why = _WORDS["makeup"].get(lang)
    elif holiday is not None:
        why = f"{holiday.name.get(lang)} {holiday.start}..{holiday.end}"
    elif day.weekday() >= 5:
        why = _WORDS["weekend"].get(lang)
    kind = _WORDS["working" if working else "rest"].get(lang)
    return f"{day}: {kind}" + (f" ({why})" if why else "")


# advise


def _advise_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("procedure", nargs="?", help="a procedure id (see 'exitentry procedures')")
    parser.add_argument(
        "--facts",
        default="{}",
        help='the facts as JSON (\'{"ground": "family"}\'), @FILE, or - for standard input; '
        'either the facts alone or {"procedure": ..., "facts": {...}, "on": ...}',
    )
    parser.add_argument(
        "--on", type=iso_date, help="the date the rules are applied on (default today in Beijing)"
    )
    _json_argument(parser)
    _lang_argument(parser)


@command("advise", "what a procedure needs, costs and takes, given the facts", arguments=_advise_arguments)
def advise_command(args: argparse.Namespace) -> int:

    procedure, facts, on = _advice_request(args)
    with _refusals():
        advice = advise(procedure, facts, on or beijing_today())
    if args.json:
        _print_json(advice.as_dict())
    else:
        _print_advice(advice, args.lang)
    return 0


def _advice_request(args: argparse.Namespace) -> tuple[str, dict, date | None]:
    """The procedure, the raw facts and the date, from the arguments and the ``--facts`` JSON."""
    source = args.facts
    try:
        if source == "-":
            text = sys.stdin.read()
        elif source.startswith("@"):
            text = Path(source[1:]).read_text(encoding="utf-8")
        else:
            text = source
    except OSError as exc:
        raise CommandError(f"--facts: cannot read {source[1:]}: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CommandError(f"--facts: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise CommandError("--facts: expected a JSON object of facts")
    procedure, on = args.procedure, args.on
    if "facts" in data or "procedure" in data:  # a whole request: {"procedure", "facts", "on"}
        unknown = sorted(set(data) - {"procedure", "facts", "on"})
        if unknown:
            raise CommandError(f"--facts: unknown keys {', '.join(unknown)} (expected procedure, facts, on)")
        procedure = procedure or data.get("procedure")
        if on is None and data.get("on") is not None:
            try:
                on = iso_date(str(data["on"]))
            except argparse.ArgumentTypeError as exc:
                raise CommandError(f"on: {exc}") from None
        data = data.get("facts") or {}
        if not isinstance(data, dict):
            raise CommandError("facts: expected a JSON object of facts")
    if not procedure:
        raise CommandError("name a procedure (see 'exitentry procedures')")
    return str(procedure), data, on


def _print_advice(advice: Advice, lang: str) -> None:
    w = _WORDS
    print(w["advice"].format(title=advice.procedure.title.get(lang), on=advice.on).get(lang))
    fee = f"CNY {advice.fee_total_cny}" if advice.fee_total_cny is not None else _YES_NO[None].get(lang)
    print(
        f"{w['status'].get(lang)}: {_STATUS[advice.status].get(lang)} | {w['fee'].get(lang)}: {fee} | "
        f"{w['proxy'].get(lang)}: {_YES_NO[advice.proxy_allowed].get(lang)}"
    )
    for section, title_text in _SECTION_TITLES.items():
        answers = getattr(advice, section)
        if section == "health" or not answers:
            continue  # the health certificate is listed among the materials
        print(f"\n{title_text.get(lang)}")
        for answer in answers:
            print(f"  {_answer_line(answer, lang)}")
            if answer.failure is not None:
                print(f"      {answer.failure.get(lang)}")
            if answer.why is not None:
                print(f"      {w['why'].get(lang)}: {answer.why.get(lang)}")
            print(f"      {w['source'].get(lang)}: {_cites(answer.cite)}")
    if advice.missing:
        print(f"\n{w['missing'].get(lang)}")
        for fact in advice.missing:
            print(f"  {fact.id}: {fact.question.get(lang)}")
    if advice.halls or advice.procedure.where:
        print(f"\n{w['halls'].get(lang)}")
        if advice.procedure.where is not None:
            print(f"  {advice.procedure.where.get(lang)}")
        for hall in advice.halls:
            print(f"  {hall.id}: {hall.name.get(lang)}, {hall.address.get(lang)}")


def _answer_line(a: Answer, lang: str) -> str:
    mark = {True: "[ok] ", False: "[NOT MET] ", None: "[?] "}[a.met] if a.section == "eligibility" else "- "
    parts = [a.text.get(lang)]
    if a.section == "fees":
        parts.append(f"CNY {a.amount_cny}" if a.amount_cny is not None else _WORDS["not stated"].get(lang))
    if a.working_days is not None:
        parts.append(f"{a.working_days} {_WORDS['working days'].get(lang)}")
    if a.window_from is not None:
        parts.append(f"{_WORDS['from'].get(lang)} {a.window_from}")
    if a.due is not None:
        parts.append(
            f"{_WORDS['due'].get(lang)} {a.due}"
            + (f" ({_WORDS['provisional-short'].get(lang)})" if a.provisional else "")
        )
    return mark + " | ".join(parts)


# cite


def _cite_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", help="a source id, e.g. regulations (see the sources page)")
    parser.add_argument("section", nargs="?", help='an article or section, e.g. "Art. 14" (default: all)')
    parser.add_argument(
        "--on", type=iso_date, help="texts with the numbers in force on YYYY-MM-DD (default today)"
    )
    _json_argument(parser)
    _lang_argument(parser)


@command(
    "cite",
    "every catalog line, rule function and parameter that cites an article: exitentry cite regulations 'Art. 14'",
    arguments=_cite_arguments,
)
def cite(args: argparse.Namespace) -> int:
    with _refusals():
        found = what_cites(args.source, args.section, args.on or beijing_today())
    if args.json:
        _print_json([c.as_dict() for c in found])
        return 0
    lang, w = args.lang, _WORDS
    section = args.section or w["all sections"].get(lang)
    print(
        w["cited by"]
        .format(title=source(args.source).title.get(lang), section=section, n=len(found))
        .get(lang)
    )
    width = max((len(KINDS[c.kind].get(lang)) for c in found), default=0)
    for c in found:
        print(f"  {KINDS[c.kind].get(lang):<{width}}  {c.ref}  [{c.cite.section}]")
        print(f"  {'':<{width}}  {c.text.get(lang)}")
    return 0
