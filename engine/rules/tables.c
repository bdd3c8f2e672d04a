/*  tables.c: GID2xx, the statistical tables as laid out.
 *
 *  Edition, presence of the tables and of their rows, row wording, the
 *  number of values per row, what a value may be, cells run together, and
 *  the unit of money cells.
 */
#include "gl_internal.h"

#include <string.h>

static const char *
s_ed_name (gl_edition_t e)
{
    return e == GL_EDITION_2019 ? "2019" : "2021";
}

static gl_span_t
s_first_table_span (const gl_doc_t *doc)
{
    for (int s = GL_SEC_2; s <= GL_SEC_4; s++) {
        const gl_table_t *t = gl_doc_table (doc, (gl_section_id_t) s);
        if (t)
            return (gl_span_t) { t->span.start, t->span.start };
    }
    return (gl_span_t) { 0, 0 };
}

/*  The label of row id as the document's edition words it.                */
static const char *
s_row_label (const gl_doc_t *doc, gl_row_id_t id)
{
    const gl_row_info_t *info = gl_row_info (id);
    if (gl_doc_edition (doc) == GL_EDITION_2019 && info->label_2019)
        return info->label_2019;
    return info->label;
}

static gl_where_t
s_cell_where (const gl_row_t *row, gl_section_id_t table, gl_span_t span,
              int column)
{
    gl_where_t w = GL_WHERE_SPAN (span);
    w.table = table;
    w.row = row->id;
    w.column = column;
    return w;
}

/*  ------------------------------------------------------------------ */

static void
check_gid201 (const gl_doc_t *doc, gl_emit_t *out)
{
    int year = gl_doc_year (doc);
    gl_edition_t ed = gl_doc_edition (doc);
    if (!year || ed == GL_EDITION_UNKNOWN)
        return;
    gl_edition_t want = year >= 2021 ? GL_EDITION_2021 : GL_EDITION_2019;
    if (ed == want)
        return;
    gl_where_t w = GL_WHERE_SPAN (s_first_table_span (doc));
    w.expected = GL_STR (s_ed_name (want));
    w.actual = GL_STR (s_ed_name (ed));
    if (want == GL_EDITION_2021)
        GL_EMIT (out, &gl_rule_gid201, &w,
                 "%d年度报告的统计表采用了2019年版格式（国办公开办函〔2019〕60号），"
                 "2021年及以后的报告应采用2021年版格式（国办公开办函〔2021〕30号）",
                 "a %d report uses the 2019 edition of the tables; reports for "
                 "2021 and later use the 2021 edition (国办公开办函〔2021〕30号)",
                 year);
    else
        GL_EMIT (out, &gl_rule_gid201, &w,
                 "%d年度报告的统计表采用了2021年版格式，2020年及以前的报告应采用"
                 "2019年版格式（国办公开办函〔2019〕60号）",
                 "a %d report uses the 2021 edition of the tables; reports for "
                 "2020 and earlier use the 2019 edition (国办公开办函〔2019〕60号)",
                 year);
}

const gl_rule_t gl_rule_gid201 = {
    .code = "GID201",
    .name = "wrong-edition",
    .severity = GL_SEV_ERROR,
    .summary_zh = "统计表格式版本与报告年度不符",
    .summary_en = "the tables' edition does not fit the report year",
    .doc_zh = "2019、2020年度报告使用国办公开办函〔2019〕60号格式，2021年度及以后使用"
              "国办公开办函〔2021〕30号格式。两版在第二部分的栏目（如“本年制发件数”与"
              "“本年新制作数量”）和第三部分“（六）其他处理”的细分上不同。版本用错，"
              "数据无法与其他机关汇总。",
    .doc_en = "Reports for 2019 and 2020 use the 2019 edition of the format, "
              "reports for 2021 on the 2021 edition. They differ in the "
              "columns of section 二 (本年制发件数 against 本年新制作数量) and in "
              "the split of （六）其他处理 in section 三. With the wrong one, the "
              "figures cannot be aggregated with other bodies'.",
    .example = "威海市某镇2021年政府信息公开工作年度报告 … 信息内容 本年新制作数量 "
               "本年新公开数量 对外公开总数量",
    .check = check_gid201,
};

/*  ------------------------------------------------------------------ */

static void
check_gid202 (const gl_doc_t *doc, gl_emit_t *out)
{
    for (int s = GL_SEC_2; s <= GL_SEC_4; s++) {
        const gl_section_t *sec = gl_doc_section (doc, (gl_section_id_t) s);
        if (!sec->present)
            continue;
        const gl_table_t *t = gl_doc_table (doc, (gl_section_id_t) s);
        bool known = false;
        for (size_t r = 0; t && r < t->n_rows && !known; r++)
            known = t->rows[r].id != GL_ROW_UNKNOWN;
        if (known)
            continue;
        gl_where_t w = GL_WHERE_SPAN (sec->heading);
        w.table = (gl_section_id_t) s;
        GL_EMIT (out, &gl_rule_gid202, &w,
                 "第%s部分没有可识别的统计表", "section %s has no table we can read",
                 gl_section_numeral ((gl_section_id_t) s));
    }
}

const gl_rule_t gl_rule_gid202 = {
    .code = "GID202",
    .name = "missing-table",
    .severity = GL_SEV_ERROR,
    .summary_zh = "缺少统计表",
    .summary_en = "a section's table is missing",
    .doc_zh = "第二、三、四部分各有一张规定的统计表。表格被删除、以图片形式插入或转换时丢失，"
              "都会使这一部分无法核对。请以文字表格形式填报。",
    .doc_en = "Sections 二, 三 and 四 each hold one table of the format. A "
              "deleted table, one pasted as an image or one lost in conversion "
              "leaves the section unverifiable; submit it as a text table.",
    .example = "四、政府信息公开行政复议、行政诉讼情况\n（见附图）",
    .check = check_gid202,
};

/*  ------------------------------------------------------------------ */

static void
check_gid203 (const gl_doc_t *doc, gl_emit_t *out)
{
    gl_edition_t ed = gl_doc_edition (doc);
    for (int s = GL_SEC_2; s <= GL_SEC_3; s++) {
        const gl_table_t *t = gl_doc_table (doc, (gl_section_id_t) s);
        if (!t)
            continue;
        int first = s == GL_SEC_2 ? GL_R2_REGULATION : GL_R3_NEW;
        int last = s == GL_SEC_2 ? GL_R2_PROCUREMENT : GL_R3_CARRY_OVER;
        uint32_t at = t->span.start;
        for (int id = first; id <= last; id++) {
            const gl_row_t *row = gl_doc_row (doc, (gl_row_id_t) id);
            if (row) {
                at = row->span.end;
                continue;
            }
            unsigned eds = gl_row_info ((gl_row_id_t) id)->editions;
            bool due = ed == GL_EDITION_UNKNOWN
                           ? eds == 3u
                           : gl_row_columns ((gl_row_id_t) id, ed) > 0;
            /* In 2021, rows （六）1-3 stand for the 2019 single row, and the
             * other way round: a report of either shape has them all. */
            if (!due || (id == GL_R3_OTHER && gl_doc_row (doc, GL_R3_OTHER_1))
                || (id >= GL_R3_OTHER_1 && id <= GL_R3_OTHER_3
                    && gl_doc_row (doc, GL_R3_OTHER)))
                continue;
            gl_where_t w = GL_WHERE_SPAN (((gl_span_t) { at, at }));
            w.table = (gl_section_id_t) s;
            w.row = (gl_row_id_t) id;
            GL_EMIT (out, &gl_rule_gid203, &w,
                     "第%s部分表格缺少“%s”一行",
                     "the section %s table has no row \"%s\"",
                     gl_section_numeral ((gl_section_id_t) s),
                     s_row_label (doc, (gl_row_id_t) id));
        }
    }
}

const gl_rule_t gl_rule_gid203 = {
    .code = "GID203",
    .name = "missing-row",
    .severity = GL_SEV_ERROR,
    .summary_zh = "统计表缺少规定的行",
    .summary_en = "a row of the format is absent",
    .doc_zh = "统计表的每一行都是格式规定的统计项，数值为0也须保留该行填0。缺行会使"
              "合计无法核对，也无法与其他机关汇总。",
    .doc_en = "Every row of a table is an item of the format; a row whose "
              "values are all 0 stays, filled with 0. A missing row makes "
              "totals unverifiable and the table unaggregatable.",
    .example = "（三）不予公开 1.属于国家秘密 … 3.危及“三安全一稳定”（缺少第2行）",
    .check = check_gid203,
};

/*  ------------------------------------------------------------------ */

static void
check_gid204 (const gl_doc_t *doc, gl_emit_t *out)
{
    for (int s = GL_SEC_2; s <= GL_SEC_3; s++) {
        const gl_table_t *t = gl_doc_table (doc, (gl_section_id_t) s);
        for (size_t r = 0; t && r < t->n_rows; r++) {
            const gl_row_t *row = &t->rows[r];
            if (row->label_exact)
                continue;
            gl_where_t w = GL_WHERE_SPAN (row->label_span);
            w.table = (gl_section_id_t) s;
            w.row = row->id;
            if (row->id == GL_ROW_UNKNOWN) {
                if (!row->label[0])
                    GL_EMIT0 (out, &gl_rule_gid204, &w,
                              "这组数值前没有行标题，无法确定属于哪一行",
                              "these values have no row label; their row is unknown");
                else
                    GL_EMIT (out, &gl_rule_gid204, &w,
                             "行标题“%s”无法对应格式中的任何一行",
                             "the row label \"%s\" matches no row of the format",
                             row->label);
                continue;
            }
            const char *want = s_row_label (doc, row->id);
            const char *leaf = gl_canon_row_variants (row->id)[0];
            if (s == GL_SEC_3)
                want = leaf;
            if (row->id == GL_R2_NORMATIVE)
                want = s_row_label (doc, row->id);
            GL_EMIT (out, &gl_rule_gid204, &w,
                     "行标题“%s”与格式不符，应为“%s”",
                     "the row label \"%s\" differs from the format's \"%s\"",
                     row->label, want);
        }
    }
}

const gl_rule_t gl_rule_gid204 = {
    .code = "GID204",
    .name = "row-label",
    .severity = GL_SEV_WARNING,
    .summary_zh = "行标题措辞与格式不符",
    .summary_en = "a row label's wording differs from the format",
    .doc_zh = "统计表的行标题应与格式一字不差。改动措辞（如把“其他法律行政法规禁止公开”写成"
              "“其他法律法规禁止公开”）会改变统计口径的含义。本规则仍按最相近的规定行读取数据，"
              "并指出应有的措辞。",
    .doc_en = "Row labels read exactly as in the format. A changed wording "
              "(其他法律法规禁止公开 for 其他法律行政法规禁止公开) changes what is "
              "counted. The row is still read as the closest row of the format, "
              "and the right wording is given.",
    .example = "2.其他法律法规禁止公开\t0\t0\t0\t0\t0\t0\t0",
    .check = check_gid204,
};

/*  ------------------------------------------------------------------ */

static void
check_gid205 (const gl_doc_t *doc, gl_emit_t *out)
{
    for (int s = GL_SEC_2; s <= GL_SEC_4; s++) {
        const gl_table_t *t = gl_doc_table (doc, (gl_section_id_t) s);
        for (size_t r = 0; t && r < t->n_rows; r++) {
            const gl_row_t *row = &t->rows[r];
            if (!row->n_expected || row->n_cells == row->n_expected)
                continue;
            gl_where_t w = GL_WHERE_SPAN (((gl_span_t) {
                row->cells[0].span.start,
                row->cells[row->n_cells - 1].span.end }));
            w.table = (gl_section_id_t) s;
            w.row = row->id;
            w.expected = GL_INT ((int64_t) row->n_expected);
            w.actual = GL_INT ((int64_t) row->n_cells);
            GL_EMIT (out, &gl_rule_gid205, &w,
                     "“%s”一行应有%zu个数值，实际为%zu个（单元格缺失、多出或错位）",
                     "row \"%s\" should have %zu values, it has %zu (cells "
                     "lost, added or shifted)",
                     row->id == GL_ROW_UNKNOWN ? row->label
                                               : s_row_label (doc, row->id),
                     row->n_expected, row->n_cells);
        }
    }
}

const gl_rule_t gl_rule_gid205 = {
    .code = "GID205",
    .name = "cell-count",
    .severity = GL_SEV_ERROR,
    .summary_zh = "一行的数值个数与格式不符",
    .summary_en = "a row has more or fewer values than the format's columns",
    .doc_zh = "第三部分每行应有7个数值（自然人、五类法人或其他组织、总计），第四部分应有15个，"
              "第二部分各行按版本有1至3个。个数不符通常是单元格被删除、合并或错位，此时无法"
              "确定每个数值属于哪一列，相关的合计核对也会跳过该行。",
    .doc_en = "Section 三 rows have 7 values, section 四 has 15, section 二 "
              "rows 1 to 3 depending on the edition. A different count means "
              "cells were deleted, merged or shifted; no value can then be "
              "placed in its column, and the totals skip the row.",
    .example = "（一）予以公开\t\t0\t0\t0\t0\t0\t0",
    .check = check_gid205,
};

/*  ------------------------------------------------------------------ */

static void
check_gid206 (const gl_doc_t *doc, gl_emit_t *out)
{
    gl_edition_t ed = gl_doc_edition (doc);
    if (ed == GL_EDITION_UNKNOWN)
        ed = GL_EDITION_2021;
    for (int s = GL_SEC_2; s <= GL_SEC_4; s++) {
        const gl_table_t *t = gl_doc_table (doc, (gl_section_id_t) s);
        for (size_t r = 0; t && r < t->n_rows; r++) {
            const gl_row_t *row = &t->rows[r];
            bool placed = GL_ROW_COMPLETE (row);
            for (size_t c = 0; c < row->n_cells; c++) {
                const gl_cell_t *cell = &row->cells[c];
                int col = placed ? (int) c : -1;
                bool money = placed && gl_canon_is_money (row->id, ed, c);
                bool neg_ok = placed
                              && gl_canon_may_be_negative (row->id, ed, c);
                gl_where_t w = s_cell_where (row, (gl_section_id_t) s,
                                             cell->span, col);
                if (cell->kind == GL_CELL_BAD)
                    GL_EMIT (out, &gl_rule_gid206, &w,
                             "“%s”不是数字，此处应填写数值（没有则填0）",
                             "\"%s\" is not a number; write a number here (0 "
                             "for none)", cell->text);
                else if (cell->dval < 0 && !neg_ok)
                    GL_EMIT (out, &gl_rule_gid206, &w,
                             "“%s”为负数，此处应为非负整数",
                             "\"%s\" is negative; this cell is a count",
                             cell->text);
                else if (cell->kind == GL_CELL_DEC && !money && placed)
                    GL_EMIT (out, &gl_rule_gid206, &w,
                             "“%s”带小数，此处应为整数（件数）",
                             "\"%s\" has decimals; this cell is a whole count",
                             cell->text);
            }
        }
    }
}

const gl_rule_t gl_rule_gid206 = {
    .code = "GID206",
    .name = "bad-number",
    .severity = GL_SEV_ERROR,
    .summary_zh = "应为非负整数的单元格不是非负整数",
    .summary_en = "a count cell is not a non-negative whole number",
    .doc_zh = "统计表中除金额（万元，可有小数）和“本年增/减”（可为负）外，每个单元格都是件数，"
              "应为非负整数。“—”“/”“无”等应填0。",
    .doc_en = "Every table cell is a count (a non-negative whole number) but "
              "the amounts in 万元 (decimals allowed) and 本年增/减 (may be "
              "negative). Dashes, slashes and 无 should be 0.",
    .example = "行政许可\t—",
    .check = check_gid206,
};

/*  ------------------------------------------------------------------ */

static void
check_gid207 (const gl_doc_t *doc, gl_emit_t *out)
{
    size_t len;
    const char *text = gl_doc_text (doc, &len);
    for (int s = GL_SEC_2; s <= GL_SEC_4; s++) {
        const gl_table_t *t = gl_doc_table (doc, (gl_section_id_t) s);
        for (size_t r = 0; t && r < t->n_rows; r++) {
            const gl_row_t *row = &t->rows[r];
            for (size_t m = 0; m < row->n_merged_tokens; m++) {
                gl_span_t sp = row->merged_spans[m];
                gl_where_t w = GL_WHERE_SPAN (sp);
                w.table = (gl_section_id_t) s;
                w.row = row->id;
                GL_EMIT (out, &gl_rule_gid207, &w,
                         "“%.*s”疑为%u个单元格连写，已按每位数字一个单元格拆分；请在原表中分开填写",
                         "\"%.*s\" looks like %u cells run together and was "
                         "split digit by digit; separate the cells",
                         (int) (sp.end - sp.start), text + sp.start,
                         (unsigned) (sp.end - sp.start));
            }
        }
    }
}

const gl_rule_t gl_rule_gid207 = {
    .code = "GID207",
    .name = "merged-cells",
    .severity = GL_SEV_WARNING,
    .summary_zh = "数值连写，已推断拆分",
    .summary_en = "values run together were split by inference",
    .doc_zh = "从表格转成文本时，相邻单元格的数字可能连在一起（如三个0写成“000”）。当一行的"
              "数字位数恰好等于应有的数值个数时，按每位一个数值拆分后继续核对，并提示核实。",
    .doc_en = "Converting a table to text can run neighbouring cells "
              "together (three zeros as 000). When a row's digits are exactly "
              "as many as its values, they are split one per digit and "
              "checked; verify the split.",
    .example = "规章\n000",
    .check = check_gid207,
};

/*  ------------------------------------------------------------------ */

static void
check_gid208 (const gl_doc_t *doc, gl_emit_t *out)
{
    const gl_table_t *t = gl_doc_table (doc, GL_SEC_2);
    if (!t)
        return;
    for (size_t h = 0; h < t->n_headers; h++) {
        const char *s = t->headers[h].text;
        if (!strstr (s, "金额") || strstr (s, "万元") || !strstr (s, "元"))
            continue;
        gl_where_t w = GL_WHERE_SPAN (t->headers[h].span);
        w.table = GL_SEC_2;
        w.expected = GL_STR ("万元");
        GL_EMIT (out, &gl_rule_gid208, &w,
                 "金额栏“%s”的单位不是格式规定的“万元”，请换算为万元",
                 "the amount column \"%s\" is not in 万元 as the format says; "
                 "convert to 万元", s);
    }
    gl_edition_t ed = gl_doc_edition (doc);
    for (size_t r = 0; r < t->n_rows; r++) {
        const gl_row_t *row = &t->rows[r];
        if (!GL_ROW_COMPLETE (row))
            continue;
        for (size_t c = 0; c < row->n_cells; c++) {
            const gl_cell_t *cell = &row->cells[c];
            const char *dot = strchr (cell->text, '.');
            if (!gl_canon_is_money (row->id, ed, c) || !dot
                || strlen (dot + 1) <= 4)
                continue;
            gl_where_t w = s_cell_where (row, GL_SEC_2, cell->span, (int) c);
            GL_EMIT (out, &gl_rule_gid208, &w,
                     "金额“%s”超过4位小数，单位应为万元（可能按元填报）",
                     "the amount \"%s\" has more than 4 decimals; the unit is "
                     "万元 (was it entered in 元?)", cell->text);
        }
    }
}

const gl_rule_t gl_rule_gid208 = {
    .code = "GID208",
    .name = "fee-unit",
    .severity = GL_SEV_INFO,
    .summary_zh = "金额单位或精度与格式不符",
    .summary_en = "a money cell's unit or precision differs from the format",
    .doc_zh = "收费金额、采购总金额以万元为单位。表头写成“元”，或金额小数超过4位（即精确到"
              "不足1元），多半是按元填报，与其他机关汇总时会相差一万倍。",
    .doc_en = "Fees and procurement amounts are in 万元 (10,000 yuan). A "
              "header in 元, or an amount with more than four decimals (finer "
              "than one yuan), was most likely entered in yuan, and is off by "
              "10,000 when aggregated.",
    .example = "本年收费金额（单位：元）",
    .check = check_gid208,
};
