"""What each known official table counts: producer, reporting country, event, unit, breakdown.

The IOM Global Data Institute compiles the monthly tables of five CRM members in the R package
`gdidata` (github.com/iom/gdidata, MIT licence); its files share a few column layouts, so the
file's name (`irreg_<country>[_<view>]`) tells which producer's table a file is. The original
producer is the source cited for every row.
"""

from __future__ import annotations

from dataclasses import dataclass

COMPILER = "IOM Global Data Institute, R package gdidata (github.com/iom/gdidata), MIT licence"


@dataclass(frozen=True)
class Statistic:
    """One producer's table."""

    reporting_country: str
    event: str
    unit: str
    breakdown: str
    producer: str
    table: str
    annual_before: int | None = None  # years before this one are annual totals stored as YYYY-01


PANAMA = "Panamá, Servicio Nacional de Migración (SNM)"
HONDURAS = "Honduras, Instituto Nacional de Migración (INM), Flujo Migratorio Irregular"
GUATEMALA = "Instituto Guatemalteco de Migración (IGM)"
MEXICO = "México, Unidad de Política Migratoria (UPM), Boletín Estadístico"
CBP = "U.S. Customs and Border Protection (CBP), Southwest Land Border Encounters"

GDIDATA = {
    "irreg_darien_nat": Statistic("PAN", "irregular_transit", "persons", "nationality", PANAMA,
                                  "Tránsito irregular por Darién, por nacionalidad",
                                  annual_before=2020),
    "irreg_darien_dmg": Statistic("PAN", "irregular_transit", "persons", "sex_age", PANAMA,
                                  "Tránsito irregular por Darién, por sexo y edad"),
    "irreg_honduras": Statistic("HND", "irregular_entry", "persons", "total", HONDURAS,
                                "Flujo migratorio irregular, total"),
    "irreg_honduras_nat": Statistic("HND", "irregular_entry", "persons", "nationality", HONDURAS,
                                    "Flujo migratorio irregular, por nacionalidad"),
    "irreg_honduras_dmg": Statistic("HND", "irregular_entry", "persons", "sex_age", HONDURAS,
                                    "Flujo migratorio irregular, por sexo y edad"),
    "irreg_guatemala": Statistic("GTM", "return_received", "persons", "counterpart_sex_age",
                                 GUATEMALA, "Guatemaltecos retornados, por país, sexo y edad"),
    "irreg_mexico_nat": Statistic("MEX", "irregular_stay", "events", "nationality", MEXICO,
                                  "Cuadro 3.1.1, eventos de personas extranjeras en situación "
                                  "migratoria irregular, por nacionalidad"),
    "irreg_mexico_dmg": Statistic("MEX", "irregular_stay", "events", "sex_age", MEXICO,
                                  "Cuadro 3.1.3, eventos de personas extranjeras en situación "
                                  "migratoria irregular, por sexo y edad"),
    "irreg_mexico_exp": Statistic("MEX", "", "events", "nationality", MEXICO,
                                  "Cuadro 3.2.4, eventos de personas extranjeras devueltas, "
                                  "por nacionalidad y tipo"),
    "irreg_usa": Statistic("USA", "", "events", "place_nationality_age", CBP,
                           "Southwest Land Border Encounters"),
}

# CBP's published encounters (any of its downloadable files): one statistic, events by type.
CBP_STATISTIC = Statistic("USA", "", "events", "place_nationality_age", CBP,
                          "Nationwide Encounters")

LICENCES = {
    PANAMA: "Public official statistics (Panamá, SNM)",
    HONDURAS: "Public official statistics (Honduras, INM)",
    GUATEMALA: "Public official statistics (Guatemala, IGM)",
    MEXICO: "Public official statistics (México, SEGOB/UPM)",
    CBP: "U.S. Government work, public domain",
}
