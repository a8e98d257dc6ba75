"""Write ``synthetic_sanctions.ftm.json``: an invented sanctions list for cbec's tests.

EVERY PARTY IN THE OUTPUT IS INVENTED. The people, companies, organisations, numbers and the
"authority" do not exist; any likeness to a real name is chance. The file exists so that the
screening tests and the README example run on a clone without the OpenSanctions demo files
(CC BY-NC, never copied into this repository).

It is FollowTheMoney JSON lines, the shape of an OpenSanctions export: one entity per line,
``{"id", "schema", "caption", "datasets", "properties": {prop: [str, ...]}}``, properties as
lists of strings, risk in ``properties.topics``, and ``Sanction`` entities pointing at the
parties they list. What it exercises, as the real demo list does:

* a person listed in Latin and Cyrillic, with the patronymic, a Ukrainian transliteration as
  an alias, split first / father's / last names, a birth date, a nationality and a tax number;
* a relative listed under her married name with her maiden name as ``previousName``;
* an older relative whose passport number sits on a separate ``Passport`` entity (``holder``);
* a person on the list in Latin script only (found from a Cyrillic query);
* people listed in Chinese characters with pinyin aliases (a compound surname, 吕 = Lü/Lv);
* a Russian limited liability company (legal form in Russian and English, INN, OGRN), a
  joint-stock "concern", a Chinese company (name in Han, pinyin and English, unified social
  credit code) and an organisation known by its acronym;
* a ``sanction.linked`` relative (screened: topics match by prefix), a ``role.pep`` person and
  a ``poi`` company (not screened by default), and the entities screening skips: ``Sanction``,
  ``Address``, ``Ownership``, ``Family``, ``Passport``.

The output is written in a fixed order with fixed key order, so running this script again
gives the same bytes (``sha256`` in ``tests/data/README.md``)::

    python tests/data/sanctions/make_synthetic.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "synthetic_sanctions.ftm.json"
DATASET = "cbec_synthetic"
AUTHORITY = "Synthetic Sanctions Authority of Testland (fictitious)"
NOTE = "SYNTHETIC test entity invented for cbec; not a real party."

# (id, schema, caption, properties) of the listed parties and the entities around them.
PARTIES: list[tuple[str, str, str, dict[str, list[str]]]] = [
    (
        "syn-person-zharkov-rostislav",
        "Person",
        "Rostislav Yevgenyevich Zharkov",
        {
            "name": [
                "Rostislav Yevgenyevich Zharkov",
                "ZHARKOV, Rostislav Yevgenyevich",
                "Rostislav ZHARKOV",
                "Жарков Ростислав Евгеньевич",
                "Ростислав Евгеньевич Жарков",
            ],
            "alias": ["Zharkov Rostyslav Yevhenovych", "Жарков Ростислав Євгенович"],
            "firstName": ["Rostislav", "Ростислав"],
            "fatherName": ["Yevgenyevich", "Евгеньевич"],
            "lastName": ["Zharkov", "Жарков"],
            "birthDate": ["1979-04-18"],
            "nationality": ["ru"],
            "gender": ["male"],
            "taxNumber": ["990177012345"],
            "topics": ["sanction"],
        },
    ),
    (
        "syn-person-orlikova-valentina",
        "Person",
        "Valentina Yevgenyevna Orlikova",
        {
            "name": ["Valentina Yevgenyevna Orlikova", "Валентина Евгеньевна Орликова"],
            "previousName": ["Valentina Yevgenyevna Zharkova", "Валентина Евгеньевна Жаркова"],
            "firstName": ["Valentina", "Валентина"],
            "lastName": ["Orlikova", "Орликова"],
            "birthDate": ["1983-09-02"],
            "nationality": ["ru"],
            "gender": ["female"],
            "topics": ["sanction"],
        },
    ),
    (
        "syn-person-zharkov-gleb",
        "Person",
        "Gleb Vyacheslavovich Zharkov",
        {
            "name": ["Gleb Vyacheslavovich Zharkov", "Глеб Вячеславович Жарков"],
            "firstName": ["Gleb", "Глеб"],
            "fatherName": ["Vyacheslavovich", "Вячеславович"],
            "lastName": ["Zharkov", "Жарков"],
            "birthDate": ["1952-01-30"],
            "nationality": ["ru"],
            "gender": ["male"],
            "topics": ["sanction"],
        },
    ),
    (
        "syn-person-zharkova-lidiya",
        "Person",
        "Lidiya Glebovna Zharkova",
        {
            "name": ["Lidiya Glebovna Zharkova", "Лидия Глебовна Жаркова"],
            "birthDate": ["1955"],
            "nationality": ["ru"],
            "gender": ["female"],
            "topics": ["sanction.linked"],
        },
    ),
    (
        "syn-person-kostylev-vadim",
        "Person",
        "Vadim Petrovich KOSTYLEV",
        {
            "name": ["Vadim Petrovich KOSTYLEV", "KOSTYLEV, Vadim Petrovich"],
            "birthDate": ["1971-06-11"],
            "nationality": ["by"],
            "gender": ["male"],
            "idNumber": ["MP7741920"],
            "topics": ["sanction"],
        },
    ),
    (
        "syn-person-sima-wenlan",
        "Person",
        "司马文澜",
        {
            "name": ["司马文澜"],
            "alias": ["SIMA Wenlan", "Wenlan Sima"],
            "firstName": ["文澜"],
            "lastName": ["司马"],
            "birthDate": ["1968-11-02"],
            "nationality": ["cn"],
            "gender": ["female"],
            "passportNumber": ["EA9917342"],
            "topics": ["sanction"],
        },
    ),
    (
        "syn-person-lv-dechang",
        "Person",
        "吕德昌",
        {
            "name": ["吕德昌"],
            "alias": ["LYU Dechang"],
            "birthDate": ["1974"],
            "nationality": ["cn", "hk"],
            "gender": ["male"],
            "topics": ["export.control"],
        },
    ),
    (
        "syn-company-nordavia",
        "Company",
        "Limited Liability Company Nordavia Systems",
        {
            "name": [
                "Limited Liability Company Nordavia Systems",
                'Общество с ограниченной ответственностью "Нордавиа Системы"',
                'ООО "Нордавиа Системы"',
            ],
            "alias": ["LLC Nordavia Systems", "OOO Nordavia Sistemy"],
            "jurisdiction": ["ru"],
            "innCode": ["9901234567"],
            "ogrnCode": ["1229900012345"],
            "topics": ["sanction"],
        },
    ),
    (
        "syn-company-vostok-optika",
        "Company",
        "Joint Stock Company Vostok-Optika Concern",
        {
            "name": [
                "Joint Stock Company Vostok-Optika Concern",
                'Акционерное общество "Концерн Восток-Оптика"',
            ],
            "alias": ["JSC Concern Vostok-Optika", "Vostok Optika Concern"],
            "jurisdiction": ["ru"],
            "innCode": ["9907654321"],
            "topics": ["sanction", "export.control"],
        },
    ),
    (
        "syn-company-qingchuan-xingzhou",
        "Company",
        "深圳市晴川星舟电子有限公司",
        {
            "name": ["深圳市晴川星舟电子有限公司"],
            "alias": [
                "Shenzhen Qingchuan Xingzhou Electronics Co., Ltd.",
                "SHENZHEN QINGCHUAN XINGZHOU DIANZI YOUXIAN GONGSI",
            ],
            "jurisdiction": ["cn"],
            "registrationNumber": ["91440300SYN0000X7K"],
            "topics": ["export.control"],
        },
    ),
    (
        "syn-org-grey-ridge",
        "Organization",
        "Grey Ridge Liberation Front",
        {
            "name": ["Grey Ridge Liberation Front"],
            "alias": ["GRLF"],
            "weakAlias": ["The Ridge Men"],
            "topics": ["sanction", "crime.terror"],
        },
    ),
    # Not screened by default: a politically exposed person and a company of interest.
    (
        "syn-person-zharkov-anton",
        "Person",
        "Anton Lvovich Zharkov",
        {
            "name": ["Anton Lvovich Zharkov", "Антон Львович Жарков"],
            "birthDate": ["1961-03-05"],
            "nationality": ["ru"],
            "topics": ["role.pep"],
        },
    ),
    (
        "syn-company-polar-bird",
        "Company",
        "Polar Bird Logistics Limited",
        {"name": ["Polar Bird Logistics Limited"], "jurisdiction": ["gb"], "topics": ["poi"]},
    ),
]

SANCTIONED = [
    ("syn-person-zharkov-rostislav", "SYN-UAV", "2024-02-15"),
    ("syn-person-orlikova-valentina", "SYN-UAV", "2024-02-15"),
    ("syn-person-zharkov-gleb", "SYN-UAV", "2024-06-01"),
    ("syn-person-kostylev-vadim", "SYN-BY", "2022-03-09"),
    ("syn-person-sima-wenlan", "SYN-DUALUSE", "2023-10-20"),
    ("syn-person-lv-dechang", "SYN-DUALUSE", "2023-10-20"),
    ("syn-company-nordavia", "SYN-UAV", "2024-02-15"),
    ("syn-company-vostok-optika", "SYN-UAV", "2023-05-19"),
    ("syn-company-qingchuan-xingzhou", "SYN-DUALUSE", "2023-10-20"),
    ("syn-org-grey-ridge", "SYN-TERROR", "2019-07-01"),
]

OTHERS: list[tuple[str, str, str, dict[str, list[str]]]] = [
    (
        "syn-passport-zharkov-gleb",
        "Passport",
        "Passport",
        {"holder": ["syn-person-zharkov-gleb"], "number": ["71 0048213"], "country": ["ru"]},
    ),
    (
        "syn-address-nordavia",
        "Address",
        "ul. Vymyshlennaya 7, Testograd",
        {"full": ["ul. Vymyshlennaya 7, Testograd, 999999"], "country": ["ru"]},
    ),
    (
        "syn-ownership-nordavia",
        "Ownership",
        "Ownership",
        {
            "owner": ["syn-person-zharkov-rostislav"],
            "asset": ["syn-company-nordavia"],
            "percentage": ["100"],
        },
    ),
    (
        "syn-family-zharkov",
        "Family",
        "Family",
        {
            "person": ["syn-person-zharkov-rostislav"],
            "relative": ["syn-person-orlikova-valentina"],
            "relationship": ["sister"],
        },
    ),
]


def entity(eid: str, schema: str, caption: str, props: dict[str, list[str]]) -> dict[str, Any]:
    properties = dict(props)
    if schema != "Sanction":
        properties["notes"] = [NOTE]
    return {
        "id": eid,
        "schema": schema,
        "caption": caption,
        "datasets": [DATASET],
        "properties": properties,
    }


def entities() -> list[dict[str, Any]]:
    out = [entity(*p) for p in PARTIES]
    for target, program, start in SANCTIONED:
        props = {
            "entity": [target],
            "authority": [AUTHORITY],
            "program": [program],
            "startDate": [start],
            "reason": [NOTE],
        }
        eid = f"syn-sanction-{target.removeprefix('syn-')}"
        out.append(entity(eid, "Sanction", "Sanction", props))
    out.extend(entity(*o) for o in OTHERS)
    return out


def main() -> None:
    lines = [json.dumps(e, ensure_ascii=False) for e in entities()]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
