"""Issue 11, failure 7: one very long name costs neither gigabytes nor megabytes of IRIs.

A 100,000-character project name (a sentence, or an attack, read as a name) must keep ingest, later
searches and exports within twice what the same document costs with a normal name.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from kg.iri import MAX_KEY_CHARS, Minter
from kg.search.passages import DICTIONARY_MAX_CHARS

from helpers import FIXTURES, ROOT

LONG = "超长项目名称" * (100_000 // 6)
NAME = "临时救助资金"  # a project of the fixture below


def test_a_long_name_hashes_into_a_short_iri_segment():
    minter = Minter("https://w3id.org/budgetkg/")
    a = minter.project("某局", 2024, LONG)
    b = minter.project("某局", 2024, LONG + "乙")
    assert len(a) < 2 * MAX_KEY_CHARS and len(b) < 2 * MAX_KEY_CHARS and a != b  # readable: one per character
    assert minter.project("某局", 2024, LONG) == a  # stable
    short = "城乡医疗救助" * (MAX_KEY_CHARS // 6)  # up to the limit: the name itself, as before
    assert minter.project("某局", 2024, short).endswith(short)


MEASURE = textwrap.dedent("""
    import io, json, resource, sys, time
    from pathlib import Path
    from kg.api import BudgetKG
    doc, store = Path(sys.argv[1]), Path(sys.argv[2])
    t = time.monotonic()
    with BudgetKG.open(store) as kg:
        assert kg.ingest([doc])[0].ok
        kg.embed()
        hits = kg.search("救助资金", top_k=5)
        out = io.BytesIO()
        kg.export("nt", out)
    print(json.dumps({"rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "seconds": time.monotonic() - t,
                      "export_bytes": len(out.getvalue()), "hits": len(hits)}))
""")


def _measure(doc, store) -> dict:
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(doc), str(store)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_100k_character_name_costs_at_most_twice_a_normal_document(tmp_path):
    text = (FIXTURES / "docs" / "100_hanyang_civil_2024_final.txt").read_text(encoding="utf-8")
    assert NAME in text
    normal, hostile = tmp_path / "normal.txt", tmp_path / "hostile.txt"
    normal.write_text(text, encoding="utf-8")
    hostile.write_text(text.replace(NAME, LONG), encoding="utf-8")  # in the narrative, the project table and its form
    n = _measure(normal, tmp_path / "n")
    h = _measure(hostile, tmp_path / "h")
    print(f"normal {n}\nhostile {h}")
    assert h["hits"] and n["hits"]
    assert h["rss_kb"] <= 2 * n["rss_kb"], (n, h)
    assert h["seconds"] <= 2 * n["seconds"] + 5, (n, h)
    # the name is a label (once per statement naming it), never repeated inside IRIs
    assert h["export_bytes"] - n["export_bytes"] < 20 * len(LONG.encode("utf-8")), (n, h)


def test_names_longer_than_a_term_stay_out_of_the_dictionary(tmp_path):
    from kg.api import BudgetKG
    from kg.search.passages import dictionary_names

    text = (FIXTURES / "docs" / "100_hanyang_civil_2024_final.txt").read_text(encoding="utf-8")
    doc = tmp_path / "hostile.txt"
    doc.write_text(text.replace(NAME, "很" * 500, 1), encoding="utf-8")
    with BudgetKG.open(tmp_path / "s") as kg:
        assert kg.ingest([doc])[0].ok
        names = dictionary_names(kg.store)
    assert names and all(len(n) <= DICTIONARY_MAX_CHARS for n in names)
    assert "城市最低生活保障金" in names
