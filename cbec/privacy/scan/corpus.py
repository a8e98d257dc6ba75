"""Labelled sets to measure the scanner on, and the measure: precision, recall and F2 per
entity type and overall (exact span and type).

* :func:`chinese_set`: generated from ``seed`` — order notes, delivery messages and customer
  service chats with names, addresses, resident IDs, mobile numbers, USCCs, bank cards and
  passports in sentence templates; valid identifiers carry their real check digit
  (``stdnum``), and look-alikes (the same number with another check digit, Luhn-invalid
  cards, order numbers, tracking numbers, product codes) stand in sentences of their own,
  unlabelled, so any report of them is a false positive.
* :func:`english_set`: English templates with emails, card numbers (Visa, Mastercard, Amex,
  grouped or not), IBANs, international phone numbers, IP addresses and URLs, and negatives
  (order numbers, prices, dates, a Luhn-invalid card). English personal names appear in the
  texts but are **not labelled**: the scanner finds no English names (that needs a
  statistical NER model, which cbec does not download), so they are neither credited nor
  counted as misses; the figures say nothing about names in English.

Scoring: a finding is a true positive when its span and type equal a label's.
``CN_BANK_CARD`` and ``CREDIT_CARD`` count as one class (a payment card number): the same
UnionPay number is both, and which name it carries depends on whether Presidio's
brand-prefix pattern also matches it.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cbec.privacy.scan.model import Span

Label = tuple[int, int, str]
Example = tuple[str, list[Label]]

SAME_CLASS = {"CN_BANK_CARD": "PAYMENT_CARD", "CREDIT_CARD": "PAYMENT_CARD"}

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭"
    "曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏"
)
_COMPOUND = ("欧阳", "司马", "诸葛", "上官")
_GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰华建国红"
    "玉志文斌浩宇轩子涵欣怡梓睿博雨晨佳琪思远嘉俊晓峰海燕丹凤"
)
_PLACES = (
    ("浙江省", "杭州市", "西湖区", "330106"),
    ("广东省", "深圳市", "南山区", "440305"),
    ("江苏省", "南京市", "鼓楼区", "320106"),
    ("", "北京市", "朝阳区", "110105"),
    ("", "上海市", "浦东新区", "310115"),
    ("四川省", "成都市", "武侯区", "510107"),
    ("湖北省", "武汉市", "洪山区", "420111"),
    ("山东省", "青岛市", "市南区", "370202"),
    ("福建省", "厦门市", "思明区", "350203"),
    ("河南省", "郑州市", "金水区", "410105"),
    ("广西壮族自治区", "南宁市", "青秀区", "450103"),
    ("辽宁省", "大连市", "中山区", "210202"),
)
_ROADS = (
    "文三路",
    "人民路",
    "中山北路",
    "建国大道",
    "解放街",
    "科技园南路",
    "长江路",
    "和平里",
    "滨江大道",
    "学院路",
)
_TAILS = (
    "{n}号",
    "{n}号{b}栋{r}室",
    "{n}号{b}单元{r}",
    "{n}弄{b}号{r}室",
    "{n}号阳光花园{b}幢{r}室",
)
_MOBILE_PREFIXES = (
    "138",
    "139",
    "135",
    "136",
    "150",
    "151",
    "158",
    "186",
    "187",
    "189",
    "177",
    "199",
    "133",
    "153",
)


def _person(rng: random.Random) -> str:
    surname = rng.choice(_COMPOUND) if rng.random() < 0.05 else rng.choice(_SURNAMES)
    return surname + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _address(rng: random.Random) -> str:
    province, city, district, _ = rng.choice(_PLACES)
    tail = rng.choice(_TAILS).format(
        n=rng.randint(1, 999), b=rng.randint(1, 30), r=rng.randint(101, 2808)
    )
    return province + city + district + rng.choice(_ROADS) + tail


def _resident_id(rng: random.Random, valid: bool = True) -> str:
    from stdnum.cn import ric

    while True:  # a region that existed at the birth date (stdnum checks it)
        region = rng.choice(_PLACES)[3]
        birth = f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        body = region + birth + f"{rng.randint(0, 999):03d}"
        check = ric.calc_check_digit(body + "?")  # stdnum's takes the number with its check
        if ric.is_valid(body + check):
            break
    if not valid:
        check = rng.choice([c for c in "0123456789X" if c != check])
    return body + check


def _mobile(rng: random.Random) -> str:
    digits = rng.choice(_MOBILE_PREFIXES) + f"{rng.randint(0, 99999999):08d}"
    form = rng.randint(0, 4)
    if form == 1:
        return "+86 " + digits
    if form == 2:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if form == 3:
        return f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}"
    return digits


def _uscc(rng: random.Random, valid: bool = True) -> str:
    from stdnum.cn import uscc

    body = (
        "91"
        + rng.choice(_PLACES)[3]
        + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    )
    check = uscc.calc_check_digit(body)
    if not valid:
        check = rng.choice([c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != check])
    return body + check


def _card(rng: random.Random, valid: bool = True, length: int | None = None) -> str:
    from stdnum import luhn

    length = length or rng.choice((16, 16, 19))
    body = rng.choice(("6222", "6228", "6217", "6214", "6259")) + "".join(
        rng.choice("0123456789") for _ in range(length - 5)
    )
    check = luhn.calc_check_digit(body)
    if not valid:
        check = str((int(check) + rng.randint(1, 9)) % 10)
    return body + check


def _passport(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice("EG") + f"{rng.randint(0, 99999999):08d}"
    return "E" + rng.choice("ABCDEFGHJKLMN") + f"{rng.randint(0, 9999999):07d}"


def _fill(template: str, values: dict[str, tuple[str, str | None]]) -> Example:
    """``template`` with each ``{key}`` replaced by its text; labelled when it has a type."""
    text, labels, rest = "", [], template
    while "{" in rest:
        before, _, after = rest.partition("{")
        key, _, rest = after.partition("}")
        text += before
        value, entity = values[key]
        if entity:
            labels.append((len(text), len(text) + len(value), entity))
        text += value
    return text + rest, labels


_ZH_TEMPLATES = (
    "收件人：{name}，电话：{mobile}，地址：{address}",
    "请寄到{address}，收货人{name}，手机{mobile}",
    "买家{name}的身份证号{ric}，清关用",
    "您好，我是{name}，我的订单还没发货，电话{mobile}",
    "{name}先生您好，您的包裹已到{address}附近的驿站",
    "退款请打到我的银行卡{card}，户名{name}",
    "公司统一社会信用代码{uscc}，开票抬头请写全称",
    "订购人{name}，身份证{ric}，联系电话{mobile}",
    "护照号{passport}，持照人{name}",
    "麻烦联系{name}女士，她的手机是{mobile}",
    "跨境订单申报人{name}，证件号码：{ric}",
    "发票信息：税号{uscc}，地址{address}",
    "联系人:{name} 电话:{mobile}",
    "我叫{name}，住在{address}，请尽快发货",
    "付款卡号{card}，持卡人{name}",
    # No cue word: the rule is not meant to find these, they measure what it misses.
    "{name}说今天不在家，快递放门卫室就行",
    "帮{name}下单两件，寄到{address}",
    "上次{name}买的那款还有货吗",
)
_ZH_NEGATIVES = (
    "订单号{order}，请尽快发货，谢谢",
    "这个身份证号好像填错了：{bad_ric}",
    "卡号{bad_card}提示无效，请核对",
    "统一社会信用代码{bad_uscc}校验失败",
    "运单号SF{waybill}，已到达{city}转运中心",
    "商品编码{sku}，库存不足",
    "本店支持七天无理由退货，{city}仓库今日发货",
    "价格{price}元，满199减20，包邮",
    "下单时间2026年11月{day}日，预计3到5天送达",
    "请备注颜色和尺码，默认发黑色M码",
)


def chinese_set(n: int = 600, seed: int = 17) -> list[Example]:
    """``n`` generated Chinese texts, a quarter of them negatives with look-alikes."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        values: dict[str, tuple[str, str | None]] = {
            "name": (_person(rng), "CN_PERSON"),
            "address": (_address(rng), "CN_ADDRESS"),
            "ric": (_resident_id(rng), "CN_RESIDENT_ID"),
            "mobile": (_mobile(rng), "CN_MOBILE"),
            "uscc": (_uscc(rng), "CN_USCC"),
            "card": (_card(rng), "CN_BANK_CARD"),
            "passport": (_passport(rng), "CN_PASSPORT"),
            "bad_ric": (_resident_id(rng, valid=False), None),
            "bad_card": (_card(rng, valid=False), None),
            "bad_uscc": (_uscc(rng, valid=False), None),
            "order": (f"{rng.randint(2024, 2026)}{rng.randint(10**11, 10**12 - 1)}", None),
            "waybill": (f"{rng.randint(10**11, 10**12 - 1)}", None),
            "sku": (f"SKU-{rng.randint(10000, 99999)}", None),
            "city": (rng.choice(_PLACES)[1], None),
            "price": (f"{rng.randint(9, 999)}.{rng.randint(0, 99):02d}", None),
            "day": (str(rng.randint(1, 30)), None),
        }
        pool = _ZH_NEGATIVES if i % 4 == 3 else _ZH_TEMPLATES
        out.append(_fill(rng.choice(pool), values))
    return out


def invalid_resident_ids(n: int = 500, seed: int = 17) -> list[str]:
    """Look-alikes: real-shaped resident IDs whose check digit is wrong."""
    rng = random.Random(seed)
    return [_resident_id(rng, valid=False) for _ in range(n)]


def valid_resident_ids(n: int = 500, seed: int = 17) -> list[str]:
    rng = random.Random(seed)
    return [_resident_id(rng) for _ in range(n)]


_EN_FIRST = ("Alice", "Bob", "Carol", "David", "Emma", "Frank", "Grace", "Henry", "Olivia", "Liam")
_EN_LAST = ("Smith", "Jones", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Martin", "Lee")
_DOMAINS = ("example.com", "mail.example.co.uk", "shop.example.org", "example.de", "example.com.au")
_IBANS = (
    "GB82 WEST 1234 5698 7654 32",
    "GB33BUKB20201555555555",
    "DE89 3704 0044 0532 0130 00",
    "DE89370400440532013000",
    "FR14 2004 1010 0505 0001 3M02 606",
    "NL91ABNA0417164300",
    "ES9121000418450200051332",
    "IT60X0542811101000000123456",
)
_PHONES = (
    "+44 20 7946 0958",
    "+1 415-555-2671",
    "+49 30 901820",
    "+33 1 42 68 53 00",
    "+852 2123 4567",
    "+61 2 9374 4000",
    "+65 6123 4567",
    "(415) 555-2671",
    "020 7946 0958",
)
_EN_TEMPLATES = (
    "Hi, this is {person}. Please email me at {email} about my order.",
    "Charge card {card}, expiry 09/28, name on card {person}.",
    "Refund to IBAN {iban} please, account holder {person}.",
    "You can reach me on {phone} or {email}.",
    "Customer {person} ({email}) asked for a call back on {phone}.",
    "Payment failed for card number {card}; try again?",
    "Login attempt from {ip} for user {email}.",
    "Tracking page: {url} - contact {email} with questions.",
    "Wire the deposit to {iban} and send the receipt to {email}.",
    "My number changed, it is now {phone}.",
)
_EN_NEGATIVES = (
    "Order #{order} shipped on 2026-11-{day}, total $129.99.",
    "The card {bad_card} was declined as invalid.",
    "Please ship size M in black, gift wrap if possible.",
    "SKU 4006381333931 is out of stock until next week.",
    "Thanks {person}, the parcel arrived in perfect condition!",
)


def _en_card(rng: random.Random) -> str:
    from stdnum import luhn

    prefix, length = rng.choice((("4", 16), ("51", 16), ("55", 16), ("37", 15), ("4", 13)))
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    number = body + luhn.calc_check_digit(body)
    if rng.random() < 0.5 and length == 16:
        return " ".join(number[i : i + 4] for i in range(0, 16, 4))
    if rng.random() < 0.3 and length == 16:
        return "-".join(number[i : i + 4] for i in range(0, 16, 4))
    return number


def english_set(n: int = 400, seed: int = 17) -> list[Example]:
    """``n`` English texts (a fifth negatives); names present but unlabelled."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        first, last = rng.choice(_EN_FIRST), rng.choice(_EN_LAST)
        values: dict[str, tuple[str, str | None]] = {
            "person": (f"{first} {last}", None),
            "email": (f"{first.lower()}.{last.lower()}@{rng.choice(_DOMAINS)}", "EMAIL_ADDRESS"),
            "card": (_en_card(rng), "CREDIT_CARD"),
            "iban": (rng.choice(_IBANS), "IBAN_CODE"),
            "phone": (rng.choice(_PHONES), "PHONE_NUMBER"),
            "ip": (
                ".".join(
                    str(rng.randint(lo, hi)) for lo, hi in ((11, 223), (0, 255), (0, 255), (1, 254))
                ),
                "IP_ADDRESS",
            ),
            "url": (f"https://track.example.com/p/{rng.randint(1000, 9999)}", "URL"),
            "order": (str(rng.randint(100000, 999999)), None),
            "day": (f"{rng.randint(1, 30):02d}", None),
            "bad_card": (_en_card_invalid(rng), None),
        }
        pool = _EN_NEGATIVES if i % 5 == 4 else _EN_TEMPLATES
        out.append(_fill(rng.choice(pool), values))
    return out


def _en_card_invalid(rng: random.Random) -> str:
    from stdnum import luhn

    body = "4" + "".join(rng.choice("0123456789") for _ in range(14))
    return body + str((int(luhn.calc_check_digit(body)) + rng.randint(1, 9)) % 10)


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f2(self) -> float:
        p, r = self.precision, self.recall
        return 5 * p * r / (4 * p + r) if p + r else 0.0


def _cls(entity: str) -> str:
    return SAME_CLASS.get(entity, entity)


def evaluate(examples: Iterable[Example], find: Callable[[str], list[Span]]) -> dict[str, Score]:
    """Scores per entity class (``"ALL"`` overall) of ``find`` on ``examples``."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for text, labels in examples:
        gold = {(s, e, _cls(t)) for s, e, t in labels}
        found = {(s.start, s.end, _cls(s.entity_type)) for s in find(text)}
        for key in found & gold:
            counts[key[2]][0] += 1
        for key in found - gold:
            counts[key[2]][1] += 1
        for key in gold - found:
            counts[key[2]][2] += 1
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    scores = {k: Score(*v) for k, v in sorted(counts.items())}
    scores["ALL"] = Score(*total)
    return scores
