"""The economies' names in the languages of APEC economies, for the lists apecdocs writes.

APEC publishes its names in English. Where a member's government publishes APEC's
names in its language (China, Japan, Korea, Thailand, Russia, Viet Nam and the
Spanish-speaking members), those are used; Bahasa Indonesia, Malay and Filipino
documents keep the English names, as those members do in APEC documents.
Keys are ISO 3166 alpha-3 codes, in APEC order.
"""

from __future__ import annotations

from apecdocs.labels import canonical

from . import economies

_CODES = ("AUS", "BRN", "CAN", "CHL", "CHN", "HKG", "IDN", "JPN", "KOR", "MYS", "MEX", "NZL", "PNG",
          "PER", "PHL", "RUS", "SGP", "TPE", "THA", "USA", "VNM")

_NAMES: dict[str, tuple[str, ...]] = {
    "es": ("Australia", "Brunéi Darussalam", "Canadá", "Chile", "China", "Hong Kong, China",
           "Indonesia", "Japón", "Corea", "Malasia", "México", "Nueva Zelanda", "Papúa Nueva Guinea",
           "Perú", "Filipinas", "Rusia", "Singapur", "Taipéi Chino", "Tailandia", "Estados Unidos",
           "Viet Nam"),
    "ru": ("Австралия", "Бруней-Даруссалам", "Канада", "Чили", "Китай", "Гонконг (Китай)",
           "Индонезия", "Япония", "Республика Корея", "Малайзия", "Мексика", "Новая Зеландия",
           "Папуа — Новая Гвинея", "Перу", "Филиппины", "Россия", "Сингапур", "Китайский Тайбэй",
           "Таиланд", "США", "Вьетнам"),
    "zh-Hans": ("澳大利亚", "文莱", "加拿大", "智利", "中国", "中国香港", "印度尼西亚", "日本", "韩国",
                "马来西亚", "墨西哥", "新西兰", "巴布亚新几内亚", "秘鲁", "菲律宾", "俄罗斯", "新加坡",
                "中国台北", "泰国", "美国", "越南"),
    "zh-Hant": ("澳洲", "汶萊", "加拿大", "智利", "中國", "中國香港", "印尼", "日本", "韓國", "馬來西亞",
                "墨西哥", "紐西蘭", "巴布亞紐幾內亞", "秘魯", "菲律賓", "俄羅斯", "新加坡", "中華台北",
                "泰國", "美國", "越南"),
    "ja": ("オーストラリア", "ブルネイ", "カナダ", "チリ", "中国", "香港", "インドネシア", "日本", "韓国",
           "マレーシア", "メキシコ", "ニュージーランド", "パプアニューギニア", "ペルー", "フィリピン",
           "ロシア", "シンガポール", "チャイニーズ・タイペイ", "タイ", "米国", "ベトナム"),
    "ko": ("호주", "브루나이", "캐나다", "칠레", "중국", "홍콩", "인도네시아", "일본", "한국", "말레이시아",
           "멕시코", "뉴질랜드", "파푸아뉴기니", "페루", "필리핀", "러시아", "싱가포르", "중국 타이베이",
           "태국", "미국", "베트남"),
    "th": ("ออสเตรเลีย", "บรูไนดารุสซาลาม", "แคนาดา", "ชิลี", "จีน", "ฮ่องกง จีน", "อินโดนีเซีย",
           "ญี่ปุ่น", "เกาหลี", "มาเลเซีย", "เม็กซิโก", "นิวซีแลนด์", "ปาปัวนิวกินี", "เปรู", "ฟิลิปปินส์",
           "รัสเซีย", "สิงคโปร์", "จีนไทเป", "ไทย", "สหรัฐอเมริกา", "เวียดนาม"),
    "vi": ("Ô-xtrây-li-a", "Bru-nây", "Ca-na-đa", "Chi-lê", "Trung Quốc", "Hồng Công, Trung Quốc",
           "In-đô-nê-xi-a", "Nhật Bản", "Hàn Quốc", "Ma-lai-xi-a", "Mê-hi-cô", "Niu Di-lân",
           "Pa-pua Niu Ghi-nê", "Pê-ru", "Phi-líp-pin", "Nga", "Xin-ga-po", "Đài Bắc Trung Hoa",
           "Thái Lan", "Hoa Kỳ", "Việt Nam"),
}

NAMES: dict[str, dict[str, str]] = {lang: dict(zip(_CODES, names, strict=True))
                                    for lang, names in _NAMES.items()}


def local_name(code: str, lang: str) -> str | None:
    """The economy ``code``'s name in ``lang`` (a canonical tag), or None for English."""
    return NAMES.get(lang, {}).get(code)


def economy(name: str, lang: str) -> str:
    """An economy by its APEC short name in ``lang``; other names as written."""
    found = economies.lookup(name)
    if found is None:
        return name
    return local_name(found.code, canonical(lang)) or found.short
