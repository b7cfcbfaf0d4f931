"""The fixed vocabulary of township disclosure, defined once.

Domains here are only the *default* set: the township's real list lives in
the database (counties add and rename domains), so nothing else should treat
this tuple as the whole truth. Channels, audiences, modes and levels are the
columns of the standard catalog table and do not vary between counties.
"""

from __future__ import annotations

import re
import unicodedata

#: The 13 township domains of the 基层政务公开标准目录, in the order counties print them.
#: Each has a short ASCII code used to build stable item ids (``shjz-005``).
DEFAULT_DOMAINS: tuple[tuple[str, str], ...] = (
    ("公共资源交易", "ggzy"),
    ("财政预决算", "czyjs"),
    ("安全生产", "aqsc"),
    ("救灾", "jz"),
    ("社会救助", "shjz"),
    ("养老服务", "ylfw"),
    ("涉农补贴", "snbt"),
    ("农村危房改造", "wfgz"),
    ("扶贫", "fp"),
    ("就业", "jy"),
    ("社会保险", "shbx"),
    ("公共文化服务", "ggwh"),
    ("公共法律服务", "ggfl"),
)

DEFAULT_DOMAIN_NAMES: tuple[str, ...] = tuple(name for name, _ in DEFAULT_DOMAINS)

#: Names that mean the same domain. Whichever member the township actually has is
#: the canonical one; the others resolve to it. Counties rename domains over the
#: years (扶贫 became 乡村振兴 in many places), so both directions must work.
DOMAIN_ALIAS_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"救灾", "救灾生产", "防灾减灾救灾", "自然灾害救助"}),
    frozenset({"扶贫", "乡村振兴", "巩固拓展脱贫攻坚成果", "脱贫攻坚", "精准扶贫"}),
    frozenset({"医疗卫生", "卫生健康"}),
    frozenset({"财政预决算", "财政预算决算", "预决算"}),
    frozenset({"农村危房改造", "危房改造"}),
    frozenset({"公共文化服务", "公共文化"}),
    frozenset({"公共法律服务", "法律服务"}),
    frozenset({"就业", "就业创业"}),
    frozenset({"养老服务", "养老"}),
    frozenset({"涉农补贴", "惠农补贴"}),
    frozenset({"户籍管理", "户籍"}),
)

#: The 公开渠道和载体 checkbox list, in the order of the standard table.
CHANNELS: tuple[str, ...] = (
    "政府网站",
    "政府公报",
    "两微一端",
    "发布会/听证会",
    "广播电视",
    "纸质媒体",
    "公开查阅点",
    "政务服务中心",
    "便民服务站",
    "入户/现场",
    "社区/企事业单位/村公示栏（电子屏）",
    "精准推送",
    "其他",
)

#: Other spellings of the standard channels met in county tables (keys are
#: already normalised: no spaces, full-width brackets).
CHANNEL_ALIASES: dict[str, str] = {
    "社区/企事业单位/村公示栏": "社区/企事业单位/村公示栏（电子屏）",
    "社区/企事业单位/村公示栏电子屏": "社区/企事业单位/村公示栏（电子屏）",
    "村公示栏（电子屏）": "社区/企事业单位/村公示栏（电子屏）",
    "村公示栏": "社区/企事业单位/村公示栏（电子屏）",
    "公示栏": "社区/企事业单位/村公示栏（电子屏）",
    "公开栏": "社区/企事业单位/村公示栏（电子屏）",
    "村务公开栏": "社区/企事业单位/村公示栏（电子屏）",
    "村（居）务公开栏": "社区/企事业单位/村公示栏（电子屏）",
    "政务公开栏": "社区/企事业单位/村公示栏（电子屏）",
    "电子屏": "社区/企事业单位/村公示栏（电子屏）",
    "触摸屏": "社区/企事业单位/村公示栏（电子屏）",
    "公告栏": "社区/企事业单位/村公示栏（电子屏）",
    "宣传栏": "社区/企事业单位/村公示栏（电子屏）",
    "微信公众号": "两微一端",
    "政务微博": "两微一端",
    "政务微信": "两微一端",
    "发布会听证会": "发布会/听证会",
    "新闻发布会": "发布会/听证会",
    "发布会": "发布会/听证会",
    "听证会": "发布会/听证会",
    "入户现场": "入户/现场",
    "入户": "入户/现场",
    "现场": "入户/现场",
    "广播": "广播电视",
    "电视": "广播电视",
    "报刊": "纸质媒体",
    "纸媒": "纸质媒体",
    "政务新媒体": "两微一端",
    "政府门户网站": "政府网站",
    "门户网站": "政府网站",
    "政务服务大厅": "政务服务中心",
    "为民服务中心": "政务服务中心",
    "便民服务点": "便民服务站",
    "公开查阅场所": "公开查阅点",
    "信息公开查阅点": "公开查阅点",
}

#: 公开对象
AUDIENCES: tuple[str, ...] = ("全社会", "特定群体")
AUDIENCE_ALIASES: dict[str, str] = {
    "社会": "全社会",
    "特定群众": "特定群体",
    "特定对象": "特定群体",
    "社会公众": "全社会",
    "公众": "全社会",
    "不特定对象": "全社会",
}

#: 公开方式
MODES: tuple[str, ...] = ("主动", "依申请")
MODE_ALIASES: dict[str, str] = {
    "主动公开": "主动",
    "依申请公开": "依申请",
    "申请": "依申请",
    "申请公开": "依申请",
}

#: 公开层级. A township catalog's "乡级" column is printed under many names.
LEVELS: tuple[str, ...] = ("县级", "乡级")
LEVEL_ALIASES: dict[str, str] = {
    "县": "县级",
    "县（市、区）级": "县级",
    "县（区）级": "县级",
    "区县级": "县级",
    "乡": "乡级",
    "镇": "乡级",
    "乡、村级": "乡级",
    "乡村级": "乡级",
    "镇级": "乡级",
    "镇（街）级": "乡级",
    "乡镇级": "乡级",
    "乡（镇）级": "乡级",
    "乡镇（街道）级": "乡级",
    "街道级": "乡级",
    "街道": "乡级",
    "乡镇": "乡级",
    "镇（街道）级": "乡级",
}

#: ``rule.kind`` values of CONTRACT.md and what the clerk reads for each.
RULE_KINDS: dict[str, str] = {
    "workdays": "工作日",
    "days": "自然日",
    "immediate": "及时",
    "continuous": "长期",
    "periodic": "定期",
    "unknown": "未能识别",
}
PERIODS: dict[str, str] = {"year": "每年", "half": "每半年", "quarter": "每季度", "month": "每月"}
PUBLICITY_UNITS: dict[str, str] = {"workdays": "个工作日", "days": "天"}


#: Notice kinds, and the word each uses for "announce" in its title and body.
NOTICE_KINDS: dict[str, str] = {"公告": "公告", "公示": "公示", "通知": "通知", "明白纸": "告知",
                                 "解读": "解读"}
#: The forms a 政策解读 takes: a text, a list of questions and answers, a picture (一图读懂).
INTERPRETATION_FORMS: tuple[str, ...] = ("文字", "问答", "图解")

#: Notice statuses (CONTRACT.md) and what the clerk reads.
STATUSES: dict[str, str] = {
    "draft": "草稿",
    "approved": "已审核",
    "published": "已公开",
    "withdrawn": "已撤回",
}

#: County sync states of a notice (CONTRACT.md).
SYNC_STATES: dict[str, str] = {
    "none": "未报送",
    "queued": "待报送",
    "sent": "报送中",  # frozen in a batch, not yet confirmed by the county
    "accepted": "县级已接收",
    "returned": "县级退回",
}

#: The review steps of 先审后发, in order; a township uses the first one to three.
REVIEW_STEPS: tuple[str, ...] = ("初审", "审核", "审发")

#: The checklist every review step records.
#: How grave a proofreading finding is (CONTRACT: "严重" | "一般" | "提示"): 严重 blocks
#: approval until fixed or overridden with a written reason; 一般 and 提示 only show.
PROOF_SEVERITIES: tuple[str, ...] = ("严重", "一般", "提示")
REVIEW_CHECKLIST: tuple[str, ...] = ("不涉密", "不含个人隐私", "要素齐全", "表述准确", "公开属性")

#: Boards: the township's own, and one per village.
BOARD_KINDS: dict[str, str] = {"township": "镇政务公开栏", "village": "村务公开栏"}


_SPACE_RE = re.compile(r"\s+")
_CJK_SPACE_RE = re.compile(r"(?<=[^\x00-\x7f])[ \t]+|[ \t]+(?=[^\x00-\x7f])")


def squash(text: str) -> str:
    """Remove every space (county tables put spaces inside words: ``政 府 网 站``)."""
    return _SPACE_RE.sub("", text or "")


def tidy(text: str) -> str:
    """Normalise free text: NFKC-safe brackets, no spaces next to Chinese characters.

    Spaces between two Latin words are kept (``GB/T 9704``); spaces touching a
    Chinese character are typing accidents and go. Line breaks are kept (one law
    per line in 公开依据), but blank lines and trailing spaces are not.
    """
    text = (text or "").replace("\u3000", " ").replace("\xa0", " ").replace("\r\n", "\n")
    lines = (_tidy_line(line.strip()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


#: Bodies that issue documents jointly. Their titles keep one space between the
#: issuers (《财政部 农业部关于…》); any other space inside a title is a typo.
ISSUERS: tuple[str, ...] = (
    "中共中央", "国务院", "中共中央办公厅", "国务院办公厅", "全国人大常委会", "财政部", "农业部",
    "农业农村部", "民政部", "住房和城乡建设部", "住房城乡建设部", "国务院扶贫办", "国家乡村振兴局",
    "人力资源社会保障部", "人力资源和社会保障部", "国家发展改革委", "国家卫生健康委", "应急管理部",
    "司法部", "文化和旅游部", "教育部", "自然资源部", "国家医保局", "中国人民银行", "银保监会",
    "国家林业和草原局", "交通运输部", "水利部", "生态环境部", "国家税务总局", "市场监管总局",
    "全国老龄办", "中国残联", "退役军人事务部", "公安部", "审计署", "国家统计局", "国家体育总局",
    "文化部", "文化和旅游部", "国家文物局", "国家广播电视总局", "国家电影局", "商务部", "科技部",
    "工业和信息化部", "国家能源局", "国家民委", "共青团中央", "全国妇联",
)
_JOINT_RE = re.compile(
    "(" + "|".join(sorted(ISSUERS, key=len, reverse=True)) + r")\s+(?=" +
    "|".join(sorted(ISSUERS, key=len, reverse=True)) + ")"
)


def _tidy_line(line: str) -> str:
    # Mark the spaces between joint issuers so the typo rule below leaves them.
    line = _JOINT_RE.sub(lambda m: m.group(1) + "\x00", line)
    line = re.sub(r"[ \t]{2,}", " ", _CJK_SPACE_RE.sub("", line))
    return line.replace("\x00", " ")


def fullwidth_brackets(text: str) -> str:
    """Write half-width parentheses as the full-width ones the standard uses."""
    return text.replace("(", "（").replace(")", "）")


def _lookup(value: str, canon: tuple[str, ...], aliases: dict[str, str]) -> str | None:
    key = fullwidth_brackets(squash(unicodedata.normalize("NFKC", value)))
    key = key.replace("(", "（").replace(")", "）")
    for name in canon:
        if key == fullwidth_brackets(name):
            return name
    return aliases.get(key)


def standard_channel(value: str) -> str | None:
    """The standard channel name for ``value``, or None if it is not one."""
    return _lookup(value, CHANNELS, CHANNEL_ALIASES)


def standard_audience(value: str) -> str | None:
    """``全社会`` / ``特定群体`` for any of their spellings, else None."""
    return _lookup(value, AUDIENCES, AUDIENCE_ALIASES)


#: The one channel that is the internet, and the audience whose notices stay off it.
WEBSITE_CHANNEL = "政府网站"
RESTRICTED_AUDIENCE = "特定群体"


def offline_only(channels: object, audience: object) -> bool:
    """Whether notices of an item with these 公开渠道 and 公开对象 must stay off the internet.

    So when the item does not list 政府网站, or its audience includes 特定群体
    (a 低保 list is for the village that can check it, not for search engines).
    Defined here, in the shared vocabulary, because the township sets the flag
    and the county checks it again from the same keys.
    """
    # A list from JSON or a tuple from the ledger's cache; a string is no list of names.
    channels = channels if isinstance(channels, (list, tuple)) else []
    audience = audience if isinstance(audience, (list, tuple)) else []
    return WEBSITE_CHANNEL not in channels or RESTRICTED_AUDIENCE in audience


def standard_mode(value: str) -> str | None:
    """``主动`` / ``依申请`` for any of their spellings, else None."""
    return _lookup(value, MODES, MODE_ALIASES)


def standard_level(value: str) -> str | None:
    """``县级`` / ``乡级`` for any of their spellings, else None."""
    return _lookup(value, LEVELS, LEVEL_ALIASES)


def alias_group(name: str) -> frozenset[str]:
    """All names known to mean the same domain as ``name`` (itself included)."""
    for group in DOMAIN_ALIAS_GROUPS:
        if name in group:
            return group
    return frozenset({name})


def order_like(values: list[str], canon: tuple[str, ...]) -> list[str]:
    """Sort ``values`` in the order of ``canon``; unknown values keep their order, last."""
    known = [v for v in canon if v in values]
    return known + [v for v in values if v not in canon]


# -- 依申请公开: the vocabulary of the 条例 and of the annual report's table 3 ------------

#: Who may apply (条例 第二十七条), as the annual report's columns name them.
APPLICANT_TYPES: tuple[str, ...] = ("自然人", "法人或其他组织")
#: The report splits 法人或其他组织 into these columns.
ORGANISATION_TYPES: tuple[str, ...] = ("商业企业", "科研机构", "社会公益组织", "法律服务机构",
                                       "其他")
#: How a request arrives; the received date follows from it (条例 第三十一条).
REQUEST_CHANNELS: tuple[str, ...] = ("当面提交", "邮寄", "网络", "传真", "电子邮件", "其他")
#: Outcomes as the annual report (国办公开办函〔2021〕30号) lists them, each with the
#: sub-items it counts separately; an outcome with no sub-items is counted whole.
REQUEST_OUTCOMES: dict[str, tuple[str, ...]] = {
    "予以公开": (),
    "部分公开": (),
    "不予公开": (
        "属于国家秘密",
        "其他法律行政法规禁止公开",
        "危及“三安全一稳定”",
        "保护第三方合法权益",
        "属于三类内部事务信息",
        "属于四类过程性信息",
        "属于行政执法案卷",
        "属于行政查询事项",
    ),
    "无法提供": (
        "本机关不掌握相关政府信息",
        "没有现成信息需要另行制作",
        "补正后申请内容仍不明确",
    ),
    "不予处理": (
        "信访举报投诉类申请",
        "重复申请",
        "要求提供公开出版物",
        "无正当理由大量反复申请",
        "要求行政机关确认或重新出具已获取信息",
    ),
    "其他处理": (
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "其他",
    ),
}
#: What a request's case file holds, in the order a case is worked.
REQUEST_FILE_KINDS: tuple[str, ...] = ("申请书", "登记回执", "补正通知", "补正材料", "延期通知",
                                       "征求意见函", "第三方意见", "答复书", "送达回证", "其他")
#: The letters gongkai drafts for a request, in the order a case is worked (each a file kind).
LETTER_KINDS: tuple[str, ...] = ("登记回执", "补正通知", "延期通知", "征求意见函", "答复书")
#: Where a request stands, in the clerk's words (derived from its dates, never stored).
REQUEST_STATES: dict[str, str] = {
    "open": "办理中",
    "correction": "待补正",
    "consulting": "征求意见中",
    "extended": "已延期",
    "overdue": "已超期",
    "answered": "已答复",
}
