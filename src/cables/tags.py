"""What the TAGS codes of a cable mean, and what kind of tag each one is.

State Department cables carry a TAGS line (Traffic Analysis by Geography and Subject): four-letter
subject codes grouped by their first letter (A administration, B business, C consular, E economic,
M military, O operations, P political, S social, T technology), four-letter ``K`` codes that the
TAGS manual lists apart as programs and activities (KDEM democratisation, KTIP trafficking in
persons…), two-letter geographic codes (the FIPS 10-4 country codes, plus ``X``/``Z`` regions),
acronyms of international organisations (NATO, UNSC, IAEA…) and, after ``OVIP``, the names of the
visiting officials. The tables below are that public code list — only codes whose meaning is
well established are given a meaning; any other code still comes out, its kind guessed from its
shape (:func:`tag_kind`).

This is the vocabulary every layer shares: the parser's TAGS reader (:mod:`cables.parse.tagline`)
uses it to split and classify codes, the store to give the tag table its meanings. It lives beside
:mod:`cables.ids`, outside ``parse/``, so that the store needs no part of the parser.
"""

from __future__ import annotations

import re

GEOGRAPHIC = "geographic"
SUBJECT = "subject"
PROGRAM = "program"
ORGANISATION = "organisation"
PERSON = "person"

SUBJECT_CODES: dict[str, str] = {
    # administration
    "ABLD": "Buildings and grounds",
    "ABUD": "Budget services",
    "ADCO": "Diplomatic courier operations",
    "AEMR": "Emergency planning and evacuation",
    "AFIN": "Financial management",
    "AFSN": "Foreign Service national personnel",
    "ALOW": "Allowances",
    "AMED": "Medical services",
    "AMGT": "Management operations",
    "AORC": "International organizations and conferences",
    "APER": "Personnel",
    "ASCH": "Overseas schools",
    "ASEC": "Security",
    "ASIG": "Inspector General",
    # consular
    "CASC": "Assistance to U.S. citizens",
    "CJAN": "Judicial assistance and notarial services",
    "CLOK": "Consular lookout system",
    "CMGT": "Consular management",
    "CPAS": "Passports and citizenship",
    "CVIS": "Visas",
    # economic
    "EAGR": "Agriculture and forestry",
    "EAID": "Foreign economic assistance",
    "EAIR": "Civil aviation",
    "ECIN": "Economic integration and cooperation",
    "ECON": "Economic conditions",
    "ECPS": "Communications and postal systems",
    "EFIN": "Financial and monetary affairs",
    "EFIS": "Commercial fishing and fish processing",
    "EIND": "Industry and manufacturing",
    "EINT": "Economic and commercial internet",
    "EINV": "Foreign investments",
    "ELAB": "Labor affairs",
    "ELTN": "Land transportation",
    "EMIN": "Minerals and metals",
    "ENRG": "Energy and power",
    "EPET": "Petroleum and natural gas",
    "ETRD": "Foreign trade",
    "ETTC": "Trade and technology controls",
    "EWWT": "Waterborne transportation",
    # military
    "MARR": "Military and defense arrangements",
    "MASS": "Military assistance and sales",
    "MCAP": "Military capabilities",
    "MNUC": "Military nuclear applications",
    "MOPS": "Military operations",
    # operations
    "OEXC": "Educational and cultural exchange operations",
    "OIIP": "International information programs",
    "OPRC": "Public relations and correspondence",
    "OREP": "U.S. congressional travel",
    "OTRA": "Travel",
    "OVIP": "Visits of high-level officials",
    # political
    "PARM": "Arms controls and disarmament",
    "PBTS": "National boundaries, territories and sovereignty",
    "PGOV": "Internal governmental affairs",
    "PHUM": "Human rights",
    "PINR": "Intelligence",
    "PINS": "National security",
    "PREF": "Refugees",
    "PREL": "External political relations",
    "PROP": "Propaganda and psychological operations",
    "PTER": "Terrorists and terrorism",
    # social
    "SCUL": "Cultural affairs",
    "SENV": "Environmental affairs",
    "SMIG": "Migration",
    "SNAR": "Narcotics",
    "SOCI": "Social conditions",
    # technology
    "TBIO": "Biological and medical science",
    "TINT": "Internet technology",
    "TPHY": "Physical sciences",
    "TRGY": "Energy technology",
    "TSPA": "Space activities",
    "TSPL": "Science and technology policy",
}
"""Subject codes with their meaning. Codes used in cables but not listed here (``PHSA``, ``OPDC``,
``BEXP``…) are still subject tags by their shape; they are only not explained."""

PROGRAM_CODES: dict[str, str] = {
    "KAWC": "Atrocities and war crimes",
    "KBCT": "Boycotts",
    "KCFE": "Conventional Armed Forces in Europe treaty",
    "KCIP": "Critical infrastructure protection",
    "KCOR": "Corruption",
    "KCRM": "Criminal activity",
    "KDEM": "Democratization",
    "KFLU": "Avian and pandemic influenza",
    "KFRD": "Fraud",
    "KGHG": "Greenhouse gases",
    "KHIV": "HIV/AIDS",
    "KHLS": "Homeland security",
    "KICC": "International Criminal Court",
    "KIPR": "Intellectual property rights",
    "KIRF": "International religious freedom",
    "KISL": "Islamic affairs",
    "KJUS": "Administration of justice",
    "KMCA": "Millennium Challenge Account",
    "KMDR": "Media reaction",
    "KMPI": "Middle East Partnership Initiative",
    "KNNP": "Nuclear nonproliferation",
    "KOLY": "Olympic Games",
    "KPAL": "Palestinian affairs",
    "KPAO": "Public affairs office",
    "KPKO": "Peacekeeping operations",
    "KSUM": "Summit meetings",
    "KTBT": "Comprehensive Nuclear Test Ban Treaty",
    "KTFN": "Terrorism financing",
    "KTIP": "Trafficking in persons",
    "KUNR": "United Nations reform",
    "KVPR": "Visas Viper (terrorist screening)",
    "KWBG": "West Bank and Gaza",
    "KWMN": "Women's issues",
}
"""The TAGS manual's program/activity codes (all begin with K) with their meaning."""

ORGANISATION_CODES: dict[str, str] = {
    "APECO": "Asia-Pacific Economic Cooperation",
    "ASEAN": "Association of Southeast Asian Nations",
    "AU": "African Union",
    "CIS": "Commonwealth of Independent States",
    "EFTA": "European Free Trade Association",
    "EU": "European Union",
    "EUN": "European Union",
    "FAO": "Food and Agriculture Organization",
    "GCC": "Gulf Cooperation Council",
    "IAEA": "International Atomic Energy Agency",
    "IBRD": "World Bank",
    "ICAO": "International Civil Aviation Organization",
    "ICJ": "International Court of Justice",
    "ICRC": "International Committee of the Red Cross",
    "ICTY": "International Criminal Tribunal for the former Yugoslavia",
    "ILO": "International Labour Organization",
    "IMF": "International Monetary Fund",
    "IMO": "International Maritime Organization",
    "MERCOSUR": "Southern Common Market",
    "MTCR": "Missile Technology Control Regime",
    "MTCRE": "Missile Technology Control Regime",
    "NATO": "North Atlantic Treaty Organization",
    "NSG": "Nuclear Suppliers Group",
    "OAS": "Organization of American States",
    "OECD": "Organisation for Economic Co-operation and Development",
    "OIC": "Organization of the Islamic Conference",
    "OPCW": "Organisation for the Prohibition of Chemical Weapons",
    "OPEC": "Organization of the Petroleum Exporting Countries",
    "OSCE": "Organization for Security and Co-operation in Europe",
    "SAARC": "South Asian Association for Regional Cooperation",
    "UN": "United Nations",
    "UNDP": "United Nations Development Programme",
    "UNEP": "United Nations Environment Programme",
    "UNESCO": "United Nations Educational, Scientific and Cultural Organization",
    "UNGA": "United Nations General Assembly",
    "UNHCR": "United Nations High Commissioner for Refugees",
    "UNHRC": "United Nations Human Rights Council",
    "UNICEF": "United Nations Children's Fund",
    "UNMIK": "United Nations Interim Administration Mission in Kosovo",
    "UNO": "United Nations",
    "UNSC": "United Nations Security Council",
    "WEU": "Western European Union",
    "WHO": "World Health Organization",
    "WTO": "World Trade Organization",
    "WTRO": "World Trade Organization",
}
"""International organisations (and a few U.S. bodies' usual acronyms are left out on purpose:
they are guessed as organisations by shape). ``AU`` is the African Union in cables, although
FIPS gives it to Austria (whose cables use ``AU`` rarely next to the far more common African
Union meaning); ``EU`` is FIPS's Europa Island and always the European Union in cables."""

_OTHER_ORGANISATIONS = frozenset({
    "CDG", "CTBTO", "CWC", "DEA", "DHS", "DOD", "FARC", "FBI", "FMLN", "FTAA", "G8", "ICC", "ICTR",
    "INTERPOL", "IOM", "LTTE", "NASA", "NPT", "OAU", "OPIC", "SFOR", "UNAMA", "UNDOF", "UNIFIL",
    "UNRWA", "USAID", "USEU", "USTR", "USUN", "WFP", "ZANU", "ZANU-PF",
})
"""Organisations known to appear as tags whose shape alone (four letters) would make them look like
subject codes, or that need no meaning here."""

GEOGRAPHIC_CODES: dict[str, str] = {
    "AA": "Aruba", "AC": "Antigua and Barbuda", "AE": "United Arab Emirates", "AF": "Afghanistan",
    "AG": "Algeria", "AJ": "Azerbaijan", "AL": "Albania", "AM": "Armenia", "AN": "Andorra",
    "AO": "Angola", "AQ": "American Samoa", "AR": "Argentina", "AS": "Australia",
    "AV": "Anguilla", "AY": "Antarctica", "BA": "Bahrain", "BB": "Barbados", "BC": "Botswana",
    "BD": "Bermuda", "BE": "Belgium", "BF": "Bahamas", "BG": "Bangladesh", "BH": "Belize",
    "BK": "Bosnia and Herzegovina", "BL": "Bolivia", "BM": "Burma", "BN": "Benin",
    "BO": "Belarus", "BP": "Solomon Islands", "BR": "Brazil", "BT": "Bhutan", "BU": "Bulgaria",
    "BX": "Brunei", "BY": "Burundi", "CA": "Canada", "CB": "Cambodia", "CD": "Chad",
    "CE": "Sri Lanka", "CF": "Congo (Brazzaville)", "CG": "Congo (Kinshasa)", "CH": "China",
    "CI": "Chile", "CJ": "Cayman Islands", "CM": "Cameroon", "CN": "Comoros", "CO": "Colombia",
    "CS": "Costa Rica", "CT": "Central African Republic", "CU": "Cuba", "CV": "Cape Verde",
    "CY": "Cyprus", "DA": "Denmark", "DJ": "Djibouti", "DO": "Dominica",
    "DR": "Dominican Republic", "EC": "Ecuador", "EG": "Egypt", "EI": "Ireland",
    "EK": "Equatorial Guinea", "EN": "Estonia", "ER": "Eritrea", "ES": "El Salvador",
    "ET": "Ethiopia", "EZ": "Czech Republic", "FG": "French Guiana", "FI": "Finland", "FJ": "Fiji",
    "FM": "Micronesia", "FO": "Faroe Islands", "FP": "French Polynesia", "FR": "France",
    "GA": "The Gambia", "GB": "Gabon", "GG": "Georgia", "GH": "Ghana", "GI": "Gibraltar",
    "GJ": "Grenada", "GL": "Greenland", "GM": "Germany", "GQ": "Guam", "GR": "Greece",
    "GT": "Guatemala", "GV": "Guinea", "GY": "Guyana", "GZ": "Gaza Strip", "HA": "Haiti",
    "HK": "Hong Kong", "HO": "Honduras", "HR": "Croatia", "HU": "Hungary", "IC": "Iceland",
    "ID": "Indonesia", "IN": "India", "IO": "British Indian Ocean Territory", "IR": "Iran",
    "IS": "Israel", "IT": "Italy", "IV": "Cote d'Ivoire", "IZ": "Iraq", "JA": "Japan",
    "JM": "Jamaica", "JO": "Jordan", "KE": "Kenya", "KG": "Kyrgyzstan", "KN": "North Korea",
    "KR": "Kiribati", "KS": "South Korea", "KU": "Kuwait", "KV": "Kosovo", "KZ": "Kazakhstan",
    "LA": "Laos", "LE": "Lebanon", "LG": "Latvia", "LH": "Lithuania", "LI": "Liberia",
    "LO": "Slovakia", "LS": "Liechtenstein", "LT": "Lesotho", "LU": "Luxembourg", "LY": "Libya",
    "MA": "Madagascar", "MC": "Macau", "MD": "Moldova", "MG": "Mongolia", "MI": "Malawi",
    "MJ": "Montenegro", "MK": "Macedonia", "ML": "Mali", "MN": "Monaco", "MO": "Morocco",
    "MP": "Mauritius", "MR": "Mauritania", "MT": "Malta", "MU": "Oman", "MV": "Maldives",
    "MW": "Montenegro", "MX": "Mexico", "MY": "Malaysia", "MZ": "Mozambique",
    "NC": "New Caledonia", "NG": "Niger", "NH": "Vanuatu", "NI": "Nigeria", "NL": "Netherlands",
    "NO": "Norway", "NP": "Nepal", "NR": "Nauru", "NS": "Suriname", "NT": "Netherlands Antilles",
    "NU": "Nicaragua", "NZ": "New Zealand", "PA": "Paraguay", "PE": "Peru", "PK": "Pakistan",
    "PL": "Poland", "PM": "Panama", "PO": "Portugal", "PP": "Papua New Guinea", "PS": "Palau",
    "PU": "Guinea-Bissau", "QA": "Qatar", "RB": "Serbia", "RI": "Serbia", "RM": "Marshall Islands",
    "RO": "Romania", "RP": "Philippines", "RQ": "Puerto Rico", "RS": "Russia",
    "RU": "Russia",  # the ISO code, which many posts write for Russia instead of RS
    "RW": "Rwanda",
    "SA": "Saudi Arabia", "SC": "Saint Kitts and Nevis", "SE": "Seychelles", "SF": "South Africa",
    "SG": "Senegal", "SI": "Slovenia", "SL": "Sierra Leone", "SM": "San Marino", "SN": "Singapore",
    "SO": "Somalia", "SP": "Spain", "ST": "Saint Lucia", "SU": "Sudan", "SW": "Sweden",
    "SY": "Syria", "SZ": "Switzerland", "TD": "Trinidad and Tobago", "TH": "Thailand",
    "TI": "Tajikistan", "TN": "Tonga", "TO": "Togo", "TP": "Sao Tome and Principe",
    "TS": "Tunisia", "TT": "Timor-Leste", "TU": "Turkey", "TV": "Tuvalu", "TW": "Taiwan",
    "TX": "Turkmenistan", "TZ": "Tanzania", "UG": "Uganda", "UK": "United Kingdom",
    "UP": "Ukraine", "US": "United States", "UV": "Burkina Faso", "UY": "Uruguay",
    "UZ": "Uzbekistan", "VC": "Saint Vincent and the Grenadines", "VE": "Venezuela",
    "VM": "Vietnam", "VT": "Holy See", "WA": "Namibia", "WE": "West Bank", "WI": "Western Sahara",
    "WS": "Samoa", "WZ": "Swaziland", "YI": "Serbia and Montenegro (Yugoslavia)", "YM": "Yemen",
    "ZA": "Zambia", "ZI": "Zimbabwe",
}
"""FIPS 10-4 country codes as the TAGS line uses them. Region codes (``XF``, ``XA``, ``ZP``…) are
geographic by shape but not explained: their meanings changed over the years."""

OTHER_CODES = frozenset("""
ACOA ADPM AFSI AGAO AINF AINR AINT AMTC ANET AODE AOMS APCS BBSR BEXP BMGT BTIO CFED ODIP OFDP
OPDC OSCI PHSA PNAT TNGD
KACT KAWK KBIO KBTR KCRS KDRG KFLO KGIC KGIT KHDP KIDE KIRC KNEI KNPP KNSD KOCI KOMC KPLS KPRP
KPRV KRVC KSAF KSCA KSEP KSPR KSTC KSTH KTDB KTEX KTIA KTLA
""".split())
"""TAGS subject and program codes in use whose meaning is not given here: known, so that glued
tags made of them can be split (``KFRDCVISCMGTCASCKOCI…``), but not explained."""

PHRASE_TAGS = frozenset({
    "COUNTER TERRORISM", "COUNTRY CLEARANCE", "DOMESTIC POLITICS", "ECONOMIC AFFAIRS",
    "ECONOMY AND FINANCE", "CONSULAR AFFAIRS", "FOREIGN POLICY", "GAZA DISENGAGEMENT",
    "GLOBAL DEFENSE", "GOI EXTERNAL", "GOI INTERNAL", "HUMAN RIGHTS", "IRAQI FREEDOM",
    "ISRAELI PALESTINIAN AFFAIRS", "ITALIAN POLITICS", "ITALY NATIONAL ELECTIONS", "MEDIA REACTION",
    "MEETINGS WITH AMBASSADOR", "NEW ZEALAND", "PHALANGE PARTY", "PHALANAGE PARTY",
    "POLITICAL PARTIES",
})
"""Keyword phrases some posts (Tel Aviv, Rome, Sanaa…) put on the TAGS line after the codes. The
line separates them by spaces only, like the codes, so only a list tells where one phrase ends
(``ITALY NATIONAL ELECTIONS ITALIAN POLITICS IRAQI FREEDOM`` is three); other words are single
tags."""

_TAG_MEANINGS: dict[str, str] = {
    **GEOGRAPHIC_CODES, **SUBJECT_CODES, **PROGRAM_CODES, **ORGANISATION_CODES,
}
KNOWN_CODES = frozenset(_TAG_MEANINGS) | _OTHER_ORGANISATIONS | OTHER_CODES
"""Every code the tables know: used to split glued tags (``ITPHUM`` → ``IT``, ``PHUM``)."""

_FOUR_LETTER = re.compile(r"[A-Z]{4}")
_TWO_LETTER = re.compile(r"[A-Z]{2}")


def tag_meaning(code: str) -> str | None:
    """A short English meaning of a TAGS code (``PGOV`` → "Internal governmental affairs")."""
    return _TAG_MEANINGS.get(code.strip().upper())


def is_known_code(code: str) -> bool:
    return code in KNOWN_CODES


def tag_kind(tag: str) -> str:
    """The kind of a tag: from the tables when the code is known, else from its shape.

    Two letters are a geographic code, four letters starting with K a program code, other four
    letters a subject code, words and phrases (``ELECTIONS``, ``HUMAN RIGHTS``) a subject, other
    acronyms (``FBI``, ``ZANU-PF``) an organisation. Person tags are recognised by the TAGS
    reader, not here.
    """
    if tag in GEOGRAPHIC_CODES:
        return GEOGRAPHIC
    if tag in PROGRAM_CODES:
        return PROGRAM
    if tag in SUBJECT_CODES:
        return SUBJECT
    if tag in ORGANISATION_CODES or tag in _OTHER_ORGANISATIONS:
        return ORGANISATION
    if _TWO_LETTER.fullmatch(tag):
        return GEOGRAPHIC
    if _FOUR_LETTER.fullmatch(tag):
        return PROGRAM if tag.startswith("K") else SUBJECT
    if " " in tag or (len(tag) >= 6 and tag.isalpha()):
        return SUBJECT
    return ORGANISATION
