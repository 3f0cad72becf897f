"""检索: one query box, a cites field and the filters of :class:`kg.types.Filters`.

With a query, the question is read first (``BudgetKG.ask``): the filters it names show as chips, each
removable (a removed one stays out: the URL's ``off``), an answer card above the hits gives the amounts
it asks for with their sources, and hybrid search runs on the words left: one hit per entity with its
best passage, the query's words highlighted.  With a cites reference alone, the projects citing it
(``BudgetKG.cites``).  The URL holds the whole search (:class:`SearchState`), so it reproduces it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from decimal import Decimal, InvalidOperation

import streamlit as st

from kg.api import BudgetKG
from kg.types import PHASE_WORDS, PHASE_ZH, STRICT, Filters, QueryError, amount_text, error_message, place_text
from search_app.markup import CHOOSE, highlight, md_escape, wan, window
from search_app.state import (
    document_label, documents, embed_pending, entity_page_link, get_kg, revision, set_params, write_lock,
)

TOP_K = (10, 20, 50)
TYPES = {"project": ("项目", ":material/assignment:"), "department": ("部门", ":material/account_balance:"),
         "unit": ("单位", ":material/apartment:"), "office": ("内设机构", ":material/meeting_room:"),
         "budget": ("预算", ":material/request_quote:"), "entity": ("实体", ":material/label:")}
KINDS = {"chunk": "正文", "indicator": "绩效指标", "activity": "项目测算", "project": "项目概况",
         "legal_basis": "立项依据", "goal": "绩效目标", "implementation": "实施方案", "explanation": "情况说明",
         "function": "部门职能", "task": "工作任务", "glossary": "名词解释", "other": "基本情况"}
FIELDS = {**KINDS, "activity_calc": "项目测算", "performance_goal": "绩效目标", "overview": "项目概述",
          "narrative": "正文"}
EXAMPLES = ("医疗救助", "三公经费", "信息化建设", "医保基金监管", "江岸区医保局 2026 年 医疗救助 预算多少")
CHIPS = {"department": "部门", "region": "地区", "year": "年度", "phase": "阶段", "unit": "单位", "fund": "资金来源",
         "min_amount": "金额", "max_amount": "金额", "code": "功能分类科目", "cites": "引用"}
ANSWER_KINDS = {"project": "项目", "line": "功能分类科目", "budget": "预算总额", "three_public": "“三公”经费"}


@dataclass(frozen=True)
class SearchState:
    """A search as the URL holds it; every field is one query parameter of the same name."""

    q: str = ""
    cites: str = ""
    dept: str = ""
    year: int | None = None
    phase: str = ""
    unit: str = ""
    fund: str = ""
    min: Decimal | None = None
    max: Decimal | None = None
    min_excl: bool = False  # min is strict (超过 min): 1 in the URL, absent when inclusive (older links)
    max_excl: bool = False
    code: str = ""
    k: int = TOP_K[0]
    off: str = ""  # the recognised filters the user removed, comma-separated (CHIPS keys)

    @classmethod
    def from_params(cls, params: dict[str, str]) -> tuple[SearchState, list[str]]:
        """The state in ``params`` and the parameters that were left out as malformed."""
        values, bad = {}, []
        for f in fields(cls):
            raw = (params.get(f.name) or "").strip()
            if not raw:
                continue
            try:
                if f.name in ("year", "k"):
                    values[f.name] = int(raw)
                elif f.name in ("min", "max"):
                    values[f.name] = Decimal(raw)
                elif f.name in ("min_excl", "max_excl"):
                    values[f.name] = {"1": True, "true": True, "0": False, "false": False}[raw.lower()]
                elif f.name == "phase":
                    values[f.name] = PHASE_WORDS[raw.lower()]
                elif f.name == "off":
                    names = raw.split(",")
                    if not set(names) <= set(CHIPS):
                        raise ValueError(raw)
                    values[f.name] = ",".join(n for n in CHIPS if n in names)
                else:
                    values[f.name] = raw
            except (ValueError, KeyError, InvalidOperation):
                bad.append(f"{f.name}={raw}")
        if values.get("k") not in TOP_K:
            values.pop("k", None)
        return cls(**values), bad

    def to_params(self) -> dict[str, str]:
        out = {k: "1" if v is True else str(v) for k, v in asdict(self).items() if v not in (None, "") and v is not False}
        if self.k == TOP_K[0]:
            out.pop("k")
        return out

    def filters(self) -> Filters:
        return Filters(department=self.dept or None, year=self.year, phase=self.phase or None,
                       unit=self.unit or None, fund=self.fund or None, min_amount=self.min,
                       max_amount=self.max, code=self.code or None, cites=self.cites or None,
                       min_exclusive=self.min_excl, max_exclusive=self.max_excl)

    @property
    def dropped(self) -> tuple[str, ...]:
        return tuple(n for n in self.off.split(",") if n)

    @property
    def filtered(self) -> bool:
        return bool(self.filters().active().keys() - {"cites"})


# --- cached kg calls (keyed on the store's revision) -----------------------------------------

@st.cache_data(show_spinner=False, max_entries=4)
def _facets(rev: tuple[int, str]):
    return get_kg().facets()


@st.cache_data(show_spinner=False, max_entries=64)
def _ask(rev: tuple[int, str], q: str, off: tuple[str, ...], filters: Filters, k: int):
    return get_kg().ask(q, drop=off, filters=filters, top_k=k)


@st.cache_data(show_spinner=False, max_entries=64)
def _understand(rev: tuple[int, str], q: str):
    return get_kg().understand(q)


@st.cache_data(show_spinner=False, max_entries=64)
def _cites(rev: tuple[int, str], ref: str):
    return get_kg().cites(ref)


@st.cache_data(show_spinner=False, max_entries=64)
def _terms(q: str) -> list[str]:
    return get_kg().query_terms(q)


# --- the form ---------------------------------------------------------------------------------------

KEYS = {f.name: f"search_{f.name}" for f in fields(SearchState)}


def _seed(state: SearchState) -> None:
    """Fill the widgets from the URL the first time the page shows (their state is theirs after that)."""
    for name, key in KEYS.items():
        if key not in st.session_state:
            value = getattr(state, name)
            st.session_state[key] = float(value) if isinstance(value, Decimal) else value


def _from_widgets() -> SearchState:
    g = {name: st.session_state.get(key) for name, key in KEYS.items()}
    amount = lambda v: None if v is None else Decimal(str(round(float(v), 2)))  # noqa: E731
    q = (g["q"] or "").strip()
    if st.session_state.get("search_off_for") != q:  # a new question: its chips all start in force
        st.session_state[KEYS["off"]] = "" if "search_off_for" in st.session_state else g["off"] or ""
        st.session_state["search_off_for"] = q
    return SearchState(q=q, cites=(g["cites"] or "").strip(), dept=g["dept"] or "",
                       year=g["year"], phase=g["phase"] or "", unit=g["unit"] or "", fund=g["fund"] or "",
                       min=amount(g["min"]), max=amount(g["max"]), min_excl=bool(g["min_excl"]),
                       max_excl=bool(g["max_excl"]), code=(g["code"] or "").strip(),
                       k=g["k"] or TOP_K[0], off=st.session_state.get(KEYS["off"]) or "")


def _options(values: list, current) -> list:
    """``""`` (all) first, the store's values, and the URL's value when the store does not list it."""
    out = ["", *values]
    return out + [current] if current not in out else out


def _clear_filters() -> None:
    for name in ("dept", "year", "phase", "unit", "fund", "min", "max", "code"):
        st.session_state[KEYS[name]] = None if name in ("year", "min", "max") else ""
    st.session_state[KEYS["min_excl"]] = st.session_state[KEYS["max_excl"]] = False


def _example(q: str) -> None:
    _clear_filters()
    st.session_state[KEYS["q"]] = q
    st.session_state[KEYS["cites"]] = ""


def _form(state: SearchState) -> None:
    facets = _facets(revision())
    everything = lambda v: "全部" if v in ("", None) else str(v)  # noqa: E731
    names = dict(facets.codes)
    with st.form("search_form", border=False, enter_to_submit=True):
        c1, c2, c3 = st.columns([6, 3, 1], vertical_alignment="bottom")
        c1.text_input("检索词", key=KEYS["q"], placeholder="例如：医疗救助、三公经费、信息化建设")
        c2.text_input("引用文号/标题", key=KEYS["cites"], placeholder="例如：武政规〔2016〕32号",
                      help="任何括号或空格写法的文号（如 武政规[2016]32号），或文件标题；只填此项则列出引用它的项目")
        c3.form_submit_button("检索", type="primary", width="stretch")
        with st.expander("筛选条件" + ("（已启用）" if state.filtered else ""), expanded=state.filtered):
            r1 = st.columns(4)
            r1[0].selectbox("部门", _options(facets.departments, state.dept), key=KEYS["dept"],
                            format_func=everything, accept_new_options=True, placeholder=CHOOSE)
            r1[1].selectbox("年度", [None, *sorted(set(facets.years) | ({state.year} - {None}))],
                            key=KEYS["year"], format_func=everything, placeholder=CHOOSE)
            r1[2].selectbox("阶段", ["", "budget", "final_account"], key=KEYS["phase"],
                            format_func=lambda v: PHASE_ZH.get(v, "全部"), placeholder=CHOOSE)
            r1[3].selectbox("单位", _options(facets.units, state.unit), key=KEYS["unit"],
                            format_func=everything, accept_new_options=True, placeholder=CHOOSE)
            r2 = st.columns(4)
            r2[0].selectbox("资金来源", _options(facets.funds, state.fund), key=KEYS["fund"],
                            format_func=everything, accept_new_options=True, placeholder=CHOOSE)
            r2[1].selectbox("功能分类科目", _options([c for c, _ in facets.codes], state.code), key=KEYS["code"],
                            format_func=lambda c: f"{c} {names.get(c, '')}".strip() if c else "全部",
                            accept_new_options=True, help="科目编码前缀（如 210 卫生健康支出），也可输入项目编码",
                            placeholder=CHOOSE)
            hint = "" if facets.min_amount is None else f"库中项目金额 {wan(facets.min_amount)} 至 {wan(facets.max_amount)}"
            r2[2].number_input("项目金额下限（万元）", min_value=0.0, step=10.0, key=KEYS["min"], help=hint or None)
            r2[3].number_input("项目金额上限（万元）", min_value=0.0, step=10.0, key=KEYS["max"], help=hint or None)
            r3 = st.columns([1, 3, 1], vertical_alignment="bottom")
            r3[0].selectbox("结果数", TOP_K, key=KEYS["k"], placeholder=CHOOSE)
            strict = r3[1].columns(2)
            strict[0].checkbox("不含下限（超过）", key=KEYS["min_excl"], help="金额须大于下限，不含等于")
            strict[1].checkbox("不含上限（低于）", key=KEYS["max_excl"], help="金额须小于上限，不含等于")
            r3[2].form_submit_button("清除筛选", on_click=_clear_filters, width="stretch")


# --- results ----------------------------------------------------------------------------------------

def _where(hit) -> str:
    """``《document title》 · 第 3 页第 12 行``: the document by its own title (its label when it has none)."""
    place = place_text(hit.page, hit.line)
    doc = f"《{hit.document.title}》" if hit.document.title else document_label(hit.document.id)
    return f"{doc}{' · ' + place if place else ''}"


def _subject_facts(hit) -> str:
    """``武汉市江岸区医疗保障局 · 2026 年 · 预算 · 0.48 万元 · 武汉市江岸区医疗保障局本级``: what the subject is."""
    f = hit.facts
    parts = [f.department, f.year and f"{f.year} 年", PHASE_ZH.get(f.phase or "", f.phase),
             f.amount is not None and wan(f.amount), f.unit]
    return " · ".join(md_escape(str(x)) for x in parts if x)


def _show_hits(state: SearchState) -> None:
    kg = get_kg()
    if kg.pending_embeddings():
        with write_lock():
            embed_pending(kg)
    try:
        with st.spinner("正在检索…（首次检索需加载语义模型，约需半分钟）"):
            asked = _ask(revision(), state.q, state.dropped, state.filters(), state.k)
    except (ValueError, QueryError):
        st.error("检索条件有误，请检查检索词和筛选条件。")
        return
    _chips(state)
    _answer_card(asked)
    hits = asked.hits
    if not hits:
        st.info(f"没有找到与「{md_escape(state.q)}」相关的内容" + ("；可以放宽筛选条件再试。" if state.filters() else "。"))
        return
    terms = _terms(state.q)
    st.caption(f"共 {len(hits)} 条结果（每个实体取最相关的一段）")
    for i, h in enumerate(hits, 1):
        type_name, icon = TYPES.get(h.subject.type, TYPES["entity"])
        with st.container(border=True):
            entity_page_link(f"{i}. {h.subject.label or h.subject.iri}", h.subject.iri, icon=icon)
            st.caption(" · ".join(x for x in [type_name, _subject_facts(h), KINDS.get(h.kind, h.kind or "正文"),
                                              f"相关度 {h.score:.3f}", md_escape(_where(h))] if x))
            st.markdown(highlight(window(h.text, terms), terms))


def _chip_value(name: str, value, filters: Filters) -> str:
    """A chip's value as it reads: ``预算``, ``超过 85.00 万元`` or ``85.00 万元以上`` (its strictness)."""
    if name == "phase":
        return PHASE_ZH.get(value, str(value))
    if name in ("min_amount", "max_amount"):
        flag = next(f for f, amount in STRICT.items() if amount == name)
        return amount_text(wan(value), name == "max_amount", bool(filters.active().get(flag)))
    return str(value)


def _drop(name: str) -> None:
    off = [n for n in st.session_state.get(KEYS["off"], "").split(",") if n]
    st.session_state[KEYS["off"]] = ",".join(n for n in CHIPS if n in {*off, name})


def _restore() -> None:
    st.session_state[KEYS["off"]] = ""


def _chips(state: SearchState) -> None:
    """The filters read from the question, each a button that removes it (it then stays out)."""
    understood = _understand(revision(), state.q)
    shown = {k: v for k, v in understood.filters.active().items() if k in CHIPS and k not in state.dropped}
    if not shown and not state.dropped:
        return
    cols = st.columns([2] + [3] * len(shown) + [2] * bool(state.dropped) + [max(1, 8 - len(shown))],
                      vertical_alignment="center")
    cols[0].caption("识别出的条件：" if shown else "已移除识别出的条件")
    for col, (name, value) in zip(cols[1:], shown.items()):
        col.button(f"{CHIPS[name]}：{md_escape(_chip_value(name, value, understood.filters))} ✕", key=f"search_chip_{name}",
                   on_click=_drop, args=(name,), help="移除此条件（其文字回到检索词中）", width="stretch")
    if state.dropped:
        cols[1 + len(shown)].button("恢复全部条件", key="search_chips_restore", on_click=_restore, width="stretch")


def _answer_card(asked) -> None:
    """The amounts the question asks for, each with its source and a link to its entity."""
    card = asked.answer
    if card is None:
        return
    with st.container(border=True, key="answer_card"):
        if card.kind == "none":
            st.markdown("**答案**：知识库中没有符合这些条件的数据" + (f"（查找「{md_escape(card.what)}」）" if card.what else "") + "。")
            return
        head = "符合条件的项目" if card.kind == "list" else "答案"
        st.markdown(f"**{head}**（共 {len(card.values)} 项，金额单位：万元）")
        for v in card.values:
            c1, c2 = st.columns([3, 2], vertical_alignment="center")
            with c1:
                entity_page_link(v.name, v.entity, icon=TYPES["project"][1] if v.kind == "project" else None)
            c2.markdown(f"**{md_escape(wan(v.amount))}**")
            place = place_text(v.page, v.line)
            st.caption(" · ".join(md_escape(x) for x in [ANSWER_KINDS.get(v.kind, v.kind), v.code or "",
                                                          "出处：" + document_label(v.doc_id), place] if x))


def _show_cites(state: SearchState) -> None:
    try:
        hits = _cites(revision(), state.cites)
    except QueryError as exc:
        st.error(f"无法查找引用：{md_escape(error_message(exc))}。")
        return
    except ValueError:
        st.error("无法查找引用：文号或文件名称有误。")
        return
    keys, ref = md_escape(" / ".join(BudgetKG.ref_keys(state.cites))), md_escape(state.cites)
    if not hits:
        st.info(f"没有项目引用「{ref}」（按 {keys} 查找）。")
        return
    st.caption(f"共 {len(hits)} 个项目引用「{ref}」（按 {keys} 查找）")
    for h in hits:
        with st.container(border=True):
            entity_page_link(h.name, h.project, icon=TYPES["project"][1])
            facts = [h.department, h.year and f"{h.year} 年", PHASE_ZH.get(h.phase or "", h.phase), wan(h.amount), h.unit]
            st.caption(" · ".join(md_escape(x) for x in facts if x))
            places = ["；".join(filter(None, [FIELDS.get(x.field or "", x.field), place_text(x.page, x.line)]))
                      for x in h.locations]
            st.markdown(f"出处：{md_escape(document_label(h.doc_id))}"
                        + (f" —— {md_escape('，'.join(p for p in places if p))}" if any(places) else ""))


def _welcome() -> None:
    docs = len(documents())
    st.markdown(f"在已导入的 **{docs}** 份部门预算、决算公开文件中检索项目、部门和单位："
                "语义与关键词混合检索，可按部门、年度、阶段、单位、资金来源、金额和功能分类筛选；"
                "填写「引用文号/标题」可查找依据某一文件安排的项目。")
    cols = st.columns([1] + [2] * len(EXAMPLES) + [3], vertical_alignment="center")
    cols[0].markdown("试试：")
    for col, q in zip(cols[1:], EXAMPLES):
        col.button(q, key=f"search_example_{q}", on_click=_example, args=(q,), width="stretch")


def page() -> None:
    st.title("检索")
    if not documents():
        st.info("知识库中还没有文档。请先导入部门预算、决算公开文件：")
        from search_app.nav import page as nav_page

        st.page_link(nav_page("documents"), label="前往「文档」页上传", icon=":material/upload:")
        return
    state, bad = SearchState.from_params(st.query_params.to_dict())
    _seed(state)
    _form(state)
    if bad:
        st.warning("链接中有无法识别的参数，已忽略：" + md_escape("，".join(bad)))
    state = _from_widgets()
    set_params(state.to_params())
    if state.q:
        _show_hits(state)
    elif state.cites:
        _show_cites(state)
    else:
        _welcome()
