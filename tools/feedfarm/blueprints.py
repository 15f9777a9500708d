"""Story blueprints for the farm's text generator: per IPTC top-level section, who speaks and what happens.

All of this is written for the farm; organisations are invented (see lexicon.py for the word lists).
"""

from __future__ import annotations

# Per category: organisation pattern, main person's role, analyst's role, topic nouns, unit, and events.
# An event is (headline phrase, past-tense lede phrase, noun phrase); {org} {num} {topic} {city} are slots.
BLUEPRINTS: dict[str, dict[str, object]] = {
    "culture": {
        "org": "{stem} Arts Council",
        "role": "festival director",
        "analyst": "critic",
        "topics": ("theatre funding", "the film festival", "museum admissions", "public broadcasting"),
        "unit": "visitors",
        "events": (
            ("opens record festival season", "opened its festival season with {num} visitors", "the festival season"),
            ("cuts grants to {topic}", "cut its grants to {topic} by {num} percent", "the grant cuts"),
        ),
    },
    "justice": {
        "org": "{city} Regional Court",
        "role": "chief prosecutor",
        "analyst": "law professor",
        "topics": ("fraud cases", "the bribery trial", "police powers", "sentencing rules"),
        "unit": "cases",
        "events": (
            (
                "convicts former executives in fraud case",
                "convicted {num} former executives of fraud",
                "the fraud verdict",
            ),
            (
                "orders review of {topic}",
                "ordered a review of {topic} covering {num} cases",
                "the court-ordered review",
            ),
        ),
    },
    "emergencies": {
        "org": "{city} Fire and Rescue Service",
        "role": "fire chief",
        "analyst": "safety engineer",
        "topics": ("flood defences", "the chemical spill", "evacuation plans", "bridge safety"),
        "unit": "residents",
        "events": (
            (
                "evacuates homes after warehouse fire",
                "evacuated {num} residents after a warehouse fire",
                "the warehouse fire",
            ),
            (
                "contains chemical spill near river",
                "contained a chemical spill affecting {num} residents",
                "the chemical spill",
            ),
        ),
    },
    "business": {
        "org": "{stem} Holdings",
        "role": "chief executive",
        "analyst": "equity analyst",
        "topics": ("quarterly profit", "the takeover bid", "shipping costs", "interest rates"),
        "unit": "million euros",
        "events": (
            (
                "posts jump in quarterly profit",
                "reported quarterly profit of {num} million euros",
                "the profit figures",
            ),
            ("agrees takeover of rival", "agreed to buy a rival for {num} million euros", "the takeover deal"),
        ),
    },
    "education": {
        "org": "University of {city}",
        "role": "vice-chancellor",
        "analyst": "education researcher",
        "topics": ("tuition fees", "teacher shortages", "school meals", "exam results"),
        "unit": "students",
        "events": (
            ("freezes tuition fees", "froze tuition fees for {num} students", "the fee freeze"),
            ("opens new science campus", "opened a science campus for {num} students", "the new campus"),
        ),
    },
    "environment": {
        "org": "{city} Environment Agency",
        "role": "environment minister",
        "analyst": "ecologist",
        "topics": ("river pollution", "air quality", "forest cover", "plastic waste"),
        "unit": "hectares",
        "events": (
            ("expands protected wetlands", "added {num} hectares of protected wetland", "the wetland expansion"),
            (
                "fines plant over river pollution",
                "fined a chemical plant over pollution along {num} kilometres of river",
                "the pollution fine",
            ),
        ),
    },
    "health": {
        "org": "{city} General Hospital",
        "role": "health minister",
        "analyst": "epidemiologist",
        "topics": ("waiting lists", "the vaccination drive", "hospital staffing", "drug prices"),
        "unit": "patients",
        "events": (
            ("cuts waiting lists", "cut waiting lists by {num} patients", "the waiting-list figures"),
            ("launches vaccination drive", "launched a vaccination drive for {num} patients", "the vaccination drive"),
        ),
    },
    "people": {
        "org": "{city} Community Trust",
        "role": "volunteer coordinator",
        "analyst": "local historian",
        "topics": ("the lost letter", "the village bakery", "the centenarian's party", "the rescued dog"),
        "unit": "neighbours",
        "events": (
            (
                "reunites family with century-old letter",
                "returned a letter posted {num} years ago",
                "the returned letter",
            ),
            (
                "celebrates baker's final loaf",
                "marked the retirement of a baker who served {num} neighbours",
                "the retirement celebration",
            ),
        ),
    },
    "work": {
        "org": "{stem} Workers' Union",
        "role": "union leader",
        "analyst": "labour economist",
        "topics": ("the pay dispute", "shift patterns", "pension rights", "the four-day week"),
        "unit": "workers",
        "events": (
            ("calls strike over pay", "called a strike involving {num} workers", "the planned strike"),
            ("wins deal on four-day week", "secured a four-day week for {num} workers", "the working-time deal"),
        ),
    },
    "lifestyle": {
        "org": "{stem} Travel Board",
        "role": "tourism director",
        "analyst": "travel writer",
        "topics": ("night trains", "city cycling", "restaurant openings", "hiking trails"),
        "unit": "travellers",
        "events": (
            (
                "relaunches night train route",
                "relaunched a night train expected to carry {num} travellers",
                "the night train",
            ),
            ("opens coastal hiking trail", "opened a coastal trail used by {num} walkers", "the coastal trail"),
        ),
    },
    "politics": {
        "org": "Ministry of Finance",
        "role": "finance minister",
        "analyst": "political scientist",
        "topics": ("fuel subsidies", "the coalition talks", "the budget deficit", "election reform"),
        "unit": "million euros",
        "events": (
            (
                "unveils plan to cut {topic}",
                "unveiled a plan to cut {topic} by {num} million euros",
                "the spending plan",
            ),
            ("survives confidence vote", "survived a confidence vote by {num} votes", "the confidence vote"),
        ),
    },
    "faith": {
        "org": "{city} Interfaith Council",
        "role": "council chair",
        "analyst": "religious historian",
        "topics": ("the cathedral restoration", "the pilgrimage route", "interfaith dialogue", "the synod"),
        "unit": "pilgrims",
        "events": (
            ("reopens restored cathedral", "reopened a cathedral to {num} pilgrims", "the cathedral reopening"),
            ("hosts interfaith summit", "hosted a summit attended by {num} delegates", "the interfaith summit"),
        ),
    },
    "science": {
        "org": "{stem} Institute of Technology",
        "role": "lead researcher",
        "analyst": "physicist",
        "topics": ("battery storage", "the satellite launch", "quantum sensors", "gene therapy"),
        "unit": "kilometres",
        "events": (
            (
                "unveils longer-lasting battery",
                "unveiled a battery that lasts {num} percent longer",
                "the battery design",
            ),
            (
                "launches weather satellite",
                "launched a satellite into an orbit {num} kilometres high",
                "the satellite launch",
            ),
        ),
    },
    "society": {
        "org": "{city} City Council",
        "role": "mayor",
        "analyst": "sociologist",
        "topics": ("housing costs", "public transport fares", "homelessness", "library hours"),
        "unit": "homes",
        "events": (
            ("approves affordable housing plan", "approved {num} affordable homes", "the housing plan"),
            ("makes buses free for under-18s", "made buses free for {num} young people", "the fare change"),
        ),
    },
    "sport": {
        "org": "{city} Football Club",
        "role": "head coach",
        "analyst": "former player",
        "topics": ("the title race", "the transfer window", "stadium plans", "youth academies"),
        "unit": "spectators",
        "events": (
            ("clinches league title", "clinched the league title in front of {num} spectators", "the title win"),
            ("sacks coach after losing run", "dismissed its coach after {num} straight defeats", "the coaching change"),
        ),
    },
    "world": {
        "org": "United Nations mission in {city}",
        "role": "envoy",
        "analyst": "security analyst",
        "topics": ("the ceasefire", "peace talks", "refugee returns", "border monitoring"),
        "unit": "civilians",
        "events": (
            ("brokers ceasefire in border region", "brokered a ceasefire covering {num} villages", "the ceasefire"),
            ("opens corridor for civilians", "opened a corridor used by {num} civilians", "the humanitarian corridor"),
        ),
    },
    "weather": {
        "org": "{city} Weather Service",
        "role": "chief meteorologist",
        "analyst": "climate scientist",
        "topics": ("the heatwave", "storm warnings", "snowfall", "drought conditions"),
        "unit": "millimetres",
        "events": (
            (
                "issues red warning as storm nears",
                "issued a red warning for rainfall of {num} millimetres",
                "the storm warning",
            ),
            (
                "records hottest night on record",
                "recorded a night-time temperature of {num} degrees",
                "the record temperature",
            ),
        ),
    },
}
