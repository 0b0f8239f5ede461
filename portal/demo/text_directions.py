"""The seven sectoral directions (салалық бағыттар / отраслевые направления) of the demo 2024 cycle.

DEMO ASSUMPTION: rules.md (ambiguity A-09, sources S3 and S5) says the 2024 cycle used seven sectoral
directions but does not list them. The seven below are plausible directions for regional public
administration chosen for the demonstration only. Replace them with the official list of the Agency of
the Republic of Kazakhstan for Civil Service Affairs (reference data managed by the Agency) before any
real use; nothing in the portal may depend on these particular codes.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from portal.demo.text_common import Lang, Trilingual

__all__ = ["DIRECTIONS_BY_CODE", "SECTOR_DIRECTIONS", "SectorDirectionSeed"]


@dataclass(frozen=True, slots=True)
class SectorDirectionSeed:
    """One sectoral direction: an ASCII snake_case code, a name and a short description in kk/ru/en."""

    code: str
    name: Trilingual
    description: Trilingual

    def __post_init__(self) -> None:
        if not self.code.isascii() or not self.code.replace("_", "").isalnum() or not self.code.islower():
            raise ValueError(f"direction code {self.code!r} is not snake_case ASCII")

    def name_in(self, lang: Lang) -> str:
        return self.name.get(lang)

    def description_in(self, lang: Lang) -> str:
        return self.description.get(lang)


SECTOR_DIRECTIONS: Final[tuple[SectorDirectionSeed, ...]] = (
    SectorDirectionSeed(
        code="economy_finance",
        name=Trilingual(kk="Экономика және қаржы", ru="Экономика и финансы", en="Economy and finance"),
        description=Trilingual(
            kk="Жергілікті бюджетті жоспарлау және атқару, инвестиция тарту, кәсіпкерлікті қолдау.",
            ru="Планирование и исполнение местного бюджета, привлечение инвестиций, поддержка "
            "предпринимательства.",
            en="Planning and executing the local budget, attracting investment, supporting business.",
        ),
    ),
    SectorDirectionSeed(
        code="digitalisation_innovation",
        name=Trilingual(
            kk="Цифрландыру және инновациялар",
            ru="Цифровизация и инновации",
            en="Digitalisation and innovation",
        ),
        description=Trilingual(
            kk="Мемлекеттік қызметтерді цифрландыру, деректерді басқару, жергілікті инновациялық жобаларды "
            "сүйемелдеу.",
            ru="Цифровизация государственных услуг, управление данными, сопровождение местных "
            "инновационных проектов.",
            en="Digital public services, data management, support for local innovation projects.",
        ),
    ),
    SectorDirectionSeed(
        code="agro_industrial_complex",
        name=Trilingual(
            kk="Агроөнеркәсіптік кешен", ru="Агропромышленный комплекс", en="Agro-industrial complex"
        ),
        description=Trilingual(
            kk="Ауыл шаруашылығы өнімдерін өндіру мен өңдеу, су ресурстарын тиімді пайдалану, ауылдық "
            "аумақтарды дамыту.",
            ru="Производство и переработка сельскохозяйственной продукции, рациональное использование "
            "водных ресурсов, развитие сельских территорий.",
            en="Farm production and processing, efficient use of water, rural development.",
        ),
    ),
    SectorDirectionSeed(
        code="social_sphere",
        name=Trilingual(
            kk="Әлеуметтік сала (білім беру, денсаулық сақтау, әлеуметтік қорғау)",
            ru="Социальная сфера (образование, здравоохранение, социальная защита)",
            en="Social sphere (education, health care, social protection)",
        ),
        description=Trilingual(
            kk="Білім беру, денсаулық сақтау, халықты жұмыспен қамту және әлеуметтік қорғау "
            "бағдарламаларын іске асыру.",
            ru="Реализация программ в области образования, здравоохранения, занятости и социальной "
            "защиты населения.",
            en="Programmes in education, health care, employment and social protection.",
        ),
    ),
    SectorDirectionSeed(
        code="construction_housing_transport",
        name=Trilingual(
            kk="Құрылыс, тұрғын үй-коммуналдық шаруашылық және көлік",
            ru="Строительство, жилищно-коммунальное хозяйство и транспорт",
            en="Construction, housing and utilities, transport",
        ),
        description=Trilingual(
            kk="Тұрғын үй құрылысы, инженерлік инфрақұрылымды жаңғырту, жолдар мен қоғамдық көлік.",
            ru="Жилищное строительство, модернизация инженерной инфраструктуры, дороги и общественный "
            "транспорт.",
            en="Housing construction, modernising utility networks, roads and public transport.",
        ),
    ),
    SectorDirectionSeed(
        code="ecology_natural_resources",
        name=Trilingual(
            kk="Экология және табиғи ресурстар",
            ru="Экология и природные ресурсы",
            en="Ecology and natural resources",
        ),
        description=Trilingual(
            kk="Қоршаған ортаны қорғау, қалдықтарды басқару, орман және су шаруашылығы, жер қатынастары.",
            ru="Охрана окружающей среды, управление отходами, лесное и водное хозяйство, земельные "
            "отношения.",
            en="Environmental protection, waste management, forestry and water management, land relations.",
        ),
    ),
    SectorDirectionSeed(
        code="internal_policy_public_administration",
        name=Trilingual(
            kk="Ішкі саясат, жастар саясаты және мемлекеттік басқару",
            ru="Внутренняя политика, молодёжная политика и государственное управление",
            en="Internal policy, youth policy and public administration",
        ),
        description=Trilingual(
            kk="Азаматтармен өзара іс-қимыл, жастар саясаты, мемлекеттік қызметтер сапасы және жергілікті "
            "өзін-өзі басқару.",
            ru="Взаимодействие с гражданами, молодёжная политика, качество государственных услуг и "
            "местное самоуправление.",
            en="Engagement with citizens, youth policy, quality of public services and local "
            "self-government.",
        ),
    ),
)

#: The directions by code, in the order of SECTOR_DIRECTIONS.
DIRECTIONS_BY_CODE: Final[Mapping[str, SectorDirectionSeed]] = MappingProxyType(
    {direction.code: direction for direction in SECTOR_DIRECTIONS}
)
