"""广播/「大喇叭」: a notice rewritten to be read aloud, printed, and spoken where a voice exists.

The script starts from what the wall shows (:func:`app.printing.sheet.build_sheet`:
the approved text, the 公示期 as dates, the 监督电话) and makes it something to
hear: a 名单 is not read but sent to the boards it hangs on; persons' ID,
mobile and card numbers are taken out with their labels; the office's own
numbers are read digit by digit; dates, amounts and percentages in words
(app/printing/spoken.py). The whole is read twice, as village loudspeakers do.

Audio is made by the system's own voice: espeak-ng's Mandarin voice on Linux,
SAPI (System.Speech through PowerShell) on Windows. Where there is none the
clerk is told so in one sentence and reads the script out herself.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.atomic import atomic_path, write_bytes
from app.errors import UserError
from app.notices.drafts import get_notice, published_phones
from app.notices.privacy import find_personal_data
from app.phones import is_phone
from app.printing.sheet import Block, Sheet, build_sheet
from app.printing.spoken import phone_words, rules, speak_numbers
from app.store import Store

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".docx")
#: Seconds a voice may take per character of script, and at least; a hung engine is stopped.
_SECONDS_PER_CHAR = 0.25
_MIN_TIMEOUT = 60.0
_MAX_TIMEOUT = 1800.0
#: espeak-ng's words per minute: slower than its 175, for loudspeakers in a village street.
_ESPEAK_SPEED = "140"

_SENTENCE_MARKS = re.compile(r"[。；;！!？?，,：:、]")
_CELLS = re.compile(r"[ \u3000]+")
_PIPE = re.compile(r"[|｜]")
_RULE_ROW = re.compile(r"^[\s|｜:：\-—=+]+$")
#: A 公示期 line as the sheet writes it (chinese_date), to be read as 公示时间为….
_PUBLICITY = re.compile(r"公示期[：:为]?\s*(?:自|从)?\s*(\d{4})年(\d{1,2})月(\d{1,2})日"
                        r"\s*(?:起)?\s*(?:至|到|—|-|－|~|～)\s*(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:止)?")
#: A masked number (3401**********3012, 138****5678): read it would be noise.
_MASKED = re.compile(r"(?:[0-9]+[ \-]*)?(?:[*＊][ \-]*){2,}[0-9Xx]*|[0-9]{2,}[*＊][0-9Xx]*")
#: Any run of digits (with spaces or dashes between) long enough to be a person's number.
_LONG_RUN = re.compile(r"(?<![0-9])[0-9](?:[\s\-－—]?[0-9]){11,}[0-9Xx]?(?![0-9])")
#: A phone number as printed: 0551-62345678, (0551)62345678, 12345, 0551-6234 5678转801.
_PHONE_LIKE = re.compile(r"(?:\+?86[\s\-]?)?[(（]?\d[\d\-－—–()（） ]{3,}\d"
                         r"(?:\s*(?:转|分机)\s*\d{1,6})?")


@dataclass(frozen=True)
class Broadcast:
    """What ``notice export --channel 广播`` made: the script, and the audio if a voice exists."""

    script: Path
    audio: Path | None
    #: Why there is no audio (one sentence), when there is none.
    no_audio: str = ""


def _script_rules() -> dict[str, str]:
    script: dict[str, str] = rules().data["script"]
    return script


def _is_row(line: str) -> bool:
    """Whether a line reads as a row of a pasted table (tabs, bars or spaced cells)."""
    if "\t" in line:
        return True
    if len([c for c in _PIPE.split(line) if c.strip()]) >= 2 or _RULE_ROW.match(line):
        return bool(_PIPE.search(line)) or "\t" in line
    return len(_CELLS.split(line.strip())) >= 3 and not _SENTENCE_MARKS.search(line)


def _paragraphs(blocks: list[Block], moved: str) -> list[str]:
    """The prose of the body; each 名单 (a table, or rows pasted as lines) becomes ``moved``."""
    out: list[str] = []
    rows = 0
    for block in blocks:
        if block.rows or _is_row(block.text):
            rows += 1
            continue
        if rows:
            out.append(moved)
            rows = 0
        out.append(block.text)
    if rows:
        out.append(moved)
    return out


def _without_personal(text: str, phones: tuple[str, ...]) -> str:
    """``text`` with persons' ID, mobile and card numbers (and masked ones) taken out.

    The label before a number goes with it (「身份证号340102…」), and the
    punctuation it leaves doubled is made single.
    """
    labels = "|".join(re.escape(w) for w in rules().data["personal"]["labels"])
    lead = rf"(?:(?:{labels})\s*[：:为是]?\s*)?"
    spans = [(f.start, f.end) for f in find_personal_data(text, phones)
             if f.kind != "address"]
    spans += [(m.start(), m.end()) for m in _MASKED.finditer(text)]
    for m in _LONG_RUN.finditer(text):
        if not _published(m.group(0), phones):
            spans.append((m.start(), m.end()))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    for start, end in reversed(merged):
        before = re.search(rf"{lead}$", text[:start])
        cut = before.start() if before and before.group(0) else start
        text = text[:cut] + "\u0000" + text[end:]
    text = re.sub(r"\u0000+", "\u0000", text)
    text = re.sub(r"[，,、；;\s]*\u0000[ \t]*([，,、；;]?)", lambda m: m.group(1) and "，", text)
    text = re.sub(r"\u0000", "", text)
    text = re.sub(r"[（(]\s*[)）]", "", text)  # 「（身份证号…）」 leaves its brackets
    text = re.sub(r"[，、；]+\s*(?=[，、；。！？])", "", text)
    return re.sub(r"^[，、；]", "", text.strip())


def _published(number: str, phones: tuple[str, ...]) -> bool:
    digits = re.sub(r"\D", "", number)
    return any(digits and digits == re.sub(r"\D", "", p) for p in phones)


def _speak_phones(text: str, phones: tuple[str, ...]) -> str:
    """The office's numbers (published, or after a phone label) read digit by digit."""
    labels = "|".join(re.escape(w) for w in rules().data["personal"]["phone_labels"])
    after_label = re.compile(rf"(?:{labels})[^0-9\n]{{0,6}}$")

    def read(m: re.Match[str]) -> str:
        number = m.group(0).strip()
        if _published(number, phones) or (is_phone(number)
                                           and after_label.search(text[:m.start()])):
            tail = " " if m.group(0).endswith(" ") else ""
            return phone_words(number) + tail
        return m.group(0)

    return _PHONE_LIKE.sub(read, text)


def _publicity_sentence(text: str) -> str:
    """「公示期：2026年11月23日至2026年12月1日」 read as 「公示时间为十一月二十三日至十二月一日」.

    The year is left out of the end when it is the start's.
    """
    lead = _script_rules()["publicity"]

    def read(m: re.Match[str]) -> str:
        y1, m1, d1, y2, m2, d2 = m.groups()
        end_year = y2 if y2 and y2 != y1 else ""
        start = f"{m1}月{d1}日"
        end = (f"{end_year}年" if end_year else "") + f"{m2}月{d2}日"
        return f"{lead}{start}至{end}"

    return _PUBLICITY.sub(read, text)


def _speakable(text: str, phones: tuple[str, ...]) -> str:
    text = _without_personal(text, phones)
    text = _publicity_sentence(text)
    text = _speak_phones(text, phones)
    return speak_numbers(text)


def _where_posted(store: Store, notice_id: str) -> list[str]:
    notice = get_notice(store, notice_id)
    boards: list[str] = []
    for posting in notice.postings:
        if not posting.get("taken_down") and posting["board"] not in boards:
            boards.append(posting["board"])
    return boards


def _sentence(text: str) -> str:
    text = text.strip().rstrip("，、；,;　 ")
    if not text:
        return ""
    if text.endswith(("：", ":")):
        return text[:-1] + "。"
    return text if text[-1] in "。！？!?；;" else text + "。"


def script_lines(store: Store, notice_id: str) -> tuple[list[str], Sheet]:
    """The 广播稿 read once (opening, body, 公示期, 监督电话, signature), and its sheet."""
    sheet = build_sheet(store, notice_id)
    words = _script_rules()
    phones = published_phones(store)
    moved = words["list_moved"]
    boards = _where_posted(store, notice_id)
    moved = (f"{moved}，{words['list_where']}{'、'.join(boards)}。" if boards else f"{moved}。")
    title = _speakable(sheet.title, phones)
    issuer = sheet.issuer
    # 「关于…的公示」 needs its issuer said first; a title that names the township does not.
    lines = [f"{words['opening']}{issuer if title.startswith('关于') else ''}{title}。"]
    for paragraph in _paragraphs(sheet.blocks, moved):
        spoken = paragraph if paragraph == moved else _sentence(_speakable(paragraph, phones))
        if spoken and spoken != "。":
            lines.append(spoken)
    for extra in (sheet.publicity, sheet.phone_line, sheet.closing):
        if extra:
            lines.append(_sentence(_speakable(extra, phones)))
    lines.append(_sentence(f"{issuer}，{speak_numbers(sheet.dated)}"))
    return lines, sheet


def broadcast_text(store: Store, notice_id: str) -> str:
    """The 广播稿: no tables, no ID or phone digits of persons, amounts and dates in words.

    Read once, then 「以上内容重复播送一遍。」 and read again, and 「播送完毕。」.
    """
    lines, _sheet = script_lines(store, notice_id)
    words = _script_rules()
    return "\n".join([*lines, words["repeat"], *lines, words["ending"]])


def _check_out(out: Path) -> Path:
    out = Path(out)
    if out.suffix.lower() not in SUFFIXES:
        raise UserError(f"广播稿只能保存为文本（.txt）或 Word 文件（.docx），「{out.name}」不是。")
    if out.is_dir():
        raise UserError(f"「{out}」是一个文件夹，请写上广播稿的文件名（.txt 或 .docx）。")
    return out


def export_broadcast(store: Store, notice_id: str, out: Path) -> Broadcast:
    """Write the 广播稿 as ``out`` (.txt or .docx) and, where a Chinese voice exists, a .wav.

    The .txt is UTF-8 with a BOM and Windows line ends, so the Notepad of an old
    office PC (Windows 7) and WPS open it as Chinese. A draft's script carries
    the draft mark and gets no recording: a recording is what goes on air.
    """
    out = _check_out(out)
    notice = get_notice(store, notice_id)
    text = broadcast_text(store, notice_id)
    words = _script_rules()
    draft = notice.status not in ("approved", "published")
    if out.suffix.lower() == ".docx":
        _write_docx(out, text, draft)
    else:
        body = (f"【{words['draft_mark']}】\n" if draft else "") + text + "\n"
        write_bytes(out, "\ufeff".encode() + body.replace("\n", "\r\n").encode("utf-8"))
    if draft:
        return Broadcast(out, None, words["draft_no_audio"])
    wav = out.with_suffix(".wav")
    made = speak_to_wav(text, wav)
    return Broadcast(out, wav if made else None, "" if made else words["no_audio"])


def _write_docx(out: Path, text: str, draft: bool) -> None:
    """Large type for reading at a microphone: 小二 (18 pt) 仿宋, the opening line in 黑体."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from app.printing.sheet_docx import FACES, add_run, new_document

    size = 18.0  # 小二: above the 三号 (16 pt) minimum, read at arm's length
    doc = new_document()
    doc.styles["Normal"].paragraph_format.line_spacing = 1.5
    section = doc.sections[0]
    if draft:
        mark = section.header.paragraphs[0]
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_run(mark, _script_rules()["draft_mark"], FACES["heading"], 16, bold=True)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(heading, "广播稿", FACES["title"], 22)
    repeat = _script_rules()["repeat"]
    for n, line in enumerate(text.split("\n")):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(6)
        if line == repeat:
            paragraph.paragraph_format.space_before = Pt(12)
            add_run(paragraph, line, FACES["heading"], size, bold=True)
            continue
        paragraph.paragraph_format.first_line_indent = Pt(2 * size)
        add_run(paragraph, line, FACES["heading" if n == 0 else "body"], size)
    with atomic_path(out) as tmp:
        doc.save(tmp)


# --- the voice -----------------------------------------------------------------------------


def _timeout(text: str) -> float:
    return min(_MAX_TIMEOUT, max(_MIN_TIMEOUT, len(text) * _SECONDS_PER_CHAR))


def espeak_voice() -> str | None:
    """espeak-ng's Mandarin voice, or None where it is not installed.

    ``cmn-latn-pinyin`` first: espeak-ng 1.51's plain ``cmn`` spells the pinyin of
    some characters in English (一 as "yi one", 零 as "ling two"); the pinyin
    voice says them right. The script holds almost no Latin letters to mind.
    """
    program = shutil.which("espeak-ng")
    if not program:
        return None
    for voice in ("cmn-latn-pinyin", "cmn", "zh"):
        try:
            listed = subprocess.run([program, f"--voices={voice}"], capture_output=True,
                                    text=True, timeout=20, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        if any(line.split()[1:2] == [voice] for line in listed.splitlines()[1:]):
            return voice
    return None


#: PowerShell's System.Speech, the SAPI voices of Windows (Huihui and Kangkang on a Chinese
#: Windows). Exit 3: no Chinese voice installed. Paths come in the environment, never quoted
#: into the script, so a folder name with quotes in it cannot change what runs.
SAPI_SCRIPT = r"""
$ErrorActionPreference = 'Stop'
Add-Type -AssemblyName System.Speech
$s = New-Object System.Speech.Synthesis.SpeechSynthesizer
$v = $s.GetInstalledVoices() |
  Where-Object { $_.Enabled -and $_.VoiceInfo.Culture.Name -like 'zh*' } | Select-Object -First 1
if (-not $v) { exit 3 }
$s.SelectVoice($v.VoiceInfo.Name)
$s.Rate = -2
$s.SetOutputToWaveFile($env:GONGKAI_WAV)
$s.Speak([IO.File]::ReadAllText($env:GONGKAI_TXT, [Text.Encoding]::UTF8))
$s.Dispose()
"""


def _speak_command(voice_text: Path, wav: str) -> tuple[list[str], dict[str, str]] | None:
    """The command that writes ``wav`` from the text file, or None where no voice exists."""
    if sys.platform == "win32":
        shell = shutil.which("powershell") or shutil.which("pwsh")
        if not shell:
            return None
        env = {**os.environ, "GONGKAI_WAV": wav, "GONGKAI_TXT": str(voice_text)}
        return [shell, "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
                "-Command", SAPI_SCRIPT], env
    voice = espeak_voice()
    if not voice:
        return None
    program = shutil.which("espeak-ng") or "espeak-ng"
    return [program, "-v", voice, "-s", _ESPEAK_SPEED, "-w", wav, "-f", str(voice_text)], \
        dict(os.environ)


def speak_to_wav(text: str, wav: Path) -> bool:
    """Write ``text`` spoken as ``wav`` (whole or not at all); False where no voice does it.

    Runs the engine as a child process with a timeout, so a hung engine costs
    time, never the program; the GUI calls this from a worker. An engine that
    fails, or writes nothing but a WAV header, counts as no voice: the old
    ``wav`` (if any) stays as it was.
    """
    with tempfile.TemporaryDirectory(prefix="gongkai-voice-") as folder:
        source = Path(folder) / "script.txt"
        source.write_text(text, encoding="utf-8")
        spoken = Path(folder) / "spoken.wav"
        command = _speak_command(source, str(spoken))
        if command is None:
            return False
        argv, env = command
        try:
            done = subprocess.run(argv, env=env, capture_output=True,
                                  timeout=_timeout(text), check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("voice failed: %r", exc)
            return False
        if done.returncode != 0 or not spoken.exists() or spoken.stat().st_size <= 44:
            # 44 bytes is a WAV header with no sound after it.
            log.warning("voice exit %s: %s", done.returncode,
                        done.stderr[-500:].decode("utf-8", "replace"))
            return False
        write_bytes(wav, spoken.read_bytes())
    return True
