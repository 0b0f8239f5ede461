"""The tenant registry: the 20 regions of rules.md 5.1, their lookups, and errors that name file and field."""

import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from portal.tenancy.registry import (
    LocalizedText,
    TenantConfig,
    TenantConfigError,
    TenantKind,
    TenantRegistry,
    load_tenants,
)

TENANTS_DIR = Path(__file__).resolve().parents[3] / "tenants"

OBL, CITY, CAP = TenantKind.OBLAST, TenantKind.CITY_REP, TenantKind.CAPITAL

#: rules.md 5.1, row by row: code, slug, kind, kk name, ru name, en name, centre (en).
EXPECTED: list[tuple[str, str, TenantKind, str, str, str, str | None]] = [
    ("KZ-10", "abai", OBL, "Абай облысы", "область Абай", "Abai Region", "Semey"),
    ("KZ-11", "akmola", OBL, "Ақмола облысы", "Акмолинская область", "Akmola Region", "Kokshetau"),
    ("KZ-15", "aktobe", OBL, "Ақтөбе облысы", "Актюбинская область", "Aktobe Region", "Aktobe"),
    ("KZ-19", "almaty-region", OBL, "Алматы облысы", "Алматинская область", "Almaty Region", "Qonaev"),
    ("KZ-23", "atyrau", OBL, "Атырау облысы", "Атырауская область", "Atyrau Region", "Atyrau"),
    (
        "KZ-27",
        "west-kazakhstan",
        OBL,
        "Батыс Қазақстан облысы",
        "Западно-Казахстанская область",
        "West Kazakhstan Region",
        "Oral (Uralsk)",
    ),
    ("KZ-31", "zhambyl", OBL, "Жамбыл облысы", "Жамбылская область", "Zhambyl (Jambyl) Region", "Taraz"),
    ("KZ-33", "zhetysu", OBL, "Жетісу облысы", "область Жетісу", "Zhetysu (Jetisu) Region", "Taldykorgan"),
    (
        "KZ-35",
        "karaganda",
        OBL,
        "Қарағанды облысы",
        "Карагандинская область",
        "Karaganda Region",
        "Karaganda",
    ),
    ("KZ-39", "kostanay", OBL, "Қостанай облысы", "Костанайская область", "Kostanay Region", "Kostanay"),
    (
        "KZ-43",
        "kyzylorda",
        OBL,
        "Қызылорда облысы",
        "Кызылординская область",
        "Kyzylorda Region",
        "Kyzylorda",
    ),
    ("KZ-47", "mangystau", OBL, "Маңғыстау облысы", "Мангистауская область", "Mangystau Region", "Aktau"),
    ("KZ-55", "pavlodar", OBL, "Павлодар облысы", "Павлодарская область", "Pavlodar Region", "Pavlodar"),
    (
        "KZ-59",
        "north-kazakhstan",
        OBL,
        "Солтүстік Қазақстан облысы",
        "Северо-Казахстанская область",
        "North Kazakhstan Region",
        "Petropavl",
    ),
    ("KZ-61", "turkistan", OBL, "Түркістан облысы", "Туркестанская область", "Turkistan Region", "Turkistan"),
    ("KZ-62", "ulytau", OBL, "Ұлытау облысы", "область Ұлытау", "Ulytau Region", "Zhezkazgan"),
    (
        "KZ-63",
        "east-kazakhstan",
        OBL,
        "Шығыс Қазақстан облысы",
        "Восточно-Казахстанская область",
        "East Kazakhstan Region",
        "Oskemen (Ust-Kamenogorsk)",
    ),
    ("KZ-71", "astana", CAP, "Астана қаласы", "город Астана", "Astana (capital)", None),
    (
        "KZ-75",
        "almaty",
        CITY,
        "Алматы қаласы",
        "город Алматы",
        "Almaty (city of republican significance)",
        None,
    ),
    (
        "KZ-79",
        "shymkent",
        CITY,
        "Шымкент қаласы",
        "город Шымкент",
        "Shymkent (city of republican significance)",
        None,
    ),
]

#: Telephone dialling codes of the administrative centres (demo numbers must use the real code).
DIALLING_CODES = {
    "abai": "7222",
    "akmola": "7162",
    "aktobe": "7132",
    "almaty-region": "72772",
    "atyrau": "7122",
    "west-kazakhstan": "7112",
    "zhambyl": "7262",
    "zhetysu": "7282",
    "karaganda": "7212",
    "kostanay": "7142",
    "kyzylorda": "7242",
    "mangystau": "7292",
    "pavlodar": "7182",
    "north-kazakhstan": "7152",
    "turkistan": "72533",
    "ulytau": "7102",
    "east-kazakhstan": "7232",
    "astana": "7172",
    "almaty": "727",
    "shymkent": "7252",
}

#: The Russian forms the bodies' names need: "по <dative>" (territorial unit), "акима <genitive>" (akimat).
RUSSIAN_FORMS = {
    "akmola": ("по Акмолинской области", "Аппарат акима Акмолинской области"),
    "abai": ("по области Абай", "Аппарат акима области Абай"),
    "zhetysu": ("по области Жетісу", "Аппарат акима области Жетісу"),
    "west-kazakhstan": ("по Западно-Казахстанской области", "Аппарат акима Западно-Казахстанской области"),
    "almaty-region": ("по Алматинской области", "Аппарат акима Алматинской области"),
    "astana": ("по городу Астане", "Аппарат акима города Астаны"),
    "almaty": ("по городу Алматы", "Аппарат акима города Алматы"),
    "shymkent": ("по городу Шымкенту", "Аппарат акима города Шымкента"),
}


@pytest.fixture(scope="module")
def registry() -> TenantRegistry:
    return load_tenants(TENANTS_DIR)


# --- the real tenants/ directory ------------------------------------------------------------------------


def test_loads_the_twenty_regions_of_rules_5_1(registry: TenantRegistry) -> None:
    assert len(registry) == 20
    assert {t.code for t in registry} == {row[0] for row in EXPECTED}
    assert len({t.slug for t in registry}) == 20


Row = tuple[str, str, TenantKind, str, str, str, str | None]


@pytest.mark.parametrize("row", EXPECTED, ids=[row[1] for row in EXPECTED])
def test_each_region_matches_rules_5_1(registry: TenantRegistry, row: Row) -> None:
    code, slug, kind, kk, ru, en, centre_en = row
    tenant = registry.by_code(code)
    assert tenant is not None
    assert tenant.slug == slug
    assert registry.by_slug(slug) is tenant
    assert tenant.kind is kind
    assert (tenant.name.kk, tenant.name.ru, tenant.name.en) == (kk, ru, en)
    if centre_en is None:
        assert tenant.centre is None
    else:
        assert tenant.centre is not None
        assert tenant.centre.en == centre_en


def test_grouping_order_capital_then_cities_then_oblasts(registry: TenantRegistry) -> None:
    slugs = [t.slug for t in registry.all()]
    assert slugs[:3] == ["astana", "almaty", "shymkent"]
    oblasts = slugs[3:]
    assert oblasts == sorted(row[1] for row in EXPECTED if row[2] is OBL)
    kinds = [t.kind for t in registry.all()]
    assert kinds == [CAP] + [CITY] * 2 + [OBL] * 17
    assert list(registry) == list(registry.all())


def test_almaty_city_and_almaty_region_never_mix(registry: TenantRegistry) -> None:
    city, region = registry.by_slug("almaty"), registry.by_slug("almaty-region")
    assert city is not None
    assert region is not None
    assert (city.code, city.kind, city.centre) == ("KZ-75", CITY, None)
    assert (region.code, region.kind) == ("KZ-19", OBL)
    assert region.centre is not None
    assert region.centre.en == "Qonaev"
    assert city.name.ru == "город Алматы"
    assert region.name.ru == "Алматинская область"
    # Neither resolves to the other by any route.
    assert registry.by_alias("almaty") is None
    assert registry.by_alias("almaty-region") is None
    assert registry.by_alias("almaty-city") is city
    assert registry.by_alias("almaty-oblast") is region
    assert city.territorial_unit.email != region.territorial_unit.email
    assert "города Алматы" in city.akimat.name.ru
    assert "Алматинской области" in region.akimat.name.ru


@pytest.mark.parametrize(
    ("alias", "slug"),
    [
        ("jambyl", "zhambyl"),
        ("jetisu", "zhetysu"),
        ("abay", "abai"),
        ("aqmola", "akmola"),
        ("JAMBYL", "zhambyl"),
    ],
)
def test_aliases_resolve_to_the_canonical_tenant(registry: TenantRegistry, alias: str, slug: str) -> None:
    tenant = registry.by_alias(alias)
    assert tenant is not None
    assert tenant.slug == slug
    assert registry.by_slug(alias) is None  # by_slug is exact: aliases redirect, they are not slugs


def test_slugs_are_not_aliases_and_lookups_are_exact(registry: TenantRegistry) -> None:
    assert registry.by_alias("zhambyl") is None
    assert registry.by_slug("Zhambyl") is None
    assert registry.by_slug("nowhere") is None
    assert registry.by_code("KZ-00") is None
    all_slugs = {t.slug for t in registry}
    for tenant in registry:
        assert not set(tenant.aliases) & all_slugs


def test_real_tenants_have_no_hosts(registry: TenantRegistry) -> None:
    assert registry.by_host("127.0.0.1:8000") is None
    assert registry.by_host("localhost") is None


@pytest.mark.parametrize("slug", [row[1] for row in EXPECTED])
def test_contacts_are_marked_demo_with_the_regions_grammar(registry: TenantRegistry, slug: str) -> None:
    tenant = registry.by_slug(slug)
    assert tenant is not None
    tu, akimat = tenant.territorial_unit, tenant.akimat
    assert tu.demo
    assert akimat.demo
    assert tu.name.kk == (
        f"Қазақстан Республикасы Мемлекеттік қызмет істері агенттігінің {tenant.name.kk} бойынша департаменті"
    )
    assert tu.name.ru.startswith(
        "Департамент Агентства Республики Казахстан по делам государственной службы по "
    )
    assert tu.name.en.startswith(
        "Department of the Agency of the Republic of Kazakhstan for Civil Service Affairs"
    )
    assert akimat.name.kk == f"{tenant.name.kk} әкімінің аппараты"
    assert akimat.name.ru.startswith("Аппарат акима ")
    assert akimat.name.en.startswith("Office of the Akim of ")
    for contact in (tu, akimat):
        assert contact.email.endswith("@reserve-demo.kz")
        assert contact.website is not None
        assert contact.website.startswith("https://example.gov.kz/")
        assert contact.phone.startswith(f"+7 {DIALLING_CODES[slug]} ")
        assert sum(ch.isdigit() for ch in contact.phone) == 11
        assert contact.hours is not None
    if tenant.centre is not None:
        # The address lies in the administrative centre (e.g. "г. Уральск, ..." for Oral).
        assert tenant.centre.ru in tu.address.ru
        assert tenant.centre.kk in tu.address.kk


@pytest.mark.parametrize(("slug", "forms"), RUSSIAN_FORMS.items())
def test_russian_case_forms(registry: TenantRegistry, slug: str, forms: tuple[str, str]) -> None:
    tenant = registry.by_slug(slug)
    assert tenant is not None
    tu_suffix, akimat_name = forms
    assert tenant.territorial_unit.name.ru.endswith(tu_suffix)
    assert tenant.akimat.name.ru == akimat_name


def test_localized_text_falls_back_to_kazakh(registry: TenantRegistry) -> None:
    tenant = registry.by_slug("abai")
    assert tenant is not None
    assert tenant.name.get("ru") == "область Абай"
    assert tenant.name.get("en") == "Abai Region"
    assert tenant.name.get("kk") == "Абай облысы"
    assert tenant.name.get("de") == "Абай облысы"
    assert tenant.name.get("") == "Абай облысы"


def test_configs_and_registry_are_immutable(registry: TenantRegistry) -> None:
    tenant = registry.all()[0]
    with pytest.raises(ValidationError):
        tenant.slug = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        registry._tenants = ()
    assert isinstance(registry.all(), tuple)
    assert isinstance(tenant.aliases, tuple)


# --- files written into tmp_path ------------------------------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(type(value))


def dump_toml(data: dict[str, Any]) -> str:
    """A tiny TOML writer for tenant-shaped data: top-level scalars, then one [table] per dict."""
    lines = [f"{k} = {_toml_value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    for key, table in data.items():
        if isinstance(table, dict):
            lines.append(f"\n[{key}]")
            lines += [f"{k} = {_toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def tenant_data(slug: str = "abai") -> dict[str, Any]:
    """A valid tenant (a real file's data) to break in the tests."""
    with (TENANTS_DIR / f"{slug}.toml").open("rb") as handle:
        return tomllib.load(handle)


def write(directory: Path, name: str, data: dict[str, Any] | str) -> Path:
    path = directory / name
    path.write_text(data if isinstance(data, str) else dump_toml(data), encoding="utf-8")
    return path


def test_dumped_copy_of_a_real_file_loads(tmp_path: Path) -> None:
    write(tmp_path, "abai.toml", tenant_data("abai"))
    write(tmp_path, "almaty.toml", tenant_data("almaty"))
    registry = load_tenants(tmp_path)
    assert [t.slug for t in registry] == ["almaty", "abai"]


def test_missing_field_names_file_and_field_path(tmp_path: Path) -> None:
    data = tenant_data()
    del data["name"]["ru"]
    write(tmp_path, "abai.toml", data)
    with pytest.raises(TenantConfigError) as excinfo:
        load_tenants(tmp_path)
    message = str(excinfo.value)
    assert "abai.toml: name.ru: Field required" in message


def test_missing_nested_contact_field(tmp_path: Path) -> None:
    data = tenant_data()
    del data["akimat"]["phone"]
    write(tmp_path, "abai.toml", data)
    with pytest.raises(TenantConfigError, match=r"abai\.toml: akimat\.phone: Field required"):
        load_tenants(tmp_path)


@pytest.mark.parametrize("code", ["KZ-1", "kz-10", "KZ-100", "KZ10", "RU-10", "KZ-١٠"])
def test_bad_code_names_file_and_field(tmp_path: Path, code: str) -> None:
    data = tenant_data()
    data["code"] = code
    write(tmp_path, "abai.toml", data)
    with pytest.raises(TenantConfigError, match=r"abai\.toml: code: "):
        load_tenants(tmp_path)


def test_bad_kind_names_file_and_field(tmp_path: Path) -> None:
    data = tenant_data()
    data["kind"] = "region"
    write(tmp_path, "abai.toml", data)
    with pytest.raises(TenantConfigError) as excinfo:
        load_tenants(tmp_path)
    message = str(excinfo.value)
    assert "abai.toml: kind: " in message
    assert "oblast" in message  # the allowed values are listed


@pytest.mark.parametrize("slug", ["Abai", "abai_", "-abai", "abai-", "a b", "абай", "a"])
def test_bad_slug_names_file_and_field(tmp_path: Path, slug: str) -> None:
    data = tenant_data()
    data["slug"] = slug
    write(tmp_path, "abai.toml", data)
    with pytest.raises(TenantConfigError, match=r"abai\.toml: slug: "):
        load_tenants(tmp_path)


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    text = dump_toml(tenant_data()).replace('kind = "oblast"', "kind oblast")
    write(tmp_path, "abai.toml", text)
    with pytest.raises(TenantConfigError) as excinfo:
        load_tenants(tmp_path)
    message = str(excinfo.value)
    assert "abai.toml: " in message
    assert "TOML syntax error" in message
    assert "line 3" in message


def test_duplicate_slug_names_both_files(tmp_path: Path) -> None:
    write(tmp_path, "abai.toml", tenant_data("abai"))
    other = tenant_data("akmola")
    other["slug"] = "abai"
    write(tmp_path, "akmola.toml", other)
    with pytest.raises(TenantConfigError) as excinfo:
        load_tenants(tmp_path)
    message = str(excinfo.value)
    assert "akmola.toml: slug: 'abai'" in message
    assert "abai.toml" in message.split("akmola.toml", 1)[1]


def test_duplicate_code_names_both_files(tmp_path: Path) -> None:
    write(tmp_path, "abai.toml", tenant_data("abai"))
    other = tenant_data("akmola")
    other["code"] = "KZ-10"
    write(tmp_path, "akmola.toml", other)
    with pytest.raises(TenantConfigError, match=r"akmola\.toml: code: 'KZ-10' .*abai\.toml"):
        load_tenants(tmp_path)


def test_alias_equal_to_another_slug_names_both_files(tmp_path: Path) -> None:
    write(tmp_path, "almaty.toml", tenant_data("almaty"))
    region = tenant_data("almaty-region")
    region["aliases"] = ["almaty"]
    write(tmp_path, "almaty-region.toml", region)
    with pytest.raises(TenantConfigError) as excinfo:
        load_tenants(tmp_path)
    message = str(excinfo.value)
    assert "almaty-region.toml" in message
    assert "almaty.toml" in message
    assert "aliases.0" in message


def test_duplicate_alias_and_host_name_both_files(tmp_path: Path) -> None:
    first, second = tenant_data("abai"), tenant_data("akmola")
    first["hosts"] = ["region.example.kz"]
    second["hosts"] = ["Region.Example.KZ"]
    write(tmp_path, "abai.toml", first)
    write(tmp_path, "akmola.toml", second)
    with pytest.raises(TenantConfigError, match=r"akmola\.toml: hosts\.0: .*abai\.toml"):
        load_tenants(tmp_path)
    second["hosts"] = []
    second["aliases"] = ["abay"]
    write(tmp_path, "akmola.toml", second)
    with pytest.raises(TenantConfigError, match=r"akmola\.toml: aliases\.0: 'abay' .*abai\.toml"):
        load_tenants(tmp_path)


def test_file_name_must_be_the_slug(tmp_path: Path) -> None:
    write(tmp_path, "semey.toml", tenant_data("abai"))
    with pytest.raises(TenantConfigError, match=r"semey\.toml: slug: 'abai' does not match the file name"):
        load_tenants(tmp_path)


def test_oblast_needs_a_centre_and_a_city_has_none(tmp_path: Path) -> None:
    oblast = tenant_data("abai")
    del oblast["centre"]
    write(tmp_path, "abai.toml", oblast)
    with pytest.raises(TenantConfigError, match=r"abai\.toml: centre: .*administrative centre"):
        load_tenants(tmp_path)
    (tmp_path / "abai.toml").unlink()
    city = tenant_data("almaty")
    city["centre"] = {"kk": "Алматы", "ru": "Алматы", "en": "Almaty"}
    write(tmp_path, "almaty.toml", city)
    with pytest.raises(TenantConfigError, match=r"almaty\.toml: centre: .*omit the \[centre\] table"):
        load_tenants(tmp_path)


def test_unknown_field_and_empty_text_are_errors(tmp_path: Path) -> None:
    data = tenant_data()
    data["territorial_unit"]["fax"] = "+7 7222 00-00-02"
    write(tmp_path, "abai.toml", data)
    with pytest.raises(TenantConfigError, match=r"abai\.toml: territorial_unit\.fax: unknown field"):
        load_tenants(tmp_path)
    data = tenant_data()
    data["name"]["en"] = "   "
    write(tmp_path, "abai.toml", data)
    with pytest.raises(TenantConfigError, match=r"abai\.toml: name\.en: "):
        load_tenants(tmp_path)


@pytest.mark.parametrize(
    ("field", "value"),
    [("phone", "+7 7222 00-00"), ("email", "not-an-address"), ("website", "http://example.gov.kz/abai")],
)
def test_bad_contact_values(tmp_path: Path, field: str, value: str) -> None:
    data = tenant_data()
    data["territorial_unit"][field] = value
    write(tmp_path, "abai.toml", data)
    with pytest.raises(TenantConfigError, match=rf"abai\.toml: territorial_unit\.{field}: "):
        load_tenants(tmp_path)


def test_reserved_slug_is_refused(tmp_path: Path) -> None:
    data = tenant_data()
    data["aliases"] = ["static"]
    write(tmp_path, "abai.toml", data)
    with pytest.raises(TenantConfigError, match=r"abai\.toml: aliases: .*reserved"):
        load_tenants(tmp_path)


def test_several_errors_are_all_reported(tmp_path: Path) -> None:
    data = tenant_data()
    data["code"] = "KZ-1"
    del data["name"]["kk"]
    write(tmp_path, "abai.toml", data)
    with pytest.raises(TenantConfigError) as excinfo:
        load_tenants(tmp_path)
    lines = str(excinfo.value).splitlines()
    assert any(
        line.endswith("abai.toml: code: String should match pattern '^KZ-[0-9]{2}$'") for line in lines
    )
    assert any(line.endswith("abai.toml: name.kk: Field required") for line in lines)


def test_missing_or_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(TenantConfigError, match="no tenant files"):
        load_tenants(tmp_path)
    with pytest.raises(TenantConfigError, match="not found"):
        load_tenants(tmp_path / "missing")


def test_error_is_a_value_error() -> None:
    assert issubclass(TenantConfigError, ValueError)


# --- host lookup ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory) -> TenantRegistry:
    tmp_path = tmp_path_factory.mktemp("hosted")
    data = tenant_data("astana")
    data["hosts"] = ["astana.reserve-demo.kz", "Rezerv.Astana.KZ"]
    write(tmp_path, "astana.toml", data)
    write(tmp_path, "almaty.toml", tenant_data("almaty"))
    return load_tenants(tmp_path)


@pytest.mark.parametrize(
    "host",
    ["astana.reserve-demo.kz", "ASTANA.Reserve-Demo.kz", "astana.reserve-demo.kz:8443", "rezerv.astana.kz."],
)
def test_host_lookup_is_case_insensitive_and_ignores_the_port(hosted: TenantRegistry, host: str) -> None:
    tenant = hosted.by_host(host)
    assert tenant is not None
    assert tenant.code == "KZ-71"


def test_host_lookup_misses(hosted: TenantRegistry) -> None:
    assert hosted.by_host("almaty.reserve-demo.kz") is None
    assert hosted.by_host("reserve-demo.kz") is None
    assert hosted.by_host("[::1]:8000") is None
    assert hosted.by_host("") is None
    astana = hosted.by_slug("astana")
    assert astana is not None
    assert astana.hosts == ("astana.reserve-demo.kz", "rezerv.astana.kz")  # stored in lower case


@given(
    port=st.integers(min_value=1, max_value=65535), upper=st.lists(st.booleans(), min_size=22, max_size=22)
)
def test_host_lookup_property(hosted: TenantRegistry, port: int, upper: list[bool]) -> None:
    host = "astana.reserve-demo.kz"
    mixed = "".join(ch.upper() if flag else ch for ch, flag in zip(host, upper, strict=True))
    tenant = hosted.by_host(f"{mixed}:{port}")
    assert tenant is not None
    assert tenant.slug == "astana"


def test_registry_built_directly_checks_duplicates() -> None:
    data = tenant_data("abai")
    first = TenantConfig.model_validate(data)
    second = TenantConfig.model_validate({**data, "slug": "abai-copy"})
    with pytest.raises(TenantConfigError, match="code"):
        TenantRegistry([first, second])


def test_localized_text_requires_all_three_languages() -> None:
    with pytest.raises(ValidationError):
        LocalizedText.model_validate({"kk": "Абай облысы", "ru": "область Абай"})
    with pytest.raises(ValidationError):
        LocalizedText.model_validate({"kk": "", "ru": "область Абай", "en": "Abai Region"})
