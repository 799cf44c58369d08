"""Incentive documents from checklists/incentives/: read, checked against their schema, compiled.

Every condition a document states is compiled against the profile schema's facts (an
`enterprise.*`, `item.*` or `model.*` path, or one of the derived facts below), so a misspelt
fact or value in the data stops the tool (exit 2) instead of quietly switching a requirement off.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

from compliance import resources
from compliance.declaration.facts import Fact, FactCatalog
from compliance.errors import ToolError
from compliance.evaluate.conditions import ConditionCompiler, ConditionError
from compliance.incentives.engine import CompiledDocument, CompiledMeasure
from compliance.models.rules import Text

DOCUMENTS_SCHEMA = "incentives-v2.schema.json"
PROFILE_SCHEMA = "profile-v2.schema.json"
FOLDER = "incentives"

# Facts computed from the profile (engine.facts_of): conditions may read them like any other.
DERIVED = {
    name: Fact(path=(name,), kinds=frozenset({"number"}), values=None, item_values=None)
    for name in ("$revenue", "$ai_income", "$ai_share_pct", "$revenue_increase", "$qianhai_start_year",
                 "$data_transaction_income")
}


def documents_dir() -> Path:
    return resources.checklists_dir() / FOLDER


@cache
def _catalog() -> FactCatalog:
    """The facts conditions may name: `enterprise.*`, `item.*` (one spend item) and `model.*` (one
    large model) of the profile."""
    profile = json.loads(resources.schema_path(PROFILE_SCHEMA).read_text(encoding="utf-8"))
    scope = {"type": "object", "$defs": profile["$defs"],
             "properties": {"enterprise": {"$ref": "#/$defs/Enterprise"}, "item": {"$ref": "#/$defs/SpendItem"},
                            "model": {"$ref": "#/$defs/LargeModel"}}}
    return FactCatalog.from_schema(scope)


@cache
def load_documents(folder: str | None = None) -> tuple[CompiledDocument, ...]:
    """Every document of the folder (the bundled one by default), in file-name order."""
    from compliance.declaration.validate import read_checked

    directory = Path(folder) if folder else documents_dir()
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise ToolError(f"{directory}: no incentive documents (*.yaml) found")
    documents = []
    for path in paths:
        display = f"{FOLDER}/{path.name}"
        document = read_checked(path, display, DOCUMENTS_SCHEMA, "incentive document")
        documents.append(_compile(document.data, display))
    ids = [d.id for d in documents]
    if len(set(ids)) != len(ids):
        raise ToolError(f"{directory}: two incentive documents share an id")
    # The city's measures first, then the districts', each in id order.
    return tuple(sorted(documents, key=lambda d: (d.program != "municipal", d.id)))


def _compile(data: dict, display: str) -> CompiledDocument:
    compiler = ConditionCompiler(_catalog(), definitions=data.get("definitions", {}), derived=DERIVED)
    try:
        eligible = tuple(_requirement(compiler, r, f"{display}: eligible[{i}]") for i, r in enumerate(data.get("eligible", ())))
        document = CompiledDocument(data, eligible)
        measures = []
        for clause in data["clauses"]:
            _check_clause(clause, f"{display}: clause {clause['clause']}")
            measures += [_measure(compiler, document, clause, m, f"{display}: {m['id']}") for m in clause.get("measures", ())]
    except ConditionError as exc:
        raise ToolError(str(exc)) from None
    if len({m.id for m in measures}) != len(measures):
        raise ToolError(f"{display}: two measures share an id")
    if len({c["clause"] for c in data["clauses"]}) != len(data["clauses"]):
        raise ToolError(f"{display}: a clause is listed twice")
    object.__setattr__(document, "measures", tuple(measures))
    return document


def _check_clause(clause: dict, where: str) -> None:
    """A clause says what it gives: measures, or the parts not estimated with who and how much."""
    if not clause.get("measures") and not clause.get("not_estimated"):
        raise ToolError(f"{where}: give its measures, or list it under not_estimated with the reason")
    for part in clause.get("not_estimated", ()):
        if part.get("kind", "support") == "support" and not (part.get("who") and part.get("amounts")):
            raise ToolError(f"{where}: a support not estimated needs who (may claim) and amounts")


def _requirement(compiler: ConditionCompiler, data: dict, where: str) -> tuple[Text, object]:
    return Text(data["text"]["en"], data["text"]["zh"]), compiler.compile(data["when"], where)


def _measure(compiler: ConditionCompiler, document: CompiledDocument, clause: dict, data: dict,
             where: str) -> CompiledMeasure:
    _check_base(data, where)
    requires = tuple(_requirement(compiler, r, f"{where}.requires[{i}]") for i, r in enumerate(data.get("requires", ())))
    rates = tuple(
        (Decimal(r["rate"]), compiler.compile(r["when"], f"{where}.rates[{i}]") if r.get("when") else None,
         Text(r["text"]["en"], r["text"]["zh"]) if r.get("text") else None)
        for i, r in enumerate(data.get("rates", ()))
    )
    ceiling = compiler.compile(data["ceiling"]["when"], f"{where}.ceiling") if data.get("ceiling") else None
    return CompiledMeasure(document, clause, data, requires, rates, ceiling)


_GROUPED_CAPS = {"platform_year", "platform_total", "served_enterprise_year", "served_enterprise_total"}


def _check_base(data: dict, where: str) -> None:
    """A measure says what it is paid on, in exactly one way the engine can compute."""
    ways = [bool(data.get("rates")), data.get("unit_amount") is not None, data.get("award") is not None,
            data.get("usage_based") is not None]
    if sum(ways) != 1:
        raise ToolError(f"{where}: give exactly one of rates, a unit_amount, an award or usage_based")
    if (data.get("unit_amount") is not None) != bool(data.get("units")):
        raise ToolError(f"{where}: unit_amount and units go together")
    if data.get("units") == "area_months" and data.get("base") != "office_lease":
        raise ToolError(f"{where}: units area_months are counted on office_lease spend")
    if data.get("units") not in (None, "area_months") and data.get("base"):
        raise ToolError(f"{where}: a count the profile states is paid on the applicant, with no base")
    if data.get("months_from_start") is not None and data.get("units") != "area_months":
        raise ToolError(f"{where}: months_from_start limits area_months")
    if data.get("rates") and not (data.get("base") or data.get("base_derived")):
        raise ToolError(f"{where}: rates need a base (a spend kind) or a base_derived")
    if data.get("base") and data.get("base_derived"):
        raise ToolError(f"{where}: give a base or a base_derived, not both")
    if data.get("basis_year") == "previous" and data.get("base") in (None, "large_model"):
        raise ToolError(f"{where}: basis_year previous needs spend as its base")
    if any(cap["per"] in _GROUPED_CAPS for cap in data.get("caps", ())) and data.get("base") in (None, "large_model"):
        raise ToolError(f"{where}: caps per platform or served enterprise need spend as the base")
    rates = [Decimal(r["rate"]) for r in data.get("rates", ())]
    if rates and (data["rates"][-1].get("when") or rates[-1] != min(rates)):
        raise ToolError(f"{where}: the last rate must be the lowest and have no condition, so an unknown fact "
                        "never raises the estimate")
