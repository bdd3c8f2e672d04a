/*  test_gen.c: the corpus generator serves the test suite.
 *
 *  300 generated reports without defects, across every layout and both
 *  editions, each lint with no diagnostic at all; 200 with one injected
 *  defect each get the code the generator expects, and no error outside
 *  the codes it allows.  Every failure prints its seed, options and
 *  diagnostics: `gidlint-gen --seed S --layout L --defects D` writes the
 *  same document again.
 */
#include "gl_testutil.h"

#include "gl_gen.h"

static void
dump_diags (const gl_doc_t *doc)
{
    size_t n;
    const gl_diag_t *d = gl_doc_diags (doc, &n);
    for (size_t i = 0; i < n; i++)
        print_message ("  %s %s line %u: %s\n", d[i].code,
                       gl_severity_name (d[i].severity), (unsigned) d[i].pos.line,
                       d[i].message);
}

static bool
in_list (const char list[][8], size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp (list[i], code))
            return true;
    return false;
}

/*  Lints one generated document; returns true if it is as expected.     */
static bool
check_one (gl_engine_t *e, uint64_t seed, const gl_gen_opts_t *opts)
{
    size_t len;
    gl_gen_expect_t ex;
    char *text = gl_gen_report (seed, opts, &len, &ex);
    assert_non_null (text);
    assert_int_equal (strlen (text), len);

    /* Deterministic: the same seed gives the same bytes. */
    size_t len2;
    char *again = gl_gen_report (seed, opts, &len2, NULL);
    assert_non_null (again);
    assert_int_equal (len, len2);
    assert_memory_equal (text, again, len);
    free (again);

    gl_doc_t *doc = NULL;
    assert_int_equal (gl_engine_lint (e, text, len, GL_LANG_EN, &doc), GL_OK);
    assert_true (gl_doc_check (doc));
    size_t n;
    const gl_diag_t *d = gl_doc_diags (doc, &n);
    bool ok = true;
    if (opts->defects == 0)
        ok = n == 0 && gl_doc_year (doc) == ex.year
             && (int) gl_doc_edition (doc) == ex.edition;
    else {
        for (size_t k = 0; k < ex.n_codes; k++) {
            bool found = false;
            for (size_t i = 0; i < n; i++)
                found = found || !strcmp (d[i].code, ex.codes[k]);
            ok = ok && found;
        }
        for (size_t i = 0; i < n; i++)
            if (d[i].severity == GL_SEV_ERROR && !in_list (ex.codes, ex.n_codes, d[i].code)
                && !in_list (ex.also, ex.n_also, d[i].code))
                ok = false;
    }
    if (!ok) {
        print_message ("seed %llu layout %s year %d edition %d defects 0x%x "
                       "expected", (unsigned long long) seed,
                       gl_gen_layout_name (ex.layout), ex.year, ex.edition,
                       opts->defects);
        for (size_t k = 0; k < ex.n_codes; k++)
            print_message (" %s", ex.codes[k]);
        print_message (", got %zu:\n", n);
        dump_diags (doc);
    }
    gl_doc_destroy (&doc);
    free (text);
    return ok;
}

static void
test_clean_reports_lint_clean (void **state)
{
    (void) state;
    gl_engine_t *e = gl_engine_new ();
    assert_non_null (e);
    int bad = 0, per_edition[2] = { 0 };
    for (uint64_t s = 1; s <= 300; s++) {
        /* Every layout with every year, and some drawn by the generator. */
        gl_gen_opts_t opts = { 0 };
        if (s % 5) {
            opts.layout = (gl_gen_layout_t) (1 + s % 4);
            opts.year = 2019 + (int) ((s / 4) % 6);
        }
        gl_gen_expect_t ex;
        char *t = gl_gen_report (s, &opts, NULL, &ex);
        free (t);
        per_edition[ex.edition == 2021]++;
        bad += !check_one (e, s, &opts);
    }
    assert_true (per_edition[0] > 50 && per_edition[1] > 50);
    gl_engine_destroy (&e);
    assert_int_equal (bad, 0);
}

static void
test_injected_defects_are_found (void **state)
{
    (void) state;
    gl_engine_t *e = gl_engine_new ();
    assert_non_null (e);
    int bad = 0;
    for (uint64_t i = 0; i < 200; i++) {
        uint64_t s = 1000 + i;
        gl_gen_opts_t opts = { 0 };
        opts.defects = 1u << (i % GL_GEN_D_COUNT);
        opts.layout = (gl_gen_layout_t) (1 + (i / GL_GEN_D_COUNT) % 4);
        bad += !check_one (e, s, &opts);
    }
    gl_engine_destroy (&e);
    assert_int_equal (bad, 0);
}

static void
test_generator_api (void **state)
{
    (void) state;
    /* Distinct seeds give distinct documents; names round-trip. */
    char *a = gl_gen_report (1, NULL, NULL, NULL);
    char *b = gl_gen_report (2, NULL, NULL, NULL);
    assert_non_null (a);
    assert_non_null (b);
    assert_true (strcmp (a, b) != 0);
    free (a);
    free (b);
    for (int l = 0; l < GL_GEN_LAYOUT_COUNT; l++)
        assert_int_equal (gl_gen_layout_parse (gl_gen_layout_name ((gl_gen_layout_t) l)), l);
    assert_int_equal (gl_gen_layout_parse ("nope"), -1);
    for (int k = 0; k < GL_GEN_D_COUNT; k++) {
        const char *code = gl_gen_defect_code (1u << k);
        assert_non_null (code);
        assert_int_equal (gl_gen_defect_parse (code), 1u << k);
    }
    assert_int_equal (gl_gen_defect_parse ("row-total"), GL_GEN_D_ROW_TOTAL);
    assert_int_equal (gl_gen_defect_parse ("GID999"), 0);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_generator_api),
        cmocka_unit_test (test_clean_reports_lint_clean),
        cmocka_unit_test (test_injected_defects_are_found),
    };
    return cmocka_run_group_tests_name ("gen", tests, NULL, NULL);
}
