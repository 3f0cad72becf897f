"""The budgetkg vocabulary as a closed namespace (STYLE 2.3).

Generated from ``ontology/budget.ttl``; ``tests/kg/test_vocab.py`` checks that
every term here is defined there and vice versa.  An unknown term raises
``AttributeError`` instead of minting a wrong IRI.
"""

from pathlib import Path

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"  # budget.ttl, shapes.ttl, codelists/


class BGT(DefinedNamespace):
    """budgetkg terms, ``https://w3id.org/budgetkg/def#``."""

    _fail = True
    _NS = Namespace("https://w3id.org/budgetkg/def#")

    # Classes
    Department: URIRef  # 部门 / Department
    BudgetUnit: URIRef  # 预算单位 / Budget unit
    Office: URIRef  # 内设机构 / Internal office
    Disclosure: URIRef  # 预决算公开文件 / Budget disclosure document
    Budget: URIRef  # 部门预决算 / Departmental budget (department, year, phase)
    Phase: URIRef  # 预决算阶段 / Budget phase
    TableDataSet: URIRef  # 预算表 / Budget table data set
    BudgetLine: URIRef  # 科目行 / Budget line (coded table row)
    Project: URIRef  # 项目 / Project
    Citation: URIRef  # 依据引用 / Citation of a legal basis
    FundingSource: URIRef  # 资金来源 / Funding source
    Funding: URIRef  # 项目资金 / Project funding amount
    Activity: URIRef  # 项目活动 / Project activity
    Indicator: URIRef  # 绩效指标 / Performance indicator
    Total: URIRef  # 合计数 / Document total
    ThreePublic: URIRef  # 三公经费 / Three public expenses line
    Procurement: URIRef  # 政府采购/购买服务 / Procurement or purchased-service row
    Staffing: URIRef  # 人员编制 / Staffing
    Chunk: URIRef  # 文本片段 / Text chunk
    Finding: URIRef  # 检查发现 / Finding (warning or inconsistency)
    ComparedValue: URIRef  # 比较值 / Compared value (a figure a finding compares, or a term of such a sum)
    SourceLocation: URIRef  # 来源位置 / Source location (qualified derivation)
    LinkGraph: URIRef  # 跨文件关联图 / Links graph (one department's links across its documents)
    Link: URIRef  # 跨文件关联 / Link across documents, a reified statement with its evidence

    # Individuals
    budgetPhase: URIRef  # 预算 / Budget (plan)
    finalAccountPhase: URIRef  # 决算 / Final account
    phaseScheme: URIRef  # 预决算阶段 / Budget phases
    functionalScheme: URIRef  # 政府收支分类科目（支出功能分类） / Government expenditure functional classification
    economicScheme: URIRef  # 部门预算支出经济分类科目 / Departmental expenditure economic classification
    fundingSourceScheme: URIRef  # 资金来源 / Funding sources
    functionalStructure: URIRef  # 功能分类表结构 / Structure of functional-classification tables
    economicStructure: URIRef  # 经济分类表结构 / Structure of economic-classification tables

    # Object properties
    department: URIRef  # 所属部门 / department
    inBudget: URIRef  # 所属预算 / in budget
    disclosedIn: URIRef  # 公开文件 / disclosed in
    phase: URIRef  # 阶段 / phase
    budgetUnit: URIRef  # 预算单位 / budget unit
    executingUnit: URIRef  # 实施单位 / executing unit
    functionalClass: URIRef  # 功能分类科目 / functional class
    economicClass: URIRef  # 经济分类科目 / economic class
    cites: URIRef  # 引用依据 / cites
    citation: URIRef  # 依据引用 / citation
    citedLaw: URIRef  # 被引文件 / cited law
    funding: URIRef  # 资金 / funding
    fundingSource: URIRef  # 资金来源 / funding source
    activity: URIRef  # 活动 / activity
    indicator: URIRef  # 绩效指标 / indicator
    procurement: URIRef  # 采购 / procurement
    procuredFor: URIRef  # 采购所属项目 / procured for
    total: URIRef  # 合计数 / total
    threePublic: URIRef  # 三公经费 / three public expenses
    staffing: URIRef  # 人员编制 / staffing
    subject: URIRef  # 主题实体 / subject entity
    finding: URIRef  # 检查发现 / finding
    comparedValue: URIRef  # 比较值 / compared value
    term: URIRef  # 加项 / term of a summed value
    concerns: URIRef  # 涉及对象 / concerns (the document, budget, line or project a finding or value is about)

    # Datatype properties
    amount: URIRef  # 金额（万元） / amount (10k yuan)
    budgetInitial: URIRef  # 年初预算数（万元） / initial budget (10k yuan)
    budgetFullYear: URIRef  # 全年预算数（万元） / full-year budget (10k yuan)
    formTotalBudget: URIRef  # 项目总预算（万元） / form total budget (10k yuan)
    formCurrentYearBudget: URIRef  # 项目当年预算（万元） / form current-year budget (10k yuan)
    totalAmount: URIRef  # 合计（万元） / total amount (10k yuan)
    basicAmount: URIRef  # 基本支出（万元） / basic expenditure (10k yuan)
    projectAmount: URIRef  # 项目支出（万元） / project expenditure (10k yuan)
    code: URIRef  # 科目编码 / classification code
    printedName: URIRef  # 科目名称（原文） / name as printed
    tableRole: URIRef  # 表类型 / table role
    fiscalYear: URIRef  # 年度 / fiscal year
    projectCode: URIRef  # 项目编码 / project code
    unitCode: URIRef  # 单位编码 / unit code
    attribute: URIRef  # 项目属性 / project attribute
    category: URIRef  # 支出项目类别 / project category
    startYear: URIRef  # 起始年度 / start year
    endYear: URIRef  # 终止年度 / end year
    legalBasisText: URIRef  # 立项依据 / legal basis text
    implementationText: URIRef  # 实施方案 / implementation text
    longTermGoal: URIRef  # 长期目标 / long-term goal
    annualGoal: URIRef  # 年度目标 / annual goal
    citationKind: URIRef  # 引用类型 / citation kind
    field: URIRef  # 所在字段 / field
    rawText: URIRef  # 原文 / raw text
    description: URIRef  # 说明 / description
    economicClassName: URIRef  # 经济分类（原文） / economic class as printed
    basis: URIRef  # 依据 / basis
    goal: URIRef  # 目标 / goal
    goalKind: URIRef  # 目标类型 / goal kind
    level1: URIRef  # 一级指标 / level-1 indicator
    level2: URIRef  # 二级指标 / level-2 indicator
    level3: URIRef  # 三级指标 / level-3 indicator
    valueRaw: URIRef  # 指标值（原文） / indicator value as printed
    comparator: URIRef  # 比较符 / comparator
    targetNumber: URIRef  # 指标数值 / target number
    measureUnit: URIRef  # 计量单位 / unit of measure
    actualValue: URIRef  # 实际完成值 / actual value
    score: URIRef  # 得分 / score
    totalKey: URIRef  # 合计项 / total key
    item: URIRef  # 项目内容 / item
    procurementKind: URIRef  # 采购表类型 / procurement table kind
    projectName: URIRef  # 项目名称（原文） / project name as printed
    quantity: URIRef  # 数量 / quantity
    graphFormat: URIRef  # 图格式版本 / graph format
    text: URIRef  # 文本 / text
    chunkKind: URIRef  # 片段类型 / chunk kind
    subjectType: URIRef  # 主题类型 / subject type
    subjectName: URIRef  # 主题名称 / subject name
    rule: URIRef  # 规则 / rule
    severity: URIRef  # 严重程度 / severity
    message: URIRef  # 信息 / message
    value: URIRef  # 比较值 / compared value
    tolerance: URIRef  # 容差（万元） / tolerance (10k yuan)
    position: URIRef  # 次序 / position (1: the left side of a check, 2: the right; a term's place in its sum)
    sourceFile: URIRef  # 源文件名 / source file name
    region: URIRef  # 地区 / region
    contactPhone: URIRef  # 咨询电话 / contact phone
    authorizedTotal: URIRef  # 编制数 / authorized staff
    authorizedAdmin: URIRef  # 行政编制 / authorized administrative staff
    authorizedInstitution: URIRef  # 事业编制 / authorized institution staff
    actualTotal: URIRef  # 实有人数 / actual staff
    actualAdmin: URIRef  # 实有行政人数 / actual administrative staff
    actualInstitution: URIRef  # 实有事业人数 / actual institution staff
    retiredTotal: URIRef  # 离退休人数 / retired staff
    page: URIRef  # 页码 / page
    line: URIRef  # 行号 / line
    row: URIRef  # 表内行号 / table row
    sourceTable: URIRef  # 来源表 / source table
    snippet: URIRef  # 原文片段 / snippet
    bbox: URIRef  # 页面位置 / box on the page (PDF points: x0 top x1 bottom)
    forProperty: URIRef  # 所出属性 / the property whose value a source location gave
    forValue: URIRef  # 所出值 / which value of that property, for a property of several

    # Links across documents (kg.links)
    previousYear: URIRef  # 上年度 / previous year (same budget, project or line, one year before)
    finalAccount: URIRef  # 决算 / final account of a year's 预算
    partOfBudget: URIRef  # 所属部门预决算 / a 单位 budget's 部门 budget
    reflects: URIRef  # 所据文件 / a document the links graph was built from
    linksOf: URIRef  # 关联所属部门 / the department whose links a links graph holds
    fromDocument: URIRef  # 本方文件 / where a link's subject was read
    toDocument: URIRef  # 对方文件 / where a link's object was read
    linksFormat: URIRef  # 关联格式 / links format
    linkedBy: URIRef  # 关联依据 / linked by
    linkKey: URIRef  # 关联键 / the shared code or normalised name
    fromName: URIRef  # 本方名称 / the subject's name as printed
    toName: URIRef  # 对方名称 / the object's name as printed
    StatedFigure: URIRef  # 所述他年数 / a figure a document states of another budget
    statedFigure: URIRef  # 所述他年数 / stated figure
    figureKey: URIRef  # 数字键 / figure key
    statedKind: URIRef  # 所述类别 / previous_year or initial_budget
    step: URIRef  # 末位单位 / one unit of the last printed digit


class ELI(DefinedNamespace):
    """The European Legislation Identifier terms budgetkg uses for cited laws."""

    _fail = True
    _NS = Namespace("http://data.europa.eu/eli/ontology#")

    LegalResource: URIRef  # a law, regulation or official document
    id_local: URIRef  # the issuer's number (文号)
    title: URIRef  # the title
