"""ingest.tables.grid: header paths, marker rows, wrapped rows, code shapes."""

from ingest.layout import Line
from ingest.layout import Block
from ingest.tables.grid import (
    Row, group_columns, header_paths, is_continuation, is_labelled_marker_row, is_marker_row, is_preamble_row,
    is_total_label, is_unit_code, join_wrapped, read_grid, split_code, strip_numbering, sub_grid,
)

HEADER = [
    ["单位代 码", "单位名称（科目）", "总计", "基本支出", "", "", "项目支出", "", "", "", ""],
    ["", "", "", "小计", "工资 福利 支出", "商品和 服务支出", "部门项目", "", "公共项目", "", ""],
    ["", "", "", "", "", "", "小计", "经常 性项 目", "小计", "一 次 性项 目", ""],
]


def test_header_paths_follow_spans_and_squash_wrapped_labels():
    paths = header_paths(HEADER, 11)
    assert paths[0] == ("单位代码",)
    assert paths[4] == ("基本支出", "工资福利支出")
    assert paths[7] == ("项目支出", "部门项目", "经常性项目")
    assert paths[9] == ("项目支出", "公共项目", "一次性项目")


def test_labels_wrapped_over_rows_of_one_column_are_joined():
    # a text export of a cell printed on two lines: 科目/编码, 基本/支出 …
    two = [["科目", "科目", "合计", "基本", "项目"], ["编码", "名称", "", "支出", "支出"]]
    assert header_paths(two, 5) == [("科目编码",), ("科目名称",), ("合计",), ("基本支出",), ("项目支出",)]
    three = [["功能分类", "功能分类", "本年支", "人员", "公用"], ["科目编码", "科目名称", "出合计", "经费", "经费"]]
    assert header_paths(three, 5) == [("功能分类科目编码",), ("功能分类科目名称",), ("本年支出合计",),
                                      ("人员经费",), ("公用经费",)]
    # a group row above the wrapped labels stays a group
    grouped = [["项目", "", "2025年预算数", "", ""]] + two
    assert header_paths(grouped, 5) == [("项目", "科目编码"), ("项目", "科目名称"), ("2025年预算数", "合计"),
                                        ("2025年预算数", "基本支出"), ("2025年预算数", "项目支出")]
    # a one-column group over a label wrapped in two: the group stays, the pieces below it join
    code_name = [["项目", "2025年预算数", ""], ["功能分", "总计", "基本"], ["类科目", "", "支出"]]
    assert header_paths(code_name, 3) == [("项目", "功能分类科目"), ("2025年预算数", "总计"),
                                          ("2025年预算数", "基本支出")]
    assert header_paths([["上年结转（", "经济分类"], ["结余）", "科目编码"]], 2) == [("上年结转（结余）",),
                                                                                ("经济分类科目编码",)]


def test_a_short_label_printed_on_the_second_line_is_not_under_the_wrapped_label_beside_it():
    # 合计 fits one line and sits on the second; 科目 | 科目 above it are the first pieces of 编码 / 名称
    centred = [["科目", "科目", "", "基本", "项目"], ["编码", "名称", "合计", "支出", "支出"]]
    assert header_paths(centred, 5) == [("科目编码",), ("科目名称",), ("合计",), ("基本支出",), ("项目支出",)]
    # a group over columns each with its label below keeps spanning them
    group = [["科目名称", "基本支出", "", "项目支出"], ["", "人员经费", "公用经费", ""]]
    assert header_paths(group, 4)[1:3] == [("基本支出", "人员经费"), ("基本支出", "公用经费")]
    spending = [["功能科目名称", "本年支出", "", ""], ["", "基本支出", "项目支出", "合计"]]
    assert header_paths(spending, 4)[1:] == [("本年支出", "基本支出"), ("本年支出", "项目支出"), ("本年支出", "合计")]


def test_a_group_over_its_parts_is_not_a_wrapped_label():
    # 基本支出 over its parts, and a one-column group over its 小计: two labels, each a label alone
    paths = header_paths([["科目名称", "基本支出", "", "项目支出"], ["", "小计", "工资福利支出", "小计"]], 4)
    assert paths == [("科目名称",), ("基本支出", "小计"), ("基本支出", "工资福利支出"), ("项目支出", "小计")]
    sides = header_paths([["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"]], 4)
    assert sides == [("收入", "项目"), ("收入", "预算数"), ("支出", "项目"), ("支出", "预算数")]


def test_group_columns_use_subtotal_or_sum_of_subgroup_subtotals():
    paths = header_paths(HEADER, 11)
    assert group_columns(paths, r"^基本支出") == [3]
    assert group_columns(paths, r"^项目支出") == [6, 8]
    assert group_columns(paths, r"^总计") == [2]
    assert group_columns(paths, r"^三公") == []


def test_group_with_its_own_column_and_leaf_groups():
    paths = header_paths([["科目", "基本支出", "", "项目支出"], ["", "", "人员经费", ""]], 4)
    assert group_columns(paths, r"^基本支出") == [1]
    assert group_columns(paths, r"^项目支出") == [3]


def test_marker_rows():
    assert is_marker_row(["", "", "1", "2", "3"])
    assert is_marker_row(["1", "2", "3", "4", "5=6+7+8+9+10", "6"])
    assert is_marker_row(["--------", "--", ":--"])
    assert not is_marker_row(["0.20", "0.00", "0.20"])
    assert not is_marker_row(["", "合计", "5", "3"])
    assert not is_marker_row(["26", "武汉市东西湖区医疗保障局", "3233.20"])


def test_labels_and_codes():
    assert strip_numbering("五、上年结转") == "上年结转"
    assert strip_numbering("其中：（1）公务用车购置") == "公务用车购置"
    assert is_total_label(" 合 计") and not is_total_label("“三公”经费合计")
    assert split_code("201 一般公共服务") == ("201", "一般公共服务")
    assert split_code("行政运行") == ("", "行政运行")


def test_unit_codes_are_told_from_functional_codes_by_shape_and_name():
    assert is_unit_code("26001", "武汉市东西湖区医疗保障局本级")
    assert is_unit_code("303", "武汉市江岸区医疗保障局")  # not a 功能科目 class (those start with 2)
    assert is_unit_code("026", "武汉市东西湖区医疗保障局")
    assert not is_unit_code("2080505", "机关事业单位基本养老保险缴费支出")
    assert not is_unit_code("2101101", "行政单位医疗")
    assert is_unit_code("208", "某某区民政局")  # functional-shaped code, organisation's name


def _row(i, cells):
    return Row(i, Line(no=i + 1, text="\t".join(cells), cells=cells), cells)


def test_join_wrapped_appends_name_continuations_to_the_row_above():
    rows = [
        _row(0, ["2080505", "机关事业单位基本养老保险", "1.77"]),
        _row(1, ["", "险缴费支出", ""]),
        _row(2, ["210", "卫生健康支出", "2738.69"]),
    ]
    joined = join_wrapped(rows, lambda r: is_continuation(r.cells, [0]))
    assert [r.cells[1] for r in joined] == ["机关事业单位基本养老保险 险缴费支出", "卫生健康支出"]
    assert [ln.no for ln in joined[0].lines] == [1, 2]


def test_a_row_with_a_code_or_a_number_is_not_a_continuation():
    assert not is_continuation(["2101101", "行政单位医疗", ""], [0])
    assert not is_continuation(["", "合计", ""], [0])
    assert not is_continuation(["", "名称", "1.00"], [0])
    assert not is_continuation(["", "", ""], [0])


def test_row_number_labels_and_table_numbers_are_not_header_text():
    assert is_marker_row(["栏次", "", "", "", "1", "2", "3"])
    assert is_preamble_row(["公开01表", "", "单位：万元"])
    assert not is_preamble_row(["项目", "单位：万元"])


def test_preamble_rows_of_other_wordings():
    assert is_preamble_row(["编报单位：某区某局", "", "", "单位：万元"])
    assert is_preamble_row(["报送单位：某区某局"])
    assert is_preamble_row(["部门：洛阳市司法局", "", "", "", "金额单位：万元"])


def test_a_unit_caption_above_a_column_is_not_part_of_its_label():
    header = [["", "", "", "", "金额单位：万元"], ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"]]
    assert header_paths(header, 5)[4] == ("金额单位：万元", "项目支出")


def test_labelled_marker_row():
    assert is_labelled_marker_row(["类 款 项", "栏次", "1", "2", "3"])
    assert is_labelled_marker_row(["类", "款", "项", "", "1", "2"])
    assert not is_labelled_marker_row(["类", "款", "项", "", "", ""])  # a plain header row
    assert not is_labelled_marker_row(["208", "社会保障和就业支出", "1", "2"])


def _block(rows):
    lines = [Line(i, "\t".join(r), list(r)) for i, r in enumerate(rows, 1)]
    return Block("表", "basic_economic", [Line(0, "表", ["表"]), *lines])


def test_sub_grid_drops_the_label_over_the_slice():
    grid = read_grid(_block([
        ["人员经费", "", "", "公用经费", "", ""],
        ["科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数"],
        ["301", "工资福利支出", "1.00", "302", "商品和服务支出", "2.00"],
    ]))
    right = sub_grid(grid, 3, 6)
    assert right.paths == [("科目编码",), ("科目名称",), ("决算数",)]
    assert right.body[0].cells == ["302", "商品和服务支出", "2.00"] and right.body[0].line.no == 3
    assert grid.body[0].cells[:3] == ["301", "工资福利支出", "1.00"]  # the source grid is untouched
