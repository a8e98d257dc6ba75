"""Sanctions screening: list loaders, name matching, qualifiers, the index and the CLI.

Two lists are screened against. ``tests/data/sanctions/synthetic_sanctions.ftm.json`` ships
with the repository: invented parties written by ``make_synthetic.py`` in the shape of an
OpenSanctions export (Latin, Cyrillic and Chinese names, maiden names, patronymics,
transliterations, birth dates, nationalities, ID numbers, a passport on its own entity). The
OpenSanctions demo files in ../shared/data/sanctions are CC BY-NC data; they are read from
there only (never copied into the repository), as the real-data oracle: the Zakharov cluster
must be found in Latin and Cyrillic. Against both, the 1,000 synthetic negatives of yente's
validation fixtures must not be found (false-positive rate ≤ 1 % at the default threshold).
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cbec.cli.screen_cli import screen as screen_command
from cbec.screening import (
    DEFAULT_THRESHOLD,
    Query,
    Role,
    ScreeningIndex,
    detect_format,
    load_list,
    screen,
    screen_naive,
)
from cbec.screening.ftm import load_ftm
from cbec.screening.match import Features, combine
from cbec.screening.names import name_forms, token_similarity
from cbec.screening.ofac import load_ofac_csv, load_ofac_xml, parse_remarks
from cbec.screening.qualifiers import PartialDate, id_keys, parse_dates
from cbec.screening.unsc import load_un_xml
from tests.conftest import DATA, SHARED, needs_shared

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "screening"
SANCTIONS = DATA / "sanctions"
SYNTHETIC = SANCTIONS / "synthetic_sanctions.ftm.json"
NEGATIVES = SANCTIONS / "synthetic_negatives_global.csv"
OPENSANCTIONS = SHARED / "data" / "sanctions"
ZALA = OPENSANCTIONS / "zala_entities.ftm.json"
EU_FSF = OPENSANCTIONS / "eu_fsf_sample_entities.ftm.json"

NIKITA = "NK-JseaPJctnK9o8wrmz8xmoT"  # Nikita Aleksandrovich Zakharov
MARIA = "NK-2Tbri3s6GgNtAwsSXh4qpL"  # Maria Aleksandrovna Osetrova (née Zakharova)
ALEXANDER = "NK-aU5ybkbRFJucf8YMwsJvDw"  # Alexander Vyacheslavovich Zakharov


@pytest.fixture(scope="module")
def fixture_index() -> ScreeningIndex:
    return ScreeningIndex(
        [
            load_ofac_xml(FIXTURES / "sdn.xml"),
            load_un_xml(FIXTURES / "consolidated.xml"),
            load_ftm(FIXTURES / "chinese.ftm.json"),
        ]
    )


ROSTISLAV = "syn-person-zharkov-rostislav"
VALENTINA = "syn-person-orlikova-valentina"  # née Zharkova
GLEB = "syn-person-zharkov-gleb"  # his passport number is on a Passport entity
LIDIYA = "syn-person-zharkova-lidiya"  # topic sanction.linked
VADIM = "syn-person-kostylev-vadim"  # listed in Latin script only
SIMA = "syn-person-sima-wenlan"  # 司马: a compound surname
LV = "syn-person-lv-dechang"  # 吕: Lü / Lv / Lu
NORDAVIA = "syn-company-nordavia"
VOSTOK = "syn-company-vostok-optika"
XINGZHOU = "syn-company-qingchuan-xingzhou"
GRLF = "syn-org-grey-ridge"


@pytest.fixture(scope="module")
def demo_index() -> ScreeningIndex:
    return ScreeningIndex([load_list(ZALA), load_list(EU_FSF)])


@pytest.fixture(scope="module")
def synthetic_index() -> ScreeningIndex:
    return ScreeningIndex([load_list(SYNTHETIC)])


def best_id(result) -> str | None:
    return result.hits[0].entity_id if result.hits else None


# --- loaders ---------------------------------------------------------------------------------


def test_ofac_xml_loader():
    lst = load_ofac_xml(FIXTURES / "sdn.xml")
    assert lst.version.format == "ofac_xml" and lst.version.source == "us_ofac_sdn"
    assert lst.version.published == "03/14/2026"
    ids = {e.id: e for e in lst.entities}
    assert set(ids) == {"ofac-36001", "ofac-36002", "ofac-36004"}  # the vessel is skipped
    ivan = ids["ofac-36001"]
    assert ivan.schema == "Person" and ivan.caption == "Ivan Petrovich SIDOROV"
    kinds = {n.text: n.kind for n in ivan.names}
    assert kinds == {
        "Ivan Petrovich SIDOROV": "name",
        "Ivan SIDOROFF": "alias",
        "VANYA": "weakAlias",
        "Сидоров Иван Петрович": "alias",
    }
    assert ivan.birth_dates == ("12 Jan 1971", "1972")
    assert ivan.countries == {"ru"}
    assert ivan.id_numbers == ("720012345",)  # "Gender: Male" is not an identifier
    crane = ids["ofac-36002"]
    assert {n.kind for n in crane.names} == {"name", "previousName"}
    assert crane.id_numbers == ("2711345",) and crane.countries == {"hk"}
    assert crane.programs == ("IRAN", "NPWMD")


def test_ofac_xml_old_namespace_and_types(tmp_path):
    raw = (FIXTURES / "sdn.xml").read_text(encoding="utf-8")
    old = raw.replace(
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML",
        "http://tempuri.org/sdnList.xsd",
    )
    path = tmp_path / "SDN.XML"
    path.write_text(old, encoding="utf-8")
    assert detect_format(path) == "ofac_xml"
    lst = load_ofac_xml(path, types=frozenset({"individual", "entity", "vessel"}))
    assert {e.id for e in lst.entities} == {"ofac-36001", "ofac-36002", "ofac-36003", "ofac-36004"}


def test_ofac_csv_loader_reads_alt_and_remarks():
    lst = load_ofac_csv(FIXTURES / "sdn.csv")
    assert lst.version.format == "ofac_csv"
    ids = {e.id: e for e in lst.entities}
    assert set(ids) == {"ofac-36001", "ofac-36002", "ofac-36004"}
    ivan = ids["ofac-36001"]
    assert ivan.caption == "Ivan Petrovich SIDOROV"  # "LAST, First" turned around
    assert {n.text: n.kind for n in ivan.names} == {
        "Ivan Petrovich SIDOROV": "name",
        "Ivan SIDOROFF": "alias",
        "VANYA": "weakAlias",
    }
    assert ivan.birth_dates == ("12 Jan 1971", "1972")
    assert ivan.countries == {"ru"} and ivan.id_numbers == ("720012345",)
    crane = ids["ofac-36002"]
    assert crane.schema == "LegalEntity" and crane.id_numbers == ("2711345",)
    assert {n.text: n.kind for n in crane.names}["GOLDEN CRANE HK LIMITED"] == "previousName"


def test_ofac_remarks_parser():
    dobs, nats, ids = parse_remarks(
        "DOB 12 Jan 1971; alt. DOB 1972; POB Omsk, Russia; nationality Russia; "
        "Passport 720012345 (Russia); alt. Passport 7300 11111 (Russia); Gender Male."
    )
    assert dobs == ["12 Jan 1971", "1972"] and nats == ["Russia"]
    assert ids == ["720012345", "7300 11111"]


def test_un_xml_loader():
    lst = load_un_xml(FIXTURES / "consolidated.xml")
    assert lst.version.format == "un_xml" and lst.version.published.startswith("2026-03-14")
    ids = {e.id: e for e in lst.entities}
    karim = ids["unsc-6900001"]
    assert karim.caption == "KARIM HASSAN AL-NOORI" and karim.schema == "Person"
    kinds = {n.text: n.kind for n in karim.names}
    assert kinds["Karim al-Nouri"] == "alias"
    assert kinds["Abu Yusuf"] == kinds["Abu Yousef"] == "weakAlias"  # "; "-joined, Low
    assert kinds["كريم حسن النوري"] == "alias"  # NAME_ORIGINAL_SCRIPT
    assert karim.birth_dates == ("1968-03-15", "1969")
    assert karim.countries == {"iq"} and karim.id_numbers == ("A7654321",)
    assert ids["unsc-6900002"].countries == {"kp"}  # "Democratic People's Republic of Korea"
    assert ids["unsc-6900002"].birth_dates == ("1960 to 1962",)
    ship = ids["unsc-6900101"]
    assert ship.schema == "LegalEntity" and {n.kind for n in ship.names} >= {"weakAlias"}


def test_xml_loader_resolves_no_entities(tmp_path):
    evil = tmp_path / "evil.xml"
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    evil.write_text(
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY s SYSTEM "file://{secret}">]>'
        "<CONSOLIDATED_LIST><ENTITIES><ENTITY><DATAID>1</DATAID><FIRST_NAME>&s;</FIRST_NAME>"
        "</ENTITY></ENTITIES></CONSOLIDATED_LIST>",
        encoding="utf-8",
    )
    lst = load_un_xml(evil)
    assert all("TOPSECRET" not in n.text for e in lst.entities for n in e.names)


def test_detect_format_and_errors(tmp_path):
    assert detect_format(FIXTURES / "sdn.xml") == "ofac_xml"
    assert detect_format(FIXTURES / "sdn.csv") == "ofac_csv"
    assert detect_format(FIXTURES / "consolidated.xml") == "un_xml"
    assert detect_format(FIXTURES / "chinese.ftm.json") == "ftm"
    other = tmp_path / "other.xml"
    other.write_text("<root/>", encoding="utf-8")
    with pytest.raises(ValueError, match="unsupported XML"):
        detect_format(other)
    junk = tmp_path / "names.csv"
    junk.write_text("name,country\nx,y\n", encoding="utf-8")
    with pytest.raises(ValueError):
        load_list(junk)


def test_ftm_loader_topics_and_identification():
    lst = load_ftm(FIXTURES / "chinese.ftm.json")
    assert {e.id for e in lst.entities} == {
        "cbec-test-cn-company-1",
        "cbec-test-cn-person-1",
        "cbec-test-cn-person-2",
    }  # the PEP (role.pep) and the Sanction entity are not screened by default
    everyone = load_ftm(FIXTURES / "chinese.ftm.json", topics=None)
    assert "cbec-test-cn-person-3" in {e.id for e in everyone.entities}


@needs_shared
def test_demo_ftm_files_load():
    zala = load_list(ZALA)
    assert zala.version.format == "ftm" and zala.version.entity_count == len(zala.entities)
    # A single file's version sha256 is the file's own sha256 (README of the data folder).
    assert zala.version.sha256.startswith("3f718f13") and zala.version.sha256.endswith("43be6")
    ids = {e.id: e for e in zala.entities}
    assert {NIKITA, MARIA, ALEXANDER} <= set(ids)
    nikita = ids[NIKITA]
    texts = {n.text for n in nikita.names}
    assert "Захаров Никита Александрович" in texts and "Nikita ZAKHAROV" in texts
    assert nikita.birth_dates == ("1986-10-27",) and nikita.countries == {"ru"}
    assert nikita.source == "ftm:zala_entities.ftm.json" and "us_ofac_sdn" in nikita.datasets
    assert "184101937739" in " ".join(nikita.id_numbers)
    # Lavrentiy's passport number is on the Passport entity, attached to its holder.
    assert any(e.id_numbers for e in zala.entities if "Lavrent" in e.caption)
    eu = load_list(EU_FSF)
    assert {e.caption for e in eu.entities} >= {"IRGC", "Vitaly Yurievich KUZMENKO"}


def test_synthetic_ftm_list_loads():
    lst = load_list(SYNTHETIC)
    assert lst.version.format == "ftm"
    assert lst.version.sha256 == hashlib.sha256(SYNTHETIC.read_bytes()).hexdigest()
    ids = {e.id: e for e in lst.entities}
    # parties with a sanction / export-control / terrorism topic; sanction.linked counts too
    assert set(ids) == {ROSTISLAV, VALENTINA, GLEB, LIDIYA, VADIM, SIMA, LV}.union(
        {NORDAVIA, VOSTOK, XINGZHOU, GRLF}
    )
    assert lst.version.entity_count == len(ids) == 11
    rostislav = ids[ROSTISLAV]
    texts = {n.text: n.kind for n in rostislav.names}
    assert texts["Жарков Ростислав Евгеньевич"] == texts["Rostislav ZHARKOV"] == "name"
    assert texts["Zharkov Rostyslav Yevhenovych"] == "alias"  # Ukrainian transliteration
    # first + last name composed within one script, never Cyrillic with Latin
    assert texts["Rostislav Zharkov"] == texts["Ростислав Жарков"] == "composed"
    assert not any(t in texts for t in ("Rostislav Жарков", "Ростислав Zharkov"))
    assert rostislav.birth_dates == ("1979-04-18",) and rostislav.countries == {"ru"}
    assert rostislav.source == "ftm:synthetic_sanctions.ftm.json"
    assert rostislav.datasets == ("cbec_synthetic",) and rostislav.id_numbers == ("990177012345",)
    maiden = {n.kind for n in ids[VALENTINA].names if "Жаркова" in n.text or "Zharkova" in n.text}
    assert maiden == {"previousName"}
    assert ids[GLEB].id_numbers == ("71 0048213",)  # the Passport entity's number, by holder
    assert ids[NORDAVIA].id_numbers == ("9901234567", "1229900012345")  # INN, OGRN
    assert ids[LV].countries == {"cn", "hk"} and ids[XINGZHOU].countries == {"cn"}
    assert {n.text: n.kind for n in ids[GRLF].names}["The Ridge Men"] == "weakAlias"
    # the politically exposed person and the company of interest only with topics=None
    everyone = {e.id for e in load_ftm(SYNTHETIC, topics=None).entities}
    assert everyone - set(ids) == {"syn-person-zharkov-anton", "syn-company-polar-bird"}


def test_synthetic_list_is_what_its_generator_writes(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_synthetic", SANCTIONS / "make_synthetic.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path / "out.ftm.json")
    module.main()
    assert (tmp_path / "out.ftm.json").read_bytes() == SYNTHETIC.read_bytes()
    records = [json.loads(line) for line in SYNTHETIC.read_text(encoding="utf-8").splitlines()]
    assert all(r["datasets"] == ["cbec_synthetic"] for r in records)
    listed = {r["properties"]["entity"][0] for r in records if r["schema"] == "Sanction"}
    assert listed == {ROSTISLAV, VALENTINA, GLEB, VADIM, SIMA, LV, NORDAVIA, VOSTOK, XINGZHOU, GRLF}


def test_version_changes_when_content_changes(tmp_path):
    src = FIXTURES / "consolidated.xml"
    copy = tmp_path / "consolidated.xml"
    shutil.copy(src, copy)
    first = load_list(copy).version
    again = load_list(copy).version
    assert first.sha256 == again.sha256 and first.entity_count == again.entity_count == 3
    copy.write_text(
        src.read_text(encoding="utf-8").replace("NORTHERN STAR", "SOUTHERN STAR"),
        encoding="utf-8",
    )
    changed = load_list(copy).version
    assert changed.sha256 != first.sha256
    assert (
        changed.as_dict()["entity_count"] == 3 and changed.as_dict()["source"] == "un_sc_sanctions"
    )
    # OFAC CSV: editing only alt.csv changes the version too.
    for name in ("sdn.csv", "alt.csv"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    before = load_list(tmp_path / "sdn.csv").version.sha256
    with (tmp_path / "alt.csv").open("a", encoding="utf-8") as fh:
        fh.write('36004,90044,"aka","WANG, Xiao-Ming","-0- "\r\n')
    assert load_list(tmp_path / "sdn.csv").version.sha256 != before


# --- names and qualifiers ---------------------------------------------------------------------


def test_name_forms_scripts():
    assert name_forms("ZAKHAROV, Nikita Aleksandrovich")[0].tokens == (
        "zakharov",
        "nikita",
        "aleksandrovich",
    )
    assert name_forms("Захаров Никита")[0].tokens == ("zakharov", "nikita")
    han = {f.tokens for f in name_forms("张伟")}
    assert ("zhang", "wei") in han
    lv = {f.tokens for f in name_forms("吕小明")}
    assert ("lv", "xiaoming") in lv and ("lu", "xiaoming") in lv and ("lu", "xiao", "ming") in lv
    assert ("ouyang", "nana") in {f.tokens for f in name_forms("欧阳娜娜")}  # compound surname
    company = name_forms("深圳某某科技有限公司")[0]
    assert company.compact == "shenzhenmoumoukeji" and "keji" in company.blocking
    assert name_forms('Общество с ограниченной ответственностью "Беспилотные системы"', True)[
        0
    ].tokens == ("bespilotnye", "sistemy")
    assert name_forms("Limited Liability Company Aeroscan")[0].tokens == ("aeroscan",)
    assert name_forms("Ao Wei")[0].tokens == ("ao", "wei")  # no legal form: "Ao" is a name


def test_token_similarity():
    assert token_similarity("john", "john") == 1.0
    assert token_similarity("j", "john") == 0.9
    assert token_similarity("j", "mary") == 0.0
    assert token_similarity("zakharov", "zakharof") >= 0.85
    assert token_similarity("mohammed", "muhammad") >= 0.85  # metaphone agrees
    assert token_similarity("vitaly", "vitalij") >= 0.9  # transliteration skeleton
    assert token_similarity("moore", "maria") < 0.5  # same metaphone, different names


def test_dates_and_ids():
    assert parse_dates("12 Jan 1971") == [PartialDate(1971, 1, 12)]
    assert parse_dates("circa 1980") == [PartialDate(1980)]
    assert parse_dates("Feb 1965") == [PartialDate(1965, 2)]
    assert parse_dates("1960 to 1962") == [PartialDate(1960), PartialDate(1961), PartialDate(1962)]
    assert parse_dates("1988-01-07") == [PartialDate(1988, 1, 7)]
    assert parse_dates("07.01.1988") == [PartialDate(1988, 1, 7)]
    assert parse_dates("unknown") == []
    assert "184101937739" in id_keys("Taxpayer No. 184101937739")
    assert "183111242572" in id_keys("TIN: 183111242572")
    assert id_keys("720 012 345") == {"720012345"}
    assert id_keys("No. 1") == frozenset()


def test_combine_formula():
    assert combine(Features(name=0.9)) == pytest.approx(0.9)
    assert combine(Features(name=0.8, dob=1.0)) == pytest.approx(0.9)
    assert combine(Features(name=0.8, dob=0.6)) == pytest.approx(0.86)  # year-only counts less
    assert combine(Features(name=1.0, dob=0.0)) == pytest.approx(0.8)
    assert combine(Features(name=0.6, dob=1.0, country=1.0)) == pytest.approx(0.6)  # gate
    assert combine(Features(name=0.9, country=0.0)) == pytest.approx(0.85)
    assert combine(Features(name=0.2, id=1.0)) == pytest.approx(0.96)
    assert combine(Features(name=0.2, dob=0.0, id=1.0)) == pytest.approx(0.96)


# --- matching ---------------------------------------------------------------------------------


@needs_shared
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Nikita Aleksandrovich Zakharov", NIKITA),  # exact
        ("Nikita Zakharov", NIKITA),  # short form on the list
        ("Nikita Zakharof", NIKITA),  # typo
        ("Nkiita Zakharov", NIKITA),  # swapped letters
        ("Zakharov Nikita Aleksandrovich", NIKITA),  # order
        ("Aleksandrovich Nikita Zakharov", NIKITA),
        ("N. Zakharov", NIKITA),  # initial
        ("N. A. Zakharov", NIKITA),
        ("Никита Захаров", NIKITA),  # Cyrillic query, Latin + Cyrillic list
        ("ЗАХАРОВ Никита", NIKITA),
        ("Mykyta Zakharov", NIKITA),  # Ukrainian transliteration
        ("Мария Осетрова", MARIA),
        ("Mariya Zakharova", MARIA),  # maiden / previous name
        ("Aleksandr Vjačeslavovič Zacharov", ALEXANDER),  # Czech-style transliteration
        ("Alexander Zakharov", ALEXANDER),
        ("Kalashnikov Concern", "NK-nR5AXM9AVPq4pQaSPSaVam"),
        ("OOO Aeroskan", "NK-iE6m5ryPeTAMZozfECVSL7"),
        ("Виталий Кузьменко", "NK-2Ka3UvopqbpZmVDFjWd4LA"),  # Cyrillic query, Latin list
        ("IRGC", "NK-2PacmNpiLUmoz4XD2mSt7A"),
    ],
)
def test_demo_list_positives(demo_index, name, expected):
    result = screen(Query(name), demo_index)
    assert result.matched, (name, result.best and result.best.as_dict())
    assert best_id(result) == expected
    hit = result.hits[0]
    assert hit.score >= DEFAULT_THRESHOLD and hit.matched_name and hit.query_name_normalized


@needs_shared
@pytest.mark.parametrize(
    "name",
    ["Zakharov", "Nikita Petrov", "Maria Ivanova", "Svetlana Moskalenko", "John Smith", "Zala"],
)
def test_demo_list_near_misses(demo_index, name):
    result = screen(Query(name), demo_index)
    assert not result.matched, result.hits[0].as_dict()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Rostislav Yevgenyevich Zharkov", ROSTISLAV),  # exact
        ("Rostislav Zharkov", ROSTISLAV),  # short form on the list
        ("Rostislav Zharkof", ROSTISLAV),  # typo
        ("Rsotislav Zharkov", ROSTISLAV),  # swapped letters
        ("Zharkov Rostislav Yevgenyevich", ROSTISLAV),  # order
        ("Yevgenyevich Rostislav Zharkov", ROSTISLAV),
        ("R. Zharkov", ROSTISLAV),  # initial
        ("R. Y. Zharkov", ROSTISLAV),
        ("Ростислав Жарков", ROSTISLAV),  # Cyrillic query, Latin + Cyrillic list
        ("ЖАРКОВ Ростислав", ROSTISLAV),
        ("Rostyslav Zharkov", ROSTISLAV),  # Ukrainian transliteration
        ("Валентина Орликова", VALENTINA),
        ("Valentina Zharkova", VALENTINA),  # maiden / previous name
        ("Gleb Vjačeslavovič Žarkov", GLEB),  # Czech-style transliteration
        ("Gleb Zharkov", GLEB),
        ("Lidiya Zharkova", LIDIYA),  # sanction.linked
        ("Вадим Костылев", VADIM),  # Cyrillic query, Latin-only list
        ("司马文澜", SIMA),
        ("Sima Wenlan", SIMA),  # pinyin of a compound surname, both orders
        ("Wenlan Sima", SIMA),
        ("Lü Dechang", LV),  # 吕 read as Lü, Lu or Lv
        ("Lu Dechang", LV),
        ("Nordavia Systems LLC", NORDAVIA),  # legal form in another language
        ("OOO Nordavia Sistemy", NORDAVIA),
        ("ООО Нордавиа Системы", NORDAVIA),
        ("Vostok-Optika Concern", VOSTOK),
        ("Vostok Optika", VOSTOK),
        ("深圳市晴川星舟电子有限公司", XINGZHOU),
        ("Shenzhen Qingchuan Xingzhou Electronics", XINGZHOU),
        ("Qingchuan Xingzhou Dianzi", XINGZHOU),
        ("GRLF", GRLF),  # an organisation known by its acronym
        ("Grey Ridge Liberation Front", GRLF),
    ],
)
def test_synthetic_list_positives(synthetic_index, name, expected):
    result = screen(Query(name), synthetic_index)
    assert result.matched, (name, result.best and result.best.as_dict())
    assert best_id(result) == expected
    hit = result.hits[0]
    assert hit.score >= DEFAULT_THRESHOLD and hit.matched_name and hit.query_name_normalized


@pytest.mark.parametrize(
    "name",
    [
        "Zharkov",  # a surname alone
        "Rostislav Petrov",  # a first name alone
        "Valentina Ivanova",
        "Gleb Orlikov",
        "Anton Lvovich Zharkov",  # on the file, but as a PEP: not screened by default
        "Polar Bird Logistics",  # topic poi: not screened by default
        "Nordavia",
        "Sima Qian",
        "Zhang Dechang",
        "John Smith",
    ],
)
def test_synthetic_list_near_misses(synthetic_index, name):
    result = screen(Query(name), synthetic_index)
    assert not result.matched, result.hits[0].as_dict()


def test_synthetic_list_qualifiers(synthetic_index):
    # initials alone are nobody; with the number of the passport held on a Passport entity
    # they are near-certain
    assert not screen(Query("G. V. Z."), synthetic_index).matched
    held = screen(Query("G. V. Z.", id_number="710048213"), synthetic_index)
    assert best_id(held) == GLEB and held.hits[0].features.id == 1.0
    assert held.hits[0].score >= 0.95
    # a transposed surname is confirmed by the birth date and cleared by another one
    name = "Rostislav Zarkhov"
    plain = screen(Query(name), synthetic_index).best
    same = screen(Query(name, birth_date="1979-04-18"), synthetic_index).best
    other = screen(Query(name, birth_date="1990-01-01"), synthetic_index)
    assert same.score > plain.score > other.best.score and not other.matched
    # a year-only birth date on the list agrees with a full date in that year, not another year
    assert screen(Query("Lidiya Zharkova", birth_date="1955-07-01"), synthetic_index).matched
    assert not screen(Query("Lidiya Zharkova", birth_date="1975"), synthetic_index).matched
    # the nationality confirms (cn and hk listed) or lowers the score
    hk = screen(Query("Lu Dechang", country="Hong Kong"), synthetic_index).best
    ca = screen(Query("Lu Dechang", country="Canada"), synthetic_index).best
    assert hk.features.country == 1.0 and ca.features.country == 0.0 and hk.score > ca.score
    # a company found by its registration number under a name in another word order
    company = screen(
        Query("Xingzhou Electronics (Shenzhen)", id_number="91440300SYN0000X7K"), synthetic_index
    )
    assert best_id(company) == XINGZHOU and company.hits[0].features.id == 1.0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (Query("Zhang Wei"), "cbec-test-cn-person-1"),
        (Query("WEI Zhang"), "cbec-test-cn-person-1"),
        (Query("张伟"), "cbec-test-cn-person-1"),
        (Query("Ouyang Nana"), "cbec-test-cn-person-2"),
        (Query("Shenzhen Moumou Keji Co., Ltd."), "cbec-test-cn-company-1"),
        (Query("SHENZHEN MOUMOU KEJI YOUXIAN GONGSI"), "cbec-test-cn-company-1"),
        (Query("Shenzen Moumou Keji"), "cbec-test-cn-company-1"),  # typo in pinyin
        (Query("深圳某某科技有限公司"), "cbec-test-cn-company-1"),
        (Query("Shenzhen Moumou Technology Company Limited"), "cbec-test-cn-company-1"),
        (Query("王小明"), "ofac-36004"),  # Han query, Latin + Han list names
        (Query("Wang Xiaoming"), "ofac-36004"),
        (Query("Xiao-Ming Wang"), "ofac-36004"),
        (Query("Иван Сидоров"), "ofac-36001"),
        (Query("Sidorov, Ivan P."), "ofac-36001"),
        (Query("كريم حسن النوري"), "unsc-6900001"),  # Arabic original script
        (Query("Karim Hasan Al Noori"), "unsc-6900001"),
        (Query("Golden Crane Trading Limited"), "ofac-36002"),
        (Query("Northern Star Shipping Co"), "unsc-6900101"),
    ],
)
def test_fixture_positives(fixture_index, query, expected):
    result = screen(query, fixture_index)
    assert best_id(result) == expected, result.best and result.best.as_dict()


def test_birth_date_raises_and_lowers(fixture_index):
    name = "Evan Sidorov"  # one letter off: name similarity ≈ 0.83, just below 0.85
    plain = screen(Query(name), fixture_index)
    same = screen(Query(name, birth_date="1971-01-12"), fixture_index)
    year = screen(Query(name, birth_date="1972"), fixture_index)
    other = screen(Query(name, birth_date="1990-05-05"), fixture_index)
    assert same.best.features.dob == 1.0 and year.best.features.dob == 0.6
    assert other.best.features.dob == 0.0
    assert same.best.score > year.best.score > plain.best.score > other.best.score
    assert same.matched and year.matched and not plain.matched and not other.matched
    # a different generation clears even an exact name
    assert not screen(Query("Ivan Sidorov", birth_date="1990-05-05"), fixture_index).matched
    # A year range on the UN list ("1960 to 1962") agrees with 1961, not with 1975.
    assert screen(Query("Kim Chol Su", birth_date="1961"), fixture_index).matched
    assert not screen(Query("Kim Chol Su", birth_date="1975-01-01"), fixture_index).matched


def test_country_qualifier(fixture_index):
    base = screen(Query("Wang Xiaoming"), fixture_index).best.score
    assert screen(Query("Wang Xiaoming", country="China"), fixture_index).best.features.country == 1
    moved = screen(Query("Wang Xiaoming", country="CA"), fixture_index).best
    assert moved.features.country == 0.0 and moved.score < base


def test_id_number_is_near_certain(fixture_index):
    result = screen(Query("I. P. S.", id_number="720-012-345"), fixture_index)
    assert result.matched and best_id(result) == "ofac-36001"
    assert result.hits[0].features.id == 1.0 and result.hits[0].score >= 0.95
    # A company found by its registration number (USCC) under a translated name.
    company = screen(Query("Moumou Tech (Shenzhen)", id_number="91440300MA5F000X1Q"), fixture_index)
    assert best_id(company) == "cbec-test-cn-company-1"


def test_query_role_and_result_dict(fixture_index):
    result = screen(Query("Zhang Wei", role=Role.SUPPLIER), fixture_index)
    data = result.as_dict()
    assert data["match"] is True and data["query"]["role"] == "supplier"
    assert data["hits"][0]["features"]["name"] == 1.0
    assert {v["format"] for v in data["lists"]} == {"ofac_xml", "un_xml", "ftm"}
    with pytest.raises(ValueError):
        screen(Query("x"), fixture_index, threshold=1.5)


def test_empty_query(fixture_index):
    result = screen(Query(""), fixture_index)
    assert not result.matched and result.best is None


PROBES = {
    "synthetic_index": [
        "Rostislav Zharkof",
        "Жарков Глеб",
        "Valentina Zharkova",
        "Nordavia Systems",
        "Vadim Kostylev",
        "Sima Wenlan",
        "Lyu Dechang",
        "Grey Ridge Front",
    ],
    "demo_index": [
        "Nikita Zakharof",
        "Захаров Александр",
        "Mariya Osetrova",
        "Aeroscan LLC",
        "Svjatlana Pachodava",
        "Tatiana Zhuravleva",
        "Viktor Soiko",
        "Inter Tobacco",
    ],
}
INDEXES = ["synthetic_index", pytest.param("demo_index", marks=needs_shared)]


@pytest.mark.parametrize("which", INDEXES)
def test_index_agrees_with_full_scan(request, which):
    """The index is an optimisation: on each list it finds what a full scan finds."""
    index = request.getfixturevalue(which)
    for name in PROBES[which]:
        fast, slow = screen(Query(name), index), screen_naive(Query(name), index)
        assert best_id(fast) == best_id(slow), name
        assert fast.matched, name
        assert fast.candidates < slow.candidates


@pytest.mark.parametrize("which", INDEXES)
def test_false_positive_rate_on_synthetic_negatives(request, which):
    """1,000 synthetic people who are on no list (yente's validation fixtures): at most 1 %
    may be flagged at the default threshold, with and without their birth date and
    nationality."""
    index = request.getfixturevalue(which)
    with NEGATIVES.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1000
    flagged_plain = [r["full_name"] for r in rows if screen(Query(r["full_name"]), index).matched]
    flagged_qualified = [
        r["full_name"]
        for r in rows
        if screen(
            Query(r["full_name"], birth_date=r["date_of_birth"], country=r["nationality"]),
            index,
        ).matched
    ]
    assert len(flagged_plain) <= 10, flagged_plain
    assert len(flagged_qualified) <= 10, flagged_qualified


# --- CLI --------------------------------------------------------------------------------------


def cli_app() -> typer.Typer:
    app = typer.Typer()
    app.command("screen")(screen_command)

    @app.command("noop")
    def noop() -> None:  # a second command keeps "screen" as a subcommand
        pass

    return app


def test_cli_output_format(tmp_path):
    names = tmp_path / "names.csv"
    names.write_text(
        "name,birth_date,country,role\n"
        "Zhang Wei,1975-06-01,China,buyer\n"
        "Ivan Sidorof,,Russia,payer\n"
        "Patricia Lucas Wheeler,2002-07-14,Ethiopia,\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli_app(),
        [
            "screen",
            "--list",
            str(FIXTURES / "chinese.ftm.json"),
            "--list",
            str(FIXTURES / "sdn.csv"),
            "--list",
            str(FIXTURES / "consolidated.xml"),
            "--names",
            str(names),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    rows = [line for line in lines if "match" in line]
    assert len(rows) == 3
    for row in rows:
        assert {"name", "match", "score", "entity_id", "matched_name"} <= set(row)
        assert 0.0 <= row["score"] <= 1.0
    zhang, ivan, nobody = rows
    assert zhang["match"] is True and zhang["entity_id"] == "cbec-test-cn-person-1"
    assert zhang["matched_name"] == "张伟" and zhang["role"] == "buyer"
    assert zhang["list"] == "ftm:chinese.ftm.json"
    assert zhang["features"]["dob"] == 1.0 and zhang["features"]["country"] == 1.0
    assert ivan["match"] is True and ivan["entity_id"] == "ofac-36001"
    assert nobody["match"] is False and nobody["entity_id"] is None
    assert nobody["matched_name"] is None


def test_cli_threshold_and_bad_input(tmp_path):
    names = tmp_path / "names.csv"
    names.write_text("name\nIvan Sidorof\n", encoding="utf-8")
    args = ["screen", "--list", str(FIXTURES / "sdn.xml"), "--names", str(names)]
    strict = CliRunner().invoke(cli_app(), [*args, "--threshold", "0.99"])
    assert strict.exit_code == 0
    row = json.loads(next(x for x in strict.stdout.splitlines() if '"match"' in x))
    assert row["match"] is False and row["entity_id"] is None and row["score"] > 0.8
    bad = tmp_path / "bad.csv"
    bad.write_text("who\nx\n", encoding="utf-8")
    out = CliRunner().invoke(
        cli_app(), ["screen", "--list", str(FIXTURES / "sdn.xml"), "--names", str(bad)]
    )
    assert out.exit_code == 2
