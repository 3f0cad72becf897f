"""The multi-year fixtures of issue 15: the committed files are the generator's output, and the cross-document
gold (links, comparisons, execution, claims) holds against the documents' own figures.

The figures are taken from the per-document extraction gold and from the printed text, not from the generator's
model, so each check recomputes what ``gold.json`` states from another source.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "fixtures" / "multiyear"
GOLD = json.loads((HERE / "gold.json").read_text(encoding="utf-8"))
FILES = [d["file"] for d in GOLD["documents"]]
CENT = Decimal("0.01")


@cache
def generator():
    spec = importlib.util.spec_from_file_location("multiyear_make_fixtures", HERE / "make_fixtures.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up while the class is built
    spec.loader.exec_module(mod)
    return mod


@cache
def doc_gold(file: str) -> dict:
    return json.loads((HERE / file.replace(".txt", ".gold.json")).read_text(encoding="utf-8"))


@cache
def lines(file: str) -> list[str]:
    return (HERE / file).read_text(encoding="utf-8").split("\n")


def dec(x) -> Decimal:
    return Decimal(str(x)).quantize(CENT)


def rate(final: Decimal, budget: Decimal) -> Decimal:
    return (final * 100 / budget).quantize(CENT, rounding=ROUND_HALF_UP)


def line_total(file: str, code: str) -> Decimal:
    (row,) = [r for r in doc_gold(file)["functional_lines"] if r["code"] == code]
    return dec(row["total"])


def econ_amount(file: str, code: str) -> Decimal:
    rows = [r for r in doc_gold(file)["economic_lines"] if r["code"] == code]
    return dec(rows[0]["amount"]) if rows else dec(0)


def figure(file: str, key: str) -> Decimal:
    """A figure of one document by the name the claims use, from its extraction gold."""
    if key.isdigit():
        return line_total(file, key)
    totals = doc_gold(file)["totals"]
    named = {"total": "expenditure_total", "basic": "basic_expenditure", "project": "project_expenditure",
             "personnel": "personnel_expenditure", "public": "public_expenditure",
             "three_public": "three_public_total", "org_running": "org_running_cost"}
    if key in named:
        return dec(totals[named[key]])
    return econ_amount(file, {"abroad": "30212", "car": "30231", "reception": "30217"}[key])


def test_committed_files_are_the_generators_output():
    rendered = generator().render()
    committed = {p.name for p in HERE.iterdir() if p.suffix in (".txt", ".json")}
    assert committed == set(rendered)
    for name, text in rendered.items():
        assert (HERE / name).read_text(encoding="utf-8") == text, name


def test_documents_are_the_six_described():
    kinds = {(d["department"], d["year"], d["phase"], d["level"], d["unit"]) for d in GOLD["documents"]}
    cg, yl = "武汉市江夏区城市管理执法局", "武汉市江夏区园林和林业局"
    assert kinds == {(cg, 2023, "budget", "department", None), (cg, 2024, "budget", "department", None),
                     (cg, 2025, "budget", "department", None), (cg, 2024, "final_account", "department", None),
                     (cg, 2025, "budget", "unit", "武汉市江夏区环境卫生管理站"), (yl, 2025, "budget", "department", None)}
    for d in GOLD["documents"]:
        g = doc_gold(d["file"])["document"]
        assert (g["department"], g["year"], g["phase"]) == (d["department"], d["year"], d["phase"])
        assert g.get("budget_unit") == d["unit"]
        assert d["department"] in "\n".join(lines(d["file"]))


@pytest.mark.parametrize("file", FILES)
def test_each_document_adds_up(file):
    g = doc_gold(file)
    t = g["totals"]
    fl = {r["code"]: r for r in g["functional_lines"]}
    spent = dec(t["current_year_expenditure"])
    assert dec(t["basic_expenditure"]) + dec(t["project_expenditure"]) == spent
    assert sum(dec(r["total"]) for c, r in fl.items() if len(c) == 3) == spent
    for code, r in fl.items():
        assert dec(r["basic"] or 0) + dec(r["project"] or 0) == dec(r["total"]), code
        children = [x for c, x in fl.items() if len(c) == len(code) + 2 and c.startswith(code)]
        if len(code) < 7:
            assert sum(dec(x["total"]) for x in children) == dec(r["total"]), code
    econ = {r["code"]: dec(r["amount"]) for r in g["economic_lines"]}
    assert sum(v for c, v in econ.items() if len(c) == 3) == dec(t["basic_expenditure"])
    assert dec(t["personnel_expenditure"]) + dec(t["public_expenditure"]) == dec(t["basic_expenditure"])
    assert sum(dec(p["amount"]) for p in g["projects"]) == dec(t["project_expenditure"])
    assert dec(t["three_public_total"]) == sum(econ.get(c, dec(0)) for c in ("30212", "30217", "30231"))
    text = "\n".join(lines(file))
    for p in g["projects"]:
        assert p["name"] in text and (p["code"] is None or p["code"] in text)


def test_project_links_join_existing_projects_by_code_or_normalised_name():
    by_file = {d["file"]: d for d in GOLD["documents"]}

    def project(end):
        (p,) = [p for p in doc_gold(end["file"])["projects"] if p["name"] == end["name"]]
        assert p["code"] == end["code"]
        return p
    for link in GOLD["project_links"]:
        a, b = by_file[link["from"]["file"]], by_file[link["to"]["file"]]
        assert a["department"] == b["department"] and a["level"] == b["level"] == "department"
        assert (b["year"] - a["year"], a["phase"], b["phase"]) in {(1, "budget", "budget"),
                                                                  (0, "budget", "final_account")}
        pa, pb = project(link["from"]), project(link["to"])
        if link["by"] == "code":
            assert pa["code"] and pa["code"] == pb["code"]
        else:
            assert re.sub(r"^\d{4}年", "", pa["name"]) == re.sub(r"^\d{4}年", "", pb["name"])
            assert pa["code"] is None or pb["code"] is None
    pairs = {(lk["from"]["file"], lk["from"]["name"], lk["to"]["file"], lk["to"]["name"])
             for lk in GOLD["project_links"]}
    assert ("jiangxia_cgzf_2023_budget.txt", "生活垃圾分类宣传经费", "jiangxia_cgzf_2024_budget.txt",
            "生活垃圾分类推进工作经费") in pairs  # the rename
    for never in GOLD["must_not_link"]:
        project(never["from"]), project(never["to"])
        key = (never["from"]["file"], never["from"]["name"], never["to"]["file"], never["to"]["name"])
        assert key not in pairs and key[2:] + key[:2] not in pairs


def printed(file: str, code: str) -> bool:
    """Whether the text prints a 类/款 code, joined (``21201``) or over 类/款/项 columns (``212\\t01\\t``)."""
    split = "\t".join([code[:3], code[3:5] if len(code) == 5 else "", ""])
    return any(ln.startswith(code + "\t") or ln.startswith(split + "\t") for ln in lines(file))


def test_line_links_list_every_file_printing_each_code():
    listed = {lk["code"]: lk["files"] for lk in GOLD["line_links"]}
    codes = {r["code"] for f in FILES for r in doc_gold(f)["functional_lines"] if len(r["code"]) < 7}
    assert set(listed) == codes
    for code, files in listed.items():
        assert files == [f for f in FILES if printed(f, code)], code
    assert listed["21299"] == ["jiangxia_cgzf_2023_budget.txt"]  # the 款 that ends
    assert "jiangxia_cgzf_2024_budget.txt" not in listed["21203"]  # the 款 that appears in 2025


def test_comparisons_are_the_budgets_figures():
    years = GOLD["comparisons"]["years"]
    assert sorted(years) == ["2023", "2024", "2025"]
    for year, c in years.items():
        f = c["file"]
        assert (doc_gold(f)["document"]["year"], doc_gold(f)["document"]["phase"]) == (int(year), "budget")
        assert dec(c["total"]) == figure(f, "total") == dec(c["basic"]) + dec(c["project"])
        assert dec(c["basic"]) == figure(f, "basic") and dec(c["project"]) == figure(f, "project")
        assert c["functional"] == {r["code"]: f"{dec(r['total'])}" for r in doc_gold(f)["functional_lines"]
                                   if len(r["code"]) < 7}
        assert c["economic"] == {r["code"]: f"{dec(r['amount'])}" for r in doc_gold(f)["economic_lines"]}
        tp = c["three_public"]
        assert dec(tp["total"]) == dec(tp["abroad"]) + dec(tp["reception"]) + dec(tp["vehicle"]) == figure(f, "three_public")
        assert c["projects"] == {p["name"]: f"{dec(p['amount'])}" for p in doc_gold(f)["projects"]}
    assert [years[y]["three_public"]["abroad"] for y in ("2023", "2024")] == ["2.00", "0.00"]
    for name, d in GOLD["side_by_side"]["departments"].items():
        assert doc_gold(d["file"])["document"]["department"] == name
        assert (dec(d["total"]), dec(d["basic"]), dec(d["project"])) == tuple(
            figure(d["file"], k) for k in ("total", "basic", "project"))


def test_execution_rates_recomputed_from_both_documents():
    ex = GOLD["execution"]
    bud, fin = ex["budget_file"], ex["final_file"]
    t = doc_gold(fin)["totals"]

    def check(entry, budget, final):
        assert (dec(entry["budget"]), dec(entry["final"])) == (budget, final)
        assert dec(entry["rate"]) == rate(final, budget)
    check(ex["total"], figure(bud, "total"), dec(t["current_year_expenditure"]))
    check(ex["basic"], figure(bud, "basic"), dec(t["basic_expenditure"]))
    check(ex["project"], figure(bud, "project"), dec(t["project_expenditure"]))
    check(ex["three_public"], figure(bud, "three_public"), dec(t["three_public_total"]))
    assert set(ex["functional"]) == {r["code"] for r in doc_gold(fin)["functional_lines"]}
    for code, entry in ex["functional"].items():
        check(entry, line_total(bud, code), line_total(fin, code))
    budget_projects = {p["name"]: p for p in doc_gold(bud)["projects"]}
    final_projects = {p["name"]: p for p in doc_gold(fin)["projects"]}
    assert [p["name"] for p in ex["projects"]] == list(final_projects)
    for entry in ex["projects"]:
        b, f = budget_projects[entry["name"]], final_projects[entry["name"]]
        assert entry["code"] == b["code"] and dec(f["initial_budget"]) == dec(b["amount"])
        check(entry, dec(b["amount"]), dec(f["amount"]))
    # the 决算 prints a 年初预算 of 2120104 that is not the budget's: the rate uses the budget's figure
    assert ex["functional"]["2120104"] == {"budget": "118.00", "final": "115.50", "rate": "97.88"}


AMOUNT = r"(\d+\.\d{2})万元"


@pytest.mark.parametrize("claim", GOLD["claims"], ids=lambda c: f"{c['file'][9:22]}:{c['line']}")
def test_claim_is_the_printed_line_and_its_figures_hold(claim):
    text = claim["text"]
    assert lines(claim["file"])[claim["line"] - 1] == text
    other = claim["compares_with"]
    if claim["kind"] == "initial_budget":
        stated = dec(re.search(r"年初预算为" + AMOUNT, text).group(1))
        actual = line_total(other, claim["figure"])
        assert "（项）" in text
    else:
        m = re.search(r"(增加|减少)" + AMOUNT + r"，(增长|下降)(\d+\.\d{2})%", text)
        current = figure(claim["file"], claim["figure"])
        if m:
            stated = dec(m.group(2)) * (1 if m.group(1) == "增加" else -1)
            assert dec(m.group(4)) == rate(abs(stated), current - stated)  # the text's own % is of its own prior
        else:
            assert "持平" in text
            stated = dec(0)
        assert f"{current}万元" in text
        actual = current - figure(other, claim["figure"])
    assert (dec(claim["stated"]), dec(claim["actual"])) == (stated, actual)
    assert claim["consistent"] == (stated == actual)


def test_exactly_the_two_seeded_claims_disagree():
    wrong = [(c["file"], c["figure"], c["stated"], c["actual"]) for c in GOLD["claims"] if not c["consistent"]]
    assert wrong == [("jiangxia_cgzf_2025_budget.txt", "basic", "31.12", "18.52"),
                     ("jiangxia_cgzf_2024_final.txt", "2120104", "123.00", "118.00")]
    compared = {(c["file"], c["compares_with"]) for c in GOLD["claims"]}
    assert compared == {("jiangxia_cgzf_2024_budget.txt", "jiangxia_cgzf_2023_budget.txt"),
                        ("jiangxia_cgzf_2025_budget.txt", "jiangxia_cgzf_2024_budget.txt"),
                        ("jiangxia_cgzf_2024_final.txt", "jiangxia_cgzf_2024_budget.txt")}
