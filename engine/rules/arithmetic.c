/*  arithmetic.c: GID3xx, the identities the format prints.
 *
 *  Every identity is "a cell equals a sum of cells".  One helper,
 *  s_check_sum(), checks them all: it skips an identity whose cells are not
 *  all present, placed and whole (GID203/205/206 report those), so one
 *  defect does not cascade into many.
 */
#include "gl_internal.h"
#include "gl_facts.h"

#include <string.h>

/*  A term of a sum: a row of the table and a column.                       */
typedef struct {
    gl_row_id_t row;
    int col;
} gl_term_t;

/*  Reads the whole value of a term; false if it cannot be used.           */
static bool
s_value (const gl_doc_t *doc, gl_term_t t, int64_t *v, const gl_cell_t **cell)
{
    const gl_row_t *row = gl_doc_row (doc, t.row);
    if (!row || !GL_ROW_COMPLETE (row) || (size_t) t.col >= row->n_cells)
        return false;
    const gl_cell_t *c = &row->cells[t.col];
    if (c->kind != GL_CELL_INT)
        return false;
    *v = c->ival;
    if (cell)
        *cell = c;
    return true;
}

static bool
s_sum (const gl_doc_t *doc, const gl_term_t *terms, size_t n, int64_t *sum)
{
    *sum = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t v;
        if (!s_value (doc, terms[i], &v, NULL))
            return false;
        *sum += v;
    }
    return true;
}

/*  Checks total == Σ terms.  On a mismatch emits at the total's cell with
 *  expected = the sum and actual = the total, through emit_fn.             */
typedef void gl_sum_msg_fn (gl_emit_t *out, const gl_rule_t *rule,
                            gl_where_t *w, const gl_doc_t *doc);

static void
s_check_sum (const gl_doc_t *doc, gl_emit_t *out, const gl_rule_t *rule,
             gl_section_id_t table, gl_term_t total, const gl_term_t *terms,
             size_t n, gl_sum_msg_fn *msg)
{
    int64_t sum, actual;
    const gl_cell_t *cell;
    if (!s_value (doc, total, &actual, &cell) || !s_sum (doc, terms, n, &sum)
        || sum == actual)
        return;
    gl_where_t w = GL_WHERE_SPAN (cell->span);
    w.table = table;
    w.row = total.row;
    w.column = total.col;
    w.expected = GL_INT (sum);
    w.actual = GL_INT (actual);
    msg (out, rule, &w, doc);
}

static const char *
s_col (const gl_doc_t *doc, const gl_where_t *w, gl_lang_t lang)
{
    const char *c = gl_column_label (w->row, gl_doc_edition (doc),
                                     (size_t) w->column, lang);
    return c ? c : "";
}

/*  ------------------------------------------------------------------ */

static void
s_msg_301 (gl_emit_t *out, const gl_rule_t *rule, gl_where_t *w,
           const gl_doc_t *doc)
{
    const gl_row_info_t *info = gl_row_info (w->row);
    GL_EMIT (out, rule, w,
             "“%s”一行的总计为%lld，但六类申请人之和为%lld，总计应改为%lld",
             "row \"%s\": total is %lld but the six applicant columns add up "
             "to %lld; the total should be %lld",
             gl_emit_lang (out) == GL_LANG_EN ? info->short_en : info->label,
             (long long) w->actual.i, (long long) w->expected.i,
             (long long) w->expected.i);
    (void) doc;
}

static void
check_gid301 (const gl_doc_t *doc, gl_emit_t *out)
{
    for (int id = GL_R3_NEW; id <= GL_R3_CARRY_OVER; id++) {
        gl_term_t terms[6];
        for (int c = 0; c < 6; c++)
            terms[c] = (gl_term_t) { (gl_row_id_t) id, c };
        s_check_sum (doc, out, &gl_rule_gid301, GL_SEC_3,
                     (gl_term_t) { (gl_row_id_t) id, GL_C3_TOTAL }, terms, 6,
                     s_msg_301);
    }
}

const gl_rule_t gl_rule_gid301 = {
    .code = "GID301",
    .name = "row-total",
    .severity = GL_SEV_ERROR,
    .summary_zh = "第三部分某行总计不等于各类申请人之和",
    .summary_en = "section 三: a row's total is not the sum of its applicants",
    .doc_zh = "第三部分表格每一行的“总计”列应等于自然人和五类法人或其他组织（商业企业、"
              "科研机构、社会公益组织、法律服务机构、其他）六列之和。",
    .doc_en = "In every row of the section 三 table, the 总计 column is the "
              "sum of the six applicant columns (natural persons and five "
              "kinds of organisation).",
    .example = "一、本年新收政府信息公开申请数量\t5\t1\t0\t0\t0\t0\t5",
    .check = check_gid301,
};

/*  ------------------------------------------------------------------ */

/*  The outcome rows that （七）总计 adds up, for the doc's edition.        */
static size_t
s_outcome_rows (const gl_doc_t *doc, gl_row_id_t rows[24])
{
    size_t n = 0;
    for (int id = GL_R3_GRANTED; id <= GL_R3_NOT_HANDLED_5; id++)
        rows[n++] = (gl_row_id_t) id;
    bool single = gl_doc_edition (doc) == GL_EDITION_2019
                  || (gl_doc_edition (doc) == GL_EDITION_UNKNOWN
                      && gl_doc_row (doc, GL_R3_OTHER));
    if (single)
        rows[n++] = GL_R3_OTHER;
    else
        for (int id = GL_R3_OTHER_1; id <= GL_R3_OTHER_3; id++)
            rows[n++] = (gl_row_id_t) id;
    return n;
}

static void
s_msg_302 (gl_emit_t *out, const gl_rule_t *rule, gl_where_t *w,
           const gl_doc_t *doc)
{
    GL_EMIT (out, rule, w,
             "（七）总计的“%s”列为%lld，但（一）至（六）各项之和为%lld，应改为%lld",
             "（七）总计, column \"%s\": %lld, but items （一） to （六） add up "
             "to %lld; it should be %lld",
             s_col (doc, w, gl_emit_lang (out)), (long long) w->actual.i,
             (long long) w->expected.i, (long long) w->expected.i);
}

static void
check_gid302 (const gl_doc_t *doc, gl_emit_t *out)
{
    gl_row_id_t rows[24];
    size_t n = s_outcome_rows (doc, rows);
    for (int c = 0; c < GL_C3_COUNT; c++) {
        gl_term_t terms[24];
        for (size_t i = 0; i < n; i++)
            terms[i] = (gl_term_t) { rows[i], c };
        s_check_sum (doc, out, &gl_rule_gid302, GL_SEC_3,
                     (gl_term_t) { GL_R3_TOTAL, c }, terms, n, s_msg_302);
    }
}

const gl_rule_t gl_rule_gid302 = {
    .code = "GID302",
    .name = "outcome-total",
    .severity = GL_SEV_ERROR,
    .summary_zh = "第三部分（七）总计不等于（一）至（六）之和",
    .summary_en = "section 三: （七）总计 is not the sum of （一） to （六）",
    .doc_zh = "“三、本年度办理结果”中，（七）总计的每一列应等于（一）予以公开、（二）部分公开、"
              "（三）不予公开各项、（四）无法提供各项、（五）不予处理各项与（六）其他处理"
              "（2021年版为其三项）之和。",
    .doc_en = "Under 三、本年度办理结果, every column of （七）总计 is the sum "
              "of （一） granted, （二） partly granted, the items of （三） "
              "denied, （四） unable to provide, （五） not handled and （六） "
              "other handling (its three items in the 2021 edition).",
    .example = "（一）予以公开\t2 … （七）总计\t3（其余各项均为0）",
    .check = check_gid302,
};

/*  ------------------------------------------------------------------ */

static void
check_gid303 (const gl_doc_t *doc, gl_emit_t *out)
{
    for (int c = 0; c < GL_C3_COUNT; c++) {
        int64_t a, b, t, k;
        const gl_cell_t *cell;
        if (!s_value (doc, (gl_term_t) { GL_R3_NEW, c }, &a, NULL)
            || !s_value (doc, (gl_term_t) { GL_R3_CARRIED, c }, &b, NULL)
            || !s_value (doc, (gl_term_t) { GL_R3_TOTAL, c }, &t, NULL)
            || !s_value (doc, (gl_term_t) { GL_R3_CARRY_OVER, c }, &k, &cell)
            || a + b == t + k)
            continue;
        gl_where_t w = GL_WHERE_SPAN (cell->span);
        w.table = GL_SEC_3;
        w.row = GL_R3_CARRY_OVER;
        w.column = c;
        w.expected = GL_INT (a + b);
        w.actual = GL_INT (t + k);
        GL_EMIT (out, &gl_rule_gid303, &w,
                 "“%s”列不平衡：一＋二＝%lld＋%lld＝%lld，三（七）总计＋四＝%lld＋%lld＝%lld，"
                 "两者应相等",
                 "column \"%s\" does not balance: 一 + 二 = %lld + %lld = %lld, "
                 "but 三（七）总计 + 四 = %lld + %lld = %lld",
                 s_col (doc, &w, gl_emit_lang (out)), (long long) a,
                 (long long) b, (long long) (a + b), (long long) t,
                 (long long) k, (long long) (t + k));
    }
}

const gl_rule_t gl_rule_gid303 = {
    .code = "GID303",
    .name = "balance",
    .severity = GL_SEV_ERROR,
    .summary_zh = "第三部分收支不平衡（一＋二≠三＋四）",
    .summary_en = "section 三: 一 + 二 ≠ 三（七） + 四",
    .doc_zh = "表中注明“本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和”："
              "每一列的本年新收与上年结转之和，应等于本年办理结果总计与结转下年度继续办理之和。",
    .doc_en = "The table itself states the identity: in every column, new "
              "applications plus those carried over from last year equal the "
              "year's outcomes (（七）总计) plus those carried over to next "
              "year.",
    .example = "一、本年新收…\t3 … 二、上年结转…\t0 … （七）总计\t2 … 四、结转下年度继续办理\t0",
    .check = check_gid303,
};

/*  ------------------------------------------------------------------ */

static void
s_msg_group (gl_emit_t *out, const gl_rule_t *rule, gl_where_t *w,
             const gl_doc_t *doc)
{
    GL_EMIT (out, rule, w,
             "“%s”为%lld，但结果维持、结果纠正、其他结果、尚未审结四项之和为%lld，应改为%lld",
             "\"%s\" is %lld but upheld, corrected, other and pending add up to "
             "%lld; it should be %lld",
             s_col (doc, w, gl_emit_lang (out)), (long long) w->actual.i,
             (long long) w->expected.i, (long long) w->expected.i);
}

static void
s_check_group (const gl_doc_t *doc, gl_emit_t *out, const gl_rule_t *rule,
               int base)
{
    gl_term_t terms[4];
    for (int c = 0; c < 4; c++)
        terms[c] = (gl_term_t) { GL_R4_ALL, base + c };
    s_check_sum (doc, out, rule, GL_SEC_4,
                 (gl_term_t) { GL_R4_ALL, base + GL_C4_TOTAL }, terms, 4,
                 s_msg_group);
}

static void
check_gid304 (const gl_doc_t *doc, gl_emit_t *out)
{
    s_check_group (doc, out, &gl_rule_gid304, GL_C4_REVIEW);
}

const gl_rule_t gl_rule_gid304 = {
    .code = "GID304",
    .name = "review-total",
    .severity = GL_SEV_ERROR,
    .summary_zh = "第四部分行政复议总计不等于各结果之和",
    .summary_en = "section 四: the review total is not the sum of its results",
    .doc_zh = "第四部分“行政复议”的总计应等于结果维持、结果纠正、其他结果、尚未审结四项之和。",
    .doc_en = "In section 四, the 行政复议 total is the sum of upheld, "
              "corrected, other results and pending.",
    .example = "行政复议：1 0 0 0 0（总计应为1）",
    .check = check_gid304,
};

static void
check_gid305 (const gl_doc_t *doc, gl_emit_t *out)
{
    s_check_group (doc, out, &gl_rule_gid305, GL_C4_SUIT_DIRECT);
    s_check_group (doc, out, &gl_rule_gid305, GL_C4_SUIT_AFTER);
}

const gl_rule_t gl_rule_gid305 = {
    .code = "GID305",
    .name = "suit-total",
    .severity = GL_SEV_ERROR,
    .summary_zh = "第四部分行政诉讼总计不等于各结果之和",
    .summary_en = "section 四: a lawsuit total is not the sum of its results",
    .doc_zh = "第四部分“行政诉讼”的两组（未经复议直接起诉、复议后起诉）中，每组总计应等于"
              "结果维持、结果纠正、其他结果、尚未审结四项之和。",
    .doc_en = "In section 四, each 行政诉讼 group (sued directly, sued after "
              "review) has a total that is the sum of upheld, corrected, "
              "other results and pending.",
    .example = "未经复议直接起诉：0 0 0 1 0（总计应为1）",
    .check = check_gid305,
};

/*  ------------------------------------------------------------------ */

typedef struct {
    gl_emit_t *out;
} gl_306_ctx_t;

static void
s_itemised (const gl_fact_t *f, void *arg)
{
    gl_306_ctx_t *ctx = arg;
    if (f->kind != GL_FACT_ITEMISED || f->n_parts < 2
        || f->parts_sum == f->value)
        return;
    gl_where_t w = GL_WHERE_SPAN (f->span);
    w.expected = GL_INT (f->value);
    w.actual = GL_INT (f->parts_sum);
    GL_EMIT (ctx->out, &gl_rule_gid306, &w,
             "正文称合计%lld%s，但其中所列%zu项之和为%lld%s",
             "the text gives a whole of %lld%s, but its %zu parts add up to "
             "%lld%s",
             (long long) f->value, f->unit, f->n_parts,
             (long long) f->parts_sum, f->unit);
}

static void
check_gid306 (const gl_doc_t *doc, gl_emit_t *out)
{
    size_t n;
    const gl_doc_fact_t *facts = gl_doc_facts (doc, &n);
    gl_306_ctx_t ctx = { out };
    for (size_t i = 0; i < n; i++)
        s_itemised (&facts[i].fact, &ctx);
}

const gl_rule_t gl_rule_gid306 = {
    .code = "GID306",
    .name = "itemised-sum",
    .severity = GL_SEV_WARNING,
    .summary_zh = "正文中的合计与分项之和不符",
    .summary_en = "the narrative's whole and parts do not add up",
    .doc_zh = "正文常写“合计N条，其中A条、B条……”。分项之和与合计不符，说明其中一个数字写错"
              "或漏列了一项。只有一项“其中”时视为举例，不作核对。",
    .doc_en = "The text often says \"合计N条，其中A条、B条…\" (N in all, of "
              "which A, B…). Parts that do not add up to the whole mean a "
              "wrong figure or a missing item. A single part is taken as an "
              "example and not checked.",
    .example = "主动公开政府信息合计910条。其中政务网站92条，微信566条、微博188条，抖音60条。",
    .check = check_gid306,
};
