"""The county staff's pages as plain HTML: no script, no framework, every value escaped."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import urlencode

from app.county.received import PAGE_SIZE, ReceivedNotice

STATE_NAMES = {"received": "已收到", "published": "已发布", "returned": "已退回"}
OFFLINE_MARK = "仅限线下公开，不上网"
METADATA_MARK = "仅报送元数据，未含正文"

_STYLE = """
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;
color:#222;background:#f6f6f4}
header{background:#a61b1b;color:#fff;padding:.6em 1.2em;display:flex;
justify-content:space-between;align-items:center}
header h1{font-size:1.2em;margin:0}
header form{display:inline}
main{padding:1em 1.2em}
table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:1.2em}
th,td{border:1px solid #ccc;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#eee}
td.state-received{color:#555}td.state-published{color:#17692b}td.state-returned{color:#a61b1b}
.withdrawn{color:#a61b1b}
form.mark{margin:.2em 0}form.mark input[type=text],form.mark input[type=url]{width:14em}
nav a{margin-right:.8em}
.message{background:#fff3cd;border:1px solid #e0c060;padding:.6em;margin-bottom:1em}
pre{white-space:pre-wrap;font-family:inherit;margin:.3em 0}
td.short{white-space:nowrap}
.offline{display:inline-block;background:#a61b1b;color:#fff;padding:.05em .4em;margin:.1em 0}
.bare{display:inline-block;border:1px solid #888;color:#444;padding:.05em .4em;margin:.1em 0}
form.mark label{display:block;font-size:.9em}
"""


def _page(title: str, body: str, staff: str = "", key: str = "") -> str:
    logout = ""
    if staff:
        logout = (f'<span>{escape(staff)} · <form method="post" action="/logout">'
                  f'<input type="hidden" name="key" value="{escape(key)}">'
                  '<button type="submit">退出</button></form></span>')
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
            f"<header><h1>县级政务公开平台 · {escape(title)}</h1>{logout}</header>"
            f"<main>{body}</main></body></html>")


def login_page(message: str = "") -> str:
    """The login form: a staff token, nothing else."""
    note = f'<p class="message">{escape(message)}</p>' if message else ""
    return _page("工作人员登录", f"""{note}
<form method="post" action="/login">
<p><label>工作人员令牌（由 <code>gongkai-county token add --staff 姓名</code> 发放）<br>
<input type="password" name="token" size="50" autocomplete="current-password" required></label></p>
<p><button type="submit">登录</button></p>
</form>""")


def message_page(title: str, sentence: str, back: str = "/") -> str:
    """One sentence and a way back."""
    return _page(title, f'<p class="message">{escape(sentence)}</p>'
                        f'<p><a href="{escape(back)}">返回</a></p>')


def _when(iso: str | None) -> str:
    """An ISO time as a clerk reads it: ``2026-11-23 10:05``."""
    return (iso or "")[:16].replace("T", " ") or "—"


def _link(**query: Any) -> str:
    return "/?" + urlencode({k: v for k, v in query.items() if v not in ("", None, 0)})


def _summary(townships: list[dict[str, Any]], selected: int | None) -> str:
    if not townships:
        return "<p>还没有登记任何乡镇。用 <code>gongkai-county token add 乡镇名称</code> 登记。</p>"
    rows = []
    for t in townships:
        name = escape(t["name"])
        if t["id"] == selected:
            name = f"<strong>{name}</strong>"
        rows.append(f'<tr><td><a href="{escape(_link(township=t["id"]))}">{name}</a></td>'
                    f'<td>{t["notices"]}</td><td>{t["received"]}</td><td>{t["published"]}</td>'
                    f'<td>{t["returned"]}</td><td>{escape(_when(t["last"]))}</td>'
                    f'<td><code>{escape(t.get("key_fingerprint") or "未登记")}</code></td></tr>')
    return ("<table><tr><th>乡镇</th><th>公开信息</th><th>待处理</th><th>已发布</th>"
            "<th>已退回</th><th>最近收到</th><th>签名公钥指纹</th></tr>" + "".join(rows)
            + "</table>")


def _attachments(township: int, notice: ReceivedNotice) -> str:
    links = []
    for a in notice.attachments:
        digest = str(a.get("sha256", ""))
        label = escape(str(a.get("name") or a.get("kind") or digest[:12]))
        links.append(f'<a href="/attachments/{township}/{escape(digest)}">{label}</a>')
    return "<br>".join(links) or "—"


def _answer(notice: ReceivedNotice) -> str:
    if notice.state == "published" and notice.url:
        url = escape(notice.url)
        why = (f"<br><small>确认上网理由：{escape(notice.online_reason)}</small>"
               if notice.online_reason else "")
        return f'<a href="{url}" rel="noreferrer">{url}</a>{why}'
    if notice.state == "returned":
        return escape(notice.reason or "")
    return ""


def _forms(township: int, notice: ReceivedNotice, key: str, back: str) -> str:
    hidden = (f'<input type="hidden" name="key" value="{escape(key)}">'
              f'<input type="hidden" name="township" value="{township}">'
              f'<input type="hidden" name="notice_id" value="{escape(notice.notice_id)}">'
              f'<input type="hidden" name="back" value="{escape(back)}">')
    # A 不上网 notice goes online only on purpose: the box and the reason are the purpose.
    confirm = ('<label><input type="checkbox" name="confirm_online" value="yes" required>'
               '确认仍在网站发布</label>'
               '<input type="text" name="online_reason" placeholder="上网理由（必填）" required>'
               if notice.offline_only else "")
    return (f'<form class="mark" method="post" action="/mark">{hidden}'
            '<input type="hidden" name="state" value="published">'
            '<input type="url" name="url" placeholder="发布网址 https://…" required>'
            f'{confirm}<button type="submit">标记已发布</button></form>'
            f'<form class="mark" method="post" action="/mark">{hidden}'
            '<input type="hidden" name="state" value="returned">'
            '<input type="text" name="reason" placeholder="退回理由" required>'
            '<button type="submit">退回</button></form>')


def _notice_row(township: int, n: ReceivedNotice, key: str, back: str) -> str:
    postings = "；".join(
        f"{p.get('board', '')} {p.get('posted') or ''}"
        + (f" 至 {p['taken_down']}" if p.get("taken_down") else "") for p in n.postings)
    details = (f"<details><summary>{escape(n.title)}</summary>"
               f"<p>目录事项：{escape(n.item or '—')}；第{n.rev}版；首次收到 "
               f"{escape(_when(n.first_received))}</p>"
               + (f"<p>张贴：{escape(postings)}</p>" if postings else "")
               + (_counts(n) if n.metadata_only else f"<pre>{escape(n.body)}</pre>")
               + "</details>")
    bare = f'<span class="bare">{METADATA_MARK}</span>' if n.metadata_only else ""
    # Beside the state, where staff look before they publish.
    offline = f'<strong class="offline">{OFFLINE_MARK}</strong><br>' if n.offline_only else ""
    return (f'<tr id="n-{escape(n.notice_id)}"><td>{details}{bare}</td>'
            f'<td class="short">{escape(n.kind)}</td><td class="short">{escape(n.domain)}</td>'
            f'<td class="short">{escape(_when(n.received))}</td>'
            f'<td class="state-{escape(n.state)}">'
            + ('<strong class="withdrawn">乡镇已撤回，请从网站撤下</strong><br>'
               if n.withdrawn else "") + offline
            + f"{STATE_NAMES.get(n.state, escape(n.state))}"
            f"<br><small>{escape(_when(n.state_at))}</small></td><td>{_answer(n)}</td>"
            f"<td>{_attachments(township, n)}</td>"
            f"<td>{_forms(township, n, key, back)}</td></tr>")


def _counts(n: ReceivedNotice) -> str:
    """What a metadata-only notice says of its body instead of the body."""
    said = n.counts
    parts = []
    if said.get("list_rows"):
        parts.append(f"名单{said.get('lists', 1)}份共{said['list_rows']}行")
    if said.get("chars"):
        parts.append(f"正文{said['chars']}字")
    return (f"<p>乡镇只报送了元数据，正文留在乡镇（{escape('，'.join(str(p) for p in parts))}）。"
            "</p>" if parts else "<p>乡镇只报送了元数据，正文留在乡镇。</p>")


def overview_page(staff: str, key: str, townships: list[dict[str, Any]],
                  selected: int | None, notices: list[ReceivedNotice], total: int,
                  state: str, page: int) -> str:
    """Every township's figures, then the selected township's notices with the mark forms."""
    parts = [_summary(townships, selected)]
    chosen = next((t for t in townships if t["id"] == selected), None)
    if chosen is not None:
        filters = " ".join(
            f'<a href="{escape(_link(township=selected, state=s))}">'
            + (f"<strong>{escape(label)}</strong>" if s == state else escape(label)) + "</a>"
            for s, label in (("", "全部"), *STATE_NAMES.items()))
        parts.append(f"<h2>{escape(chosen['name'])} 报送的公开信息（{total}条）</h2>"
                     f"<nav>{filters}</nav>")
        back = _link(township=selected, state=state, page=page)
        if notices:
            parts.append("<table><tr><th>标题</th><th>种类</th><th>领域</th><th>收到时间</th>"
                         "<th>状态</th><th>网址或退回理由</th><th>附件</th><th>处理</th></tr>"
                         + "".join(_notice_row(selected or 0, n, key, back) for n in notices)
                         + "</table>")
        else:
            parts.append("<p>没有符合条件的公开信息。</p>")
        pages = max(1, -(-total // PAGE_SIZE))
        if pages > 1:
            parts.append("<nav>" + " ".join(
                f"<strong>{p}</strong>" if p == page else
                f'<a href="{escape(_link(township=selected, state=state, page=p))}">{p}</a>'
                for p in range(1, pages + 1)) + "</nav>")
    return _page("乡镇报送", "".join(parts), staff, key)
