/*  test_adversarial.c: time and memory stay linear in the input.
 *
 *  A normal corpus (generated reports) sets the yardstick: its time per
 *  megabyte.  Then documents built to hurt are linted: a 10 MB single line,
 *  a section 三 of several hundred thousand reworded table rows, the six
 *  section headings repeated tens of thousands of times, a paragraph of
 *  millions of digits, a paragraph of one ideograph repeated millions of
 *  times, a line of hundreds of thousands of placeholders (one diagnostic
 *  each) and millions of lines of one character.  For each: the engine returns GL_OK, the diagnostics are
 *  the ones the document calls for, the time per megabyte is within
 *  GL_ADV_RATIO of the corpus' (every time the minimum of three runs in
 *  this process: a ratio, never an absolute time), and the document's
 *  memory (gl_doc_memory()) is at most GL_ADV_BYTES_PER_BYTE times the
 *  input plus a fixed allowance.
 *
 *  The figures are printed, so a failure shows by how much.
 */
#define _POSIX_C_SOURCE 200809L

#include "gl_testutil.h"

#include "gl_gen.h"

#include <time.h>

/*  Time per MB of an adversarial document over that of normal reports.   */
#define GL_ADV_RATIO 3.0
/*  Document memory: at most this many bytes per input byte, plus this many
 *  per diagnostic (the record and its message) and per line (line and
 *  paragraph records), plus a fixed allowance
 *  (the model of the report around the adversarial part).  See "Memory"
 *  in docs/engine.md.                                                     */
#define GL_ADV_BYTES_PER_BYTE 16.0
#define GL_ADV_BYTES_PER_DIAG 512.0
#define GL_ADV_BYTES_PER_LINE 64.0
#define GL_ADV_FIXED ((size_t) 4 << 20)

static double
s_now (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

static gl_engine_t *
s_engine (void)
{
    gl_engine_t *e = gl_engine_new ();
    assert_non_null (e);
    gl_engine_set_max_bytes (e, (size_t) 64 << 20);
    return e;
}

/*  Under the sanitizers every document is this many times smaller, so the
 *  test stays within seconds; the release build lints the full sizes (a
 *  10 MB line, up to 40 MB of table rows).                                */
#if defined(__SANITIZE_ADDRESS__)
#define GL_ADV_SCALE 6
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GL_ADV_SCALE 6
#endif
#endif
#ifndef GL_ADV_SCALE
#define GL_ADV_SCALE 1
#endif
#define GL_MB(n) ((size_t) (n) * 1000000 / GL_ADV_SCALE)

/*  The normal corpus: generated reports of every layout, linted before
 *  each adversarial document in every run, so that both see the same
 *  machine.                                                               */
#define S_CORPUS 60

static struct {
    char *doc[S_CORPUS];
    size_t len[S_CORPUS];
    size_t bytes;
    size_t mem;
} s_corpus;

static int
s_corpus_setup (void **state)
{
    (void) state;
    s_corpus.bytes = 0;
    for (size_t i = 0; i < S_CORPUS; i++) {
        s_corpus.doc[i] = gl_gen_report (1000 + i, NULL, &s_corpus.len[i], NULL);
        if (!s_corpus.doc[i])
            return -1;
        s_corpus.bytes += s_corpus.len[i];
    }
    return 0;
}

static int
s_corpus_teardown (void **state)
{
    (void) state;
    for (size_t i = 0; i < S_CORPUS; i++)
        free (s_corpus.doc[i]);
    return 0;
}

/*  Seconds to lint the corpus once.                                       */
static double
s_corpus_run (gl_engine_t *e)
{
    size_t mem = 0;
    double t0 = s_now ();
    for (size_t i = 0; i < S_CORPUS; i++) {
        gl_doc_t *doc = NULL;
        assert_int_equal (gl_engine_lint (e, s_corpus.doc[i], s_corpus.len[i],
                                          GL_LANG_ZH, &doc),
                          GL_OK);
        mem += gl_doc_memory (doc);
        gl_doc_destroy (&doc);
    }
    double t = s_now () - t0;
    s_corpus.mem = mem;
    return t;
}

/*  Lints the corpus and text three times, in turn; checks text's time per
 *  MB against the corpus' (the minimum of the three runs of each) and its
 *  memory; returns the last document (the caller checks its
 *  diagnostics).                                                          */
static gl_doc_t *
s_measure (const char *name, const char *text, size_t len)
{
    gl_engine_t *e = s_engine ();
    double best = 1e30, best_normal = 1e30;
    gl_doc_t *doc = NULL;
    for (int run = 0; run < 3; run++) {
        double tn = s_corpus_run (e);
        if (tn < best_normal)
            best_normal = tn;
        gl_doc_destroy (&doc);
        double t0 = s_now ();
        assert_int_equal (gl_engine_lint (e, text, len, GL_LANG_ZH, &doc),
                          GL_OK);
        double t = s_now () - t0;
        if (t < best)
            best = t;
    }
    gl_engine_destroy (&e);
    double normal_spm = best_normal / ((double) s_corpus.bytes / 1e6);
    double spm = best / ((double) len / 1e6);
    double ratio = spm / normal_spm;
    size_t mem = gl_doc_memory (doc);
    size_t n;
    gl_doc_diags (doc, &n);
    print_message ("%-9s %6.2f MB %7.1f MB/s (normal %6.1f MB/s, %4.1f B/B)  "
                   "time/MB x%.2f  %5.2f B/B  %zu diagnostics\n",
                   name, len / 1e6, 1.0 / spm, 1.0 / normal_spm,
                   (double) s_corpus.mem / (double) s_corpus.bytes, ratio,
                   (double) mem / (double) len, n);
    assert_true (gl_doc_check (doc));
    assert_true (ratio <= GL_ADV_RATIO);
    size_t lines = 1;
    for (const char *p = text; (p = memchr (p, '\n', len - (size_t) (p - text)));
         p++)
        lines++;
    assert_true ((double) mem <= GL_ADV_BYTES_PER_BYTE * (double) len
                                     + GL_ADV_BYTES_PER_DIAG * (double) n
                                     + GL_ADV_BYTES_PER_LINE * (double) lines
                                     + (double) GL_ADV_FIXED);
    return doc;
}

/*  The diagnostics' codes, deduplicated, in order of first appearance and
 *  joined by spaces; and how many of code there are.                      */
static void
s_codes (const gl_doc_t *doc, char *out, size_t cap)
{
    size_t n;
    const gl_diag_t *d = gl_doc_diags (doc, &n);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (strstr (out, d[i].code))
            continue;
        if (strlen (out) + 8 >= cap)
            break;
        if (out[0])
            strcat (out, " ");
        strcat (out, d[i].code);
    }
}

/*  Prints the codes found, then frees a spliced document's parts.         */
static void
s_done (gl_doc_t *doc, char *text, gl_gen_buf_t *mid, char *report)
{
    char got[256];
    s_codes (doc, got, sizeof got);
    print_message ("  codes: %s\n", got);
    gl_doc_destroy (&doc);
    free (text);
    free (mid->s);
    free (report);
}

static size_t
s_count (const gl_doc_t *doc, const char *code)
{
    size_t n, k = 0;
    const gl_diag_t *d = gl_doc_diags (doc, &n);
    for (size_t i = 0; i < n; i++)
        k += strcmp (d[i].code, code) == 0;
    return k;
}

static void
s_expect_codes (const gl_doc_t *doc, const char *want)
{
    char got[256];
    s_codes (doc, got, sizeof got);
    if (strcmp (got, want) != 0)
        print_message ("  codes: \"%s\", expected \"%s\"\n", got, want);
    assert_string_equal (got, want);
}

/*  A clean generated report in the tabs layout, cut where a section's
 *  heading line ends: *pre is the text up to and including that line.   */
static char *
s_report (const char *heading, size_t *len, size_t *cut)
{
    gl_gen_opts_t o = { .layout = GL_GEN_LAYOUT_TABS, .year = 2021 };
    char *r = gl_gen_report (7, &o, len, NULL);
    assert_non_null (r);
    char *at = strstr (r, heading);
    assert_non_null (at);
    char *nl = strchr (at, '\n');
    assert_non_null (nl);
    *cut = (size_t) (nl + 1 - r);
    return r;
}

/*  report[0, cut) + middle + report[cut, len).                            */
static char *
s_splice (const char *report, size_t len, size_t cut, const gl_gen_buf_t *mid,
          size_t *out_len)
{
    gl_gen_buf_t b = { 0 };
    gl_gen_putn (&b, report, cut);
    gl_gen_putn (&b, mid->s, mid->n);
    gl_gen_putn (&b, report + cut, len - cut);
    assert_false (b.oom);
    *out_len = b.n;
    return b.s;
}

/*  ---------------------------------------------------------------------
 *  The documents.                                                        */

static void
s_single_line (void **state)
{
    (void) state;
    gl_gen_buf_t b = { 0 };
    static const char piece[] =
        "本机关共收到政府信息公开申请12件，予以公开3件，部分公开1件，"
        "２０２１年（一）主动公开，合计351条其中45条、"
        "未发生行政复议行政诉讼 [pic] 13812345678 abc|def ";
    while (b.n < GL_MB (10))
        gl_gen_put (&b, piece);
    assert_false (b.oom);
    gl_doc_t *doc = s_measure ("line", b.s, b.n);
    assert_int_equal (gl_doc_status (doc), GL_DOC_NOT_REPORT);
    s_expect_codes (doc, "GID005");
    gl_doc_destroy (&doc);
    free (b.s);
}

static void
s_table_rows (void **state)
{
    (void) state;
    size_t len, cut;
    char *r = s_report ("三、收到和处理政府信息公开申请情况", &len, &cut);
    /* Rows whose labels are close to the format's but not it. */
    static const char *const labels[] = {
        "（一）予以公开的申请", "（二）部分公开的申请（区分处理）",
        "1.属于国家秘密的信息", "2.其他法律行政法规禁止公开的",
        "（四）无法提供的情形", "1.本机关不掌握相关的政府信息",
        "3.补正后申请内容仍然不明确", "（五）不予处理的申请",
        "2.重复的申请", "（七）总计数量", "其他情形的处理",
    };
    static const char *const vals[] = { "1", "0", "2", "0", "0", "3", "6" };
    gl_gen_buf_t mid = { 0 };
    size_t rows = 0;
    while (rows < 1000000 / GL_ADV_SCALE && mid.n < GL_MB (40)) {
        gl_gen_row (&mid, GL_GEN_LAYOUT_TABS, 2, 0,
                    labels[rows % (sizeof labels / sizeof labels[0])], vals, 7);
        rows++;
    }
    size_t n;
    char *doc_text = s_splice (r, len, cut, &mid, &n);
    print_message ("table rows: %zu\n", rows);
    gl_doc_t *doc = s_measure ("rows", doc_text, n);
    assert_int_equal (gl_doc_status (doc), GL_DOC_OK);
    const gl_table_t *t = gl_doc_table (doc, GL_SEC_3);
    assert_non_null (t);
    assert_true (t->n_rows >= rows);
    s_done (doc, doc_text, &mid, r);
}

static void
s_headings (void **state)
{
    (void) state;
    size_t len, cut;
    char *r = s_report ("一、总体情况", &len, &cut);
    gl_gen_buf_t mid = { 0 };
    static const char block[] =
        "一、总体情况\n二、主动公开政府信息情况\n"
        "三、收到和处理政府信息公开申请情况\n"
        "四、政府信息公开行政复议、行政诉讼情况\n"
        "五、存在的主要问题及改进情况\n六、其他需要报告的事项\n"
        "## 三、收到和处理政府信息公开申请的情况说明\n";
    size_t reps = 0;
    while (reps < 30000 / GL_ADV_SCALE) {
        gl_gen_put (&mid, block);
        reps++;
    }
    size_t n;
    char *doc_text = s_splice (r, len, cut, &mid, &n);
    gl_doc_t *doc = s_measure ("headings", doc_text, n);
    assert_int_equal (gl_doc_status (doc), GL_DOC_OK);
    const gl_section_t *sec = gl_doc_section (doc, GL_SEC_3);
    assert_true (sec->occurrences >= reps);
    s_done (doc, doc_text, &mid, r);
}

static void
s_digits (void **state)
{
    (void) state;
    size_t len, cut;
    char *r = s_report ("一、总体情况", &len, &cut);
    gl_gen_buf_t mid = { 0 };
    gl_gen_put (&mid, "本年共收到申请");
    while (mid.n < GL_MB (8))
        gl_gen_put (&mid, "1234567890987654321023456789");
    gl_gen_put (&mid, "件。\n");
    size_t n;
    char *doc_text = s_splice (r, len, cut, &mid, &n);
    gl_doc_t *doc = s_measure ("digits", doc_text, n);
    assert_int_equal (gl_doc_status (doc), GL_DOC_OK);
    s_done (doc, doc_text, &mid, r);
}

static void
s_cjk_run (void **state)
{
    (void) state;
    size_t len, cut;
    char *r = s_report ("一、总体情况", &len, &cut);
    gl_gen_buf_t mid = { 0 };
    while (mid.n < GL_MB (8))
        gl_gen_put (&mid, "的的的的的的的的的的的的的的的的");
    gl_gen_put (&mid, "\n");
    size_t n;
    char *doc_text = s_splice (r, len, cut, &mid, &n);
    gl_doc_t *doc = s_measure ("cjk", doc_text, n);
    assert_int_equal (gl_doc_status (doc), GL_DOC_OK);
    s_done (doc, doc_text, &mid, r);
}

static void
s_short_lines (void **state)
{
    (void) state;
    gl_gen_buf_t b = { 0 };
    static const char *const lines[] = { "1\n", "a\n", "的\n", "\n", "|\n" };
    size_t k = 0;
    while (b.n < GL_MB (10))
        gl_gen_put (&b, lines[k++ % 5]);
    assert_false (b.oom);
    gl_doc_t *doc = s_measure ("lines", b.s, b.n);
    assert_int_equal (gl_doc_status (doc), GL_DOC_NOT_REPORT);
    s_expect_codes (doc, "GID005");
    gl_doc_destroy (&doc);
    free (b.s);
}

static void
s_markers (void **state)
{
    (void) state;
    size_t len, cut;
    char *r = s_report ("五、存在的主要问题及改进情况", &len, &cut);
    gl_gen_buf_t mid = { 0 };
    while (mid.n < GL_MB (4))
        gl_gen_put (&mid, "见[pic]![图");
    gl_gen_put (&mid, "\n");
    size_t n;
    char *doc_text = s_splice (r, len, cut, &mid, &n);
    gl_doc_t *doc = s_measure ("markers", doc_text, n);
    assert_int_equal (gl_doc_status (doc), GL_DOC_OK);
    char got[256];
    s_codes (doc, got, sizeof got);
    print_message ("  codes: %s (%zu GID501)\n", got, s_count (doc, "GID501"));
    gl_doc_destroy (&doc);
    free (doc_text);
    free (mid.s);
    free (r);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (s_single_line), cmocka_unit_test (s_table_rows),
        cmocka_unit_test (s_headings),    cmocka_unit_test (s_digits),
        cmocka_unit_test (s_cjk_run),     cmocka_unit_test (s_markers),
        cmocka_unit_test (s_short_lines),
    };
    return cmocka_run_group_tests (tests, s_corpus_setup, s_corpus_teardown);
}
