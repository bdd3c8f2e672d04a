/*  test_rules_narrative.c: the narrative rules on whole reports.
 *
 *  GID401 (narrative-table), GID402 (year-mismatch), GID403
 *  (none-but-counted), GID501 (extraction-noise) and GID502 (personal-data)
 *  are run through gl_engine_lint() on tests/fixtures/good_2021.txt, a
 *  complete and consistent report for 2022 on which the engine reports
 *  nothing, edited with string replacements.  Each crafted report states
 *  the exact diagnostics that must come out: code, line and column (found
 *  from a marker string in the edited text, so the cases read as what they
 *  change), expected and actual values, and that nothing else fires.  Each
 *  has a corrected counterpart, or a near miss, on which the rule is silent.
 */
#include "gl_testutil.h"

#define GOOD21 "tests/fixtures/good_2021.txt"
#define NOVAL INT64_MIN

/*  The fixture with edits applied: from, to, from, to, …, NULL.            */
static char *
s_edited (const char *const *edits)
{
    char *text = gl_t_read (GOOD21, NULL);
    for (size_t i = 0; edits && edits[i]; i += 2)
        gl_t_replace (&text, edits[i], edits[i + 1]);
    return text;
}

/*  Line and column (1-based, in characters) of the nth occurrence of
 *  needle in text.                                                        */
static void
s_pos_of (const char *text, const char *needle, int nth, uint32_t *line,
          uint32_t *column)
{
    const char *at = text;
    for (;;) {
        at = strstr (at, needle);
        if (!at)
            fail_msg ("marker not found: %s", needle);
        if (nth-- == 0)
            break;
        at++;
    }
    *line = 1;
    *column = 1;
    for (const char *p = text; p < at; p++) {
        if (*p == '\n') {
            ++*line;
            *column = 1;
        } else if (((unsigned char) *p & 0xC0) != 0x80)
            ++*column;
    }
}

/*  The nth diagnostic with code, or a failure that lists what came out.   */
static const gl_diag_t *
s_nth (const gl_doc_t *doc, const char *code, size_t nth)
{
    size_t n;
    const gl_diag_t *d = gl_doc_diags (doc, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp (d[i].code, code) == 0 && nth-- == 0)
            return &d[i];
    gl_t_dump (doc);
    fail_msg ("no %s diagnostic", code);
    return NULL;
}

/*  Asserts the nth diagnostic of code sits at the nth_at occurrence of
 *  marker in text, with the given expected and actual values (NOVAL: no
 *  values).  Returns it.                                                   */
static const gl_diag_t *
s_expect (const gl_doc_t *doc, const char *text, const char *code,
          size_t nth, const char *marker, int nth_at, int64_t expected,
          int64_t actual)
{
    const gl_diag_t *d = s_nth (doc, code, nth);
    uint32_t line, column;
    s_pos_of (text, marker, nth_at, &line, &column);
    if (d->pos.line != line || d->pos.column != column) {
        gl_t_dump (doc);
        fail_msg ("%s at %u:%u, wanted %u:%u", code, d->pos.line,
                  d->pos.column, line, column);
    }
    if (expected == NOVAL) {
        assert_int_equal (d->expected.kind, GL_VAL_NONE);
        assert_int_equal (d->actual.kind, GL_VAL_NONE);
    } else {
        assert_int_equal (d->expected.kind, GL_VAL_INT);
        assert_int_equal (d->expected.i, expected);
        assert_int_equal (d->actual.kind, GL_VAL_INT);
        assert_int_equal (d->actual.i, actual);
    }
    assert_int_equal (d->severity, d->rule->severity);
    assert_true (d->message && d->message[0]);
    return d;
}

/*  Asserts doc has exactly count diagnostics, all of them of code.        */
static void
s_only (const gl_doc_t *doc, const char *code, size_t count)
{
    if (gl_t_count (doc, code) != count || gl_t_count (doc, NULL) != count) {
        gl_t_dump (doc);
        fail_msg ("wanted %zu × %s and nothing else", count, code);
    }
}

static void
s_silent (const gl_doc_t *doc)
{
    if (gl_t_count (doc, NULL) != 0) {
        gl_t_dump (doc);
        fail_msg ("wanted no diagnostic");
    }
}

/*  ---------------------------------------------------------------------
 *  GID401 narrative-table.                                                */

static void
test_401_received (void **state)
{
    (void) state;
    static const char *const edits[] = {
        "共收到政府信息公开申请13件", "共收到政府信息公开申请15件", NULL
    };
    char *text = s_edited (edits);
    gl_doc_t *doc = gl_t_lint (text);
    s_only (doc, "GID401", 1);
    const gl_diag_t *d = s_expect (doc, text, "GID401", 0, "15件", 0, 13, 15);
    assert_int_equal (d->section, GL_SEC_1);
    assert_int_equal (d->table, GL_SEC_3);
    assert_string_equal (d->row, "一、本年新收政府信息公开申请数量");
    assert_string_equal (d->column, "总计");
    assert_non_null (strstr (d->message, "收到政府信息公开申请15件"));
    assert_non_null (strstr (d->message, "总计为13"));
    gl_doc_destroy (&doc);

    /* In English. */
    doc = gl_t_lint_n (text, strlen (text), GL_LANG_EN);
    d = s_nth (doc, "GID401", 0);
    assert_non_null (strstr (d->message, "applications received: 15"));
    assert_non_null (strstr (d->message, "says 13"));
    gl_doc_destroy (&doc);
    free (text);

    /* The fixture itself says 13 and is silent. */
    text = s_edited (NULL);
    doc = gl_t_lint (text);
    s_silent (doc);
    gl_doc_destroy (&doc);
    free (text);
}

static void
test_401_answers (void **state)
{
    (void) state;
    /* Markers start at the figure and are unique in the edited text. */
    static const struct {
        const char *from, *to, *marker;
        int64_t expected, actual;
        const char *row;
    } cases[] = {
        { "予以公开6件", "予以公开7件", "7件", 6, 7, "（一）予以公开" },
        { "部分公开2件", "部分公开3件", "3件，因", 2, 3,
          "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" },
        { "无法提供3件。", "无法提供4件。", "4件。", 3, 4, NULL },
        { "无法提供3件。", "无法提供3件，不予公开2件。", "2件。", 1, 2, NULL },
        { "无法提供3件。", "无法提供3件，不予处理3件。", "3件。", 1, 3, NULL },
        { "因本机关不掌握相关政府信息无法提供3件",
          "本机关不掌握相关政府信息2件，无法提供3件", "2件，无法", 3, 2,
          "（四）无法提供 1.本机关不掌握相关政府信息" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *edits[] = { cases[i].from, cases[i].to, NULL };
        char *text = s_edited (edits);
        gl_doc_t *doc = gl_t_lint (text);
        s_only (doc, "GID401", 1);
        const gl_diag_t *d = s_expect (doc, text, "GID401", 0,
                                       cases[i].marker, 0,
                                       cases[i].expected, cases[i].actual);
        assert_int_equal (d->pos.line, 9);
        assert_int_equal (d->table, GL_SEC_3);
        if (cases[i].row)
            assert_string_equal (d->row, cases[i].row);
        else
            assert_null (d->row);
        gl_doc_destroy (&doc);
        free (text);
    }
}

static void
test_401_reviews_suits (void **state)
{
    (void) state;
    static const char *const reviews[] = {
        "被申请行政复议2件", "被申请行政复议3件", NULL
    };
    char *text = s_edited (reviews);
    gl_doc_t *doc = gl_t_lint (text);
    s_only (doc, "GID401", 1);
    const gl_diag_t *d = s_expect (doc, text, "GID401", 0, "3件，被提起", 0,
                                   2, 3);
    assert_int_equal (d->table, GL_SEC_4);
    assert_int_equal (d->pos.line, 12);
    gl_doc_destroy (&doc);
    free (text);

    /* Suits: the table has 1 sued directly and 0 after review. */
    static const char *const suits[] = {
        "被提起行政诉讼1件", "被提起行政诉讼2件", NULL
    };
    text = s_edited (suits);
    doc = gl_t_lint (text);
    s_only (doc, "GID401", 1);
    d = s_expect (doc, text, "GID401", 0, "2件。", 0, 1, 2);
    assert_int_equal (d->pos.line, 12);
    assert_int_equal (d->table, GL_SEC_4);
    gl_doc_destroy (&doc);
    free (text);
}

static void
test_401_scope (void **state)
{
    (void) state;
    /* Section 六 is narrative too. */
    static const char *const six[] = {
        "本年度未收取政府信息公开信息处理费。",
        "本年度未收取政府信息公开信息处理费。全年共受理政府信息公开申请12件。",
        NULL
    };
    char *text = s_edited (six);
    gl_doc_t *doc = gl_t_lint (text);
    s_only (doc, "GID401", 1);
    const gl_diag_t *d = s_expect (doc, text, "GID401", 0, "12件", 0, 13, 12);
    assert_int_equal (d->section, GL_SEC_6);
    gl_doc_destroy (&doc);
    free (text);

    /* Last year's figure and an application for review are not this
     * year's applications. */
    static const char *const not_received[] = {
        "本年度未收取政府信息公开信息处理费。",
        "本年度未收取政府信息公开信息处理费。上年共收到政府信息公开申请9件。",
        NULL
    };
    text = s_edited (not_received);
    doc = gl_t_lint (text);
    s_silent (doc);
    gl_doc_destroy (&doc);
    free (text);

    /* A row with a lost cell is not compared (GID205 reports it). */
    static const char *const broken[] = {
        "共收到政府信息公开申请13件", "共收到政府信息公开申请15件",
        "数量\t10\t2\t0\t0\t1\t0\t13", "数量\t10\t2\t0\t0\t1\t13", NULL
    };
    text = s_edited (broken);
    doc = gl_t_lint (text);
    assert_int_equal (gl_t_count (doc, "GID401"), 0);
    assert_true (gl_t_count (doc, "GID205") > 0);
    gl_doc_destroy (&doc);
    free (text);
}

/*  The real seed 002: its text says 3 applications, its table 0.          */
static void
test_401_seed002 (void **state)
{
    (void) state;
    char *text = gl_t_read ("examples/reports/002_0717abcba8b88f39.txt", NULL);
    gl_doc_t *doc = gl_t_lint (text);
    assert_int_equal (gl_t_count (doc, "GID401"), 1);
    assert_int_equal (gl_t_count (doc, "GID403"), 0);
    const gl_diag_t *d = s_expect (doc, text, "GID401", 0, "3次", 0, 0, 3);
    assert_int_equal (d->pos.line, 13);
    assert_int_equal (d->pos.column, 28);
    gl_doc_destroy (&doc);
    free (text);
}

/*  ---------------------------------------------------------------------
 *  GID402 year-mismatch.                                                  */

static void
test_402_period (void **state)
{
    (void) state;
    static const char *const last_year[] = {
        "统计期限为2022年1月1日至2022年12月31日",
        "统计期限为2021年1月1日至2021年12月31日", NULL
    };
    char *text = s_edited (last_year);
    gl_doc_t *doc = gl_t_lint (text);
    s_only (doc, "GID402", 1);
    const gl_diag_t *d = s_expect (doc, text, "GID402", 0, "2021年1月1日", 0,
                                   2022, 2021);
    assert_int_equal (d->pos.line, 3);
    assert_non_null (strstr (d->message, "2022年1月1日至2022年12月31日"));
    gl_doc_destroy (&doc);
    free (text);

    static const char *const spans_two[] = {
        "至2022年12月31日", "至2023年12月31日", NULL
    };
    text = s_edited (spans_two);
    doc = gl_t_lint (text);
    s_only (doc, "GID402", 1);
    s_expect (doc, text, "GID402", 0, "2022年1月1日", 0, 2022, 2023);
    gl_doc_destroy (&doc);
    free (text);
}

static void
test_402_title (void **state)
{
    (void) state;
    /* The title says 2023; the period and section 一 (three times) say
     * 2022. */
    static const char *const edits[] = {
        "办公室2022年政府信息公开工作年度报告",
        "办公室2023年政府信息公开工作年度报告", NULL
    };
    char *text = s_edited (edits);
    gl_doc_t *doc = gl_t_lint (text);
    s_only (doc, "GID402", 2);
    const gl_diag_t *d = s_expect (doc, text, "GID402", 0, "2023", 0, 2022,
                                   2023);
    assert_int_equal (d->pos.line, 1);
    assert_non_null (strstr (d->message, "2022年3次"));
    d = s_expect (doc, text, "GID402", 1, "2022年1月1日", 0, 2023, 2022);
    assert_int_equal (d->pos.line, 3);
    gl_doc_destroy (&doc);
    free (text);
}

static void
test_402_other_years_are_fine (void **state)
{
    (void) state;
    /* Other years named in passing, even twice, do not outweigh 2022. */
    static const char *const edits[] = {
        "持续推进政务公开工作。",
        "持续推进政务公开工作，较2021年有较大提升，2021年的问题已整改。",
        "加强业务培训。", "加强业务培训，2023年将继续完善。", NULL
    };
    char *text = s_edited (edits);
    gl_doc_t *doc = gl_t_lint (text);
    s_silent (doc);
    gl_doc_destroy (&doc);
    free (text);
}

/*  ---------------------------------------------------------------------
 *  GID403 none-but-counted.                                               */

static void
test_403_suits (void **state)
{
    (void) state;
    static const char *const edits[] = {
        "被提起行政诉讼1件", "未被提起行政诉讼", NULL
    };
    char *text = s_edited (edits);
    gl_doc_t *doc = gl_t_lint (text);
    s_only (doc, "GID403", 1);
    const gl_diag_t *d = s_expect (doc, text, "GID403", 0, "未被提起", 0, 1,
                                   0);
    assert_int_equal (d->pos.line, 12);
    assert_int_equal (d->table, GL_SEC_4);
    assert_non_null (strstr (d->message, "未被提起行政诉讼"));
    gl_doc_destroy (&doc);
    free (text);
}

static void
test_403_both (void **state)
{
    (void) state;
    static const char *const edits[] = {
        "2022年本机关被申请行政复议2件，被提起行政诉讼1件。",
        "2022年本机关未被申请行政复议，也未被提起行政诉讼。", NULL
    };
    char *text = s_edited (edits);
    gl_doc_t *doc = gl_t_lint (text);
    s_only (doc, "GID403", 2);
    s_expect (doc, text, "GID403", 0, "未被申请", 0, 2, 0);
    s_expect (doc, text, "GID403", 1, "也未被提起", 0, 1, 0);
    gl_doc_destroy (&doc);
    free (text);

    /* Corrected: the section 四 table says none either. */
    static const char *const fixed[] = {
        "2022年本机关被申请行政复议2件，被提起行政诉讼1件。",
        "2022年本机关未被申请行政复议，也未被提起行政诉讼。",
        "1\t0\t0\t1\t2\t1\t0\t0\t0\t1\t0\t0\t0\t0\t0",
        "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0", NULL
    };
    text = s_edited (fixed);
    doc = gl_t_lint (text);
    s_silent (doc);
    gl_doc_destroy (&doc);
    free (text);
}

static void
test_403_received (void **state)
{
    (void) state;
    static const char *const edits[] = {
        "2022年共收到政府信息公开申请13件，", "2022年未收到政府信息公开申请，",
        NULL
    };
    char *text = s_edited (edits);
    gl_doc_t *doc = gl_t_lint (text);
    s_only (doc, "GID403", 1);
    const gl_diag_t *d = s_expect (doc, text, "GID403", 0, "未收到", 0, 13,
                                   0);
    assert_int_equal (d->table, GL_SEC_3);
    assert_string_equal (d->row, "一、本年新收政府信息公开申请数量");
    gl_doc_destroy (&doc);
    free (text);
}

/*  Seeds 002, 003 and 004 deny reviews, suits or applications, and their
 *  tables are all zero.                                                  */
static void
test_403_seeds_silent (void **state)
{
    (void) state;
    static const char *const seeds[] = {
        "examples/reports/002_0717abcba8b88f39.txt",
        "examples/reports/003_a4a657e448f740f7.txt",
        "examples/reports/004_23d5930e45ca0162.txt",
    };
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        char *text = gl_t_read (seeds[i], NULL);
        gl_doc_t *doc = gl_t_lint (text);
        assert_int_equal (gl_t_count (doc, "GID403"), 0);
        assert_int_equal (gl_t_count (doc, "GID402"), 0);
        assert_int_equal (gl_t_count (doc, "GID502"), 0);
        gl_doc_destroy (&doc);
        free (text);
    }
}

/*  ---------------------------------------------------------------------
 *  GID501 extraction-noise.                                               */

static void
test_501_seed_like (void **state)
{
    (void) state;
    /* What seed 002 has in section 一: a placeholder, OCR garbage, a
     * stray page number. */
    static const char *const edits[] = {
        "持续推进政务公开工作。\n",
        "持续推进政务公开工作。\n[image: image2.png]25 | TEEM \"HEHRIGE\" B\n5\n",
        NULL
    };
    char *text = s_edited (edits);
    gl_doc_t *doc = gl_t_lint (text);
    s_only (doc, "GID501", 3);
    const gl_diag_t *d = s_expect (doc, text, "GID501", 0, "[image:", 0,
                                   NOVAL, NOVAL);
    assert_int_equal (d->pos.line, 8);
    assert_int_equal (d->pos.end_column, 20);
    assert_non_null (strstr (d->message, "[image: image2.png]"));
    d = s_expect (doc, text, "GID501", 1, "25 |", 0, NOVAL, NOVAL);
    assert_int_equal (d->pos.end_line, 8);
    assert_non_null (strstr (d->message, "TEEM"));
    d = s_expect (doc, text, "GID501", 2, "5\n（一）", 0, NOVAL, NOVAL);
    assert_int_equal (d->pos.line, 9);
    gl_doc_destroy (&doc);
    free (text);
}

static void
test_501_markers (void **state)
{
    (void) state;
    static const struct {
        const char *from, *to, *marker;
    } cases[] = {
        { "持续推进政务公开工作。", "持续推进政务公开工作。[bookmark: _GoBack]",
          "[bookmark" },
        { "优化栏目设置。", "优化栏目设置。<img src=\"media/a.png\"/>", "<img" },
        { "加强业务培训。", "加强业务培训。![](media/image3.png)", "![" },
        { "本年度未收取", "[pic]本年度未收取", "[pic]" },
        /* In a table section too, on a line of its own. */
        { "第二十条第（八）项\n", "第二十条第（八）项\n[image: table.png]\n",
          "[image" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *edits[] = { cases[i].from, cases[i].to, NULL };
        char *text = s_edited (edits);
        gl_doc_t *doc = gl_t_lint (text);
        assert_int_equal (gl_t_count (doc, "GID501"), 1);
        s_expect (doc, text, "GID501", 0, cases[i].marker, 0, NOVAL, NOVAL);
        if (i < 4)
            s_only (doc, "GID501", 1);
        gl_doc_destroy (&doc);
        free (text);
    }
}

static void
test_501_not_debris (void **state)
{
    (void) state;
    static const char *const cases[][2] = {
        /* A list number on its own line. */
        { "一是政策解读形式较为单一；", "1\n政策解读形式较为单一；" },
        /* A figure wrapped onto its own line. */
        { "本年度未收取政府信息公开信息处理费。",
          "本年度主动公开信息\n49\n条。本年度未收取政府信息公开信息处理费。" },
        /* A web address, a Markdown rule, English words, a phone in
         * an office number. */
        { "优化栏目设置。\n",
          "优化栏目设置。\nhttp://www.qingshan.gov.cn/zwgk/index_1.html\n"
          "---\n"
          "LED显示屏、APP、Email同步发布。\n" },
        { "本年度未收取政府信息公开信息处理费。",
          "本年度未收取政府信息公开信息处理费。咨询电话：0531-88886666。" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *edits[] = { cases[i][0], cases[i][1], NULL };
        char *text = s_edited (edits);
        gl_doc_t *doc = gl_t_lint (text);
        if (gl_t_count (doc, "GID501") || gl_t_count (doc, "GID502")) {
            gl_t_dump (doc);
            fail_msg ("case %zu: unexpected GID501/GID502", i);
        }
        gl_doc_destroy (&doc);
        free (text);
    }
}

/*  ---------------------------------------------------------------------
 *  GID502 personal-data.                                                  */

static void
test_502_fires (void **state)
{
    (void) state;
    static const struct {
        const char *to, *marker, *masked, *full;
    } cases[] = {
        { "优化栏目设置。联系电话13812345678。", "138123", "138****5678",
          "13812345678" },
        { "优化栏目设置。联系人手机：139-2345-6789。", "139-", "139****6789",
          "2345" },
        { "优化栏目设置。申请人身份证号11010519491231002X。", "110105",
          "110105********002X", "19491231" },
        { "优化栏目设置。身份证号码：440304200002291236", "440304",
          "440304********1236", "20000229" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *edits[] = { "优化栏目设置。", cases[i].to, NULL };
        char *text = s_edited (edits);
        for (int lang = 0; lang < 2; lang++) {
            gl_doc_t *doc = gl_t_lint_n (text, strlen (text),
                                         (gl_lang_t) lang);
            s_only (doc, "GID502", 1);
            const gl_diag_t *d = s_expect (doc, text, "GID502", 0,
                                           cases[i].marker, 0, NOVAL, NOVAL);
            assert_int_equal (d->pos.line, 11);
            assert_non_null (strstr (d->message, cases[i].masked));
            assert_null (strstr (d->message, cases[i].full));
            gl_doc_destroy (&doc);
        }
        free (text);
    }
}

static void
test_502_silent (void **state)
{
    (void) state;
    static const char *const cases[] = {
        /* Check digit wrong, birth date impossible. */
        "优化栏目设置。编号110105194912310021。",
        "优化栏目设置。编号110105194902300027。",
        /* Not a mobile prefix; part of a longer run of digits. */
        "优化栏目设置。热线12345678901。",
        "优化栏目设置。文号138123456789。",
        "优化栏目设置。流水号2022138123456780。",
        /* Office numbers. */
        "优化栏目设置。电话0531-88886666、12345。",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *edits[] = { "优化栏目设置。", cases[i], NULL };
        char *text = s_edited (edits);
        gl_doc_t *doc = gl_t_lint (text);
        if (gl_t_count (doc, NULL)) {
            gl_t_dump (doc);
            fail_msg ("case %zu: wanted no diagnostic", i);
        }
        gl_doc_destroy (&doc);
        free (text);
    }
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_401_received),
        cmocka_unit_test (test_401_answers),
        cmocka_unit_test (test_401_reviews_suits),
        cmocka_unit_test (test_401_scope),
        cmocka_unit_test (test_401_seed002),
        cmocka_unit_test (test_402_period),
        cmocka_unit_test (test_402_title),
        cmocka_unit_test (test_402_other_years_are_fine),
        cmocka_unit_test (test_403_suits),
        cmocka_unit_test (test_403_both),
        cmocka_unit_test (test_403_received),
        cmocka_unit_test (test_403_seeds_silent),
        cmocka_unit_test (test_501_seed_like),
        cmocka_unit_test (test_501_markers),
        cmocka_unit_test (test_501_not_debris),
        cmocka_unit_test (test_502_fires),
        cmocka_unit_test (test_502_silent),
    };
    return cmocka_run_group_tests_name ("rules_narrative", tests, NULL, NULL);
}
