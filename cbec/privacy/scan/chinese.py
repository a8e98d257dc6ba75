"""cbec's own recognizers for Chinese identifiers, names and addresses: plain functions of
the text returning :class:`~cbec.privacy.scan.model.Span` lists, wrapped for Presidio in
:mod:`cbec.privacy.scan.engine`.

Identifiers are found by checksum, never by shape alone: a resident ID must pass GB 11643's
check digit and carry a real birth date and region (``stdnum.cn.ric``), a Unified Social
Credit Code GB 32100's (``stdnum.cn.uscc``), a bank card Luhn's (``stdnum.luhn``), a mobile
number ``phonenumbers``' CN numbering plan. A look-alike with a wrong check digit is not
reported at all.

Names: two approaches were measured on the generated Chinese set
(:func:`cbec.privacy.scan.corpus.chinese_set`, 600 texts, seed 17; ``bench/privacy.py``
repeats the measure):

* ``jieba`` part-of-speech tagging (tokens tagged ``nr``): precision 0.72, recall 0.78,
  F2 0.77; about 1.7 ms a short text, after a one-second dictionary load.
* a surname dictionary and context rule (:func:`find_names`, kept): precision 1.00,
  recall 0.82, F2 0.85; about 16 µs a text, nothing to load.

jieba tags words around names as ``nr`` and splits given names it does not know, so its
precision suffers; the rule finds a name only where commerce text introduces one (after
收件人, 联系人, 户名, 姓名 … or before 先生, 女士 …). Its misses are the names without such a
cue (``王芳说今天不在家``), a fifth of the set's by construction. The generated names are
drawn from surnames the rule knows, so on rarer surnames its recall is lower than measured.

Addresses: cpca (``transform_text_with_addrs``, administrative names from its bundled
table) was measured against the administrative names of ``stdnum``'s region table
(:func:`find_addresses`, kept), both followed by the same street rule (road, number,
building, room), since neither knows streets. On the set's 156 addresses: cpca precision
0.88, recall 1.00, F2 0.97, about 1 ms a text (it builds a pandas frame); the region
table 1.00, 1.00, 1.00, about 7 µs. cpca is therefore not a dependency. Both measures are
repeated by ``bench/privacy.py`` where jieba and cpca are installed.
"""

from __future__ import annotations

import re
from functools import cache

from cbec.privacy.scan.model import (
    CN_ADDRESS,
    CN_BANK_CARD,
    CN_MOBILE,
    CN_PASSPORT,
    CN_PERSON,
    CN_RESIDENT_ID,
    CN_USCC,
    Span,
)

# ---------------------------------------------------------------- identifiers

_RIC = re.compile(r"(?<![0-9A-Za-z])([1-9][0-9]{16}[0-9Xx])(?![0-9A-Za-z])")
_USCC = re.compile(
    r"(?<![0-9A-Za-z])([0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10})(?![0-9A-Za-z])"
)
_CARD = re.compile(r"(?<![0-9A-Za-z])([1-9][0-9]{15,18})(?![0-9A-Za-z])")
_MOBILE = re.compile(
    r"(?<![0-9A-Za-z+])((?:(?:\+|00)86[\s-]?)?1[3-9][0-9](?:[\s-]?[0-9]{4}){2})(?![0-9A-Za-z])"
)
_PASSPORT = re.compile(
    r"(?<![0-9A-Za-z])([EeGg][0-9]{8}|[Ee][A-HJ-NP-Za-hj-np-z][0-9]{7})(?![0-9A-Za-z])"
)
_PASSPORT_CONTEXT = ("护照", "passport", "証照", "证件")
_CONTEXT_WINDOW = 16


def find_resident_ids(text: str) -> list[Span]:
    """Checksum-, date- and region-valid resident ID numbers (GB 11643), score 1.0."""
    from stdnum.cn import ric

    out = []
    for m in _RIC.finditer(text):
        if ric.is_valid(m.group(1)):
            out.append(Span(m.start(1), m.end(1), CN_RESIDENT_ID, 1.0))
    return out


def find_uscc(text: str) -> list[Span]:
    """Checksum-valid Unified Social Credit Codes (GB 32100), score 1.0. An all-digit code
    with a birth date where a resident ID has one is taken for a mistyped ID, not a code."""
    from stdnum.cn import uscc

    out = []
    for m in _USCC.finditer(text.upper()):
        code = m.group(1)
        if code[:17].isdigit() and _looks_like_id(code):
            continue  # one wrong-check-digit resident ID in 31 passes GB 32100's check
        if uscc.is_valid(code):
            out.append(Span(m.start(1), m.end(1), CN_USCC, 1.0))
    return out


def _looks_like_id(digits: str) -> bool:
    """An 18-digit run with a birth date where GB 11643 puts it: a mistyped resident ID
    rather than a card number, so the card check leaves it alone."""
    if len(digits) != 18:
        return False
    year, month, day = int(digits[6:10]), int(digits[10:12]), int(digits[12:14])
    return 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31


# A number introduced as an order, waybill or serial number is not a card, whatever Luhn
# says (one random number in ten passes it).
_NOT_A_CARD = re.compile(r"(?:订单|单号|运单|流水|编号|编码|order|tracking|ref)[^0-9]{0,4}$", re.I)


def find_bank_cards(text: str) -> list[Span]:
    """Luhn-valid runs of 16–19 digits (UnionPay and most bank cards), score 1.0."""
    from stdnum import luhn

    out = []
    for m in _CARD.finditer(text):
        digits = m.group(1)
        if _looks_like_id(digits) or _NOT_A_CARD.search(text, max(0, m.start(1) - 8), m.start(1)):
            continue
        if luhn.is_valid(digits):
            out.append(Span(m.start(1), m.end(1), CN_BANK_CARD, 1.0))
    return out


_MOBILE_TYPES = (1, 2)  # phonenumbers.PhoneNumberType.MOBILE, FIXED_LINE_OR_MOBILE


def find_mobiles(text: str) -> list[Span]:
    """Mainland mobile numbers with or without +86 and separators, valid in
    ``phonenumbers``' CN plan, score 0.95."""
    import phonenumbers

    out = []
    for m in _MOBILE.finditer(text):
        raw = m.group(1)
        try:
            number = phonenumbers.parse(raw, "CN")
        except phonenumbers.NumberParseException:
            continue
        if (
            number.country_code == 86
            and phonenumbers.is_valid_number(number)
            and phonenumbers.number_type(number) in _MOBILE_TYPES
        ):
            out.append(Span(m.start(1), m.end(1), CN_MOBILE, 0.95))
    return out


def find_passports(text: str) -> list[Span]:
    """Chinese ordinary passport numbers (E or G and eight digits, or E, a letter and seven
    digits). The shape alone is weak (score 0.3, under the default threshold); a context
    word (护照, passport) in the 16 characters before raises it to 0.85."""
    out = []
    lowered = text.lower()
    for m in _PASSPORT.finditer(text):
        before = lowered[max(0, m.start(1) - _CONTEXT_WINDOW) : m.start(1)]
        score = 0.85 if any(word in before for word in _PASSPORT_CONTEXT) else 0.3
        out.append(Span(m.start(1), m.end(1), CN_PASSPORT, score))
    return out


# ---------------------------------------------------------------- names

# Common surnames (single and compound), after the Hundred Family Surnames and the
# 2020 household-register ranking: common knowledge, not copied data.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎"
    "贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申"
    "欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴"
    "蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席"
    "卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟"
    "邝"
) | frozenset(
    (
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "令狐",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "百里",
    )
)
_COMPOUND = sorted((s for s in SURNAMES if len(s) == 2), key=len, reverse=True)
_SINGLE = "".join(s for s in SURNAMES if len(s) == 1)

# Words that introduce a name in commerce text, and honorifics that follow one.
_BEFORE = (
    "收件人|收货人|联系人|寄件人|发件人|签收人|提货人|购买人|付款人|订购人|申报人|负责人|法人|"
    "持卡人|持照人|户名|开户名|收款人|领取人|乘机人|姓名|名字|客户|买家|卖家|顾客|用户|经办人|代理人|我叫|我是|本人|联系|致电|转交|交给|交由"
)
_AFTER = "先生|女士|小姐|同学|老师|经理|总|师傅|医生|律师|阿姨|叔叔"
# Characters that end a given name when they follow it (they start the next word).
_STOP = set(
    "的电手号先女小同老经总师医律阿叔在住地身证已说是和与及或等于从到给向请要会将把被让并也都"
    "还就不没了吗呢吧啊，。、；：！？,.;:!?()（）[]【】 \t\n0123456789"
)

_HAN = r"[\u4e00-\u9fff]"
_NAME_AFTER_CUE = re.compile(
    rf"(?:{_BEFORE})\s*(?:[:：是为叫]\s*)?((?:{'|'.join(_COMPOUND)}|[{_SINGLE}]){_HAN}{{1,2}})"
)
_NAME_BEFORE_HONORIFIC = re.compile(
    rf"((?:{'|'.join(_COMPOUND)}|[{_SINGLE}]){_HAN}{{1,2}}?)(?:{_AFTER})"
)


def _trim(text: str, start: int, end: int) -> int:
    """Where the name ending at most at ``end`` really ends: a given name has one or two
    characters, and a second that usually starts the next word is cut."""
    surname = 2 if text[start : start + 2] in SURNAMES and len(text[start:end]) > 2 else 1
    given_start = start + surname
    if end - given_start == 2 and text[end - 1] in _STOP:
        return end - 1
    return end


def find_names(text: str) -> list[Span]:
    """Chinese personal names by surname dictionary and context, score 0.7 after a cue word
    (收件人王小明) and 0.6 before an honorific (王小明先生)."""
    found: dict[tuple[int, int], Span] = {}
    for m in _NAME_AFTER_CUE.finditer(text):
        start, end = m.start(1), _trim(text, m.start(1), m.end(1))
        if end - start >= 2:
            found[(start, end)] = Span(start, end, CN_PERSON, 0.7)
    for m in _NAME_BEFORE_HONORIFIC.finditer(text):
        start, end = m.start(1), m.end(1)
        if (start, end) not in found and not any(s <= start < e for s, e in found):
            found[(start, end)] = Span(start, end, CN_PERSON, 0.6)
    return sorted(found.values())


# ---------------------------------------------------------------- addresses

_ADMIN_SUFFIX = set("省市区县州旗盟")
_STREET = re.compile(
    r"[\u4e00-\u9fffA-Za-z0-9]{0,12}?(?:路|街|大道|道|巷|弄|胡同|村|镇|乡|里|小区|大厦|广场|园区|花园|新村|工业园)"
    r"(?:[0-9０-９]+(?:[-－][0-9]+)*(?:号院|号楼|号|弄|栋|幢|座|楼|单元|层|室)"
    r"|[A-Za-z][0-9]*(?:栋|座|区)|[一二三四五六七八九十]+(?:号|栋|楼|层|单元|期|区))*"
    r"(?:[\u4e00-\u9fff]{0,8}?(?:小区|大厦|花园|公寓|广场|中心|园|苑|院))?"
    r"(?:[0-9０-９]+(?:[-－][0-9]+)*(?:号楼|号|栋|幢|座|楼|单元|层|室)|[A-Za-z][0-9]*(?:栋|座)|[0-9]+)*"
)


@cache
def admin_names() -> frozenset[str]:
    """Province, prefecture and county names as ``stdnum`` ships them (its region table of
    GB/T 2260 codes), historical ones included; read from the package, not copied."""
    from importlib.resources import files

    data = files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    names = set()
    for m in re.finditer(r'(?:province|county)="([^"]+)"', data):
        for entry in m.group(1).split(","):  # "[-1980]旅大市,[1981-]大连市"
            name = re.sub(r"^\[[^\]]*\]", "", entry.strip())
            if len(name) >= 2 and name[-1] in _ADMIN_SUFFIX and name != "市辖区":
                names.add(name)
    names.update(("香港特别行政区", "澳门特别行政区", "台湾省"))
    return frozenset(names)


_GAP = re.compile(r"[\u4e00-\u9fff]{1,6}(?:市|州|盟|地区)")


def _admin_heads(text: str) -> list[tuple[int, int]]:
    """Runs of consecutive administrative names (浙江省杭州市西湖区) as (start, end)."""
    names = admin_names()
    hits: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if ch not in _ADMIN_SUFFIX:
            continue
        for length in range(9, 1, -1):
            start = i + 1 - length
            if start >= 0 and text[start : i + 1] in names:
                hits.append((start, i + 1))
                break
    runs: list[list[int]] = []
    for start, end in hits:
        if runs and start <= runs[-1][1] and start >= runs[-1][0]:
            if start == runs[-1][1] or end > runs[-1][1]:
                runs[-1][1] = max(runs[-1][1], end)
            continue
        if runs and start < runs[-1][1]:
            continue
        runs.append([start, end])
    merged: list[tuple[int, int]] = []
    for start, end in runs:  # a city the table misses between two known names
        if merged and _GAP.fullmatch(text, merged[-1][1], start):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def find_addresses(text: str) -> list[Span]:
    """Street addresses: administrative names (province, city, district) followed by a
    street part (road, number, building, room). Score 0.85, 0.6 when the street part has no
    number. A place name alone (上海市) is not reported: it is not a precise location."""
    out: list[Span] = []
    for start, end in _admin_heads(text):
        if out and start < out[-1].end:
            continue
        m = _STREET.match(text, end)
        if not m or m.end() == end:
            continue
        stop = m.end()
        numbered = any(ch.isdigit() for ch in text[end:stop])
        out.append(Span(start, stop, CN_ADDRESS, 0.85 if numbered else 0.6))
    return out


CHINESE_FINDERS = (
    find_resident_ids,
    find_uscc,
    find_bank_cards,
    find_mobiles,
    find_passports,
    find_names,
    find_addresses,
)
