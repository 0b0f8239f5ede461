"""Grammatical forms of the 20 region names, and region-specific phrases for the demo announcements.

Why forms and not just names: Kazakh and Russian sentences need the region name in several cases.

============  ======================  ===================  ======================  ==========================
field         used in                 oblast (adjective)   oblast (name + noun)    city
============  ======================  ===================  ======================  ==========================
``kk``        nominative              Ақмола облысы        Абай облысы             Астана қаласы
``kk_gen``    ілік септік, "of"       Ақмола облысының     Абай облысының          Астана қаласының
``kk_loc``    жатыс септік, "in"      Ақмола облысында     Абай облысында          Астана қаласында
``ru``        nominative              Акмолинская область  область Абай            город Астана
``ru_gen``    "кадровая комиссия …"   Акмолинской области  области Абай            города Астаны
``ru_dat``    "по …"                  Акмолинской области  области Абай            городу Астане
``ru_prep``   "в …"                   Акмолинской области  области Абай            городе Астане
``en``        display name            Akmola Region        Abai Region             Astana
``en_of``     after "of" / "in"       Akmola Region        Abai Region             the City of Astana
============  ======================  ===================  ======================  ==========================

``region_names_from_kk_ru_en`` derives all forms from the three nominative names as written in
``tenants/*.toml``; ``REGION_FORMS`` applies it to the 20 regions of rules.md 5.1, keyed by the ISO 3166-2
code. Russian city names decline after "город" where usage allows ("города Астаны", "города Шымкента")
and stay unchanged when they end in a vowel other than "а" ("города Алматы").
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from portal.demo.text_common import Lang, Trilingual
from portal.tenancy.registry import TenantKind

__all__ = [
    "KIND_PRIORITIES",
    "REGION_FORMS",
    "REGION_PRIORITIES",
    "RegionForms",
    "RegionNames",
    "region_names_from_kk_ru_en",
]

_CODE = re.compile(r"^KZ-[0-9]{2}$")
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_RU_HARD_STEM_AFTER_GKH = ("г", "к", "х", "ж", "ш", "щ", "ч")


@dataclass(frozen=True, slots=True)
class RegionNames:
    """A region's name in the grammatical forms the announcement templates need (see the module table)."""

    code: str
    kind: TenantKind
    kk: str
    kk_gen: str
    kk_loc: str
    ru: str
    ru_gen: str
    ru_dat: str
    ru_prep: str
    en: str
    en_of: str

    def __post_init__(self) -> None:
        if not _CODE.match(self.code):
            raise ValueError(f"region code {self.code!r} is not an ISO 3166-2 code like KZ-10")
        for name in ("kk", "kk_gen", "kk_loc", "ru", "ru_gen", "ru_dat", "ru_prep", "en", "en_of"):
            if not getattr(self, name).strip():
                raise ValueError(f"region {self.code}: the form {name!r} is empty")

    def name(self, lang: Lang) -> str:
        """The nominative (display) name in ``lang``."""
        if lang == "ru":
            return self.ru
        if lang == "en":
            return self.en
        return self.kk


#: The name used by the brief for the table's value type.
RegionForms = RegionNames


def _kk_forms(kk: str) -> tuple[str, str]:
    # "облысы" and "қаласы" end in a back vowel after the 3rd-person possessive: -ның, -нда.
    if not kk.endswith((" облысы", " қаласы")):
        raise ValueError(f"Kazakh name {kk!r} must end with 'облысы' or 'қаласы'")
    return f"{kk}ның", f"{kk}нда"


def _ru_city(name: str) -> tuple[str, str, str]:
    """Genitive, dative and prepositional of a Russian city name written after "город"."""
    last = name[-1]
    if last == "а":
        stem = name[:-1]
        genitive = f"{stem}и" if stem.endswith(_RU_HARD_STEM_AFTER_GKH) else f"{stem}ы"
        return genitive, f"{stem}е", f"{stem}е"
    if last.isalpha() and last not in "аеёиоуыэюяйь":
        return f"{name}а", f"{name}у", f"{name}е"
    return name, name, name  # indeclinable: Алматы


def _ru_forms(ru: str) -> tuple[str, str, str]:
    if ru.startswith("область "):
        rest = ru.removeprefix("область ")
        same = f"области {rest}"
        return same, same, same
    if ru.endswith("ая область"):
        adjective = ru.removesuffix(" область")
        same = f"{adjective[:-2]}ой области"
        return same, same, same
    if ru.startswith("город "):
        genitive, dative, prepositional = _ru_city(ru.removeprefix("город "))
        return f"города {genitive}", f"городу {dative}", f"городе {prepositional}"
    raise ValueError(f"Russian name {ru!r} is neither 'область X', '…ая область' nor 'город X'")


def region_names_from_kk_ru_en(code: str, kind: TenantKind, kk: str, ru: str, en: str) -> RegionNames:
    """Derive every form from the nominative names of ``tenants/*.toml``.

    >>> forms = region_names_from_kk_ru_en("KZ-71", TenantKind.CAPITAL, "Астана қаласы", "город Астана",
    ...                                    "Astana (capital)")
    >>> forms.kk_gen, forms.ru_gen, forms.en_of
    ('Астана қаласының', 'города Астаны', 'the City of Astana')
    """
    kk, ru, en = kk.strip(), ru.strip(), en.strip()
    kk_gen, kk_loc = _kk_forms(kk)
    ru_gen, ru_dat, ru_prep = _ru_forms(ru)
    if kind.is_city != ru.startswith("город "):
        raise ValueError(f"region {code}: kind {kind.value!r} does not match the Russian name {ru!r}")
    en_short = _PARENTHESES.sub("", en).strip()
    en_of = f"the City of {en_short}" if kind.is_city else en_short
    return RegionNames(
        code=code,
        kind=kind,
        kk=kk,
        kk_gen=kk_gen,
        kk_loc=kk_loc,
        ru=ru,
        ru_gen=ru_gen,
        ru_dat=ru_dat,
        ru_prep=ru_prep,
        en=en_short,
        en_of=en_of,
    )


_O, _CAP, _CITY = TenantKind.OBLAST, TenantKind.CAPITAL, TenantKind.CITY_REP
#: (code, kind, kk, ru, en) as in rules.md 5.1 and tenants/*.toml.
_REGIONS: Final[tuple[tuple[str, TenantKind, str, str, str], ...]] = (
    ("KZ-10", _O, "Абай облысы", "область Абай", "Abai Region"),
    ("KZ-11", _O, "Ақмола облысы", "Акмолинская область", "Akmola Region"),
    ("KZ-15", _O, "Ақтөбе облысы", "Актюбинская область", "Aktobe Region"),
    ("KZ-19", _O, "Алматы облысы", "Алматинская область", "Almaty Region"),
    ("KZ-23", _O, "Атырау облысы", "Атырауская область", "Atyrau Region"),
    ("KZ-27", _O, "Батыс Қазақстан облысы", "Западно-Казахстанская область", "West Kazakhstan Region"),
    ("KZ-31", _O, "Жамбыл облысы", "Жамбылская область", "Zhambyl (Jambyl) Region"),
    ("KZ-33", _O, "Жетісу облысы", "область Жетісу", "Zhetysu (Jetisu) Region"),
    ("KZ-35", _O, "Қарағанды облысы", "Карагандинская область", "Karaganda Region"),
    ("KZ-39", _O, "Қостанай облысы", "Костанайская область", "Kostanay Region"),
    ("KZ-43", _O, "Қызылорда облысы", "Кызылординская область", "Kyzylorda Region"),
    ("KZ-47", _O, "Маңғыстау облысы", "Мангистауская область", "Mangystau Region"),
    ("KZ-55", _O, "Павлодар облысы", "Павлодарская область", "Pavlodar Region"),
    ("KZ-59", _O, "Солтүстік Қазақстан облысы", "Северо-Казахстанская область", "North Kazakhstan Region"),
    ("KZ-61", _O, "Түркістан облысы", "Туркестанская область", "Turkistan Region"),
    ("KZ-62", _O, "Ұлытау облысы", "область Ұлытау", "Ulytau Region"),
    ("KZ-63", _O, "Шығыс Қазақстан облысы", "Восточно-Казахстанская область", "East Kazakhstan Region"),
    ("KZ-71", _CAP, "Астана қаласы", "город Астана", "Astana (capital)"),
    ("KZ-75", _CITY, "Алматы қаласы", "город Алматы", "Almaty (city of republican significance)"),
    ("KZ-79", _CITY, "Шымкент қаласы", "город Шымкент", "Shymkent (city of republican significance)"),
)

#: The 20 regions' forms, keyed by ISO 3166-2 code (KZ-10 … KZ-79).
REGION_FORMS: Final[Mapping[str, RegionNames]] = MappingProxyType(
    {row[0]: region_names_from_kk_ru_en(*row) for row in _REGIONS}
)


def _p(kk: str, ru: str, en: str) -> Trilingual:
    return Trilingual(kk=kk, ru=ru, en=en)


#: Socio-economic priorities written for each region (noun phrases that fit a list after a colon).
#: Demo texts only: plausible, not taken from any official regional development programme.
REGION_PRIORITIES: Final[Mapping[str, tuple[Trilingual, ...]]] = MappingProxyType(
    {
        "KZ-10": (
            _p("Семейдегі машина жасау және жеңіл өнеркәсіп кәсіпорындарын жаңғырту",
               "модернизация машиностроительных и легкопромышленных предприятий Семея",
               "modernising engineering and light-industry enterprises in Semey"),
            _p("бұрынғы Семей ядролық сынақ полигонына іргелес аудандардың тұрғындарын әлеуметтік қолдау",
               "социальная поддержка жителей районов, прилегающих к бывшему Семипалатинскому полигону",
               "social support for the districts next to the former Semipalatinsk nuclear test site"),
            _p("Абай мен Шәкәрім мұрасына негізделген мәдени-танымдық туризмді дамыту",
               "развитие культурно-познавательного туризма на основе наследия Абая и Шакарима",
               "cultural tourism built on the heritage of Abai and Shakarim"),
            _p("мал шаруашылығы өнімдерін терең өңдеу",
               "глубокая переработка продукции животноводства",
               "deep processing of livestock products"),
        ),
        "KZ-11": (
            _p("астық өндірісін арттыру және элеватор инфрақұрылымын жаңарту",
               "наращивание производства зерна и обновление элеваторной инфраструктуры",
               "raising grain output and renewing grain elevators"),
            _p("Бурабай курорттық аймағын дамыту және оның табиғатын сақтау",
               "развитие курортной зоны Бурабай и сохранение её природы",
               "developing the Burabay resort area while protecting its nature"),
            _p("Астанаға іргелес аудандарда азық-түлік белдеуін қалыптастыру",
               "формирование продовольственного пояса в районах, прилегающих к Астане",
               "a food-supply belt in the districts around Astana"),
            _p("ауылдық елді мекендерді таза ауыз сумен қамтамасыз ету",
               "обеспечение сельских населённых пунктов чистой питьевой водой",
               "clean drinking water for rural settlements"),
        ),
        "KZ-15": (
            _p("хром және ферроқорытпа өндірісін дамыту",
               "развитие производства хрома и ферросплавов",
               "chromium and ferroalloy production"),
            _p("мұнай-газ саласында жергілікті қамтуды ұлғайту",
               "увеличение местного содержания в нефтегазовой отрасли",
               "more local content in the oil and gas industry"),
            _p("«Батыс Еуропа – Батыс Қытай» дәлізі бойындағы көлік-логистика қызметтері",
               "транспортно-логистические услуги вдоль коридора «Западная Европа – Западный Китай»",
               "transport and logistics along the Western Europe – Western China corridor"),
            _p("Ақтөбе агломерациясының инженерлік инфрақұрылымын дамыту",
               "развитие инженерной инфраструктуры Актюбинской агломерации",
               "utility infrastructure for the Aktobe agglomeration"),
        ),
        "KZ-19": (
            _p("Алматы агломерациясындағы қала маңы аудандарының инфрақұрылымын дамыту",
               "развитие инфраструктуры пригородных районов Алматинской агломерации",
               "infrastructure for the suburban districts of the Almaty agglomeration"),
            _p("Қонаев қаласы мен Қапшағай су қоймасы жағалауын туристік орталық ретінде дамыту",
               "развитие Конаева и побережья Капшагайского водохранилища как туристического центра",
               "developing Qonaev and the Kapshagay reservoir shore as a tourist centre"),
            _p("жеміс-көкөніс өндірісі мен сақтау қоймаларын кеңейту",
               "расширение производства и хранения плодоовощной продукции",
               "more fruit and vegetable production and storage"),
            _p("суармалы жерлерді тиімді пайдалану",
               "эффективное использование орошаемых земель",
               "efficient use of irrigated land"),
        ),
        "KZ-23": (
            _p("мұнай-газ химиясы кешенін дамыту",
               "развитие нефтегазохимического комплекса",
               "developing the petrochemical complex"),
            _p("ірі мұнай-газ жобаларына жергілікті кадрлар мен кәсіпорындарды тарту",
               "привлечение местных кадров и предприятий к крупным нефтегазовым проектам",
               "bringing local workers and firms into the major oil and gas projects"),
            _p("Жайық өзеніндегі су тасқынынан қорғау және Каспий теңізінің экожүйесін сақтау",
               "защита от паводков на реке Жайык (Урал) и сохранение экосистемы Каспийского моря",
               "flood protection on the Zhaiyk (Ural) River and protecting the Caspian Sea ecosystem"),
            _p("балық шаруашылығы мен балық өңдеуді қолдау",
               "поддержка рыбного хозяйства и рыбопереработки",
               "support for fisheries and fish processing"),
        ),
        "KZ-27": (
            _p("Қарашығанақ кен орны маңында газ өңдеу өндірістерін дамыту",
               "развитие газоперерабатывающих производств вокруг месторождения Карачаганак",
               "gas processing around the Karachaganak field"),
            _p("шекара маңы сауда-экономикалық ынтымақтастығын кеңейту",
               "расширение приграничного торгово-экономического сотрудничества",
               "wider cross-border trade and economic cooperation"),
            _p("мал шаруашылығын және жем-шөп базасын дамыту",
               "развитие животноводства и кормовой базы",
               "livestock farming and the fodder base"),
            _p("Орал қаласының тарихи орталығын сақтау және туризмді дамыту",
               "сохранение исторического центра Уральска и развитие туризма",
               "preserving the historic centre of Oral and developing tourism"),
        ),
        "KZ-31": (
            _p("фосфор және минералды тыңайтқыштар өндіретін химия өнеркәсібін дамыту",
               "развитие химической промышленности по производству фосфора и минеральных удобрений",
               "the chemical industry producing phosphorus and mineral fertilisers"),
            _p("қант қызылшасы өндірісін және суармалы егіншілікті қолдау",
               "поддержка производства сахарной свёклы и орошаемого земледелия",
               "sugar beet and irrigated farming"),
            _p("Ұлы Жібек жолының тарихи ескерткіштері негізінде туризмді дамыту",
               "развитие туризма на основе исторических памятников Великого Шёлкового пути",
               "tourism around the historic monuments of the Great Silk Road"),
            _p("шекара маңы аудандарының көлік-логистика әлеуетін арттыру",
               "повышение транспортно-логистического потенциала приграничных районов",
               "the transport and logistics potential of the border districts"),
        ),
        "KZ-33": (
            _p("«Қорғас» халықаралық шекара маңы ынтымақтастығы орталығының әлеуетін пайдалану",
               "использование потенциала Международного центра приграничного сотрудничества «Хоргос»",
               "making full use of the Khorgos International Centre for Boundary Cooperation"),
            _p("Алакөл көлі жағалауындағы туристік инфрақұрылымды дамыту",
               "развитие туристической инфраструктуры на побережье озера Алаколь",
               "tourist infrastructure on the shores of Lake Alakol"),
            _p("бау-бақша шаруашылығы және ауыл шаруашылығы өнімдерін өңдеу",
               "садоводство и переработка сельскохозяйственной продукции",
               "orchards and the processing of farm produce"),
            _p("Талдықорғанды облыс орталығы ретінде дамыту",
               "развитие Талдыкоргана как областного центра",
               "developing Taldykorgan as the regional centre"),
        ),
        "KZ-35": (
            _p("көмір өнеркәсібі мен металлургияны жаңғырту",
               "модернизация угольной промышленности и металлургии",
               "modernising coal mining and metallurgy"),
            _p("Теміртаудағы атмосфералық ауаның сапасын жақсарту",
               "улучшение качества атмосферного воздуха в Темиртау",
               "cleaner air in Temirtau"),
            _p("индустриялық аймақтарда шағын және орта бизнесті дамыту",
               "развитие малого и среднего бизнеса в индустриальных зонах",
               "small and medium business in the industrial zones"),
            _p("моноқалалардың экономикасын әртараптандыру",
               "диверсификация экономики моногородов",
               "diversifying the economies of single-industry towns"),
        ),
        "KZ-39": (
            _p("астық өндірісі мен оны терең өңдеуді дамыту",
               "развитие производства зерна и его глубокой переработки",
               "grain production and deep processing"),
            _p("Қостанайда автомобиль және ауыл шаруашылығы техникасын құрастыруды дамыту",
               "развитие сборки автомобилей и сельскохозяйственной техники в Костанае",
               "car and farm-machinery assembly in Kostanay"),
            _p("Рудныйда темір кенін өндіру және байыту",
               "добыча и обогащение железной руды в Рудном",
               "iron-ore mining and enrichment in Rudny"),
            _p("ауылдық аумақтарды цифрлық байланыспен қамту",
               "обеспечение сельских территорий цифровой связью",
               "digital connectivity for rural areas"),
        ),
        "KZ-43": (
            _p("күріш шаруашылығына суды үнемдейтін технологияларды енгізу",
               "внедрение водосберегающих технологий в рисоводстве",
               "water-saving technologies in rice growing"),
            _p("Арал өңірінің экологиялық және әлеуметтік мәселелерін шешу",
               "решение экологических и социальных проблем Приаралья",
               "the environmental and social problems of the Aral Sea area"),
            _p("Сырдария өзенінің су ресурстарын басқару",
               "управление водными ресурсами реки Сырдарья",
               "managing the water of the Syr Darya"),
            _p("Байқоңыр маңында ғарыш туризмін дамыту",
               "развитие космического туризма вблизи Байконура",
               "space tourism near Baikonur"),
        ),
        "KZ-47": (
            _p("Ақтау және Құрық теңіз порттарының әлеуетін арттыру",
               "наращивание потенциала морских портов Актау и Курык",
               "expanding the sea ports of Aktau and Kuryk"),
            _p("Каспий жағалауында туризмді дамыту",
               "развитие туризма на побережье Каспия",
               "tourism on the Caspian coast"),
            _p("теңіз суын тұщыландыру арқылы сумен жабдықтауды жақсарту",
               "улучшение водоснабжения за счёт опреснения морской воды",
               "better water supply through desalination of sea water"),
            _p("мұнай-газ саласында жастарды жұмыспен қамту",
               "занятость молодёжи в нефтегазовой отрасли",
               "jobs for young people in the oil and gas sector"),
        ),
        "KZ-55": (
            _p("Екібастұз энергетикалық кешенін жаңғырту",
               "модернизация Экибастузского энергетического комплекса",
               "modernising the Ekibastuz power complex"),
            _p("алюминий және мұнай өңдеу өндірістерін дамыту",
               "развитие алюминиевого и нефтеперерабатывающего производств",
               "the aluminium and oil-refining industries"),
            _p("Ертіс өзенінің экологиялық жағдайын жақсарту",
               "улучшение экологического состояния реки Иртыш",
               "the ecological state of the Irtysh River"),
            _p("Баянауыл курорттық аймағын дамыту",
               "развитие курортной зоны Баянаул",
               "developing the Bayanaul resort area"),
        ),
        "KZ-59": (
            _p("астық және майлы дақылдар өндірісін дамыту",
               "развитие производства зерновых и масличных культур",
               "grain and oilseed production"),
            _p("тауарлы сүт фермаларын қолдау",
               "поддержка товарных молочных ферм",
               "support for commercial dairy farms"),
            _p("ауылдарға жас мамандарды тарту және оларды тұрғын үймен қамтамасыз ету",
               "привлечение молодых специалистов в сёла и обеспечение их жильём",
               "attracting young professionals to villages and housing them"),
            _p("Петропавлдың машина жасау кәсіпорындарын дамыту",
               "развитие машиностроительных предприятий Петропавловска",
               "engineering enterprises in Petropavl"),
        ),
        "KZ-61": (
            _p("Қожа Ахмет Ясауи кесенесінің маңында туристік инфрақұрылымды дамыту",
               "развитие туристической инфраструктуры вокруг мавзолея Ходжи Ахмеда Ясави",
               "tourist infrastructure around the Mausoleum of Khoja Ahmed Yasawi"),
            _p("жылыжай шаруашылығы мен мақта өңдеуді дамыту",
               "развитие тепличного хозяйства и переработки хлопка",
               "greenhouse farming and cotton processing"),
            _p("халқы тығыз орналасқан ауылдарда жастарды жұмыспен қамту",
               "занятость молодёжи в густонаселённых сёлах",
               "jobs for young people in densely populated villages"),
            _p("Түркістан қаласын облыстың әкімшілік орталығы ретінде дамыту",
               "развитие Туркестана как административного центра области",
               "developing Turkistan as the regional administrative centre"),
        ),
        "KZ-62": (
            _p("мыс өндіру және балқыту кәсіпорындарын дамыту",
               "развитие предприятий по добыче и выплавке меди",
               "copper mining and smelting"),
            _p("Ұлытаудың тарихи-мәдени ескерткіштері негізінде туризмді дамыту",
               "развитие туризма на основе историко-культурных памятников Улытау",
               "tourism around the historic and cultural sites of Ulytau"),
            _p("Жезқазған мен Сәтбаев қалаларының экономикасын әртараптандыру",
               "диверсификация экономики Жезказгана и Сатпаева",
               "diversifying the economies of Zhezkazgan and Satpayev"),
            _p("жаңа облыстың басқару жүйесін қалыптастыру",
               "становление системы управления новой области",
               "building up the administration of a new region"),
        ),
        "KZ-63": (
            _p("түсті металлургия және титан-магний өндірісін дамыту",
               "развитие цветной металлургии и титано-магниевого производства",
               "non-ferrous metallurgy and titanium and magnesium production"),
            _p("Алтай тауларында экологиялық туризмді дамыту",
               "развитие экологического туризма в горах Алтая",
               "eco-tourism in the Altai mountains"),
            _p("орман ресурстарын сақтау және орман өрттерінің алдын алу",
               "сохранение лесных ресурсов и профилактика лесных пожаров",
               "protecting forests and preventing forest fires"),
            _p("Өскемендегі ауа сапасын жақсарту",
               "улучшение качества воздуха в Усть-Каменогорске",
               "cleaner air in Oskemen"),
        ),
        "KZ-71": (
            _p("елорданың қалалық қызметтерінің сапасын арттыру",
               "повышение качества городских услуг столицы",
               "better municipal services in the capital"),
            _p("жеңіл рельсті көлік желісін іске қосу және қоғамдық көлікті дамыту",
               "запуск линии лёгкого рельсового транспорта и развитие общественного транспорта",
               "launching the light-rail line and improving public transport"),
            _p("«ақылды қала» шешімдері мен цифрлық сервистерді енгізу",
               "внедрение решений «умного города» и цифровых сервисов",
               "smart-city solutions and digital services"),
            _p("жылу және су желілерін жаңарту",
               "обновление тепловых и водопроводных сетей",
               "renewing the heating and water networks"),
        ),
        "KZ-75": (
            _p("IT-стартаптар мен инновациялық кәсіпкерлікті қолдау",
               "поддержка IT-стартапов и инновационного предпринимательства",
               "support for IT start-ups and innovative business"),
            _p("ауа сапасын жақсарту және жылу электр орталықтарын газға көшіру",
               "улучшение качества воздуха и перевод ТЭЦ на газ",
               "cleaner air and switching the combined heat and power plants to gas"),
            _p("метро желісін ұзарту және көлік кептелісін азайту",
               "продление линий метро и снижение транспортных заторов",
               "extending the metro and easing traffic congestion"),
            _p("ғимараттардың сейсмикалық төзімділігін арттыру",
               "повышение сейсмической устойчивости зданий",
               "making buildings more earthquake-resistant"),
        ),
        "KZ-79": (
            _p("индустриялық аймақтарды дамыту және өңдеу өнеркәсібін қолдау",
               "развитие индустриальных зон и поддержка обрабатывающей промышленности",
               "industrial zones and manufacturing"),
            _p("фармацевтика және құрылыс материалдары өндірісін кеңейту",
               "расширение фармацевтического производства и выпуска строительных материалов",
               "pharmaceuticals and building materials"),
            _p("жаңа тұрғын үй алаптарын инженерлік желілермен қамтамасыз ету",
               "обеспечение новых жилых массивов инженерными сетями",
               "utility networks for the new housing estates"),
            _p("қаланың оңтүстік өңірдің сауда-логистика орталығы ретіндегі рөлін күшейту",
               "укрепление роли города как торгово-логистического центра юга страны",
               "the city's role as the trade and logistics hub of the south"),
        ),
    }
)  # fmt: skip

#: Priorities common to every region of a kind; one of them is mixed into each announcement.
KIND_PRIORITIES: Final[Mapping[TenantKind, tuple[Trilingual, ...]]] = MappingProxyType(
    {
        TenantKind.OBLAST: (
            _p("ауылдық аумақтарды кешенді дамыту",
               "комплексное развитие сельских территорий",
               "integrated rural development"),
            _p("аудандық және ауылдық жолдарды жөндеу",
               "ремонт районных и сельских дорог",
               "repairing district and village roads"),
            _p("жергілікті өзін-өзі басқаруды нығайту",
               "укрепление местного самоуправления",
               "stronger local self-government"),
        ),
        TenantKind.CITY_REP: (
            _p("қала тұрғындарына мемлекеттік қызмет көрсету сапасын арттыру",
               "повышение качества государственных услуг для горожан",
               "better public services for city residents"),
            _p("қаланың бас жоспарын іске асыру",
               "реализация генерального плана города",
               "implementing the city master plan"),
            _p("қоғамдық кеңістіктер мен жасыл аймақтарды дамыту",
               "развитие общественных пространств и зелёных зон",
               "public spaces and green areas"),
        ),
        TenantKind.CAPITAL: (
            _p("елорданың бас жоспарын іске асыру",
               "реализация генерального плана столицы",
               "implementing the master plan of the capital"),
            _p("халықаралық іс-шараларды өткізу әлеуетін арттыру",
               "наращивание потенциала для проведения международных мероприятий",
               "more capacity to host international events"),
            _p("жасыл белдеу мен қоғамдық кеңістіктерді дамыту",
               "развитие зелёного пояса и общественных пространств",
               "the green belt and public spaces"),
        ),
    }
)  # fmt: skip
