"""The ``exitentry`` command line for the guide and the advisor: pure law calls, no database."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from exitentry.cli import main
from factories import FAMILY_VISIT


@pytest.fixture(autouse=True)
def no_database(monkeypatch) -> None:
    """No database configured: ``centers`` answers from the law core alone (with one, it reads the
    supervisors' changes too: ``tests/appointments/test_opening_everywhere.py``)."""
    for name in ("EXITENTRY_DATABASE_URL", "EXITENTRY_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


# procedures


def test_procedures_are_listed_as_a_table_of_ids_and_titles(capsys) -> None:
    status, out, _ = run(capsys, "procedures")
    lines = out.splitlines()
    assert status == 0
    assert lines[0].split() == ["ID", "TITLE"]
    assert ["rp-personal-affairs", "Personal-affairs residence permit (first application)"] in [
        line.split(None, 1) for line in lines
    ]
    assert len({line.index(line.split()[1]) for line in lines[1:]}) == 1  # the titles in one column


def test_procedures_in_chinese(capsys) -> None:
    _, out, _ = run(capsys, "procedures", "--lang", "zh")
    assert out.splitlines()[0].split() == ["编号", "名称"]
    assert ["rp-personal-affairs", "私人事务类居留许可（首次申请）"] in [
        line.split(None, 1) for line in out.splitlines()
    ]


def test_procedures_as_json(capsys) -> None:
    _, out, _ = run(capsys, "procedures", "--json")
    entry = next(p for p in json.loads(out) if p["id"] == "rp-personal-affairs")
    assert entry == {
        "id": "rp-personal-affairs",
        "title": {
            "en": "Personal-affairs residence permit (first application)",
            "zh": "私人事务类居留许可（首次申请）",
        },
        "group": "residence-permits",
    }


# centers


def test_centers_show_address_hours_and_whether_open_at_the_instant(capsys) -> None:
    status, out, _ = run(capsys, "centers", "--at", "2026-11-23T12:30+08:00")
    block = out.split("\n\n")[4].splitlines()
    assert status == 0
    assert block[:4] == [
        "shijingshan  Exit-Entry Administration & Foreigner Service Center of Shijingshan Sub-bureau",
        "  address: No. 3A, Gu Cheng Nan Li, Shijingshan District",
        "  hours: Monday to Saturday 09:00-12:00, 13:30-17:30; closed on statutory holidays (holiday hours are announced separately)",
        "  now (2026-11-23 12:30): Closed for the lunch break; opens again at 13:30. Next opening: 2026-11-23 13:30",
    ]
    assert block[5].startswith("  seeds disagree on afternoon closing time: chose 17:30 over 17:00")


def test_centers_read_a_utc_instant_in_beijing_time(capsys) -> None:
    _, out, _ = run(capsys, "centers", "--at", "2026-11-23T01:30Z")
    assert "  now (2026-11-23 09:30): Open until 17:00." in out.splitlines()


def test_centers_in_an_unpublished_year_say_provisional(capsys) -> None:
    _, out, _ = run(capsys, "centers", "--at", "2027-03-10T10:00+08:00", "--lang", "zh")
    assert (
        "  当前 (2027-03-10 10:00): 开放中，17:00结束。 (暂定：2027年节假日安排尚未公布，按法定节假日及补假计算，调休安排未知（《全国年节及纪念日放假办法》第二条）)"
        in out
    )


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["text", "json"])
def test_centers_refuse_an_instant_the_calendar_cannot_reckon_with(capsys, json_flag) -> None:
    status, out, err = run(capsys, "centers", *json_flag, "--at", "9999-12-31T23:00+08:00")
    assert (status, out) == (2, "")
    assert err == "exitentry centers: 31 December 9999 lies outside the calendar's range 1994..2056\n"


def test_centers_as_json(capsys) -> None:
    _, out, _ = run(capsys, "centers", "--json", "--at", "2026-10-01T10:00+08:00")
    halls = {h["id"]: h for h in json.loads(out)}
    assert len(halls) == 7  # six exit-entry halls and the one-stop counters
    assert (halls["zhongguancun"]["open_now"], halls["zhongguancun"]["next_opening"]) == (
        False,
        "2026-10-08T09:00:00+08:00",
    )


# workdays


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        pytest.param(["add", "2026-09-24", "7"], "2026-10-12", id="7 working days after 24 September 2026 is 12 October"),
        pytest.param(["add", "2026-12-24", "7"],
                     "2027-01-05 (Provisional: the holiday schedule for 2027 is not published; counted on the statutory holidays and their days in lieu, bridging days unknown (National Measures on Holidays for Annual Festivals and Memorial Days, Art. 2))",
                     id="a count into 2027 says it is provisional"),
        pytest.param(["between", "2026-09-24", "2026-10-12"], "7", id="working days between two dates are counted"),
        pytest.param(["is", "2026-10-10"], "2026-10-10: working day (make-up working day)",
                     id="a make-up Saturday is a working day"),
        pytest.param(["is", "2026-10-01"], "2026-10-01: rest day (National Day 2026-10-01..2026-10-07)",
                     id="National Day is a rest day"),
        pytest.param(["is", "2026-11-22"], "2026-11-22: rest day (weekend)", id="an ordinary Sunday is a rest day"),
        pytest.param(["is", "2026-10-01", "--lang", "zh"], "2026-10-01: 休息日 (国庆节 2026-10-01..2026-10-07)",
                     id="in Chinese"),
    ],
)  # fmt: skip
def test_workdays_answer_on_the_official_calendar(capsys, argv, expected) -> None:
    status, out, err = run(capsys, "workdays", *argv)
    assert (status, out, err) == (0, expected + "\n", "")


def test_an_exact_count_into_an_unpublished_year_is_refused(capsys) -> None:
    status, out, err = run(capsys, "workdays", "add", "2026-12-24", "7", "--exact")
    assert (status, out) == (2, "")
    assert err == (
        "exitentry workdays: the official holiday schedule for 2027 is not published yet; "
        "working days in that year cannot be counted exactly\n"
    )


def test_an_impossible_date_is_an_argument_error(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["workdays", "is", "2026-02-30"])
    assert exit_.value.code == 2
    assert "'2026-02-30' is not a real date in the form YYYY-MM-DD" in capsys.readouterr().err


# advise


def test_advice_is_a_readable_table_with_a_citation_on_every_line(capsys) -> None:
    status, out, _ = run(
        capsys, "advise", "rp-personal-affairs", "--facts", json.dumps(FAMILY_VISIT), "--on", "2026-09-24"
    )
    lines = out.splitlines()
    assert status == 0
    assert lines[:2] == [
        "Personal-affairs residence permit (first application): advice on 2026-09-24",
        "status: complete | fee: CNY 800 | proxy allowed: yes",
    ]
    i = lines.index("Time limits")
    assert lines[i + 1 : i + 3] == [
        "  - From submission of the materials to pick-up | 7 working days | due 2026-10-12",
        "      source: bj-personal-affairs: Timeline and Fees; regulations: Art. 36",
    ]
    assert "  [ok] Any household registration the applicant had in China has been cancelled" in lines
    items = [n for n, line in enumerate(lines) if line.startswith(("  - ", "  [ok] "))]
    for n in items:
        following = lines[n + 1 : n + 4]
        assert any(line.startswith("      source: ") for line in following), lines[n]


def test_advice_as_json_has_the_advice_shape(capsys) -> None:
    _, out, _ = run(
        capsys,
        "advise",
        "rp-personal-affairs",
        "--facts",
        json.dumps(FAMILY_VISIT),
        "--on",
        "2026-09-24",
        "--json",
    )
    body = json.loads(out)
    assert (body["status"], body["fee_total_cny"], body["on"]) == ("complete", 800, "2026-09-24")
    assert [(a["id"], a["due"]) for a in body["time_limits"]] == [
        ("processing", "2026-10-12"),
        ("receipt-validity", "2026-10-22"),
    ]


def test_a_whole_request_is_read_from_standard_input(capsys, monkeypatch) -> None:
    request = {"procedure": "rp-personal-affairs", "facts": {"ground": "family"}, "on": "2026-11-23"}
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(request)))
    status, out, _ = run(capsys, "advise", "--facts", "-", "--json")
    body = json.loads(out)
    assert (status, body["procedure"]["id"], body["on"], body["status"]) == (
        0,
        "rp-personal-affairs",
        "2026-11-23",
        "needs-facts",
    )
    assert body["missing_facts"][0]["id"] == "household_registration_in_china"


def test_facts_are_read_from_a_file_and_the_missing_ones_listed(capsys, tmp_path) -> None:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps({"ground": "family"}), encoding="utf-8")
    _, out, _ = run(
        capsys, "advise", "rp-personal-affairs", "--facts", f"@{path}", "--on", "2026-11-23", "--lang", "zh"
    )
    lines = out.splitlines()
    assert lines[1] == "状态: 尚需更多信息 | 费用: 尚不确定 | 可代办: 尚不确定"
    i = lines.index("尚需提供的信息")
    assert lines[i + 1] == "  household_registration_in_china: 申请人在中国是否仍有未注销的户籍？"


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        pytest.param(["rp-personal-affairs", "--facts", '{"birth_date": "1990-02-30"}'], "",
                     "fact birth_date: '1990-02-30' is not a real date in the form YYYY-MM-DD",
                     id="an impossible birth date names the fact"),
        pytest.param(["rp-personal-affairs", "--facts", '{"shoe_size": 42}'], "",
                     "fact shoe_size: is not a fact the rules know (see the list of facts)", id="an unknown fact is named"),
        pytest.param(["rp-personal-affairs", "--facts", '{"ground": "tourism"}'], "",
                     "fact ground: expected one of family, chinese-origin-property, medical, other-private-affairs, got 'tourism'",
                     id="a value outside the options is named"),
        pytest.param(["no-such-procedure"], "", "no procedure 'no-such-procedure' in the catalog",
                     id="an unknown procedure is named"),
        pytest.param(["rp-personal-affairs", "--on", "2020-01-01"], "",
                     "rp-personal-affairs is encoded for 2024-01-01 to now; no rules are in force for it on 2020-01-01",
                     id="a date before the rules are in force is refused"),
        pytest.param(["rp-personal-affairs", "--facts", "{ground"], "", "--facts: not valid JSON",
                     id="facts that are not JSON are refused"),
        pytest.param(["rp-personal-affairs", "--facts", "-"], '{"procedure": "rp-personal-affairs", "on": "2026-13-01"}',
                     "on: '2026-13-01' is not a real date in the form YYYY-MM-DD", id="an impossible date on stdin is named"),
        pytest.param(["--facts", "-"], '{"procedure": "x", "facts": {}, "when": "2026-01-01"}',
                     "--facts: unknown keys when (expected procedure, facts, on)", id="an unknown request key is named"),
        pytest.param(["--facts", "-"], '["ground"]', "--facts: expected a JSON object of facts",
                     id="facts that are not an object are refused"),
        pytest.param([], "", "name a procedure (see 'exitentry procedures')", id="a procedure is required"),
    ],
)  # fmt: skip
def test_bad_advice_input_is_one_line_and_exit_status_2(capsys, monkeypatch, argv, stdin, message) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    status, out, err = run(capsys, "advise", *argv)
    assert (status, out) == (2, "")
    assert err.startswith(f"exitentry advise: {message}")
    assert err.count("\n") == 1


# the installed console script


def test_the_installed_console_script_answers_and_fails_cleanly() -> None:
    script = Path(sys.executable).parent / "exitentry"
    ok = subprocess.run(
        [script, "workdays", "add", "2026-09-24", "7"], capture_output=True, text=True, timeout=60
    )
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "2026-10-12\n", "")
    bad = subprocess.run(
        [script, "advise", "rp-personal-affairs", "--facts", "-"],
        input='{"birth_date": "1990-02-30"}',
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2
    assert bad.stderr == (
        "exitentry advise: fact birth_date: '1990-02-30' is not a real date in the form YYYY-MM-DD\n"
    )
    assert "Traceback" not in bad.stdout + bad.stderr


def test_the_law_subcommands_never_import_django() -> None:
    probe = (
        "import sys; from exitentry.cli import main; "
        "[main(a) for a in (['procedures'], ['centers'], ['workdays', 'is', '2026-10-10'], "
        "['advise', 'rp-personal-affairs', '--on', '2026-11-23'])]; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'ninja')))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("EXITENTRY_DATABASE_URL", "EXITENTRY_DATA_DIR")}
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "[]"


# cite


def test_cite_lists_every_line_rule_function_and_parameter_citing_an_article(capsys) -> None:
    status, out, err = run(capsys, "cite", "regulations", "Art. 14")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].endswith("Art. 14: cited by 8")
    assert "  Rule line      visa-extension eligibility.within-extension-cap  [Art. 14]" in lines
    assert any("exitentry.law.rules.stay.max_extension_days  [Art. 14 para. 1]" in line for line in lines)
    assert any("exitentry.law.rules.stay.extended_stay_last_day  [Art. 14 para. 1]" in line for line in lines)
    assert "[Art. 140]" not in out


def test_cite_in_chinese_and_as_json(capsys) -> None:
    status, out, _ = run(capsys, "cite", "regulations", "Art. 18", "--lang", "zh")
    assert status == 0
    assert out.startswith("中华人民共和国外国人入境出境管理条例（2025年修订），Art. 18：引用")
    assert "居留证件受理回执的最长有效期，在此期间内作出决定：2013-09-01起为15个工作日" in out
    status, out, _ = run(capsys, "cite", "regulations", "Art. 18", "--json")
    found = json.loads(out)
    assert status == 0
    assert {"kind": "parameter", "ref": "residence-permit-receipt-validity"}.items() <= next(
        c for c in found if c["kind"] == "parameter"
    ).items()
    assert {c["cite"]["section"] for c in found} == {
        "Art. 18",
        "Art. 18 para. 2",
        "Art. 18 para. 2 (applied by analogy: the sources do not say this for this application)",
        "Art. 18 para. 3",
    }


def test_cite_of_an_unknown_source_exits_2_with_one_line(capsys) -> None:
    status, out, err = run(capsys, "cite", "regulation", "Art. 14")
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("exitentry cite: no source 'regulation' in the catalog; the sources are: ")


def test_centers_help_says_when_it_knows_a_supervisors_closure(capsys) -> None:
    with pytest.raises(SystemExit):
        run(capsys, "centers", "--help")
    said = " ".join(capsys.readouterr().out.split())
    assert "closures and extra hours" in said and "EXITENTRY_DATABASE_URL" in said


@pytest.mark.parametrize(("lang", "said"), [("en", "published timetable only"), ("zh", "仅按公布的办公时间")])
def test_centers_without_a_database_say_they_know_only_the_published_timetable(capsys, lang, said) -> None:
    status, out, _ = run(capsys, "centers", "--at", "2026-11-23T10:00+08:00", "--lang", lang)
    assert status == 0 and said in out.split("\n\n")[-1]
    _, _, err = run(capsys, "centers", "--json", "--at", "2026-11-23T10:00+08:00")
    assert "published timetable only" in err
