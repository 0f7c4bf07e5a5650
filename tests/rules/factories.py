"""A small synthetic catalogue for engine unit tests, independent of the real data."""

from lens.rules.model import (
    Catalogue,
    Contact,
    Indicator,
    LifeDomain,
    OrganisationType,
    Region,
    RiskFactor,
    Signal,
    Source,
    Step,
    Text,
)


def t(label: str) -> Text:
    return Text(nl=label, en=label)


def signal(code, indicators, domains, strength="zacht", acute=False) -> Signal:
    return Signal(
        code=code,
        label=t(code.replace("_", " ")),
        explanation=t("help"),
        sources=("src",),
        indicators=tuple(indicators),
        life_domains=tuple(domains),
        strength=strength,
        acute=acute,
    )


def small_catalogue() -> Catalogue:
    org = {c: OrganisationType(c, t(c), t(c), ("src",)) for c in ("school", "gp", "police")}
    domains = {
        "money": LifeDomain("money", t("Geld"), t("x"), ("src",), seen_by=("school",), order=1),
        "health": LifeDomain("health", t("Gezondheid"), t("x"), ("src",), seen_by=("gp",), order=2),
        "social": LifeDomain(
            "social", t("Sociaal"), t("x"), ("src",), seen_by=("police",), order=3
        ),
    }
    indicators = {
        c: Indicator(c, t(c), t(c), ("src",), seen_by=("school", "police"))
        for c in ("finance", "abuse", "crime", "relations")
    }
    signals = [
        signal("debts", ["finance"], ["money"]),
        signal("cash", ["finance"], ["money"]),
        signal("luxury", ["finance"], ["money"]),
        signal("injuries", ["abuse"], ["health"]),
        signal("anxious", ["abuse"], ["health"]),
        signal("drugs_found", ["crime"], ["social"]),
        signal("new_contacts", ["relations"], ["social"]),
        signal("id_taken", ["crime", "relations"], ["social", "money"], strength="sterk"),
        signal("debt_bondage", ["finance", "crime"], ["money"], strength="sterk"),
        signal("controlled", ["relations"], ["social"], strength="middel"),
        signal("threatened", ["abuse", "crime"], ["health", "social"], "sterk", acute=True),
    ]
    steps = {
        f"meldcode_{n}": Step(f"meldcode_{n}", t(f"Stap {n}"), t("x"), ("src",), "meldcode", n)
        for n in range(1, 6)
    }
    contacts = [
        Contact("c112", t("112"), t("x"), ("src",), role="acute", phone="112"),
        Contact("vt", t("Veilig Thuis"), t("x"), ("src",), role="veilig_thuis", phone="0800-2000"),
        Contact("pol", t("Politie"), t("x"), ("src",), role="police", phone="0900-8844"),
        Contact("zc_a", t("ZC A"), t("x"), ("src",), role="zorgcoordinator", region="a", phone="1"),
        Contact("zc_b", t("ZC B"), t("x"), ("src",), role="zorgcoordinator", region="b", phone="2"),
    ]
    return Catalogue(
        version="test-1",
        sources={"src": Source("src", "Synthetic test source")},
        organisation_types=org,
        life_domains=domains,
        indicators=indicators,
        signals={s.code: s for s in signals},
        risk_factors={c: RiskFactor(c, t(c), t(c), ("src",)) for c in ("lvb", "young", "debt")},
        phenomena={},
        steps=steps,
        conversation_tips={},
        thresholds={},
        principles={},
        regions={c: Region(c, t(c), t(c), ("src",)) for c in ("a", "b")},
        contacts={c.code: c for c in contacts},
    )
