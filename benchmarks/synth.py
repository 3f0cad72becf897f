"""Synthetic disclosures at scale: N documents in the text export format, deterministic from a seed.

Each document is a :mod:`tests.metamorphic` disclosure model (every sum holds by construction: 类 = Σ款 = Σ项,
合计 = 基本 + 项目, the 收支总表 balanced, the tables agreeing with each other; the national functional and
economic codes with their official names) of one department and one year, printed in the default layout with
performance forms (indicators) whose 立项依据 cite real forms of reference: a national 文号
(财预〔2016〕143号), the city's rule by title and 文号 (《…管理办法的通知》（武政规〔2016〕32号）), a district's
bare 文号, a 《…》 title alone.  Departments are the model's sectors in real districts; each department has
its 预算 and 决算 for consecutive years, so links and year-by-year comparisons have material.

Two things are changed from the drawn model so that our parser reads each document without findings of the
generator's own making: a project's 上年结转 is folded into its 一般公共预算拨款 (amounts and every sum
unchanged), and a model whose 三公 lines are all zero is drawn again (an empty table without a note is a
finding of its own).

Usage::

    python benchmarks/synth.py --docs 400 --out DIR          # write DIR/*.txt
    python benchmarks/synth.py --docs 3 --out DIR --check    # and extract each: findings per document
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.metamorphic.layout import Layout  # noqa: E402
from tests.metamorphic.model import BUDGET, FINAL, SECTORS, Disclosure, build  # noqa: E402
from tests.metamorphic.render import to_text  # noqa: E402

# real districts (city, district, region code): the model's seven first
PLACES = (
    ("武汉市", "江夏区", "420115"), ("武汉市", "黄陂区", "420116"), ("武汉市", "青山区", "420107"),
    ("武汉市", "洪山区", "420111"), ("宜昌市", "西陵区", "420502"), ("长沙市", "岳麓区", "430104"),
    ("襄阳市", "樊城区", "420606"), ("武汉市", "江岸区", "420102"), ("武汉市", "江汉区", "420103"),
    ("武汉市", "硚口区", "420104"), ("武汉市", "汉阳区", "420105"), ("武汉市", "武昌区", "420106"),
    ("武汉市", "东西湖区", "420112"), ("武汉市", "蔡甸区", "420114"), ("武汉市", "新洲区", "420117"),
    ("宜昌市", "伍家岗区", "420503"), ("宜昌市", "点军区", "420504"), ("宜昌市", "夷陵区", "420506"),
    ("襄阳市", "襄城区", "420602"), ("襄阳市", "襄州区", "420607"), ("长沙市", "芙蓉区", "430102"),
    ("长沙市", "天心区", "430103"), ("长沙市", "开福区", "430105"), ("长沙市", "雨花区", "430111"),
    ("长沙市", "望城区", "430112"), ("十堰市", "茅箭区", "420302"), ("十堰市", "张湾区", "420303"),
    ("荆州市", "沙市区", "421002"), ("荆州市", "荆州区", "421003"), ("黄石市", "黄石港区", "420202"),
    ("黄石市", "西塞山区", "420203"), ("黄石市", "下陆区", "420204"), ("孝感市", "孝南区", "420902"),
    ("鄂州市", "鄂城区", "420704"), ("鄂州市", "华容区", "420703"), ("荆门市", "东宝区", "420802"),
    ("荆门市", "掇刀区", "420804"), ("咸宁市", "咸安区", "421202"), ("随州市", "曾都区", "421303"),
    ("黄冈市", "黄州区", "421102"),
)
YEARS = tuple(range(2026, 2014, -1))  # newest first: a small N still gives consecutive years
LAYOUT = Layout(forms="kv", legal_basis=True)


@dataclass(frozen=True)
class Spec:
    """One synthetic document: which department (place × sector), year and phase."""

    place: int
    sector: int
    year: int
    phase: str
    seed: int = 0

    @property
    def name(self) -> str:
        return f"synth-{self.seed}-{self.place:02d}-{self.sector}-{self.year}-{self.phase}"


def specs(n: int, seed: int = 0) -> list[Spec]:
    """``n`` documents: each department's 预算 and 决算 year after year, departments taken in turn (sectors
    within a place first), so the first N are some departments' full series."""
    per_department = 2 * len(YEARS)
    departments = [(p, s) for p in range(len(PLACES)) for s in range(len(SECTORS))]
    if n > per_department * len(departments):
        raise SystemExit(f"synth: at most {per_department * len(departments)} documents")
    out = []
    for place, sector in departments:
        for year in YEARS:
            for phase in (BUDGET, FINAL):
                out.append(Spec(place, sector, year, phase, seed))
                if len(out) == n:
                    return out
    return out


def model(spec: Spec) -> Disclosure:
    """The disclosure model of ``spec``, made to read cleanly (see the module's docstring)."""
    for attempt in range(100):
        d = build(hash_seed(spec, attempt), phase=spec.phase, sector=SECTORS[spec.sector],
                  place=PLACES[spec.place], year=spec.year, dept_code=str(101 + spec.place * 7 + spec.sector))
        if d.three_public_total:
            break
    for p in d.projects:  # 上年结转 into 一般公共预算拨款: the project's amount and its fiscal part unchanged
        p.gpb, p.carryover = p.gpb + p.carryover, p.carryover * 0
    return d


def hash_seed(spec: Spec, attempt: int = 0) -> int:
    """A stable integer seed of a spec (Python's ``hash`` of strings changes per process)."""
    import zlib

    return zlib.crc32(f"{spec.name}-{attempt}".encode())


def text(spec: Spec) -> str:
    """The document of ``spec`` as a text export."""
    return to_text(model(spec), LAYOUT)


def write(n: int, out: Path, seed: int = 0) -> list[Path]:
    """Write ``n`` documents into ``out`` (``{name}.txt``); their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for spec in specs(n, seed):
        path = out / f"{spec.name}.txt"
        path.write_text(text(spec), encoding="utf-8")
        paths.append(path)
    return paths


def extractions(paths: list[Path]) -> Iterator:
    """Each file read by our parser (``ingest.pipeline.extract``), in order."""
    from ingest.pipeline import extract

    for path in paths:
        yield extract(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, required=True, help="how many documents")
    ap.add_argument("--out", type=Path, required=True, help="folder to write them into")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--check", action="store_true", help="extract each document and print its findings")
    args = ap.parse_args(argv)
    paths = write(args.docs, args.out, args.seed)
    print(f"wrote {len(paths)} documents to {args.out}")
    if args.check:
        bad = 0
        for path, ex in zip(paths, extractions(paths)):
            found = [f for f in ex.findings if f.severity != "info"]
            bad += bool(found)
            cites = sum(len(p.citations) for p in ex.projects)
            print(f"{path.name}: {len(ex.projects)} projects, {cites} citations, {len(found)} findings"
                  + "".join(f"\n  {f.rule}: {f.message}" for f in found))
        print(f"{bad} of {len(paths)} documents with findings")
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
