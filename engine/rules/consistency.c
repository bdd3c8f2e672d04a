/*  consistency.c: GID4xx, what the prose says against the tables, and the
 *  years of the report against each other.
 *
 *  The narrative (section 一, and 五, 六 and the lines before section 二)
 *  restates figures of the tables: applications received, how they were
 *  answered, reviews and suits.  gl_facts_scan() finds those statements;
 *  the checks here hold each one against the table cell it restates.  A
 *  figure is compared only with a table row that is present and complete
 *  and whose cells are whole numbers: a broken table is reported by the
 *  GID2xx rules, and comparing with it would only add noise.
 */
#include "gl_internal.h"
#include "gl_facts.h"

#include <string.h>

/*  ---------------------------------------------------------------------
 *  Shared helpers.                                                        */

/*  True if a paragraph is narrative whose figures restate the tables:
 *  sections 一, 五, 六, and text before section 二.                        */
static bool
s_in_scope (const gl_doc_t *doc, const gl_para_t *p)
{
    switch (p->section) {
    case GL_SEC_1:
    case GL_SEC_5:
    case GL_SEC_6:
        return true;
    case GL_SEC_NONE: {
        const gl_section_t *two = gl_doc_section (doc, GL_SEC_2);
        return !two || !two->present || p->span.start < two->heading.start;
    }
    default:
        return false;
    }
}

/*  Scans every paragraph in scope with fn.                                 */
static void
s_scan_narrative (const gl_doc_t *doc, gl_fact_fn *fn, void *ctx)
{
    size_t n;
    const gl_doc_fact_t *facts = gl_doc_facts (doc, &n);
    for (size_t i = 0; i < n; i++)
        if (s_in_scope (doc, facts[i].para))
            fn (&facts[i].fact, ctx);
}

/*  The sum of column col over rows first..last, each present, complete and
 *  whole in that column; false if any is not.                              */
static bool
s_cells (const gl_doc_t *doc, gl_row_id_t first, gl_row_id_t last, size_t col,
         int64_t *sum)
{
    *sum = 0;
    for (int id = first; id <= (int) last; id++) {
        const gl_row_t *row = gl_doc_row (doc, (gl_row_id_t) id);
        if (!row || !GL_ROW_COMPLETE (row) || col >= row->n_cells
            || row->cells[col].kind != GL_CELL_INT)
            return false;
        *sum += row->cells[col].ival;
    }
    return true;
}

/*  What a table says about one kind of fact, and how to name the place.   */
typedef struct {
    int64_t value;
    gl_section_id_t table;
    gl_row_id_t row;            /* GL_ROW_UNKNOWN when a sum of rows         */
    int column;                 /* -1 when a sum of columns                  */
    const char *what_zh;        /* what the prose states                     */
    const char *what_en;
    const char *place_zh;       /* where the table states it                 */
    const char *place_en;
} s_target_t;

/*  Section 三 rows an answer kind is counted in, total column.            */
static bool
s_answer_target (const gl_doc_t *doc, gl_answer_t answer, s_target_t *t)
{
    static const struct {
        gl_row_id_t first, last;
        const char *what_zh, *what_en, *place_zh, *place_en;
    } rows[] = {
        [GL_ANS_GRANTED] = {
            GL_R3_GRANTED, GL_R3_GRANTED, "予以公开", "granted",
            "第三部分表格“（一）予以公开”的总计",
            "the table (section 三, row （一） granted, total)" },
        [GL_ANS_PARTIAL] = {
            GL_R3_PARTIAL, GL_R3_PARTIAL, "部分公开", "partly granted",
            "第三部分表格“（二）部分公开”的总计",
            "the table (section 三, row （二） partly granted, total)" },
        [GL_ANS_DENIED] = {
            GL_R3_DENIED_1, GL_R3_DENIED_8, "不予公开", "denied",
            "第三部分表格“（三）不予公开”第1至8项总计之和",
            "the table (section 三, rows （三） 1-8 denied, sum of totals)" },
        [GL_ANS_UNABLE] = {
            GL_R3_UNABLE_1, GL_R3_UNABLE_3, "无法提供", "unable to provide",
            "第三部分表格“（四）无法提供”第1至3项总计之和",
            "the table (section 三, rows （四） 1-3 unable to provide, sum "
            "of totals)" },
        [GL_ANS_NOT_EXIST] = {
            GL_R3_UNABLE_1, GL_R3_UNABLE_1, "信息不存在（本机关不掌握）",
            "information not held",
            "第三部分表格“（四）无法提供 1.本机关不掌握相关政府信息”的总计",
            "the table (section 三, row （四）1 information not held, "
            "total)" },
        [GL_ANS_NOT_HANDLED] = {
            GL_R3_NOT_HANDLED_1, GL_R3_NOT_HANDLED_5, "不予处理",
            "not handled",
            "第三部分表格“（五）不予处理”第1至5项总计之和",
            "the table (section 三, rows （五） 1-5 not handled, sum of "
            "totals)" },
    };
    if ((unsigned) answer >= sizeof rows / sizeof rows[0])
        return false;
    if (!s_cells (doc, rows[answer].first, rows[answer].last, GL_C3_TOTAL,
                  &t->value))
        return false;
    bool one = rows[answer].first == rows[answer].last;
    t->table = GL_SEC_3;
    t->row = one ? rows[answer].first : GL_ROW_UNKNOWN;
    t->column = one ? GL_C3_TOTAL : -1;
    t->what_zh = rows[answer].what_zh;
    t->what_en = rows[answer].what_en;
    t->place_zh = rows[answer].place_zh;
    t->place_en = rows[answer].place_en;
    return true;
}

/*  The table figure a fact of the given kind restates; false when the
 *  table cannot say.  Negations map to the figure they deny.              */
static bool
s_target (const gl_doc_t *doc, const gl_fact_t *f, s_target_t *t)
{
    memset (t, 0, sizeof *t);
    switch (f->kind) {
    case GL_FACT_RECEIVED:
    case GL_FACT_RECEIVED_NONE:
        if (!s_cells (doc, GL_R3_NEW, GL_R3_NEW, GL_C3_TOTAL, &t->value))
            return false;
        t->table = GL_SEC_3;
        t->row = GL_R3_NEW;
        t->column = GL_C3_TOTAL;
        t->what_zh = "收到政府信息公开申请";
        t->what_en = "applications received";
        t->place_zh = "第三部分表格“一、本年新收政府信息公开申请数量”的总计";
        t->place_en = "the table (section 三, row 一 new applications, total)";
        return true;
    case GL_FACT_REVIEWS:
    case GL_FACT_REVIEWS_NONE:
        if (!s_cells (doc, GL_R4_ALL, GL_R4_ALL, GL_C4_REVIEW + GL_C4_TOTAL,
                      &t->value))
            return false;
        t->table = GL_SEC_4;
        t->row = GL_R4_ALL;
        t->column = GL_C4_REVIEW + GL_C4_TOTAL;
        t->what_zh = "行政复议";
        t->what_en = "administrative reviews";
        t->place_zh = "第四部分表格“行政复议”的总计";
        t->place_en = "the table (section 四, 行政复议 total)";
        return true;
    case GL_FACT_SUITS:
    case GL_FACT_SUITS_NONE: {
        int64_t direct, after;
        if (!s_cells (doc, GL_R4_ALL, GL_R4_ALL,
                      GL_C4_SUIT_DIRECT + GL_C4_TOTAL, &direct)
            || !s_cells (doc, GL_R4_ALL, GL_R4_ALL,
                         GL_C4_SUIT_AFTER + GL_C4_TOTAL, &after))
            return false;
        t->value = direct + after;
        t->table = GL_SEC_4;
        t->row = GL_R4_ALL;
        t->column = -1;
        t->what_zh = "行政诉讼";
        t->what_en = "lawsuits";
        t->place_zh = "第四部分表格两组“行政诉讼”"
                      "总计之和（未经复议直接起诉与复议后起诉）";
        t->place_en = "the table (section 四, 行政诉讼 totals, sued directly "
                      "plus sued after review)";
        return true;
    }
    case GL_FACT_ANSWER:
        return s_answer_target (doc, f->answer, t);
    default:
        return false;
    }
}

static gl_where_t
s_where (const gl_fact_t *f, const s_target_t *t, int64_t actual)
{
    gl_where_t w = GL_WHERE_SPAN (f->span);
    w.table = t->table;
    w.row = t->row;
    w.column = t->column;
    w.expected = GL_INT (t->value);
    w.actual = GL_INT (actual);
    return w;
}

typedef struct {
    const gl_doc_t *doc;
    gl_emit_t *out;
} s_ctx_t;

/*  ---------------------------------------------------------------------
 *  GID401 narrative-table.                                                */

static void
s_401_fact (const gl_fact_t *f, void *arg)
{
    s_ctx_t *ctx = arg;
    if (f->kind != GL_FACT_RECEIVED && f->kind != GL_FACT_REVIEWS
        && f->kind != GL_FACT_SUITS && f->kind != GL_FACT_ANSWER)
        return;
    s_target_t t;
    if (!s_target (ctx->doc, f, &t) || t.value == f->value)
        return;
    gl_where_t w = s_where (f, &t, f->value);
    GL_EMIT (ctx->out, &gl_rule_gid401, &w,
             "正文称%s%lld件，但%s为%lld；请核对后改正正文或表格，使两者一致",
             "the text says %s: %lld, but %s says %lld; correct the text or "
             "the table so that they agree",
             gl_emit_lang (ctx->out) == GL_LANG_EN ? t.what_en : t.what_zh,
             (long long) f->value,
             gl_emit_lang (ctx->out) == GL_LANG_EN ? t.place_en : t.place_zh,
             (long long) t.value);
}

static void
check_gid401 (const gl_doc_t *doc, gl_emit_t *out)
{
    s_ctx_t ctx = { doc, out };
    s_scan_narrative (doc, s_401_fact, &ctx);
}

const gl_rule_t gl_rule_gid401 = {
    .code = "GID401",
    .name = "narrative-table",
    .severity = GL_SEV_ERROR,
    .summary_zh = "正文所述数字与统计表格不一致",
    .summary_en = "a figure stated in the text contradicts the tables",
    .doc_zh = "报告正文（主要是第一部分“总体情况”）常复述表格中的数字："
              "收到的政府信息公开申请件数、予以公开、部分公开、不予公开、"
              "无法提供、不予处理的件数，以及行政复议、行政诉讼的件数。"
              "本规则把这些数字与第三部分、第四部分表格的对应总计逐一核对，"
              "例如“共收到政府信息公开申请3件”对应第三部分“一、"
              "本年新收政府信息公开申请数量”的总计，“行政复议1件”"
              "对应第四部分“行政复议”的总计。两处不一致时，"
              "公众无法判断哪个数字可信，报告的公信力受损。"
              "请以实际办理台账为准，改正正文或表格中错误的一处。"
              "表格行缺失或数值不完整时不作比较。",
    .doc_en = "The narrative, mostly section 一, restates figures of the "
              "tables: how many disclosure applications were received, how "
              "many were granted, partly granted, denied, could not be "
              "provided or were not handled, and how many administrative "
              "reviews and lawsuits there were. This rule checks each such "
              "figure against the matching total of the section 三 or 四 "
              "table: \"共收到政府信息公开申请3件\" against row 一 (new "
              "applications) of section 三, \"行政复议1件\" against the "
              "行政复议 total of section 四. When the two disagree, readers "
              "cannot tell which to trust. Check the case register and correct "
              "whichever is wrong. Rows that are missing or incomplete are not "
              "compared.",
    .example = "（二）依申请公开。2021年度我镇共接到3次群众主动要求公开政府信息"
               "的申请。（第三部分表格“一、本年新收政府信息公开申请数量”"
               "总计为0）",
    .check = check_gid401,
};

/*  ---------------------------------------------------------------------
 *  GID402 year-mismatch.                                                  */

#define S_MAX_YEARS 16

typedef struct {
    int year[S_MAX_YEARS];
    int count[S_MAX_YEARS];
    size_t n;
} s_years_t;

static void
s_year_count (s_years_t *y, int year)
{
    size_t k = 0;
    while (k < y->n && y->year[k] != year)
        k++;
    if (k == y->n) {
        if (y->n == S_MAX_YEARS)
            return;
        y->year[y->n] = year;
        y->count[y->n++] = 0;
    }
    y->count[k]++;
}

static int
s_year_times (const s_years_t *y, int year)
{
    for (size_t k = 0; k < y->n; k++)
        if (y->year[k] == year)
            return y->count[k];
    return 0;
}

typedef struct {
    const gl_doc_t *doc;
    gl_emit_t *out;
    int report_year;
    s_years_t body;             /* years named in section 一                  */
} s_402_ctx_t;

static void
s_402_fact (const gl_fact_t *f, void *arg)
{
    s_402_ctx_t *ctx = arg;
    if (f->kind == GL_FACT_YEAR
        && gl_doc_section_at (ctx->doc, f->span.start) == GL_SEC_1)
        s_year_count (&ctx->body, (int) f->value);
    if (f->kind != GL_FACT_PERIOD || ctx->report_year <= 0
        || (f->value == ctx->report_year && f->value2 == ctx->report_year))
        return;
    int y = ctx->report_year;
    gl_where_t w = GL_WHERE_SPAN (f->span);
    w.expected = GL_INT (y);
    w.actual = GL_INT (f->value != y ? f->value : f->value2);
    if (f->value == f->value2)
        GL_EMIT (ctx->out, &gl_rule_gid402, &w,
                 "统计期限在%lld年，与报告年度%d年不符；"
                 "应为%d年1月1日至%d年12月31日",
                 "the statistics period is in %lld, but the report is for %d; "
                 "it should run from 1 January %d to 31 December %d",
                 (long long) f->value, y, y, y);
    else
        GL_EMIT (ctx->out, &gl_rule_gid402, &w,
                 "统计期限跨%lld年至%lld年，与报告年度%d年不符；"
                 "应为%d年1月1日至%d年12月31日",
                 "the statistics period runs from %lld to %lld, but the report "
                 "is for %d; it should run from 1 January %d to 31 December %d",
                 (long long) f->value, (long long) f->value2, y, y, y);
}

/*  Where the title names its year: the first "YYYY年" of that year.       */
typedef struct {
    int year;
    bool found;
    gl_span_t span;
} s_title_year_t;

static void
s_title_year_fact (const gl_fact_t *f, void *arg)
{
    s_title_year_t *ty = arg;
    if (f->kind == GL_FACT_YEAR && f->value == ty->year && !ty->found) {
        ty->found = true;
        ty->span = f->span;
    }
}

static void
check_gid402 (const gl_doc_t *doc, gl_emit_t *out)
{
    s_402_ctx_t ctx = { .doc = doc, .out = out,
                        .report_year = gl_doc_year (doc) };
    size_t n;
    const gl_doc_fact_t *facts = gl_doc_facts (doc, &n);
    for (size_t i = 0; i < n; i++)
        s_402_fact (&facts[i].fact, &ctx);

    /* The title against the year section 一 names most.  Only a clear
     * majority counts: reports name other years too ("较2020年"). */
    int title_year = gl_doc_title_year (doc);
    gl_span_t span;
    size_t len;
    const char *text = gl_doc_text (doc, &len);
    if (title_year <= 0 || !gl_doc_title (doc, &span) || span.end > len
        || span.start > span.end)
        return;
    int best = 0, best_n = 0;
    bool tie = false;
    for (size_t k = 0; k < ctx.body.n; k++) {
        if (ctx.body.count[k] > best_n) {
            best = ctx.body.year[k];
            best_n = ctx.body.count[k];
            tie = false;
        } else if (ctx.body.count[k] == best_n)
            tie = true;
    }
    int title_n = s_year_times (&ctx.body, title_year);
    if (tie || best == title_year || best_n < 2 || best_n <= title_n)
        return;
    s_title_year_t ty = { .year = title_year, .span = span };
    gl_facts_scan (text + span.start, span.end - span.start, span.start,
                   s_title_year_fact, &ty);
    gl_where_t w = GL_WHERE_SPAN (ty.span);
    w.expected = GL_INT (best);
    w.actual = GL_INT (title_year);
    if (title_n == 0)
        GL_EMIT (out, &gl_rule_gid402, &w,
                 "标题年份为%d年，但第一部分正文提到%d年%d次，从未提到%d年；"
                 "请核对报告年度，改正标题或正文",
                 "the title names %d, but section 一 names %d %d times and "
                 "never %d; check the report year and correct the title or the "
                 "text",
                 title_year, best, best_n, title_year);
    else
        GL_EMIT (out, &gl_rule_gid402, &w,
                 "标题年份为%d年，但第一部分正文提到%d年%d次，提到%d年仅%d次；"
                 "请核对报告年度，改正标题或正文",
                 "the title names %d, but section 一 names %d %d times and %d "
                 "only %d times; check the report year and correct the title "
                 "or the text",
                 title_year, best, best_n, title_year, title_n);
}

const gl_rule_t gl_rule_gid402 = {
    .code = "GID402",
    .name = "year-mismatch",
    .severity = GL_SEV_WARNING,
    .summary_zh = "标题年份、正文年份与统计期限不一致",
    .summary_en = "the title year, the body's years and the statistics period "
                  "disagree",
    .doc_zh = "年度报告只报告一个自然年。本规则核对三处年份："
              "正文写明的统计期限（如“统计期限为2021年1月1日至2021年12月31日”）"
              "必须正好是报告年度；标题中的年份应与第一部分正文中最常提到的年份"
              "一致。年份不一致多半是套用上一年报告后没有改全，"
              "会让读者误解数据所属的年度。请把统计期限、"
              "标题和正文中的年份统一改为报告年度。"
              "正文中偶尔提到其他年份（如同比、下一年计划）是正常的，"
              "只有某个其他年份明显占多数时才提示。",
    .doc_en = "An annual report covers one calendar year. This rule checks "
              "three places: a statistics period stated in the text "
              "(\"统计期限为2021年1月1日至2021年12月31日\") must be exactly "
              "the report year, and the year in the title should be the year "
              "section 一 names most often. A mismatch usually means last "
              "year's report was reused and not fully updated, and it misleads "
              "readers about which year the figures are for. Make the period, "
              "the title and the text name the report year. Other years "
              "mentioned in passing (comparisons, next year's plans) are "
              "normal; the rule speaks only when another year clearly "
              "dominates.",
    .example = "某镇2021年政府信息公开工作年度报告\n报告中数据统计期限为2020年1"
               "月1日至2020年12月31日。",
    .check = check_gid402,
};

/*  ---------------------------------------------------------------------
 *  GID403 none-but-counted.                                               */

static void
s_403_fact (const gl_fact_t *f, void *arg)
{
    s_ctx_t *ctx = arg;
    if (f->kind != GL_FACT_RECEIVED_NONE && f->kind != GL_FACT_REVIEWS_NONE
        && f->kind != GL_FACT_SUITS_NONE)
        return;
    s_target_t t;
    if (!s_target (ctx->doc, f, &t) || t.value <= 0)
        return;
    size_t len;
    const char *text = gl_doc_text (ctx->doc, &len);
    int n = f->span.end <= len ? (int) (f->span.end - f->span.start) : 0;
    gl_where_t w = s_where (f, &t, 0);
    GL_EMIT (ctx->out, &gl_rule_gid403, &w,
             "正文称“%.*s”（即%s为0），但%s为%lld；请核对后改正正文或表格",
             "the text says \"%.*s\" (no %s), but %s says %lld; correct the "
             "text or the table",
             n, text + f->span.start,
             gl_emit_lang (ctx->out) == GL_LANG_EN ? t.what_en : t.what_zh,
             gl_emit_lang (ctx->out) == GL_LANG_EN ? t.place_en : t.place_zh,
             (long long) t.value);
}

static void
check_gid403 (const gl_doc_t *doc, gl_emit_t *out)
{
    s_ctx_t ctx = { doc, out };
    s_scan_narrative (doc, s_403_fact, &ctx);
}

const gl_rule_t gl_rule_gid403 = {
    .code = "GID403",
    .name = "none-but-counted",
    .severity = GL_SEV_ERROR,
    .summary_zh = "正文称“未收到申请”“未发生复议诉讼”，表格却有数",
    .summary_en = "the text says there were none, but the table counts some",
    .doc_zh = "正文常用否定句概括：“未收到政府信息公开申请”"
              "“没有收到并受理依申请公开案例”“未被提起行政复议、行政诉讼”。"
              "本规则在表格对应的总计大于0时提示：第三部分“一、"
              "本年新收政府信息公开申请数量”的总计、第四部分“行政复议”的总计、"
              "两组“行政诉讼”总计之和。"
              "这种矛盾通常是沿用了往年的表述而表格已经更新（或相反），"
              "读者无从判断真实情况。请以实际办理情况为准，改写正文（写明件数）"
              "或改正表格。正文给出具体件数而与表格不符的情形由GID401检查。",
    .doc_en = "The text often sums up in the negative: "
              "\"未收到政府信息公开申请\" (no applications received), "
              "\"未被提起行政复议、行政诉讼\" (no reviews or lawsuits). This "
              "rule speaks when the matching table total is above zero: row 一 "
              "(new applications) of section 三, the 行政复议 total of section "
              "四, or the two 行政诉讼 totals together. It usually means last "
              "year's wording was kept while the table was updated, or the "
              "reverse. Rewrite the text with the real figures, or correct the "
              "table. A figure that contradicts the table is GID401's concern.",
    .example = "我镇未因政府信息公开申请被提起行政复议、行政诉讼。"
               "（第四部分表格“行政复议”总计为1）",
    .check = check_gid403,
};
