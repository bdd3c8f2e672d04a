/*  test_rules.c: every rule fires on a crafted document and stays silent on
 *  the corrected one.
 *
 *  The corrected documents are the fixtures good_2021.txt (tab-separated
 *  rows, 2021 edition, year 2022) and good_2019.txt (one cell per line,
 *  2019 edition, year 2020): complete, consistent reports on which the
 *  engine reports nothing at all.  Each case below breaks one of them with
 *  string replacements and states the code, line, column and values that
 *  must come out.  A test also checks that every rule of the registry has a
 *  case here.
 */
#include "gl_testutil.h"

#define GOOD21 "tests/fixtures/good_2021.txt"
#define GOOD19 "tests/fixtures/good_2019.txt"
#define NOVAL INT64_MIN

typedef struct {
    const char *code;
    const char *fixture;        /* NULL: text is the whole document         */
    const char *edits[6];       /* from, to, from, to, …                    */
    uint32_t line;
    uint32_t column;            /* 0: not checked                           */
    int64_t expected;           /* NOVAL: not checked                       */
    int64_t actual;
} gl_case_t;

static const gl_case_t s_cases[] = {
    { "GID002", NULL, { " \n\t\n\xe3\x80\x80\n" }, 1, 1, NOVAL, NOVAL },
    { "GID005", NULL, { "关于做好春节期间安全生产工作的通知\n各单位：请做好值班工作。\n" },
      1, 1, NOVAL, NOVAL },
    { "GID101", GOOD21,
      { "青山市青山区人民政府办公室2022年政府信息公开工作年度报告\n", "" },
      1, 1, NOVAL, NOVAL },
    { "GID101", GOOD21,
      { "青山市青山区人民政府办公室2022年政府信息公开工作年度报告",
        "青山市青山区人民政府办公室政府信息公开工作年度报告" },
      1, 1, NOVAL, NOVAL },
    { "GID102", GOOD21,
      { "五、存在的主要问题及改进情况\n\n一是政策解读形式较为单一；"
        "二是依申请公开答复的规范性有待提高。下一步，我们将丰富解读形式，"
        "加强业务培训。\n",
        "" },
      70, 1, NOVAL, NOVAL },
    { "GID103", GOOD21,
      { "五、存在的主要问题及改进情况", "@@", "六、其他需要报告的事项",
        "五、存在的主要问题及改进情况", "@@", "六、其他需要报告的事项" },
      73, 1, NOVAL, NOVAL },
    { "GID104", GOOD21,
      { "本年度未收取政府信息公开信息处理费。",
        "本年度未收取政府信息公开信息处理费。\n\n五、存在的主要问题及改进情况\n暂无。" },
      77, 1, NOVAL, NOVAL },
    { "GID105", GOOD21,
      { "三、收到和处理政府信息公开申请情况", "三、收到和处理政府信息公开申请的情况" },
      31, 1, NOVAL, NOVAL },
    { "GID105", GOOD21,
      { "\n五、存在的主要问题及改进情况", "\n## 六、存在的主要问题及改进情况" },
      69, 4, NOVAL, NOVAL },
    { "GID106", GOOD21,
      { "一是政策解读形式较为单一；二是依申请公开答复的规范性有待提高。"
        "下一步，我们将丰富解读形式，加强业务培训。",
        "无" },
      69, 1, NOVAL, NOVAL },
    { "GID107", GOOD21,
      { "（三）政府信息管理。严格执行保密审查制度，及时更新政府信息公开指南。\n", "" },
      10, 1, 3, 4 },
    { "GID201", GOOD21,
      { "2022年政府信息公开工作年度报告", "2020年政府信息公开工作年度报告" },
      16, 1, NOVAL, NOVAL },
    { "GID201", GOOD19,
      { "2020年政府信息公开工作年度报告", "2021年政府信息公开工作年度报告" },
      12, 2, NOVAL, NOVAL },
    { "GID202", GOOD21,
      { "1\t0\t0\t1\t2\t1\t0\t0\t0\t1\t0\t0\t0\t0\t0\n", "（见附图）\n" },
      62, 1, NOVAL, NOVAL },
    { "GID203", GOOD21,
      { "\t\t3.危及“三安全一稳定”\t0\t0\t0\t0\t0\t0\t0\n", "" },
      41, 0, NOVAL, NOVAL },
    { "GID204", GOOD21,
      { "2.其他法律行政法规禁止公开", "2.其他法律法规禁止公开" },
      41, 3, NOVAL, NOVAL },
    { "GID205", GOOD21,
      { "（一）予以公开\t5\t1\t0\t0\t0\t0\t6", "（一）予以公开\t5\t1\t0\t0\t0\t6" },
      38, 19, 7, 6 },
    { "GID205", GOOD19,
      { "\t（七）总计\n\t4\n\t1\n", "\t（七）总计\n\t4\n" },
      0, 0, 7, 6 },
    { "GID206", GOOD21, { "行政强制\t0", "行政强制\t—" }, 26, 6, NOVAL, NOVAL },
    { "GID206", GOOD21, { "行政许可\t25", "行政许可\t-25" }, 22, 6, NOVAL, NOVAL },
    { "GID206", GOOD21, { "行政许可\t25", "行政许可\t2.5" }, 22, 6, NOVAL, NOVAL },
    { "GID207", GOOD21, { "规章\t0\t0\t0", "规章\t000" }, 18, 4, NOVAL, NOVAL },
    { "GID208", GOOD21,
      { "本年收费金额（单位：万元）", "本年收费金额（单位：元）" },
      28, 6, NOVAL, NOVAL },
    { "GID208", GOOD21, { "行政事业性收费\t1.25", "行政事业性收费\t1.250001" },
      29, 9, NOVAL, NOVAL },
    { "GID301", GOOD21,
      { "数量\t10\t2\t0\t0\t1\t0\t13", "数量\t10\t2\t0\t0\t1\t0\t14" },
      36, 0, 13, 14 },
    { "GID302", GOOD21,
      { "（七）总计\t10\t2\t0\t0\t1\t0\t13", "（七）总计\t9\t2\t0\t0\t1\t0\t12" },
      59, 8, 10, 9 },
    { "GID303", GOOD21,
      { "结转下年度继续办理\t1\t0\t0\t0\t0\t0\t1",
        "结转下年度继续办理\t2\t0\t0\t0\t0\t0\t2" },
      60, 13, 11, 12 },
    { "GID304", GOOD21, { "1\t0\t0\t1\t2\t1", "1\t0\t0\t1\t3\t1" }, 67, 9, 2, 3 },
    { "GID305", GOOD21, { "2\t1\t0\t0\t0\t1\t0", "2\t1\t0\t0\t0\t2\t0" },
      67, 19, 1, 2 },
    { "GID305", GOOD21, { "\t0\t0\t0\t0\t0\n\n五", "\t0\t0\t0\t0\t1\n\n五" },
      67, 29, 0, 1 },
    { "GID306", GOOD21, { "政务微博10条", "政务微博20条" }, 8, 0, 120, 130 },
    { "GID401", GOOD21, { "共收到政府信息公开申请13件", "共收到政府信息公开申请15件" },
      9, 0, 13, 15 },
    { "GID402", GOOD21,
      { "统计期限为2022年1月1日至2022年12月31日",
        "统计期限为2021年1月1日至2021年12月31日" },
      3, 0, NOVAL, NOVAL },
    { "GID403", GOOD21, { "被提起行政诉讼1件", "未被提起行政诉讼" }, 12, 0, NOVAL,
      NOVAL },
    { "GID501", GOOD21, { "持续推进政务公开工作。", "持续推进政务公开工作。[image: image1.png]" },
      7, 0, NOVAL, NOVAL },
    { "GID502", GOOD21, { "优化栏目设置。", "优化栏目设置。联系电话13812345678。" },
      11, 0, NOVAL, NOVAL },
};

#define N_CASES (sizeof s_cases / sizeof s_cases[0])

static char *
s_build (const gl_case_t *c, size_t *len)
{
    char *text;
    if (c->fixture)
        text = gl_t_read (c->fixture, NULL);
    else {
        text = strdup (c->edits[0]);
        assert_non_null (text);
        *len = strlen (text);
        return text;
    }
    for (size_t i = 0; i + 1 < 6 && c->edits[i]; i += 2)
        gl_t_replace (&text, c->edits[i], c->edits[i + 1]);
    *len = strlen (text);
    return text;
}

static void
test_good_fixtures_are_silent (void **state)
{
    (void) state;
    const char *fixtures[] = { GOOD21, GOOD19 };
    for (size_t f = 0; f < 2; f++) {
        size_t len;
        char *text = gl_t_read (fixtures[f], &len);
        for (int lang = 0; lang < 2; lang++) {
            gl_doc_t *doc = gl_t_lint_n (text, len, (gl_lang_t) lang);
            if (gl_t_count (doc, NULL) != 0) {
                print_message ("%s:\n", fixtures[f]);
                gl_t_dump (doc);
            }
            assert_int_equal (gl_t_count (doc, NULL), 0);
            gl_doc_destroy (&doc);
        }
        free (text);
    }
}

static void
test_each_case_fires (void **state)
{
    (void) state;
    int failures = 0;
    for (size_t i = 0; i < N_CASES; i++) {
        const gl_case_t *c = &s_cases[i];
        size_t len;
        char *text = s_build (c, &len);
        gl_doc_t *doc = gl_t_lint_n (text, len, GL_LANG_ZH);
        const gl_diag_t *d = gl_t_find (doc, c->code);
        bool ok = d != NULL;
        if (ok && c->line)
            ok = d->pos.line == c->line;
        if (ok && c->column)
            ok = d->pos.column == c->column;
        if (ok && c->expected != NOVAL)
            ok = d->expected.kind == GL_VAL_INT && d->expected.i == c->expected
                 && d->actual.kind == GL_VAL_INT && d->actual.i == c->actual;
        if (ok) {
            /* The rule's severity and text come through. */
            ok = d->severity == d->rule->severity && d->message[0];
        }
        if (!ok) {
            failures++;
            print_message ("case %zu %s (line %u col %u exp %lld act %lld) "
                           "failed; got:\n",
                           i, c->code, c->line, c->column,
                           (long long) c->expected, (long long) c->actual);
            gl_t_dump (doc);
            if (d)
                print_message ("  -> %s at %u:%u expected %lld actual %lld\n",
                               d->code, d->pos.line, d->pos.column,
                               (long long) d->expected.i,
                               (long long) d->actual.i);
        }
        gl_doc_destroy (&doc);
        free (text);
    }
    assert_int_equal (failures, 0);
}

static void
test_every_rule_has_a_case (void **state)
{
    (void) state;
    for (size_t r = 0; r < gl_rules_count (); r++) {
        const char *code = gl_rule_at (r)->code;
        bool found = false;
        for (size_t i = 0; i < N_CASES && !found; i++)
            found = strcmp (s_cases[i].code, code) == 0;
        /* GID001 and GID003 have their own tests below. */
        if (!strcmp (code, "GID001") || !strcmp (code, "GID003"))
            found = true;
        if (!found)
            print_message ("no case for %s\n", code);
        assert_true (found);
    }
}

static void
test_bad_encoding (void **state)
{
    (void) state;
    const char bytes[] = "abc\xff\xfe\xfd\x80";
    gl_doc_t *doc = gl_t_lint_n (bytes, sizeof bytes - 1, GL_LANG_ZH);
    assert_int_equal (gl_doc_status (doc), GL_DOC_BAD_ENCODING);
    assert_int_equal (gl_t_count (doc, NULL), 1);
    const gl_diag_t *d = gl_t_find (doc, "GID001");
    assert_non_null (d);
    assert_int_equal (d->pos.byte_start, 3);
    gl_doc_destroy (&doc);
}

static void
test_too_large (void **state)
{
    (void) state;
    size_t len;
    char *text = gl_t_read (GOOD21, &len);
    gl_engine_t *e = gl_engine_new ();
    gl_engine_set_max_bytes (e, 100);
    gl_doc_t *doc = NULL;
    assert_int_equal (gl_engine_lint (e, text, len, GL_LANG_EN, &doc), GL_OK);
    assert_int_equal (gl_doc_status (doc), GL_DOC_TOO_LARGE);
    const gl_diag_t *d = gl_t_find (doc, "GID003");
    assert_non_null (d);
    assert_int_equal (d->expected.i, 100);
    assert_int_equal (d->actual.i, (int64_t) len);
    assert_int_equal (gl_t_count (doc, NULL), 1);
    gl_doc_destroy (&doc);
    gl_engine_destroy (&e);
    free (text);
}

static void
test_disable_and_severity (void **state)
{
    (void) state;
    char *text = gl_t_read (GOOD21, NULL);
    gl_t_replace (&text, "2.其他法律行政法规禁止公开", "2.其他法律法规禁止公开");
    gl_engine_t *e = gl_engine_new ();
    assert_int_equal (gl_engine_set_severity (e, "row-label", GL_SEV_ERROR),
                      GL_OK);
    gl_doc_t *doc = NULL;
    assert_int_equal (gl_engine_lint (e, text, strlen (text), GL_LANG_ZH, &doc),
                      GL_OK);
    const gl_diag_t *d = gl_t_find (doc, "GID204");
    assert_non_null (d);
    assert_int_equal (d->severity, GL_SEV_ERROR);
    assert_int_equal (gl_doc_count (doc, GL_SEV_ERROR), 1);
    gl_doc_destroy (&doc);
    assert_int_equal (gl_engine_disable (e, "GID204"), GL_OK);
    assert_int_equal (gl_engine_disable (e, "GID999"), GL_ENOENT);
    assert_int_equal (gl_engine_lint (e, text, strlen (text), GL_LANG_ZH, &doc),
                      GL_OK);
    assert_null (gl_t_find (doc, "GID204"));
    gl_doc_destroy (&doc);
    gl_engine_destroy (&e);
    free (text);
}

static void
test_english_messages (void **state)
{
    (void) state;
    char *text = gl_t_read (GOOD21, NULL);
    gl_t_replace (&text, "数量\t10\t2\t0\t0\t1\t0\t13", "数量\t10\t2\t0\t0\t1\t0\t14");
    gl_doc_t *doc = gl_t_lint_n (text, strlen (text), GL_LANG_EN);
    const gl_diag_t *d = gl_t_find (doc, "GID301");
    assert_non_null (d);
    assert_non_null (strstr (d->message, "should be 13"));
    assert_string_equal (d->column, "total");
    assert_string_equal (d->row, "new applications this year");
    assert_int_equal (d->table, GL_SEC_3);
    assert_int_equal (d->section, GL_SEC_3);
    gl_doc_destroy (&doc);
    doc = gl_t_lint_n (text, strlen (text), GL_LANG_ZH);
    d = gl_t_find (doc, "GID301");
    assert_non_null (strstr (d->message, "总计应改为13"));
    assert_string_equal (d->column, "总计");
    assert_string_equal (d->row, "一、本年新收政府信息公开申请数量");
    gl_doc_destroy (&doc);
    free (text);
}

/*  GID502 finds a phone number wherever it falls in the eight-byte words
 *  its digit search reads: after 0 to 15 bytes of ASCII, after an
 *  ideograph or not.                                                     */
static void
test_personal_data_alignment (void **state)
{
    (void) state;
    for (int pad = 0; pad < 16; pad++)
        for (int cjk = 0; cjk < 2; cjk++) {
            char to[128];
            snprintf (to, sizeof to, "优化栏目设置。%s%.*s13812345678",
                      cjk ? "电话" : "", pad, "abcdefghijklmnop");
            char *text = gl_t_read (GOOD21, NULL);
            gl_t_replace (&text, "优化栏目设置。", to);
            gl_doc_t *doc = gl_t_lint (text);
            size_t len, nd, hits = 0;
            const char *s = gl_doc_text (doc, &len);
            const char *at = strstr (s, "13812345678");
            assert_non_null (at);
            const gl_diag_t *d = gl_doc_diags (doc, &nd);
            for (size_t k = 0; k < nd; k++)
                if (!strcmp (d[k].code, "GID502")) {
                    hits++;
                    assert_int_equal (d[k].span.start, at - s);
                    assert_int_equal (d[k].span.end, at - s + 11);
                }
            assert_int_equal (hits, 1);
            gl_doc_destroy (&doc);
            free (text);
        }
}

static void
test_registry (void **state)
{
    (void) state;
    for (size_t i = 0; i < gl_rules_count (); i++) {
        const gl_rule_t *r = gl_rule_at (i);
        assert_non_null (r->check);
        assert_true (strlen (r->code) == 6 && !strncmp (r->code, "GID", 3));
        if (i)
            assert_true (strcmp (gl_rule_at (i - 1)->code, r->code) < 0);
        const char *fields[] = { r->name, r->summary_zh, r->summary_en,
                                 r->doc_zh, r->doc_en, r->example };
        for (size_t f = 0; f < 6; f++) {
            assert_non_null (fields[f]);
            assert_true (strlen (fields[f]) > 2);
            assert_null (strstr (fields[f], "TODO"));
        }
        assert_ptr_equal (gl_rule_find (r->code), r);
        assert_ptr_equal (gl_rule_find (r->name), r);
    }
    assert_null (gl_rule_find ("GID404"));
    assert_null (gl_rule_find ("GID004"));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_good_fixtures_are_silent),
        cmocka_unit_test (test_each_case_fires),
        cmocka_unit_test (test_every_rule_has_a_case),
        cmocka_unit_test (test_bad_encoding),
        cmocka_unit_test (test_too_large),
        cmocka_unit_test (test_disable_and_severity),
        cmocka_unit_test (test_english_messages),
        cmocka_unit_test (test_registry),
        cmocka_unit_test (test_personal_data_alignment),
    };
    return cmocka_run_group_tests_name ("rules", tests, NULL, NULL);
}
