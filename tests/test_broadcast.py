"""The 广播稿 (「大喇叭」): a 低保 公示 with its 名单 made something to hear, and its readings."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import wave
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from tests_support import approve_step, body_with_personal_data, dibao_roster, dibao_rows

from app.errors import UserError
from app.notices import boards, drafts, review
from app.printing import broadcast
from app.printing.broadcast import broadcast_text, espeak_voice, export_broadcast
from app.printing.spoken import (
    amount_words,
    date_words,
    decimal_words,
    integer_words,
    phone_words,
    speak_numbers,
)

pytestmark = pytest.mark.usefixtures("pinned_today")
TODAY = "2026-11-23"
NO_AUDIO = "本机没有中文语音，未生成录音；可按广播稿人工播送。"
CHINESE_DIGITS = "〇零一二三四五六七八九"
#: Eleven digits read out (a mobile), or more, with or without pauses between them.
LONG_SPOKEN_RUN = rf"[{CHINESE_DIGITS}](?:[，,\s\-]?[{CHINESE_DIGITS}]){{10,}}"
OFFICE_PHONE = "零五五一，六二三四，五六七八"


@pytest.fixture
def dibao(township):
    """An approved 低保 公示: a 7-column 名单 of 30 and a paragraph of personal numbers
    (masked, as review requires), up on the township board and on 青石村's."""
    boards.set_villages(township, ["青石村"])
    review.set_review_steps(township, 1)
    body = dibao_roster(30) + "\n" + body_with_personal_data()[0]
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20", body=body)
    drafts.mask_notice(township, n.id)
    approve_step(township, n.id, "王明")
    for board in ("镇政务公开栏", boards.board_name("青石村")):
        boards.post(township, n.id, board, on="2026-11-23")
    return township, n.id


def test_the_script_of_a_dibao_list_says_where_the_list_is_and_reads_no_personal_number(
        dibao) -> None:
    store, notice_id = dibao
    text = broadcast_text(store, notice_id)
    assert text.startswith("各位村民请注意，现在播送")
    # Every figure is a word: nothing a listener could write down as a number of a person.
    assert not re.search(r"[0-9０-９]", text)
    assert not re.search(LONG_SPOKEN_RUN, text.replace(OFFICE_PHONE, "监督电话"))
    for secret in body_with_personal_data()[1]:
        spoken = "".join(CHINESE_DIGITS[1:][int(d)] for d in re.sub(r"\D", "", secret))
        assert spoken[:8] not in text
    for label in ("身份证", "银行卡", "联系电话"):
        assert label not in text
    # The 名单 is not read (none of its names), but sent to the boards it hangs on.
    for row in dibao_rows(30)[:5]:
        assert row[1] not in text
    assert "名单请到村务公开栏查看，已张贴在镇政务公开栏、青石村村务公开栏。" in text
    # What stays: the people named in prose, their household sizes and amounts in words.
    assert "张三，家庭人口三人，拟保障金额每月一千二百六十元。" in text
    assert "李四，家庭人口两人，拟保障金额每月八百四十元" in text
    assert "民发〔二〇二一〕五十七号" in text
    assert "二〇二六年十一月二十日经初审" in text
    assert "公示时间为十一月二十三日至十二月一日" in text
    assert "监督电话：零五五一，六二三四，五六七八。" in text
    # Read twice, as loudspeakers do.
    once, _, again = text.partition("以上内容重复播送一遍。\n")
    assert again == once + "播送完毕。"
    assert text.count("名单请到村务公开栏查看") == 2


def test_a_draft_with_unmasked_numbers_reads_none_of_them(township) -> None:
    body, secrets = body_with_personal_data()
    body = body.replace("李四，", "李四，手机：139-0551-2345，身份证 340102 19800101 3018，")
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20", body=body)
    text = broadcast_text(township, n.id)
    assert not re.search(r"[0-9]", text)
    assert not re.search(LONG_SPOKEN_RUN, text.replace(OFFICE_PHONE, "监督电话"))
    for label in ("身份证", "银行卡", "手机", "联系电话"):
        assert label not in text
    assert "张三，家庭人口三人，拟保障金额每月一千二百六十元。" in text
    assert "李四，家庭人口两人" in text


@pytest.mark.parametrize("masked", ["3401**********3018", "138****5678", "6222 **** **** 1234",
                                    "3401 ＊＊＊＊ ＊＊＊＊ 3018"])
def test_masked_numbers_are_not_read_either(masked: str) -> None:
    assert broadcast._without_personal(f"张三，卡号{masked}，两人", ()) == "张三，两人"


def test_the_txt_opens_in_notepad_and_the_wav_is_sound_where_a_voice_exists(
        dibao, tmp_path: Path) -> None:
    store, notice_id = dibao
    made = export_broadcast(store, notice_id, tmp_path / "广播稿.txt")
    raw = made.script.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    assert raw.decode("utf-8-sig").replace("\r\n", "\n").strip() == \
        broadcast_text(store, notice_id)
    if espeak_voice() is None:  # scripts/setup-system installs espeak-ng; a bare PC may not
        assert made.audio is None and made.no_audio == NO_AUDIO
        return
    assert made.audio == tmp_path / "广播稿.wav" and made.no_audio == ""
    with wave.open(str(made.audio)) as sound:
        assert sound.getnframes() > sound.getframerate() * 30  # well over half a minute read
    assert not list(tmp_path.glob(".~*"))  # nothing half-written left beside it


def test_the_docx_is_large_type_and_converts(dibao, tmp_path: Path) -> None:
    store, notice_id = dibao
    out = tmp_path / "广播稿.docx"
    made = export_broadcast(store, notice_id, out)
    doc = Document(str(made.script))
    texts = [p.text for p in doc.paragraphs]
    assert "名单请到村务公开栏查看，已张贴在镇政务公开栏、青石村村务公开栏。" in texts
    assert "以上内容重复播送一遍。" in texts
    sizes = {r.font.size.pt for p in doc.paragraphs for r in p.runs if r.text.strip()}
    assert min(sizes) >= 16  # 三号 at least
    assert not doc.sections[0].header.paragraphs[0].text  # approved: no draft mark
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is installed by scripts/setup-system")
    from tests_support import libreoffice_to_pdf

    pdf = libreoffice_to_pdf(out, tmp_path)
    printed = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                             text=True).stdout
    squashed = "".join(printed.split())
    assert "名单请到村务公开栏查看" in squashed
    assert "公示时间为十一月二十三日至十二月一日" in squashed


def test_a_draft_is_marked_and_not_recorded(township, tmp_path: Path) -> None:
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20")
    made = export_broadcast(township, n.id, tmp_path / "稿.txt")
    assert made.audio is None and made.no_audio == "草稿未经审核，未生成录音；审核通过后再生成。"
    assert made.script.read_text(encoding="utf-8-sig").startswith("【草稿 未经审核 不得播送】")
    assert not (tmp_path / "稿.wav").exists()
    # The outline's empty 名单 header is still a 名单, and its 公示期 rule is read as dates.
    text = broadcast_text(township, n.id)
    assert "名单请到村务公开栏查看。" in text
    assert "公示时间为十一月二十三日至十二月一日" in text


def test_only_txt_or_docx(township, tmp_path: Path) -> None:
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20")
    for bad in ("稿.pdf", "稿", "稿.wav"):
        with pytest.raises(UserError, match="只能保存为文本"):
            export_broadcast(township, n.id, tmp_path / bad)
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(UserError, match="是一个文件夹"):
        export_broadcast(township, n.id, tmp_path / "folder.txt")


def test_the_command_line_without_a_chinese_voice_says_so_in_one_sentence(
        dibao, gk, tmp_path: Path, monkeypatch) -> None:
    store, notice_id = dibao
    # An espeak-ng with no Mandarin voice, ahead of any real one on PATH.
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "espeak-ng").write_text("#!/bin/sh\necho 'Pty Language Age/Gender VoiceName'\n")
    (fake / "espeak-ng").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}:{__import__('os').environ['PATH']}")
    out = tmp_path / "稿.txt"
    done = gk("notice", "export", notice_id, "--channel", "广播", "--out", str(out))
    assert done.returncode == 0
    assert done.stdout.strip() == f"已生成广播稿：{out}；{NO_AUDIO}"
    assert not out.with_suffix(".wav").exists()
    result = json.loads(gk("notice", "export", notice_id, "--channel", "广播", "--out",
                           str(out), "--json").stdout)
    assert result == {"channel": "广播", "files": [str(out)], "no_audio": NO_AUDIO}
    bad = gk("notice", "export", notice_id, "--channel", "广播", "--out",
             str(tmp_path / "稿.mp3"), check=False)
    assert bad.returncode == 1 and "只能保存为文本" in bad.stderr


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng: scripts/setup-system")
def test_the_command_line_records_with_espeak(dibao, gk, tmp_path: Path) -> None:
    store, notice_id = dibao
    out = tmp_path / "稿.docx"
    result = json.loads(gk("notice", "export", notice_id, "--channel", "广播", "--out",
                           str(out), "--json").stdout)
    assert result["files"] == [str(out), str(out.with_suffix(".wav"))]
    with wave.open(str(out.with_suffix(".wav"))) as sound:
        assert sound.getnframes() > 0


def test_windows_speaks_through_sapi(dibao, tmp_path: Path, monkeypatch) -> None:
    """Untestable here for real: the PowerShell call is checked, its WAV written by a stand-in."""
    store, notice_id = dibao
    calls = []

    def fake_run(argv, env, **kwargs):
        calls.append((argv, env, kwargs))
        spoken = Path(env["GONGKAI_TXT"]).read_text(encoding="utf-8")
        with wave.open(env["GONGKAI_WAV"], "wb") as sound:
            sound.setnchannels(1)
            sound.setsampwidth(2)
            sound.setframerate(16000)
            sound.writeframes(b"\x00\x01" * len(spoken))
        return subprocess.CompletedProcess(argv, 0, b"", b"")

    monkeypatch.setattr(broadcast.sys, "platform", "win32")
    monkeypatch.setattr(broadcast.shutil, "which",
                        lambda name: r"C:\Windows\powershell.exe" if name == "powershell" else None)
    monkeypatch.setattr(broadcast.subprocess, "run", fake_run)
    made = export_broadcast(store, notice_id, tmp_path / "稿.txt")
    assert made.audio == tmp_path / "稿.wav" and not made.no_audio
    (argv, env, kwargs), = calls
    assert argv[0].endswith("powershell.exe") and argv[-1] == broadcast.SAPI_SCRIPT
    assert "System.Speech" in argv[-1] and "zh*" in argv[-1]
    assert kwargs["timeout"] >= 60
    with wave.open(str(made.audio)) as sound:
        assert sound.getnframes() == len(broadcast_text(store, notice_id))

    # No Chinese voice installed: the script's exit 3, and the one sentence.
    monkeypatch.setattr(broadcast.subprocess, "run",
                        lambda argv, **kw: subprocess.CompletedProcess(argv, 3, b"", b""))
    again = export_broadcast(store, notice_id, tmp_path / "另.txt")
    assert again.audio is None and again.no_audio == NO_AUDIO


# --- the readings --------------------------------------------------------------------------

DIGIT = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
SMALL = {"十": 10, "百": 100, "千": 1000}


def parse_integer(words: str) -> int:
    """Words back to the integer: a small reader of 万/亿 sections, written for the test."""
    for unit, value in (("亿", 10 ** 8), ("万", 10 ** 4)):
        if unit in words:
            high, _, low = words.partition(unit)
            return parse_integer(high) * value + (parse_integer(low) if low else 0)
    total, digit = 0, None
    for ch in words:
        if ch in SMALL:
            total += (1 if digit is None else digit) * SMALL[ch]
            digit = None
        elif ch == "零":
            continue
        else:
            digit = DIGIT[ch]
    return total + (digit or 0)


def parse_amount(words: str) -> Decimal:
    """一千二百三十四元五角 → 1234.50."""
    match = re.fullmatch(r"(?:(.+)元)?(?:零)?(?:(.)角)?(?:(.)分)?", words)
    assert match, words
    yuan, jiao, fen = match.groups()
    return (parse_integer(yuan) if yuan else 0) + Decimal(DIGIT[jiao] if jiao else 0) / 10 \
        + Decimal(DIGIT[fen] if fen else 0) / 100


READINGS = {
    0: "零", 7: "七", 10: "十", 11: "十一", 20: "二十", 100: "一百", 101: "一百零一",
    110: "一百一十", 680: "六百八十", 1005: "一千零五", 1010: "一千零一十", 1234: "一千二百三十四",
    10000: "一万", 10005: "一万零五", 12000: "一万二千", 100000: "十万", 100010: "十万零一十",
    105000: "十万五千", 1000000: "一百万", 100000000: "一亿", 100010000: "一亿零一万",
    110000000: "一亿一千万", 1000000000: "十亿", 10 ** 12: "一万亿", 12 * 10 ** 11: "一万二千亿",
}


@pytest.mark.parametrize(("n", "words"), READINGS.items())
def test_integers_read_as_a_listener_hears_them(n: int, words: str) -> None:
    assert integer_words(n) == words


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=0, max_value=10 ** 12))
def test_any_integer_reads_back_to_itself(n: int) -> None:
    words = integer_words(n)
    assert parse_integer(words) == n
    assert "零零" not in words and not words.startswith("一十")
    assert n == 0 or not words.endswith("零") and not words.startswith("零")
    assert not re.search(r"[0-9]", words)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10 ** 10))
def test_any_amount_reads_back_to_itself(cents: int) -> None:
    value = Decimal(cents) / 100
    for written in (f"{value:.2f}", f"{value:,.2f}"):
        assert parse_amount(amount_words(written)) == value


@pytest.mark.parametrize(("written", "said"), [
    ("680元", "六百八十元"), ("1,234.50元", "一千二百三十四元五角"), ("12.05元", "十二元零五分"),
    ("0.5元", "五角"), ("1260.00元/月", "一千二百六十元/月"), ("2.5万元", "二点五万元"),
    ("2026-11-23", "二〇二六年十一月二十三日"), ("2026年11月23日", "二〇二六年十一月二十三日"),
    ("2026/1/5", "二〇二六年一月五日"), ("11月23日至12月1日", "十一月二十三日至十二月一日"),
    ("2026年11月", "二〇二六年十一月"), ("2026年度", "二〇二六年度"), ("12.5%", "百分之十二点五"),
    ("100%", "百分之一百"), ("第2批", "第二批"), ("2人", "两人"), ("12人", "十二人"),
    ("8:30", "八点三十分"), ("民发〔2021〕57号", "民发〔二〇二一〕五十七号"),
    ("１２３元", "一百二十三元"), ("编号007", "编号零零七"),
])
def test_figures_in_a_sentence(written: str, said: str) -> None:
    assert speak_numbers(written) == said


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_any_date_reads_back(day: date) -> None:
    said = speak_numbers(day.isoformat())
    assert said == date_words(day.year, day.month, day.day)
    year, month, rest = re.fullmatch(r"(.{4})年(.+)月(.+)日", said).groups()
    assert [int("".join(str(DIGIT[c]) for c in year)), parse_integer(month),
            parse_integer(rest)] == [day.year, day.month, day.day]


def test_phones_read_digit_by_digit_in_their_groups() -> None:
    assert phone_words("0551-62345678") == "零五五一，六二三四，五六七八"
    assert phone_words("05516234 5678") == "零五五一，六二三四，五六七八"
    assert phone_words("010-12345678") == "零一零，一二三四，五六七八"
    assert phone_words("12345") == "一二三四五"
    assert phone_words("0551-62345678转801") == "零五五一，六二三四，五六七八，转八零一"
    assert decimal_words("0.25") == "零点二五"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789０１.,%％:：-/年月日号元万亿第人〔〕 X*，。"
                                        "电话身份证张三"), max_size=60))
def test_any_text_comes_out_without_figures(text: str) -> None:
    assert not re.search(r"[0-9０-９]", speak_numbers(text))
    broadcast._without_personal(text, ("0551-62345678",))  # never raises


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng: scripts/setup-system")
def test_the_espeak_voice_says_the_numerals_in_mandarin() -> None:
    """espeak-ng 1.51's plain cmn reads 一 as "yi one" (its pinyin in English); ours must not."""
    voice = espeak_voice()
    assert voice is not None
    words = "二〇二六年十一月，一千零五元五角"
    said = subprocess.run(["espeak-ng", "-v", voice, "-q", "-x", words], capture_output=True,
                          text=True, check=True, timeout=30).stdout
    assert "(en)" not in said
