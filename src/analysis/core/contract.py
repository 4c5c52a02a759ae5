"""The data contract: the tables a reporting country sends, as code.

The same `Table` objects validate the data (`analysis.data.ingest`), write the data dictionary and
the empty Excel templates (`analysis.data.templates`), so the three can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Field kinds. `codes` is a multi-valued code field ("a;b;c").
KINDS = (
    "id", "text", "integer", "number", "date", "boolean", "code", "codes", "country", "place",
    "period",  # "YYYY-MM" (a month) or "YYYY" (a year), kept as text
)


@dataclass(frozen=True)
class Field:
    """One column of a contract table."""

    name: str
    kind: str
    required: bool = False
    codes: str | None = None  # code list name (see analysis.core.reference.code_list)
    minimum: float | None = None
    maximum: float | None = None
    pseudonymize: bool = False  # keyed hash at ingestion
    drop: bool = False  # direct identifier: accepted, then removed at ingestion
    references: tuple[str, str] | None = None  # (table, field) that must exist
    same_country: bool = True  # the reference is looked up within the reporting country
    aliases: tuple[str, ...] = ()  # other headers a file may use for this column

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r} for field {self.name!r}")
        if self.kind in ("code", "codes") and not self.codes:
            raise ValueError(f"field {self.name!r} needs a code list")


@dataclass(frozen=True)
class Table:
    """One contract table: its fields and its key."""

    name: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    description: str = ""
    column_aliases: dict[str, str] = field(default_factory=dict)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def required(self) -> list[str]:
        return [f.name for f in self.fields if f.required]

    def aliases(self, name: str) -> tuple[str, ...]:
        """Other headers accepted for column `name`: the field's own, the table's, the shared."""
        own = self.field(name).aliases
        table = tuple(a for a, target in self.column_aliases.items() if target == name)
        return own + table + FIELD_ALIASES.get(name, ())

    @property
    def published(self) -> list[str]:
        """Columns kept in the clean cache (direct identifiers dropped)."""
        return [f.name for f in self.fields if not f.drop]


# Headers offices commonly use for a column, whatever the table (the label in Spanish and
# English, from messages/fields.yml, is always accepted too).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "reporting_country": ("pais que informa", "pais reportante", "country reporting"),
    "case_id": ("id caso", "caso", "numero de caso", "case", "case number", "case no"),
    "person_id": ("id persona", "persona", "person", "id migrante"),
    "actor_id": ("id actor", "actor"),
    "incident_id": ("id incidente", "incident"),
    "date": ("fecha del caso", "fecha del evento", "event date"),
    "place_id": ("lugar del caso", "place"),
    "migrants": ("migrantes", "numero de migrantes", "number of migrants"),
    "minors": ("menores", "number of minors"),
    "fee_amount": ("monto", "tarifa", "precio", "fee", "amount"),
    "fee_currency": ("moneda", "currency"),
    "sex": ("genero", "gender"),
    "nationality": ("pais de nacionalidad", "citizenship"),
    "leg_order": ("tramo", "orden", "leg"),
    "lat": ("latitude",),
    "lon": ("longitude", "long", "lng"),
}


# Short names offices give a table's file or sheet, beside its name and its es/en label.
TABLE_ALIASES: dict[str, tuple[str, ...]] = {
    "migrants": ("migrantes", "personas"),
    "route_legs": ("tramos", "rutas", "routes"),
    "flows": ("flujos", "estadisticas", "statistics", "flujos oficiales"),
    "links": ("relaciones", "ties"),
    "workplan_status": ("plan de trabajo", "workplan", "work plan"),
}


def _count(name: str, required: bool = False) -> Field:
    return Field(name, "integer", required=required, minimum=0)


REPORTING = Field("reporting_country", "country", required=True)

CASES = Table(
    "cases",
    (
        REPORTING,
        Field("case_id", "id", required=True, pseudonymize=True),
        Field("date", "date", required=True),
        Field("place_id", "place"),
        Field("lat", "number", minimum=-90, maximum=90),
        Field("lon", "number", minimum=-180, maximum=180),
        Field("detection_context", "code", codes="detection_context"),
        Field("transport_mode", "code", required=True, codes="transport_mode"),
        Field("origin_country", "country"),
        Field("destination_country", "country"),
        _count("migrants", required=True),
        _count("minors"),
        _count("smugglers_detained"),
        Field("fee_amount", "number", minimum=0),
        Field("fee_currency", "code", codes="currency"),
        Field("payment_method", "code", codes="payment_method"),
        Field("concealment", "code", codes="concealment"),
        Field("document_fraud", "code", codes="document_fraud"),
        Field("service_model", "code", codes="service_model"),
        Field("recruitment_channel", "code", codes="recruitment_channel"),
        Field("associated_crimes", "codes", codes="associated_crime"),
        Field("legal_outcome", "code", codes="legal_outcome"),
        Field("sentence_years", "number", minimum=0, maximum=100),
        Field("file_number", "text", drop=True),
    ),
    key=("reporting_country", "case_id"),
    description="cases",
)

MIGRANTS = Table(
    "migrants",
    (
        REPORTING,
        Field("person_id", "id", required=True, pseudonymize=True),
        Field("case_id", "id", pseudonymize=True, references=("cases", "case_id")),
        Field("nationality", "country", required=True),
        Field("sex", "code", required=True, codes="sex"),
        Field("age_band", "code", required=True, codes="age_band"),
        Field("unaccompanied_child", "boolean"),
        Field("separated_child", "boolean"),
        Field("vulnerability", "codes", codes="vulnerability"),
        Field("origin_country", "country"),
        Field("intended_destination", "country"),
        Field("reason_for_travel", "code", codes="reason_for_travel"),
        Field("fee_paid", "number", minimum=0),
        Field("fee_currency", "code", codes="currency"),
        Field("full_name", "text", drop=True),
        Field("document_number", "text", drop=True),
    ),
    key=("reporting_country", "person_id"),
    description="migrants",
)

ROUTE_LEGS = Table(
    "route_legs",
    (
        REPORTING,
        Field("case_id", "id", required=True, pseudonymize=True, references=("cases", "case_id")),
        Field("leg_order", "integer", required=True, minimum=1, maximum=50),
        Field("from_place", "place", required=True),
        Field("to_place", "place", required=True),
        Field("mode", "code", required=True, codes="transport_mode"),
        Field("date", "date"),
        Field("cost", "number", minimum=0),
        Field("cost_currency", "code", codes="currency"),
    ),
    key=("reporting_country", "case_id", "leg_order"),
    description="route_legs",
)

INCIDENTS = Table(
    "incidents",
    (
        REPORTING,
        Field("incident_id", "id", required=True),
        Field("date", "date", required=True),
        Field("lat", "number", minimum=-90, maximum=90),
        Field("lon", "number", minimum=-180, maximum=180),
        Field("country", "country"),
        Field("type", "code", required=True, codes="incident_type"),
        _count("dead"),
        _count("missing"),
        _count("survivors"),
        _count("females"),
        _count("males"),
        _count("children"),
        Field("cause", "text"),
        Field("route", "text"),
        Field("source", "text"),
        Field("source_quality", "integer", minimum=1, maximum=5),
    ),
    key=("reporting_country", "incident_id"),
    description="incidents",
)

ACTORS = Table(
    "actors",
    (
        REPORTING,
        Field("actor_id", "id", required=True, pseudonymize=True),
        Field("role", "code", required=True, codes="actor_role"),
        Field("base_country", "country", required=True),
        Field("base_place", "place"),
        Field("nationality", "country"),
        Field("route_stage", "code", codes="route_stage"),
        Field("case_ids", "text", pseudonymize=True),
        Field("alias", "text", drop=True),
        Field("full_name", "text", drop=True),
    ),
    key=("reporting_country", "actor_id"),
    description="actors",
)

LINKS = Table(
    "links",
    (
        REPORTING,
        Field("source", "id", required=True, pseudonymize=True,
              references=("actors", "actor_id"), same_country=False),
        Field("target", "id", required=True, pseudonymize=True,
              references=("actors", "actor_id"), same_country=False),
        Field("relation", "code", required=True, codes="relation"),
        Field("weight", "number", minimum=0),
        Field("period", "date"),
        Field("evidence_source", "code", codes="evidence_source"),
        Field("confidence", "code", codes="confidence"),
    ),
    key=("reporting_country", "source", "target", "relation", "period"),
    description="links",
)

LEGISLATION = Table(
    "legislation",
    (
        REPORTING,
        Field("country", "country", required=True),
        Field("criterion_id", "code", required=True, codes="criterion"),
        Field("value", "text"),
        Field("instrument", "text"),
        Field("article", "text"),
        Field("source_url", "text"),
        Field("date_reviewed", "date"),
        Field("status", "code", required=True, codes="assessment_status"),
    ),
    key=("reporting_country", "country", "criterion_id"),
    description="legislation",
)

WORKPLAN_STATUS = Table(
    "workplan_status",
    (
        REPORTING,
        Field("country", "country", required=True),
        Field("action_id", "code", required=True, codes="workplan_action"),
        Field("status", "code", required=True, codes="action_status"),
        Field("evidence", "text"),
        Field("date", "date", required=True),
    ),
    key=("reporting_country", "country", "action_id", "date"),
    description="workplan_status",
)

# --- flows: official statistics of irregular migration (one row = one published count) ---
FLOWS = Table(
    "flows",
    (
        REPORTING,
        Field("period", "period", required=True),
        Field("event", "code", required=True, codes="flow_event"),
        Field("breakdown", "code", required=True, codes="flow_breakdown"),
        Field("nationality", "country"),
        Field("sex", "code", codes="sex"),
        Field("age_group", "code", codes="flow_age_group"),
        Field("place", "text"),
        Field("counterpart_country", "country"),
        Field("unit", "code", required=True, codes="flow_unit"),
        _count("count", required=True),
        Field("source", "text", required=True),
        Field("source_table", "text", required=True),
    ),
    key=("reporting_country", "source_table", "event", "breakdown", "period", "nationality",
         "sex", "age_group", "place", "counterpart_country", "unit"),
    description="flows",
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (CASES, MIGRANTS, ROUTE_LEGS, INCIDENTS, ACTORS, LINKS, LEGISLATION, WORKPLAN_STATUS,
              FLOWS)
}
