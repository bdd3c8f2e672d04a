/*  test_match.c: label keys, similarity, number reading, numerals and the
 *  canonical format tables.
 */
#include "gl_testutil.h"

#include "gl_internal.h"

static double
s_sim (const char *a, const char *b)
{
    gl_key_t ka, kb;
    gl_key (a, strlen (a), &ka);
    gl_key (b, strlen (b), &kb);
    return gl_key_sim (&ka, &kb);
}

static void
test_keys_ignore_punctuation_and_space (void **state)
{
    (void) state;
    gl_key_t a, b;
    const char *x = "(二)部分公开(区分处理的,只计这一情形,不计其他情形)";
    const char *y = "(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)";
    gl_key (x, strlen (x), &a);
    gl_key (y, strlen (y), &b);
    assert_true (gl_key_eq (&a, &b));
    assert_int_equal (a.n, 22); /* 二 部分公开 区分处理的 只计这一情形 不计其他情形 */
    gl_key ("3.危及“三安全一稳定”", strlen ("3.危及“三安全一稳定”"), &a);
    assert_int_equal (a.n, 9);  /* 3 危 及 三 安 全 一 稳 定 */
    assert_int_equal (a.cp[0], '3');
}

static void
test_similarity (void **state)
{
    (void) state;
    assert_true (s_sim ("规章", "规章") == 1.0);
    /* A changed word keeps the row (GID204), a different row does not. */
    double reworded = s_sim ("2.其他法律法规禁止公开", "2.其他法律行政法规禁止公开");
    assert_true (reworded > 0.9 && reworded < 1.0);
    assert_true (s_sim ("行政许可", "行政处罚") < 0.6);
    assert_true (s_sim ("三、本年度办理结果", "收到和处理政府信息公开申请情况") < 0.3);
    assert_true (s_sim ("", "") == 1.0);
    assert_true (s_sim ("", "规章") == 0.0);
}

static void
s_num (const char *s, gl_cell_kind_t kind, int64_t iv, double dv, bool grouped)
{
    gl_cell_t c;
    bool ok = gl_number_parse (s, strlen (s), &c);
    assert_int_equal (ok, kind != GL_CELL_BAD);
    assert_int_equal (c.kind, kind);
    if (kind == GL_CELL_INT)
        assert_int_equal (c.ival, iv);
    if (kind != GL_CELL_BAD)
        assert_true (c.dval == dv);
    assert_int_equal (c.grouped, grouped);
}

static void
test_numbers (void **state)
{
    (void) state;
    s_num ("0", GL_CELL_INT, 0, 0, false);
    s_num (" 12 ", GL_CELL_INT, 12, 12, false);
    s_num ("-3", GL_CELL_INT, -3, -3, false);
    s_num ("+3", GL_CELL_INT, 3, 3, false);
    s_num ("1,234", GL_CELL_INT, 1234, 1234, true);
    s_num ("1 234 567", GL_CELL_INT, 1234567, 1234567, true);
    s_num ("0.5", GL_CELL_DEC, 0, 0.5, false);
    s_num ("1.2500", GL_CELL_DEC, 0, 1.25, false);
    s_num ("12,34", GL_CELL_BAD, 0, 0, false);
    s_num ("0 0 0", GL_CELL_BAD, 0, 0, false);
    s_num ("1.", GL_CELL_BAD, 0, 0, false);
    s_num ("1.2.3", GL_CELL_BAD, 0, 0, false);
    s_num ("—", GL_CELL_BAD, 0, 0, false);
    s_num ("", GL_CELL_BAD, 0, 0, false);
    s_num ("99999999999999999999", GL_CELL_BAD, 0, 0, false);
}

static void
test_valueish (void **state)
{
    (void) state;
    assert_true (gl_is_valueish ("0", 1));
    assert_true (gl_is_valueish ("—", strlen ("—")));
    assert_true (gl_is_valueish ("无", strlen ("无")));
    assert_true (gl_is_valueish ("0.0.0", 5));
    assert_false (gl_is_valueish ("3.其他", strlen ("3.其他")));
    assert_false (gl_is_valueish ("本年增/减", strlen ("本年增/减")));
    assert_false (gl_is_valueish ("第二十条第(一)项", strlen ("第二十条第(一)项")));
}

static void
test_chinese_numerals (void **state)
{
    (void) state;
    int v = 0;
    assert_int_equal (gl_cn_numeral ("三、", strlen ("三、"), &v), 3);
    assert_int_equal (v, 3);
    assert_int_equal (gl_cn_numeral ("十二", strlen ("十二"), &v), 6);
    assert_int_equal (v, 12);
    assert_int_equal (gl_cn_numeral ("二十", strlen ("二十"), &v), 6);
    assert_int_equal (v, 20);
    assert_int_equal (gl_cn_numeral ("总计", strlen ("总计"), &v), 0);
}

static void
test_canon (void **state)
{
    (void) state;
    /* The row counts the format states: 25 value rows in 2021, 23 in 2019. */
    size_t n21 = 0, n19 = 0;
    for (int id = GL_R3_NEW; id <= GL_R3_CARRY_OVER; id++) {
        n21 += gl_row_columns ((gl_row_id_t) id, GL_EDITION_2021) == 7;
        n19 += gl_row_columns ((gl_row_id_t) id, GL_EDITION_2019) == 7;
    }
    assert_int_equal (n21, 25);
    assert_int_equal (n19, 23);
    assert_int_equal (gl_row_columns (GL_R4_ALL, GL_EDITION_2021), 15);
    assert_int_equal (gl_row_columns (GL_R2_LICENSING, GL_EDITION_2021), 1);
    assert_int_equal (gl_row_columns (GL_R2_LICENSING, GL_EDITION_2019), 3);
    assert_int_equal (gl_row_columns (GL_R2_PROCUREMENT, GL_EDITION_2021), 0);
    assert_string_equal (gl_column_label (GL_R3_NEW, GL_EDITION_2021, 6,
                                          GL_LANG_ZH), "总计");
    assert_string_equal (gl_column_label (GL_R4_ALL, GL_EDITION_2019, 9,
                                          GL_LANG_ZH), "未经复议直接起诉·总计");
    assert_true (gl_canon_is_money (GL_R2_FEE, GL_EDITION_2021, 0));
    assert_false (gl_canon_is_money (GL_R2_FEE, GL_EDITION_2019, 0));
    assert_true (gl_canon_may_be_negative (GL_R2_PENALTY, GL_EDITION_2019, 1));
    assert_string_equal (gl_section_title (GL_SEC_4, GL_LANG_ZH),
                         "政府信息公开行政复议、行政诉讼情况");
    assert_string_equal (gl_section_numeral (GL_SEC_6), "六");
}

/*  gl_key_prefix_sim() and gl_key_sim() (bit-parallel for keys up to 64
 *  characters, a table beyond) against a plain LCS table, on random keys over small alphabets
 *  (many repeats) and on the section titles against table rows.          */
static size_t
s_lcs (const uint32_t *a, size_t an, const uint32_t *b, size_t bn)
{
    static uint16_t t[GL_KEY_MAX + 1][GL_KEY_MAX + 1];
    for (size_t i = 0; i <= an; i++)
        for (size_t j = 0; j <= bn; j++)
            t[i][j] = i == 0 || j == 0 ? 0
                      : a[i - 1] == b[j - 1]
                          ? (uint16_t) (t[i - 1][j - 1] + 1)
                          : (t[i - 1][j] > t[i][j - 1] ? t[i - 1][j]
                                                       : t[i][j - 1]);
    return t[an][bn];
}

static void
test_prefix_sim (void **state)
{
    (void) state;
    uint64_t seed = 88172645463325252u;
    for (int iter = 0; iter < 4000; iter++) {
        gl_key_t a, b;
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        a.n = 1 + seed % (iter % 2 ? 64 : GL_KEY_MAX);
        b.n = seed / 97 % (GL_KEY_MAX + 1);
        uint32_t alpha = 2 + (uint32_t) (seed / 7 % 6);
        for (size_t i = 0; i < a.n; i++) {
            seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
            a.cp[i] = 0x4E00 + (uint32_t) (seed % alpha);
        }
        for (size_t i = 0; i < b.n; i++) {
            seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
            b.cp[i] = 0x4E00 + (uint32_t) (seed % alpha);
        }
        size_t lo = 1 + seed % 8, hi = lo + seed / 11 % 90;
        double want = 0;
        size_t want_k = 0;
        for (size_t k = 1; k <= hi && k <= b.n; k++) {
            if (k < lo)
                continue;
            double sim = 2.0 * (double) s_lcs (a.cp, a.n, b.cp, k)
                         / (double) (a.n + k);
            if (sim > want) {
                want = sim;
                want_k = k;
            }
        }
        size_t got_k;
        double got = gl_key_prefix_sim (&a, &b, lo, hi, &got_k);
        assert_true (got == want);
        assert_int_equal (got_k, want_k);
        /* The same pair through gl_key_sim(), both ways round. */
        double full = a.n + b.n == 0 ? 1.0
                      : b.n == 0    ? 0.0
                                    : 2.0 * (double) s_lcs (a.cp, a.n, b.cp, b.n)
                                         / (double) (a.n + b.n);
        assert_true (gl_key_sim (&a, &b) == full);
        assert_true (gl_key_sim (&b, &a) == full);
    }
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_keys_ignore_punctuation_and_space),
        cmocka_unit_test (test_similarity),
        cmocka_unit_test (test_numbers),
        cmocka_unit_test (test_valueish),
        cmocka_unit_test (test_chinese_numerals),
        cmocka_unit_test (test_canon),
        cmocka_unit_test (test_prefix_sim),
    };
    return cmocka_run_group_tests_name ("match", tests, NULL, NULL);
}
