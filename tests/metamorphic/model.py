"""A disclosure as records in which every sum holds by construction.

Amounts are ``Decimal`` 元, multiples of the model's quantum (100 元 when the document prints 万元 with two
decimals, 0.01 元 when it prints 元), generated bottom-up: economic lines → basic expenditure → functional
leaves (项) per unit; projects → project expenditure; 款 = Σ项, 类 = Σ款 per column, 合计 = 基本 + 项目 per row;
income by source = Σ of what each source funds, so the 收支总表, the 收入总表, the 财政拨款收支总表, the
一般公共预算支出表 and the 基本支出表 agree by definition.  The codes and names are those of the national
classification (功能分类, 部门经济分类).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

BUDGET, FINAL = "budget", "final_account"
DEPARTMENT, UNIT_OWN, UNIT_SUB = "department", "unit_own", "unit_sub"
WAN = Decimal(10000)

# Functional classification: 类 → (name, {款: (name, {项: (name, kind)})}); kind B = basic, P = project.
COMMON_TREE = {
    "208": ("社会保障和就业支出", {
        "20805": ("行政事业单位养老支出", {
            "2080501": ("行政单位离退休", "B"),
            "2080505": ("机关事业单位基本养老保险缴费支出", "B"),
            "2080506": ("机关事业单位职业年金缴费支出", "B"),
        }),
    }),
    "210": ("卫生健康支出", {
        "21011": ("行政事业单位医疗", {
            "2101101": ("行政单位医疗", "B"),
            "2101102": ("事业单位医疗", "B"),
            "2101103": ("公务员医疗补助", "B"),
        }),
    }),
    "221": ("住房保障支出", {
        "22102": ("住房改革支出", {
            "2210201": ("住房公积金", "B"),
            "2210202": ("提租补贴", "B"),
        }),
    }),
}


@dataclass(frozen=True)
class Sector:
    """A kind of department: its name, its own functional 类 and the units and projects it has."""

    name: str  # 卫生健康局
    short: str  # 卫健局
    tree: dict  # its own 类 (same shape as COMMON_TREE)
    admin_leaf: str  # 行政运行
    institution_leaf: str  # 事业运行 or its equivalent
    institutions: tuple[str, ...]
    projects: tuple[tuple[str, str], ...]  # (name, 项 code)


SECTORS = (
    Sector("卫生健康局", "卫健局", {"210": ("卫生健康支出", {
        "21001": ("卫生健康管理事务", {"2100101": ("行政运行", "B"), "2100102": ("一般行政管理事务", "P"),
                                       "2100199": ("其他卫生健康管理事务支出", "P")}),
        "21004": ("公共卫生", {"2100401": ("疾病预防控制机构", "B"), "2100408": ("基本公共卫生服务", "P"),
                               "2100409": ("重大公共卫生服务", "P"), "2100410": ("突发公共卫生事件应急处理", "P")}),
        "21007": ("计划生育事务", {"2100717": ("计划生育服务", "P")}),
    })}, "2100101", "2100401", ("疾病预防控制中心", "卫生健康综合执法大队", "妇幼保健院"), (
        ("基本公共卫生服务项目区级配套资金", "2100408"), ("重大传染病防控经费", "2100409"),
        ("突发公共卫生事件应急物资储备经费", "2100410"), ("计划生育家庭特别扶助金", "2100717"),
        ("卫生健康信息化运维经费", "2100102"), ("爱国卫生运动专项经费", "2100199"),
        ("家庭医生签约服务经费", "2100408"), ("严重精神障碍患者管理经费", "2100409"))),
    Sector("教育局", "教育局", {"205": ("教育支出", {
        "20501": ("教育管理事务", {"2050101": ("行政运行", "B"), "2050102": ("一般行政管理事务", "P")}),
        "20502": ("普通教育", {"2050201": ("学前教育", "P"), "2050202": ("小学教育", "B"),
                               "2050203": ("初中教育", "P")}),
        "20508": ("进修及培训", {"2050803": ("培训支出", "P")}),
    })}, "2050101", "2050202", ("第一中学", "实验小学", "教师进修学校"), (
        ("校园安全保障经费", "2050102"), ("学前教育资助补助经费", "2050201"), ("义务教育公用经费", "2050203"),
        ("教师培训经费", "2050803"), ("校舍维修改造经费", "2050203"), ("教育信息化运维经费", "2050102"),
        ("实验室设备购置经费", "2050203"), ("普惠性幼儿园奖补资金", "2050201"))),
    Sector("民政局", "民政局", {"208": ("社会保障和就业支出", {
        "20802": ("民政管理事务", {"2080201": ("行政运行", "B"), "2080202": ("一般行政管理事务", "P"),
                                   "2080208": ("基层政权建设和社区治理", "P"), "2080250": ("事业运行", "B")}),
        "20810": ("社会福利", {"2081001": ("儿童福利", "P"), "2081002": ("老年福利", "P"), "2081004": ("殡葬", "P")}),
        "20819": ("最低生活保障", {"2081901": ("城市最低生活保障金支出", "P")}),
    })}, "2080201", "2080250", ("社会福利院", "救助管理站", "殡仪馆"), (
        ("城市最低生活保障金", "2081901"), ("高龄津贴", "2081002"), ("孤儿基本生活费", "2081001"),
        ("惠民殡葬补贴", "2081004"), ("社区服务群众专项经费", "2080208"), ("民政业务工作经费", "2080202"),
        ("居家养老服务补贴", "2081002"), ("社会组织等级评估经费", "2080202"))),
    Sector("司法局", "司法局", {"204": ("公共安全支出", {
        "20406": ("司法", {"2040601": ("行政运行", "B"), "2040602": ("一般行政管理事务", "P"),
                           "2040604": ("基层司法业务", "P"), "2040605": ("普法宣传", "P"),
                           "2040607": ("公共法律服务", "P"), "2040610": ("社区矫正", "P"), "2040650": ("事业运行", "B")}),
    })}, "2040601", "2040650", ("公证处", "法律援助中心"), (
        ("人民调解工作经费", "2040604"), ("法治宣传教育经费", "2040605"), ("公共法律服务体系建设经费", "2040607"),
        ("社区矫正工作经费", "2040610"), ("司法所运行保障经费", "2040602"), ("法律援助办案补贴", "2040607"))),
    Sector("文化和旅游局", "文旅局", {"207": ("文化旅游体育与传媒支出", {
        "20701": ("文化和旅游", {"2070101": ("行政运行", "B"), "2070102": ("一般行政管理事务", "P"),
                                 "2070104": ("图书馆", "B"), "2070109": ("文化活动", "P"),
                                 "2070110": ("群众文化", "P"), "2070112": ("文化创作与保护", "P")}),
        "20703": ("体育", {"2070308": ("群众体育", "P")}),
    })}, "2070101", "2070104", ("图书馆", "文化馆", "文物管理所"), (
        ("公共文化服务体系建设经费", "2070110"), ("非物质文化遗产保护经费", "2070112"), ("全民健身活动经费", "2070308"),
        ("文化惠民演出经费", "2070109"), ("文旅市场执法经费", "2070102"), ("图书馆免费开放补助", "2070110"))),
)

ECONOMIC = {
    "301": ("工资福利支出", {"30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30107": "绩效工资",
                            "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费",
                            "30110": "职工基本医疗保险缴费", "30111": "公务员医疗补助缴费", "30112": "其他社会保障缴费",
                            "30113": "住房公积金"}),
    "302": ("商品和服务支出", {"30201": "办公费", "30205": "水费", "30206": "电费", "30207": "邮电费",
                              "30211": "差旅费", "30213": "维修（护）费", "30216": "培训费", "30217": "公务接待费",
                              "30228": "工会经费", "30229": "福利费", "30231": "公务用车运行维护费",
                              "30239": "其他交通费用", "30299": "其他商品和服务支出"}),
    "303": ("对个人和家庭的补助", {"30302": "退休费", "30305": "生活补助", "30399": "其他对个人和家庭的补助"}),
}
PERSONNEL_CLASSES = ("301", "303")  # 人员经费; 302 is 公用经费

DISTRICTS = (("武汉市", "江夏区", "420115"), ("武汉市", "黄陂区", "420116"), ("武汉市", "青山区", "420107"),
             ("武汉市", "洪山区", "420111"), ("宜昌市", "西陵区", "420502"), ("长沙市", "岳麓区", "430104"),
             ("襄阳市", "樊城区", "420606"))


@dataclass
class UnitRec:
    code: str
    name: str
    institution: bool  # 事业单位 (may have 事业收入)


@dataclass
class Line:
    """A functional line of the department expenditure table; ``fiscal_*`` is its 一般公共预算 part."""

    code: str
    name: str
    basic: Decimal = Decimal(0)
    project: Decimal = Decimal(0)
    fiscal_project: Decimal = Decimal(0)

    @property
    def total(self) -> Decimal:
        return self.basic + self.project

    @property
    def fiscal_total(self) -> Decimal:
        return self.basic + self.fiscal_project

    @property
    def level(self) -> int:
        return {3: 1, 5: 2, 7: 3}[len(self.code)]


@dataclass
class ProjectRec:
    code: str
    name: str
    unit: UnitRec
    leaf: str
    gpb: Decimal  # 本年一般公共预算拨款
    carryover: Decimal  # 上年结转 (一般公共预算)
    business: Decimal  # 事业收入
    other: Decimal  # 其他收入
    initial: Decimal = Decimal(0)  # 决算: 年初预算数
    full_year: Decimal = Decimal(0)  # 决算: 全年预算数

    @property
    def amount(self) -> Decimal:
        return self.gpb + self.carryover + self.business + self.other

    @property
    def fiscal(self) -> Decimal:
        return self.gpb + self.carryover


@dataclass
class Disclosure:
    city: str
    district: str
    sector: Sector
    year: int
    phase: str
    quantum: Decimal
    dept_code: str
    units: list[UnitRec]
    lines: list[Line]  # 类, 款, 项 in table order
    economic: list[tuple[str, str, Decimal]]  # (code, name, amount) 类 and 款 in table order
    projects: list[ProjectRec]
    unit_basic: dict[str, Decimal]  # unit code → basic expenditure
    three_public: dict[str, Decimal]  # abroad, car_purchase, car_run, reception
    phone: str
    staff: tuple[int, int, int]  # 编制 total, admin, institution
    region_code: str = ""
    scope: str = "department"  # department (部门预算: all its units) | unit_own / unit_sub (单位预算 of units[0])

    @property
    def unit_scope(self) -> bool:
        return self.scope != DEPARTMENT

    @property
    def department(self) -> str:
        return f"{self.city}{self.district}{self.sector.name}"

    @property
    def short_name(self) -> str:
        return f"{self.district}{self.sector.short}"

    def leaves(self) -> list[Line]:
        return [ln for ln in self.lines if ln.level == 3]

    @property
    def basic_total(self) -> Decimal:
        return sum((ln.basic for ln in self.leaves()), Decimal(0))

    @property
    def personnel_total(self) -> Decimal:
        """人员经费: the 301 and 303 类 of the basic expenditure (公用经费 is the rest, 302)."""
        return sum((a for c, _, a in self.economic if len(c) == 3 and c in PERSONNEL_CLASSES), Decimal(0))

    @property
    def project_total(self) -> Decimal:
        return sum((p.amount for p in self.projects), Decimal(0))

    @property
    def gpb_income(self) -> Decimal:  # 一般公共预算拨款收入 of the year
        return self.basic_total + sum((p.gpb for p in self.projects), Decimal(0))

    @property
    def carryover(self) -> Decimal:
        return sum((p.carryover for p in self.projects), Decimal(0))

    @property
    def business_income(self) -> Decimal:
        return sum((p.business for p in self.projects), Decimal(0))

    @property
    def other_income(self) -> Decimal:
        return sum((p.other for p in self.projects), Decimal(0))

    @property
    def current_income(self) -> Decimal:  # 本年收入合计
        return self.gpb_income + self.business_income + self.other_income

    @property
    def income_total(self) -> Decimal:  # 收入总计
        return self.current_income + self.carryover

    @property
    def expenditure_total(self) -> Decimal:
        return sum((ln.total for ln in self.lines if ln.level == 1), Decimal(0))

    @property
    def fiscal_total(self) -> Decimal:  # 财政拨款收支总表 收入总计
        return self.gpb_income + self.carryover

    @property
    def three_public_total(self) -> Decimal:
        return sum(self.three_public.values(), Decimal(0))

    def unit_income(self, unit: UnitRec) -> dict[str, Decimal]:
        """One unit's row of the 收入总表, by source."""
        ps = [p for p in self.projects if p.unit is unit]
        gpb = self.unit_basic[unit.code] + sum((p.gpb for p in ps), Decimal(0))
        return {"gpb": gpb, "business": sum((p.business for p in ps), Decimal(0)),
                "other": sum((p.other for p in ps), Decimal(0)),
                "carryover": sum((p.carryover for p in ps), Decimal(0))}


def merge_trees(*trees: dict) -> dict:
    """One functional tree from several: 类 and 款 of the same code are one, their children joined."""
    out: dict = {}
    for tree in trees:
        for cls, (cls_name, kuans) in tree.items():
            merged = out.setdefault(cls, (cls_name, {}))[1]
            for kuan, (kuan_name, xiangs) in kuans.items():
                merged.setdefault(kuan, (kuan_name, {}))[1].update(xiangs)
    return out


def _amount(rng: random.Random, low: float, high: float, quantum: Decimal) -> Decimal:
    """A random multiple of ``quantum`` between ``low`` and ``high`` 元."""
    steps = int(Decimal(str(rng.uniform(low, high))) / quantum)
    return max(steps, 1) * quantum


def split(total: Decimal, parts: int, rng: random.Random, quantum: Decimal) -> list[Decimal]:
    """``total`` as ``parts`` positive multiples of ``quantum`` (where it has that many quanta)."""
    steps = int(total / quantum)
    parts = max(1, min(parts, steps))
    cuts = sorted(rng.sample(range(1, steps), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, steps]
    return [(b - a) * quantum for a, b in zip(bounds, bounds[1:])]


def _given(value, drawn):
    return drawn if value is None else value


def build(seed: int, phase: str | None = None, quantum: Decimal | None = None,
          scope: str = DEPARTMENT, *, sector: Sector | None = None, place: tuple[str, str, str] | None = None,
          year: int | None = None, dept_code: str | None = None) -> Disclosure:
    """The disclosure of ``seed``: the same seed gives the same records.  ``scope`` :data:`UNIT_OWN` or
    :data:`UNIT_SUB` gives the 单位预算 of one unit of the same department, year and phase (局本级, or one
    下属事业单位), with amounts of its own.  ``sector``, ``place`` (city, district, region code), ``year`` and
    ``dept_code`` replace what the seed draws (``benchmarks/synth.py``: one department over many years); the
    draws are made all the same, so a seed's other values do not move."""
    rng = random.Random(f"model-{seed}")
    sector = _given(sector, rng.choice(SECTORS))
    city, district, region = _given(place, rng.choice(DISTRICTS))
    year = _given(year, rng.randint(2023, 2026))
    phase = phase or (FINAL if rng.random() < 0.25 else BUDGET)
    quantum = quantum or Decimal(100)
    scale = rng.choice((1.0, 3.0, 10.0))
    dept_code = _given(dept_code, str(rng.randint(101, 399)))
    department = f"{city}{district}{sector.name}"
    n_inst = rng.randint(0, min(2, len(sector.institutions)))
    units = [UnitRec(f"{dept_code}001", department + rng.choice(("本级", "机关")), False)]
    for i, inst in enumerate(rng.sample(sector.institutions, n_inst)):
        units.append(UnitRec(f"{dept_code}{i + 2:03d}", f"{city}{district}{inst}", True))
    if scope == UNIT_OWN:  # the 局本级 alone
        units, n_inst = [UnitRec(f"{dept_code}001", department + "本级", False)], 0
    elif scope == UNIT_SUB:  # one 下属事业单位 alone
        inst = sector.institutions[seed % len(sector.institutions)]
        units, n_inst = [UnitRec(f"{dept_code}002", f"{city}{district}{inst}", True)], 0

    # economic lines of basic expenditure (一般公共预算), with 三公 parts matching 30217 / 30231
    three = {"abroad": Decimal(0), "car_purchase": Decimal(0),
             "car_run": _amount(rng, 5e3, 6e4, quantum) if rng.random() < 0.7 else Decimal(0),
             "reception": _amount(rng, 1e3, 3e4, quantum) if rng.random() < 0.85 else Decimal(0)}
    economic: list[tuple[str, str, Decimal]] = []
    eco_amount: dict[str, Decimal] = {}
    for cls, (cls_name, items) in ECONOMIC.items():
        chosen = []
        for code, name in items.items():
            if code == "30217":
                amount = three["reception"]
            elif code == "30231":
                amount = three["car_run"]
            elif cls == "301" and code in ("30101", "30102", "30108", "30110", "30113"):
                amount = _amount(rng, 1e5 * scale, 1.2e6 * scale, quantum)
            elif rng.random() < (0.75 if cls != "303" else 0.5):
                amount = _amount(rng, 2e3 * scale, (3e5 if cls == "301" else 8e4) * scale, quantum)
            else:
                amount = Decimal(0)
            if amount:
                chosen.append((code, name, amount))
                eco_amount[code] = amount
        if chosen:
            economic.append((cls, cls_name, sum((a for _, _, a in chosen), Decimal(0))))
            economic.extend(chosen)

    # functional basic leaves from the economic lines they fund, the rest to 行政运行 / 事业运行
    tree = merge_trees(COMMON_TREE, sector.tree)
    g = eco_amount.get
    zero = Decimal(0)
    basic_leaf: dict[str, Decimal] = {}
    basic_leaf["2080505"] = g("30108", zero)
    basic_leaf["2080506"] = g("30109", zero)
    basic_leaf["2080501"] = g("30302", zero)
    medical = g("30110", zero)
    if n_inst:
        basic_leaf["2101101"], basic_leaf["2101102"] = split(medical, 2, rng, quantum)
    else:
        basic_leaf["2101101"] = medical
    basic_leaf["2101103"] = g("30111", zero)
    basic_leaf["2210201"] = g("30113", zero)
    rest = sum(eco_amount.values(), zero) - sum(basic_leaf.values(), zero)
    if n_inst:
        admin, inst = split(rest, 2, rng, quantum)
        basic_leaf[sector.admin_leaf], basic_leaf[sector.institution_leaf] = admin, inst
    else:
        basic_leaf[sector.institution_leaf if scope == UNIT_SUB else sector.admin_leaf] = rest
    # each basic leaf shared among the units it concerns
    unit_basic = {u.code: zero for u in units}
    for code, amount in basic_leaf.items():
        if not amount:
            continue
        owners = [u for u in units if u.institution] or units if code in (sector.institution_leaf, "2101102") else (
            [units[0]] if code in (sector.admin_leaf, "2101101", "2101103") else units)
        for u, part in zip(owners, split(amount, len(owners), rng, quantum)):
            unit_basic[u.code] += part

    # projects
    projects: list[ProjectRec] = []
    picks = rng.sample(sector.projects, rng.randint(3, min(6, len(sector.projects))))
    with_carryover = rng.random() < 0.4
    for i, (name, leaf) in enumerate(picks):
        unit = rng.choice(units)
        amount = _amount(rng, 2e4 * scale, 3e6 * scale, quantum)
        carry = business = other = zero
        if with_carryover and rng.random() < 0.5 and amount > 10 * quantum:
            carry = _amount(rng, float(quantum), float(amount) / 3, quantum)
        if unit.institution and rng.random() < 0.5:
            business = _amount(rng, float(quantum), float(amount) / 4, quantum)
        if rng.random() < 0.15:
            other = _amount(rng, float(quantum), float(amount) / 8, quantum)
        code = f"{region}{year % 100:02d}{dept_code}T{rng.randint(1, 999):06d}{i:03d}"
        p = ProjectRec(code, name, unit, leaf, amount, carry, business, other)
        if phase == FINAL:
            p.initial = p.amount + _amount(rng, 0, float(p.amount) / 5, quantum) - quantum
            p.full_year = p.initial + _amount(rng, 0, float(p.amount) / 10, quantum)
        projects.append(p)
    if with_carryover and not any(p.carryover for p in projects):
        projects[0].carryover = quantum * rng.randint(10, 500)

    # the functional lines: leaves, then 款 and 类 as sums
    lines: list[Line] = []
    for cls in sorted(tree):
        cls_name, kuans = tree[cls]
        cls_line = Line(cls, cls_name)
        kuan_lines = []
        for kuan in sorted(kuans):
            kuan_name, xiangs = kuans[kuan]
            kuan_line = Line(kuan, kuan_name)
            leaves = []
            for code in sorted(xiangs):
                ln = Line(code, xiangs[code][0], basic=basic_leaf.get(code, zero))
                for p in projects:
                    if p.leaf == code:
                        ln.project += p.amount
                        ln.fiscal_project += p.fiscal
                if ln.total:
                    leaves.append(ln)
            if not leaves:
                continue
            for attr in ("basic", "project", "fiscal_project"):
                setattr(kuan_line, attr, sum((getattr(x, attr) for x in leaves), zero))
            kuan_lines.append((kuan_line, leaves))
        if not kuan_lines:
            continue
        for attr in ("basic", "project", "fiscal_project"):
            setattr(cls_line, attr, sum((getattr(k, attr) for k, _ in kuan_lines), zero))
        lines.append(cls_line)
        for k, leaves in kuan_lines:
            lines.append(k)
            lines.extend(leaves)

    n_admin = rng.randint(5, 30)
    n_inst_staff = rng.randint(5, 60) if n_inst else 0
    return Disclosure(city, district, sector, year, phase, quantum, dept_code, units, lines, economic, projects,
                      unit_basic, three, phone=f"027-8{rng.randint(1000000, 9999999)}",
                      staff=(n_admin + n_inst_staff, n_admin, n_inst_staff), region_code=region, scope=scope)
