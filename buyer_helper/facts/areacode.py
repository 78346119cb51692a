"""City -> Chinese fixed-line area code, built from the `phonenumbers` geocoder data.

FACTS.md §7: the 12315 number is "area code + 12315"; the area codes come from the
geocoder that maps +86 fixed-line prefixes to places (`+86 21` -> 上海市,
`+86 571` -> 浙江省杭州市). Nothing here is a typed code table: every candidate prefix
(10, 20-29, 300-999) is checked against phonenumbers' own metadata (a valid fixed-line
number with that prefix) and described by its Chinese geocoder text.

The only typed words are the five autonomous regions the data writes without 省 and the
ethnic-group words used to shorten 自治州 names (so "延边" finds "延边朝鲜族自治州").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

# Autonomous regions: the data writes them without 省 ("广西柳州市", "内蒙古包头市").
_REGIONS = ("内蒙古", "广西", "西藏", "宁夏", "新疆")
_REGION_SUFFIX = re.compile(r"^(省|壮族自治区|维吾尔自治区|回族自治区|自治区)")
# Words that end 自治州 names, stripped to get the short name people write.
_ETHNIC = (
    "柯尔克孜",
    "哈萨克",
    "土家族",
    "布依族",
    "朝鲜族",
    "蒙古族",
    "景颇族",
    "蒙古",
    "苗族",
    "彝族",
    "白族",
    "壮族",
    "藏族",
    "回族",
    "傣族",
    "侗族",
)
_PLACE_SUFFIXES = ("自治州", "地区", "市", "盟", "县")


@dataclass(frozen=True)
class Place:
    code: str  # without the leading 0, e.g. "579"
    description: str  # the geocoder's Chinese text, e.g. "浙江省金华市"
    province: str  # short province name, e.g. "浙江"; the city itself for 北京/上海/天津/重庆
    names: tuple[tuple[str, ...], ...]  # per listed city: its name variants, longest first
    municipality: bool = False


def _candidate_prefixes() -> list[str]:
    # Chinese area codes: 10 and 20-29 (two digits), 3xx-9xx (three digits).
    return ["10", *(str(c) for c in range(20, 30)), *(str(c) for c in range(300, 1000))]


@cache
def _raw_places() -> tuple[tuple[str, str], ...]:
    """(prefix, Chinese description) for every prefix phonenumbers knows as fixed-line."""
    import phonenumbers
    from phonenumbers import geocoder
    from phonenumbers.phonenumberutil import PhoneNumberType

    fixed = (PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
    out = []
    for prefix in _candidate_prefixes():
        # Two-digit codes take 8-digit subscriber numbers, three-digit ones 7 or 8.
        for tail in ("87654321", "8765432"):
            number = phonenumbers.parse("+86" + prefix + tail)
            if phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in fixed:
                description = geocoder.description_for_number(number, "zh")
                if description:
                    out.append((prefix, description))
                break
    return tuple(out)


def _name_variants(name: str) -> tuple[str, ...]:
    variants = {name}
    short = name
    for suffix in _PLACE_SUFFIXES:
        if short.endswith(suffix) and len(short) - len(suffix) >= 2:
            short = short[: -len(suffix)]
            break
    variants.add(short)
    if name.endswith("自治州"):
        core = name[: -len("自治州")]
        changed = True
        while changed:
            changed = False
            for word in _ETHNIC:
                if core.endswith(word) and len(core) - len(word) >= 2:
                    core = core[: -len(word)]
                    changed = True
                    break
        variants.add(core)
    return tuple(sorted((v for v in variants if len(v) >= 2), key=len, reverse=True))


@cache
def _provinces() -> tuple[str, ...]:
    found = {m.group(1) for _, d in _raw_places() if (m := re.match(r"^(\w{2,3}?)省", d))}
    return tuple(sorted(found | set(_REGIONS), key=len, reverse=True))


def _split_province(text: str) -> tuple[str, str] | None:
    """("浙江", "金华市") for "浙江省金华市"; None when no province leads the text."""
    for province in _provinces():
        if text.startswith(province):
            rest = _REGION_SUFFIX.sub("", text[len(province) :], count=1)
            return province, rest
    return None


@cache
def places() -> tuple[Place, ...]:
    result = []
    for code, description in _raw_places():
        split = _split_province(description)
        if split is None:
            # 北京市, 上海市, 天津市, 重庆市: the city is its own province. Anything else
            # without a province (e.g. the bare country name) is not a place to dial.
            if not description.endswith("市"):
                continue
            city = description.removesuffix("市")
            result.append(
                Place(code, description, city, (_name_variants(description),), municipality=True)
            )
            continue
        province, rest = split
        names = tuple(_name_variants(part) for part in rest.split("、") if part)
        result.append(Place(code, description, province, names))
    return tuple(result)


def _municipalities() -> dict[str, Place]:
    return {p.province: p for p in places() if p.municipality}


def _find_cities(text: str, province: str | None) -> list[tuple[int, int, int, Place]]:
    hits = []
    for place in places():
        if province is not None and place.province != province:
            continue
        for rank, variants in enumerate(place.names):
            for variant in variants:
                pos = text.find(variant)
                if pos >= 0:
                    hits.append((pos, -len(variant), rank, place))
                    break
    return hits


def _best(hits: list[tuple[int, int, int, Place]]) -> Place | None:
    if not hits:
        return None
    hits.sort(key=lambda h: (h[0], h[1], h[2]))
    top = hits[0]
    rivals = {h[3].code for h in hits if h[:3] == top[:3]}
    if len(rivals) > 1:
        return None  # the data gives the same place for several codes: cannot tell
    return top[3]


def area_code_for(city: str) -> tuple[str, str] | None:
    """The area code (with the leading 0) and the matched place for a city as a shop shows it.

    "浙江省金华市" -> ("0579", "浙江省金华市"); "广州" -> ("020", "广东省广州市").
    None when the text names no place the geocoder data knows (for example a county-level
    city such as 义乌, which the data does not list) or when the data is ambiguous.
    """
    text = re.sub(r"\s+", "", city or "").removeprefix("中国")
    if len(text) < 2:
        return None
    municipalities = _municipalities()
    province = None
    rest = text
    split = _split_province(text)
    if split is not None:
        province, rest = split
    else:
        for name in municipalities:
            if text.startswith(name):
                province, rest = name, text[len(name) :].removeprefix("市")
                break

    place = None
    if province is not None:
        place = _best(_find_cities(rest, province)) or _best(_find_cities(text, province))
        if place is None and province in municipalities:
            place = municipalities[province]
        if place is None:
            in_province = {p.code: p for p in places() if p.province == province}
            if len(in_province) == 1:
                place = next(iter(in_province.values()))
    else:
        place = _best(_find_cities(text, None))
    if place is None:
        return None
    return "0" + place.code, place.description
