/*  test_facts.c: unit tests of gl_facts_scan(), the narrative fact scanner.
 *
 *  Every test scans one literal line (as the normaliser hands it over:
 *  full-width commas and brackets already folded to ASCII) and checks the
 *  exact facts found: kind, value, parts and byte span.  The real sentences
 *  of the seed reports are copied in as text.  Spans are checked against
 *  the offsets of known substrings, shifted by a non-zero base so that the
 *  base is known to be applied.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "gl_facts.h"

#define BASE 1000u
#define MAX_FACTS 64

typedef struct {
    gl_fact_t f[MAX_FACTS];
    size_t n;
} facts_t;

static void
collect (const gl_fact_t *fact, void *ctx)
{
    facts_t *fs = ctx;
    assert_true (fs->n < MAX_FACTS);
    fs->f[fs->n++] = *fact;
}

/*  Scans text and checks that the facts arrive in text order.             */
static void
scan (const char *text, facts_t *fs)
{
    memset (fs, 0, sizeof *fs);
    gl_facts_scan (text, strlen (text), BASE, collect, fs);
    for (size_t i = 1; i < fs->n; i++)
        assert_true (fs->f[i - 1].span.start <= fs->f[i].span.start);
}

/*  Byte offset of the nth (0-based) occurrence of needle in text.        */
static uint32_t
offset_of (const char *text, const char *needle, int nth)
{
    const char *p = text;
    for (;;) {
        p = strstr (p, needle);
        assert_non_null (p);
        if (nth-- == 0)
            return (uint32_t) (p - text);
        p++;
    }
}

/*  Asserts that fact f spans the nth occurrence of needle in text.        */
static void
assert_span (const gl_fact_t *f, const char *text, const char *needle,
             int nth)
{
    uint32_t at = offset_of (text, needle, nth);
    assert_int_equal (f->span.start, BASE + at);
    assert_int_equal (f->span.end, BASE + at + strlen (needle));
}

/*  Same, for a needle that sits inside a longer, unique context string.   */
static void
assert_span_in (const gl_fact_t *f, const char *text, const char *context,
                const char *needle)
{
    uint32_t at = offset_of (text, context, 0);
    const char *in = strstr (context, needle);
    assert_non_null (in);
    at += (uint32_t) (in - context);
    assert_int_equal (f->span.start, BASE + at);
    assert_int_equal (f->span.end, BASE + at + strlen (needle));
}

static size_t
count_kind (const facts_t *fs, gl_fact_kind_t kind)
{
    size_t k = 0;
    for (size_t i = 0; i < fs->n; i++)
        if (fs->f[i].kind == kind)
            k++;
    return k;
}

/*  The nth fact of kind; fails the test if there is none.                 */
static const gl_fact_t *
nth_kind (const facts_t *fs, gl_fact_kind_t kind, size_t nth)
{
    for (size_t i = 0; i < fs->n; i++)
        if (fs->f[i].kind == kind && nth-- == 0)
            return &fs->f[i];
    fail_msg ("no fact of kind %d", (int) kind);
    return NULL;
}

/*  ---------------------------------------------------------------------
 *  Applications received.                                                 */

static void
test_received_seed000 (void **state)
{
    (void) state;
    const char *t = "2021年度,共收到政府信息公开申请0件。";
    facts_t fs;
    scan (t, &fs);
    assert_int_equal (fs.n, 2);
    assert_int_equal (fs.f[0].kind, GL_FACT_YEAR);
    assert_int_equal (fs.f[0].value, 2021);
    assert_span (&fs.f[0], t, "2021", 0);
    assert_int_equal (fs.f[1].kind, GL_FACT_RECEIVED);
    assert_int_equal (fs.f[1].value, 0);
    assert_span_in (&fs.f[1], t, "0件", "0");
}

static void
test_received_seed001 (void **state)
{
    (void) state;
    /* One RECEIVED only: "其中网络申请6件" is a part and "共收到申请答复6件"
     * counts answers. */
    const char *t = "2020年共收到依申请公开信息6件,其中网络申请6件。"
                    "申请办结数6件,其中按时办结6件。"
                    "共收到申请答复6件,其中,同意部分公开答复1件,"
                    "申请信息不存在5件。";
    facts_t fs;
    scan (t, &fs);
    assert_int_equal (fs.n, 6);
    assert_int_equal (fs.f[0].kind, GL_FACT_YEAR);
    assert_int_equal (fs.f[1].kind, GL_FACT_RECEIVED);
    assert_int_equal (fs.f[1].value, 6);
    assert_span_in (&fs.f[1], t, "信息6件", "6");
    assert_int_equal (fs.f[2].kind, GL_FACT_ITEMISED);
    assert_int_equal (fs.f[2].value, 6);
    assert_int_equal (fs.f[2].parts_sum, 6);
    assert_int_equal (fs.f[2].n_parts, 1);
    assert_span_in (&fs.f[2], t, "信息6件", "6");
    assert_int_equal (fs.f[3].kind, GL_FACT_ITEMISED);
    assert_int_equal (fs.f[3].value, 6);
    assert_int_equal (fs.f[3].parts_sum, 6);
    assert_int_equal (fs.f[3].n_parts, 2);
    assert_string_equal (fs.f[3].unit, "件");
    assert_span_in (&fs.f[3], t, "答复6件", "6");
    assert_int_equal (fs.f[4].kind, GL_FACT_ANSWER);
    assert_int_equal (fs.f[4].answer, GL_ANS_PARTIAL);
    assert_int_equal (fs.f[4].value, 1);
    assert_span_in (&fs.f[4], t, "答复1件", "1");
    assert_int_equal (fs.f[5].kind, GL_FACT_ANSWER);
    assert_int_equal (fs.f[5].answer, GL_ANS_NOT_EXIST);
    assert_int_equal (fs.f[5].value, 5);
    assert_span_in (&fs.f[5], t, "存在5件", "5");
}

static void
test_received_seed002 (void **state)
{
    (void) state;
    const char *t = "(二)政府信息公开申请办理情况。2021年度我镇共接到3次群众主动"
                    "要求公开政府信息的申请,目前尚无发现应主动公开政府信息而未"
                    "予公开的情况。本年度我镇政府信息公开工作均为免费。我镇未因"
                    "政府信息公开申请被提起行政复议、行政诉讼。";
    facts_t fs;
    scan (t, &fs);
    assert_int_equal (fs.n, 4);
    assert_int_equal (fs.f[0].kind, GL_FACT_YEAR);
    assert_int_equal (fs.f[0].value, 2021);
    assert_int_equal (fs.f[1].kind, GL_FACT_RECEIVED);
    assert_int_equal (fs.f[1].value, 3);
    assert_span_in (&fs.f[1], t, "接到3次", "3");
    assert_int_equal (fs.f[2].kind, GL_FACT_REVIEWS_NONE);
    assert_span (&fs.f[2], t, "未因政府信息公开申请被提起行政复议", 0);
    assert_int_equal (fs.f[3].kind, GL_FACT_SUITS_NONE);
    assert_span (&fs.f[3], t, "未因政府信息公开申请被提起行政复议、行政诉讼",
                 0);
    assert_int_equal (count_kind (&fs, GL_FACT_RECEIVED_NONE), 0);
}

static void
test_received_forms (void **state)
{
    (void) state;
    static const struct {
        const char *text, *figure;
        int64_t value;
    } cases[] = {
        { "本年度受理政府信息公开申请12件。", "12", 12 },
        { "收到依申请公开信息6件", "6", 6 },
        { "共接到3次群众主动要求公开政府信息的申请", "3", 3 },
        { "全年共收到政府信息公开申请两件,均已按时答复。", "两", 2 },
        { "本年度新收政府信息公开申请1,234件", "1,234", 1234 },
        { "共收到并受理政府信息公开申请十二件", "十二", 12 },
        { "共收到政府信息公开申请 7 件", "7", 7 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        facts_t fs;
        scan (cases[i].text, &fs);
        assert_int_equal (count_kind (&fs, GL_FACT_RECEIVED), 1);
        const gl_fact_t *f = nth_kind (&fs, GL_FACT_RECEIVED, 0);
        assert_int_equal (f->value, cases[i].value);
        assert_span (f, cases[i].text, cases[i].figure, 0);
        assert_int_equal (count_kind (&fs, GL_FACT_RECEIVED_NONE), 0);
    }
}

static void
test_received_not (void **state)
{
    (void) state;
    static const char *const cases[] = {
        /* Complaints and reports are not applications. */
        "对外公布政府信息公开投诉举报电话,2020年未收到相关投诉举报。",
        "共收到投诉举报类申请3件",
        "全年受理人大代表建议和政协提案申请5件",
        /* Other kinds of application. */
        "共受理行政许可申请1234件",
        "全年共收到申请5件",
        /* Last year's figures. */
        "去年共收到政府信息公开申请5件",
        "上年结转政府信息公开申请2件",
        /* Not a count of applications. */
        "收到申请后,在3个工作日内予以答复",
        "收到申请后3个工作日内予以答复",
        "对不予受理申请2件的情况作出说明",
        "畅通依申请公开受理渠道。",
        "收到第3次申请",
        "共收到政府信息公开申请10余件",
        /* Only numbers that follow the verb count. */
        "3件政府信息公开申请已收到",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        facts_t fs;
        scan (cases[i], &fs);
        if (count_kind (&fs, GL_FACT_RECEIVED) != 0
            || count_kind (&fs, GL_FACT_RECEIVED_NONE) != 0)
            fail_msg ("unexpected fact in \"%s\"", cases[i]);
    }
}

static void
test_received_review_application (void **state)
{
    (void) state;
    /* An application for review is a review, not a disclosure application. */
    const char *t = "本年度收到行政复议申请1件。";
    facts_t fs;
    scan (t, &fs);
    assert_int_equal (fs.n, 1);
    assert_int_equal (fs.f[0].kind, GL_FACT_REVIEWS);
    assert_int_equal (fs.f[0].value, 1);
    assert_span (&fs.f[0], t, "1", 0);
}

static void
test_received_none (void **state)
{
    (void) state;
    static const struct {
        const char *text, *phrase;
    } cases[] = {
        /* Seed 004. */
        { "制定政府信息公开指南,对申请公开事项,及时收集、汇总,并按规定流"
          "程进行审核后公开。目前,没有收到并受理依申请公开案例。",
          "没有收到并受理依申请" },
        { "本年度未收到政府信息公开申请。", "未收到政府信息公开申请" },
        { "2021年我街道尚未接到依申请公开事项", "尚未接到依申请" },
        { "本年度无政府信息公开申请。", "无政府信息公开申请" },
        { "依申请公开方面,暂无依申请公开事项。", "暂无依申请" },
        { "本机关全年没有政府信息公开申请", "没有政府信息公开申请" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        facts_t fs;
        scan (cases[i].text, &fs);
        assert_int_equal (count_kind (&fs, GL_FACT_RECEIVED_NONE), 1);
        assert_int_equal (count_kind (&fs, GL_FACT_RECEIVED), 0);
        assert_span (nth_kind (&fs, GL_FACT_RECEIVED_NONE, 0), cases[i].text,
                     cases[i].phrase, 0);
    }
}

static void
test_received_none_not (void **state)
{
    (void) state;
    static const char *const cases[] = {
        "对无正当理由大量反复申请的,不予处理。",
        "2020年未收到相关投诉举报申请。",
        "未因政府信息公开申请被提起行政复议",
        "本年度无法提供的申请已说明理由",
        "上年度未收到政府信息公开申请",
        "去年没有政府信息公开申请",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        facts_t fs;
        scan (cases[i], &fs);
        if (count_kind (&fs, GL_FACT_RECEIVED_NONE) != 0
            || count_kind (&fs, GL_FACT_RECEIVED) != 0)
            fail_msg ("unexpected fact in \"%s\"", cases[i]);
    }
}

/*  ---------------------------------------------------------------------
 *  Reviews and suits.                                                     */

static void
test_legal_seed001 (void **state)
{
    (void) state;
    /* The 其中 parts are details, not new facts. */
    const char *t = "2020年行政复议1件,其中结果维持1件。行政诉讼2件,其中尚未审结1"
                    "件,结果维持1件。";
    facts_t fs;
    scan (t, &fs);
    assert_int_equal (fs.n, 3);
    assert_int_equal (fs.f[0].kind, GL_FACT_YEAR);
    assert_int_equal (fs.f[1].kind, GL_FACT_REVIEWS);
    assert_int_equal (fs.f[1].value, 1);
    assert_span_in (&fs.f[1], t, "复议1件", "1");
    assert_int_equal (fs.f[2].kind, GL_FACT_SUITS);
    assert_int_equal (fs.f[2].value, 2);
    assert_span_in (&fs.f[2], t, "诉讼2件", "2");
}

static void
test_legal_forms (void **state)
{
    (void) state;
    static const struct {
        const char *text, *figure;
        gl_fact_kind_t kind;
        int64_t value;
    } cases[] = {
        { "本年度发生行政复议案件1起。", "1", GL_FACT_REVIEWS, 1 },
        { "行政诉讼共3件", "3", GL_FACT_SUITS, 3 },
        { "行政复议 0 件", "0", GL_FACT_REVIEWS, 0 },
        { "因政府信息公开被提起行政诉讼两起", "两", GL_FACT_SUITS, 2 },
        { "行政复议案件数量为4件", "4", GL_FACT_REVIEWS, 4 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        facts_t fs;
        scan (cases[i].text, &fs);
        assert_int_equal (fs.n, 1);
        assert_int_equal (fs.f[0].kind, cases[i].kind);
        assert_int_equal (fs.f[0].value, cases[i].value);
        assert_span (&fs.f[0], cases[i].text, cases[i].figure, 0);
    }
}

static void
test_legal_none (void **state)
{
    (void) state;
    static const struct {
        const char *text, *review, *suit;
    } cases[] = {
        { "我镇未因政府信息公开申请被提起行政复议、行政诉讼。",
          "未因政府信息公开申请被提起行政复议",
          "未因政府信息公开申请被提起行政复议、行政诉讼" },
        /* Seed 003. */
        { "对机构职能、规范性文件、工作制度、工作动态等方面的政府信息按照工"
          "作流程进行公开,接受社会和公众的监督,做到公开事项如变更、撤销或"
          "终止,及时公布并作出说明,截止目前,我街道未发生一例因有关政府信"
          "息公开事务而引起的行政复议、诉讼和申诉情况。",
          "未发生一例因有关政府信息公开事务而引起的行政复议",
          "未发生一例因有关政府信息公开事务而引起的行政复议、诉讼" },
        { "本年度没有发生行政复议案件。", "没有发生行政复议", NULL },
        { "无行政复议和行政诉讼。", "无行政复议", "无行政复议和行政诉讼" },
        { "本年度未发生行政诉讼", NULL, "未发生行政诉讼" },
        { "未被提起行政复议,也未被提起行政诉讼", "未被提起行政复议",
          "也未被提起行政诉讼" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        facts_t fs;
        scan (cases[i].text, &fs);
        assert_int_equal (count_kind (&fs, GL_FACT_REVIEWS_NONE),
                          cases[i].review ? 1 : 0);
        assert_int_equal (count_kind (&fs, GL_FACT_SUITS_NONE),
                          cases[i].suit ? 1 : 0);
        if (cases[i].review)
            assert_span (nth_kind (&fs, GL_FACT_REVIEWS_NONE, 0),
                          cases[i].text, cases[i].review, 0);
        if (cases[i].suit)
            assert_span (nth_kind (&fs, GL_FACT_SUITS_NONE, 0), cases[i].text,
                          cases[i].suit, 0);
        assert_int_equal (count_kind (&fs, GL_FACT_RECEIVED_NONE), 0);
    }
}

static void
test_legal_not (void **state)
{
    (void) state;
    static const char *const cases[] = {
        "行政诉讼2件,其中尚未审结1件",
        "行政诉讼(未经复议直接起诉)",
        "上年度未发生行政复议",
        "上年行政复议1件",
        "无法通过行政复议解决的,可依法提起诉讼",
        "行政复议和行政诉讼各1件",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        facts_t fs;
        scan (cases[i], &fs);
        if (count_kind (&fs, GL_FACT_REVIEWS_NONE)
            || count_kind (&fs, GL_FACT_SUITS_NONE)
            || count_kind (&fs, GL_FACT_REVIEWS))
            fail_msg ("unexpected fact in \"%s\"", cases[i]);
    }
    facts_t fs;
    scan (cases[0], &fs);
    assert_int_equal (fs.n, 1);
    assert_int_equal (fs.f[0].kind, GL_FACT_SUITS);
    assert_int_equal (fs.f[0].value, 2);
}

/*  ---------------------------------------------------------------------
 *  Answers.                                                               */

static void
test_answers (void **state)
{
    (void) state;
    static const struct {
        const char *text, *figure;
        gl_answer_t answer;
        int64_t value;
    } cases[] = {
        { "部分公开答复1件", "1", GL_ANS_PARTIAL, 1 },
        { "同意部分公开答复1件", "1", GL_ANS_PARTIAL, 1 },
        { "部分予以公开2件", "2", GL_ANS_PARTIAL, 2 },
        { "申请信息不存在5件", "5", GL_ANS_NOT_EXIST, 5 },
        { "本机关不掌握相关政府信息2件", "2", GL_ANS_NOT_EXIST, 2 },
        { "予以公开3件", "3", GL_ANS_GRANTED, 3 },
        { "同意公开的2件", "2", GL_ANS_GRANTED, 2 },
        { "全部公开共4件", "4", GL_ANS_GRANTED, 4 },
        { "全部予以公开11件", "11", GL_ANS_GRANTED, 11 },
        { "不予公开1件", "1", GL_ANS_DENIED, 1 },
        { "无法提供2件", "2", GL_ANS_UNABLE, 2 },
        { "不予处理1件", "1", GL_ANS_NOT_HANDLED, 1 },
        { "答复不予处理的一件", "一", GL_ANS_NOT_HANDLED, 1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        facts_t fs;
        scan (cases[i].text, &fs);
        assert_int_equal (fs.n, 1);
        assert_int_equal (fs.f[0].kind, GL_FACT_ANSWER);
        assert_int_equal (fs.f[0].answer, cases[i].answer);
        assert_int_equal (fs.f[0].value, cases[i].value);
        assert_span (&fs.f[0], cases[i].text, cases[i].figure, 0);
    }
}

static void
test_answers_list (void **state)
{
    (void) state;
    const char *t = "其中予以公开3件,部分公开1件,不予公开2件,无法提供4件。";
    facts_t fs;
    scan (t, &fs);
    assert_int_equal (fs.n, 4);
    static const gl_answer_t kinds[] = { GL_ANS_GRANTED, GL_ANS_PARTIAL,
                                         GL_ANS_DENIED, GL_ANS_UNABLE };
    static const char *const figures[] = { "3", "1", "2", "4" };
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal (fs.f[i].kind, GL_FACT_ANSWER);
        assert_int_equal (fs.f[i].answer, kinds[i]);
        assert_span (&fs.f[i], t, figures[i], 0);
    }
}

static void
test_answers_not (void **state)
{
    (void) state;
    static const char *const cases[] = {
        "对因情势变化可以公开的政府信息依法予以公开。",
        "1件部分公开",
        "予以公开的比例为90%",
        "不予公开信息的审查",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        facts_t fs;
        scan (cases[i], &fs);
        if (count_kind (&fs, GL_FACT_ANSWER))
            fail_msg ("unexpected answer in \"%s\"", cases[i]);
    }
}

/*  ---------------------------------------------------------------------
 *  Itemised counts.                                                       */

static void
test_itemised_seed002 (void **state)
{
    (void) state;
    const char *t = " 主动公开政府信息情况。2021年,我镇始终把主动公开政府信息作为工"
                    "作重点,加大主动公开的力度,丰富主动公开的途径,积极打造阳光政"
                    "务。2021年累计主动公开政府信息合计910条。其中政务网站92条,"
                    "微信公众号“羊亭在线”公开566条、微博“活力羊亭”188条,抖音“大"
                    "美羊亭”64条。及时公布了疫情防控、居民医疗、防范诈骗等政策信"
                    "息,打通了服务群众“最后一公里”。";
    facts_t fs;
    scan (t, &fs);
    assert_int_equal (count_kind (&fs, GL_FACT_YEAR), 2);
    assert_int_equal (count_kind (&fs, GL_FACT_ITEMISED), 1);
    assert_int_equal (fs.n, 3);
    const gl_fact_t *f = nth_kind (&fs, GL_FACT_ITEMISED, 0);
    assert_int_equal (f->value, 910);
    assert_int_equal (f->parts_sum, 910);
    assert_int_equal (f->n_parts, 4);
    assert_string_equal (f->unit, "条");
    assert_span (f, t, "910", 0);
}

static void
test_itemised_forms (void **state)
{
    (void) state;
    static const struct {
        const char *text, *whole;
        int64_t value, sum;
        size_t n;
        const char *unit;
    } cases[] = {
        /* Years are not parts. */
        { "全年共计发布信息30条,其中2021年上半年10条,下半年20条。", "30",
          30, 30, 2, "条" },
        /* Parts with another unit are not parts. */
        { "合计5件,其中网站3件,微博2条。", "5", 5, 3, 1, "件" },
        /* A bracketed figure details a part. */
        { "总计100条,其中网站80条(含转载10条),微博20条。", "100", 100, 100, 2,
          "条" },
        /* Parts that do not add up are reported as found. */
        { "累计发布12篇,其中政策解读5篇、图文解读4篇。", "12", 12, 9, 2, "篇" },
        { "共发布1,200条,其中网站1,000条,微博200条", "1,200", 1200, 1200, 2,
          "条" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        facts_t fs;
        scan (cases[i].text, &fs);
        assert_int_equal (count_kind (&fs, GL_FACT_ITEMISED), 1);
        const gl_fact_t *f = nth_kind (&fs, GL_FACT_ITEMISED, 0);
        assert_int_equal (f->value, cases[i].value);
        assert_int_equal (f->parts_sum, cases[i].sum);
        assert_int_equal (f->n_parts, cases[i].n);
        assert_string_equal (f->unit, cases[i].unit);
        assert_span (f, cases[i].text, cases[i].whole, 0);
    }
}

static void
test_itemised_not (void **state)
{
    (void) state;
    static const char *const cases[] = {
        /* No parts. */
        "合计100条,其中主要为工作动态。",
        /* No whole keyword. */
        "申请办结数6件,其中按时办结6件。",
        "主动公开各类信息500余条,其中网站300条。",
        /* An approximate part. */
        "合计100条,其中网站80余条,微博20条。",
        /* 其中 not right after the whole. */
        "共发布信息100条,内容涵盖多个方面,其中网站60条。",
        /* 公共 is not 共. */
        "公共资源交易信息20条,其中工程类12条。",
        /* A nested breakdown. */
        "合计100条,其中网站60条,其中转载10条,微博40条。",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        facts_t fs;
        scan (cases[i], &fs);
        if (count_kind (&fs, GL_FACT_ITEMISED))
            fail_msg ("unexpected itemisation in \"%s\"", cases[i]);
    }
}

/*  ---------------------------------------------------------------------
 *  Years and the statistics period.                                       */

static void
test_years (void **state)
{
    (void) state;
    const char *t = "现将2021年度政府信息公开工作报告如下,2022年1月起实施";
    facts_t fs;
    scan (t, &fs);
    assert_int_equal (fs.n, 2);
    assert_int_equal (fs.f[0].kind, GL_FACT_YEAR);
    assert_int_equal (fs.f[0].value, 2021);
    assert_span (&fs.f[0], t, "2021", 0);
    assert_int_equal (fs.f[1].kind, GL_FACT_YEAR);
    assert_int_equal (fs.f[1].value, 2022);
    assert_span (&fs.f[1], t, "2022", 0);

    static const char *const not_years[] = {
        "12021年", "1989年", "2101年", "2021", "第2021年", "20210年",
        "2021.5年", "编号32021年",
    };
    for (size_t i = 0; i < sizeof not_years / sizeof not_years[0]; i++) {
        scan (not_years[i], &fs);
        if (count_kind (&fs, GL_FACT_YEAR))
            fail_msg ("unexpected year in \"%s\"", not_years[i]);
    }
}

static void
test_period (void **state)
{
    (void) state;
    static const struct {
        const char *text, *span;
        int64_t from, to;
    } cases[] = {
        /* Seed 002. */
        { "根据《中华人民共和国政府信息公开条例》有关规定以及上级通知要求,结"
          "合我镇实际工作,特向社会公布2021年羊亭镇人民政府政府信息公开工作"
          "年度报告。报告中数据统计期限为2021年1月1日至2021年12月31日。",
          "2021年1月1日至2021年12月31日", 2021, 2021 },
        { "本报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。",
          "2020年1月1日起至2020年12月31日", 2020, 2020 },
        { "统计期间为2021年1月1日至12月31日", "2021年1月1日至12月31日", 2021,
          2021 },
        { "统计时限为2021年1月至2022年12月", "2021年1月至2022年12月", 2021,
          2022 },
        { "报告时间为2022年1月1日-2022年12月31日", "2022年1月1日-2022年12月31日",
          2022, 2022 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        facts_t fs;
        scan (cases[i].text, &fs);
        assert_int_equal (count_kind (&fs, GL_FACT_PERIOD), 1);
        const gl_fact_t *f = nth_kind (&fs, GL_FACT_PERIOD, 0);
        assert_int_equal (f->value, cases[i].from);
        assert_int_equal (f->value2, cases[i].to);
        assert_span (f, cases[i].text, cases[i].span, 0);
    }

    static const char *const not_periods[] = {
        "2021年3月1日至3月31日开展专项整治",
        "我街道自2021年以来,主动公开各类信息500余条",
        "统计期限为2021年",
    };
    for (size_t i = 0; i < sizeof not_periods / sizeof not_periods[0]; i++) {
        facts_t fs;
        scan (not_periods[i], &fs);
        if (count_kind (&fs, GL_FACT_PERIOD))
            fail_msg ("unexpected period in \"%s\"", not_periods[i]);
    }
}

/*  ---------------------------------------------------------------------
 *  Robustness.                                                            */

static void
test_edges (void **state)
{
    (void) state;
    facts_t fs;
    scan ("", &fs);
    assert_int_equal (fs.n, 0);
    scan ("。。。;;,,", &fs);
    assert_int_equal (fs.n, 0);
    scan ("收到", &fs);
    assert_int_equal (fs.n, 0);
    scan ("合计", &fs);
    assert_int_equal (fs.n, 0);
    scan ("99999999999999999999件", &fs);
    assert_int_equal (fs.n, 0);
    /* Truncated inside a count: the scanner must not read past len. */
    const char *t = "共收到政府信息公开申请3件";
    memset (&fs, 0, sizeof fs);
    gl_facts_scan (t, strlen (t) - 1, 0, collect, &fs);
    assert_int_equal (fs.n, 0);
    gl_facts_scan (t, strlen (t), 0, NULL, NULL);
}

static void
count_facts (const gl_fact_t *fact, void *ctx)
{
    (void) fact;
    ++*(size_t *) ctx;
}

/*  A long line of repeated phrases without a full stop must be scanned in
 *  linear time; with a quadratic scan this takes minutes.                 */
static void
test_long_line (void **state)
{
    (void) state;
    static const char *const units[] = {
        "合计1条其中", "收到申请", "未", "行政复议", "2021年", "部分公开",
        "共收到政府信息公开申请1件", "无行政复议",
    };
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        size_t unit = strlen (units[u]), reps = (1u << 18) / unit;
        char *s = malloc (reps * unit + 1);
        assert_non_null (s);
        for (size_t i = 0; i < reps; i++)
            memcpy (s + i * unit, units[u], unit);
        s[reps * unit] = '\0';
        size_t n = 0;
        gl_facts_scan (s, reps * unit, 0, count_facts, &n);
        free (s);
    }
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_received_seed000),
        cmocka_unit_test (test_received_seed001),
        cmocka_unit_test (test_received_seed002),
        cmocka_unit_test (test_received_forms),
        cmocka_unit_test (test_received_not),
        cmocka_unit_test (test_received_review_application),
        cmocka_unit_test (test_received_none),
        cmocka_unit_test (test_received_none_not),
        cmocka_unit_test (test_legal_seed001),
        cmocka_unit_test (test_legal_forms),
        cmocka_unit_test (test_legal_none),
        cmocka_unit_test (test_legal_not),
        cmocka_unit_test (test_answers),
        cmocka_unit_test (test_answers_list),
        cmocka_unit_test (test_answers_not),
        cmocka_unit_test (test_itemised_seed002),
        cmocka_unit_test (test_itemised_forms),
        cmocka_unit_test (test_itemised_not),
        cmocka_unit_test (test_years),
        cmocka_unit_test (test_period),
        cmocka_unit_test (test_edges),
        cmocka_unit_test (test_long_line),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
