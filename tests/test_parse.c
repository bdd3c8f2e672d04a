/*  test_parse.c: the parser reads every layout of the format to the same
 *  model.
 *
 *  One report (the figures of good_2021.txt) is rendered here in each way
 *  reports arrive: one cell per line, tab-separated rows, Markdown pipe
 *  tables with # headings, cells separated by runs of spaces, labels split
 *  over lines, full-width digits and ideographic spaces, thousands
 *  separators, CRLF line ends, a byte-order mark, GB18030.  Every rendering
 *  must lint with no diagnostic at all and give exactly the rendered values.
 *  Then section finding and a few hostile shapes.
 */
#include "gl_testutil.h"

#include <iconv.h>

#include "gl_gen.h"


typedef struct {
    gl_gen_layout_t layout;
    bool fullwidth;             /* values in full-width digits              */
    bool ideo_space;            /* U+3000 around values                     */
    bool split_labels;          /* long labels broken over two lines        */
    bool crlf;
    bool bom;
    bool thousands;             /* 行政许可 1234 written 1,234               */
    bool group_in_cell;         /* "（三）不予公开 1.属于国家秘密" in one cell */
} gl_variant_t;

/*  The figures of the report.                                              */
static const gl_row_id_t s_r2_ids[] = { GL_R2_REGULATION, GL_R2_NORMATIVE,
                                        GL_R2_LICENSING, GL_R2_PENALTY,
                                        GL_R2_COERCION, GL_R2_FEE };
static const int s_r2_n[] = { 3, 3, 1, 1, 1, 1 };
static const int s_r3[25][7] = {
    { 10, 2, 0, 0, 1, 0, 13 }, { 1, 0, 0, 0, 0, 0, 1 }, { 5, 1, 0, 0, 0, 0, 6 },
    { 2, 0, 0, 0, 0, 0, 2 },   { 0 }, { 0 }, { 0 },      { 1, 0, 0, 0, 0, 0, 1 },
    { 0 }, { 0 }, { 0 }, { 0 }, { 2, 1, 0, 0, 0, 0, 3 }, { 0 }, { 0 }, { 0 },
    { 0, 0, 0, 0, 1, 0, 1 },   { 0 }, { 0 }, { 0 }, { 0 }, { 0 }, { 0 },
    { 10, 2, 0, 0, 1, 0, 13 }, { 1, 0, 0, 0, 0, 0, 1 },
};
static const int s_r4[15] = { 1, 0, 0, 1, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0 };

static const char *
s_r2_value (size_t row, int col, const gl_variant_t *v, char *buf)
{
    static const char *const vals[6][3] = {
        { "0", "0", "0" }, { "3", "1", "12" }, { "1234" }, { "8" }, { "0" },
        { "1.25" }
    };
    const char *x = vals[row][col];
    if (row == 2 && v->thousands)
        x = "1,234";
    strcpy (buf, x);
    return buf;
}

/*  Writes a number, in full-width digits if asked.                         */
static const char *
s_num (const char *ascii, const gl_variant_t *v, char *buf)
{
    buf[0] = '\0';
    if (v->ideo_space)
        strcat (buf, "\xe3\x80\x80");
    for (const char *p = ascii; *p; p++) {
        if (v->fullwidth && *p >= '0' && *p <= '9') {
            char fw[4] = { (char) 0xef, (char) 0xbc, (char) (0x90 + (*p - '0')),
                           0 };
            strcat (buf, fw);
        }
        else {
            char c[2] = { *p, 0 };
            strcat (buf, c);
        }
    }
    if (v->ideo_space)
        strcat (buf, "\xe3\x80\x80");
    return buf;
}

/*  Emits one row; long labels are split over two lines if asked.         */
static void
s_row (gl_gen_buf_t *b, const gl_variant_t *v, const char *label,
       const char *const *vals, size_t n)
{
    gl_gen_row (b, v->layout, 4, v->split_labels ? 30 : 0, label, vals, n);
}

static void
s_heading (gl_gen_buf_t *b, const gl_variant_t *v, const char *h)
{
    if (v->layout == GL_GEN_LAYOUT_PIPES)
        gl_gen_put (b, "## ");
    gl_gen_put (b, h);
    gl_gen_put (b, "\n\n");
}

static char *
s_render (const gl_variant_t *v, size_t *len)
{
    gl_gen_buf_t b = { 0 };
    if (v->bom)
        gl_gen_put (&b, "\xef\xbb\xbf");
    if (v->layout == GL_GEN_LAYOUT_PIPES)
        gl_gen_put (&b, "# ");
    gl_gen_put (&b, "青山市青山区人民政府办公室2022年政府信息公开工作年度报告\n\n");
    s_heading (&b, v, "一、总体情况");
    gl_gen_put (&b, "2022年，本机关持续推进政务公开。报告中数据统计期限为2022年1月1日至2022年12月31日。\n"
               "（一）主动公开。全年主动公开政府信息合计120条，其中政府网站80条、政务微信40条。\n"
               "（二）依申请公开。2022年共收到政府信息公开申请13件。\n"
               "（三）政府信息管理。严格执行保密审查制度。\n"
               "（四）平台建设。完善政府信息公开专栏。\n"
               "（五）监督保障。2022年被申请行政复议2件，被提起行政诉讼1件。\n\n");
    s_heading (&b, v, "二、主动公开政府信息情况");
    char bufs[16][64];
    const char *vals[16];
    for (size_t r = 0; r < 6; r++) {
        if (gl_gen_r2_group_2021[r]) {
            s_row (&b, v, gl_gen_r2_group_2021[r], NULL, 0);
            if (v->layout == GL_GEN_LAYOUT_PIPES)
                gl_gen_put (&b, "| --- | --- |\n");
            s_row (&b, v, gl_gen_r2_hdr_2021[r], NULL, 0);
        }
        for (int c = 0; c < s_r2_n[r]; c++) {
            char tmp[32];
            vals[c] = s_num (s_r2_value (r, c, v, tmp), v, bufs[c]);
        }
        s_row (&b, v, gl_gen_r2_label_2021[r], vals, (size_t) s_r2_n[r]);
    }
    gl_gen_put (&b, "\n");
    s_heading (&b, v, "三、收到和处理政府信息公开申请情况");
    s_row (&b, v, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）|申请人情况",
           NULL, 0);
    if (v->layout == GL_GEN_LAYOUT_PIPES)
        gl_gen_put (&b, "| --- | --- |\n");
    s_row (&b, v, "自然人|法人或其他组织|总计", NULL, 0);
    s_row (&b, v, "商业企业|科研机构|社会公益组织|法律服务机构|其他", NULL, 0);
    for (size_t r = 0; r < 25; r++) {
        for (int c = 0; c < 7; c++) {
            char tmp[16];
            snprintf (tmp, sizeof tmp, "%d", s_r3[r][c]);
            vals[c] = s_num (tmp, v, bufs[c]);
        }
        char label[512];
        snprintf (label, sizeof label, "%s", gl_gen_r3_label_2021[r]);
        for (char *p = label; v->group_in_cell && *p; p++)
            if (*p == '|')
                *p = ' ';
        s_row (&b, v, label, vals, 7);
    }
    gl_gen_put (&b, "\n");
    s_heading (&b, v, "四、政府信息公开行政复议、行政诉讼情况");
    s_row (&b, v, "行政复议|行政诉讼", NULL, 0);
    if (v->layout == GL_GEN_LAYOUT_PIPES)
        gl_gen_put (&b, "| --- | --- |\n");
    s_row (&b, v, "结果维持|结果纠正|其他结果|尚未审结|总计|未经复议直接起诉|复议后起诉",
           NULL, 0);
    s_row (&b, v, "结果维持|结果纠正|其他结果|尚未审结|总计|结果维持|结果纠正|其他结果|"
                  "尚未审结|总计", NULL, 0);
    for (int c = 0; c < 15; c++) {
        char tmp[16];
        snprintf (tmp, sizeof tmp, "%d", s_r4[c]);
        vals[c] = s_num (tmp, v, bufs[c]);
    }
    s_row (&b, v, "", vals, 15);
    gl_gen_put (&b, "\n");
    s_heading (&b, v, "五、存在的主要问题及改进情况");
    gl_gen_put (&b, "政策解读形式较为单一。下一步将丰富解读形式。\n\n");
    s_heading (&b, v, "六、其他需要报告的事项");
    gl_gen_put (&b, "本年度未收取信息处理费。\n");
    if (v->crlf) {
        gl_gen_buf_t c = { 0 };
        for (char *p = b.s; *p; p++) {
            char ch[2] = { *p, 0 };
            gl_gen_put (&c, *p == '\n' ? "\r\n" : ch);
        }
        free (b.s);
        b = c;
    }
    *len = b.n;
    return b.s;
}

static void
s_check_values (const gl_doc_t *doc, const gl_variant_t *v)
{
    for (size_t r = 0; r < 6; r++) {
        const gl_row_t *row = gl_doc_row (doc, s_r2_ids[r]);
        assert_non_null (row);
        assert_true (row->label_exact);
        assert_int_equal (row->n_cells, (size_t) s_r2_n[r]);
        for (int c = 0; c < s_r2_n[r]; c++) {
            char tmp[32];
            double want = atof (s_r2_value (r, c, v, tmp));
            if (r == 2)
                want = 1234;
            assert_true (row->cells[c].dval == want);
        }
    }
    for (int id = GL_R3_NEW; id <= GL_R3_CARRY_OVER; id++) {
        if (id == GL_R3_OTHER)
            continue;
        size_t r = (size_t) (id - GL_R3_NEW) - (id > GL_R3_OTHER);
        const gl_row_t *row = gl_doc_row (doc, (gl_row_id_t) id);
        assert_non_null (row);
        assert_true (row->label_exact);
        assert_int_equal (row->n_cells, 7);
        for (int c = 0; c < 7; c++) {
            assert_int_equal (row->cells[c].kind, GL_CELL_INT);
            assert_int_equal (row->cells[c].ival, s_r3[r][c]);
        }
    }
    const gl_row_t *row = gl_doc_row (doc, GL_R4_ALL);
    assert_non_null (row);
    assert_int_equal (row->n_cells, 15);
    for (int c = 0; c < 15; c++)
        assert_int_equal (row->cells[c].ival, s_r4[c]);
    assert_int_equal (gl_doc_edition (doc), GL_EDITION_2021);
    assert_int_equal (gl_doc_year (doc), 2022);
    assert_string_equal (gl_doc_body (doc), "青山市青山区人民政府办公室");
}

static void
s_lint_variant (const gl_variant_t *v, const char *name)
{
    size_t len;
    char *text = s_render (v, &len);
    gl_doc_t *doc = gl_t_lint_n (text, len, GL_LANG_ZH);
    if (gl_t_count (doc, NULL) != 0) {
        print_message ("variant %s:\n", name);
        gl_t_dump (doc);
    }
    assert_int_equal (gl_t_count (doc, NULL), 0);
    s_check_values (doc, v);
    gl_doc_destroy (&doc);
    free (text);
}

static void
test_layout_cell_per_line (void **state)
{
    (void) state;
    s_lint_variant (&(gl_variant_t) { .layout = GL_GEN_LAYOUT_CELLS }, "cell");
    s_lint_variant (&(gl_variant_t) { .layout = GL_GEN_LAYOUT_CELLS, .split_labels = true },
                    "cell+split");
}

static void
test_layout_tabs (void **state)
{
    (void) state;
    s_lint_variant (&(gl_variant_t) { .layout = GL_GEN_LAYOUT_TABS }, "tab");
}

static void
test_layout_markdown_pipes (void **state)
{
    (void) state;
    s_lint_variant (&(gl_variant_t) { .layout = GL_GEN_LAYOUT_PIPES }, "pipe");
}

static void
test_layout_spaces (void **state)
{
    (void) state;
    s_lint_variant (&(gl_variant_t) { .layout = GL_GEN_LAYOUT_SPACES }, "space");
}

static void
test_group_and_item_in_one_cell (void **state)
{
    (void) state;
    s_lint_variant (&(gl_variant_t) { .layout = GL_GEN_LAYOUT_PIPES, .group_in_cell = true },
                    "pipe+group");
    s_lint_variant (&(gl_variant_t) { .layout = GL_GEN_LAYOUT_CELLS, .group_in_cell = true },
                    "cell+group");
}

static void
test_label_forms (void **state)
{
    (void) state;
    /* Labels without their number or their parenthetical note are the
     * format's wording; a changed word is not, and is still read. */
    static const char *const same[][2] = {
        { "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（二）部分公开" },
        { "（一）予以公开", "予以公开" },
        { "\t\t2.重复申请", "\t\t2、重复申请" },
        { "\t（七）总计", "\t(七)  总  计" },
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        char *text = gl_t_read ("tests/fixtures/good_2021.txt", NULL);
        gl_t_replace (&text, same[i][0], same[i][1]);
        gl_doc_t *doc = gl_t_lint (text);
        if (gl_t_count (doc, NULL))
            gl_t_dump (doc);
        assert_int_equal (gl_t_count (doc, NULL), 0);
        gl_doc_destroy (&doc);
        free (text);
    }
    char *text = gl_t_read ("tests/fixtures/good_2021.txt", NULL);
    gl_t_replace (&text, "4.保护第三方合法权益", "4.保护第三人合法权益");
    gl_doc_t *doc = gl_t_lint (text);
    assert_int_equal (gl_t_count (doc, NULL), 1);
    assert_non_null (gl_t_find (doc, "GID204"));
    const gl_row_t *row = gl_doc_row (doc, GL_R3_DENIED_4);
    assert_non_null (row);
    assert_false (row->label_exact);
    assert_int_equal (row->cells[0].ival, 1);
    gl_doc_destroy (&doc);
    free (text);
}

static void
test_fullwidth_and_ideographic_spaces (void **state)
{
    (void) state;
    s_lint_variant (&(gl_variant_t) { .layout = GL_GEN_LAYOUT_CELLS, .fullwidth = true,
                                      .ideo_space = true },
                    "cell+fullwidth");
    s_lint_variant (&(gl_variant_t) { .layout = GL_GEN_LAYOUT_TABS, .fullwidth = true },
                    "tab+fullwidth");
}

static void
test_thousands_crlf_bom (void **state)
{
    (void) state;
    s_lint_variant (&(gl_variant_t) { .layout = GL_GEN_LAYOUT_TABS, .thousands = true,
                                      .crlf = true, .bom = true },
                    "tab+thousands+crlf+bom");
    s_lint_variant (&(gl_variant_t) { .layout = GL_GEN_LAYOUT_SPACES, .thousands = true,
                                      .crlf = true },
                    "space+thousands+crlf");
}

static void
test_gb18030 (void **state)
{
    (void) state;
    gl_variant_t v = { .layout = GL_GEN_LAYOUT_TABS };
    size_t len;
    char *utf8 = s_render (&v, &len);
    iconv_t cd = iconv_open ("GB18030", "UTF-8");
    assert_true (cd != (iconv_t) -1);
    size_t outcap = len * 2, inleft = len, outleft = outcap;
    char *gb = malloc (outcap), *in = utf8, *out = gb;
    assert_int_not_equal (iconv (cd, &in, &inleft, &out, &outleft), (size_t) -1);
    iconv_close (cd);
    size_t gblen = outcap - outleft;
    gl_doc_t *doc = gl_t_lint_n (gb, gblen, GL_LANG_ZH);
    assert_int_equal (gl_doc_encoding (doc), GL_ENC_GB18030);
    assert_int_equal (gl_t_count (doc, NULL), 0);
    s_check_values (doc, &v);
    /* Positions map back to GB18030 bytes: the title's first character is
     * two bytes there, three in UTF-8. */
    const gl_row_t *row = gl_doc_row (doc, GL_R2_REGULATION);
    gl_pos_t pos;
    gl_doc_pos (doc, row->label_span, &pos);
    assert_int_equal (memcmp (gb + pos.byte_start, "\xb9\xe6\xd5\xc2", 4), 0);
    assert_int_equal (pos.byte_end - pos.byte_start, 4);
    gl_doc_destroy (&doc);
    free (gb);
    free (utf8);
}

static void
test_table_rows_are_not_headings (void **state)
{
    (void) state;
    /* "三、本年度办理结果" and "四、结转下年度继续办理" start like headings. */
    gl_variant_t v = { .layout = GL_GEN_LAYOUT_CELLS };
    size_t len;
    char *text = s_render (&v, &len);
    gl_doc_t *doc = gl_t_lint_n (text, len, GL_LANG_ZH);
    gl_section_id_t order[GL_SEC_COUNT];
    assert_int_equal (gl_doc_section_order (doc, order), 6);
    for (int i = 0; i < 6; i++) {
        assert_int_equal (order[i], (gl_section_id_t) (i + 1));
        assert_int_equal (gl_doc_section (doc, order[i])->occurrences, 1);
    }
    gl_doc_destroy (&doc);
    free (text);
}

static void
test_heading_variants (void **state)
{
    (void) state;
    const char *doc_text =
        "某县2021年政府信息公开工作年度报告\n"
        "**一、总体情况**\n正文。\n"
        "#### 二.主动公开政府信息情况\n正文。\n"
        "\xe3\x80\x80\xe3\x80\x80三、收到和处理政府信息公开申请情况\n正文。\n"
        "> 四、政府信息公开行政复议、行政诉讼情况\n正文。\n"
        "五 存在的主要问题及改进情况\n正文。\n"
        "六、其他需要报告的事项。本年度无。\n";
    gl_doc_t *doc = gl_t_lint (doc_text);
    for (int s = GL_SEC_1; s <= GL_SEC_6; s++) {
        const gl_section_t *sec = gl_doc_section (doc, (gl_section_id_t) s);
        assert_true (sec->present);
        assert_true (sec->numeral_ok);
        gl_pos_t pos;
        gl_doc_pos (doc, sec->heading, &pos);
        assert_int_equal (pos.line, (uint32_t) (2 * s));
    }
    assert_null (gl_t_find (doc, "GID102"));
    assert_null (gl_t_find (doc, "GID105"));
    gl_doc_destroy (&doc);
}

static void
test_prose_is_not_a_heading (void **state)
{
    (void) state;
    const char *doc_text =
        "某县2021年政府信息公开工作年度报告\n"
        "一、总体情况\n"
        " 主动公开政府信息情况。2021年，我镇始终把主动公开政府信息作为工作重点。\n"
        "一是加强组织领导。\n二、主动公开政府信息情况\n";
    gl_doc_t *doc = gl_t_lint (doc_text);
    const gl_section_t *s2 = gl_doc_section (doc, GL_SEC_2);
    gl_pos_t pos;
    gl_doc_pos (doc, s2->heading, &pos);
    assert_int_equal (pos.line, 5);
    assert_int_equal (s2->occurrences, 1);
    gl_doc_destroy (&doc);
}

static void
test_merged_digits (void **state)
{
    (void) state;
    /* The seed-001 shape: section 四 as 1 / 000 / 1 / 000111 / 0001. */
    size_t len;
    char *text = s_render (&(gl_variant_t) { .layout = GL_GEN_LAYOUT_TABS }, &len);
    gl_t_replace (&text, "1\t0\t0\t1\t2\t1\t0\t0\t0\t1\t0\t0\t0\t0\t0",
                  "1\n000\n1\n002100\n0000");
    gl_doc_t *doc = gl_t_lint (text);
    const gl_row_t *row = gl_doc_row (doc, GL_R4_ALL);
    assert_int_equal (row->n_cells, 15);
    assert_int_equal (row->n_merged_tokens, 3);
    const int want[15] = { 1, 0, 0, 0, 1, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0 };
    for (int c = 0; c < 15; c++)
        assert_int_equal (row->cells[c].ival, want[c]);
    assert_int_equal (gl_t_count (doc, "GID207"), 3);
    /* 1+0+0+0 = 1 but the review total is 1: holds; the suit total too. */
    assert_int_equal (gl_t_count (doc, "GID304"), 0);
    gl_doc_destroy (&doc);
    free (text);
}

static void
test_hostile_shapes (void **state)
{
    (void) state;
    /* Headings and table rows repeated, a long line, unbalanced markup:
     * the parser must stay sane (ASan/UBSan watch) and keep invariants. */
    gl_gen_buf_t b = { 0 };
    for (int i = 0; i < 300; i++)
        gl_gen_put (&b, "三、本年度办理结果\t（七）总计\t1\t2\t3\n一、总体情况\n**\n|||\n");
    for (int i = 0; i < 2000; i++)
        gl_gen_put (&b, "0 ");
    gl_gen_put (&b, "\n");
    gl_doc_t *doc = gl_t_lint_n (b.s, b.n, GL_LANG_EN);
    assert_true (gl_doc_section (doc, GL_SEC_1)->occurrences == 300);
    assert_int_equal (gl_t_count (doc, "GID104"), 1);
    gl_doc_destroy (&doc);
    free (b.s);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_layout_cell_per_line),
        cmocka_unit_test (test_layout_tabs),
        cmocka_unit_test (test_layout_markdown_pipes),
        cmocka_unit_test (test_layout_spaces),
        cmocka_unit_test (test_group_and_item_in_one_cell),
        cmocka_unit_test (test_label_forms),
        cmocka_unit_test (test_fullwidth_and_ideographic_spaces),
        cmocka_unit_test (test_thousands_crlf_bom),
        cmocka_unit_test (test_gb18030),
        cmocka_unit_test (test_table_rows_are_not_headings),
        cmocka_unit_test (test_heading_variants),
        cmocka_unit_test (test_prose_is_not_a_heading),
        cmocka_unit_test (test_merged_digits),
        cmocka_unit_test (test_hostile_shapes),
    };
    return cmocka_run_group_tests_name ("parse", tests, NULL, NULL);
}
