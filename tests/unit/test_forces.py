"""Forces, postcode normalisation and the postcode-to-force lookup."""

from __future__ import annotations

import csv

import pytest

from webapp import forces as forces_module
from webapp.forces import (
    Force,
    LookupResult,
    all_forces,
    forces_for_postcode,
    get_force,
    normalise_outward_code,
    normalise_postcode,
)

WELSH_NAMES = {
    "dyfed-powys": "Heddlu Dyfed-Powys",
    "gwent": "Heddlu Gwent",
    "north-wales": "Heddlu Gogledd Cymru",
    "south-wales": "Heddlu De Cymru",
}

SCOTTISH_AREAS = [
    "AB",
    "DD",
    "DG",
    "EH",
    "FK",
    "G",
    "HS",
    "IV",
    "KA",
    "KW",
    "KY",
    "ML",
    "PA",
    "PH",
    "TD",
    "ZE",
]
OTHER_OUTSIDE_AREAS = ["BT", "GY", "JE", "IM"]

# Every geographic postcode area in England and Wales.
ENGLAND_AND_WALES_AREAS = [
    "AL",
    "B",
    "BA",
    "BB",
    "BD",
    "BH",
    "BL",
    "BN",
    "BR",
    "BS",
    "CA",
    "CB",
    "CF",
    "CH",
    "CM",
    "CO",
    "CR",
    "CT",
    "CV",
    "CW",
    "DA",
    "DE",
    "DH",
    "DL",
    "DN",
    "DT",
    "DY",
    "E",
    "EC",
    "EN",
    "EX",
    "FY",
    "GL",
    "GU",
    "HA",
    "HD",
    "HG",
    "HP",
    "HR",
    "HU",
    "HX",
    "IG",
    "IP",
    "KT",
    "L",
    "LA",
    "LD",
    "LE",
    "LL",
    "LN",
    "LS",
    "LU",
    "M",
    "ME",
    "MK",
    "N",
    "NE",
    "NG",
    "NN",
    "NP",
    "NR",
    "NW",
    "OL",
    "OX",
    "PE",
    "PL",
    "PO",
    "PR",
    "RG",
    "RH",
    "RM",
    "S",
    "SA",
    "SE",
    "SG",
    "SK",
    "SL",
    "SM",
    "SN",
    "SO",
    "SP",
    "SR",
    "SS",
    "ST",
    "SW",
    "SY",
    "TA",
    "TF",
    "TN",
    "TQ",
    "TR",
    "TS",
    "TW",
    "UB",
    "W",
    "WA",
    "WC",
    "WD",
    "WF",
    "WN",
    "WR",
    "WS",
    "WV",
    "YO",
]


def ids(result: LookupResult) -> list[str]:
    return [force.id for force in result.candidates]


def postcode_rows() -> list[dict[str, str]]:
    with forces_module.POSTCODES_CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


# --- Forces ----------------------------------------------------------------------------------


def test_there_are_43_forces_with_unique_ids():
    forces = all_forces()
    assert len(forces) == 43
    assert len({force.id for force in forces}) == 43
    assert all(isinstance(force, Force) and force.name for force in forces)


def test_the_four_welsh_forces_have_welsh_names():
    welsh = {force.id: force.name_cy for force in all_forces() if force.is_welsh}
    assert welsh == WELSH_NAMES
    assert all(force.country == "Wales" for force in all_forces() if force.is_welsh)
    assert all(force.name_cy is None for force in all_forces() if not force.is_welsh)


def test_display_name_follows_the_locale():
    north_wales = get_force("north-wales")
    assert north_wales is not None
    assert north_wales.display_name("en") == "North Wales Police"
    assert north_wales.display_name("cy") == "Heddlu Gogledd Cymru"
    assert north_wales.display_name("cy-GB") == "Heddlu Gogledd Cymru"
    kent = get_force("kent")
    assert kent is not None
    assert kent.display_name("cy") == kent.display_name("en") == "Kent Police"


def test_get_force():
    met = get_force("metropolitan")
    assert met is not None and met.name == "Metropolitan Police Service"
    assert get_force("no-such-force") is None


def test_data_is_loaded_once():
    assert get_force("kent") is get_force("kent")
    assert forces_for_postcode("ME1 1AA").candidates[0] is get_force("kent")


# --- Normalising postcodes -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("SW1A 1AA", "SW1A 1AA"),
        ("sw1a1aa", "SW1A 1AA"),
        (" SW1A  1AA ", "SW1A 1AA"),
        ("\tsw1a\u00a01aa\n", "SW1A 1AA"),
        ("m11ae", "M1 1AE"),
        ("B1 1AA", "B1 1AA"),
        ("cr26xh", "CR2 6XH"),
        ("DN551PT", "DN55 1PT"),
        ("W1A 0AX", "W1A 0AX"),
        ("ec1a1bb", "EC1A 1BB"),
        ("N1C 4AG", "N1C 4AG"),
        ("gir0aa", "GIR 0AA"),
        ("ascn 1zz", "ASCN 1ZZ"),
    ],
)
def test_normalise_postcode_accepts_messy_valid_input(text, expected):
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "SW1A",  # outward code only
        "1AA",
        "SW1A 1AAA",
        "SW1A1AA1",
        "SW1A-1AA",
        "12345",
        "not a postcode",
        "QQ1 1AA",  # Q never starts a postcode
        "VA1 1AA",  # nor V
        "AI1 1AA",  # I never second
        "W1Z 1AA",  # Z not a valid final letter of an A9A outward code
        "SW1A 1CA",  # C never in the inward code
        "SW1A 1AK",  # nor K
        None,
        12345,
    ],
)
def test_normalise_postcode_rejects_invalid_input(text):
    assert normalise_postcode(text) is None


def test_normalise_outward_code():
    assert normalise_outward_code(" sw1a ") == "SW1A"
    assert normalise_outward_code("ls1") == "LS1"
    assert normalise_outward_code("SW1A 1AA") is None
    assert normalise_outward_code("SW") is None
    assert normalise_outward_code("") is None


# --- Looking up forces -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "postcode, force_id",
    [
        ("SW1A 1AA", "metropolitan"),
        ("M1 1AE", "greater-manchester"),
        ("CF10 1AA", "south-wales"),
        ("B1 1AA", "west-midlands"),
        ("LS1", "west-yorkshire"),
        ("ls1 4ap", "west-yorkshire"),
        ("NE1", "northumbria"),
        ("EC2V 7HH", "city-of-london"),
        ("BS1 5TR", "avon-and-somerset"),
        ("NP20 1AA", "gwent"),
        ("SA31 1AA", "dyfed-powys"),
        ("LL57 2PW", "north-wales"),
        ("CH5 3AA", "north-wales"),
        ("CH41 5AA", "merseyside"),
        ("CV1 2AA", "west-midlands"),
        ("CV34 4AA", "warwickshire"),
        ("PL1 1AA", "devon-and-cornwall"),
        ("YO1 7HH", "north-yorkshire"),
        ("HU1 1AA", "humberside"),
        ("DH1 3AA", "durham"),
        ("TS1 1AA", "cleveland"),
    ],
)
def test_known_lookups(postcode, force_id):
    result = forces_for_postcode(postcode)
    assert ids(result) == [force_id]
    assert result.force is not None and result.force.id == force_id
    assert not result.needs_choice
    assert not result.outside_england_and_wales


@pytest.mark.parametrize(
    "postcode", ["EH1 1AA", "BT1", "BT1 1AA", "G1 1AA", "ZE1 0AA", "IM1 1AA", "JE2 3AB", "GY1 1AA"]
)
def test_postcodes_outside_england_and_wales(postcode):
    result = forces_for_postcode(postcode)
    assert result.is_valid
    assert result.outside_england_and_wales
    assert result.candidates == []
    assert result.force is None
    assert not result.needs_choice


@pytest.mark.parametrize(
    "postcode, expected",
    [
        ("CH4 8AA", {"cheshire", "north-wales"}),
        ("SY13 1AA", {"west-mercia", "north-wales", "cheshire"}),
        ("NP16 5AA", {"gwent", "gloucestershire"}),
        ("BH23 1AA", {"dorset", "hampshire"}),
        ("EC1A 1BB", {"city-of-london", "metropolitan"}),
    ],
)
def test_split_districts_return_several_candidates(postcode, expected):
    result = forces_for_postcode(postcode)
    assert set(ids(result)) == expected
    assert result.force is None
    assert result.needs_choice


def test_a_split_area_falls_back_to_its_area_row_for_unlisted_districts():
    result = forces_for_postcode("CH99 1AA")  # no row of its own: the CH area row applies
    assert result.matched_prefix == "CH"
    assert set(ids(result)) == {"cheshire", "merseyside", "north-wales"}


def test_district_rows_beat_area_rows():
    assert forces_for_postcode("B60 1AA").matched_prefix == "B60"
    assert ids(forces_for_postcode("B60 1AA")) == ["west-mercia"]
    assert ids(forces_for_postcode("B10 0AA")) == ["west-midlands"]


def test_sector_rows_beat_district_rows():
    assert forces_for_postcode("S8 8AB").matched_prefix == "S8 8"
    assert len(forces_for_postcode("S8 8AB").candidates) == 2
    assert forces_for_postcode("S8 7AB").matched_prefix == "S"


def test_sub_district_falls_back_to_numeric_district():
    result = forces_for_postcode("EC1A 1BB")
    assert result.matched_prefix == "EC1"


def test_border_district_partly_in_scotland():
    result = forces_for_postcode("TD15 1AA")  # Berwick-upon-Tweed
    assert ids(result) == ["northumbria"]
    assert result.partly_outside_england_and_wales
    assert not result.outside_england_and_wales
    assert result.force is None
    assert result.needs_choice


def test_invalid_input_gives_an_invalid_result():
    result = forces_for_postcode("not a postcode")
    assert not result.is_valid
    assert result.postcode is None
    assert result.candidates == []
    assert not result.needs_choice


def test_unknown_and_non_geographic_postcodes_have_no_candidates():
    for postcode in ["AA1 1AA", "GIR 0AA", "BX1 1LT", "BF1 3AA"]:
        result = forces_for_postcode(postcode)
        assert result.is_valid, postcode
        assert result.candidates == [], postcode
        assert not result.outside_england_and_wales, postcode
        assert result.needs_choice, postcode


def test_overseas_territories_are_outside():
    assert forces_for_postcode("FIQQ 1ZZ").outside_england_and_wales


# --- The data files --------------------------------------------------------------------------


def test_forces_csv_keeps_its_columns():
    with forces_module.FORCES_CSV.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == ["id", "name", "name_cy", "country"]


def test_every_force_id_in_the_postcode_data_exists():
    known = {force.id for force in all_forces()}
    referenced = {force_id for row in postcode_rows() for force_id in row["forces"].split()}
    assert referenced <= known, referenced - known


def test_every_force_appears_in_the_postcode_data():
    referenced = {force_id for row in postcode_rows() for force_id in row["forces"].split()}
    assert {force.id for force in all_forces()} <= referenced


def test_postcode_prefixes_are_unique_and_well_formed():
    prefixes = [row["prefix"] for row in postcode_rows()]
    assert len(prefixes) == len(set(prefixes))
    assert all(forces_module._valid_prefix(prefix) for prefix in prefixes)
    forces_module._postcode_rows.cache_clear()
    assert len(forces_module._postcode_rows()) == len(prefixes)  # the loader accepts the file


def test_every_england_and_wales_area_has_a_row_with_forces():
    rows = {row["prefix"]: row for row in postcode_rows()}
    for area in ENGLAND_AND_WALES_AREAS:
        assert area in rows, area
        assert rows[area]["forces"].split(), area
        assert not rows[area]["outside"], area


@pytest.mark.parametrize("area", SCOTTISH_AREAS + OTHER_OUTSIDE_AREAS)
def test_areas_outside_england_and_wales_are_marked(area):
    rows = {row["prefix"]: row for row in postcode_rows()}
    assert rows[area]["outside"]
    assert rows[area]["forces"] == ""


def test_welsh_forces_only_in_areas_that_reach_wales():
    welsh = {"dyfed-powys", "gwent", "north-wales", "south-wales"}
    welsh_areas = {"CF", "CH", "HR", "LD", "LL", "NP", "SA", "SY"}
    for row in postcode_rows():
        if welsh & set(row["forces"].split()):
            area = forces_module._AREA_RE.match(row["prefix"]).group()
            assert area in welsh_areas, row["prefix"]


@pytest.mark.parametrize(
    ("postcode", "outside"),
    [
        ("BT1 1AA", True),  # Northern Ireland
        ("bt71 4nn", True),
        ("BT1", True),  # an outward code alone
        ("IM1 1AA", True),  # Isle of Man
        ("JE2 3AB", True),  # Jersey
        ("GY1 1AA", True),  # Guernsey
        ("FIQQ 1ZZ", True),  # an overseas territory
        ("EH1 1AA", False),  # Scotland is in Great Britain
        ("TD15 1AA", False),  # across the border: partly England
        ("CF10 1AA", False),
        ("LS1 1UR", False),
        ("GIR 0AA", False),  # non-geographic: cannot tell, so not refused
        ("not a postcode", False),
    ],
)
def test_outside_great_britain(postcode, outside):
    assert forces_module.outside_great_britain(postcode) is outside
