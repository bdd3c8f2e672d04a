/*  test_golden.c: the five sample reports, read by eye, and what the engine
 *  must say of them: the complete list of diagnostics (code, line, column)
 *  and the table values the findings rest on.
 *
 *  What each report gets wrong (examples/reports):
 *    000  a "[bookmark: _GoBack]" left by the Word export; tables all zero.
 *    001  no title; cells run together ("000", "000111") in sections 二, 四.
 *    002  a 2021 report in the 2019 edition; an image placeholder and OCR
 *         debris; prose says 3 applications, the table 0; section 一's
 *         sub-items start at （二）.
 *    003  "2.其他法律法规禁止公开" for "其他法律行政法规禁止公开"; spurious
 *         empty cells in rows 一 and 二 are not defects.
 *    004  most rows of section 三 have six values where seven are due.
 */
#include "gl_testutil.h"

typedef struct {
    const char *code;
    uint32_t line, column;
} gl_expect_t;

static gl_doc_t *
s_lint_seed (const char *name)
{
    char path[256];
    snprintf (path, sizeof path, "examples/reports/%s", name);
    size_t len;
    char *text = gl_t_read (path, &len);
    gl_doc_t *doc = gl_t_lint_n (text, len, GL_LANG_ZH);
    free (text);
    return doc;
}

static void
s_expect_exactly (const gl_doc_t *doc, const gl_expect_t *want, size_t n)
{
    size_t got_n;
    const gl_diag_t *got = gl_doc_diags (doc, &got_n);
    bool same = got_n == n;
    for (size_t i = 0; same && i < n; i++)
        same = strcmp (got[i].code, want[i].code) == 0
               && got[i].pos.line == want[i].line
               && got[i].pos.column == want[i].column;
    if (!same) {
        print_message ("expected %zu diagnostics, got %zu:\n", n, got_n);
        gl_t_dump (doc);
    }
    assert_true (same);
}

static void
s_row_is (const gl_doc_t *doc, gl_row_id_t id, const int *values, size_t n)
{
    const gl_row_t *row = gl_doc_row (doc, id);
    assert_non_null (row);
    assert_int_equal (row->n_cells, n);
    for (size_t c = 0; c < n; c++) {
        assert_int_equal (row->cells[c].kind, GL_CELL_INT);
        assert_int_equal (row->cells[c].ival, values[c]);
    }
}

static void
test_seed_000 (void **state)
{
    (void) state;
    gl_doc_t *doc = s_lint_seed ("000_7c2946bcfd0dcdaf.txt");
    const gl_expect_t want[] = { { "GID501", 413, 1 } };
    s_expect_exactly (doc, want, 1);
    assert_int_equal (gl_doc_year (doc), 2021);
    assert_int_equal (gl_doc_edition (doc), GL_EDITION_2021);
    assert_string_equal (gl_doc_body (doc), "桓台县城区街道办事处");
    /* Every table parses, complete, to zeros. */
    int rows = 0;
    for (int id = 0; id < GL_ROW_COUNT; id++) {
        const gl_row_t *row = gl_doc_row (doc, (gl_row_id_t) id);
        if (!row)
            continue;
        rows++;
        assert_true (GL_ROW_COMPLETE (row));
        for (size_t c = 0; c < row->n_cells; c++)
            assert_int_equal (row->cells[c].ival, 0);
    }
    assert_int_equal (rows, 6 + 25 + 1);
    gl_doc_destroy (&doc);
}

static void
test_seed_001 (void **state)
{
    (void) state;
    gl_doc_t *doc = s_lint_seed ("001_e3153ee69fbb31bb.txt");
    const gl_expect_t want[] = {
        { "GID101", 1, 1 },   { "GID207", 55, 1 },  { "GID207", 77, 1 },
        { "GID207", 81, 1 },  { "GID207", 95, 1 },  { "GID207", 99, 1 },
        { "GID207", 111, 1 }, { "GID207", 123, 1 }, { "GID207", 434, 1 },
        { "GID207", 438, 1 }, { "GID207", 439, 1 },
    };
    s_expect_exactly (doc, want, sizeof want / sizeof want[0]);
    assert_null (gl_doc_title (doc, NULL));
    assert_int_equal (gl_doc_year (doc), 2020);
    assert_int_equal (gl_doc_edition (doc), GL_EDITION_2019);
    const int new_[] = { 6, 0, 0, 0, 0, 0, 6 };
    const int partial[] = { 1, 0, 0, 0, 0, 0, 1 };
    const int not_held[] = { 5, 0, 0, 0, 0, 0, 5 };
    s_row_is (doc, GL_R3_NEW, new_, 7);
    s_row_is (doc, GL_R3_PARTIAL, partial, 7);
    s_row_is (doc, GL_R3_UNABLE_1, not_held, 7);
    s_row_is (doc, GL_R3_TOTAL, new_, 7);
    const int s4[] = { 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1 };
    s_row_is (doc, GL_R4_ALL, s4, 15);
    const int regulation[] = { 0, 0, 0 };
    const int normative[] = { 2, 2, 8 };
    s_row_is (doc, GL_R2_REGULATION, regulation, 3);
    s_row_is (doc, GL_R2_NORMATIVE, normative, 3);
    assert_int_equal (gl_doc_row (doc, GL_R4_ALL)->n_merged_tokens, 3);
    gl_doc_destroy (&doc);
}

static void
test_seed_002 (void **state)
{
    (void) state;
    gl_doc_t *doc = s_lint_seed ("002_0717abcba8b88f39.txt");
    const gl_expect_t want[] = {
        { "GID501", 7, 1 },  { "GID501", 7, 20 }, { "GID501", 8, 1 },
        { "GID107", 13, 1 }, { "GID401", 13, 28 }, { "GID201", 21, 2 },
    };
    s_expect_exactly (doc, want, sizeof want / sizeof want[0]);
    const gl_diag_t *d = gl_t_find (doc, "GID401");
    assert_int_equal (d->expected.i, 0);
    assert_int_equal (d->actual.i, 3);
    d = gl_t_find (doc, "GID201");
    assert_string_equal (d->expected.s, "2021");
    assert_string_equal (d->actual.s, "2019");
    d = gl_t_find (doc, "GID107");
    assert_int_equal (d->expected.i, 1);
    assert_int_equal (d->actual.i, 2);
    gl_doc_destroy (&doc);
}

static void
test_seed_003 (void **state)
{
    (void) state;
    gl_doc_t *doc = s_lint_seed ("003_a4a657e448f740f7.txt");
    const gl_expect_t want[] = { { "GID204", 54, 3 } };
    s_expect_exactly (doc, want, 1);
    /* The row lost no values to the spurious empty cells. */
    const int zeros[7] = { 0 };
    s_row_is (doc, GL_R3_NEW, zeros, 7);
    s_row_is (doc, GL_R3_CARRIED, zeros, 7);
    s_row_is (doc, GL_R3_UNABLE_3, zeros, 7);
    assert_int_equal (gl_doc_year (doc), 2022);
    gl_doc_destroy (&doc);
}

static void
test_seed_004 (void **state)
{
    (void) state;
    gl_doc_t *doc = s_lint_seed ("004_23d5930e45ca0162.txt");
    const gl_expect_t want[] = {
        { "GID205", 44, 21 }, { "GID205", 45, 35 }, { "GID205", 46, 21 },
        { "GID205", 47, 19 }, { "GID205", 48, 17 }, { "GID205", 49, 16 },
        { "GID205", 50, 17 }, { "GID205", 51, 16 }, { "GID205", 52, 15 },
        { "GID205", 53, 15 }, { "GID205", 54, 27 }, { "GID205", 55, 19 },
        { "GID205", 56, 18 }, { "GID205", 57, 24 }, { "GID205", 58, 11 },
        { "GID205", 59, 16 }, { "GID205", 60, 18 }, { "GID205", 61, 25 },
        { "GID205", 62, 46 }, { "GID205", 63, 42 }, { "GID205", 64, 7 },
        { "GID205", 65, 9 },  { "GID205", 66, 14 },
    };
    s_expect_exactly (doc, want, sizeof want / sizeof want[0]);
    size_t n;
    const gl_diag_t *d = gl_doc_diags (doc, &n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal (d[i].expected.i, 7);
        assert_int_equal (d[i].actual.i, 6);
    }
    /* Rows 一 and 二 are whole. */
    assert_true (GL_ROW_COMPLETE (gl_doc_row (doc, GL_R3_NEW)));
    assert_true (GL_ROW_COMPLETE (gl_doc_row (doc, GL_R3_CARRIED)));
    gl_doc_destroy (&doc);
}

static void
test_byte_offsets_point_at_the_source (void **state)
{
    (void) state;
    /* Every diagnostic's byte range, cut from the original file, is the
     * text its line and column name. */
    const char *seeds[] = { "000_7c2946bcfd0dcdaf.txt", "001_e3153ee69fbb31bb.txt",
                            "002_0717abcba8b88f39.txt", "003_a4a657e448f740f7.txt",
                            "004_23d5930e45ca0162.txt" };
    for (size_t s = 0; s < 5; s++) {
        char path[256];
        snprintf (path, sizeof path, "examples/reports/%s", seeds[s]);
        size_t len;
        char *text = gl_t_read (path, &len);
        gl_doc_t *doc = gl_t_lint_n (text, len, GL_LANG_ZH);
        size_t n;
        const gl_diag_t *d = gl_doc_diags (doc, &n);
        for (size_t i = 0; i < n; i++) {
            /* Walk to line/column in the original bytes. */
            uint32_t line = 1, col = 1;
            size_t b = 0;
            while (b < d[i].pos.byte_start) {
                if (text[b] == '\n')
                    line++, col = 1;
                else if ((text[b] & 0xc0) != 0x80)
                    col++;
                b++;
            }
            assert_int_equal (line, d[i].pos.line);
            assert_int_equal (col, d[i].pos.column);
            assert_true (d[i].pos.byte_end <= len);
        }
        gl_doc_destroy (&doc);
        free (text);
    }
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_seed_000),
        cmocka_unit_test (test_seed_001),
        cmocka_unit_test (test_seed_002),
        cmocka_unit_test (test_seed_003),
        cmocka_unit_test (test_seed_004),
        cmocka_unit_test (test_byte_offsets_point_at_the_source),
    };
    return cmocka_run_group_tests_name ("golden", tests, NULL, NULL);
}
